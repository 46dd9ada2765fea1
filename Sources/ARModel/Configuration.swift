/// The analysis settings of `arlens.yml`, resolved once and passed down by value.
/// Defaults live here, in one place.
public struct Configuration: Sendable, Equatable {
    /// The company name shown on the pack.
    public var company: String?
    /// The currency every report is in; nil means "the ledger's single currency".
    public var baseCurrency: Currency?
    /// Upper edges of the aging buckets in days past due.
    public var agingBuckets: [Int] = [30, 60, 90, 120]
    /// Months in the trailing DSO window.
    public var dsoWindowMonths: Int = 3
    /// Target value per metric name (e.g. "dso": 45).
    public var targets: [String: Double] = [:]
    /// Payment terms for customers without `terms_days`.
    public var defaultTermsDays: Int = 30
    /// Amounts (major units) above which an invoice or credit needs approval; anomaly rules
    /// look for amounts just under it (`anomalies: approval_threshold:`).
    public var approvalThreshold: Int64 = 10_000

    public init() {}

    public static let `default` = Configuration()
}
