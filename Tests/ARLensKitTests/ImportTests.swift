import Foundation
import Testing
import ARAnalytics
import ARLensKit
import ARLoading
import ARModel
import ARTestSupport

@Suite struct ImportTests {
    static func fixture(_ f: String) -> String { TestPaths.fixture("imports/" + f) }

    /// `arlens import` writes a native ledger folder that loads to the same aging as the
    /// export read in place, plus rejects.csv with every row not loaded.
    @Test func importWritesANativeLedgerAndItsRejects() throws {
        let out = TestTemp.path("arlens-import-")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let v = try ImportJob.run(preset: "quickbooks-aging-detail", files: [Self.fixture("quickbooks/ar_aging_detail.csv")],
                                  out: out, paidAsOf: Day(iso: "2026-10-31"))
        #expect(v.report.files.map { [$0.read, $0.loaded, $0.rejected, $0.skipped, $0.folded] } == [[20, 7, 0, 13, 0]])
        let names = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(names == ["adjustments.csv", "applications.csv", "import.txt", "invoices.csv", "payments.csv", "rejects.csv"])
        let rejects = try String(contentsOfFile: out + "/rejects.csv", encoding: .utf8).split(separator: "\r\n")
        #expect(rejects.count == 14)   // header + 13 skipped rows
        #expect(rejects[1].hasSuffix(",1,,Northwind Traders,above the header row (line 5): a title"))
        let ws = try Workspace(LedgerSource(directory: out), tables: nil)
        #expect(ws.load.report.rejections.isEmpty)
        let a = Aging.compute(ws.timeline, asOf: Day(iso: "2026-10-31")!)
        #expect(a.netAR == 445_000)
        #expect(a.rows.map { "\($0.group) \($0.total)" } == ["Acme Corp 210000", "Bayside Cafe 35000", "Carter Ltd 200000"])
        // A folder holding other files is not replaced.
        FileManager.default.createFile(atPath: out + "/notes.txt", contents: Data())
        #expect(throws: (any Error).self) {
            _ = try ImportJob.run(preset: "quickbooks-aging-detail", files: [Self.fixture("quickbooks/ar_aging_detail.csv")], out: out)
        }
    }

    @Test func detectNamesThePresetOfEveryFixture() throws {
        let cases = [
            ("quickbooks/ar_aging_detail.csv", "quickbooks-aging-detail"), ("xero/SalesInvoices.csv", "xero-invoices"),
            ("sap/FBL5N.txt", "sap-fbl5n"), ("odoo/invoices.csv", "odoo"), ("odoo/payments.csv", "odoo"),
            ("erpnext/accounts_receivable.csv", "erpnext-ar"),
            ("business-central/CustomerLedgerEntries.txt", "bc-ledger-entries"), ("sage50/audit_trail.csv", "sage50-audit"),
        ]
        for (file, preset) in cases {
            let d = try ImportJob.detect(file: Self.fixture(file))
            #expect(d.best == preset, "\(file)")
            #expect(d.candidates.first!.score >= 0.9, "\(file)")
        }
        // The sample ledger's native invoices.csv fits no preset well.
        let native = try ImportJob.detect(file: TestPaths.root + "/datasets/sample/invoices.csv")
        #expect((native.candidates.first?.score ?? 0) < 0.5)
    }
}
