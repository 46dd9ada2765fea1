import ARModel
import Dispatch

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
    public let docRate: RateColumn
    public let docDigits: [UInt8]
    /// The amount in base currency at the document's rate.
    public let docBase: [Int64]
    public let isReceivable: [Bool]

    // Payments and credits: their rates and base amounts.
    public let payRate: RateColumn
    public let payBase: [Int64]
    public let adjRate: RateColumn
    public let adjBase: [Int64]
    /// Every rate the rate columns refer to (one table, shared by the three).
    public var rates: [ExchangeRate] { docRate.table }

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
    public func allocationDeferred(_ a: Int) -> Bool { adjDeferred[a] }

    /// `allocationDeferred` of every adjustment, found once.
    let adjDeferred: [Bool]

    public init(_ unsettled: Ledger) {
        var l = unsettled
        if !l.settled { _ = l.settle() }
        ledger = l
        base = l.baseCurrency
        invoiceCount = l.invoices.count
        // The documents' columns, the sorted events and the payments' columns need nothing of
        // each other: they are built at the same time, on two cores, the payments' by whichever
        // core is free first (the other two are the larger parts).
        let settledLedger = l, rates = RateTable(l)
        let (docs, sorted, payments) = Timeline.concurrently({ Columns(settledLedger, rates) }, { Events(settledLedger) },
                                                             { PaymentColumns(settledLedger, rates) })
        docDate = docs.date; docDue = docs.due; docAmount = docs.amount; docCustomer = docs.customer
        docRate = docs.rate; docDigits = docs.digits; docBase = docs.base; isReceivable = docs.receivable
        payRate = payments.rate; payBase = payments.base
        adjRate = docs.adjRate; adjBase = docs.adjBase
        events = sorted.events; firstDay = sorted.firstDay; lastDay = sorted.lastDay
        firstDocumentMonth = sorted.firstDocumentMonth; adjDeferred = sorted.deferred
    }

    /// Runs `a`, `b` and `c` at the same time as far as there are cores: `a` and `b` first,
    /// `c` on whichever thread finishes first; the three results.
    static func concurrently<A: Sendable, B: Sendable, C: Sendable>(_ a: @Sendable () -> A, _ b: @Sendable () -> B,
                                                                    _ c: @Sendable () -> C) -> (A, B, C) {
        let box = Results<A, B, C>()
        DispatchQueue.concurrentPerform(iterations: 3) { k in
            switch k {
            case 0: box.first = a()
            case 1: box.second = b()
            default: box.third = c()
            }
        }
        return (box.first!, box.second!, box.third!)
    }

    /// The results of `concurrently`: each written by one thread, read after all ended.
    private final class Results<A, B, C>: @unchecked Sendable {
        var first: A?
        var second: B?
        var third: C?
    }

    /// An array of `count` values written by `fill` (each exactly once, no zeroing first).
    static func make<T>(_ count: Int, _ fill: (UnsafeMutablePointer<T>) -> Void) -> [T] {
        [T](unsafeUninitializedCapacity: count) { buf, k in
            if let p = buf.baseAddress { fill(p) }
            k = count
        }
    }

    /// The documents' columns by slot, and the credits' rates and base amounts. Every column
    /// is made once at its full size and written once (no zeroing first).
    struct Columns: Sendable {
        var date: [Day] = [], due: [Day] = [], amount: [Int64] = [], customer: [Int32] = []
        var rate: RateColumn, digits: [UInt8] = [], base: [Int64] = [], receivable: [Bool] = []
        var adjRate: RateColumn, adjBase: [Int64] = []

        init(_ l: Ledger, _ rates: RateTable) {
            let baseC = l.baseCurrency
            let baseDigits = baseC.minorDigits
            let inv = l.invoices, adj = l.adjustments
            let nInv = inv.count, nAdj = adj.count
            let table = rates.table
            let n = nInv + nAdj
            // Credits and debit memos: rate reference and base amount.
            var aBase: [Int64] = []
            let aRef: [UInt32] = Timeline.make(nAdj) { ref in
                aBase = Timeline.make(nAdj) { out in
                    for a in 0..<nAdj {
                        let r = rates.reference(adj.currency[a], adj.date[a])
                        ref[a] = r
                        out[a] = Timeline.convert(adj.amount[a], rates.rate(r), adj.currency[a].minorDigits, baseDigits)
                    }
                }
            }
            adjRate = RateColumn(unchecked: aRef, table: table); adjBase = aBase
            let terms = l.customers.termsDays
            var digitsOut: [UInt8] = [], baseOut: [Int64] = []
            let refs: [UInt32] = Timeline.make(n) { ref in
            digitsOut = Timeline.make(n) { digits in
            baseOut = Timeline.make(n) { out in
            inv.currency.withUnsafeBufferPointer { cur in
            inv.issueDate.withUnsafeBufferPointer { date in
            inv.amount.withUnsafeBufferPointer { amount in
                // The last currency's minor digits, kept (nearly every row has the one before's currency).
                var lastCurrency = baseC, lastDigits = baseDigits
                for i in 0..<nInv {
                    let c = cur[i]
                    if c == baseC {
                        digits[i] = UInt8(baseDigits)
                        out[i] = amount[i]
                        ref[i] = 0
                        continue
                    }
                    if c != lastCurrency { lastCurrency = c; lastDigits = c.minorDigits }
                    let d = lastDigits
                    digits[i] = UInt8(d)
                    let r = rates.reference(c, date[i])
                    ref[i] = r
                    out[i] = Timeline.convert(amount[i], rates.rate(r), d, baseDigits)
                }
                for a in 0..<nAdj {
                    let s = nInv + a
                    digits[s] = UInt8(adj.currency[a].minorDigits)
                    ref[s] = aRef[a]
                    out[s] = adj.kind[a].isDebit ? aBase[a] : 0
                }
            } } } } } }
            rate = RateColumn(unchecked: refs, table: table); digits = digitsOut; base = baseOut
            date = inv.issueDate + adj.date
            amount = Timeline.make(n) { p in
                inv.amount.withUnsafeBufferPointer { d in
                    if nInv > 0 { p.initialize(from: d.baseAddress!, count: nInv) }
                }
                for a in 0..<nAdj { (p + nInv + a).initialize(to: adj.kind[a].isDebit ? adj.amount[a] : 0) }
            }
            customer = inv.customer + adj.customer
            due = Timeline.make(n) { p in
                inv.dueDate.withUnsafeBufferPointer { d in
                    if nInv > 0 { p.initialize(from: d.baseAddress!, count: nInv) }
                }
                for a in 0..<nAdj { (p + nInv + a).initialize(to: adj.date[a] + Int(terms[Int(adj.customer[a])])) }
            }
            receivable = Timeline.make(n) { p in
                p.initialize(repeating: true, count: nInv)
                for a in 0..<nAdj { (p + nInv + a).initialize(to: adj.kind[a].isDebit) }
            }
        }
    }

    /// The payments' rates and base amounts.
    struct PaymentColumns: Sendable {
        var rate: RateColumn, base: [Int64] = []

        init(_ l: Ledger, _ rates: RateTable) {
            let baseC = l.baseCurrency, baseDigits = baseC.minorDigits
            let pay = l.payments, nPay = pay.count
            // Rate reference and base amount in one pass.
            var pBase: [Int64] = []
            let pRef: [UInt32] = Timeline.make(nPay) { ref in
            pBase = Timeline.make(nPay) { out in
            pay.currency.withUnsafeBufferPointer { cur in
            pay.receivedDate.withUnsafeBufferPointer { date in
            pay.amount.withUnsafeBufferPointer { amount in
                for p in 0..<nPay {
                    let c = cur[p]
                    if c == baseC { out[p] = amount[p]; ref[p] = 0; continue }
                    let r = rates.reference(c, date[p])
                    ref[p] = r
                    out[p] = Timeline.convert(amount[p], rates.rate(r), c.minorDigits, baseDigits)
                }
            } } } } }
            rate = RateColumn(unchecked: pRef, table: rates.table); base = pBase
        }
    }

    /// Every event, sorted by (day, kind), with the ledger's first and last day.
    struct Events: Sendable {
        var events: [UInt64] = []
        var firstDay = Day(number: 0), lastDay = Day(number: 0)
        var firstDocumentMonth: YearMonth?
        var deferred: [Bool] = []

        init(_ l: Ledger) {
            let inv = l.invoices, adj = l.adjustments, pay = l.payments
            let nInv = inv.count, nAdj = adj.count
            // Events, counting-sorted by (day, kind): stable, linear.
            var lo = Int32.max, hi = Int32.min
            for column in [inv.issueDate, adj.date, pay.receivedDate, l.applications.date] {
                column.withUnsafeBufferPointer { Events.widen(&lo, &hi, $0) }
            }
            var firstDoc: Day? = inv.issueDate.withUnsafeBufferPointer { p in
                p.isEmpty ? nil : Day(number: p.reduce(Int32.max) { min($0, $1.number) })
            }
            for a in 0..<nAdj where adj.kind[a].isDebit { firstDoc = min(firstDoc ?? adj.date[a], adj.date[a]) }
            firstDocumentMonth = firstDoc?.yearMonth
            if lo > hi { lo = 0; hi = 0 }
            firstDay = Day(number: lo)
            lastDay = Day(number: hi)
            let span = Int(hi - lo) + 1
            var deferredList: [Int] = []
            for a in 0..<nAdj where adj.kind[a].isCredit && !adj.document[a].isNone && adj.allocated[a] > 0 && l.allocationDate(a) > adj.date[a] {
                deferredList.append(a)
            }
            let deferredDates = deferredList.map { l.allocationDate($0) }
            var deferredFlags = [Bool](repeating: false, count: nAdj)
            for a in deferredList { deferredFlags[a] = true }
            deferred = deferredFlags
            let nApp = l.applications.count
            let total = nInv + nAdj + pay.count + nApp + deferredList.count
            let first = lo
            // Counts per (day, kind) bucket, then their running sums: where each bucket starts.
            // (Plain loops over each source: a closure call per event would cost more than the sort.)
            var counts = [Int](repeating: 0, count: span * 5 + 1)
            let debit = adj.kind.map { $0.isDebit ? UInt64(EventKind.document.rawValue) : UInt64(EventKind.credit.rawValue) }
            events = counts.withUnsafeMutableBufferPointer { cp in
                let counts = cp.baseAddress!
                @inline(__always) func bucket(_ d: Day, _ k: UInt64) -> Int { Int(d.number - first) * 5 + Int(k) }
                inv.issueDate.withUnsafeBufferPointer { Events.count($0, kind: 0, first: first, counts) }
                for a in 0..<nAdj { counts[bucket(adj.date[a], debit[a]) + 1] += 1 }
                pay.receivedDate.withUnsafeBufferPointer { Events.count($0, kind: 1, first: first, counts) }
                l.applications.date.withUnsafeBufferPointer { Events.count($0, kind: 2, first: first, counts) }
                for d in deferredDates { counts[bucket(d, 4) + 1] += 1 }
                for k in 1..<cp.count { counts[k] += counts[k - 1] }
                return [UInt64](unsafeUninitializedCapacity: total) { buf, n in
                    n = total
                    guard let ev = buf.baseAddress else { return }
                    @inline(__always) func put(_ d: Day, _ k: UInt64, _ index: Int) {
                        let b = bucket(d, k)
                        ev[counts[b]] = UInt64(d.number - first) << 32 | k << 29 | UInt64(index)
                        counts[b] += 1
                    }
                    inv.issueDate.withUnsafeBufferPointer { Events.place($0, kind: 0, first: first, counts, ev) }
                    for a in 0..<nAdj { put(adj.date[a], debit[a], debit[a] == 0 ? nInv + a : a) }
                    pay.receivedDate.withUnsafeBufferPointer { Events.place($0, kind: 1, first: first, counts, ev) }
                    l.applications.date.withUnsafeBufferPointer { Events.place($0, kind: 2, first: first, counts, ev) }
                    for (k, a) in deferredList.enumerated() { put(deferredDates[k], 4, a) }
                }
            }
        }

        // The loops over a whole table's dates, without captured state (which the compiler
        // would keep in memory rather than in registers). Every date is within
        // `first...` the last day, so the bucket arithmetic cannot overflow.

        /// Widens `lo...hi` to hold every date of `p`.
        static func widen(_ lo: inout Int32, _ hi: inout Int32, _ p: UnsafeBufferPointer<Day>) {
            var l = lo, h = hi
            for d in p { l = min(l, d.number); h = max(h, d.number) }
            lo = l; hi = h
        }

        /// Counts the dates of `p` into bucket (day, kind) + 1.
        static func count(_ p: UnsafeBufferPointer<Day>, kind: Int, first: Int32, _ counts: UnsafeMutablePointer<Int>) {
            for d in p { counts[Int(d.number &- first) &* 5 &+ kind &+ 1] &+= 1 }
        }

        /// Writes the events of `p` (index i for row i) at their buckets' next places.
        static func place(_ p: UnsafeBufferPointer<Day>, kind: UInt64, first: Int32, _ next: UnsafeMutablePointer<Int>,
                          _ ev: UnsafeMutablePointer<UInt64>) {
            for i in 0..<p.count {
                let offset = p[i].number &- first
                let b = Int(offset) &* 5 &+ Int(kind)
                ev[next[b]] = UInt64(UInt32(bitPattern: offset)) << 32 | kind << 29 | UInt64(i)
                next[b] &+= 1
            }
        }
    }

    /// An array of `n` values, the i-th `value(i)`.
    @inline(__always)
    static func build<T>(_ n: Int, _ value: (Int) -> T) -> [T] {
        [T](unsafeUninitializedCapacity: n) { buf, count in
            for i in 0..<n { (buf.baseAddress! + i).initialize(to: value(i)) }
            count = n
        }
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
