import ARModel
import Foundation

/// Monthly values of every KPI over a window of months ending with the pack's month, read by
/// name: the month itself, the month before, the same month a year earlier, the last twelve.
public struct KPIWindow: Sendable {
    /// The window's months, oldest first; the last is the pack's month.
    public let months: [YearMonth]
    public let values: [KPI: [Double?]]
    /// Every KPI over the year to date: January (or the ledger's first month) to the pack's
    /// month as one period, by the metric's own definition (AR at the end, billings summed,
    /// DSO on the period's end).
    public let yearToDate: [KPI: Double?]

    /// The ledger's first month with a document: months before it have no values to compare with.
    public let firstMonth: YearMonth?

    init(engine: KPIEngine, months: [YearMonth], firstMonth: YearMonth?) {
        self.months = months
        self.firstMonth = firstMonth
        var v: [KPI: [Double?]] = [:]
        let range = engine.measures.months
        for k in KPI.allCases {
            v[k] = months.map { m in
                guard let i = range.index(of: m) else { return nil }
                return engine.value(k, group: 0, period: Period(label: m.description, lo: i, hi: i)).double
            }
        }
        values = v
        var ytd: [KPI: Double?] = [:]
        let last = months[months.count - 1]
        if let hi = range.index(of: last) {
            let jan = YearMonth(year: last.year, month: 1)
            let lo = range.index(of: jan) ?? (jan.index < range.first.index ? 0 : hi)
            for k in KPI.allCases { ytd[k] = engine.value(k, group: 0, period: Period(label: "ytd", lo: lo, hi: hi)).double }
        }
        yearToDate = ytd
    }

    /// Index of the pack's month in `months`.
    public var current: Int { months.count - 1 }
    /// Index of the month before it.
    public var previous: Int { months.count - 2 }
    /// The indices of the last `n` months (the pack's month last).
    public func lastIndices(_ n: Int) -> Range<Int> { max(0, months.count - n)..<months.count }
    /// The last `n` months.
    public func lastMonths(_ n: Int) -> [YearMonth] { Array(months[lastIndices(n)]) }

    public func series(_ k: KPI) -> [Double?] { values[k]! }
    public func now(_ k: KPI) -> Double? { values[k]![current] }
    public func before(_ k: KPI) -> Double? { values[k]![previous] }
    /// Index of the same month a year earlier (nil when the window is shorter).
    public var yearAgo: Int? { months.count >= 13 ? months.count - 13 : nil }
    public func lastYear(_ k: KPI) -> Double? { yearAgo.flatMap { covered($0) ? values[k]![$0] : nil } }
    /// Whether the ledger reaches back to the month at index `i`.
    public func covered(_ i: Int) -> Bool { firstMonth.map { months[i] >= $0 } ?? false }
    public func ytd(_ k: KPI) -> Double? { yearToDate[k] ?? nil }
    /// Metrics read at a month-end (balances, their shares, DSO): their year to date is the
    /// average of the month-ends since January, not the last one again.
    public static let pointInTime: Set<KPI> = [.ar, .ar_gross, .overdue, .pct_current, .pct_over_90, .dso, .dso_countback, .bpdso, .add,
                                               .open_invoices, .open_disputes, .unapplied_cash, .contact_completeness]
    /// The year to date as a reader expects it: flows and rates over the months since January
    /// as one period (`ytd`), month-end readings averaged over those month-ends.
    public func ytdReading(_ k: KPI) -> Double? {
        guard KPIWindow.pointInTime.contains(k) else { return ytd(k) }
        let m = months[current]
        let idx = months.indices.filter { months[$0].year == m.year && $0 <= current && covered($0) }
        let vals = idx.compactMap { values[k]![$0] }
        return vals.isEmpty ? nil : vals.reduce(0, +) / Double(vals.count)
    }
    public func last(_ k: KPI, _ n: Int) -> [Double?] { Array(values[k]![lastIndices(n)]) }
    /// A series derived month by month from others (nil where any input is nil).
    public func derived(_ f: (Int) -> Double?) -> [Double?] { months.indices.map(f) }
}

/// Everything the monthly pack shows, computed once per pack: KPIs over two years, aging now
/// and a month ago, the roll-forward, the account book with scores, worklist and team, the
/// cash and KPI forecasts, disputes, anomalies with Benford, the GL reconciliation and the
/// data-quality findings. The report's sections turn it into words, charts and tables.
public struct PackAnalysis: Sendable {
    public static let windowMonths = 24

    public let month: YearMonth
    public let timeline: Timeline
    public let configuration: Configuration
    public let kpis: KPIWindow
    /// Every KPI for the pack's month and the eleven before it (kpis.json).
    public let kpiResult: KPIResult
    /// Gross AR by bucket at each of the last twelve month-ends, oldest first.
    public let agingHistory: [[Int64]]
    /// Aging by customer at the month-end, with the open items behind it.
    public let aging: AgingReport
    /// Aging by customer at the previous month-end.
    public let previousAging: AgingReport
    /// Gross AR by bucket at the same month-end a year earlier (empty before the ledger starts).
    public let yearAgoBuckets: [Int64]
    /// The expected-credit-loss allowance at the month-end and the month before.
    public let provision: Provision
    public let rollForward: RollForward
    public let book: AccountBook
    public let scores: [CreditScore]
    public let creditLines: [CreditLine]
    public let worklist: Worklist
    public let team: [CollectorLine]
    public let dunning: DunningEffectiveness
    public let whatIf: WhatIf
    public let cash: CashForecast?
    public let forecastCheck: ForecastCheck?
    public let kpiForecasts: [KPIForecast]
    public let disputeReasons: [DisputeReason]
    /// Findings on documents of the last 12 months and on every document still open at the
    /// month-end, without those the reviewed-findings list cleared.
    public let anomalies: [AnomalyFinding]
    /// How many findings the reviewed-findings list cleared.
    public let anomaliesCleared: Int
    /// Confirmed findings with a document still open (or not found in the ledger) at the month-end.
    public let trackedFindings: [AnomalyReview.Tracked]
    /// Confirmed findings whose documents are all closed: no longer tracked.
    public let resolvedFindings: Int
    public let benford: BenfordCheck?
    public let gl: [GLReconciliationLine]
    /// The load report's findings and the ledger's data-quality findings.
    public let quality: [Finding]

    /// The last weeks' collections before the month-end and last month's forecast held
    /// against what came in.
    public struct ForecastCheck: Sendable {
        public let origin: Day
        public let weeks: [CashForecast.Week]
        public let actual: [Double]
        public var forecastTotal: Double { weeks.reduce(0) { $0 + $1.expected } }
        public var actualTotal: Double { actual.reduce(0, +) }
        /// Weighted absolute percentage error of the weekly forecasts, percent.
        public var wape: Double {
            let err = zip(weeks, actual).reduce(0) { $0 + abs($1.0.expected - $1.1) }
            return actualTotal == 0 ? 0 : err / actualTotal * 100
        }
    }

    public struct KPIForecast: Sendable {
        public let metric: KPI
        /// The months with values, oldest first, ending with the pack's month.
        public let history: [Double]
        public let forecast: SeriesForecast
    }

    public struct DisputeReason: Sendable {
        public let reason: String
        public let count: Int
        /// Base currency minor units disputed.
        public let amount: Int64
    }

    public struct BenfordCheck: Sendable {
        public let result: Benford.Result
        /// 95% bounds of each digit's expected proportion for the sample size.
        public let lower: [Double], upper: [Double]
    }

    /// The weeks of actual collections shown before the forecast.
    public let pastWeeks: [Double]

    public init(prepared: PreparedLedger, report: LoadReport, configuration config: Configuration, month: YearMonth,
                gl glBalances: [(date: Day, balance: Int64)] = [], reviewed: [ReviewedFinding] = []) {
        let t = prepared.timeline, l = t.ledger
        self.month = month
        timeline = t
        configuration = config
        let first = month.advanced(by: -(PackAnalysis.windowMonths - 1))
        let engine = KPIEngine(t, configuration: config, query: KPIQuery(metrics: KPI.allCases, from: first, to: month),
                               autoMatched: prepared.cashApplication?.autoMatched)
        let window = KPIWindow(engine: engine, months: (0..<PackAnalysis.windowMonths).map { first.advanced(by: $0) },
                               firstMonth: t.firstDocumentMonth)
        kpis = window
        kpiResult = engine.monthly(KPI.allCases, from: month.advanced(by: -11), to: month, configuration: config, base: t.base)
        let mm = engine.measures
        agingHistory = window.lastMonths(12).map { m in mm.months.index(of: m).map { mm.agingBuckets[mm.k(0, $0)] } ?? [] }
        aging = Aging.compute(t, asOf: month.lastDay, basis: .due, edges: config.agingBuckets, by: .customer, detail: true)
        previousAging = Aging.compute(t, asOf: month.advanced(by: -1).lastDay, basis: .due, edges: config.agingBuckets, by: .customer)
        yearAgoBuckets = window.yearAgo.flatMap { window.covered($0) ? mm.months.index(of: month.advanced(by: -12)) : nil }
            .map { mm.agingBuckets[mm.k(0, $0)] } ?? []
        provision = Provision.compute(t, month: month, edges: config.agingBuckets, lookbackMonths: config.provisionLookbackMonths,
                                      adjustmentPercent: config.provisionAdjustmentPercent)
        rollForward = RollForward.compute(t, from: month, to: month)
        let end = month.lastDay
        book = AccountBook(t, asOf: end)
        scores = CreditRisk.scores(book)
        creditLines = CreditRisk.lines(book, reviewMonths: config.creditReviewMonths, scores: scores)
        worklist = Worklist(book, scores: scores, ladder: config.dunning)
        team = TeamPerformance.compute(book, worklist: worklist, configuration: config)
        dunning = DunningEffectiveness(t, asOf: end)
        whatIf = WhatIf(t, configuration: config, month: month, dso: config.target(.dso), cei: config.target(.cei),
                        over90: config.target(.pct_over_90))

        // Cash: 13 weeks ahead, 8 weeks behind, and last month's forecast against actuals.
        if l.payments.count > 0 {
            cash = CashForecast.make(t, asOf: end, weeks: 13)
            pastWeeks = CashForecast.actuals(t, after: end - 7 * 8, weeks: 8)
            let prevEnd = month.advanced(by: -1).lastDay
            let weeks = Int((Double(end - prevEnd) / 7).rounded(.down))
            if prevEnd >= t.firstDay + 90 && weeks > 0 {
                forecastCheck = ForecastCheck(origin: prevEnd, weeks: CashForecast.make(t, asOf: prevEnd, weeks: weeks).weeks,
                                              actual: CashForecast.actuals(t, after: prevEnd, weeks: weeks))
            } else {
                forecastCheck = nil
            }
            // The headline KPIs six months ahead, from their months with values.
            kpiForecasts = [KPI.dso, .cei, .pct_over_90, .on_time_rate].compactMap { k in
                let history = window.series(k).drop { $0 == nil }
                guard history.count >= 6, !history.contains(where: { $0 == nil }) else { return nil }
                let h = history.map { $0! }
                return KPIForecast(metric: k, history: h, forecast: SeriesForecast.make(h, horizon: 6))
            }
        } else {
            cash = nil
            pastWeeks = []
            forecastCheck = nil
            kpiForecasts = []
        }

        // Disputes opened in the last 12 months by reason, amounts in base currency.
        let from12 = month.advanced(by: -11).firstDay
        var reasons: [String: (Int, Int64)] = [:]
        for d in 0..<l.disputes.count where l.disputes.openedDate[d] >= from12 && l.disputes.openedDate[d] <= end {
            let r = l.disputes.reason[d] < 0 ? "(no reason)" : l.disputes.symbols[l.disputes.reason[d]]
            let slot = t.slot(l.disputes.document[d])
            let amount = l.disputes.amount[d].map { Timeline.convert($0, t.docRate[slot], Int(t.docDigits[slot]), t.base.minorDigits) } ?? 0
            reasons[r, default: (0, 0)].0 += 1
            reasons[r, default: (0, 0)].1 += amount
        }
        disputeReasons = reasons.sorted { $0.value.0 != $1.value.0 ? $0.value.0 > $1.value.0 : $0.key < $1.key }
            .map { DisputeReason(reason: $0.key, count: $0.value.0, amount: $0.value.1) }

        // Anomalies of the last 12 months and of every document still open, less the cleared
        // ones; confirmed ones tracked until their documents close. Benford on the year's
        // invoice amounts.
        let open = OpenDocuments(t, asOf: end)
        let review = AnomalyReview(reviewed)
        (anomalies, anomaliesCleared) = review.apply(
            AnomalyRules(t, approvalThreshold: config.approvalThreshold * t.base.minorPerMajor, from: from12, to: end, open: open).run())
        let tracked = review.tracked(t, open)
        trackedFindings = tracked.filter { !$0.resolved }
        resolvedFindings = tracked.count - trackedFindings.count
        var amounts: [Int64] = []
        for i in 0..<l.invoices.count where l.invoices.issueDate[i] >= from12 && l.invoices.issueDate[i] <= end {
            amounts.append(l.invoices.amount[i])
        }
        if amounts.count >= 100 {
            let r = Benford.run(amounts, .first)
            let n = Double(r.n)
            benford = BenfordCheck(result: r,
                                   lower: r.digits.map { max(0, $0.expected - 1.96 * ($0.expected * (1 - $0.expected) / n).squareRoot()) },
                                   upper: r.digits.map { $0.expected + 1.96 * ($0.expected * (1 - $0.expected) / n).squareRoot() })
        } else {
            benford = nil
        }

        let glRows = glBalances.filter { $0.date >= from12 && $0.date <= end }
        gl = glRows.isEmpty ? [] : GLReconciliation.reconcile(t, gl: glRows)
        quality = DataQuality.findings(l) + report.findings
    }
}
