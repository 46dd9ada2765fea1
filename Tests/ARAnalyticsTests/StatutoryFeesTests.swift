import ARAnalytics
import ARModel
import Foundation
import Testing

/// Issue 16, point 4: statutory charges by the customer's country, in their own currency,
/// converted at the day's rate (EUR 1.0850 and GBP 1.2700 USD from 04-01), at 2026-06-30, every
/// invoice 30 days late unless said; reference and base rates 4%, so 12% a year.
///
/// | customer | country, currency | invoice | expected |
/// |---|---|---|---|
/// | DE1 | DE, EUR | E-1 1000.00 | EU: 1000 × 12% × 30/365 = 9.86, EUR 40.00 as it is |
/// | GB1 | GB, GBP | G-1 5000.00 | UK: 49.32, £70 (£1,000–9,999.99) |
/// | GB2 | GB, USD | U-2 15000.00 | UK: 147.95; 15000 USD = £11,811.02, so £100 = 127.00 USD |
/// | FR1 | FR, GBP | F-1 500.00 | EU: 4.93; €40 = 40 × 1.0850 / 1.2700 = 34.17 GBP |
/// | US1 | US, USD | S-1 1000.00; S-2 20.00 (20 days) | contractual 1.5% a month: 14.79; S-2 0.20 is under the 1.00 minimum |
@Suite struct StatutoryFeesTests {
    static let files: [String: String] = [
        "customers.csv": """
        customer_id,name,country,currency,terms_days
        DE1,Deutsch GmbH,DE,EUR,30
        GB1,Brit Ltd,GB,GBP,30
        GB2,Brit Dollar Ltd,GB,USD,30
        FR1,Franc SA,FR,GBP,30
        US1,Yank Inc,US,USD,30

        """,
        "invoices.csv": """
        invoice_id,customer_id,issue_date,due_date,amount,currency
        E-1,DE1,2026-05-01,2026-05-31,1000.00,EUR
        G-1,GB1,2026-05-01,2026-05-31,5000.00,GBP
        U-2,GB2,2026-05-01,2026-05-31,15000.00,USD
        F-1,FR1,2026-05-01,2026-05-31,500.00,GBP
        S-1,US1,2026-05-01,2026-05-31,1000.00,USD
        S-2,US1,2026-05-11,2026-06-10,20.00,USD

        """,
        "fx_rates.csv": "date,currency,rate\n2026-04-01,EUR,1.0850\n2026-04-01,GBP,1.2700\n",
    ]

    func fees(_ yml: String? = nil, policy: String? = nil) throws -> [String: LateFeeLine] {
        var files = StatutoryFeesTests.files
        files["arlens.yml"] = "base_currency: USD\n" + (yml ?? "")
        let r = try ledger(files)
        #expect(r.report.rejections.isEmpty)
        let book = AccountBook(PreparedLedger(r.ledger).timeline, asOf: day("2026-06-30"))
        let rules = LateFeeRules(r.configuration.configuration.lateFees, name: policy)!
        return Dictionary(uniqueKeysWithValues: LateFees.compute(book, rules: rules).map { ($0.document, $0) })
    }

    @Test func byCountryInTheirOwnCurrency() throws {
        let f = try fees()
        #expect(f["E-1"]!.policy == "eu" && f["E-1"]!.interest == 9_86 && f["E-1"]!.fixed == 40_00 && f["E-1"]!.basis == "")
        #expect(f["G-1"]!.policy == "uk" && f["G-1"]!.interest == 49_32 && f["G-1"]!.fixed == 70_00)
        #expect(f["U-2"]!.policy == "uk" && f["U-2"]!.interest == 147_95 && f["U-2"]!.fixed == 127_00)
        #expect(f["U-2"]!.basis == "GBP 100.00 = 127.00 USD at 1 GBP = 1.2700 USD (rate of 2026-06-30)")
        #expect(f["F-1"]!.policy == "eu" && f["F-1"]!.interest == 4_93 && f["F-1"]!.fixed == 34_17)
        #expect(f["F-1"]!.basis == "EUR 40.00 = 34.17 GBP at 1 EUR = 0.854331 GBP (rate of 2026-06-30)")
        #expect(f["S-1"]!.policy == "contractual" && f["S-1"]!.interest == 14_79 && f["S-1"]!.fixed == 0)
        // 20 × 18% × 20/365 = 0.197 → 0.20: below the default minimum charge of 1.00, not raised.
        #expect(f["S-2"]!.interest == 20 && f["S-2"]!.belowMinimum && f["S-2"]!.due == 0)
    }

    @Test func overridesAndMinimum() throws {
        let f = try fees("late_fees:\n  countries: {US: uk}\n  customers: {DE1: contractual}\n  minimum_charge: 0\n")
        // US1 under the UK Act: £40 = 50.80 USD; DE1 by its contract: 1000 EUR × 18% × 30/365 = 14.79 EUR.
        #expect(f["S-1"]!.policy == "uk" && f["S-1"]!.fixed == 50_80)
        #expect(f["E-1"]!.policy == "contractual" && f["E-1"]!.interest == 14_79 && f["E-1"]!.fixed == 0)
        #expect(!f["S-2"]!.belowMinimum)
        // Forced for everyone: the EU sum for a GBP invoice is still EUR 40 converted.
        let eu = try fees(policy: "eu")
        #expect(eu["G-1"]!.fixed == 34_17 && eu["S-1"]!.fixed == 43_40)
    }

    @Test func badSettingsNameTheLine() throws {
        var files = StatutoryFeesTests.files
        files["arlens.yml"] = "base_currency: USD\nlate_fees:\n  countries: {USA: uk}\n"
        #expect(throws: (any Error).self) { try ledger(files) }
        files["arlens.yml"] = "base_currency: USD\nlate_fees:\n  customers:\n    US1: swiss\n"
        do { _ = try ledger(files); Issue.record("accepted") } catch {
            #expect("\(error)".contains("late_fees.customers.US1: 'swiss' is not contractual, eu or uk") && "\(error)".contains("4"))
        }
    }
}
