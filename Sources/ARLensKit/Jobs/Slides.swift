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
    /// `slides.pptx` written atomically into `outDirectory/<month>/`. Returns the file and the
    /// deck.
    public func slides(month: YearMonth?, kinds: [SlideKind], outDirectory: String, canvas: any Canvas,
                       progress: @escaping (String, Double) -> Void = { _, _ in }) throws -> (file: String, deck: SlideDeck) {
        let m = try packMonth(month)
        progress("analysing", 0.1)
        let gl = try load.configuration.glFile.map { try ColumnFile.glBalances($0, digits: base.minorDigits) } ?? []
        let analysis = PackAnalysis(prepared: prepared, report: load.report, configuration: configuration, month: m, gl: gl,
                                    reviewed: try reviewedFindings())
        let model = PackBuilder(analysis: analysis, report: load.report, ledgerName: source.directory).build()
        progress("slides", 0.7)
        let deck = SlideDeck(model, slides: kinds)
        let data = try PPTXWriter.deck(deck, measurer: try canvas.makeMeasurer())
        let file = (outDirectory as NSString).appendingPathComponent(AtomicFile.sanitizedName(m.description)) + "/slides.pptx"
        try AtomicFile.write(data, to: file)
        progress("done", 1)
        return (file, deck)
    }
}
