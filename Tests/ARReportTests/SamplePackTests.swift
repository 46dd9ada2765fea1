import ARAnalytics
import ARLoading
import ARModel
import ARTestSupport
import CairoRendering
import Foundation
import Testing
@testable import ARReport

/// The bundled sample's October 2026 pack, as a new user gets it from `make pack` (issue 19):
/// no number is ever cut in any PDF, the summary is one page, the aging summary comes first.
@Suite(.serialized) struct SamplePackTests {
    static let sample = TestPaths.root + "/datasets/sample"
    static let out = TestTemp.path("arlens-sample-pack-")
    static let built: (dir: String, model: PackModel)? = {
        guard let r = try? LedgerLoader.load(directory: sample) else { return nil }
        let model = PackBuilder.build(prepared: PreparedLedger(r.ledger), report: r.report, configuration: r.configuration.configuration,
                                      month: YearMonth(year: 2026, month: 10), ledgerName: "sample")
        var o = PackOptions()
        o.outDirectory = out
        o.templates = TestPaths.root + "/report-templates/pack"
        o.formats = [.pdf, .csv, .html]
        guard let dir = try? PackWriter.write(model, o, canvas: CairoCanvas()) else { return nil }
        return (dir, model)
    }()

    static func pdftotext(_ path: String, layout: Bool = true) throws -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext") else { return nil }   // poppler-utils: make test installs it
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        p.arguments = (layout ? ["-layout"] : []) + [path, "-"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text
    }

    static func pages(_ path: String) throws -> Int {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        return text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
    }

    /// "3,498,277.…", "Custo…": every PDF the pack writes, read back as text, has no ellipsis
    /// beside a digit, and the roll-forward's two key numbers are there whole.
    @Test func noNumberIsCutInAnyPDF() throws {
        let (dir, _) = try #require(Self.built)
        let pdfs = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".pdf") }.sorted()
        #expect(pdfs == ["pack.pdf", "summary.pdf"])
        for name in pdfs {
            guard let text = try Self.pdftotext(dir + "/" + name) else { return }
            #expect(text.range(of: "[0-9]…|…[0-9]", options: .regularExpression) == nil, "\(name) cuts a number")
            // No table header is cut either: headers wrap ("Custo…" was the worklist's).
            #expect(!text.contains("Custo…") && !text.contains("Collec…"), "\(name) cuts a header")
        }
        let pack = try #require(try Self.pdftotext(dir + "/pack.pdf"))
        #expect(pack.contains("3,498,277.61") && pack.contains("4,162,200.59"))
    }

    /// The board pack: at most 12 pages after the cover, none under half full but a section's
    /// last; the appendix after them.
    @Test func boardPagesAndAppendix() throws {
        let (dir, model) = try #require(Self.built)
        let counts = PDFRenderer(paper: .a4, measurer: try CairoCanvas().makeMeasurer(), canvas: CairoCanvas()).pageCounts(model)
        #expect(counts.body <= 12, "\(counts.body) board pages")
        #expect(counts.cover + counts.body + counts.appendix == (try Self.pages(dir + "/pack.pdf")))
        for p in counts.fill where !p.sectionLast {
            #expect(p.fill >= 0.5, "page \(p.page) is \(Int(p.fill * 100))% full")
        }
        #expect(model.body.map(\.id) == ["summary", "rollforward", "aging", "trends", "forecast", "collections", "credit", "disputes", "anomalies"])
    }

    @Test func summaryIsOnePage() throws {
        let (dir, model) = try #require(Self.built)
        #expect(try Self.pages(dir + "/summary.pdf") == 1)
        guard let text = try Self.pdftotext(dir + "/summary.pdf") else { return }
        for t in model.tiles { #expect(text.contains(t.label.uppercased()) || text.contains(t.label), "tile \(t.label)") }
        #expect(text.contains("Headline KPIs compared"))
    }

    /// Plain language: no metric code, command line or model code on a board page.
    @Test func boardPagesSpeakPlainly() throws {
        let (dir, model) = try #require(Self.built)
        for section in model.body {
            let words = ([section.lead] + section.paragraphs + section.tables.flatMap { [$0.title] + $0.columns.map(\.name) + [$0.note ?? ""] })
                .joined(separator: "\n")
            for code in ["bpdso", "pct_over_90", "dispute_rate", "ETS(", "arlens ", "--backtest", "WAPE"] {
                #expect(!words.contains(code), "\(section.id) says \(code)")
            }
        }
        guard let text = try Self.pdftotext(dir + "/pack.pdf", layout: false) else { return }
        let body = text.components(separatedBy: "\u{0C}").prefix(while: { !$0.contains("The detail behind the board pages") }).joined()
        #expect(!body.contains("ETS(") && !body.contains("arlens forecast"))
        #expect(!body.contains("▲ 0"))
    }

    /// The aging summary: the buckets with amount, share, change since September 2026 and since
    /// October 2025, then gross AR, unapplied and net AR, which ties to the roll-forward.
    @Test func agingSummaryFirst() throws {
        let (dir, model) = try #require(Self.built)
        let aging = try #require(model.sections.first { $0.id == "aging" })
        #expect(aging.tables.map(\.id) == ["aging_summary", "aging_top_overdue"])
        #expect(aging.appendixTables.map(\.id) == ["aging"])
        let summary = aging.tables[0]
        #expect(summary.columns.map(\.name) == ["Days past due", "Amount", "Share of gross AR", "Change since Sep 26", "Change since Oct 25"])
        #expect(summary.rows.map { $0[0] } == ["Not yet due", "1 to 30 days", "31 to 60 days", "61 to 90 days", "91 to 120 days", "Over 120 days",
                                                "Gross AR", "Unapplied cash and unallocated credits", "Net AR"].map { .text($0) })
        #expect(summary.rows.last![1] == .money(4_162_200_59))
        // Buckets sum to gross AR; gross plus unapplied is net AR; shares sum to 100.
        let buckets = summary.rows.prefix(6).map { if case .money(let m) = $0[1] { return m } else { return 0 } }
        #expect(summary.rows[6][1] == .money(buckets.reduce(0, +)))
        let csv = try String(contentsOfFile: dir + "/csv/aging_summary.csv", encoding: .utf8)
        #expect(csv.hasPrefix("Days past due,Amount,Share of gross AR,Change since Sep 26,Change since Oct 25\r\n"))
        #expect(csv.contains("\r\nNet AR,4162200.59,,"))
    }
}
