import ARModel
import Foundation

/// `arlens export --to postgresql://...`: writes a native ledger folder into a schema, one
/// table per file, with typed columns (dates, exact numerics), keys and the indexes the
/// pushdown queries use. Only rows the loader accepts are written (the rest are counted as
/// rejected, as `arlens validate` lists them), each with its file line in `arlens_row`, so that
/// reading the schema back loads the same ledger in the same order.
///
/// Everything happens in one transaction: a failure leaves the database as it was.
public enum PGExport {
    public struct TableCount: Sendable, Equatable {
        public let table: String
        public let rows: Int
        public let rejected: Int
    }

    public struct Summary: Sendable {
        public let location: String
        public let schema: String
        public let tables: [TableCount]
    }

    static let dateColumns: Set<String> = [
        "issue_date", "due_date", "sent_date", "paid_date", "received_date", "posted_date", "applied_date", "date",
        "opened_date", "resolved_date", "promised_date", "created_date", "credit_review_date",
    ]
    static let numericColumns: Set<String> = ["amount", "paid_amount", "credit_limit", "promised_amount", "rate"]

    static func sqlType(_ column: String) -> String {
        if dateColumns.contains(column) { return "date" }
        if numericColumns.contains(column) { return "numeric" }
        if column == "terms_days" { return "integer" }
        return "text"
    }

    /// Keys: what identifies a row (the pushdown joins on them).
    static let primaryKeys: [TableName: [String]] = [
        .customers: ["customer_id"], .invoices: ["invoice_id"], .payments: ["payment_id"],
        .applications: ["arlens_row"], .adjustments: ["adjustment_id"], .disputes: ["dispute_id"],
        .activities: ["activity_id"], .purchaseOrders: ["customer_id", "po_number"], .fxRates: ["currency", "date"],
    ]
    /// Indexes the pushdown queries use: every one leads with what they join or filter on.
    static let indexes: [TableName: [[String]]] = [
        .invoices: [["customer_id", "issue_date"]],
        .payments: [["customer_id", "received_date"]],
        .applications: [["invoice_id"], ["payment_id"]],
        .adjustments: [["customer_id", "date"], ["invoice_id"]],
        .disputes: [["invoice_id"]],
        .activities: [["customer_id", "date"]],
    ]

    /// Exports the ledger folder `directory` (read with `config`) to `url`. `replace` drops the
    /// schema's ledger tables first; without it, an existing table is an error.
    public static func run(directory: String, config: ConfigurationFile, to url: String, replace: Bool) throws(LoadError) -> Summary {
        if !config.mapping.tables.isEmpty || !config.mapping.exports.isEmpty {
            throw .config(file: config.path ?? "arlens.yml", line: nil,
                          message: "export writes native ledger folders; this one is read through a mapping (arlens import writes a native folder first)")
        }
        if config.source != nil {
            throw .config(file: config.path ?? "arlens.yml", line: nil, message: "this ledger is already in a database (source:)")
        }
        let loc = try PGLocation(url)
        // The loader decides which rows are good: only those are written.
        let loaded = try LedgerLoader.load(directory: directory, config: config)
        var rejectedLines: [String: Set<Int>] = [:]
        for r in loaded.report.rejections { rejectedLines[r.file, default: []].insert(r.line) }

        let conn = try PGConnection(loc)
        try conn.exec("BEGIN")
        var counts: [TableCount] = []
        // Keys and indexes are made once the settlement columns are filled in.
        var keys: [(sql: String, display: String)] = []
        do throws(LoadError) {
            try conn.exec("CREATE SCHEMA IF NOT EXISTS \(PG.ident(loc.schema))", what: "schema \(loc.schema)")
            for t in TableName.allCases {
                let path = (directory as NSString).appendingPathComponent(t.defaultFile)
                guard FileManager.default.fileExists(atPath: path) else { continue }
                let rel = loc.qualified(t.rawValue)
                let display = "\(loc.schema).\(t.rawValue)"
                if replace {
                    try conn.exec("DROP TABLE IF EXISTS \(rel) CASCADE", what: display)
                } else if (try conn.exec("SELECT to_regclass(\(PG.literal(rel)))").rows.first?.first ?? nil) != nil {
                    throw .database("\(loc.masked): \(display) exists already (--replace drops and rewrites the ledger's tables)")
                }
                let n = try exportTable(t, path: path, rejected: rejectedLines[t.defaultFile] ?? [], conn: conn, rel: rel, display: display, keys: &keys)
                counts.append(TableCount(table: t.rawValue, rows: n, rejected: (rejectedLines[t.defaultFile] ?? []).count))
            }
            // Applications carry their payment's customer, so that on Citus they can be
            // distributed by customer_id beside the payments (docs/scale-out.md), and the
            // settlement columns the pushdown reads (PGExportSettlement.swift).
            let exported = Set(counts.map(\.table))
            let settled = try addSettlement(conn, loc, tables: exported)
            for k in keys { try conn.exec(k.sql, what: k.display) }
            if settled { try guardSettlement(conn, loc, tables: exported) }
            if exported.contains("applications") && exported.contains("payments") {
                let a = loc.qualified("applications")
                try conn.exec("CREATE INDEX \(PG.ident("applications_arlens_customer")) ON \(a) (customer_id, payment_id)", what: "\(loc.schema).applications")
            }
            try conn.exec("COMMIT", what: "commit")
        } catch {
            _ = conn.tryExec("ROLLBACK")
            throw error
        }
        // The tables were written in this transaction: their statistics for the planner.
        for c in counts { _ = conn.tryExec("VACUUM (ANALYZE) \(loc.qualified(c.table))") }
        return Summary(location: loc.masked, schema: loc.schema, tables: counts)
    }

    static func exportTable(_ t: TableName, path: String, rejected: Set<Int>, conn: PGConnection, rel: String, display: String,
                            keys: inout [(sql: String, display: String)]) throws(LoadError) -> Int {
        let file = try MappedFile(path: path)
        var scanner = CSVScanner(bytes: file.bytes)
        var fields: [CSVField] = []
        guard case .record = scanner.next(&fields) ?? .malformed(line: 1, field: 0, reason: "", range: 0..<0) else {
            throw .noHeader(file: t.defaultFile)
        }
        let header = fields.map { f in scanner.withValue(f) { String(decoding: $0, as: UTF8.self) }.trimmingCharacters(in: [" ", "\t"]).lowercased() }
        let canonical = Set(LedgerSchema.columns[t]!.map(\.name))
        // The file's canonical columns, in the file's order; others are not exported.
        let picked = header.indices.filter { canonical.contains(header[$0]) }
        let cols = picked.map { header[$0] }
        var ddl = cols.map { "\(PG.ident($0)) \(sqlType($0))" }
        ddl.append("arlens_row integer NOT NULL")
        try conn.exec("CREATE TABLE \(rel) (\(ddl.joined(separator: ", ")))", what: display)
        let copy = "COPY \(rel) (\((cols + ["arlens_row"]).map(PG.ident).joined(separator: ", "))) FROM STDIN WITH (FORMAT csv)"
        var written = 0
        try conn.copyIn(copy, what: display) { (send) throws(LoadError) in
            var out: [UInt8] = []
            out.reserveCapacity(1 << 20)
            while let r = scanner.next(&fields) {
                guard case .record(let line, _) = r, !rejected.contains(line), fields.count == header.count else { continue }
                for i in picked {
                    scanner.withValue(fields[i]) { v in
                        let trimmed = v
                        if trimmed.isEmpty { return }   // empty: NULL
                        out.append(34)
                        for b in trimmed {
                            if b == 34 { out.append(34) }
                            out.append(b)
                        }
                        out.append(34)
                    }
                    out.append(44)
                }
                out.append(contentsOf: Array(String(line).utf8))
                out.append(10)
                written += 1
                if out.count >= 1 << 20 {
                    try flush(out, send)
                    out.removeAll(keepingCapacity: true)
                }
            }
            try flush(out, send)
        }
        if let pk = primaryKeys[t], pk.allSatisfy({ cols.contains($0) || $0 == "arlens_row" }) {
            keys.append(("ALTER TABLE \(rel) ADD PRIMARY KEY (\(pk.map(PG.ident).joined(separator: ", ")))", display))
        }
        for (k, ix) in (indexes[t] ?? []).enumerated() where ix.allSatisfy(cols.contains) {
            let name = PG.ident("\(t.rawValue)_arlens_\(k)")
            keys.append(("CREATE INDEX \(name) ON \(rel) (\(ix.map(PG.ident).joined(separator: ", ")))", display))
        }
        return written
    }

    static func flush(_ out: [UInt8], _ send: (UnsafeRawBufferPointer) throws(LoadError) -> Void) throws(LoadError) {
        let failed: LoadError? = out.withUnsafeBytes { b in
            do throws(LoadError) { try send(b); return nil } catch { return error }
        }
        if let failed { throw failed }
    }

    /// Spaces and tabs around a value are not part of it (the loader trims them too).
    static func trim(_ v: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = v.count
        while lo < hi && (v[lo] == 32 || v[lo] == 9) { lo += 1 }
        while hi > lo && (v[hi - 1] == 32 || v[hi - 1] == 9) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: v[lo..<hi])
    }
}
