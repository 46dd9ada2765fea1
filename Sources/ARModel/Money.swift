/// An exact amount of one currency, held as integer minor units (cents for USD, yen for JPY,
/// fils for KWD). Arithmetic never touches floating point; mixing currencies is a
/// programming error caught in debug builds.
public struct Money: Hashable, Sendable, CustomStringConvertible {
    public var minorUnits: Int64
    public var currency: Currency

    @inlinable public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ c: Currency) -> Money { Money(minorUnits: 0, currency: c) }

    @inlinable public static func + (l: Money, r: Money) -> Money {
        assert(l.currency == r.currency, "adding \(l.currency) to \(r.currency)")
        return Money(minorUnits: l.minorUnits + r.minorUnits, currency: l.currency)
    }

    @inlinable public static func - (l: Money, r: Money) -> Money {
        assert(l.currency == r.currency, "subtracting \(r.currency) from \(l.currency)")
        return Money(minorUnits: l.minorUnits - r.minorUnits, currency: l.currency)
    }

    @inlinable public static prefix func - (m: Money) -> Money {
        Money(minorUnits: -m.minorUnits, currency: m.currency)
    }

    /// "1234.50", "-0.05", "1200" (JPY), "1.250" (KWD): the canonical decimal string.
    public var decimalString: String {
        Money.decimalString(minorUnits, digits: currency.minorDigits)
    }

    /// "1,234.50": with a thousands separator, for tables.
    public var groupedString: String {
        Money.decimalString(minorUnits, digits: currency.minorDigits, grouping: ",")
    }

    public var description: String { "\(decimalString) \(currency.code)" }

    /// Parses a canonical decimal string ("1234.5", "-3", "0.125") in this currency.
    /// More decimals than the currency allows is an error, never rounded.
    public static func parse(_ text: String, currency: Currency) throws(AmountError) -> Money {
        let minor = try AmountParser.canonical.parse(text, digits: currency.minorDigits)
        return Money(minorUnits: minor, currency: currency)
    }

    public static let powersOfTen: [Int64] = (0...18).map { p in
        var v: Int64 = 1
        for _ in 0..<p { v *= 10 }
        return v
    }

    /// Formats minor units with `digits` decimals, optionally grouping thousands.
    public static func decimalString(_ minor: Int64, digits: Int, grouping: Character? = nil) -> String {
        let negative = minor < 0
        // Magnitude as UInt64 so Int64.min is safe.
        let mag = minor.magnitude
        let scale = UInt64(powersOfTen[digits])
        let whole = mag / scale
        let frac = mag % scale
        if grouping == nil {
            // Written right to left straight into the string's bytes (reports format many
            // thousands of amounts).
            var length = 0, x = whole
            repeat { length += 1; x /= 10 } while x > 0
            let total = (negative ? 1 : 0) + length + (digits > 0 ? 1 + digits : 0)
            return String(unsafeUninitializedCapacity: total) { b in
                var i = total, f = frac, w = whole
                if digits > 0 {
                    for _ in 0..<digits { i -= 1; b[i] = UInt8(48 + f % 10); f /= 10 }
                    i -= 1; b[i] = UInt8(ascii: ".")
                }
                repeat { i -= 1; b[i] = UInt8(48 + w % 10); w /= 10 } while w > 0
                if negative { i -= 1; b[i] = UInt8(ascii: "-") }
                return total
            }
        }
        var w = String(whole)
        if let g = grouping, w.count > 3 {
            var out = ""
            for (i, ch) in w.enumerated() {
                if i > 0 && (w.count - i) % 3 == 0 { out.append(g) }
                out.append(ch)
            }
            w = out
        }
        var s = negative ? "-" + w : w
        if digits > 0 {
            var f = String(frac)
            if f.count < digits { f = String(repeating: "0", count: digits - f.count) + f }
            s += "." + f
        }
        return s
    }
}

/// Why an amount could not be read.
public enum AmountError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case notANumber
    case tooManyDecimals(allowed: Int)
    case outOfRange
    /// The amount names a currency (`EUR 1.000,00`, `€7,00`) other than the row's.
    case otherCurrency(String)

    public var description: String {
        switch self {
        case .empty: return "amount is empty"
        case .notANumber: return "not an amount"
        case .tooManyDecimals(let d):
            return d == 0 ? "has decimals, but the currency has no minor unit"
                          : "more decimals than the currency allows (\(d))"
        case .outOfRange: return "amount is too large"
        case .otherCurrency(let c): return "the amount is written in \(c), not the row's currency"
        }
    }
}
