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
            f.scene.text("target " + format.short(target), Point(f.plot.minX + 4, y - 4), theme.small, theme.target)
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
}
