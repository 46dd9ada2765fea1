import ARModel

public enum Grain: String, CaseIterable, Sendable {
    case month, quarter, year, all
    /// ISO weeks (Monday to Sunday) and days: flow metrics only (`FineKPIs`).
    case week, day

    public var isFine: Bool { self == .week || self == .day }
}

/// A reporting period: a label and the months it spans (indices into a `MonthRange`).
public struct Period: Sendable, Equatable {
    public let label: String
    public let lo: Int
    public let hi: Int
    public init(label: String, lo: Int, hi: Int) { self.label = label; self.lo = lo; self.hi = hi }
}

public enum KPIValue: Sendable, Equatable {
    case money(Int64)
    case number(Double)
    case null

    public var double: Double? {
        switch self {
        case .money(let m): return Double(m)
        case .number(let d): return d
        case .null: return nil
        }
    }
}

/// A value against its target from arlens.yml.
public struct TargetStatus: Sendable, Equatable {
    public let target: Double
    public let met: Bool
    /// value − target, in the metric's unit (money in major units).
    public let gap: Double
}

public struct KPIRow: Sendable {
    public let metric: KPI
    public let period: String
    public let group: String?
    public let value: KPIValue
    public let status: TargetStatus?
}

public struct KPIQuery: Sendable {
    public var metrics: [KPI]
    public var from: YearMonth?
    public var to: YearMonth?
    public var grain: Grain = .month
    public var by: Dimension?

    public init(metrics: [KPI], from: YearMonth? = nil, to: YearMonth? = nil, grain: Grain = .month, by: Dimension? = nil) {
        self.metrics = metrics
        self.from = from
        self.to = to
        self.grain = grain
        self.by = by
    }
}

public struct KPIResult: Sendable {
    public let query: KPIQuery
    public let baseCurrency: Currency
    public let periods: [Period]
    public let rows: [KPIRow]
}

/// Computes KPI series: builds the monthly measures once, then evaluates each metric's
/// formula for every period and group. Ratios with a zero denominator are null.
public struct KPIEngine: Sendable {
    public let measures: MonthlyMeasures
    public let periods: [Period]
    let firstDocIndex: Int?

    /// The months a query needs: the ledger's, widened to whole periods of the grain.
    public static func monthRange(_ t: Timeline, _ q: KPIQuery) -> (MonthRange, [Period]) {
        monthRange(first: t.firstDay.yearMonth, last: t.lastDay.yearMonth, q)
    }

    /// The months a query needs for a ledger spanning `first...last`.
    public static func monthRange(first ledgerFirst: YearMonth, last ledgerLast: YearMonth, _ q: KPIQuery) -> (MonthRange, [Period]) {
        let from = q.from ?? ledgerFirst, to = q.to ?? ledgerLast
        func start(_ m: YearMonth) -> YearMonth {
            switch q.grain {
            case .month, .all, .week, .day: return m
            case .quarter: return YearMonth(year: m.year, month: (m.month - 1) / 3 * 3 + 1)
            case .year: return YearMonth(year: m.year, month: 1)
            }
        }
        func end(_ m: YearMonth) -> YearMonth {
            switch q.grain {
            case .month, .all, .week, .day: return m
            case .quarter: return YearMonth(year: m.year, month: (m.month - 1) / 3 * 3 + 3)
            case .year: return YearMonth(year: m.year, month: 12)
            }
        }
        let lo = min(ledgerFirst, start(from)), hi = max(ledgerLast, end(to))
        let range = MonthRange(lo, hi)
        var periods: [Period] = []
        if q.grain == .all {
            periods = [Period(label: "all", lo: range.index(of: from)!, hi: range.index(of: to)!)]
        } else {
            var m = start(from)
            while m <= to {
                let e = end(m)
                let label: String
                switch q.grain {
                case .month: label = m.description
                case .quarter: label = "\(m.year)-Q\((m.month - 1) / 3 + 1)"
                default: label = String(m.year)
                }
                periods.append(Period(label: label, lo: range.index(of: m)!, hi: range.index(of: e)!))
                m = e.advanced(by: 1)
            }
        }
        return (range, periods)
    }

    public init(_ t: Timeline, configuration: Configuration, query: KPIQuery, autoMatched: [Bool]? = nil) {
        self.init(t, configuration: configuration, query: query, autoMatched: autoMatched, parts: .all)
    }

    /// An engine whose measures hold only `parts` (the rest stay zero): for a caller that
    /// reads no metric but the query's (`run`).
    init(_ t: Timeline, configuration: Configuration, query: KPIQuery, autoMatched: [Bool]?, parts: MonthlyMeasures.Parts) {
        let (range, periods) = KPIEngine.monthRange(t, query)
        self.periods = periods
        measures = MonthlyMeasures(t, months: range, grouping: Grouping(t.ledger, by: query.by),
                                   configuration: configuration, autoMatched: autoMatched, parts: parts)
        firstDocIndex = t.firstDocumentMonth.map { $0.index - range.first.index }
    }

    /// An engine over measures made elsewhere (aggregated on a database server).
    public init(measures: MonthlyMeasures, periods: [Period]) {
        self.measures = measures
        self.periods = periods
        firstDocIndex = measures.firstDocumentMonth.map { $0.index - measures.months.first.index }
    }

    /// Every metric of `query` for every period and group, as `run` gives them.
    public func result(_ query: KPIQuery, configuration: Configuration) -> KPIResult {
        var rows: [KPIRow] = []
        let groups = query.by == nil ? [nil] : measures.grouping.keys.map { Optional($0) }
        for metric in query.metrics {
            for p in periods {
                for (g, key) in groups.enumerated() {
                    let v = value(metric, group: g, period: p)
                    rows.append(KPIRow(metric: metric, period: p.label, group: key, value: v,
                                       status: KPIEngine.status(metric, v, configuration)))
                }
            }
        }
        return KPIResult(query: query, baseCurrency: measures.baseCurrency, periods: periods, rows: rows)
    }

    /// The monthly rows of `metrics` over `from...to` (inside the measured months) from these
    /// measures, without measuring again: one engine can serve several windows.
    public func monthly(_ metrics: [KPI], from: YearMonth, to: YearMonth, configuration: Configuration, base: Currency) -> KPIResult {
        var periods: [Period] = []
        var m = from
        while m <= to {
            if let i = measures.months.index(of: m) { periods.append(Period(label: m.description, lo: i, hi: i)) }
            m = m.advanced(by: 1)
        }
        var rows: [KPIRow] = []
        for metric in metrics {
            for p in periods {
                let v = value(metric, group: 0, period: p)
                rows.append(KPIRow(metric: metric, period: p.label, group: nil, value: v, status: KPIEngine.status(metric, v, configuration)))
            }
        }
        return KPIResult(query: KPIQuery(metrics: metrics, from: from, to: to, grain: .month), baseCurrency: base, periods: periods, rows: rows)
    }

    /// Runs a query end to end.
    public static func run(_ t: Timeline, configuration: Configuration, query: KPIQuery,
                           autoMatched: [Bool]? = nil) -> KPIResult {
        if query.grain.isFine { return FineKPIs.run(t, configuration: configuration, query: query) }
        return KPIEngine(t, configuration: configuration, query: query, autoMatched: autoMatched,
                         parts: MonthlyMeasures.Parts(query.metrics)).result(query, configuration: configuration)
    }

    public static func status(_ metric: KPI, _ v: KPIValue, _ c: Configuration) -> TargetStatus? {
        guard let target = c.target(metric), metric.better != .neither, var x = v.double else { return nil }
        if case .money = v { x /= Double(c.baseCurrency?.minorPerMajor ?? 100) }
        let met = metric.better == .lower ? x <= target : x >= target
        return TargetStatus(target: target, met: met, gap: x - target)
    }

    // MARK: formulas

    func sum(_ a: [Int64], _ g: Int, _ lo: Int, _ hi: Int) -> Int64 {
        var s: Int64 = 0
        if lo > hi { return 0 }
        for m in max(lo, 0)...hi { s += a[measures.k(g, m)] }
        return s
    }
    func sum(_ a: [Int32], _ g: Int, _ lo: Int, _ hi: Int) -> Int64 {
        var s: Int64 = 0
        if lo > hi { return 0 }
        for m in max(lo, 0)...hi { s += Int64(a[measures.k(g, m)]) }
        return s
    }
    func sum(_ a: [Double], _ g: Int, _ lo: Int, _ hi: Int) -> Double {
        var s = 0.0
        if lo > hi { return 0 }
        for m in max(lo, 0)...hi { s += a[measures.k(g, m)] }
        return s
    }
    func billings(_ g: Int, _ lo: Int, _ hi: Int) -> Int64 {
        var s: Int64 = 0
        if lo > hi { return 0 }
        for m in max(lo, 0)...hi { s += measures.flows.billings(measures.k(g, m)) }
        return s
    }
    /// Net AR at the end of month `m` (0 before the range: nothing existed yet).
    func net(_ g: Int, _ m: Int) -> Int64 { m < 0 ? 0 : measures.net[measures.k(g, m)] }
    func days(_ lo: Int, _ hi: Int) -> Int {
        var d = 0
        for m in lo...hi { d += measures.months[m].dayCount }
        return d
    }
    static func ratio(_ a: Double, _ b: Double, times: Double = 1) -> KPIValue {
        b == 0 ? .null : .number(a / b * times)
    }

    public func value(_ metric: KPI, group g: Int, period p: Period) -> KPIValue {
        let mm = measures
        let end = mm.k(g, p.hi)
        let window = mm.configuration.dsoWindowMonths
        switch metric {
        case .ar: return .money(mm.net[end])
        case .ar_gross: return .money(mm.gross[end])
        case .overdue: return .money(mm.overdue[end])
        case .billings: return .money(billings(g, p.lo, p.hi))
        case .collections: return .money(sum(mm.flows.collections, g, p.lo, p.hi))
        case .write_offs: return .money(sum(mm.flows.writeOffs, g, p.lo, p.hi))
        case .credit_memos: return .money(sum(mm.flows.creditMemos, g, p.lo, p.hi))
        case .unapplied_cash: return .money(mm.unappliedCash[end])
        case .dso, .bpdso, .add:
            let lo = p.hi - window + 1
            guard let first = firstDocIndex, lo >= first, lo >= 0 else { return .null }
            let b = Double(billings(g, lo, p.hi))
            let d = Double(days(lo, p.hi))
            let dso = KPIEngine.ratio(Double(mm.net[end]), b, times: d)
            let best = KPIEngine.ratio(Double(mm.current[end]), b, times: d)
            switch metric {
            case .dso: return dso
            case .bpdso: return best
            default:
                guard let x = dso.double, let y = best.double else { return .null }
                return .number(x - y)
            }
        case .dso_countback: return countback(g, p.hi)
        case .cei:
            let begin = Double(net(g, p.lo - 1)), b = Double(billings(g, p.lo, p.hi))
            return KPIEngine.ratio(begin + b - Double(mm.net[end]), begin + b - Double(mm.current[end]), times: 100)
        case .turnover:
            let lo = p.hi - 11
            guard let first = firstDocIndex, lo >= first, lo >= 0 else { return .null }
            let avg = (Double(net(g, lo - 1)) + Double(mm.net[end])) / 2
            return KPIEngine.ratio(Double(billings(g, lo, p.hi)), avg)
        case .pct_current: return KPIEngine.ratio(Double(mm.current[end]), Double(mm.gross[end]), times: 100)
        case .pct_over_90: return KPIEngine.ratio(Double(mm.over90[end]), Double(mm.gross[end]), times: 100)
        case .bad_debt_ratio:
            return KPIEngine.ratio(Double(sum(mm.flows.writeOffs, g, p.lo, p.hi)), Double(billings(g, p.lo, p.hi)), times: 100)
        case .days_to_pay:
            return KPIEngine.ratio(Double(sum(mm.daysToPaySum, g, p.lo, p.hi)), Double(sum(mm.paidCount, g, p.lo, p.hi)))
        case .days_to_pay_weighted:
            return KPIEngine.ratio(sum(mm.daysToPayWeighted, g, p.lo, p.hi), Double(sum(mm.paidAmount, g, p.lo, p.hi)))
        case .days_late:
            return KPIEngine.ratio(Double(sum(mm.daysLateSum, g, p.lo, p.hi)), Double(sum(mm.paidCount, g, p.lo, p.hi)))
        case .days_late_weighted:
            return KPIEngine.ratio(sum(mm.daysLateWeighted, g, p.lo, p.hi), Double(sum(mm.paidAmount, g, p.lo, p.hi)))
        case .on_time_rate:
            return KPIEngine.ratio(Double(sum(mm.onTimeCount, g, p.lo, p.hi)), Double(sum(mm.paidCount, g, p.lo, p.hi)), times: 100)
        case .open_invoices: return .number(Double(mm.openDocuments[end]))
        case .open_invoices_change:
            let now = Double(mm.openDocuments[end])
            let before = p.lo == 0 ? 0 : Double(mm.openDocuments[mm.k(g, p.lo - 1)])
            return KPIEngine.ratio(now - before, before, times: 100)
        case .processing_days:
            return KPIEngine.ratio(Double(sum(mm.processingSum, g, p.lo, p.hi)), Double(sum(mm.processingCount, g, p.lo, p.hi)))
        case .billing_error_rate:
            return KPIEngine.ratio(Double(sum(mm.billingErrorCredits, g, p.lo, p.hi)),
                                   Double(sum(mm.flows.invoicesIssued, g, p.lo, p.hi)), times: 100)
        case .dispute_rate:
            return KPIEngine.ratio(Double(sum(mm.disputesOpened, g, p.lo, p.hi)),
                                   Double(sum(mm.flows.invoicesIssued, g, p.lo, p.hi)), times: 100)
        case .dispute_days:
            return KPIEngine.ratio(Double(sum(mm.disputeDaysSum, g, p.lo, p.hi)), Double(sum(mm.disputesResolved, g, p.lo, p.hi)))
        case .open_disputes: return .number(Double(mm.openDisputes[end]))
        case .cash_application_lag:
            return KPIEngine.ratio(Double(sum(mm.postingLagSum, g, p.lo, p.hi)), Double(sum(mm.postedCount, g, p.lo, p.hi)))
        case .auto_match_rate:
            guard mm.autoApplied else { return .null }
            return KPIEngine.ratio(Double(sum(mm.paymentsAutoMatched, g, p.lo, p.hi)),
                                   Double(sum(mm.paymentsReceived, g, p.lo, p.hi)), times: 100)
        case .promise_kept_rate:
            return KPIEngine.ratio(Double(sum(mm.promisesKept, g, p.lo, p.hi)), Double(sum(mm.promisesDue, g, p.lo, p.hi)), times: 100)
        case .contact_completeness:
            return KPIEngine.ratio(Double(mm.customersComplete[end]), Double(mm.customers[end]), times: 100)
        }
    }

    /// Countback DSO at the end of month `hi`.
    func countback(_ g: Int, _ hi: Int) -> KPIValue {
        let ar = measures.net[measures.k(g, hi)]
        var billings: [Int64] = [], days: [Int] = []
        for step in 0..<24 {
            let m = hi - step
            billings.append(m >= 0 ? measures.flows.billings(measures.k(g, m)) : 0)
            days.append(measures.months.first.advanced(by: m).dayCount)
        }
        return .number(KPIEngine.countback(ar: ar, billingsNewestFirst: billings, days: days))
    }

    /// Countback: start from `ar`, walk back month by month (newest first) subtracting each
    /// month's billings and adding its days until the next month's billings exceed what is
    /// left, then add that fraction of the month. A month whose billings equal what is left
    /// adds its full days. At most 24 months are examined; AR <= 0 gives 0.
    public static func countback(ar: Int64, billingsNewestFirst b: [Int64], days: [Int]) -> Double {
        if ar <= 0 { return 0 }
        var left = ar
        var d = 0.0
        for k in 0..<min(24, b.count) {
            let len = Double(days[k])
            if b[k] < left {
                left -= b[k]
                d += len
            } else {
                return d + (b[k] == left ? len : Double(left) / Double(b[k]) * len)
            }
        }
        return d
    }
}
