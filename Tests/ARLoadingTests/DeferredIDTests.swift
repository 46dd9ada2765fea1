@testable import ARLoading
import ARModel
import Testing

/// Activities and purchase orders intern their ids after the rows are read
/// (`TableParsers.internIDs`): a duplicate is rejected, worded and ordered as one pass over
/// the file rejects it, and the rows kept, their side columns and symbols are those one pass keeps.
@Suite struct DeferredIDTests {
    @Test func duplicateActivitiesKeepTheFirstKeptRow() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": Fixture.invoices, "activities.csv": """
            activity_id,customer_id,invoice_id,date,collector,kind,promised_date,promised_amount,note
            A1,C1,I1,2026-01-20,Ann,email,,,first
            A2,C1,I1,2026-01-32,Bob,call,,,bad date
            A1,C2,I2,2026-01-21,Zed,call,2026-02-02,70.00,only this duplicate names Zed
            A2,C2,I2,2026-01-22,Cy,promise,2026-02-01,50.00,"kept: the first A2 was rejected
            on two lines"
            A3,C2,,2026-01-23,Bob,note,,,
            A2,C1,I1,2026-01-24,Ann,email,,,duplicate of the kept A2
            A4,C1,I9,2026-01-25,Dee,email,,,

            """])
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == [
            "activities.csv:3: column 'date': '2026-01-32': no such date",
            "activities.csv:4: column 'activity_id': 'A1': duplicate activity_id (first on line 2)",
            "activities.csv:8: column 'activity_id': 'A2': duplicate activity_id (first on line 5)",
            "activities.csv:9: column 'invoice_id': 'I9': unknown document (not an invoice_id or adjustment_id)",
        ])
        let a = r.ledger.activities
        #expect(a.count == 3)
        #expect((0..<3).map { a.ids[Int32($0)] } == ["A1", "A2", "A3"])
        #expect(a.line == [2, 5, 7])
        #expect(a.customer == [0, 1, 1])
        #expect(a.document == [.invoice(0), .invoice(1), .none])
        #expect(a.date.map(\.description) == ["2026-01-20", "2026-01-22", "2026-01-23"])
        #expect(a.kind == [.email, .promise, .note])
        #expect(a.promisedDate.map { $0?.description } == [nil, "2026-02-01", nil])
        #expect(a.promisedAmount == [nil, 5000, nil])
        #expect((0..<3).map { a.note[$0] } == ["first", "kept: the first A2 was rejected\non two lines", ""])
        // Zed (named by the dropped duplicate only) is gone; Bob is numbered where A3 first names
        // him (the row on line 3 was rejected before its collector was read); Dee stays (its row
        // was rejected after the parse, as one pass keeps it).
        #expect(a.collector == [0, 1, 2])
        #expect((0..<Int32(a.symbols.count)).map { a.symbols[$0] } == ["Ann", "Cy", "Bob", "Dee"])
        #expect(r.accountsForEveryRow)
    }

    @Test func duplicatePurchaseOrdersKeepTheFirstKeptRow() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": Fixture.invoices, "purchase_orders.csv": """
            po_number,customer_id,date,amount,currency
            P1,C1,2026-01-05,10.00,
            P2,C1,2026-01-06,abc,
            P1,C2,2026-01-07,20.00,
            P1,C1,2026-01-08,30.00,EUR
            P2,C1,2026-01-09,40.00,
            "P
            3",C2,2026-01-10,,
            P2,C1,2026-01-11,50.00,
            P4,C2,2026-01-12,1.234,

            """])
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == [
            "purchase_orders.csv:3: column 'amount': 'abc': not an amount",
            "purchase_orders.csv:5: column 'po_number': 'P1': duplicate po_number for this customer (first on line 2)",
            "purchase_orders.csv:9: column 'po_number': 'P2': duplicate po_number for this customer (first on line 6)",
            "purchase_orders.csv:10: column 'amount': '1.234': more decimals than USD allows",
        ])
        let p = r.ledger.purchaseOrders
        #expect(p.count == 4)
        #expect((0..<4).map { p.poNumber[$0] } == ["P1", "P1", "P2", "P\n3"])
        #expect(p.customer == [0, 1, 0, 1])
        #expect(p.line == [2, 4, 6, 7])
        #expect(p.date.map { $0?.description } == ["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-10"])
        // The dropped duplicate's amount (30.00) and currency (EUR) are not taken by a kept row.
        #expect(p.amount == [1000, 2000, 4000, nil])
        #expect(p.currency == [.USD, .USD, .USD, .USD])
        #expect(r.accountsForEveryRow)
    }

    @Test func duplicatesWithoutACustomerMaster() throws {
        // Without customers.csv the rows name the customers: a duplicate row's customer is
        // numbered where the row is read (as one pass numbers it, before the id is checked).
        let t = TempLedger(["invoices.csv": Fixture.invoices, "activities.csv": """
            activity_id,customer_id,invoice_id,date,collector,kind
            A1,C1,I1,2026-01-20,Ann,email
            A1,C7,I1,2026-01-21,Zed,email
            A2,C2,I2,2026-01-22,Bob,call

            """, "purchase_orders.csv": "po_number,customer_id,date,amount\nP1,C2,2026-01-05,10.00\nP1,C2,2026-01-06,11.00\nP2,C8,2026-01-07,12.00\n"])
        let r = try t.load()
        let duplicates = [("activities.csv", "activity_id", "A1", "activity_id"), ("purchase_orders.csv", "po_number", "P1", "po_number for this customer")]
        #expect(r.report.rejections.map(\.message) == duplicates.map { "\($0.0):3: column '\($0.1)': '\($0.2)': duplicate \($0.3) (first on line 2)" })
        let a = r.ledger.activities, p = r.ledger.purchaseOrders
        #expect(a.line == [2, 4])
        #expect(a.collector == [0, 1])
        #expect((0..<Int32(a.symbols.count)).map { a.symbols[$0] } == ["Ann", "Bob"])
        #expect(a.customer.map { r.ledger.customers.ids[$0] } == ["C1", "C2"])
        #expect(p.line == [2, 4])
        #expect(p.amount == [1000, 1200])
        #expect(p.customer.map { r.ledger.customers.ids[$0] } == ["C2", "C8"])
        #expect((0..<Int32(r.ledger.customers.count)).map { r.ledger.customers.ids[$0] } == ["C1", "C2", "C7", "C8"])
        #expect(r.accountsForEveryRow)
    }
}
