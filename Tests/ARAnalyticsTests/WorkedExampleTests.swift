import ARAnalytics
import ARModel
import Testing

/// The published worked examples from metrics.md and the AR literature.
@Suite struct WorkedExampleTests {
    /// DSO = 150,000 AR ÷ 1,800,000 sales × 365 days = 30.4: twelve months of 150,000 billed
    /// in 2025 (365 days), eleven of them paid, a 12-month window.
    @Test func dsoOverAYear() throws {
        var inv = "invoice_id,customer_id,issue_date,due_date,amount\n"
        var pay = "payment_id,customer_id,received_date,amount\n"
        var app = "payment_id,invoice_id,amount\n"
        for m in 1...12 {
            let mm = m < 10 ? "0\(m)" : "\(m)"
            inv += "I\(m),C1,2025-\(mm)-05,2025-\(mm)-28,150000.00\n"
            if m < 12 {
                pay += "P\(m),C1,2025-\(mm)-20,150000.00\n"
                app += "P\(m),I\(m),150000.00\n"
            }
        }
        let r = try ledger(["arlens.yml": "dso_window_months: 12\n", "invoices.csv": inv, "payments.csv": pay, "applications.csv": app])
        var c = r.configuration.configuration
        c.dsoWindowMonths = 12
        let k = KPIEngine.run(Timeline(r.ledger), configuration: c, query: KPIQuery(metrics: [.dso, .ar, .billings], grain: .month))
        #expect(k.value(.ar, "2025-12") == .money(15_000_000))
        #expect(close(k.value(.dso, "2025-12"), 150_000.0 / 1_800_000.0 * 365))
        #expect(String(format: "%.1f", k.value(.dso, "2025-12").double!) == "30.4")
        #expect(k.value(.dso, "2025-11") == .null)        // the window would start before January
    }

    /// Countback on AR 212,000 with billings 100,000 / 80,000 / 70,000 in 30-day months = 73.7.
    @Test func countbackPublishedExample() {
        let v = KPIEngine.countback(ar: 212_000, billingsNewestFirst: [100_000, 80_000, 70_000], days: [30, 30, 30])
        #expect(abs(v - (60 + 32.0 / 70.0 * 30)) < 1e-12)
        #expect(String(format: "%.1f", v) == "73.7")
        // A month whose billings equal what is left adds its full days and ends the walk.
        #expect(KPIEngine.countback(ar: 180_000, billingsNewestFirst: [100_000, 80_000, 70_000], days: [30, 31, 30]) == 61)
        #expect(KPIEngine.countback(ar: 0, billingsNewestFirst: [100], days: [30]) == 0)
        #expect(KPIEngine.countback(ar: -5, billingsNewestFirst: [100], days: [30]) == 0)
        // AR never used up: the days of the months examined, at most 24.
        #expect(KPIEngine.countback(ar: 1_000, billingsNewestFirst: [Int64](repeating: 1, count: 30), days: [Int](repeating: 30, count: 30)) == 720)
    }

    /// CEI with beginning AR 100,000, billings 1,000,000, ending AR 120,000 and ending current
    /// AR 100,000 = 98%.
    @Test func ceiPublishedExample() throws {
        let r = try ledger([
            "invoices.csv": """
                invoice_id,customer_id,issue_date,due_date,amount
                I0,C1,2025-02-10,2025-03-12,100000.00
                I1,C1,2025-03-01,2025-03-10,900000.00
                I2,C1,2025-03-20,2025-04-19,100000.00

                """,
            "payments.csv": "payment_id,customer_id,received_date,amount\nP0,C1,2025-03-11,100000.00\nP1,C1,2025-03-25,880000.00\n",
            "applications.csv": "payment_id,invoice_id,amount\nP0,I0,100000.00\nP1,I1,880000.00\n",
        ])
        let k = KPIEngine.run(Timeline(r.ledger), configuration: r.configuration.configuration,
                              query: KPIQuery(metrics: [.cei, .ar, .billings, .overdue], grain: .month))
        #expect(k.value(.ar, "2025-02") == .money(10_000_000))
        #expect(k.value(.billings, "2025-03") == .money(100_000_000))
        #expect(k.value(.ar, "2025-03") == .money(12_000_000))
        #expect(k.value(.overdue, "2025-03") == .money(2_000_000))
        #expect(close(k.value(.cei, "2025-03"), 98))
    }

    /// An invoice of 10,000 due 2017-02-28 with partial payments of 1,500, 1,000 and 2,000,
    /// aged at 2017-04-04 (35 days past due), has 5,500 in 31-60. A payment after the date
    /// does not exist yet.
    @Test func agingWithPartialPayments() throws {
        let r = try ledger([
            "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nI1,C1,2017-01-29,2017-02-28,10000.00\n",
            "payments.csv": "payment_id,customer_id,received_date,amount\nP1,C1,2017-03-01,1500.00\nP2,C1,2017-03-15,1000.00\nP3,C1,2017-04-01,2000.00\nP4,C1,2017-04-10,500.00\n",
            "applications.csv": "payment_id,invoice_id,amount\nP1,I1,1500.00\nP2,I1,1000.00\nP3,I1,2000.00\nP4,I1,500.00\n",
        ])
        let a = Aging.compute(Timeline(r.ledger), asOf: day("2017-04-04"))
        #expect(a.labels == ["current", "1-30", "31-60", "61-90", "91-120", "121+"])
        #expect(a.total.buckets == [0, 0, 550_000, 0, 0, 0])
        #expect(a.total.unapplied == 0)
        #expect(a.checkInvariants() == nil)
    }

    /// On its due date an invoice is still current; the next day it is 1-30.
    @Test func currentOnItsDueDate() throws {
        let r = try ledger(["invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nI1,C1,2026-01-01,2026-01-31,100.00\n"])
        let t = Timeline(r.ledger)
        #expect(Aging.compute(t, asOf: day("2026-01-31")).total.buckets == [10_000, 0, 0, 0, 0, 0])
        #expect(Aging.compute(t, asOf: day("2026-02-01")).total.buckets == [0, 10_000, 0, 0, 0, 0])
        #expect(Aging.compute(t, asOf: day("2026-03-02")).total.buckets == [0, 10_000, 0, 0, 0, 0])   // 30 days
        #expect(Aging.compute(t, asOf: day("2026-03-03")).total.buckets == [0, 0, 10_000, 0, 0, 0])   // 31 days
        // By issue date instead.
        let issue = Aging.compute(t, asOf: day("2026-01-31"), basis: .issue)
        #expect(issue.labels == ["0-30", "31-60", "61-90", "91-120", "121+"])
        #expect(issue.total.buckets == [10_000, 0, 0, 0, 0])
    }
}
