import ARModel
import Foundation

/// Invoices as the duplicate rule reads them, by index: the ledger's own (`AnomalyRules`), or
/// the ledger's followed by a batch of drafts (`arlens precheck`). One rule, two callers.
public protocol DuplicateInvoiceSource {
    func id(_ i: Int) -> String
    func customerID(_ i: Int) -> String
    /// The number printed on the invoice (its id when none was given).
    func printedNumber(_ i: Int) -> String
    func amount(_ i: Int) -> Int64
    func currency(_ i: Int) -> Currency
    func issueDate(_ i: Int) -> Day
    /// The PO number, empty when none.
    func poNumber(_ i: Int) -> String
    /// Entered by the same user within two hours of `j`.
    func sameHands(_ i: Int, _ j: Int) -> Bool
    /// Entered by the same (known) user as `j`, at any time.
    func sameUser(_ i: Int, _ j: Int) -> Bool
    /// The amount in base minor units.
    func base(_ i: Int) -> Int64
    /// The customer acknowledged the sale: its own payments settle 90% or more of it (or half
    /// or more, with credit memos for the rest: a return, a price corrected), or it disputed the
    /// invoice for a reason other than a duplicate (the price, the quantity, the goods: an order
    /// it placed). Nil where nothing says which sale a payment was for (drafts, automatic cash
    /// application).
    func paidByCustomer(_ i: Int) -> Bool?
    /// On how many other days than that of `i` and `j` the customer was billed one amount
    /// twice or more: its habit of ordering the same quantity twice in a day.
    func otherSameDayRepeats(_ i: Int, _ j: Int) -> Int
}

extension DuplicateInvoiceSource {
    public func paidByCustomer(_ i: Int) -> Bool? { nil }
    public func otherSameDayRepeats(_ i: Int, _ j: Int) -> Int { 0 }
}

/// Whether a customer's amounts repeat (catalogue prices, retainers), judged without the
/// invoice under suspicion: `repeats` (five or more others and 10% or more of them repeat an
/// amount), the share, how many others, and the customer's share over all its invoices.
public struct RepeatHabit: Sendable {
    public let repeats: Bool
    public let rate: Double
    public let others: Int
    public let customerRate: Double
    public init(repeats: Bool, rate: Double, others: Int, customerRate: Double) {
        self.repeats = repeats; self.rate = rate; self.others = others; self.customerRate = customerRate
    }
}

extension AnomalyRules {
    /// The duplicate rule for one pair of the same customer's invoices, `i` issued on or
    /// before `j` and at most 14 days earlier: nil, or a `duplicate_invoice` or
    /// `near_duplicate_invoice` finding naming `j` as the copy. The cheap test first: most
    /// pairs differ in amount and are not transpositions.
    public static func judgeDuplicate<S: DuplicateInvoiceSource>(_ s: S, _ i: Int, _ j: Int, habit: () -> RepeatHabit,
                                                                 base currency: Currency) -> AnomalyFinding? {
        let ai = s.amount(i), aj = s.amount(j)
        let sameAmount = ai == aj && s.currency(i) == s.currency(j)
        if !sameAmount && !transposedAmount(ai, aj) { return nil }
        let days = s.issueDate(j) - s.issueDate(i)
        // Price-grid amounts (whole tens) are often digit shuffles of each other (1,050 and 1,500,
        // 3,400 and 4,300): only a re-keying on the same day by the same user counts.
        if !sameAmount && ai % (10 * Int64(s.currency(i).minorPerMajor)) == 0 && aj % (10 * Int64(s.currency(j).minorPerMajor)) == 0
            && (days > 0 || !s.sameUser(i, j)) { return nil }
        let h = habit()
        let repeats = h.repeats
        let habitText = "\(percent(h.rate)) of this customer's other \(h.others) invoices repeat an amount"
        let base = s.base(j)
        let ni = s.printedNumber(i), nj = s.printedNumber(j)
        let suffixed = nj.hasPrefix(ni) && nj.count > ni.count
        let prefixed = nj.hasSuffix(ni) && nj.count > ni.count
        let numbersAlike = transposed(ni, nj) || suffixed || prefixed
        // The same amount on one PO days apart is judged by duplicate_po (a delivery billed twice).
        if sameAmount && !numbersAlike && days > 0 {
            let po = s.poNumber(i)
            if !po.isEmpty && po == s.poNumber(j) { return nil }
        }
        func money(_ minor: Int64) -> String { Money.decimalString(minor, digits: currency.minorDigits, grouping: ",") }
        // The amount as keyed: in the invoice's currency (where the digits were transposed).
        func shown(_ k: Int) -> String {
            let c = s.currency(k)
            return Money.decimalString(s.amount(k), digits: c.minorDigits, grouping: ",") + (c == currency ? "" : " " + c.code)
        }
        func severity(_ b: Double) -> Double {
            let boost = min(0.15, log10(max(Double(base) / Double(currency.minorPerMajor), 1)) / 40)
            return min(1, b + boost)
        }
        let idI = s.id(i), idJ = s.id(j)
        // What the customer did with the two: paid both (two sales it acknowledged), one, or neither.
        let pi = s.paidByCustomer(i), pj = s.paidByCustomer(j)
        let known = pi != nil && pj != nil
        let paidI = pi ?? false, paidJ = pj ?? false
        let paidText = !known ? "unknown" : paidI && paidJ ? "both" : paidI ? idI : paidJ ? idJ : "neither"
        let paidPhrase = !known ? "" : paidI && paidJ ? ", the customer paid (or disputed as an order) both"
            : paidI || paidJ ? ", the customer paid (or disputed as an order) only \(paidText)" : ", the customer paid (or disputed as an order) neither"
        if sameAmount && days == 0 && !numbersAlike {
            let sameHands = repeats && s.sameHands(i, j)
            guard !repeats || sameHands else { return nil }
            var why = "only \(habitText)"
            var evidence = [("days_apart", "0"), ("amount", money(base)), ("customer_repeat_rate", percent(h.customerRate))]
            if repeats {
                // A second order of the same quantity looks the same in the ledger, whoever keys it:
                // what tells them apart is what the customer does. It pays both of two orders; it
                // pays an invoice entered twice once. While neither is paid yet, a customer that
                // has ordered the same amount twice in a day before is doing so again.
                if paidI && paidJ { return nil }
                let repeatDays = s.otherSameDayRepeats(i, j)
                if !paidI && !paidJ && repeatDays > 0 { return nil }
                why = "\(habitText), but both were entered by the same user within two hours\(paidPhrase)"
                    + (repeatDays == 0 ? ", and it was never otherwise billed one amount twice in a day"
                       : ", though it was billed one amount twice in a day on \(repeatDays) other \(repeatDays == 1 ? "day" : "days")")
                evidence += [("paid_by_customer", paidText), ("customer_same_day_repeats", String(repeatDays))]
            }
            return AnomalyFinding(rule: .duplicateInvoice, severity: severity(repeats ? 0.8 : 0.9), amount: base,
                documents: [idI, idJ], customers: [s.customerID(i)],
                evidence: evidence,
                message: "\(idJ) repeats \(idI): same customer, amount \(money(base)) and date; \(why)")
        }
        if sameAmount && !numbersAlike && repeats { return nil }
        // Where amounts repeat, the same amount says nothing, and nearby sequential numbers are
        // digit shuffles of each other now and then (107046 and 107064): a transposed number
        // counts only when one user entered both (a re-entry is keyed by whoever holds the bill).
        if sameAmount && repeats && !suffixed && !prefixed && !s.sameUser(i, j) { return nil }
        // Catalogue customers' amounts are often digit shuffles of each other: only on the same day.
        if !sameAmount && repeats && days > 0 { return nil }
        // Two amounts that are digit shuffles of each other, or one amount under two shuffled
        // numbers at a customer whose amounts repeat: when the customer paid both in full, it
        // acknowledged two sales (a copy keyed wrong is disputed or left unpaid, not paid on top).
        // A number with a suffix or prefix is a re-entry even when paid twice: the customer overpaid.
        if paidI && paidJ && (!sameAmount || (repeats && !suffixed && !prefixed)) { return nil }
        let how = sameAmount
            ? (suffixed ? "number \(nj) is \(ni) with a suffix"
               : prefixed ? "number \(nj) is \(ni) with a prefix"
               : transposed(ni, nj) ? "numbers \(ni) and \(nj) differ by two transposed digits"
               : "the same amount \(days) days apart, and only \(habitText)")
            : "amounts \(shown(i)) and \(shown(j)) differ by two transposed digits\(transposed(ai, aj) ? "" : " (the leading digit swapped with a zero, which drops)")\(days == 0 && s.sameUser(i, j) ? ", entered the same day by the same user" : "")"
        let unpaid = known && (!sameAmount || (repeats && !suffixed && !prefixed)) ? ";" + paidPhrase.dropFirst() : ""
        return AnomalyFinding(rule: .nearDuplicateInvoice, severity: severity(0.75), amount: base,
            documents: [idI, idJ], customers: [s.customerID(i)],
            evidence: [("days_apart", String(days)), ("numbers", "\(ni), \(nj)"), ("customer_repeat_rate", percent(h.customerRate)),
                       ("paid_by_customer", paidText)],
            message: "\(idJ) looks like \(idI) entered again: \(how)\(unpaid)")
    }
}

/// The ledger's invoices as the duplicate rule reads them.
struct LedgerInvoices: DuplicateInvoiceSource {
    let t: Timeline
    let invs: InvoiceTable
    /// Per invoice, acknowledged by its customer by `end` (`paidByCustomer`); empty without
    /// applications.csv (cash applied automatically, oldest first, says nothing about which sale
    /// the customer meant to pay).
    let paid: [Bool]
    /// Per invoice, how many of its customer's invoices share its amount and issue date (itself
    /// included); per customer, on how many days it was billed one amount twice or more.
    let sameDay: [Int32]
    let sameDayRepeats: [Int]
    init(t: Timeline, byCustomer: [[Int]], end: Day) {
        self.t = t
        let invs = t.ledger.invoices
        self.invs = invs
        let l = t.ledger
        if l.applicationsFromFile {
            var settled = [Int64](repeating: 0, count: invs.count)
            var credited = [Int64](repeating: 0, count: invs.count)
            let apps = l.applications, p = l.payments, adj = l.adjustments, disputes = l.disputes
            for k in 0..<apps.count where apps.date[k] <= end {
                guard let i = apps.document[k].invoiceIndex, i < invs.count else { continue }
                let pay = Int(apps.payment[k])
                guard p.customer[pay] == invs.customer[i], p.currency[pay] == invs.currency[i] else { continue }
                settled[i] += apps.amount[k]
            }
            for a in 0..<adj.count where adj.kind[a] == .creditMemo && adj.date[a] <= end {
                guard let i = adj.document[a].invoiceIndex, i < invs.count else { continue }
                credited[i] += adj.allocated[a]
            }
            var ordered = [Bool](repeating: false, count: invs.count)
            for i in 0..<invs.count {
                let amount: Int64 = invs.amount[i], own: Int64 = settled[i]
                let mostly: Bool = own * 2 >= amount && (own + credited[i]) * 10 >= amount * 9
                ordered[i] = own * 10 >= amount * 9 || mostly
            }
            for d in 0..<disputes.count where disputes.openedDate[d] <= end {
                guard let i = disputes.document[d].invoiceIndex, i < invs.count else { continue }
                let reason = disputes.reason[d] < 0 ? "" : disputes.symbols[disputes.reason[d]].lowercased()
                if !reason.contains("duplicat") { ordered[i] = true }
            }
            paid = ordered
        } else {
            paid = []
        }
        var sameDay = [Int32](repeating: 1, count: invs.count)
        var days = [Int](repeating: 0, count: byCustomer.count)
        for (c, list) in byCustomer.enumerated() {
            // In issue-date order: each day's invoices side by side.
            var a = 0
            while a < list.count {
                var e = a + 1
                while e < list.count && invs.issueDate[list[e]] == invs.issueDate[list[a]] { e += 1 }
                if e - a >= 2 {
                    var day = list[a..<e].map { (invs.amount[$0], invs.currency[$0].packed, $0) }
                    day.sort { ($0.0, $0.1) < ($1.0, $1.1) }
                    var k = 0, repeated = false
                    while k < day.count {
                        var f = k + 1
                        while f < day.count && day[f].0 == day[k].0 && day[f].1 == day[k].1 { f += 1 }
                        for x in k..<f { sameDay[day[x].2] = Int32(f - k) }
                        if f - k >= 2 { repeated = true }
                        k = f
                    }
                    if repeated { days[c] += 1 }
                }
                a = e
            }
        }
        self.sameDay = sameDay
        sameDayRepeats = days
    }
    func id(_ i: Int) -> String { invs.ids[Int32(i)] }
    func customerID(_ i: Int) -> String { t.ledger.customers.ids[invs.customer[i]] }
    func printedNumber(_ i: Int) -> String { invs.printedNumber(i) }
    func amount(_ i: Int) -> Int64 { invs.amount[i] }
    func currency(_ i: Int) -> Currency { invs.currency[i] }
    func issueDate(_ i: Int) -> Day { invs.issueDate[i] }
    func poNumber(_ i: Int) -> String { invs.poNumber.isEmpty(i) ? "" : invs.poNumber[i] }
    func sameHands(_ i: Int, _ j: Int) -> Bool {
        guard invs.createdBy[i] >= 0, invs.createdBy[i] == invs.createdBy[j], let x = invs.createdAt[i], let y = invs.createdAt[j] else { return false }
        return abs(x.seconds - y.seconds) <= 7200
    }
    func sameUser(_ i: Int, _ j: Int) -> Bool { invs.createdBy[i] >= 0 && invs.createdBy[i] == invs.createdBy[j] }
    func base(_ i: Int) -> Int64 { t.docBase[i] }
    func paidByCustomer(_ i: Int) -> Bool? { paid.isEmpty ? nil : paid[i] }
    func otherSameDayRepeats(_ i: Int, _ j: Int) -> Int {
        let total = sameDayRepeats[Int(invs.customer[i])]
        // The day of i and j, when it is one of them, is left out.
        return sameDay[i] >= 2 && invs.issueDate[i] == invs.issueDate[j] ? total - 1 : total
    }
}
