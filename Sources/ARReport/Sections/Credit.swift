import ARAnalytics
import ARModel
import ChartKit
import Foundation

extension PackBuilder {
    // MARK: credit

    /// Over-limit customers, the riskiest accounts by score with the reasons, and the credit
    /// reviews missing or overdue.
    func creditSection() -> PackSection? {
        let lines = analysis.creditLines
        let provision = provisionTables()
        guard lines.contains(where: { $0.balance != 0 }) else {
            return PackSection(id: "credit", title: "Credit and provision", lead: "The expected credit loss on receivables.",
                               tables: provision.tables, paragraphs: provision.paragraphs, notes: provision.notes)
        }
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
        var riskTable = ReportTable(id: "credit_risk", title: "Riskiest accounts (score 30 or more, the top 25)",
            columns: [.init("Customer"), .init("Name"), .init("Score", .number(decimals: 1)), .init("Band"), .init("Balance", .money), .init("Why")],
            rows: risky.prefix(25).map { [id($0), name($0), .number($0.score.score), .text($0.score.band), .money($0.balance), .text($0.score.reasons.joined(separator: "; "))] })
        var overTable = ReportTable(id: "credit_over_limit", title: over.count > 5 ? "Customers over their credit limit (the 5 most over; the appendix has all \(over.count))" : "Customers over their credit limit",
            columns: [.init("Customer"), .init("Name"), .init("Balance", .money), .init("Limit", .money), .init("Used", .percent), .init("Last review", .date)],
            rows: over.prefix(5).map { [id($0), name($0), .money($0.balance), $0.limit.map { .money($0) } ?? .empty,
                              $0.utilisation.map { .number($0 * 100) } ?? .empty, $0.lastReview.map { .date($0) } ?? .empty] })
        var reviewTable = ReportTable(id: "credit_reviews", title: "Credit reviews missing or overdue (policy: every \(config.creditReviewMonths) months)",
            columns: [.init("Customer"), .init("Name"), .init("Status"), .init("Customer since", .date), .init("Last review", .date), .init("Balance", .money)],
            rows: (unreviewed + overdueReviews).map { c in
                [id(c), name(c), .text(c.isNew && c.review == "never_reviewed" ? "new, never reviewed" : "review overdue"),
                 l.customers.createdDate[c.score.customer].map { .date($0) } ?? .empty, c.lastReview.map { .date($0) } ?? .empty, .money(c.balance)]
            })
        let high = lines.filter { $0.score.band == "high" }.count
        riskTable.rowKeys = risky.prefix(25).map { ids[Int32($0.score.customer)] }
        reviewTable.rowKeys = (unreviewed + overdueReviews).map { ids[Int32($0.score.customer)] }
        overTable.rowKeys = over.prefix(5).map { ids[Int32($0.score.customer)] }
        var appendix = [riskTable, reviewTable]
        if over.count > 5 {
            var all = overTable
            all.id = "credit_over_limit_all"
            all.title = "Customers over their credit limit"
            all.rowKeys = over.map { ids[Int32($0.score.customer)] }
            all.rows = over.map { [id($0), name($0), .money($0.balance), $0.limit.map { .money($0) } ?? .empty,
                                   $0.utilisation.map { .number($0 * 100) } ?? .empty, $0.lastReview.map { .date($0) } ?? .empty] }
            appendix.append(all)
        }
        return PackSection(id: "credit", title: "Credit and provision",
                           lead: "The expected credit loss on receivables and how it moved, the riskiest accounts, and customers over their limit. Risk scores weigh payment behaviour (30), aging (25), limit use (20), trend (15) and disputes (10).",
                           charts: charts, tables: provision.tables + [overTable],
                           paragraphs: provision.paragraphs + ["\(over.count) customers over their credit limit, \(high) high-risk accounts (score 60 or more), \(unreviewed.count) new customers without a credit review and \(overdueReviews.count) reviews overdue."],
                           appendixTables: appendix, notes: provision.notes)
    }
}
