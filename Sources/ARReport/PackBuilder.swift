import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// Computes the pack's content for a month from a prepared ledger: the tiles and findings of
/// the executive summary, then each section available from the analyses that exist.
public struct PackBuilder {
    let prepared: PreparedLedger
    let report: LoadReport
    let config: Configuration
    let month: YearMonth
    let ledgerName: String
    /// GL control-account balances to reconcile against (arlens.yml `gl: file:`).
    public var gl: [(date: Day, balance: Int64)] = []
    var t: Timeline { prepared.timeline }
    var l: Ledger { prepared.ledger }
    var currency: Currency { l.baseCurrency }
    var money: ValueFormat { .money(symbol: ValueFormat.symbol(forCurrency: currency.code)) }
    var major: Double { Double(currency.minorPerMajor) }

    public init(prepared: PreparedLedger, report: LoadReport, configuration: Configuration, month: YearMonth, ledgerName: String) {
        self.prepared = prepared
        self.report = report
        self.config = configuration
        self.month = month
        self.ledgerName = ledgerName
    }

    public func build() -> PackModel {
        let first = month.advanced(by: -23)
        let engine = KPIEngine(t, configuration: config, query: KPIQuery(metrics: KPI.allCases, from: first, to: month),
                               autoMatched: prepared.cashApplication?.autoMatched)
        let series = Series24(engine: engine, from: first, month: month)
        let kpis = KPIEngine.run(t, configuration: config, query: KPIQuery(metrics: KPI.allCases, from: month.advanced(by: -11), to: month),
                                 autoMatched: prepared.cashApplication?.autoMatched)
        let aging = Aging.compute(t, asOf: month.lastDay, basis: .due, edges: config.agingBuckets, by: .customer)
        let previousAging = Aging.compute(t, asOf: month.advanced(by: -1).lastDay, basis: .due, edges: config.agingBuckets, by: .customer)
        let roll = RollForward.compute(t, from: month, to: month)

        let tiles = makeTiles(series)
        let findings = makeFindings(series, aging, previousAging, roll) + whatIfSentence()
        var sections: [PackSection] = []
        sections.append(summarySection(tiles, findings))
        sections.append(rollForwardSection(roll))
        sections.append(agingSection(engine, aging))
        sections.append(trendsSection(series))
        if let f = forecastSection(series) { sections.append(f) }
        let book = AccountBook(t, asOf: month.lastDay)
        let scores = CreditRisk.scores(book)
        if let c = collectionsSection(book, scores) { sections.append(c) }
        if let c = creditSection(book) { sections.append(c) }
        if let g = glSection() { sections.append(g) }
        if let s = disputesSection(series) { sections.append(s) }
        if let a = anomaliesSection() { sections.append(a) }
        sections.append(dataQualitySection(series))
        sections.append(appendixSection())
        let detail = Aging.compute(t, asOf: month.lastDay, basis: .due, edges: config.agingBuckets, by: .customer, detail: true)
        return PackModel(company: config.company ?? "Accounts receivable", month: month, currency: currency, ledgerName: ledgerName,
                         tiles: tiles, findings: findings, sections: sections, kpis: kpis,
                         csvOnly: [agingDetailTable(detail), kpiTrendTable(series)] + rejectionsCSV())
    }

    // MARK: series

    /// Monthly values of every KPI over the 24 months ending with the pack's month.
    struct Series24 {
        let engine: KPIEngine
        let months: [YearMonth]
        let values: [KPI: [Double?]]

        init(engine: KPIEngine, from: YearMonth, month: YearMonth) {
            self.engine = engine
            months = (0..<24).map { from.advanced(by: $0) }
            var v: [KPI: [Double?]] = [:]
            let range = engine.measures.months
            for k in KPI.allCases {
                v[k] = months.map { m in
                    guard let i = range.index(of: m) else { return nil }
                    return engine.value(k, group: 0, period: Period(label: m.description, lo: i, hi: i)).double
                }
            }
            values = v
        }

        func now(_ k: KPI) -> Double? { values[k]!.last! }
        func before(_ k: KPI) -> Double? { values[k]![22] }
        func last(_ k: KPI, _ n: Int) -> [Double?] { Array(values[k]!.suffix(n)) }
        var labels12: [String] { months.suffix(12).map(PackBuilder.monthLabel) }
        var labels24: [String] { months.map(PackBuilder.monthLabel) }
    }

    static let short = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static func monthLabel(_ m: YearMonth) -> String { short[m.month - 1] + " " + String(format: "%02d", m.year % 100) }

    func fmt(_ k: KPI) -> ValueFormat {
        switch k.kind {
        case .money: return money
        case .percent: return .percent
        case .days: return .days
        case .count: return .count
        case .ratio: return .ratio
        }
    }

    /// A KPI's value as people read it (money in major units).
    func text(_ k: KPI, _ v: Double?) -> String {
        guard let v else { return "n/a" }
        return k.kind == .money ? money.label(v / major) : fmt(k).label(v)
    }

    // MARK: summary

    func status(_ better: KPI.Better, _ v: Double?, _ target: Double?) -> PackTile.Status? {
        guard let v, let target, better != .neither else { return nil }
        let met = better == .lower ? v <= target : v >= target
        if met { return .onTarget }
        let miss = abs(v - target) / max(abs(target), 1e-9)
        return miss <= 0.05 ? .watch : .offTarget
    }

    func makeTiles(_ s: Series24) -> [PackTile] {
        func tile(_ id: String, _ label: String, _ now: Double?, _ before: Double?, _ history: [Double?], _ f: ValueFormat,
                  _ better: KPI.Better, _ target: Double?, moneyScale: Bool = false) -> PackTile {
            let scale = moneyScale ? major : 1
            let n = now.map { $0 / scale }, b = before.map { $0 / scale }
            let dir = better == .lower ? -1 : better == .higher ? 1 : 0
            let kt = KPITile(label: label, value: n, previous: b, history: history.map { $0.map { $0 / scale } }, format: f,
                             betterDirection: dir, target: target)
            var change: String? = nil, good: Bool? = nil
            if let n, let b {
                let d = n - b
                let amount: String
                switch f {
                case .percent: amount = ValueFormat.trim(abs(d), maxDecimals: 1) + " pts"
                case .money: amount = f.short(abs(d))
                default: amount = ValueFormat.trim(abs(d), maxDecimals: 1)
                }
                let unchanged = d == 0 || amount == "0" || amount == "0 pts" || amount.hasSuffix("$0")
                change = unchanged ? "unchanged" : (d > 0 ? "up " : "down ") + amount
                if dir != 0 && !unchanged { good = (d < 0) == (dir < 0) }
            }
            return PackTile(id: "summary-" + id, label: label, value: n.map(f.label) ?? "n/a", change: change, changeGood: good,
                            status: status(better, n, target), target: target.map(f.short), tile: kt)
        }
        func k(_ m: KPI, _ label: String? = nil) -> PackTile {
            tile(m.rawValue.replacingOccurrences(of: "_", with: "-"), label ?? m.title, s.now(m), s.before(m), s.last(m, 12), fmt(m),
                 m.better, config.targets[m.rawValue], moneyScale: m.kind == .money)
        }
        let overduePct = s.values[.pct_current]!.map { $0.map { 100 - $0 } }
        let coverage = zip(s.values[.collections]!, s.values[.billings]!).map { c, b -> Double? in
            guard let c, let b, b != 0 else { return nil }
            return c / b * 100
        }
        return [
            k(.ar, "Net AR"),
            tile("overdue-share", "Overdue share of AR", overduePct.last!, overduePct[22], Array(overduePct.suffix(12)), .percent, .lower,
                 config.targets["pct_overdue"]),
            k(.dso), k(.bpdso), k(.add), k(.cei),
            tile("collections-vs-billings", "Collections vs billings", coverage.last!, coverage[22], Array(coverage.suffix(12)), .percent,
                 .higher, config.targets["collections_vs_billings"]),
            k(.open_invoices), k(.bad_debt_ratio),
        ]
    }

    /// Three to five plain sentences: what moved, who drove it, what is off target.
    func makeFindings(_ s: Series24, _ aging: AgingReport, _ before: AgingReport, _ roll: RollForward) -> [String] {
        var out: [String] = []
        let name = PackModel.monthNames[month.month - 1]
        // 1. DSO and what drove AR.
        if let dso = s.now(.dso) {
            var sentence = "DSO was \(ValueFormat.days.label(dso)) days at the end of \(name)"
            if let b = s.before(.dso) {
                let d = dso - b
                sentence += abs(d) < 0.05 ? ", unchanged from last month" : ", \(d > 0 ? "up" : "down") \(ValueFormat.trim(abs(d), maxDecimals: 1)) days from \(ValueFormat.days.label(b))"
            }
            if let target = config.targets["dso"] {
                let gap = dso - target
                sentence += gap > 0 ? ", \(ValueFormat.trim(gap, maxDecimals: 1)) days above the \(ValueFormat.trim(target, maxDecimals: 1))-day target"
                                    : ", within the \(ValueFormat.trim(target, maxDecimals: 1))-day target"
            }
            out.append(sentence + ".")
        }
        let change = roll.ending - roll.beginning
        var byCustomer: [(String, Int64)] = []
        let beforeTotals = Dictionary(uniqueKeysWithValues: before.rows.map { ($0.group, $0.total) })
        let nowTotals = Dictionary(uniqueKeysWithValues: aging.rows.map { ($0.group, $0.total) })
        for key in Set(beforeTotals.keys).union(nowTotals.keys) {
            byCustomer.append((key, (nowTotals[key] ?? 0) - (beforeTotals[key] ?? 0)))
        }
        byCustomer.sort { abs($0.1) != abs($1.1) ? abs($0.1) > abs($1.1) : $0.0 < $1.0 }
        let drivers = byCustomer.prefix(2).filter { $0.1 != 0 && ($0.1 > 0) == (change > 0) }
        if change != 0 {
            var s2 = "Net AR \(change > 0 ? "rose" : "fell") by \(money.label(Double(abs(change)) / major)) to \(money.label(Double(roll.ending) / major))"
            if !drivers.isEmpty {
                s2 += "; the largest moves were " + drivers.map { "\(customerName($0.0)) (\($0.1 > 0 ? "+" : "−")\(money.short(Double(abs($0.1)) / major)))" }
                    .joined(separator: " and ")
            }
            out.append(s2 + ".")
        }
        // 2. The overdue bucket that moved most.
        var moved: (Int, Int64)? = nil
        for b in 1..<aging.labels.count {
            let d = aging.total.buckets[b] - before.total.buckets[b]
            if moved == nil || abs(d) > abs(moved!.1) { moved = (b, d) }
        }
        if let (b, d) = moved, d != 0 {
            let gross = aging.total.buckets.reduce(0, +)
            let share = gross == 0 ? 0 : Double(aging.total.buckets[b]) / Double(gross) * 100
            out.append("AR \(aging.labels[b]) days past due \(d > 0 ? "grew" : "shrank") by \(money.label(Double(abs(d)) / major)) to \(money.label(Double(aging.total.buckets[b]) / major)) (\(String(format: "%.1f", share))% of gross AR).")
        }
        // 3. Off target.
        let offTarget = [KPI.cei, .pct_over_90, .on_time_rate, .open_invoices_change, .bad_debt_ratio, .days_late, .bpdso]
            .compactMap { k -> String? in
                guard let t = config.targets[k.rawValue], let v = s.now(k), k.better != .neither else { return nil }
                let met = k.better == .lower ? v <= t : v >= t
                if met { return nil }
                let unit = k.kind == .percent ? " points" : k.kind == .days ? " days" : ""
                return "\(k.title.lowercased()) is \(text(k, v)), \(ValueFormat.trim(abs(v - t), maxDecimals: 1))\(unit) \(k.better == .lower ? "above" : "below") its target of \(fmt(k).short(t))"
            }
        if !offTarget.isEmpty {
            let joined = offTarget.joined(separator: "; ")
            out.append(joined.prefix(1).uppercased() + joined.dropFirst() + ".")
        }
        // 4. Cash against billing.
        if let c = s.now(.collections), let b = s.now(.billings), b > 0 {
            out.append("Collections of \(money.label(c / major)) covered \(String(format: "%.0f", c / b * 100))% of the month's \(money.label(b / major)) billings.")
        }
        // 5. Concentration of the overdue balance.
        let overdue = PackBuilder.overdueByCustomer(aging)
        let totalOverdue = overdue.reduce(0) { $0 + $1.1 }
        if overdue.count >= 5 && totalOverdue > 0 && out.count < 5 {
            let top5 = overdue.prefix(5).reduce(0) { $0 + $1.1 }
            out.append("The five largest overdue accounts hold \(String(format: "%.0f", Double(top5) / Double(totalOverdue) * 100))% of overdue AR; \(customerName(overdue[0].0)) alone owes \(money.label(Double(overdue[0].1) / major)) past due.")
        }
        return Array(out.prefix(5))
    }

    /// (customer, overdue amount) with something overdue, largest first.
    static func overdueByCustomer(_ a: AgingReport) -> [(String, Int64)] {
        var out: [(String, Int64)] = []
        for r in a.rows {
            let overdue: Int64 = r.buckets.dropFirst().reduce(0, +)
            if overdue > 0 { out.append((r.group, overdue)) }
        }
        out.sort { (x: (String, Int64), y: (String, Int64)) -> Bool in x.1 != y.1 ? x.1 > y.1 : x.0 < y.0 }
        return out
    }

    func customerName(_ id: String) -> String {
        guard let c = l.customers.ids.find(id) else { return id }
        let n = l.customers.name[Int(c)]
        return n == id ? id : n
    }

    /// The cash what-if for the summary: what a day of DSO is worth, and what reaching the
    /// configured DSO, CEI and over-90 targets would release.
    func whatIfSentence() -> [String] {
        let w = WhatIf(t, configuration: config, month: month, dso: config.targets["dso"], cei: config.targets["cei"], over90: config.targets["pct_over_90"])
        guard let perDay = w.perDayOfDSO, perDay > 0 else { return [] }
        var s = "Each day of DSO ties up \(money.label(Double(perDay) / major)) of cash"
        let gains = w.lines.filter { $0.released > 0 }
        if !gains.isEmpty {
            s += "; reaching " + gains.map { "the \($0.metric == .pct_over_90 ? "over-90 share" : $0.metric.rawValue.uppercased()) target of \(ValueFormat.trim($0.target, maxDecimals: 1))\($0.metric == .dso ? " days" : "%")" }.joined(separator: " and ")
            s += " would release " + gains.map { money.label(Double($0.released) / major) }.joined(separator: " and ") + " respectively"
            if gains.count == 1 { s = s.replacingOccurrences(of: " respectively", with: "") }
        }
        return [s + "."]
    }

    func summarySection(_ tiles: [PackTile], _ findings: [String]) -> PackSection {
        var rows: [[ReportTable.Cell]] = []
        for t in tiles {
            rows.append([.text(t.label), .text(t.value), .text(t.change ?? ""), .text(t.target ?? ""), .text(t.status?.rawValue ?? "")])
        }
        let table = ReportTable(id: "headline_kpis", title: "Headline KPIs",
                                columns: [.init("KPI"), .init("Value"), .init("Change vs last month"), .init("Target"), .init("Status")],
                                rows: rows)
        return PackSection(id: "summary", title: "Executive summary",
                           lead: "Where receivables stand at the end of \(PackModel.monthNames[month.month - 1]) \(month.year), what changed since last month, and what is off target.",
                           tables: [table], paragraphs: findings)
    }

    // MARK: roll-forward

    func rollForwardSection(_ r: RollForward) -> PackSection {
        let m = PackModel.monthNames[month.month - 1]
        let prev = month.advanced(by: -1)
        let steps: [WaterfallChart.Step] = [
            .init("AR at \(prev.lastDay.components.day) \(PackBuilder.short[prev.month - 1])", Double(r.beginning) / major, isTotal: true),
            .init("Invoices", Double(r.invoices) / major),
            .init("Debit memos & late fees", Double(r.debitMemos + r.lateFees) / major),
            .init("Collections", -Double(r.collections) / major),
            .init("Credit memos", -Double(r.creditMemos) / major),
            .init("Write-offs", -Double(r.writeOffs) / major),
            .init("FX", Double(r.fx) / major),
            .init("AR at \(month.lastDay.components.day) \(PackBuilder.short[month.month - 1])", Double(r.ending) / major, isTotal: true),
        ]
        let chart = WaterfallChart(ChartText("What moved AR in \(m)?", subtitle: "Beginning AR + billings − collections − credit memos − write-offs ± FX = ending AR, \(currency)"),
                                   steps: steps, format: money)
        let lines: [(String, Int64)] = [("AR at the start of the month", r.beginning), ("Invoices", r.invoices), ("Debit memos", r.debitMemos),
                                        ("Late fees", r.lateFees), ("− Collections", r.collections), ("− Credit memos", r.creditMemos),
                                        ("− Write-offs", r.writeOffs), ("± FX differences", r.fx), ("AR at the end of the month", r.ending)]
        var table = ReportTable(id: "rollforward", title: "AR roll-forward, \(m) \(month.year)",
                                columns: [.init("Line"), .init("Amount", .money)], rows: lines.map { [.text($0.0), .money($0.1)] },
                                note: r.reconciles ? "Reconciles to the cent: the start plus invoices, debit memos and late fees, less collections, credit memos and write-offs, plus or minus FX, is the ending AR." : "Does not reconcile.")
        table.emphasized = [0, lines.count - 1]
        return PackSection(id: "rollforward", title: "AR roll-forward",
                           lead: "How the month's billings, collections, credits and write-offs took AR from its opening to its closing balance.",
                           charts: [PackChart(id: "rollforward-waterfall", chart: chart, size: Size(800, 420), alt: "Waterfall of the AR roll-forward")],
                           tables: [table])
    }

    // MARK: aging

    func agingSection(_ e: KPIEngine, _ a: AgingReport) -> PackSection {
        let mm = e.measures
        let last12 = (0..<12).map { month.advanced(by: -11 + $0) }
        let labels = Aging.labels(config.agingBuckets, basis: .due)
        var series: [Series] = []
        for b in labels.indices {
            series.append(Series(labels[b] == "current" ? "Current" : labels[b], last12.map { m in
                mm.months.index(of: m).map { Double(mm.agingBuckets[mm.k(0, $0)][b]) / major }
            }))
        }
        let stacked = BarChart(ChartText("Is the overdue tail growing?", subtitle: "Gross AR by days past due at each month-end, \(currency)"),
                               categories: last12.map(PackBuilder.monthLabel), series: series, format: money, mode: .stacked, totals: true)
        let overdue = PackBuilder.overdueByCustomer(a)
        let top = Array(overdue.prefix(15))
        let pareto = ParetoChart(ChartText("Who holds the overdue balance?", subtitle: "Overdue AR by customer at \(month.lastDay), the largest \(top.count), with their cumulative share"),
                                 categories: top.map { customerName($0.0) }, values: top.map { Double($0.1) / major }, format: money)
        // The current aging, largest balances first.
        let rows = a.rows.sorted { $0.total != $1.total ? $0.total > $1.total : $0.group < $1.group }
        var cells: [[ReportTable.Cell]] = rows.map { r in
            [.text(r.group), .text(customerName(r.group))] + r.buckets.map { .money($0) } + [.money(r.unapplied), .money(r.total)]
        }
        cells.append([.text("Total"), .text("")] + a.total.buckets.map { .money($0) } + [.money(a.total.unapplied), .money(a.total.total)])
        var table = ReportTable(id: "aging", title: "Aging at \(a.asOf) by customer",
                                columns: [.init("Customer"), .init("Name")] + labels.map { .init($0, .money) } + [.init("Unapplied", .money), .init("Total", .money)],
                                rows: cells, note: "Buckets + unapplied = net AR for every customer and the total.")
        table.emphasized = [cells.count - 1]
        return PackSection(id: "aging", title: "Aging",
                           lead: "How old the receivables are, how that changed over the year, and who holds the overdue balance.",
                           charts: [PackChart(id: "aging-history", chart: stacked, size: Size(800, 420), alt: "Aging buckets at each month-end"),
                                    PackChart(id: "aging-top-overdue", chart: pareto, size: Size(800, 420), alt: "Top overdue customers")],
                           tables: [table])
    }

    // MARK: trends

    func trendsSection(_ s: Series24) -> PackSection {
        let months = s.labels24
        func line(_ id: String, _ title: String, _ subtitle: String, _ ks: [KPI], target: Double? = nil, extra: [Series] = [],
                  includeZero: Bool = false) -> PackChart {
            let chart = LineChart(ChartText(title, subtitle: subtitle), categories: months,
                                  series: ks.map { Series($0.title, s.values[$0]!.map { v in v.map { $0 / ($0.isNaN ? 1 : 1) } }) } + extra,
                                  format: fmt(ks[0]), target: target, includeZero: includeZero)
            return PackChart(id: id, chart: chart, size: Size(800, 380), alt: title)
        }
        var charts: [PackChart] = []
        charts.append(line("trend-dso", s.now(.dso).map { d in config.targets["dso"].map { d <= $0 ? "DSO is within target" : "Is DSO coming down?" } ?? "Is DSO coming down?" } ?? "DSO",
                           "DSO, best possible DSO and average days delinquent (\(config.dsoWindowMonths)-month window)",
                           [.dso, .bpdso, .add], target: config.targets["dso"], includeZero: true))
        charts.append(line("trend-cei", "Are we collecting what we could?", "Collection effectiveness index, % (100 = everything collectable collected)",
                           [.cei], target: config.targets["cei"]))
        // Open invoices against the target path (e.g. −10% a month from a year ago).
        var extra: [Series] = []
        if let t = config.targets["open_invoices_change"], let startIndex = s.values[.open_invoices]!.firstIndex(where: { $0 != nil }) {
            let start = s.values[.open_invoices]![max(startIndex, 12)] ?? s.values[.open_invoices]![startIndex]!
            extra.append(Series("Target path (\(ValueFormat.trim(t, maxDecimals: 1))% a month)", (0..<24).map { k in
                k < 12 ? nil : start * pow(1 + t / 100, Double(k - 12))
            }))
        }
        charts.append(line("trend-open-invoices", "Are open invoices falling?", "Receivable documents open at each month-end",
                           [.open_invoices], extra: extra, includeZero: true))
        charts.append(line("trend-days-to-pay", "How long do customers take to pay?", "Days from issue to payment and days past due, over invoices paid each month",
                           [.days_to_pay, .days_to_pay_weighted, .days_late], target: nil, includeZero: true))
        charts.append(line("trend-on-time", "How many invoices are paid on time?", "Share of invoices paid each month by their due date, %",
                           [.on_time_rate], target: config.targets["on_time_rate"]))
        let shown: [KPI] = [.ar, .billings, .collections, .dso, .bpdso, .add, .cei, .pct_over_90, .days_to_pay, .on_time_rate, .open_invoices]
        let last12 = Array(s.months.suffix(12))
        let rows: [[ReportTable.Cell]] = last12.enumerated().map { (i, m) in
            [.text(m.description)] + shown.map { k -> ReportTable.Cell in
                guard let v = s.values[k]![12 + i] else { return .empty }
                return k.kind == .money ? .money(Int64(v.rounded())) : .number(v)
            }
        }
        let table = ReportTable(id: "kpi_trends", title: "KPI trends, last 12 months",
                                columns: [.init("Month")] + shown.map { .init($0.rawValue, kind($0)) }, rows: rows)
        return PackSection(id: "trends", title: "KPI trends",
                           lead: "Two years of the measures that run the department, against their targets.",
                           charts: charts, tables: [table])
    }

    // MARK: forecast

    /// The 13-week cash forecast from the month's end, how last month's forecast did, and where
    /// the headline KPIs are heading against their targets.
    func forecastSection(_ s: Series24) -> PackSection? {
        guard l.payments.count > 0 else { return nil }
        let end = month.lastDay
        let cash = CashForecast.make(t, asOf: end, weeks: 13)
        let past = CashForecast.actuals(t, after: end - 7 * 8, weeks: 8)
        func weekLabel(_ d: Day) -> String { "\(d.components.day) \(PackBuilder.short[d.month - 1])" }
        let categories = (0..<8).map { weekLabel(end - 7 * 8 + 1 + 7 * $0) } + cash.weeks.map { weekLabel($0.start) }
        let fan = FanChart(ChartText("How much cash comes in over the next 13 weeks?",
                                     subtitle: "Weekly collections, \(currency): the last 8 weeks, then the forecast from \(end) with 80% and 95% intervals"),
                           categories: categories, actuals: past.map { Optional($0) },
                           forecast: cash.weeks.map { .init(value: $0.expected, lo80: $0.lo80, hi80: $0.hi80, lo95: $0.lo95, hi95: $0.hi95) },
                           format: money)
        var charts = [PackChart(id: "forecast-cash", chart: fan, size: Size(800, 400), alt: "13-week cash forecast")]
        var tables: [ReportTable] = []
        tables.append(ReportTable(id: "cash_forecast", title: "Expected collections by week from \(end)",
                                  columns: [.init("Week", .count), .init("From", .date), .init("To", .date), .init("Expected", .money),
                                            .init("From open items", .money), .init("From new invoices", .money),
                                            .init("80% low", .money), .init("80% high", .money)],
                                  rows: cash.weeks.map { w in
                                      [.number(Double(w.number)), .date(w.start), .date(w.end), .money(Int64((w.expected * major).rounded())),
                                       .money(Int64((w.fromOpen * major).rounded())), .money(Int64((w.fromFuture * major).rounded())),
                                       .money(Int64((w.lo80 * major).rounded())), .money(Int64((w.hi80 * major).rounded()))]
                                  }))
        // Last month's forecast against what came in.
        let prevEnd = month.advanced(by: -1).lastDay
        let weeksInMonth = Int((Double(end - prevEnd) / 7).rounded(.down))
        var paragraphs: [String] = []
        if prevEnd >= t.firstDay + 90 && weeksInMonth > 0 {
            let earlier = CashForecast.make(t, asOf: prevEnd, weeks: weeksInMonth)
            let actual = CashForecast.actuals(t, after: prevEnd, weeks: weeksInMonth)
            let forecastTotal = earlier.weeks.reduce(0) { $0 + $1.expected }, actualTotal = actual.reduce(0, +)
            let absErr = zip(earlier.weeks, actual).reduce(0) { $0 + abs($1.0.expected - $1.1) }
            charts.append(PackChart(id: "forecast-last-month", chart: BarChart(
                ChartText("Did last month's forecast hold?", subtitle: "Weekly collections forecast on \(prevEnd) against the cash that came in, \(currency)"),
                categories: earlier.weeks.map { weekLabel($0.start) },
                series: [Series("Forecast", earlier.weeks.map { $0.expected }), Series("Actual", actual)],
                format: money, mode: .grouped), size: Size(800, 360), alt: "Last month's forecast against actual collections"))
            let wape = actualTotal == 0 ? 0 : absErr / actualTotal * 100
            paragraphs.append("The forecast made on \(prevEnd) expected \(money.label(forecastTotal)) over the next \(weeksInMonth) weeks; \(money.label(actualTotal)) came in (\(String(format: "%+.1f", (forecastTotal - actualTotal) / max(actualTotal, 1) * 100))%), a weekly error of \(String(format: "%.1f", wape))% (WAPE).")
        }
        // The headline KPIs six months ahead, beside their targets.
        var kpiRows: [[ReportTable.Cell]] = []
        for k in [KPI.dso, .cei, .pct_over_90, .on_time_rate] {
            let history = s.values[k]!.drop { $0 == nil }
            guard history.count >= 6, !history.contains(where: { $0 == nil }) else { continue }
            let f = SeriesForecast.make(history.map { $0! }, horizon: 6)
            let target = config.targets[k.rawValue]
            var heading = ""
            if let target, let last = f.mean.last {
                heading = (k.better == .lower ? last <= target : last >= target) ? "on course" : "off course"
            }
            kpiRows.append([.text(k.title), s.now(k).map { .number($0) } ?? .empty, .number(f.mean[2]), .number(f.mean[5]),
                            .number(f.lo80[5]), .number(f.hi80[5]), target.map { .number($0) } ?? .empty, .text(heading),
                            .text(f.modelName)])
            if k == .dso {
                let recent = Array(history.suffix(12))
                let labels = (0..<recent.count).map { PackBuilder.monthLabel(month.advanced(by: -recent.count + 1 + $0)) }
                    + (1...6).map { PackBuilder.monthLabel(month.advanced(by: $0)) }
                charts.append(PackChart(id: "forecast-dso", chart: FanChart(
                    ChartText("Where is DSO heading?", subtitle: "DSO, the last 12 months and a 6-month forecast (\(f.modelName)) with 80% and 95% intervals" + (target.map { "; target \(ValueFormat.days.short($0))" } ?? "")),
                    categories: labels, actuals: recent, forecast: (0..<6).map { .init(value: f.mean[$0], lo80: f.lo80[$0], hi80: f.hi80[$0], lo95: f.lo95[$0], hi95: f.hi95[$0]) },
                    format: .days), size: Size(800, 360), alt: "DSO forecast"))
            }
        }
        if !kpiRows.isEmpty {
            tables.append(ReportTable(id: "kpi_forecast", title: "Headline KPIs six months ahead",
                                      columns: [.init("KPI"), .init("Now", .number(decimals: 1)), .init("In 3 months", .number(decimals: 1)),
                                                .init("In 6 months", .number(decimals: 1)), .init("6 months, 80% low", .number(decimals: 1)),
                                                .init("6 months, 80% high", .number(decimals: 1)), .init("Target", .number(decimals: 1)),
                                                .init("Heading"), .init("Model")],
                                      rows: kpiRows))
        }
        let total = cash.weeks.reduce(0) { $0 + $1.expected }
        paragraphs.insert("Expected collections over the next 13 weeks: \(money.label(total)), of which \(money.label(cash.weeks.reduce(0) { $0 + $1.fromOpen })) from invoices open at \(end). The forecast learns each customer's payment habit from its own history (recent payments weigh more) and is scored against actual cash by arlens forecast cash --backtest.", at: 0)
        return PackSection(id: "forecast", title: "Cash forecast",
                           lead: "How much cash to expect, how good last month's forecast was, and where the headline KPIs are heading.",
                           charts: charts, tables: tables, paragraphs: paragraphs)
    }

    func kind(_ k: KPI) -> ReportTable.Kind {
        switch k.kind {
        case .money: return .money
        case .percent: return .percent
        case .days: return .days
        case .count: return .count
        case .ratio: return .number(decimals: 2)
        }
    }

    // MARK: disputes and billing quality

    func disputesSection(_ s: Series24) -> PackSection? {
        let hasDisputes = l.disputes.count > 0 || l.invoices.disputed.contains(true)
        let hasQuality = s.values[.processing_days]!.contains { $0 != nil } || s.values[.billing_error_rate]!.contains { ($0 ?? 0) > 0 }
        guard hasDisputes || hasQuality else { return nil }
        let months = s.labels24
        var charts: [PackChart] = []
        charts.append(PackChart(id: "quality-rates", chart: LineChart(
            ChartText("Are we billing right the first time?", subtitle: "Disputes opened and billing-error credit memos per 100 invoices issued"),
            categories: months, series: [Series("Dispute rate", s.values[.dispute_rate]!), Series("Billing-error rate", s.values[.billing_error_rate]!)],
            format: .percent, target: nil, includeZero: true), size: Size(800, 380), alt: "Dispute and billing-error rates"))
        charts.append(PackChart(id: "quality-days", chart: LineChart(
            ChartText("How fast do we invoice and resolve disputes?", subtitle: "Days from issue to sending an invoice, and from opening to resolving a dispute"),
            categories: months, series: [Series("Days to resolve a dispute", s.values[.dispute_days]!), Series("Invoice processing days", s.values[.processing_days]!)],
            format: .days, target: nil, includeZero: true), size: Size(800, 380), alt: "Dispute and processing days"))
        var tables: [ReportTable] = []
        if hasDisputes {
            let from = month.advanced(by: -11).firstDay, to = month.lastDay
            var reasons: [String: (Int, Int64)] = [:]
            for d in 0..<l.disputes.count where l.disputes.openedDate[d] >= from && l.disputes.openedDate[d] <= to {
                let r = l.disputes.reason[d] < 0 ? "(no reason)" : l.disputes.symbols[l.disputes.reason[d]]
                let slot = t.slot(l.disputes.document[d])
                let amount = l.disputes.amount[d].map { Timeline.convert($0, t.docRate[slot], Int(t.docDigits[slot]), currency.minorDigits) } ?? 0
                reasons[r, default: (0, 0)].0 += 1
                reasons[r, default: (0, 0)].1 += amount
            }
            let sorted = reasons.sorted { $0.value.0 != $1.value.0 ? $0.value.0 > $1.value.0 : $0.key < $1.key }
            if !sorted.isEmpty {
                charts.append(PackChart(id: "quality-dispute-reasons", chart: BarChart(
                    ChartText("Why do customers dispute?", subtitle: "Disputes opened in the last 12 months by reason"),
                    categories: sorted.map(\.key), series: [Series("Disputes", sorted.map { Double($0.value.0) })], format: .count,
                    namedCategories: true), size: Size(800, 380), alt: "Disputes by reason"))
                tables.append(ReportTable(id: "dispute_reasons", title: "Disputes opened in the last 12 months by reason",
                                          columns: [.init("Reason"), .init("Disputes", .count), .init("Amount disputed", .money)],
                                          rows: sorted.map { [.text($0.key), .number(Double($0.value.0)), .money($0.value.1)] }))
            }
        }
        let shown: [KPI] = [.dispute_rate, .dispute_days, .open_disputes, .billing_error_rate, .processing_days]
        tables.append(ReportTable(id: "billing_quality", title: "Disputes and billing quality, last 12 months",
                                  columns: [.init("Month")] + shown.map { .init($0.rawValue, kind($0)) },
                                  rows: s.months.suffix(12).enumerated().map { (i, m) in
                                      [.text(m.description)] + shown.map { k in s.values[k]![12 + i].map { .number($0) } ?? .empty }
                                  }))
        return PackSection(id: "disputes", title: "Disputes and billing quality",
                           lead: "How often invoices are disputed or corrected, why, and how long it takes to bill and to settle a dispute.",
                           charts: charts, tables: tables)
    }

    // MARK: anomalies

    /// Possible fraud and errors found in the last 12 months, ranked by severity, the amounts at
    /// stake by rule, and the Benford test of the invoice amounts.
    func anomaliesSection() -> PackSection? {
        let findings = AnomalyRules(t, approvalThreshold: approvalThreshold, from: month.advanced(by: -11).firstDay, to: month.lastDay).run()
        guard !findings.isEmpty else { return nil }
        var byRule: [String: (Int, Int64)] = [:]
        for f in findings { byRule[f.rule, default: (0, 0)].0 += 1; byRule[f.rule, default: (0, 0)].1 += f.amount }
        let rules = byRule.sorted { $0.value.1 != $1.value.1 ? $0.value.1 > $1.value.1 : $0.key < $1.key }
        var charts: [PackChart] = []
        charts.append(PackChart(id: "anomalies-by-rule", chart: BarChart(
            ChartText("Where is the money at stake?", subtitle: "Amounts involved in the findings of the last 12 months, by rule, \(currency)"),
            categories: rules.map { $0.key.replacingOccurrences(of: "_", with: " ") }, series: [Series("At stake", rules.map { Double($0.value.1) / major })],
            format: money, namedCategories: true), size: Size(800, 380), alt: "Amounts at stake by rule"))
        // Benford: first digits of the year's invoice amounts, with 95% bounds.
        var amounts: [Int64] = []
        for i in 0..<l.invoices.count where l.invoices.issueDate[i] >= month.advanced(by: -11).firstDay && l.invoices.issueDate[i] <= month.lastDay {
            amounts.append(l.invoices.amount[i])
        }
        if amounts.count >= 100 {
            let r = Benford.run(amounts, .first)
            let n = Double(r.n)
            charts.append(PackChart(id: "anomalies-benford", chart: BenfordChart(
                ChartText("Do invoice amounts follow Benford's law?",
                          subtitle: "First digits of \(ReportTable.grouped(r.n)) invoice amounts of the last 12 months: MAD \(String(format: "%.4f", r.mad)) (\(r.conformity)), chi-square \(String(format: "%.1f", r.chiSquare))"),
                digits: r.digits.map { String($0.digit) }, observed: r.digits.map(\.observed), expected: r.digits.map(\.expected),
                lower: r.digits.map { max(0, $0.expected - 1.96 * ($0.expected * (1 - $0.expected) / n).squareRoot()) },
                upper: r.digits.map { $0.expected + 1.96 * ($0.expected * (1 - $0.expected) / n).squareRoot() }),
                size: Size(800, 380), alt: "Benford first-digit test"))
        }
        let ranked = ReportTable(id: "anomalies", title: "Findings by severity",
            columns: [.init("Severity", .number(decimals: 2)), .init("Rule"), .init("At stake", .money), .init("Documents"), .init("What was found")],
            rows: findings.map { f in [.number(f.severity), .text(f.rule.replacingOccurrences(of: "_", with: " ")), .money(f.amount),
                                       .text(f.documents.prefix(6).joined(separator: " ") + (f.documents.count > 6 ? " …" : "")), .text(f.message)] })
        let totals = ReportTable(id: "anomalies_by_rule", title: "Findings and amounts at stake by rule",
            columns: [.init("Rule"), .init("Findings", .count), .init("At stake", .money)],
            rows: rules.map { [.text($0.key.replacingOccurrences(of: "_", with: " ")), .number(Double($0.value.0)), .money($0.value.1)] })
        let serious = findings.filter { $0.severity >= 0.7 }.count
        return PackSection(id: "anomalies", title: "Anomalies and possible fraud",
                           lead: "Patterns an auditor looks for in the last 12 months: duplicates, round and just-under-threshold amounts, credits and write-offs that break the separation of duties, cash applied to the wrong customer. Each finding names its documents; none is a verdict.",
                           charts: charts, tables: [totals, ranked],
                           paragraphs: ["\(findings.count) findings, \(serious) of them serious (severity 0.7 or more)."])
    }

    /// The approval threshold under which fabricated amounts hide (arlens.yml
    /// `anomalies: approval_threshold:`, default 10,000).
    var approvalThreshold: Int64 { config.approvalThreshold * currency.minorPerMajor }

    // MARK: data quality

    func dataQualitySection(_ s: Series24) -> PackSection {
        let files = ReportTable(id: "load_report", title: "Rows read, loaded and rejected per file",
                                columns: [.init("File"), .init("Read", .count), .init("Loaded", .count), .init("Rejected", .count)],
                                rows: report.files.map { [.text($0.file), .number(Double($0.read)), .number(Double($0.loaded)), .number(Double($0.rejected))] })
        var byReason: [String: Int] = [:]
        for r in report.rejections { byReason["\(r.file): \(r.reason)", default: 0] += 1 }
        let quality = DataQuality.findings(l) + report.findings
        var byKind: [String: Int] = [:]
        for f in quality { byKind[f.kind, default: 0] += 1 }
        var tables = [files]
        if !byReason.isEmpty {
            tables.append(ReportTable(id: "rejections_by_reason", title: "Rejected rows by reason",
                                      columns: [.init("File and reason"), .init("Rows", .count)],
                                      rows: byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                                        .map { [.text($0.key), .number(Double($0.value))] }))
        }
        tables.append(ReportTable(id: "data_quality", title: "Data-quality findings by kind",
                                  columns: [.init("Finding"), .init("Count", .count), .init("Example")],
                                  rows: byKind.keys.sorted().map { k in
                                      [.text(k.replacingOccurrences(of: "_", with: " ")), .number(Double(byKind[k]!)),
                                       .text(quality.first { $0.kind == k }?.message ?? "")]
                                  }))
        let completeness = s.now(.contact_completeness).map { String(format: "%.1f%%", $0) } ?? "n/a"
        let rejected = report.totalRejected
        let para = rejected == 0 ? "All \(ReportTable.grouped(report.totalRead)) rows of the ledger loaded; none was rejected."
            : "\(ReportTable.grouped(rejected)) of \(ReportTable.grouped(report.totalRead)) rows were rejected and left out of every figure (csv/rejections.csv lists each with its file, line and reason)."
        return PackSection(id: "data_quality", title: "Data quality",
                           lead: "What the ledger export got wrong, so that the numbers above can be trusted and the source fixed.",
                           tables: tables,
                           paragraphs: [para, "Contact completeness (customers with a well-formed email and a phone number): \(completeness)."])
    }

    // MARK: appendix

    func appendixSection() -> PackSection {
        let table = ReportTable(id: "definitions", title: "Definitions",
                                columns: [.init("Metric"), .init("Name"), .init("Definition")],
                                rows: KPI.allCases.map { [.text($0.title), .text($0.rawValue), .text($0.definition)] })
        return PackSection(id: "appendix", title: "Appendix: definitions",
                           lead: "Every number in this pack is computed by one definition, the same that arlens kpi --list prints. Amounts are in \(currency), each document converted at its own date's rate.",
                           tables: [table])
    }

    // MARK: CSV-only tables

    func agingDetailTable(_ a: AgingReport) -> ReportTable {
        ReportTable(id: "aging_detail", title: "Open items at \(a.asOf)",
                    columns: [.init("Customer"), .init("Document"), .init("Kind"), .init("Date", .date), .init("Due", .date),
                              .init("Days past due", .count), .init("Bucket"), .init("Open", .money), .init("Currency"), .init("Open (local)")],
                    rows: a.items.map { i in
                        [.text(i.customer), .text(i.document), .text(i.kind), .date(i.date), i.due.map { .date($0) } ?? .empty,
                         i.daysPastDue.map { .number(Double($0)) } ?? .empty, .text(i.bucket.map { a.labels[$0] } ?? "unapplied"),
                         .money(i.amount), .text(i.currency.code), .text(Money.decimalString(i.localAmount, digits: i.currency.minorDigits))]
                    })
    }

    func kpiTrendTable(_ s: Series24) -> ReportTable {
        ReportTable(id: "kpi_trends_all", title: "Every KPI, last 24 months",
                    columns: [.init("Month")] + KPI.allCases.map { .init($0.rawValue, kind($0)) },
                    rows: s.months.enumerated().map { (i, m) in
                        [.text(m.description)] + KPI.allCases.map { k -> ReportTable.Cell in
                            guard let v = s.values[k]![i] else { return .empty }
                            return k.kind == .money ? .money(Int64(v.rounded())) : .number(v)
                        }
                    })
    }

    func rejectionsCSV() -> [ReportTable] {
        [ReportTable(id: "rejections", title: "Rejected rows",
                     columns: [.init("File"), .init("Line", .count), .init("Column"), .init("Value"), .init("Reason")],
                     rows: report.rejections.map { [.text($0.file), .number(Double($0.line)), .text($0.column ?? ""), .text($0.value ?? ""), .text($0.reason)] })]
    }
}
