import ARAnalytics
import ARModel
import AROutput
import ARReport
import ChartKit
import Foundation

extension CollectionsDesk {
    /// One account: profile, credit, next step, open items summing to its aging line, history
    /// (the table shows the newest `historyLimit` events; 0: all).
    public func account(_ id: String, historyLimit: Int = 40) throws -> AccountView {
        let c = try workspace.customerIndex(id)
        let aging = Aging.compute(workspace.timeline, asOf: book.asOf, basis: .due, edges: configuration.agingBuckets, by: .customer, detail: true)
        let row = aging.rows.first { $0.group == id }
        let items = aging.items.filter { $0.customer == id }
        let balance = row?.total ?? 0
        guard items.reduce(0, { $0 + $1.amount }) == balance, balance == book.balance[c] else {
            throw ARLensError.invariant("\(id)'s open items do not sum to its aging line")
        }
        let credit = CreditRisk.lines(book, reviewMonths: configuration.creditReviewMonths, scores: scores).first { $0.score.customer == c }!
        let w = worklist()
        return AccountView(desk: self, customer: c, id: id, items: items, balance: balance, history: CustomerHistory(book, customer: c),
                           credit: credit, next: w.rows.first { $0.customer == c }, held: w.skipped.first { $0.customer == c },
                           historyLimit: historyLimit > 0 ? historyLimit : nil)
    }

    /// The statement of account for one customer, from `from` (default: the first day of the
    /// as-of month) to the as-of date.
    /// Writes it to `out` (default: output/statement-<id>.pdf) after saying the letter
    /// warnings through the workspace, and returns the line that tells what was written.
    public func statement(_ id: String, from: Day?, out: String?, templates: String?, canvas: any Canvas) throws -> String {
        for w in try letterWarnings(forID: id) { workspace.warn(w) }
        let to = LetterOutput(path: out ?? "output/statement-\(AtomicFile.outputName(for: id)).pdf", flag: "--out", templates: templates, canvas: canvas)
        let t = try to.templates(workspace, "statements")
        let (s, letter) = try statement(id, from: from, templates: t)
        try writeLetter(letter, templates: t, canvas: canvas, to: to.path, flag: to.flag)
        let m = { (v: Int64) in Money.decimalString(v, digits: s.currency.minorDigits, grouping: ",") }
        return "statement for \(id), \(s.from) to \(s.to): opening \(m(s.opening)), \(s.lines.count) transactions, closing \(m(s.closing)) \(s.currency.code) -> \(to.path)"
    }

    func statement(_ id: String, from: Day?, templates: LetterTemplates) throws -> (Statement, Letter) {
        let start = try statementStart(from)
        let c = try workspace.customerIndex(id)
        let s: Statement
        do { s = try Statement(book, customer: c, from: start, edges: configuration.agingBuckets) } catch let p as Statement.Problem {
            throw ARLensError.input("\(p)")
        }
        return (s, s.letter(book, configuration: configuration, templates: templates))
    }

    func statementStart(_ from: Day?) throws -> Day {
        let start = from ?? book.asOf.yearMonth.firstDay
        guard start <= book.asOf else { throw ARLensError.input("--from \(start) is after the statement date \(book.asOf)") }
        return start
    }

    /// A statement for every account with a balance, as HTML and PDF in `directory`, rendered
    /// and written 500 at a time so memory stays flat however many accounts there are.
    /// `templates`: the statement templates folder (nil: arlens.yml's, else the installed ones).
    public func statements(from: Day?, templates folder: String?, canvas: any Canvas, to directory: String,
                           progress: ProgressReporter = { _, _ in }) throws -> StatementsRun {
        let templates = try LetterTemplates(directory: workspace.templates("statements", override: folder))
        let start = try statementStart(from)
        let edges = configuration.agingBuckets
        var skipped: [String] = []
        let accounts = (0..<ledger.customers.count).filter { book.balance[$0] != 0 }
        let warnings = try letterWarnings(for: accounts)
        var written = 0, files = 0
        let cu = ledger.customers
        var index = CSVWriter(header: ["customer_id", "name", "email", "kind", "closing", "amount_due", "overdue", "currency", "subject", "html", "pdf"])
        progress("writing \(accounts.count) statements", nil)
        // Written into a fresh folder swapped in whole at the end: no statement of an earlier
        // run stays beside the new ones, and a failed run leaves the old folder as it was.
        let staged = try StagedFolder.begin(directory)
        do {
        // Histories a batch of 2,000 accounts at a time (money events only), letters 500 at a time.
        var histories: [Int: CustomerHistory] = [:]
        for chunk in stride(from: 0, to: accounts.count, by: 500) {
            if chunk % 2000 == 0 {
                let batch = Array(accounts[chunk..<min(chunk + 2000, accounts.count)])
                histories = Dictionary(uniqueKeysWithValues: zip(batch, CustomerHistory.some(book, customers: batch, moneyOnly: true)))
            }
            var letters: [Letter] = []
            var rows: [[CSVWriter.Cell]] = []
            for c in accounts[chunk..<min(chunk + 500, accounts.count)] {
                do {
                    let s = try Statement(book, customer: c, from: start, edges: edges, history: histories[c])
                    let l = s.letter(book, configuration: configuration, templates: templates)
                    let m = { (v: Int64) in Money.decimalString(v, digits: s.currency.minorDigits) }
                    letters.append(l)
                    rows.append([.text(id(c)), .text(cu.name[c]), .text(cu.email[c]), .text(s.closing < 0 ? "credit" : "statement"),
                                 .number(m(s.closing)), .number(m(max(0, s.closing))), .number(m(s.overdue)), .text(s.currency.code), .text(l.subject)])
                } catch {
                    skipped.append(id(c))
                }
            }
            let names = try LetterWriter.write(letters, templates: templates, canvas: canvas, to: staged.path)
            files += names.count
            for (k, row) in rows.enumerated() { index.addRow(row + [.text(names[2 * k]), .text(names[2 * k + 1])]) }
            written += letters.count
            progress("writing \(accounts.count) statements", Double(written) / Double(max(1, accounts.count)))
        }
        try AtomicFile.write(index.text, to: staged.path + "/index.csv")
        try staged.commit()
        } catch {
            staged.abandon()
            throw error
        }
        return StatementsRun(written: written, files: files, from: start, to: book.asOf, directory: directory, skipped: skipped, warnings: warnings)
    }
}

public struct StatementsRun: WrittenRun {
    public let written: Int, files: Int
    public let from: Day, to: Day
    public let directory: String
    /// Accounts with documents in several currencies, left out.
    public let skipped: [String]
    /// What keeps the statements from going out as they are.
    public var warnings: [String] = []

    public var summary: String { "\(written) statements, \(from) to \(to), in \(directory) (\(files) files + index.csv)" }
    public var warning: String? {
        skipped.isEmpty ? nil : "\(skipped.count) accounts with documents in several currencies were left out: \(skipped.prefix(10).joined(separator: ", "))"
    }
}

public struct AccountView: Rendered {
    public static let formats: [OutputFormat] = [.table, .json]
    let desk: CollectionsDesk
    let customer: Int
    public let id: String
    public let items: [AgingItem]
    public let balance: Int64
    public let history: CustomerHistory
    public let credit: CreditLine
    let next: WorklistRow?
    let held: WorklistSkip?
    /// Events the table shows (newest first); nil: all.
    public let historyLimit: Int?

    public func render(_ format: OutputFormat) -> String {
        let x = desk, c = customer, cu = x.ledger.customers
        let missing = [("email", cu.email[c]), ("phone", cu.phone[c]), ("address", cu.address[c])].filter { $0.1.isEmpty }.map(\.0)
        // Present but malformed, by the same checks as arlens validate.
        let malformed = (!cu.email[c].isEmpty && !ContactCheck.isEmail(cu.email[c]) ? ["email"] : [])
            + (!cu.phone[c].isEmpty && !ContactCheck.isPhone(cu.phone[c]) ? ["phone"] : [])
        func lm(_ v: Int64, _ cur: Currency) -> String { Money.decimalString(v, digits: cur.minorDigits) }
        func r1(_ d: Double?) -> JSONValue { .number(d.map { ($0 * 10).rounded() / 10 }) }
        switch format {
        case .json, .csv:
            return JSONValue.object([
                ("customer_id", .string(id)), ("as_of", .string(x.book.asOf.description)), ("balance", .string(x.money(balance))),
                ("profile", .object([("name", .string(cu.name[c])), ("email", .string(cu.email[c])), ("phone", .string(cu.phone[c])),
                                     ("address", .string(cu.address[c])), ("country", .string(cu.country[c])), ("currency", .string(cu.currency[c].code)),
                                     ("terms_days", .int(Int(cu.termsDays[c]))), ("segment", .optional(cu.symbol(cu.segment[c]))),
                                     ("region", .optional(cu.symbol(cu.region[c]))), ("collector", .optional(cu.symbol(cu.collector[c]))),
                                     ("created_date", .optional(cu.createdDate[c]?.description)), ("missing", .array(missing.map { .string($0) })),
                                     ("malformed", .array(malformed.map { .string($0) }))])),
                ("credit", .object([("credit_limit", credit.limit.map { .string(x.money($0)) } ?? .null),
                                    ("utilisation", .number(credit.utilisation.map { ($0 * 10000).rounded() / 100 })), ("over_limit", .bool(credit.overLimit)),
                                    ("risk_score", .number(credit.score.score)), ("band", .string(credit.score.band)),
                                    ("reasons", .array(credit.score.reasons.map { .string($0) })), ("review", .string(credit.review)),
                                    ("last_review", .optional(credit.lastReview?.description))])),
                ("collection", .object([("next_action", .optional(next?.nextAction)), ("priority", .number(next?.priority)),
                                        ("held", .optional(held?.reason))])),
                ("open_items", .array(items.map { i in
                    .object([("document", .string(i.document)), ("kind", .string(i.kind)), ("date", .string(i.date.description)),
                             ("due_date", .optional(i.due?.description)), ("open", .string(x.money(i.amount))),
                             ("days_past_due", i.daysPastDue.map { .int($0) } ?? .null), ("currency", .string(i.currency.code)),
                             ("open_local", .string(lm(i.localAmount, i.currency)))])
                })),
                ("kpis", .object([("paid_invoices_12m", .int(history.paidInvoices)), ("days_to_pay", r1(history.averageDaysToPay)),
                                  ("on_time_rate", r1(history.onTimeRate)), ("days_late", r1(history.averageDaysLate)),
                                  ("days_late_trend", r1(history.lateTrend))])),
                ("history", .array(history.events.map { e in
                    .object([("date", .string(e.date.description)), ("kind", .string(e.kind.rawValue)), ("document", .string(e.document)),
                             ("amount", .string(lm(e.amount, e.currency))), ("currency", .string(e.currency.code)), ("detail", .string(e.detail))])
                })),
            ]).printed
        case .table:
            var out = "\(id)  \(cu.name[c])\n"
            out += "  terms \(cu.termsDays[c]) days · \(cu.currency[c].code)" + (cu.symbol(cu.collector[c]).map { " · collector \($0)" } ?? "")
                + (cu.symbol(cu.segment[c]).map { " · \($0)" } ?? "") + "\n"
            let contact = [cu.email[c], cu.phone[c], cu.address[c]].filter { !$0.isEmpty }
            if !contact.isEmpty { out += "  " + contact.joined(separator: " · ") + "\n" }
            if !missing.isEmpty { out += "  missing: \(missing.joined(separator: ", "))\n" }
            if !malformed.isEmpty { out += "  malformed: \(malformed.joined(separator: ", "))\n" }
            out += "\nBalance at \(x.book.asOf): \(x.money(balance, grouped: true)) \(x.workspace.base.code)"
            if let lim = credit.limit { out += " of a \(x.money(lim, grouped: true)) limit (\(String(format: "%.0f", (credit.utilisation ?? 0) * 100))%)" }
            out += "\nRisk \(String(format: "%.1f", credit.score.score)) (\(credit.score.band))" + (credit.score.reasons.isEmpty ? "" : ": " + credit.score.reasons.joined(separator: "; "))
            out += "\nCredit review: \(credit.review.replacingOccurrences(of: "_", with: " "))" + (credit.lastReview.map { ", last \($0)" } ?? "")
            if let next { out += "\nNext action: \(next.nextAction.replacingOccurrences(of: "_", with: " ")) (priority \(next.priority))" }
            if let held { out += "\nHeld: \(held.reason)" }
            out += "\nLast 12 months: \(history.paidInvoices) invoices paid"
            if let d = history.averageDaysToPay { out += ", \(String(format: "%.1f", d)) days to pay, \(String(format: "%.0f", history.onTimeRate!))% on time, \(String(format: "%.1f", history.averageDaysLate!)) days late" }
            if let tr = history.lateTrend { out += String(format: " (last 90 days %+.1f days)", tr) }
            out += "\n\nOpen items\n"
            var ot = TextTable(["document", "kind", "date", "due", "days", "open"], align: [.left, .left, .left, .left, .right, .right])
            for i in items {
                ot.add([i.document, i.kind, i.date.description, i.due?.description ?? "", i.daysPastDue.map(String.init) ?? "", x.money(i.amount, grouped: true)])
            }
            ot.add(["total", "", "", "", "", x.money(balance, grouped: true)])
            out += ot.render()
            // Newest first, as an account is read; the JSON keeps every event, oldest first.
            let shown = historyLimit.map { Array(history.events.reversed().prefix($0)) } ?? history.events.reversed()
            out += "\nHistory, newest first\n"
            var ht = TextTable(["date", "event", "document", "amount", "detail"], align: [.left, .left, .left, .right, .left])
            for e in shown {
                ht.add([e.date.description, e.kind.rawValue.replacingOccurrences(of: "_", with: " "), e.document,
                        e.amount == 0 ? "" : Money.decimalString(e.amount, digits: e.currency.minorDigits, grouping: ","), clip(e.detail, 70)])
            }
            out += ht.render()
            if shown.count < history.events.count {
                out += "... \(history.events.count - shown.count) older events (--limit 0 shows all)\n"
            }
            return out
        }
    }
}
