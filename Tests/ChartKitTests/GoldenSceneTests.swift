import Foundation
import Testing
@testable import ChartKit

/// The layout of every gallery chart, compared with its golden scene. After a deliberate
/// change, re-record with ARLENS_RECORD_GOLDENS=1 swift test --filter GoldenSceneTests and
/// review the diff before committing it.
@Suite struct GoldenSceneTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")
    static let record = ProcessInfo.processInfo.environment["ARLENS_RECORD_GOLDENS"] == "1"

    static var all: [(String, Scene)] {
        Gallery.charts.map { ($0.name, $0.chart.scene(size: Size(800, 450))) }
            + Gallery.tiles.map { ($0.name, $0.tile.scene(size: Size(240, 150))) }
    }

    @Test(arguments: GoldenSceneTests.all.map(\.0))
    func matchesGolden(_ name: String) throws {
        let scene = GoldenSceneTests.all.first { $0.0 == name }!.1
        let file = GoldenSceneTests.dir.appendingPathComponent(name + ".txt")
        if GoldenSceneTests.record {
            try FileManager.default.createDirectory(at: GoldenSceneTests.dir, withIntermediateDirectories: true)
            try scene.golden.write(to: file, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        #expect(scene.golden == golden, "\(name): the scene differs from \(file.lastPathComponent)")
    }

    /// Layout rules that hold for every chart, whatever the data.
    @Test(arguments: GoldenSceneTests.all.map(\.0))
    func everythingInsideTheCanvasAndTitled(_ name: String) {
        let scene = GoldenSceneTests.all.first { $0.0 == name }!.1
        let m = ApproximateTextMeasurer()
        for item in scene.items {
            switch item {
            case .rect(let r, _, _):
                #expect(r.minX >= -0.01 && r.maxX <= scene.size.width + 0.01 && r.minY >= -0.01 && r.maxY <= scene.size.height + 0.01,
                        "\(name): rect \(r) outside the canvas")
            case .text(let s, let p, let f, _, let anchor, _, let angle) where angle == 0:
                let w = m.width(s, f)
                let x0 = anchor == .start ? p.x : anchor == .middle ? p.x - w / 2 : p.x - w
                #expect(x0 >= -0.5 && x0 + w <= scene.size.width + 0.5, "\(name): text '\(s)' runs off the canvas")
                #expect(p.y >= 0 && p.y <= scene.size.height)
            case .path(let ops, _, _):
                for case .line(let q) in ops { #expect(q.x.isFinite && q.y.isFinite) }
            default: break
            }
        }
    }

    @Test func lineChartPlacesTargetAndEndLabel() {
        let chart = Gallery.charts.first { $0.name == "line-two-series-target" }!.chart as! LineChart
        let s = chart.scene(size: Size(800, 450))
        let texts = s.items.compactMap { item -> (String, Point)? in
            if case .text(let t, let p, _, _, _, _, _) = item { return (t, p) }
            return nil
        }
        #expect(texts.contains { $0.0 == "47.7" })
        #expect(texts.contains { $0.0 == "36.0" })
        #expect(texts.contains { $0.0 == "target 45" })
        // The two end labels do not overlap.
        let a = texts.first { $0.0 == "47.7" }!.1, b = texts.first { $0.0 == "36.0" }!.1
        #expect(abs(a.y - b.y) >= 12)
        // The dashed target line is drawn.
        #expect(s.items.contains { if case .path(_, _, let st) = $0 { return st?.dash == [5, 4] } else { return false } })
    }

    @Test func stackedBarsStackToTheTotal() {
        let chart = BarChart(ChartText("t"), categories: ["a", "b"], series: [Series("x", [1, 2]), Series("y", [3, 4])],
                             format: .plain)
        let s = chart.scene(size: Size(400, 300))
        let rects = s.items.compactMap { item -> Rect? in
            if case .rect(let r, let fill, _) = item, fill == Theme.standard.color(0) || fill == Theme.standard.color(1),
               r.width < 200, r.height > 0 { return r }
            return nil
        }.filter { $0.width > 20 }
        // Bar a: 1 then 3 on top; bar b: 2 then 4. Heights in proportion 1:3 and 2:4.
        #expect(rects.count == 4)
        let (a1, a2) = (rects[0], rects[1])
        #expect(abs(a2.height / a1.height - 3) < 0.01)
        #expect(abs(a1.minY - a2.maxY) < 0.01)        // stacked without a gap
    }
}
