import Foundation

/// Reads one ledger table from PostgreSQL as the CSV bytes a ledger file would hold, so that
/// the same reader, parsers and rejections apply: the server streams it with
/// `COPY (SELECT ...) TO STDOUT (FORMAT csv, HEADER)`, one row per message, into memory.
///
/// The table is `mapping.<table>.table` (a table or view), `mapping.<table>.query`, or the
/// table of the ledger's name in the URL's schema. Only the columns the ledger format (or the
/// mapping) uses are selected; the others are reported as ignored, as for a CSV file. Rows come
/// in `arlens_row` order when the table has that column (what `arlens export` writes), else in
/// the order of the table's key, so the same data always loads the same way.
struct PGTableSource {
    /// What was read: the CSV bytes, the name messages use, and the columns left out.
    struct Read {
        var bytes: [UInt8]
        var display: String
        var ignored: [String]
    }

    /// The columns that order a table's rows when it has no `arlens_row` (its key).
    static let keyColumns: [TableName: [String]] = [
        .customers: ["customer_id"], .invoices: ["invoice_id"], .payments: ["payment_id"],
        .applications: ["payment_id", "invoice_id", "amount", "applied_date"], .adjustments: ["adjustment_id"],
        .disputes: ["dispute_id"], .activities: ["activity_id"], .purchaseOrders: ["customer_id", "po_number"],
        .fxRates: ["currency", "date"],
    ]

    /// The columns that name a row in a rejection (a table has no line numbers).
    static let rowKeyColumns: [TableName: [String]] = [
        .customers: ["customer_id"], .invoices: ["invoice_id"], .payments: ["payment_id"],
        .applications: ["payment_id", "invoice_id"], .adjustments: ["adjustment_id"],
        .disputes: ["dispute_id"], .activities: ["activity_id"], .purchaseOrders: ["customer_id", "po_number"],
        .fxRates: ["currency", "date"],
    ]

    /// The source's names of `t`'s row key columns under `mapping`.
    static func rowKey(_ t: TableName, _ mapping: LedgerMapping) -> [String] {
        let m = mapping.table(t)
        return (rowKeyColumns[t] ?? []).map { m.columns[$0] ?? $0 }
    }

    /// Columns the export adds for ordering (and applications' customer_id, for co-location):
    /// never "ignored".
    static let helperColumns: Set<String> = ["arlens_row"]

    /// The relation (or query) a table is read from, and how messages name it.
    static func relation(_ t: TableName, _ loc: PGLocation, _ m: TableMapping) -> (sql: String, display: String, isQuery: Bool) {
        if let q = m.query { return ("(\(q))", "mapping.\(t.rawValue).query", true) }
        let name = m.relation ?? t.rawValue
        if let dot = name.firstIndex(of: "."), m.relation != nil {
            let s = String(name[..<dot]), n = String(name[name.index(after: dot)...])
            return (PG.ident(s) + "." + PG.ident(n), "\(s).\(n)", false)
        }
        return (loc.qualified(name), "\(loc.schema).\(name)", false)
    }

    /// The table's rows, or nil when the schema has no such table (and the mapping names none).
    static func read(_ t: TableName, _ loc: PGLocation, _ mapping: LedgerMapping) throws(LoadError) -> Read? {
        let m = mapping.table(t)
        let conn = try PGConnection(loc)
        let (rel, display, isQuery) = relation(t, loc, m)
        if !isQuery {
            let exists = try conn.exec("SELECT to_regclass(\(PG.literal(rel)))", what: display).rows.first?.first ?? nil
            if exists == nil {
                if m.relation != nil || t == .invoices {
                    throw .database("\(loc.masked): \(display): no such table or view")
                }
                return nil
            }
        }
        let described = try conn.describe("SELECT * FROM \(rel) AS arlens_t", what: display)
        let names = described.map(\.name)
        let lower = names.map { $0.lowercased() }
        let specs = LedgerSchema.columns[t]!
        var used = Set<String>()
        var missing: [String] = []
        for spec in specs {
            let want = (m.columns[spec.name] ?? spec.name).lowercased()
            if lower.contains(want) { used.insert(want) }
            else if spec.required && m.constants[spec.name] == nil { missing.append(m.columns[spec.name] ?? spec.name) }
        }
        for src in m.customerColumns.values {
            if lower.contains(src.lowercased()) { used.insert(src.lowercased()) } else { missing.append(src) }
        }
        if !missing.isEmpty { throw .missingColumns(file: display, columns: missing, available: names) }

        var select: [String] = []
        var ignored: [String] = []
        for (i, d) in described.enumerated() {
            guard used.contains(lower[i]) else {
                let helper = helperColumns.contains(lower[i]) || (t == .applications && lower[i] == "customer_id" && lower.contains("arlens_row"))
                if !helper { ignored.append(d.name) }
                continue
            }
            let c = "arlens_t." + PG.ident(d.name)
            let expr: String
            switch d.type {
            case 16: expr = "CASE WHEN \(c) THEN 'true' WHEN NOT \(c) THEN 'false' END"           // boolean
            case 1114, 1184: expr = "to_char(\(c), 'YYYY-MM-DD\"T\"HH24:MI:SS')"                      // timestamp(tz)
            default: expr = c
            }
            select.append("\(expr) AS \(PG.ident(d.name))")
        }
        var order: [String] = []
        if lower.contains("arlens_row") {
            order = ["arlens_t.arlens_row"]
        } else {
            for k in keyColumns[t] ?? [] {
                let want = (m.columns[k] ?? k).lowercased()
                if let i = lower.firstIndex(of: want) { order.append("arlens_t." + PG.ident(names[i])) }
            }
        }
        let sql = "COPY (SELECT \(select.joined(separator: ", ")) FROM \(rel) AS arlens_t"
            + (order.isEmpty ? "" : " ORDER BY " + order.joined(separator: ", "))
            + ") TO STDOUT WITH (FORMAT csv, HEADER true)"
        var bytes: [UInt8] = []
        try conn.copyOut(sql, what: display) { row in bytes.append(contentsOf: row) }
        return Read(bytes: bytes, display: display, ignored: ignored)
    }

    /// Every wanted table, each on its own connection, the big ones at the same time.
    static func readAll(_ tables: [TableName], _ loc: PGLocation, _ mapping: LedgerMapping) throws(LoadError) -> [TableName: Read] {
        let order: [TableName] = [.invoices, .applications, .payments, .activities, .adjustments, .customers,
                                  .purchaseOrders, .disputes, .fxRates].filter { tables.contains($0) }
        let results = parallel(order.map { t in
            { @Sendable () -> Result<Read?, LoadError> in
                do throws(LoadError) { return .success(try read(t, loc, mapping)) } catch { return .failure(error) }
            }
        })
        var out: [TableName: Read] = [:]
        for (t, r) in zip(order, results) {
            switch r {
            case .failure(let e): throw e
            case .success(let x): if let x { out[t] = x }
            }
        }
        return out
    }
}
