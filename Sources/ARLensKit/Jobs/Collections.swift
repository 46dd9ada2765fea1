import ARAnalytics
import ARModel
import AROutput
import ARReport
import ChartKit
import Foundation

/// Every account's position at a date, for the collections jobs: the account book and the
/// credit scores, computed once.
public struct CollectionsDesk {
    public let workspace: Workspace
    public let book: AccountBook
    public let scores: [CreditScore]
    /// Overdue items held from notices, fees and plans (disputes, promises, suspected duplicates).
    public let holds: Holds

    var ledger: Ledger { workspace.ledger }
    var configuration: Configuration { workspace.configuration }
    func id(_ c: Int) -> String { ledger.customers.ids[Int32(c)] }
    func name(_ c: Int) -> String { ledger.customers.name[c] }
    func collector(_ c: Int) -> String? { ledger.customers.symbol(ledger.customers.collector[c]) }
    func money(_ v: Int64, grouped: Bool = false) -> String { workspace.money(v, grouped: grouped) }

    public func worklist(collector: String? = nil) -> Worklist {
        Worklist(book, scores: scores, ladder: configuration.dunning, collector: collector, holds: holds)
    }
}

extension Workspace {
    /// The account book and credit scores at a date (default: the ledger's last).
    /// `duplicates`: the duplicate findings through the date, when already known.
    public func desk(asOf: Day?, duplicates: [AnomalyFinding]? = nil) throws -> CollectionsDesk {
        desk(book: AccountBook(timeline, asOf: try self.asOf(asOf)), duplicates: duplicates)
    }

    /// The desk of an account book already made.
    public func desk(book: AccountBook, duplicates: [AnomalyFinding]? = nil) -> CollectionsDesk {
        CollectionsDesk(workspace: self, book: book, scores: CreditRisk.scores(book),
                        holds: Holds(book, duplicatesFrom: configuration.dunning.holdDuplicatesFrom, duplicates: duplicates))
    }

    /// Late-payment interest and fixed compensation per overdue invoice.
    public func lateFees(asOf: Day?, policy: String?) throws -> FeesView {
        guard let rules = LateFeeRules(configuration.lateFees, name: policy) else {
            throw ARLensError.usage("--policy '\(policy ?? "")' is not by_country, contractual, eu or uk")
        }
        let day = try self.asOf(asOf)
        let book = AccountBook(timeline, asOf: day)
        let holds = Holds(book, duplicatesFrom: configuration.dunning.holdDuplicatesFrom)
        let lines = LateFees.compute(book, rules: rules, holds: holds).filter { $0.interest + $0.fixed > 0 && !$0.belowMinimum }
        let cu = ledger.customers
        var names: [String: String] = [:]
        for l in lines where names[l.customer] == nil { names[l.customer] = cu.ids.find(l.customer).map { cu.name[Int($0)] } ?? "" }
        return FeesView(asOf: day, policy: rules.name, lines: lines, names: names)
    }
}

extension CollectionsDesk {
    public func worklistView(collector: String?) throws -> WorklistView {
        try checkCollector(collector)
        return WorklistView(desk: self, worklist: worklist(collector: collector), collector: collector)
    }

    /// A collector named on the command line must be one the ledger knows: a typo would
    /// otherwise return an empty worklist that looks like good news.
    public func checkCollector(_ name: String?) throws {
        guard let name else { return }
        let cu = ledger.customers
        let known = Set((0..<cu.count).compactMap { cu.symbol(cu.collector[$0]) })
        guard !known.contains(name) else { return }
        let close = Suggest.closest(name, among: known)
        throw ARLensError.input("no collector '\(name)' in the ledger" + (close.isEmpty ? "" : " (did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?)"))
    }

    /// Credit lines: every customer with `all`, else those with a balance, a risk score of
    /// 30 or more, over their limit, or new and never reviewed.
    public func credit(all: Bool) -> CreditView {
        let lines = CreditRisk.lines(book, reviewMonths: configuration.creditReviewMonths, scores: scores).filter {
            all || $0.balance != 0 || $0.score.score >= 30 || $0.overLimit || ($0.isNew && $0.review == "never_reviewed")
        }
        return CreditView(desk: self, lines: lines)
    }

    public func team() -> TeamView {
        TeamView(desk: self, team: TeamPerformance.compute(book, worklist: worklist(), configuration: configuration))
    }

    /// A payment plan for the customer's invoices: the ones named in `invoices`, or else every
    /// overdue invoice not held (disputed, promised, suspected duplicates). The first
    /// instalment falls due no sooner than `payment_plans.first_due_days` after the date
    /// (the default start).
    /// With `letter`, the letter proposing the plan is also written, after the warnings of
    /// `letterWarnings` are said through the workspace.
    public func plan(customer id: String, installments: Int, start: Day?, frequency: PaymentPlan.Frequency, interest: Double,
                     invoices: [String] = [], letter: LetterOutput? = nil) throws -> PlanView {
        let view = try makePlan(customer: id, installments: installments, start: start, frequency: frequency, interest: interest, invoices: invoices)
        if let letter {
            for w in try letterWarnings(forID: id) { workspace.warn(w) }
            let t = try letter.templates(workspace, "notices")
            try writeLetter(planLetter(view, templates: t), templates: t, canvas: letter.canvas, to: letter.path, flag: letter.flag)
        }
        return view
    }

    /// `plan` with the terms as the command line gives them (`frequency` by name, checked by
    /// `planFrequency`; `invoices` as given, each possibly a comma-separated list).
    public func plan(customer id: String, installments: Int, start: Day?, frequency: String, interest: Double,
                     invoices: [String], letter: LetterOutput?) throws -> PlanView {
        try plan(customer: id, installments: installments, start: start,
                 frequency: try CollectionsDesk.planFrequency(frequency, installments: installments, interest: interest), interest: interest,
                 invoices: invoices.flatMap { $0.split(separator: ",").map(String.init) }, letter: letter)
    }

    /// The plan's terms as the command line gives them: 1 to 360 instalments, monthly or
    /// weekly, interest a percentage from 0 to 100.
    public static func planFrequency(_ frequency: String, installments: Int, interest: Double) throws -> PaymentPlan.Frequency {
        guard (1...360).contains(installments) else { throw ARLensError.usage("--installments must be between 1 and 360") }
        guard let f = PaymentPlan.Frequency(rawValue: frequency) else { throw ARLensError.usage("--frequency must be monthly or weekly") }
        guard interest >= 0 && interest <= 100 else { throw ARLensError.usage("--interest must be a percentage between 0 and 100") }
        return f
    }

    func makePlan(customer id: String, installments: Int, start: Day?, frequency: PaymentPlan.Frequency, interest: Double,
                  invoices: [String]) throws -> PlanView {
        let c = try workspace.customerIndex(id)
        let open = book.items[c]
        var covered: [OpenItem] = []
        if invoices.isEmpty {
            covered = holds.chaseableItems(book, customer: c)
            guard !covered.isEmpty else {
                let held = holds.held(book, customer: c)
                throw ARLensError.input("\(id) has no overdue invoice to put in a plan at \(book.asOf)" +
                                        (held.isEmpty ? "" : " (held: " + held.map { "\($0.document) \($0.reason)" }.joined(separator: "; ") + ")") +
                                        "; name the invoices with --invoices")
            }
        } else {
            for doc in invoices {
                guard let item = open.first(where: { $0.document == doc }) else {
                    throw ARLensError.input("\(doc) is not an open invoice of \(id) at \(book.asOf)")
                }
                if let h = holds.bySlot[item.slot] { throw ARLensError.input("\(doc) is held: \(h.reason)") }
                if !covered.contains(where: { $0.slot == item.slot }) { covered.append(item) }
            }
        }
        let earliest = book.asOf + configuration.planFirstDueDays
        let first = start ?? earliest
        guard first >= earliest else {
            throw ARLensError.input("--start \(first) is too soon: the first instalment falls due at least \(configuration.planFirstDueDays) days after \(book.asOf) (\(earliest); payment_plans.first_due_days)")
        }
        let balance = covered.reduce(0) { $0 + $1.openBase }
        let plan = PaymentPlan(balance: balance, count: installments, start: first, frequency: frequency,
                               annualInterestPercent: interest, agreed: book.asOf)
        return PlanView(desk: self, customer: c, id: id, plan: plan, frequency: frequency, interest: interest, invoices: covered)
    }

    /// The letter proposing `plan`.
    public func planLetter(_ p: PlanView, templates: LetterTemplates) -> Letter {
        NoticeBuilder.planLetter(book, customer: p.customer, plan: p.plan, frequency: p.frequency.rawValue, interest: p.interest,
                                 invoices: p.invoices, configuration: configuration, templates: templates)
    }

    /// Dunning letters for the worklist's accounts into `directory`, with an index.csv, from
    /// the templates folder `templates` (nil: arlens.yml's, else the installed ones).
    public func notices(collector: String?, templates: String?, canvas: any Canvas, to directory: String) throws -> NoticesRun {
        try notices(collector: collector, templates: LetterTemplates(directory: workspace.templates("notices", override: templates)),
                    canvas: canvas, to: directory)
    }

    func notices(collector: String?, templates: LetterTemplates, canvas: any Canvas, to directory: String) throws -> NoticesRun {
        try checkCollector(collector)
        let w = worklist(collector: collector)
        let warnings = try letterWarnings(for: w.rows.map(\.customer))
        guard let rules = LateFeeRules(configuration.lateFees) else { throw ARLensError.input("bad late_fees.policy") }
        let fees = LateFees.compute(book, rules: rules, holds: holds)
        let letters = NoticeBuilder.notices(book, worklist: w, configuration: configuration, fees: fees, templates: templates)
        // The letters and their index.csv go into a fresh folder swapped in whole.
        let cu = ledger.customers
        let rows: [[CSVWriter.Cell]] = w.rows.map { r in
            [.text(id(r.customer)), .text(name(r.customer)), .text(cu.email[r.customer]), .text(r.nextAction), .number(money(r.overdue)),
             .text(r.holds.map { "\($0.document) \($0.reason)" }.joined(separator: "; "))]
        }.enumerated().map { k, row in
            // The letter's own amount due (after charges and credits) in its currency.
            row + [.number(letters[k].amountDue), .text(letters[k].currency), .text(letters[k].subject)]
        }
        let files = try LetterWriter.writeNotices(letters, header: ["customer_id", "name", "email", "action", "overdue", "held", "amount_due", "currency", "subject"], rows: rows,
                                                  templates: templates, canvas: canvas, to: directory).filter { $0 != "index.csv" }
        var byAction: [String: Int] = [:]
        for r in w.rows { byAction[r.nextAction, default: 0] += 1 }
        let counts = configuration.dunning.steps.compactMap { s in
            byAction[s.action].map { "\($0) \(s.action.replacingOccurrences(of: "_", with: " "))" }
        }
        return NoticesRun(letters: letters.count, files: files, asOf: book.asOf, directory: directory, byAction: counts, warnings: warnings,
                          held: w.rows.reduce(0) { $0 + $1.holds.count }, heldAccounts: w.skipped.count)
    }
}

extension CollectionsDesk {
    /// What keeps letters to `customers` from going out as they are: no company name, sender
    /// address, payment instructions or signatory in arlens.yml, customers with no postal
    /// address or e-mail. Said on every run that writes letters; with `--strict` an error
    /// (exit 1) before anything is written.
    public func letterWarnings(for customers: [Int]) throws -> [String] {
        var w: [String] = []
        let n = configuration.notices, defaults = NoticeSettings()
        if configuration.company == nil { w.append("arlens.yml has no company: letters are headed 'Accounts Receivable'") }
        if n.senderLines.isEmpty { w.append("arlens.yml has no notices.sender: letters carry no sender address") }
        if n.payment == defaults.payment { w.append("arlens.yml has no notices.payment: letters give no bank details or payment link") }
        if n.signature == defaults.signature { w.append("arlens.yml has no notices.signature: letters are signed 'Accounts Receivable'") }
        let cu = ledger.customers
        func some(_ list: [Int]) -> String {
            list.prefix(5).map { id($0) }.joined(separator: ", ") + (list.count > 5 ? ", ..." : "")
        }
        let noAddress = customers.filter { cu.address[$0].isEmpty }
        if !noAddress.isEmpty { w.append("\(noAddress.count) letter\(noAddress.count == 1 ? " goes" : "s go") to customers with no address (\(some(noAddress)))") }
        let noEmail = customers.filter { cu.email[$0].isEmpty }
        if !noEmail.isEmpty { w.append("\(noEmail.count) customer\(noEmail.count == 1 ? " has" : "s have") no e-mail for the mail merge (\(some(noEmail)))") }
        if workspace.source.strict && !w.isEmpty {
            throw ARLensError(.strict, "letters cannot be sent as they are (--strict): " + w.joined(separator: "; "))
        }
        return w
    }

    /// The same for one customer by id.
    public func letterWarnings(forID id: String) throws -> [String] { try letterWarnings(for: [try workspace.customerIndex(id)]) }
}

/// Where one letter goes: a .pdf or .html file (`flag` names the option that gave it, for the
/// error), drawn through `canvas`, from the templates folder `templates` (nil: arlens.yml's,
/// else the installed ones).
public struct LetterOutput {
    public let path: String, flag: String, templates: String?, canvas: any Canvas
    public init(path: String, flag: String, templates: String?, canvas: any Canvas) {
        (self.path, self.flag, self.templates, self.canvas) = (path, flag, templates, canvas)
    }

    func templates(_ workspace: Workspace, _ kind: String) throws -> LetterTemplates {
        try LetterTemplates(directory: workspace.templates(kind, override: templates))
    }
}

/// One letter as PDF or HTML, by the file's extension.
func writeLetter(_ letter: Letter, templates: LetterTemplates, canvas: any Canvas, to path: String, flag: String) throws {
    if path.hasSuffix(".pdf") {
        try AtomicFile.write(try Letters.pdf([letter], measurer: try canvas.makeMeasurer(), canvas: canvas, title: letter.subject), to: path)
    } else if path.hasSuffix(".html") {
        try AtomicFile.write(templates.html(letter), to: path)
    } else {
        throw ARLensError.usage("\(flag) '\(path)' must end in .pdf or .html")
    }
}

public struct NoticesRun: WrittenRun {
    public let letters: Int
    public let files: [String]
    public let asOf: Day
    public let directory: String
    /// "19 reminder", in ladder order.
    public let byAction: [String]
    /// What keeps the letters from going out as they are.
    public var warnings: [String] = []
    /// Invoices held on the accounts written to, and accounts held whole.
    public var held = 0, heldAccounts = 0

    public var summary: String {
        "\(letters) notices as of \(asOf) in \(directory) (\(files.count) files + index.csv): " + byAction.joined(separator: ", ")
            + "; \(held) invoice\(held == 1 ? "" : "s") held on them, \(heldAccounts) account\(heldAccounts == 1 ? "" : "s") held (arlens worklist says why)"
    }
}

public struct WorklistView: Rendered {
    let desk: CollectionsDesk
    public let worklist: Worklist
    let collector: String?

    public func render(_ format: OutputFormat) -> String {
        let x = desk, w = worklist
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
                    ("overdue", .string(x.money(r.overdue))), ("balance", .string(x.money(r.balance))),
                    ("disputed_overdue", .string(x.money(r.disputedOverdue))),
                    ("max_days_past_due", .int(r.maxDaysPastDue)), ("overdue_items", .int(r.overdueItems)),
                    ("risk_score", .number(r.risk)), ("broken_promises", .int(r.brokenPromises)),
                    ("priority", .number(r.priority)), ("next_action", .string(r.nextAction)),
                    ("reasons", .array(r.reasons.map { .string($0) })),
                    ("held", .array(r.holds.map { h in
                        .object([("document", .string(h.document)), ("kind", .string(h.kind.rawValue)), ("open", .string(x.money(h.openBase))),
                                 ("reason", .string(h.reason))])
                    })),
                    ("last_activity", r.lastActivity == nil ? .null : .object([("date", .string(d)), ("kind", .string(kind)), ("note", .string(note))])),
                    ("promises", .array(r.promises.map { p in
                        .object([("made", .string(p.made.description)), ("due", .string(p.due.description)),
                                 ("amount", .string(Money.decimalString(p.amount, digits: x.ledger.customers.currency[r.customer].minorDigits))),
                                 ("status", .string(p.status.rawValue))])
                    })),
                ])
            }
            let skipped: [JSONValue] = w.skipped.map { s in
                .object([("customer_id", .string(x.id(s.customer))), ("overdue", .string(x.money(s.overdue))), ("reason", .string(s.reason))])
            }
            return JSONValue.object([("as_of", .string(w.asOf.description)), ("rows", .array(rows)), ("skipped", .array(skipped))]).printed
        case .csv:
            var c = CSVWriter(header: ["rank", "customer_id", "name", "collector", "overdue", "max_days_past_due", "risk_score",
                                       "broken_promises", "priority", "next_action", "last_activity", "last_activity_kind", "reasons", "held"])
            for (k, r) in w.rows.enumerated() {
                let (d, kind, _) = last(r)
                c.addRow([.number(String(k + 1)), .text(x.id(r.customer)), .text(x.name(r.customer)), .text(x.collector(r.customer) ?? ""),
                          .number(x.money(r.overdue)), .number(String(r.maxDaysPastDue)), .number(String(r.risk)),
                          .number(String(r.brokenPromises)), .number(String(r.priority)), .text(r.nextAction), .text(d), .text(kind),
                          .text(r.reasons.joined(separator: "; ")), .text(r.holds.map { "\($0.document) \($0.reason)" }.joined(separator: "; "))])
            }
            return c.text
        case .table:
            var t = TextTable(["#", "customer", "name", "overdue", "days", "risk", "priority", "next action", "last contact"],
                              align: [.right, .left, .left, .right, .right, .right, .right, .left, .left])
            for (k, r) in w.rows.enumerated() {
                let (d, kind, _) = last(r)
                t.add([String(k + 1), x.id(r.customer), clip(x.name(r.customer), 24), x.money(r.overdue, grouped: true),
                       String(r.maxDaysPastDue), String(format: "%.0f", r.risk), String(format: "%.3f", r.priority),
                       r.nextAction.replacingOccurrences(of: "_", with: " "), d.isEmpty ? "" : "\(d) \(kind)"])
            }
            var out = "Collection worklist as of \(w.asOf)\(collector.map { " for \($0)" } ?? ""): \(w.rows.count) accounts, "
            out += "\(x.money(w.rows.reduce(0) { $0 + $1.overdue }, grouped: true)) \(x.workspace.base.code) overdue\n"
            out += t.render()
            if !w.skipped.isEmpty {
                var s = TextTable(["customer", "overdue", "held because"], align: [.left, .right, .left])
                for k in w.skipped { s.add([x.id(k.customer), x.money(k.overdue, grouped: true), k.reason]) }
                out += "\nHeld today\n" + s.render()
            }
            let items = w.rows.flatMap { r in r.holds.map { (r.customer, $0) } }
            if !items.isEmpty {
                var s = TextTable(["customer", "invoice", "open", "held because"], align: [.left, .left, .right, .left])
                for (c, h) in items { s.add([x.id(c), h.document, x.money(h.openBase, grouped: true), h.reason]) }
                out += "\nItems held on listed accounts (not chased, no late charges)\n" + s.render()
            }
            return out
        }
    }
}

public struct FeesView: Rendered {
    public let asOf: Day
    public let policy: String
    public let lines: [LateFeeLine]
    /// Customer names by id, beside the ids in the CSV.
    var names: [String: String] = [:]

    public func render(_ format: OutputFormat) -> String {
        func m(_ v: Int64, _ c: Currency) -> String { Money.decimalString(v, digits: c.minorDigits) }
        switch format {
        case .json:
            return JSONValue.object([
                ("as_of", .string(asOf.description)), ("policy", .string(policy)),
                ("rows", .array(lines.map { l in
                    .object([("customer_id", .string(l.customer)), ("document", .string(l.document)), ("currency", .string(l.currency.code)),
                             ("open", .string(m(l.open, l.currency))), ("days_overdue", .int(l.daysOverdue)),
                             ("interest", .string(m(l.interest, l.currency))), ("fixed", .string(m(l.fixed, l.currency))),
                             ("already_charged", .string(m(l.alreadyCharged, l.currency))), ("due", .string(m(l.due, l.currency))),
                             ("policy", .string(l.policy)), ("fixed_basis", .string(l.basis))])
                })),
            ]).printed
        case .csv:
            var c = CSVWriter(header: ["customer_id", "name", "document", "currency", "open", "days_overdue", "interest", "fixed", "already_charged", "due", "policy", "fixed_basis"])
            for l in lines {
                c.addRow([.text(l.customer), .text(names[l.customer] ?? ""), .text(l.document), .text(l.currency.code), .number(m(l.open, l.currency)), .number(String(l.daysOverdue)),
                          .number(m(l.interest, l.currency)), .number(m(l.fixed, l.currency)), .number(m(l.alreadyCharged, l.currency)),
                          .number(m(l.due, l.currency)), .text(l.policy), .text(l.basis)])
            }
            return c.text
        case .table:
            var t = TextTable(["customer", "document", "open", "days", "interest", "fixed", "charged", "due", "currency", "policy", "fixed sum"],
                              align: [.left, .left, .right, .right, .right, .right, .right, .right, .left, .left, .left])
            var totals: [Currency: Int64] = [:]
            for l in lines {
                totals[l.currency, default: 0] += l.due
                t.add([l.customer, l.document, Money.decimalString(l.open, digits: l.currency.minorDigits, grouping: ","), String(l.daysOverdue),
                       m(l.interest, l.currency), m(l.fixed, l.currency), m(l.alreadyCharged, l.currency), m(l.due, l.currency), l.currency.code,
                       l.policy, l.basis])
            }
            var out = TextBlock()
            out.line("Late fees as of \(asOf), \(policy) policy: \(lines.count) invoices; due " +
                     totals.keys.sorted { $0.code < $1.code }.map { "\(Money.decimalString(totals[$0]!, digits: $0.minorDigits, grouping: ",")) \($0.code)" }
                        .joined(separator: ", "))
            out.raw(t.render())
            return out.text
        }
    }
}

public struct CreditView: Rendered {
    let desk: CollectionsDesk
    public let lines: [CreditLine]

    public func render(_ format: OutputFormat) -> String {
        let x = desk
        switch format {
        case .json:
            return JSONValue.object([("as_of", .string(x.book.asOf.description)), ("rows", .array(lines.map { l in
                .object([("customer_id", .string(x.id(l.score.customer))), ("score", .number(l.score.score)), ("band", .string(l.score.band)),
                         ("reasons", .array(l.score.reasons.map { .string($0) })),
                         ("parts", .object(CreditRisk.weights.map { ($0.0, .number((l.score.parts[$0.0]! * 1000).rounded() / 1000)) })),
                         ("balance", .string(x.money(l.balance))), ("credit_limit", l.limit.map { .string(x.money($0)) } ?? .null),
                         ("utilisation", .number(l.utilisation.map { ($0 * 10000).rounded() / 100 })), ("over_limit", .bool(l.overLimit)),
                         ("review", .string(l.review)), ("last_review", .optional(l.lastReview?.description)), ("new_customer", .bool(l.isNew))])
            }))]).printed
        case .csv:
            var c = CSVWriter(header: ["customer_id", "name", "score", "band", "balance", "credit_limit", "utilisation_pct", "over_limit", "review", "new_customer", "reasons"])
            for l in lines {
                c.addRow([.text(x.id(l.score.customer)), .text(x.name(l.score.customer)), .number(String(l.score.score)), .text(l.score.band), .number(x.money(l.balance)),
                          l.limit.map { .number(x.money($0)) } ?? .empty, l.utilisation.map { .number(String(format: "%.1f", $0 * 100)) } ?? .empty,
                          .text(l.overLimit ? "yes" : "no"), .text(l.review), .text(l.isNew ? "yes" : "no"), .text(l.score.reasons.joined(separator: "; "))])
            }
            return c.text
        case .table:
            var t = TextTable(["customer", "name", "score", "band", "balance", "limit", "used", "review", "why"],
                              align: [.left, .left, .right, .left, .right, .right, .right, .left, .left])
            for l in lines {
                let c = l.score.customer
                t.add([x.id(c), clip(x.name(c), 22), String(format: "%.1f", l.score.score), l.score.band,
                       x.money(l.balance, grouped: true), l.limit.map { x.money($0, grouped: true) } ?? "",
                       l.utilisation.map { String(format: "%.0f%%", $0 * 100) } ?? "", (l.isNew ? "new, " : "") + l.review.replacingOccurrences(of: "_", with: " "),
                       l.score.reasons.first ?? ""])
            }
            let over = lines.filter(\.overLimit).count, high = lines.filter { $0.score.band == "high" }.count
            let unreviewed = lines.filter { $0.isNew && $0.review == "never_reviewed" }.count
            var out = TextBlock()
            out.line("Credit as of \(x.book.asOf): \(high) high-risk, \(over) over their limit, \(unreviewed) new without a credit review")
            out.raw(t.render())
            return out.text
        }
    }
}

public struct TeamView: Rendered {
    let desk: CollectionsDesk
    public let team: [CollectorLine]

    public func render(_ format: OutputFormat) -> String {
        let x = desk
        func r1(_ d: Double?) -> String { d.map { String(format: "%.1f", $0) } ?? "" }
        switch format {
        case .json:
            return JSONValue.object([("month", .string(x.book.asOf.yearMonth.description)), ("as_of", .string(x.book.asOf.description)),
                                     ("rows", .array(team.map { t in
                .object([("collector", .string(t.collector)), ("accounts", .int(t.accounts)), ("overdue", .string(x.money(t.overdue))),
                         ("collections", .string(x.money(t.collections))), ("cei", .number(t.cei)), ("add", .number(t.add)),
                         ("activities", .int(t.activities)), ("promises_made", .int(t.promisesMade)), ("promises_due", .int(t.promisesDue)),
                         ("promises_kept", .int(t.promisesKept)), ("promise_kept_rate", .number(t.promiseKeptRate)), ("escalated", .int(t.escalated))])
            }))]).printed
        case .csv:
            var w = CSVWriter(header: ["collector", "accounts", "overdue", "collections", "cei", "add", "activities", "promises_made", "promises_due",
                                       "promises_kept", "escalated"])
            for t in team {
                w.addRow([.text(t.collector), .number(String(t.accounts)), .number(x.money(t.overdue)), .number(x.money(t.collections)),
                          .number(r1(t.cei)), .number(r1(t.add)), .number(String(t.activities)), .number(String(t.promisesMade)),
                          .number(String(t.promisesDue)), .number(String(t.promisesKept)), .number(String(t.escalated))])
            }
            return w.text
        case .table:
            var tt = TextTable(["collector", "accounts", "overdue", "collected", "CEI", "ADD", "activities", "promises", "kept", "escalated"],
                               align: [.left] + Array(repeating: .right, count: 9))
            for t in team {
                tt.add([t.collector, String(t.accounts), x.money(t.overdue, grouped: true), x.money(t.collections, grouped: true),
                        r1(t.cei), r1(t.add), String(t.activities), String(t.promisesMade), "\(t.promisesKept)/\(t.promisesDue)", String(t.escalated)])
            }
            var out = TextBlock()
            out.line("Team performance, \(x.book.asOf.yearMonth) (to \(x.book.asOf))")
            out.raw(tt.render())
            let effectiveness = DunningEffectiveness(x.workspace.timeline, asOf: x.book.asOf)
            if !effectiveness.lines.isEmpty {
                var et = TextTable(["step", "taken", "paid ≤7d", "≤14d", "≤30d", "cash after it"], align: [.left] + Array(repeating: .right, count: 5))
                for e in effectiveness.lines {
                    et.add([e.step, String(e.count), String(format: "%.0f%%", e.share(e.paid7)), String(format: "%.0f%%", e.share(e.paid14)),
                            String(format: "%.0f%%", e.share(e.paid30)), x.money(e.recovered, grouped: true)])
                }
                out.line("\nWhat each collection step brings in (steps of the last 12 months)")
                out.raw(et.render())
            }
            return out.text
        }
    }
}

public struct PlanView: Rendered {
    let desk: CollectionsDesk
    let customer: Int
    let id: String
    public let plan: PaymentPlan
    let frequency: PaymentPlan.Frequency
    let interest: Double
    /// The invoices the plan covers.
    public let invoices: [OpenItem]

    public func render(_ format: OutputFormat) -> String {
        let x = desk
        switch format {
        case .json:
            return JSONValue.object([
                ("customer_id", .string(id)), ("as_of", .string(x.book.asOf.description)), ("balance", .string(x.money(plan.balance))),
                ("invoices", .array(invoices.map { i in
                    .object([("document", .string(i.document)), ("due_date", .string(i.due.description)), ("open", .string(x.money(i.openBase)))])
                })),
                ("interest_rate", .number(interest)), ("total", .string(x.money(plan.total))),
                ("installments", .array(plan.installments.map { i in
                    .object([("n", .int(i.number)), ("due_date", .string(i.due.description)), ("amount", .string(x.money(i.amount))),
                             ("principal", .string(x.money(i.principal))), ("interest", .string(x.money(i.interest)))])
                })),
            ]).printed
        case .csv:
            var w = CSVWriter(header: ["n", "due_date", "principal", "interest", "amount"])
            for i in plan.installments {
                w.addRow([.number(String(i.number)), .text(i.due.description), .number(x.money(i.principal)),
                          .number(x.money(i.interest)), .number(x.money(i.amount))])
            }
            return w.text
        case .table:
            var t = TextTable(["#", "due", "principal", "interest", "amount"], align: [.right, .left, .right, .right, .right])
            for i in plan.installments {
                t.add([String(i.number), i.due.description, x.money(i.principal, grouped: true), x.money(i.interest, grouped: true),
                       x.money(i.amount, grouped: true)])
            }
            t.add(["", "total", x.money(plan.balance, grouped: true), x.money(plan.totalInterest, grouped: true),
                   x.money(plan.total, grouped: true)])
            var out = TextBlock()
            out.line("Payment plan for \(id) \(x.name(customer)): \(x.money(plan.balance, grouped: true)) \(x.workspace.base.code) at \(x.book.asOf) on \(invoices.count) invoice\(invoices.count == 1 ? "" : "s") (\(invoices.map(\.document).joined(separator: ", "))), \(plan.installments.count) \(frequency.rawValue) instalments")
            out.raw(t.render())
            return out.text
        }
    }
}
