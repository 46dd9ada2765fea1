/// The look: one colour-blind-safe palette (Okabe & Ito), one type scale in DejaVu Sans, and
/// the greys of axes and text. Every chart draws with these, so the pack reads as one.
public struct Theme: Sendable {
    /// Okabe-Ito, reordered so the first colours are the most distinct on screen and paper.
    public var palette: [Color] = [
        Color(hex: 0x0072B2),  // blue
        Color(hex: 0xE69F00),  // orange
        Color(hex: 0x009E73),  // bluish green
        Color(hex: 0xCC79A7),  // reddish purple
        Color(hex: 0x56B4E9),  // sky blue
        Color(hex: 0xD55E00),  // vermillion
        Color(hex: 0xF0E442),  // yellow
        Color(hex: 0x000000),
    ]
    public var good = Color(hex: 0x009E73)
    public var bad = Color(hex: 0xD55E00)
    public var text = Color(hex: 0x1F2933)
    public var muted = Color(hex: 0x616E7C)
    public var grid = Color(hex: 0xE4E7EB)
    public var axis = Color(hex: 0x9AA5B1)
    public var target = Color(hex: 0x3E4C59)

    public var title = Font(size: 16, bold: true)
    public var subtitle = Font(size: 11)
    public var label = Font(size: 10)
    public var small = Font(size: 9)
    public var valueLabel = Font(size: 10, bold: true)
    public var padding = 16.0

    public init() {}

    public static let standard = Theme()

    public func color(_ i: Int) -> Color { palette[i % palette.count] }

    /// Sequential scale for heatmaps: near-white to the palette's blue.
    public func sequential(_ t: Double) -> Color {
        let x = min(max(t, 0), 1)
        return Color(hex: 0xF5F9FC).mixed(with: Color(hex: 0x08306B), x)
    }
}
