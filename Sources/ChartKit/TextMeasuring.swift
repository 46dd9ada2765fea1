/// Text extents, so layout can place text before it is drawn: right-aligned tick labels,
/// centred titles, legends that never overlap. Cairo measures for real; tests use the
/// deterministic approximation below.
public protocol TextMeasuring: Sendable {
    func width(_ text: String, _ font: Font) -> Double
}

extension TextMeasuring {
    /// Ascent above the baseline (DejaVu Sans: about 0.76 em).
    public func ascent(_ font: Font) -> Double { font.size * 0.76 }
    /// Descent below the baseline (about 0.24 em).
    public func descent(_ font: Font) -> Double { font.size * 0.24 }
    public func lineHeight(_ font: Font) -> Double { font.size * 1.2 }

    /// `text` cut with an ellipsis to fit `maxWidth`.
    public func fit(_ text: String, _ font: Font, _ maxWidth: Double) -> String {
        if width(text, font) <= maxWidth { return text }
        var chars = Array(text)
        while !chars.isEmpty && width(String(chars) + "…", font) > maxWidth { chars.removeLast() }
        return chars.isEmpty ? "" : String(chars).trimmingTrailingSpaces + "…"
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}

/// Advance widths close to DejaVu Sans (em fractions by character class). Deterministic and
/// Cairo-free: used for layout tests and golden scenes.
public struct ApproximateTextMeasurer: TextMeasuring {
    public init() {}

    public func width(_ text: String, _ font: Font) -> Double {
        var w = 0.0
        for ch in text.unicodeScalars {
            let v = ch.value
            let em: Double
            switch v {
            case 0x20: em = 0.318
            case 0x30...0x39: em = 0.636
            case 0x2C, 0x2E, 0x3A, 0x3B: em = 0.318
            case 0x69, 0x6A, 0x6C: em = 0.278
            case 0x66, 0x74, 0x72: em = 0.392
            case 0x6D, 0x77: em = 0.94
            case 0x41...0x5A: em = 0.70
            case 0x61...0x7A: em = 0.60
            case 0x25: em = 0.95
            case 0x24, 0x2B, 0x3D: em = 0.636
            case 0x2D: em = 0.361
            default: em = 0.62
            }
            w += em * font.size * (font.bold ? 1.08 : 1)
        }
        return w
    }
}
