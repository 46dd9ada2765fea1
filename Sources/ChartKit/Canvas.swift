import Foundation

/// What draws scenes into files. ChartKit lays charts out as `Scene`s and knows no renderer;
/// the report asks a canvas to measure text and to turn scenes into PNG, PDF or SVG bytes.
/// CairoRendering provides the real one; tests can pass `RecordingCanvas`, which draws
/// nothing and keeps what it was asked for.
public protocol Canvas: Sendable {
    /// The text measurer layout must use, so that what is measured is what is drawn.
    func makeMeasurer() throws -> any TextMeasuring
    /// One scene as PNG at `scale` pixels per point.
    func png(_ scene: Scene, scale: Double) throws -> Data
    /// Many scenes as PNG; a canvas may draw them in parallel. Same order as `scenes`.
    func pngs(_ scenes: [Scene], scale: Double) throws -> [Data]
    /// One PDF page per scene, with the document title set.
    func pdf(_ pages: [Scene], title: String) throws -> Data
    /// One scene as SVG.
    func svg(_ scene: Scene) throws -> Data
}

extension Canvas {
    public func png(_ scene: Scene) throws -> Data { try png(scene, scale: 2) }
    public func pngs(_ scenes: [Scene]) throws -> [Data] { try pngs(scenes, scale: 2) }
}

/// A canvas that draws nothing: it measures with `ApproximateTextMeasurer` and returns, for
/// each request, a short deterministic text naming the format and the scenes' item counts.
/// For testing reports without a graphics library.
public final class RecordingCanvas: Canvas, @unchecked Sendable {
    private let lock = NSLock()
    private var _requests: [String] = []

    public init() {}

    /// "png 800x450 42" per request, in order.
    public var requests: [String] { lock.withLock { _requests } }

    private func record(_ kind: String, _ scenes: [Scene]) -> Data {
        let line = kind + " " + scenes.map { "\(Int($0.size.width))x\(Int($0.size.height)) \($0.items.count)" }.joined(separator: ", ")
        lock.withLock { _requests.append(line) }
        return Data(line.utf8)
    }

    public func makeMeasurer() throws -> any TextMeasuring { ApproximateTextMeasurer() }
    public func png(_ scene: Scene, scale: Double) throws -> Data { record("png", [scene]) }
    public func pngs(_ scenes: [Scene], scale: Double) throws -> [Data] { scenes.map { record("png", [$0]) } }
    public func pdf(_ pages: [Scene], title: String) throws -> Data { record("pdf", pages) }
    public func svg(_ scene: Scene) throws -> Data { record("svg", [scene]) }
}
