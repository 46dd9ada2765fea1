/// Benford's law: observed digit frequencies as bars against the expected curve, with the
/// bounds outside which a digit stands out.
public struct BenfordChart: Chart {
    public var text: ChartText
    public var digits: [String]
    public var observed: [Double]
    public var expected: [Double]
    public var lower: [Double]?
    public var upper: [Double]?

    public init(_ text: ChartText, digits: [String], observed: [Double], expected: [Double], lower: [Double]? = nil,
                upper: [Double]? = nil) {
        self.text = text; self.digits = digits; self.observed = observed; self.expected = expected
        self.lower = lower; self.upper = upper
    }

    public func scene(size: Size, measurer m: any TextMeasuring, theme: Theme) -> Scene {
        let bar = theme.color(4), exp = theme.color(5)
        var legend = [LegendEntry("Observed", bar), LegendEntry("Benford", exp, .line)]
        if lower != nil { legend.append(LegendEntry("Bounds", theme.target, .dashed)) }
        var f = Frame(size: size, title: text.title, subtitle: text.subtitle, legend: legend, footnote: text.footnote,
                      theme: theme, measurer: m)
        let hi = (observed + expected + (upper ?? [])).max() ?? 0.3
        var scale = LinearScale(covering: 0, hi * 100, range: f.plot.minY...f.plot.maxY)
        f.reserveAxes(leftLabels: ValueFormat.percent.axis(scale.ticks))
        scale = LinearScale(covering: 0, hi * 100, range: f.plot.minY...f.plot.maxY, m: max(4, Int(f.plot.height / 55)))
        f.yAxis(scale, .percent)
        let band = BandScale(count: digits.count, range: f.plot.minX...f.plot.maxX, padding: digits.count > 20 ? 0.15 : 0.3)
        for (k, v) in observed.enumerated() {
            f.scene.rect(Rect.corners(band.start(k), scale(0), band.start(k) + band.bandwidth, scale(v * 100)), fill: bar)
        }
        if let lower, let upper {
            f.scene.polyline(lower.indices.map { Point(band.center($0), scale(lower[$0] * 100)) }, Scene.Stroke(theme.target, width: 1, dash: [3, 3]))
            f.scene.polyline(upper.indices.map { Point(band.center($0), scale(upper[$0] * 100)) }, Scene.Stroke(theme.target, width: 1, dash: [3, 3]))
        }
        let pts = expected.indices.map { Point(band.center($0), scale(expected[$0] * 100)) }
        f.scene.polyline(pts, Scene.Stroke(exp, width: 2))
        if digits.count <= 20 { for p in pts { f.scene.circle(p, 2.6, fill: exp) } }
        f.xLabels(digits, centers: digits.indices.map(band.center), step: band.step)
        return f.scene
    }
}
