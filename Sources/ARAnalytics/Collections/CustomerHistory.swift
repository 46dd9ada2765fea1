import ARModel

/// One event on a customer's account, in the document's own currency.
public struct AccountEvent: Sendable {
    public enum Kind: String, Sendable {
        case invoice, payment, credit_memo, write_off, debit_memo, late_fee, dispute_opened, dispute_resolved, activity, promise
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

    public init(_ book: AccountBook, customer c: Int) {
        let t = book.timeline, l = t.ledger, asOf = book.asOf
        var ev: [(AccountEvent, Int)] = []   // with a tie-break order
        func add(_ e: AccountEvent, _ order: Int) { if e.date <= asOf { ev.append((e, order)) } }
        let inv = l.invoices
        for i in 0..<inv.count where Int(inv.customer[i]) == c {
            var d = "due \(inv.dueDate[i])"
            if !inv.poNumber[i].isEmpty { d += ", PO \(inv.poNumber[i])" }
            add(AccountEvent(date: inv.issueDate[i], kind: .invoice, document: inv.ids[Int32(i)], amount: inv.amount[i], currency: inv.currency[i], detail: d), 0)
        }
        // Applications per payment, to say what each payment settled.
        var applied: [Int: [String]] = [:]
        let ap = l.applications
        for a in 0..<ap.count where ap.amount[a] > 0 {
            let p = Int(ap.payment[a])
            guard Int(l.payments.customer[p]) == c else { continue }
            let doc = ap.document[a]
            let name = doc.invoiceIndex.map { inv.ids[Int32($0)] } ?? doc.adjustmentIndex.map { l.adjustments.ids[Int32($0)] } ?? "?"
            applied[p, default: []].append("\(name) \(Money.decimalString(ap.amount[a], digits: l.payments.currency[p].minorDigits))")
        }
        let pay = l.payments
        for p in 0..<pay.count where Int(pay.customer[p]) == c {
            var d = applied[p].map { "applied to " + $0.joined(separator: ", ") } ?? "not applied"
            if !pay.reference[p].isEmpty { d += "; reference \(pay.reference[p])" }
            add(AccountEvent(date: pay.receivedDate[p], kind: .payment, document: pay.ids[Int32(p)], amount: -pay.amount[p], currency: pay.currency[p], detail: d), 1)
        }
        let adj = l.adjustments
        for a in 0..<adj.count where Int(adj.customer[a]) == c {
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
            add(AccountEvent(date: adj.date[a], kind: kind, document: adj.ids[Int32(a)], amount: sign * adj.amount[a], currency: adj.currency[a], detail: d), 2)
        }
        let ds = l.disputes
        for k in 0..<ds.count where !ds.document[k].isNone && Int(t.docCustomer[t.slot(ds.document[k])]) == c {
            let slot = t.slot(ds.document[k])
            let doc = slot < t.invoiceCount ? inv.ids[Int32(slot)] : adj.ids[Int32(slot - t.invoiceCount)]
            let cur = slot < t.invoiceCount ? inv.currency[slot] : adj.currency[slot - t.invoiceCount]
            var d = "\(ds.ids[Int32(k)]) on \(doc)"
            if let r = ds.reason[k] >= 0 ? ds.symbols[ds.reason[k]] : nil { d += ", \(r)" }
            if let amount = ds.amount[k] { d += ", \(Money.decimalString(amount, digits: cur.minorDigits))" }
            add(AccountEvent(date: ds.openedDate[k], kind: .dispute_opened, document: doc, amount: 0, currency: cur, detail: d), 3)
            if let r = ds.resolvedDate[k] {
                let outcome = ds.outcome[k] >= 0 ? ds.symbols[ds.outcome[k]] : "resolved"
                add(AccountEvent(date: r, kind: .dispute_resolved, document: doc, amount: 0, currency: cur, detail: "\(ds.ids[Int32(k)]): \(outcome)"), 3)
            }
        }
        let acts = l.activities
        let index = PaymentIndex(l)
        for k in 0..<acts.count where Int(acts.customer[k]) == c {
            let who = acts.collector[k] >= 0 ? acts.symbols[acts.collector[k]] : ""
            var d = [who, acts.note[k]].filter { !$0.isEmpty }.joined(separator: ": ")
            var kind = AccountEvent.Kind.activity
            if acts.kind[k] == .promise, let due = acts.promisedDate[k], let amount = acts.promisedAmount[k] {
                kind = .promise
                let paid = index.paid(c, from: acts.date[k], through: min(due, asOf))
                let status = paid >= amount ? "kept" : due >= asOf ? "pending" : "broken"
                d = "promised \(Money.decimalString(amount, digits: l.customers.currency[c].minorDigits)) by \(due): \(status)" + (d.isEmpty ? "" : "; " + d)
            } else {
                d = acts.kind[k].name + (d.isEmpty ? "" : ": " + d)
            }
            let doc = acts.document[k].invoiceIndex.map { inv.ids[Int32($0)] } ?? ""
            add(AccountEvent(date: acts.date[k], kind: kind, document: doc, amount: 0, currency: l.customers.currency[c], detail: d), 4)
        }
        events = ev.sorted { ($0.0.date, $0.1, $0.0.document) < ($1.0.date, $1.1, $1.0.document) }.map(\.0)

        // Behaviour: invoices settled in the last 365 days.
        var n = 0, toPay = 0, onTime = 0, late = 0
        var recent = (0, 0), earlier = (0, 0)
        for i in 0..<t.invoiceCount where Int(t.docCustomer[i]) == c {
            let s = book.settleDay[i]
            guard s != Int32.max else { continue }
            let settled = Day(number: s)
            guard asOf - settled >= 0 && asOf - settled < 365 else { continue }
            n += 1
            toPay += settled - t.docDate[i]
            let daysLate = max(0, settled - t.docDue[i])
            late += daysLate
            if settled <= t.docDue[i] { onTime += 1 }
            if asOf - settled < 90 { recent.0 += daysLate; recent.1 += 1 } else { earlier.0 += daysLate; earlier.1 += 1 }
        }
        paidInvoices = n
        averageDaysToPay = n > 0 ? Double(toPay) / Double(n) : nil
        onTimeRate = n > 0 ? Double(onTime) / Double(n) * 100 : nil
        averageDaysLate = n > 0 ? Double(late) / Double(n) : nil
        lateTrend = recent.1 > 0 && earlier.1 > 0 ? Double(recent.0) / Double(recent.1) - Double(earlier.0) / Double(earlier.1) : nil
    }
}
