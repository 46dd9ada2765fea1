import ARModel

/// Builds CSV text as bytes, field by field, without a String per value: the generator
/// writes millions of rows and formatting dominates otherwise.
struct RowBuffer {
    var bytes: [UInt8] = []
    private var fieldsInRow = 0

    init(header: [String], reserve: Int = 1 << 16) {
        bytes.reserveCapacity(reserve)
        for h in header { text(h) }
        endRow()
    }

    @inline(__always) private mutating func separator() {
        if fieldsInRow > 0 { bytes.append(44) }
        fieldsInRow += 1
    }

    mutating func endRow() {
        bytes.append(10)
        fieldsInRow = 0
    }

    mutating func empty() { separator() }

    /// Text, quoted when it holds a comma, quote or line break.
    mutating func text(_ s: String) {
        separator()
        var needsQuotes = false
        for b in s.utf8 where b == 44 || b == 34 || b == 10 || b == 13 { needsQuotes = true; break }
        if !needsQuotes { bytes.append(contentsOf: s.utf8); return }
        bytes.append(34)
        for b in s.utf8 {
            if b == 34 { bytes.append(34) }
            bytes.append(b)
        }
        bytes.append(34)
    }

    mutating func optionalText(_ s: String?) { if let s { text(s) } else { empty() } }

    /// A prefix and a zero-padded number: ("INV-", 42, 7) -> INV-0000042.
    mutating func code(_ prefix: StaticString, _ n: Int, width: Int) {
        separator()
        prefix.withUTF8Buffer { bytes.append(contentsOf: $0) }
        appendPadded(n, width)
    }

    mutating func int(_ n: Int) {
        separator()
        appendInt(n)
    }

    mutating func money(_ minor: Int64, digits: Int) {
        separator()
        var m = minor
        if m < 0 { bytes.append(45); m = -m }
        let scale = Money.powersOfTen[digits]
        appendInt(Int(m / scale))
        if digits > 0 {
            bytes.append(46)
            appendPadded(Int(m % scale), digits)
        }
    }

    mutating func optionalMoney(_ minor: Int64?, digits: Int) {
        if let minor { money(minor, digits: digits) } else { empty() }
    }

    mutating func day(_ d: Day) {
        separator()
        appendDay(d)
    }

    mutating func optionalDay(_ d: Day?) { if let d { day(d) } else { empty() } }

    mutating func timestamp(_ t: LocalTimestamp) {
        separator()
        appendDay(t.day)
        bytes.append(84)   // T
        let s = t.secondOfDay
        appendPadded(s / 3600, 2); bytes.append(58)
        appendPadded(s / 60 % 60, 2); bytes.append(58)
        appendPadded(s % 60, 2)
    }

    @inline(__always) private mutating func appendDay(_ d: Day) {
        let c = d.components
        appendPadded(c.year, 4); bytes.append(45)
        appendPadded(c.month, 2); bytes.append(45)
        appendPadded(c.day, 2)
    }

    @inline(__always) private mutating func appendInt(_ n: Int) {
        if n < 0 { bytes.append(45); appendInt(-n); return }
        if n < 10 { bytes.append(UInt8(48 + n)); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = n, k = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while v > 0 { buf[k] = UInt8(48 + v % 10); v /= 10; k += 1 }
            while k > 0 { k -= 1; bytes.append(buf[k]) }
        }
    }

    @inline(__always) private mutating func appendPadded(_ n: Int, _ width: Int) {
        var digits = 1, v = n
        while v >= 10 { v /= 10; digits += 1 }
        if digits < width { for _ in 0..<(width - digits) { bytes.append(48) } }
        appendInt(n)
    }
}
