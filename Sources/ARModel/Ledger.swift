/// The receivables ledger, held as columns: one array per field, rows addressed by dense
/// integer indices. Keys are interned in a `StringPool` whose id equals the row index, so
/// `invoices.ids.find("INV-1")` gives the row. References between tables are indices
/// (`customer`, `payment`) or `DocumentRef`s. Amounts are minor units of the row's own
/// currency; `baseCurrency` and `fxRates` convert them.
///
/// Pure value: no I/O; `ARLoading` builds it and reports what it could not load.
public struct Ledger: Sendable {
    public var baseCurrency: Currency
    public var customers = CustomerTable()
    public var invoices = InvoiceTable()
    public var payments = PaymentTable()
    public var applications = ApplicationTable()
    public var adjustments = AdjustmentTable()
    public var disputes = DisputeTable()
    public var activities = ActivityTable()
    public var purchaseOrders = PurchaseOrderTable()
    public var fxRates = FxRateTable()
    /// True when customers.csv was absent and customers were made from the ids seen.
    public var customerMasterMissing = false
    /// True when payments were derived from invoices' paid_date / paid_amount.
    public var paymentsFromInvoices = false
    /// True when applications.csv said which payment settled which document; otherwise
    /// automatic cash application decides (ARAnalytics.CashApplication).
    public var applicationsFromFile = false
    /// True once `settle()` has run and nothing it depends on has changed since (cleared by
    /// whoever replaces applications or credits, e.g. automatic cash application).
    public var settled = false

    public init(baseCurrency: Currency) { self.baseCurrency = baseCurrency }

    /// The document's id as written in the files.
    public func documentID(_ d: DocumentRef) -> String {
        if let i = d.invoiceIndex { return invoices.ids[Int32(i)] }
        if let a = d.adjustmentIndex { return adjustments.ids[Int32(a)] }
        return ""
    }

    /// The document named `id` (an invoice id, or a debit memo / late fee adjustment id).
    public func findDocument(_ id: String) -> DocumentRef? {
        if let i = invoices.ids.find(id) { return .invoice(Int(i)) }
        if let a = adjustments.ids.find(id) { return .adjustment(Int(a)) }
        return nil
    }

    /// The earliest and latest dates of any receivable document, payment or adjustment.
    public var dateRange: ClosedRange<Day>? {
        var lo = Day(number: Int32.max), hi = Day(number: Int32.min)
        for d in invoices.issueDate { lo = min(lo, d); hi = max(hi, d) }
        for d in payments.receivedDate { lo = min(lo, d); hi = max(hi, d) }
        for d in adjustments.date { lo = min(lo, d); hi = max(hi, d) }
        return lo <= hi ? lo...hi : nil
    }
}

public struct CustomerTable: Sendable {
    public var ids = StringPool()
    public var name = TextColumn()
    public var email = TextColumn()
    public var phone = TextColumn()
    public var address = TextColumn()
    /// ISO 3166 alpha-2, "" when not given.
    public var country: [String] = []
    /// The billing currency (the base currency when not given).
    public var currency: [Currency] = []
    /// In the customer's currency; nil when not given.
    public var creditLimit: [Int64?] = []
    public var termsDays: [Int32] = []
    public var segment: [Int32] = []
    public var region: [Int32] = []
    public var collector: [Int32] = []
    public var creditRating: [Int32] = []
    /// The language letters to the customer are written in (`language`: en, fr, ...), a symbol; -1 when not given.
    public var language: [Int32] = []
    public var createdDate: [Day?] = []
    public var creditReviewDate: [Day?] = []
    /// Categorical text of this table (segment, region, collector, rating); -1 = none.
    public var symbols = StringPool()
    /// Source line of each row (0 for customers made from other tables).
    public var line: [Int32] = []

    public init() {}
    public var count: Int { ids.count }

    public func symbol(_ id: Int32) -> String? { id < 0 ? nil : symbols[id] }
}

public struct InvoiceTable: Sendable {
    public var ids = StringPool()
    public var customer: [Int32] = []
    /// The printed invoice number; empty when it is the invoice id.
    public var number = TextColumn()
    public var issueDate: [Day] = []
    public var dueDate: [Day] = []
    public var amount: [Int64] = []
    public var currency: [Currency] = []
    public var poNumber = TextColumn()
    public var sentDate: [Day?] = []
    public var createdBy: [Int32] = []
    public var createdAt: [LocalTimestamp?] = []
    public var disputed: [Bool] = []
    public var symbols = StringPool()
    public var line: [Int32] = []

    public init() {}
    public var count: Int { ids.count }

    /// The number printed on invoice `i` (its id when no number was given).
    public func printedNumber(_ i: Int) -> String { number.isEmpty(i) ? ids[Int32(i)] : number[i] }
    public func money(_ i: Int) -> Money { Money(minorUnits: amount[i], currency: currency[i]) }
}

public struct PaymentTable: Sendable {
    public var ids = StringPool()
    public var customer: [Int32] = []
    public var receivedDate: [Day] = []
    public var amount: [Int64] = []
    public var currency: [Currency] = []
    public var method: [Int32] = []
    public var reference = TextColumn()
    public var postedDate: [Day?] = []
    public var postedBy: [Int32] = []
    public var symbols = StringPool()
    public var line: [Int32] = []

    public init() {}
    public var count: Int { ids.count }
    public func money(_ i: Int) -> Money { Money(minorUnits: amount[i], currency: currency[i]) }
}

public struct ApplicationTable: Sendable {
    public var payment: [Int32] = []
    public var document: [DocumentRef] = []
    /// The amount applied, in the payment's (= the document's) currency. When the file asked
    /// for more than the payment or the document had left, this is the part that fit.
    public var amount: [Int64] = []
    /// The amount the file asked for.
    public var requested: [Int64] = []
    public var date: [Day] = []
    public var line: [Int32] = []

    public init() {}
    public var count: Int { payment.count }
}

public struct AdjustmentTable: Sendable {
    public var ids = StringPool()
    public var customer: [Int32] = []
    /// For credits, the document reduced (`.none` = unallocated credit); for debits, a reference.
    public var document: [DocumentRef] = []
    public var date: [Day] = []
    public var kind: [AdjustmentKind] = []
    public var amount: [Int64] = []
    public var currency: [Currency] = []
    /// For credits: the part allocated to `document` (the rest is unallocated credit).
    public var allocated: [Int64] = []
    public var reason: [Int32] = []
    public var createdBy: [Int32] = []
    public var approvedBy: [Int32] = []
    public var symbols = StringPool()
    public var line: [Int32] = []

    public init() {}
    public var count: Int { ids.count }
    public func symbol(_ id: Int32) -> String? { id < 0 ? nil : symbols[id] }
}

public struct DisputeTable: Sendable {
    public var ids = StringPool()
    public var document: [DocumentRef] = []
    public var openedDate: [Day] = []
    public var resolvedDate: [Day?] = []
    public var amount: [Int64?] = []
    public var reason: [Int32] = []
    public var outcome: [Int32] = []
    public var symbols = StringPool()
    public var line: [Int32] = []

    public init() {}
    public var count: Int { ids.count }
}

public struct ActivityTable: Sendable {
    public var ids = StringPool()
    public var customer: [Int32] = []
    public var document: [DocumentRef] = []
    public var date: [Day] = []
    public var collector: [Int32] = []
    public var kind: [ActivityKind] = []
    public var promisedDate: [Day?] = []
    /// In the customer's currency.
    public var promisedAmount: [Int64?] = []
    public var note = TextColumn()
    public var symbols = StringPool()
    public var line: [Int32] = []

    public init() {}
    public var count: Int { ids.count }
}

public struct PurchaseOrderTable: Sendable {
    public var poNumber = TextColumn()
    public var customer: [Int32] = []
    public var date: [Day?] = []
    public var amount: [Int64?] = []
    public var currency: [Currency] = []
    public var line: [Int32] = []

    public init() {}
    public var count: Int { customer.count }
}

/// Exchange rates per currency, each list sorted by date; a rate holds from its date until
/// the next one.
public struct FxRateTable: Sendable {
    public var rates: [Currency: [(date: Day, rate: ExchangeRate)]] = [:]
    public init() {}

    public var isEmpty: Bool { rates.isEmpty }

    /// The rate in effect on `day` (the latest dated on or before it); nil before the first.
    public func rate(_ c: Currency, on day: Day) -> ExchangeRate? {
        guard let list = rates[c] else { return nil }
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].date <= day { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? nil : list[lo - 1].rate
    }
}
