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
        if sameAmount && days == 0 && !numbersAlike {
            let sameHands = repeats && s.sameHands(i, j)
            guard !repeats || sameHands else { return nil }
            let why = repeats ? "\(habitText), but both were entered by the same user within two hours" : "only \(habitText)"
            return AnomalyFinding(rule: .duplicateInvoice, severity: severity(repeats ? 0.8 : 0.9), amount: base,
                documents: [idI, idJ], customers: [s.customerID(i)],
                evidence: [("days_apart", "0"), ("amount", money(base)), ("customer_repeat_rate", percent(h.customerRate))],
                message: "\(idJ) repeats \(idI): same customer, amount \(money(base)) and date; \(why)")
        }
        if sameAmount && !numbersAlike && repeats { return nil }
        // Where amounts repeat, the same amount says nothing, and nearby sequential numbers are
        // digit shuffles of each other now and then (107046 and 107064): a transposed number
        // counts only when one user entered both (a re-entry is keyed by whoever holds the bill).
        if sameAmount && repeats && !suffixed && !prefixed && !s.sameUser(i, j) { return nil }
        // Catalogue customers' amounts are often digit shuffles of each other: only on the same day.
        if !sameAmount && repeats && days > 0 { return nil }
        let how = sameAmount
            ? (suffixed ? "number \(nj) is \(ni) with a suffix"
               : prefixed ? "number \(nj) is \(ni) with a prefix"
               : transposed(ni, nj) ? "numbers \(ni) and \(nj) differ by two transposed digits"
               : "the same amount \(days) days apart, and only \(habitText)")
            : "amounts \(shown(i)) and \(shown(j)) differ by two transposed digits\(transposed(ai, aj) ? "" : " (the leading digit swapped with a zero, which drops)")\(days == 0 && s.sameUser(i, j) ? ", entered the same day by the same user" : "")"
        return AnomalyFinding(rule: .nearDuplicateInvoice, severity: severity(0.75), amount: base,
            documents: [idI, idJ], customers: [s.customerID(i)],
            evidence: [("days_apart", String(days)), ("numbers", "\(ni), \(nj)"), ("customer_repeat_rate", percent(h.customerRate))],
            message: "\(idJ) looks like \(idI) entered again: \(how)")
    }
}

/// The ledger's invoices as the duplicate rule reads them.
struct LedgerInvoices: DuplicateInvoiceSource {
    let t: Timeline
    let invs: InvoiceTable
    init(t: Timeline) { self.t = t; invs = t.ledger.invoices }
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
}
