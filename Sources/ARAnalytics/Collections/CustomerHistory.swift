import ARModel

/// One event on a customer's account, in the document's own currency.
public struct AccountEvent: Sendable {
    public enum Kind: String, Sendable {
        case invoice, payment, applied_from_other_account, applied_to_other_account, credit_memo, write_off, debit_memo, late_fee, dispute_opened, dispute_resolved, activity, promise
    }
    public let date: Day
    public let kind: Kind
    public let document: String
    /// Signed effect on what the customer owes (invoices +, payments and credits −); 0 for
    /// disputes and activities.
    public let amount: Int64
    public let currency: Currency
    public let detail: String
}

/// A customer's account at a date: every event up to it in date order, and the customer's
/// own payment behaviour over the last 12 months.
public struct CustomerHistory: Sendable {
    public let events: [AccountEvent]
    public let paidInvoices: Int
    public let averageDaysToPay: Double?
    public let onTimeRate: Double?
    public let averageDaysLate: Double?
    /// Average days late over the last 90 days minus the 275 days before.
    public let lateTrend: Double?

    init(events: [AccountEvent], paidInvoices: Int, averageDaysToPay: Double?, onTimeRate: Double?, averageDaysLate: Double?, lateTrend: Double?) {
        self.events = events; self.paidInvoices = paidInvoices; self.averageDaysToPay = averageDaysToPay
        self.onTimeRate = onTimeRate; self.averageDaysLate = averageDaysLate; self.lateTrend = lateTrend
    }

    /// One customer's history.
    public init(_ book: AccountBook, customer c: Int) {
        self = CustomerHistory.build(book, only: c)[0]
    }

    /// Every customer's history in one pass over the ledger (statements for all accounts).
    public static func all(_ book: AccountBook) -> [CustomerHistory] { build(book, only: nil) }

    /// The histories of `customers` (in that order) in one pass over the ledger; with
    /// `moneyOnly` without disputes and activities (what a statement shows), so that a run
    /// over many accounts can take them a batch at a time and keep memory flat.
    public static func some(_ book: AccountBook, customers: [Int], moneyOnly: Bool) -> [CustomerHistory] {
        var index = [Int32](repeating: -1, count: book.customerCount)
        for (k, c) in customers.enumerated() { index[c] = Int32(k) }
        return build(book, only: nil, subset: (index, customers.count), moneyOnly: moneyOnly)
    }

    static func build(_ book: AccountBook, only: Int?, subset: ([Int32], Int)? = nil, moneyOnly: Bool = false) -> [CustomerHistory] {
        let t = book.timeline, l = t.ledger, asOf = book.asOf
        let n = subset?.1 ?? (only == nil ? l.customers.count : 1)
        func slot(_ c: Int) -> Int? {
            if let subset { let k = subset.0[c]; return k < 0 ? nil : Int(k) }
            return only.map { $0 == c ? 0 : nil } ?? c
        }
        var ev = [[(AccountEvent, Int)]](repeating: [], count: n)   // with a tie-break order
        func add(_ c: Int, _ e: AccountEvent, _ order: Int) { if e.date <= asOf, let k = slot(c) { ev[k].append((e, order)) } }
        let inv = l.invoices
        for i in 0..<inv.count where slot(Int(inv.customer[i])) != nil {
            let c = Int(inv.customer[i])
            var d = "due \(inv.dueDate[i])"
            if !inv.poNumber[i].isEmpty { d += ", PO \(inv.poNumber[i])" }
            add(c, AccountEvent(date: inv.issueDate[i], kind: .invoice, document: inv.ids[Int32(i)], amount: inv.amount[i], currency: inv.currency[i], detail: d), 0)
        }
        // Applications per payment, to say what each payment settled.
        var applied: [Int: [String]] = [:]
        let ap = l.applications
        for a in 0..<ap.count where ap.amount[a] > 0 {
            let p = Int(ap.payment[a])
            guard slot(Int(l.payments.customer[p])) != nil else { continue }
            let doc = ap.document[a]
            let name = doc.invoiceIndex.map { inv.ids[Int32($0)] } ?? doc.adjustmentIndex.map { l.adjustments.ids[Int32($0)] } ?? "?"
            applied[p, default: []].append("\(name) \(Money.decimalString(ap.amount[a], digits: l.payments.currency[p].minorDigits))")
        }
        // Cash that crossed accounts: another customer's payment settling this customer's
        // document lowers what this customer owes; this customer's payment settling another's
        // document is no longer on this account.
        for a in 0..<ap.count where ap.amount[a] > 0 {
            let p = Int(ap.payment[a])
            let s = t.slot(ap.document[a])
            let payer = Int(l.payments.customer[p]), owner = Int(t.docCustomer[s])
            guard payer != owner, slot(payer) != nil || slot(owner) != nil else { continue }
            let doc = s < t.invoiceCount ? inv.ids[Int32(s)] : l.adjustments.ids[Int32(s - t.invoiceCount)]
            if slot(owner) != nil {
                add(owner, AccountEvent(date: ap.date[a], kind: .applied_from_other_account, document: doc, amount: -ap.amount[a], currency: l.payments.currency[p],
                                 detail: "\(l.payments.ids[Int32(p)]) from \(l.customers.ids[Int32(payer)])"), 1)
            }
            if slot(payer) != nil {
                add(payer, AccountEvent(date: ap.date[a], kind: .applied_to_other_account, document: l.payments.ids[Int32(p)], amount: ap.amount[a],
                                 currency: l.payments.currency[p], detail: "to \(doc) of \(l.customers.ids[Int32(owner)])"), 1)
            }
        }
        let pay = l.payments
        for p in 0..<pay.count where slot(Int(pay.customer[p])) != nil {
            let c = Int(pay.customer[p])
            var d = applied[p].map { "applied to " + $0.joined(separator: ", ") } ?? "not applied"
            if !pay.reference[p].isEmpty { d += "; reference \(pay.reference[p])" }
            add(c, AccountEvent(date: pay.receivedDate[p], kind: .payment, document: pay.ids[Int32(p)], amount: -pay.amount[p], currency: pay.currency[p], detail: d), 1)
        }
        let adj = l.adjustments
        for a in 0..<adj.count where slot(Int(adj.customer[a])) != nil {
            let c = Int(adj.customer[a])
            let kind: AccountEvent.Kind
            switch adj.kind[a] {
            case .creditMemo: kind = .credit_memo
            case .writeOff: kind = .write_off
            case .debitMemo: kind = .debit_memo
            case .lateFee: kind = .late_fee
            }
            let sign: Int64 = adj.kind[a].isCredit ? -1 : 1
            var d = adj.document[a].isNone ? "" : "on \(adj.document[a].invoiceIndex.map { inv.ids[Int32($0)] } ?? adj.document[a].adjustmentIndex.map { adj.ids[Int32($0)] } ?? "")"
            if let r = adj.symbol(adj.reason[a]) { d += d.isEmpty ? r : ", \(r)" }
            add(c, AccountEvent(date: adj.date[a], kind: kind, document: adj.ids[Int32(a)], amount: sign * adj.amount[a], currency: adj.currency[a], detail: d), 2)
        }
        // Credits allocated to another customer's document move that part across accounts.
        for a in 0..<adj.count where adj.kind[a].isCredit && !adj.document[a].isNone && adj.allocated[a] > 0 {
            let s = t.slot(adj.document[a])
            let issuer = Int(adj.customer[a]), owner = Int(t.docCustomer[s])
            guard issuer != owner else { continue }
            let doc = s < t.invoiceCount ? inv.ids[Int32(s)] : adj.ids[Int32(s - t.invoiceCount)]
            // On the day the allocation takes effect (the document's date for a credit dated before it).
            let on = l.allocationDate(a)
            add(owner, AccountEvent(date: on, kind: .applied_from_other_account, document: doc, amount: -adj.allocated[a],
                                    currency: adj.currency[a], detail: "\(adj.ids[Int32(a)]) of \(l.customers.ids[Int32(issuer)])"), 2)
            add(issuer, AccountEvent(date: on, kind: .applied_to_other_account, document: adj.ids[Int32(a)], amount: adj.allocated[a],
                                     currency: adj.currency[a], detail: "to \(doc) of \(l.customers.ids[Int32(owner)])"), 2)
        }
        let ds = l.disputes
        for k in 0..<(moneyOnly ? 0 : ds.count) where !ds.document[k].isNone && slot(Int(t.docCustomer[t.slot(ds.document[k])])) != nil {
            let s = t.slot(ds.document[k])
            let c = Int(t.docCustomer[s])
            let doc = s < t.invoiceCount ? inv.ids[Int32(s)] : adj.ids[Int32(s - t.invoiceCount)]
            let cur = s < t.invoiceCount ? inv.currency[s] : adj.currency[s - t.invoiceCount]
            var d = "\(ds.ids[Int32(k)]) on \(doc)"
            if let r = ds.reason[k] >= 0 ? ds.symbols[ds.reason[k]] : nil { d += ", \(r)" }
            if let amount = ds.amount[k] { d += ", \(Money.decimalString(amount, digits: cur.minorDigits))" }
            add(c, AccountEvent(date: ds.openedDate[k], kind: .dispute_opened, document: doc, amount: 0, currency: cur, detail: d), 3)
            if let r = ds.resolvedDate[k] {
                let outcome = ds.outcome[k] >= 0 ? ds.symbols[ds.outcome[k]] : "resolved"
                add(c, AccountEvent(date: r, kind: .dispute_resolved, document: doc, amount: 0, currency: cur, detail: "\(ds.ids[Int32(k)]): \(outcome)"), 3)
            }
        }
        let acts = l.activities
        for k in 0..<(moneyOnly ? 0 : acts.count) where slot(Int(acts.customer[k])) != nil {
            let c = Int(acts.customer[k])
            let who = acts.collector[k] >= 0 ? acts.symbols[acts.collector[k]] : ""
            var d = [who, acts.note[k]].filter { !$0.isEmpty }.joined(separator: ": ")
            var kind = AccountEvent.Kind.activity
            if acts.kind[k] == .promise, let due = acts.promisedDate[k], let amount = acts.promisedAmount[k], let status = book.promiseStatus[k] {
                kind = .promise
                d = "promised \(Money.decimalString(amount, digits: l.customers.currency[c].minorDigits)) by \(due): \(status.rawValue)" + (d.isEmpty ? "" : "; " + d)
            } else {
                d = acts.kind[k].name + (d.isEmpty ? "" : ": " + d)
            }
            let doc = acts.document[k].invoiceIndex.map { inv.ids[Int32($0)] } ?? ""
            add(c, AccountEvent(date: acts.date[k], kind: kind, document: doc, amount: 0, currency: l.customers.currency[c], detail: d), 4)
        }
        // Behaviour: invoices settled in the last 365 days.
        var stats = [(n: Int, toPay: Int, onTime: Int, late: Int, recent: (Int, Int), earlier: (Int, Int))](
            repeating: (0, 0, 0, 0, (0, 0), (0, 0)), count: n)
        for i in 0..<t.invoiceCount {
            guard let k = slot(Int(t.docCustomer[i])) else { continue }
            let s = book.settleDay[i]
            guard s != Int32.max else { continue }
            let settled = Day(number: s)
            guard asOf - settled >= 0 && asOf - settled < 365 else { continue }
            let daysLate = max(0, settled - t.docDue[i])
            stats[k].n += 1
            stats[k].toPay += settled - t.docDate[i]
            stats[k].late += daysLate
            if settled <= t.docDue[i] { stats[k].onTime += 1 }
            if asOf - settled < 90 { stats[k].recent.0 += daysLate; stats[k].recent.1 += 1 } else { stats[k].earlier.0 += daysLate; stats[k].earlier.1 += 1 }
        }
        return (0..<n).map { k in
            let x = stats[k], m = Double(x.n)
            return CustomerHistory(
                events: ev[k].sorted { ($0.0.date, $0.1, $0.0.document) < ($1.0.date, $1.1, $1.0.document) }.map(\.0),
                paidInvoices: x.n, averageDaysToPay: x.n > 0 ? Double(x.toPay) / m : nil, onTimeRate: x.n > 0 ? Double(x.onTime) / m * 100 : nil,
                averageDaysLate: x.n > 0 ? Double(x.late) / m : nil,
                lateTrend: x.recent.1 > 0 && x.earlier.1 > 0 ? Double(x.recent.0) / Double(x.recent.1) - Double(x.earlier.0) / Double(x.earlier.1) : nil)
        }
    }
}
