import ARModel
import AROutput
import ChartKit
import Foundation

/// The formats a pack can be written in.
public enum PackFormat: String, CaseIterable, Sendable {
    case html, pdf, png, svg, csv, json, xlsx, pptx

    static let emptySetMessage = "no output format chosen (html, pdf, png, svg, csv, json, xlsx, pptx); the previous pack is left as it was"

    /// The `--formats` list (`html,pdf`): every name known, at least one. Throws one line
    /// naming the bad value; an empty list is an error, never an empty pack.
    public static func parseList(_ text: String) throws(PackError) -> Set<PackFormat> {
        var set = Set<PackFormat>()
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            let n = name.trimmingCharacters(in: .whitespaces).lowercased()
            if n.isEmpty { continue }
            guard let f = PackFormat(rawValue: n) else {
                throw .write("unknown format '\(name)' (html, pdf, png, svg, csv, json, xlsx, pptx)")
            }
            set.insert(f)
        }
        guard !set.isEmpty else { throw .write(emptySetMessage) }
        return set
    }

    /// What a pack in `formats` holds, for the closing message: `index.html, pack.pdf, charts/ (PNG)`.
    public static func summary(_ formats: Set<PackFormat>) -> String {
        var parts: [String] = []
        if formats.contains(.html) { parts.append("index.html") }
        if formats.contains(.pdf) { parts.append("pack.pdf, summary.pdf") }
        let charts = [PackFormat.png, .svg].filter { formats.contains($0) }.map { $0.rawValue.uppercased() }
        if !charts.isEmpty { parts.append("charts/ (\(charts.joined(separator: ", ")))") }
        if formats.contains(.csv) { parts.append("csv/") }
        if formats.contains(.json) { parts.append("kpis.json") }
        if formats.contains(.xlsx) { parts.append("pack.xlsx") }
        if formats.contains(.pptx) { parts.append("slides.pptx") }
        return parts.joined(separator: ", ")
    }
}

public struct PackOptions: Sendable {
    public var outDirectory = "output"
    public var formats = Set(PackFormat.allCases)
    public var paper = PDFRenderer.Paper.a4
    public var templates = "report-templates/pack"
    /// CSV files for Excel: byte-order mark, ASCII signs, day ranges as "1 to 30".
    public var excelCSV = false
    public init() {}
}

/// Writes a pack into `<out>/<month>/`: everything goes to a temporary folder first and is
/// renamed into place at the end, so a failed run leaves the previous pack as it was.
public enum PackWriter {
    /// Writes the pack; returns its folder. `progress` is told each step (for a progress bar).
    /// The pack is written into a fresh hidden folder and swapped in whole (`StagedFolder`), so a
    /// failure or a kill at any instant leaves the previous complete pack under its name. Every
    /// failure is a `PackError` with one line naming the path.
    /// With `units`, each unit's pack goes into its own folder inside the month's folder
    /// (`folder` is the path relative to it, e.g. `by-region/EMEA`), in the same staged folder:
    /// the whole pack and every unit's pack appear together or not at all. `unitModel` builds a
    /// unit's model only when it is written, so one unit's model is held at a time.
    public static func write(_ model: PackModel, _ options: PackOptions, canvas: any Canvas,
                             units: [String] = [], unitModel: (Int) throws -> PackModel? = { _ in nil },
                             progress: (String, Double) -> Void = { _, _ in }) throws -> String {
        guard !options.formats.isEmpty else { throw PackError.write(PackFormat.emptySetMessage) }
        let month = model.month.description
        let final = (options.outDirectory as NSString).appendingPathComponent(AtomicFile.sanitizedName(month))
        let staged: StagedFolder
        do { staged = try StagedFolder.begin(final) } catch { throw PackError.write(String(describing: error)) }
        do {
            let share = units.isEmpty ? 1.0 : 1.0 / Double(units.count + 1)
            try writeAll(model, options, canvas: canvas, into: staged.path) { step, f in progress(step, f * share) }
            for (k, folder) in units.enumerated() {
                guard let unit = try unitModel(k) else { continue }
                let dir = staged.path + "/" + folder
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try writeAll(unit, options, canvas: canvas, into: dir) { step, f in
                    progress("\(folder): \(step)", (Double(k + 1) + f) * share)
                }
            }
            try staged.commit()
        } catch let e as PackError {
            staged.abandon()
            throw e
        } catch {
            staged.abandon()
            throw PackError.write(Self.message(error))
        }
        progress("done", 1)
        return final
    }

    /// One line for a write failure (no framework error dumps).
    static func message(_ error: Error) -> String {
        if let e = error as? OutputError { return e.description }
        if let e = error as? CocoaError, let path = e.userInfo[NSFilePathErrorKey] as? String {
            let posix = (e.userInfo[NSUnderlyingErrorKey] as? NSError).map { String(cString: strerror(Int32($0.code))) }
            return "\(path): cannot write: \(posix ?? "error \(e.code.rawValue)")"
        }
        return String(describing: error).split(separator: "\n").first.map(String.init) ?? "cannot write"
    }

    static func writeAll(_ model: PackModel, _ o: PackOptions, canvas: any Canvas, into dir: String, progress: (String, Double) -> Void) throws {
        func save(_ name: String, _ data: Data) throws { try AtomicFile.write(data, to: dir + "/" + name) }
        let f = o.formats
        let measurer = try canvas.makeMeasurer()
        progress("charts", 0.1)
        let charts = model.charts
        let scenes = charts.map { $0.chart.scene(size: $0.size, measurer: measurer, theme: .standard) }
        var images: [String: Data] = [:]
        if f.contains(.png) || f.contains(.html) {
            let pngs = try canvas.pngs(scenes)
            for (k, c) in charts.enumerated() {
                images[c.id] = pngs[k]
                if f.contains(.png) { try save("charts/\(AtomicFile.sanitizedName(c.id)).png", pngs[k]) }
            }
        }
        if f.contains(.svg) {
            for (k, c) in charts.enumerated() { try save("charts/\(AtomicFile.sanitizedName(c.id)).svg", try canvas.svg(scenes[k])) }
        }
        if f.contains(.html) {
            progress("html", 0.4)
            // The section charts inline as SVG with real <text> (SVGWriter, through the canvas),
            // so their labels are selectable; the tiles' sparklines stay small PNGs, and the
            // PNGs of every chart stay in charts/ for slides.
            var svgs: [String: String] = [:]
            let inline = Set(model.sections.flatMap { $0.charts + $0.appendixCharts }.map(\.id))
            for (k, c) in charts.enumerated() where inline.contains(c.id) {
                svgs[c.id] = String(decoding: try canvas.svg(scenes[k]), as: UTF8.self)
            }
            let html = try HTMLRenderer(directory: o.templates).render(model, images: images, svgs: svgs)
            try save("index.html", Data(html.utf8))
        }
        if f.contains(.pdf) {
            progress("pdf", 0.55)
            let pdf = PDFRenderer(paper: o.paper, measurer: measurer, canvas: canvas)
            try save("pack.pdf", try pdf.render(model))
            try save("summary.pdf", try pdf.renderSummary(model))
        }
        if f.contains(.csv) {
            progress("csv", 0.75)
            for t in model.tables.map(\.forData) {
                var w = CSVWriter(header: t.columns.map(\.name))
                for row in t.rows {
                    w.addRow(zip(row, t.columns).map { cell, col in
                        let v = t.raw(cell, currency: model.currency)
                        if v.isEmpty { return .empty }
                        return col.isNumeric ? .number(v) : .text(v)
                    })
                }
                try save("csv/\(AtomicFile.sanitizedName(t.id)).csv", Data((o.excelCSV ? ExcelCSV.adapt(w.text) : w.text).utf8))
            }
        }
        if f.contains(.json) {
            try save("kpis.json", Data((KPIJSON.make(model.kpis).serialized() + "\n").utf8))
        }
        if f.contains(.xlsx) {
            progress("xlsx", 0.85)
            let sheets = model.tables.map(\.forData)
            try save("pack.xlsx", try XLSXWriter.workbook(sheets, currency: model.currency))
        }
        if f.contains(.pptx) {
            progress("slides", 0.9)
            try save("slides.pptx", try PPTXWriter.deck(SlideDeck(model), measurer: measurer))
        }
    }
}
