import ARAnalytics
import ARModel
import AROutput
import Foundation

extension Workspace {
    /// Aged receivables as of a date (default: the ledger's last), grouped by a dimension.
    /// `buckets` overrides arlens.yml's edges; `firstBucketFromZero` gives the ERPNext layout
    /// (what is not yet due sits in the first range); `ageUnappliedByDate` ages unapplied cash
    /// and unallocated credits by their own date instead of one `unapplied` column.
    public func aging(asOf: Day?, by: ARAnalytics.Dimension = .customer, basis: AgingBasis = .due, detail: Bool = false,
                      buckets: [Int]? = nil, firstBucketFromZero: Bool = false, ageUnappliedByDate: Bool = false) throws -> AgingView {
        let report = Aging.compute(timeline, asOf: try self.asOf(asOf), basis: basis, edges: buckets ?? configuration.agingBuckets, by: by,
                                   detail: detail, firstBucketFromZero: firstBucketFromZero, ageUnappliedByDate: ageUnappliedByDate)
        Profile.mark("aging")
        if let problem = report.checkInvariants() { throw ARLensError.invariant("aging does not reconcile: \(problem)") }
        return AgingView(workspace: self, report: report)
    }

    /// Aging bucket edges from "30,60,90,120": whole days, rising, 1 to 12 of them, each under 10,000.
    public static func agingEdges(_ list: String?) throws -> [Int]? {
        guard let list else { return nil }
        let parts = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let edges = parts.compactMap { Int($0) }
        guard edges.count == parts.count, (1...12).contains(edges.count), edges.allSatisfy({ $0 > 0 && $0 < 10_000 }),
              zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ARLensError.usage("--buckets takes 1 to 12 rising day counts, e.g. 30,60,90,120 (not '\(list)')")
        }
        return edges
    }

    /// The AR roll-forward over a month range (default: the ledger's last month).
    public func rollForward(from: YearMonth?, to: YearMonth?) throws -> RollForwardView {
        let first = from ?? to ?? lastMonth
        let last = to ?? first
        if first > last { throw ARLensError.input("--from \(first) is after --to \(last)") }
        let r = RollForward.compute(timeline, from: first, to: last)
        guard r.reconciles else { throw ARLensError.invariant("the roll-forward does not reconcile") }
        return RollForwardView(workspace: self, result: r, first: first, last: last)
    }
}

public struct AgingView: TabularResult {
    let workspace: Workspace
    public let report: AgingReport

    var columns: [String] { report.labels + ["unapplied"] }
    func cells(_ r: AgingRow) -> [Int64] { r.buckets + [r.unapplied, r.total] }
    func money(_ v: Int64, grouped: Bool = false) -> String { workspace.money(v, grouped: grouped) }


    public var json: JSONValue {
        let names = columns + ["total"]
        func row(_ r: AgingRow, group: Bool) -> JSONValue {
            var f: [(String, JSONValue)] = group ? [("group", .string(r.group))] : []
            f.reserveCapacity(names.count + 1)
            for (name, v) in zip(names, cells(r)) { f.append((name, .string(money(v)))) }
            return .object(f)
        }
        var fields: [(String, JSONValue)] = [
            ("as_of", .string(report.asOf.description)), ("basis", .string(report.basis.rawValue)),
            ("currency", .string(report.currency.code)), ("buckets", .array(columns.map { .string($0) })),
            ("rows", .array(report.rows.map { row($0, group: true) })), ("total", row(report.total, group: false)),
        ]
        if !report.items.isEmpty {
            fields.append(("items", .array(report.items.map { i in
                .object([("group", .string(i.group)), ("customer", .string(i.customer)), ("document", .string(i.document)),
                         ("kind", .string(i.kind)), ("date", .string(i.date.description)),
                         ("due_date", .optional(i.due?.description)),
                         ("days_past_due", i.daysPastDue.map { .int($0) } ?? .null),
                         ("bucket", .optional(i.bucket.map { report.labels[$0] } ?? "unapplied")),
                         ("open", .string(money(i.amount))), ("currency", .string(i.currency.code)),
                         ("open_local", .string(Money.decimalString(i.localAmount, digits: i.currency.minorDigits)))])
            })))
        }
        return .object(fields)
    }

    /// A customer's name for the CSV ("" for a group that is not a customer).
    func name(_ id: String) -> String {
        let cu = workspace.ledger.customers
        return cu.ids.find(id).map { cu.name[Int($0)] } ?? ""
    }

    /// The first column is named by the dimension, and names sit beside customer ids.
    public var csv: String {
        let named = report.dimension == .customer
        if !report.items.isEmpty {
            var w = CSVWriter(header: [report.dimension.rawValue, "customer", "name", "document", "kind", "date", "due_date", "days_past_due", "bucket",
                                       "open", "currency", "open_local"])
            for i in report.items {
                w.addRow([.text(i.group), .text(i.customer), .text(name(i.customer)), .text(i.document), .text(i.kind), .text(i.date.description),
                          .text(i.due?.description ?? ""), i.daysPastDue.map { .number(String($0)) } ?? .empty,
                          .text(i.bucket.map { report.labels[$0] } ?? "unapplied"), .number(money(i.amount)),
                          .text(i.currency.code), .number(Money.decimalString(i.localAmount, digits: i.currency.minorDigits))])
            }
            return w.text
        }
        var w = CSVWriter(header: [report.dimension.rawValue] + (named ? ["name"] : []) + columns + ["total"])
        for r in report.rows {
            w.addRow([.text(r.group)] + (named ? [.text(name(r.group))] : []) + cells(r).map { .number(money($0)) })
        }
        w.addRow([.text("total")] + (named ? [.empty] : []) + cells(report.total).map { .number(money($0)) })
        return w.text
    }

    public var table: String {
        let l = workspace.ledger
        let named = report.dimension == .customer
        var headers = [report.dimension.rawValue]
        if named { headers.append("name") }
        headers += columns + ["total"]
        let textColumns = named ? 2 : 1
        var t = TextTable(headers, align: headers.indices.map { $0 < textColumns ? .left : .right })
        for r in report.rows {
            var row = [r.group]
            if named { row.append(l.customers.ids.find(r.group).map { clip(l.customers.name[Int($0)], 28) } ?? "") }
            t.add(row + cells(r).map { money($0, grouped: true) })
        }
        var total = ["total"]
        if named { total.append("") }
        t.add(total + cells(report.total).map { money($0, grouped: true) })
        var out = "Aging as of \(report.asOf) by \(report.basis == .due ? "days past due" : "days since issue"), \(report.currency)\n"
        out += t.render()
        if !report.items.isEmpty {
            var d = TextTable(["customer", "document", "kind", "date", "due", "days", "bucket", "open"],
                              align: [.left, .left, .left, .left, .left, .right, .left, .right])
            for i in report.items {
                d.add([i.customer, i.document, i.kind, i.date.description, i.due?.description ?? "",
                       i.daysPastDue.map(String.init) ?? "", i.bucket.map { report.labels[$0] } ?? "unapplied",
                       money(i.amount, grouped: true)])
            }
            out += "\nOpen items\n" + d.render()
        }
        return out
    }
}

public struct RollForwardView: Rendered {
    let workspace: Workspace
    public let result: RollForward
    public let first: YearMonth, last: YearMonth

    /// How the lines add up: collections, credit memos and write-offs are positive amounts
    /// that are subtracted (as `kpi collections` and `kpi write_offs` report them).
    public static let formula = "ending_ar = beginning_ar + invoices + debit_memos + late_fees - collections - credit_memos - write_offs + fx"

    var lines: [(String, String, Int64)] {
        let r = result
        return [
            ("beginning_ar", "AR at the start", r.beginning), ("invoices", "+ invoices", r.invoices),
            ("debit_memos", "+ debit memos", r.debitMemos), ("late_fees", "+ late fees", r.lateFees),
            ("collections", "− collections", r.collections), ("credit_memos", "− credit memos", r.creditMemos),
            ("write_offs", "− write-offs", r.writeOffs), ("fx", "± FX differences", r.fx), ("ending_ar", "= AR at the end", r.ending),
        ]
    }

    public func render(_ format: OutputFormat) -> String {
        let m = { (v: Int64, g: Bool) in workspace.money(v, grouped: g) }
        switch format {
        case .json:
            return JSONValue.object([("from", .string(first.description)), ("to", .string(last.description)),
                                     ("currency", .string(result.currency.code)), ("formula", .string(RollForwardView.formula))] +
                                    lines.map { ($0.0, .string(m($0.2, false))) } + [("reconciles", .bool(result.reconciles))]).printed
        case .csv:
            var w = CSVWriter(header: ["line", "amount"])
            for l in lines { w.addRow([.text(l.0), .number(m(l.2, false))]) }
            return w.text
        case .table:
            let period = first == last ? first.description : "\(first) to \(last)"
            var t = TextTable(["AR roll-forward \(period)", result.currency.code], align: [.left, .right])
            for l in lines { t.add([l.1, m(l.2, true)]) }
            return t.render()
        }
    }
}
