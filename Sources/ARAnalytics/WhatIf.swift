import ARModel

/// Cash released by reaching KPI levels at the end of a month, all else equal.
///
/// - DSO: DSO = AR ÷ (billings per day), so each day of DSO is AR ÷ DSO of cash; reaching T
///   releases (DSO − T) × AR ÷ DSO.
/// - CEI: with AR_begin A, billings B and current AR C fixed, CEI = (A + B − E) ÷ (A + B − C);
///   reaching T% means ending AR E' = A + B − T% × (A + B − C): E − E' is released.
/// - Over-90 share: collecting x of the over-90 O out of gross G gives (O − x) ÷ (G − x) = T%,
///   so x = (O − T%·G) ÷ (1 − T%).
/// Nothing is released when the level is already reached.
public struct WhatIf: Sendable {
    public struct Line: Sendable {
        public let metric: KPI
        public let current: Double
        public let target: Double
        /// Base minor units; 0 when the target is already met.
        public let released: Int64
    }
    public let month: YearMonth
    public let lines: [Line]
    /// Cash per day of DSO (billings per day over the DSO window).
    public let perDayOfDSO: Int64?

    public init(_ t: Timeline, configuration: Configuration, month: YearMonth, dso: Double?, cei: Double?, over90: Double?) {
        self.month = month
        let r = KPIEngine.run(t, configuration: configuration,
                              query: KPIQuery(metrics: [.ar, .ar_gross, .overdue, .billings, .dso, .cei, .pct_over_90], from: month.advanced(by: -1), to: month))
        func v(_ k: KPI, _ m: YearMonth = month) -> Double? { r.rows.first { $0.metric == k && $0.period == m.description }?.value.double }
        var lines: [Line] = []
        let ar = v(.ar) ?? 0
        if let d = v(.dso), d > 0 {
            perDayOfDSO = Int64((ar / d).rounded())
            if let target = dso { lines.append(Line(metric: .dso, current: d, target: target, released: Int64(max(0, (d - target) * ar / d).rounded()))) }
        } else {
            perDayOfDSO = nil
        }
        if let target = cei, let c = v(.cei), let a = v(.ar, month.advanced(by: -1)), let b = v(.billings), let g = v(.ar_gross), let o = v(.overdue) {
            let x = a + b - (g - o)
            let endAtTarget = a + b - target / 100 * x
            lines.append(Line(metric: .cei, current: c, target: target, released: Int64(max(0, ar - endAtTarget).rounded())))
        }
        if let target = over90, let s = v(.pct_over_90), let g = v(.ar_gross), target < 100 {
            let o = s / 100 * g
            lines.append(Line(metric: .pct_over_90, current: s, target: target, released: Int64(max(0, (o - target / 100 * g) / (1 - target / 100)).rounded())))
        }
        self.lines = lines
    }
}
