import ARModel

/// What to generate. Time and randomness are inputs: the same options give the same files.
public struct GeneratorOptions: Sendable, Equatable {
    /// Number of customers (scaled up with `invoices` when that is given and this is not).
    public var customers: Int = 200
    /// Months of history, ending with `endMonth`.
    public var months: Int = 24
    /// The last month of the ledger: the export is taken at its last day.
    public var endMonth: YearMonth = YearMonth(year: 2026, month: 10)
    public var seed: UInt64 = 42
    /// Exact number of invoices to write (the benchmark scale); nil lets customers' buying
    /// habits decide.
    public var invoices: Int?
    /// Injected anomalies and fraud patterns, listed in `_truth/anomalies.csv`.
    public var anomalies: AnomalyLevel = .some

    public enum AnomalyLevel: String, Sendable, CaseIterable {
        case none, some, many
    }

    public init() {}

    public var startMonth: YearMonth { endMonth.advanced(by: -(months - 1)) }
    public var firstDay: Day { startMonth.firstDay }
    /// The export date: nothing after it exists.
    public var lastDay: Day { endMonth.lastDay }
}
