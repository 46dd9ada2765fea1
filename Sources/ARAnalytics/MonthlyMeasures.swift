import ARModel

/// Everything the KPIs are made of, per group and month (index `group * months.count + month`):
/// balances at each month-end, the month's flows, and the counts and sums behind the rates and
/// means. Money is exact base-currency minor units; every KPI is a formula over these.
public struct MonthlyMeasures: Sendable {
    public let months: MonthRange
    public let grouping: Grouping
    public let configuration: Configuration
    public let firstDocumentMonth: YearMonth?
    public let baseCurrency: Currency
    /// Cash application ran automatically (no applications.csv): auto_match_rate applies.
    public let autoApplied: Bool

    // Balances at month-end.
    public var gross: [Int64]
    public var net: [Int64]
    public var unappliedCash: [Int64]
    public var current: [Int64]
    public var overdue: [Int64]
    public var over90: [Int64]
    public var openDocuments: [Int32]
    /// Gross AR by aging bucket (configuration edges, days past due) at each month-end:
    /// `agingBuckets[k(g, m)][bucket]`.
    public var agingBuckets: [[Int64]]
    public var openDisputes: [Int32]
    public var customers: [Int32]
    public var customersComplete: [Int32]

    public var flows: BalanceSweep.Flows

    // Invoices settled in the month, paid.
    public var paidCount: [Int32]
    public var onTimeCount: [Int32]
    public var daysToPaySum: [Int64]
    public var daysLateSum: [Int64]
    public var paidAmount: [Int64]
    public var daysToPayWeighted: [Double]
    public var daysLateWeighted: [Double]

    // Counts of the month's events.
    public var processingCount: [Int32]
    public var processingSum: [Int64]
    public var billingErrorCredits: [Int32]
    public var disputesOpened: [Int32]
    public var disputesResolved: [Int32]
    public var disputeDaysSum: [Int64]
    public var postedCount: [Int32]
    public var postingLagSum: [Int64]
    public var paymentsReceived: [Int32]
    public var paymentsAutoMatched: [Int32]
    public var promisesDue: [Int32]
    public var promisesKept: [Int32]

    public var groupCount: Int { grouping.count }
    @inline(__always) public func k(_ g: Int, _ m: Int) -> Int { g * months.count + m }

    /// Measures of zero, to be filled by a caller that aggregated elsewhere (a database
    /// server, `--pushdown`): only what it fills means anything.
    public init(empty months: MonthRange, grouping: Grouping, configuration: Configuration, firstDocumentMonth: YearMonth?,
                baseCurrency: Currency) {
        self.init(zero: months, grouping: grouping, configuration: configuration, firstDocumentMonth: firstDocumentMonth,
                  baseCurrency: baseCurrency, autoApplied: false, flowCount: grouping.count * months.count)
    }

    /// Every measure zero; the flows sized `flowCount` (the sweep fills its own).
    private init(zero months: MonthRange, grouping: Grouping, configuration: Configuration, firstDocumentMonth: YearMonth?,
                 baseCurrency: Currency, autoApplied: Bool, flowCount: Int) {
        self.months = months
        self.grouping = grouping
        self.configuration = configuration
        self.firstDocumentMonth = firstDocumentMonth
        self.baseCurrency = baseCurrency
        self.autoApplied = autoApplied
        let n = grouping.count * months.count
        let zero64 = [Int64](repeating: 0, count: n), zero32 = [Int32](repeating: 0, count: n)
        gross = zero64; net = zero64; unappliedCash = zero64; current = zero64; overdue = zero64; over90 = zero64
        openDocuments = zero32; openDisputes = zero32; customers = zero32; customersComplete = zero32
        agingBuckets = [[Int64]](repeating: [Int64](repeating: 0, count: configuration.agingBuckets.count + 2), count: n)
        paidCount = zero32; onTimeCount = zero32; daysToPaySum = zero64; daysLateSum = zero64; paidAmount = zero64
        daysToPayWeighted = [Double](repeating: 0, count: n); daysLateWeighted = daysToPayWeighted
        processingCount = zero32; processingSum = zero64; billingErrorCredits = zero32
        disputesOpened = zero32; disputesResolved = zero32; disputeDaysSum = zero64
        postedCount = zero32; postingLagSum = zero64; paymentsReceived = zero32; paymentsAutoMatched = zero32
        promisesDue = zero32; promisesKept = zero32
        flows = BalanceSweep.Flows(flowCount)
    }

    /// The measures beside the sweep's balances and flows, which are always made: a caller
    /// that reads only some metrics asks for only what they are made of.
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// Month-end open documents by age: open counts, current, overdue, over 90, aging buckets.
        public static let monthEnd = Parts(rawValue: 1)
        /// Invoices settled and paid: days to pay, days late, on time.
        public static let paid = Parts(rawValue: 2)
        public static let processing = Parts(rawValue: 4)
        public static let billingErrors = Parts(rawValue: 8)
        public static let disputes = Parts(rawValue: 16)
        /// Payments received, auto-matched and posted.
        public static let payments = Parts(rawValue: 32)
        public static let promises = Parts(rawValue: 64)
        public static let contacts = Parts(rawValue: 128)
        /// Month-end balances not yet due (`current`) only: what DSO and CEI read (`monthEnd`
        /// makes them too).
        public static let current = Parts(rawValue: 256)
        public static let all = Parts(rawValue: 511)

        /// What the formulas of `metrics` (`KPIEngine.value`) read.
        public init(_ metrics: [KPI]) {
            var p: Parts = []
            for m in metrics {
                switch m {
                case .ar, .ar_gross, .billings, .collections, .write_offs, .credit_memos, .unapplied_cash, .dso_countback, .turnover,
                     .bad_debt_ratio:
                    break
                case .dso, .bpdso, .add, .cei:
                    p.insert(.current)
                case .overdue, .pct_current, .pct_over_90, .open_invoices, .open_invoices_change:
                    p.insert(.monthEnd)
                case .days_to_pay, .days_to_pay_weighted, .days_late, .days_late_weighted, .on_time_rate:
                    p.insert(.paid)
                case .processing_days: p.insert(.processing)
                case .billing_error_rate: p.insert(.billingErrors)
                case .dispute_rate, .dispute_days, .open_disputes: p.insert(.disputes)
                case .cash_application_lag, .auto_match_rate: p.insert(.payments)
                case .promise_kept_rate: p.insert(.promises)
                case .contact_completeness: p.insert(.contacts)
                }
            }
            self = p
        }
    }

    /// Builds the measures with one sweep over the timeline.
    public init(_ t: Timeline, months: MonthRange, grouping: Grouping, configuration: Configuration,
                autoMatched: [Bool]? = nil, parts: Parts = .all) {
        self.init(zero: months, grouping: grouping, configuration: configuration,
                  firstDocumentMonth: t.firstDocumentMonth, baseCurrency: t.base,
                  autoApplied: autoMatched != nil, flowCount: 0)

        let l = t.ledger
        let group = grouping.customerGroup
        // Settle days are read for paid invoices and for disputes resolved by settlement only.
        var sweep = BalanceSweep(t, customerGroup: group, groupCount: grouping.count, months: months,
                                 settlement: parts.contains(.paid) || parts.contains(.disputes))
        let baseDigits = t.base.minorDigits
        // Month-end balances of the open documents, into flat local arrays through pointers
        // (the buckets of (group, month) x are at x * nb ..< (x + 1) * nb).
        let edges = configuration.agingBuckets, nb = edges.count + 2
        var bucketSums = [Int64](repeating: 0, count: grouping.count * months.count * nb)
        var openCount = openDocuments, cur = current, late = overdue, late90 = over90
        let docCustomer = t.docCustomer, docDue = t.docDue, docRate = t.docRate.reference, docDigits = t.docDigits, rates = t.rates
        // The bucket of every number of days past due from 0 to one past the widest edge
        // (before 0: current, as 0; after the table: the oldest bucket, as its last entry).
        let top = (edges.max() ?? 0) + 1
        let bucketOf = (0...top).map { UInt8(Aging.bucket($0, edges, basis: .due)) }
        for m in 0..<months.count {
            let end = months[m].lastDay
            sweep.advance(through: end)
            for g in 0..<grouping.count {
                let x = k(g, m)
                gross[x] = sweep.gross[g]
                net[x] = sweep.gross[g] - sweep.unapplied[g] - sweep.unallocated[g]
                unappliedCash[x] = sweep.unapplied[g]
            }
            guard parts.contains(.monthEnd) else {
                // Only the balances not yet due: one pass over the open documents.
                if parts.contains(.current) { sweep.openDocuments(addingCurrentOn: end, to: &cur, stride: months.count, offset: m) }
                continue
            }
            let open = sweep.openDocuments()
            let nm = months.count
            sweep.docOpen.withUnsafeBufferPointer { (docOpen) -> Void in
            bucketSums.withUnsafeMutableBufferPointer { (bucketSums) -> Void in
            openCount.withUnsafeMutableBufferPointer { (openCount) -> Void in
            cur.withUnsafeMutableBufferPointer { (cur) -> Void in
            late.withUnsafeMutableBufferPointer { (overdue) -> Void in
            late90.withUnsafeMutableBufferPointer { (over90) -> Void in
            docCustomer.withUnsafeBufferPointer { (docCustomer) -> Void in
            docDue.withUnsafeBufferPointer { (docDue) -> Void in
            docRate.withUnsafeBufferPointer { (docRate) -> Void in
                // The open documents lie anywhere in the columns: each one's rows are asked for
                // a few documents ahead.
                let ahead = 12
                for (i, s32) in open.enumerated() {
                    if i + ahead < open.count {
                        let a = Int(open[i + ahead])
                        prefetchLine(base(docOpen) + a); prefetchLine(base(docCustomer) + a); prefetchLine(base(docDue) + a)
                        prefetchLine(base(docRate) + a)
                    }
                    let s = Int(s32)
                    let g = Int(group[Int(docCustomer[s])])
                    var v = docOpen[s]
                    let rk = docRate[s]
                    if rk != 0 { v = rates[Int(rk &- 1)].convert(v, fromDigits: Int(docDigits[s]), toDigits: baseDigits) }
                    let days = end - docDue[s]
                    let x = g * nm + m
                    openCount[x] += 1
                    bucketSums[x * nb + Int(bucketOf[min(max(days, 0), top)])] += v
                    if days > 0 { overdue[x] += v } else { cur[x] += v }
                    if days > 90 { over90[x] += v }
                }
            } } } } } } } } }
        }
        openDocuments = openCount; current = cur; overdue = late; over90 = late90
        if parts.contains(.monthEnd) {
            for x in 0..<agingBuckets.count { agingBuckets[x] = Array(bucketSums[(x * nb)..<((x + 1) * nb)]) }
        }
        // Anything after the last month still settles documents (for settle dates).
        sweep.advance(through: max(t.lastDay, months.last.lastDay))
        flows = sweep.flows

        // Invoices settled and paid: days to pay, days late, on time.
        // (Into local arrays through pointers: a million invoices, seven sums each.)
        if parts.contains(.paid) {
            var pc = paidCount, otc = onTimeCount, dtps = daysToPaySum, dls = daysLateSum, pa = paidAmount
            var dtpw = daysToPayWeighted, dlw = daysLateWeighted
            let docDate = t.docDate, docBase = t.docBase
            sweep.settleDay.withUnsafeBufferPointer { (settleDay) -> Void in
            sweep.hasApplication.withUnsafeBufferPointer { (hasApplication) -> Void in
            pc.withUnsafeMutableBufferPointer { (paidCount) -> Void in
            otc.withUnsafeMutableBufferPointer { (onTimeCount) -> Void in
            dtps.withUnsafeMutableBufferPointer { (daysToPaySum) -> Void in
            dls.withUnsafeMutableBufferPointer { (daysLateSum) -> Void in
            pa.withUnsafeMutableBufferPointer { (paidAmount) -> Void in
            dtpw.withUnsafeMutableBufferPointer { (daysToPayWeighted) -> Void in
            dlw.withUnsafeMutableBufferPointer { (daysLateWeighted) -> Void in
                let nm = months.count
                for i in 0..<t.invoiceCount where settleDay[i] != Int32.max && hasApplication[i] {
                    let settled = Day(number: settleDay[i])
                    guard let m = months.index(of: settled) else { continue }
                    let x = Int(group[Int(docCustomer[i])]) * nm + m
                    let dtp = settled - docDate[i]
                    let late = max(0, settled - docDue[i])
                    let w = Double(docBase[i])
                    paidCount[x] += 1
                    if settled <= docDue[i] { onTimeCount[x] += 1 }
                    daysToPaySum[x] += Int64(dtp)
                    daysLateSum[x] += Int64(late)
                    paidAmount[x] += docBase[i]
                    daysToPayWeighted[x] += Double(dtp) * w
                    daysLateWeighted[x] += Double(late) * w
                }
            } } } } } } } } }
            paidCount = pc; onTimeCount = otc; daysToPaySum = dtps; daysLateSum = dls; paidAmount = pa
            daysToPayWeighted = dtpw; daysLateWeighted = dlw
        }

        let inv = l.invoices
        if parts.contains(.processing) {
            var prc = processingCount, prs = processingSum
            prc.withUnsafeMutableBufferPointer { (processingCount) -> Void in
            prs.withUnsafeMutableBufferPointer { (processingSum) -> Void in
                let nm = months.count
                for i in 0..<inv.count {
                    guard let sent = inv.sentDate[i], let m = months.index(of: inv.issueDate[i]) else { continue }
                    let x = Int(group[Int(inv.customer[i])]) * nm + m
                    processingCount[x] += 1
                    processingSum[x] += Int64(sent - inv.issueDate[i])
                }
            } }
            processingCount = prc; processingSum = prs
        }
        let adj = l.adjustments
        // The reason symbols that say billing_error (any case), found once, not per credit.
        if parts.contains(.billingErrors) {
            let billingError = Set((0..<adj.symbols.count).map(Int32.init).filter { adj.symbols[$0].lowercased() == "billing_error" })
            for a in 0..<adj.count where adj.kind[a] == .creditMemo {
                guard billingError.contains(adj.reason[a]), let m = months.index(of: adj.date[a]) else { continue }
                billingErrorCredits[k(Int(group[Int(adj.customer[a])]), m)] += 1
            }
        }

        let monthEnds = months.all.map(\.lastDay)
        // Disputes: the file's, plus invoices flagged disputed with no row there (opened on
        // the issue date, resolved when settled).
        if parts.contains(.disputes) {
            var disputes: [(g: Int, opened: Day, resolved: Day?)] = []
            var hasRow = [Bool](repeating: false, count: inv.count)
            for d in 0..<l.disputes.count {
                let slot = t.slot(l.disputes.document[d])
                if slot < inv.count { hasRow[slot] = true }
                disputes.append((Int(group[Int(t.docCustomer[slot])]), l.disputes.openedDate[d], l.disputes.resolvedDate[d]))
            }
            for i in 0..<inv.count where inv.disputed[i] && !hasRow[i] {
                let settled = sweep.settleDay[i] == Int32.max ? nil : Day(number: sweep.settleDay[i])
                disputes.append((Int(group[Int(inv.customer[i])]), inv.issueDate[i], settled))
            }
            for d in disputes {
                if let m = months.index(of: d.opened) { disputesOpened[k(d.g, m)] += 1 }
                if let r = d.resolved, let m = months.index(of: r) {
                    disputesResolved[k(d.g, m)] += 1
                    disputeDaysSum[k(d.g, m)] += Int64(r - d.opened)
                }
                // Open at the end of each month from the one it opened in until it is resolved.
                let first = max(0, d.opened.yearMonth.index - months.first.index)
                for m in first..<months.count {
                    let end = monthEnds[m]
                    if d.opened > end { continue }
                    if let r = d.resolved, r <= end { break }
                    openDisputes[k(d.g, m)] += 1
                }
            }
        }

        let pay = l.payments
        if parts.contains(.payments) {
            var pr = paymentsReceived, pam = paymentsAutoMatched, poc = postedCount, pls = postingLagSum
            pr.withUnsafeMutableBufferPointer { (paymentsReceived) -> Void in
            pam.withUnsafeMutableBufferPointer { (paymentsAutoMatched) -> Void in
            poc.withUnsafeMutableBufferPointer { (postedCount) -> Void in
            pls.withUnsafeMutableBufferPointer { (postingLagSum) -> Void in
                let nm = months.count
                for p in 0..<pay.count {
                    guard let m = months.index(of: pay.receivedDate[p]) else { continue }
                    let x = Int(group[Int(pay.customer[p])]) * nm + m
                    paymentsReceived[x] += 1
                    if autoMatched?[p] == true { paymentsAutoMatched[x] += 1 }
                    if let posted = pay.postedDate[p] {
                        postedCount[x] += 1
                        postingLagSum[x] += Int64(posted - pay.receivedDate[p])
                    }
                }
            } } } }
            paymentsReceived = pr; paymentsAutoMatched = pam; postedCount = poc; postingLagSum = pls
        }

        // Promises to pay: kept when the customer's payments from the promise to the promised
        // date (inclusive, any invoice, in the customer's currency) reach the promised amount.
        let act = l.activities
        // The payment index only when there is a promise to check (it sorts every payment).
        if parts.contains(.promises) {
            let paidIndex = act.kind.contains(.promise) ? PaymentIndex(l) : nil
            for a in 0..<act.count where act.kind[a] == .promise {
                guard let due = act.promisedDate[a], let amount = act.promisedAmount[a], let m = months.index(of: due) else { continue }
                let c = Int(act.customer[a])
                let x = k(Int(group[c]), m)
                promisesDue[x] += 1
                if paidIndex!.paid(c, from: act.date[a], through: due) >= amount { promisesKept[x] += 1 }
            }
        }

        // Contact completeness among the customers on the books at each month-end.
        let cust = l.customers
        if parts.contains(.contacts) {
            for c in 0..<cust.count {
                let complete = !cust.email.isEmpty(c) && ContactCheck.isEmail(cust.email[c]) && !cust.phone.isEmpty(c)
                let since = cust.createdDate[c]
                let g = Int(group[c])
                for m in 0..<months.count where since == nil || since! <= monthEnds[m] {
                    customers[k(g, m)] += 1
                    if complete { customersComplete[k(g, m)] += 1 }
                }
            }
        }
        _ = baseDigits
    }
}
