import CCairo
import ChartKit
import Foundation

/// A cairo drawing context owned by this object, destroyed in deinit.
final class CairoContext {
    let cr: OpaquePointer

    init(_ surface: OpaquePointer) throws(CairoError) {
        cr = cairo_create(surface)!
        let status = cairo_status(cr)
        if status != CAIRO_STATUS_SUCCESS {
            cairo_destroy(cr)
            throw CairoError(status, "creating a drawing context")
        }
    }

    deinit { cairo_destroy(cr) }

    func check(_ what: String) throws(CairoError) { try CairoError.check(cairo_status(cr), what) }

    func setFont(_ f: Font) {
        cairo_select_font_face(cr, Font.family, CAIRO_FONT_SLANT_NORMAL, f.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(cr, f.size)
    }

    func textWidth(_ s: String, _ f: Font) -> Double {
        setFont(f)
        var e = cairo_text_extents_t()
        cairo_text_extents(cr, CairoContext.drawable(s), &e)
        return e.x_advance
    }

    /// Text cairo accepts: it refuses a whole string holding a Unicode noncharacter (U+FFFE,
    /// U+FFFF, U+FDD0…U+FDEF and their kin in every plane), so those become U+FFFD, and
    /// control characters become spaces. Any name a ledger holds can be drawn.
    static func drawable(_ s: String) -> String {
        func bad(_ u: Unicode.Scalar) -> Bool {
            let v = u.value
            return (0xFDD0...0xFDEF).contains(v) || (v & 0xFFFE) == 0xFFFE
        }
        guard s.unicodeScalars.contains(where: { bad($0) || $0.value < 0x20 || $0.value == 0x7F }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if bad(u) { out.append("\u{FFFD}") } else if u.value < 0x20 || u.value == 0x7F { out.append(" ") } else { out.append(u) }
        }
        return String(out)
    }

    func setColor(_ c: Color) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a) }

    func apply(_ s: Scene.Stroke) {
        setColor(s.color)
        cairo_set_line_width(cr, s.width)
        if s.dash.isEmpty { cairo_set_dash(cr, nil, 0, 0) } else {
            s.dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32(s.dash.count), 0) }
        }
    }

    func fillAndStroke(_ fill: Color?, _ stroke: Scene.Stroke?) {
        if let fill {
            setColor(fill)
            if stroke != nil { cairo_fill_preserve(cr) } else { cairo_fill(cr) }
        }
        if let stroke {
            apply(stroke)
            cairo_stroke(cr)
        }
        cairo_new_path(cr)
    }

    /// Draws every item of `scene` (in scene units; scale the context first for HiDPI).
    func draw(_ scene: Scene) throws(CairoError) {
        setColor(scene.background)
        cairo_paint(cr)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
        for item in scene.items {
            switch item {
            case .rect(let r, let fill, let stroke):
                cairo_rectangle(cr, r.x, r.y, r.width, r.height)
                fillAndStroke(fill, stroke)
            case .path(let ops, let fill, let stroke):
                for op in ops {
                    switch op {
                    case .move(let p): cairo_move_to(cr, p.x, p.y)
                    case .line(let p): cairo_line_to(cr, p.x, p.y)
                    case .close: cairo_close_path(cr)
                    }
                }
                fillAndStroke(fill, stroke)
            case .circle(let c, let radius, let fill, let stroke):
                cairo_new_sub_path(cr)
                cairo_arc(cr, c.x, c.y, radius, 0, 2 * .pi)
                fillAndStroke(fill, stroke)
            case .text(let text, let p, let f, let color, let anchor, let baseline, let angle):
                let s = CairoContext.drawable(text)
                setFont(f)
                setColor(color)
                var e = cairo_text_extents_t()
                cairo_text_extents(cr, s, &e)
                var fe = cairo_font_extents_t()
                cairo_font_extents(cr, &fe)
                let dx: Double = anchor == .start ? 0 : anchor == .middle ? -e.x_advance / 2 : -e.x_advance
                let dy: Double = baseline == .alphabetic ? 0 : baseline == .middle ? (fe.ascent - fe.descent) / 2 : fe.ascent
                cairo_save(cr)
                cairo_translate(cr, p.x, p.y)
                if angle != 0 { cairo_rotate(cr, angle * .pi / 180) }
                cairo_move_to(cr, dx, dy)
                cairo_show_text(cr, s)
                cairo_new_path(cr)
                cairo_restore(cr)
            }
        }
        try check("drawing")
    }
}

/// Text measured by cairo with the font that will draw it. Each instance owns a scratch
/// surface; instances are not shared between threads.
public final class CairoTextMeasurer: TextMeasuring, @unchecked Sendable {
    private let surface: OpaquePointer
    private let context: CairoContext
    private let lock = NSLock()

    public init() throws(CairoError) {
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)!
        try CairoError.check(cairo_surface_status(surface), "creating a measuring surface")
        context = try CairoContext(surface)
    }

    deinit { cairo_surface_destroy(surface) }

    public func width(_ text: String, _ font: Font) -> Double {
        lock.lock()
        defer { lock.unlock() }
        return context.textWidth(text, font)
    }
}
