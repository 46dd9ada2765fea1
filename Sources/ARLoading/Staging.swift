import ARModel

/// How rows name their customer while tables are parsed in parallel: against customers.csv
/// when present (an unknown id rejects the row), or into a per-table pool of ids seen when
/// the customer master is missing (merged into synthesized customers afterwards).
struct CustomerContext: Sendable {
    let master: CustomerTable?
    /// The currency of documents with no currency of their own and no customer currency.
    let implicitCurrency: Currency
    let defaultTerms: Int32
    let masterFile: String

    /// Customer index (master) or local id (synthesizing), with its currency and terms.
    func resolve(_ key: UnsafeBufferPointer<UInt8>, local: inout StringPool, column: Int) throws(RowError)
        -> (id: Int32, currency: Currency, terms: Int32) {
        if let master {
            guard let id = master.ids.find(key) else {
                throw RowError(column: column, reason: "unknown customer (not in \(masterFile))")
            }
            return (id, master.currency[Int(id)], master.termsDays[Int(id)])
        }
        return (local.intern(key).id, implicitCurrency, defaultTerms)
    }
}

/// References to rows of other tables, kept as the text written until those tables exist.
struct PendingRefs: Sendable {
    var keys = StringPool()
    /// Per row: an id in `keys`, or -1 for "none".
    var ids: [Int32] = []

    mutating func add(_ v: UnsafeBufferPointer<UInt8>?) {
        if let v { ids.append(keys.intern(v).id) } else { ids.append(-1) }
    }

    func compacted(keeping keep: [Bool]) -> PendingRefs {
        var p = self
        p.ids = ids.compacted(keeping: keep)
        return p
    }
}

struct StagedCustomers: Sendable {
    var table = CustomerTable()
    var explicitCurrency: [Bool] = []
    /// Credit limits at `wideDigits` until the customer's currency is final.
    var creditLimitWide: [Int64?] = []
}

struct StagedInvoices: Sendable {
    var table = InvoiceTable()
    var localCustomers = StringPool()
    /// First-seen customer attributes (mapping `customer_columns`), per local customer.
    var customerAttributes: [Int32: [String: String]] = [:]
    var explicitCurrency: [Bool] = []
    var paidDate: [Day?] = []
    var paidAmount: [Int64?] = []
    var hasPaidColumns = false
}

struct StagedPayments: Sendable {
    var table = PaymentTable()
    var localCustomers = StringPool()
}

struct StagedApplications: Sendable {
    var payments = PendingRefs()
    var documents = PendingRefs()
    var amountWide: [Int64] = []
    var date: [Day?] = []
    var line: [Int32] = []
}

struct StagedAdjustments: Sendable {
    var table = AdjustmentTable()
    var localCustomers = StringPool()
    var documents = PendingRefs()
    var amountWide: [Int64] = []
}

struct StagedDisputes: Sendable {
    var table = DisputeTable()
    var documents = PendingRefs()
    var amountWide: [Int64?] = []
}

struct StagedActivities: Sendable {
    var table = ActivityTable()
    var localCustomers = StringPool()
    var documents = PendingRefs()
    var promisedWide: [Int64?] = []
}

struct StagedPurchaseOrders: Sendable {
    var table = PurchaseOrderTable()
    var localCustomers = StringPool()
    var keys = StringPool()
    var amountWide: [Int64?] = []
    var explicitCurrency: [Currency?] = []
}
