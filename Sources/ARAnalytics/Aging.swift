import ARModel

public enum AgingBasis: String, CaseIterable, Sendable { case due, issue }

/// One line of an aging report: open balances by bucket, unapplied cash and unallocated
/// credit (negative), and the total (= net AR of the group).
public struct AgingRow: Sendable, Equatable {
    public let group: String
    public var buckets: [Int64]
    public var unapplied: Int64
    public var total: Int64 { buckets.reduce(0, +) + unapplied }

    public init(group: String, buckets: [Int64], unapplied: Int64) {
        self.group = group
        self.buckets = buckets
        self.unapplied = unapplied
    }
}

/// An open item behind the aging (`--detail`): a document's open balance, or unapplied cash
/// or unallocated credit as a negative item.
public struct AgingItem: Sendable {
    public let group: String
    public let customer: String
    public let document: String
    public let kind: String
    public let date: Day
    public let due: Day?
    public let daysPastDue: Int?
    /// Bucket index, or nil for unapplied cash and unallocated credit.
    public let bucket: Int?
    /// Base currency.
    public let amount: Int64
    public let currency: Currency
    public let localAmount: Int64
}

public struct AgingReport: Sendable {
    public let asOf: Day
    public let basis: AgingBasis
    public let currency: Currency
    public let labels: [String]
    public let dimension: Dimension
    public let rows: [AgingRow]
    public let total: AgingRow
    public let items: [AgingItem]
    /// Net AR from the sweep's running totals: the total must equal it to the cent.
    public let netAR: Int64

    public init(asOf: Day, basis: AgingBasis, currency: Currency, labels: [String], dimension: Dimension, rows: [AgingRow],
                total: AgingRow, items: [AgingItem], netAR: Int64) {
        self.asOf = asOf; self.basis = basis; self.currency = currency; self.labels = labels; self.dimension = dimension
        self.rows = rows; self.total = total; self.items = items; self.netAR = netAR
    }
}

/// Aged receivables as of any date: every document's balance as it stood at the end of that
/// day (later payments and credits do not exist yet), in base currency at its own rate.
///
/// Conventions, as options (the defaults are metrics.md's):
/// - `edges`: the buckets' upper edges in days (arlens.yml `aging_buckets`, default 30/60/90/120).
/// - `firstBucketFromZero`: no `current` column; the first bucket runs from zero (and holds
///   what is not yet due), so an invoice due today is in `0-30`: ERPNext's Accounts Receivable
///   layout (its range1 is "0-30", age = report date − due date, not-yet-due included).
///   Default off: an invoice is `current` on its due date and `1-30` the day after.
/// - `ageUnappliedByDate`: unapplied cash and unallocated credit are aged by their own date
///   (a payment by its received date, a credit by its date) into the same buckets as negative
///   amounts, as ERPNext and Odoo show unallocated payments and credit notes, instead of one
///   `unapplied` column. Every row's total (the party's net AR) is the same either way.
///
/// Odoo Community's aged partner balance (the `report.account.report_agedpartnerbalance`
/// model of v10–v12) is not copied: it builds each period as a date window of
/// `period_length + 1` days counted back from the report date, so with a 30-day length its
/// columns hold 0–30, 31–61, 62–92, 93–123 and 124+ days past due (each edge one day later
/// than the one before), with items not yet due in a column of their own. ARLens's edges are
/// exactly the ones given (1–30, 31–60, 61–90, 91–120, 121+), so an item 61 days past due is
/// in 61-90 here and in Odoo's 30-60 column; an item due on the report date is `current` here
/// and in Odoo's 0-30 (`firstBucketFromZero` reproduces that first column).
public enum Aging {
    public static func labels(_ edges: [Int], basis: AgingBasis, firstBucketFromZero: Bool = false) -> [String] {
        var out: [String] = []
        let withCurrent = basis == .due && !firstBucketFromZero
        var lo = withCurrent ? 1 : 0
        if withCurrent { out.append("current") }
        for e in edges {
            out.append("\(lo)-\(e)")
            lo = e + 1
        }
        out.append("\(lo)+")
        return out
    }

    /// The bucket of a document `days` past due (or since issue).
    @inline(__always)
    public static func bucket(_ days: Int, _ edges: [Int], basis: AgingBasis, firstBucketFromZero: Bool = false) -> Int {
        let withCurrent = basis == .due && !firstBucketFromZero
        if withCurrent && days <= 0 { return 0 }
        let offset = withCurrent ? 1 : 0
        for (i, e) in edges.enumerated() where days <= e { return i + offset }
        return edges.count + offset
    }

    public static func compute(_ t: Timeline, asOf: Day, basis: AgingBasis = .due, edges: [Int] = [30, 60, 90, 120],
                               by dimension: Dimension = .customer, detail: Bool = false,
                               firstBucketFromZero: Bool = false, ageUnappliedByDate: Bool = false) -> AgingReport {
        let l = t.ledger
        let grouping = Grouping(l, by: dimension)
        let labels = Aging.labels(edges, basis: basis, firstBucketFromZero: firstBucketFromZero)
        var rows = grouping.keys.map { AgingRow(group: $0, buckets: [Int64](repeating: 0, count: labels.count), unapplied: 0) }
        // Balances at one date: no sweep through the events (see `OpenBalances`).
        let sweep = OpenBalances(t, customerGroup: grouping.customerGroup, groupCount: grouping.count, asOf: asOf)
        var items: [AgingItem] = []
        let baseDigits = t.base.minorDigits
        // The open items in the sweep's order, as they were listed before (sums do not care).
        let open = detail ? sweep.inSweepOrder(t) : sweep.open
        if detail {
            for s32 in open {
                let s = Int(s32)
                let c = Int(t.docCustomer[s])
                let g = Int(grouping.customerGroup[c])
                let v = t.docBase(s, open: sweep.docOpen[s])
                let days = basis == .due ? asOf - t.docDue[s] : asOf - t.docDate[s]
                let b = bucket(days, edges, basis: basis, firstBucketFromZero: firstBucketFromZero)
                rows[g].buckets[b] += v
                let isInvoice = s < t.invoiceCount
                let kind = isInvoice ? "invoice" : l.adjustments.kind[s - t.invoiceCount].name
                let doc = isInvoice ? l.invoices.ids[Int32(s)] : l.adjustments.ids[Int32(s - t.invoiceCount)]
                let cur = isInvoice ? l.invoices.currency[s] : l.adjustments.currency[s - t.invoiceCount]
                items.append(AgingItem(group: grouping.keys[g], customer: l.customers.ids[Int32(c)], document: doc, kind: kind,
                                       date: t.docDate[s], due: t.docDue[s], daysPastDue: asOf - t.docDue[s], bucket: b,
                                       amount: v, currency: cur, localAmount: sweep.docOpen[s]))
            }
        } else {
            // The buckets of every group, flat (group g's at g * nb ..< (g + 1) * nb), then into the rows.
            let nb = labels.count
            var sums = [Int64](repeating: 0, count: grouping.count * nb)
            let docCustomer = t.docCustomer, groupOf = grouping.customerGroup, docRate = t.docRate, docDigits = t.docDigits
            let from = basis == .due ? t.docDue : t.docDate
            let digits = t.base.minorDigits
            sweep.docOpen.withUnsafeBufferPointer { docOpen in
                sums.withUnsafeMutableBufferPointer { sums in
                    for s32 in open {
                        let s = Int(s32)
                        var v = docOpen[s]
                        if docRate.isForeign(s), let r = docRate[s] { v = r.convert(v, fromDigits: Int(docDigits[s]), toDigits: digits) }
                        let b = bucket(asOf - from[s], edges, basis: basis, firstBucketFromZero: firstBucketFromZero)
                        sums[Int(groupOf[Int(docCustomer[s])]) * nb + b] += v
                    }
                }
            }
            for g in 0..<grouping.count where sums[(g * nb)..<((g + 1) * nb)].contains(where: { $0 != 0 }) {
                rows[g].buckets = Array(sums[(g * nb)..<((g + 1) * nb)])
            }
        }
        for g in 0..<grouping.count { rows[g].unapplied = -(sweep.unapplied[g] + sweep.unallocated[g]) }
        // Groups whose unapplied cash or credit was aged into the buckets: shown even when the
        // buckets then net to zero (an invoice and its unreconciled payment), as in the default layout.
        var aged = [Bool](repeating: false, count: grouping.count)
        if detail || ageUnappliedByDate {
            // Each payment's unapplied part and each credit's unallocated part, at its own rate:
            // per group these sum exactly to the sweep's running totals (each is the running
            // conversion of what is left), so moving them into buckets keeps every total.
            func place(_ c: Int, _ document: String, _ kind: String, _ date: Day, _ cur: Currency, _ local: Int64, _ rate: ExchangeRate?) {
                let g = Int(grouping.customerGroup[c])
                let amount = -Timeline.convert(local, rate, cur.minorDigits, baseDigits)
                var b: Int? = nil
                if ageUnappliedByDate {
                    let k = bucket(asOf - date, edges, basis: basis, firstBucketFromZero: firstBucketFromZero)
                    rows[g].buckets[k] += amount
                    rows[g].unapplied -= amount
                    b = k
                    aged[g] = true
                }
                if detail {
                    items.append(AgingItem(group: grouping.keys[g], customer: l.customers.ids[Int32(c)], document: document,
                                           kind: kind, date: date, due: nil, daysPastDue: nil, bucket: b, amount: amount,
                                           currency: cur, localAmount: -local))
                }
            }
            for p in sweep.unappliedPayments() {
                place(Int(l.payments.customer[p]), l.payments.ids[Int32(p)], "unapplied_cash", l.payments.receivedDate[p],
                      l.payments.currency[p], sweep.payUnapplied[p], t.payRate[p])
            }
            for a in sweep.unallocatedCredits() {
                place(Int(l.adjustments.customer[a]), l.adjustments.ids[Int32(a)], "unallocated_credit", l.adjustments.date[a],
                      l.adjustments.currency[a], sweep.creditUnallocated[a], t.adjRate[a])
            }
            if detail { items.sort { ($0.group, $0.date, $0.document) < ($1.group, $1.date, $1.document) } }
        }
        var total = AgingRow(group: "total", buckets: [Int64](repeating: 0, count: labels.count), unapplied: 0)
        for r in rows {
            for b in 0..<labels.count { total.buckets[b] += r.buckets[b] }
            total.unapplied += r.unapplied
        }
        let shown = rows.indices.filter { g in aged[g] || rows[g].unapplied != 0 || rows[g].buckets.contains { $0 != 0 } }.map { rows[$0] }
        return AgingReport(asOf: asOf, basis: basis, currency: t.base, labels: labels, dimension: dimension, rows: shown,
                           total: total, items: items, netAR: sweep.netAR())
    }
}

extension AgingReport {
    /// The invariant: for every group and the total, buckets + unapplied = net AR, and the
    /// total equals the sweep's running net AR. Nil when it holds, else what broke.
    public func checkInvariants() -> String? {
        var sum = AgingRow(group: "sum", buckets: [Int64](repeating: 0, count: labels.count), unapplied: 0)
        for r in rows {
            for b in 0..<labels.count { sum.buckets[b] += r.buckets[b] }
            sum.unapplied += r.unapplied
        }
        if sum != AgingRow(group: "sum", buckets: total.buckets, unapplied: total.unapplied) { return "rows do not sum to the total" }
        if total.total != netAR { return "aging total \(total.total) != net AR \(netAR)" }
        return nil
    }
}

/// The balances at the end of one day, as `BalanceSweep` holds them once advanced to that
/// day, found without walking the events in date order.
///
/// At a single date only *which* events count matters, not their order: a document's open
/// balance is its amount less the applications and credit allocations dated on or before the
/// day, and a group's gross AR, unapplied cash and unallocated credit are sums over documents,
/// payments and credits of the value of what each has left (the sweep's running totals
/// telescope to exactly those sums, in integer minor units). So each table is read once, in
/// its own order, with no sort and no per-event bookkeeping.
struct OpenBalances {
    /// By slot: the open local balance (documents dated after the day are untouched).
    var docOpen: [Int64]
    /// By payment and by credit: what is left (zero when dated after the day).
    var payUnapplied: [Int64]
    var creditUnallocated: [Int64]
    /// Receivable documents dated on or before the day with a balance, by ascending slot
    /// (`inSweepOrder` gives the sweep's order: by date, then slot).
    var open: [Int32]
    /// Per group, base currency.
    var gross: [Int64]
    var unapplied: [Int64]
    var unallocated: [Int64]

    init(_ t: Timeline, customerGroup: [Int32], groupCount: Int, asOf: Day) {
        let l = t.ledger
        let inv = t.invoiceCount
        let baseDigits = t.base.minorDigits
        let pay = l.payments, app = l.applications, adj = l.adjustments
        var docOpen = t.docAmount
        var payLeft = [Int64](repeating: 0, count: pay.count)
        var creditLeft = [Int64](repeating: 0, count: adj.count)
        var gross = [Int64](repeating: 0, count: groupCount), unapplied = gross, unallocated = gross
        var open: [Int32] = []
        let day = asOf.number
        @inline(__always) func slot(_ raw: Int32) -> Int { raw >= 0 ? Int(raw) : inv + Int(-(Int64(raw) + 1)) }
        docOpen.withUnsafeMutableBufferPointer { docOpen in
        payLeft.withUnsafeMutableBufferPointer { payLeft in
        pay.receivedDate.withUnsafeBufferPointer { received in
        pay.amount.withUnsafeBufferPointer { amount in
            for p in 0..<received.count where received[p].number <= day { payLeft[p] = amount[p] }
        } }
        // Applications (each dated on or after its payment and its document: settled).
        app.date.withUnsafeBufferPointer { date in
        app.amount.withUnsafeBufferPointer { amount in
        app.payment.withUnsafeBufferPointer { payment in
        app.document.withUnsafeBufferPointer { document in
            for k in 0..<date.count where date[k].number <= day {
                let a = amount[k]
                docOpen[slot(document[k].raw)] -= a
                payLeft[Int(payment[k])] -= a
            }
        } } } }
        } }
        // Credits: allocated on their date, or, dated before their document, on the document's.
        for a in 0..<adj.count where !adj.kind[a].isDebit && adj.date[a].number <= day {
            let deferred = t.allocationDeferred(a)
            var rest = adj.amount[a]
            if !deferred {
                rest -= adj.allocated[a]
                if !adj.document[a].isNone && adj.allocated[a] > 0 { docOpen[t.slot(adj.document[a])] -= adj.allocated[a] }
            } else if l.allocationDate(a).number <= day {
                rest -= adj.allocated[a]
                docOpen[t.slot(adj.document[a])] -= adj.allocated[a]
            }
            creditLeft[a] = rest
            unallocated[Int(customerGroup[Int(adj.customer[a])])] += Timeline.convert(rest, t.adjRate[a], adj.currency[a].minorDigits, baseDigits)
        }
        // The open documents and each group's gross AR at their own rates.
        docOpen.withUnsafeBufferPointer { docOpen in
        t.docDate.withUnsafeBufferPointer { docDate in
        t.isReceivable.withUnsafeBufferPointer { receivable in
        t.docCustomer.withUnsafeBufferPointer { docCustomer in
        customerGroup.withUnsafeBufferPointer { group in
            for s in 0..<docOpen.count where docOpen[s] != 0 && receivable[s] && docDate[s].number <= day {
                open.append(Int32(s))
                var v = docOpen[s]
                if t.docRate.isForeign(s), let r = t.docRate[s] { v = r.convert(v, fromDigits: Int(t.docDigits[s]), toDigits: baseDigits) }
                gross[Int(group[Int(docCustomer[s])])] += v
            }
        } } } } }
        // Unapplied cash at each payment's rate.
        payLeft.withUnsafeBufferPointer { payLeft in
        pay.customer.withUnsafeBufferPointer { customer in
            for p in 0..<payLeft.count where payLeft[p] != 0 {
                var v = payLeft[p]
                if let r = t.payRate[p] { v = r.convert(v, fromDigits: pay.currency[p].minorDigits, toDigits: baseDigits) }
                unapplied[Int(customerGroup[Int(customer[p])])] += v
            }
        } }
        self.docOpen = docOpen; payUnapplied = payLeft; creditUnallocated = creditLeft
        self.open = open; self.gross = gross; self.unapplied = unapplied; self.unallocated = unallocated
    }

    /// `open` in the order the sweep opens documents: by date, then by slot within a date.
    func inSweepOrder(_ t: Timeline) -> [Int32] {
        open.sorted { a, b in
            let da = t.docDate[Int(a)], db = t.docDate[Int(b)]
            return da != db ? da < db : a < b
        }
    }

    /// Net AR of all groups.
    func netAR() -> Int64 { gross.reduce(0, +) - unapplied.reduce(0, +) - unallocated.reduce(0, +) }

    func unappliedPayments() -> [Int] { (0..<payUnapplied.count).filter { payUnapplied[$0] != 0 } }

    func unallocatedCredits() -> [Int] { (0..<creditUnallocated.count).filter { creditUnallocated[$0] != 0 } }
}
