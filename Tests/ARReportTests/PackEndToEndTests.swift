import ARAnalytics
import ARLoading
import ARModel
import Foundation
import Testing
import ZIPFoundation
import CairoRendering
import ARTestSupport
@testable import ARReport

/// The pack for March 2026 of the hand-built ledger whose every KPI is worked out in
/// ARAnalyticsTests/HandBuiltKPITests: net AR 2,510.00, DSO 2510/6210×90, CEI 75%.
@Suite(.serialized) struct PackEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixture = root.appendingPathComponent("Tests/Fixtures/kpi-march-2026").path

    static func makePack(_ out: String, templates: String? = nil) throws -> String {
        let r = try LedgerLoader.load(directory: fixture)
        var config = r.configuration.configuration
        config.company = "Test Co"
        config.targets = [.metric(.dso): 45, .metric(.cei): 80]
        // The GL holds I4 (03-01) at the February close, and agrees in March.
        let model = PackBuilder.build(prepared: PreparedLedger(r.ledger), report: r.report, configuration: config,
                                      month: YearMonth(year: 2026, month: 3), ledgerName: "kpi-march-2026",
                                      gl: [(Day(iso: "2026-02-28")!, 3600_00), (Day(iso: "2026-03-31")!, 2510_00)])
        var o = PackOptions()
        o.outDirectory = out
        o.templates = templates ?? root.appendingPathComponent("report-templates/pack").path
        return try PackWriter.write(model, o, canvas: CairoCanvas())
    }

    static let out = TestTemp.path("arlens-pack-")
    static let dir: String = try! makePack(out)

    func read(_ name: String) -> String { try! String(contentsOfFile: PackEndToEndTests.dir + "/" + name, encoding: .utf8) }

    @Test func kpisJSONHasTheWorkedValues() throws {
        let obj = try JSONSerialization.jsonObject(with: Data(read("kpis.json").utf8)) as! [String: Any]
        let rows = obj["rows"] as! [[String: Any]]
        func v(_ metric: String, _ period: String) -> Any? { rows.first { $0["metric"] as? String == metric && $0["period"] as? String == period }?["value"] }
        #expect(v("ar", "2026-03") as? String == "2510.00")
        #expect(abs((v("dso", "2026-03") as! Double) - 2510.0 / 6210 * 90) < 1e-9)
        #expect(v("cei", "2026-03") as? Double == 75)
        #expect(v("billings", "2026-03") as? String == "2410.00")
        #expect((obj["metrics"] as! [String]).count == KPI.allCases.count)
        // The month and the 11 before it.
        #expect(Set(rows.map { $0["period"] as! String }).count == 12)
    }

    @Test func csvTablesReconcileAndAreDefended() {
        // 2800 + 2400 + 10 − 2350 − 250 − 100 = 2510, to the cent.
        #expect(read("csv/rollforward.csv") == "Line,Amount\r\nAR at the start of the month,2800.00\r\nInvoices,2400.00\r\nDebit memos,0.00\r\nLate fees,10.00\r\n− Collections,2350.00\r\n− Credit memos,250.00\r\n− Write-offs,100.00\r\n± FX differences,0.00\r\nAR at the end of the month,2510.00\r\n")
        let aging = read("csv/aging.csv")
        #expect(aging.hasPrefix("Customer,Name,current,1-30,31-60,61-90,91-120,121+,Unapplied,Total\r\n"))
        #expect(aging.contains("Total,,1610.00,800.00,0.00,0.00,300.00,0.00,-200.00,2510.00\r\n"))
        // B's name starts with "=": a spreadsheet must see text, not a formula.
        #expect(aging.contains("B,\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(!aging.contains(",=HYPERLINK"))
        let detail = read("csv/aging_detail.csv")
        #expect(detail.contains("I4,invoice,2026-03-01,2026-03-20,11,1-30,800.00,USD,800.00"))
        #expect(detail.contains("P4,unapplied_cash"))
        // The local amount is a number, not text: no formula guard on a negative one.
        #expect(detail.contains("C,P4,unapplied_cash,2026-03-30,,,unapplied,-150.00,USD,-150.00\r\n"))
    }

    /// Issue 18: the headline KPIs as data: numbers with their unit, not "$2.51K".
    @Test func headlineKPIsAreNumbersInTheDataFiles() {
        let csv = read("csv/headline_kpis.csv")
        // Issue 19: against the same month last year (none: the ledger starts in January 2026) and the
        // year to date: AR averaged over the month-ends 1,800, 2,800, 2,510; open invoices (3 + 3 + 5) / 3.
        #expect(csv.hasPrefix("KPI,Value,Unit,Last month,Change,Target,Status,Same month last year,Change vs last year,Year to date,Code\r\nNet AR,2510,USD,2800,-290,,,,,2370,ar\r\n"))
        #expect(csv.contains("\r\nDSO,36.38,days,,,45,on target,,,36.38,dso\r\n"))
        #expect(csv.contains("\r\nCollection effectiveness,75,%,55.56,19.44,80,off target,,,80.43,cei\r\n"))
        #expect(csv.contains("\r\nOpen invoices,5,,3,2,,,,,3.67,open_invoices\r\n"))
    }

    @Test func htmlHasEverySectionEscaped() {
        let html = read("index.html")
        for id in ["summary", "rollforward", "aging", "trends", "forecast", "disputes", "data_quality", "appendix"] {
            #expect(html.contains("<section id=\"\(id)\""), "section \(id) missing")
        }
        #expect(html.contains("Gamma &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<script>alert"))          // the page's own scripts only
        #expect(html.contains("data:image/png;base64,iVBOR"))        // the tiles' sparklines inline
        #expect(!html.contains("src=\"http"))                          // nothing external
        #expect(html.contains("2,510.00"))
        #expect(html.contains("DSO was 36.4 days at the end of March"))
        // DSO is under its 45-day target; CEI 75% against 80% would release 180.00.
        #expect(html.contains("Each day of DSO ties up $69 of cash; reaching the collection effectiveness target of 80% would release $180."))
        #expect(html.contains("<section id=\"collections\"") && html.contains("<section id=\"credit\""))
        #expect(html.contains("Expected collections over the next 13 weeks"))
    }

    /// At 2026-03-31 only B is overdue and not held: I0 300 (106 days) and I4 800 (11 days),
    /// and no step of the ladder has been taken (no activities), so the next action is the
    /// reminder, whatever the days past due (issue 16: no step is skipped); B's score: 34 days late on I2 (behaviour 17),
    /// 300 of 1110 open more than 60 days (aging 6.76), one dispute on 3 invoices (4/3 capped at 1: 10) = 33.8.
    @Test func collectionsAndCreditSections() {
        let worklist = read("csv/worklist.csv").components(separatedBy: "\r\n")
        #expect(worklist[0] == "#,Customer,Name,Collector,Overdue,Days past due,Risk,Next action,Why")
        #expect(worklist[1].hasPrefix("1,B,\"'=HYPERLINK(\"\"http://x\"\")\",,1100.00,106,33.8,"))
        #expect(worklist[1].contains(",reminder,"))
        #expect(worklist.count == 3)   // header, B, final newline
        #expect(read("csv/worklist_by_action.csv").contains("reminder,1,1100.00"))
        let risk = read("csv/credit_risk.csv").components(separatedBy: "\r\n")
        #expect(risk.count == 3 && risk[1].hasPrefix("B,\"'=HYPERLINK"))
        #expect(risk[1].contains(",33.8,medium,1110.00,"))
        let reviews = read("csv/credit_reviews.csv")
        #expect(reviews.contains("C,Gamma <script>alert(1)</script>,\"new, never reviewed\",2026-03-15,,200.00"))
    }

    @Test func glReconciliationSection() {
        let csv = read("csv/gl_reconciliation.csv").components(separatedBy: "\r\n")
        #expect(csv[1] == "2026-02-28,3600.00,2800.00,800.00,I4 dated 2026-03-01 (800.00) is in the GL before the close")
        #expect(csv[2] == "2026-03-31,2510.00,2510.00,0.00,")
        #expect(read("index.html").contains("<section id=\"gl\""))
    }

    @Test func pdfPagesAndText() throws {
        let pdf = try Data(contentsOf: URL(fileURLWithPath: PackEndToEndTests.dir + "/pack.pdf"))
        let text = String(decoding: pdf, as: UTF8.self)
        let pages = text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages >= 8)
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else { return }   // poppler-utils: make test installs it
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        p.arguments = ["-layout", PackEndToEndTests.dir + "/pack.pdf", "-"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(out.contains("Executive summary"))
        #expect(out.contains("Contents"))
        #expect(out.contains("What moved AR in March?"))
        // No number is ever cut ("3,498,277.…"): bold totals are measured bold.
        #expect(out.range(of: "[0-9]…", options: .regularExpression) == nil)
        #expect(out.contains("2,510.00"))
        #expect(out.contains("2,510.00"))
        #expect(out.contains("page 2 of \(pages)"))
        #expect(out.contains("Gamma <script>alert(1)</script>"))        // drawn as text, whatever it says
    }

    @Test func xlsxReadsBack() throws {
        let archive = try Archive(url: URL(fileURLWithPath: PackEndToEndTests.dir + "/pack.xlsx"), accessMode: .read)
        var files: [String: String] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            files[entry.path] = String(decoding: data, as: UTF8.self)
        }
        #expect(files["[Content_Types].xml"] != nil)
        let workbook = files["xl/workbook.xml"]!
        // Issue 18: sheet names without the period qualifier, at most 31 characters, unique, never cut mid-word.
        #expect(workbook.contains("name=\"AR roll-forward\""))
        let names = workbook.components(separatedBy: "<sheet name=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(names.allSatisfy { $0.count <= 31 && !$0.hasSuffix(" ") && !$0.hasSuffix(",") })
        #expect(Set(names.map { $0.lowercased() }).count == names.count)
        #expect(names.contains("Customers over their credit"))
        #expect(names.contains("KPI trends"))
        let sheetIndex = workbook.components(separatedBy: "<sheet ").dropFirst().firstIndex { $0.contains("AR roll-forward") }!
        let sheet = files["xl/worksheets/sheet\(sheetIndex).xml"]!
        #expect(sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"))
        #expect(sheet.contains("<autoFilter ref=\"A1:B10\"/>"))
        #expect(sheet.contains("<c r=\"B10\" s=\"7\"><v>2510.00</v></c>"))       // bold money
        #expect(sheet.contains("<c r=\"A1\" t=\"inlineStr\" s=\"1\"><is><t>Line</t></is></c>"))
        #expect(files["xl/styles.xml"]!.contains("formatCode=\"#,##0.00\""))
        // Months are dates (2026-03-01 is serial 46082) under yyyy-mm; percentages are fractions under 0.0%.
        let trendsIndex = names.firstIndex(of: "KPI trends")! + 1
        let trends = files["xl/worksheets/sheet\(trendsIndex).xml"]!
        #expect(trends.contains("<c r=\"A13\" s=\"8\"><v>46082</v></c>"))
        #expect(files["xl/styles.xml"]!.contains("formatCode=\"0.0%\"") && files["xl/styles.xml"]!.contains("formatCode=\"yyyy-mm\""))
        // CEI 75% in March is 0.75.
        #expect(trends.contains("<v>0.75</v>"))
    }

    @Test func sameLedgerSameBytes() throws {
        let second = try PackEndToEndTests.makePack(PackEndToEndTests.out + "-again")
        defer { try? FileManager.default.removeItem(atPath: PackEndToEndTests.out + "-again") }
        let files = try FileManager.default.subpathsOfDirectory(atPath: PackEndToEndTests.dir).filter { !$0.hasSuffix("/") }.sorted()
        #expect(files.count > 30)
        #expect(files.contains("charts/aging-history.svg") && files.contains("charts/aging-history.png"))
        for f in files {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: PackEndToEndTests.dir + "/" + f, isDirectory: &isDir)
            if isDir.boolValue { continue }
            #expect(FileManager.default.contents(atPath: PackEndToEndTests.dir + "/" + f) == FileManager.default.contents(atPath: second + "/" + f),
                    "\(f) differs between two runs")
        }
    }

    /// The page's charts are SVG with real text, set inline (no PNG for them, no reference to
    /// another file), and #present holds the deck's chart slides, each naming a chart of the page.
    @Test func htmlChartsAreInlineSVGTextAndPresentable() throws {
        let html = read("index.html")
        func figure(_ id: String) -> String? {
            guard let r = html.range(of: "<figure class=\"chart\" data-chart=\"\(id)\">"),
                  let end = html.range(of: "</figure>", range: r.upperBound..<html.endIndex) else { return nil }
            return String(html[r.upperBound..<end.lowerBound])
        }
        let aging = try #require(figure("aging-history"))
        #expect(aging.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"420\" viewBox=\"0 0 800 420\""))
        #expect(aging.contains("<title>Aging buckets at each month-end</title>"))
        #expect(!aging.contains("<?xml") && !aging.contains("<img") && !aging.contains("<image") && !aging.contains("<use"))
        #expect(aging.components(separatedBy: "<text ").count > 10)
        for label in ["Is the overdue tail growing?", "Current", "121+", "Apr 25", "Mar 26"] {
            #expect(aging.contains(">\(label)</text>"), "\(label) is not a text element")
        }
        // Every section chart is inline SVG; the only PNG data left in the page is the tiles' sparklines.
        let figures = html.components(separatedBy: "<figure class=\"chart\"").dropFirst()
        #expect(figures.count >= 8)
        for f in figures {
            let body = f.components(separatedBy: "</figure>")[0]
            #expect(body.contains("\"><svg xmlns=") && !body.contains("<img"))
        }
        #expect(html.components(separatedBy: "data:image/png").count - 1 == html.components(separatedBy: "class=\"spark\"").count - 1)

        // Presentation mode: the deck's chart slides, in deck order, with title and takeaway.
        #expect(html.contains("<a href=\"#present\" class=\"present-button\">"))
        #expect(html.contains("<div id=\"present\" class=\"present\" role=\"dialog\" aria-label=\"Presentation of the charts\" hidden>"))
        let slides = html.components(separatedBy: "<section class=\"slide\" data-chart=\"").dropFirst()
        let ids = slides.map { String($0.prefix { $0 != "\"" }) }
        #expect(Array(ids.prefix(4)) == ["rollforward-waterfall", "aging-history", "trend-dso", "trend-cei"])
        for id in ids { #expect(figure(id) != nil, "slide \(id) names no chart of the page") }
        #expect(slides.first!.contains("<p class=\"slide-count\">1 / \(ids.count)</p>"))
        #expect(slides.first!.contains("<h2 class=\"slide-title\">What moved AR in March</h2>"))
        #expect(slides.dropFirst().first!.contains("<h2 class=\"slide-title\">Aging over the last 12 month-ends</h2>"))
        #expect(slides.dropFirst(2).first!.contains("<h2 class=\"slide-title\">DSO against target</h2>"))
        #expect(slides.dropFirst(2).first!.contains("<p class=\"slide-takeaway\">DSO was 36.4 days at the end of March"))
        #expect(html.contains("<script id=\"present-script\">"))
    }

    @Test func aFailedRunLeavesThePreviousPackIntact() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: PackEndToEndTests.dir + "/index.html"))
        let badTemplates = TestTemp.path("arlens-no-templates-")
        try FileManager.default.createDirectory(atPath: badTemplates, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: badTemplates) }
        #expect(throws: PackError.self) { try PackEndToEndTests.makePack(PackEndToEndTests.out, templates: badTemplates) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: PackEndToEndTests.dir + "/index.html")) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: PackEndToEndTests.out).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func anEmptyFormatSetNeverReplacesAPack() throws {
        let before = try Data(contentsOf: URL(fileURLWithPath: PackEndToEndTests.dir + "/index.html"))
        func message(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch { return (error as? PackError)?.description }
        }
        #expect(message { _ = try PackFormat.parseList("") } == "no output format chosen (html, pdf, png, svg, csv, json, xlsx, pptx); the previous pack is left as it was")
        #expect(throws: PackError.self) { _ = try PackFormat.parseList(" , ") }
        #expect(message { _ = try PackFormat.parseList("pdf,htm") } == "unknown format 'htm' (html, pdf, png, svg, csv, json, xlsx, pptx)")
        #expect(try PackFormat.parseList("HTML, pdf") == [.html, .pdf])
        #expect(PackFormat.summary([.pdf, .png, .json]) == "pack.pdf, summary.pdf, charts/ (PNG), kpis.json")
        // Even a caller that skips parseList cannot write an empty pack.
        let r = try LedgerLoader.load(directory: PackEndToEndTests.fixture)
        let model = PackBuilder.build(prepared: PreparedLedger(r.ledger), report: r.report, configuration: r.configuration.configuration,
                                      month: YearMonth(year: 2026, month: 3), ledgerName: "x")
        var o = PackOptions()
        o.outDirectory = PackEndToEndTests.out
        o.formats = []
        #expect(throws: PackError.self) { try PackWriter.write(model, o, canvas: CairoCanvas()) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: PackEndToEndTests.dir + "/index.html")) == before)
    }
}
