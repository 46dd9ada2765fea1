import ARAnalytics
import ARLoading
import ARModel
import ARReport
import AROutput
import ChartKit
import Foundation

extension Workspace {
    /// The pack's formats from a comma-separated list (nil: all). An unknown name or an empty
    /// list is a usage error: an empty set would replace a pack with an empty folder.
    public static func packFormats(_ list: String?) throws -> Set<PackFormat> {
        guard let list else { return Set(PackFormat.allCases) }
        do { return try PackFormat.parseList(list) } catch { throw ARLensError.usage(error.description) }
    }

    /// The pack's options from the command line's: `formats` comma-separated (nil: all),
    /// `templates` the pack templates folder (nil: arlens.yml's, else the installed ones).
    public func packOptions(formats: String?, out: String, paper: PDFRenderer.Paper, excelCSV: Bool, templates: String?) throws -> PackOptions {
        var o = PackOptions()
        (o.formats, o.outDirectory, o.paper, o.excelCSV) = (try Workspace.packFormats(formats), out, paper, excelCSV)
        o.templates = try self.templates("pack", override: templates)
        return o
    }

    /// `arlens pack` from the command line's options (`packOptions`): writes the pack (and its
    /// units with `by`) and returns the lines that say what was written.
    public func packReport(month: YearMonth?, formats: String?, out: String, paper: PDFRenderer.Paper, excelCSV: Bool, templates: String?,
                           by: ARAnalytics.Dimension?, canvas: any Canvas, progress: @escaping (String, Double) -> Void) throws -> String {
        let options = try packOptions(formats: formats, out: out, paper: paper, excelCSV: excelCSV, templates: templates)
        let (dir, model, units) = try pack(month: month, options: options, by: by, canvas: canvas, progress: progress)
        return (["pack for \(model.monthName) written to \(dir)/ (\(PackFormat.summary(options.formats)))"] + units.map { "  \($0)/" })
            .joined(separator: "\n")
    }

    /// The month a pack is for: the one given, or the ledger's last complete month; it must lie
    /// inside the ledger.
    public func packMonth(_ month: YearMonth?) throws -> YearMonth {
        let t = timeline
        let m = month ?? PackModel.lastCompleteMonth(t)
        if m < t.firstDay.yearMonth || m > t.lastDay.yearMonth {
            throw ARLensError.input("--month \(m) is outside the ledger (\(t.firstDay.yearMonth) to \(t.lastDay.yearMonth))")
        }
        return m
    }

    /// The monthly management pack for `month`, written into `options.outDirectory/<month>/`
    /// through `canvas`. With `by`, also one pack per unit of that dimension in
    /// `<month>/by-<dimension>/<unit>/`, each drawn from the unit's part of the ledger
    /// (`Ledger.restricted`, as `slides --by`): a unit without documents gets none, and the GL
    /// reconciliation stays with the whole pack. The whole pack is the same with or without
    /// `by`. Everything is written in one staged folder, so a failure leaves the previous month
    /// folder as it was. Returns the pack's folder, its model and the unit folders written.
    public func pack(month: YearMonth?, options: PackOptions, by: ARAnalytics.Dimension? = nil, canvas: any Canvas,
                     progress: @escaping (String, Double) -> Void = { _, _ in })
        throws -> (directory: String, model: PackModel, units: [String]) {
        let m = try packMonth(month)
        progress("analysing", 0.05)
        let gl = try load.configuration.glFile.map { try ColumnFile.glBalances($0, digits: base.minorDigits) } ?? []
        let reviewed = try reviewedFindings()
        func model(_ prepared: PreparedLedger, gl: [(date: Day, balance: Int64)]) -> PackModel {
            let analysis = PackAnalysis(prepared: prepared, report: load.report, configuration: configuration, month: m, gl: gl,
                                        reviewed: reviewed)
            return PackBuilder(analysis: analysis, report: load.report, ledgerName: source.display).build()
        }
        let whole = model(prepared, gl: gl)
        var folders: [String] = [], written: [String] = []
        var unitModel: (Int) -> PackModel? = { _ in nil }
        if let by {
            let grouping = Grouping(ledger, by: by)
            // Folder names as `slides --by` names its decks; two units that sanitise alike
            // (`a/b`, `a_b`) keep apart through the hashed name.
            var used = Set<String>()
            folders = grouping.keys.map { key in
                var name = AtomicFile.sanitizedName(key)
                if !used.insert(name).inserted { name = AtomicFile.outputName(for: key); used.insert(name) }
                return "by-\(by.rawValue)/" + name
            }
            unitModel = { k in
                var part = self.ledger.restricted(toCustomers: grouping.customerGroup.map { $0 == Int32(k) })
                guard part.dateRange != nil else { return nil }
                // Payments are already applied to the whole ledger: the part keeps those applications.
                part.applicationsFromFile = true
                // The GL balances are the whole company's: no reconciliation per unit.
                var unit = model(PreparedLedger(part), gl: [])
                unit.company += " — \(by.rawValue) \(grouping.keys[k])"
                written.append(folders[k])
                return unit
            }
        }
        let dir = try PackWriter.write(whole, options, canvas: canvas, units: folders, unitModel: unitModel, progress: progress)
        return (dir, whole, written)
    }
}

/// Every chart type with ordinary and awkward data, as PNG, SVG and one PDF: for looking at.
public enum ChartGallery {
    /// Returns how many charts were drawn.
    public static func write(to directory: String, canvas: any Canvas) throws -> Int {
        let m = try canvas.makeMeasurer()
        var scenes: [(String, Scene)] = Gallery.charts.map { ($0.name, $0.chart.scene(size: Size(800, 450), measurer: m, theme: .standard)) }
        scenes += Gallery.tiles.map { ($0.name, $0.tile.scene(size: Size(240, 150), measurer: m, theme: .standard)) }
        let pngs = try canvas.pngs(scenes.map(\.1))
        for (k, (name, scene)) in scenes.enumerated() {
            try AtomicFile.write(pngs[k], to: "\(directory)/\(name).png")
            try AtomicFile.write(try canvas.svg(scene), to: "\(directory)/\(name).svg")
        }
        try AtomicFile.write(try canvas.pdf(scenes.map(\.1), title: "ARLens chart gallery"), to: "\(directory)/gallery.pdf")
        return scenes.count
    }
}
