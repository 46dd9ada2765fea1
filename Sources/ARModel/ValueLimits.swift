/// The value ranges ARLens accepts (ledger-format.md, "Value ranges"). Rows outside them are
/// rejected at load with file, line, column and value, so no analysis ever meets a value
/// whose arithmetic could overflow.
public enum ValueLimits {
    /// Every date and timestamp in a ledger.
    public static let dates = Day(year: 1900, month: 1, day: 1)!...Day(year: 2199, month: 12, day: 31)!
    /// Payment terms, default terms, pay-within and grace days, dunning and aging days.
    public static let termsDays = 0...3650
    /// An exchange rate (units of base currency per unit of foreign currency).
    public static let fxRates: ClosedRange<Double> = 0.000_001...1_000_000
    /// The largest amount of one document or setting, in whole units of its currency (exclusive).
    public static let maxWholeUnits: Int64 = 1_000_000_000_000
    public static let maxAmountText = "999,999,999,999.99"
    /// The largest sum of a table's absolute amounts in base-currency minor units: every total,
    /// balance and aging bucket stays far from Int64's limit (9.2 × 10^18).
    public static let maxTableTotal: Int64 = 1 << 61
}

/// A command-line value outside its documented range: one line naming the option and value.
public struct OptionRangeError: Error, Equatable, Sendable, CustomStringConvertible {
    public var option: String
    public var value: String
    public var range: String
    public var description: String { "\(option) \(value) is outside \(range)" }
}

extension ValueLimits {
    /// The bounds of numeric command-line options (CLI call sites check with `check`).
    public static let forecastMonths = 1...60
    public static let forecastWeeks = 1...104
    public static let holdout = 0...120
    public static let generateCustomers = 1...1_000_000
    public static let generateMonths = 1...600
    public static let planInstallments = 1...360
    public static let planInterestPercent = 0.0...100.0

    /// `value` when inside `range`, else an `OptionRangeError` naming `option`.
    public static func check(_ option: String, _ value: Int, _ range: ClosedRange<Int>) throws(OptionRangeError) -> Int {
        guard range.contains(value) else {
            throw OptionRangeError(option: option, value: String(value), range: "\(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    public static func check(_ option: String, _ value: Double, _ range: ClosedRange<Double>) throws(OptionRangeError) -> Double {
        guard value.isFinite, range.contains(value) else {
            throw OptionRangeError(option: option, value: String(value), range: "\(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// A month for `generate --end` and `--month` options: within the date range.
    public static func check(_ option: String, _ month: YearMonth) throws(OptionRangeError) -> YearMonth {
        guard month.year >= dates.lowerBound.year, month.year <= dates.upperBound.year else {
            throw OptionRangeError(option: option, value: month.description, range: "1900-01 to 2199-12")
        }
        return month
    }
}
