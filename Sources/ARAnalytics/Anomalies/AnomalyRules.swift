import ARModel
import Foundation

/// A possible anomaly: which rule found it, how much it matters, the documents and customers
/// involved, the numbers that triggered it, and one sentence a clerk can act on.
public struct AnomalyFinding: Sendable {
    public let rule: AnomalyRule
    public let severity: Double
    /// Base currency minor units at stake.
    public let amount: Int64
    public let documents: [String]
    public let customers: [String]
    public let evidence: [(String, String)]
    public let message: String
}

/// The detectors. Each rule is a pure function of the ledger; `run` collects them all and ranks
/// the findings by severity, then amount.
public struct AnomalyRules {
    let t: Timeline
    var l: Ledger { t.ledger }
    let threshold: Int64
    let from: Day?
    let to: Day?

    /// `approvalThreshold` in base minor units (amounts just under it are suspicious).
    public init(_ t: Timeline, approvalThreshold: Int64, from: Day? = nil, to: Day? = nil) {
        self.t = t
        self.threshold = approvalThreshold
        self.from = from
        self.to = to
    }

    func inRange(_ d: Day) -> Bool { (from.map { d >= $0 } ?? true) && (to.map { d <= $0 } ?? true) }
    func inv(_ i: Int) -> String { l.invoices.ids[Int32(i)] }
    func cust(_ c: Int32) -> String { l.customers.ids[c] }
    func money(_ minor: Int64) -> String { Money.decimalString(minor, digits: t.base.minorDigits, grouping: ",") }
    func severity(_ base: Double, _ amount: Int64) -> Double {
        // Larger amounts matter more: up to +0.15 for amounts of a million and more.
        let boost = min(0.15, log10(max(Double(amount) / Double(t.base.minorPerMajor), 1)) / 40)
        return min(1, base + boost)
    }

    public func run() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        out += duplicates()
        out += duplicatePayments()
        out += roundAndThresholdAmounts()
        out += offHours()
        out += creditsAfterPayment()
        out += writeOffRules()
        out += lapping()
        out += amountOutliers()
        out += purchaseOrders()
        out += benfordByUser()
        out += paymentBehaviourShifts()
        out += postingLag()
        out += lateApplications()
        out += kpiShifts()
        return out.sorted { ($0.severity, $0.amount, $0.documents.first ?? "") > ($1.severity, $1.amount, $1.documents.first ?? "") }
    }

    // MARK: duplicate invoices and POs

    /// Interns a key made of a customer index and more bytes, without building a String.
    static func intern(_ pool: inout StringPool, _ buffer: inout [UInt8], _ customer: Int32,
                       _ more: (inout [UInt8]) -> Void) -> Int32 {
        buffer.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: customer) { buffer.append(contentsOf: $0) }
        more(&buffer)
        return buffer.withUnsafeBufferPointer { pool.intern($0).id }
    }

    /// True when the decimal digits of `a` and `b` differ by swapping two adjacent digits.
    static func transposed(_ a: Int64, _ b: Int64) -> Bool {
        guard a != b, a > 0, b > 0 else { return false }
        var x = a, y = b, pos = 0
        var diffs: [(Int, Int64, Int64)] = []
        while x > 0 || y > 0 {
            let dx = x % 10, dy = y % 10
            if dx != dy {
                diffs.append((pos, dx, dy))
                if diffs.count > 2 { return false }
            }
            x /= 10; y /= 10; pos += 1
            if (x == 0) != (y == 0) && (x > 0 || y > 0) { return false }   // different lengths
        }
        return diffs.count == 2 && diffs[1].0 == diffs[0].0 + 1 && diffs[0].1 == diffs[1].2 && diffs[1].1 == diffs[0].2
    }

    /// True when `a` and `b` differ by swapping two adjacent digits.
    static func transposed(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, x != y else { return false }
        let diff = x.indices.filter { x[$0] != y[$0] }
        return diff.count == 2 && diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] && x[diff[1]] == y[diff[0]]
    }

    func duplicates() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        let invs = l.invoices
        var byCustomer = [[Int]](repeating: [], count: l.customers.count)
        for i in 0..<invs.count { byCustomer[Int(invs.customer[i])].append(i) }
        var paired = Set<[Int]>()
        for list in byCustomer {
            let sorted = list.sorted { (invs.issueDate[$0], $0) < (invs.issueDate[$1], $1) }
            for (a, i) in sorted.enumerated() {
                var b = a + 1
                while b < sorted.count && invs.issueDate[sorted[b]] - invs.issueDate[i] <= 14 {
                    let j = sorted[b]
                    b += 1
                    guard inRange(invs.issueDate[j]) else { continue }
                    let sameAmount = invs.amount[i] == invs.amount[j] && invs.currency[i] == invs.currency[j]
                    // The cheap test first: most pairs differ in amount and are not transpositions.
                    if !sameAmount && !AnomalyRules.transposed(invs.amount[i], invs.amount[j]) { continue }
                    let base = t.docBase[j]
                    let days = invs.issueDate[j] - invs.issueDate[i]
                    let ni = invs.printedNumber(i), nj = invs.printedNumber(j)
                    let numbersAlike = AnomalyRules.transposed(ni, nj) || (nj.hasPrefix(ni) && nj.count > ni.count)
                    if sameAmount && days == 0 && !numbersAlike {
                        paired.insert([i, j])
                        out.append(AnomalyFinding(rule: .duplicateInvoice, severity: severity(0.9, base), amount: base,
                            documents: [inv(i), inv(j)], customers: [cust(invs.customer[i])],
                            evidence: [("days_apart", "0"), ("amount", money(base))],
                            message: "\(inv(j)) repeats \(inv(i)): same customer, amount \(money(base)) and date"))
                    } else {
                        paired.insert([i, j])
                        let how = sameAmount
                            ? (nj.hasPrefix(ni) && nj.count > ni.count ? "number \(nj) is \(ni) with a suffix"
                               : AnomalyRules.transposed(ni, nj) ? "numbers \(ni) and \(nj) differ by two transposed digits"
                               : "the same amount \(days) days apart")
                            : "amounts \(money(t.docBase[i])) and \(money(base)) differ by two transposed digits"
                        out.append(AnomalyFinding(rule: .nearDuplicateInvoice, severity: severity(0.75, base), amount: base,
                            documents: [inv(i), inv(j)], customers: [cust(invs.customer[i])],
                            evidence: [("days_apart", String(days)), ("numbers", "\(ni), \(nj)")],
                            message: "\(inv(j)) looks like \(inv(i)) entered again: \(how)"))
                    }
                }
            }
        }
        // The same PO on two invoices of one customer (not already a duplicate pair).
        var keys = StringPool(minimumCapacity: invs.count)
        var members: [[Int]] = []
        var buffer: [UInt8] = []
        for i in 0..<invs.count where !invs.poNumber.isEmpty(i) {
            let id = AnomalyRules.intern(&keys, &buffer, invs.customer[i]) { b in invs.poNumber.withBytes(i) { b.append(contentsOf: $0) } }
            if Int(id) == members.count { members.append([i]) } else { members[Int(id)].append(i) }
        }
        for list in members where list.count > 1 {
            let sorted = list.sorted { (invs.issueDate[$0], $0) < (invs.issueDate[$1], $1) }
            for k in 1..<sorted.count {
                let i = sorted[0], j = sorted[k]
                if paired.contains([i, j]) || paired.contains([j, i]) || !inRange(invs.issueDate[j]) { continue }
                out.append(AnomalyFinding(rule: .duplicatePO, severity: severity(0.7, t.docBase[j]), amount: t.docBase[j],
                    documents: [inv(i), inv(j)], customers: [cust(invs.customer[i])],
                    evidence: [("po_number", invs.poNumber[i])],
                    message: "purchase order \(invs.poNumber[i]) is billed on \(inv(i)) and again on \(inv(j))"))
            }
        }
        return out
    }

    func duplicatePayments() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        let p = l.payments
        var keys = StringPool(minimumCapacity: p.count)
        var members: [[Int]] = []
        var buffer: [UInt8] = []
        for k in 0..<p.count {
            let id = AnomalyRules.intern(&keys, &buffer, p.customer[k]) { b in
                withUnsafeBytes(of: p.amount[k]) { b.append(contentsOf: $0) }
                withUnsafeBytes(of: p.currency[k].packed) { b.append(contentsOf: $0) }
                p.reference.withBytes(k) { b.append(contentsOf: $0) }
            }
            if Int(id) == members.count { members.append([k]) } else { members[Int(id)].append(k) }
        }
        for list in members where list.count > 1 {
            let sorted = list.sorted { (p.receivedDate[$0], $0) < (p.receivedDate[$1], $1) }
            for k in 1..<sorted.count where p.receivedDate[sorted[k]] - p.receivedDate[sorted[k - 1]] <= 7 && inRange(p.receivedDate[sorted[k]]) {
                let a = sorted[k - 1], b = sorted[k]
                out.append(AnomalyFinding(rule: .duplicatePayment, severity: severity(0.8, t.payBase[b]), amount: t.payBase[b],
                    documents: [p.ids[Int32(a)], p.ids[Int32(b)]], customers: [cust(p.customer[a])],
                    evidence: [("days_apart", String(p.receivedDate[b] - p.receivedDate[a])), ("reference", p.reference[a])],
                    message: "\(p.ids[Int32(b)]) repeats \(p.ids[Int32(a)]): same payer, amount \(money(t.payBase[b])) and reference"))
            }
        }
        return out
    }

    // MARK: amounts

    func roundAndThresholdAmounts() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        let invs = l.invoices
        let hundred = 100 * t.base.minorPerMajor
        for i in 0..<invs.count where inRange(invs.issueDate[i]) {
            let base = t.docBase[i]
            let round = base >= 10 * hundred && base % hundred == 0
            // Just under the threshold, in whole units (people pick 9,950.00, not 9,947.31).
            let under = base < threshold && base >= threshold - threshold * 3 / 100 && base % t.base.minorPerMajor == 0
            guard round || under else { continue }
            let by = invs.createdBy[i] < 0 ? "unknown" : invs.symbols[invs.createdBy[i]]
            let why = round && under ? "a round amount just under the \(money(threshold)) approval threshold"
                : round ? "a round amount" : "just under the \(money(threshold)) approval threshold"
            out.append(AnomalyFinding(rule: under ? .thresholdAmount : .roundAmount, severity: severity(under ? 0.65 : 0.5, base),
                amount: base, documents: [inv(i)], customers: [cust(invs.customer[i])],
                evidence: [("amount", money(base)), ("created_by", by), ("po", invs.poNumber.isEmpty(i) ? "none" : invs.poNumber[i])],
                message: "\(inv(i)) for \(money(base)) is \(why), entered by \(by)\(invs.poNumber.isEmpty(i) ? " without a PO" : "")"))
        }
        return out
    }

    /// Amounts far from the customer's usual: |x − median| > 8 robust standard deviations
    /// (1.4826 × MAD), for customers with at least 12 invoices.
    func amountOutliers() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        let invs = l.invoices
        var byCustomer = [[Int]](repeating: [], count: l.customers.count)
        for i in 0..<invs.count { byCustomer[Int(invs.customer[i])].append(i) }
        for list in byCustomer where list.count >= 12 {
            let xs = list.map { Double(t.docBase[$0]) }.sorted()
            let med = xs[xs.count / 2]
            let mad = xs.map { abs($0 - med) }.sorted()[xs.count / 2] * 1.4826
            guard mad > 0 else { continue }
            for i in list where inRange(invs.issueDate[i]) {
                let z = (Double(t.docBase[i]) - med) / mad
                if z > 8 {
                    out.append(AnomalyFinding(rule: .amountOutlier, severity: min(0.6, 0.3 + z / 100), amount: t.docBase[i],
                        documents: [inv(i)], customers: [cust(invs.customer[i])],
                        evidence: [("robust_z", String(format: "%.1f", z)), ("customer_median", money(Int64(med)))],
                        message: "\(inv(i)) for \(money(t.docBase[i])) is \(String(format: "%.0f", z)) robust deviations above the customer's usual \(money(Int64(med)))"))
                }
            }
        }
        return out
    }

    // MARK: when documents were entered

    func offHours() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        let invs = l.invoices
        for i in 0..<invs.count {
            guard let at = invs.createdAt[i], inRange(invs.issueDate[i]) else { continue }
            let night = at.hour >= 22 || at.hour < 5
            let weekend = at.day.isWeekend
            guard night || weekend else { continue }
            let by = invs.createdBy[i] < 0 ? "unknown" : invs.symbols[invs.createdBy[i]]
            out.append(AnomalyFinding(rule: .offHoursEntry, severity: 0.35, amount: t.docBase[i], documents: [inv(i)],
                customers: [cust(invs.customer[i])], evidence: [("created_at", at.description), ("created_by", by)],
                message: "\(inv(i)) was entered \(night ? "at night" : "at the weekend") (\(at)) by \(by)"))
        }
        return out
    }

    // MARK: credits and write-offs

    /// A credit memo within five days after a payment on the same invoice that closes what the
    /// payment left open, entered by someone who posts payments: the pattern of a payment posted
    /// short and the rest credited to hide it.
    func creditsAfterPayment() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        // Applications grouped by document slot (counting sort, no dictionary).
        var start = [Int](repeating: 0, count: t.slotCount + 1)
        for k in 0..<l.applications.count { start[t.slot(l.applications.document[k]) + 1] += 1 }
        for s in 0..<t.slotCount { start[s + 1] += start[s] }
        var order = [Int](repeating: 0, count: l.applications.count)
        var fill = start
        for k in 0..<l.applications.count { let s = t.slot(l.applications.document[k]); order[fill[s]] = k; fill[s] += 1 }
        let adj = l.adjustments
        // Who handles cash: the users who post payments. A credit from one of them, soon after a
        // payment, closing what the payment left open, breaks the separation of duties.
        var cashUsers = Set<String>()
        for k in 0..<l.payments.count where l.payments.postedBy[k] >= 0 { cashUsers.insert(l.payments.symbols[l.payments.postedBy[k]]) }
        for a in 0..<adj.count where adj.kind[a] == .creditMemo && !adj.document[a].isNone && inRange(adj.date[a]) {
            guard let creator = adj.symbol(adj.createdBy[a]), cashUsers.contains(creator) else { continue }
            let slot = t.slot(adj.document[a])
            let apps = Array(order[start[slot]..<start[slot + 1]])
            if apps.isEmpty { continue }
            let before = apps.filter { l.applications.date[$0] <= adj.date[a] && adj.date[a] - l.applications.date[$0] <= 5 }
            guard let last = before.max(by: { l.applications.date[$0] < l.applications.date[$1] }) else { continue }
            let applied = apps.filter { l.applications.date[$0] <= adj.date[a] }.reduce(Int64(0)) { $0 + l.applications.amount[$1] }
            guard applied + adj.allocated[a] >= t.docAmount[slot] else { continue }
            let p = Int(l.applications.payment[last])
            let base = t.adjBase[a]
            out.append(AnomalyFinding(rule: .creditAfterPayment, severity: severity(0.7, base), amount: base,
                documents: [l.documentID(adj.document[a]), l.payments.ids[Int32(p)], adj.ids[Int32(a)]],
                customers: [cust(adj.customer[a])],
                evidence: [("days_after_payment", String(adj.date[a] - l.applications.date[last])),
                           ("created_by", adj.symbol(adj.createdBy[a]) ?? "unknown")],
                message: "\(adj.ids[Int32(a)]) credits the \(money(base)) that payment \(l.payments.ids[Int32(p)]) left open on \(l.documentID(adj.document[a])), \(adj.date[a] - l.applications.date[last]) days later"))
        }
        return out
    }

    func writeOffRules() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        let adj = l.adjustments
        var byUser: [Int32: [Int]] = [:]
        var total = 0
        for a in 0..<adj.count where adj.kind[a] == .writeOff && inRange(adj.date[a]) {
            total += 1
            byUser[adj.createdBy[a], default: []].append(a)
            let by = adj.symbol(adj.createdBy[a]), approver = adj.symbol(adj.approvedBy[a])
            if let by, by == approver {
                out.append(AnomalyFinding(rule: .selfApprovedWriteOff, severity: severity(0.85, t.adjBase[a]), amount: t.adjBase[a],
                    documents: [adj.ids[Int32(a)]] + (adj.document[a].isNone ? [] : [l.documentID(adj.document[a])]),
                    customers: [cust(adj.customer[a])], evidence: [("created_by", by), ("approved_by", by)],
                    message: "\(adj.ids[Int32(a)]) writes off \(money(t.adjBase[a])) and was approved by \(by), who entered it"))
            }
        }
        // Write-offs concentrated on one user: more than a third of them, and at least five.
        for (user, list) in byUser.sorted(by: { $0.key < $1.key }) where user >= 0 && list.count >= 5 && Double(list.count) > Double(total) / 3 {
            let name = adj.symbols[user]
            let unapproved = list.filter { adj.approvedBy[$0] < 0 || adj.approvedBy[$0] == user }.count
            guard unapproved > 0 else { continue }
            let amount = list.reduce(Int64(0)) { $0 + t.adjBase[$1] }
            out.append(AnomalyFinding(rule: .concentratedWriteOffs, severity: severity(0.6, amount), amount: amount,
                documents: list.map { adj.ids[Int32($0)] }, customers: Array(Set(list.map { cust(adj.customer[$0]) })).sorted(),
                evidence: [("user", name), ("write_offs", "\(list.count) of \(total)"), ("without_independent_approval", String(unapproved))],
                message: "\(name) entered \(list.count) of \(total) write-offs (\(money(amount))), \(unapproved) of them without an independent approval"))
        }
        return out
    }

    // MARK: lapping

    /// Payments applied to another customer's invoices, with the receipt-to-posting lag that
    /// usually grows while a lapping scheme runs.
    func lapping() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        let apps = l.applications, p = l.payments
        for k in 0..<apps.count {
            let pay = Int(apps.payment[k])
            let slot = t.slot(apps.document[k])
            let payer = p.customer[pay], owner = t.docCustomer[slot]
            guard payer != owner, inRange(p.receivedDate[pay]) else { continue }
            let lag = p.postedDate[pay].map { $0 - p.receivedDate[pay] }
            let base = Timeline.convert(apps.amount[k], t.payRate[pay], p.currency[pay].minorDigits, t.base.minorDigits)
            out.append(AnomalyFinding(rule: .paymentAppliedToOtherCustomer, severity: severity(0.8, base), amount: base,
                documents: [p.ids[Int32(pay)], l.documentID(apps.document[k])], customers: [cust(payer), cust(owner)],
                evidence: [("payer", cust(payer)), ("invoice_customer", cust(owner)), ("posting_lag_days", lag.map(String.init) ?? "unknown"),
                           ("posted_by", p.postedBy[pay] < 0 ? "unknown" : p.symbols[p.postedBy[pay]])],
                message: "\(cust(payer))'s payment \(p.ids[Int32(pay)]) was applied to \(cust(owner))'s invoice \(l.documentID(apps.document[k]))\(lag.map { ", posted \($0) days after receipt" } ?? "")"))
        }
        return out
    }

    // MARK: Benford

    /// First-digit and first-two-digit tests on invoice amounts, for the portfolio and for each
    /// user who entered at least 300 invoices: a finding where the fit is nonconforming.
    func benfordByUser() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        let invs = l.invoices
        var byUser: [Int32: [Int64]] = [:]
        var all: [Int64] = []
        for i in 0..<invs.count where inRange(invs.issueDate[i]) {
            all.append(invs.amount[i])
            byUser[invs.createdBy[i], default: []].append(invs.amount[i])
        }
        var groups: [(String, [Int64])] = [("all invoices", all)]
        for (u, v) in byUser.sorted(by: { $0.key < $1.key }) where u >= 0 && v.count >= 300 { groups.append(("invoices entered by " + invs.symbols[u], v)) }
        for test in [Benford.Test.first, .firstTwo] {
            // Users are judged against the portfolio: a user whose digits stray much further
            // than everyone's is the signal (a ledger's amounts need not follow Benford closely).
            let portfolio = Benford.run(all, test).mad
            for (k, (who, values)) in groups.enumerated() where values.count >= 300 {
                let r = Benford.run(values, test)
                guard r.conformity == "nonconformity", k == 0 || r.mad > 1.5 * portfolio else { continue }
                let stand = r.standouts.prefix(5).map(String.init).joined(separator: ", ")
                out.append(AnomalyFinding(rule: test == .first ? .benfordFirst : .benfordFirstTwo, severity: 0.45, amount: 0,
                    documents: [], customers: [],
                    evidence: [("population", who), ("n", String(r.n)), ("mad", String(format: "%.4f", r.mad)),
                               ("chi_square", String(format: "%.1f", r.chiSquare)), ("standouts", stand)],
                    message: "The \(test.rawValue) digits of \(who) do not follow Benford's law (MAD \(String(format: "%.4f", r.mad)), nonconformity); digits \(stand) stand out"))
            }
        }
        return out
    }

    // MARK: payment behaviour

    /// Customers whose days late jumped: the mean of their last three months of settled
    /// invoices is 20+ days above their earlier mean and outside its usual spread.
    func paymentBehaviourShifts() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        var sweep = BalanceSweep(t, customerGroup: [Int32](repeating: 0, count: l.customers.count), groupCount: 1,
                                 months: MonthRange(t.firstDay.yearMonth, t.lastDay.yearMonth))
        sweep.advance(through: t.lastDay)
        let end = to ?? t.lastDay
        var byCustomer = [[(Day, Double)]](repeating: [], count: l.customers.count)
        for i in 0..<t.invoiceCount where sweep.settleDay[i] != Int32.max && sweep.hasApplication[i] {
            let d = Day(number: sweep.settleDay[i])
            if d <= end { byCustomer[Int(t.docCustomer[i])].append((d, Double(d - t.docDue[i]))) }
        }
        for (c, list) in byCustomer.enumerated() {
            let recent = list.filter { end - $0.0 < 91 }.map(\.1), earlier = list.filter { end - $0.0 >= 91 }.map(\.1)
            guard recent.count >= 3, earlier.count >= 8 else { continue }
            let mr = recent.reduce(0, +) / Double(recent.count), me = earlier.reduce(0, +) / Double(earlier.count)
            let sd = (earlier.map { ($0 - me) * ($0 - me) }.reduce(0, +) / Double(earlier.count - 1)).squareRoot()
            guard mr - me >= 20, mr - me > 2 * sd else { continue }
            out.append(AnomalyFinding(rule: .daysToPayShift, severity: 0.5, amount: 0, documents: [], customers: [cust(Int32(c))],
                evidence: [("recent_days_late", String(format: "%.1f", mr)), ("earlier_days_late", String(format: "%.1f", me))],
                message: "\(l.customers.name[c]) (\(cust(Int32(c)))) now pays \(String(format: "%.0f", mr)) days late on average, against \(String(format: "%.0f", me)) before"))
        }
        return out
    }

    /// Lapping shows as cash posted later and later: a user whose mean receipt-to-posting lag
    /// over the last three months is three days or more above their earlier mean.
    func postingLag() -> [AnomalyFinding] {
        var out: [AnomalyFinding] = []
        let p = l.payments
        let end = to ?? t.lastDay
        var byUser: [Int32: (recent: [Double], earlier: [Double])] = [:]
        for k in 0..<p.count where p.postedBy[k] >= 0 {
            guard let posted = p.postedDate[k], p.receivedDate[k] <= end else { continue }
            let lag = Double(posted - p.receivedDate[k])
            if end - p.receivedDate[k] < 91 { byUser[p.postedBy[k], default: ([], [])].recent.append(lag) }
            else { byUser[p.postedBy[k], default: ([], [])].earlier.append(lag) }
        }
        for (u, v) in byUser.sorted(by: { $0.key < $1.key }) where v.recent.count >= 5 && v.earlier.count >= 20 {
            let mr = v.recent.reduce(0, +) / Double(v.recent.count), me = v.earlier.reduce(0, +) / Double(v.earlier.count)
            guard mr - me >= 3 else { continue }
            out.append(AnomalyFinding(rule: .risingPostingLag, severity: 0.55, amount: 0, documents: [], customers: [],
                evidence: [("user", p.symbols[u]), ("recent_lag_days", String(format: "%.1f", mr)), ("earlier_lag_days", String(format: "%.1f", me))],
                message: "\(p.symbols[u]) now posts payments \(String(format: "%.1f", mr)) days after receipt on average, against \(String(format: "%.1f", me)) before"))
        }
        return out
    }

    /// Customers whose payments are repeatedly applied long after they arrived (a week or
    /// more, three times or more): cash sitting unapplied is where lapping hides.
    func lateApplications() -> [AnomalyFinding] {
        var byCustomer: [Int32: [Int]] = [:]
        let apps = l.applications, p = l.payments
        for k in 0..<apps.count {
            let pay = Int(apps.payment[k])
            if apps.date[k] - p.receivedDate[pay] >= 7 && inRange(apps.date[k]) { byCustomer[p.customer[pay], default: []].append(k) }
        }
        return byCustomer.sorted { $0.key < $1.key }.compactMap { c, list in
            guard list.count >= 3 else { return nil }
            let days = list.map { apps.date[$0] - p.receivedDate[Int(apps.payment[$0])] }
            return AnomalyFinding(rule: .lateApplications, severity: 0.45, amount: 0,
                documents: Array(Set(list.map { p.ids[apps.payment[$0]] })).sorted(), customers: [cust(c)],
                evidence: [("applications", String(list.count)), ("max_days", String(days.max()!))],
                message: "\(list.count) of \(cust(c))'s payment applications were made a week or more after the cash arrived (up to \(days.max()!) days)")
        }
    }

    /// Sudden shifts in monthly KPIs: a month-over-month change more than four robust standard
    /// deviations (1.4826 × MAD of the changes) from the usual change.
    func kpiShifts() -> [AnomalyFinding] {
        let months = MonthRange(t.firstDay.yearMonth, t.lastDay.yearMonth)
        guard months.count >= 8 else { return [] }
        let engine = KPIEngine(t, configuration: Configuration(), query: KPIQuery(metrics: [.dso, .collections, .billings, .cei]))
        var out: [AnomalyFinding] = []
        for k in [KPI.dso, .collections, .billings, .cei] {
            let values: [Double?] = (0..<months.count).map { engine.value(k, group: 0, period: Period(label: "", lo: $0, hi: $0)).double }
            var changes: [(Int, Double)] = []
            for m in 1..<values.count { if let a = values[m - 1], let b = values[m] { changes.append((m, b - a)) } }
            guard changes.count >= 6 else { continue }
            let sorted = changes.map(\.1).sorted()
            let med = sorted[sorted.count / 2]
            let mad = sorted.map { abs($0 - med) }.sorted()[sorted.count / 2] * 1.4826
            guard mad > 0 else { continue }
            for (m, d) in changes where abs(d - med) / mad > 4 && inRange(months[m].lastDay) {
                let z = (d - med) / mad
                let shown = k.kind == .money ? money(Int64(d)) : String(format: "%+.1f", d)
                out.append(AnomalyFinding(rule: .kpiShift, severity: 0.4, amount: 0, documents: [], customers: [],
                    evidence: [("metric", k.rawValue), ("month", months[m].description), ("change", shown), ("robust_z", String(format: "%.1f", z))],
                    message: "\(k.title) moved by \(shown) in \(months[m]), \(String(format: "%.1f", abs(z))) robust deviations from its usual month-to-month change"))
            }
        }
        return out
    }

    // MARK: purchase orders

    func purchaseOrders() -> [AnomalyFinding] {
        guard l.purchaseOrders.count > 0 else { return [] }
        var out: [AnomalyFinding] = []
        var pool = StringPool(minimumCapacity: l.purchaseOrders.count)
        var buffer: [UInt8] = []
        let po = l.purchaseOrders
        for k in 0..<po.count { _ = AnomalyRules.intern(&pool, &buffer, po.customer[k]) { b in po.poNumber.withBytes(k) { b.append(contentsOf: $0) } } }
        let invs = l.invoices
        for i in 0..<invs.count where !invs.poNumber.isEmpty(i) && inRange(invs.issueDate[i]) {
            buffer.removeAll(keepingCapacity: true)
            withUnsafeBytes(of: invs.customer[i]) { buffer.append(contentsOf: $0) }
            invs.poNumber.withBytes(i) { buffer.append(contentsOf: $0) }
            let found = buffer.withUnsafeBufferPointer { pool.find($0) }
            guard let k32 = found else {
                out.append(AnomalyFinding(rule: .poNotFound, severity: 0.3, amount: t.docBase[i], documents: [inv(i)],
                    customers: [cust(invs.customer[i])], evidence: [("po_number", invs.poNumber[i])],
                    message: "\(inv(i)) names purchase order \(invs.poNumber[i]), which is not in purchase_orders.csv"))
                continue
            }
            let k = Int(k32)
            if let amount = l.purchaseOrders.amount[k], l.purchaseOrders.currency[k] == invs.currency[i] {
                let diff = abs(amount - invs.amount[i])
                if diff * 20 > amount {
                    // At stake: the difference, in base currency.
                    let stake = Int64((Double(t.docBase[i]) * Double(diff) / Double(max(invs.amount[i], 1))).rounded())
                    out.append(AnomalyFinding(rule: .poAmountMismatch, severity: 0.3, amount: stake, documents: [inv(i)],
                        customers: [cust(invs.customer[i])],
                        evidence: [("po_amount", Money.decimalString(amount, digits: invs.currency[i].minorDigits)),
                                   ("invoice_amount", Money.decimalString(invs.amount[i], digits: invs.currency[i].minorDigits))],
                        message: "\(inv(i)) bills \(Money.decimalString(invs.amount[i], digits: invs.currency[i].minorDigits)) against purchase order \(invs.poNumber[i]) for \(Money.decimalString(amount, digits: invs.currency[i].minorDigits))"))
                }
            }
        }
        return out
    }
}
