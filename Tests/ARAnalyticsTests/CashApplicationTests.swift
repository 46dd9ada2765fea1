import ARAnalytics
import ARModel
import Testing

@Suite struct CashApplicationTests {
    /// C1 owes I1 100 (Jan 5), I2 250 (Jan 10), I3 250 (Jan 15); C2 owes J1 70.
    static let files: [String: String] = [
        "customers.csv": "customer_id,name\nC1,One\nC2,Two\n",
        "invoices.csv": """
            invoice_id,customer_id,invoice_number,issue_date,due_date,amount
            I1,C1,1001,2026-01-05,2026-02-04,100.00
            I2,C1,1002,2026-01-10,2026-02-09,250.00
            I3,C1,1003,2026-01-15,2026-02-14,250.00
            J1,C2,2001,2026-01-05,2026-02-04,70.00
            I9,C1,1009,2026-03-01,2026-03-31,40.00

            """,
        "payments.csv": """
            payment_id,customer_id,received_date,amount,reference
            P1,C1,2026-01-20,250.00,Remittance INV 1003
            P2,C1,2026-01-21,100.00,
            P3,C1,2026-01-22,300.00,ACH CREDIT
            P4,C2,2026-01-23,70.00,pays 1002 of C1
            P5,C1,2026-02-01,10.00,INV-0001009

            """,
    ]

    @Test func referenceThenExactAmountThenOldestFirst() throws {
        let r = try ledger(CashApplicationTests.files)
        #expect(!r.ledger.applicationsFromFile)
        let p = PreparedLedger(r.ledger)
        let l = p.ledger
        let rows = (0..<l.applications.count).map {
            "\(l.payments.ids[l.applications.payment[$0]])->\(l.documentID(l.applications.document[$0])) \(l.applications.amount[$0])"
        }
        // P1 names 1003. P2 matches I1 exactly. P3: 300 matches nothing exactly, so oldest
        // first: I2 250, then 50 of... nothing else open but I3 is paid: 50 stays unapplied.
        // P4 names C1's invoice: not C2's, so it goes by amount to J1. P5 names I9, which
        // does not exist yet on Feb 1: oldest first finds nothing open, so it stays unapplied.
        #expect(rows == ["P1->I3 25000", "P2->I1 10000", "P3->I2 25000", "P4->J1 7000"])
        let m = p.cashApplication!.method
        #expect(m == [.reference, .exactAmount, .unapplied, .exactAmount, .unapplied])
        #expect(p.cashApplication!.matchRate == 60)
        let k = KPIEngine.run(p.timeline, configuration: r.configuration.configuration,
                              query: KPIQuery(metrics: [.auto_match_rate, .unapplied_cash, .ar], grain: .month),
                              autoMatched: p.cashApplication!.autoMatched)
        #expect(close(k.value(.auto_match_rate, "2026-01"), 75))          // 3 of the 4 January payments
        #expect(k.value(.auto_match_rate, "2026-02") == .number(0))
        #expect(k.value(.unapplied_cash, "2026-02") == .money(6_000))     // 50 of P3 and 10 of P5
        #expect(k.value(.ar, "2026-03") == .money(4_000 - 6_000))
    }

    @Test func tokensFindNumbersInRemittanceText() {
        #expect(CashApplication.tokensForTest("Inv #1001, 1002/1003") == ["INV", "#1001", "1001", "1002", "1003"])
        #expect(CashApplication.tokensForTest("INV-0100123") == ["INV-0100123", "0100123", "100123"])
    }

    /// Issue 25: Odoo numbers its invoices INV/2025/00012. A memo naming the whole number pays
    /// that invoice; before the fix the memo was split on `/` and its `12` paid invoice 12.
    @Test func referenceNamingAWholeNumberWithSlashesMatchesIt() throws {
        let r = try ledger([
            "invoices.csv": """
                invoice_id,customer_id,invoice_number,issue_date,due_date,amount
                A,C1,12,2025-01-02,2025-02-01,40.00
                B,C1,INV/2025/00012,2025-01-05,2025-02-04,75.00

                """,
            "payments.csv": """
                payment_id,customer_id,received_date,amount,reference
                P1,C1,2025-01-20,75.00,INV/2025/00012
                P2,C1,2025-01-21,40.00,Payment for 12/13

                """,
        ])
        let l = PreparedLedger(r.ledger).ledger
        let rows = (0..<l.applications.count).map {
            "\(l.payments.ids[l.applications.payment[$0]])->\(l.documentID(l.applications.document[$0])) \(l.applications.amount[$0])"
        }
        #expect(rows == ["P1->B 7500", "P2->A 4000"])
        let names: Set<String> = ["12", "INV/2025/00012"]
        #expect(CashApplication.referenceTokensForTest("Payment INV/2025/00012", names: names) == ["INV/2025/00012", "PAYMENT"])
        // No document is named "12/13": the word is split as before.
        #expect(CashApplication.referenceTokensForTest("12/13", names: names) == ["12", "13"])
    }
}
