import ARAnalytics
import ARModel
import Foundation
import Testing

/// A small ledger with every kind of event in it, and every KPI for March 2026 worked out by
/// hand in the comments.
///
/// At 2026-03-31 the open documents are I0 300 (due 2025-12-15: 106 days late), I4 800 (due
/// 03-20: 11 days late), I5 1200 (due 04-09), I6 400 (due 04-04) and LF1 10 (due 03-31, the
/// day itself: current). Gross 2710, current 1610, overdue 1100, over 90 days 300. Unapplied
/// cash P4 150, unallocated credit CM2 50: net AR 2510.
/// At 2026-02-28: I0 300, I2 500, I3 2000 open (I1 paid 02-03): net AR 2800.
/// The ledger lives in Tests/Fixtures/kpi-march-2026 (B's name starts with "=", C's holds a
/// <script> tag: the pack's escaping tests use the same files).
let kpiLedgerPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/kpi-march-2026").path
let kpiLedger: [String: String] = Dictionary(uniqueKeysWithValues:
    try! FileManager.default.contentsOfDirectory(atPath: kpiLedgerPath).map {
        ($0, try! String(contentsOfFile: kpiLedgerPath + "/" + $0, encoding: .utf8))
    })

@Suite struct HandBuiltKPITests {
    let result = try! ledger(kpiLedger)
    var k: KPIResult {
        KPIEngine.run(Timeline(result.ledger), configuration: result.configuration.configuration,
                      query: KPIQuery(metrics: KPI.allCases, grain: .month))
    }

    @Test func loadsCleanly() {
        #expect(result.report.rejections.isEmpty)
        #expect(result.report.findings.isEmpty)
    }

    @Test func balancesAndFlows() {
        let k = k
        #expect(k.value(.ar, "2026-03") == .money(251_000))
        #expect(k.value(.ar, "2026-02") == .money(280_000))
        #expect(k.value(.ar_gross, "2026-03") == .money(271_000))
        #expect(k.value(.overdue, "2026-03") == .money(110_000))
        #expect(k.value(.unapplied_cash, "2026-03") == .money(15_000))
        // Billings: I4 800 + I5 1200 + I6 400 + LF1 10.
        #expect(k.value(.billings, "2026-03") == .money(241_000))
        #expect(k.value(.billings, "2026-01") == .money(180_000))
        // Collections: P2 400 + P3 1800 + P4 150.
        #expect(k.value(.collections, "2026-03") == .money(235_000))
        #expect(k.value(.write_offs, "2026-03") == .money(10_000))
        #expect(k.value(.credit_memos, "2026-03") == .money(25_000))
    }

    @Test func dsoFamily() {
        let k = k
        // Window Jan-Mar: billings 1800 + 2000 + 2410 = 6210 over 90 days.
        #expect(close(k.value(.dso, "2026-03"), 2510.0 / 6210 * 90))          // 36.38
        #expect(close(k.value(.bpdso, "2026-03"), 1610.0 / 6210 * 90))        // 23.33
        #expect(close(k.value(.add, "2026-03"), 900.0 / 6210 * 90))           // 13.04
        #expect(k.value(.dso, "2026-02") == .null)                             // window from December
        // Countback: 2510 - 2410 (March) = 100 left after 31 days; February billed 2000: 100/2000 of 28 days.
        #expect(close(k.value(.dso_countback, "2026-03"), 31 + 1.4))
        // CEI: (2800 + 2410 - 2510) / (2800 + 2410 - 1610) = 2700 / 3600.
        #expect(close(k.value(.cei, "2026-03"), 75))
        #expect(k.value(.turnover, "2026-03") == .null)                        // no 12 months of history
    }

    @Test func sharesAndRates() {
        let k = k
        #expect(close(k.value(.pct_current, "2026-03"), 1610.0 / 2710 * 100))
        #expect(close(k.value(.pct_over_90, "2026-03"), 300.0 / 2710 * 100))
        #expect(close(k.value(.bad_debt_ratio, "2026-03"), 100.0 / 2410 * 100))
        #expect(k.value(.open_invoices, "2026-03") == .number(5))
        #expect(k.value(.open_invoices, "2026-02") == .number(3))
        #expect(close(k.value(.open_invoices_change, "2026-03"), 200.0 / 3))
        // Processing: I4 3 days, I5 0 days; I6 has no sent date.
        #expect(close(k.value(.processing_days, "2026-03"), 1.5))
        // One billing-error credit (CM1) over three invoices issued in March; two disputes opened.
        #expect(close(k.value(.billing_error_rate, "2026-03"), 100.0 / 3))
        #expect(close(k.value(.dispute_rate, "2026-03"), 200.0 / 3))
        #expect(close(k.value(.dispute_days, "2026-03"), 10))
        #expect(k.value(.open_disputes, "2026-03") == .number(1))
        // P2 posted after 2 days, P3 the same day; P4 not posted.
        #expect(close(k.value(.cash_application_lag, "2026-03"), 1))
        #expect(k.value(.auto_match_rate, "2026-03") == .null)                  // applications.csv given
        #expect(close(k.value(.promise_kept_rate, "2026-03"), 50))
        #expect(close(k.value(.promise_kept_rate, "2026-02"), 0))              // C paid nothing
        // A and C complete; B has no email. C exists from 03-15.
        #expect(close(k.value(.contact_completeness, "2026-03"), 200.0 / 3))
        #expect(close(k.value(.contact_completeness, "2026-02"), 50))
    }

    @Test func daysToPayFamily() {
        let k = k
        // Settled in March and paid: I2 (settled 03-25 by the write-off after P2: 64 days from
        // issue, 34 late) and I3 (03-20: 38 days, 8 late). Weights 500 and 2000.
        #expect(close(k.value(.days_to_pay, "2026-03"), 51))
        #expect(close(k.value(.days_to_pay_weighted, "2026-03"), (64.0 * 500 + 38 * 2000) / 2500))
        #expect(close(k.value(.days_late, "2026-03"), 21))
        #expect(close(k.value(.days_late_weighted, "2026-03"), (34.0 * 500 + 8 * 2000) / 2500))
        #expect(close(k.value(.on_time_rate, "2026-03"), 0))
        // February: I1 paid 02-03, a day before due, after 29 days.
        #expect(close(k.value(.days_to_pay, "2026-02"), 29))
        #expect(close(k.value(.on_time_rate, "2026-02"), 100))
        #expect(k.value(.days_to_pay, "2026-01") == .null)
    }

    @Test func quarterGrain() {
        let q = KPIEngine.run(Timeline(result.ledger), configuration: result.configuration.configuration,
                              query: KPIQuery(metrics: [.cei, .billings, .ar, .days_to_pay], grain: .quarter))
        #expect(q.periods.map(\.label) == ["2026-Q1"])
        #expect(q.value(.billings, "2026-Q1") == .money(621_000))
        #expect(q.value(.ar, "2026-Q1") == .money(251_000))
        // CEI over the quarter: AR at its start is 0; billings 6210.
        #expect(close(q.value(.cei, "2026-Q1"), (6210.0 - 2510) / (6210 - 1610) * 100))
        #expect(close(q.value(.days_to_pay, "2026-Q1"), (29.0 + 64 + 38) / 3))
        let all = KPIEngine.run(Timeline(result.ledger), configuration: result.configuration.configuration,
                                query: KPIQuery(metrics: [.billings], from: month("2026-02"), to: month("2026-03"), grain: .all))
        #expect(all.value(.billings, "all") == .money(441_000))
    }

    @Test func bySegment() {
        let s = KPIEngine.run(Timeline(result.ledger), configuration: result.configuration.configuration,
                              query: KPIQuery(metrics: [.ar, .billings, .dso], grain: .month, by: .segment))
        // big = A: I5 1200. small = B and C: I0 300 + I4 800 + LF1 10 + I6 400 - P4 150 - CM2 50.
        #expect(s.value(.ar, "2026-03", "big") == .money(120_000))
        #expect(s.value(.ar, "2026-03", "small") == .money(131_000))
        #expect(s.value(.billings, "2026-02", "small") == .money(0))
        #expect(close(s.value(.dso, "2026-03", "big"), 1200.0 / (1000 + 2000 + 1200) * 90))
    }

    @Test func rollForwardReconciles() {
        let r = RollForward.compute(Timeline(result.ledger), from: month("2026-03"), to: month("2026-03"))
        #expect(r.beginning == 280_000)
        #expect(r.invoices == 240_000)
        #expect(r.lateFees == 1_000)
        #expect(r.collections == 235_000)
        #expect(r.creditMemos == 25_000)
        #expect(r.writeOffs == 10_000)
        #expect(r.fx == 0)
        #expect(r.ending == 251_000)
        #expect(r.reconciles)
    }

    @Test func targets() {
        var c = result.configuration.configuration
        c.targets = [.metric(.dso): 45, .metric(.cei): 80, .metric(.open_invoices_change): -10]
        let k = KPIEngine.run(Timeline(result.ledger), configuration: c,
                              query: KPIQuery(metrics: [.dso, .cei, .open_invoices_change, .ar], grain: .month))
        let dso = k.rows.first { $0.metric == .dso && $0.period == "2026-03" }!.status!
        #expect(dso.met && dso.target == 45)
        let cei = k.rows.first { $0.metric == .cei && $0.period == "2026-03" }!.status!
        #expect(!cei.met && abs(cei.gap - -5) < 1e-9)
        let change = k.rows.first { $0.metric == .open_invoices_change && $0.period == "2026-03" }!.status!
        #expect(!change.met)
        #expect(k.rows.first { $0.metric == .ar }!.status == nil)
        #expect(k.rows.first { $0.metric == .dso && $0.period == "2026-01" }!.status == nil)   // null value
    }
}
