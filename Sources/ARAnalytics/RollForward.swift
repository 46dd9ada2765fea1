import ARModel

/// The AR roll-forward for a run of months: beginning AR + billings − collections − credit
/// memos − write-offs ± FX = ending AR, to the cent. Every line is measured on its own (the FX
/// line event by event), so reconciling is a check, not a plug.
public struct RollForward: Sendable, Equatable {
    public let from: YearMonth
    public let to: YearMonth
    public let currency: Currency
    public let beginning: Int64
    public let invoices: Int64
    public let debitMemos: Int64
    public let lateFees: Int64
    public let collections: Int64
    public let creditMemos: Int64
    public let writeOffs: Int64
    /// FX and rounding on applications and credits in foreign currencies.
    public let fx: Int64
    public let ending: Int64

    public var billings: Int64 { invoices + debitMemos + lateFees }
    /// What the lines add up to.
    public var computedEnding: Int64 { beginning + billings - collections - creditMemos - writeOffs + fx }
    public var reconciles: Bool { computedEnding == ending }

    public static func compute(_ t: Timeline, from: YearMonth, to: YearMonth) -> RollForward {
        let months = MonthRange(min(t.firstDay.yearMonth, from), max(t.lastDay.yearMonth, to))
        var sweep = BalanceSweep(t, customerGroup: [Int32](repeating: 0, count: t.ledger.customers.count),
                                 groupCount: 1, months: months)
        sweep.advance(through: from.firstDay - 1)
        let beginning = sweep.netAR()
        sweep.advance(through: to.lastDay)
        let f = sweep.flows
        let lo = months.index(of: from)!, hi = months.index(of: to)!
        func sum(_ a: [Int64]) -> Int64 { (lo...hi).reduce(0) { $0 + a[$1] } }
        return RollForward(from: from, to: to, currency: t.base, beginning: beginning, invoices: sum(f.invoices),
                           debitMemos: sum(f.debitMemos), lateFees: sum(f.lateFees), collections: sum(f.collections),
                           creditMemos: sum(f.creditMemos), writeOffs: sum(f.writeOffs),
                           fx: sum(f.fx) + sum(f.transfers), ending: sweep.netAR())
    }
}
