import ARModel

/// Walks a `Timeline` forward in time, keeping every document's open balance, every payment's
/// unapplied cash and every credit's unallocated part, in their own currencies, plus running
/// base-currency totals per group. Advance it to a day and read the state as of the end of
/// that day; advance again to a later day. One pass answers any number of month-ends.
///
/// It also books the period flows (billings, collections, credits, write-offs) and the FX
/// difference of every application and credit, per month and group, so that the roll-forward
/// reconciles: the FX line is measured event by event, not taken as a remainder.
public struct BalanceSweep {
    public let timeline: Timeline
    /// Group of each customer; `groupCount` groups.
    public let customerGroup: [Int32]
    public let groupCount: Int
    public let months: MonthRange

    public private(set) var docOpen: [Int64]
    public private(set) var payUnapplied: [Int64]
    public private(set) var creditUnallocated: [Int64]
    /// The day each document's balance reached zero (`Int32.max` while open); empty unless
    /// `tracksSettlement`.
    public private(set) var settleDay: [Int32]
    /// At least one payment application reached the document; empty unless `tracksSettlement`.
    public private(set) var hasApplication: [Bool]
    /// The sweep keeps `settleDay` and `hasApplication`.
    public let tracksSettlement: Bool
    /// Slots that may be open; closed ones are dropped when `openDocuments` is read.
    private var openSlots: [Int32] = []

    /// Running totals per group, base currency.
    public private(set) var gross: [Int64]
    public private(set) var unapplied: [Int64]
    public private(set) var unallocated: [Int64]

    public private(set) var flows: Flows
    private var cursor = 0
    public private(set) var through: Day

    /// Per group and month (index `group * months.count + month`), base minor units.
    public struct Flows: Sendable {
        public var invoices: [Int64]
        public var debitMemos: [Int64]
        public var lateFees: [Int64]
        public var collections: [Int64]
        public var creditMemos: [Int64]
        public var writeOffs: [Int64]
        /// FX and rounding: how much an application or credit moved net AR beyond its nominal value.
        public var fx: [Int64]
        /// Cash or credit of one group settling another group's document (one customer's payment
        /// applied to another's invoice): it moves both groups' AR and nets to FX in the total.
        public var transfers: [Int64]
        public var invoicesIssued: [Int32]

        init(_ n: Int) {
            invoices = .init(repeating: 0, count: n); debitMemos = invoices; lateFees = invoices
            collections = invoices; creditMemos = invoices; writeOffs = invoices; fx = invoices; transfers = invoices
            invoicesIssued = .init(repeating: 0, count: n)
        }

        /// Billings: invoices, debit memos and late fees.
        public func billings(_ k: Int) -> Int64 { invoices[k] + debitMemos[k] + lateFees[k] }

        /// The flows as pointers, for the length of one `advance`.
        struct Pointers {
            let invoices, debitMemos, lateFees, collections, creditMemos, writeOffs, fx, transfers: UnsafeMutablePointer<Int64>
            let invoicesIssued: UnsafeMutablePointer<Int32>
        }

        mutating func withPointers<R>(_ body: (Pointers) -> R) -> R {
            invoices.withUnsafeMutableBufferPointer { (a) -> R in
            debitMemos.withUnsafeMutableBufferPointer { (b) -> R in
            lateFees.withUnsafeMutableBufferPointer { (c) -> R in
            collections.withUnsafeMutableBufferPointer { (d) -> R in
            creditMemos.withUnsafeMutableBufferPointer { (e) -> R in
            writeOffs.withUnsafeMutableBufferPointer { (f) -> R in
            fx.withUnsafeMutableBufferPointer { (g) -> R in
            transfers.withUnsafeMutableBufferPointer { (h) -> R in
            invoicesIssued.withUnsafeMutableBufferPointer { (i) -> R in
                body(Pointers(invoices: base(a), debitMemos: base(b), lateFees: base(c), collections: base(d), creditMemos: base(e),
                              writeOffs: base(f), fx: base(g), transfers: base(h), invoicesIssued: base(i)))
            } } } } } } } } }
        }
    }

    /// A sweep before the first event. `settlement`: keep each document's settle day and
    /// whether a payment reached it (a caller that reads neither saves 5 bytes a document).
    public init(_ t: Timeline, customerGroup: [Int32], groupCount: Int, months: MonthRange, settlement: Bool = true) {
        timeline = t
        self.customerGroup = customerGroup
        self.groupCount = groupCount
        self.months = months
        docOpen = .init(repeating: 0, count: t.slotCount)
        payUnapplied = .init(repeating: 0, count: t.ledger.payments.count)
        creditUnallocated = .init(repeating: 0, count: t.ledger.adjustments.count)
        tracksSettlement = settlement
        settleDay = settlement ? .init(repeating: Int32.max, count: t.slotCount) : []
        hasApplication = settlement ? .init(repeating: false, count: t.slotCount) : []
        // Every receivable document is opened once: room for all, made once.
        openSlots.reserveCapacity(t.slotCount)
        gross = .init(repeating: 0, count: groupCount)
        unapplied = gross
        unallocated = gross
        flows = Flows(groupCount * months.count)
        through = Day(number: Int32.min / 2)   // before everything
    }

    /// Net AR of a group (or of all when `group` is nil) at the current day.
    public func netAR(_ group: Int? = nil) -> Int64 {
        if let g = group { return gross[g] - unapplied[g] - unallocated[g] }
        return gross.reduce(0, +) - unapplied.reduce(0, +) - unallocated.reduce(0, +)
    }

    /// Processes every event dated on or before `day`.
    public mutating func advance(through day: Day) {
        precondition(day >= through, "the sweep only moves forward")
        through = day
        let t = timeline
        let limit = UInt64(max(0, Int(day.number) - Int(t.firstDay.number) + 1)) << 32
        guard cursor < t.events.count && t.events[cursor] < limit else { return }
        // The state lives in locals during the loop (moved out, so each is uniquely held) and
        // is written through pointers: no uniqueness check per event.
        var docOpen = self.docOpen, payUnapplied = self.payUnapplied, creditUnallocated = self.creditUnallocated
        var settleDay = self.settleDay, hasApplication = self.hasApplication, openSlots = self.openSlots
        var gross = self.gross, unapplied = self.unapplied, unallocated = self.unallocated
        var flows = self.flows, cursor = self.cursor
        self.docOpen = []; self.payUnapplied = []; self.creditUnallocated = []; self.settleDay = []
        self.hasApplication = []; self.openSlots = []; self.gross = []; self.unapplied = []; self.unallocated = []
        self.flows = Flows(0)
        defer {
            self.docOpen = docOpen; self.payUnapplied = payUnapplied; self.creditUnallocated = creditUnallocated
            self.settleDay = settleDay; self.hasApplication = hasApplication; self.openSlots = openSlots
            self.gross = gross; self.unapplied = unapplied; self.unallocated = unallocated
            self.flows = flows; self.cursor = cursor
        }
        let months = self.months, customerGroup = self.customerGroup
        docOpen.withUnsafeMutableBufferPointer { (docOpen) -> Void in
        payUnapplied.withUnsafeMutableBufferPointer { (payUnapplied) -> Void in
        creditUnallocated.withUnsafeMutableBufferPointer { (creditUnallocated) -> Void in
        settleDay.withUnsafeMutableBufferPointer { (settleDay) -> Void in
        hasApplication.withUnsafeMutableBufferPointer { (hasApplication) -> Void in
        gross.withUnsafeMutableBufferPointer { (gross) -> Void in
        unapplied.withUnsafeMutableBufferPointer { (unapplied) -> Void in
        unallocated.withUnsafeMutableBufferPointer { (unallocated) -> Void in
        flows.withPointers { (flows) -> Void in
            cursor = BalanceSweep.run(t, from: cursor, limit: limit, months: months, customerGroup: customerGroup,
                                      State(docOpen: docOpen, payUnapplied: payUnapplied, creditUnallocated: creditUnallocated,
                                            settleDay: settleDay, hasApplication: hasApplication, gross: gross,
                                            unapplied: unapplied, unallocated: unallocated, flows: flows,
                                            tracksSettlement: tracksSettlement),
                                      openSlots: &openSlots)
        } } } } } } } } }
    }

    /// The sweep's state, as pointers into its arrays for the length of one `advance`.
    struct State {
        let docOpen: UnsafeMutableBufferPointer<Int64>
        let payUnapplied: UnsafeMutableBufferPointer<Int64>
        let creditUnallocated: UnsafeMutableBufferPointer<Int64>
        let settleDay: UnsafeMutableBufferPointer<Int32>
        let hasApplication: UnsafeMutableBufferPointer<Bool>
        let gross: UnsafeMutableBufferPointer<Int64>
        let unapplied: UnsafeMutableBufferPointer<Int64>
        let unallocated: UnsafeMutableBufferPointer<Int64>
        let flows: Flows.Pointers
        /// `settleDay` and `hasApplication` are kept (else they are empty).
        let tracksSettlement: Bool
    }

    /// The columns the loop reads, as pointers, for the length of one `advance`.
    struct Reads {
        let ev: UnsafePointer<UInt64>
        let docCustomer: UnsafePointer<Int32>, docAmount: UnsafePointer<Int64>, docBase: UnsafePointer<Int64>
        /// Rate references (`RateColumn`, 0: base currency) into `rates`.
        let docRate: UnsafePointer<UInt32>, docDigits: UnsafePointer<UInt8>, rates: UnsafePointer<ExchangeRate>
        let group: UnsafePointer<Int32>
        let payCustomer: UnsafePointer<Int32>, payAmount: UnsafePointer<Int64>, payBase: UnsafePointer<Int64>
        let payRate: UnsafePointer<UInt32>, payCurrency: UnsafePointer<Currency>
        let appAmount: UnsafePointer<Int64>, appPayment: UnsafePointer<Int32>, appDocument: UnsafePointer<DocumentRef>
        /// Month index of each day from `monthStart` (the first day of the first month).
        let dayMonth: UnsafePointer<Int16>
        let dayMonthCount: Int
        /// Every customer is in group 0: no customer is looked up.
        let oneGroup: Bool
    }

    /// The events from `cursor` up to `limit` (exclusive); the cursor after them.
    static func run(_ t: Timeline, from start: Int, limit: UInt64, months: MonthRange, customerGroup: [Int32], _ s: State,
                    openSlots: inout [Int32]) -> Int {
        let l = t.ledger, pay = l.payments, app = l.applications
        return t.events.withUnsafeBufferPointer { (ev) -> Int in
        t.docCustomer.withUnsafeBufferPointer { (docCustomer) -> Int in
        t.docAmount.withUnsafeBufferPointer { (docAmount) -> Int in
        t.docBase.withUnsafeBufferPointer { (docBase) -> Int in
        t.docRate.reference.withUnsafeBufferPointer { (docRate) -> Int in
        t.docDigits.withUnsafeBufferPointer { (docDigits) -> Int in
        customerGroup.withUnsafeBufferPointer { (group) -> Int in
        pay.customer.withUnsafeBufferPointer { (payCustomer) -> Int in
        pay.amount.withUnsafeBufferPointer { (payAmount) -> Int in
        t.payBase.withUnsafeBufferPointer { (payBase) -> Int in
        t.payRate.reference.withUnsafeBufferPointer { (payRate) -> Int in
        pay.currency.withUnsafeBufferPointer { (payCurrency) -> Int in
        app.amount.withUnsafeBufferPointer { (appAmount) -> Int in
        app.payment.withUnsafeBufferPointer { (appPayment) -> Int in
        app.document.withUnsafeBufferPointer { (appDocument) -> Int in
        months.dayToMonth.withUnsafeBufferPointer { (dayMonth) -> Int in
        t.rates.withUnsafeBufferPointer { (rates) -> Int in
            let r = Reads(ev: base(ev), docCustomer: base(docCustomer), docAmount: base(docAmount), docBase: base(docBase),
                          docRate: base(docRate), docDigits: base(docDigits), rates: base(rates), group: base(group),
                          payCustomer: base(payCustomer), payAmount: base(payAmount), payBase: base(payBase), payRate: base(payRate),
                          payCurrency: base(payCurrency),
                          appAmount: base(appAmount), appPayment: base(appPayment), appDocument: base(appDocument),
                          dayMonth: base(dayMonth), dayMonthCount: dayMonth.count, oneGroup: group.allSatisfy { $0 == 0 })
            return loop(t, r, from: start, count: ev.count, limit: limit, months: months, s, openSlots: &openSlots)
        } } } } } } } } } } } } } } } } }
    }

    /// The loop of `run`. Every index an event holds, and every reference between rows, was
    /// checked when the ledger was loaded or read from its snapshot (`Ledger.checkSnapshotShape`)
    /// and when the timeline was built, so the columns are read without checks.
    static func loop(_ t: Timeline, _ r: Reads, from start: Int, count: Int, limit: UInt64, months: MonthRange, _ s: State,
                     openSlots: inout [Int32]) -> Int {
        let l = t.ledger
        let baseDigits = t.base.minorDigits
        let invoiceCount = t.invoiceCount
        let adj = l.adjustments, adjRate = t.adjRate, adjBase = t.adjBase
        let nm = months.count
        // Day offset from the timeline's first day to the month table's.
        let shift = Int(t.firstDay.number) - Int(months.first.firstDay.number)
        let docOpen = base(s.docOpen), settleDay = base(s.settleDay), hasApplication = base(s.hasApplication)
        let payUnapplied = base(s.payUnapplied), gross = base(s.gross), unapplied = base(s.unapplied)
        let f = s.flows
        let track = s.tracksSettlement, oneGroup = r.oneGroup
        let ev = r.ev, group = r.group, docCustomer = r.docCustomer, docBase = r.docBase, docRate = r.docRate, docDigits = r.docDigits
        let rates = r.rates
        /// A document's open local balance in base currency, at its own rate.
        @inline(__always) func docValue(_ slot: Int, _ open: Int64) -> Int64 {
            let k = docRate[slot]
            if k == 0 { return open }
            return rates[Int(k &- 1)].convert(open, fromDigits: Int(docDigits[slot]), toDigits: baseDigits)
        }
        @inline(__always) func settled(_ slot: Int, _ d: Int32) {
            if track && docOpen[slot] == 0 && settleDay[slot] == Int32.max { settleDay[slot] = d }
        }
        // How far ahead the loop starts loading what an application will touch: its document's
        // and its payment's state lie anywhere in arrays of a million rows, a cache miss each.
        // Twice as far ahead, the application's own row (applications are not stored in
        // date order), so that its document and payment can be read at `lookahead`.
        let lookahead = 16
        var cursor = start
        while cursor < count && ev[cursor] < limit {
            if cursor + 2 * lookahead < count {
                let far = ev[cursor + 2 * lookahead]
                if (far >> 29) & 7 == 2 {
                    let k = Int(far & 0x1FFF_FFFF)
                    prefetchLine(r.appDocument + k); prefetchLine(r.appPayment + k); prefetchLine(r.appAmount + k)
                }
            }
            if cursor + lookahead < count {
                let next = ev[cursor + lookahead]
                if (next >> 29) & 7 == 2 {
                    let k = Int(next & 0x1FFF_FFFF)
                    let raw = r.appDocument[k].raw
                    let slot = raw >= 0 ? Int(raw) : invoiceCount + Int(-(Int64(raw) + 1))
                    let p = Int(r.appPayment[k])
                    prefetchLine(docOpen + slot); prefetchLine(docRate + slot); prefetchLine(docDigits + slot)
                    prefetchLine(payUnapplied + p); prefetchLine(r.payRate + p); prefetchLine(r.payCurrency + p)
                    if track { prefetchLine(settleDay + slot); prefetchLine(hasApplication + slot) }
                    if !oneGroup { prefetchLine(docCustomer + slot); prefetchLine(r.payCustomer + p) }
                } else if (next >> 29) & 7 == 3 {
                    // A credit allocated to a document: the document's state, likewise.
                    let ref = adj.document[Int(next & 0x1FFF_FFFF)]
                    if !ref.isNone {
                        let slot = t.slot(ref)
                        prefetchLine(docOpen + slot); prefetchLine(docRate + slot); prefetchLine(docDigits + slot)
                        if track { prefetchLine(settleDay + slot) }
                        if !oneGroup { prefetchLine(docCustomer + slot) }
                    }
                }
            }
            let e = ev[cursor]
            cursor += 1
            let offset = Int(e >> 32)
            let dayNumber = t.firstDay.number + Int32(truncatingIfNeeded: offset)
            let index = Int(e & 0x1FFF_FFFF)
            let md = offset + shift
            let m: Int? = md >= 0 && md < r.dayMonthCount ? Int(r.dayMonth[md]) : nil
            switch (e >> 29) & 7 {
            case 0:  // a receivable document
                let slot = index
                let g = oneGroup ? 0 : Int(group[Int(docCustomer[slot])])
                docOpen[slot] = r.docAmount[slot]
                gross[g] += docBase[slot]
                openSlots.append(Int32(slot))
                if let m {
                    let k = g * nm + m
                    if slot < invoiceCount {
                        f.invoices[k] += docBase[slot]
                        f.invoicesIssued[k] += 1
                    } else if adj.kind[slot - invoiceCount] == .lateFee {
                        f.lateFees[k] += docBase[slot]
                    } else {
                        f.debitMemos[k] += docBase[slot]
                    }
                }
                if track && docOpen[slot] == 0 { settleDay[slot] = dayNumber }
            case 1:  // cash received
                let g = oneGroup ? 0 : Int(group[Int(r.payCustomer[index])])
                payUnapplied[index] = r.payAmount[index]
                unapplied[g] += r.payBase[index]
                if let m { f.collections[g * nm + m] += r.payBase[index] }
            case 2:  // cash applied to a document
                let a = r.appAmount[index]
                if a == 0 { continue }
                let p = Int(r.appPayment[index])
                let ref = r.appDocument[index]
                let slot = ref.raw >= 0 ? Int(ref.raw) : invoiceCount + Int(-(ref.raw + 1))
                let gd = oneGroup ? 0 : Int(group[Int(docCustomer[slot])])
                let gp = oneGroup ? 0 : Int(group[Int(r.payCustomer[p])])
                let open = docOpen[slot]
                let before = docValue(slot, open)
                docOpen[slot] = open - a
                let after = docValue(slot, open - a)
                gross[gd] += after - before
                let ub: Int64, ua: Int64
                let left = payUnapplied[p]
                payUnapplied[p] = left - a
                let pk = r.payRate[p]
                if pk != 0 {
                    let pr = rates[Int(pk &- 1)]
                    let digits = r.payCurrency[p].minorDigits
                    ub = pr.convert(left, fromDigits: digits, toDigits: baseDigits)
                    ua = pr.convert(left - a, fromDigits: digits, toDigits: baseDigits)
                } else {
                    ub = left
                    ua = left - a
                }
                unapplied[gp] += ua - ub
                // Nominally an application moves nothing; any change of net AR is FX.
                if let m {
                    if gd == gp {
                        let dAR = (after - before) - (ua - ub)
                        if dAR != 0 { f.fx[gd * nm + m] += dAR }
                    } else {
                        f.transfers[gd * nm + m] += after - before
                        f.transfers[gp * nm + m] -= ua - ub
                    }
                }
                if track { hasApplication[slot] = true }
                settled(slot, dayNumber)
            case 3:  // a credit memo or write-off
                let g = oneGroup ? 0 : Int(group[Int(adj.customer[index])])
                var dGross: Int64 = 0
                var gd = g
                // Dated before its document: all of it is unallocated until the document's date.
                let deferred = t.allocationDeferred(index)
                if !deferred && !adj.document[index].isNone && adj.allocated[index] > 0 {
                    let slot = t.slot(adj.document[index])
                    if !oneGroup { gd = Int(group[Int(docCustomer[slot])]) }
                    let before = docValue(slot, docOpen[slot])
                    docOpen[slot] -= adj.allocated[index]
                    let after = docValue(slot, docOpen[slot])
                    gross[gd] += after - before
                    dGross = after - before
                    settled(slot, dayNumber)
                }
                let rest = adj.amount[index] - (deferred ? 0 : adj.allocated[index])
                s.creditUnallocated[index] = rest
                let restBase = Timeline.convert(rest, adjRate[index], adj.currency[index].minorDigits, baseDigits)
                s.unallocated[g] += restBase
                if let m {
                    let k = g * nm + m
                    let nominal = adjBase[index]
                    if adj.kind[index] == .writeOff { f.writeOffs[k] += nominal } else { f.creditMemos[k] += nominal }
                    // Net AR moved by dGross - restBase; nominally by -nominal.
                    if gd == g {
                        let extra = dGross - restBase + nominal
                        if extra != 0 { f.fx[k] += extra }
                    } else {
                        f.transfers[gd * nm + m] += dGross
                        f.transfers[k] += nominal - restBase
                    }
                }
            default:  // the allocation of a credit dated before its document, on the document's date
                let a = adj.allocated[index]
                let slot = t.slot(adj.document[index])
                let g = oneGroup ? 0 : Int(group[Int(adj.customer[index])])
                let gd = oneGroup ? 0 : Int(group[Int(docCustomer[slot])])
                let before = docValue(slot, docOpen[slot])
                docOpen[slot] -= a
                let after = docValue(slot, docOpen[slot])
                gross[gd] += after - before
                let rate = adjRate[index]
                let digits = adj.currency[index].minorDigits
                let ub = Timeline.convert(s.creditUnallocated[index], rate, digits, baseDigits)
                s.creditUnallocated[index] -= a
                let ua = Timeline.convert(s.creditUnallocated[index], rate, digits, baseDigits)
                s.unallocated[g] += ua - ub
                // Like an application: nominally nothing moves; any change of net AR is FX.
                if let m {
                    if gd == g {
                        let dAR = (after - before) - (ua - ub)
                        if dAR != 0 { f.fx[gd * nm + m] += dAR }
                    } else {
                        f.transfers[gd * nm + m] += after - before
                        f.transfers[g * nm + m] -= ua - ub
                    }
                }
                settled(slot, dayNumber)
            }
        }
        return cursor
    }

    /// The documents open at the current day, with their open local balance.
    public mutating func openDocuments() -> [Int32] {
        var kept = 0
        docOpen.withUnsafeBufferPointer { docOpen in
            openSlots.withUnsafeMutableBufferPointer { slots in
                // Balances a few slots ahead are asked for first: they lie anywhere in the column.
                let ahead = 16
                for i in 0..<slots.count {
                    if i + ahead < slots.count { prefetchLine(base(docOpen) + Int(slots[i + ahead])) }
                    let s = slots[i]
                    if docOpen[Int(s)] != 0 {
                        slots[kept] = s
                        kept += 1
                    }
                }
            }
        }
        openSlots.removeLast(openSlots.count - kept)
        return openSlots
    }

    /// What `openDocuments` does, and in the same pass each group's open documents not yet due
    /// on `end` (due on or after it) at their own rates, added to `current[group * stride + offset]`:
    /// the month-end balance of the DSO and CEI formulas, without a second pass over the
    /// documents. Returns how many documents are open.
    @discardableResult
    public mutating func openDocuments(addingCurrentOn end: Day, to current: inout [Int64], stride: Int, offset: Int) -> Int {
        var kept = 0
        let t = timeline, baseDigits = t.base.minorDigits, endDay = end.number
        docOpen.withUnsafeBufferPointer { docOpen in
        openSlots.withUnsafeMutableBufferPointer { slots in
        current.withUnsafeMutableBufferPointer { current in
        t.docDue.withUnsafeBufferPointer { docDue in
        t.docRate.reference.withUnsafeBufferPointer { docRate in
        t.docCustomer.withUnsafeBufferPointer { docCustomer in
        customerGroup.withUnsafeBufferPointer { group in
            let oneGroup = group.allSatisfy { $0 == 0 }
            let rates = t.rates, digits = t.docDigits
            // A document's rows lie anywhere in the columns: asked for a few documents ahead.
            let ahead = 16
            for i in 0..<slots.count {
                if i + ahead < slots.count {
                    let a = Int(slots[i + ahead])
                    prefetchLine(base(docOpen) + a); prefetchLine(base(docDue) + a); prefetchLine(base(docRate) + a)
                    if !oneGroup { prefetchLine(base(docCustomer) + a) }
                }
                let s32 = slots[i], s = Int(s32)
                var v = docOpen[s]
                if v == 0 { continue }
                slots[kept] = s32
                kept += 1
                if docDue[s].number < endDay { continue }
                let rk = docRate[s]
                if rk != 0 { v = rates[Int(rk &- 1)].convert(v, fromDigits: Int(digits[s]), toDigits: baseDigits) }
                let g = oneGroup ? 0 : Int(group[Int(docCustomer[s])])
                current[g * stride + offset] += v
            }
        } } } } } } }
        openSlots.removeLast(openSlots.count - kept)
        return kept
    }

    /// Payments received so far with cash still unapplied.
    public func unappliedPayments() -> [Int] {
        (0..<payUnapplied.count).filter { payUnapplied[$0] != 0 }
    }

    /// Credits dated so far with a part not allocated to any document.
    public func unallocatedCredits() -> [Int] {
        (0..<creditUnallocated.count).filter { creditUnallocated[$0] != 0 }
    }
}

/// The first element of a buffer; for an empty one, a pointer that is never read (every
/// index into it is out of range, so no event reaches it).
@inline(__always) func base<T>(_ b: UnsafeMutableBufferPointer<T>) -> UnsafeMutablePointer<T> {
    b.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<T>.alignment)!
}

@inline(__always) func base<T>(_ b: UnsafeBufferPointer<T>) -> UnsafePointer<T> {
    b.baseAddress ?? UnsafePointer(bitPattern: MemoryLayout<T>.alignment)!
}

/// A contiguous run of months, with O(1) day -> month lookup.
public struct MonthRange: Sendable, Equatable {
    public let first: YearMonth
    public let count: Int
    let firstDay: Day
    /// The month index of each day from `firstDay` on.
    let dayToMonth: [Int16]

    public init(_ first: YearMonth, _ last: YearMonth) {
        self.first = first
        count = max(0, last.index - first.index + 1)
        firstDay = first.firstDay
        var table: [Int16] = []
        for k in 0..<count {
            let m = first.advanced(by: k)
            table += [Int16](repeating: Int16(k), count: m.dayCount)
        }
        dayToMonth = table
    }

    public var last: YearMonth { first.advanced(by: count - 1) }
    public subscript(k: Int) -> YearMonth { first.advanced(by: k) }
    public var all: [YearMonth] { (0..<count).map { first.advanced(by: $0) } }

    /// The month index of `d`, nil outside the range.
    @inline(__always)
    public func index(of d: Day) -> Int? {
        let k = Int(d.number) - Int(firstDay.number)
        return k >= 0 && k < dayToMonth.count ? Int(dayToMonth[k]) : nil
    }

    public func index(of m: YearMonth) -> Int? {
        let k = m.index - first.index
        return k >= 0 && k < count ? k : nil
    }

    public static func == (l: MonthRange, r: MonthRange) -> Bool { l.first == r.first && l.count == r.count }
}
