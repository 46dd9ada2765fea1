import ARLoading
import ARModel
import Foundation
import Testing
@testable import ARAnalytics

/// The pack's anomalies: documents of the last 12 months and every document still open, less
/// what a reviewer cleared; confirmed findings tracked until their documents close.
///
/// Customer E's invoices are entered by ana; three times she entered one twice within half an
/// hour: E30/E31 on 2024-06-03 (E31 never paid), E40/E41 on 2024-09-02 (both paid) and
/// E50/E51 on 2026-02-02 (both paid). Every other invoice is paid in full 20 days after issue.
/// The pack is for March 2026: its 12 months start on 2025-04-01.
@Suite struct AnomalyReviewTests {
    static let files: [String: String] = {
        var invoices: [String] = [], payments: [String] = [], apps: [String] = []
        func add(_ id: String, _ d: String, _ amount: String, at: String, paid: Bool) {
            invoices.append("\(id),E,\(d),\(amount),ana,\(d)T\(at)")
            guard paid else { return }
            let pd = (Day(iso: d)! + 20).description
            payments.append("P\(id),E,\(pd),\(amount)")
            apps.append("P\(id),\(id),\(amount)")
        }
        for k in 0..<40 {
            add("E\(k + 100)", (Day(iso: "2024-01-08")! + 21 * k).description, String(format: "%.2f", 700 + 23.17 * Double(k)), at: "09:00", paid: true)
        }
        add("E30", "2024-06-03", "1111.11", at: "10:00", paid: true)
        add("E31", "2024-06-03", "1111.11", at: "10:20", paid: false)
        add("E40", "2024-09-02", "2222.22", at: "10:00", paid: true)
        add("E41", "2024-09-02", "2222.22", at: "10:25", paid: true)
        add("E50", "2026-02-02", "3333.33", at: "10:00", paid: true)
        add("E51", "2026-02-02", "3333.33", at: "10:10", paid: true)
        return [
            "customers.csv": "customer_id,name\nE,Epsilon\n",
            "invoices.csv": (["invoice_id,customer_id,issue_date,amount,created_by,created_at"] + invoices).joined(separator: "\n") + "\n",
            "payments.csv": (["payment_id,customer_id,received_date,amount"] + payments).joined(separator: "\n") + "\n",
            "applications.csv": (["payment_id,invoice_id,amount"] + apps).joined(separator: "\n") + "\n",
        ]
    }()

    static func pack(_ reviewed: [ReviewedFinding]) throws -> PackAnalysis {
        let r = try ledger(files)
        return PackAnalysis(prepared: PreparedLedger(r.ledger), report: r.report, configuration: r.configuration.configuration,
                            month: YearMonth("2026-03")!, reviewed: reviewed)
    }

    static func duplicates(_ findings: [AnomalyFinding]) -> [[String]] {
        findings.filter { $0.rule == .duplicateInvoice }.map(\.documents)
    }

    @Test func thePackCoversTheYearAndEveryOpenDocument() throws {
        // The whole ledger has all three; the pack leaves out E40/E41, older than 12 months and paid.
        let t = Timeline(try ledger(AnomalyReviewTests.files).ledger)
        let all = AnomalyRules(t, approvalThreshold: 1_000_000).run()
        #expect(Set(AnomalyReviewTests.duplicates(all)) == [["E30", "E31"], ["E40", "E41"], ["E50", "E51"]])
        let p = try AnomalyReviewTests.pack([])
        #expect(AnomalyReviewTests.duplicates(p.anomalies) == [["E50", "E51"], ["E30", "E31"]])
        // E31 is open at 2026-03-31, E30 is not.
        let open = OpenDocuments(t, asOf: Day(iso: "2026-03-31")!)
        let index = { (id: String) in Int(t.ledger.invoices.ids.find(id)!) }
        #expect(open.document[index("E31")] && !open.document[index("E30")] && !open.document[index("E51")])
        #expect(p.anomaliesCleared == 0 && p.trackedFindings.isEmpty && p.resolvedFindings == 0)
    }

    @Test func clearedAreHiddenAndConfirmedTrackedUntilClosed() throws {
        let reviewed = [
            ReviewedFinding(rule: .duplicateInvoice, documents: ["E51", "E50"], verdict: .cleared, note: "two deliveries", line: 2),
            ReviewedFinding(rule: .duplicateInvoice, documents: ["E30", "E31"], verdict: .confirmed, note: "credit requested", line: 3),
            ReviewedFinding(rule: .duplicateInvoice, documents: ["E40", "E41"], verdict: .confirmed, note: "refunded", line: 4),
            ReviewedFinding(rule: .duplicatePayment, documents: ["PX1", "PX2"], verdict: .confirmed, note: "old system", line: 5),
        ]
        let p = try AnomalyReviewTests.pack(reviewed)
        // E50/E51 cleared; E30/E31 shown with its verdict.
        let dups = p.anomalies.filter { $0.rule == .duplicateInvoice }
        #expect(dups.map(\.documents) == [["E30", "E31"]])
        #expect(dups[0].review == reviewed[1])
        #expect(p.anomaliesCleared == 1)
        // Tracked: E30/E31 with E31's 1,111.11 open, and the payments this ledger does not
        // have; E40/E41, both paid, resolved.
        #expect(p.trackedFindings.map(\.entry.line) == [3, 5])
        let e31 = p.trackedFindings[0]
        #expect(e31.documents.map(\.id) == ["E30", "E31"] && e31.documents.map(\.open) == [0, 1111_11])
        #expect(e31.openAmount == 1111_11 && !e31.resolved && e31.missing.isEmpty)
        #expect(p.trackedFindings[1].missing == ["PX1", "PX2"] && !p.trackedFindings[1].resolved)
        #expect(p.resolvedFindings == 1)
        // A later line for the same finding overrides an earlier one.
        let changed = try AnomalyReviewTests.pack(reviewed + [
            ReviewedFinding(rule: .duplicateInvoice, documents: ["E31", "E30"], verdict: .cleared, note: "credited after all", line: 6)])
        #expect(AnomalyReviewTests.duplicates(changed.anomalies).isEmpty)
        #expect(changed.trackedFindings.map(\.entry.line) == [5] && changed.anomaliesCleared == 2)
    }
}
