import ARAnalytics
import ARModel
import ChartKit

extension PackBuilder {
    // MARK: collections and team

    /// The worklist at the month-end summarised by next action, the accounts to chase first,
    /// and each collector's month: collected, CEI, ADD, work logged, promises kept, escalations.
    func collectionsSection(_ book: AccountBook, _ scores: [CreditScore]) -> PackSection? {
        let w = Worklist(book, scores: scores, ladder: config.dunning)
        let team = TeamPerformance.compute(book, worklist: w, configuration: config)
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
        let top = ReportTable(id: "worklist", title: "Accounts to chase first (top 25; arlens worklist lists them all)",
            columns: [.init("#", .count), .init("Customer"), .init("Name"), .init("Collector"), .init("Overdue", .money),
                      .init("Days past due", .count), .init("Risk", .number(decimals: 0)), .init("Next action"), .init("Why")],
            rows: w.rows.prefix(25).enumerated().map { k, r in
                [.number(Double(k + 1)), .text(ids[Int32(r.customer)]), .text(l.customers.name[r.customer]),
                 .text(l.customers.symbol(l.customers.collector[r.customer]) ?? ""), .money(r.overdue), .number(Double(r.maxDaysPastDue)),
                 .number(r.risk), .text(label(r.nextAction)), .text(r.reasons.prefix(2).joined(separator: "; "))]
            })
        let perCollector = ReportTable(id: "team", title: "Team performance, \(Letters.months[month.month - 1]) \(month.year)",
            columns: [.init("Collector"), .init("Accounts", .count), .init("Overdue", .money), .init("Collected", .money),
                      .init("CEI", .percent), .init("ADD", .days), .init("Activities", .count), .init("Promises made", .count),
                      .init("Promises kept", .percent), .init("Escalated", .count)],
            rows: team.map { c in
                [.text(c.collector), .number(Double(c.accounts)), .money(c.overdue), .money(c.collections),
                 c.cei.map { .number($0) } ?? .empty, c.add.map { .number($0) } ?? .empty, .number(Double(c.activities)),
                 .number(Double(c.promisesMade)), c.promiseKeptRate.map { .number($0) } ?? .empty, .number(Double(c.escalated))]
            })
        let eff = DunningEffectiveness(t, asOf: month.lastDay)
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
                           lead: "Who to chase and what to send next, from the dunning ladder in arlens.yml, and how each collector's month went.",
                           charts: charts, tables: [ladder, top, perCollector] + (eff.lines.isEmpty ? [] : [effectiveness]), paragraphs: paragraphs)
    }

    // MARK: credit

    /// Over-limit customers, the riskiest accounts by score with the reasons, and the credit
    /// reviews missing or overdue.
    func creditSection(_ book: AccountBook) -> PackSection? {
        let lines = CreditRisk.lines(book, reviewMonths: config.creditReviewMonths)
        guard lines.contains(where: { $0.balance != 0 }) else { return nil }
        let ids = l.customers.ids
        func id(_ c: CreditLine) -> ReportTable.Cell { .text(ids[Int32(c.score.customer)]) }
        func name(_ c: CreditLine) -> ReportTable.Cell { .text(l.customers.name[c.score.customer]) }
        let risky = lines.filter { $0.score.score >= 30 }
        let over = lines.filter(\.overLimit).sorted { ($0.utilisation ?? 0) > ($1.utilisation ?? 0) }
        let unreviewed = lines.filter { $0.isNew && $0.review == "never_reviewed" }
        let overdueReviews = lines.filter { $0.review == "overdue" && $0.balance > 0 }
        var charts: [PackChart] = []
        let top = Array(lines.prefix(12)).filter { $0.score.score > 0 }
        if !top.isEmpty {
            charts.append(PackChart(id: "credit-risk", chart: BarChart(
                ChartText("Which accounts carry the most risk?", subtitle: "Risk score (0–100) at \(month.lastDay): payment behaviour, aging, disputes, limit use, trend"),
                categories: top.map { ids[Int32($0.score.customer)] }, series: [Series("Risk score", top.map { $0.score.score })],
                format: .plain, totals: true, namedCategories: true), size: Size(800, 360), alt: "Riskiest accounts by score"))
        }
        let riskTable = ReportTable(id: "credit_risk", title: "Riskiest accounts (score 30 or more, top 25; arlens credit lists them all)",
            columns: [.init("Customer"), .init("Name"), .init("Score", .number(decimals: 1)), .init("Band"), .init("Balance", .money), .init("Why")],
            rows: risky.prefix(25).map { [id($0), name($0), .number($0.score.score), .text($0.score.band), .money($0.balance), .text($0.score.reasons.joined(separator: "; "))] })
        let overTable = ReportTable(id: "credit_over_limit", title: "Customers over their credit limit",
            columns: [.init("Customer"), .init("Name"), .init("Balance", .money), .init("Limit", .money), .init("Used", .percent), .init("Last review", .date)],
            rows: over.map { [id($0), name($0), .money($0.balance), $0.limit.map { .money($0) } ?? .empty,
                              $0.utilisation.map { .number($0 * 100) } ?? .empty, $0.lastReview.map { .date($0) } ?? .empty] })
        let reviewTable = ReportTable(id: "credit_reviews", title: "Credit reviews missing or overdue (policy: every \(config.creditReviewMonths) months)",
            columns: [.init("Customer"), .init("Name"), .init("Status"), .init("Customer since", .date), .init("Last review", .date), .init("Balance", .money)],
            rows: (unreviewed + overdueReviews).map { c in
                [id(c), name(c), .text(c.isNew && c.review == "never_reviewed" ? "new, never reviewed" : "review overdue"),
                 l.customers.createdDate[c.score.customer].map { .date($0) } ?? .empty, c.lastReview.map { .date($0) } ?? .empty, .money(c.balance)]
            })
        let high = lines.filter { $0.score.band == "high" }.count
        return PackSection(id: "credit", title: "Credit",
                           lead: "Risk scores with their reasons, customers over their limit, and new or long-unreviewed accounts. Scores weigh payment behaviour (30), aging (25), limit use (20), trend (15) and disputes (10).",
                           charts: charts, tables: [overTable, riskTable, reviewTable],
                           paragraphs: ["\(over.count) customers over their credit limit, \(high) high-risk accounts (score 60 or more), \(unreviewed.count) new customers without a credit review and \(overdueReviews.count) reviews overdue."])
    }
}

extension PackBuilder {
    // MARK: GL reconciliation

    /// The sub-ledger against the GL control account at each month-end of the last 12 months
    /// the GL file gives, with what explains each difference.
    func glSection() -> PackSection? {
        let from = month.advanced(by: -11).firstDay, to = month.lastDay
        let rows = gl.filter { $0.date >= from && $0.date <= to }
        guard !rows.isEmpty else { return nil }
        let lines = GLReconciliation.reconcile(t, gl: rows)
        let table = ReportTable(id: "gl_reconciliation", title: "AR control account against the sub-ledger",
            columns: [.init("Date", .date), .init("GL", .money), .init("Sub-ledger", .money), .init("Difference", .money), .init("Explained by")],
            rows: lines.map { [.date($0.date), .money($0.gl), .money($0.subledger), .money($0.difference),
                               .text($0.difference == 0 ? "" : $0.explanations.first ?? "not found: investigate")] })
        let open = lines.filter { $0.difference != 0 }
        return PackSection(id: "gl", title: "GL reconciliation",
                           lead: "The AR sub-ledger against the general ledger's AR control account at each date of the GL file, and the documents that explain a difference when they can be found.",
                           tables: [table],
                           paragraphs: ["\(lines.count) dates reconciled: \(lines.count - open.count) agree to the cent, \(open.count - open.filter { $0.explanations.isEmpty }.count) differ for a reason found, \(open.filter { $0.explanations.isEmpty }.count) unexplained."])
    }
}
