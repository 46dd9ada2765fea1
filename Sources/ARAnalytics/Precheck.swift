import ARModel

/// What to do with a draft invoice: send it, have someone look at it first, or stop it.
public enum DraftVerdict: String, Sendable, Comparable, CaseIterable {
    case send, review, stop
    var rank: Int { self == .send ? 0 : self == .review ? 1 : 2 }
    public static func < (a: DraftVerdict, b: DraftVerdict) -> Bool { a.rank < b.rank }
}

/// One reason a draft is not simply sent: a short code, the verdict it calls for, one sentence.
public struct DraftReason: Sendable, Equatable {
    public let code: String
    public let verdict: DraftVerdict
    public let message: String
    public init(_ code: String, _ verdict: DraftVerdict, _ message: String) {
        self.code = code; self.verdict = verdict; self.message = message
    }
}

/// The settings of a check: the day it is as of and how old a draft may be dated.
public struct PrecheckSettings: Sendable {
    public var asOf: Day
    /// A draft dated more than this many days before `asOf` is "long past".
    public var maxAgeDays: Int = 30
    public init(asOf: Day, maxAgeDays: Int = 30) { self.asOf = asOf; self.maxAgeDays = maxAgeDays }
}

/// Draft invoices checked against the ledger before they are sent. Each draft (by index into
/// `drafts`, customers are the ledger's) gets reasons and a verdict, the worst of its reasons:
/// - stop: its invoice_id is already in the ledger; an exact duplicate (`duplicate_invoice`)
///   of a ledger invoice or of an earlier draft; no PO where the customer requires one; the
///   customer has neither a valid e-mail nor a postal address; the customer is on hold (an
///   overdue item not in dispute has reached the last step of the dunning ladder);
/// - review: a near duplicate (`near_duplicate_invoice`); a PO purchase_orders.csv does not
///   hold, or billed beyond its amount with this draft; due date not issue date + the
///   customer's terms; the customer's balance with this draft (and the batch's earlier drafts
///   to it that are not stopped) above its credit limit; a malformed e-mail or phone beside a usable address;
///   dated after the day of the check, or more than `maxAgeDays` before it.
/// Duplicates are judged by the anomaly detector's own rule (`AnomalyRules.judgeDuplicate`).
/// The ledger is only read. `book` is the ledger's account book at the check's date; it needs
/// the drafts' customers only (`AccountBook(_:asOf:only:)`).
public struct Precheck: Sendable {
    public let reasons: [[DraftReason]]
    public var verdicts: [DraftVerdict] { reasons.map { $0.map(\.verdict).max() ?? .send } }

    public init(_ book: AccountBook, drafts: InvoiceTable, configuration: Configuration, settings: PrecheckSettings) {
        let t = book.timeline, l = t.ledger, inv = l.invoices, cu = l.customers
        let n = drafts.count
        var reasons = [[DraftReason]](repeating: [], count: n)
        func add(_ d: Int, _ code: String, _ v: DraftVerdict, _ m: String) { reasons[d].append(DraftReason(code, v, m)) }
        let base = t.base
        func money(_ minor: Int64, _ c: Currency) -> String { Money.decimalString(minor, digits: c.minorDigits, grouping: ",") }
        // Drafts in base currency at the rate of their date.
        let draftBase: [Int64] = (0..<n).map { d in
            let c = drafts.currency[d]
            let r = c == base ? nil : (l.fxRates.rate(c, on: drafts.issueDate[d]) ?? ExchangeRate.one)
            return Timeline.convert(drafts.amount[d], r, c.minorDigits, base.minorDigits)
        }
        // The ledger's invoices of the drafts' customers, in issue-date order.
        var wanted = [Bool](repeating: false, count: cu.count)
        for d in 0..<n { wanted[Int(drafts.customer[d])] = true }
        var byCustomer = [[Int]](repeating: [], count: cu.count)
        for i in 0..<inv.count where wanted[Int(inv.customer[i])] { byCustomer[Int(inv.customer[i])].append(i) }
        for c in 0..<cu.count where byCustomer[c].count > 1 { byCustomer[c].sort { (inv.issueDate[$0], $0) < (inv.issueDate[$1], $1) } }
        let rules = AnomalyRules(t, approvalThreshold: 0)
        let habits = rules.repeatHabits(byCustomer)
        let source = DraftsAfterLedger(t: t, ledger: inv, drafts: drafts, draftBase: draftBase)
        let nL = inv.count

        // The drafts of each customer, in date then file order.
        var draftsOf = [Int: [Int]]()
        for d in 0..<n { draftsOf[Int(drafts.customer[d]), default: []].append(d) }
        for k in draftsOf.keys { draftsOf[k]!.sort { (drafts.issueDate[$0], $0) < (drafts.issueDate[$1], $1) } }

        func duplicateReason(_ d: Int, _ f: AnomalyFinding, other: String) {
            let exact = f.rule == .duplicateInvoice
            add(d, f.rule.rawValue, exact ? .stop : .review,
                "\(exact ? "exact" : "near") duplicate of \(other) (\(f.rule.rawValue), severity \(String(format: "%.2f", f.severity))): \(f.message)")
        }

        for (c, list) in draftsOf {
            let mine = byCustomer[c]
            let count = mine.count, repeated = habits.repeated[c]
            // A draft is not in the ledger: the customer's habit is its ledger invoices'.
            let draftHabit = RepeatHabit(repeats: (count >= 5 && Double(repeated) / Double(max(count, 1)) >= 0.1) || (count < 5 && repeated >= 2),
                                         rate: count > 0 ? Double(repeated) / Double(count) : 0, others: count, customerRate: habits.rate[c])
            for (k, d) in list.enumerated() {
                let day = drafts.issueDate[d]
                if let existing = inv.ids.find(drafts.ids[Int32(d)]) {
                    add(d, "invoice_id_taken", .stop, "invoice_id \(drafts.ids[Int32(d)]) is already in the ledger (issued \(inv.issueDate[Int(existing)]), \(money(inv.amount[Int(existing)], inv.currency[Int(existing)])) \(inv.currency[Int(existing)]))")
                }
                // Against the ledger's invoices within 14 days either side: the earlier of the two
                // is the original; for a ledger invoice dated after the draft, the ledger's one
                // is judged without itself.
                var lo = 0, hi = mine.count
                while lo < hi { let m = (lo + hi) / 2; if inv.issueDate[mine[m]] < day - 14 { lo = m + 1 } else { hi = m } }
                var found = false
                var x = lo
                while x < mine.count && inv.issueDate[mine[x]] <= day + 14 && !found {
                    let i = mine[x]
                    x += 1
                    let f: AnomalyFinding?
                    if inv.issueDate[i] <= day {
                        f = AnomalyRules.judgeDuplicate(source, i, nL + d, habit: { draftHabit }, base: base)
                    } else {
                        f = AnomalyRules.judgeDuplicate(source, nL + d, i, habit: {
                            let w = AnomalyRules.repeatsWithout(i, count: count, repeated: repeated, sameAmount: habits.sameAmount)
                            return RepeatHabit(repeats: w.repeats, rate: w.rate, others: w.others, customerRate: habits.rate[c])
                        }, base: base)
                    }
                    if let f { duplicateReason(d, f, other: "\(inv.ids[Int32(i)]) in the ledger"); found = true }
                }
                // Against the batch's earlier drafts of the customer.
                for e in list[..<k].reversed() where !found && day - drafts.issueDate[e] <= 14 {
                    if let f = AnomalyRules.judgeDuplicate(source, nL + e, nL + d, habit: { draftHabit }, base: base) {
                        duplicateReason(d, f, other: "draft \(drafts.ids[Int32(e)])"); found = true
                    }
                }
            }
        }

        // Purchase orders: required, known, not billed beyond their amount.
        let requiresPO = PolicyCompliance.requiresPO(l, configuration: configuration)
        let pos = l.purchaseOrders
        // The drafts' purchase orders (customer and number): the first row of each in
        // purchase_orders.csv, and what the ledger's invoices have billed on it.
        struct POKey: Hashable { let customer: Int32; let number: String }
        var poOfDraft = [POKey?](repeating: nil, count: n)
        var hasDraftPO = [Bool](repeating: false, count: cu.count)
        for d in 0..<n where !drafts.poNumber.isEmpty(d) {
            poOfDraft[d] = POKey(customer: drafts.customer[d], number: drafts.poNumber[d])
            hasDraftPO[Int(drafts.customer[d])] = true
        }
        let draftKeys = Set(poOfDraft.compactMap { $0 })
        var poIndex: [POKey: Int] = [:]
        var billed: [POKey: Int64] = [:]
        if !draftKeys.isEmpty {
            for k in 0..<pos.count where hasDraftPO[Int(pos.customer[k])] {
                let key = POKey(customer: pos.customer[k], number: pos.poNumber[k])
                if poIndex[key] == nil && draftKeys.contains(key) { poIndex[key] = k }
            }
            for i in 0..<nL where hasDraftPO[Int(inv.customer[i])] && !inv.poNumber.isEmpty(i) {
                let key = POKey(customer: inv.customer[i], number: inv.poNumber[i])
                if let k = poIndex[key], pos.currency[k] == inv.currency[i] { billed[key, default: 0] += inv.amount[i] }
            }
        }
        for d in 0..<n {
            let c = Int(drafts.customer[d]), id = cu.ids[Int32(c)]
            guard let key = poOfDraft[d] else {
                if requiresPO[c] {
                    add(d, "missing_po", .stop, configuration.poRequired.isEmpty
                        ? "no PO, and \(id) puts a PO on nearly all its invoices"
                        : "no PO, and \(id) requires one (policy.po_required)")
                }
                continue
            }
            let po = drafts.poNumber[d]
            guard let k = poIndex[key] else {
                if pos.count > 0 { add(d, "po_not_found", .review, "PO \(po) is not among \(id)'s purchase orders (purchase_orders.csv)") }
                continue
            }
            guard let amount = pos.amount[k], pos.currency[k] == drafts.currency[d] else { continue }
            billed[key, default: 0] += drafts.amount[d]
            let total = billed[key]!
            if total > amount {
                let cur = drafts.currency[d]
                add(d, "po_overbilled", .review, "PO \(po) is for \(money(amount, cur)) \(cur); with this draft it is billed \(money(total, cur)) (\(money(total - amount, cur)) beyond it)")
            }
        }

        // Terms, credit, hold, contact, dates.
        let ladder = configuration.dunning
        var added = [Int64](repeating: 0, count: cu.count)
        let order = (0..<n).sorted { (drafts.issueDate[$0], $0) < (drafts.issueDate[$1], $1) }
        for d in order {
            let c = Int(drafts.customer[d]), id = cu.ids[Int32(c)]
            let issue = drafts.issueDate[d], due = drafts.dueDate[d]
            let terms = Int(cu.termsDays[c])
            if due < issue {
                add(d, "due_before_issue", .review, "due \(due), before its issue date \(issue)")
            } else if due - issue != terms {
                add(d, "terms_differ", .review, "due in \(due - issue) days; \(id)'s terms are \(terms) days")
            }
            // On hold: an overdue item not in dispute at the ladder's last step.
            if let last = ladder.steps.indices.last {
                let ch = book.chaseable(c)
                if ch.amount > 0, let step = Worklist.step(days: ch.maxDays, amount: ch.amount, ladder: ladder, base: base), step == last {
                    add(d, "customer_on_hold", .stop, "\(id) is on hold: \(money(ch.amount, base)) overdue, oldest \(ch.maxDays) days past due (\(ladder.steps[last].action.replacingOccurrences(of: "_", with: " ")) step)")
                }
            }
            let email = cu.email.isEmpty(c) ? "" : cu.email[c]
            let hasAddress = !cu.address.isEmpty(c)
            let emailOK = !email.isEmpty && ContactCheck.isEmail(email)
            if !emailOK && !hasAddress {
                add(d, "no_contact", .stop, email.isEmpty ? "\(id) has no e-mail and no postal address: the invoice would reach no one"
                                                          : "\(id)'s e-mail '\(email)' is malformed and it has no postal address: the invoice would reach no one")
            } else if !email.isEmpty && !emailOK {
                add(d, "bad_email", .review, "\(id)'s e-mail '\(email)' is malformed (the invoice can only go by post)")
            } else if email.isEmpty {
                add(d, "no_email", .review, "\(id) has no e-mail (the invoice can only go by post)")
            }
            if !cu.phone.isEmpty(c) && !ContactCheck.isPhone(cu.phone[c]) {
                add(d, "bad_phone", .review, "\(id)'s phone '\(cu.phone[c])' is malformed")
            }
            if issue > settings.asOf {
                add(d, "future_date", .review, "dated \(issue), \(issue - settings.asOf) days after \(settings.asOf)")
            } else if settings.asOf - issue > settings.maxAgeDays {
                add(d, "old_date", .review, "dated \(issue), \(settings.asOf - issue) days before \(settings.asOf) (more than \(settings.maxAgeDays))")
            }
        }
        // Credit: the balance at the date, the batch's earlier drafts to the customer that are
        // not stopped, and this one.
        for d in order {
            let c = Int(drafts.customer[d]), id = cu.ids[Int32(c)]
            if let limit = t.creditLimitBase(c, on: settings.asOf), limit > 0 {
                let owed = book.balance[c] + added[c] + draftBase[d]
                if owed > limit {
                    add(d, "over_credit_limit", .review, "\(id) would owe \(money(owed, base)) \(base) with this draft\(added[c] > 0 ? " and the batch's earlier ones" : "") against a limit of \(money(limit, base))")
                }
            }
            if !reasons[d].contains(where: { $0.verdict == .stop }) { added[c] += draftBase[d] }
        }
        self.reasons = reasons
    }
}

/// The ledger's invoices (0..<ledger.count) followed by the drafts, for the duplicate rule.
struct DraftsAfterLedger: DuplicateInvoiceSource {
    let t: Timeline
    let ledger: InvoiceTable
    let drafts: InvoiceTable
    let draftBase: [Int64]
    var n: Int { ledger.count }

    func id(_ i: Int) -> String { i < n ? ledger.ids[Int32(i)] : drafts.ids[Int32(i - n)] }
    func customerID(_ i: Int) -> String { t.ledger.customers.ids[i < n ? ledger.customer[i] : drafts.customer[i - n]] }
    func printedNumber(_ i: Int) -> String { i < n ? ledger.printedNumber(i) : drafts.printedNumber(i - n) }
    func amount(_ i: Int) -> Int64 { i < n ? ledger.amount[i] : drafts.amount[i - n] }
    func currency(_ i: Int) -> Currency { i < n ? ledger.currency[i] : drafts.currency[i - n] }
    func issueDate(_ i: Int) -> Day { i < n ? ledger.issueDate[i] : drafts.issueDate[i - n] }
    func poNumber(_ i: Int) -> String {
        let (table, k) = i < n ? (ledger, i) : (drafts, i - n)
        return table.poNumber.isEmpty(k) ? "" : table.poNumber[k]
    }
    func sameHands(_ i: Int, _ j: Int) -> Bool {
        func who(_ i: Int) -> (String, LocalTimestamp)? {
            let (table, k) = i < n ? (ledger, i) : (drafts, i - n)
            guard table.createdBy[k] >= 0, let at = table.createdAt[k] else { return nil }
            return (table.symbols[table.createdBy[k]], at)
        }
        guard let a = who(i), let b = who(j), a.0 == b.0 else { return false }
        return abs(a.1.seconds - b.1.seconds) <= 7200
    }
    func sameUser(_ i: Int, _ j: Int) -> Bool {
        func who(_ i: Int) -> String? {
            let (table, k) = i < n ? (ledger, i) : (drafts, i - n)
            return table.createdBy[k] >= 0 ? table.symbols[table.createdBy[k]] : nil
        }
        guard let a = who(i) else { return false }
        return a == who(j)
    }
    func base(_ i: Int) -> Int64 { i < n ? t.docBase[i] : draftBase[i - n] }
}
