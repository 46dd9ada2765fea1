import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import CairoRendering
import ChartKit

func pngSize(_ d: Data) -> (Int, Int) {
    let b = [UInt8](d)
    func be32(_ o: Int) -> Int { Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3]) }
    return (be32(16), be32(20))
}

@Suite struct CairoTests {
    @Test func linksTheLibrary() {
        #expect(CairoLibrary.version.split(separator: ".").count == 3)
    }

    @Test func pngAtTwiceTheSizeWithBarsWhereTheyBelong() throws {
        var s = Scene(size: Size(100, 50))
        s.rect(Rect(x: 10, y: 10, width: 20, height: 30), fill: Color(hex: 0x0072B2))
        let png = try CairoRenderer.png(s)
        #expect([UInt8](png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(pngSize(png) == (200, 100))
        let r = try Raster(s)
        #expect(r.pixel(40, 40) == 0xFF00_72B2)      // inside the bar (device pixels)
        #expect(r.pixel(100, 40) == 0xFFFF_FFFF)     // background
        #expect(r.pixel(40, 90) == 0xFFFF_FFFF)      // below the bar
    }

    @Test func chartPixelsAreNotBlank() throws {
        let chart = Gallery.charts.first { $0.name == "bars-stacked-aging" }!.chart
        let scene = chart.scene(size: Size(800, 450), measurer: try CairoTextMeasurer(), theme: .standard)
        let r = try Raster(scene, scale: 1)
        // The last bar's bottom segment (current AR) is the palette's blue.
        let bars = scene.items.compactMap { item -> Rect? in
            if case .rect(let rect, let fill, _) = item, fill == Theme.standard.color(0), rect.height > 20 { return rect }
            return nil
        }
        let last = bars.max { $0.minX < $1.minX }!
        #expect(r.pixel(Int(last.midX), Int(last.maxY - 5)) == 0xFF00_72B2)
        var ink = 0
        for y in stride(from: 0, to: r.height, by: 4) { for x in stride(from: 0, to: r.width, by: 4) where r.pixel(x, y) != 0xFFFF_FFFF { ink += 1 } }
        #expect(ink > 2000)
    }

    @Test func pdfPagesAndFixedDates() throws {
        let m = try CairoTextMeasurer()
        let scenes = Gallery.charts.prefix(3).map { $0.chart.scene(size: Size(842, 595), measurer: m, theme: .standard) }
        let a = try CairoRenderer.pdf(scenes, title: "Test")
        let b = try CairoRenderer.pdf(scenes, title: "Test")
        #expect(a == b)                                        // byte-identical run to run
        let text = String(decoding: a, as: UTF8.self)
        #expect(text.hasPrefix("%PDF-"))
        let pages = text.components(separatedBy: "/Type /Page").count - 1 - (text.components(separatedBy: "/Type /Pages").count - 1)
        #expect(pages == 3)
        #expect(text.contains("/CreationDate (20260101000000)") || text.contains("/CreationDate (D:20260101000000"))
    }

    @Test func svgIsWellFormedXML() throws {
        let scene = Gallery.charts.first!.chart.scene(size: Size(800, 450), measurer: try CairoTextMeasurer(), theme: .standard)
        let svg = try CairoRenderer.svg(scene)
        let parser = XMLParser(data: svg)
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(String(decoding: svg, as: UTF8.self).contains("<svg"))
    }

    @Test func identicalPNGsRunToRun() throws {
        let m = try CairoTextMeasurer()
        let scenes = Gallery.charts.map { $0.chart.scene(size: Size(800, 450), measurer: m, theme: .standard) }
        let a = try CairoRenderer.pngs(scenes), b = try CairoRenderer.pngs(scenes)
        #expect(a == b)
        #expect(a.count == Gallery.charts.count)
    }

    @Test func errorsSurfaceAsSwiftErrors() {
        #expect(throws: CairoError.self) { try CairoRenderer.png(Scene(size: Size(0, 10))) }
        #expect(throws: CairoError.self) { try CairoRenderer.png(Scene(size: Size(100_000, 10))) }
    }

    @Test func cairoMeasuresText() throws {
        let m = try CairoTextMeasurer()
        let f = Font(size: 10)
        #expect(m.width("", f) == 0)
        let w = m.width("Collections", f)
        #expect(w > 40 && w < 80)
        #expect(m.width("Collections", Font(size: 10, bold: true)) > w)
        #expect(abs(m.width("WWWW", f) - 2 * m.width("WW", f)) < 0.01)
    }
}

@Suite struct PNGEncoderTests {
    /// Our PNG decodes (with libpng, through cairo) to exactly the pixels drawn.
    @Test func roundTripsThroughLibpng() throws {
        let m = try CairoTextMeasurer()
        for name in ["bars-stacked-aging", "fan-forecast", "heatmap-days-late"] {
            let scene = Gallery.charts.first { $0.name == name }!.chart.scene(size: Size(400, 225), measurer: m, theme: .standard)
            let png = try CairoRenderer.png(scene)
            let decoded = try PNGDecoded(png)
            let raster = try Raster(scene)
            #expect(decoded.width == raster.width && decoded.height == raster.height)
            var differing = 0
            for y in stride(from: 0, to: raster.height, by: 3) {
                for x in stride(from: 0, to: raster.width, by: 3) where decoded.pixel(x, y) != raster.pixel(x, y) { differing += 1 }
            }
            #expect(differing == 0, "\(name): \(differing) pixels differ")
        }
    }

    @Test func translucentImagesKeepAlpha() throws {
        var s = Scene(size: Size(10, 10))
        s.background = Color(r: 1, g: 1, b: 1, a: 0)
        s.rect(Rect(x: 0, y: 0, width: 5, height: 10), fill: Color(hex: 0xD55E00, alpha: 0.5))
        let png = try CairoRenderer.png(s, scale: 1)
        #expect([UInt8](png)[25] == 6)                         // colour type RGBA
        let d = try PNGDecoded(png)
        #expect(d.pixel(2, 2) >> 24 == 0x80 || d.pixel(2, 2) >> 24 == 0x7F)
        #expect(d.pixel(8, 2) >> 24 == 0)
    }
}

/// Issue 15: a name holding a Unicode noncharacter is drawn (as U+FFFD), not a failed pack.
@Suite struct CairoTextSafetyTests {
    @Test func noncharactersAndControlsAreDrawable() throws {
        #expect(CairoContext.drawable("Bad\u{FFFF}Name" + String(Unicode.Scalar(0xFDD0)!)) == "Bad\u{FFFD}Name\u{FFFD}")
        #expect(CairoContext.drawable("a\tb\u{7F}c") == "a b c")
        #expect(CairoContext.drawable("Ünïcödé €") == "Ünïcödé €")
        let m = try CairoTextMeasurer()
        #expect(m.width("Bad\u{FFFF}", Font(size: 10)) == m.width("Bad\u{FFFD}", Font(size: 10)))
        var s = Scene(size: Size(200, 40))
        s.text("Bad\u{FFFF}Name", Point(10, 20), Font(size: 12), Color(hex: 0x000000))
        #expect(pngSize(try CairoRenderer.png(s)) == (400, 80))
        #expect(try CairoRenderer.pdf([s], title: "t\u{FFFF}").count > 500)
    }
}
