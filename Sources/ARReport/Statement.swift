import ARAnalytics
import ARModel
import Foundation

/// A statement of account: the opening balance, every transaction of the period with a
/// running balance, the closing balance and the aged balance, in the customer's currency.
public struct Statement: Sendable {
    public struct Line: Sendable {
        public let date: Day
        public let kind: String
        public let document: String
        public let detail: String
        /// Signed: invoices, debit memos and fees positive; payments and credits negative.
        public let amount: Int64
        public let balance: Int64
        /// The detail as a phrase with `{x}` ("for {x}", "due {x}") for other languages: its
        /// argument, a date to write in the letter's style, and a suffix (", PO ...").
        public var detailKey = "", detailArg = "", detailSuffix = ""
        public var detailDay: Day?
    }
    public let customer: Int
    public let currency: Currency
    public let from: Day
    public let to: Day
    public let opening: Int64
    public let lines: [Line]
    public let closing: Int64
    /// Aging labels and amounts (local), then unapplied cash and unallocated credit.
    public let aging: [(label: String, amount: Int64)]
    public let overdue: Int64

    public enum Problem: Error, CustomStringConvertible {
        case mixedCurrencies(String)
        public var description: String {
            switch self {
            case .mixedCurrencies(let id): return "\(id) has documents in more than one currency; statements are in one currency"
            }
        }
    }

    /// `history`: the customer's, when already built (`CustomerHistory.all` for many statements).
    public init(_ book: AccountBook, customer c: Int, from: Day, edges: [Int], history: CustomerHistory? = nil) throws {
        let t = book.timeline, l = t.ledger
        let history = history ?? CustomerHistory(book, customer: c)
        let money = history.events.filter { $0.amount != 0 }
        let currencies = Set(money.map(\.currency))
        guard currencies.count <= 1 else { throw Problem.mixedCurrencies(l.customers.ids[Int32(c)]) }
        currency = currencies.first ?? l.customers.currency[c]
        customer = c
        self.from = from
        to = book.asOf
        var balance: Int64 = 0
        var lines: [Line] = []
        var opening: Int64?
        for e in money {
            if e.date < from { balance += e.amount; continue }
            if opening == nil { opening = balance }
            balance += e.amount
            let (label, document, key, arg) = Statement.customerFacing(e, ledger: l)
            var line = Line(date: e.date, kind: label, document: document, detail: key.replacingOccurrences(of: "{x}", with: arg), amount: e.amount, balance: balance)
            line.detailKey = key; line.detailArg = arg
            if e.kind == .invoice, let i = l.invoices.ids.find(e.document).map(Int.init) {
                // "due 2026-07-01, PO 123": the date written in the letter's style.
                let po = l.invoices.poNumber[i]
                line.detailDay = l.invoices.dueDate[i]
                line.detailSuffix = po.isEmpty ? "" : ", PO \(po)"
                line = Line(date: line.date, kind: line.kind, document: line.document, detail: "due \(l.invoices.dueDate[i])" + line.detailSuffix,
                            amount: line.amount, balance: line.balance, detailKey: "due {x}", detailArg: "", detailSuffix: line.detailSuffix, detailDay: line.detailDay)
            }
            lines.append(line)
        }
        self.opening = opening ?? balance
        self.lines = lines
        closing = balance
        // Aged balance from the open items at the date, in local amounts.
        let labels = Aging.labels(edges, basis: .due)
        var buckets = [Int64](repeating: 0, count: labels.count)
        var overdue: Int64 = 0
        for i in book.items[c] {
            let d = i.daysPastDue
            buckets[Aging.bucket(d, edges, basis: .due)] += i.open
            if d > 0 { overdue += i.open }
        }
        let unapplied = balance - buckets.reduce(0, +)
        aging = zip(labels, buckets).map { ($0, $1) } + (unapplied != 0 ? [("unapplied cash and credits", unapplied)] : [])
        self.overdue = overdue
    }

    /// What the customer sees of an event: its own documents and references only, never an
    /// internal id, a reason or another customer. Invoices by number (with due date and PO);
    /// payments by the customer's own reference and the invoices they paid; credit, debit notes
    /// and late charges by number and the invoice they are on; write-offs as an adjustment on
    /// the invoice; cash that crossed accounts as a payment for the invoice, or a transfer.
    static func customerFacing(_ e: AccountEvent, ledger l: Ledger) -> (label: String, document: String, detail: String, arg: String) {
        let inv = l.invoices, adj = l.adjustments
        func target(_ a: Int) -> String {
            let d = adj.document[a]
            return d.invoiceIndex.map { inv.printedNumber($0) } ?? d.adjustmentIndex.map { adj.ids[Int32($0)] } ?? ""
        }
        switch e.kind {
        case .invoice:
            let i = inv.ids.find(e.document).map(Int.init)
            return ("Invoice", i.map { inv.printedNumber($0) } ?? e.document, e.detail, "")
        case .payment:
            guard let p = l.payments.ids.find(e.document).map(Int.init) else { return ("Payment", "", "", "") }
            var paid: [String] = [], elsewhere = false
            // The customer's own invoices it paid, from the history's wording ("applied to A0
            // 1000.00, ..."); documents of other accounts are left out.
            if e.detail.hasPrefix("applied to ") {
                let list = e.detail.dropFirst("applied to ".count).split(separator: ";").first.map(String.init) ?? ""
                for item in list.components(separatedBy: ", ") {
                    guard let id = item.split(separator: " ").first.map(String.init) else { continue }
                    if let i = inv.ids.find(id) {
                        if inv.customer[Int(i)] == l.payments.customer[p] { paid.append(inv.printedNumber(Int(i))) } else { elsewhere = true }
                    } else if let a = adj.ids.find(id) {
                        if adj.customer[Int(a)] == l.payments.customer[p] { paid.append(id) } else { elsewhere = true }
                    }
                }
            }
            return ("Payment", l.payments.reference[p], !paid.isEmpty ? "for {x}" : elsewhere ? "" : "not yet matched to an invoice", paid.joined(separator: ", "))
        case .applied_from_other_account:
            return ("Payment", "", "for {x}", inv.ids.find(e.document).map { inv.printedNumber(Int($0)) } ?? e.document)
        case .applied_to_other_account:
            return ("Payment transferred", "", "applied to another account as instructed", "")
        case .credit_memo, .debit_memo, .late_fee:
            let label = e.kind == .credit_memo ? "Credit note" : e.kind == .debit_memo ? "Debit note" : "Late payment charge"
            guard let a = adj.ids.find(e.document).map(Int.init) else { return (label, e.document, "", "") }
            let on = target(a)
            return (label, e.document, on.isEmpty ? "" : "on {x}", on)
        case .write_off:
            guard let a = adj.ids.find(e.document).map(Int.init) else { return ("Adjustment", "", "", "") }
            let on = target(a)
            return ("Adjustment", on, on.isEmpty ? "balance adjusted" : "balance of {x} adjusted", on)
        default:
            return (e.kind.rawValue.replacingOccurrences(of: "_", with: " "), e.document, "", "")
        }
    }

    /// The statement as a letter, worded by the statements templates.
    public func letter(_ book: AccountBook, configuration: Configuration, templates: LetterTemplates) -> Letter {
        let l = book.timeline.ledger
        let lang = templates.language(l, customer: customer, configuration: configuration), loc = LetterLocale(lang)
        func m(_ v: Int64) -> String { loc.money(v, currency) }
        func t(_ s: String) -> String { templates.label(s, lang) }
        let company = configuration.company ?? "Accounts Receivable"
        let addr = l.customers.address[customer].split(whereSeparator: { $0 == "\n" || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
        let inCredit = closing < 0
        var letter = Letter(company: company, senderLines: configuration.notices.senderLines, recipient: l.customers.name[customer],
                            recipientLines: addr, date: to, reference: l.customers.ids[Int32(customer)], level: inCredit ? "credit" : "statement",
                            columns: [.init(t("Date")), .init(t("Transaction")), .init(t("Reference")), .init(t("Details")),
                                      .init(t("Debit"), numeric: true), .init(t("Credit"), numeric: true), .init("\(t("Balance")) \(currency.code)", numeric: true)],
                            rows: [], totals: [(t(inCredit ? "In your favour" : "Closing balance"), m(inCredit ? -closing : closing))],
                            payment: inCredit || closing == 0 ? [] : configuration.notices.payment,
                            signature: configuration.notices.signature)
        letter.language = lang
        letter.rows.append([loc.shortDate(from), t("Opening balance"), "", "", "", "", m(opening)])
        for x in lines {
            let detail = x.detailKey.isEmpty ? x.detail
                : templates.label(x.detailKey, lang, x.detailDay.map { loc.shortDate($0) } ?? x.detailArg) + x.detailSuffix
            letter.rows.append([loc.shortDate(x.date), t(x.kind), x.document, detail, x.amount > 0 ? m(x.amount) : "",
                                x.amount < 0 ? m(-x.amount) : "", m(x.balance)])
        }
        // The aged balance as a small table: one column per bucket, then cash and credits not
        // yet matched.
        letter.summaryTitle = templates.label("Aged balance at {x}", lang, loc.longDate(to))
        letter.summaryColumns = aging.map { $0.label == "unapplied cash and credits" ? t("Unmatched credits") : $0.label == "current" ? t("Not yet due") : templates.label("{x} days", lang, $0.label) } + [t("Total")]
        letter.summaryRow = aging.map { m($0.amount) } + [m(closing)]
        letter.amountDue = Money.decimalString(max(0, closing), digits: currency.minorDigits)
        letter.currency = currency.code
        templates.word(&letter, values: [
            "name": l.customers.name[customer], "company": company, "from": loc.longDate(from), "to": loc.longDate(to),
            "closing": m(closing), "credit": inCredit ? m(-closing) : false, "currency": currency.code, "overdue": overdue > 0 ? m(overdue) : false,
            "pay_by": loc.longDate(to + configuration.notices.payWithinDays),
        ])
        return letter
    }
}
