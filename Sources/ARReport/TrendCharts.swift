import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// KPI results as charts: one metric's monthly trend with its target line.
public enum TrendCharts {
    public static func format(_ k: KPI, _ base: Currency) -> ValueFormat {
        switch k.kind {
        case .money: return .money(symbol: ValueFormat.symbol(forCurrency: base.code))
        case .percent: return .percent
        case .days: return .days
        case .count: return .count
        case .ratio: return .ratio
        }
    }

    public static func line(_ metric: KPI, _ r: KPIResult, configuration: Configuration, base: Currency) -> LineChart {
        let rows = r.rows.filter { $0.metric == metric }
        let scale = metric.kind == .money ? Double(base.minorPerMajor) : 1
        let values = rows.map { $0.value.double.map { $0 / scale } }
        let target = configuration.target(metric).flatMap { metric.better == .neither ? nil : $0 }
        let months = rows.map { YearMonth($0.period).map(monthLabel) ?? $0.period }
        var title = metric.title
        if let t = target, let v = values.last.flatMap({ $0 }) {
            let met = metric.better == .lower ? v <= t : v >= t
            title += met ? " is on target" : " is off target"
        }
        return LineChart(ChartText(title, subtitle: metric.definition,
                                   footnote: "\(configuration.company ?? "ARLens") · \(r.periods.first?.label ?? "") to \(r.periods.last?.label ?? "") · \(base)"),
                         categories: months, series: [Series(metric.title, values)], format: format(metric, base),
                         target: target, includeZero: metric.kind == .money || metric.kind == .count)
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    /// "Oct 26".
    public static func monthLabel(_ m: YearMonth) -> String { monthNames[m.month - 1] + " " + String(format: "%02d", m.year % 100) }
}
