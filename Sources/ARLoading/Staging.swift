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

/// References to rows of other tables, kept as the text written (one entry per row, empty
/// for "none") until those tables exist; each is looked up once, when resolved.
struct PendingRefs: Sendable {
    var text = TextColumn()

    mutating func add(_ v: UnsafeBufferPointer<UInt8>?) {
        if let v { text.append(v) } else { text.appendEmpty() }
    }

    func isNone(_ row: Int) -> Bool { text.isEmpty(row) }
    subscript(row: Int) -> String { text[row] }

    /// Looks every row up with `find` (on all cores for big tables); `none` for empty rows.
    /// `prefetch` is called eight rows ahead of `find` to start loading what it will probe.
    func resolve<T: Sendable>(none: T, prefetch: (@Sendable (UnsafeBufferPointer<UInt8>) -> Void)? = nil,
                              _ find: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> T?) -> [T?] {
        let n = text.count
        let chunks = n > 100_000 ? 4 : 1
        let me = self
        let parts = parallel((0..<chunks).map { c in
            { @Sendable () -> [T?] in
                let lo = n * c / chunks, hi = n * (c + 1) / chunks
                var out: [T?] = []
                out.reserveCapacity(hi - lo)
                for i in lo..<hi {
                    if let ahead = prefetch, i + 8 < hi { me.text.withBytes(i + 8) { ahead($0) } }
                    if me.text.isEmpty(i) { out.append(none) } else { out.append(me.text.withBytes(i) { find($0) }) }
                }
                return out
            }
        })
        return Array(parts.joined())
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

// Reserving room before parsing: the table's own columns (its column list), then what only
// staging keeps.

extension StagedInvoices {
    mutating func reserve(_ n: Int) {
        table.reserve(n)
        explicitCurrency.reserveCapacity(n)
        paidDate.reserveCapacity(n)
        paidAmount.reserveCapacity(n)
    }
}

extension StagedPayments {
    mutating func reserve(_ n: Int) { table.reserve(n) }
}

extension StagedApplications {
    mutating func reserve(_ n: Int) {
        payments.text.reserve(n, averageLength: 12)
        documents.text.reserve(n, averageLength: 12)
        amountWide.reserveCapacity(n)
        date.reserveCapacity(n)
        line.reserveCapacity(n)
    }
}

extension StagedActivities {
    mutating func reserve(_ n: Int) {
        table.reserve(n)
        documents.text.reserve(n, averageLength: 12)
        promisedWide.reserveCapacity(n)
    }
}

extension StagedPurchaseOrders {
    mutating func reserve(_ n: Int) {
        table.reserve(n)
        keys.reserve(n, averageLength: 20)
        amountWide.reserveCapacity(n)
        explicitCurrency.reserveCapacity(n)
    }
}
