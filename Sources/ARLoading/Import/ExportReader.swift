import ARModel
import Foundation

/// Where a row of a table made from an export came from.
public struct SourceRef: Sendable, Hashable {
    /// Index into `ImportResult.sourceNames`.
    public var file: Int32
    public var line: Int32
}

/// A ledger table made from an export: canonical header and rows, each with its source row.
public struct ImportedTable: Sendable {
    public let table: TableName
    public let header: [String]
    public var rows: [[String]] = []
    public var origin: [SourceRef] = []

    init(_ table: TableName, _ header: [String]) {
        self.table = table
        self.header = header
    }

    mutating func add(_ values: [String], _ from: SourceRef) {
        rows.append(values)
        origin.append(from)
    }

    /// The table as ledger-format CSV text, and for each physical line of it the source row
    /// of the record starting there (the header and continuation lines map to nil).
    public func csv() -> (bytes: [UInt8], lines: [SourceRef?]) {
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * 64)
        var lines: [SourceRef?] = [nil, nil]      // index 0 unused; line 1 is the header
        func field(_ s: String) {
            if s.isEmpty { return }
            if s.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) || s.first == " " || s.last == " " {
                out.append(34)
                for b in s.utf8 {
                    if b == 34 { out.append(34) }
                    if b == 10 { lines.append(nil) }
                    out.append(b)
                }
                out.append(34)
            } else {
                out.append(contentsOf: s.utf8)
            }
        }
        for (k, h) in header.enumerated() { if k > 0 { out.append(44) }; field(h) }
        out.append(10)
        for (r, row) in rows.enumerated() {
            lines.append(origin[r])
            for (k, v) in row.enumerated() { if k > 0 { out.append(44) }; field(v) }
            out.append(10)
        }
        return (out, lines)
    }
}

/// Counts for one file of an export: every row read is loaded, folded into another row,
/// skipped (titles, totals, filtered out) or rejected.
public struct SourceFileReport: Sendable {
    public var file: String
    public var layout: String
    public var encoding: TextEncoding
    public var delimiter: UInt8
    public var headerLine: Int
    public var read = 0
    /// Rows passed on as documents (loaded unless the loader rejects them).
    public var passed: [Int32] = []
    public var skipped = 0
    public var folded = 0
    public var rejected = 0
}

/// What reading an export produced: ledger tables, and an account of every row.
public struct ImportResult: Sendable {
    public var sourceNames: [String] = []
    public var tables: [TableName: ImportedTable] = [:]
    public var files: [SourceFileReport] = []
    public var rejections: [Rejection] = []
    /// Rows left out on purpose, each with its reason (titles, totals, filtered rows).
    public var skipped: [Rejection] = []
    /// Rows folded into another row (line items of one document).
    public var folded: [Rejection] = []
    public var notes: [String] = []

    /// Adds another export's result (its file indexes shifted past this one's).
    mutating func merge(_ o: ImportResult) {
        let shift = Int32(sourceNames.count)
        sourceNames += o.sourceNames
        for (t, table) in o.tables {
            var mine = tables[t] ?? ImportedTable(t, table.header)
            for (k, row) in table.rows.enumerated() {
                mine.add(row, SourceRef(file: table.origin[k].file + shift, line: table.origin[k].line))
            }
            tables[t] = mine
        }
        files += o.files
        rejections += o.rejections
        skipped += o.skipped
        folded += o.folded
        notes += o.notes
    }
}

/// Reads exports (any encoding, delimiter, header position) through `ExportLayout`s into
/// ledger tables. Amounts and dates are parsed here, so problems name the export's file,
/// line, column and value; the tables it makes are then loaded like any ledger folder.
public enum ExportReader {
    static let invoiceHeader = ["invoice_id", "customer_id", "invoice_number", "issue_date", "due_date", "amount", "currency", "po_number"]
    static let adjustmentHeader = ["adjustment_id", "customer_id", "date", "kind", "amount", "invoice_id", "reason"]
    static let paymentHeader = ["payment_id", "customer_id", "received_date", "amount", "currency", "method", "reference"]
    static let applicationHeader = ["payment_id", "invoice_id", "amount", "applied_date"]
    static let customerHeader = ["customer_id", "name", "currency"]

    /// One document read from a row (or several rows folded together).
    struct Doc {
        var layout: Int
        var target: ExportTarget
        var id: String
        var number: String
        var customer: String
        var customerName: String
        var date: Day
        var due: Day?
        var amount: Int64
        var open: Int64?
        var paid: Int64?
        var paidDate: Day?
        var currency: String
        var reference: String
        var po: String
        var clearing: String
        var reason: String
        var method: String
        var from: SourceRef
        var synthesizedID: Bool
    }

    /// Reads `source`'s files (paths relative to `directory` unless absolute).
    public static func read(_ source: ExportSource, directory: String) throws(LoadError) -> ImportResult {
        var result = ImportResult()
        var docs: [Doc] = []
        for name in source.files {
            let path = name.hasPrefix("/") ? name : (directory as NSString).appendingPathComponent(name)
            try readFile(path: path, display: name, source, &result, &docs)
        }
        finish(docs, source, &result)
        return result
    }

    // MARK: one file

    static func readFile(path: String, display: String, _ source: ExportSource, _ result: inout ImportResult, _ docs: inout [Doc]) throws(LoadError) {
        let file = try MappedFile(path: path)
        let fileIndex = Int32(result.sourceNames.count)
        result.sourceNames.append(display)
        // Which layout: the one whose signature the header holds (tried in order).
        var lastError: LoadError? = nil
        var chosen: (Int, DecodedTable)? = nil
        for (k, layout) in source.layouts.enumerated() {
            do throws(LoadError) {
                let t = try DecodedTable(file.bytes, layout, display: display)
                let lower = Set(t.header.map { $0.lowercased() })
                if source.layouts.count == 1 || layout.signature.allSatisfy({ lower.contains($0.lowercased()) }) {
                    chosen = (k, t)
                    break
                }
            } catch {
                lastError = error
            }
        }
        guard let (layoutIndex, table) = chosen else {
            if source.layouts.count == 1, let lastError { throw lastError }
            let which = source.layouts.map { "\($0.name) (\($0.signature.joined(separator: ", ")))" }.joined(separator: "; ")
            throw lastError.map { e -> LoadError in e } ?? .notText(file: display, reason: "the header matches none of \(source.preset ?? "the mapping")'s layouts: \(which)")
        }
        let layout = source.layouts[layoutIndex]
        var report = SourceFileReport(file: display, layout: layout.name, encoding: table.encoding, delimiter: table.delimiter,
                                      headerLine: table.headerLine)
        let reader = try RowReader(layout, table, display: display)
        for (line, text) in table.aboveHeader {
            report.read += 1
            report.skipped += 1
            result.skipped.append(Rejection(file: display, line: line, column: nil, value: text, reason: "above the header row (line \(table.headerLine)): a title"))
        }
        for rec in table.rows {
            report.read += 1
            switch reader.read(rec, layoutIndex: layoutIndex, file: fileIndex) {
            case .doc(let d):
                docs.append(d)
            case .skipped(let column, let value, let why):
                report.skipped += 1
                result.skipped.append(Rejection(file: display, line: rec.line, column: column, value: value, reason: why))
            case .rejected(let column, let value, let why):
                report.rejected += 1
                result.rejections.append(Rejection(file: display, line: rec.line, column: column, value: value, reason: why))
            }
        }
        for m in table.malformed {
            report.read += 1
            report.rejected += 1
            result.rejections.append(m)
        }
        result.files.append(report)
    }

    // MARK: documents into tables

    static func finish(_ input: [Doc], _ source: ExportSource, _ result: inout ImportResult) {
        func name(_ d: Doc) -> String { result.sourceNames[Int(d.from.file)] }
        func count(_ d: Doc, _ kp: WritableKeyPath<SourceFileReport, Int>) {
            if let k = result.files.firstIndex(where: { $0.file == name(d) }) { result.files[k][keyPath: kp] += 1 }
        }
        func reject(_ d: Doc, _ column: String?, _ value: String?, _ why: String) {
            count(d, \.rejected)
            result.rejections.append(Rejection(file: name(d), line: Int(d.from.line), column: column, value: value, reason: why))
        }
        func label(_ d: Doc, _ f: ExportField) -> String? { source.layouts[d.layout].columns[f]?.description }

        // 1. Line items folded into their document.
        var docs: [Doc] = []
        var byKey: [String: Int] = [:]
        for d in input {
            let layout = source.layouts[d.layout]
            guard let fold = layout.fold, !d.synthesizedID else { docs.append(d); continue }
            let key = "\(d.layout)\u{0}\(d.target.rawValue)\u{0}\(d.id)"
            guard let k = byKey[key] else { byKey[key] = docs.count; docs.append(d); continue }
            let first = docs[k]
            if first.customer != d.customer {
                reject(d, label(d, .customer), d.customer, "a line of \(d.id), whose first line (\(first.from.line)) names customer \(first.customer)")
                continue
            }
            var merged = first
            var conflict: (ExportField, Int64?, Int64?)? = nil
            for (f, kp) in [(ExportField.amount, \Doc.amount as WritableKeyPath<Doc, Int64>)] {
                if fold.sum.contains(f) { merged[keyPath: kp] += d[keyPath: kp] }
                else if first[keyPath: kp] != d[keyPath: kp] { conflict = (f, first[keyPath: kp], d[keyPath: kp]) }
            }
            for (f, kp) in [(ExportField.open, \Doc.open), (ExportField.paid, \Doc.paid)] {
                if fold.sum.contains(f) {
                    if d[keyPath: kp] != nil || merged[keyPath: kp] != nil { merged[keyPath: kp] = (merged[keyPath: kp] ?? 0) + (d[keyPath: kp] ?? 0) }
                } else if first[keyPath: kp] != d[keyPath: kp] { conflict = (f, first[keyPath: kp], d[keyPath: kp]) }
            }
            if let (f, a, b) = conflict {
                let s = { (x: Int64?) in x.map { Money.decimalString($0, digits: wideDigits).trimmingTrailingZeros } ?? "empty" }
                reject(d, label(d, f), s(b), "a line of \(d.id) with \(f.rawValue) \(s(b)), but its first line (\(first.from.line)) has \(s(a)); a document's own amounts must be the same on every line")
                continue
            }
            docs[k] = merged
            count(d, \.folded)
            result.folded.append(Rejection(file: name(d), line: Int(d.from.line), column: nil, value: d.id,
                                           reason: "a line item of \(d.id), folded into its first line (\(first.from.line))"))
        }

        // 2. Direction: the sign decides where `sign` rows go; amounts become positive.
        var kept: [Doc] = []
        for var d in docs {
            let layout = source.layouts[d.layout]
            var amount = d.amount
            // An aging report's open amount says more than its original one: an advance shows
            // 0 invoiced and -500 outstanding. The sign comes from the open amount when there is one.
            let signed = (d.open ?? 0) != 0 ? d.open! : amount
            if d.target == .sign {
                amount = signed
                if amount == 0 { reject(d, label(d, .amount), "0", "a zero amount: neither a debit nor a credit"); continue }
                d.target = amount > 0 ? layout.route.positive : layout.route.negative
                amount = d.amount
                if d.target == .skip {
                    count(d, \.skipped)
                    result.skipped.append(Rejection(file: name(d), line: Int(d.from.line), column: label(d, .amount), value: nil,
                                                    reason: "\(amount > 0 ? "positive" : "negative") amounts are not read (route.sign)"))
                    continue
                }
            }
            // A credit or payment keeps only its open (unapplied) part: take that as its amount.
            if d.target.isCredit, let o = d.open { amount = o }
            let text = Money.decimalString(amount, digits: wideDigits).trimmingTrailingZeros
            if amount == 0, d.target.isCredit, d.open != nil {
                count(d, \.skipped)
                result.skipped.append(Rejection(file: name(d), line: Int(d.from.line), column: label(d, .open), value: "0",
                                                reason: "fully applied before the export (nothing open): it is part of the invoices' paid amounts"))
                continue
            }
            if amount == 0 { reject(d, label(d, .amount), text, "a zero amount"); continue }
            switch layout.signs {
            case .ledger:
                if d.target.isReceivable && amount < 0 {
                    reject(d, label(d, .amount), text, "a negative \(d.target == .invoice ? "invoice" : "debit memo"); route it as a credit or check the export's signs")
                    continue
                }
                if d.target.isCredit && amount > 0 {
                    reject(d, label(d, .amount), text, "a \(d.target.rawValue.replacingOccurrences(of: "_", with: " ")) with a positive amount (a refund or a reversal?); ARLens reads credits and payments as negative amounts in this export")
                    continue
                }
                amount = abs(amount)
            case .positive:
                if amount < 0 { reject(d, label(d, .amount), text, "a negative amount; this export writes every amount as positive"); continue }
            }
            d.amount = amount
            // What is still open: an invoice's paid part, or a credit's unapplied part.
            if var open = d.open {
                if layout.signs == .ledger { open = d.target.isCredit ? -open : open }
                let ot = Money.decimalString(d.open!, digits: wideDigits).trimmingTrailingZeros
                if open < 0 || open > amount {
                    reject(d, label(d, .open), ot, "the open amount must lie between 0 and the document's amount (\(Money.decimalString(amount, digits: wideDigits).trimmingTrailingZeros))")
                    continue
                }
                if d.target.isReceivable { d.paid = amount - open }
            }
            if let p = d.paid, d.target.isReceivable, p < 0 || p > amount {
                reject(d, label(d, .paid), Money.decimalString(p, digits: wideDigits).trimmingTrailingZeros,
                       "the paid amount must lie between 0 and the invoice's amount (\(Money.decimalString(amount, digits: wideDigits).trimmingTrailingZeros))")
                continue
            }
            kept.append(d)
        }

        // 3. Tables.
        var invoices = ImportedTable(.invoices, invoiceHeader)
        var adjustments = ImportedTable(.adjustments, adjustmentHeader)
        var payments = ImportedTable(.payments, paymentHeader)
        var applications = ImportedTable(.applications, applicationHeader)
        var customers = ImportedTable(.customers, customerHeader)
        var customerSeen: [String: Int] = [:]
        let namesCustomers = source.layouts.contains { $0.columns[.customerName] != nil }
        func money(_ x: Int64) -> String { Money.decimalString(x, digits: wideDigits).trimmingTrailingZeros }

        var receivableIDs: [String: Int] = [:]      // id or printed number -> doc index
        for (k, d) in kept.enumerated() where d.target.isReceivable {
            receivableIDs[d.id] = k
            if !d.number.isEmpty { receivableIDs[d.number] = receivableIDs[d.number] ?? k }
        }
        // Credits: the invoice they name, or the receivable of their clearing group.
        var creditTarget = [String](repeating: "", count: kept.count)
        var remaining = kept.map { $0.target.isReceivable ? $0.amount - ($0.paid ?? 0) : 0 }
        var groups: [String: [Int]] = [:]
        for (k, d) in kept.enumerated() where !d.clearing.isEmpty { groups[d.clearing, default: []].append(k) }
        var unnamed = 0
        for (k, d) in kept.enumerated() where d.target == .creditMemo || d.target == .writeOff {
            if !d.reference.isEmpty {
                let words = [d.reference] + d.reference.split(whereSeparator: { " ,;:()".contains($0) }).map(String.init)
                if let r = words.lazy.compactMap({ receivableIDs[$0] }).first {
                    creditTarget[k] = kept[r].id
                    remaining[r] -= d.amount
                } else { unnamed += 1 }
            } else if let g = groups[d.clearing] {
                let cands = g.filter { kept[$0].target.isReceivable }.sorted { (kept[$0].date, kept[$0].from.line) < (kept[$1].date, kept[$1].from.line) }
                if let r = cands.first(where: { remaining[$0] >= d.amount }) ?? cands.first(where: { remaining[$0] > 0 }) ?? cands.first {
                    creditTarget[k] = kept[r].id
                    remaining[r] -= d.amount
                }
            }
        }
        if unnamed > 0 {
            result.notes.append("\(unnamed) credit\(unnamed == 1 ? "" : "s") name a document that is not in the export; \(unnamed == 1 ? "it is" : "they are") unallocated credit")
        }
        // Payments settle the receivables of their clearing group, oldest first.
        var linked = false
        for (_, g) in groups.sorted(by: { $0.key < $1.key }) {
            let recs = g.filter { kept[$0].target.isReceivable }.sorted { (kept[$0].date, kept[$0].from.line) < (kept[$1].date, kept[$1].from.line) }
            for p in g where kept[p].target == .payment {
                var left = kept[p].amount
                for r in recs where left > 0 && remaining[r] > 0 {
                    let a = min(left, remaining[r])
                    remaining[r] -= a
                    left -= a
                    applications.add([kept[p].id, kept[r].id, money(a), kept[p].date.description], kept[p].from)
                    linked = true
                }
            }
        }
        let clearedAlone = groups.values.filter { g in g.allSatisfy { kept[$0].target.isReceivable } }.count
        if clearedAlone > 0 {
            result.notes.append("\(clearedAlone) clearing document\(clearedAlone == 1 ? "" : "s") name only invoices, without the payment or credit that cleared them: those invoices stay open")
        }
        // Paid totals without dates: one payment per invoice, on the stated date.
        var latest = Day(year: 1900, month: 1, day: 1)!
        for d in kept where d.date > latest { latest = d.date }
        var undated = 0, undatedTotal: Int64 = 0
        var asOfUsed: Set<String> = []
        var paidRows: [([String], SourceRef, [String])] = []
        for d in kept where d.target.isReceivable {
            guard let p = d.paid, p > 0 else { continue }
            let layout = source.layouts[d.layout]
            let day = d.paidDate ?? layout.paidAsOf ?? latest
            if d.paidDate == nil {
                undated += 1
                undatedTotal += p
                asOfUsed.insert(layout.paidAsOf.map { "\($0) (paid_as_of)" } ?? "\(latest) (the export's latest date; set paid_as_of to the export's date)")
            }
            let pid = d.id + "~paid"
            paidRows.append(([pid, d.customer, day.description, money(p), d.currency, "", d.number.isEmpty ? d.id : d.number],
                             d.from, [pid, d.id, money(p), day.description]))
        }
        if undated > 0 {
            result.notes.append("\(undated) invoice\(undated == 1 ? " carries" : "s carry") paid totals without payment dates (\(undatedTotal % 100 == 0 ? Money.decimalString(undatedTotal / 100, digits: wideDigits - 2) : money(undatedTotal)) in all); they are taken as settled on \(asOfUsed.sorted().joined(separator: ", ")). Before that date those invoices count as open, and days to pay, CEI and DSO use that date for them")
        }

        for (k, d) in kept.enumerated() {
            switch d.target {
            case .invoice:
                invoices.add([d.id, d.customer, d.number == d.id ? "" : d.number, d.date.description, d.due?.description ?? "",
                              money(d.amount), d.currency, d.po], d.from)
            case .creditMemo, .writeOff, .debitMemo:
                adjustments.add([d.id, d.customer, d.date.description, d.target.rawValue, money(d.amount), creditTarget[k], d.reason], d.from)
            case .payment:
                payments.add([d.id, d.customer, d.date.description, money(d.amount), d.currency, d.method, d.reference], d.from)
            case .skip, .sign:
                break
            }
            if namesCustomers, customerSeen[d.customer] == nil {
                customerSeen[d.customer] = customers.rows.count
                customers.add([d.customer, d.customerName.isEmpty ? d.customer : d.customerName, d.currency], d.from)
            } else if namesCustomers, let c = customerSeen[d.customer], customers.rows[c][2] != d.currency {
                customers.rows[c][2] = ""      // documents in several currencies: the customer takes the base
            }
        }
        for (p, from, a) in paidRows {
            payments.add(p, from)
            applications.add(a, from)
            linked = true
        }
        if linked && payments.rows.count > applications.rows.count {
            result.notes.append("payments the export does not link to a document stay unapplied cash (no automatic matching when the export says what settled what)")
        }
        result.tables[.invoices] = invoices
        if !adjustments.rows.isEmpty { result.tables[.adjustments] = adjustments }
        if !payments.rows.isEmpty { result.tables[.payments] = payments }
        if linked { result.tables[.applications] = applications }
        if namesCustomers { result.tables[.customers] = customers }
        for (k, f) in result.files.enumerated() {
            result.files[k].passed = kept.filter { name($0) == f.file }.map(\.from.line)
        }
        for l in source.layouts where source.layouts.count == 1 || result.files.contains(where: { $0.layout == l.name }) {
            for c in l.cannotTell { result.notes.append("\(l.name): \(c)") }
        }
    }
}

// MARK: decoding and scanning

/// A file decoded to UTF-8 and split into records: the header, the rows after it, the title
/// lines above it, and malformed records.
struct DecodedTable {
    var encoding: TextEncoding
    var delimiter: UInt8
    var header: [String] = []
    var headerLine = 0
    /// Lines above the header, with their first non-empty cell.
    var aboveHeader: [(line: Int, text: String?)] = []
    var rows: [(line: Int, fields: [String])] = []
    var malformed: [Rejection] = []

    init(_ raw: UnsafeRawBufferPointer, _ layout: ExportLayout, display: String) throws(LoadError) {
        let decoded: (bytes: [UInt8], encoding: TextEncoding)
        do { decoded = try TextDecoding.utf8(raw, layout.encoding) } catch {
            throw .badValue(file: display, line: error.line, column: nil, value: nil, reason: error.reason)
        }
        encoding = decoded.encoding
        let bytes = decoded.bytes
        let candidates: [UInt8] = layout.delimiter.map { [$0] } ?? [44, 59, 9, 124]
        func scan(_ delim: UInt8, limit: Int) -> [(line: Int, fields: [String], malformed: String?)] {
            var out: [(Int, [String], String?)] = []
            bytes.withUnsafeBytes { buf in
                var s = CSVScanner(bytes: buf, delimiter: delim)
                var fields: [CSVField] = []
                while out.count < limit, let r = s.next(&fields) {
                    switch r {
                    case .record(let line, _):
                        out.append((line, fields.map { f in s.withValue(f) { String(decoding: $0, as: UTF8.self) } }, nil))
                    case .malformed(let line, _, let reason, _):
                        out.append((line, [], reason))
                    }
                }
            }
            return out
        }
        func headerIndex(_ recs: [(line: Int, fields: [String], malformed: String?)]) -> Int? {
            switch layout.header {
            case .first: return recs.isEmpty ? nil : 0
            case .line(let n): return recs.firstIndex { $0.line == n }
            case .containing(let text):
                let t = text.lowercased()
                return recs.firstIndex { $0.fields.contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == t } }
            }
        }
        // The delimiter: the one that gives the header the most columns.
        var best: (UInt8, Int)? = nil
        for d in candidates {
            let recs = scan(d, limit: 200)
            guard let h = headerIndex(recs) else { continue }
            let n = recs[h].fields.count
            if best == nil || n > best!.1 { best = (d, n) }
        }
        guard let (delim, _) = best else {
            switch layout.header {
            case .containing(let t): throw .notText(file: display, reason: "no row has a cell '\(t)' (the header \(layout.name) expects)")
            case .line(let n): throw .notText(file: display, reason: "there is no line \(n) to take the header from")
            case .first: throw .noHeader(file: display)
            }
        }
        delimiter = delim
        let all = scan(delim, limit: Int.max)
        let h = headerIndex(all)!
        header = all[h].fields.map { $0.trimmingCharacters(in: .whitespaces) }
        headerLine = all[h].line
        for r in all[..<h] { aboveHeader.append((r.line, r.fields.first { !$0.isEmpty })) }
        for r in all[(h + 1)...] {
            if let why = r.malformed {
                malformed.append(Rejection(file: display, line: r.line, column: nil, value: nil, reason: why))
            } else {
                rows.append((r.line, r.fields))
            }
        }
    }
}

/// Reads one row of a layout into a document, or says why it is skipped or rejected.
struct RowReader {
    enum Outcome {
        case doc(ExportReader.Doc)
        case skipped(column: String?, value: String?, reason: String)
        case rejected(column: String?, value: String?, reason: String)
    }

    enum Matcher {
        case equals(String), prefix(String), contains(String)
        case regex(Regex<AnyRegexOutput>)

        init(_ pattern: String) throws {
            let meta = Set(".*+?[](){}|\\^$")
            var p = Substring(pattern)
            let anchoredStart = p.hasPrefix("^")
            if anchoredStart { p = p.dropFirst() }
            let anchoredEnd = p.hasSuffix("$") && !p.hasSuffix("\\$")
            if anchoredEnd { p = p.dropLast() }
            if !p.contains(where: { meta.contains($0) }) {
                let s = String(p)
                self = anchoredStart && anchoredEnd ? .equals(s) : anchoredStart ? .prefix(s) : anchoredEnd ? .regex(try Regex(pattern)) : .contains(s)
            } else {
                self = .regex(try Regex(pattern))
            }
        }

        func matches(_ v: String) -> Bool {
            switch self {
            case .equals(let s): return v == s
            case .prefix(let s): return v.hasPrefix(s)
            case .contains(let s): return v.contains(s)
            case .regex(let r): return (try? r.firstMatch(in: v)) != nil
            }
        }
    }

    let layout: ExportLayout
    let display: String
    let headerCount: Int
    let headerNames: [String]
    /// Per field of the layout: the terms as (negative, field index).
    var fields: [ExportField: [(Bool, Int)]] = [:]
    var skips: [(Int?, Matcher, String)] = []
    var skipEmpty: [Int] = []
    var keeps: [(Int, Set<String>, String)] = []
    var routeColumn: Int?
    var routeValues: [String: ExportTarget] = [:]
    let stem: String

    init(_ layout: ExportLayout, _ table: DecodedTable, display: String) throws(LoadError) {
        self.layout = layout
        self.display = display
        headerCount = table.header.count
        headerNames = table.header
        stem = ((display as NSString).lastPathComponent as NSString).deletingPathExtension
        // Xero's templates mark required columns with `*`: `*ContactName` is ContactName.
        let lower = table.header.map { $0.lowercased().drop { $0 == "*" }.trimmingCharacters(in: .whitespaces) }
        var missing: [String] = []
        func index(_ name: String, optional: Bool = false) -> Int? {
            if let i = lower.firstIndex(of: name.lowercased()) { return i }
            if !optional { missing.append(name) }
            return nil
        }
        for f in ExportField.allCases {
            guard let e = layout.columns[f] else { continue }
            var terms: [(Bool, Int)] = []
            for t in e.terms { if let i = index(t.column, optional: layout.optional.contains(f)) { terms.append((t.negative, i)) } }
            if !terms.isEmpty { fields[f] = terms }
        }
        for s in layout.skip {
            let m: Matcher
            do { m = try Matcher(s.pattern) } catch {
                throw .config(file: display, line: nil, message: "\(layout.name): skip pattern '\(s.pattern)' is not a regular expression")
            }
            skips.append((s.column.flatMap { index($0) }, m, s.pattern))
        }
        skipEmpty = layout.skipEmpty.compactMap { index($0) }
        for k in layout.keep { if let i = index(k.column) { keeps.append((i, Set(k.values.map { $0.lowercased() }), k.values.joined(separator: ", "))) } }
        if let c = layout.route.column { routeColumn = index(c) }
        for (v, t) in layout.route.values { routeValues[v.lowercased()] = t }
        var required: [ExportField] = [.customer, .date, .amount]
        required.removeAll { layout.constants[$0] != nil }
        for f in required where layout.columns[f] == nil { missing.append("(\(f.rawValue): not mapped)") }
        if !missing.isEmpty {
            throw .missingColumns(file: display, columns: Array(NSOrderedSet(array: missing)) as! [String], available: table.header)
        }
    }

    func read(_ rec: (line: Int, fields: [String]), layoutIndex: Int, file: Int32) -> Outcome {
        var cells = rec.fields
        if cells.count > headerCount {
            if cells[headerCount...].contains(where: { !$0.isEmpty }) {
                return .rejected(column: nil, value: nil, reason: "the row has \(cells.count) fields, the header has \(headerCount)")
            }
            cells.removeLast(cells.count - headerCount)
        }
        // Short rows (footers, section headings) are padded: the skip rules decide about them.
        while cells.count < headerCount { cells.append("") }
        let firstCell = cells.first { !$0.isEmpty } ?? ""
        for (col, m, pattern) in skips {
            let v = col.map { cells[$0] } ?? firstCell
            if m.matches(v) {
                return .skipped(column: col.map { headerNames[$0] }, value: v, reason: "matches the skip pattern '\(pattern)' (a total, subtotal, title or footer)")
            }
        }
        if !skipEmpty.isEmpty && skipEmpty.allSatisfy({ cells[$0].isEmpty }) {
            return .skipped(column: nil, value: firstCell.isEmpty ? nil : firstCell,
                            reason: "no \(skipEmpty.map { headerNames[$0] }.joined(separator: " or ")): a heading or spacer line")
        }
        if cells.allSatisfy({ $0.isEmpty }) { return .skipped(column: nil, value: nil, reason: "an empty row") }
        for (i, allowed, listed) in keeps where !allowed.contains(cells[i].lowercased()) {
            return .skipped(column: headerNames[i], value: cells[i], reason: "left out: only \(listed) \(allowed.count == 1 ? "is" : "are") read")
        }
        var target = layout.route.otherwise
        if let rc = routeColumn {
            let v = cells[rc]
            if let t = routeValues[v.lowercased()] { target = t }
            guard let t = target else {
                let listed = layout.route.values.keys.sorted().joined(separator: ", ")
                return .rejected(column: headerNames[rc], value: v, reason: "not a type this mapping reads (\(listed))")
            }
            if t == .skip { return .skipped(column: headerNames[rc], value: v, reason: "this type is not read (route: skip)") }
        }
        guard let target else { return .skipped(column: nil, value: nil, reason: "route: skip") }

        func text(_ f: ExportField) -> String {
            if let terms = fields[f], let (_, i) = terms.first {
                let v = cells[i]
                if !v.isEmpty { return v }
            }
            return layout.constants[f] ?? ""
        }
        func columnName(_ f: ExportField) -> String? { layout.columns[f]?.description ?? f.rawValue }
        func day(_ f: ExportField, required: Bool) -> Result<Day?, RowFailure> {
            let v = text(f)
            if v.isEmpty { return required ? .failure(RowFailure(columnName(f), nil, "is empty, but required")) : .success(nil) }
            guard let d = RowReader.parseDay(v, layout.dateFormat) else {
                return .failure(RowFailure(columnName(f), v, "not a date in the format \(layout.dateFormat.pattern)"))
            }
            guard ValueLimits.dates.contains(d) else {
                return .failure(RowFailure(columnName(f), v, "date outside the accepted range \(ValueLimits.dates.lowerBound) to \(ValueLimits.dates.upperBound)"))
            }
            return .success(d)
        }
        func amount(_ f: ExportField, required: Bool) -> Result<Int64?, RowFailure> {
            guard let terms = fields[f] else {
                if let k = layout.constants[f] {
                    switch RowReader.parseAmount(k, layout.amountStyle) {
                    case .success(let x): return .success(layout.negate ? -x : x)
                    case .failure(let why): return .failure(RowFailure(f.rawValue, k, why.text))
                    }
                }
                return required ? .failure(RowFailure(f.rawValue, nil, "is not mapped")) : .success(nil)
            }
            var total: Int64 = 0
            var any = false
            for (neg, i) in terms {
                let v = cells[i]
                if v.isEmpty { continue }
                switch RowReader.parseAmount(v, layout.amountStyle) {
                case .success(let x): total += neg ? -x : x; any = true
                case .failure(let why): return .failure(RowFailure(headerNames[i], v, why.text))
                }
            }
            if !any { return required ? .failure(RowFailure(columnName(f), nil, "is empty, but required")) : .success(nil) }
            return .success(layout.negate ? -total : total)
        }

        do {
            let customer = text(.customer)
            if customer.isEmpty { throw RowFailure(columnName(.customer), nil, "is empty, but required") }
            let date = try day(.date, required: true).get()!
            let due = try day(.dueDate, required: false).get()
            let paidDate = try day(.paidDate, required: false).get()
            let amt = try amount(.amount, required: true).get()!
            let open = try amount(.open, required: false).get()
            let paid = try amount(.paid, required: false).get()
            var id = layout.synthesizeIDs.contains(target) ? "" : text(.id)
            let synthesized = id.isEmpty
            if synthesized { id = "\(stem)-\(rec.line)" }
            var number = text(.number)
            if number == id { number = "" }
            let currency = text(.currency).uppercased()
            if !currency.isEmpty && Currency(code: currency) == nil {
                throw RowFailure(columnName(.currency), currency, "not an ISO 4217 currency code")
            }
            return .doc(ExportReader.Doc(
                layout: layoutIndex, target: target, id: id, number: number, customer: customer,
                customerName: text(.customerName), date: date, due: due, amount: amt, open: open, paid: paid,
                paidDate: paidDate, currency: currency, reference: text(.reference), po: text(.poNumber),
                clearing: text(.clearing), reason: text(.reason), method: text(.method),
                from: SourceRef(file: file, line: Int32(rec.line)), synthesizedID: synthesized))
        } catch let f as RowFailure {
            return .rejected(column: f.column, value: f.value, reason: f.reason)
        } catch {
            return .rejected(column: nil, value: nil, reason: "\(error)")
        }
    }

    struct Why: Error {
        var text: String
        init(_ t: String) { text = t }
    }

    struct RowFailure: Error {
        var column: String?
        var value: String?
        var reason: String
        init(_ c: String?, _ v: String?, _ r: String) { column = c; value = v; reason = r }
    }

    /// A date in `format`; a time after it (`2026-10-31 00:00:00`) is allowed and ignored.
    static func parseDay(_ s: String, _ format: DateFormat) -> Day? {
        Array(s.utf8).withUnsafeBufferPointer { b in
            if let d = format.parse(b) { return d }
            guard let (d, used) = format.parsePrefix(b), used < b.count, b[used] == 32 || b[used] == UInt8(ascii: "T") else { return nil }
            return d
        }
    }

    /// An amount at `wideDigits` decimals. A trailing minus (`1.234,56-`) and parentheses
    /// (`(1,234.56)`) mean negative, whatever the style.
    static func parseAmount(_ s: String, _ style: AmountParser) -> Result<Int64, Why> {
        var t = Substring(s.trimmingCharacters(in: .whitespaces))
        var negative = false
        if t.count > 1 && t.hasSuffix("-") { negative = true; t = t.dropLast() }
        if t.count > 2 && t.hasPrefix("(") && t.hasSuffix(")") {
            if negative { return .failure(Why("not an amount")) }
            negative = true
            t = t.dropFirst().dropLast()
        }
        var p = style
        p.allowsParentheses = false
        let x: Int64
        do {
            x = try Array(t.utf8).withUnsafeBufferPointer { (b) throws(AmountError) -> Int64 in try p.parse(b, digits: wideDigits) }
        } catch {
            switch error {
            case .tooManyDecimals: return .failure(Why("more than \(wideDigits) decimals"))
            case .outOfRange: return .failure(Why("amount is too large"))
            case .empty, .notANumber: return .failure(Why("not an amount (style \(style.example))"))
            case .otherCurrency(let n): return .failure(Why("not an amount (written in \(n))"))
            }
        }
        if negative && x < 0 { return .failure(Why("not an amount (two minus signs)")) }
        if x.magnitude >= ValueLimits.maxWholeUnits.magnitude * 10_000 {
            return .failure(Why("amount is too large (the maximum is \(ValueLimits.maxAmountText) in whole units of the currency)"))
        }
        return .success(negative ? -x : x)
    }
}

extension AmountParser {
    /// The style written as an example (`1,234.56`, `1.234,56`).
    var example: String {
        let d = Character(Unicode.Scalar(decimalSeparator))
        guard let g = groupingSeparator else { return "1234\(d)56" }
        return "1\(Character(Unicode.Scalar(g)))234\(d)56"
    }
}
