import ARAnalytics
import ARModel
import Foundation
import Testing

/// The expected-credit-loss provision matrix (issue 19).
///
/// Published worked example: IFRScommunity.com, "IFRS 9 example: lifetime ECL for trade
/// receivables using a provision matrix" (knowledge base, IFRS 9 impairment). Entity A's
/// January sales of 100,000 are paid: 50,000 on time, 27,000 1–30 days late, 15,000 31–60 days
/// late, 6,000 61–90 days late, and 2,000 never. Its loss rates are the share of what stood in
/// each ageing band that was never paid: 2,000 of 100,000 not overdue (2.0%), of 50,000 1–30
/// days overdue (4.0%), of 23,000 31–60 (8.7%), of 8,000 61–90 (25.0%) and of 2,000 91+ (100%);
/// applied to 300,000 / 140,000 / 60,000 / 23,000 / 5,000 they give a lifetime ECL of 27,567.
/// The ledger below is that cohort: invoices of 1 January due 15 February, paid on the dates
/// that put each amount in its band at the month-ends, the 2,000 written off on 30 June.
@Suite struct ProvisionTests {
    static let customers = "customer_id,name,terms_days\nK,Cohort Ltd,45\n"
    static let cohortInvoices = """
        invoice_id,customer_id,issue_date,due_date,amount
        I1,K,2026-01-01,2026-02-15,50000.00
        I2,K,2026-01-01,2026-02-15,27000.00
        I3,K,2026-01-01,2026-02-15,15000.00
        I4,K,2026-01-01,2026-02-15,6000.00
        I5,K,2026-01-01,2026-02-15,2000.00

        """
    static let payments = """
        payment_id,customer_id,received_date,amount
        P1,K,2026-02-10,50000.00
        P2,K,2026-03-10,27000.00
        P3,K,2026-04-10,15000.00
        P4,K,2026-05-10,6000.00

        """
    static let applications = "payment_id,invoice_id,amount\nP1,I1,50000.00\nP2,I2,27000.00\nP3,I3,15000.00\nP4,I4,6000.00\n"
    static let adjustments = "adjustment_id,customer_id,invoice_id,date,kind,amount,reason\nW1,K,I5,2026-06-30,write_off,2000.00,bad_debt\n"

    func timeline(extraInvoices: String = "") throws -> Timeline {
        let r = try ledger(["customers.csv": Self.customers, "invoices.csv": Self.cohortInvoices + extraInvoices, "payments.csv": Self.payments,
                            "applications.csv": Self.applications, "adjustments.csv": Self.adjustments])
        return Timeline(r.ledger)
    }

    @Test func publishedExampleLossRatesAndAllowance() throws {
        let p = Provision.compute(try timeline(), month: month("2026-06"), edges: [30, 60, 90], lookbackMonths: 6, adjustmentPercent: 0)
        let c = p.current
        #expect(c.lines.map(\.label) == ["current", "1-30", "31-60", "61-90", "91+"])
        // What stood in each band at the month-ends January to May, and the 2,000 lost from each.
        #expect(c.lines.map(\.exposure) == [100_000_00, 50_000_00, 23_000_00, 8_000_00, 2_000_00])
        #expect(c.lines.map(\.losses) == [2_000_00, 2_000_00, 2_000_00, 2_000_00, 2_000_00])
        let rates = c.lines.map(\.historicalRate)
        #expect(rates[0] == 0.02 && rates[1] == 0.04 && abs(rates[2] - 2.0 / 23) < 1e-15 && rates[3] == 0.25 && rates[4] == 1)
        // The published rates to one decimal: 2.0%, 4.0%, 8.7%, 25.0%, 100.0%.
        #expect(rates.map { String(format: "%.1f", $0 * 100) } == ["2.0", "4.0", "8.7", "25.0", "100.0"])
        // Applied to the published balances: 6,000 + 5,600 + 5,217.39 + 5,750 + 5,000 = 27,567.39 (published: 27,567).
        let allowance = ProvisionMatrix.apply(balances: [300_000_00, 140_000_00, 60_000_00, 23_000_00, 5_000_00], rates: rates)
        #expect(allowance == [6_000_00, 5_600_00, 5_217_39, 5_750_00, 5_000_00])
        #expect(allowance.reduce(0, +) == 27_567_39)
        // Everything is settled at 30 June: no allowance at either end; the month's charge is the write-off.
        #expect(p.opening == 0 && p.closing == 0 && p.writeOffs == 2_000_00 && p.charge == 2_000_00)
        #expect(c.samples.first == day("2025-12-31") && c.samples.last == day("2026-05-31"))
    }

    /// Two more invoices, worked by hand: I6 10,000 issued 1 June (not yet due at 30 June) and
    /// I7 1,000 due 1 May (60 days past due at 30 June; not yet due at 30 April, 30 days past
    /// due at 31 May). Exposure: not due 100,000 + 1,000 (I7 at 30 April); 1–30 50,000 + 1,000
    /// (I7 at 31 May). Rates: 2,000 / 101,000, 2,000 / 51,000, 2,000 / 23,000, 25%, 100%.
    /// Allowance at 30 June: 10,000 × 2,000/101,000 = 198.0198 -> 198.02; 1,000 × 2,000/23,000 =
    /// 86.9565 -> 86.96; 284.98. With +10% for the outlook: 217.8218 -> 217.82 and 95.6522 ->
    /// 95.65, 313.47. Nothing had been written off by 31 May, so May's rates and allowance are 0:
    /// the charge is 313.47 − 0 + 2,000.
    @Test func handWorkedAllowanceAdjustmentAndMovement() throws {
        let t = try timeline(extraInvoices: "I6,K,2026-06-01,2026-07-01,10000.00\nI7,K,2026-04-01,2026-05-01,1000.00\n")
        let plain = Provision.compute(t, month: month("2026-06"), edges: [30, 60, 90], lookbackMonths: 6, adjustmentPercent: 0)
        #expect(plain.current.lines.map(\.exposure) == [101_000_00, 51_000_00, 23_000_00, 8_000_00, 2_000_00])
        #expect(plain.current.lines.map(\.balance) == [10_000_00, 0, 1_000_00, 0, 0])
        #expect(plain.current.lines.map(\.provision) == [198_02, 0, 86_96, 0, 0])
        #expect(plain.closing == 284_98)
        let adjusted = Provision.compute(t, month: month("2026-06"), edges: [30, 60, 90], lookbackMonths: 6, adjustmentPercent: 10)
        #expect(adjusted.current.lines.map(\.provision) == [217_82, 0, 95_65, 0, 0])
        #expect(adjusted.opening == 0 && adjusted.writeOffs == 2_000_00 && adjusted.closing == 313_47 && adjusted.charge == 2_313_47)
        // A shorter lookback that starts after January sees none of the cohort's not-yet-due stage.
        let short = Provision.compute(t, month: month("2026-06"), edges: [30, 60, 90], lookbackMonths: 2, adjustmentPercent: 0)
        #expect(short.current.samples == [day("2026-04-30"), day("2026-05-31")])
        #expect(short.current.lines.map(\.exposure) == [1_000_00, 1_000_00, 0, 8_000_00, 2_000_00])
        #expect(short.current.lines.map(\.losses) == [0, 0, 0, 2_000_00, 2_000_00])
        // Rates are capped at 100% whatever the adjustment.
        #expect(ProvisionMatrix.adjusted(0.8, percent: 50) == 1)
    }
}
