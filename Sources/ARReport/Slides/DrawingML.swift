import ChartKit
import Foundation

/// A chart's scene as DrawingML shapes: rectangles, free-form paths and ellipses in the
/// theme's colours, and every label a text box, so a chart on a slide is vector and its words
/// can be edited in PowerPoint or Impress. The shapes are grouped, so the chart moves as one.
///
/// Text is placed the way Cairo draws it: the layout measured each label with the pack's
/// measurer, the box is that wide (with slack, never wrapping) and aligned on the label's
/// anchor, and its top sits one DejaVu Sans ascent above the baseline.
struct DrawingML {
    /// EMU per point.
    static let emuPerPoint = 12700.0
    static let ascent = 0.928, descent = 0.236
    static let chartFont = "DejaVu Sans"

    /// Shape ids already used on the slide; the next one is `nextID`.
    var nextID: Int

    static func emu(_ pt: Double) -> Int { Int((pt * emuPerPoint).rounded()) }

    static func color(_ c: Color) -> String {
        let hex = String(c.description.dropFirst().prefix(6)).uppercased()
        return c.a < 1 ? "<a:srgbClr val=\"\(hex)\"><a:alpha val=\"\(Int((c.a * 100_000).rounded()))\"/></a:srgbClr>" : "<a:srgbClr val=\"\(hex)\"/>"
    }

    static func fill(_ c: Color?) -> String { c.map { "<a:solidFill>\(color($0))</a:solidFill>" } ?? "<a:noFill/>" }

    static func line(_ s: Scene.Stroke?, scale: Double) -> String {
        guard let s else { return "<a:ln><a:noFill/></a:ln>" }
        return "<a:ln w=\"\(max(emu(s.width * scale), 3175))\"><a:solidFill>\(color(s.color))</a:solidFill>"
            + (s.dash.isEmpty ? "" : "<a:prstDash val=\"dash\"/>") + "<a:round/></a:ln>"
    }

    mutating func id() -> Int { defer { nextID += 1 }; return nextID }

    /// `scene` drawn into the slide rectangle at `origin` (points) scaled by `scale`, as one
    /// group named `name` with `description` as its alternative text.
    mutating func group(_ scene: Scene, at origin: Point, scale: Double, name: String, description: String, measurer: any TextMeasuring) -> String {
        func X(_ x: Double) -> Int { DrawingML.emu(origin.x + x * scale) }
        func Y(_ y: Double) -> Int { DrawingML.emu(origin.y + y * scale) }
        let gx = X(0), gy = Y(0), gw = DrawingML.emu(scene.size.width * scale), gh = DrawingML.emu(scene.size.height * scale)
        var out = "<p:grpSp><p:nvGrpSpPr><p:cNvPr id=\"\(id())\" name=\"\(PPTXWriter.xml(name))\" descr=\"\(PPTXWriter.xml(description))\"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>"
        out += "<p:grpSpPr><a:xfrm><a:off x=\"\(gx)\" y=\"\(gy)\"/><a:ext cx=\"\(gw)\" cy=\"\(gh)\"/><a:chOff x=\"\(gx)\" y=\"\(gy)\"/><a:chExt cx=\"\(gw)\" cy=\"\(gh)\"/></a:xfrm></p:grpSpPr>"
        func shape(_ kind: String, _ x: Int, _ y: Int, _ w: Int, _ h: Int, _ geometry: String, _ fill: Color?, _ stroke: Scene.Stroke?) -> String {
            "<p:sp><p:nvSpPr><p:cNvPr id=\"\(id())\" name=\"\(kind) \(nextID - 1)\"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x=\"\(x)\" y=\"\(y)\"/><a:ext cx=\"\(w)\" cy=\"\(h)\"/></a:xfrm>"
                + geometry + DrawingML.fill(fill) + DrawingML.line(stroke, scale: scale) + "</p:spPr></p:sp>"
        }
        out += shape("Background", gx, gy, gw, gh, "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>", scene.background, nil)
        for item in scene.items {
            switch item {
            case .rect(let r, let f, let s):
                let x0 = X(r.minX), y0 = Y(r.minY)
                out += shape("Rectangle", x0, y0, max(X(r.maxX) - x0, 0), max(Y(r.maxY) - y0, 0), "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom>", f, s)
            case .circle(let c, let radius, let f, let s):
                let x0 = X(c.x - radius), y0 = Y(c.y - radius), d = DrawingML.emu(2 * radius * scale)
                out += shape("Marker", x0, y0, d, d, "<a:prstGeom prst=\"ellipse\"><a:avLst/></a:prstGeom>", f, s)
            case .path(let ops, let f, let s):
                let pts = ops.compactMap { op -> Point? in
                    switch op { case .move(let p), .line(let p): return p; case .close: return nil }
                }
                guard let first = pts.first else { continue }
                var minX = first.x, maxX = first.x, minY = first.y, maxY = first.y
                for p in pts { minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y) }
                let x0 = X(minX), y0 = Y(minY), w = max(X(maxX) - x0, 1), h = max(Y(maxY) - y0, 1)
                var d = ""
                for op in ops {
                    switch op {
                    case .move(let p): d += "<a:moveTo><a:pt x=\"\(X(p.x) - x0)\" y=\"\(Y(p.y) - y0)\"/></a:moveTo>"
                    case .line(let p): d += "<a:lnTo><a:pt x=\"\(X(p.x) - x0)\" y=\"\(Y(p.y) - y0)\"/></a:lnTo>"
                    case .close: d += "<a:close/>"
                    }
                }
                let geometry = "<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l=\"0\" t=\"0\" r=\"r\" b=\"b\"/><a:pathLst><a:path w=\"\(w)\" h=\"\(h)\"\(f == nil ? " fill=\"none\"" : "")>\(d)</a:path></a:pathLst></a:custGeom>"
                out += shape(f == nil ? "Line" : "Area", x0, y0, w, h, geometry, f, s)
            case .text(let text, let p, let font, let c, let anchor, let baseline, let angle):
                // The box in the label's own frame (origin at the anchor point, before turning).
                let size = font.size * scale
                let width = measurer.width(text, font) * scale * 1.12 + 2
                let height = size * 1.25
                let left: Double = anchor == .start ? 0 : anchor == .middle ? -width / 2 : -width
                let shift: Double = baseline == .alphabetic ? 0 : baseline == .middle ? (DrawingML.ascent - DrawingML.descent) / 2 * size : DrawingML.ascent * size
                let top = shift - DrawingML.ascent * size
                // Its centre turned about the anchor; DrawingML turns a box about its centre.
                let cx = left + width / 2, cy = top + height / 2
                let a = angle * .pi / 180
                let px = origin.x + p.x * scale, py = origin.y + p.y * scale
                let ccx = px + cx * cos(a) - cy * sin(a), ccy = py + cx * sin(a) + cy * cos(a)
                var rot = angle.truncatingRemainder(dividingBy: 360)
                if rot < 0 { rot += 360 }
                let rotAttr = rot == 0 ? "" : " rot=\"\(Int((rot * 60_000).rounded()))\""
                let algn = anchor == .start ? "l" : anchor == .middle ? "ctr" : "r"
                out += "<p:sp><p:nvSpPr><p:cNvPr id=\"\(id())\" name=\"Label \(nextID - 1)\"/><p:cNvSpPr txBox=\"1\"/><p:nvPr/></p:nvSpPr>"
                out += "<p:spPr><a:xfrm\(rotAttr)><a:off x=\"\(DrawingML.emu(ccx - width / 2))\" y=\"\(DrawingML.emu(ccy - height / 2))\"/><a:ext cx=\"\(DrawingML.emu(width))\" cy=\"\(DrawingML.emu(height))\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>"
                out += "<p:txBody><a:bodyPr wrap=\"none\" lIns=\"0\" tIns=\"0\" rIns=\"0\" bIns=\"0\" anchor=\"t\"><a:noAutofit/></a:bodyPr><a:lstStyle/>"
                out += "<a:p><a:pPr algn=\"\(algn)\"><a:lnSpc><a:spcPct val=\"100000\"/></a:lnSpc></a:pPr>"
                out += PPTXWriter.run(text, size: size, bold: font.bold, color: c, font: DrawingML.chartFont) + "</a:p></p:txBody></p:sp>"
            }
        }
        return out + "</p:grpSp>"
    }
}
