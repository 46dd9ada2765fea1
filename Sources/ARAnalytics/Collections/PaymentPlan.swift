import ARModel

/// A payment plan: equal principal instalments that sum exactly to the balance (the rounding
/// remainder goes to the last), with optional simple interest on the declining balance.
public struct PaymentPlan: Sendable {
    public enum Frequency: String, Sendable, CaseIterable { case monthly, weekly }

    public struct Installment: Sendable {
        public let number: Int
        public let due: Day
        public let principal: Int64
        public let interest: Int64
        public var amount: Int64 { principal + interest }
    }

    public let balance: Int64
    public let installments: [Installment]
    public var total: Int64 { installments.reduce(0) { $0 + $1.amount } }
    public var totalInterest: Int64 { installments.reduce(0) { $0 + $1.interest } }

    /// Interest for the first instalment runs from `agreed` (default: one period before it).
    public init(balance: Int64, count n: Int, start: Day, frequency: Frequency, annualInterestPercent: Double = 0, agreed: Day? = nil) {
        precondition(n >= 1)
        self.balance = balance
        let base = balance / Int64(n)
        var remaining = balance
        var out: [Installment] = []
        var previous = start
        for k in 0..<n {
            let due: Day
            switch frequency {
            case .weekly: due = start + 7 * k
            case .monthly:
                // Same day of the month, clamped to the month's end.
                let m = start.yearMonth.advanced(by: k)
                due = Day(year: m.year, month: m.month, day: min(start.components.day, m.dayCount))!
            }
            let principal = k == n - 1 ? remaining : base
            // Interest on what is still owed, for the days since the previous instalment.
            let days = k == 0 ? agreed.map { max(0, start - $0) } ?? (frequency == .weekly ? 7 : start.yearMonth.dayCount) : due - previous
            let interest = annualInterestPercent > 0 ? LateFeePolicy.interest(remaining, annualPercent: annualInterestPercent, days: days) : 0
            out.append(Installment(number: k + 1, due: due, principal: principal, interest: interest))
            remaining -= principal
            previous = due
        }
        installments = out
    }
}
