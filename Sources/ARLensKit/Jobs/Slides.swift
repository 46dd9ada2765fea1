import ARAnalytics
import ARLoading
import ARModel
import ARReport
import AROutput
import ChartKit
import Foundation

extension Workspace {
    /// The slides `--charts` picks (nil: all), in deck order. An unknown name is a usage error.
    public static func slideKinds(_ list: String?) throws -> [SlideKind] {
        guard let list else { return SlideKind.allCases }
        do { return try SlideKind.parseList(list) } catch { throw ARLensError.usage(error.description) }
    }

    /// The board deck alone for `month` (nil: the last complete month): the pack's model, then
    /// `slides.pptx` written atomically into `outDirectory/<month>/`. With `by`, one deck per
    /// unit of that dimension instead (`slides-<unit>.pptx`), each drawn from the unit's part
    /// of the ledger (`Ledger.restricted`); a unit without documents gets none. Returns each
    /// file with its deck, in unit order.
    /// `arlens slides`: the slides named in `charts` (comma-separated; nil: all), written as
    /// `slides`, and the lines that say what was written.
    public func slidesReport(month: YearMonth?, charts: String?, by: ARAnalytics.Dimension?, outDirectory: String, canvas: any Canvas,
                             progress: @escaping (String, Double) -> Void) throws -> String {
        let decks = try slides(month: month, kinds: try Workspace.slideKinds(charts), by: by, outDirectory: outDirectory, canvas: canvas,
                               progress: progress)
        return decks.map { "\($0.deck.slides.count) slides for \($0.deck.subtitle) written to \($0.file)" }.joined(separator: "\n")
    }

    public func slides(month: YearMonth?, kinds: [SlideKind], by: ARAnalytics.Dimension? = nil, outDirectory: String, canvas: any Canvas,
                       progress: @escaping (String, Double) -> Void = { _, _ in }) throws -> [(file: String, deck: SlideDeck)] {
        let m = try packMonth(month)
        let folder = (outDirectory as NSString).appendingPathComponent(AtomicFile.sanitizedName(m.description))
        let measurer = try canvas.makeMeasurer()
        let reviewed = try reviewedFindings()
        func deck(_ prepared: PreparedLedger, gl: [(date: Day, balance: Int64)], unit: String?) -> SlideDeck {
            let analysis = PackAnalysis(prepared: prepared, report: load.report, configuration: configuration, month: m, gl: gl, reviewed: reviewed)
            let model = PackBuilder(analysis: analysis, report: load.report, ledgerName: source.directory).build()
            return SlideDeck(model, slides: kinds, unit: unit)
        }
        var out: [(file: String, deck: SlideDeck)] = []
        guard let by else {
            progress("analysing", 0.1)
            let gl = try load.configuration.glFile.map { try ColumnFile.glBalances($0, digits: base.minorDigits) } ?? []
            let d = deck(prepared, gl: gl, unit: nil)
            progress("slides", 0.7)
            let file = folder + "/slides.pptx"
            try AtomicFile.write(try PPTXWriter.deck(d, measurer: measurer), to: file)
            progress("done", 1)
            return [(file, d)]
        }
        let grouping = Grouping(ledger, by: by)
        for (k, key) in grouping.keys.enumerated() {
            progress("\(by.rawValue) \(key)", Double(k) / Double(grouping.count))
            var part = ledger.restricted(toCustomers: grouping.customerGroup.map { $0 == Int32(k) })
            guard part.dateRange != nil else { continue }
            // Payments are already applied to the whole ledger: the part keeps those applications.
            part.applicationsFromFile = true
            // The GL balances are the whole company's: no reconciliation per unit.
            let d = deck(PreparedLedger(part), gl: [], unit: "\(by.rawValue) \(key)")
            let file = folder + "/slides-\(AtomicFile.sanitizedName(key)).pptx"
            try AtomicFile.write(try PPTXWriter.deck(d, measurer: measurer), to: file)
            out.append((file, d))
        }
        progress("done", 1)
        return out
    }
}
