import ARLoading
import ARModel
import Foundation
import Testing
@testable import ARAnalytics

@Suite struct CashForecastTests {
    /// A customer who always pays exactly ten days late: an invoice due in three days is
    /// expected in week 2 (due + 10 = 13 days out), less the 1% never-paid prior used while
    /// fewer than 20 invoices have a known outcome, and nothing in the other weeks.
    @Test func aPunctualLatePayerIsExpectedOnHisDay() throws {
        var inv = "invoice_id,customer_id,issue_date,due_date,amount\n"
        var pay = "payment_id,customer_id,received_date,amount\n"
        var app = "payment_id,invoice_id,amount\n"
        var day = Day(iso: "2025-01-05")!
        for k in 0..<18 {   // all paid before the forecast date
            let due = day + 30
            inv += "I\(k),C1,\(day),\(due),1000.00\n"
            pay += "P\(k),C1,\(due + 10),1000.00\n"
            app += "P\(k),I\(k),1000.00\n"
            day = day + 30
        }
        let asOf = Day(iso: "2026-08-20")!
        inv += "OPEN,C1,\(asOf - 27),\(asOf + 3),500.00\n"
        let r = try ledger(["invoices.csv": inv, "payments.csv": pay, "applications.csv": app])
        let f = CashForecast.make(Timeline(r.ledger), asOf: asOf, weeks: 8)
        let open = f.weeks.map(\.fromOpen)
        #expect(abs(open[1] - 495) < 1e-6, "\(open)")
        #expect(open.enumerated().allSatisfy { $0.offset == 1 || abs($0.element) < 1e-6 })
        #expect(f.items.count == 1 && f.items[0].likelyWeek == 2 && f.items[0].neverPaid == 0.01)
        // Future invoices (about 1,000 a month, paid 40 days after issue) only arrive later.
        #expect(f.weeks[0].fromFuture == 0 && f.weeks.last!.fromFuture > 0)
        // The same input gives the same forecast.
        let again = CashForecast.make(Timeline(r.ledger), asOf: asOf, weeks: 8)
        #expect(again.weeks.map(\.expected) == f.weeks.map(\.expected))
    }

    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets/sample").path

    /// Reported, with loose bounds: the backtest on the bundled sample beats the naive
    /// average-days-to-pay forecast, and about 80% of actual weeks fall in the 80% band.
    @Test func backtestOnTheSampleBeatsNaive() throws {
        let t = Timeline(try LedgerLoader.load(directory: CashForecastTests.sample).ledger)
        let origins = ["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31"].map { Day(iso: $0)! }
        let b = CashForecast.backtest(t, origins: origins, weeks: 13)
        let ours = b.wape.reduce(0, +) / 13, naive = b.naiveWape.reduce(0, +) / 13
        print("cash backtest on the sample: mean WAPE \(ours)% (naive \(naive)%), mean bias \(b.bias.reduce(0, +) / 13)%, 80% coverage \(b.coverage80)%")
        #expect(ours < naive)
        #expect(ours < 30)
        #expect((60...97).contains(b.coverage80))
    }
}
