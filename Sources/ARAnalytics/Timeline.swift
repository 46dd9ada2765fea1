import ARModel

/// The ledger laid out for time sweeps: every receivable document, payment and credit with
/// its base-currency rate, and all of their events sorted by date (documents first within a
/// day, then payments, applications, credits, deferred credit allocations).
///
/// The ledger is settled first (`Ledger.settle`, the rule in ARModel/Settlement.swift):
/// applications sit at their effective date (never before their payment or document exists),
/// a credit dated before its document stays unallocated until the document's date (an
/// `allocation` event), and no application or credit exceeds what is open. So no input can
/// make an open balance negative or the aging differ from net AR. Built once per ledger; every as-of question
/// (aging at a date, AR at 24 month-ends, settle dates) is one pass over `events`.
///
/// Documents share one index space: invoice i is slot i, adjustment a is slot
/// `invoiceCount + a` (only debit memos and late fees are receivable; credit slots stay empty).
public struct Timeline: Sendable {
    public let ledger: Ledger
    public let base: Currency
    public let invoiceCount: Int
    public var slotCount: Int { docAmount.count }

    // Documents, by slot.
    public let docDate: [Day]
    public let docDue: [Day]
    public let docAmount: [Int64]
    public let docCustomer: [Int32]
    /// nil: the document is in the base currency.
    public let docRate: [ExchangeRate?]
    public let docDigits: [UInt8]
    /// The amount in base currency at the document's rate.
    public let docBase: [Int64]
    public let isReceivable: [Bool]

    // Payments and credits: their rates and base amounts.
    public let payRate: [ExchangeRate?]
    public let payBase: [Int64]
    public let adjRate: [ExchangeRate?]
    public let adjBase: [Int64]

    /// Sorted events: (day - firstDay) << 32 | kind << 29 | index.
    public let events: [UInt64]
    public let firstDay: Day
    public let lastDay: Day
    /// The month of the earliest receivable document (DSO windows may not start before it).
    public let firstDocumentMonth: YearMonth?

    public enum EventKind: UInt64 {
        case document = 0, payment = 1, application = 2, credit = 3
        /// The allocated part of a credit dated before its document, moved onto the document
        /// on the document's date (until then it is unallocated credit).
        case allocation = 4
    }

    /// A credit whose allocation waits for its document (dated before it).
    @inline(__always)
    public func allocationDeferred(_ a: Int) -> Bool {
        let adj = ledger.adjustments
        return adj.kind[a].isCredit && !adj.document[a].isNone && adj.allocated[a] > 0 && ledger.allocationDate(a) > adj.date[a]
    }

    public init(_ unsettled: Ledger) {
        var l = unsettled
        if !l.settled { _ = l.settle() }
        ledger = l
        base = l.baseCurrency
        invoiceCount = l.invoices.count
        let nAdj = l.adjustments.count
        let n = l.invoices.count + nAdj
        func rate(_ c: Currency, _ d: Day) -> ExchangeRate? {
            c == l.baseCurrency ? nil : (l.fxRates.rate(c, on: d) ?? ExchangeRate.one)
        }
        var date = [Day](), due = [Day](), amount = [Int64](), customer = [Int32](), rates = [ExchangeRate?]()
        var digits = [UInt8](), baseAmt = [Int64](), receivable = [Bool]()
        date.reserveCapacity(n); due.reserveCapacity(n); amount.reserveCapacity(n); customer.reserveCapacity(n)
        digits.reserveCapacity(n); baseAmt.reserveCapacity(n); receivable.reserveCapacity(n); rates.reserveCapacity(n)
        let inv = l.invoices
        for i in 0..<inv.count {
            let r = rate(inv.currency[i], inv.issueDate[i])
            date.append(inv.issueDate[i]); due.append(inv.dueDate[i]); amount.append(inv.amount[i])
            customer.append(inv.customer[i]); rates.append(r); digits.append(UInt8(inv.currency[i].minorDigits))
            baseAmt.append(Timeline.convert(inv.amount[i], r, Int(digits.last!), l.baseCurrency.minorDigits))
            receivable.append(true)
        }
        let adj = l.adjustments
        var aRate = [ExchangeRate?](), aBase = [Int64]()
        aRate.reserveCapacity(nAdj); aBase.reserveCapacity(nAdj)
        for a in 0..<nAdj {
            let r = rate(adj.currency[a], adj.date[a])
            let d = UInt8(adj.currency[a].minorDigits)
            let b = Timeline.convert(adj.amount[a], r, Int(d), l.baseCurrency.minorDigits)
            aRate.append(r); aBase.append(b)
            let isDebit = adj.kind[a].isDebit
            date.append(adj.date[a])
            due.append(adj.date[a] + Int(l.customers.termsDays[Int(adj.customer[a])]))
            amount.append(isDebit ? adj.amount[a] : 0)
            customer.append(adj.customer[a]); rates.append(r); digits.append(d)
            baseAmt.append(isDebit ? b : 0)
            receivable.append(isDebit)
        }
        docDate = date; docDue = due; docAmount = amount; docCustomer = customer; docRate = rates
        docDigits = digits; docBase = baseAmt; isReceivable = receivable
        adjRate = aRate; adjBase = aBase
        var pRate = [ExchangeRate?](), pBase = [Int64]()
        pRate.reserveCapacity(l.payments.count); pBase.reserveCapacity(l.payments.count)
        for p in 0..<l.payments.count {
            let r = rate(l.payments.currency[p], l.payments.receivedDate[p])
            pRate.append(r)
            pBase.append(Timeline.convert(l.payments.amount[p], r, l.payments.currency[p].minorDigits, l.baseCurrency.minorDigits))
        }
        payRate = pRate; payBase = pBase

        // Events, counting-sorted by (day, kind): stable, linear.
        var lo = Int32.max, hi = Int32.min
        func see(_ d: Day) { lo = min(lo, d.number); hi = max(hi, d.number) }
        for d in inv.issueDate { see(d) }
        for d in adj.date { see(d) }
        for d in l.payments.receivedDate { see(d) }
        for d in l.applications.date { see(d) }
        var firstDoc: Day? = inv.issueDate.min()
        for a in 0..<nAdj where adj.kind[a].isDebit { firstDoc = min(firstDoc ?? adj.date[a], adj.date[a]) }
        firstDocumentMonth = firstDoc?.yearMonth
        if lo > hi { lo = 0; hi = 0 }
        firstDay = Day(number: lo)
        lastDay = Day(number: hi)
        let span = Int(hi - lo) + 1
        var counts = [Int](repeating: 0, count: span * 5 + 1)
        func bucket(_ d: Day, _ k: EventKind) -> Int { Int(d.number - lo) * 5 + Int(k.rawValue) }
        var deferred: [Int] = []
        for a in 0..<nAdj where adj.kind[a].isCredit && !adj.document[a].isNone && adj.allocated[a] > 0 && l.allocationDate(a) > adj.date[a] {
            deferred.append(a)
        }
        for d in inv.issueDate { counts[bucket(d, .document) + 1] += 1 }
        for a in 0..<nAdj { counts[bucket(adj.date[a], adj.kind[a].isDebit ? .document : .credit) + 1] += 1 }
        for d in l.payments.receivedDate { counts[bucket(d, .payment) + 1] += 1 }
        for d in l.applications.date { counts[bucket(d, .application) + 1] += 1 }
        for a in deferred { counts[bucket(l.allocationDate(a), .allocation) + 1] += 1 }
        for k in 1..<counts.count { counts[k] += counts[k - 1] }
        var ev = [UInt64](repeating: 0, count: counts.last!)
        func put(_ d: Day, _ k: EventKind, _ index: Int) {
            let b = bucket(d, k)
            ev[counts[b]] = UInt64(d.number - lo) << 32 | k.rawValue << 29 | UInt64(index)
            counts[b] += 1
        }
        for i in 0..<inv.count { put(inv.issueDate[i], .document, i) }
        for a in 0..<nAdj {
            if adj.kind[a].isDebit { put(adj.date[a], .document, inv.count + a) } else { put(adj.date[a], .credit, a) }
        }
        for p in 0..<l.payments.count { put(l.payments.receivedDate[p], .payment, p) }
        for k in 0..<l.applications.count { put(l.applications.date[k], .application, k) }
        for a in deferred { put(l.allocationDate(a), .allocation, a) }
        events = ev
    }

    /// Minor units of a currency with `from` digits at `rate` (nil: already base) in base minor units.
    @inline(__always)
    public static func convert(_ minor: Int64, _ rate: ExchangeRate?, _ from: Int, _ to: Int) -> Int64 {
        guard let rate else { return minor }
        return rate.convert(minor, fromDigits: from, toDigits: to)
    }

    /// A document's open local balance in base currency, at its own rate.
    @inline(__always)
    public func docBase(_ slot: Int, open: Int64) -> Int64 {
        guard let r = docRate[slot] else { return open }
        return r.convert(open, fromDigits: Int(docDigits[slot]), toDigits: base.minorDigits)
    }

    @inline(__always)
    public func slot(_ d: DocumentRef) -> Int { d.invoiceIndex ?? (invoiceCount + d.adjustmentIndex!) }

    @inline(__always)
    public static func decode(_ e: UInt64, firstDay: Day) -> (day: Day, kind: EventKind, index: Int) {
        (firstDay + Int(e >> 32), EventKind(rawValue: (e >> 29) & 7)!, Int(e & 0x1FFF_FFFF))
    }
}
