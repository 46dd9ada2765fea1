import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// Lays out the pack for a month from its `PackAnalysis`: the tiles and findings of the
/// executive summary, then each section the analyses have data for. Nothing is computed here
/// that the analysis holds; each section (Sections/*.swift) only words, charts and tabulates.
public struct PackBuilder {
    let analysis: PackAnalysis
    let report: LoadReport
    let ledgerName: String

    public init(analysis: PackAnalysis, report: LoadReport, ledgerName: String) {
        self.analysis = analysis
        self.report = report
        self.ledgerName = ledgerName
    }

    // What the sections read.
    var month: YearMonth { analysis.month }
    var config: Configuration { analysis.configuration }
    var t: Timeline { analysis.timeline }
    var l: Ledger { t.ledger }
    /// The KPI window: `s.now(k)`, `s.before(k)`, `s.last(k, 12)`.
    var s: KPIWindow { analysis.kpis }
    var currency: Currency { l.baseCurrency }
    var money: ValueFormat { .money(symbol: ValueFormat.symbol(forCurrency: currency.code)) }
    var major: Double { Double(currency.minorPerMajor) }

    public func build() -> PackModel {
        let tiles = makeTiles()
        let findings = makeFindings() + whatIfSentence()
        let sections: [PackSection?] = [
            summarySection(tiles, findings), rollForwardSection(), agingSection(), trendsSection(), forecastSection(),
            collectionsSection(), creditSection(), glSection(), disputesSection(), anomaliesSection(), dataQualitySection(),
            appendixSection(),
        ]
        // The board pages keep what a board reads; the rest is the appendix's.
        let board = sections.compactMap { $0 }.map { section -> PackSection in
            var s = section
            s.moveToAppendix(PackBuilder.appendixItems)
            return s
        }
        var model = PackModel(company: config.company ?? "Accounts receivable", month: month, currency: currency, ledgerName: ledgerName,
                              tiles: tiles, findings: findings, sections: board, kpis: analysis.kpiResult,
                              csvOnly: [agingDetailTable(), kpiTrendTable(), rejectionsTable()])
        model.customers = customerDetails(Set(model.tables.compactMap(\.rowKeys).flatMap { $0.compactMap { $0 } }))
        return model
    }

    /// Charts and tables detailed enough for the appendix rather than the board pages.
    static let appendixItems: Set<String> = ["trend-on-time", "forecast-dso", "cash_forecast", "quality-days", "anomalies_by_rule",
                                             "credit-risk", "worklist"]

    static let short = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static func monthLabel(_ m: YearMonth) -> String { TrendCharts.monthLabel(m) }

    func fmt(_ k: KPI) -> ValueFormat { TrendCharts.format(k, currency) }

    /// A KPI's value as people read it (money in major units).
    func text(_ k: KPI, _ v: Double?) -> String {
        guard let v else { return "n/a" }
        return k.kind == .money ? money.label(v / major) : fmt(k).label(v)
    }

    /// The table column kind of a KPI.
    func kind(_ k: KPI) -> ReportTable.Kind {
        switch k.kind {
        case .money: return .money
        case .percent: return .percent
        case .days: return .days
        case .count: return .count
        case .ratio: return .number(decimals: 2)
        }
    }

    /// A customer's name, or its id when it has none of its own.
    func customerName(_ id: String) -> String {
        guard let c = l.customers.ids.find(id) else { return id }
        let n = l.customers.name[Int(c)]
        return n == id ? id : n
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
}

extension PackBuilder {
    /// The pack for `month` from a prepared ledger, with GL balances to reconcile against
    /// (arlens.yml `gl: file:`): the analysis, then the layout.
    public static func build(prepared: PreparedLedger, report: LoadReport, configuration: Configuration, month: YearMonth,
                             ledgerName: String, gl: [(date: Day, balance: Int64)] = []) -> PackModel {
        let analysis = PackAnalysis(prepared: prepared, report: report, configuration: configuration, month: month, gl: gl)
        return PackBuilder(analysis: analysis, report: report, ledgerName: ledgerName).build()
    }
}

extension PackBuilder {
    /// The open items and the last 12 months' payments of each customer in `ids`.
    func customerDetails(_ ids: Set<String>) -> [String: CustomerDetail] {
        var out: [String: CustomerDetail] = [:]
        let cu = l.customers
        var index: [Int: String] = [:]
        for id in ids {
            guard let c = cu.ids.find(id).map(Int.init) else { continue }
            index[c] = id
            out[id] = CustomerDetail(id: id, name: cu.name[c], segment: cu.symbol(cu.segment[c]) ?? "", region: cu.symbol(cu.region[c]) ?? "",
                                     collector: cu.symbol(cu.collector[c]) ?? "", currency: cu.currency[c].code, items: [], payments: [])
        }
        for i in analysis.aging.items where out[i.customer] != nil {
            out[i.customer]!.items.append(.init(document: i.document, kind: i.kind, date: i.date, due: i.due, daysPastDue: i.daysPastDue, amount: i.amount))
        }
        let from = month.advanced(by: -11).firstDay, end = month.lastDay
        let p = l.payments
        for k in 0..<p.count where p.receivedDate[k] >= from && p.receivedDate[k] <= end {
            guard let id = index[Int(p.customer[k])] else { continue }
            out[id]!.payments.append((p.receivedDate[k], t.payBase[k]))
        }
        for id in out.keys { out[id]!.payments.sort { $0.date > $1.date } }
        return out
    }
}
