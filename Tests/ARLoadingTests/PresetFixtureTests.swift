import Foundation
import Testing
import ARModel
import ARAnalytics
import ARTestSupport
@testable import ARLoading

/// Issue 25: one small export per system, shaped as its vendor documents it
/// (Tests/Fixtures/imports/<system>/, sources in docs/import/<system>.md), read through its
/// preset. The aging was worked out by hand from the rows, at two dates, to the cent:
/// "customer: current/1-30/31-60/61-90/91-120/>120 unapplied" in minor units (30 days'
/// default terms; bucket edges 30, 60, 90, 120 days past due).
@Suite struct PresetFixtureTests {
    static func load(_ preset: String, _ files: [String], extra: String = "") throws -> LoadResult {
        let paths = files.map { TestPaths.fixture("imports/" + $0) }
        let t = TempLedger(["arlens.yml": """
            \(extra)mapping:
              preset: \(preset)
              files: [\(paths.map { "\"\($0)\"" }.joined(separator: ", "))]
              paid_as_of: 2026-10-31
            """])
        return try t.load()
    }

    /// Every row of each file: loaded + rejected + skipped + folded = read.
    static func counts(_ r: LoadResult) -> [String] {
        r.report.files.map { "\(($0.file as NSString).lastPathComponent) \($0.read) = \($0.loaded) + \($0.rejected) + \($0.skipped) + \($0.folded)" }
    }

    @Test func quickbooksAgingDetail() throws {
        let r = try Self.load("quickbooks-aging-detail", ["quickbooks/ar_aging_detail.csv"])
        #expect(r.report.rejections.isEmpty, "\(r.report.rejections.map(\.message))")
        // 3 title lines, 4 section headings, 5 total lines and the footer are skipped.
        #expect(Self.counts(r) == ["ar_aging_detail.csv 20 = 7 + 0 + 13 + 0"])
        // Acme: 1045 due 11/14 current; 1038's open 300 (500 paid on 10/31) 11 days late;
        // 1012 122 days late. Bayside: 1046 current, credit memo CM-7 unallocated.
        // Carter: 1030 47 days late, the 500 payment unapplied. Net AR 4,450.00 as the TOTAL line.
        #expect(agingLines(r, "2026-10-31") == [
            "Acme Corp: 120000/30000/0/0/0/60000 0", "Bayside Cafe: 45000/0/0/0/0/0 -10000",
            "Carter Ltd: 0/0/250000/0/0/0 -50000", "total 445000"])
        #expect(agingLines(r, "2026-11-30") == [
            "Acme Corp: 0/120000/30000/0/0/60000 0", "Bayside Cafe: 0/45000/0/0/0/0 -10000",
            "Carter Ltd: 0/0/0/250000/0/0 -50000", "total 445000"])
        #expect(r.report.notes.contains { $0.contains("1 invoice carries paid totals without payment dates (500.00 in all); they are taken as settled on 2026-10-31 (paid_as_of)") })
    }

    @Test func xeroInvoices() throws {
        let r = try Self.load("xero-invoices", ["xero/SalesInvoices.csv"])
        #expect(r.report.rejections.isEmpty, "\(r.report.rejections.map(\.message))")
        // Two invoices of two lines each: one line of each folded into the first.
        #expect(Self.counts(r) == ["SalesInvoices.csv 9 = 5 + 0 + 2 + 2"])
        #expect(r.ledger.baseCurrency == .GBP)
        // Ridgeway: INV-0001 paid (on 10/31), INV-0002 575 - 200 paid = 375, 16 days late.
        // Marlow: INV-0003 current, INV-0004 92 days late, CN-0001 unallocated.
        #expect(agingLines(r, "2026-10-31") == [
            "Marlow Bakery: 23000/0/0/0/34500/0 -5000", "Ridgeway University: 0/37500/0/0/0/0 0", "total 90000"])
        // Before paid_as_of the paid totals have not happened yet (said in the notes).
        #expect(agingLines(r, "2026-09-30") == [
            "Marlow Bakery: 0/0/0/34500/0/0 0", "Ridgeway University: 57500/115000/0/0/0/0 0", "total 207000"])
    }

    @Test func sapFBL5N() throws {
        let r = try Self.load("sap-fbl5n", ["sap/FBL5N.txt"])
        #expect(r.report.rejections.map(\.message) == [
            "\(TestPaths.fixture("imports/sap/FBL5N.txt")):14: column 'Belegart': 'SA': not a type this mapping reads (AB, DA, DG, DR, DZ, RV)"])
        #expect(Self.counts(r) == ["FBL5N.txt 14 = 10 + 1 + 3 + 0"])
        #expect(r.ledger.baseCurrency == .EUR)
        // Cleared: 1800000101 by payment 1400000201; 1800000103 by credit 1700000012 (95) and
        // payment 1400000202 (500). Open: 1800000102 (30 days late), credit 1700000011
        // unallocated; 1800000104 current, the dunning fee (AB, positive) 3 days late,
        // payment 1400000203 unapplied.
        #expect(agingLines(r, "2026-10-31") == [
            "100001: 0/238000/0/0/0/0 -23800", "100002: 178500/1250/0/0/0/0 -30000", "total 363950"])
        #expect(agingLines(r, "2026-09-30") == ["100001: 238000/0/0/0/0/0 -23800", "100002: 59500/0/0/0/0/0 0", "total 273700"])
        #expect(r.ledger.applications.count == 2)
    }

    @Test func odooInvoicesAndPayments() throws {
        let r = try Self.load("odoo", ["odoo/invoices.csv", "odoo/payments.csv"])
        #expect(r.report.rejections.isEmpty, "\(r.report.rejections.map(\.message))")
        #expect(Self.counts(r) == ["invoices.csv 6 = 5 + 0 + 1 + 0", "payments.csv 4 = 3 + 0 + 1 + 0"])
        // PBNK1/2026/00032's memo names INV/2026/00013 whole: it pays that one, not the older
        // 00012 of the same amount. The credit note reverses 00011; 00033 has no invoice
        // number and goes to the oldest open invoice, 00011.
        #expect(agingLines(r, "2026-10-31") == ["Deco Addict: 0/30000/0/0/0/0 0", "Gemini Furniture: 0/30000/0/0/0/0 0", "total 60000"])
        #expect(agingLines(r, "2026-09-30") == ["Deco Addict: 45000/0/0/0/0/0 0", "Gemini Furniture: 30000/0/0/0/0/0 0", "total 75000"])
    }

    @Test func erpnextAccountsReceivable() throws {
        let r = try Self.load("erpnext-ar", ["erpnext/accounts_receivable.csv"])
        #expect(r.report.rejections.isEmpty, "\(r.report.rejections.map(\.message))")
        #expect(Self.counts(r) == ["accounts_receivable.csv 6 = 5 + 0 + 1 + 0"])
        // The advance (Payment Entry, -150 outstanding) and the return not made against an
        // invoice (-80) are credits, not rejections. Net AR 2,120.00 as the report's total.
        #expect(agingLines(r, "2026-10-31") == [
            "Grant Plastics Ltd.: 25000/60000/0/0/0/0 -15000", "West View Software Ltd.: 0/0/0/0/150000/0 -8000", "total 212000"])
        #expect(agingLines(r, "2026-11-30") == [
            "Grant Plastics Ltd.: 0/25000/60000/0/0/0 -15000", "West View Software Ltd.: 0/0/0/0/0/150000 -8000", "total 212000"])
    }

    @Test func businessCentralLedgerEntries() throws {
        let r = try Self.load("bc-ledger-entries", ["business-central/CustomerLedgerEntries.txt"])
        #expect(r.report.rejections.isEmpty, "\(r.report.rejections.map(\.message))")
        // The closed payment is part of 103001's paid amount; the refund is not read.
        #expect(Self.counts(r) == ["CustomerLedgerEntries.txt 7 = 5 + 0 + 2 + 0"])
        #expect((0..<r.ledger.customers.count).map { r.ledger.customers.name[$0] }.sorted() == ["Adatum Corporation", "Trey Research"])
        #expect(agingLines(r, "2026-10-31") == ["10000: 0/80000/0/0/0/0 -20000", "20000: 310000/0/0/0/0/0 -60000", "total 310000"])
        // 103001 was closed on 09/01 (Closed at Date); 103002's paid part is dated paid_as_of.
        #expect(agingLines(r, "2026-09-30") == ["10000: 200000/0/0/0/0/0 0", "total 200000"])
    }

    @Test func sage50AuditTrail() throws {
        let r = try Self.load("sage50-audit", ["sage50/audit_trail.csv"])
        #expect(r.report.rejections.isEmpty, "\(r.report.rejections.map(\.message))")
        #expect(Self.counts(r) == ["audit_trail.csv 9 = 6 + 0 + 2 + 1"])
        // INV1001 = (500 + 100) + (50 + 10) = 660, paid by the SR naming it. INV1002 1,200 less
        // the credit note's 120 less the 300 on account = 780, 16 days late. INV1003 current.
        #expect(agingLines(r, "2026-10-31") == ["BRI002: 0/78000/0/0/0/0 0", "CAR003: 30000/0/0/0/0/0 0", "total 108000"])
        #expect(agingLines(r, "2026-09-30") == ["ABS001: 66000/0/0/0/0/0 0", "BRI002: 108000/0/0/0/0/0 0", "total 174000"])
        #expect(r.ledger.invoices.amount == [66000, 120000, 30000])
    }
}
