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
