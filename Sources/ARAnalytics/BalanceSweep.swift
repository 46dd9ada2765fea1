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
    /// The day each document's balance reached zero (`Int32.max` while open).
    public private(set) var settleDay: [Int32]
    /// At least one payment application reached the document.
    public private(set) var hasApplication: [Bool]
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
    }

    public init(_ t: Timeline, customerGroup: [Int32], groupCount: Int, months: MonthRange) {
        timeline = t
        self.customerGroup = customerGroup
        self.groupCount = groupCount
        self.months = months
        docOpen = .init(repeating: 0, count: t.slotCount)
        payUnapplied = .init(repeating: 0, count: t.ledger.payments.count)
        creditUnallocated = .init(repeating: 0, count: t.ledger.adjustments.count)
        settleDay = .init(repeating: Int32.max, count: t.slotCount)
        hasApplication = .init(repeating: false, count: t.slotCount)
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
        let l = t.ledger
        let ev = t.events
        let limit = UInt64(max(0, Int(day.number) - Int(t.firstDay.number) + 1)) << 32
        let baseDigits = t.base.minorDigits
        // The state lives in locals during the loop (moved out, so each is uniquely held):
        // writing through `self` checks every array for uniqueness on every event.
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
        while cursor < ev.count && ev[cursor] < limit {
            let e = ev[cursor]
            cursor += 1
            let d = t.firstDay + Int(e >> 32)
            let index = Int(e & 0x1FFF_FFFF)
            let m = months.index(of: d)
            switch (e >> 29) & 7 {
            case 0:  // a receivable document
                let slot = index
                let g = Int(customerGroup[Int(t.docCustomer[slot])])
                docOpen[slot] = t.docAmount[slot]
                gross[g] += t.docBase[slot]
                openSlots.append(Int32(slot))
                if let m {
                    let k = g * months.count + m
                    if slot < t.invoiceCount {
                        flows.invoices[k] += t.docBase[slot]
                        flows.invoicesIssued[k] += 1
                    } else if l.adjustments.kind[slot - t.invoiceCount] == .lateFee {
                        flows.lateFees[k] += t.docBase[slot]
                    } else {
                        flows.debitMemos[k] += t.docBase[slot]
                    }
                }
                if docOpen[slot] == 0 { settleDay[slot] = d.number }
            case 1:  // cash received
                let g = Int(customerGroup[Int(l.payments.customer[index])])
                payUnapplied[index] = l.payments.amount[index]
                unapplied[g] += t.payBase[index]
                if let m { flows.collections[g * months.count + m] += t.payBase[index] }
            case 2:  // cash applied to a document
                let a = l.applications.amount[index]
                if a == 0 { continue }
                let p = Int(l.applications.payment[index])
                let slot = t.slot(l.applications.document[index])
                let gd = Int(customerGroup[Int(t.docCustomer[slot])])
                let gp = Int(customerGroup[Int(l.payments.customer[p])])
                let before = t.docBase(slot, open: docOpen[slot])
                docOpen[slot] -= a
                let after = t.docBase(slot, open: docOpen[slot])
                gross[gd] += after - before
                let pr = t.payRate[p]
                let digits = l.payments.currency[p].minorDigits
                let ub = Timeline.convert(payUnapplied[p], pr, digits, baseDigits)
                payUnapplied[p] -= a
                let ua = Timeline.convert(payUnapplied[p], pr, digits, baseDigits)
                unapplied[gp] += ua - ub
                // Nominally an application moves nothing; any change of net AR is FX.
                if let m {
                    if gd == gp {
                        let dAR = (after - before) - (ua - ub)
                        if dAR != 0 { flows.fx[gd * months.count + m] += dAR }
                    } else {
                        flows.transfers[gd * months.count + m] += after - before
                        flows.transfers[gp * months.count + m] -= ua - ub
                    }
                }
                hasApplication[slot] = true
                if docOpen[slot] == 0 && settleDay[slot] == Int32.max { settleDay[slot] = d.number }
            case 3:  // a credit memo or write-off
                let adj = l.adjustments
                let g = Int(customerGroup[Int(adj.customer[index])])
                var dGross: Int64 = 0
                var gd = g
                // Dated before its document: all of it is unallocated until the document's date.
                let deferred = t.allocationDeferred(index)
                if !deferred && !adj.document[index].isNone && adj.allocated[index] > 0 {
                    let slot = t.slot(adj.document[index])
                    gd = Int(customerGroup[Int(t.docCustomer[slot])])
                    let before = t.docBase(slot, open: docOpen[slot])
                    docOpen[slot] -= adj.allocated[index]
                    let after = t.docBase(slot, open: docOpen[slot])
                    gross[gd] += after - before
                    dGross = after - before
                    if docOpen[slot] == 0 && settleDay[slot] == Int32.max { settleDay[slot] = d.number }
                }
                let rest = adj.amount[index] - (deferred ? 0 : adj.allocated[index])
                creditUnallocated[index] = rest
                let restBase = Timeline.convert(rest, t.adjRate[index], adj.currency[index].minorDigits, baseDigits)
                unallocated[g] += restBase
                if let m {
                    let k = g * months.count + m
                    let nominal = t.adjBase[index]
                    if adj.kind[index] == .writeOff { flows.writeOffs[k] += nominal } else { flows.creditMemos[k] += nominal }
                    // Net AR moved by dGross - restBase; nominally by -nominal.
                    if gd == g {
                        let extra = dGross - restBase + nominal
                        if extra != 0 { flows.fx[k] += extra }
                    } else {
                        flows.transfers[gd * months.count + m] += dGross
                        flows.transfers[k] += nominal - restBase
                    }
                }
            default:  // the allocation of a credit dated before its document, on the document's date
                let adj = l.adjustments
                let a = adj.allocated[index]
                let slot = t.slot(adj.document[index])
                let g = Int(customerGroup[Int(adj.customer[index])])
                let gd = Int(customerGroup[Int(t.docCustomer[slot])])
                let before = t.docBase(slot, open: docOpen[slot])
                docOpen[slot] -= a
                let after = t.docBase(slot, open: docOpen[slot])
                gross[gd] += after - before
                let rate = t.adjRate[index]
                let digits = adj.currency[index].minorDigits
                let ub = Timeline.convert(creditUnallocated[index], rate, digits, baseDigits)
                creditUnallocated[index] -= a
                let ua = Timeline.convert(creditUnallocated[index], rate, digits, baseDigits)
                unallocated[g] += ua - ub
                // Like an application: nominally nothing moves; any change of net AR is FX.
                if let m {
                    if gd == g {
                        let dAR = (after - before) - (ua - ub)
                        if dAR != 0 { flows.fx[gd * months.count + m] += dAR }
                    } else {
                        flows.transfers[gd * months.count + m] += after - before
                        flows.transfers[g * months.count + m] -= ua - ub
                    }
                }
                if docOpen[slot] == 0 && settleDay[slot] == Int32.max { settleDay[slot] = d.number }
            }
        }
    }

    /// The documents open at the current day, with their open local balance.
    public mutating func openDocuments() -> [Int32] {
        openSlots.removeAll { docOpen[Int($0)] == 0 }
        return openSlots
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

/// A contiguous run of months, with O(1) day -> month lookup.
public struct MonthRange: Sendable, Equatable {
    public let first: YearMonth
    public let count: Int
    private let firstDay: Day
    private let dayToMonth: [Int16]

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
