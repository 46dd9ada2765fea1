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
        let top = Array(overdue.prefix(10))
        let pareto = ParetoChart(ChartText("Who holds the overdue balance?", subtitle: "Overdue AR by customer at \(month.lastDay), the largest \(top.count), with their cumulative share"),
                                 categories: top.map { customerName($0.0) }, values: top.map { Double($0.1) / major }, format: money)
        // The summary first: each bucket's amount, its share, and how it moved.
        let gross = a.total.buckets.reduce(0, +)
        let prev = analysis.previousAging.total
        let yearAgo = analysis.yearAgoBuckets
        let prevLabel = PackBuilder.monthLabel(month.advanced(by: -1)), yearLabel = PackBuilder.monthLabel(month.advanced(by: -12))
        func share(_ v: Int64) -> ReportTable.Cell { gross == 0 ? .empty : .number(Double(v) / Double(gross) * 100) }
        var summaryRows: [[ReportTable.Cell]] = []
        for b in labels.indices {
            summaryRows.append([.text(PackBuilder.bucketWords(labels[b])), .money(a.total.buckets[b]), share(a.total.buckets[b]),
                                .money(a.total.buckets[b] - prev.buckets[b]),
                                yearAgo.isEmpty ? .empty : .money(a.total.buckets[b] - yearAgo[b])])
        }
        let prevGross = prev.buckets.reduce(0, +), yearGross = yearAgo.reduce(0, +)
        summaryRows.append([.text("Gross AR"), .money(gross), share(gross), .money(gross - prevGross), yearAgo.isEmpty ? .empty : .money(gross - yearGross)])
        let yearNet = s.lastYear(.ar).map { Int64($0.rounded()) }
        summaryRows.append([.text("Unapplied cash and unallocated credits"), .money(a.total.unapplied), .empty,
                            .money(a.total.unapplied - prev.unapplied), yearNet.map { .money(a.total.unapplied - ($0 - yearGross)) } ?? .empty])
        summaryRows.append([.text("Net AR"), .money(a.total.total), .empty, .money(a.total.total - prev.total),
                            yearNet.map { .money(a.total.total - $0) } ?? .empty])
        var summary = ReportTable(id: "aging_summary", title: "Aging at \(a.asOf)",
                                  columns: [.init("Days past due"), .init("Amount", .money), .init("Share of gross AR", .percent),
                                            .init("Change since \(prevLabel)", .money), .init("Change since \(yearLabel)", .money)],
                                  rows: summaryRows,
                                  note: yearAgo.isEmpty ? "The ledger does not reach back to the same month last year." : nil)
        summary.emphasized = [labels.count, labels.count + 2]
        // The customers who hold the overdue balance, with how old it is.
        let byCustomer = Dictionary(uniqueKeysWithValues: a.rows.map { ($0.group, $0) })
        let topTen = overdue.prefix(10)
        let overdueTotal = overdue.reduce(Int64(0)) { $0 + $1.1 }
        var topRows: [[ReportTable.Cell]] = topTen.map { id, amount in
            let r = byCustomer[id]!
            return [.text(customerName(id)), .money(amount), overdueTotal == 0 ? .empty : .number(Double(amount) / Double(overdueTotal) * 100)]
                + r.buckets.dropFirst().map { .money($0) } + [.money(r.total)]
        }
        if overdue.count > topTen.count {
            let rest = overdue.dropFirst(topTen.count)
            var buckets = [Int64](repeating: 0, count: labels.count - 1)
            var total: Int64 = 0
            for (id, _) in rest {
                let r = byCustomer[id]!
                for k in buckets.indices { buckets[k] += r.buckets[k + 1] }
                total += r.total
            }
            let amount = rest.reduce(Int64(0)) { $0 + $1.1 }
            topRows.append([.text("\(rest.count) other customers"), .money(amount), overdueTotal == 0 ? .empty : .number(Double(amount) / Double(overdueTotal) * 100)]
                           + buckets.map { .money($0) } + [.money(total)])
        }
        var topTable = ReportTable(id: "aging_top_overdue", title: "Customers with the most overdue",
                                   columns: [.init("Customer"), .init("Overdue", .money), .init("Share of overdue", .percent)]
                                    + labels.dropFirst().map { .init($0 + " days", .money) } + [.init("Total AR", .money)],
                                   rows: topRows)
        topTable.data = (columns: [.init("Customer"), .init("Name"), .init("Overdue", .money), .init("Share of overdue", .percent)]
                            + labels.dropFirst().map { .init($0, .money) } + [.init("Total AR", .money)],
                         rows: topTen.map { id, amount in
                             let r = byCustomer[id]!
                             return [.text(id), .text(customerName(id)), .money(amount),
                                     overdueTotal == 0 ? .empty : .number(Double(amount) / Double(overdueTotal) * 100)]
                                 + r.buckets.dropFirst().map { .money($0) } + [.money(r.total)]
                         })
        // The full listing, largest balances first: the appendix, the CSV and the workbook.
        let rows = a.rows.sorted { $0.total != $1.total ? $0.total > $1.total : $0.group < $1.group }
        var cells: [[ReportTable.Cell]] = rows.map { r in
            [.text(r.group), .text(customerName(r.group))] + r.buckets.map { .money($0) } + [.money(r.unapplied), .money(r.total)]
        }
        cells.append([.text("Total"), .text("")] + a.total.buckets.map { .money($0) } + [.money(a.total.unapplied), .money(a.total.total)])
        var table = ReportTable(id: "aging", title: "Aging at \(a.asOf) by customer",
                                columns: [.init("Customer"), .init("Name")] + labels.map { .init($0, .money) } + [.init("Unapplied", .money), .init("Total", .money)],
                                rows: cells, note: "Buckets + unapplied = net AR for every customer and the total.")
        table.emphasized = [cells.count - 1]
        table.rowKeys = rows.map { $0.group } + [nil]
        topTable.rowKeys = topTen.map { $0.0 } + (overdue.count > topTen.count ? [nil] : [])
        return PackSection(id: "aging", title: "Aging",
                           lead: "How old the receivables are, how that changed since last month and last year, and who holds the overdue balance.",
                           charts: [PackChart(id: "aging-history", chart: stacked, size: Size(800, 420), alt: "Aging buckets at each month-end"),
                                    PackChart(id: "aging-top-overdue", chart: pareto, size: Size(800, 420), alt: "Top overdue customers")],
                           tables: [summary, topTable], appendixTables: [table], tablesFirst: 1)
    }
}

extension PackBuilder {
    /// A bucket label as people read it: "current" -> "Not yet due", "1-30" -> "1 to 30 days".
    static func bucketWords(_ label: String) -> String {
        if label == "current" { return "Not yet due" }
        if label.hasSuffix("+") { return "Over \(Int(label.dropLast()).map { String($0 - 1) } ?? String(label.dropLast())) days" }
        return label.replacingOccurrences(of: "-", with: " to ") + " days"
    }
}
