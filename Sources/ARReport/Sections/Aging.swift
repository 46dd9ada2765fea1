import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// Aging: twelve month-ends of buckets, who holds the overdue balance, the table at the month-end.
extension PackBuilder {
    func agingSection() -> PackSection {
        let a = analysis.aging
        let last12 = s.lastMonths(12)
        let labels = Aging.labels(config.agingBuckets, basis: .due)
        var series: [Series] = []
        for b in labels.indices {
            series.append(Series(labels[b] == "current" ? "Current" : labels[b], analysis.agingHistory.map { buckets in
                buckets.isEmpty ? nil : Double(buckets[b]) / major
            }))
        }
        let stacked = BarChart(ChartText("Is the overdue tail growing?", subtitle: "Gross AR by days past due at each month-end, \(currency)"),
                               categories: last12.map(PackBuilder.monthLabel), series: series, format: money, mode: .stacked, totals: true)
        let overdue = PackBuilder.overdueByCustomer(a)
        let top = Array(overdue.prefix(15))
        let pareto = ParetoChart(ChartText("Who holds the overdue balance?", subtitle: "Overdue AR by customer at \(month.lastDay), the largest \(top.count), with their cumulative share"),
                                 categories: top.map { customerName($0.0) }, values: top.map { Double($0.1) / major }, format: money)
        // The current aging, largest balances first.
        let rows = a.rows.sorted { $0.total != $1.total ? $0.total > $1.total : $0.group < $1.group }
        var cells: [[ReportTable.Cell]] = rows.map { r in
            [.text(r.group), .text(customerName(r.group))] + r.buckets.map { .money($0) } + [.money(r.unapplied), .money(r.total)]
        }
        cells.append([.text("Total"), .text("")] + a.total.buckets.map { .money($0) } + [.money(a.total.unapplied), .money(a.total.total)])
        var table = ReportTable(id: "aging", title: "Aging at \(a.asOf) by customer",
                                columns: [.init("Customer"), .init("Name")] + labels.map { .init($0, .money) } + [.init("Unapplied", .money), .init("Total", .money)],
                                rows: cells, note: "Buckets + unapplied = net AR for every customer and the total.")
        table.emphasized = [cells.count - 1]
        return PackSection(id: "aging", title: "Aging",
                           lead: "How old the receivables are, how that changed over the year, and who holds the overdue balance.",
                           charts: [PackChart(id: "aging-history", chart: stacked, size: Size(800, 420), alt: "Aging buckets at each month-end"),
                                    PackChart(id: "aging-top-overdue", chart: pareto, size: Size(800, 420), alt: "Top overdue customers")],
                           tables: [table])
    }
}
