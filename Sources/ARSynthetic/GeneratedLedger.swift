import ARModel

/// The generated ledger before it is written: rows with internal indices, ids assigned
/// when written (in date order, as an ERP would number them).
struct GCustomer {
    var code: Int
    var name: String
    var email: String?
    var phone: String?
    var address: String
    var country: String
    var currency: Currency
    var creditLimit: Int64?
    var terms: Int
    var segment: Segment
    var region: String
    var collector: String
    var created: Day
    var reviewed: Day?
    var rating: String
    var profile: Profile
    /// Mean monthly billing in the base currency.
    var monthlyMean: Double
    var invoicesPerMonth: Double
    var batchPayer: Bool
    var usesPO: Bool
    var chargesLateFees: Bool
    var firstMonth: YearMonth
    var lastMonth: YearMonth
    var poCount = 0
    /// Profile habits (empty or nil in the distributor profile). Unit prices in minor units
    /// the customer buys at (amounts are quantity × one of them).
    var catalogue: [Int64] = []
    /// A fixed monthly fee billed on the first working day of each month.
    var retainer: Int64? = nil
    /// Months of the year (1–12) the customer buys in; empty: all year.
    var seasonMonths: [Int] = []
    /// One purchase order per quarter covering all that quarter's invoices.
    var blanketPO = false
    /// Who raises this customer's credits (services).
    var accountManager = ""

    enum Segment: String { case enterprise, midMarket = "mid-market", small }
    /// Payment habit: what drives days late.
    enum Profile: String, CaseIterable { case prompt, slow, chronic, deteriorating, seasonal, erratic }
}

struct GInvoice {
    var customer: Int
    var issue: Day
    var due: Day
    var amount: Int64
    var po: String?
    var sent: Day
    var createdBy: String
    var createdAt: LocalTimestamp
    /// For near-duplicates: the invoice whose printed number this one varies.
    var numberVariant: NumberVariant = .own
    var number = 0

    enum NumberVariant { case own, suffix(of: Int), transposed(of: Int), prefix(of: Int) }
}

/// A document a payment or credit can settle.
enum GDoc: Hashable {
    case invoice(Int)
    case adjustment(Int)
}

/// Cash meant for one document, before payments are grouped.
struct GIntent {
    var customer: Int
    var date: Day
    var doc: GDoc
    var amount: Int64
    /// Paid beyond the document's balance (stays unapplied).
    var extra: Int64 = 0
    /// The truth entry this cash belongs to (an injected anomaly), or -1.
    var tag: Int = -1
    /// Days between receipt and posting, when an anomaly dictates it.
    var postingLag: Int? = nil
    var postedBy: String? = nil
}

struct GPayment {
    var customer: Int
    var received: Day
    var amount: Int64
    var currency: Currency
    var method: String
    var namesInvoices: Bool
    var genericReference: String
    var posted: Day?
    var postedBy: String
    var applications: [(doc: GDoc, amount: Int64)]
    var tags: [Int] = []
    /// A duplicate carries the remittance text of the payment it repeats.
    var referenceOf: Int? = nil
}

struct GAdjustment {
    var customer: Int
    var doc: GDoc?
    var date: Day
    var kind: AdjustmentKind
    var amount: Int64
    var reason: String?
    var createdBy: String
    var approvedBy: String?
}

struct GDispute {
    var invoice: Int
    var opened: Day
    var resolved: Day?
    var amount: Int64
    var reason: String
    var outcome: String?
}

struct GActivity {
    var customer: Int
    var doc: GDoc?
    var date: Day
    var collector: String
    var kind: ActivityKind
    var promisedDate: Day?
    var promisedAmount: Int64?
    var note: String
}

struct GPurchaseOrder {
    var number: String
    var customer: Int
    var date: Day
    var amount: Int64
}

/// One injected anomaly and every document involved.
struct GTruth {
    var kind: AnomalyKind
    var docs: [GRef]
    var customers: [Int]
    var note: String
}

enum GRef: Hashable {
    case invoice(Int), payment(Int), adjustment(Int)
}

struct GeneratedLedger {
    var options: GeneratorOptions
    var customers: [GCustomer] = []
    var invoices: [GInvoice] = []
    var payments: [GPayment] = []
    var adjustments: [GAdjustment] = []
    var disputes: [GDispute] = []
    var activities: [GActivity] = []
    var purchaseOrders: [GPurchaseOrder] = []
    var fxRates: [(date: Day, currency: Currency, rate: ExchangeRate)] = []
    var truth: [GTruth] = []
}
