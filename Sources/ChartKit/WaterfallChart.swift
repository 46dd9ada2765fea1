/// A roll-forward as bars: totals from zero, each movement floating from the running total,
/// increases and decreases in their own colours, connectors between them.
public struct WaterfallChart: Chart {
    public struct Step: Sendable {
        public var label: String
        public var value: Double
        /// A total (drawn from zero to `value`) rather than a movement.
        public var isTotal: Bool
        public init(_ label: String, _ value: Double, isTotal: Bool = false) { self.label = label; self.value = value; self.isTotal = isTotal }
    }

    public var text: ChartText
    public var steps: [Step]
    public var format: ValueFormat

    public init(_ text: ChartText, steps: [Step], format: ValueFormat) { self.text = text; self.steps = steps; self.format = format }

    public func scene(size: Size, measurer m: any TextMeasuring, theme: Theme) -> Scene {
        let up = theme.color(1), down = theme.color(0), total = Color(hex: 0x52606D)
        var f = Frame(size: size, title: text.title, subtitle: text.subtitle,
                      legend: [LegendEntry("Increase", up), LegendEntry("Decrease", down), LegendEntry("Balance", total)],
                      footnote: text.footnote, theme: theme, measurer: m)
        var running = 0.0
        var spans: [(Double, Double)] = []
        for s in steps {
            if s.isTotal { spans.append((0, s.value)); running = s.value } else {
                spans.append((running, running + s.value)); running += s.value
            }
        }
        let lo = spans.map { min($0.0, $0.1) }.min() ?? 0, hi = spans.map { max($0.0, $0.1) }.max() ?? 1
        var scale = LinearScale(covering: lo, hi, range: f.plot.minY...f.plot.maxY)
        f.reserveAxes(leftLabels: format.axis(scale.ticks), xLabelHeight: m.lineHeight(theme.label) * 2 + 8)
        f.plot = Rect(x: f.plot.x, y: f.plot.y + 14, width: f.plot.width, height: f.plot.height - 14)
        scale = LinearScale(covering: lo, hi, range: f.plot.minY...f.plot.maxY, m: max(4, Int(f.plot.height / 55)))
        f.yAxis(scale, format)
        let band = BandScale(count: steps.count, range: f.plot.minX...f.plot.maxX, padding: 0.35)
        for (k, s) in steps.enumerated() {
            let (a, b) = spans[k]
            let color = s.isTotal ? total : (s.value >= 0 ? up : down)
            f.scene.rect(Rect.corners(band.start(k), scale(a), band.start(k) + band.bandwidth, scale(b)), fill: color)
            if k + 1 < steps.count {
                let level = scale(b)
                f.scene.line(Point(band.start(k) + band.bandwidth, level), Point(band.start(k + 1), level),
                             Scene.Stroke(theme.axis, width: 1, dash: [2, 2]))
            }
            let label = (s.isTotal || s.value < 0 ? "" : "+") + format.short(s.value)
            let y = min(scale(a), scale(b)) - 4
            f.scene.text(label, Point(band.center(k), y), theme.small, theme.text, anchor: .middle)
        }
        // Step names under the bars, on up to two lines.
        let lineH = m.lineHeight(theme.label)
        for (k, s) in steps.enumerated() {
            let lines = Frame.wrap(s.label, theme.label, band.step - 4, m, maxLines: 2)
            for (i, line) in lines.enumerated() {
                f.scene.text(line, Point(band.center(k), f.plot.maxY + 6 + m.ascent(theme.label) + Double(i) * lineH),
                             theme.label, theme.muted, anchor: .middle)
            }
        }
        f.scene.line(Point(f.plot.minX, f.plot.maxY), Point(f.plot.maxX, f.plot.maxY), Scene.Stroke(theme.axis, width: 1))
        return f.scene
    }
}
