import ARAnalytics
import ARLensKit
import ARLoading
import ARModel
import ARReport
import ARTestSupport
import Foundation
import Testing

/// Issue 16, point 6: plans a customer can sign. At 2026-06-30 K owes K-100 1000.00 (60 days
/// overdue), K-200 500.00 (30 days), K-300 500.00 (a repeat of K-200 on the same day: held) and
/// K-400 800.00 (due 07-15, not yet due).
@Suite struct PlanJobTests {
    static let ledger = TempLedger([
        "customers.csv": "customer_id,name,terms_days\nK,Kay Ltd,30\n",
        "invoices.csv": """
        invoice_id,customer_id,issue_date,due_date,amount
        K-100,K,2026-04-01,2026-05-01,1000.00
        K-200,K,2026-05-01,2026-05-31,500.00
        K-300,K,2026-05-01,2026-05-31,500.00
        K-400,K,2026-06-15,2026-07-15,800.00

        """,
    ])
    static let ws = try! Workspace(LedgerSource(directory: ledger.path), tables: nil)
    var desk: CollectionsDesk { try! PlanJobTests.ws.desk(asOf: Day(iso: "2026-06-30")) }

    @Test func overdueInvoicesNotHeldFirstDueAfterFourteenDays() throws {
        let p = try desk.plan(customer: "K", installments: 2, start: nil, frequency: .monthly, interest: 0)
        #expect(p.invoices.map(\.document) == ["K-100", "K-200"])
        #expect(p.plan.balance == 1500_00)
        #expect(p.plan.installments.map(\.due) == [Day(iso: "2026-07-14")!, Day(iso: "2026-08-14")!])
        #expect(p.plan.installments.map(\.amount) == [750_00, 750_00])
        let l = desk.planLetter(p, templates: try LetterTemplates(directory: TestPaths.root + "/report-templates/notices"))
        #expect(l.summaryTitle == "Invoices covered by this plan")
        #expect(l.summaryRows == [["K-100", "1 April 2026", "1 May 2026", "1,000.00"], ["K-200", "1 May 2026", "31 May 2026", "500.00"]])
        #expect(l.customerSignature)
        #expect(l.paragraphs[1].hasPrefix("As agreed, we propose to settle the 2 invoices listed below, 1,500.00 USD in all, in 2 monthly instalments, the first due on 14 July 2026"))
        let html = try LetterTemplates(directory: TestPaths.root + "/report-templates/notices").html(l)
        #expect(html.contains("Accepted for Kay Ltd") && html.contains("Name and position") && html.contains("<td>K-200</td>"))
    }

    @Test func selectedInvoicesAndRefusals() throws {
        // A named invoice may be one not yet due.
        let p = try desk.plan(customer: "K", installments: 1, start: Day(iso: "2026-07-20"), frequency: .monthly, interest: 0, invoices: ["K-400"])
        #expect(p.plan.balance == 800_00 && p.invoices.map(\.document) == ["K-400"])
        #expect(throws: ARLensError.input("K-300 is held: suspected duplicate of K-200 (duplicate_invoice, severity 0.97)")) {
            try desk.plan(customer: "K", installments: 1, start: nil, frequency: .monthly, interest: 0, invoices: ["K-300"])
        }
        #expect(throws: ARLensError.input("--start 2026-07-13 is too soon: the first instalment falls due at least 14 days after 2026-06-30 (2026-07-14; payment_plans.first_due_days)")) {
            try desk.plan(customer: "K", installments: 1, start: Day(iso: "2026-07-13"), frequency: .monthly, interest: 0)
        }
        #expect(throws: ARLensError.input("K-999 is not an open invoice of K at 2026-06-30")) {
            try desk.plan(customer: "K", installments: 1, start: nil, frequency: .monthly, interest: 0, invoices: ["K-999"])
        }
    }
}
