/// An ISO 4217 currency: its three-letter code and the number of minor digits it uses
/// (2 for USD and EUR, 0 for JPY, 3 for KWD and BHD, 4 for CLF).
///
/// Stored in four bytes: three ASCII letters and the digit count, so columns of currencies
/// stay small and comparisons are one integer compare.
public struct Currency: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Packed: bytes 0-2 the ASCII code, byte 3 the minor digits.
    public let packed: UInt32

    /// The number of decimal digits of the minor unit.
    @inlinable public var minorDigits: Int { Int(packed >> 24) }

    /// The three-letter code, e.g. "USD".
    public var code: String {
        let b = [UInt8(packed & 0xFF), UInt8((packed >> 8) & 0xFF), UInt8((packed >> 16) & 0xFF)]
        return String(decoding: b, as: UTF8.self)
    }

    public var description: String { code }

    /// 10^minorDigits: how many minor units make one major unit.
    @inlinable public var minorPerMajor: Int64 { Money.powersOfTen[minorDigits] }

    @usableFromInline init(packed: UInt32) { self.packed = packed }

    /// The currency for an ISO 4217 code (case-insensitive); nil for an unknown code.
    public init?(code: some StringProtocol) {
        let u = Array(code.utf8)
        guard u.count == 3 else { return nil }
        self.init(asciiCode: u[0], u[1], u[2])
    }

    /// The currency for three ASCII bytes (case-insensitive); nil for an unknown code.
    public init?(asciiCode a: UInt8, _ b: UInt8, _ c: UInt8) {
        func up(_ x: UInt8) -> UInt8? {
            switch x {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): return x
            case UInt8(ascii: "a")...UInt8(ascii: "z"): return x - 32
            default: return nil
            }
        }
        guard let a = up(a), let b = up(b), let c = up(c) else { return nil }
        let key = UInt32(a) | UInt32(b) << 8 | UInt32(c) << 16
        guard let digits = Currency.table[key] else { return nil }
        self.packed = key | UInt32(digits) << 24
    }

    public static func < (l: Currency, r: Currency) -> Bool { l.code < r.code }

    public static let USD = Currency(code: "USD")!
    public static let EUR = Currency(code: "EUR")!
    public static let GBP = Currency(code: "GBP")!
    public static let JPY = Currency(code: "JPY")!
    public static let KWD = Currency(code: "KWD")!

    /// Every code the loader accepts, with its minor digits.
    public static var allCodes: [String] {
        table.keys.map { Currency(packed: $0).code }.sorted()
    }

    // ISO 4217 (current codes plus a few recently withdrawn ones that old exports still carry).
    private static let table: [UInt32: UInt8] = {
        let zero = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
        let three = "BHD IQD JOD KWD LYD OMR TND"
        let four = "CLF UYW"
        let two = """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP \
        BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR \
        FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IRR JMD KES KGS KHR \
        KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR \
        MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK \
        SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH USD USN \
        UYU UZS VED VES WST XCD XCG ZAR ZMW ZWG ZWL
        """
        var t: [UInt32: UInt8] = [:]
        for (list, d) in [(zero, 0), (two, 2), (three, 3), (four, 4)] as [(String, UInt8)] {
            for code in list.split(separator: " ") {
                let u = Array(code.utf8)
                t[UInt32(u[0]) | UInt32(u[1]) << 8 | UInt32(u[2]) << 16] = d
            }
        }
        return t
    }()
}

// A packed word: parsers write columns of currencies through pointers (ARLoading's `ColumnBuilder`).
extension Currency: BitwiseCopyable {}
