import ARAnalytics
import ARModel
import ARReport
import ARTestSupport
import ChartKit
import Foundation
import Testing
@testable import ARLensKit

/// One deck per unit (`arlens slides --by region`) draws each deck from the unit's part of
/// the ledger: the parts reproduce the whole ledger's per-region aging to the cent, and each
/// deck is written beside the others.
@Suite struct SlidesJobTests {
    static let ws = try! Workspace(LedgerSource(directory: TestPaths.root + "/datasets/sample"), tables: nil)

    /// Each region's part of the sample ages exactly as the whole ledger's row for that region,
    /// except for cash one region's customer paid against another region's documents: the part
    /// leaves that application out, so the document stays open in its region (+) and the
    /// payment is unapplied in the payer's (−). Every row of the whole is in exactly one part.
    @Test func partsOfTheLedgerAddUpToTheWhole() {
        let l = SlidesJobTests.ws.ledger
        let asOf = Day(iso: "2026-10-31")!
        let whole = Aging.compute(SlidesJobTests.ws.timeline, asOf: asOf, by: .region)
        let g = Grouping(l, by: .region)
        // Cash that crossed regions, applied on or before the as-of date. A region where such cash
        // was in another currency is not compared (its amounts convert at different dates).
        func owner(_ d: DocumentRef) -> Int32? {
            if let i = d.invoiceIndex { return l.invoices.customer[i] }
            if let a = d.adjustmentIndex { return l.adjustments.customer[a] }
            return nil
        }
        var crossIn = [Int64](repeating: 0, count: g.count), crossOut = [Int64](repeating: 0, count: g.count)
        var foreign = [Bool](repeating: false, count: g.count)
        for k in 0..<l.applications.count where l.applications.date[k] <= asOf {
            guard let c = owner(l.applications.document[k]) else { continue }
            let p = Int(l.applications.payment[k])
            let payer = Int(g.customerGroup[Int(l.payments.customer[p])]), holder = Int(g.customerGroup[Int(c)])
            guard payer != holder else { continue }
            let d = l.applications.document[k]
            let docCurrency = d.invoiceIndex.map { l.invoices.currency[$0] } ?? l.adjustments.currency[d.adjustmentIndex!]
            if l.payments.currency[p] != l.baseCurrency || docCurrency != l.baseCurrency { foreign[payer] = true; foreign[holder] = true }
            crossIn[holder] += l.applications.amount[k]; crossOut[payer] += l.applications.amount[k]
        }
        var compared = 0
        var invoices = 0, payments = 0, customers = 0
        for (k, key) in g.keys.enumerated() {
            let part = l.restricted(toCustomers: g.customerGroup.map { $0 == Int32(k) })
            invoices += part.invoices.count; payments += part.payments.count; customers += part.customers.count
            // Every reference inside the part points inside it.
            #expect(part.invoices.customer.allSatisfy { $0 >= 0 && Int($0) < part.customers.count })
            #expect(part.applications.payment.allSatisfy { Int($0) < part.payments.count })
            #expect(part.applications.document.allSatisfy { ($0.invoiceIndex ?? 0) < part.invoices.count && ($0.adjustmentIndex ?? 0) < part.adjustments.count })
            let aging = Aging.compute(Timeline(part), asOf: asOf)
            let row = whole.rows.first { $0.group == key }!
            if !foreign[k] {
                #expect(aging.total.total == row.total + crossIn[k] - crossOut[k], "region \(key)")
                compared += 1
            }
        }
        #expect(crossIn.reduce(0, +) > 0)   // the sample's misapplied cash crosses regions
        #expect(compared >= 3)
        #expect(invoices == l.invoices.count && payments == l.payments.count && customers == l.customers.count)
    }

    @Test func oneDeckPerRegion() throws {
        let out = TestTemp.path("arlens-slides-job-")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let decks = try SlidesJobTests.ws.slides(month: YearMonth(year: 2026, month: 10), kinds: [.kpis, .dso], by: .region,
                                                 outDirectory: out, canvas: RecordingCanvas())
        let regions = Grouping(SlidesJobTests.ws.ledger, by: .region).keys
        #expect(decks.map { ($0.file as NSString).lastPathComponent } == regions.map { "slides-\($0).pptx" })
        #expect(decks.allSatisfy { FileManager.default.fileExists(atPath: $0.file) })
        #expect(decks.map(\.deck.subtitle) == regions.map { "Accounts receivable, October 2026 — region \($0)" })
        #expect(decks.allSatisfy { $0.deck.slides.map(\.id) == ["title", "kpis", "dso", "asks"] })
    }
}
