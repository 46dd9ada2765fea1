import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// KPI trends: two years of the measures that run the department, against their targets.
extension PackBuilder {
    func trendsSection() -> PackSection {
        let months = s.months.map(TrendCharts.monthLabel)
        func line(_ id: String, _ title: String, _ subtitle: String, _ ks: [KPI], target: Double? = nil, extra: [Series] = [],
                  includeZero: Bool = false) -> PackChart {
            let chart = LineChart(ChartText(title, subtitle: subtitle), categories: months,
                                  series: ks.map { Series($0.title, s.values[$0]!.map { v in v.map { $0 / ($0.isNaN ? 1 : 1) } }) } + extra,
                                  format: fmt(ks[0]), target: target, includeZero: includeZero)
            return PackChart(id: id, chart: chart, size: Size(800, 380), alt: title)
        }
        var charts: [PackChart] = []
        charts.append(line("trend-dso", s.now(.dso).map { d in config.target(.dso).map { d <= $0 ? "DSO is within target" : "Is DSO coming down?" } ?? "Is DSO coming down?" } ?? "DSO",
                           "DSO, best possible DSO and average days delinquent (\(config.dsoWindowMonths)-month window)",
                           [.dso, .bpdso, .add], target: config.target(.dso), includeZero: true))
        charts.append(line("trend-cei", "Are we collecting what we could?", "Collection effectiveness index, % (100 = everything collectable collected)",
                           [.cei], target: config.target(.cei)))
        // Open invoices against the target path (e.g. −10% a month from a year ago).
        var extra: [Series] = []
        if let t = config.target(.open_invoices_change), let startIndex = s.values[.open_invoices]!.firstIndex(where: { $0 != nil }) {
            let yearAgo = s.lastIndices(12).lowerBound
            let start = s.values[.open_invoices]![max(startIndex, yearAgo)] ?? s.values[.open_invoices]![startIndex]!
            extra.append(Series("Target path (\(ValueFormat.trim(t, maxDecimals: 1))% a month)", s.months.indices.map { k in
                k < yearAgo ? nil : start * pow(1 + t / 100, Double(k - yearAgo))
            }))
        }
        charts.append(line("trend-open-invoices", "Are open invoices falling?", "Receivable documents open at each month-end",
                           [.open_invoices], extra: extra, includeZero: true))
        charts.append(line("trend-days-to-pay", "How long do customers take to pay?", "Days from issue to payment and days past due, over invoices paid each month",
                           [.days_to_pay, .days_to_pay_weighted, .days_late], target: nil, includeZero: true))
        charts.append(line("trend-on-time", "How many invoices are paid on time?", "Share of invoices paid each month by their due date, %",
                           [.on_time_rate], target: config.target(.on_time_rate)))
        let shown: [KPI] = [.ar, .billings, .collections, .dso, .bpdso, .add, .cei, .pct_over_90, .days_to_pay, .on_time_rate, .open_invoices]
        let rows: [[ReportTable.Cell]] = s.lastIndices(12).map { i in
            [.text(s.months[i].description)] + shown.map { k -> ReportTable.Cell in
                guard let v = s.values[k]![i] else { return .empty }
                return k.kind == .money ? .money(Int64(v.rounded())) : .number(v)
            }
        }
        var table = ReportTable(id: "kpi_trends", title: "KPI trends, last 12 months",
                                columns: [.init("Month")] + shown.map { .init($0.title, kind($0)) }, rows: rows)
        // As data the columns keep the metric codes of arlens kpi.
        table.data = (columns: [.init("Month")] + shown.map { .init($0.rawValue, kind($0)) }, rows: rows)
        return PackSection(id: "trends", title: "KPI trends",
                           lead: "Two years of the measures that run the department, against their targets.",
                           charts: charts, appendixTables: [table])
    }
}
