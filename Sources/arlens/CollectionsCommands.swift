import ArgumentParser
import ARAnalytics
import ARLoading
import ARModel
import AROutput
import ARReport
import CairoRendering
import Foundation

/// The ledger and every account's position at the date, for the collections commands.
struct CollectionsContext {
    let loaded: Loaded
    let book: AccountBook
    let scores: [CreditScore]

    init(_ options: LedgerOptions, asOf: String?) throws {
        let d = try parseDay(asOf, "--as-of")
        loaded = try Loaded(options, tables: Loaded.core.union([.disputes, .activities]))
        book = AccountBook(loaded.timeline, asOf: d ?? loaded.timeline.lastDay)
        scores = CreditRisk.scores(book)
    }

    var ledger: Ledger { loaded.prepared.ledger }
    func id(_ c: Int) -> String { ledger.customers.ids[Int32(c)] }
    func name(_ c: Int) -> String { ledger.customers.name[c] }
    func collector(_ c: Int) -> String? { ledger.customers.symbol(ledger.customers.collector[c]) }

    func worklist(collector: String? = nil) -> Worklist {
        Worklist(book, scores: scores, ladder: loaded.configuration.dunning, collector: collector)
    }

    func customerIndex(_ s: String) throws -> Int {
        guard let c = ledger.customers.ids.find(s) else { throw CLIFailure(code: 1, message: "error: no customer '\(s)' in the ledger") }
        return Int(c)
    }
}

func printCSV(_ w: CSVWriter) { print(w.text, terminator: "") }

struct WorklistCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worklist",
        abstract: "Accounts to chase, by priority, with the next action from the dunning ladder.")

    @Option(name: .long, help: "The date (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "Only this collector's accounts.") var collector: String?
    @Option(name: .long, help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let x = try CollectionsContext(ledger, asOf: asOf)
        let w = x.worklist(collector: collector)
        let acts = x.ledger.activities
        func last(_ r: WorklistRow) -> (String, String, String) {
            guard let a = r.lastActivity else { return ("", "", "") }
            return (acts.date[a].description, acts.kind[a].name, acts.note[a])
        }
        switch format {
        case .json:
            let rows: [JSONValue] = w.rows.enumerated().map { k, r in
                let (d, kind, note) = last(r)
                return .object([
                    ("rank", .int(k + 1)), ("customer_id", .string(x.id(r.customer))), ("name", .string(x.name(r.customer))),
                    ("collector", .optional(x.collector(r.customer))),
                    ("overdue", .string(x.loaded.money(r.overdue))), ("balance", .string(x.loaded.money(r.balance))),
                    ("disputed_overdue", .string(x.loaded.money(r.disputedOverdue))),
                    ("max_days_past_due", .int(r.maxDaysPastDue)), ("overdue_items", .int(r.overdueItems)),
                    ("risk_score", .number(r.risk)), ("broken_promises", .int(r.brokenPromises)),
                    ("priority", .number(r.priority)), ("next_action", .string(r.nextAction)),
                    ("reasons", .array(r.reasons.map { .string($0) })),
                    ("last_activity", r.lastActivity == nil ? .null : .object([("date", .string(d)), ("kind", .string(kind)), ("note", .string(note))])),
                    ("promises", .array(r.promises.map { p in
                        .object([("made", .string(p.made.description)), ("due", .string(p.due.description)),
                                 ("amount", .string(Money.decimalString(p.amount, digits: x.ledger.customers.currency[r.customer].minorDigits))),
                                 ("status", .string(p.status.rawValue))])
                    })),
                ])
            }
            let skipped: [JSONValue] = w.skipped.map { s in
                .object([("customer_id", .string(x.id(s.customer))), ("overdue", .string(x.loaded.money(s.overdue))), ("reason", .string(s.reason))])
            }
            print(JSONValue.object([("as_of", .string(w.asOf.description)), ("rows", .array(rows)), ("skipped", .array(skipped))]).serialized())
        case .csv:
            var c = CSVWriter(header: ["rank", "customer_id", "name", "collector", "overdue", "max_days_past_due", "risk_score",
                                       "broken_promises", "priority", "next_action", "last_activity", "last_activity_kind", "reasons"])
            for (k, r) in w.rows.enumerated() {
                let (d, kind, _) = last(r)
                c.addRow([.number(String(k + 1)), .text(x.id(r.customer)), .text(x.name(r.customer)), .text(x.collector(r.customer) ?? ""),
                          .number(x.loaded.money(r.overdue)), .number(String(r.maxDaysPastDue)), .number(String(r.risk)),
                          .number(String(r.brokenPromises)), .number(String(r.priority)), .text(r.nextAction), .text(d), .text(kind),
                          .text(r.reasons.joined(separator: "; "))])
            }
            printCSV(c)
        case .table:
            var t = TextTable(["#", "customer", "name", "overdue", "days", "risk", "priority", "next action", "last contact"],
                              align: [.right, .left, .left, .right, .right, .right, .right, .left, .left])
            for (k, r) in w.rows.enumerated() {
                let (d, kind, _) = last(r)
                t.add([String(k + 1), x.id(r.customer), AgingOutput.clip(x.name(r.customer), 24), x.loaded.money(r.overdue, grouped: true),
                       String(r.maxDaysPastDue), String(format: "%.0f", r.risk), String(format: "%.3f", r.priority),
                       r.nextAction.replacingOccurrences(of: "_", with: " "), d.isEmpty ? "" : "\(d) \(kind)"])
            }
            var out = "Collection worklist as of \(w.asOf)\(collector.map { " for \($0)" } ?? ""): \(w.rows.count) accounts, "
            out += "\(x.loaded.money(w.rows.reduce(0) { $0 + $1.overdue }, grouped: true)) \(x.loaded.base.code) overdue\n"
            out += t.render()
            if !w.skipped.isEmpty {
                var s = TextTable(["customer", "overdue", "held because"], align: [.left, .right, .left])
                for k in w.skipped { s.add([x.id(k.customer), x.loaded.money(k.overdue, grouped: true), k.reason]) }
                out += "\nHeld today\n" + s.render()
            }
            print(out, terminator: "")
        }
    }
}

struct FeesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fees",
        abstract: "Late-payment interest and fixed compensation due per overdue invoice (fees already charged are deducted).")

    @Option(name: .long, help: "The date (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "contractual, eu or uk; default: late_fees.policy in arlens.yml.") var policy: String?
    @Option(name: .long, help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let d = try parseDay(asOf, "--as-of")
        let loaded = try Loaded(ledger, tables: Loaded.core)
        guard let p = LateFeePolicy(loaded.configuration.lateFees, name: policy) else {
            throw CLIFailure(code: 2, message: "error: --policy '\(policy ?? "")' is not contractual, eu or uk")
        }
        let asOfDay = d ?? loaded.timeline.lastDay
        let lines = LateFees.compute(AccountBook(loaded.timeline, asOf: asOfDay), policy: p).filter { $0.interest + $0.fixed > 0 }
        func m(_ v: Int64, _ c: Currency) -> String { Money.decimalString(v, digits: c.minorDigits) }
        switch format {
        case .json:
            print(JSONValue.object([
                ("as_of", .string(asOfDay.description)), ("policy", .string(p.name)),
                ("rows", .array(lines.map { l in
                    .object([("customer_id", .string(l.customer)), ("document", .string(l.document)), ("currency", .string(l.currency.code)),
                             ("open", .string(m(l.open, l.currency))), ("days_overdue", .int(l.daysOverdue)),
                             ("interest", .string(m(l.interest, l.currency))), ("fixed", .string(m(l.fixed, l.currency))),
                             ("already_charged", .string(m(l.alreadyCharged, l.currency))), ("due", .string(m(l.due, l.currency)))])
                })),
            ]).serialized())
        case .csv:
            var c = CSVWriter(header: ["customer_id", "document", "currency", "open", "days_overdue", "interest", "fixed", "already_charged", "due"])
            for l in lines {
                c.addRow([.text(l.customer), .text(l.document), .text(l.currency.code), .number(m(l.open, l.currency)), .number(String(l.daysOverdue)),
                          .number(m(l.interest, l.currency)), .number(m(l.fixed, l.currency)), .number(m(l.alreadyCharged, l.currency)),
                          .number(m(l.due, l.currency))])
            }
            printCSV(c)
        case .table:
            var t = TextTable(["customer", "document", "open", "days", "interest", "fixed", "charged", "due", ""],
                              align: [.left, .left, .right, .right, .right, .right, .right, .right, .left])
            var totals: [Currency: Int64] = [:]
            for l in lines {
                totals[l.currency, default: 0] += l.due
                t.add([l.customer, l.document, Money.decimalString(l.open, digits: l.currency.minorDigits, grouping: ","), String(l.daysOverdue),
                       m(l.interest, l.currency), m(l.fixed, l.currency), m(l.alreadyCharged, l.currency), m(l.due, l.currency), l.currency.code])
            }
            print("Late fees as of \(asOfDay), \(p.name) policy: \(lines.count) invoices; due " +
                  totals.keys.sorted { $0.code < $1.code }.map { "\(Money.decimalString(totals[$0]!, digits: $0.minorDigits, grouping: ",")) \($0.code)" }
                    .joined(separator: ", "))
            print(t.render(), terminator: "")
        }
    }
}

struct CreditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit",
        abstract: "Risk score per customer with its reasons; credit-limit utilisation, over-limit accounts and review status.")

    @Option(name: .long, help: "The date (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "table, csv or json.") var format: OutputFormat = .table
    @Flag(name: .long, help: "Every customer (default: those with a balance, a risk score of 30+, over limit or due a review).") var all = false
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let x = try CollectionsContext(ledger, asOf: asOf)
        let lines = CreditRisk.lines(x.book, reviewMonths: x.loaded.configuration.creditReviewMonths).filter {
            all || $0.balance != 0 || $0.score.score >= 30 || $0.overLimit || ($0.isNew && $0.review == "never_reviewed")
        }
        switch format {
        case .json:
            print(JSONValue.object([("as_of", .string(x.book.asOf.description)), ("rows", .array(lines.map { l in
                .object([("customer_id", .string(x.id(l.score.customer))), ("score", .number(l.score.score)), ("band", .string(l.score.band)),
                         ("reasons", .array(l.score.reasons.map { .string($0) })),
                         ("parts", .object(CreditRisk.weights.map { ($0.0, .number((l.score.parts[$0.0]! * 1000).rounded() / 1000)) })),
                         ("balance", .string(x.loaded.money(l.balance))), ("credit_limit", l.limit.map { .string(x.loaded.money($0)) } ?? .null),
                         ("utilisation", .number(l.utilisation.map { ($0 * 10000).rounded() / 100 })), ("over_limit", .bool(l.overLimit)),
                         ("review", .string(l.review)), ("last_review", .optional(l.lastReview?.description)), ("new_customer", .bool(l.isNew))])
            }))]).serialized())
        case .csv:
            var c = CSVWriter(header: ["customer_id", "score", "band", "balance", "credit_limit", "utilisation_pct", "over_limit", "review", "new_customer", "reasons"])
            for l in lines {
                c.addRow([.text(x.id(l.score.customer)), .number(String(l.score.score)), .text(l.score.band), .number(x.loaded.money(l.balance)),
                          l.limit.map { .number(x.loaded.money($0)) } ?? .empty, l.utilisation.map { .number(String(format: "%.1f", $0 * 100)) } ?? .empty,
                          .text(l.overLimit ? "yes" : "no"), .text(l.review), .text(l.isNew ? "yes" : "no"), .text(l.score.reasons.joined(separator: "; "))])
            }
            printCSV(c)
        case .table:
            var t = TextTable(["customer", "name", "score", "band", "balance", "limit", "used", "review", "why"],
                              align: [.left, .left, .right, .left, .right, .right, .right, .left, .left])
            for l in lines {
                let c = l.score.customer
                t.add([x.id(c), AgingOutput.clip(x.name(c), 22), String(format: "%.1f", l.score.score), l.score.band,
                       x.loaded.money(l.balance, grouped: true), l.limit.map { x.loaded.money($0, grouped: true) } ?? "",
                       l.utilisation.map { String(format: "%.0f%%", $0 * 100) } ?? "", (l.isNew ? "new, " : "") + l.review.replacingOccurrences(of: "_", with: " "),
                       l.score.reasons.first ?? ""])
            }
            let over = lines.filter(\.overLimit).count, high = lines.filter { $0.score.band == "high" }.count
            let unreviewed = lines.filter { $0.isNew && $0.review == "never_reviewed" }.count
            print("Credit as of \(x.book.asOf): \(high) high-risk, \(over) over their limit, \(unreviewed) new without a credit review")
            print(t.render(), terminator: "")
        }
    }
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "A payment plan for a customer's open balance: instalments that sum exactly to it.")

    @Argument(help: "The customer id.") var customer: String
    @Option(name: .long, help: "Number of instalments.") var installments: Int
    @Option(name: .long, help: "First instalment date (YYYY-MM-DD); default: the day after the as-of date.") var start: String?
    @Option(name: .long, help: "monthly or weekly.") var frequency: String = "monthly"
    @Option(name: .long, help: "Simple interest a year, in percent, on the declining balance.") var interest: Double = 0
    @Option(name: .long, help: "The balance date (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "Also write the plan letter (FILE.html or FILE.pdf).") var letter: String?
    @Option(name: .long, help: "The folder of the letter templates.") var templates: String = "report-templates/notices"
    @Option(name: .long, help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        guard (1...360).contains(installments) else { throw ValidationError("--installments must be between 1 and 360") }
        guard PaymentPlan.Frequency(rawValue: frequency) != nil else { throw ValidationError("--frequency must be monthly or weekly") }
        guard interest >= 0 && interest <= 100 else { throw ValidationError("--interest must be a percentage between 0 and 100") }
    }

    func run() throws {
        let x = try CollectionsContext(ledger, asOf: asOf)
        let c = try x.customerIndex(customer)
        let balance = x.book.balance[c]
        guard balance > 0 else {
            throw CLIFailure(code: 1, message: "error: \(customer) owes nothing at \(x.book.asOf) (balance \(x.loaded.money(balance)))")
        }
        let first = try parseDay(start, "--start") ?? (x.book.asOf + 1)
        let plan = PaymentPlan(balance: balance, count: installments, start: first, frequency: PaymentPlan.Frequency(rawValue: frequency)!,
                               annualInterestPercent: interest, agreed: x.book.asOf)
        if let letter {
            try writePlanLetter(x, customer: c, plan: plan, frequency: frequency, interest: interest, templates: templates, to: letter)
        }
        switch format {
        case .json:
            print(JSONValue.object([
                ("customer_id", .string(customer)), ("as_of", .string(x.book.asOf.description)), ("balance", .string(x.loaded.money(balance))),
                ("interest_rate", .number(interest)), ("total", .string(x.loaded.money(plan.total))),
                ("installments", .array(plan.installments.map { i in
                    .object([("n", .int(i.number)), ("due_date", .string(i.due.description)), ("amount", .string(x.loaded.money(i.amount))),
                             ("principal", .string(x.loaded.money(i.principal))), ("interest", .string(x.loaded.money(i.interest)))])
                })),
            ]).serialized())
        case .csv:
            var w = CSVWriter(header: ["n", "due_date", "principal", "interest", "amount"])
            for i in plan.installments {
                w.addRow([.number(String(i.number)), .text(i.due.description), .number(x.loaded.money(i.principal)),
                          .number(x.loaded.money(i.interest)), .number(x.loaded.money(i.amount))])
            }
            printCSV(w)
        case .table:
            var t = TextTable(["#", "due", "principal", "interest", "amount"], align: [.right, .left, .right, .right, .right])
            for i in plan.installments {
                t.add([String(i.number), i.due.description, x.loaded.money(i.principal, grouped: true), x.loaded.money(i.interest, grouped: true),
                       x.loaded.money(i.amount, grouped: true)])
            }
            t.add(["", "total", x.loaded.money(plan.balance, grouped: true), x.loaded.money(plan.totalInterest, grouped: true),
                   x.loaded.money(plan.total, grouped: true)])
            print("Payment plan for \(customer) \(x.name(c)): balance \(x.loaded.money(balance, grouped: true)) \(x.loaded.base.code) at \(x.book.asOf), \(installments) \(frequency) instalments")
            print(t.render(), terminator: "")
        }
    }
}

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Collector performance for the month of the date: collections, CEI, ADD, work logged, promises, escalations.")

    @Option(name: .long, help: "The date (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let x = try CollectionsContext(ledger, asOf: asOf)
        let team = TeamPerformance.compute(x.book, worklist: x.worklist(), configuration: x.loaded.configuration)
        func r1(_ d: Double?) -> String { d.map { String(format: "%.1f", $0) } ?? "" }
        switch format {
        case .json:
            print(JSONValue.object([("month", .string(x.book.asOf.yearMonth.description)), ("as_of", .string(x.book.asOf.description)),
                                    ("rows", .array(team.map { t in
                .object([("collector", .string(t.collector)), ("accounts", .int(t.accounts)), ("overdue", .string(x.loaded.money(t.overdue))),
                         ("collections", .string(x.loaded.money(t.collections))), ("cei", .number(t.cei)), ("add", .number(t.add)),
                         ("activities", .int(t.activities)), ("promises_made", .int(t.promisesMade)), ("promises_due", .int(t.promisesDue)),
                         ("promises_kept", .int(t.promisesKept)), ("promise_kept_rate", .number(t.promiseKeptRate)), ("escalated", .int(t.escalated))])
            }))]).serialized())
        case .csv:
            var w = CSVWriter(header: ["collector", "accounts", "overdue", "collections", "cei", "add", "activities", "promises_made", "promises_due",
                                       "promises_kept", "escalated"])
            for t in team {
                w.addRow([.text(t.collector), .number(String(t.accounts)), .number(x.loaded.money(t.overdue)), .number(x.loaded.money(t.collections)),
                          .number(r1(t.cei)), .number(r1(t.add)), .number(String(t.activities)), .number(String(t.promisesMade)),
                          .number(String(t.promisesDue)), .number(String(t.promisesKept)), .number(String(t.escalated))])
            }
            printCSV(w)
        case .table:
            var tt = TextTable(["collector", "accounts", "overdue", "collected", "CEI", "ADD", "activities", "promises", "kept", "escalated"],
                               align: [.left] + Array(repeating: .right, count: 9))
            for t in team {
                tt.add([t.collector, String(t.accounts), x.loaded.money(t.overdue, grouped: true), x.loaded.money(t.collections, grouped: true),
                        r1(t.cei), r1(t.add), String(t.activities), String(t.promisesMade), "\(t.promisesKept)/\(t.promisesDue)", String(t.escalated)])
            }
            print("Team performance, \(x.book.asOf.yearMonth) (to \(x.book.asOf))")
            print(tt.render(), terminator: "")
            let eff = DunningEffectiveness(x.loaded.timeline, asOf: x.book.asOf)
            if !eff.lines.isEmpty {
                var et = TextTable(["step", "taken", "paid ≤7d", "≤14d", "≤30d", "cash after it"], align: [.left] + Array(repeating: .right, count: 5))
                for e in eff.lines {
                    et.add([e.step, String(e.count), String(format: "%.0f%%", e.share(e.paid7)), String(format: "%.0f%%", e.share(e.paid14)),
                            String(format: "%.0f%%", e.share(e.paid30)), x.loaded.money(e.recovered, grouped: true)])
                }
                print("\nWhat each collection step brings in (steps of the last 12 months)")
                print(et.render(), terminator: "")
            }
        }
    }
}

/// The plan letter as HTML or PDF, by the file's extension.
func writePlanLetter(_ x: CollectionsContext, customer c: Int, plan: PaymentPlan, frequency: String, interest: Double,
                     templates: String, to path: String) throws {
    let t = try LetterTemplates(directory: templates)
    let letter = NoticeBuilder.planLetter(x.book, customer: c, plan: plan, frequency: frequency, interest: interest,
                                          configuration: x.loaded.configuration, templates: t)
    try writeLetter(letter, templates: t, to: path, flag: "--letter")
}

/// One letter as PDF or HTML, by the file's extension.
func writeLetter(_ letter: Letter, templates: LetterTemplates, to path: String, flag: String) throws {
    if path.hasSuffix(".pdf") {
        try AtomicFile.write(try Letters.pdf([letter], measurer: try CairoTextMeasurer(), title: letter.subject), to: path)
    } else if path.hasSuffix(".html") {
        try AtomicFile.write(templates.html(letter), to: path)
    } else {
        throw CLIFailure(code: 2, message: "error: \(flag) '\(path)' must end in .pdf or .html")
    }
}

struct NoticesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Reminder and dunning letters (HTML and PDF) for the accounts on the worklist, worded by ladder step.")

    @Option(name: .long, help: "The date (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "Only this collector's accounts.") var collector: String?
    @Option(name: .long, help: "The folder to write the letters to.") var out: String = "output/notices"
    @Option(name: .long, help: "The folder of the notice templates.") var templates: String = "report-templates/notices"
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let t = try LetterTemplates(directory: templates)
        let x = try CollectionsContext(ledger, asOf: asOf)
        let w = x.worklist(collector: collector)
        guard let policy = LateFeePolicy(x.loaded.configuration.lateFees) else { throw CLIFailure(code: 1, message: "error: bad late_fees.policy") }
        let fees = LateFees.compute(x.book, policy: policy)
        let progress = Progress.start("writing \(w.rows.count) notices")
        let letters = NoticeBuilder.notices(x.book, worklist: w, configuration: x.loaded.configuration, fees: fees, templates: t)
        let files = try LetterWriter.write(letters, templates: t, to: out)
        var index = CSVWriter(header: ["customer_id", "name", "action", "overdue", "subject", "html", "pdf"])
        for (r, l) in zip(w.rows, letters) {
            let base = AtomicFile.sanitizedName(l.reference)
            index.addRow([.text(l.reference), .text(l.recipient), .text(r.nextAction), .number(x.loaded.money(r.overdue)), .text(l.subject),
                          .text(base + ".html"), .text(base + ".pdf")])
        }
        try AtomicFile.write(index.text, to: out + "/index.csv")
        progress.finish()
        var byAction: [String: Int] = [:]
        for r in w.rows { byAction[r.nextAction, default: 0] += 1 }
        print("\(letters.count) notices as of \(x.book.asOf) in \(out) (\(files.count) files + index.csv): " +
              x.loaded.configuration.dunning.steps.compactMap { s in byAction[s.action].map { "\($0) \(s.action.replacingOccurrences(of: "_", with: " "))" } }
                .joined(separator: ", "))
    }
}
