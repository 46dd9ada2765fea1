import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// Disputes and billing quality: rates, days, reasons.
extension PackBuilder {
    func disputesSection() -> PackSection? {
        let hasDisputes = l.disputes.count > 0 || l.invoices.disputed.contains(true)
        let hasQuality = s.values[.processing_days]!.contains { $0 != nil } || s.values[.billing_error_rate]!.contains { ($0 ?? 0) > 0 }
        guard hasDisputes || hasQuality else { return nil }
        let months = s.months.map(TrendCharts.monthLabel)
        var charts: [PackChart] = []
        charts.append(PackChart(id: "quality-rates", chart: LineChart(
            ChartText("Are we billing right the first time?", subtitle: "Disputes opened and billing-error credit memos per 100 invoices issued"),
            categories: months, series: [Series("Dispute rate", s.values[.dispute_rate]!), Series("Billing-error rate", s.values[.billing_error_rate]!)],
            format: .percent, target: nil, includeZero: true), size: Size(800, 380), alt: "Dispute and billing-error rates"))
        charts.append(PackChart(id: "quality-days", chart: LineChart(
            ChartText("How fast do we invoice and resolve disputes?", subtitle: "Days from issue to sending an invoice, and from opening to resolving a dispute"),
            categories: months, series: [Series("Days to resolve a dispute", s.values[.dispute_days]!), Series("Invoice processing days", s.values[.processing_days]!)],
            format: .days, target: nil, includeZero: true), size: Size(800, 380), alt: "Dispute and processing days"))
        var tables: [ReportTable] = []
        if hasDisputes {
            let sorted = analysis.disputeReasons
            if !sorted.isEmpty {
                charts.append(PackChart(id: "quality-dispute-reasons", chart: BarChart(
                    ChartText("Why do customers dispute?", subtitle: "Disputes opened in the last 12 months by reason"),
                    categories: sorted.map(\.reason), series: [Series("Disputes", sorted.map { Double($0.count) })], format: .count,
                    namedCategories: true), size: Size(800, 380), alt: "Disputes by reason"))
                tables.append(ReportTable(id: "dispute_reasons", title: "Disputes opened in the last 12 months by reason",
                                          columns: [.init("Reason"), .init("Disputes", .count), .init("Amount disputed", .money)],
                                          rows: sorted.map { [.text($0.reason), .number(Double($0.count)), .money($0.amount)] }))
            }
        }
        let shown: [KPI] = [.dispute_rate, .dispute_days, .open_disputes, .billing_error_rate, .processing_days]
        let qualityRows: [[ReportTable.Cell]] = s.lastIndices(12).map { i in
            [.text(s.months[i].description)] + shown.map { k in s.values[k]![i].map { .number($0) } ?? .empty }
        }
        var quality = ReportTable(id: "billing_quality", title: "Disputes and billing quality, last 12 months",
                                  columns: [.init("Month")] + shown.map { .init($0.title, kind($0)) }, rows: qualityRows)
        quality.data = (columns: [.init("Month")] + shown.map { .init($0.rawValue, kind($0)) }, rows: qualityRows)
        return PackSection(id: "disputes", title: "Disputes and billing quality",
                           lead: "How often invoices are disputed or corrected, why, and how long it takes to bill and to settle a dispute.",
                           charts: charts, tables: tables, appendixTables: [quality])
    }
}
