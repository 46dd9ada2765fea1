import ArgumentParser
import ARAnalytics
import ARLoading
import ARModel
import AROutput
import ARReport
import CairoRendering
import Foundation

struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "One account: profile and missing contact data, credit, open items (summing to its aging line), full history, its KPIs.")

    @Argument(help: "The customer id.") var id: String
    @Option(name: .long, help: "The date (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "table or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let x = try CollectionsContext(ledger, asOf: asOf)
        let c = try x.customerIndex(id)
        let l = x.ledger, cu = l.customers, t = x.loaded.timeline
        let aging = Aging.compute(t, asOf: x.book.asOf, basis: .due, edges: x.loaded.configuration.agingBuckets, by: .customer, detail: true)
        let row = aging.rows.first { $0.group == id }
        let items = aging.items.filter { $0.customer == id }
        let balance = row?.total ?? 0
        guard items.reduce(0, { $0 + $1.amount }) == balance, balance == x.book.balance[c] else {
            throw CLIFailure(code: 1, message: "internal error: \(id)'s open items do not sum to its aging line")
        }
        let history = CustomerHistory(x.book, customer: c)
        let credit = CreditRisk.lines(x.book, reviewMonths: x.loaded.configuration.creditReviewMonths).first { $0.score.customer == c }!
        let w = x.worklist()
        let next = w.rows.first { $0.customer == c }, held = w.skipped.first { $0.customer == c }
        let missing = [("email", cu.email[c]), ("phone", cu.phone[c]), ("address", cu.address[c])].filter { $0.1.isEmpty }.map(\.0)
        // Present but malformed, by the same checks as arlens validate.
        let malformed = (!cu.email[c].isEmpty && !ContactCheck.isEmail(cu.email[c]) ? ["email"] : [])
            + (!cu.phone[c].isEmpty && !ContactCheck.isPhone(cu.phone[c]) ? ["phone"] : [])
        func lm(_ v: Int64, _ cur: Currency) -> String { Money.decimalString(v, digits: cur.minorDigits) }
        func r1(_ d: Double?) -> JSONValue { .number(d.map { ($0 * 10).rounded() / 10 }) }
        switch format {
        case .json, .csv:
            print(JSONValue.object([
                ("customer_id", .string(id)), ("as_of", .string(x.book.asOf.description)), ("balance", .string(x.loaded.money(balance))),
                ("profile", .object([("name", .string(cu.name[c])), ("email", .string(cu.email[c])), ("phone", .string(cu.phone[c])),
                                     ("address", .string(cu.address[c])), ("country", .string(cu.country[c])), ("currency", .string(cu.currency[c].code)),
                                     ("terms_days", .int(Int(cu.termsDays[c]))), ("segment", .optional(cu.symbol(cu.segment[c]))),
                                     ("region", .optional(cu.symbol(cu.region[c]))), ("collector", .optional(cu.symbol(cu.collector[c]))),
                                     ("created_date", .optional(cu.createdDate[c]?.description)), ("missing", .array(missing.map { .string($0) })),
                                     ("malformed", .array(malformed.map { .string($0) }))])),
                ("credit", .object([("credit_limit", credit.limit.map { .string(x.loaded.money($0)) } ?? .null),
                                    ("utilisation", .number(credit.utilisation.map { ($0 * 10000).rounded() / 100 })), ("over_limit", .bool(credit.overLimit)),
                                    ("risk_score", .number(credit.score.score)), ("band", .string(credit.score.band)),
                                    ("reasons", .array(credit.score.reasons.map { .string($0) })), ("review", .string(credit.review)),
                                    ("last_review", .optional(credit.lastReview?.description))])),
                ("collection", .object([("next_action", .optional(next?.nextAction)), ("priority", .number(next?.priority)),
                                        ("held", .optional(held?.reason))])),
                ("open_items", .array(items.map { i in
                    .object([("document", .string(i.document)), ("kind", .string(i.kind)), ("date", .string(i.date.description)),
                             ("due_date", .optional(i.due?.description)), ("open", .string(x.loaded.money(i.amount))),
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
            ]).serialized())
        case .table:
            var out = "\(id)  \(cu.name[c])\n"
            out += "  terms \(cu.termsDays[c]) days · \(cu.currency[c].code)" + (cu.symbol(cu.collector[c]).map { " · collector \($0)" } ?? "")
                + (cu.symbol(cu.segment[c]).map { " · \($0)" } ?? "") + "\n"
            let contact = [cu.email[c], cu.phone[c], cu.address[c]].filter { !$0.isEmpty }
            if !contact.isEmpty { out += "  " + contact.joined(separator: " · ") + "\n" }
            if !missing.isEmpty { out += "  missing: \(missing.joined(separator: ", "))\n" }
            if !malformed.isEmpty { out += "  malformed: \(malformed.joined(separator: ", "))\n" }
            out += "\nBalance at \(x.book.asOf): \(x.loaded.money(balance, grouped: true)) \(x.loaded.base.code)"
            if let lim = credit.limit { out += " of a \(x.loaded.money(lim, grouped: true)) limit (\(String(format: "%.0f", (credit.utilisation ?? 0) * 100))%)" }
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
                ot.add([i.document, i.kind, i.date.description, i.due?.description ?? "", i.daysPastDue.map(String.init) ?? "", x.loaded.money(i.amount, grouped: true)])
            }
            ot.add(["total", "", "", "", "", x.loaded.money(balance, grouped: true)])
            out += ot.render()
            out += "\nHistory\n"
            var ht = TextTable(["date", "event", "document", "amount", "detail"], align: [.left, .left, .left, .right, .left])
            for e in history.events {
                ht.add([e.date.description, e.kind.rawValue.replacingOccurrences(of: "_", with: " "), e.document,
                        e.amount == 0 ? "" : Money.decimalString(e.amount, digits: e.currency.minorDigits, grouping: ","), AgingOutput.clip(e.detail, 70)])
            }
            out += ht.render()
            print(out, terminator: "")
        }
    }
}

struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Statement of account: opening balance, the period's transactions with a running balance, closing balance, aged balance (HTML or PDF).")

    @Argument(help: "The customer id (omit with --all).") var id: String?
    @Option(name: .long, help: "The statement date (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "First day of the period; default: the first day of the as-of month.") var from: String?
    @Option(name: .long, help: "FILE.pdf or FILE.html for one statement; a folder with --all (default output/statements).") var out: String?
    @Flag(name: .long, help: "One statement per customer with a balance, as HTML and PDF.") var all = false
    @Option(name: .long, help: "The folder of the statement templates.") var templates: String = "report-templates/statements"
    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        if all == (id != nil) { throw ValidationError("give a customer id or --all") }
    }

    func run() throws {
        let t = try LetterTemplates(directory: templates)
        let x = try CollectionsContext(ledger, asOf: asOf)
        let start = try parseDay(from, "--from") ?? x.book.asOf.yearMonth.firstDay
        guard start <= x.book.asOf else { throw CLIFailure(code: 1, message: "error: --from \(start) is after the statement date \(x.book.asOf)") }
        let edges = x.loaded.configuration.agingBuckets
        func statement(_ c: Int) throws -> Statement {
            do { return try Statement(x.book, customer: c, from: start, edges: edges) } catch let p as Statement.Problem {
                throw CLIFailure(code: 1, message: "error: \(p)")
            }
        }
        if let id {
            let c = try x.customerIndex(id)
            let s = try statement(c)
            let letter = s.letter(x.book, configuration: x.loaded.configuration, templates: t)
            let path = out ?? "output/statement-\(AtomicFile.sanitizedName(id)).pdf"
            try writeLetter(letter, templates: t, to: path, flag: "--out")
            let m = { (v: Int64) in Money.decimalString(v, digits: s.currency.minorDigits, grouping: ",") }
            print("statement for \(id), \(s.from) to \(s.to): opening \(m(s.opening)), \(s.lines.count) transactions, closing \(m(s.closing)) \(s.currency.code) -> \(path)")
            return
        }
        let dir = out ?? "output/statements"
        var skipped: [String] = []
        let histories = CustomerHistory.all(x.book)
        let accounts = (0..<x.ledger.customers.count).filter { x.book.balance[$0] != 0 }
        // Rendered and written 500 at a time, so memory stays flat however many accounts.
        var written = 0, files = 0
        let progress = Progress.start("writing \(accounts.count) statements")
        for chunk in stride(from: 0, to: accounts.count, by: 500) {
            var letters: [Letter] = []
            for c in accounts[chunk..<min(chunk + 500, accounts.count)] {
                do { letters.append(try Statement(x.book, customer: c, from: start, edges: edges, history: histories[c]).letter(x.book, configuration: x.loaded.configuration, templates: t)) } catch {
                    skipped.append(x.id(c))
                }
            }
            files += try LetterWriter.write(letters, templates: t, to: dir).count
            written += letters.count
        }
        progress.finish()
        print("\(written) statements, \(start) to \(x.book.asOf), in \(dir) (\(files) files)")
        if !skipped.isEmpty { Loaded.warn("\(skipped.count) accounts with documents in several currencies were left out: \(skipped.prefix(10).joined(separator: ", "))") }
    }
}

struct WhatIfCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whatif",
        abstract: "Cash released by reaching KPI levels (default: the targets in arlens.yml), and cash per day of DSO.")

    @Option(name: .long, help: "Target DSO in days.") var dso: Double?
    @Option(name: .long, help: "Target CEI in percent.") var cei: Double?
    @Option(name: .customLong("over90"), help: "Target share of gross AR over 90 days past due, percent.") var over90: Double?
    @Option(name: .long, help: "The month (YYYY-MM); default: the ledger's last.") var month: String?
    @Option(name: .long, help: "table or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let m = try parseMonth(month, "--month")
        let loaded = try Loaded(ledger, tables: Loaded.core)
        let c = loaded.configuration
        let none = dso == nil && cei == nil && over90 == nil
        let w = WhatIf(loaded.timeline, configuration: c, month: m ?? loaded.timeline.lastDay.yearMonth,
                       dso: none ? c.targets["dso"] : dso, cei: none ? c.targets["cei"] : cei, over90: none ? c.targets["pct_over_90"] : over90)
        switch format {
        case .json, .csv:
            print(JSONValue.object([
                ("month", .string(w.month.description)), ("per_day_of_dso", w.perDayOfDSO.map { .string(loaded.money($0)) } ?? .null),
                ("rows", .array(w.lines.map { l in
                    .object([("metric", .string(l.metric.rawValue)), ("current", .number((l.current * 100).rounded() / 100)),
                             ("target", .number(l.target)), ("released", .string(loaded.money(l.released)))])
                })),
            ]).serialized())
        case .table:
            print("What reaching the targets would release, \(w.month) (\(loaded.base.code))")
            if let p = w.perDayOfDSO { print("Each day of DSO is \(loaded.money(p, grouped: true)) of cash.") }
            var t = TextTable(["metric", "now", "target", "cash released"], align: [.left, .right, .right, .right])
            for l in w.lines { t.add([l.metric.title, String(format: "%.1f", l.current), String(format: "%g", l.target), loaded.money(l.released, grouped: true)]) }
            if w.lines.isEmpty { print("No target given: use --dso, --cei or --over90, or set targets in arlens.yml.") } else { print(t.render(), terminator: "") }
        }
    }
}

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Invoicing-policy compliance: sent late, terms that differ, raised over the credit limit, missing PO, unapproved large credits.")

    @Option(name: .long, help: "First month (YYYY-MM); default: the last 12 months.") var from: String?
    @Option(name: .long, help: "Last month (YYYY-MM).") var to: String?
    @Option(name: .long, help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let f = try parseMonth(from, "--from"), tt = try parseMonth(to, "--to")
        let loaded = try Loaded(ledger, tables: Loaded.core)
        let last = tt ?? loaded.timeline.lastDay.yearMonth
        let first = f ?? last.advanced(by: -11)
        let findings = PolicyCompliance.check(loaded.timeline, configuration: loaded.configuration, from: first.firstDay, to: last.lastDay)
        switch format {
        case .json:
            print(JSONValue.object([("from", .string(first.description)), ("to", .string(last.description)), ("findings", .array(findings.map { x in
                .object([("rule", .string(x.rule)), ("document", .string(x.document)), ("customer_id", .string(x.customer)),
                         ("date", .string(x.date.description)), ("amount", .string(loaded.money(x.amount))), ("message", .string(x.message))])
            }))]).serialized())
        case .csv:
            var w = CSVWriter(header: ["rule", "document", "customer_id", "date", "amount", "message"])
            for x in findings { w.addRow([.text(x.rule), .text(x.document), .text(x.customer), .text(x.date.description), .number(loaded.money(x.amount)), .text(x.message)]) }
            printCSV(w)
        case .table:
            var by: [String: (Int, Int64)] = [:]
            for x in findings { by[x.rule, default: (0, 0)].0 += 1; by[x.rule, default: (0, 0)].1 += x.amount }
            print("Invoicing policy, \(first) to \(last): \(findings.count) findings")
            var t = TextTable(["rule", "findings", "amount"], align: [.left, .right, .right])
            for (k, v) in by.sorted(by: { $0.key < $1.key }) { t.add([k, String(v.0), loaded.money(v.1, grouped: true)]) }
            print(t.render(), terminator: "")
            var d = TextTable(["rule", "document", "customer", "date", "what"], align: [.left, .left, .left, .left, .left])
            for x in findings.prefix(50) { d.add([x.rule, x.document, x.customer, x.date.description, AgingOutput.clip(x.message, 90)]) }
            if !findings.isEmpty { print("\nFirst \(min(50, findings.count)) (all with --format csv)\n" + d.render(), terminator: "") }
        }
    }
}

struct ReconcileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "The AR sub-ledger against the GL control account (a CSV of date,balance): the difference per date and what explains it.")

    @Option(name: .long, help: "CSV with columns date and balance (base currency).") var gl: String
    @Option(name: .long, help: "table, csv or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let loaded = try Loaded(ledger, tables: Loaded.core)
        let rows = try ReconcileCommand.readGL(gl, digits: loaded.base.minorDigits)
        let lines = GLReconciliation.reconcile(loaded.timeline, gl: rows)
        switch format {
        case .json:
            print(JSONValue.object([("currency", .string(loaded.base.code)), ("rows", .array(lines.map { r in
                .object([("date", .string(r.date.description)), ("gl", .string(loaded.money(r.gl))), ("subledger", .string(loaded.money(r.subledger))),
                         ("difference", .string(loaded.money(r.difference))), ("explanations", .array(r.explanations.map { .string($0) }))])
            }))]).serialized())
        case .csv:
            var w = CSVWriter(header: ["date", "gl", "subledger", "difference", "explanation"])
            for r in lines {
                w.addRow([.text(r.date.description), .number(loaded.money(r.gl)), .number(loaded.money(r.subledger)), .number(loaded.money(r.difference)),
                          .text(r.explanations.joined(separator: "; "))])
            }
            printCSV(w)
        case .table:
            var t = TextTable(["date", "GL", "sub-ledger", "difference", "explained by"], align: [.left, .right, .right, .right, .left])
            for r in lines {
                t.add([r.date.description, loaded.money(r.gl, grouped: true), loaded.money(r.subledger, grouped: true), loaded.money(r.difference, grouped: true),
                       r.difference == 0 ? "" : (r.explanations.first ?? "not found")])
            }
            let open = lines.filter { $0.difference != 0 }
            print("AR control account against the sub-ledger (\(loaded.base.code)): \(lines.count) dates, \(open.count) with a difference, \(open.filter { $0.explanations.isEmpty }.count) unexplained")
            print(t.render(), terminator: "")
        }
    }

    /// date,balance rows; a bad row is an error naming the file, line, column and value.
    static func readGL(_ path: String, digits: Int) throws -> [(date: Day, balance: Int64)] {
        let mapped: MappedFile
        do { mapped = try MappedFile(path: path) } catch { throw CLIFailure(code: 1, message: "error: \(error)") }
        var scanner = CSVScanner(bytes: mapped.bytes)
        var fields: [CSVField] = []
        guard case .record = scanner.next(&fields) else { throw CLIFailure(code: 1, message: "error: \(path): empty file") }
        let header = fields.map { f in scanner.withValue(f) { String(decoding: $0, as: UTF8.self) }.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let dc = header.firstIndex(of: "date"), let bc = header.firstIndex(of: "balance") else {
            throw CLIFailure(code: 1, message: "error: \(path):1: expected columns date and balance (the header has: \(header.joined(separator: ", ")))")
        }
        var out: [(Day, Int64)] = []
        let parser = AmountParser()
        while true {
            let line = scanner.line
            guard let r = scanner.next(&fields) else { break }
            guard case .record = r else { throw CLIFailure(code: 1, message: "error: \(path):\(line): malformed row") }
            if fields.count == 1 && scanner.withValue(fields[0], { $0.isEmpty }) { continue }
            func value(_ k: Int) -> String { k < fields.count ? scanner.withValue(fields[k]) { String(decoding: $0, as: UTF8.self) } : "" }
            guard let d = Day(iso: value(dc).trimmingCharacters(in: .whitespaces)) else {
                throw CLIFailure(code: 1, message: "error: \(path):\(line): column 'date': '\(value(dc))' is not a date (YYYY-MM-DD)")
            }
            let b: Int64
            do { b = try parser.parse(value(bc).trimmingCharacters(in: .whitespaces), digits: digits) } catch {
                throw CLIFailure(code: 1, message: "error: \(path):\(line): column 'balance': '\(value(bc))': \(error)")
            }
            out.append((d, b))
        }
        return out
    }
}
