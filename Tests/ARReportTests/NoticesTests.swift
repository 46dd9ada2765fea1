import ARAnalytics
import ARLoading
import ARModel
import Foundation
import Testing
@testable import ARReport
import CairoRendering

/// Notices for the hand-built collections ledger (ARAnalyticsTests/CollectionsTests): one
/// letter per worklist account, worded by its ladder step, listing the overdue items not in
/// dispute and, from the second step on, the late charges still due on them.
@Suite struct NoticesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixture = root.appendingPathComponent("Tests/Fixtures/collections-june-2026").path
    static let templates = root.appendingPathComponent("report-templates/notices").path

    /// The ledger with Beta renamed to hostile text, loaded from a copy.
    static func letters() throws -> [Letter] {
        let dir = NSTemporaryDirectory() + "arlens-notices-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: fixture, toPath: dir)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let customers = try String(contentsOfFile: dir + "/customers.csv", encoding: .utf8)
            .replacingOccurrences(of: "B,Beta,", with: "B,\"<script>x</script> & Beta\",")
        try customers.write(toFile: dir + "/customers.csv", atomically: true, encoding: .utf8)
        let r = try LedgerLoader.load(directory: dir)
        var config = r.configuration.configuration
        config.company = "Test Co"
        let t = PreparedLedger(r.ledger).timeline
        let book = AccountBook(t, asOf: Day(iso: "2026-06-30")!)
        let w = Worklist(book, scores: CreditRisk.scores(book), ladder: config.dunning)
        let fees = LateFees.compute(t, asOf: book.asOf, policy: LateFeePolicy(config.lateFees)!)
        return NoticeBuilder.notices(book, worklist: w, configuration: config, fees: fees, templates: try LetterTemplates(directory: templates))
    }

    @Test func oneLetterPerAccountWordedByStep() throws {
        let letters = try NoticesTests.letters()
        #expect(letters.map(\.reference) == ["B", "C", "A", "D", "H"])
        #expect(letters.map(\.level) == ["collection_agency", "final_demand", "call", "reminder", "second_notice"])
        #expect(letters.map(\.subject) == [
            "Notice of referral to a collection agency",
            "Final demand: 60,000.00 USD overdue",
            "Overdue account: 1,000.00 USD, please contact us",
            "A friendly reminder: 500.00 USD now due",
            "Second notice: 400.00 USD overdue",
        ])
        let d = letters[3]
        #expect(d.paragraphs.first == "Dear Delta,")
        #expect(d.paragraphs[1].hasPrefix("This is a friendly reminder that 1 invoice on your account, totalling 500.00 USD, has passed its due date."))
        #expect(d.paragraphs.last!.contains("by 10 July 2026"))   // 06-30 + 10 days
        // The reminder lists the item without late charges.
        #expect(d.rows == [["D1", "2026-05-30", "2026-06-29", "1", "500.00"]])
        #expect(d.totals.map(\.amount) == ["500.00"])
        // B (agency): B1 and the late fee LF-B1 itself (16 days overdue); charges on B1 are 89.75 less the 20.00 already charged.
        let b = letters[0]
        #expect(b.rows == [["B1", "2026-03-01", "2026-03-31", "91", "2,000.00", "69.75"],
                           ["LF-B1", "2026-05-15", "2026-06-14", "16", "20.00", ""]])   // the fee's due date: 30-day terms
        #expect(b.totals.map(\.label) == ["Overdue", "Late charges", "Total now due"])
        #expect(b.totals.map(\.amount) == ["2,020.00", "69.75", "2,089.75"])
    }

    @Test func htmlEscapesCustomerText() throws {
        let letters = try NoticesTests.letters()
        let html = try LetterTemplates(directory: NoticesTests.templates).html(letters[0])
        #expect(!html.contains("<script>x"))
        #expect(html.contains("&lt;script&gt;x&lt;/script&gt; &amp; Beta"))
        #expect(html.contains("<body class=\"level-collection_agency\">"))
        #expect(html.contains("<td class=\"num\">69.75</td>"))
        // The wording templates are text: the name reaches the letter once, unescaped, and is
        // escaped by the HTML layout only.
        #expect(letters[0].paragraphs[0] == "Dear <script>x</script> & Beta,")
    }

    @Test func pdfIsOneA4PagePerLetter() throws {
        let letters = try NoticesTests.letters()
        let pdf = try Letters.pdf(Array(letters.prefix(2)), measurer: try CairoTextMeasurer(), title: "t")
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.components(separatedBy: "/Type /Page").count - 1 == 3)   // two pages and the page tree
        #expect(text.components(separatedBy: "MediaBox [ 0 0 595.28 841.89 ]").count - 1 == 2)
        // Same input, same bytes.
        #expect(pdf == (try Letters.pdf(Array(letters.prefix(2)), measurer: try CairoTextMeasurer(), title: "t")))
    }

    @Test func planLetterSumsToTheBalance() throws {
        let r = try LedgerLoader.load(directory: NoticesTests.fixture)
        let t = PreparedLedger(r.ledger).timeline
        let book = AccountBook(t, asOf: Day(iso: "2026-06-30")!)
        let c = Int(r.ledger.customers.ids.find("B")!)
        let plan = PaymentPlan(balance: book.balance[c], count: 3, start: Day(iso: "2026-07-31")!, frequency: .monthly)
        let l = NoticeBuilder.planLetter(book, customer: c, plan: plan, frequency: "monthly", interest: 0,
                                         configuration: r.configuration.configuration, templates: try LetterTemplates(directory: NoticesTests.templates))
        #expect(l.subject == "Your payment plan: 2,020.00 USD in 3 instalments")
        #expect(l.rows == [["1", "31 July 2026", "673.33"], ["2", "31 August 2026", "673.33"], ["3", "30 September 2026", "673.34"]])
        #expect(l.totals.map(\.amount) == ["2,020.00"])
    }
}
