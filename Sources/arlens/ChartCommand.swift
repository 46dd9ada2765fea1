import ArgumentParser
import ARAnalytics
import ARModel
import AROutput
import CairoRendering
import ChartKit
import Foundation

struct ChartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart",
        abstract: "Draw one KPI's trend to PNG, PDF or SVG, with its target line when one is configured.")

    @Argument(help: "The metric (arlens kpi --list).")
    var name: String

    @Option(name: .long, help: "First month (YYYY-MM); default: twelve months before --to.")
    var from: String?

    @Option(name: .long, help: "Last month (YYYY-MM); default: the ledger's last.")
    var to: String?

    @Option(name: .long, help: "The file to write: .png, .pdf or .svg.")
    var out: String

    @Option(name: .long, help: "Width and height in points, e.g. 800x450.")
    var size: String = "800x450"

    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        guard let metric = KPI(rawValue: name.lowercased()) else {
            throw CLIFailure(code: 1, message: "error: unknown metric '\(name)' (arlens kpi --list shows them all)")
        }
        let ext = (out as NSString).pathExtension.lowercased()
        guard ["png", "pdf", "svg"].contains(ext) else {
            throw CLIFailure(code: 2, message: "error: --out must end in .png, .pdf or .svg")
        }
        let dims = size.split(separator: "x").compactMap { Double($0) }
        guard dims.count == 2, dims[0] >= 200, dims[1] >= 150, dims[0] <= 4000, dims[1] <= 4000 else {
            throw CLIFailure(code: 2, message: "error: --size takes WIDTHxHEIGHT between 200x150 and 4000x4000")
        }
        var tables = Loaded.core
        if [.dispute_rate, .dispute_days, .open_disputes].contains(metric) { tables.insert(.disputes) }
        if metric == .promise_kept_rate { tables.insert(.activities) }
        let loaded = try Loaded(ledger, tables: tables)
        let last = try parseMonth(to, "--to") ?? loaded.timeline.lastDay.yearMonth
        let first = try parseMonth(from, "--from") ?? last.advanced(by: -11)
        if first > last { throw CLIFailure(code: 1, message: "error: --from \(first) is after --to \(last)") }
        let result = KPIEngine.run(loaded.timeline, configuration: loaded.configuration,
                                   query: KPIQuery(metrics: [metric], from: first, to: last, grain: .month),
                                   autoMatched: loaded.prepared.cashApplication?.autoMatched)
        let chart = TrendCharts.line(metric, result, loaded)
        let scene = chart.scene(size: Size(dims[0], dims[1]), measurer: try CairoTextMeasurer(), theme: .standard)
        let data: Data
        switch ext {
        case "png": data = try CairoRenderer.png(scene)
        case "pdf": data = try CairoRenderer.pdf([scene], title: chart.text.title)
        default: data = try CairoRenderer.svg(scene)
        }
        do { try AtomicFile.write(data, to: out) } catch {
            throw CLIFailure(code: 1, message: "error: cannot write \(out): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(out)\n".utf8))
    }
}

/// KPI results as charts.
enum TrendCharts {
    static func format(_ k: KPI, _ base: Currency) -> ValueFormat {
        switch k.kind {
        case .money: return .money(symbol: ValueFormat.symbol(forCurrency: base.code))
        case .percent: return .percent
        case .days: return .days
        case .count: return .count
        case .ratio: return .ratio
        }
    }

    static func line(_ metric: KPI, _ r: KPIResult, _ loaded: Loaded) -> LineChart {
        let rows = r.rows.filter { $0.metric == metric }
        let scale = metric.kind == .money ? Double(loaded.base.minorPerMajor) : 1
        let values = rows.map { $0.value.double.map { $0 / scale } }
        let target = loaded.configuration.targets[metric.rawValue].flatMap { metric.better == .neither ? nil : $0 }
        let months = rows.map { YearMonth($0.period).map(monthLabel) ?? $0.period }
        var title = metric.title
        if let t = target, let v = values.last.flatMap({ $0 }) {
            let met = metric.better == .lower ? v <= t : v >= t
            title += met ? " is on target" : " is off target"
        }
        return LineChart(ChartText(title, subtitle: metric.definition,
                                   footnote: "\(loaded.configuration.company ?? "ARLens") · \(r.periods.first?.label ?? "") to \(r.periods.last?.label ?? "") · \(loaded.base)"),
                         categories: months, series: [Series(metric.title, values)], format: format(metric, loaded.base),
                         target: target, includeZero: metric.kind == .money || metric.kind == .count)
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    /// "Oct 26".
    static func monthLabel(_ m: YearMonth) -> String { monthNames[m.month - 1] + " " + String(format: "%02d", m.year % 100) }
}
