import ARModel

/// A 0–100 risk score per customer (higher is riskier) from five parts, each scaled to 0…1:
///
/// | part | weight | 1.0 when |
/// |---|---|---|
/// | payment behaviour: amount-weighted days late of invoices settled in the last 365 days | 30 | 60+ days late |
/// | aging: share of the open balance more than 60 days past due | 25 | all of it |
/// | disputes: disputes opened per invoice issued, last 365 days | 10 | 1 in 4 |
/// | utilisation: balance / credit limit | 20 | 120% of the limit (0 below 50%) |
/// | trend: days late over the last 90 days minus the 275 days before | 15 | 30 days worse |
///
/// Every part that scores 0.25 or more is named in `reasons`.
public struct CreditScore: Sendable {
    public let customer: Int
    public let score: Double
    public let parts: [String: Double]
    public let reasons: [String]
    public var band: String { score >= 60 ? "high" : score >= 30 ? "medium" : "low" }
}

public struct CreditLine: Sendable {
    public let score: CreditScore
    public let balance: Int64
    /// Base currency minor units, when the customer has a limit.
    public let limit: Int64?
    public var utilisation: Double? { limit.flatMap { $0 > 0 ? Double(balance) / Double($0) : nil } }
    public var overLimit: Bool { limit.map { balance > $0 } ?? false }
    /// ok, never_reviewed, overdue; `isNew` when created within the review period.
    public let review: String
    public let lastReview: Day?
    public let isNew: Bool
}

public enum CreditRisk {
    public static let weights: [(String, Double)] = [("behaviour", 30), ("aging", 25), ("disputes", 10), ("utilisation", 20), ("trend", 15)]

    public static func scores(_ book: AccountBook) -> [CreditScore] {
        let t = book.timeline, l = t.ledger, asOf = book.asOf
        let n = book.customerCount
        // Amount-weighted lateness of settled invoices, recent (90 days) and earlier (91–365).
        var lateRecent = [(Double, Double)](repeating: (0, 0), count: n), lateEarlier = lateRecent
        var issued = [Int](repeating: 0, count: n)
        for i in 0..<t.invoiceCount {
            let c = Int(t.docCustomer[i])
            if asOf - t.docDate[i] < 365 && t.docDate[i] <= asOf { issued[c] += 1 }
            let s = book.settleDay[i]
            guard s != Int32.max else { continue }
            let settled = Day(number: s)
            let age = asOf - settled
            guard age >= 0 && age < 365 else { continue }
            let late = Double(max(0, settled - t.docDue[i])), w = Double(t.docBase[i])
            if age < 90 { lateRecent[c].0 += late * w; lateRecent[c].1 += w } else { lateEarlier[c].0 += late * w; lateEarlier[c].1 += w }
        }
        var disputes = [Int](repeating: 0, count: n)
        let d = l.disputes
        for k in 0..<d.count where !d.document[k].isNone && d.openedDate[k] <= asOf && asOf - d.openedDate[k] < 365 {
            disputes[Int(t.docCustomer[t.slot(d.document[k])])] += 1
        }
        func clamp(_ x: Double) -> Double { min(1, max(0, x)) }
        return (0..<n).map { c in
            var parts: [String: Double] = [:], reasons: [String] = []
            let (ls, lw) = (lateRecent[c].0 + lateEarlier[c].0, lateRecent[c].1 + lateEarlier[c].1)
            let avgLate = lw > 0 ? ls / lw : 0
            parts["behaviour"] = clamp(avgLate / 60)
            if parts["behaviour"]! >= 0.25 { reasons.append("pays \(Int(avgLate.rounded())) days late on average (12 months)") }

            let gross = book.items[c].reduce(Int64(0)) { $0 + $1.openBase }
            let old = book.items[c].filter { $0.daysPastDue > 60 }.reduce(Int64(0)) { $0 + $1.openBase }
            parts["aging"] = gross > 0 ? clamp(Double(old) / Double(gross)) : 0
            if parts["aging"]! >= 0.25 { reasons.append("\(Int((parts["aging"]! * 100).rounded()))% of the balance is more than 60 days past due") }

            let rate = issued[c] > 0 ? Double(disputes[c]) / Double(issued[c]) : (disputes[c] > 0 ? 1 : 0)
            parts["disputes"] = clamp(rate * 4)
            if parts["disputes"]! >= 0.25 { reasons.append("\(disputes[c]) dispute\(disputes[c] == 1 ? "" : "s") on \(issued[c]) invoices in 12 months") }

            var util = 0.0
            if let limit = t.creditLimitBase(c, on: asOf), limit > 0 {
                util = Double(book.balance[c]) / Double(limit)
            }
            parts["utilisation"] = clamp((util - 0.5) / 0.7)
            if parts["utilisation"]! >= 0.25 { reasons.append("uses \(Int((util * 100).rounded()))% of the credit limit") }

            var trend = 0.0
            if lateRecent[c].1 > 0 && lateEarlier[c].1 > 0 {
                trend = lateRecent[c].0 / lateRecent[c].1 - lateEarlier[c].0 / lateEarlier[c].1
            }
            parts["trend"] = clamp(trend / 30)
            if parts["trend"]! >= 0.25 { reasons.append("paying \(Int(trend.rounded())) days later than before (last 90 days)") }

            let score = weights.reduce(0.0) { $0 + $1.1 * parts[$1.0]! }
            return CreditScore(customer: c, score: (score * 10).rounded() / 10, parts: parts, reasons: reasons)
        }
    }

    /// Scores with utilisation, limits and review status, riskiest first.
    /// `scores` are the book's scores when the caller has them already (they are not recomputed).
    public static func lines(_ book: AccountBook, reviewMonths: Int, scores given: [CreditScore]? = nil) -> [CreditLine] {
        let l = book.timeline.ledger, asOf = book.asOf
        let m = asOf.yearMonth.advanced(by: -reviewMonths)
        let cutoff = Day(year: m.year, month: m.month, day: min(asOf.components.day, m.dayCount))!
        func monthsBack(_ d: Day) -> Bool { d < cutoff }   // older than the review period
        return (given ?? scores(book)).map { s in
            let c = s.customer
            let limit = book.timeline.creditLimitBase(c, on: asOf)
            let reviewed = l.customers.creditReviewDate[c].flatMap { $0 <= asOf ? $0 : nil }
            let created = l.customers.createdDate[c]
            let isNew = created.map { $0 <= asOf && !monthsBack($0) } ?? false
            let review: String
            if let r = reviewed { review = monthsBack(r) ? "overdue" : "ok" } else { review = "never_reviewed" }
            return CreditLine(score: s, balance: book.balance[c], limit: limit, review: review, lastReview: reviewed, isNew: isNew)
        }.sorted { ($0.score.score, l.customers.ids[Int32($1.score.customer)]) > ($1.score.score, l.customers.ids[Int32($0.score.customer)]) }
    }
}

extension Timeline {
    /// Customer `c`'s credit limit (given in its own currency) in base minor units at `day`;
    /// nil without a limit. Without a rate for the day the limit is taken as it stands.
    public func creditLimitBase(_ c: Int, on day: Day) -> Int64? {
        let cu = ledger.customers
        guard let limit = cu.creditLimit[c] else { return nil }
        let cur = cu.currency[c]
        guard cur != base, let rate = ledger.fxRates.rate(cur, on: day) else { return limit }
        return Timeline.convert(limit, rate, cur.minorDigits, base.minorDigits)
    }
}
