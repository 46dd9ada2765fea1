import ARAnalytics
import ARLoading
import ARModel
import AROutput
import Foundation

extension Workspace {
    /// `arlens validate`: every table of `source`, an empty ledger allowed, and nothing
    /// refused for its rejections (they are what validate reports; `--strict` is judged by
    /// `strictFailure` after they are printed).
    public static func validate(_ source: LedgerSource) throws -> ValidationView {
        var source = source
        source.strict = false
        return try Workspace(source, tables: nil, allowEmpty: true).validate()
    }

    /// Every rejected row and data-quality finding, and how payments were applied.
    public func validate() -> ValidationView {
        var report = load.report
        report.findings += DataQuality.findings(load.ledger)
        // Credits cut by the settlement rule after automatic cash application, as the loader
        // reports the ones it cuts: a finding naming the file and line.
        for issue in prepared.settlement {
            report.findings.append(Finding(kind: issue.kind.rawValue, table: issue.table, key: issue.key,
                                           message: "\(issue.table).csv:\(issue.line): \(issue.message)"))
        }
        if var c = prepared.cashApplication {
            c.settlement = []
            report.notes.append(c.summary)
        }
        return ValidationView(report: report, ledger: load.ledger, configPath: load.configuration.path, data: source.display)
    }

    /// What the ledger holds: tables, dates, currencies, billed and received totals.
    public func summary() -> SummaryView { SummaryView(load: load, data: source.display) }
}

public struct ValidationView: TabularResult {
    /// `--strict`'s verdict: an error (exit 1) when any row was rejected.
    public var strictFailure: ARLensError? {
        report.rejections.isEmpty ? nil : ARLensError(.strict, "\(report.rejections.count) rows rejected (--strict)")
    }

    public let report: LoadReport
    let ledger: Ledger
    let configPath: String?
    let data: String


    public var json: JSONValue {
        let r = report
        let files: [JSONValue] = r.files.map { f in
            var fields: [(String, JSONValue)] = [("file", .string(f.file)), ("read", .int(f.read)), ("loaded", .int(f.loaded)),
                                                 ("rejected", .int(f.rejected))]
            // Exports also count the rows they skip and fold.
            if f.skipped + f.folded > 0 { fields += [("skipped", .int(f.skipped)), ("folded", .int(f.folded))] }
            return .object(fields)
        }
        let rejections: [JSONValue] = r.rejections.map { x in
            // A row read from a database also names its key.
            .object([("file", .string(x.file)), ("line", .int(x.line))] + (x.key.map { [("key", JSONValue.string($0))] } ?? [])
                    + [("column", .optional(x.column)), ("value", .optional(x.value)), ("reason", .string(x.reason))])
        }
        var top: [(String, JSONValue)] = [("files", .array(files)), ("rejections", .array(rejections))]
        if !r.skipped.isEmpty || !r.folded.isEmpty {
            // Exports: rows left out on purpose and line items folded, each with why.
            let rows: [(String, Rejection)] = r.skipped.map { ("skipped", $0) } + r.folded.map { ("folded", $0) }
            top.append(("skipped", .array(rows.map { k, x in
                .object([("kind", .string(k)), ("file", .string(x.file)), ("line", .int(x.line)), ("column", .optional(x.column)),
                         ("value", .optional(x.value)), ("reason", .string(x.reason))])
            })))
        }
        top.append(("findings", .array(r.findings.map { f in
            .object([("kind", .string(f.kind)), ("table", .string(f.table)), ("key", .string(f.key)),
                     ("message", .string(f.message))])
        })))
        return .object(top)
    }

    /// One line per rejection and finding, for a spreadsheet.
    public var csv: String {
        var w = CSVWriter(header: ["type", "file", "line", "column", "value", "kind", "key", "message"])
        for x in report.rejections {
            w.addRow([.text("rejection"), .text(x.file), .number(String(x.line)), .text(x.column ?? ""),
                      .text(x.value ?? ""), .empty, x.key.map { .text($0) } ?? .empty, .text(x.reason)])
        }
        for (kind, list) in [("skipped", report.skipped), ("folded", report.folded)] {
            for x in list {
                w.addRow([.text(kind), .text(x.file), .number(String(x.line)), .text(x.column ?? ""),
                          .text(x.value ?? ""), .empty, .empty, .text(x.reason)])
            }
        }
        for f in report.findings {
            w.addRow([.text("finding"), .text(f.table), .empty, .empty, .empty, .text(f.kind), .text(f.key), .text(f.message)])
        }
        return w.text
    }

    public var table: String {
        let r = report
        var out = "Ledger \(data): base currency \(ledger.baseCurrency)"
        if let p = configPath { out += ", configuration \(p)" }
        out += "\n\n"
        let exports = r.files.contains { $0.skipped + $0.folded > 0 }
        var t = TextTable(["file", "read", "loaded", "rejected"] + (exports ? ["skipped", "folded"] : []),
                          align: [.left, .right, .right, .right] + (exports ? [.right, .right] : []))
        for f in r.files {
            t.add([f.file, String(f.read), String(f.loaded), String(f.rejected)] + (exports ? [String(f.skipped), String(f.folded)] : []))
        }
        let loaded = r.files.reduce(0) { $0 + $1.loaded }
        let skipped = r.files.reduce(0) { $0 + $1.skipped }, folded = r.files.reduce(0) { $0 + $1.folded }
        t.add(["total", String(r.totalRead), String(loaded), String(r.totalRejected)] + (exports ? [String(skipped), String(folded)] : []))
        out += t.render()
        if !r.skipped.isEmpty {
            out += "Skipped rows (titles, totals, headings, filtered out): \(r.skipped.count)\n"
            for x in r.skipped.prefix(20) { out += "  \(x.message)\n" }
            if r.skipped.count > 20 { out += "  ... \(r.skipped.count - 20) more (arlens validate --format csv lists them)\n" }
        }
        if !r.folded.isEmpty { out += "Line items folded into their document: \(r.folded.count)\n" }
        for f in r.files where !f.ignoredColumns.isEmpty {
            out += "\(f.file): columns not used: \(f.ignoredColumns.joined(separator: ", "))\n"
        }
        for n in r.notes { out += "note: \(n)\n" }
        out += "\nRejected rows: \(r.rejections.count)\n"
        for x in r.rejections { out += "  \(x.message)\n" }
        out += "\nData-quality findings: \(r.findings.count)\n"
        if !r.findings.isEmpty {
            var counts: [String: Int] = [:]
            for f in r.findings { counts[f.kind, default: 0] += 1 }
            out += "  " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            for f in r.findings { out += "  \(f.kind): \(f.message)\n" }
        }
        return out
    }
}

public struct SummaryView: Rendered {
    public static let formats: [OutputFormat] = [.table]
    let load: LoadResult
    let data: String

    public func render(_ format: OutputFormat) -> String {
        let l = load.ledger
        var out = ""
        if let company = load.configuration.configuration.company { out += "\(company)\n" }
        if let range = l.dateRange { out += "Ledger \(data): \(range.lowerBound) to \(range.upperBound), base currency \(l.baseCurrency)\n\n" }
        var t = TextTable(["table", "rows"], align: [.left, .right])
        t.add(["customers", String(l.customers.count)])
        t.add(["invoices", String(l.invoices.count)])
        t.add(["payments", String(l.payments.count) + (l.paymentsFromInvoices ? " (from paid_date)" : "")])
        t.add(["applications", String(l.applications.count)])
        t.add(["adjustments", String(l.adjustments.count)])
        t.add(["disputes", String(l.disputes.count)])
        t.add(["activities", String(l.activities.count)])
        t.add(["purchase orders", String(l.purchaseOrders.count)])
        out += t.render() + "\n"

        var billed: [Currency: Int64] = [:], received: [Currency: Int64] = [:], applied: [Currency: Int64] = [:]
        for i in 0..<l.invoices.count { billed[l.invoices.currency[i], default: 0] += l.invoices.amount[i] }
        for i in 0..<l.payments.count { received[l.payments.currency[i], default: 0] += l.payments.amount[i] }
        for i in 0..<l.applications.count {
            applied[l.payments.currency[Int(l.applications.payment[i])], default: 0] += l.applications.amount[i]
        }
        var m = TextTable(["currency", "invoiced", "received", "applied"], align: [.left, .right, .right, .right])
        for c in Set(billed.keys).union(received.keys).sorted() {
            func f(_ v: Int64?) -> String { Money(minorUnits: v ?? 0, currency: c).groupedString }
            m.add([c.code, f(billed[c]), f(received[c]), f(applied[c])])
        }
        out += m.render()
        let r = load.report
        let findings = r.findings.count + DataQuality.findings(l).count
        out += "\n\(r.totalRead) rows read, \(r.totalRejected) rejected, \(findings) data-quality findings (arlens validate lists them)\n"
        return out
    }
}
