import ARAnalytics
import ARLoading
import ARModel
import AROutput
import Foundation
import Testing
@testable import ARReport
import CairoRendering
import ChartKit
import ARTestSupport

/// Notices for the hand-built collections ledger (ARAnalyticsTests/CollectionsTests): one
/// letter per worklist account, worded by its ladder step, listing the overdue items not in
/// dispute and, from the second step on, the late charges still due on them.
@Suite struct NoticesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixture = root.appendingPathComponent("Tests/Fixtures/collections-june-2026").path
    static let templates = root.appendingPathComponent("report-templates/notices").path

    /// The ledger with Beta renamed to hostile text, loaded from a copy.
    static func letters() throws -> [Letter] {
        let dir = TestTemp.path("arlens-notices-")
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
        let fees = LateFees.compute(book, policy: LateFeePolicy(config.lateFees)!)
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
        // The wording cites only the steps the history shows (issue 16): C had a reminder, a
        // second notice and a call; B was referred on 06-25; D (a reminder) had nothing before.
        #expect(letters[1].paragraphs[1] == "This is our final demand for payment of 60,000.00 USD, overdue for up to 30 days. We have contacted you about these invoices before (our reminder of 2 June 2026, second notice of 9 June 2026 and call of 16 June 2026) without receiving payment.")
        #expect(letters[0].paragraphs[1] == "Your account has 2,020.00 USD unpaid, the oldest invoice 91 days past due, despite our referral to a collection agency of 25 June 2026.")
        #expect(letters[2].paragraphs[1].hasPrefix("Despite our second notice of 20 June 2026, 1,000.00 USD remains unpaid"))
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
        let pdf = try Letters.pdf(Array(letters.prefix(2)), measurer: try CairoTextMeasurer(), canvas: CairoCanvas(), title: "t")
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.components(separatedBy: "/Type /Page").count - 1 == 3)   // two pages and the page tree
        #expect(text.components(separatedBy: "MediaBox [ 0 0 595.28 841.89 ]").count - 1 == 2)
        // Same input, same bytes.
        #expect(pdf == (try Letters.pdf(Array(letters.prefix(2)), measurer: try CairoTextMeasurer(), canvas: CairoCanvas(), title: "t")))
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

/// Statements of account: the running balance ends at the closing balance, which is what the
/// customer owes at the date.
@Suite struct StatementTests {
    static let templates = NoticesTests.root.appendingPathComponent("report-templates/statements").path

    @Test func handBuiltStatement() throws {
        let r = try LedgerLoader.load(directory: NoticesTests.fixture)
        let book = AccountBook(PreparedLedger(r.ledger).timeline, asOf: Day(iso: "2026-06-30")!)
        let a = Int(r.ledger.customers.ids.find("A")!)
        // A0 1000 (01-01) before the period; P1 pays it on 03-02; A1 1000 on 05-01.
        let s = try Statement(book, customer: a, from: Day(iso: "2026-03-01")!, edges: [30, 60, 90, 120])
        #expect(s.opening == 1000_00)
        #expect(s.lines.map(\.kind) == ["Payment", "Invoice"])
        #expect(s.lines.map(\.amount) == [-1000_00, 1000_00])
        #expect(s.lines.map(\.balance) == [0, 1000_00])
        #expect(s.closing == 1000_00 && s.closing == book.balance[a])
        #expect(s.overdue == 1000_00)
        #expect(s.aging.map(\.label) == ["current", "1-30", "31-60", "61-90", "91-120", "121+"])
        #expect(s.aging.map(\.amount) == [0, 1000_00, 0, 0, 0, 0])
        let letter = s.letter(book, configuration: r.configuration.configuration, templates: try LetterTemplates(directory: StatementTests.templates))
        #expect(letter.subject == "Statement of account, 1 March 2026 to 30 June 2026")
        #expect(letter.rows.first == ["2026-03-01", "Opening balance", "", "", "", "", "1,000.00"])
        // Customer-facing (issue 16): the customer's own reference and the invoice it paid.
        #expect(letter.rows[1] == ["2026-03-02", "Payment", "A0", "for A0", "", "1,000.00", "0.00"])
        #expect(letter.totals.map(\.amount) == ["1,000.00"])
        #expect(letter.paragraphs[1].contains("is 1,000.00 USD, of which 1,000.00 USD is past due"))
        // The aged balance is a small table, not a sentence (issue 16).
        #expect(letter.summaryTitle == "Aged balance at 30 June 2026")
        #expect(letter.summaryColumns == ["Not yet due", "1-30 days", "31-60 days", "61-90 days", "91-120 days", "121+ days", "Total"])
        #expect(letter.summaryRow == ["0.00", "1,000.00", "0.00", "0.00", "0.00", "0.00", "1,000.00"])
    }

    /// Every customer of the bundled sample billed in the base currency: the statement's
    /// closing balance is the customer's balance (its line in the aging), cross-account cash
    /// included.
    @Test func sampleStatementsReconcile() throws {
        let r = try LedgerLoader.load(directory: NoticesTests.root.appendingPathComponent("datasets/sample").path)
        let book = AccountBook(PreparedLedger(r.ledger).timeline, asOf: Day(iso: "2026-10-31")!)
        var checked = 0
        let all = CustomerHistory.all(book)
        for c in 0..<r.ledger.customers.count where r.ledger.customers.currency[c] == r.ledger.baseCurrency {
            guard let s = try? Statement(book, customer: c, from: Day(iso: "2026-08-01")!, edges: [30, 60, 90, 120], history: all[c]) else { continue }
            // One customer's history is the same as its part of everyone's.
            if c % 50 == 0 { #expect(CustomerHistory(book, customer: c).events.map(\.detail) == all[c].events.map(\.detail)) }
            // A batch's money events are everyone's (statement --all builds them a batch at a time).
            if c % 40 == 0 {
                let some = CustomerHistory.some(book, customers: [c, (c + 7) % r.ledger.customers.count], moneyOnly: true)
                #expect(some[0].events.map(\.detail) == all[c].events.filter { $0.amount != 0 }.map(\.detail))
                #expect(some[0].events.map(\.amount) == all[c].events.filter { $0.amount != 0 }.map(\.amount))
            }
            #expect(s.closing == book.balance[c], "\(r.ledger.customers.ids[Int32(c)])")
            #expect(s.opening + s.lines.reduce(0) { $0 + $1.amount } == s.closing)
            #expect(s.aging.reduce(0) { $0 + $1.amount } == s.closing)
            checked += 1
        }
        #expect(checked > 150)
    }

    /// Issue 15: ids that sanitise alike get their own files, the index names the files
    /// written, and a second run leaves no letter of the first beside the new index.
    @Test func noticesFolderOneFilePerIdNoStaleLetters() throws {
        let t = try LetterTemplates(directory: NoticesTests.templates)
        let base = try NoticesTests.letters()[0]
        var a = base, b = base, c = base
        a.reference = "a/b"; b.reference = "a_b"; c.reference = "OLD-1"
        let dir = TestTemp.path("arlens-notices-out-")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try LetterWriter.writeNotices([c], header: ["customer_id", "action"], rows: [[.text("OLD-1"), .text("reminder")]], templates: t, canvas: CairoCanvas(), to: dir)
        #expect(FileManager.default.fileExists(atPath: dir + "/OLD-1.pdf"))
        let files = try LetterWriter.writeNotices([a, b], header: ["customer_id", "action"], rows: [[.text("a/b"), .text("reminder")], [.text("a_b"), .text("call")]], templates: t, canvas: CairoCanvas(), to: dir)
        let hashed = AtomicFile.outputName(for: "a/b")
        #expect(files == [hashed + ".html", hashed + ".pdf", "a_b.html", "a_b.pdf", "index.csv"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == files.sorted())
        let index = try String(contentsOfFile: dir + "/index.csv", encoding: .utf8).split(separator: "\r\n").map { $0.split(separator: ",") }
        #expect(index.count == 3)
        #expect(index[1].first == "a/b" && index[1].suffix(2) == ["\(hashed).html", "\(hashed).pdf"])
        #expect(index[2].first == "a_b" && index[2].suffix(2) == ["a_b.html", "a_b.pdf"])
        // A folder holding other files is refused, not emptied.
        try "keep".write(toFile: dir + "/notes.txt", atomically: false, encoding: .utf8)
        #expect(throws: OutputError.self) {
            _ = try LetterWriter.writeNotices([a], header: ["customer_id", "action"], rows: [[.text("a/b"), .text("reminder")]], templates: t, canvas: CairoCanvas(), to: dir)
        }
        #expect(FileManager.default.fileExists(atPath: dir + "/a_b.pdf"))
    }
}

/// Issue 16, point 3: U owes U-1 1000.00 (30 days) and U-2 400.00 (21 days), had a reminder on
/// 06-05, paid 300.00 (reference REMIT 77) that matches no invoice and has a 50.00 credit note
/// CN-9. Its second notice lists both and deducts them: charges at 1.5% a month are
/// 1000 × 18% × 30/365 = 14.79 and 400 × 18% × 21/365 = 4.14; due 1400 + 18.93 − 350 = 1068.93.
@Suite struct NettingTests {
    static func folder(_ files: [String: String]) -> String {
        let dir = TestTemp.path("arlens-letters-")
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (n, t) in files { try! t.write(toFile: dir + "/" + n, atomically: true, encoding: .utf8) }
        return dir
    }
    static let files = [
        "customers.csv": "customer_id,name,terms_days\nU,Upsilon,30\n",
        "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nU-1,U,2026-05-01,2026-05-31,1000.00\nU-2,U,2026-05-10,2026-06-09,400.00\n",
        "payments.csv": "payment_id,customer_id,received_date,amount,reference\nPU-1,U,2026-06-20,300.00,REMIT 77\n",
        "applications.csv": "payment_id,invoice_id,amount\n",
        "adjustments.csv": "adjustment_id,customer_id,invoice_id,date,kind,amount\nCN-9,U,,2026-06-22,credit_memo,50.00\n",
        "activities.csv": "activity_id,customer_id,invoice_id,date,collector,kind,promised_date,promised_amount,note\nX1,U,U-1,2026-06-05,,email,,,Payment reminder sent\n",
    ]

    static func notices(_ files: [String: String]) throws -> [Letter] {
        let dir = folder(files)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try LedgerLoader.load(directory: dir)
        let config = r.configuration.configuration
        let book = AccountBook(PreparedLedger(r.ledger).timeline, asOf: Day(iso: "2026-06-30")!)
        let w = Worklist(book, scores: CreditRisk.scores(book), ladder: config.dunning)
        let fees = LateFees.compute(book, rules: LateFeeRules(config.lateFees)!)
        return NoticeBuilder.notices(book, worklist: w, configuration: config, fees: fees, templates: try LetterTemplates(directory: NoticesTests.templates))
    }

    @Test func unappliedCashAndCreditsAreDeducted() throws {
        let letters = try NettingTests.notices(NettingTests.files)
        #expect(letters.count == 1)
        let u = letters[0]
        #expect(u.level == "second_notice")
        #expect(u.rows == [["U-1", "2026-05-01", "2026-05-31", "30", "1,000.00", "14.79"],
                           ["U-2", "2026-05-10", "2026-06-09", "21", "400.00", "4.14"],
                           ["Payment received, your ref. REMIT 77", "2026-06-20", "", "", "-300.00", ""],
                           ["Credit note CN-9", "2026-06-22", "", "", "-50.00", ""]])
        #expect(u.totals.map(\.label) == ["Overdue", "Late charges", "Less payments and credits not yet matched to an invoice", "Total now due"])
        #expect(u.totals.map(\.amount) == ["1,400.00", "18.93", "-350.00", "1,068.93"])
        #expect(u.amountDue == "1068.93" && u.currency == "USD")
        #expect(u.paragraphs[1].hasSuffix("Payments and credits of 350.00 USD on your account are not yet matched to an invoice; we have deducted them below."))
    }

    /// Credits that cover everything overdue: no notice; the worklist says to apply them.
    @Test func creditsCoveringTheOverdueItemsSendNothing() throws {
        var files = NettingTests.files
        files["payments.csv"] = "payment_id,customer_id,received_date,amount,reference\nPU-1,U,2026-06-20,1400.00,\n"
        files["invoices.csv"]! += "U-3,U,2026-06-20,2026-07-20,900.00\n"
        #expect(try NettingTests.notices(files).isEmpty)
    }
}

/// Issue 16, point 5: what a statement shows the customer.
///
/// V owes V-1 1000 (due 05-31) and V-2 500 (due 07-01). In June: V pays 400 (its reference
/// REM-1) on V-1; W's payment PAY-W9 pays 250 of V-1; V's PAY-V2 pays W's invoice W-1; V-1's
/// last 50 is written off (bad_debt, WO-1); credit note CN-1 of 100 on V-2 (pricing).
/// Closing: V-1 1000 − 400 − 250 − 50 = 300 (1-30 days), V-2 500 − 100 = 400 (not yet due).
/// X paid 150 for a 100 invoice: 50 in its favour.
@Suite struct CustomerFacingStatementTests {
    static let files = [
        "customers.csv": "customer_id,name,terms_days\nCUST-V,Vee,30\nCUST-W,Wes,30\nCUST-X,Ex,30\n",
        "invoices.csv": """
        invoice_id,customer_id,issue_date,due_date,amount
        V-1,CUST-V,2026-05-01,2026-05-31,1000.00
        V-2,CUST-V,2026-06-01,2026-07-01,500.00
        W-1,CUST-W,2026-05-01,2026-05-31,300.00
        X-1,CUST-X,2026-05-20,2026-06-19,100.00

        """,
        "payments.csv": """
        payment_id,customer_id,received_date,amount,reference
        PAY-V1,CUST-V,2026-06-05,400.00,REM-1
        PAY-W9,CUST-W,2026-06-10,250.00,W pays
        PAY-V2,CUST-V,2026-06-12,300.00,REM-2
        PAY-X1,CUST-X,2026-06-15,150.00,X-1

        """,
        "applications.csv": "payment_id,invoice_id,amount\nPAY-V1,V-1,400.00\nPAY-W9,V-1,250.00\nPAY-V2,W-1,300.00\nPAY-X1,X-1,100.00\n",
        "adjustments.csv": """
        adjustment_id,customer_id,invoice_id,date,kind,amount,reason
        WO-1,CUST-V,V-1,2026-06-20,write_off,50.00,bad_debt
        CN-1,CUST-V,V-2,2026-06-25,credit_memo,100.00,pricing

        """,
    ]

    func letter(_ id: String) throws -> (Statement, Letter) {
        let dir = NettingTests.folder(CustomerFacingStatementTests.files)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try LedgerLoader.load(directory: dir)
        #expect(r.report.rejections.isEmpty)
        let book = AccountBook(PreparedLedger(r.ledger).timeline, asOf: Day(iso: "2026-06-30")!)
        let s = try Statement(book, customer: Int(r.ledger.customers.ids.find(id)!), from: Day(iso: "2026-06-01")!, edges: [30, 60, 90, 120])
        return (s, s.letter(book, configuration: r.configuration.configuration, templates: try LetterTemplates(directory: StatementTests.templates)))
    }

    @Test func onlyWhatTheCustomerShouldSee() throws {
        let (s, l) = try letter("CUST-V")
        #expect(s.closing == 700_00)
        let rows = l.rows.filter { $0[0] != "2026-06-12" }   // PAY-V2 and its transfer share a day; checked below
        #expect(rows == [
            ["2026-06-01", "Opening balance", "", "", "", "", "1,000.00"],
            ["2026-06-01", "Invoice", "V-2", "due 2026-07-01", "500.00", "", "1,500.00"],
            ["2026-06-05", "Payment", "REM-1", "for V-1", "", "400.00", "1,100.00"],
            ["2026-06-10", "Payment", "", "for V-1", "", "250.00", "850.00"],
            ["2026-06-20", "Adjustment", "V-1", "balance of V-1 adjusted", "", "50.00", "800.00"],
            ["2026-06-25", "Credit note", "CN-1", "on V-2", "", "100.00", "700.00"],
        ])
        let day12 = l.rows.filter { $0[0] == "2026-06-12" }.map { Array($0.prefix(6)) }.sorted { $0[1] < $1[1] }
        #expect(day12 == [["2026-06-12", "Payment", "REM-2", "", "", "300.00"],
                          ["2026-06-12", "Payment transferred", "", "applied to another account as instructed", "300.00", ""]])
        // No internal id, reason or other customer anywhere on it.
        let text = l.rows.flatMap { $0 }.joined(separator: " ") + l.paragraphs.joined(separator: " ")
        for leak in ["CUST-", "PAY-", "WO-1", "bad_debt", "pricing", "Wes", "W-1"] { #expect(!text.contains(leak), "\(leak)") }
        #expect(l.summaryRow == ["400.00", "300.00", "0.00", "0.00", "0.00", "0.00", "700.00"])
        #expect(l.level == "statement" && !l.payment.isEmpty && l.totals.map(\.label) == ["Closing balance"])
    }

    @Test func aCustomerInCreditGetsACreditStatement() throws {
        let (s, l) = try letter("CUST-X")
        #expect(s.closing == -50_00)
        #expect(l.level == "credit")
        #expect(l.subject == "Credit statement, 1 June 2026 to 30 June 2026: 50.00 USD in your favour")
        #expect(l.paragraphs[1].hasSuffix("At 30 June 2026 your account is in credit by 50.00 USD: you owe us nothing."))
        #expect(l.payment.isEmpty)   // no "How to pay"
        #expect(l.totals.map(\.label) == ["In your favour"] && l.totals.map(\.amount) == ["50.00"])
        #expect(!(try LetterTemplates(directory: StatementTests.templates).html(l)).contains("How to pay"))
    }

    /// Table cells wrap, by words and then by characters; nothing is cut off.
    @Test func cellsWrapNeverCut() throws {
        let m = try CairoTextMeasurer()
        let f = Font(size: 8.5)
        for text in ["INV-0103013-INV-0103014-INV-0103015", "for 103013, 103014, 103015 and 103016"] {
            let lines = Letters.wrapCell(text, f, width: 40, measurer: m)
            #expect(lines.count > 1)
            #expect(lines.allSatisfy { m.width($0, f) <= 40 })
            #expect(lines.joined().replacingOccurrences(of: " ", with: "") == text.replacingOccurrences(of: " ", with: ""))
            #expect(!lines.joined().contains("…"))
        }
    }
}

/// Issue 16, point 8: letters in the customer's language. L1 says `fr` in customers.csv; L2
/// is in FR, mapped to French by `notices.languages`; L3 has neither and gets English. Each owes
/// one invoice of 1234.50 EUR due 2026-05-31, a reminder sent 06-05: a second notice at 06-30.
@Suite struct LanguageTests {
    static let files = [
        "customers.csv": "customer_id,name,country,currency,terms_days,language\nL1,Un SA,BE,EUR,30,fr\nL2,Deux SARL,FR,EUR,30,\nL3,Three Ltd,IE,EUR,30,\n",
        "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount,currency\nI1,L1,2026-05-01,2026-05-31,1234.50,EUR\nI2,L2,2026-05-01,2026-05-31,1234.50,EUR\nI3,L3,2026-05-01,2026-05-31,1234.50,EUR\n",
        "activities.csv": "activity_id,customer_id,invoice_id,date,collector,kind,promised_date,promised_amount,note\nX1,L1,,2026-06-05,,email,,,Payment reminder sent\nX2,L2,,2026-06-05,,email,,,Payment reminder sent\nX3,L3,,2026-06-05,,email,,,Payment reminder sent\n",
        "arlens.yml": "base_currency: EUR\nnotices:\n  languages: {FR: fr}\n",
    ]

    @Test func localeFormats() {
        let d = Day(iso: "2026-06-01")!
        #expect(LetterLocale("en").longDate(d) == "1 June 2026" && LetterLocale("en").shortDate(d) == "2026-06-01")
        #expect(LetterLocale("fr").longDate(d) == "1er juin 2026" && LetterLocale("fr").shortDate(d) == "01/06/2026")
        #expect(LetterLocale("de").longDate(d) == "1. Juni 2026" && LetterLocale("de").shortDate(d) == "01.06.2026")
        #expect(LetterLocale("en").money(-1_234_567_89, digits: 2) == "-1,234,567.89")
        #expect(LetterLocale("fr").money(1_234_567_89, digits: 2) == "1\u{202F}234\u{202F}567,89")
        #expect(LetterLocale("de").money(1_234_567_89, digits: 2) == "1.234.567,89")
        #expect(LetterLocale("fr").money(5, digits: 0) == "5")
    }

    @Test func noticesInTheCustomersLanguage() throws {
        let letters = try NettingTests.notices(LanguageTests.files)
        #expect(letters.map(\.reference) == ["L1", "L2", "L3"])
        #expect(letters.map(\.language) == ["fr", "fr", "en"])
        let fr = letters[0]
        #expect(fr.subject == "Deuxième relance : 1\u{202F}234,50 EUR échus")
        #expect(fr.paragraphs[0] == "Madame, Monsieur,")
        #expect(fr.paragraphs[1] == "Nous vous avons écrit au sujet des factures ci-dessous (notre rappel du 5 juin 2026). Elles restent impayées : 1\u{202F}234,50 EUR, la plus ancienne échue depuis 30 jours.")
        #expect(fr.paragraphs[2].hasPrefix("Nous vous remercions de régler avant le 10 juillet 2026."))
        #expect(fr.columns.map(\.name) == ["Facture", "Date", "Échéance", "Jours de retard", "Restant dû EUR", "Pénalités"])
        // 1234.50 × 12% (EU: reference 4% + 8) × 30 / 365 = 12.18; the EUR 40 as it is: 52.18.
        #expect(fr.rows == [["I1", "01/05/2026", "31/05/2026", "30", "1\u{202F}234,50", "52,18"]])
        #expect(fr.totals.map(\.label) == ["Échu", "Pénalités", "Total à payer"])
        #expect(fr.notes.first!.hasPrefix("Pénalités de retard selon la directive 2011/7/UE") && fr.notes.first!.contains("4,00 % majoré de 8 points, soit 12,00 %"))
        let html = try LetterTemplates(directory: NoticesTests.templates).html(fr)
        #expect(html.contains("<html lang=\"fr\">") && html.contains("Modalités de paiement") && html.contains("30 juin 2026"))
        let en = letters[2]
        #expect(en.subject == "Second notice: 1,234.50 EUR overdue" && en.rows[0][1] == "2026-05-01")
    }

    @Test func statementsInTheCustomersLanguage() throws {
        let dir = NettingTests.folder(LanguageTests.files)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try LedgerLoader.load(directory: dir)
        let book = AccountBook(PreparedLedger(r.ledger).timeline, asOf: Day(iso: "2026-06-30")!)
        let s = try Statement(book, customer: 1, from: Day(iso: "2026-05-01")!, edges: [30, 60, 90, 120])
        let l = s.letter(book, configuration: r.configuration.configuration, templates: try LetterTemplates(directory: StatementTests.templates))
        #expect(l.subject == "Relevé de compte du 1er mai 2026 au 30 juin 2026")
        #expect(l.rows[1] == ["01/05/2026", "Facture", "I2", "échéance 31/05/2026", "1\u{202F}234,50", "", "1\u{202F}234,50"])
        #expect(l.summaryTitle == "Balance âgée au 30 juin 2026" && l.summaryColumns.first == "Non échu" && l.summaryColumns[1] == "1-30 jours")
    }
}
