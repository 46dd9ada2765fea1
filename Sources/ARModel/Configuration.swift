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
    /// Target value per target (arlens.yml `targets: {dso: 45}`); `target(_:)` reads a KPI's.
    public var targets: [Target: Double] = [:]
    /// Payment terms for customers without `terms_days`.
    public var defaultTermsDays: Int = 30
    /// Amounts (major units) above which an invoice or credit needs approval; anomaly rules
    /// look for amounts just under it (`anomalies: approval_threshold:`).
    public var approvalThreshold: Int64 = 10_000

    /// The dunning ladder (`dunning:`).
    public var dunning = DunningLadder()
    /// The late-fee policy (`late_fees:`).
    public var lateFees = LateFeeSettings()
    /// Credit policy (`credit:`).
    public var creditReviewMonths: Int = 12
    /// Invoicing policy (`policy:`): invoices must reach the customer within this many days
    /// of issue; these customers require a PO on every invoice (empty: those who give one on
    /// 80% or more of at least 5 invoices).
    public var sendWithinDays: Int = 2
    public var poRequired: [String] = []
    /// What the notices say about the sender and how to pay (`notices:`).
    public var notices = NoticeSettings()
    /// Payment plans (`payment_plans:`): the first instalment falls due at least this many
    /// days after the plan's date.
    public var planFirstDueDays: Int = 14
    /// The expected-credit-loss provision (`provision:`): loss rates are measured on this many
    /// month-ends before the month, then scaled by the forward-looking adjustment (percent,
    /// +10 = rates 10% higher).
    public var provisionLookbackMonths: Int = 24
    public var provisionAdjustmentPercent: Double = 0

    public init() {}

    public static let `default` = Configuration()
}

/// Steps of escalation by days past due. Large balances escalate sooner: at or above
/// `scaleAbove` (major units of the base currency) every threshold is multiplied by
/// `scaleFactor` (rounded up, at least 1 day).
public struct DunningLadder: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var days: Int
        public var action: String
        public init(days: Int, action: String) { self.days = days; self.action = action }
    }
    public var steps: [Step] = [
        Step(days: 1, action: "reminder"), Step(days: 15, action: "second_notice"), Step(days: 30, action: "call"),
        Step(days: 45, action: "final_demand"), Step(days: 75, action: "collection_agency"),
    ]
    public var scaleAbove: Int64 = 50_000
    public var scaleFactor: Double = 0.5
    /// An invoice a duplicate rule (duplicate_invoice, near_duplicate_invoice) flags with at
    /// least this severity is held from notices, fees and plans (`hold_duplicates_from`; 0…1,
    /// above 1 holds none).
    public var holdDuplicatesFrom: Double = 0.75
    /// The next step is the one after the last step sent; with `skip_steps: true` an account
    /// may jump to the step its days past due reach.
    public var skipSteps = false
    public init() {}
}

/// `late_fees:` in arlens.yml; the reference rates are given here, not looked up.
public struct LateFeeSettings: Sendable, Equatable {
    /// by_country (each customer by its country: EU member states eu, GB uk, others
    /// contractual), or contractual, eu or uk for every customer.
    public var policy: String = "by_country"
    public var monthlyRatePercent: Double = 1.5
    public var graceDays: Int = 0
    /// Minimum interest per invoice, major units of the invoice's currency.
    public var minimum: Double = 0
    public var euReferenceRatePercent: Double = 4.0
    public var ukBaseRatePercent: Double = 4.0
    /// Overrides of the policy by country code (`countries: {US: contractual}`) and by
    /// customer id (`customers: {C00001: eu}`); the customer's wins.
    public var countries: [String: String] = [:]
    public var customers: [String: String] = [:]
    /// A charge (interest and fixed sum) below this, in major units of the invoice's currency,
    /// is not raised.
    public var minimumCharge: Double = 1
    public init() {}
}

/// `notices:` in arlens.yml.
public struct NoticeSettings: Sendable, Equatable {
    /// Lines under the company name: address, phone, email.
    public var senderLines: [String] = []
    /// How to pay: bank details, payment link, remittance address.
    public var payment: [String] = ["Please pay by bank transfer, quoting your account number and the invoice numbers."]
    public var signature: String = "Accounts Receivable"
    /// The pay-by date on a notice: the notice date plus this many days.
    public var payWithinDays: Int = 10
    /// The language of letters by customer id or country code (`languages: {FR: fr, C00042:
    /// de}`), where customers.csv has no `language`; the customer's id wins over its country.
    public var languages: [String: String] = [:]
    public init() {}
}
