import ARAnalytics
import ARLoading
import ARModel
import AROutput
import Foundation

extension Workspace {
    /// The tables `precheck` reads: the core, purchase orders and disputes.
    public static let precheckTables: Set<TableName> = core.union([.purchaseOrders, .disputes])

    /// Draft invoices in `file` (invoices.csv columns, or arlens.yml's invoices mapping)
    /// checked against the ledger as of `asOf` (default: its last date). Reads only.
    public func precheck(file: String, asOf: Day?, maxAgeDays: Int = 30) throws -> PrecheckView {
        guard maxAgeDays >= 0 else { throw ARLensError.usage("--max-age must be 0 or more days") }
        let day = try self.asOf(asOf)
        let batch = try DraftReader.read(path: file, config: load.configuration, ledger: ledger)
        // The book of the drafts' customers only: their balances and overdue items.
        var drafted = [Bool](repeating: false, count: ledger.customers.count)
        for c in batch.invoices.customer { drafted[Int(c)] = true }
        let book = AccountBook(timeline, asOf: day, only: drafted)
        let check = Precheck(book, drafts: batch.invoices, configuration: configuration,
                             settings: PrecheckSettings(asOf: day, maxAgeDays: maxAgeDays))
        let d = batch.invoices, cu = ledger.customers
        var rows: [PrecheckView.Row] = []
        let verdicts = check.verdicts
        for k in 0..<d.count {
            rows.append(PrecheckView.Row(line: Int(d.line[k]), invoice: d.ids[Int32(k)], customer: cu.ids[d.customer[k]],
                                         issued: d.issueDate[k].description, amount: Money.decimalString(d.amount[k], digits: d.currency[k].minorDigits),
                                         currency: d.currency[k].code, verdict: verdicts[k], reasons: check.reasons[k]))
        }
        for r in batch.rejections {
            var what = r.column.map { "\($0)" } ?? "the row"
            if let v = r.value { what += " '\(v)'" }
            rows.append(PrecheckView.Row(line: r.line, invoice: "", customer: "", issued: "", amount: "", currency: "", verdict: .stop,
                                         reasons: [DraftReason("unreadable", .stop, "\(r.file) line \(r.line): \(what): \(r.reason)")]))
        }
        rows.sort { $0.line < $1.line }
        return PrecheckView(file: batch.file, asOf: day, rows: rows)
    }
}

/// Every draft with its verdict and reasons, in file order.
public struct PrecheckView: TabularResult {
    public struct Row: Sendable {
        public let line: Int
        public let invoice: String
        public let customer: String
        public let issued: String
        public let amount: String
        public let currency: String
        public let verdict: DraftVerdict
        public let reasons: [DraftReason]
    }
    public let file: String
    public let asOf: Day
    public let rows: [Row]

    public func count(_ v: DraftVerdict) -> Int { rows.filter { $0.verdict == v }.count }
    /// Any draft says stop: the command exits with code 3.
    public var anyStop: Bool { rows.contains { $0.verdict == .stop } }

    var summary: String {
        "\(rows.count) draft\(rows.count == 1 ? "" : "s") in \(file) checked against the ledger as of \(asOf): "
            + "\(count(.send)) send, \(count(.review)) review, \(count(.stop)) stop"
    }

    public var json: JSONValue {
        .object([("file", .string(file)), ("as_of", .string(asOf.description)),
                 ("send", .int(count(.send))), ("review", .int(count(.review))), ("stop", .int(count(.stop))),
                 ("drafts", .array(rows.map { r in
                     .object([("line", .int(r.line)), ("invoice_id", .string(r.invoice)), ("customer_id", .string(r.customer)),
                              ("issue_date", .string(r.issued)), ("amount", .string(r.amount)), ("currency", .string(r.currency)),
                              ("verdict", .string(r.verdict.rawValue)),
                              ("reasons", .array(r.reasons.map { x in
                                  .object([("code", .string(x.code)), ("verdict", .string(x.verdict.rawValue)), ("message", .string(x.message))])
                              }))])
                 }))])
    }

    public var csv: String {
        var w = CSVWriter(header: ["line", "invoice_id", "customer_id", "issue_date", "amount", "currency", "verdict", "codes", "reasons"])
        for r in rows {
            w.addRow([.number(String(r.line)), .text(r.invoice), .text(r.customer), .text(r.issued), r.amount.isEmpty ? .empty : .number(r.amount),
                      .text(r.currency), .text(r.verdict.rawValue), .text(r.reasons.map(\.code).joined(separator: " ")),
                      .text(r.reasons.map(\.message).joined(separator: "; "))])
        }
        return w.text
    }

    public var table: String {
        var t = TextTable(["line", "invoice", "customer", "amount", "verdict", "why"], align: [.right, .left, .left, .right, .left, .left])
        for r in rows {
            // The worst reasons first.
            let why = r.reasons.sorted { $0.verdict > $1.verdict }.map(\.message)
            t.add([String(r.line), r.invoice, r.customer, r.amount.isEmpty ? "" : "\(r.amount) \(r.currency)", r.verdict.rawValue, why.first ?? ""])
            for more in why.dropFirst() { t.add(["", "", "", "", "", more]) }
        }
        var out = TextBlock()
        out.line(summary)
        out.raw(t.render())
        if anyStop { out.line("Drafts marked stop must not go out as they are (exit code 3).") }
        return out.text
    }
}
