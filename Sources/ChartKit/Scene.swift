/// What a chart compiles to: a backend-free list of shapes and texts, in drawing order.
/// A canvas (Cairo, or a test) draws it; golden files pin it down.
public struct Scene: Sendable, Equatable {
    public var size: Size
    public var background: Color = .white
    public var items: [Item] = []

    public init(size: Size) { self.size = size }

    public enum PathOp: Equatable, Sendable {
        case move(Point)
        case line(Point)
        case close
    }

    public struct Stroke: Equatable, Sendable {
        public var color: Color
        public var width: Double
        public var dash: [Double]
        public init(_ color: Color, width: Double = 1, dash: [Double] = []) {
            self.color = color; self.width = width; self.dash = dash
        }
    }

    public enum Item: Equatable, Sendable {
        case rect(Rect, fill: Color?, stroke: Stroke?)
        case path([PathOp], fill: Color?, stroke: Stroke?)
        case circle(Point, radius: Double, fill: Color?, stroke: Stroke?)
        case text(String, at: Point, font: Font, color: Color, anchor: TextAnchor, baseline: TextBaseline, angle: Double)
    }

    public mutating func rect(_ r: Rect, fill: Color? = nil, stroke: Stroke? = nil) {
        items.append(.rect(r, fill: fill, stroke: stroke))
    }

    public mutating func line(_ a: Point, _ b: Point, _ stroke: Stroke) {
        items.append(.path([.move(a), .line(b)], fill: nil, stroke: stroke))
    }

    public mutating func polyline(_ pts: [Point], _ stroke: Stroke) {
        guard let first = pts.first, pts.count > 1 else { return }
        items.append(.path([.move(first)] + pts.dropFirst().map { .line($0) }, fill: nil, stroke: stroke))
    }

    public mutating func polygon(_ pts: [Point], fill: Color, stroke: Stroke? = nil) {
        guard let first = pts.first, pts.count > 2 else { return }
        items.append(.path([.move(first)] + pts.dropFirst().map { .line($0) } + [.close], fill: fill, stroke: stroke))
    }

    public mutating func circle(_ c: Point, _ r: Double, fill: Color?, stroke: Stroke? = nil) {
        items.append(.circle(c, radius: r, fill: fill, stroke: stroke))
    }

    public mutating func text(_ s: String, _ p: Point, _ font: Font, _ color: Color,
                              anchor: TextAnchor = .start, baseline: TextBaseline = .alphabetic, angle: Double = 0) {
        items.append(.text(s, at: p, font: font, color: color, anchor: anchor, baseline: baseline, angle: angle))
    }

    /// Numbers in golden files: rounded to a tenth, no trailing zeros.
    static func num(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        if r == r.rounded() { return String(Int(r)) }
        return String(format: "%.1f", r)
    }

    /// A stable, line-per-item text form for golden files and diffs.
    public var golden: String {
        func pt(_ p: Point) -> String { "\(Scene.num(p.x)),\(Scene.num(p.y))" }
        func stroke(_ s: Stroke?) -> String {
            guard let s else { return "" }
            return " stroke=\(s.color) w=\(Scene.num(s.width))" + (s.dash.isEmpty ? "" : " dash=" + s.dash.map(Scene.num).joined(separator: ","))
        }
        var out = "scene \(Scene.num(size.width))x\(Scene.num(size.height)) bg=\(background)\n"
        for item in items {
            switch item {
            case .rect(let r, let fill, let s):
                out += "rect \(pt(Point(r.x, r.y))) \(Scene.num(r.width))x\(Scene.num(r.height))" + (fill.map { " fill=\($0)" } ?? "") + stroke(s) + "\n"
            case .path(let ops, let fill, let s):
                let d = ops.map { op -> String in
                    switch op {
                    case .move(let p): return "M" + pt(p)
                    case .line(let p): return "L" + pt(p)
                    case .close: return "Z"
                    }
                }.joined(separator: " ")
                out += "path \(d)" + (fill.map { " fill=\($0)" } ?? "") + stroke(s) + "\n"
            case .circle(let c, let r, let fill, let s):
                out += "circle \(pt(c)) r=\(Scene.num(r))" + (fill.map { " fill=\($0)" } ?? "") + stroke(s) + "\n"
            case .text(let t, let p, let f, let c, let a, let b, let angle):
                out += "text \(pt(p)) \(Scene.num(f.size))\(f.bold ? "b" : "") \(c) \(a.rawValue)/\(b.rawValue)"
                    + (angle != 0 ? " rot=\(Scene.num(angle))" : "") + " \"\(t)\"\n"
            }
        }
        return out
    }
}

extension Scene {
    /// Draws `other` into this scene with its origin at `origin`, scaled by `scale` (a chart
    /// placed on a report page).
    public mutating func place(_ other: Scene, at origin: Point, scale: Double = 1) {
        func p(_ q: Point) -> Point { Point(origin.x + q.x * scale, origin.y + q.y * scale) }
        func st(_ s: Stroke?) -> Stroke? { s.map { Stroke($0.color, width: $0.width * scale, dash: $0.dash.map { $0 * scale }) } }
        rect(Rect(x: origin.x, y: origin.y, width: other.size.width * scale, height: other.size.height * scale), fill: other.background)
        for item in other.items {
            switch item {
            case .rect(let r, let fill, let s):
                items.append(.rect(Rect(x: origin.x + r.x * scale, y: origin.y + r.y * scale, width: r.width * scale, height: r.height * scale),
                                   fill: fill, stroke: st(s)))
            case .path(let ops, let fill, let s):
                items.append(.path(ops.map { op in
                    switch op {
                    case .move(let q): return .move(p(q))
                    case .line(let q): return .line(p(q))
                    case .close: return .close
                    }
                }, fill: fill, stroke: st(s)))
            case .circle(let c, let r, let fill, let s):
                items.append(.circle(p(c), radius: r * scale, fill: fill, stroke: st(s)))
            case .text(let t, let at, let f, let c, let a, let b, let angle):
                items.append(.text(t, at: p(at), font: Font(size: f.size * scale, bold: f.bold), color: c, anchor: a, baseline: b, angle: angle))
            }
        }
    }
}

/// Text wrapped to a width, for report pages.
public enum TextWrap {
    public static func lines(_ text: String, _ font: Font, width: Double, measurer: any TextMeasuring, maxLines: Int = 1000) -> [String] {
        Frame.wrap(text, font, width, measurer, maxLines: maxLines)
    }
}
