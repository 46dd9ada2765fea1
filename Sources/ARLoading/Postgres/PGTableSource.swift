import ARModel
import CSupport
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
        var bytes: MappedFile
        var display: String
        var ignored: [String]
        /// The fields (0-based positions in `bytes`' rows) that hold a `date` column as its day
        /// number, days since 1900-01-01 (`dayNumberSQL`), instead of its ISO text.
        var dayNumberFields: [Int] = []
    }

    /// The ledger columns read as dates (`Row.day`, `Row.optionalDay`): a `date` column that
    /// feeds only these is sent as its day number.
    static let dateColumns: Set<String> = [
        "created_date", "credit_review_date", "issue_date", "due_date", "sent_date", "paid_date", "received_date",
        "posted_date", "applied_date", "date", "opened_date", "resolved_date", "promised_date",
    ]

    /// A `date` column `c` as its day number, days since 1900-01-01 (the first day ARLens
    /// accepts, so a date in range is 0 to 109572): the server writes a short integer instead
    /// of the date's text (`date_out` is most of a date column's cost in the COPY), and the
    /// reader turns it into a `Day` without parsing a date. An infinite date cannot be
    /// subtracted (SQLSTATE 22008): the table is then read again with the dates as text.
    static func dayNumberSQL(_ c: String) -> String { "(\(c) - DATE '\(ValueLimits.dates.lowerBound)')" }

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

        // A `date` column is sent as its day number when every ledger column it feeds is a
        // date read in the ISO layout (the connection's DateStyle is ISO: the text would be
        // `YYYY-MM-DD`), and it is not a customer attribute (read as text).
        let isoDates = mapping.dateFormat(t).isISO
        let attributes = Set(m.customerColumns.values.map { $0.lowercased() })
        func asDayNumber(_ i: Int) -> Bool {
            guard isoDates, described[i].type == 1082, !attributes.contains(lower[i]) else { return false }
            let feeds = specs.filter { (m.columns[$0.name] ?? $0.name).lowercased() == lower[i] }
            return !feeds.isEmpty && feeds.allSatisfy { dateColumns.contains($0.name) }
        }
        var select: [String] = []
        var selectText: [String] = []
        var dayFields: [Int] = []
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
            if asDayNumber(i) {
                dayFields.append(select.count)
                select.append("\(dayNumberSQL(c)) AS \(PG.ident(d.name))")
            } else {
                select.append("\(expr) AS \(PG.ident(d.name))")
            }
            selectText.append("\(expr) AS \(PG.ident(d.name))")
        }
        do throws(LoadError) {
            return try copy(conn, rel, display, select, dayFields: dayFields, ignored: ignored, names: names, lower: lower, t, m)
        } catch {
            // An infinite date has no day number: the dates as text, as they always were.
            guard !dayFields.isEmpty, conn.lastFailureState == "22008" else { throw error }
            return try copy(conn, rel, display, selectText, dayFields: [], ignored: ignored, names: names, lower: lower, t, m)
        }
    }

    /// COPY's options. The text format with a comma between values and NULL as nothing, where
    /// the server writes a header in it (PostgreSQL 15 and later): a row without a backslash or
    /// a double quote is then the very row the csv format sends, at less of the server's CPU
    /// (no `strcmp` against the NULL text, no second pass over each value); the few others are
    /// turned into that row here (`PGTextRows`). Older servers send csv.
    /// `ARLENS_PG_COPY_CSV=1` reads every server as one before PostgreSQL 15 is read, in csv
    /// (tests keep that path covered on a newer server; a way round a text-format problem).
    static let csvOnly = ProcessInfo.processInfo.environment["ARLENS_PG_COPY_CSV"] == "1"

    static func copyOptions(text: Bool) -> String {
        text ? "FORMAT text, DELIMITER ',', NULL '', HEADER true" : "FORMAT csv, HEADER true"
    }

    /// COPYs the `select` list of `rel` into a buffer (see `read`).
    private static func copy(_ conn: PGConnection, _ rel: String, _ display: String, _ select: [String], dayFields: [Int],
                             ignored: [String], names: [String], lower: [String], _ t: TableName,
                             _ m: TableMapping) throws(LoadError) -> Read? {
        let text = conn.serverVersion >= 150000 && !csvOnly
        let options = copyOptions(text: text)
        // A table with `arlens_row` (what `arlens export` writes) is read without ORDER BY:
        // its rows lie in that order already, and sorting a million rows on the server costs
        // more than the rest of its COPY. `arlens_row` comes first in each row, and each
        // row's value is checked as it arrives (then cut off); rows out of that order are put
        // in order here, and a table whose `arlens_row` is not a plain number (NULL) is read
        // again with the ORDER BY.
        if lower.contains("arlens_row") {
            let rowColumn = "arlens_t." + PG.ident(names[lower.firstIndex(of: "arlens_row")!])
            // One scan, from the table's start, in the table's order: no parallel workers, no
            // scan joining another one half-way.
            _ = conn.tryExec("SET max_parallel_workers_per_gather = 0; SET synchronize_seqscans = off")
            let sql = "COPY (SELECT \(rowColumn) AS arlens_row, \(select.joined(separator: ", ")) FROM \(rel) AS arlens_t"
                + ") TO STDOUT WITH (\(options))"
            if let buf = try copyInRowOrder(conn, sql, what: display, text: text) {
                return Read(bytes: buf.file(display), display: display, ignored: ignored, dayNumberFields: dayFields)
            }
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
            + ") TO STDOUT WITH (\(options))"
        let buf = PGBuffer()
        try conn.copyOut(sql, what: display) { row in buf.append(row) }
        if text { _ = buf.textRowsToCSV() }
        return Read(bytes: buf.file(display), display: display, ignored: ignored, dayNumberFields: dayFields)
    }

    /// Streams `sql`, whose rows start with `arlens_row` (a non-negative integer), into a
    /// buffer without that first field. Rows that come out of `arlens_row` order (a table
    /// whose rows were updated) are put in order here; nil when a row has no plain value
    /// there: the caller reads the table again, sorted by the server. `text`: the rows are in
    /// COPY's text format (`copyOptions`), kept as csv.
    static func copyInRowOrder(_ conn: PGConnection, _ sql: String, what: String, text: Bool = false) throws(LoadError) -> PGBuffer? {
        let buf = PGBuffer()
        var header = true
        var plain = true
        var sorted = true
        var last = -1
        var values: [Int] = []
        var starts: [Int] = []
        try conn.copyOut(sql, what: what) { row in
            guard plain, let p = row.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
            let n = row.count
            var i = 0
            if header {
                while i < n && p[i] != 44 { i += 1 }
                header = false
            } else {
                var v = 0
                while i < n && i < 18 && p[i] &- 48 < 10 { v = v &* 10 &+ Int(p[i] &- 48); i += 1 }
                if i == 0 { plain = false; return }
                if v < last { sorted = false }
                last = v
                values.append(v)
                starts.append(buf.count)
            }
            guard i < n && p[i] == 44 else { plain = false; return }
            buf.append(UnsafeRawBufferPointer(start: p + i + 1, count: n - i - 1))
        }
        guard plain else { return nil }
        if text { starts = buf.textRowsToCSV(starts) }
        if sorted { return buf }
        // Stable: rows of equal arlens_row keep the order they came in.
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] < values[$1] : $0 < $1 }
        let out = PGBuffer()
        let read = buf.file(what)
        withExtendedLifetime(read) {
            let all = read.bytes
            out.append(UnsafeRawBufferPointer(rebasing: all[0..<(starts.first ?? all.count)]))
            for k in order {
                let end = k + 1 < starts.count ? starts[k + 1] : all.count
                out.append(UnsafeRawBufferPointer(rebasing: all[starts[k]..<end]))
            }
        }
        return out
    }

    /// The order in which a failed read is reported when several fail: the first of these.
    static let failureOrder: [TableName] = [.invoices, .applications, .payments, .activities, .adjustments, .customers,
                                            .purchaseOrders, .disputes, .fxRates]
}

/// Rows of COPY's text format with a comma between values and NULL as nothing
/// (`PGTableSource.copyOptions`), kept as the csv rows the reader takes (`PGBuffer.textRowsToCSV`).
/// A row with neither a backslash nor a double quote is the row the csv format would send, byte
/// for byte, and is kept as it is (nearly every row). Any other has its escapes undone (`\\`, `\,`, `\n`,
/// `\r`, `\t`, `\b`, `\f`, `\v`: what COPY writes) and its values written as the csv format
/// writes them: in double quotes (a quote doubled) when they hold a comma, a quote, a line
/// feed or a carriage return, so a value's line breaks count as the same lines. An empty text
/// and NULL are both nothing here, where csv quotes the empty text (`""`): the reader takes
/// both as an empty value.
enum PGTextRows {
    /// The csv of one text-format row (with or without its line end), ending in a line feed.
    static func csv(_ row: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        let n = row.count > 0 && row[row.count - 1] == 10 ? row.count - 1 : row.count
        // At most every byte doubled (a quote), two quotes a value, and the line end.
        return [UInt8](unsafeUninitializedCapacity: 4 * n + 4) { out, written in
            var o = 0, i = 0
            while true {
                // One value: up to the next comma not escaped; quoted when it holds a comma, a
                // quote, a line feed or a carriage return.
                var j = i
                var quote = false
                while j < n && row[j] != 44 {
                    if row[j] == 92 && j + 1 < n {
                        let c = row[j + 1]
                        if c == 44 || c == 110 || c == 114 || c == 34 { quote = true }
                        j += 2
                    } else {
                        if row[j] == 34 { quote = true }
                        j += 1
                    }
                }
                if quote { out[o] = 34; o += 1 }
                var k = i
                while k < j {
                    var b = row[k]
                    if b == 92 && k + 1 < j {
                        switch row[k + 1] {
                        case 98: b = 8          // \b
                        case 102: b = 12        // \f
                        case 110: b = 10        // \n
                        case 114: b = 13        // \r
                        case 116: b = 9         // \t
                        case 118: b = 11        // \v
                        default: b = row[k + 1] // \\, \, and any other: the byte itself
                        }
                        k += 2
                    } else {
                        k += 1
                    }
                    if b == 34 { out[o] = 34; o += 1 }
                    out[o] = b
                    o += 1
                }
                if quote { out[o] = 34; o += 1 }
                if j >= n { break }
                out[o] = 44
                o += 1
                i = j + 1
            }
            out[o] = 10
            written = o + 1
        }
    }
}

/// Dates as PostgreSQL writes them.
enum PGDates {
    /// The `Day` number of day number 0 (1900-01-01, `PGTableSource.dayNumberSQL`).
    static let epoch = Int(ValueLimits.dates.lowerBound.number)

    /// The text the server writes for the date `days` after 1970-01-01 in the ISO DateStyle
    /// (which every connection sets): `YYYY-MM-DD`, the year with at least four digits, and
    /// ` BC` after the years before 1 (year 0 is 1 BC), as `date_out` does. A day number read
    /// instead of a date's text is shown, and rejected when out of range, as this text.
    static func text(_ days: Int) -> String {
        guard let n = Int32(exactly: days) else { return String(days) }    // beyond any date
        let (y, m, d) = Day(number: n).components
        let bc = y <= 0
        func padded(_ x: Int, _ width: Int) -> String {
            let s = String(x)
            return s.count < width ? String(repeating: "0", count: width - s.count) + s : s
        }
        return padded(bc ? 1 - y : y, 4) + "-" + padded(m, 2) + "-" + padded(d, 2) + (bc ? " BC" : "")
    }
}

/// Every wanted table read in the background, each on its own connection, `streams` at a
/// time: the customer master and the rates first (the other tables are parsed against them),
/// then the others, the longest COPY first, so that the last ones to arrive are short. The
/// loader parses each table as soon as it has arrived (`nextArrived`), while the server still
/// streams the others: the parse overlaps the server's COPYs.
final class PGTableStream: @unchecked Sendable {
    typealias Outcome = Result<PGTableSource.Read?, LoadError>

    /// The tables in the order they are read.
    let order: [TableName]
    private let cond = NSCondition()
    private var queue: [TableName]
    private var results: [TableName: Outcome] = [:]
    /// Tables read and not yet taken by `nextArrived`, in the order they arrived.
    private var arrived: [TableName] = []
    /// Tables `wait` took (not handed out by `nextArrived`).
    private var taken: Set<TableName> = []

    static let readOrder: [TableName] = [.customers, .fxRates, .invoices, .activities, .payments, .purchaseOrders,
                                         .applications, .adjustments, .disputes]

    init(_ tables: [TableName], _ loc: PGLocation, _ mapping: LedgerMapping, streams: Int = 2) {
        order = PGTableStream.readOrder.filter { tables.contains($0) }
        queue = order
        for _ in 0..<min(streams, order.count) {
            let thread = Thread { [self] in
                while let t = take() {
                    let r: Outcome
                    do throws(LoadError) { r = .success(try PGTableSource.read(t, loc, mapping)) } catch { r = .failure(error) }
                    cond.lock()
                    results[t] = r
                    if !taken.contains(t) { arrived.append(t) }
                    cond.broadcast()
                    cond.unlock()
                }
            }
            thread.start()
        }
    }

    private func take() -> TableName? {
        cond.lock()
        defer { cond.unlock() }
        return queue.isEmpty ? nil : queue.removeFirst()
    }

    /// `t`'s outcome, when it has been read (`t` is not handed out by `nextArrived`).
    func wait(_ t: TableName) -> Outcome {
        cond.lock()
        defer { cond.unlock() }
        taken.insert(t)
        arrived.removeAll { $0 == t }
        while results[t] == nil { cond.wait() }
        return results[t]!
    }

    /// The next table read that nobody has taken, in the order they arrive; nil when every
    /// table has been taken.
    func nextArrived() -> (TableName, Outcome)? {
        cond.lock()
        defer { cond.unlock() }
        while true {
            if !arrived.isEmpty {
                let t = arrived.removeFirst()
                taken.insert(t)
                return (t, results[t]!)
            }
            if taken.count == order.count { return nil }
            cond.wait()
        }
    }

    /// Waits for every table (each thread ends with its last read).
    func waitAll() -> [TableName: Outcome] {
        cond.lock()
        defer { cond.unlock() }
        while results.count < order.count { cond.wait() }
        return results
    }

    /// The first failed read, in `PGTableSource.failureOrder`, once every table is read.
    func firstFailure() -> LoadError? {
        let all = waitAll()
        for t in PGTableSource.failureOrder {
            if case .failure(let e)? = all[t] { return e }
        }
        return nil
    }
}

/// A table's bytes as they stream in, in anonymous memory (`mmap`, grown by `mremap` on Linux:
/// the pages move, nothing is copied), handed to the reader as the table's `MappedFile` when
/// complete. The parser hands the pages back as it goes (`MappedFile.release`), which frees
/// them for good: the table's text and its parsed columns are not all in memory at once, and
/// nothing reads the text after the parse (a row rejected then is named from its parsed values).
/// Anonymous memory costs about half the system time of an in-memory file (`memfd_create`,
/// written with `write` and mapped again for the reader), whose pages handed back stayed in the
/// file until the load ended.
final class PGBuffer {
    private var base: UnsafeMutableRawPointer?
    private var capacity = 0
    /// Every byte appended.
    private(set) var count = 0
    static let initialCapacity = 1 << 20

    init() {}

    private func grow(_ needed: Int) {
        var c = max(capacity * 2, PGBuffer.initialCapacity)
        while c < needed { c *= 2 }
        let p = base == nil ? arlens_map_anonymous(c) : arlens_map_grow(base, capacity, c)
        guard let p else { fatalError("out of memory reading a table (\(c) bytes): \(String(cString: strerror(errno)))") }
        base = p
        capacity = c
    }

    func append(_ b: UnsafeRawBufferPointer) {
        guard let src = b.baseAddress, b.count > 0 else { return }
        if count + b.count > capacity { grow(count + b.count) }
        (base! + count).copyMemory(from: src, byteCount: b.count)
        count += b.count
    }

    /// Rows of COPY's text format (one a line: a line break in a value is escaped) kept as csv
    /// (`PGTextRows`): one pass over the bytes finds whether any row has a backslash or a
    /// double quote (few tables have one); from the first such row on, the rows are written
    /// again, those rows as csv. `starts`: offsets of rows in the buffer, in order; returned
    /// where those rows start now.
    func textRowsToCSV(_ starts: [Int] = []) -> [Int] {
        guard let b = base?.assumingMemoryBound(to: UInt8.self), count > 0 else { return starts }
        var first = arlens_find_text_escape(b, count)
        guard first < count else { return starts }
        while first > 0 && b[first - 1] != 10 { first -= 1 }        // the start of its row
        let rest = Array(UnsafeBufferPointer(start: b + first, count: count - first))
        count = first
        var moved = starts
        var k = starts.firstIndex { $0 >= first } ?? starts.count
        rest.withUnsafeBufferPointer { r in
            var at = 0
            while at < r.count {
                var end = at
                while end < r.count && r[end] != 10 { end += 1 }
                if end < r.count { end += 1 }                           // with its line end
                if k < starts.count && starts[k] == first + at {
                    moved[k] = count
                    k += 1
                }
                let row = UnsafeBufferPointer(rebasing: r[at..<end])
                if arlens_find_text_escape(row.baseAddress!, row.count) == row.count {
                    append(UnsafeRawBufferPointer(row))
                } else {
                    PGTextRows.csv(row).withUnsafeBytes { append($0) }
                }
                at = end
            }
        }
        return moved
    }

    /// The bytes, owned by the file from now on.
    func file(_ name: String) -> MappedFile {
        defer { base = nil; capacity = 0; count = 0 }
        return MappedFile(anonymous: base, length: capacity, count: count, name: name)
    }

    deinit {
        if let base { munmap(base, capacity) }
    }
}
