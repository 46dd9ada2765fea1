import ARModel

/// Late-payment interest and fixed compensation per overdue invoice, as of a date.
///
/// - contractual: a monthly rate, simple, after grace days, with a minimum per invoice;
/// - EU (Directive 2011/7/EU): the reference rate + 8 points a year, simple, daily, plus a
///   fixed €40 per invoice;
/// - UK (Late Payment of Commercial Debts Act): the base rate + 8% a year, simple, daily,
///   plus £40, £70 or £100 by the size of the debt.
/// Interest is exact: integer minor units × rate in millionths × days, rounded once, half away
/// from zero. Late fees already in the ledger for an invoice are deducted, so the same days are
/// never charged twice.
public enum LateFeePolicy: Sendable, Equatable {
    case contractual(monthlyRatePercent: Double, graceDays: Int, minimum: Double)
    case eu(referenceRatePercent: Double)
    case uk(baseRatePercent: Double)

    /// The policy named in the configuration, or `name` when given (contractual, eu, uk).
    public init?(_ s: LateFeeSettings, name: String? = nil) {
        switch name ?? s.policy {
        case "contractual": self = .contractual(monthlyRatePercent: s.monthlyRatePercent, graceDays: s.graceDays, minimum: s.minimum)
        case "eu": self = .eu(referenceRatePercent: s.euReferenceRatePercent)
        case "uk": self = .uk(baseRatePercent: s.ukBaseRatePercent)
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .contractual: return "contractual"
        case .eu: return "eu"
        case .uk: return "uk"
        }
    }

    /// Simple interest on `open` minor units at `annualPercent` a year for `days` days.
    public static func interest(_ open: Int64, annualPercent: Double, days: Int) -> Int64 {
        guard open > 0, days > 0 else { return 0 }
        let micros = Int128((annualPercent * 1_000_000).rounded())   // percent × 1e6
        let num = Int128(open) * micros * Int128(days)
        let den = Int128(365) * 100 * 1_000_000
        let q = num / den, r = num % den
        return Int64(r * 2 >= den ? q + 1 : q)
    }

    /// Interest and fixed compensation for an invoice `open` minor units, `daysOverdue` days late.
    public func charge(open: Int64, daysOverdue: Int, currency: Currency) -> (interest: Int64, fixed: Int64) {
        guard daysOverdue > 0, open > 0 else { return (0, 0) }
        switch self {
        case .contractual(let monthly, let grace, let minimum):
            let days = daysOverdue - grace
            guard days > 0 else { return (0, 0) }
            // A monthly rate of m% is 12·m% a year, counted by the day.
            let i = LateFeePolicy.interest(open, annualPercent: monthly * 12, days: days)
            return (max(i, Int64((minimum * Double(currency.minorPerMajor)).rounded())), 0)
        case .eu(let reference):
            return (LateFeePolicy.interest(open, annualPercent: reference + 8, days: daysOverdue), 40 * currency.minorPerMajor)
        case .uk(let base):
            let major = open / currency.minorPerMajor
            let fixed: Int64 = major < 1000 ? 40 : major < 10_000 ? 70 : 100
            return (LateFeePolicy.interest(open, annualPercent: base + 8, days: daysOverdue), fixed * currency.minorPerMajor)
        }
    }
}

public struct LateFeeLine: Sendable {
    /// The invoice's document slot in the timeline.
    public let slot: Int
    public let document: String
    public let customer: String
    public let currency: Currency
    public let open: Int64
    public let daysOverdue: Int
    public let interest: Int64
    public let fixed: Int64
    /// Late fees already charged on this invoice.
    public let alreadyCharged: Int64
    /// What is still due: interest + fixed − already charged, never below zero.
    public var due: Int64 { max(0, interest + fixed - alreadyCharged) }
}

public enum LateFees {
    /// Every overdue invoice's fee under `policy` at the book's date, in the invoice's currency;
    /// invoices `holds` holds (disputed, promised, suspected duplicates) are charged nothing.
    public static func compute(_ book: AccountBook, policy: LateFeePolicy, holds: Holds? = nil) -> [LateFeeLine] {
        let t = book.timeline, l = t.ledger
        var charged: [Int: Int64] = [:]
        for a in 0..<l.adjustments.count where l.adjustments.kind[a] == .lateFee && l.adjustments.date[a] <= book.asOf {
            if let i = l.adjustments.document[a].invoiceIndex { charged[i, default: 0] += l.adjustments.amount[a] }
        }
        var out: [LateFeeLine] = []
        for (c, items) in book.items.enumerated() {
            for item in items where item.slot < t.invoiceCount && item.daysPastDue > 0 && !(holds?.isHeld(item.slot) ?? false) {
                let (interest, fixed) = policy.charge(open: item.open, daysOverdue: item.daysPastDue, currency: item.currency)
                out.append(LateFeeLine(slot: item.slot, document: item.document, customer: l.customers.ids[Int32(c)], currency: item.currency, open: item.open,
                                       daysOverdue: item.daysPastDue, interest: interest, fixed: fixed, alreadyCharged: charged[item.slot] ?? 0))
            }
        }
        return out.sorted { ($0.customer, $0.document) < ($1.customer, $1.document) }
    }
}
