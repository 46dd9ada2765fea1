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
    /// The kind of business: how it prices, orders, bills, posts cash and approves. The rules
    /// are tuned on `distributor` (the bundled sample); the others exist to test them on
    /// habits they were not designed with.
    public var profile: Profile = .distributor

    /// - `distributor`: the bundled sample. One PO per invoice, amounts lognormal around each
    ///   customer's mean, payments posted by two cash clerks, credits by billing clerks, one
    ///   AR manager approving.
    /// - `wholesale`: blanket POs (one per customer and quarter, many invoices each), catalogue
    ///   prices (amounts are quantity × a round unit price for most customers), a Saturday
    ///   warehouse shift entering invoices, three approvers.
    /// - `services`: heavy-tailed amounts, seasonal customers, monthly retainers at round
    ///   amounts, payments posted by an automatic cash-application user, credits raised by
    ///   account managers (who never post cash), three approvers, few POs.
    public enum Profile: String, Sendable, CaseIterable {
        case distributor, wholesale, services
    }

    public enum AnomalyLevel: String, Sendable, CaseIterable {
        case none, some, many
    }

    public init() {}

    public var startMonth: YearMonth { endMonth.advanced(by: -(months - 1)) }
    public var firstDay: Day { startMonth.firstDay }
    /// The export date: nothing after it exists.
    public var lastDay: Day { endMonth.lastDay }
}
