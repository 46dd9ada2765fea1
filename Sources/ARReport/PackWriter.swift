import ARModel
import AROutput
import ChartKit
import Foundation

/// The formats a pack can be written in.
public enum PackFormat: String, CaseIterable, Sendable {
    case html, pdf, png, svg, csv, json, xlsx
}

public struct PackOptions: Sendable {
    public var outDirectory = "output"
    public var formats = Set(PackFormat.allCases)
    public var paper = PDFRenderer.Paper.a4
    public var templates = "report-templates/pack"
    public init() {}
}

/// Writes a pack into `<out>/<month>/`: everything goes to a temporary folder first and is
/// renamed into place at the end, so a failed run leaves the previous pack as it was.
public enum PackWriter {
    /// Writes the pack; returns its folder. `progress` is told each step (for a progress bar).
    public static func write(_ model: PackModel, _ options: PackOptions, canvas: any Canvas, progress: (String, Double) -> Void = { _, _ in }) throws -> String {
        let month = model.month.description
        let final = (options.outDirectory as NSString).appendingPathComponent(AtomicFile.sanitizedName(month))
        let temp = (options.outDirectory as NSString).appendingPathComponent(".\(month).partial-\(getpid())")
        let fm = FileManager.default
        try? fm.removeItem(atPath: temp)
        try fm.createDirectory(atPath: temp, withIntermediateDirectories: true)
        do {
            try writeAll(model, options, canvas: canvas, into: temp, progress: progress)
        } catch {
            try? fm.removeItem(atPath: temp)
            throw error
        }
        // Swap the new pack in.
        let old = (options.outDirectory as NSString).appendingPathComponent(".\(month).old-\(getpid())")
        if fm.fileExists(atPath: final) { try fm.moveItem(atPath: final, toPath: old) }
        do { try fm.moveItem(atPath: temp, toPath: final) } catch {
            if fm.fileExists(atPath: old) { try? fm.moveItem(atPath: old, toPath: final) }
            throw error
        }
        try? fm.removeItem(atPath: old)
        progress("done", 1)
        return final
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
            let html = try HTMLRenderer(directory: o.templates).render(model, images: images)
            try save("index.html", Data(html.utf8))
        }
        if f.contains(.pdf) {
            progress("pdf", 0.55)
            try save("pack.pdf", try PDFRenderer(paper: o.paper, measurer: measurer, canvas: canvas).render(model))
        }
        if f.contains(.csv) {
            progress("csv", 0.75)
            for t in model.tables {
                var w = CSVWriter(header: t.columns.map(\.name))
                for row in t.rows {
                    w.addRow(zip(row, t.columns).map { cell, col in
                        let v = t.raw(cell, currency: model.currency)
                        if v.isEmpty { return .empty }
                        return col.isNumeric ? .number(v) : .text(v)
                    })
                }
                try save("csv/\(AtomicFile.sanitizedName(t.id)).csv", Data(w.text.utf8))
            }
        }
        if f.contains(.json) {
            try save("kpis.json", Data((KPIJSON.make(model.kpis).serialized() + "\n").utf8))
        }
        if f.contains(.xlsx) {
            progress("xlsx", 0.85)
            let sheets = model.sections.flatMap(\.tables) + model.csvOnly
            try save("pack.xlsx", try XLSXWriter.workbook(sheets, currency: model.currency))
        }
    }
}
