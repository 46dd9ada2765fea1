import Foundation

/// A linear map from a data domain to pixels, with its ticks.
public struct LinearScale: Sendable {
    public var domain: ClosedRange<Double>
    public var range: ClosedRange<Double>
    /// Pixel increases as value decreases (y axes).
    public var inverted: Bool
    public var ticks: [Double]

    /// A scale whose domain is widened to nice ticks covering `lo...hi`, about `m` ticks.
    public init(covering lo: Double, _ hi: Double, range: ClosedRange<Double>, inverted: Bool = true, m: Int = 5,
                includeZero: Bool = true) {
        var a = lo, b = hi
        if includeZero { a = min(a, 0); b = max(b, 0) }
        if !(a.isFinite && b.isFinite) { a = 0; b = 1 }
        if a == b { if a == 0 { b = 1 } else if a > 0 { a = 0 } else { b = 0 } }
        let t = Ticks.extended(a, b, m: max(2, m), loose: true)
        ticks = t
        domain = (t.first ?? a)...(t.last ?? b)
        self.range = range
        self.inverted = inverted
    }

    public init(domain: ClosedRange<Double>, range: ClosedRange<Double>, inverted: Bool = true, ticks: [Double] = []) {
        self.domain = domain; self.range = range; self.inverted = inverted; self.ticks = ticks
    }

    public func callAsFunction(_ v: Double) -> Double {
        let span = domain.upperBound - domain.lowerBound
        let t = span == 0 ? 0.5 : (v - domain.lowerBound) / span
        return inverted ? range.upperBound - t * (range.upperBound - range.lowerBound)
                        : range.lowerBound + t * (range.upperBound - range.lowerBound)
    }
}

/// Categories placed in equal bands with padding between them.
public struct BandScale: Sendable {
    public let count: Int
    public let range: ClosedRange<Double>
    public let padding: Double

    public init(count: Int, range: ClosedRange<Double>, padding: Double = 0.2) {
        self.count = max(count, 1); self.range = range; self.padding = padding
    }

    public var step: Double { (range.upperBound - range.lowerBound) / Double(count) }
    public var bandwidth: Double { step * (1 - padding) }
    public func start(_ i: Int) -> Double { range.lowerBound + step * Double(i) + step * padding / 2 }
    public func center(_ i: Int) -> Double { range.lowerBound + step * (Double(i) + 0.5) }
}

/// Which of `count` labels to show so that they do not collide: every k-th, counted from the
/// last (the most recent month is always labelled).
public func thinnedLabels(count: Int, labelWidth: Double, step: Double, gap: Double = 8) -> Set<Int> {
    guard count > 0 else { return [] }
    var k = 1
    while Double(k) * step < labelWidth + gap && k < count { k += 1 }
    // Prefer calendar-friendly strides for months.
    for nice in [1, 2, 3, 4, 6, 12, 24] where nice >= k { k = nice; break }
    var out = Set<Int>()
    var i = count - 1
    while i >= 0 { out.insert(i); i -= k }
    return out
}
