/// An exchange rate as an exact decimal: `mantissa / 10^scale` units of the base currency
/// per one unit of the foreign currency. Conversion multiplies integer minor units by the
/// decimal exactly (128-bit intermediate) and rounds once, half away from zero.
public struct ExchangeRate: Hashable, Sendable, CustomStringConvertible {
    public var mantissa: Int64
    public var scale: Int

    public init(mantissa: Int64, scale: Int) {
        precondition(scale >= 0 && scale <= 18 && mantissa > 0)
        self.mantissa = mantissa
        self.scale = scale
    }

    public static let one = ExchangeRate(mantissa: 1, scale: 0)

    /// Parses a positive decimal such as `1.0825` or `0.00675`; nil for anything else.
    public init?(_ text: String) {
        var mant: Int64 = 0, sc = -1, digits = 0
        for b in text.utf8 {
            if b >= 48 && b <= 57 {
                if mant == 0 && b == 48 && sc < 0 { continue }
                digits += 1
                if digits > 18 { return nil }
                mant = mant * 10 + Int64(b - 48)
                if sc >= 0 { sc += 1 }
            } else if b == UInt8(ascii: ".") && sc < 0 {
                sc = 0
            } else {
                return nil
            }
        }
        if sc > 18 || mant <= 0 || text.isEmpty || text.utf8.last == UInt8(ascii: ".") { return nil }
        self.init(mantissa: mant, scale: max(sc, 0))
    }

    public var doubleValue: Double { Double(mantissa) / Double(Money.powersOfTen[scale]) }

    public var description: String {
        Money.decimalString(mantissa, digits: scale)
    }

    /// Converts `minor` units of a currency with `fromDigits` minor digits into minor units of
    /// a currency with `toDigits`, rounding half away from zero.
    public func convert(_ minor: Int64, fromDigits: Int, toDigits: Int) -> Int64 {
        // In 64 bits when the product fits (nearly always): the same quotient and rounding.
        if toDigits >= fromDigits {
            let (p, o1) = minor.multipliedReportingOverflow(by: mantissa)
            let (n, o2) = p.multipliedReportingOverflow(by: Money.powersOfTen[toDigits - fromDigits])
            if !o1 && !o2 && n != Int64.min { return ExchangeRate.divideRounded(n, Money.powersOfTen[scale]) }
        } else if fromDigits - toDigits + scale <= 18 {
            let (n, o) = minor.multipliedReportingOverflow(by: mantissa)
            if !o && n != Int64.min { return ExchangeRate.divideRounded(n, Money.powersOfTen[scale + fromDigits - toDigits]) }
        }
        var num = Int128(minor) * Int128(mantissa)
        var den = Int128(Money.powersOfTen[scale])
        if toDigits >= fromDigits {
            num *= Int128(Money.powersOfTen[toDigits - fromDigits])
        } else {
            den *= Int128(Money.powersOfTen[fromDigits - toDigits])
        }
        let q = num / den, r = num % den
        var result = q
        if (r < 0 ? -r : r) * 2 >= den { result += num < 0 ? -1 : 1 }
        return Int64(result)
    }

    /// `n / d` rounded half away from zero (`d` > 0, `n` not `Int64.min`).
    @inline(__always)
    static func divideRounded(_ n: Int64, _ d: Int64) -> Int64 {
        let q = n / d, r = n % d
        let ar = r < 0 ? -r : r
        // |r| * 2 >= d, without overflow: |r| < d <= 10^18.
        return ar >= d - ar ? q + (n < 0 ? -1 : 1) : q
    }

    /// Converts money into `target` at this rate.
    public func convert(_ m: Money, to target: Currency) -> Money {
        Money(minorUnits: convert(m.minorUnits, fromDigits: m.currency.minorDigits, toDigits: target.minorDigits),
              currency: target)
    }
}
