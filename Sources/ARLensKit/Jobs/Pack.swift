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
    /// through `canvas`. Returns the pack's folder and its model.
    public func pack(month: YearMonth?, options: PackOptions, canvas: any Canvas,
                     progress: @escaping (String, Double) -> Void = { _, _ in }) throws -> (directory: String, model: PackModel) {
        let m = try packMonth(month)
        progress("analysing", 0.05)
        let gl = try load.configuration.glFile.map { try ColumnFile.glBalances($0, digits: base.minorDigits) } ?? []
        let analysis = PackAnalysis(prepared: prepared, report: load.report, configuration: configuration, month: m, gl: gl,
                                    reviewed: try reviewedFindings())
        let model = PackBuilder(analysis: analysis, report: load.report, ledgerName: source.display).build()
        let dir = try PackWriter.write(model, options, canvas: canvas, progress: progress)
        return (dir, model)
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
