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
            let label: String
            switch e.kind {
            case .applied_from_other_account: label = "paid by other a/c"
            case .applied_to_other_account: label = "paid to other a/c"
            default: label = e.kind.rawValue.replacingOccurrences(of: "_", with: " ")
            }
            lines.append(Line(date: e.date, kind: label, document: e.document,
                              detail: e.detail, amount: e.amount, balance: balance))
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

    /// The statement as a letter, worded by the statements templates.
    public func letter(_ book: AccountBook, configuration: Configuration, templates: LetterTemplates) -> Letter {
        let l = book.timeline.ledger
        func m(_ v: Int64) -> String { Money.decimalString(v, digits: currency.minorDigits, grouping: ",") }
        let company = configuration.company ?? "Accounts Receivable"
        let addr = l.customers.address[customer].split(whereSeparator: { $0 == "\n" || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
        var letter = Letter(company: company, senderLines: configuration.notices.senderLines, recipient: l.customers.name[customer],
                            recipientLines: addr, date: to, reference: l.customers.ids[Int32(customer)], level: "statement",
                            columns: [.init("Date"), .init("Transaction"), .init("Reference"), .init("Details"),
                                      .init("Debit", numeric: true), .init("Credit", numeric: true), .init("Balance \(currency.code)", numeric: true)],
                            rows: [], totals: [("Closing balance", m(closing))], payment: configuration.notices.payment,
                            signature: configuration.notices.signature)
        letter.rows.append([from.description, "Opening balance", "", "", "", "", m(opening)])
        for x in lines {
            let detail = x.detail.count > 38 ? String(x.detail.prefix(37)) + "…" : x.detail
            letter.rows.append([x.date.description, x.kind, x.document, detail, x.amount > 0 ? m(x.amount) : "",
                                x.amount < 0 ? m(-x.amount) : "", m(x.balance)])
        }
        templates.word(&letter, values: [
            "name": l.customers.name[customer], "company": company, "from": Letters.longDate(from), "to": Letters.longDate(to),
            "closing": m(closing), "currency": currency.code, "overdue": overdue > 0 ? m(overdue) : false,
            "aging": aging.map { "\($0.label) \(m($0.amount))" }.joined(separator: " · "),
            "pay_by": Letters.longDate(to + configuration.notices.payWithinDays),
        ])
        return letter
    }
}
