import ARModel

/// One open receivable of an account at a date.
public struct OpenItem: Sendable {
    public let slot: Int
    public let document: String
    public let issued: Day
    public let due: Day
    /// Open in the document's currency, and in the base currency.
    public let open: Int64
    public let openBase: Int64
    public let currency: Currency
    public let daysPastDue: Int
    public let disputed: Bool
}

/// Cash or credit on an account not yet set against a document: a payment's unapplied part
/// or a credit's unallocated part, at the date.
public struct OpenCredit: Sendable, Equatable {
    public enum Kind: String, Sendable { case payment, credit }
    public let kind: Kind
    /// The payment or credit id, and the customer's own reference (payments) when given.
    public let document: String
    public let reference: String
    public let date: Day
    /// Positive, in the document's currency and in the base currency.
    public let open: Int64
    public let openBase: Int64
    public let currency: Currency
}

/// A promise to pay and what became of it at the date.
public struct PromiseRecord: Sendable {
    public enum Status: String, Sendable { case pending, kept, broken }
    /// The `promise` activity's index.
    public let activity: Int
    public let made: Day
    public let due: Day
    public let amount: Int64
    public let status: Status
}

/// Every customer's position at a date: open items, disputes, promises, last contact. The
/// worklist, credit scores, fees and notices all read it.
public struct AccountBook: Sendable {
    public let timeline: Timeline
    public let asOf: Day
    public let items: [[OpenItem]]
    /// Net balance per customer, base currency (open items less unapplied cash and credits).
    public let balance: [Int64]
    public let promises: [[PromiseRecord]]
    /// Each promise's status by its activity index (the same records as `promises`).
    public let promiseStatus: [Int: PromiseRecord.Status]
    /// Index of the customer's latest activity on or before the date.
    public let lastActivity: [Int?]
    /// Day each document was settled (`Int32.max` while open), at the date.
    public let settleDay: [Int32]
    /// Unapplied cash and unallocated credits per customer, oldest first.
    public let credits: [[OpenCredit]]

    /// The book at `asOf`. `only`: the customers (by index) whose items, credits and
    /// promises are wanted; the others' stay empty (every balance is kept).
    public init(_ t: Timeline, asOf: Day, only: [Bool]? = nil) {
        var sweep = AccountBook.sweep(t, month: asOf.yearMonth)
        sweep.advance(through: asOf)
        self.init(t, sweep: &sweep, only: only)
    }

    /// A sweep a book can be read from: one group per customer. `month`: the month whose flows
    /// it books (the book reads none).
    public static func sweep(_ t: Timeline, month: YearMonth) -> BalanceSweep {
        let n = t.ledger.customers.count
        return BalanceSweep(t, customerGroup: (0..<n).map { Int32($0) }, groupCount: max(n, 1), months: MonthRange(month, month))
    }

    /// The book at the day `sweep` (from `AccountBook.sweep`) has reached: one sweep advanced
    /// from date to date serves books at several dates. `payments`: the ledger's payment
    /// index when already made (books at several dates share one).
    public init(_ t: Timeline, sweep: inout BalanceSweep, only: [Bool]? = nil, payments: PaymentIndex? = nil) {
        let l = t.ledger
        let n = l.customers.count
        precondition(sweep.groupCount == max(n, 1), "a book reads a sweep with one group per customer")
        let asOf = sweep.through
        timeline = t
        self.asOf = asOf
        balance = (0..<n).map { sweep.netAR($0) }
        settleDay = sweep.settleDay

        var disputed = Set<Int>()
        let d = l.disputes
        for k in 0..<d.count where d.openedDate[k] <= asOf && (d.resolvedDate[k].map { $0 > asOf } ?? true) {
            if !d.document[k].isNone { disputed.insert(t.slot(d.document[k])) }
        }
        var items = [[OpenItem]](repeating: [], count: n)
        func wanted(_ c: Int) -> Bool { only?[c] ?? true }
        for s32 in sweep.openDocuments() {
            let s = Int(s32)
            let open = sweep.docOpen[s]
            guard open > 0, wanted(Int(t.docCustomer[s])) else { continue }
            let doc = s < t.invoiceCount ? l.invoices.ids[Int32(s)] : l.adjustments.ids[Int32(s - t.invoiceCount)]
            let cur = s < t.invoiceCount ? l.invoices.currency[s] : l.adjustments.currency[s - t.invoiceCount]
            items[Int(t.docCustomer[s])].append(OpenItem(
                slot: s, document: doc, issued: t.docDate[s], due: t.docDue[s], open: open, openBase: t.docBase(s, open: open),
                currency: cur, daysPastDue: asOf - t.docDue[s], disputed: disputed.contains(s)))
        }
        for c in 0..<n { items[c].sort { ($0.due, $0.document) < ($1.due, $1.document) } }
        self.items = items
        var credits = [[OpenCredit]](repeating: [], count: n)
        for p in sweep.unappliedPayments() where sweep.payUnapplied[p] > 0 && wanted(Int(l.payments.customer[p])) {
            let cur = l.payments.currency[p], open = sweep.payUnapplied[p]
            credits[Int(l.payments.customer[p])].append(OpenCredit(
                kind: .payment, document: l.payments.ids[Int32(p)], reference: l.payments.reference[p], date: l.payments.receivedDate[p],
                open: open, openBase: Timeline.convert(open, t.payRate[p], cur.minorDigits, t.base.minorDigits), currency: cur))
        }
        for a in sweep.unallocatedCredits() where sweep.creditUnallocated[a] > 0 && wanted(Int(l.adjustments.customer[a])) {
            let cur = l.adjustments.currency[a], open = sweep.creditUnallocated[a]
            credits[Int(l.adjustments.customer[a])].append(OpenCredit(
                kind: .credit, document: l.adjustments.ids[Int32(a)], reference: "", date: l.adjustments.date[a],
                open: open, openBase: Timeline.convert(open, t.adjRate[a], cur.minorDigits, t.base.minorDigits), currency: cur))
        }
        for c in 0..<n where credits[c].count > 1 { credits[c].sort { ($0.date, $0.document) < ($1.date, $1.document) } }
        self.credits = credits

        var index = payments
        let a = l.activities
        var promises = [[PromiseRecord]](repeating: [], count: n)
        var last = [Int?](repeating: nil, count: n)
        var status: [Int: PromiseRecord.Status] = [:]
        for k in 0..<a.count where a.date[k] <= asOf {
            let c = Int(a.customer[k])
            if let p = last[c] { if (a.date[k], k) > (a.date[p], p) { last[c] = k } } else { last[c] = k }
            guard a.kind[k] == .promise, wanted(c), let due = a.promisedDate[k], let amount = a.promisedAmount[k] else { continue }
            if index == nil { index = PaymentIndex(l) }
            let paid = index!.paid(c, from: a.date[k], through: min(due, asOf))
            let state: PromiseRecord.Status = paid >= amount ? .kept : due >= asOf ? .pending : .broken
            promises[c].append(PromiseRecord(activity: k, made: a.date[k], due: due, amount: amount, status: state))
            status[k] = state
        }
        for c in 0..<n { promises[c].sort { ($0.made, $0.due) < ($1.made, $1.due) } }
        self.promises = promises
        promiseStatus = status
        lastActivity = last
    }

    public var customerCount: Int { items.count }

    /// Overdue open items not in dispute, base currency, and the oldest's days past due.
    public func chaseable(_ c: Int) -> (amount: Int64, maxDays: Int, count: Int) {
        var amount: Int64 = 0, days = 0, count = 0
        for i in items[c] where i.daysPastDue > 0 && !i.disputed {
            amount += i.openBase; days = max(days, i.daysPastDue); count += 1
        }
        return (amount, days, count)
    }

    public func disputedOverdue(_ c: Int) -> Int64 {
        items[c].filter { $0.daysPastDue > 0 && $0.disputed }.reduce(0) { $0 + $1.openBase }
    }

    public func brokenPromises(_ c: Int, withinDays days: Int = 365) -> Int {
        promises[c].filter { $0.status == .broken && asOf - $0.due <= days }.count
    }

    public func pendingPromise(_ c: Int) -> PromiseRecord? { promises[c].last { $0.status == .pending } }
}
