/// Reads decimal amounts from bytes into integer minor units, exactly, in one pass and
/// without floating point. The style says which characters separate decimals and thousands
/// and what decoration (currency symbols, parentheses) an export puts around the number.
public struct AmountParser: Sendable, Hashable {
    /// The decimal separator: `.` or `,`.
    public var decimalSeparator: UInt8
    /// The thousands separator, if the export groups digits (`,` `.` space or `'`).
    public var groupingSeparator: UInt8?
    /// Strip a currency sign (`$ € £ ¥ ₹ ₩ ₽ ₺ ₪ ₫`) or a three-letter code before or after the number.
    public var allowsCurrencySymbols: Bool
    /// Read `(12.50)` as -12.50.
    public var allowsParentheses: Bool

    public init(decimalSeparator: UInt8 = UInt8(ascii: "."), groupingSeparator: UInt8? = nil,
                allowsCurrencySymbols: Bool = false, allowsParentheses: Bool = false) {
        self.decimalSeparator = decimalSeparator
        self.groupingSeparator = groupingSeparator
        self.allowsCurrencySymbols = allowsCurrencySymbols
        self.allowsParentheses = allowsParentheses
    }

    /// The canonical ledger format: `1234.50`, `-3`.
    public static let canonical = AmountParser()

    /// A style from an example such as `1,234.56`, `1.234,56`, `1 234,56`, `1'234.56` or `1234,56`:
    /// the last separator is the decimal one, an earlier one groups thousands.
    public init?(example: String) {
        let seps = example.utf8.filter { !($0 >= 48 && $0 <= 57) }
        switch seps.count {
        case 0: self.init()
        case 1:
            guard seps[0] == UInt8(ascii: ".") || seps[0] == UInt8(ascii: ",") else { return nil }
            self.init(decimalSeparator: seps[0])
        case 2:
            let d = seps[1], g = seps[0]
            guard d == UInt8(ascii: ".") || d == UInt8(ascii: ","), g != d,
                  [UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: " "), UInt8(ascii: "'")].contains(g)
            else { return nil }
            self.init(decimalSeparator: d, groupingSeparator: g)
        default: return nil
        }
    }

    /// Parses `bytes` as an amount with `digits` minor digits. Trailing zeros beyond the
    /// minor digits are accepted (the value is exact); any other extra decimal is an error.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>, digits: Int) throws(AmountError) -> Int64 {
        try parse(bytes, digits: digits, currency: nil)
    }

    /// As `parse(_:digits:)`; with `currency`, a currency code or sign written with the amount
    /// must be that currency's (`€7,00` on a USD row is an error, never 7.00 USD). A code must be
    /// an ISO 4217 code: `abc5` and `5xyz` are not amounts.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>, digits: Int, currency: Currency?) throws(AmountError) -> Int64 {
        var lo = 0, hi = bytes.count
        @inline(__always) func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 }
        while lo < hi && isSpace(bytes[lo]) { lo += 1 }
        while hi > lo && isSpace(bytes[hi - 1]) { hi -= 1 }
        if lo == hi { throw .empty }

        var negative = false
        if allowsParentheses && bytes[lo] == UInt8(ascii: "(") {
            guard bytes[hi - 1] == UInt8(ascii: ")") else { throw .notANumber }
            negative = true
            lo += 1; hi -= 1
        }
        var named: [String] = []
        if allowsCurrencySymbols {
            (lo, hi) = try stripSymbols(bytes, lo, hi, named: &named)
        }
        if lo < hi && (bytes[lo] == UInt8(ascii: "-") || bytes[lo] == UInt8(ascii: "+")) {
            if bytes[lo] == UInt8(ascii: "-") {
                if negative { throw .notANumber }
                negative = true
            }
            lo += 1
            if allowsCurrencySymbols { (lo, hi) = try stripSymbols(bytes, lo, hi, named: &named) }
        }
        if let currency {
            for n in named where !AmountParser.sign(n, fits: currency) { throw .otherCurrency(n) }
        }
        if lo == hi { throw .notANumber }

        var value: UInt64 = 0
        var significant = 0          // digits accumulated (overflow guard)
        var decimals = -1            // -1: no decimal separator seen yet
        var extraNonZero = false     // a non-zero digit beyond `digits` decimals
        var groupLength = 0          // digits since the last grouping separator
        var sawGroup = false
        var intDigits = 0
        var i = lo
        while i < hi {
            let b = bytes[i]
            if b >= 48 && b <= 57 {
                if decimals >= 0 {
                    decimals += 1
                    if decimals > digits {
                        if b != 48 { extraNonZero = true }
                        i += 1
                        continue
                    }
                } else {
                    intDigits += 1
                    groupLength += 1
                }
                if value != 0 || b != 48 { significant += 1 }
                if significant > 19 { throw .outOfRange }
                // Checked: 19 significant digits (trailing decimal zeros included) may still fit.
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(b - 48))
                if o1 || o2 || a > UInt64(Int64.max) { throw .outOfRange }
                value = a
            } else if b == decimalSeparator && decimals < 0 {
                if intDigits == 0 { throw .notANumber }
                if sawGroup && groupLength != 3 { throw .notANumber }
                decimals = 0
            } else if let g = groupingSeparator, b == g, decimals < 0 {
                // Groups: 1-3 digits first, then exactly 3 each.
                if intDigits == 0 || (sawGroup && groupLength != 3) || (!sawGroup && groupLength > 3) {
                    throw .notANumber
                }
                sawGroup = true
                groupLength = 0
            } else {
                throw .notANumber
            }
            i += 1
        }
        if intDigits == 0 { throw .notANumber }
        if decimals == 0 { throw .notANumber }          // "12." has nothing after the separator
        if decimals < 0 && sawGroup && groupLength != 3 { throw .notANumber }
        if extraNonZero { throw .tooManyDecimals(allowed: digits) }
        let used = max(decimals, 0)
        var scaled = value
        if used < digits {
            let (m, o) = value.multipliedReportingOverflow(by: UInt64(Money.powersOfTen[digits - used]))
            if o || m > UInt64(Int64.max) { throw .outOfRange }
            scaled = m
        }
        if scaled > UInt64(Int64.max) { throw .outOfRange }
        return negative ? -Int64(scaled) : Int64(scaled)
    }

    /// Does the sign or code `n` (as found with an amount) belong to `c`?
    static func sign(_ n: String, fits c: Currency) -> Bool {
        switch n {
        case "$": return ["USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD", "BRL", "ARS", "CLP", "COP"].contains(c.code)
        case "€": return c.code == "EUR"
        case "£": return ["GBP", "EGP", "GIP", "FKP", "SHP"].contains(c.code)
        case "¥": return ["JPY", "CNY"].contains(c.code)
        case "₹": return c.code == "INR"
        case "₩": return c.code == "KRW"
        case "₽": return c.code == "RUB"
        case "₺": return c.code == "TRY"
        case "₪": return c.code == "ILS"
        case "₫": return c.code == "VND"
        default: return n.uppercased() == c.code
        }
    }

    private func stripSymbols(_ b: UnsafeBufferPointer<UInt8>, _ lo0: Int, _ hi0: Int,
                              named: inout [String]) throws(AmountError) -> (Int, Int) {
        var lo = lo0, hi = hi0
        func isLetter(_ x: UInt8) -> Bool { (x >= 65 && x <= 90) || (x >= 97 && x <= 122) }
        // A three-letter ISO 4217 code at either end; other letters make it no amount.
        if hi - lo > 3 && isLetter(b[lo]) && isLetter(b[lo + 1]) && isLetter(b[lo + 2]) {
            guard !isLetter(b[lo + 3]), let c = Currency(asciiCode: b[lo], b[lo + 1], b[lo + 2]) else { throw .notANumber }
            named.append(c.code)
            lo += 3
        } else if hi - lo > 3 && isLetter(b[hi - 1]) && isLetter(b[hi - 2]) && isLetter(b[hi - 3]) {
            guard !isLetter(b[hi - 4]), let c = Currency(asciiCode: b[hi - 3], b[hi - 2], b[hi - 1]) else { throw .notANumber }
            named.append(c.code)
            hi -= 3
        }
        // A currency sign (ASCII `$` or a multi-byte UTF-8 sign) at either end.
        let first = symbolLength(b, at: lo, limit: hi)
        if first > 0 {
            named.append(String(decoding: UnsafeBufferPointer(rebasing: b[lo..<lo + first]), as: UTF8.self))
            lo += first
        }
        if hi > lo {
            // Look back for a sign ending at hi.
            for n in [1, 2, 3] where hi - n >= lo {
                if symbolLength(b, at: hi - n, limit: hi) == n {
                    named.append(String(decoding: UnsafeBufferPointer(rebasing: b[hi - n..<hi]), as: UTF8.self))
                    hi -= n
                    break
                }
            }
        }
        while lo < hi && (b[lo] == 32 || b[lo] == 9 || b[lo] == 0xC2 && lo + 1 < hi && b[lo + 1] == 0xA0) {
            lo += b[lo] == 0xC2 ? 2 : 1
        }
        while hi > lo && (b[hi - 1] == 32 || b[hi - 1] == 9 || b[hi - 1] == 0xA0 && hi - 2 >= lo && b[hi - 2] == 0xC2) {
            hi -= b[hi - 1] == 0xA0 ? 2 : 1
        }
        return (lo, hi)
    }

    /// Length in bytes of the currency sign at `i`, or 0.
    private func symbolLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int, limit: Int) -> Int {
        guard i < limit else { return 0 }
        if b[i] == UInt8(ascii: "$") { return 1 }
        // £ ¥ (C2 A3, C2 A5); € ₹ ₩ ₽ ₺ ₪ ₫ (E2 82 xx)
        if b[i] == 0xC2 && i + 1 < limit && (b[i + 1] == 0xA3 || b[i + 1] == 0xA5) { return 2 }
        if b[i] == 0xE2 && i + 2 < limit && b[i + 1] == 0x82 {
            switch b[i + 2] {
            case 0xAC, 0xB9, 0xA9, 0xBD, 0xBA, 0xAA, 0xAB: return 3
            default: return 0
            }
        }
        return 0
    }
}

extension AmountParser {
    /// Convenience for tests and configuration: parses a Swift string.
    public func parse(_ text: String, digits: Int) throws(AmountError) -> Int64 {
        var t = text
        let r: Result<Int64, AmountError> = t.withUTF8 { p in
            Result { () throws(AmountError) -> Int64 in try parse(p, digits: digits) }
        }
        return try r.get()
    }
}
