/// A headline number for the executive summary: the value, its change since the last period
/// (green when it moved the good way), the target status, and a sparkline of the trend.
public struct KPITile: Chart {
    public var label: String
    public var value: Double?
    public var previous: Double?
    public var history: [Double?]
    public var format: ValueFormat
    /// Which way is good: -1 lower, +1 higher, 0 neither.
    public var betterDirection: Int
    public var target: Double?

    public init(label: String, value: Double?, previous: Double?, history: [Double?], format: ValueFormat,
                betterDirection: Int, target: Double? = nil) {
        self.label = label; self.value = value; self.previous = previous; self.history = history; self.format = format
        self.betterDirection = betterDirection; self.target = target
    }

    public func scene(size: Size, measurer m: any TextMeasuring, theme: Theme) -> Scene {
        var s = Scene(size: size)
        let p = 12.0
        s.rect(Rect(x: 0.5, y: 0.5, width: size.width - 1, height: size.height - 1), fill: .white, stroke: Scene.Stroke(theme.grid, width: 1))
        let w = size.width - 2 * p
        var y = p + m.ascent(theme.label)
        s.text(m.fit(label.uppercased(), theme.label, w), Point(p, y), theme.label, theme.muted)
        let big = Font(size: min(28, size.height * 0.22), bold: true)
        y += m.descent(theme.label) + 4 + m.ascent(big)
        s.text(m.fit(value.map(format.label) ?? "n/a", big, w), Point(p, y), big, theme.text)
        y += m.descent(big) + 4
        if let v = value, let pv = previous {
            let d = v - pv
            let good = betterDirection == 0 ? nil : (d == 0 ? nil : (d < 0) == (betterDirection < 0))
            let arrow = d > 0 ? "▲" : d < 0 ? "▼" : "■"
            let change: String
            switch format {
            case .percent: change = ValueFormat.trim(abs(d), maxDecimals: 1) + " pts"
            default: change = format.short(abs(d))
            }
            let color = good == nil ? theme.muted : (good! ? theme.good : theme.bad)
            y += m.ascent(theme.subtitle)
            s.text("\(arrow) \(change) vs last month", Point(p, y), theme.subtitle, color)
            y += m.descent(theme.subtitle) + 2
        }
        if let t = target, let v = value {
            let met = betterDirection < 0 ? v <= t : v >= t
            y += m.ascent(theme.small)
            s.text("target \(format.short(t)) · \(met ? "on target" : "off target")", Point(p, y), theme.small, met ? theme.good : theme.bad)
            y += m.descent(theme.small)
        }
        // Sparkline along the bottom.
        let vals = history.compactMap { $0 }
        if vals.count > 1 {
            let top = max(y + 6, size.height - p - 28), bottom = size.height - p
            let lo = vals.min()!, hi = vals.max()!
            let xs = LinearScale(domain: 0...Double(max(history.count - 1, 1)), range: p...(size.width - p), inverted: false)
            let ys = LinearScale(domain: lo...(hi == lo ? lo + 1 : hi), range: top...bottom)
            var pts: [Point] = []
            for (k, v) in history.enumerated() { if let v { pts.append(Point(xs(Double(k)), ys(v))) } }
            s.polyline(pts, Scene.Stroke(theme.color(0), width: 1.5))
            if let last = pts.last { s.circle(last, 2.5, fill: theme.color(0)) }
        }
        return s
    }
}

/// Just the trend line of a tile, for pages that set the number and text themselves.
public struct Sparkline: Chart {
    public var values: [Double?]
    public init(_ values: [Double?]) { self.values = values }

    public func scene(size: Size, measurer: any TextMeasuring, theme: Theme) -> Scene {
        var s = Scene(size: size)
        let vals = values.compactMap { $0 }
        guard vals.count > 1 else { return s }
        let lo = vals.min()!, hi = vals.max()!
        let xs = LinearScale(domain: 0...Double(max(values.count - 1, 1)), range: 3...(size.width - 3), inverted: false)
        let ys = LinearScale(domain: lo...(hi == lo ? lo + 1 : hi), range: 3...(size.height - 3))
        var pts: [Point] = []
        for (k, v) in values.enumerated() { if let v { pts.append(Point(xs(Double(k)), ys(v))) } }
        s.polyline(pts, Scene.Stroke(theme.color(0), width: 1.5))
        if let last = pts.last { s.circle(last, 2.5, fill: theme.color(0)) }
        return s
    }
}
