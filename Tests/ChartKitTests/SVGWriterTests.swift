import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ChartKit

/// The SVG writer keeps every label as a `<text>` element: read back with an XML parser, the
/// texts are the scene's texts, in order, with their positions and fonts.
@Suite struct SVGWriterTests {
    /// The elements of an SVG document: name, attributes and character data.
    final class Reader: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String], text: String)] = []
        var open: Int?
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((name, attributes, ""))
            open = name == "text" ? elements.count - 1 : nil
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let open { elements[open].text += string }
        }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open = nil }

        static func read(_ data: Data) throws -> Reader {
            let r = Reader()
            let p = XMLParser(data: data)
            p.delegate = r
            guard p.parse() else { throw p.parserError ?? CocoaError(.fileReadCorruptFile) }
            return r
        }
    }

    @Test func labelsAreTextElementsWithTheirContent() throws {
        let chart = BarChart(ChartText("Who owes <most> & why?", subtitle: "Overdue by \"customer\""),
                             categories: ["Acme & Sons", "<script>alert(1)</script>", "O'Brien\u{1}Ltd"],
                             series: [Series("Overdue", [1200, 800, 50])], format: .money(symbol: "$"), mode: .grouped, namedCategories: true)
        let scene = chart.scene(size: Size(800, 450))
        let svg = SVGWriter.svg(scene)
        let r = try Reader.read(svg)
        let texts = r.elements.filter { $0.name == "text" }
        let expected: [String] = scene.items.compactMap { if case .text(let s, _, _, _, _, _, _) = $0 { return s } else { return nil } }
        #expect(texts.count == expected.count)
        // The control character becomes a space; everything else is the label as given.
        #expect(texts.map(\.text) == expected.map { $0.replacingOccurrences(of: "\u{1}", with: " ") })
        #expect(texts.contains { $0.text == "Who owes <most> & why?" && $0.attributes["font-weight"] == "bold" })
        #expect(texts.contains { $0.text == "<script>alert(1)</script>" })
        #expect(!String(decoding: svg, as: UTF8.self).contains("<script>"))
        // The font is named once, on the root, with fallbacks.
        #expect(r.elements[0].name == "svg")
        #expect(r.elements[0].attributes["font-family"] == "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, sans-serif")
        #expect(r.elements[0].attributes["viewBox"] == "0 0 800 450")
        // No glyph outlines: shapes are only the scene's rects, paths and circles (plus the background).
        let shapes = r.elements.filter { ["rect", "path", "circle"].contains($0.name) }.count
        #expect(shapes == scene.items.count - expected.count + 1)
    }

    @Test func positionsAnchorsAndRotationFollowTheScene() throws {
        var scene = Scene(size: Size(200, 100))
        scene.text("left", Point(10, 20), Font(size: 10), .black)
        scene.text("mid", Point(100, 50), Font(size: 10, bold: true), Color(hex: 0x0072B2), anchor: .middle, baseline: .middle)
        scene.text("up", Point(30, 80), Font(size: 20), .black, anchor: .end, baseline: .top, angle: -90)
        scene.rect(Rect(x: 1, y: 2, width: 3.333, height: 4), fill: Color(hex: 0xE69F00, alpha: 0.5))
        scene.line(Point(0, 0), Point(10, 10), .init(.black, width: 1.5, dash: [4, 2]))
        let r = try Reader.read(SVGWriter.svg(scene))
        let t = r.elements.filter { $0.name == "text" }
        #expect(t[0].attributes["x"] == "10" && t[0].attributes["y"] == "20" && t[0].attributes["font-size"] == "10")
        #expect(t[0].attributes["text-anchor"] == nil)
        // Middle baseline: (0.928 − 0.236) / 2 em below the point = 3.46 at 10 pt.
        #expect(t[1].attributes["y"] == "53.46" && t[1].attributes["text-anchor"] == "middle" && t[1].attributes["fill"] == "#0072b2")
        // Top: the ascent, 0.928 em = 18.56 at 20 pt, turned about the point.
        #expect(t[2].attributes["y"] == "98.56" && t[2].attributes["transform"] == "rotate(-90 30 80)" && t[2].attributes["text-anchor"] == "end")
        let rect = r.elements.filter { $0.name == "rect" }[1]
        #expect(rect.attributes["width"] == "3.33" && rect.attributes["fill-opacity"] == "0.5")
        let path = r.elements.first { $0.name == "path" }!
        #expect(path.attributes["d"] == "M0 0 L10 10" && path.attributes["stroke-dasharray"] == "4 2" && path.attributes["fill"] == "none")
    }

    @Test func sameSceneSameBytes() {
        for (_, chart) in Gallery.charts.map({ ($0.name, $0.chart) }) {
            let a = SVGWriter.svg(chart.scene(size: Size(800, 450))), b = SVGWriter.svg(chart.scene(size: Size(800, 450)))
            #expect(a == b)
        }
    }

    @Test func numbersAreRoundedToHundredths() {
        #expect(SVGWriter.num(12) == "12")
        #expect(SVGWriter.num(12.5) == "12.5")
        #expect(SVGWriter.num(-0.254) == "-0.25")
        #expect(SVGWriter.num(0.05) == "0.05")
        #expect(SVGWriter.num(-0.001) == "0")
        #expect(SVGWriter.num(.nan) == "0")
    }
}
