import ArgumentParser
import ARAnalytics
import ARLoading
import ARModel
import AROutput
import Foundation

struct AgingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aging",
        abstract: "Aged receivables as of a date, by customer or another dimension; totals reconcile to net AR.")

    @Option(name: .long, help: "The date (YYYY-MM-DD); default: the last date in the ledger.")
    var asOf: String?

    @Option(name: .long, help: "customer (default), segment, region, collector, country or currency.")
    var by: ARAnalytics.Dimension = .customer

    @Option(name: .long, help: "due (days past due) or issue (days since issue).")
    var basis: AgingBasis = .due

    @Flag(name: .long, help: "List the open items behind each line.")
    var detail = false

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let asOfDay = try parseDay(asOf, "--as-of")
        let loaded = try Loaded(ledger, tables: Loaded.core)
        let t = loaded.timeline
        let report = Aging.compute(t, asOf: asOfDay ?? t.lastDay, basis: basis, edges: loaded.configuration.agingBuckets,
                                   by: by, detail: detail)
        if let problem = report.checkInvariants() {
            throw CLIFailure(code: 1, message: "internal error: aging does not reconcile: \(problem)")
        }
        let out = AgingOutput(loaded: loaded, report: report)
        switch format {
        case .json: print(out.json().serialized())
        case .csv: print(out.csv(), terminator: "")
        case .table: print(out.table(), terminator: "")
        }
    }
}

struct AgingOutput {
    let loaded: Loaded
    let report: AgingReport

    var columns: [String] { report.labels + ["unapplied"] }

    func cells(_ r: AgingRow) -> [Int64] { r.buckets + [r.unapplied, r.total] }

    func json() -> JSONValue {
        func row(_ r: AgingRow, group: Bool) -> JSONValue {
            var f: [(String, JSONValue)] = group ? [("group", .string(r.group))] : []
            for (name, v) in zip(columns + ["total"], cells(r)) { f.append((name, .string(loaded.money(v)))) }
            return .object(f)
        }
        var fields: [(String, JSONValue)] = [
            ("as_of", .string(report.asOf.description)), ("basis", .string(report.basis.rawValue)),
            ("currency", .string(report.currency.code)), ("buckets", .array(columns.map { .string($0) })),
            ("rows", .array(report.rows.map { row($0, group: true) })), ("total", row(report.total, group: false)),
        ]
        if !report.items.isEmpty || (report.rows.isEmpty == false && loadedDetail) {
            fields.append(("items", .array(report.items.map { i in
                .object([("group", .string(i.group)), ("customer", .string(i.customer)), ("document", .string(i.document)),
                         ("kind", .string(i.kind)), ("date", .string(i.date.description)),
                         ("due_date", .optional(i.due?.description)),
                         ("days_past_due", i.daysPastDue.map { .int($0) } ?? .null),
                         ("bucket", .optional(i.bucket.map { report.labels[$0] } ?? "unapplied")),
                         ("open", .string(loaded.money(i.amount))), ("currency", .string(i.currency.code)),
                         ("open_local", .string(Money.decimalString(i.localAmount, digits: i.currency.minorDigits)))])
            })))
        }
        return .object(fields)
    }

    var loadedDetail: Bool { !report.items.isEmpty }

    func csv() -> String {
        if !report.items.isEmpty {
            var w = CSVWriter(header: ["group", "customer", "document", "kind", "date", "due_date", "days_past_due", "bucket",
                                       "open", "currency", "open_local"])
            for i in report.items {
                w.addRow([.text(i.group), .text(i.customer), .text(i.document), .text(i.kind), .text(i.date.description),
                          .text(i.due?.description ?? ""), i.daysPastDue.map { .number(String($0)) } ?? .empty,
                          .text(i.bucket.map { report.labels[$0] } ?? "unapplied"), .number(loaded.money(i.amount)),
                          .text(i.currency.code), .number(Money.decimalString(i.localAmount, digits: i.currency.minorDigits))])
            }
            return w.text
        }
        var w = CSVWriter(header: ["group"] + columns + ["total"])
        for r in report.rows + [report.total] {
            w.addRow([.text(r.group)] + cells(r).map { .number(loaded.money($0)) })
        }
        return w.text
    }

    func table() -> String {
        let l = loaded.prepared.ledger
        let named = report.dimension == .customer
        var headers = [report.dimension.rawValue]
        if named { headers.append("name") }
        headers += columns + ["total"]
        let textColumns = named ? 2 : 1
        var t = TextTable(headers, align: headers.indices.map { $0 < textColumns ? .left : .right })
        for r in report.rows {
            var row = [r.group]
            if named { row.append(l.customers.ids.find(r.group).map { Self.clip(l.customers.name[Int($0)], 28) } ?? "") }
            t.add(row + cells(r).map { loaded.money($0, grouped: true) })
        }
        var total = ["total"]
        if named { total.append("") }
        t.add(total + cells(report.total).map { loaded.money($0, grouped: true) })
        var out = "Aging as of \(report.asOf) by \(report.basis == .due ? "days past due" : "days since issue"), \(report.currency)\n"
        out += t.render()
        if !report.items.isEmpty {
            var d = TextTable(["customer", "document", "kind", "date", "due", "days", "bucket", "open"],
                              align: [.left, .left, .left, .left, .left, .right, .left, .right])
            for i in report.items {
                d.add([i.customer, i.document, i.kind, i.date.description, i.due?.description ?? "",
                       i.daysPastDue.map(String.init) ?? "", i.bucket.map { report.labels[$0] } ?? "unapplied",
                       loaded.money(i.amount, grouped: true)])
            }
            out += "\nOpen items\n" + d.render()
        }
        return out
    }

    static func clip(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }
}

struct RollForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollforward",
        abstract: "AR roll-forward: beginning AR + billings − collections − credits − write-offs ± FX = ending AR.")

    @Option(name: .long, help: "First month (YYYY-MM); default: the ledger's last month.")
    var from: String?

    @Option(name: .long, help: "Last month (YYYY-MM); default: --from.")
    var to: String?

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let f = try parseMonth(from, "--from"), tt = try parseMonth(to, "--to")
        let loaded = try Loaded(ledger, tables: Loaded.core)
        let first = f ?? tt ?? loaded.timeline.lastDay.yearMonth
        let last = tt ?? first
        if first > last { throw CLIFailure(code: 1, message: "error: --from \(first) is after --to \(last)") }
        let r = RollForward.compute(loaded.timeline, from: first, to: last)
        guard r.reconciles else { throw CLIFailure(code: 1, message: "internal error: the roll-forward does not reconcile") }
        let lines: [(String, String, Int64)] = [
            ("beginning_ar", "AR at the start", r.beginning), ("invoices", "+ invoices", r.invoices),
            ("debit_memos", "+ debit memos", r.debitMemos), ("late_fees", "+ late fees", r.lateFees),
            ("collections", "− collections", -r.collections), ("credit_memos", "− credit memos", -r.creditMemos),
            ("write_offs", "− write-offs", -r.writeOffs), ("fx", "± FX differences", r.fx), ("ending_ar", "= AR at the end", r.ending),
        ]
        let period = first == last ? first.description : "\(first) to \(last)"
        switch format {
        case .json:
            print(JSONValue.object([("from", .string(first.description)), ("to", .string(last.description)),
                                    ("currency", .string(r.currency.code))] +
                                   lines.map { ($0.0, .string(loaded.money($0.2))) } + [("reconciles", .bool(r.reconciles))]).serialized())
        case .csv:
            var w = CSVWriter(header: ["line", "amount"])
            for l in lines { w.addRow([.text(l.0), .number(loaded.money(l.2))]) }
            print(w.text, terminator: "")
        case .table:
            var t = TextTable(["AR roll-forward \(period)", r.currency.code], align: [.left, .right])
            for l in lines { t.add([l.1, loaded.money(l.2, grouped: true)]) }
            print(t.render(), terminator: "")
        }
    }
}
