import ARAnalytics
import ARLoading
import ARModel
import ChartKit
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ZIPFoundation
import CairoRendering
import ARTestSupport
@testable import ARReport

/// The board deck of the hand-built March 2026 ledger (PackEndToEndTests): read back from the
/// zip, slide by slide, its titles, takeaways and notes; the same bytes twice; and, when
/// LibreOffice is installed, converted to PDF with one page per slide.
@Suite(.serialized) struct SlidesTests {
    static let model: PackModel = {
        let r = try! LedgerLoader.load(directory: PackEndToEndTests.fixture)
        var config = r.configuration.configuration
        config.company = "Test Co"
        config.targets = [.metric(.dso): 45, .metric(.cei): 80]
        return PackBuilder.build(prepared: PreparedLedger(r.ledger), report: r.report, configuration: config,
                                 month: YearMonth(year: 2026, month: 3), ledgerName: "kpi-march-2026")
    }()
    static let measurer = try! CairoTextMeasurer()
    static let bytes = try! PPTXWriter.deck(SlideDeck(model), measurer: measurer)

    /// Every entry of a zip, by path.
    static func entries(_ data: Data) throws -> [String: Data] {
        let archive = try Archive(data: data, accessMode: .read)
        var out: [String: Data] = [:]
        for e in archive {
            var d = Data()
            _ = try archive.extract(e) { d.append($0) }
            out[e.path] = d
        }
        return out
    }

    /// The text of every `<a:t>` of a part, and of the title placeholder's runs.
    final class Texts: NSObject, XMLParserDelegate {
        var runs: [String] = []
        var title = ""
        var inTitle = false, inText = false, depth = 0, titleDepth = -1
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            depth += 1
            if name == "p:sp" || qualifiedName == "p:sp" { titleDepth = -1; inTitle = false }
            if (qualifiedName ?? name) == "p:ph", let t = attributes["type"], t == "title" || t == "ctrTitle" { inTitle = true }
            if (qualifiedName ?? name) == "a:t" { inText = true; runs.append("") }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard inText else { return }
            runs[runs.count - 1] += string
            if inTitle { title += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            if (qualifiedName ?? name) == "a:t" { inText = false }
            if (qualifiedName ?? name) == "p:sp" { inTitle = false }
        }
        static func read(_ data: Data) throws -> Texts {
            let t = Texts()
            let p = XMLParser(data: data)
            p.delegate = t
            guard p.parse() else { throw p.parserError ?? CocoaError(.fileReadCorruptFile) }
            return t
        }
    }

    @Test func everyPartIsWellFormedAndListed() throws {
        let files = try SlidesTests.entries(SlidesTests.bytes)
        let types = String(decoding: files["[Content_Types].xml"]!, as: UTF8.self)
        for (path, data) in files {
            #expect(XMLParser(data: data).parse(), "\(path) is not well-formed XML")
            if path.hasSuffix(".xml") && !path.hasPrefix("[") { #expect(types.contains("PartName=\"/\(path)\""), "\(path) has no content type") }
        }
        // Every relationship target exists.
        for (path, data) in files where path.hasSuffix(".rels") {
            let base = (path.replacingOccurrences(of: "_rels/", with: "").dropLast(5) as Substring).split(separator: "/").dropLast().joined(separator: "/")
            let text = String(decoding: data, as: UTF8.self)
            for m in text.matches(of: /Target="([^"]+)"/) {
                var parts = base.isEmpty ? [] : base.split(separator: "/").map(String.init)
                for c in m.1.split(separator: "/") { if c == ".." { parts.removeLast() } else { parts.append(String(c)) } }
                #expect(files[parts.joined(separator: "/")] != nil, "\(path): \(m.1) is missing")
            }
        }
        let presentation = String(decoding: files["ppt/presentation.xml"]!, as: UTF8.self)
        #expect(presentation.contains("<p:sldSz cx=\"12192000\" cy=\"6858000\"/>"))   // 16:9
    }

    @Test func slidesHaveTheirTitlesTakeawaysAndNotes() throws {
        let files = try SlidesTests.entries(SlidesTests.bytes)
        let deck = SlideDeck(SlidesTests.model)
        let n = deck.slides.count
        #expect(files.keys.filter { $0.hasPrefix("ppt/slides/slide") }.count == n)
        #expect(files.keys.filter { $0.hasPrefix("ppt/notesSlides/notesSlide") }.count == n)
        #expect(deck.slides.map(\.id) == ["title", "kpis", "rollforward", "aging", "dso", "cei", "forecast", "overdue", "disputes", "asks"])
        var titles: [String] = []
        for k in 1...n {
            let slide = try Texts.read(files["ppt/slides/slide\(k).xml"]!)
            titles.append(slide.title)
            if let t = deck.slides[k - 1].takeaway { #expect(slide.runs.contains(t), "slide \(k): takeaway not on the slide") }
            let notes = try Texts.read(files["ppt/notesSlides/notesSlide\(k).xml"]!)
            #expect(notes.runs == deck.slides[k - 1].notes)
        }
        #expect(titles == ["Test Co", "Headline measures, March 2026", "What moved AR in March", "Aging over the last 12 month-ends", "DSO against target",
                           "Collection effectiveness against target", "Cash expected over the next 13 weeks", "Who holds the overdue balance",
                           "Disputes and billing quality", "What we ask"])
        // The DSO slide's takeaway is the summary's sentence; its notes hold the numbers and the definitions.
        let dso = deck.slides.first { $0.id == "dso" }!
        #expect(dso.takeaway == "DSO was 36.4 days at the end of March, within the 45-day target.")
        #expect(dso.notes.contains { $0.hasPrefix("Mar 26: DSO 36.4") })
        #expect(dso.notes.contains { $0.hasPrefix("Definitions: DSO") })
        // The chart is shapes with its labels as text, not a picture.
        let slide = String(decoding: files["ppt/slides/slide\(deck.slides.firstIndex { $0.id == "dso" }! + 1).xml"]!, as: UTF8.self)
        #expect(!slide.contains("<p:pic>"))
        #expect(slide.contains("<a:t>Target</a:t>") || slide.contains("45"))
        // CEI is 75% against 80%: the one missed target, asked for on the closing slide.
        let asks = deck.slides.last!
        #expect(asks.takeaway == "1 target is missed; this is what reaching it is worth.")
        #expect(asks.body.bullets.first == "Bring Collection effectiveness from 75.0% to its target of 80%.")
    }

    @Test func untrustedNamesAreEscaped() throws {
        let files = try SlidesTests.entries(SlidesTests.bytes)
        let all = files.filter { $0.key.hasPrefix("ppt/slides/") || $0.key.hasPrefix("ppt/notesSlides/") }.values.map { String(decoding: $0, as: UTF8.self) }.joined()
        #expect(!all.contains("<script>"))
    }

    @Test func sameLedgerSameBytes() throws {
        let again = try PPTXWriter.deck(SlideDeck(SlidesTests.model), measurer: SlidesTests.measurer)
        #expect(again == SlidesTests.bytes)
    }

    @Test func chartsPickTheSlides() throws {
        let deck = SlideDeck(SlidesTests.model, slides: try SlideKind.parseList("cei, dso"))
        #expect(deck.slides.map(\.id) == ["title", "dso", "cei", "asks"])
        do { _ = try SlideKind.parseList("dso,dsx"); Issue.record("no error") } catch {
            #expect(error.description == "unknown slide 'dsx' (kpis, rollforward, aging, dso, cei, forecast, overdue, disputes, findings)")
        }
    }

    /// LibreOffice reads the deck: one PDF page per slide. Skipped when soffice is absent.
    @Test func libreOfficeOpensTheDeck() throws {
        let soffice = ["/usr/bin/soffice", "/usr/local/bin/soffice"].first { FileManager.default.isExecutableFile(atPath: $0) }
        // Impress's library: soffice without it cannot read a deck.
        guard let soffice, FileManager.default.fileExists(atPath: "/usr/lib/libreoffice/program/libsdlo.so") else { return }
        let dir = TestTemp.path("arlens-slides-")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try SlidesTests.bytes.write(to: URL(fileURLWithPath: dir + "/slides.pptx"))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: soffice)
        p.arguments = ["-env:UserInstallation=file://\(dir)/profile", "--headless", "--convert-to", "pdf", "--outdir", dir, dir + "/slides.pptx"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let pdf = try Data(contentsOf: URL(fileURLWithPath: dir + "/slides.pdf"))
        let text = String(decoding: pdf, as: UTF8.self)
        let pages = text.matches(of: /\/Type\s*\/Page[^s]/).count
        #expect(pages == SlideDeck(SlidesTests.model).slides.count)
    }
}

extension Slide.Body {
    var bullets: [String] { if case .bullets(let b) = self { return b } else { return [] } }
}
