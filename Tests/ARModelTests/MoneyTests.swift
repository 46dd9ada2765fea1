import Testing
@testable import ARModel

@Suite struct CurrencyTests {
    @Test func minorDigitsFollowISO4217() {
        #expect(Currency(code: "USD")!.minorDigits == 2)
        #expect(Currency(code: "EUR")!.minorDigits == 2)
        #expect(Currency(code: "JPY")!.minorDigits == 0)
        #expect(Currency(code: "KRW")!.minorDigits == 0)
        #expect(Currency(code: "KWD")!.minorDigits == 3)
        #expect(Currency(code: "BHD")!.minorDigits == 3)
        #expect(Currency(code: "CLF")!.minorDigits == 4)
        #expect(Currency(code: "usd") == Currency.USD)
        #expect(Currency(code: "XYZ") == nil)
        #expect(Currency(code: "US") == nil)
        #expect(Currency.KWD.code == "KWD")
    }
}

@Suite struct MoneyTests {
    @Test func formatting() {
        #expect(Money(minorUnits: 123_450, currency: .USD).decimalString == "1234.50")
        #expect(Money(minorUnits: -5, currency: .USD).decimalString == "-0.05")
        #expect(Money(minorUnits: 1200, currency: .JPY).decimalString == "1200")
        #expect(Money(minorUnits: 1250, currency: .KWD).decimalString == "1.250")
        #expect(Money(minorUnits: 123_456_789, currency: .USD).groupedString == "1,234,567.89")
        #expect(Money(minorUnits: -100_000, currency: .USD).groupedString == "-1,000.00")
        #expect(Money.decimalString(Int64.min, digits: 2) == "-92233720368547758.08")
        #expect(Money.decimalString(0, digits: 2) == "0.00" && Money.decimalString(0, digits: 0) == "0")
        #expect(Money.decimalString(-7, digits: 3) == "-0.007" && Money.decimalString(1_000_000_001, digits: 18) == "0.000000001000000001")
    }

    @Test func arithmeticIsExact() {
        // 0.1 + 0.2 is 0.3 to the cent, ten million times over.
        var total = Money.zero(.USD)
        let tenCents = try! Money.parse("0.10", currency: .USD)
        let twentyCents = try! Money.parse("0.20", currency: .USD)
        for _ in 0..<10_000_000 / 1000 { total = total + tenCents + twentyCents }
        #expect(total.decimalString == "3000.00")
        #expect((-tenCents).minorUnits == -10)
    }

    @Test func canonicalParsing() throws {
        #expect(try Money.parse("1234.50", currency: .USD).minorUnits == 123_450)
        #expect(try Money.parse("1234.5", currency: .USD).minorUnits == 123_450)
        #expect(try Money.parse("-3", currency: .USD).minorUnits == -300)
        #expect(try Money.parse("12.340", currency: .USD).minorUnits == 1234)   // a trailing zero loses nothing
        #expect(try Money.parse("1200", currency: .JPY).minorUnits == 1200)
        #expect(try Money.parse("1.250", currency: .KWD).minorUnits == 1250)
        #expect(throws: AmountError.tooManyDecimals(allowed: 2)) { try Money.parse("12.345", currency: .USD) }
        #expect(throws: AmountError.tooManyDecimals(allowed: 0)) { try Money.parse("1200.5", currency: .JPY) }
        #expect(throws: AmountError.notANumber) { try Money.parse("1,234.56", currency: .USD) }
        #expect(throws: AmountError.notANumber) { try Money.parse("12.", currency: .USD) }
        #expect(throws: AmountError.notANumber) { try Money.parse("abc", currency: .USD) }
        #expect(throws: AmountError.notANumber) { try Money.parse("1e5", currency: .USD) }
        #expect(throws: AmountError.empty) { try Money.parse("  ", currency: .USD) }
        #expect(throws: AmountError.outOfRange) { try Money.parse("123456789012345678901", currency: .USD) }
    }

    @Test func exportStyles() throws {
        let eu = AmountParser(example: "1.234,56")!
        #expect(try eu.parse("1.234,56", digits: 2) == 123_456)
        #expect(try eu.parse("234,5", digits: 2) == 23_450)
        #expect(throws: AmountError.notANumber) { try eu.parse("1,234.56", digits: 2) }
        #expect(throws: AmountError.notANumber) { try eu.parse("12.34,56", digits: 2) }   // bad grouping

        let us = AmountParser(example: "1,234.56")!
        #expect(try us.parse("1,234,567.89", digits: 2) == 123_456_789)
        #expect(try us.parse("999", digits: 2) == 99_900)
        #expect(throws: AmountError.notANumber) { try us.parse("1,23", digits: 2) }

        var fancy = AmountParser(example: "1,234.56")!
        fancy.allowsCurrencySymbols = true
        fancy.allowsParentheses = true
        #expect(try fancy.parse("$1,234.56", digits: 2) == 123_456)
        #expect(try fancy.parse("($1,234.56)", digits: 2) == -123_456)
        #expect(try fancy.parse("-$5.00", digits: 2) == -500)
        #expect(try fancy.parse("USD 10.00", digits: 2) == 1000)
        #expect(try fancy.parse("£7", digits: 2) == 700)

        var euro = AmountParser(example: "1 234,56")!
        euro.allowsCurrencySymbols = true
        #expect(try euro.parse("1 234,56 €", digits: 2) == 123_456)
        #expect(AmountParser(example: "1;234.56") == nil)
    }
}

@Suite struct ExchangeRateTests {
    @Test func parsing() {
        #expect(ExchangeRate("1.0825") == ExchangeRate(mantissa: 10825, scale: 4))
        #expect(ExchangeRate("0.00675") == ExchangeRate(mantissa: 675, scale: 5))
        #expect(ExchangeRate("0") == nil)
        #expect(ExchangeRate("-1.2") == nil)
        #expect(ExchangeRate("1.") == nil)
        #expect(ExchangeRate("abc") == nil)
    }

    @Test func conversionRoundsHalfAwayFromZero() {
        let r = ExchangeRate("1.0825")!
        #expect(r.convert(10_000, fromDigits: 2, toDigits: 2) == 10_825)        // 100.00 -> 108.25
        #expect(r.convert(5, fromDigits: 2, toDigits: 2) == 5)                 // 0.054125 -> 0.05
        let q = ExchangeRate("1.25")!
        #expect(q.convert(2, fromDigits: 2, toDigits: 2) == 3)                 // 0.025 -> 0.03
        #expect(q.convert(-2, fromDigits: 2, toDigits: 2) == -3)               // -0.025 -> -0.03
        // 1000 JPY at 0.0067 USD = 6.70 USD; 10.00 USD at 0.307 KWD = 3.070 KWD.
        #expect(ExchangeRate("0.0067")!.convert(Money(minorUnits: 1000, currency: .JPY), to: .USD).minorUnits == 670)
        #expect(ExchangeRate("0.307")!.convert(Money(minorUnits: 1000, currency: .USD), to: .KWD).minorUnits == 3070)
        // Large amounts stay exact: 92 trillion cents at 1.0001.
        #expect(ExchangeRate("1.0001")!.convert(9_200_000_000_000_000, fromDigits: 2, toDigits: 2) == 9_200_920_000_000_000)
    }
}

@Suite struct ExchangeRateFastPathTests {
    /// The reference: the exact quotient in 128 bits, rounded half away from zero.
    /// nil when the result does not fit in 64 bits.
    static func reference(_ minor: Int64, _ r: ExchangeRate, _ from: Int, _ to: Int) -> Int64? {
        var num = Int128(minor) * Int128(r.mantissa), den = Int128(Money.powersOfTen[r.scale])
        if to >= from { num *= Int128(Money.powersOfTen[to - from]) } else { den *= Int128(Money.powersOfTen[from - to]) }
        let q = num / den, rem = num % den
        return Int64(exactly: q + ((rem < 0 ? -rem : rem) * 2 >= den ? (num < 0 ? -1 : 1) : 0))
    }

    /// Conversions done in 64 bits (most) and in 128 (products past Int64) agree with the
    /// exact reference, halves included, for every digit pair.
    @Test func agreesWithTheExactQuotient() {
        var x: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { x ^= x << 13; x ^= x >> 7; x ^= x << 17; return x }
        let rates = ["1.0825", "0.0067", "149.5", "0.000001", "1", "1.25", "0.5", "7.123456789012", "123456.123456"].map { ExchangeRate($0)! }
        for k in 0..<20_000 {
            let r = rates[k % rates.count]
            let magnitude = Int64(1) << Int64(next() % 62)
            var minor = Int64(bitPattern: next() % UInt64(magnitude))
            if k % 3 == 0 { minor = -minor }
            if k % 7 == 0 { minor = Int64(k) * 5 }   // small and round: exact halves
            let from = Int(next() % 4), to = Int(next() % 4)
            guard let exact = Self.reference(minor, r, from, to) else { continue }
            #expect(r.convert(minor, fromDigits: from, toDigits: to) == exact, "\(minor) at \(r) \(from)->\(to)")
        }
        // Exact halves: 0.5 x 1 cent, -0.5 x 1 cent, 1.25 x 2 cents.
        #expect(ExchangeRate("0.5")!.convert(1, fromDigits: 2, toDigits: 2) == 1)
        #expect(ExchangeRate("0.5")!.convert(-1, fromDigits: 2, toDigits: 2) == -1)
        #expect(ExchangeRate("0.5")!.convert(5, fromDigits: 2, toDigits: 1) == 0)   // 2.5 cents = 0.25 of a tenth -> 0
    }
}

@Suite struct ContactCheckTests {
    @Test func emails() {
        for ok in ["ap@summit.example", "a.b-c@x.co.uk", "A@B.CD"] { #expect(ContactCheck.isEmail(ok), "\(ok)") }
        for bad in ["", "@x.com", "a@", "a@b", "a@b.", "a@.com", "a@b..com", "a b@x.com", "a,b@x.com", "a@b@c.com",
                    "a@b.c", "a@b.c1", "a@b.co1", "a@x.com "] {
            #expect(!ContactCheck.isEmail(bad), "\(bad)")
        }
        // Outside ASCII the character rules apply: a letter top-level domain is any letter.
        #expect(ContactCheck.isEmail("jürgen@beispiel.de"))
        #expect(ContactCheck.isEmail("a@b.рф"))
        #expect(!ContactCheck.isEmail("a@b.р1"))
        #expect(!ContactCheck.isEmail("é@b"))
    }
}

@Suite struct StringPoolTests {
    @Test func internsDenselyAndFinds() {
        var p = StringPool()
        #expect(p.intern("INV-1").id == 0)
        #expect(p.intern("INV-2").id == 1)
        #expect(p.intern("INV-1") == (0, false))
        #expect(p.intern("").id == 2)
        #expect(p.find("INV-2") == 1)
        #expect(p.find("INV-3") == nil)
        #expect(p[1] == "INV-2")
        #expect(p[2] == "")
    }

    @Test func growsAndCompacts() {
        var p = StringPool()
        for i in 0..<100_000 { #expect(p.intern("key-\(i)-with-a-longer-tail").id == Int32(i)) }
        #expect(p.count == 100_000)
        for i in stride(from: 0, to: 100_000, by: 997) { #expect(p.find("key-\(i)-with-a-longer-tail") == Int32(i)) }
        let keep = (0..<100_000).map { $0 % 2 == 1 }
        let c = p.compacted(keeping: keep)
        #expect(c.count == 50_000)
        #expect(c.find("key-1-with-a-longer-tail") == 0)
        #expect(c.find("key-2-with-a-longer-tail") == nil)
        #expect(c[49_999] == "key-99999-with-a-longer-tail")
    }
}

@Suite struct OptionBoundsTests {
    @Test func numericOptionsOutsideTheirRangeNameOptionAndValue() throws {
        #expect(throws: OptionRangeError(option: "--months", value: "0", range: "1 to 60")) {
            _ = try ValueLimits.check("--months", 0, ValueLimits.forecastMonths)
        }
        #expect(throws: OptionRangeError(option: "--months", value: "100000", range: "1 to 60")) {
            _ = try ValueLimits.check("--months", 100_000, ValueLimits.forecastMonths)
        }
        #expect(try ValueLimits.check("--months", 6, ValueLimits.forecastMonths) == 6)
        #expect(throws: OptionRangeError(option: "--end", value: "0001-02", range: "1900-01 to 2199-12")) {
            _ = try ValueLimits.check("--end", YearMonth(year: 1, month: 2))
        }
        #expect((try? ValueLimits.check("--interest", Double.nan, ValueLimits.planInterestPercent)) == nil)
    }
}
