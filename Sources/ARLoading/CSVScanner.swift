import CSupport

/// One field of a CSV record: a byte range of the file.
public struct CSVField: Sendable {
    /// Offsets of the raw field text, without surrounding quotes.
    public var start: Int
    public var end: Int
    /// The field was quoted (its spaces are kept, `""` may need unescaping).
    public var quoted: Bool
    /// The quoted field contains `""` escapes.
    public var escaped: Bool
}

/// What `CSVScanner.next` found.
public enum CSVRecordResult: Sendable {
    /// A record starting on physical line `line` (1-based), spanning bytes `range`.
    case record(line: Int, range: Range<Int>)
    /// A malformed record starting on `line`: the reason and the column (1-based field number).
    case malformed(line: Int, field: Int, reason: String, range: Range<Int>)
}

/// An RFC 4180 reader over bytes: `,` delimiter (or another one byte), `"` quotes with `""` escapes, commas and
/// newlines inside quotes, LF or CRLF line ends, a UTF-8 BOM, a missing final newline.
/// Blank lines (empty or spaces only) are not records. It never allocates per record:
/// fields are byte ranges written into a reused array.
///
/// Lenient where RFC 4180 is silent in practice: a `"` inside an unquoted field is kept as a
/// literal character. Strict where data would be lost: text after a closing quote, or a quote
/// left open at the end of the file, makes the record malformed; when such a record ran over
/// several lines only its first line is rejected and the lines after it are read as records.
public struct CSVScanner {
    public let base: UnsafePointer<UInt8>
    public let count: Int
    /// The field separator: `,` for ledger files; `;`, tab or `|` for some exports.
    public let delimiter: UInt8
    public private(set) var position: Int
    /// The physical line the scanner is on (1-based).
    public private(set) var line: Int = 1

    /// The delimiter in every byte of a word (for the eight-bytes-at-a-time search).
    private let delimiterWord: UInt64

    public init(bytes: UnsafeRawBufferPointer, delimiter: UInt8 = 44) {
        self.delimiter = delimiter
        delimiterWord = UInt64(delimiter) &* 0x0101_0101_0101_0101
        if let b = bytes.baseAddress {
            base = b.assumingMemoryBound(to: UInt8.self)
        } else {
            base = UnsafePointer(bitPattern: 1)!   // never read: count is 0
        }
        count = bytes.count
        // Skip a UTF-8 BOM.
        position = count >= 3 && base[0] == 0xEF && base[1] == 0xBB && base[2] == 0xBF ? 3 : 0
    }

    public var atEnd: Bool { position >= count }

    /// Spaces around a field are trimmed; so are tabs, unless the tab is the delimiter.
    @inline(__always) private func isPad(_ b: UInt8) -> Bool { b == 32 || (b == 9 && delimiter != 9) }

    @inline(__always) private func isBlankToEOL(_ p: Int) -> (blank: Bool, next: Int, newline: Bool) {
        var i = p
        while i < count && (base[i] == 32 || base[i] == 9) { i += 1 }
        if i >= count { return (true, i, false) }
        if base[i] == 10 { return (true, i + 1, true) }
        if base[i] == 13 { return (true, i + 1 < count && base[i + 1] == 10 ? i + 2 : i + 1, true) }
        return (false, p, false)
    }

    /// Reads the next record's fields into `fields` (cleared first). Nil at the end of input.
    public mutating func next(_ fields: inout [CSVField]) -> CSVRecordResult? {
        fields.removeAll(keepingCapacity: true)
        // Skip blank lines.
        while position < count {
            let (blank, next, newline) = isBlankToEOL(position)
            if !blank { break }
            position = next
            if newline { line += 1 }
        }
        if position >= count { return nil }

        let startLine = line
        let recordStart = position
        var p = position
        while true {
            // Leading spaces: trimmed from unquoted fields; allowed before an opening quote.
            var q = p
            while q < count && isPad(base[q]) { q += 1 }
            if q < count && base[q] == 34 {
                // Quoted field.
                var i = q + 1
                let fStart = i
                var escaped = false
                var closed = false
                while i < count {
                    let b = base[i]
                    if b == 34 {
                        if i + 1 < count && base[i + 1] == 34 { escaped = true; i += 2; continue }
                        closed = true
                        break
                    }
                    if b == 10 { line += 1 }
                    i += 1
                }
                if !closed {
                    // Rejecting the rest of the file as one record would hide every row in it:
                    // the line with the stray quote is rejected and reading resumes after it.
                    let field = fields.count + 1
                    let end = resume(afterFirstLineOf: recordStart, startLine: startLine)
                    return .malformed(line: startLine, field: field,
                                      reason: "a quote opened in this line is never closed (the rest of the file would be one value); the line is rejected and reading resumes on the next line",
                                      range: recordStart..<end)
                }
                fields.append(CSVField(start: fStart, end: i, quoted: true, escaped: escaped))
                i += 1
                while i < count && isPad(base[i]) { i += 1 }
                if i >= count { position = count; return .record(line: startLine, range: recordStart..<count) }
                let b = base[i]
                if b == delimiter { p = i + 1; continue }
                if b == 10 || b == 13 {
                    position = b == 13 && i + 1 < count && base[i + 1] == 10 ? i + 2 : i + 1
                    line += 1
                    return .record(line: startLine, range: recordStart..<i)
                }
                // Text after the closing quote: skip to the end of this line, or, when the quoted
                // field ran over several lines, reject only the first and read the others again.
                let field = fields.count
                if line > startLine {
                    let closingLine = line
                    let end = resume(afterFirstLineOf: recordStart, startLine: startLine)
                    return .malformed(line: startLine, field: field,
                                      reason: "a quote opened in this line runs on to line \(closingLine) and is followed by text (a stray quote?); the line is rejected and reading resumes on the next line",
                                      range: recordStart..<end)
                }
                var j = i
                while j < count && base[j] != 10 { j += 1 }
                position = j < count ? j + 1 : count
                if j < count { line += 1 }
                return .malformed(line: startLine, field: field,
                                  reason: "unexpected text after a closing quote", range: recordStart..<j)
            } else {
                // Unquoted field: up to the next comma or line end; eight bytes at a time
                // while a whole word is left (the lowest byte the test flags is always a
                // real match), then byte by byte.
                var i = p
                while i + 8 <= count {
                    let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    let a = w ^ delimiterWord, n = w ^ 0x0A0A_0A0A_0A0A_0A0A, r = w ^ 0x0D0D_0D0D_0D0D_0D0D
                    let zero = ((a &- 0x0101_0101_0101_0101) & ~a) | ((n &- 0x0101_0101_0101_0101) & ~n)
                        | ((r &- 0x0101_0101_0101_0101) & ~r)
                    let hit = zero & 0x8080_8080_8080_8080
                    if hit != 0 { i += hit.trailingZeroBitCount >> 3; break }
                    i += 8
                }
                while i < count {
                    let b = base[i]
                    if b == delimiter || b == 10 || b == 13 { break }
                    i += 1
                }
                // Trim spaces on both sides.
                var s = p, e = i
                while s < e && isPad(base[s]) { s += 1 }
                while e > s && isPad(base[e - 1]) { e -= 1 }
                fields.append(CSVField(start: s, end: e, quoted: false, escaped: false))
                if i >= count { position = count; return .record(line: startLine, range: recordStart..<count) }
                let b = base[i]
                if b == delimiter { p = i + 1; continue }
                position = b == 13 && i + 1 < count && base[i + 1] == 10 ? i + 2 : i + 1
                line += 1
                return .record(line: startLine, range: recordStart..<i)
            }
        }
    }

    /// Whether `nextPlain` may read records with this delimiter (not a byte the scanner
    /// gives another meaning: a line end, a quote, a space, NUL, or UTF-8).
    var plainDelimiter: Bool { delimiter != 10 && delimiter != 13 && delimiter != 34 && delimiter != 32 && delimiter != 0 && delimiter < 0x80 }

    /// The loader's fast path: reads the next record when it is plain (one line, no quote,
    /// CR, NUL or non-ASCII byte, no space or tab to trim at either end of a field, no blank
    /// line, at most `maxRecord` bytes), with the same fields, line and range `next` would
    /// give. Returns nil without moving when it is not (or when the input ends without a
    /// line break): `next` reads that record.
    ///
    /// Field `k` (0-based) is written to `slots[dest[min(k, lastField)]]`: the loader points
    /// each field straight at the column that reads it (the fields past the header's count,
    /// and those no column reads, at a slot nobody reads). Returns the number of fields.
    /// A record it declines may have had some slots written already; `next` rewrites them.
    ///
    /// Bytes are classified 64 at a time into bit masks (`arlens_csv_classify`); `cursor`
    /// keeps the current block's masks between records so each block is classified once.
    @inline(__always)
    mutating func nextPlain(into slots: UnsafeMutablePointer<UnsafeBufferPointer<UInt8>>, dest: UnsafePointer<Int>,
                            lastField: Int, _ cursor: inout CSVBlockCursor, maxRecord: Int) -> Int? {
        let start = position
        guard start < count else { return nil }
        let first = base[start]
        // A blank or padded line, or a record ending at once: `next` knows what they are.
        if first == 10 || first == 13 || first == 32 || first == 9 { return nil }
        if start < cursor.blockStart || start >= cursor.blockStart &+ 64 {
            cursor.load(base, at: start, count: count, delimiter)
        } else {
            // Bits before the record belong to records already read.
            let below = ~((UInt64(1) &<< UInt64(start &- cursor.blockStart)) &- 1)
            cursor.delimiters &= below
            cursor.newlines &= below
            cursor.special &= below
        }
        let base = self.base
        var fieldStart = start
        var k = 0
        while true {
            let newlines = cursor.newlines
            let blockStart = cursor.blockStart
            if newlines != 0 {
                // The record ends in this block: nothing special up to its line end.
                let bit = newlines.trailingZeroBitCount
                let upto = (UInt64(2) &<< UInt64(bit)) &- 1
                if cursor.special & upto != 0 { return nil }
                let end = blockStart &+ bit
                if end &- start > maxRecord { return nil }
                var d = cursor.delimiters & upto
                while d != 0 {
                    let at = blockStart &+ d.trailingZeroBitCount
                    d &= d &- 1
                    slots[dest[min(k, lastField)]] = UnsafeBufferPointer(start: base + fieldStart, count: at &- fieldStart)
                    k &+= 1
                    fieldStart = at &+ 1
                }
                slots[dest[min(k, lastField)]] = UnsafeBufferPointer(start: base + fieldStart, count: end &- fieldStart)
                position = end &+ 1
                line &+= 1
                return k &+ 1
            }
            // The record goes on past this block: what is special in it is in the record.
            // (The field loop is written out twice on purpose: one loop with the record's end
            // as a variable cost 5 M more instructions on the 100k ledger's core load.)
            if cursor.special != 0 { return nil }
            var d = cursor.delimiters
            while d != 0 {
                let at = blockStart &+ d.trailingZeroBitCount
                d &= d &- 1
                slots[dest[min(k, lastField)]] = UnsafeBufferPointer(start: base + fieldStart, count: at &- fieldStart)
                k &+= 1
                fieldStart = at &+ 1
            }
            let next = blockStart &+ 64
            guard next < count else { return nil }      // no line end: `next` reads it
            if next &- start > maxRecord { return nil }
            cursor.load(base, at: next, count: count, delimiter)
        }
    }

    /// Moves to `offset`, the start of physical line `line` (where another part of the input
    /// begins, when two threads read a table in two parts).
    public mutating func seek(to offset: Int, line: Int) {
        position = min(max(offset, 0), count)
        self.line = line
    }

    /// Moves to the line after the physical line starting at `offset` (line `startLine`),
    /// for a record that a stray quote made run over several lines. Returns where that line
    /// ends (before its line break).
    @discardableResult
    public mutating func resume(afterFirstLineOf offset: Int, startLine: Int) -> Int {
        var j = offset
        while j < count && base[j] != 10 && base[j] != 13 { j += 1 }
        let end = j
        if j < count {
            position = base[j] == 13 && j + 1 < count && base[j + 1] == 10 ? j + 2 : j + 1
            line = startLine + 1
        } else {
            position = count
            line = startLine
        }
        return end
    }

    /// Calls `body` with the bytes of `f`; `""` escapes are undone (into a temporary copy)
    /// when present, otherwise the bytes are the file's own.
    @inline(__always)
    public func withValue<R>(_ f: CSVField, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if !f.escaped { return try body(UnsafeBufferPointer(start: base + f.start, count: f.end - f.start)) }
        var copy: [UInt8] = []
        copy.reserveCapacity(f.end - f.start)
        var i = f.start
        while i < f.end {
            let b = base[i]
            copy.append(b)
            i += b == 34 ? 2 : 1
        }
        return try copy.withUnsafeBufferPointer { try body($0) }
    }
}

/// Where `CSVScanner.nextPlain` is in the input: the 64-byte block it classified last and the
/// bits of that block not yet read.
struct CSVBlockCursor {
    var blockStart = Int.min / 2
    var delimiters: UInt64 = 0
    var newlines: UInt64 = 0
    /// Bytes `next` must read (see `arlens_csv_block.special`), and a space or tab at either
    /// end of a field (beside a delimiter or a line end, in this block or the next), which
    /// `next` trims.
    var special: UInt64 = 0

    /// Classifies the block at `p`; the last block of the input, shorter than 64 bytes, is
    /// classified from a copy padded with a byte that is neither structural nor special.
    @inline(__always) mutating func load(_ base: UnsafePointer<UInt8>, at p: Int, count: Int, _ delimiter: UInt8) {
        let b: arlens_csv_block
        if p + 64 <= count {
            b = arlens_csv_classify(base + p, delimiter)
        } else {
            b = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { t in
                t.initialize(repeating: UInt8(ascii: "x"))
                for i in 0..<(count - p) { t[i] = base[p + i] }
                return arlens_csv_classify(t.baseAddress!, delimiter)
            }
        }
        blockStart = p
        delimiters = b.delimiters
        newlines = b.newlines
        // Padding beside a field's end or start: the byte before this block and the one after
        // it count too (a field may end or start at the block's edge).
        let ends = b.delimiters | b.newlines
        var edges = (ends &<< 1) | (ends &>> 1)
        if p > 0, case let c = base[p - 1], c == delimiter || c == 10 { edges |= 1 }
        if p + 64 < count, case let c = base[p + 64], c == delimiter || c == 10 { edges |= UInt64(1) << 63 }
        special = b.special | (b.pad & edges)
    }
}

/// The fields of one record in memory the loader owns (an array would be checked for
/// uniqueness on every append).
struct FieldBuffer {
    private(set) var base: UnsafeMutablePointer<CSVField>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 8)
        base = .allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    @inline(__always) mutating func removeAll() { count = 0 }

    @inline(__always) mutating func append(_ f: CSVField) {
        if count == capacity { grow() }
        (base + count).initialize(to: f)
        count += 1
    }

    mutating func set(_ fields: [CSVField]) {
        removeAll()
        for f in fields { append(f) }
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<CSVField>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    var buffer: UnsafeBufferPointer<CSVField> { UnsafeBufferPointer(start: base, count: count) }
}
