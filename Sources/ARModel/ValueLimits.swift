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
