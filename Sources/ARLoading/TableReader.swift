import ARModel
import CSupport

/// What a pass over some of a table's rows read, rejected and noted (`TableReader.forEachRow(in:_:)`).
struct RowTally {
    var rejections: [Rejection] = []
    var read = 0
    var multilineValues = 0
    var firstMultilineLine = 0
}

/// Where a pass over a table's rows is (`TableReader.forEachRow(in:_:)`), and where it stops.
struct RowRange {
    var scanner: CSVScanner
    var tally = RowTally()
    /// When set, the pass stops before the first record that starts at or after the offset
    /// stored there, which another thread may lower while the pass runs (read atomically).
    var limit: UnsafeMutablePointer<Int64>? = nil
    /// With `limit`: called with the position and line of the next record every 1,024
    /// records (where the pass is, for a thread that may take over the rest).
    var progress: ((Int, Int) -> Void)? = nil
    /// The pass stopped at `limit` (not at the end of the input).
    var stoppedAtLimit = false

    init(scanner: CSVScanner) { self.scanner = scanner }
}

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
    /// Amounts in the canonical style (`1234.50`): plain ones are read by `Row.plainAmount`.
    let plainAmounts: Bool
    private var scanner: CSVScanner
    private(set) var rejections: [Rejection] = []
    private(set) var read = 0
    /// Plain records go through `CSVScanner.nextPlain` (off only to test that both paths agree).
    var plainFastPath = true
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

    /// For a table read from a database: per field, whether it holds a `date` column as its
    /// day number (days since 1900-01-01, `PGTableSource.dayNumberSQL`) rather than its text;
    /// and per canonical column, whether the column reads such a field. Messages and row keys
    /// show such a value as the date's text, as the server would have written it.
    private(set) var dayNumberFields: [Bool] = []
    private(set) var dayNumberColumns: [Bool] = []

    convenience init(table: TableName, path: String, displayName: String, mapping: LedgerMapping) throws(LoadError) {
        try self.init(table: table, file: try MappedFile(path: path), displayName: displayName, mapping: mapping)
    }

    /// A table read from a database as CSV bytes (`PGTableSource`): the mapping's columns,
    /// formats and constants apply as for a file; `ignored` are the source's columns not read.
    /// `dayNumberFields`: the fields that hold a `date` column as its day number.
    /// `rowKey`: the columns (as the source names them, `PGTableSource.rowKey`) that name a
    /// rejected row, `invoice_id=I5`, since a table has no line numbers of its own.
    convenience init(table: TableName, bytes: MappedFile, displayName: String, mapping: LedgerMapping, ignored: [String],
                     dayNumberFields: [Int] = [], rowKey: [String] = []) throws(LoadError) {
        try self.init(table: table, file: bytes, displayName: displayName, mapping: mapping)
        ignoredColumns = ignored
        let lower = headerNames.map { $0.lowercased() }
        for name in rowKey {
            guard let k = lower.firstIndex(of: name.lowercased()) else { continue }
            self.rowKey.append((name, k, fieldIndex.firstIndex(of: k) ?? -1))
        }
        if !dayNumberFields.isEmpty {
            var fields = [Bool](repeating: false, count: headerCount)
            for k in dayNumberFields where k >= 0 && k < headerCount { fields[k] = true }
            self.dayNumberFields = fields
            dayNumberColumns = fieldIndex.map { $0 >= 0 && fields[$0] }
        }
    }

    /// A value of field `field` as messages show it: a day number as the date's text.
    func shownValue(field: Int, _ v: UnsafeBufferPointer<UInt8>) -> String {
        if field >= 0 && field < dayNumberFields.count && dayNumberFields[field], let n = Row.integer(v) {
            return PGDates.text(n + PGDates.epoch)
        }
        return String(decoding: v, as: UTF8.self)
    }

    private init(table: TableName, file: MappedFile, displayName: String, mapping: LedgerMapping) throws(LoadError) {
        self.table = table
        self.displayName = displayName
        self.file = file
        self.specs = LedgerSchema.columns[table]!
        self.dateFormat = mapping.dateFormat(table)
        self.amountStyle = mapping.amountStyle(table)
        self.plainAmounts = amountStyle == .canonical
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
        self.plainAmounts = true
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

    /// For a table read from a database: the columns that name a rejected row (`name=value`,
    /// joined by `, `): the source's name, the field, and the canonical column reading it (-1
    /// for none). Empty for a file. A row is named when it is rejected: while it is parsed, from
    /// its record (`nameKeys`), before the parser hands its pages back (the spool's pages then
    /// read as zeros); after the parse, from the values the caller parsed (`key` below).
    private var rowKey: [(name: String, field: Int, column: Int)] = []

    /// The key of a row rejected after the parse: `value(c)` is the row's text of canonical
    /// column `c` as it was read (an id, a reference as written). Nil for a file.
    func rowKeyText(_ value: (Int) -> String) -> String? {
        guard !rowKey.isEmpty else { return nil }
        return Rejection.clip(rowKey.map { $0.name + "=" + value($0.column) }.joined(separator: ", "))
    }

    /// Names the rejections from index `first` on, recorded while reading the record at
    /// `offset`, the start of line `line`: each by the key fields of the record that starts on
    /// its line (a record that does not read as one, a malformed line, is not named).
    private func nameKeys(_ rejections: inout [Rejection], from first: Int, offset: Int, line startLine: Int) {
        guard !rowKey.isEmpty, first < rejections.count else { return }
        let bytes = file.bytes
        var fields: [CSVField] = []
        for i in first..<rejections.count {
            let target = rejections[i].line
            guard rejections[i].file == displayName, target > 1 else { continue }
            var line = startLine, at = offset
            while line < target && at < bytes.count {
                if bytes[at] == 10 { line += 1 }
                at += 1
            }
            guard line == target else { continue }
            var sc = CSVScanner(bytes: UnsafeRawBufferPointer(rebasing: bytes[at...]))
            guard let rec = sc.next(&fields), case .record = rec else { continue }
            let parts = rowKey.compactMap { (name, k, _) -> String? in
                k < fields.count ? name + "=" + sc.withValue(fields[k]) { shownValue(field: k, $0) } : nil
            }
            if !parts.isEmpty { rejections[i].key = Rejection.clip(parts.joined(separator: ", ")) }
        }
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
    ///
    /// A plain record (one line, unquoted, ASCII, no NUL: nearly every row of a ledger) is
    /// read by the scanner's fast path and needs none of the checks below its field count;
    /// any other record goes through `CSVScanner.next` and every check, as before.
    func forEachRow(_ body: (borrowing Row) throws(RowError) -> Void) {
        var range = RowRange(scanner: scanner)
        forEachRow(in: &range, body)
        scanner = range.scanner
        absorb(range.tally)
    }

    /// Whether two parts of the table may be read at once (`InvoiceSplit`): a file's rows,
    /// not an export's (whose lines map back to the export) nor a database's.
    var splittable: Bool { origins.isEmpty && dayNumberFields.isEmpty && rowKey.isEmpty }

    /// Where the next pass over the rows starts (after the header, or where the last ended).
    var nextScanner: CSVScanner { scanner }

    /// Ends a pass made with `forEachRow(in:_:)` as `forEachRow` ends: the reader continues
    /// where it stopped and records what it counted and rejected.
    func finish(_ range: RowRange) {
        scanner = range.scanner
        absorb(range.tally)
    }

    /// `finish(_:)`, with the rejections found after the pass (duplicate ids,
    /// `TableParsers.internIDs`) merged into the pass's in line order.
    func finish(_ range: RowRange, adding later: [Rejection]) {
        var range = range
        range.tally.rejections = InvoiceSplit.merged(range.tally.rejections, later)
        finish(range)
    }

    /// A scanner at `offset`, a record boundary on physical line `line` (the other part of
    /// a table read in two parts at once, `InvoiceSplit`).
    func scanner(at offset: Int, line: Int) -> CSVScanner {
        var s = scanner
        s.seek(to: offset, line: line)
        return s
    }

    /// Counts, rejections and notes of a pass over some rows (`forEachRow(in:_:)`), in the order read.
    func absorb(_ t: RowTally) {
        rejections += t.rejections
        read += t.read
        multilineValues += t.multilineValues
        if firstMultilineLine == 0 { firstMultilineLine = t.firstMultilineLine }
    }

    /// `forEachRow` over the records `range` covers: from its scanner's position to the end
    /// of the input, or to the first record that starts at or after `range.limit`. What it
    /// counts and rejects goes to `range.tally` (not to the reader), so that two parts of a
    /// table can be read at once on two threads; `absorb` then records them in order.
    func forEachRow(in range: inout RowRange, _ body: (borrowing Row) throws(RowError) -> Void) {
        var tally = range.tally
        var fields: [CSVField] = []
        fields.reserveCapacity(headerCount)
        var plain = FieldBuffer(capacity: headerCount + 1)
        var cursor = CSVBlockCursor()
        // The values live in a buffer the rows borrow: an array would be retained by each
        // row and checked for uniqueness on every write. One slot more than the columns: where
        // the fast path writes the fields no column reads.
        let columns = specs.count
        let values = UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: columns + 1)
        values.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0))
        let memo = UnsafeMutablePointer<RowMemo>.allocate(capacity: 1)
        memo.initialize(to: RowMemo(columns: columns))
        for (c, d) in dayNumberColumns.enumerated() where d { memo.pointee.dayNumbers[c] = true }
        var scratch = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 4096)
        // The scanner, the count and the column maps live in locals during the loop: class
        // properties would pay a dynamic exclusivity check on every access.
        var scanner = range.scanner
        var read = 0
        let limit = range.limit, progress = range.progress
        var sinceProgress = 0
        let fieldIndex = self.fieldIndex, constants = self.constants, headerCount = self.headerCount
        let fromExport = !origins.isEmpty
        // A table made from an export maps its lines back: the checked path does that.
        let fastPath = plainFastPath && !fromExport && scanner.plainDelimiter
        let displayName = self.displayName
        let maxField = TableReader.maxFieldBytes
        for c in 0..<columns where fieldIndex[c] < 0 {
            if let k = constants[c] { values[c] = k }
        }
        // Where the fast path writes field k: straight into the value of the column that reads
        // it, when every field feeds at most one column and no field is read by its index
        // (`Row.extra`); otherwise into a slot per field, copied to the columns after.
        let mapped = fieldIndex.filter { $0 >= 0 }
        let direct = customerFields.isEmpty && Set(mapped).count == mapped.count
        let dest = UnsafeMutablePointer<Int>.allocate(capacity: headerCount + 1)
        let fieldSlots = UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>.allocate(capacity: headerCount + 1)
        fieldSlots.initialize(repeating: UnsafeBufferPointer(start: nil, count: 0), count: headerCount + 1)
        for k in 0...headerCount {
            if direct {
                dest[k] = k < headerCount ? (fieldIndex.firstIndex(of: k) ?? columns) : columns
            } else {
                dest[k] = k
            }
        }
        let slots = direct ? values.baseAddress! : fieldSlots
        defer {
            scratch.deallocate()
            values.deallocate()
            dest.deallocate()
            fieldSlots.deallocate()
            memo.pointee.deallocate()
            memo.deallocate()
            plain.deallocate()
            range.scanner = scanner
            tally.read += read
            range.tally = tally
        }
        // Pages of the file already parsed are given back every 16 MiB (a row's values are
        // copied into the columns before the next record is read).
        var released = range.scanner.position
        let releaseFrom = released
        let keyed = !rowKey.isEmpty
        while true {
            let start = scanner.position      // the next record starts here or later
            let startLine = scanner.line
            if start - released > 1 << 24 {
                file.release(from: releaseFrom, before: start)
                released = start
            }
            if let limit {
                if start >= Int(arlens_atomic_load(limit)) {
                    range.stoppedAtLimit = true
                    break
                }
                if let progress {
                    sinceProgress &+= 1
                    if sinceProgress == 1024 {
                        sinceProgress = 0
                        progress(start, scanner.line)
                    }
                }
            }
            // The record's line, and its file when not this table's own (an export's).
            let line: Int
            var origin: String? = nil
            if fastPath, let n = scanner.nextPlain(into: slots, dest: dest, lastField: headerCount, &cursor, maxRecord: maxField) {
                read += 1
                line = scanner.line - 1
                if n != headerCount {
                    tally.rejections.append(Rejection(file: displayName, line: line, column: nil, value: nil,
                        reason: "the row has \(n) field\(n == 1 ? "" : "s"), the header has \(headerCount)"))
                    if keyed { nameKeys(&tally.rejections, from: tally.rejections.count - 1, offset: start, line: startLine) }
                    continue
                }
                if !direct {
                    plain.removeAll()
                    for k in 0..<n {
                        let v = fieldSlots[k]
                        let at = v.baseAddress.map { $0 - scanner.base } ?? 0
                        plain.append(CSVField(start: at, end: at + v.count, quoted: false, escaped: false))
                    }
                    for c in 0..<columns {
                        let fi = fieldIndex[c]
                        if fi >= 0 { values[c] = fieldSlots[fi] }
                    }
                }
            } else {
                guard let r = scanner.next(&fields) else { break }
                read += 1
                let before = tally.rejections.count
                guard let at = checkRecord(r, fields, &scanner, &tally, fromExport: fromExport) else {
                    if keyed { nameKeys(&tally.rejections, from: before, offset: start, line: startLine) }
                    continue
                }
                line = at.line
                if fromExport { origin = at.file }
                plain.set(fields)
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
                    }
                }
            }
            let row = Row(reader: self, values: UnsafeBufferPointer(start: values.baseAddress, count: columns),
                          fields: plain.buffer, line: line, memo: memo)
            do {
                try body(row)
            } catch {
                var value: String? = nil
                var column: String? = nil
                if let c = error.column {
                    column = headerName[c]
                    if error.showValue { value = shownValue(field: fieldIndex[c], values[c]) }
                }
                tally.rejections.append(Rejection(file: origin ?? displayName, line: line, column: column, value: value, reason: error.reason))
                if keyed { nameKeys(&tally.rejections, from: tally.rejections.count - 1, offset: start, line: startLine) }
            }
        }
    }

    /// The checks a record read by `CSVScanner.next` passes before its values are read: well
    /// formed, as many fields as the header, no lines a stray quote swallowed, text without
    /// NUL bytes, valid UTF-8, no oversized field. Nil (and the rejection recorded) when one
    /// fails; else the file and line of the record.
    private func checkRecord(_ r: CSVRecordResult, _ fields: [CSVField], _ scanner: inout CSVScanner,
                             _ tally: inout RowTally, fromExport: Bool) -> (file: String, line: Int)? {
        switch r {
        case .malformed(let line, let field, let reason, _):
            let col = field >= 1 && field <= headerCount ? columnName(forField: field - 1) : nil
            let at = place(line)
            tally.rejections.append(Rejection(file: at.file, line: at.line, column: col, value: nil, reason: reason))
            return nil
        case .record(let physicalLine, let range):
            let at = fromExport ? place(physicalLine) : (file: displayName, line: physicalLine)
            let line = at.line
            if fields.count != headerCount {
                tally.rejections.append(Rejection(file: at.file, line: line, column: nil, value: nil,
                    reason: "the row has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(headerCount)"))
                return nil
            }
            // Line breaks inside quoted values: legitimate (an address), unless a stray
            // quote took in lines that look like rows, which would hide them.
            let embedded = scanner.line - physicalLine - (range.upperBound < scanner.count ? 1 : 0)
            if embedded > 0 {
                if let swallowed = swallowedRows(fields) {
                    scanner.resume(afterFirstLineOf: range.lowerBound, startLine: physicalLine)
                    tally.rejections.append(Rejection(file: at.file, line: line, column: swallowed.column, value: nil,
                        reason: "a quote opened in this line runs on to line \(line + embedded), taking in \(swallowed.rows) line\(swallowed.rows == 1 ? "" : "s") that look\(swallowed.rows == 1 ? "s" : "") like rows (a stray quote?); the line is rejected and reading resumes on the next line"))
                    return nil
                }
                tally.multilineValues += 1
                if tally.firstMultilineLine == 0 { tally.firstMultilineLine = line }
            }
            if let problem = checkBytes(scanner.base, range, fields) {
                tally.rejections.append(Rejection(file: at.file, line: line, column: problem.column, value: nil, reason: problem.reason))
                return nil
            }
            return at
        }
    }

    /// An amount read at `wideDigits` decimals, in `currency`'s minor units; nil (and the row
    /// rejected) when it has more decimals than the currency allows.
    /// `key`: the row's text of a canonical column, for a table read from a database
    /// (`rowKeyText`).
    func rescale(_ wide: Int64, _ currency: Currency, line: Int32, column: Int, key: (Int) -> String) -> Int64? {
        if let v = rescaleWide(wide, to: currency.minorDigits) { return v }
        rejections.append(rescaleRejection(wide, currency, line: line, column: column, key: key))
        return nil
    }

    func fieldText(_ f: CSVField) -> String {
        scanner.withValue(f) { String(decoding: $0, as: UTF8.self) }
    }

    /// The rejection `reject(line:column:value:reason:)` records, without recording it: for
    /// workers that resolve parts of a table at once and hand their rejections over in order.
    func rejection(line: Int, column: Int?, value: String?, reason: String, key: (Int) -> String) -> Rejection {
        Rejection(file: singleOrigin ?? displayName, line: line, column: column.map { headerName[$0] },
                  value: value, reason: reason, key: rowKeyText(key))
    }

    /// The rejection `rescale` records for an amount with more decimals than its currency has.
    func rescaleRejection(_ wide: Int64, _ currency: Currency, line: Int32, column: Int, key: (Int) -> String) -> Rejection {
        rejection(line: Int(line), column: column, value: Money.decimalString(wide, digits: wideDigits).trimmingTrailingZeros,
                  reason: "more decimals than \(currency) allows", key: key)
    }

    /// Records rejections made by `rejection(...)`, in the order given.
    func record(_ list: [Rejection]) { rejections += list }

    /// Records a rejection found after parsing (a reference resolved later, a currency check).
    /// `key`: the row's text of a canonical column, which names the row for a table read from a
    /// database (its text is gone by then: the parser handed its pages back).
    func reject(line: Int, column: Int?, value: String?, reason: String, key: (Int) -> String) {
        // `line` is already the export's line for an imported table (rows carry it).
        rejections.append(rejection(line: line, column: column, value: value, reason: reason, key: key))
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
    /// Not retained: a row lives only inside `forEachRow`, whose reader outlives it (a strong
    /// reference cost a retain and a release on every row).
    unowned(unsafe) let reader: TableReader
    /// Valid only while the row is (the reader's buffer, rewritten for the next record).
    let values: UnsafeBufferPointer<UnsafeBufferPointer<UInt8>>
    let fields: UnsafeBufferPointer<CSVField>
    let line: Int
    /// The table's last dates and currency, kept from row to row by the reader.
    let memo: UnsafeMutablePointer<RowMemo>

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

    /// An ISO date in range is read in the caller (no call), as is an empty optional date;
    /// anything else by the `...Slow` readers (an empty required date is rejected there).
    @inline(__always) func day(_ c: Int) throws(RowError) -> Day {
        if reader.dateFormat.isISO, let d = memo.pointee.isoDay(values[c]) { return d }
        return try daySlow(c)
    }

    @inline(__always) func optionalDay(_ c: Int) throws(RowError) -> Day? {
        let v = values[c]
        if v.count == 0 { return nil }
        if reader.dateFormat.isISO, let d = memo.pointee.isoDay(v) { return d }
        return try optionalDaySlow(c)
    }

    @inline(never) func daySlow(_ c: Int) throws(RowError) -> Day {
        try dayValue(c, try required(c))
    }

    @inline(never) func optionalDaySlow(_ c: Int) throws(RowError) -> Day? {
        guard let v = text(c) else { return nil }
        return try dayValue(c, v)
    }

    /// A date column: an ISO date in range from the month table; otherwise the same text as
    /// the row before gives the same day without parsing. A day number (a `date` column read
    /// from a database) in range is the day itself.
    @inline(__always) private func dayValue(_ c: Int, _ v: UnsafeBufferPointer<UInt8>) throws(RowError) -> Day {
        if memo.pointee.dayNumbers[c] {
            if let d = memo.pointee.dayNumber(v) { return d }
            return try dayNumberValue(c, v)
        }
        return try dayText(c, v)
    }

    /// A day number outside the accepted range is read as the server's text of the date
    /// (`PGDates.text`), so it is rejected exactly as that text would be.
    @inline(never) private func dayNumberValue(_ c: Int, _ v: UnsafeBufferPointer<UInt8>) throws(RowError) -> Day {
        guard let n = Row.integer(v) else { return try dayText(c, v) }
        let days = n + PGDates.epoch
        if ValueLimits.dates.contains(Day(number: Int32(clamping: days))) { return Day(number: Int32(days)) }
        var text = Array(PGDates.text(days).utf8)
        return try text.withUnsafeMutableBufferPointer { (b) throws(RowError) -> Day in try dayText(c, UnsafeBufferPointer(b)) }
    }

    /// A whole number, an optional `-` and 1 to 18 digits: a day number as the server writes it.
    static func integer(_ v: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = v.count
        guard n > 0 else { return nil }
        let negative = v[0] == 45
        var i = negative ? 1 : 0
        guard i < n && n - i <= 18 else { return nil }
        var x = 0
        while i < n {
            let d = v[i] &- 48
            guard d < 10 else { return nil }
            x = x * 10 + Int(d)
            i += 1
        }
        return negative ? -x : x
    }

    @inline(__always) private func dayText(_ c: Int, _ v: UnsafeBufferPointer<UInt8>) throws(RowError) -> Day {
        let iso = reader.dateFormat.isISO
        if iso, let d = memo.pointee.isoDay(v) { return d }
        if let d = memo.pointee.recall(c, v) { return d }
        guard let d = reader.dateFormat.parse(v) else { throw dateError(c, v) }
        let day = try Row.inRange(d, c)
        memo.pointee.remember(c, v, day)
        return day
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
        // `YYYY-MM-DDTHH:MM:SS` (or a space for the T), the layout of exports: the date
        // part through the memo, the time read in place.
        // A day not seen in the row before is read from the ISO month table (in range by
        // construction) before the full parser is asked.
        if reader.dateFormat.isISO && v.count == 19 && (v[10] == 84 || v[10] == 32) && v[13] == 58 && v[16] == 58,
           case let date = UnsafeBufferPointer(rebasing: v[0..<10]),
           let day = memo.pointee.recall(c, date) ?? memo.pointee.rememberISO(c, date) {
            let h0 = v[11] &- 48, h1 = v[12] &- 48, m0 = v[14] &- 48, m1 = v[15] &- 48, s0 = v[17] &- 48, s1 = v[18] &- 48
            if h0 < 10 && h1 < 10 && m0 < 10 && m1 < 10 && s0 < 10 && s1 < 10 {
                let h = Int(h0) * 10 + Int(h1), m = Int(m0) * 10 + Int(m1), s = Int(s0) * 10 + Int(s1)
                if h < 24 && m < 60 && s < 60 { return LocalTimestamp(day: day, hour: h, minute: m, second: s) }
            }
        }
        guard let t = reader.dateFormat.parseTimestamp(v) else {
            throw RowError(column: c, reason: "not a timestamp (\(reader.dateFormat.pattern)THH:MM[:SS])")
        }
        _ = try Row.inRange(t.day, c)
        if v.count >= 10 && reader.dateFormat.isISO { memo.pointee.remember(c, UnsafeBufferPointer(rebasing: v[0..<10]), t.day) }
        return t
    }

    /// An amount in minor units of a currency with `digits` decimals.
    /// `currency`: the row's currency when known; a sign or code written with the amount must
    /// be that currency's.
    /// `currencyName` is only made for a message (a row's currency code would otherwise be a
    /// new string on every row).
    ///
    /// A plain canonical amount in range is read in the caller (no call); anything else,
    /// an empty value included, by the `...Slow` readers, which word the error.
    @inline(__always)
    func amount(_ c: Int, digits: Int, currencyName: @autoclosure () -> String, currency: Currency? = nil) throws(RowError) -> Int64 {
        if reader.plainAmounts, let x = memo.pointee.plainAmount(values[c], digits: digits) { return x }
        return try amountSlow(c, digits: digits, currencyName: currencyName, currency: currency)
    }

    @inline(__always)
    func optionalAmount(_ c: Int, digits: Int, currencyName: @autoclosure () -> String, currency: Currency? = nil) throws(RowError) -> Int64? {
        let v = values[c]
        if v.count == 0 { return nil }
        if reader.plainAmounts, let x = memo.pointee.plainAmount(v, digits: digits) { return x }
        return try amountSlow(c, digits: digits, currencyName: currencyName, currency: currency)
    }

    @inline(never)
    func amountSlow(_ c: Int, digits: Int, currencyName: () -> String, currency: Currency?) throws(RowError) -> Int64 {
        let v = try required(c)
        return try parseAmount(c, v, digits: digits, currencyName: currencyName, currency: currency)
    }

    private func parseAmount(_ c: Int, _ v: UnsafeBufferPointer<UInt8>, digits: Int, currencyName: () -> String,
                             currency: Currency?) throws(RowError) -> Int64 {
        let x: Int64
        if reader.plainAmounts, let plain = Row.plainAmount(v, digits: digits) {
            x = plain
        } else {
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
        }
        if x.magnitude >= ValueLimits.maxWholeUnits.magnitude * UInt64(Money.powersOfTen[min(digits, 6)]) {
            throw RowError(column: c, reason: "amount is too large (the maximum is \(ValueLimits.maxAmountText) in whole units of the currency)")
        }
        return x
    }

    /// `123`, `-123.4` or `123.45` with at most `digits` decimals and at most 18 digits in
    /// all, in minor units: what the canonical amount style reads it as. Nil for anything
    /// else (the full parser then decides, and words the error).
    static func plainAmount(_ v: UnsafeBufferPointer<UInt8>, digits: Int) -> Int64? {
        Money.powersOfTen.withUnsafeBufferPointer { plainAmount(v, digits: digits, powers: $0.baseAddress!) }
    }

    /// `plainAmount(_:digits:)` with 10^0 to 10^18 at `powers`.
    @inline(__always) static func plainAmount(_ v: UnsafeBufferPointer<UInt8>, digits: Int, powers: UnsafePointer<Int64>) -> Int64? {
        let n = v.count
        var i = 0
        let negative = n > 0 && v[0] == 45
        if negative { i = 1 }
        var value: Int64 = 0
        let intStart = i
        while i < n, case let d = v[i] &- 48, d < 10 {
            value = value &* 10 &+ Int64(d)
            i += 1
        }
        let intDigits = i - intStart
        guard intDigits > 0 else { return nil }
        var decimals = 0
        if i < n {
            guard v[i] == 46 else { return nil }
            i += 1
            while i < n, case let d = v[i] &- 48, d < 10 {
                value = value &* 10 &+ Int64(d)
                decimals += 1
                i += 1
            }
            guard i == n, decimals > 0, decimals <= digits else { return nil }
        }
        guard intDigits + digits <= 18 else { return nil }
        value = value &* powers[digits - decimals]
        return negative ? -value : value
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

    @inline(__always) func bool(_ c: Int) throws(RowError) -> Bool? {
        if values[c].count == 0 { return nil }
        return try boolSlow(c)
    }

    @inline(never) func boolSlow(_ c: Int) throws(RowError) -> Bool? {
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

    /// The row before's code is answered in the caller (no call); anything else by
    /// `currencySlow`.
    @inline(__always) func currency(_ c: Int) throws(RowError) -> Currency? {
        let v = values[c]
        if v.count == 0 { return nil }
        if v.count == 3, UInt32(v[0]) | UInt32(v[1]) << 8 | UInt32(v[2]) << 16 == memo.pointee.currencyKey {
            return memo.pointee.currency
        }
        return try currencySlow(c)
    }

    @inline(never) func currencySlow(_ c: Int) throws(RowError) -> Currency? {
        guard let v = text(c) else { return nil }
        if v.count == 3 {
            let key = UInt32(v[0]) | UInt32(v[1]) << 8 | UInt32(v[2]) << 16
            if key == memo.pointee.currencyKey { return memo.pointee.currency }
            if let cur = Currency(asciiCode: v[0], v[1], v[2]) {
                memo.pointee.currencyKey = key
                memo.pointee.currency = cur
                return cur
            }
        }
        throw RowError(column: c, reason: "not an ISO 4217 currency code")
    }
}

/// What a table's typed readers remember from one row to the next: per column the last date
/// text and its day (dates repeat from row to row: a day's invoices, a batch of payments), and
/// the last currency code. Only values that parsed and passed the range check are kept.
struct RowMemo {
    struct DateEntry {
        /// The text's length (0: nothing kept), its first and its last eight bytes.
        var count = 0
        var head: UInt64 = 0
        var tail: UInt64 = 0
        var day = Day(number: 0)
    }
    let dates: UnsafeMutablePointer<DateEntry>
    /// Per column: its values are day numbers (`TableReader.dayNumberColumns`).
    let dayNumbers: UnsafeMutablePointer<Bool>
    /// The last day number in the accepted range (the first is 0), and the `Day` of day
    /// number 0 (`PGDates.epoch`): kept here, read without a global's accessor.
    let lastDayNumber = Int32(ValueLimits.dates.upperBound.number - ValueLimits.dates.lowerBound.number)
    let dayNumberBase = ValueLimits.dates.lowerBound.number
    /// `ISOMonths.starts`, read once here (a global's every read checks its initialisation).
    let monthStarts = ISOMonths.starts
    var currencyKey: UInt32 = 0xFFFF_FFFF
    var currency = Currency.USD
    /// 10^0 to 10^18 (`Money.powersOfTen`), and per number of decimals 0 to 6 the first
    /// amount in minor units too large to accept: read here without a global's accessor.
    let powers: UnsafeMutablePointer<Int64>
    let amountLimits: UnsafeMutablePointer<UInt64>

    init(columns: Int) {
        dates = .allocate(capacity: max(columns, 1))
        dates.initialize(repeating: DateEntry(), count: max(columns, 1))
        dayNumbers = .allocate(capacity: max(columns, 1))
        dayNumbers.initialize(repeating: false, count: max(columns, 1))
        powers = .allocate(capacity: Money.powersOfTen.count)
        powers.initialize(from: Money.powersOfTen, count: Money.powersOfTen.count)
        amountLimits = .allocate(capacity: 7)
        for d in 0...6 { amountLimits[d] = ValueLimits.maxWholeUnits.magnitude * UInt64(Money.powersOfTen[d]) }
    }

    func deallocate() {
        dates.deallocate()
        dayNumbers.deallocate()
        powers.deallocate()
        amountLimits.deallocate()
    }

    /// A plain canonical amount (`Row.plainAmount`) at `digits` (at most 6) decimals that is
    /// in range; nil for anything else, which the full parser reads and words the error for.
    @inline(__always) func plainAmount(_ v: UnsafeBufferPointer<UInt8>, digits: Int) -> Int64? {
        guard UInt(bitPattern: digits) <= 6, let x = Row.plainAmount(v, digits: digits, powers: powers),
              x.magnitude < amountLimits[digits] else { return nil }
        return x
    }

    /// A day number in the accepted range, 0 (1900-01-01) to `lastDayNumber`, as the server
    /// writes it (1 to 6 digits): that day. Nil for anything else (`Row.dayNumberValue`).
    @inline(__always) func dayNumber(_ v: UnsafeBufferPointer<UInt8>) -> Day? {
        let n = v.count
        guard n >= 1 && n <= 6, let p = v.baseAddress else { return nil }
        var x: Int32 = 0
        var i = 0
        while i < n {
            let d = p[i] &- 48
            guard d < 10 else { return nil }
            x = x &* 10 &+ Int32(d)
            i += 1
        }
        guard x <= lastDayNumber else { return nil }
        return Day(number: x &+ dayNumberBase)
    }

    /// Texts of 8 to 16 bytes are kept: every date layout ARLens reads.
    @inline(__always) static func key(_ v: UnsafeBufferPointer<UInt8>) -> (head: UInt64, tail: UInt64)? {
        let n = v.count
        guard n >= 8 && n <= 16, let b = v.baseAddress else { return nil }
        let raw = UnsafeRawPointer(b)
        return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
    }

    @inline(__always) func recall(_ c: Int, _ v: UnsafeBufferPointer<UInt8>) -> Day? {
        let e = dates[c]
        guard e.count == v.count, let k = RowMemo.key(v), k.head == e.head, k.tail == e.tail else { return nil }
        return e.day
    }

    @inline(__always) func remember(_ c: Int, _ v: UnsafeBufferPointer<UInt8>, _ day: Day) {
        guard let k = RowMemo.key(v) else { return }
        dates[c].count = v.count
        dates[c].head = k.head
        dates[c].tail = k.tail
        dates[c].day = day
    }

    /// `isoDay(v)`, kept as column `c`'s last date when there is one.
    @inline(__always) func rememberISO(_ c: Int, _ v: UnsafeBufferPointer<UInt8>) -> Day? {
        guard let d = isoDay(v) else { return nil }
        remember(c, v, d)
        return d
    }

    /// `YYYY-MM-DD` inside the accepted range (1900-01 to 2199-12): the day number from a
    /// table of month starts, without the calendar. Nil for anything else: another layout, a
    /// year outside the range, month 00 or 13, day 00 or past the month's end. The full parser
    /// then reads it and reports the error it reports today. The accepted range is whole
    /// months, so every day found in the table is in range.
    ///
    /// Read as two words (bytes 0 to 7, then 8 and 9): the dashes and the digits are checked
    /// for all bytes at once, and digit pairs combined in the word.
    @inline(__always) func isoDay(_ v: UnsafeBufferPointer<UInt8>) -> Day? {
        guard v.count == 10, let p = v.baseAddress else { return nil }
        let raw = UnsafeRawPointer(p)
        let w = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))                      // YYYY-MM-
        let dd = UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))  // DD
        let dashes: UInt64 = 0xFF00_00FF_0000_0000
        guard w & dashes == 0x2D00_002D_0000_0000 else { return nil }
        // The dashes made '0', the day's word filled with '0': every byte must be 0x30...0x39
        // (high nibble 3, and still 3 after adding 6).
        let x = (w & ~dashes) | 0x3000_0030_0000_0000
        let y = dd | 0x3030_3030_3030_0000
        let high: UInt64 = 0xF0F0_F0F0_F0F0_F0F0, zeros: UInt64 = 0x3030_3030_3030_3030, six: UInt64 = 0x0606_0606_0606_0606
        guard ((x & high) ^ zeros) | (((x &+ six) & high) ^ zeros) | ((y & high) ^ zeros) | (((y &+ six) & high) ^ zeros) == 0
        else { return nil }
        let t = x &- zeros
        // Byte k of q: digit k * 10 + digit k+1 (no byte exceeds 99, so nothing carries).
        let q = t &* 10 &+ (t &>> 8)
        let year = Int(q & 0xFF) * 100 + Int((q &>> 16) & 0xFF)
        let mm = Int((q &>> 40) & 0xFF)
        // One unsigned comparison each for 1900...2199 and 1...12.
        guard UInt(bitPattern: year &- ISOMonths.firstYear) < UInt(ISOMonths.years),
              UInt(bitPattern: mm &- 1) < 12 else { return nil }
        let k = (year - ISOMonths.firstYear) * 12 + mm - 1
        let start = monthStarts[k]
        let td = y &- zeros
        let day = Int32(td & 0xFF) * 10 + Int32((td &>> 8) & 0xFF)
        guard day >= 1 && day <= monthStarts[k + 1] - start else { return nil }
        return Day(number: start + day - 1)
    }
}

/// The day number of the first of every month from 1900-01 to 2199-12, and of 2200-01 (so a
/// month's length is the next entry minus its own): the ISO date fast path's calendar.
enum ISOMonths {
    static let firstYear = 1900
    static let years = 300
    /// Filled once (a static is initialised once, thread-safely) and never written again.
    nonisolated(unsafe) static let starts: UnsafePointer<Int32> = {
        let n = years * 12 + 1
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: n)
        for k in 0..<n {
            p[k] = Int32(Day(year: firstYear + k / 12, month: k % 12 + 1, day: 1)!.number)
        }
        return UnsafePointer(p)
    }()
}
