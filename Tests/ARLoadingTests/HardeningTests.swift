import Foundation
import Testing
import ARModel
@testable import ARLoading

/// Issue 15: hostile and unlucky input. Each test pins the exact value loaded or the exact
/// rejection, never only "does not crash".
@Suite struct HardeningTests {
    /// A mapping that reads one field into two columns copies its unescaped bytes twice into
    /// the row's scratch buffer; the buffer was sized for one copy (heap overflow).
    @Test func oneFieldMappedToTwoColumnsWithEscapedQuotes() throws {
        // A record shorter than the 4 KiB first buffer, whose unescaped field read twice is not.
        let id = "\"" + String(repeating: "X", count: 3990) + "\"\"\""
        let expected = String(repeating: "X", count: 3990) + "\""
        let t = TempLedger([
            "arlens.yml": """
                mapping:
                  invoices:
                    columns: {invoice_id: ref, invoice_number: ref}
                """,
            "invoices.csv": "ref,customer_id,issue_date,amount\n\(id),C1,2026-01-10,5.00\nplain,C1,2026-01-11,6.00\n",
        ])
        let r = try t.load()
        #expect(r.ledger.invoices.count == 2)
        #expect(r.ledger.invoices.ids[0] == expected)
        #expect(r.ledger.invoices.printedNumber(0) == expected)
        #expect(r.ledger.invoices.ids[1] == "plain")
        #expect(r.accountsForEveryRow)
    }
}

extension HardeningTests {
    /// A stray quote opening a field took in the next rows as one value: they vanished with
    /// no rejection (aging 90.00 instead of 210.00), or were reported as an unknown customer.
    @Test func strayQuoteDoesNotSwallowTheRowsAfterIt() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": """
            invoice_id,customer_id,issue_date,amount,note
            I1,C1,2026-01-10,10.00,ok
            I2,C1,2026-01-10,20.00,"6 pipe
            I3,C1,2026-01-11,30.00,x
            I4,C1,2026-01-12,40.00,y"
            I5,C2,2026-01-13,50.00,z
            I6,C2,2026-01-14,60.00,"multi
            line note, fine"

            """])
        let r = try t.load()
        let total: Int64 = r.ledger.invoices.amount.reduce(0, +)
        #expect(total == 190_00)
        #expect(r.report.rejections.map(\.line) == [3])
        #expect(r.report.rejections[0].message == "invoices.csv:3: column 'note': a quote opened in this line runs on to line 5, taking in 2 lines that look like rows (a stray quote?); the line is rejected and reading resumes on the next line")
        #expect(!r.report.rejections.contains { $0.reason.contains("unknown customer") })
        #expect(r.file("invoices.csv")?.read == 6)
        #expect(r.report.notes.contains("invoices.csv: 1 quoted value spans several lines (first on line 7); check for a stray quote if that is not expected"))
        #expect(r.ledger.invoices.ids.find("I4") != nil)
        #expect(r.accountsForEveryRow)
    }

    /// The same stray quote, closed later by a quote followed by more text.
    @Test func strayQuoteClosedMidLineLaterRejectsOnlyItsLine() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": """
            invoice_id,customer_id,issue_date,amount,note
            I1,C1,2026-01-10,10.00,ok
            I2,C1,2026-01-10,20.00,"6 pipe
            I3,C1,2026-01-11,30.00,x
            I4,C1,2026-01-12,40.00,"y"

            """])
        let r = try t.load()
        let amounts: [Int64] = [10_00, 30_00, 40_00]
        #expect(r.ledger.invoices.amount == amounts)
        #expect(r.report.rejections.map(\.message) == ["invoices.csv:3: column 'note': a quote opened in this line runs on to line 5 and is followed by text (a stray quote?); the line is rejected and reading resumes on the next line"])
        #expect(r.accountsForEveryRow)
    }

    @Test func quoteNeverClosedRejectsOneLineNotTheRestOfTheFile() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": """
            invoice_id,customer_id,issue_date,amount
            I1,C1,2026-01-10,10.00
            I2,"C1,2026-01-10,20.00
            I3,C1,2026-01-11,30.00
            I4,C2,2026-01-12,40.00

            """])
        let r = try t.load()
        let amounts: [Int64] = [10_00, 30_00, 40_00]
        #expect(r.ledger.invoices.amount == amounts)
        #expect(r.report.rejections.map(\.message) == ["invoices.csv:3: column 'customer_id': a quote opened in this line is never closed (the rest of the file would be one value); the line is rejected and reading resumes on the next line"])
        #expect(r.accountsForEveryRow)
    }
}
