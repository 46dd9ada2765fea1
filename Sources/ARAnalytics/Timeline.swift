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
    /// True where `docRate` is not nil (one byte a slot: the sweeps test this, and read the
    /// 24-byte rate only for the few documents in another currency).
    let docForeign: [Bool]

    // Payments and credits: their rates and base amounts.
    public let payRate: [ExchangeRate?]
    public let payBase: [Int64]
    /// True where `payRate` is not nil.
    let payForeign: [Bool]
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
    public func allocationDeferred(_ a: Int) -> Bool { adjDeferred[a] }

    /// `allocationDeferred` of every adjustment, found once.
    let adjDeferred: [Bool]

    public init(_ unsettled: Ledger) {
        var l = unsettled
        if !l.settled { _ = l.settle() }
        ledger = l
        let baseC = l.baseCurrency
        base = baseC
        let baseDigits = baseC.minorDigits
        invoiceCount = l.invoices.count
        let inv = l.invoices, adj = l.adjustments, pay = l.payments
        let nInv = inv.count, nAdj = adj.count
        // Each foreign currency's rate list, found once (not a dictionary lookup per row).
        let foreign = l.fxRates.rates.map { (packed: $0.key.packed, list: $0.value) }
        func rate(_ c: Currency, _ d: Day) -> ExchangeRate? {
            if c == baseC { return nil }
            guard let list = foreign.first(where: { $0.packed == c.packed })?.list else { return ExchangeRate.one }
            var lo = 0, hi = list.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if list[mid].date <= d { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? ExchangeRate.one : list[lo - 1].rate
        }
        // Invoices: their rates, minor digits and base amounts in one pass, into arrays sized
        // for the adjustments too (filled after), so each is allocated once.
        let n = nInv + nAdj
        var allBase = [Int64](repeating: 0, count: n), allDigits = [UInt8](repeating: 0, count: n)
        var allRate = [ExchangeRate?](repeating: nil, count: n)
        inv.currency.withUnsafeBufferPointer { cur in
            inv.issueDate.withUnsafeBufferPointer { date in
                inv.amount.withUnsafeBufferPointer { amount in
                    allBase.withUnsafeMutableBufferPointer { out in
                        allDigits.withUnsafeMutableBufferPointer { digits in
                            allRate.withUnsafeMutableBufferPointer { rates in
                                for i in 0..<nInv {
                                    let c = cur[i]
                                    let d = c.minorDigits
                                    digits[i] = UInt8(d)
                                    if c == baseC {
                                        out[i] = amount[i]
                                    } else {
                                        let r = rate(c, date[i])
                                        rates[i] = r
                                        out[i] = Timeline.convert(amount[i], r, d, baseDigits)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let aRate: [ExchangeRate?] = Timeline.build(nAdj) { (a: Int) -> ExchangeRate? in rate(adj.currency[a], adj.date[a]) }
        let aBase: [Int64] = Timeline.build(nAdj) { (a: Int) -> Int64 in
            Timeline.convert(adj.amount[a], aRate[a], adj.currency[a].minorDigits, baseDigits)
        }
        let terms = l.customers.termsDays
        let aDue: [Day] = Timeline.build(nAdj) { (a: Int) -> Day in adj.date[a] + Int(terms[Int(adj.customer[a])]) }
        let aAmount: [Int64] = Timeline.build(nAdj) { (a: Int) -> Int64 in adj.kind[a].isDebit ? adj.amount[a] : 0 }
        let aDigits: [UInt8] = Timeline.build(nAdj) { (a: Int) -> UInt8 in UInt8(adj.currency[a].minorDigits) }
        let aDocBase: [Int64] = Timeline.build(nAdj) { (a: Int) -> Int64 in adj.kind[a].isDebit ? aBase[a] : 0 }
        let aReceivable: [Bool] = adj.kind.map { $0.isDebit }
        docDate = inv.issueDate + adj.date
        docDue = inv.dueDate + aDue
        docAmount = inv.amount + aAmount
        docCustomer = inv.customer + adj.customer
        for a in 0..<nAdj {
            allRate[nInv + a] = aRate[a]
            allDigits[nInv + a] = aDigits[a]
            allBase[nInv + a] = aDocBase[a]
        }
        docRate = allRate
        docForeign = allRate.map { $0 != nil }
        docDigits = allDigits
        docBase = allBase
        isReceivable = [Bool](repeating: true, count: nInv) + aReceivable
        adjRate = aRate; adjBase = aBase
        let pRate: [ExchangeRate?] = Timeline.build(pay.count) { (p: Int) -> ExchangeRate? in
            pay.currency[p] == baseC ? nil : rate(pay.currency[p], pay.receivedDate[p])
        }
        payRate = pRate
        payForeign = pRate.map { $0 != nil }
        payBase = Timeline.build(pay.count) { (p: Int) -> Int64 in
            pRate[p] == nil ? pay.amount[p] : Timeline.convert(pay.amount[p], pRate[p], pay.currency[p].minorDigits, baseDigits)
        }

        // Events, counting-sorted by (day, kind): stable, linear.
        var lo = Int32.max, hi = Int32.min
        for column in [inv.issueDate, adj.date, pay.receivedDate, l.applications.date] {
            column.withUnsafeBufferPointer { p in
                for d in p { lo = min(lo, d.number); hi = max(hi, d.number) }
            }
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
        var deferred: [Int] = []
        for a in 0..<nAdj where adj.kind[a].isCredit && !adj.document[a].isNone && adj.allocated[a] > 0 && l.allocationDate(a) > adj.date[a] {
            deferred.append(a)
        }
        let deferredDates = deferred.map { l.allocationDate($0) }
        var deferredFlags = [Bool](repeating: false, count: nAdj)
        for a in deferred { deferredFlags[a] = true }
        adjDeferred = deferredFlags
        let nApp = l.applications.count
        let total = nInv + nAdj + pay.count + nApp + deferred.count
        let first = lo
        // Counts per (day, kind) bucket, then their running sums: where each bucket starts.
        // (Plain loops over each source: a closure call per event would cost more than the sort.)
        var counts = [Int](repeating: 0, count: span * 5 + 1)
        let debit = adj.kind.map { $0.isDebit ? UInt64(EventKind.document.rawValue) : UInt64(EventKind.credit.rawValue) }
        events = counts.withUnsafeMutableBufferPointer { cp in
            let counts = cp.baseAddress!
            @inline(__always) func bucket(_ d: Day, _ k: UInt64) -> Int { Int(d.number - first) * 5 + Int(k) }
            inv.issueDate.withUnsafeBufferPointer { p in for d in p { counts[bucket(d, 0) + 1] += 1 } }
            for a in 0..<nAdj { counts[bucket(adj.date[a], debit[a]) + 1] += 1 }
            pay.receivedDate.withUnsafeBufferPointer { p in for d in p { counts[bucket(d, 1) + 1] += 1 } }
            l.applications.date.withUnsafeBufferPointer { p in for d in p { counts[bucket(d, 2) + 1] += 1 } }
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
                inv.issueDate.withUnsafeBufferPointer { p in for i in 0..<p.count { put(p[i], 0, i) } }
                for a in 0..<nAdj { put(adj.date[a], debit[a], debit[a] == 0 ? nInv + a : a) }
                pay.receivedDate.withUnsafeBufferPointer { p in for i in 0..<p.count { put(p[i], 1, i) } }
                l.applications.date.withUnsafeBufferPointer { p in for i in 0..<p.count { put(p[i], 2, i) } }
                for (k, a) in deferred.enumerated() { put(deferredDates[k], 4, a) }
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
