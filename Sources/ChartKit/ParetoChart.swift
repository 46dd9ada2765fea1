/// Largest first: bars of each category's value and the cumulative share on a second axis,
/// with the 80% line, so a reader sees how few items carry most of the total.
public struct ParetoChart: Chart {
    public var text: ChartText
    public var categories: [String]
    public var values: [Double]
    public var format: ValueFormat

    public init(_ text: ChartText, categories: [String], values: [Double], format: ValueFormat) {
        // Sorted largest first, ties by name, so the chart never depends on input order.
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : categories[$0] < categories[$1] }
        self.text = text
        self.categories = order.map { categories[$0] }
        self.values = order.map { values[$0] }
        self.format = format
    }

    public func scene(size: Size, measurer m: any TextMeasuring, theme: Theme) -> Scene {
        let bar = theme.color(0), line = theme.color(1)
        var f = Frame(size: size, title: text.title, subtitle: text.subtitle,
                      legend: [LegendEntry("Amount", bar), LegendEntry("Cumulative share", line, .line)],
                      footnote: text.footnote, theme: theme, measurer: m)
        let total = values.reduce(0, +)
        var scale = LinearScale(covering: min(values.min() ?? 0, 0), values.max() ?? 1, range: f.plot.minY...f.plot.maxY)
        let pct = LinearScale(domain: 0...100, range: f.plot.minY...f.plot.maxY, ticks: [0, 20, 40, 60, 80, 100])
        let layout = f.categoryLabelLayout(categories, step: (f.plot.width - 100) / Double(max(values.count, 1)))
        f.reserveAxes(leftLabels: format.axis(scale.ticks), rightLabels: ValueFormat.percent.axis(pct.ticks),
                      xLabelHeight: layout.height)
        scale = LinearScale(covering: min(values.min() ?? 0, 0), values.max() ?? 1, range: f.plot.minY...f.plot.maxY,
                            m: max(4, Int(f.plot.height / 55)))
        let right = LinearScale(domain: 0...100, range: f.plot.minY...f.plot.maxY, ticks: [0, 20, 40, 60, 80, 100])
        f.yAxis(scale, format)
        f.yAxis(right, .percent, right: true, grid: false)
        let band = BandScale(count: values.count, range: f.plot.minX...f.plot.maxX, padding: 0.25)
        var cum = 0.0
        var pts: [Point] = []
        for (k, v) in values.enumerated() {
            f.scene.rect(Rect.corners(band.start(k), scale(0), band.start(k) + band.bandwidth, scale(v)), fill: bar)
            cum += v
            pts.append(Point(band.center(k), right(total == 0 ? 0 : cum / total * 100)))
        }
        let y80 = right(80)
        f.scene.line(Point(f.plot.minX, y80), Point(f.plot.maxX, y80), Scene.Stroke(theme.target, width: 1, dash: [4, 3]))
        f.scene.polyline(pts, Scene.Stroke(line, width: 2))
        for p in pts where values.count <= 40 { f.scene.circle(p, 2.4, fill: .white, stroke: Scene.Stroke(line, width: 1.5)) }
        f.xCategoryLabels(categories, centers: values.indices.map(band.center), step: band.step, rotated: layout.rotated)
        return f.scene
    }
}
