import ChartKit
import Foundation

/// The Cairo-backed `Canvas`: text measured with the fonts it draws with, PNG through the
/// project's zlib encoder, PDF with a fixed creation date, SVG with text as text.
public struct CairoCanvas: Canvas {
    public init() {}

    public func makeMeasurer() throws -> any TextMeasuring { try CairoTextMeasurer() }
    public func png(_ scene: Scene, scale: Double) throws -> Data { try CairoRenderer.png(scene, scale: scale) }
    public func pngs(_ scenes: [Scene], scale: Double) throws -> [Data] { try CairoRenderer.pngs(scenes, scale: scale) }
    public func pdf(_ pages: [Scene], title: String) throws -> Data { try CairoRenderer.pdf(pages, title: title) }
    /// SVG with text kept as `<text>` elements (ChartKit's `SVGWriter`), not cairo's glyph outlines.
    public func svg(_ scene: Scene) throws -> Data { SVGWriter.svg(scene) }
}
