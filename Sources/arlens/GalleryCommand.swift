import ArgumentParser
import AROutput
import CairoRendering
import ChartKit
import Foundation

/// Every chart type with ordinary and awkward data, as PNG, SVG and one PDF: for looking at.
struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery", abstract: "Draw every chart type with test data into a folder (for checking the look).",
        shouldDisplay: false)

    @Option(name: .long, help: "The folder to write into.")
    var out: String

    func run() throws {
        let m = try CairoTextMeasurer()
        var scenes: [(String, Scene)] = Gallery.charts.map { ($0.name, $0.chart.scene(size: Size(800, 450), measurer: m, theme: .standard)) }
        scenes += Gallery.tiles.map { ($0.name, $0.tile.scene(size: Size(240, 150), measurer: m, theme: .standard)) }
        let pngs = try CairoRenderer.pngs(scenes.map(\.1))
        for (k, (name, scene)) in scenes.enumerated() {
            try AtomicFile.write(pngs[k], to: "\(out)/\(name).png")
            try AtomicFile.write(try CairoRenderer.svg(scene), to: "\(out)/\(name).svg")
        }
        try AtomicFile.write(try CairoRenderer.pdf(scenes.map(\.1), title: "ARLens chart gallery"), to: "\(out)/gallery.pdf")
        FileHandle.standardError.write(Data("wrote \(scenes.count) charts to \(out)\n".utf8))
    }
}
