import ARModel

/// Why one row cannot be loaded: the column (an index into the table's `ColumnSpec`s, or nil
/// for the row as a whole) and a reason a clerk can act on.
struct RowError: Error {
    var column: Int?
    var reason: String
    var showValue = true
}

/// One table file opened for reading: its header matched to the canonical columns, and a
/// row loop that checks every record (field count, binary data, UTF-8, field size) before the
/// table's own parser sees it. Every record read ends as loaded or as a `Rejection`.
final class TableReader: @unchecked Sendable {
    static let maxFieldBytes = 64 * 1024

    let table: TableName
    /// The file name as messages show it (relative to the ledger folder when inside it).
    let displayName: String
    let file: MappedFile
    let specs: [ColumnSpec]
    /// Per canonical column: the field index in the file, or -1.
    private(set) var fieldIndex: [Int]
    /// Per canonical column: the header name as written in the file (for messages).
    private(set) var headerName: [String]
    private var constants: [UnsafeBufferPointer<UInt8>?]
    private var constantStorage: [UnsafeMutableBufferPointer<UInt8>] = []
    private(set) var headerCount = 0
    /// Every header name as written, by field index.
    private(set) var headerNames: [String] = []
    private(set) var ignoredColumns: [String] = []
    /// invoices: customer attribute -> field index (mapping `customer_columns`).
    private(set) var customerFields: [String: Int] = [:]
    let dateFormat: DateFormat
    let amountStyle: AmountParser
    private var scanner: CSVScanner
    private(set) var rejections: [Rejection] = []
    private(set) var read = 0
    /// Quoted values that span lines (loaded), and the line of the first.
    private(set) var multilineValues = 0
    private(set) var firstMultilineLine = 0

    /// For a table made in memory from an export: per physical line of the table, the
    /// export's row a record starting there came from; and the export files' names. Lines and
    /// files in rows and rejections are the export's.
    private var origins: [SourceRef?] = []
    private var originNames: [String] = []
    /// The one export file this table came from, when there is one.
    private var singleOrigin: String?

    convenience init(table: TableName, path: String, displayName: String, mapping: LedgerMapping) throws(LoadError) {
        try self.init(table: table, file: try MappedFile(path: path), displayName: displayName, mapping: mapping)
    }

    /// A table read from a database as CSV bytes (`PGTableSource`): the mapping's columns,
    /// formats and constants apply as for a file; `ignored` are the source's columns not read.
    convenience init(table: TableName, bytes: [UInt8], displayName: String, mapping: LedgerMapping, ignored: [String]) throws(LoadError) {
        try self.init(table: table, file: MappedFile(copying: bytes, name: displayName), displayName: displayName, mapping: mapping)
        ignoredColumns = ignored
    }

    private init(table: TableName, file: MappedFile, displayName: String, mapping: LedgerMapping) throws(LoadError) {
        self.table = table
        self.displayName = displayName
        self.file = file
        self.specs = LedgerSchema.columns[table]!
        self.dateFormat = mapping.dateFormat(table)
        self.amountStyle = mapping.amountStyle(table)
        self.scanner = CSVScanner(bytes: file.bytes)
        self.fieldIndex = Array(repeating: -1, count: specs.count)
        self.headerName = specs.map(\.name)
        self.constants = Array(repeating: nil, count: specs.count)
        try readHeader(mapping.table(table))
    }

    /// A ledger table made in memory from an export (ISO dates, canonical amounts).
    init(imported t: ImportedTable, sourceNames: [String]) throws(LoadError) {
        let (bytes, lines) = t.csv()
        let used = Array(Set(t.origin.map { Int($0.file) })).sorted()
        self.table = t.table
        self.displayName = used.isEmpty ? t.table.defaultFile : used.map { sourceNames[$0] }.joined(separator: ", ")
        self.file = MappedFile(copying: bytes, name: t.table.defaultFile)
        self.specs = LedgerSchema.columns[t.table]!
        self.dateFormat = .iso
        self.amountStyle = .canonical
        self.scanner = CSVScanner(bytes: file.bytes)
        self.fieldIndex = Array(repeating: -1, count: specs.count)
        self.headerName = specs.map(\.name)
        self.constants = Array(repeating: nil, count: specs.count)
        self.origins = lines
        self.originNames = sourceNames
        self.singleOrigin = used.count == 1 ? sourceNames[used[0]] : nil
        try readHeader(TableMapping())
    }

    /// The file and line a record starting on `line` of this table came from.
    @inline(__always) func place(_ line: Int) -> (file: String, line: Int) {
        guard !origins.isEmpty, line < origins.count, let o = origins[line] else { return (displayName, line) }
        return (originNames[Int(o.file)], Int(o.line))
    }

    deinit {
        for s in constantStorage { s.deallocate() }
    }

    func has(_ c: Int) -> Bool { fieldIndex[c] >= 0 || constants[c] != nil }

    /// About how many records the file holds, from the line length of its first 64 KiB:
    /// enough to size the columns once instead of growing them a million times.
    var estimatedRows: Int {
        let n = file.bytes.count
        guard n > 0 else { return 0 }
        let sample = min(n, 65_536)
        // Only lines with content count: 20 MB of blank lines are not 20 million rows.
        var lines = 0
        var content = false
        let base = scanner.base
        for i in 0..<sample {
            let b = base[i]
            if b == 10 {
                if content { lines += 1 }
                content = false
            } else if b != 13 && b != 32 && b != 9 {
                content = true
            }
        }
        if lines == 0 { return 16 }
        // A row is at least a few bytes per column: never more rows than that allows.
        let cap = n / max(2 * max(headerCount, 1), 8) + 16
        return min(Int(Double(n) / Double(sample) * Double(lines) * 1.05) + 16, cap)
    }

    private func readHeader(_ m: TableMapping) throws(LoadError) {
        var fields: [CSVField] = []
        guard let first = scanner.next(&fields) else { throw .noHeader(file: displayName) }
        guard case .record(_, let range) = first else {
            throw .notText(file: displayName, reason: "the header row is malformed")
        }
        let raw = UnsafeBufferPointer(start: scanner.base + range.lowerBound, count: range.count)
        if raw.contains(0) { throw .notText(file: displayName, reason: "the header contains NUL bytes; is it a binary file?") }
        guard String(validating: raw, as: UTF8.self) != nil else {
            throw .notText(file: displayName, reason: "the header is not valid UTF-8")
        }
        let names: [String] = fields.map { f in
            scanner.withValue(f) { String(decoding: $0, as: UTF8.self) }.trimmingCharacters(in: [" ", "\t"])
        }
        headerCount = names.count
        headerNames = names
        let lower = names.map { $0.lowercased() }
        var used = Set<Int>()
        var missing: [String] = []
        for (c, spec) in specs.enumerated() {
            let wanted = (m.columns[spec.name] ?? spec.name).lowercased()
            let hits = lower.indices.filter { lower[$0] == wanted }
            if hits.count > 1 { throw .duplicateColumn(file: displayName, column: names[hits[0]]) }
            if let h = hits.first {
                fieldIndex[c] = h
                headerName[c] = names[h]
                used.insert(h)
            } else if let k = m.constants[spec.name] {
                let buf = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(k.utf8.count, 1))
                _ = buf.initialize(from: k.utf8)
                constantStorage.append(buf)
                constants[c] = UnsafeBufferPointer(rebasing: buf[0..<k.utf8.count])
            } else if spec.required {
                missing.append(m.columns[spec.name] ?? spec.name)
            }
        }
        // Columns the mapping takes for customers (invoices' customer_columns) are used too.
        for (attr, src) in m.customerColumns {
            guard let h = lower.firstIndex(of: src.lowercased()) else {
                missing.append(src)
                continue
            }
            used.insert(h)
            customerFields[attr] = h
        }
        if !missing.isEmpty { throw .missingColumns(file: displayName, columns: missing, available: names) }
        ignoredColumns = names.indices.filter { !used.contains($0) && !names[$0].isEmpty }.map { names[$0] }
    }


    /// Visits every record. `body` parses one row into the table's columns, or throws a
    /// `RowError` and the row becomes a rejection. Rows failing the generic checks never reach it.
    func forEachRow(_ body: (borrowing Row) throws(RowError) -> Void) {
        var fields: [CSVField] = []
        fields.reserveCapacity(headerCount)
        // The values live in a buffer the rows borrow: an array would be retained by each
        // row and checked for uniqueness on every write.
        let columns = specs.count
        let values = UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: columns)
        values.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0))
        var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096)
        // The scanner, the count and the column maps live in locals during the loop: class
        // properties would pay a dynamic exclusivity check on every access.
        var scanner = self.scanner
        var read = 0
        let fieldIndex = self.fieldIndex, constants = self.constants, headerCount = self.headerCount
        let fromExport = !origins.isEmpty
        defer {
            scratch.deallocate()
            values.deallocate()
            self.scanner = scanner
            self.read += read
        }
        // Pages of the file already parsed are given back every 16 MiB (a row's values are
        // copied into the columns before the next record is read).
        var released = 0
        while true {
            let start = scanner.position      // the next record starts here or later
            if start - released > 1 << 24 {
                file.release(before: start)
                released = start
            }
            guard let r = scanner.next(&fields) else { break }
            read += 1
            switch r {
            case .malformed(let line, let field, let reason, _):
                let col = field >= 1 && field <= headerCount ? columnName(forField: field - 1) : nil
                let at = place(line)
                rejections.append(Rejection(file: at.file, line: at.line, column: col, value: nil, reason: reason))
            case .record(let physicalLine, let range):
                let at = fromExport ? place(physicalLine) : (file: displayName, line: physicalLine)
                let line = at.line
                if fields.count != headerCount {
                    rejections.append(Rejection(file: at.file, line: line, column: nil, value: nil,
                        reason: "the row has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(headerCount)"))
                    continue
                }
                // Line breaks inside quoted values: legitimate (an address), unless a stray
                // quote took in lines that look like rows, which would hide them.
                let embedded = scanner.line - physicalLine - (range.upperBound < scanner.count ? 1 : 0)
                if embedded > 0 {
                    if let swallowed = swallowedRows(fields) {
                        let end = scanner.resume(afterFirstLineOf: range.lowerBound, startLine: physicalLine)
                        _ = end
                        rejections.append(Rejection(file: at.file, line: line, column: swallowed.column, value: nil,
                            reason: "a quote opened in this line runs on to line \(line + embedded), taking in \(swallowed.rows) line\(swallowed.rows == 1 ? "" : "s") that look\(swallowed.rows == 1 ? "s" : "") like rows (a stray quote?); the line is rejected and reading resumes on the next line"))
                        continue
                    }
                    multilineValues += 1
                    if firstMultilineLine == 0 { firstMultilineLine = line }
                }
                if let problem = checkBytes(scanner.base, range, fields) {
                    rejections.append(Rejection(file: at.file, line: line, column: problem.column, value: nil, reason: problem.reason))
                    continue
                }
                // The scratch buffer holds the unescaped copy of every escaped field each
                // column reads. One field may feed several columns (a mapping can send two
                // canonical columns to the same header), so the size is the sum over columns,
                // not the record's length; every write is bounds-checked as well.
                var needed = 0
                for f in fields where f.escaped { needed = -1; break }
                if needed < 0 {
                    needed = 0
                    for c in 0..<columns {
                        let fi = fieldIndex[c]
                        if fi >= 0 && fields[fi].escaped { needed += fields[fi].end - fields[fi].start }
                    }
                }
                if needed > scratch.count {
                    scratch.deallocate()
                    scratch = .allocate(capacity: max(needed * 2, 4096))
                }
                var used = 0
                for c in 0..<columns {
                    let fi = fieldIndex[c]
                    if fi >= 0 {
                        let f = fields[fi]
                        if f.escaped {
                            let start = used
                            var i = f.start
                            while i < f.end {
                                let b = scanner.base[i]
                                precondition(used < scratch.count, "CSV scratch buffer overrun")
                                scratch[used] = b
                                used += 1
                                i += b == 34 ? 2 : 1
                            }
                            values[c] = UnsafeBufferPointer(rebasing: scratch[start..<used])
                        } else {
                            values[c] = UnsafeBufferPointer(start: scanner.base + f.start, count: f.end - f.start)
                        }
                    } else if let k = constants[c] {
                        values[c] = k
                    } else {
                        values[c] = UnsafeBufferPointer(start: nil, count: 0)
                    }
                }
                let row = Row(reader: self, values: UnsafeBufferPointer(values), fields: fields, line: line)
                do {
                    try body(row)
                } catch {
                    var value: String? = nil
                    var column: String? = nil
                    if let c = error.column {
                        column = headerName[c]
                        if error.showValue { value = String(decoding: values[c], as: UTF8.self) }
                    }
                    rejections.append(Rejection(file: at.file, line: line, column: column, value: value, reason: error.reason))
                }
            }
        }
    }

    /// An amount read at `wideDigits` decimals, in `currency`'s minor units; nil (and the row
    /// rejected) when it has more decimals than the currency allows.
    func rescale(_ wide: Int64, _ currency: Currency, line: Int32, column: Int) -> Int64? {
        if let v = rescaleWide(wide, to: currency.minorDigits) { return v }
        reject(line: Int(line), column: column, value: Money.decimalString(wide, digits: wideDigits).trimmingTrailingZeros,
               reason: "more decimals than \(currency) allows")
        return nil
    }

    func fieldText(_ f: CSVField) -> String {
        scanner.withValue(f) { String(decoding: $0, as: UTF8.self) }
    }

    /// Records a rejection found after parsing (a reference resolved later, a currency check).
    func reject(line: Int, column: Int?, value: String?, reason: String) {
        // `line` is already the export's line for an imported table (rows carry it).
        let file = singleOrigin ?? displayName
        rejections.append(Rejection(file: file, line: line, column: column.map { headerName[$0] },
                                    value: value, reason: reason))
    }

    /// A quoted value spanning lines whose later lines hold as many commas as a row has
    /// separators: the lines a stray quote swallowed. Nil when none does.
    private func swallowedRows(_ fields: [CSVField]) -> (column: String?, rows: Int)? {
        guard headerCount >= 2 else { return nil }
        for (k, f) in fields.enumerated() where f.quoted {
            var rows = 0
            var commas = -1          // -1: still on the field's first line
            var i = f.start
            while i < f.end {
                let b = scanner.base[i]
                if b == 10 {
                    if commas >= headerCount - 1 { rows += 1 }
                    commas = 0
                } else if b == scanner.delimiter && commas >= 0 {
                    commas += 1
                }
                i += 1
            }
            if commas >= headerCount - 1 { rows += 1 }
            if rows > 0 { return (columnName(forField: k) ?? "field \(k + 1)", rows) }
        }
        return nil
    }

    private func columnName(forField f: Int) -> String? {
        if let c = fieldIndex.firstIndex(of: f) { return headerName[c] }
        if f >= 0 && f < headerNames.count && !headerNames[f].isEmpty { return headerNames[f] }
        return nil
    }

    /// NUL bytes, invalid UTF-8 and oversized fields reject the row, naming the column.
    /// `base`: the scanner's bytes (passed in: reading the reader's own scanner property would
    /// cost a dynamic exclusivity check per row).
    private func checkBytes(_ base: UnsafePointer<UInt8>, _ range: Range<Int>, _ fields: [CSVField]) -> (column: String?, reason: String)? {
        let p = UnsafeRawPointer(base + range.lowerBound)
        let n = range.count
        var i = 0
        var suspicious: UInt64 = 0
        while i + 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            // High bit set, or a zero byte.
            suspicious |= (w & 0x8080_8080_8080_8080) | ((w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080)
            i += 8
        }
        while i < n {
            let b = base[range.lowerBound + i]
            if b == 0 || b >= 0x80 { suspicious = 1 }
            i += 1
        }
        var long = false
        for f in fields where f.end - f.start > TableReader.maxFieldBytes { long = true }
        if suspicious == 0 && !long { return nil }
        for (k, f) in fields.enumerated() {
            let bytes = UnsafeBufferPointer(start: base + f.start, count: f.end - f.start)
            let name = columnName(forField: k) ?? "field \(k + 1)"
            if f.end - f.start > TableReader.maxFieldBytes {
                return (name, "the value is \(f.end - f.start) bytes long; a field may hold at most \(TableReader.maxFieldBytes / 1024) KiB")
            }
            if bytes.contains(0) { return (name, "contains a NUL byte: binary data, not text") }
            if String(validating: bytes, as: UTF8.self) == nil { return (name, "the value is not valid UTF-8") }
        }
        return nil
    }
}

/// The values of one record, by canonical column index, with strict typed readers.
struct Row: ~Copyable {
    let reader: TableReader
    /// Valid only while the row is (the reader's buffer, rewritten for the next record).
    let values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>
    let fields: [CSVField]
    let line: Int

    /// The value, or nil when the column is absent or empty.
    @inline(__always) func text(_ c: Int) -> UnsafeBufferPointer<UInt8>? {
        let v = values[c]
        return v.count == 0 ? nil : v
    }

    func required(_ c: Int) throws(RowError) -> UnsafeBufferPointer<UInt8> {
        guard let v = text(c) else { throw RowError(column: c, reason: "is empty, but required", showValue: false) }
        return v
    }

    func string(_ c: Int) -> String? { text(c).map { String(decoding: $0, as: UTF8.self) } }

    /// The value of a field outside the canonical columns, by field index (trimmed, unescaped).
    func extra(_ field: Int) -> String? {
        let s = reader.fieldText(fields[field])
        return s.isEmpty ? nil : s
    }

    func day(_ c: Int) throws(RowError) -> Day {
        let v = try required(c)
        guard let d = reader.dateFormat.parse(v) else { throw dateError(c, v) }
        return try Row.inRange(d, c)
    }

    func optionalDay(_ c: Int) throws(RowError) -> Day? {
        guard let v = text(c) else { return nil }
        guard let d = reader.dateFormat.parse(v) else { throw dateError(c, v) }
        return try Row.inRange(d, c)
    }

    /// Dates ARLens accepts: 1900-01-01 to 2199-12-31 (ledger-format.md, "Value ranges").
    static func inRange(_ d: Day, _ c: Int) throws(RowError) -> Day {
        guard ValueLimits.dates.contains(d) else {
            throw RowError(column: c, reason: "date outside the accepted range \(ValueLimits.dates.lowerBound) to \(ValueLimits.dates.upperBound)")
        }
        return d
    }

    private func dateError(_ c: Int, _ v: UnsafeBufferPointer<UInt8>) -> RowError {
        // A well-formed impossible date (2026-02-30) reads differently from a wrong layout.
        let fmt = reader.dateFormat
        if fmt.matchesLayout(v) { return RowError(column: c, reason: "no such date") }
        return RowError(column: c, reason: "not a date in the format \(fmt.pattern)")
    }

    func timestamp(_ c: Int) throws(RowError) -> LocalTimestamp? {
        guard let v = text(c) else { return nil }
        guard let t = reader.dateFormat.parseTimestamp(v) else {
            throw RowError(column: c, reason: "not a timestamp (\(reader.dateFormat.pattern)THH:MM[:SS])")
        }
        _ = try Row.inRange(t.day, c)
        return t
    }

    /// An amount in minor units of a currency with `digits` decimals.
    /// `currency`: the row's currency when known; a sign or code written with the amount must
    /// be that currency's.
    /// `currencyName` is only made for a message (a row's currency code would otherwise be a
    /// new string on every row).
    func amount(_ c: Int, digits: Int, currencyName: @autoclosure () -> String, currency: Currency? = nil) throws(RowError) -> Int64 {
        let v = try required(c)
        return try parseAmount(c, v, digits: digits, currencyName: currencyName, currency: currency)
    }

    func optionalAmount(_ c: Int, digits: Int, currencyName: @autoclosure () -> String, currency: Currency? = nil) throws(RowError) -> Int64? {
        guard let v = text(c) else { return nil }
        return try parseAmount(c, v, digits: digits, currencyName: currencyName, currency: currency)
    }

    private func parseAmount(_ c: Int, _ v: UnsafeBufferPointer<UInt8>, digits: Int, currencyName: () -> String,
                             currency: Currency?) throws(RowError) -> Int64 {
        let x: Int64
        do {
            x = try reader.amountStyle.parse(v, digits: digits, currency: currency)
        } catch {
            switch error {
            case .tooManyDecimals:
                throw RowError(column: c, reason: digits == 0 ? "\(currencyName()) has no minor unit; the amount must be whole"
                                                              : "more decimals than \(currencyName()) allows (\(digits))")
            case .outOfRange: throw RowError(column: c, reason: "amount is too large")
            case .empty: throw RowError(column: c, reason: "is empty, but required", showValue: false)
            case .notANumber: throw RowError(column: c, reason: "not an amount")
            case .otherCurrency(let n):
                throw RowError(column: c, reason: "the amount is written in \(n), but the row's currency is \(currencyName())")
            }
        }
        if x.magnitude >= ValueLimits.maxWholeUnits.magnitude * UInt64(Money.powersOfTen[min(digits, 6)]) {
            throw RowError(column: c, reason: "amount is too large (the maximum is \(ValueLimits.maxAmountText) in whole units of the currency)")
        }
        return x
    }

    /// Payment terms in days: 0 to 3,650.
    func terms(_ c: Int) throws(RowError) -> Int? {
        guard let n = try int(c) else { return nil }
        guard ValueLimits.termsDays.contains(n) else {
            throw RowError(column: c, reason: "terms must be 0 to \(ValueLimits.termsDays.upperBound) days")
        }
        return n
    }

    func int(_ c: Int) throws(RowError) -> Int? {
        guard let v = text(c) else { return nil }
        var x = 0
        var neg = false
        for (i, b) in v.enumerated() {
            if i == 0 && b == UInt8(ascii: "-") { neg = true; continue }
            guard b >= 48 && b <= 57, x < 1_000_000_000 else { throw RowError(column: c, reason: "not a whole number") }
            x = x * 10 + Int(b - 48)
        }
        if neg && v.count == 1 { throw RowError(column: c, reason: "not a whole number") }
        return neg ? -x : x
    }

    func bool(_ c: Int) throws(RowError) -> Bool? {
        guard let v = text(c) else { return nil }
        if let k = Row.match(v, Row.trueWords) { return k >= 0 }
        if let k = Row.match(v, Row.falseWords) { return k < 0 }
        throw RowError(column: c, reason: "not yes/no, true/false or 1/0")
    }

    static let trueWords = ["yes", "y", "true", "t", "1"].map { Array($0.utf8) }
    static let falseWords = ["no", "n", "false", "f", "0"].map { Array($0.utf8) }

    /// The index of the word `v` equals, ignoring ASCII case; nil when none does.
    static func match(_ v: UnsafeBufferPointer<UInt8>, _ words: [[UInt8]]) -> Int? {
        outer: for (k, w) in words.enumerated() where w.count == v.count {
            for j in 0..<w.count where (v[j] | (v[j] >= 65 && v[j] <= 90 ? 0x20 : 0)) != w[j] { continue outer }
            return k
        }
        return nil
    }

    /// A value of a closed vocabulary (adjustment kinds, activity kinds), by its name.
    func choice<E: CaseIterable & RawRepresentable>(_ c: Int, _ type: E.Type, names: [[UInt8]], listed: String) throws(RowError) -> E {
        let v = try required(c)
        guard let k = Row.match(v, names) else { throw RowError(column: c, reason: "not \(listed)") }
        return Array(E.allCases)[k]
    }

    func currency(_ c: Int) throws(RowError) -> Currency? {
        guard let v = text(c) else { return nil }
        guard v.count == 3, let cur = Currency(asciiCode: v[0], v[1], v[2]) else {
            throw RowError(column: c, reason: "not an ISO 4217 currency code")
        }
        return cur
    }
}
