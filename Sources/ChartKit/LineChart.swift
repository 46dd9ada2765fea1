/// Trends over months: lines with markers, an optional dashed target line, and the last value
/// of each series labelled at its end.
public struct LineChart: Chart {
    public var text: ChartText
    public var categories: [String]
    public var series: [Series]
    public var format: ValueFormat
    public var target: Double?
    public var includeZero = true
    public var markers = true

    public init(_ text: ChartText, categories: [String], series: [Series], format: ValueFormat, target: Double? = nil,
                includeZero: Bool = true) {
        self.text = text; self.categories = categories; self.series = series; self.format = format
        self.target = target; self.includeZero = includeZero
    }

    public func scene(size: Size, measurer m: any TextMeasuring, theme: Theme) -> Scene {
        let colors = series.indices.map { series[$0].color ?? theme.color($0) }
        var legend = series.count > 1 ? series.indices.map { LegendEntry(series[$0].name, colors[$0], .line) } : []
        if target != nil { legend.append(LegendEntry("Target", theme.target, .dashed)) }
        var f = Frame(size: size, title: text.title, subtitle: text.subtitle, legend: legend, footnote: text.footnote,
                      theme: theme, measurer: m)
        let values = series.flatMap { $0.values.compactMap { $0 } } + (target.map { [$0] } ?? [])
        let lo = values.min() ?? 0, hi = values.max() ?? 1
        // End labels: the last value of each series.
        let ends: [(Int, Int, Double)] = series.indices.compactMap { s in
            guard let k = series[s].values.lastIndex(where: { $0 != nil }) else { return nil }
            return (s, k, series[s].values[k]!)
        }
        let endTexts = ends.map { format.label($0.2) }
        // Room right of the plot for the end labels (the last point sits half a band inside).
        let endWidth = max(0, (endTexts.map { m.width($0, theme.valueLabel) }.max() ?? 0) + 12
                              - (size.width - 2 * theme.padding) / Double(max(categories.count, 1)) / 2)
        // Provisional scale for the y labels' width, then the final one on the real plot.
        var scale = LinearScale(covering: lo, hi, range: f.plot.minY...f.plot.maxY, includeZero: includeZero)
        f.reserveAxes(leftLabels: format.axis(scale.ticks), rightExtra: endWidth)
        scale = LinearScale(covering: lo, hi, range: f.plot.minY...f.plot.maxY,
                            m: max(4, Int(f.plot.height / 55)), includeZero: includeZero)
        f.yAxis(scale, format)
        let band = BandScale(count: categories.count, range: f.plot.minX...f.plot.maxX, padding: 0)
        f.xLabels(categories, centers: categories.indices.map(band.center), step: band.step)
        if let target {
            let y = scale(target)
            f.scene.line(Point(f.plot.minX, y), Point(f.plot.maxX, y), Scene.Stroke(theme.target, width: 1.2, dash: [5, 4]))
            let label = "target " + format.short(target)
            let lines = series.map { ser in ser.values.enumerated().map { k, v in v.map { Point(band.center(k), scale($0)) } } }
            let at = Self.clearSpot(width: m.width(label, theme.small), height: m.lineHeight(theme.small), lineY: y,
                                    from: f.plot.minX + 4, to: f.plot.maxX, step: max(band.step / 2, 8), avoiding: lines)
            f.scene.text(label, at, theme.small, theme.target)
        }
        for (s, ser) in series.enumerated() {
            // Runs of consecutive values; a nil breaks the line.
            var run: [Point] = []
            func flush() {
                if run.count > 1 { f.scene.polyline(run, Scene.Stroke(colors[s], width: 2)) }
                run = []
            }
            for (k, v) in ser.values.enumerated() {
                guard let v, k < categories.count else { flush(); continue }
                run.append(Point(band.center(k), scale(v)))
            }
            flush()
            if markers && categories.count <= 40 {
                for (k, v) in ser.values.enumerated() where v != nil && k < categories.count {
                    f.scene.circle(Point(band.center(k), scale(v!)), 2.6, fill: .white, stroke: Scene.Stroke(colors[s], width: 1.5))
                }
            }
        }
        let ys = f.spread(ends.map { scale($0.2) }, gap: m.lineHeight(theme.valueLabel))
        for (i, e) in ends.enumerated() {
            f.scene.text(endTexts[i], Point(band.center(e.1) + 8, ys[i]), theme.valueLabel, colors[e.0], baseline: .middle)
        }
        return f.scene
    }

    /// Where the target's label goes: the leftmost spot just above (else just below) the target
    /// line where no series line or marker crosses the label's box; the left end above when
    /// there is none. `lines` are the series' points (nil breaks a line); the result is the
    /// label's baseline start.
    static func clearSpot(width w: Double, height h: Double, lineY y: Double, from x0: Double, to x1: Double, step: Double,
                          avoiding lines: [[Point?]]) -> Point {
        func clear(_ left: Double, _ top: Double, _ bottom: Double) -> Bool {
            let right = left + w, pad = 3.0
            for pts in lines {
                for k in pts.indices {
                    guard let a = pts[k] else { continue }
                    // A marker (radius ~3) at a point.
                    if a.x >= left - pad && a.x <= right + pad && a.y >= top - pad && a.y <= bottom + pad { return false }
                    guard k + 1 < pts.count, let b = pts[k + 1] else { continue }
                    // The segment's part over [left - pad, right + pad]: its y range there.
                    let lo = max(min(a.x, b.x), left - pad), hi = min(max(a.x, b.x), right + pad)
                    guard lo <= hi, b.x != a.x else { continue }
                    let ya = a.y + (b.y - a.y) * (lo - a.x) / (b.x - a.x)
                    let yb = a.y + (b.y - a.y) * (hi - a.x) / (b.x - a.x)
                    if max(ya, yb) >= top - pad && min(ya, yb) <= bottom + pad { return false }
                }
            }
            return true
        }
        var left = x0
        while left + w <= x1 {
            if clear(left, y - 4 - h, y - 2) { return Point(left, y - 4) }
            if clear(left, y + 2, y + 4 + h) { return Point(left, y + 4 + h * 0.8) }
            left += step
        }
        return Point(x0, y - 4)
    }
}
