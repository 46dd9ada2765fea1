import ARModel

/// An overdue invoice held back from notices, fees and plans today, and why.
public struct Hold: Sendable, Equatable {
    public enum Kind: String, Sendable { case dispute, promise, duplicate }
    public let slot: Int
    public let document: String
    public let kind: Kind
    /// Open, in the base currency.
    public let openBase: Int64
    /// One phrase: "in dispute", "promise to pay 800.00 by 2026-07-05",
    /// "suspected duplicate of INV-1 (duplicate_invoice, severity 0.95)".
    public let reason: String
}

/// Which overdue items are held, at the book's date:
/// - an item in open dispute;
/// - an item a pending promise to pay covers: the invoice the promise names, or, when it names
///   none, the promised amount taken over the overdue items oldest first, while what is left
///   of the promise pays the next item in full;
/// - an invoice a duplicate rule flags (the later of the pair) with at least the configured
///   severity.
/// Everything else overdue is chaseable.
public struct Holds: Sendable {
    public let asOf: Day
    public let bySlot: [Int: Hold]

    /// `duplicatesFrom`: the lowest severity that holds a suspected duplicate (nil: none).
    /// `duplicates`: the duplicate findings when already known (`Holds.duplicates`), else
    /// they are looked for here.
    public init(_ book: AccountBook, duplicatesFrom: Double?, duplicates known: [AnomalyFinding]? = nil) {
        let t = book.timeline, l = t.ledger
        asOf = book.asOf
        var held: [Int: Hold] = [:]
        for items in book.items {
            for i in items where i.daysPastDue > 0 && i.disputed {
                held[i.slot] = Hold(slot: i.slot, document: i.document, kind: .dispute, openBase: i.openBase, reason: "in dispute")
            }
        }
        if let from = duplicatesFrom, from <= 1 {
            var open: [Int: OpenItem] = [:]
            for items in book.items { for i in items where i.daysPastDue > 0 && i.slot < t.invoiceCount { open[i.slot] = i } }
            if !open.isEmpty {
                let findings = known ?? {
                    var later = [Bool](repeating: false, count: t.invoiceCount)
                    for s in open.keys { later[s] = true }
                    return Holds.duplicates(t, through: book.asOf, later: later)
                }()
                for f in findings where [AnomalyRule.duplicateInvoice, .nearDuplicateInvoice].contains(f.rule) && f.severity >= from && f.documents.count == 2 {
                    guard let j = l.invoices.ids.find(f.documents[1]).map(Int.init), let i = open[j], held[j] == nil else { continue }
                    held[j] = Hold(slot: j, document: i.document, kind: .duplicate, openBase: i.openBase,
                                   reason: "suspected duplicate of \(f.documents[0]) (\(f.rule.rawValue), severity \(String(format: "%.2f", f.severity)))")
                }
            }
        }
        let a = l.activities
        for (c, promises) in book.promises.enumerated() {
            let cur = l.customers.currency[c]
            for p in promises where p.status == .pending {
                let text = "promise to pay \(Money.decimalString(p.amount, digits: cur.minorDigits)) by \(p.due)"
                let overdue = book.items[c].filter { $0.daysPastDue > 0 && held[$0.slot] == nil }
                if let named = a.document[p.activity].invoiceIndex {
                    for i in overdue where i.slot == named {
                        held[i.slot] = Hold(slot: i.slot, document: i.document, kind: .promise, openBase: i.openBase, reason: text)
                    }
                    continue
                }
                // Oldest first (items are sorted by due date); the promise is in the customer's currency.
                var left = p.amount
                for i in overdue {
                    let open = i.currency == cur ? i.open : t.docBase(i.slot, open: i.open)
                    guard left >= open else { break }
                    left -= open
                    held[i.slot] = Hold(slot: i.slot, document: i.document, kind: .promise, openBase: i.openBase, reason: text)
                }
            }
        }
        bySlot = held
    }

    /// The duplicate findings holds are made of (`duplicate_invoice`, `near_duplicate_invoice`),
    /// for invoices dated through `day` whose later invoice `later` marks (by invoice index):
    /// the overdue open invoices the holds are for. Those for an earlier day are these with the
    /// later invoice dated through it (the rule judges each pair on the whole ledger's habits),
    /// so one run, marking the invoices of every date, serves several dates.
    public static func duplicates(_ t: Timeline, through day: Day, later: [Bool]) -> [AnomalyFinding] {
        AnomalyRules(t, approvalThreshold: 0, to: day).invoiceDuplicates(later: later)
    }

    public func isHeld(_ slot: Int) -> Bool { bySlot[slot] != nil }

    /// The customer's held overdue items, in the book's order (due date, document).
    public func held(_ book: AccountBook, customer c: Int) -> [Hold] {
        book.items[c].compactMap { bySlot[$0.slot] }
    }

    /// Overdue items of the customer not held, in the book's order.
    public func chaseableItems(_ book: AccountBook, customer c: Int) -> [OpenItem] {
        book.items[c].filter { $0.daysPastDue > 0 && bySlot[$0.slot] == nil }
    }

    /// Overdue items not held, base currency, the oldest's days past due and their count.
    public func chaseable(_ book: AccountBook, customer c: Int) -> (amount: Int64, maxDays: Int, count: Int) {
        var amount: Int64 = 0, days = 0, count = 0
        for i in book.items[c] where i.daysPastDue > 0 && bySlot[i.slot] == nil {
            amount += i.openBase; days = max(days, i.daysPastDue); count += 1
        }
        return (amount, days, count)
    }
}
