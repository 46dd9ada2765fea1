import ARAnalytics
import ARModel
import ChartKit
import Foundation

extension PackBuilder {
    // MARK: collections and team

    /// The worklist at the month-end summarised by next action, the accounts to chase first,
    /// and each collector's month: collected, CEI, ADD, work logged, promises kept, escalations.
    func collectionsSection() -> PackSection? {
        let w = analysis.worklist, team = analysis.team
        guard !w.rows.isEmpty || team.contains(where: { $0.collections > 0 }) else { return nil }
        let steps = w.byAction(config.dunning)
        func label(_ a: String) -> String { a.replacingOccurrences(of: "_", with: " ") }
        var charts: [PackChart] = []
        if !steps.isEmpty {
            charts.append(PackChart(id: "collections-ladder", chart: BarChart(
                ChartText("How far up the dunning ladder is the overdue?",
                          subtitle: "Overdue not in dispute at \(month.lastDay) by the next action due, \(currency)"),
                categories: steps.map { label($0.action) }, series: [Series("Overdue", steps.map { Double($0.overdue) / major })],
                format: money, totals: true, namedCategories: true), size: Size(800, 360), alt: "Overdue by next dunning action"))
        }
        let named = team.filter { $0.collector != Grouping.none }
        if !named.isEmpty {
            charts.append(PackChart(id: "collections-team", chart: BarChart(
                ChartText("What did each collector bring in?", subtitle: "Cash collected in \(Letters.months[month.month - 1]) \(month.year) from each collector's accounts, \(currency)"),
                categories: named.map(\.collector), series: [Series("Collected", named.map { Double($0.collections) / major })],
                format: money, totals: true, namedCategories: true), size: Size(800, 360), alt: "Collections per collector"))
        }
        let ladder = ReportTable(id: "worklist_by_action", title: "Worklist by next action",
            columns: [.init("Next action"), .init("Accounts", .count), .init("Overdue", .money)],
            rows: steps.map { [.text(label($0.action)), .number(Double($0.accounts)), .money($0.overdue)] })
        let ids = l.customers.ids
        var top = ReportTable(id: "worklist", title: "Accounts to chase first (the top 25)",
            columns: [.init("#", .count), .init("Customer"), .init("Name"), .init("Collector"), .init("Overdue", .money),
                      .init("Days past due", .count), .init("Risk", .number(decimals: 0)), .init("Next action"), .init("Why")],
            rows: w.rows.prefix(25).enumerated().map { k, r in
                [.number(Double(k + 1)), .text(ids[Int32(r.customer)]), .text(l.customers.name[r.customer]),
                 .text(l.customers.symbol(l.customers.collector[r.customer]) ?? ""), .money(r.overdue), .number(Double(r.maxDaysPastDue)),
                 .number(r.risk), .text(label(r.nextAction)), .text(r.reasons.prefix(2).joined(separator: "; "))]
            })
        top.rowKeys = w.rows.prefix(25).map { ids[Int32($0.customer)] }
        var topTen = top
        topTen.id = "worklist_top"
        topTen.title = "Accounts to chase first (the top 10; the appendix has 25)"
        topTen.rows = Array(top.rows.prefix(10))
        topTen.rowKeys = Array(top.rowKeys!.prefix(10))
        topTen.columns[topTen.columns.count - 1].name = "Why"
        let perCollector = ReportTable(id: "team", title: "Team performance, \(Letters.months[month.month - 1]) \(month.year)",
            columns: [.init("Collector"), .init("Accounts", .count), .init("Overdue", .money), .init("Collected", .money),
                      .init("Collection effectiveness", .percent), .init("Average days delinquent", .days), .init("Activities", .count), .init("Promises made", .count),
                      .init("Promises kept", .percent), .init("Escalated", .count)],
            rows: team.map { c in
                [.text(c.collector), .number(Double(c.accounts)), .money(c.overdue), .money(c.collections),
                 c.cei.map { .number($0) } ?? .empty, c.add.map { .number($0) } ?? .empty, .number(Double(c.activities)),
                 .number(Double(c.promisesMade)), c.promiseKeptRate.map { .number($0) } ?? .empty, .number(Double(c.escalated))]
            })
        let eff = analysis.dunning
        let effectiveness = ReportTable(id: "collection_steps", title: "What each collection step brings in (steps of the last 12 months)",
            columns: [.init("Step"), .init("Steps taken", .count), .init("Paid within 7 days", .percent), .init("Within 14", .percent),
                      .init("Within 30", .percent), .init("Cash it brought in", .money)],
            rows: eff.lines.map { x in
                [.text(x.step), .number(Double(x.count)), .number(x.share(x.paid7)), .number(x.share(x.paid14)), .number(x.share(x.paid30)), .money(x.recovered)]
            })
        let overdue = w.rows.reduce(Int64(0)) { $0 + $1.overdue }
        let promised = w.skipped.filter { $0.reason.hasPrefix("promise") }.count
        let disputed = w.skipped.filter { $0.reason.contains("dispute") }.count
        let due = team.reduce(0) { $0 + $1.promisesDue }, kept = team.reduce(0) { $0 + $1.promisesKept }
        var paragraphs = ["\(w.rows.count) accounts to chase at \(month.lastDay) with \(money.label(Double(overdue) / major)) overdue; "
            + "\(promised) more are held on a promise to pay not yet due and \(disputed) because everything overdue is in dispute."]
        if due > 0 { paragraphs.append("Customers kept \(kept) of the \(due) promises to pay that fell due in \(Letters.months[month.month - 1]) (\(Int((Double(kept) / Double(due) * 100).rounded()))%).") }
        return PackSection(id: "collections", title: "Collections and team",
                           lead: "Who to chase and what to send next, following the company's collection steps, and how each collector's month went.",
                           charts: charts, tables: [ladder, topTen, top, perCollector], paragraphs: paragraphs,
                           appendixTables: eff.lines.isEmpty ? [] : [effectiveness])
    }
}
