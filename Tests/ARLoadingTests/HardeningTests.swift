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
