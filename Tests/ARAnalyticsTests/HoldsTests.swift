import ARAnalytics
import ARModel
import Foundation
import Testing

/// Issue 16, point 1: what is held from notices, fees and plans at 2026-06-30.
///
/// | customer | overdue items | held |
/// |---|---|---|
/// | K | K-100 1000 due 05-01; K-200 500 and K-300 500 issued the same day (K-300 repeats K-200) | K-300: duplicate (0.9 + log10(500)/40 = 0.97) |
/// | P | P-1 1000 due 04-30; P-2 6000 due 05-31; P-3 200 due 06-15; a pending promise of 200 naming P-3 | P-3 only |
/// | Q | Q-1 1000 due 05-01; Q-2 300 due 06-01; Q-3 150 due 06-10; a pending promise of 1200 naming none | Q-1 (1200 pays it; 200 left does not pay Q-2) |
/// | S | S-1 500 paid; S-2 repeats it | S-2: the whole account, so S is skipped |
@Suite struct HoldsTests {
    static let files: [String: String] = [
        "customers.csv": "customer_id,name,terms_days\nK,Kay,30\nP,Pea,30\nQ,Queue,30\nS,Ess,30\n",
        "invoices.csv": """
        invoice_id,customer_id,issue_date,due_date,amount
        K-100,K,2026-04-01,2026-05-01,1000.00
        K-200,K,2026-05-01,2026-05-31,500.00
        K-300,K,2026-05-01,2026-05-31,500.00
        P-1,P,2026-03-31,2026-04-30,1000.00
        P-2,P,2026-05-01,2026-05-31,6000.00
        P-3,P,2026-05-16,2026-06-15,200.00
        Q-1,Q,2026-04-01,2026-05-01,1000.00
        Q-2,Q,2026-05-02,2026-06-01,300.00
        Q-3,Q,2026-05-11,2026-06-10,150.00
        S-1,S,2026-05-01,2026-05-31,500.00
        S-2,S,2026-05-01,2026-05-31,500.00

        """,
        "payments.csv": "payment_id,customer_id,received_date,amount,reference\nPS,S,2026-06-01,500.00,S-1\n",
        "activities.csv": """
        activity_id,customer_id,invoice_id,date,collector,kind,promised_date,promised_amount,note
        A1,P,P-3,2026-06-25,Ann,promise,2026-07-10,200.00,
        A2,Q,,2026-06-25,Ann,promise,2026-07-10,1200.00,

        """,
    ]

    func setup(_ extra: [String: String] = [:]) throws -> (AccountBook, (Int) -> String) {
        let r = try ledger(HoldsTests.files.merging(extra) { $1 })
        #expect(r.report.rejections.isEmpty)
        let book = AccountBook(PreparedLedger(r.ledger).timeline, asOf: day("2026-06-30"))
        return (book, { r.ledger.customers.ids[Int32($0)] })
    }

    @Test func holdsByKind() throws {
        let (book, _) = try setup()
        let holds = Holds(book, duplicatesFrom: 0.75)
        let byDoc = Dictionary(uniqueKeysWithValues: holds.bySlot.values.map { ($0.document, $0) })
        #expect(byDoc.keys.sorted() == ["K-300", "P-3", "Q-1", "S-2"])
        #expect(byDoc["K-300"]!.kind == .duplicate && byDoc["K-300"]!.reason == "suspected duplicate of K-200 (duplicate_invoice, severity 0.97)")
        #expect(byDoc["P-3"]!.kind == .promise && byDoc["P-3"]!.reason == "promise to pay 200.00 by 2026-07-10")
        #expect(byDoc["Q-1"]!.reason == "promise to pay 1200.00 by 2026-07-10" && byDoc["Q-1"]!.openBase == 1000_00)
        // Above 1 no duplicate is held.
        #expect(Set(Holds(book, duplicatesFrom: 1.5).bySlot.values.map(\.document)) == ["P-3", "Q-1"])
    }

    @Test func worklistChasesWhatIsLeft() throws {
        let (book, id) = try setup()
        let w = Worklist(book, scores: CreditRisk.scores(book), ladder: DunningLadder())
        let rows = Dictionary(uniqueKeysWithValues: w.rows.map { (id($0.customer), $0) })
        #expect(rows.keys.sorted() == ["K", "P", "Q"])
        // K: 1000 + 500 chased, the repeat held.
        #expect(rows["K"]!.overdue == 1500_00 && rows["K"]!.overdueItems == 2 && rows["K"]!.holds.map(\.document) == ["K-300"])
        #expect(rows["K"]!.reasons.contains("500.00 held back: K-300 suspected duplicate of K-200 (duplicate_invoice, severity 0.97)"))
        // P: the small promise holds P-3 only; 7000 of the largest items are still chased.
        #expect(rows["P"]!.overdue == 7000_00 && rows["P"]!.maxDaysPastDue == 61 && rows["P"]!.holds.map(\.document) == ["P-3"])
        #expect(rows["Q"]!.overdue == 450_00 && rows["Q"]!.maxDaysPastDue == 29)
        #expect(w.skipped.map { id($0.customer) } == ["S"])
        #expect(w.skipped[0].overdue == 500_00)
        #expect(w.skipped[0].reason == "all overdue items held: S-2 suspected duplicate of S-1 (duplicate_invoice, severity 0.97)")
    }

    /// Contractual 1.5% a month (18% a year, by the day): held invoices are charged nothing.
    @Test func noFeesOnHeldInvoices() throws {
        let (book, _) = try setup()
        let fees = LateFees.compute(book, policy: .contractual(monthlyRatePercent: 1.5, graceDays: 0, minimum: 0),
                                    holds: Holds(book, duplicatesFrom: 0.75))
        #expect(fees.map(\.document) == ["K-100", "K-200", "P-1", "P-2", "Q-2", "Q-3"])
        // K-100: 1000.00 × 18% × 60 / 365 = 29.589… → 29.59.
        #expect(fees[0].interest == 29_59)
    }
}
