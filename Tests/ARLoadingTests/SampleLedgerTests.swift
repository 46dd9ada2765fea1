import Testing
import ARModel
import ARAnalytics
@testable import ARLoading

@Suite struct HandmadeLedgerTests {
    let result = try! LedgerLoader.load(directory: handmadeLedgerPath)

    @Test func everyRowLoads() {
        #expect(result.report.rejections.isEmpty)
        #expect(result.accountsForEveryRow)
        #expect(result.file("invoices.csv")?.loaded == 24)
        #expect(result.file("payments.csv")?.loaded == 19)
        #expect(result.file("applications.csv")?.loaded == 18)
        #expect(result.ledger.baseCurrency == .USD)
        #expect(result.configuration.configuration.company == "Northwind Supplies (sample)")
        #expect(result.configuration.configuration.target(.dso) == 45)
    }

    @Test func defaultsAreApplied() {
        let l = result.ledger
        let i23 = Int(l.invoices.ids.find("INV-1023")!)
        #expect(l.invoices.dueDate[i23].description == "2026-12-05")   // issue + C001's 30 days
        let i24 = Int(l.invoices.ids.find("INV-1024")!)
        #expect(l.invoices.currency[i24] == .USD)                        // from customer C005
        let i4 = Int(l.invoices.ids.find("INV-1004")!)
        #expect(l.invoices.money(i4).description == "8000.00 EUR")
        #expect(l.invoices.printedNumber(i4) == "1004")
    }

    @Test func adjustmentsAndApplicationsResolve() {
        let l = result.ledger
        let cm3 = Int(l.adjustments.ids.find("CM-3")!)
        #expect(l.adjustments.document[cm3].isNone)                       // an unallocated credit
        #expect(l.adjustments.allocated[cm3] == 0)
        let lf1 = Int(l.adjustments.ids.find("LF-1")!)
        #expect(l.adjustments.kind[lf1] == .lateFee)
        #expect(l.adjustments.amount[lf1] == 4125)
        let cm1 = Int(l.adjustments.ids.find("CM-1")!)
        #expect(l.documentID(l.adjustments.document[cm1]) == "INV-1021")
        #expect(l.adjustments.allocated[cm1] == 30_000)
        // P-509 applied on its own applied_date; P-501 on the day received.
        let apps = l.applications
        let a509 = (0..<apps.count).first { l.payments.ids[apps.payment[$0]] == "P-509" }!
        #expect(apps.date[a509].description == "2026-09-15")
        let a501 = (0..<apps.count).first { l.payments.ids[apps.payment[$0]] == "P-501" }!
        #expect(apps.date[a501].description == "2026-07-03")
        #expect(l.fxRates.rate(.EUR, on: Day(iso: "2026-08-31")!) == ExchangeRate("1.0920"))
        #expect(l.fxRates.rate(.EUR, on: Day(iso: "2025-12-31")!) == nil)
    }

    @Test func dataQualityFindings() {
        #expect(result.report.findings.isEmpty)     // nothing over-applied
        let kinds = DataQuality.findings(result.ledger).map { "\($0.kind) \($0.key)" }
        #expect(kinds == [
            "due_before_issue INV-1021",
            "duplicate_customer_name C001,C007",
            "malformed_email C005",
            "missing_email C003",
            "missing_phone C006",
            "missing_po INV-1008",
        ])
    }
}
