import Testing
import ARModel
@testable import ARLoading

@Suite struct CurrencyAndCapTests {
    @Test func severalCurrenciesNeedABaseCurrency() {
        let t = TempLedger([
            "customers.csv": "customer_id,name,currency\nC1,A,USD\nC2,B,EUR\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,5.00\nI2,C2,2026-01-10,5.00\n",
        ])
        #expect(throws: LoadError.currencies("the ledger has amounts in EUR, USD; set base_currency in arlens.yml to say which one the reports use")) {
            try t.load()
        }
    }

    @Test func foreignCurrencyNeedsRates() throws {
        let files = [
            "arlens.yml": "base_currency: USD\n",
            "customers.csv": "customer_id,name,currency\nC1,A,USD\nC2,B,EUR\nC3,C,JPY\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,5.00\nI2,C2,2026-01-10,5.00\nI3,C2,2025-12-31,7.00\nI4,C3,2026-02-01,1200\nI5,C3,2026-02-01,1200.50\n",
        ]
        let none = TempLedger(files)
        #expect(throws: LoadError.currencies("the ledger has amounts in EUR, JPY besides the base currency USD, but no fx_rates.csv to convert them")) {
            try none.load()
        }
        var withRates = files
        withRates["fx_rates.csv"] = "date,currency,rate\n2026-01-01,EUR,1.10\n2026-01-01,JPY,0.0067\n"
        let r = try TempLedger(withRates).load()
        #expect(r.report.rejections.map(\.message) == [
            "invoices.csv:4: column 'currency': 'EUR': no EUR rate on or before 2025-12-31 in fx_rates.csv",
            "invoices.csv:6: column 'amount': '1200.50': JPY has no minor unit; the amount must be whole",
        ])
        #expect(r.ledger.invoices.ids.strings == ["I1", "I2", "I4"])
        #expect(r.ledger.invoices.money(2).description == "1200 JPY")
        #expect(r.accountsForEveryRow)
    }

    @Test func singleCurrencyNamedOnlyOnDocumentsBecomesTheBase() throws {
        let r = try TempLedger([
            "customers.csv": "customer_id,name\nC1,A\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,amount,currency\nI1,C1,2026-01-10,5.000,KWD\n",
        ]).load()
        #expect(r.ledger.baseCurrency == .KWD)
        #expect(r.ledger.customers.currency[0] == .KWD)
        #expect(r.ledger.invoices.amount[0] == 5000)
    }

    @Test func overApplicationsAreCappedAndReported() throws {
        let r = try TempLedger([
            "customers.csv": Fixture.customers,
            "invoices.csv": Fixture.invoices,
            "payments.csv": "payment_id,customer_id,received_date,amount\nP1,C1,2026-02-01,100.00\nP2,C2,2026-02-03,300.00\n",
            // P1 pays I1 twice over; P2 pays I2 (250) with 300; a credit then meets a settled invoice.
            "applications.csv": "payment_id,invoice_id,amount\nP1,I1,80.00\nP1,I1,80.00\nP2,I2,300.00\n",
            "adjustments.csv": "adjustment_id,customer_id,invoice_id,date,kind,amount\nCM1,C2,I2,2026-02-05,credit_memo,40.00\nCM2,C1,I1,2026-01-20,credit_memo,30.00\n",
        ]).load()
        let l = r.ledger
        // In date order: CM2 (01-20) takes 30 of I1 (70 left); P1's first 80 fits 70; the second fits 0.
        #expect(l.applications.requested == [8_000, 8_000, 30_000])
        #expect(l.applications.amount == [7_000, 0, 25_000])
        #expect(l.adjustments.allocated == [0, 3_000])
        #expect(r.report.findings.filter { $0.kind.hasPrefix("over_") }.map(\.message) == [
            "applications.csv:2: applies 80.00 of payment P1 to I1, but the document had 70.00 open; 10.00 stays unapplied",
            "applications.csv:3: applies 80.00 of payment P1 to I1, but the document had 0.00 open; 80.00 stays unapplied",
            "applications.csv:4: applies 300.00 of payment P2 to I2, but the document had 250.00 open; 50.00 stays unapplied",
            "adjustments.csv:2: credit_memo of 40.00 on I2, which had 0.00 open; 40.00 stays unallocated credit",
        ])
        #expect(r.report.rejections.isEmpty)
    }

    @Test func applicationsMustMatchCurrencies() throws {
        let r = try TempLedger([
            "arlens.yml": "base_currency: USD\n",
            "customers.csv": "customer_id,name,currency\nC1,A,USD\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,amount,currency\nI1,C1,2026-01-10,5.00,EUR\nI2,C1,2026-01-10,5.00,USD\n",
            "payments.csv": "payment_id,customer_id,received_date,amount\nP1,C1,2026-02-01,10.00\n",
            "applications.csv": "payment_id,invoice_id,amount\nP1,I1,5.00\nP1,I2,5.001\nP1,I2,5.00\n",
            "fx_rates.csv": "date,currency,rate\n2026-01-01,EUR,1.1\n",
        ]).load()
        #expect(r.report.rejections.map(\.message) == [
            "applications.csv:2: column 'invoice_id': 'I1': the payment is in USD but the document is in EUR",
            "applications.csv:3: column 'amount': '5.001': more decimals than USD allows",
        ])
        #expect(r.ledger.applications.count == 1)
    }

    @Test func creditsSettleDebitMemosAndRejectCreditTargets() throws {
        let r = try TempLedger([
            "customers.csv": Fixture.customers,
            "invoices.csv": Fixture.invoices,
            "adjustments.csv": """
                adjustment_id,customer_id,invoice_id,date,kind,amount
                DM1,C1,I1,2026-01-20,debit_memo,15.00
                CM1,C1,DM1,2026-01-25,credit_memo,5.00
                CM2,C1,CM1,2026-01-26,credit_memo,1.00
                I2,C1,,2026-01-27,late_fee,2.00

                """,
        ]).load()
        #expect(r.report.rejections.map(\.message) == [
            "adjustments.csv:4: column 'invoice_id': 'CM1': is a credit_memo; a credit reduces an invoice, debit memo or late fee",
            "adjustments.csv:5: column 'adjustment_id': 'I2': is also an invoice_id; ids must be unique across invoices and adjustments",
        ])
        let l = r.ledger
        #expect(l.adjustments.count == 2)
        #expect(l.documentID(l.adjustments.document[1]) == "DM1")
        #expect(l.adjustments.allocated == [0, 500])
    }
}
