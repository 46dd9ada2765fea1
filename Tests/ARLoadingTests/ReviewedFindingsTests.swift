import ARLoading
import ARModel
import ARTestSupport
import Foundation
import Testing

/// The reviewed-findings list: named in arlens.yml (`anomalies: reviewed: FILE`), read with the
/// ledger's scanner, every mistake reported with its file and line.
@Suite struct ReviewedFindingsTests {
    static let invoices = "invoice_id,customer_id,issue_date,amount\nI1,A,2026-01-05,100.00\n"

    @Test func namedInArlensYmlAndResolvedAgainstItsFolder() throws {
        let t = TempLedger(["invoices.csv": ReviewedFindingsTests.invoices,
                            "arlens.yml": "anomalies:\n  approval_threshold: 5000\n  reviewed: reviews/reviewed.csv\n"])
        let cf = try t.load().configuration
        #expect(cf.reviewedFile == t.path + "/reviews/reviewed.csv")
        #expect(cf.configuration.approvalThreshold == 5000)
        let abs = TempLedger(["invoices.csv": ReviewedFindingsTests.invoices, "arlens.yml": "anomalies: {reviewed: /srv/ar/reviewed.csv}\n"])
        #expect(try abs.load().configuration.reviewedFile == "/srv/ar/reviewed.csv")
    }

    @Test func unknownKeysAndEmptyNamesAreErrorsWithTheirLine() {
        for (yaml, expected) in [
            ("company: A\nanomalies:\n  reviewd: r.csv\n", "arlens.yml:3: anomalies: unknown key 'reviewd' (approval_threshold, reviewed)"),
            ("anomalies:\n  reviewed: ''\n", "arlens.yml:2: anomalies.reviewed: expected a file name (a CSV with rule, documents, verdict, note)"),
            ("anomalies:\n  reviewed: [a.csv]\n", "arlens.yml:2: anomalies.reviewed: expected text"),
        ] {
            let t = TempLedger(["invoices.csv": ReviewedFindingsTests.invoices, "arlens.yml": yaml])
            do {
                _ = try t.load()
                Issue.record("expected failure for \(yaml)")
            } catch {
                #expect(error.description.hasSuffix(expected), "\(error.description)")
            }
        }
    }

    @Test func readsRuleDocumentsVerdictAndNote() throws {
        // Any column order, CRLF, a quoted note with a comma, documents in any spacing, a
        // verdict in capitals, a blank line, no note.
        let t = TempLedger(["r.csv": "Verdict,Rule,Documents,Note\r\ncleared,duplicate_po,INV-1;INV-2,\"blanket PO, see contract 12\"\r\n\r\nCONFIRMED,credit_after_payment, X1 ; PAY1;CM1 ,\r\n",
                            "nonote.csv": "rule,documents,verdict\nround_amount,I7,cleared\n"])
        let r = try ColumnFile.reviewedFindings(t.path + "/r.csv")
        #expect(r == [
            ReviewedFinding(rule: .duplicatePO, documents: ["INV-1", "INV-2"], verdict: .cleared, note: "blanket PO, see contract 12", line: 2),
            ReviewedFinding(rule: .creditAfterPayment, documents: ["X1", "PAY1", "CM1"], verdict: .confirmed, note: "", line: 4),
        ])
        #expect(r[0].matches(.duplicatePO, ["INV-2", "INV-1"]))
        #expect(!r[0].matches(.duplicatePO, ["INV-1"]))
        #expect(!r[0].matches(.duplicateInvoice, ["INV-1", "INV-2"]))
        #expect(try ColumnFile.reviewedFindings(t.path + "/nonote.csv") ==
                [ReviewedFinding(rule: .roundAmount, documents: ["I7"], verdict: .cleared, note: "", line: 2)])
    }

    @Test func mistakesNameTheFileLineAndColumn() {
        let t = TempLedger([
            "rule.csv": "rule,documents,verdict,note\nround_amount,I1,cleared,ok\nround_amounts,I2,cleared,typo\n",
            "verdict.csv": "rule,documents,verdict\nround_amount,I1,dismissed\n",
            "docs.csv": "rule,documents,verdict\nround_amount, ; ,cleared\n",
            "column.csv": "rule,documents,verdict,status\nround_amount,I1,cleared,x\n",
            "missing.csv": "rule,verdict\nround_amount,cleared\n",
        ])
        let p = t.path
        #expect(throws: LoadError.badValue(file: p + "/rule.csv", line: 3, column: "rule", value: "round_amounts",
                                           reason: "not an anomaly rule (" + AnomalyRule.allCases.map(\.rawValue).joined(separator: ", ") + ")")) {
            try ColumnFile.reviewedFindings(p + "/rule.csv")
        }
        #expect(throws: LoadError.badValue(file: p + "/verdict.csv", line: 2, column: "verdict", value: "dismissed",
                                           reason: "not a verdict (confirmed or cleared)")) {
            try ColumnFile.reviewedFindings(p + "/verdict.csv")
        }
        #expect(throws: LoadError.badValue(file: p + "/docs.csv", line: 2, column: "documents", value: ";",
                                           reason: "no documents (the finding's document ids, separated by ';')")) {
            try ColumnFile.reviewedFindings(p + "/docs.csv")
        }
        #expect(throws: LoadError.badValue(file: p + "/column.csv", line: 1, column: "status", value: nil,
                                           reason: "unknown column 'status' (a reviewed-findings list has rule, documents, verdict, note)")) {
            try ColumnFile.reviewedFindings(p + "/column.csv")
        }
        #expect(throws: LoadError.missingColumns(file: p + "/missing.csv", columns: ["documents"], available: ["rule", "verdict"])) {
            try ColumnFile.reviewedFindings(p + "/missing.csv")
        }
    }
}
