import Foundation

/// Scenes as SVG with real text: every label is a `<text>` element naming its font, with
/// fallbacks, so a chart opened in a vector editor or pasted into a slide can have its words
/// corrected. Shapes are plain rects, paths and circles in the theme's colours. The writer is
/// pure Swift and deterministic (numbers rounded to hundredths, attributes in a fixed order),
/// so the same scene always gives the same bytes.
///
/// Placement matches the Cairo drawing: layout measured the text with the same
/// `TextMeasuring`, the anchor becomes `text-anchor`, and the baseline offsets below are
/// DejaVu Sans's font extents, which Cairo uses for `.middle` and `.top`.
public enum SVGWriter {
    /// The families a viewer tries, in order: the one ARLens measures with, then common ones.
    public static let fontFamily = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, sans-serif"
    /// DejaVu Sans ascent and descent in em (hhea 1901/2048 and 483/2048).
    static let ascent = 0.928, descent = 0.236

    public static func svg(_ scene: Scene, fontFamily: String = SVGWriter.fontFamily) -> Data {
        Data(document(scene, fontFamily: fontFamily).utf8)
    }

    public static func document(_ scene: Scene, fontFamily: String = SVGWriter.fontFamily) -> String {
        let w = num(scene.size.width), h = num(scene.size.height)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" font-family=\"\(escape(fontFamily))\">\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\"\(paint("fill", scene.background))/>\n"
        for item in scene.items {
            switch item {
            case .rect(let r, let fill, let stroke):
                out += "<rect x=\"\(num(r.x))\" y=\"\(num(r.y))\" width=\"\(num(r.width))\" height=\"\(num(r.height))\"\(style(fill, stroke))/>\n"
            case .path(let ops, let fill, let stroke):
                var d = ""
                for op in ops {
                    if !d.isEmpty { d += " " }
                    switch op {
                    case .move(let p): d += "M\(num(p.x)) \(num(p.y))"
                    case .line(let p): d += "L\(num(p.x)) \(num(p.y))"
                    case .close: d += "Z"
                    }
                }
                out += "<path d=\"\(d)\"\(style(fill, stroke))/>\n"
            case .circle(let c, let radius, let fill, let stroke):
                out += "<circle cx=\"\(num(c.x))\" cy=\"\(num(c.y))\" r=\"\(num(radius))\"\(style(fill, stroke))/>\n"
            case .text(let text, let p, let font, let color, let anchor, let baseline, let angle):
                let dy: Double = baseline == .alphabetic ? 0 : baseline == .middle ? (ascent - descent) / 2 * font.size : ascent * font.size
                var attrs = "x=\"\(num(p.x))\" y=\"\(num(p.y + dy))\" font-size=\"\(num(font.size))\""
                if font.bold { attrs += " font-weight=\"bold\"" }
                if anchor != .start { attrs += " text-anchor=\"\(anchor.rawValue)\"" }
                attrs += paint("fill", color)
                // Rotated about the anchor point, as Cairo does; the baseline shift turns with it.
                if angle != 0 { attrs = "transform=\"rotate(\(num(angle)) \(num(p.x)) \(num(p.y)))\" " + attrs }
                let body = escape(text)
                if body.contains("  ") || body.hasPrefix(" ") || body.hasSuffix(" ") { attrs += " xml:space=\"preserve\"" }
                out += "<text \(attrs)>\(body)</text>\n"
            }
        }
        out += "</svg>\n"
        return out
    }

    static func style(_ fill: Color?, _ stroke: Scene.Stroke?) -> String {
        var s = fill.map { paint("fill", $0) } ?? " fill=\"none\""
        if let stroke {
            s += paint("stroke", stroke.color) + " stroke-width=\"\(num(stroke.width))\""
            if !stroke.dash.isEmpty { s += " stroke-dasharray=\"\(stroke.dash.map(num).joined(separator: " "))\"" }
        }
        return s
    }

    /// ` fill="#rrggbb"` plus its opacity when the colour is not opaque.
    static func paint(_ attribute: String, _ c: Color) -> String {
        let hex = String(c.description.prefix(7))
        return " \(attribute)=\"\(hex)\"" + (c.a < 1 ? " \(attribute)-opacity=\"\(num(c.a))\"" : "")
    }

    /// A number rounded to hundredths, without trailing zeros ("12", "12.5", "-0.25").
    static func num(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let hundredths = Int64((v * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let a = abs(hundredths), whole = a / 100, frac = a % 100
        if frac == 0 { return hundredths == 0 ? "0" : sign + String(whole) }
        return sign + String(whole) + (frac % 10 == 0 ? "." + String(frac / 10) : (frac < 10 ? ".0" : ".") + String(frac))
    }

    /// Untrusted text as XML character data or an attribute value: markup characters escaped,
    /// characters XML 1.0 forbids (controls, lone surrogates cannot occur in Swift strings,
    /// U+FFFE/U+FFFF) replaced, so any customer name gives a well-formed file.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = u.value
                if v < 0x20 || v == 0x7F { out += " " } else if v == 0xFFFE || v == 0xFFFF { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
