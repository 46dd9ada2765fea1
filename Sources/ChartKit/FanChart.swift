/// Actuals, then a forecast with its 80% and 95% intervals as nested bands.
public struct FanChart: Chart {
    public struct Forecast: Sendable {
        public var value: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double
        public init(value: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double) {
            self.value = value; self.lo80 = lo80; self.hi80 = hi80; self.lo95 = lo95; self.hi95 = hi95
        }
    }

    public var text: ChartText
    /// Labels of the actual periods, then of the forecast periods.
    public var categories: [String]
    public var actuals: [Double?]
    public var forecast: [Forecast]
    public var format: ValueFormat

    public init(_ text: ChartText, categories: [String], actuals: [Double?], forecast: [Forecast], format: ValueFormat) {
        self.text = text; self.categories = categories; self.actuals = actuals; self.forecast = forecast; self.format = format
    }

    public func scene(size: Size, measurer m: any TextMeasuring, theme: Theme) -> Scene {
        let c = theme.color(0), fc = theme.color(1)
        var f = Frame(size: size, title: text.title, subtitle: text.subtitle,
                      legend: [LegendEntry("Actual", c, .line), LegendEntry("Forecast", fc, .dashed),
                               LegendEntry("80% interval", fc.withAlpha(0.35), .band), LegendEntry("95% interval", fc.withAlpha(0.18), .band)],
                      footnote: text.footnote, theme: theme, measurer: m)
        let all = actuals.compactMap { $0 } + forecast.flatMap { [$0.lo95, $0.hi95, $0.value] }
        var scale = LinearScale(covering: all.min() ?? 0, all.max() ?? 1, range: f.plot.minY...f.plot.maxY)
        f.reserveAxes(leftLabels: format.axis(scale.ticks))
        scale = LinearScale(covering: all.min() ?? 0, all.max() ?? 1, range: f.plot.minY...f.plot.maxY, m: max(4, Int(f.plot.height / 55)))
        f.yAxis(scale, format)
        let n = actuals.count + forecast.count
        let band = BandScale(count: n, range: f.plot.minX...f.plot.maxX, padding: 0)
        let start = actuals.count
        // The forecast joins the last actual so the fan opens from it.
        let anchor = actuals.last.flatMap { $0 }
        func xs(_ k: Int) -> Double { band.center(start + k) }
        if !forecast.isEmpty {
            var lo95 = forecast.indices.map { Point(xs($0), scale(forecast[$0].lo95)) }
            var hi95 = forecast.indices.map { Point(xs($0), scale(forecast[$0].hi95)) }
            var lo80 = forecast.indices.map { Point(xs($0), scale(forecast[$0].lo80)) }
            var hi80 = forecast.indices.map { Point(xs($0), scale(forecast[$0].hi80)) }
            if let a = anchor, start > 0 {
                let p = Point(band.center(start - 1), scale(a))
                lo95.insert(p, at: 0); hi95.insert(p, at: 0); lo80.insert(p, at: 0); hi80.insert(p, at: 0)
            }
            f.scene.polygon(hi95 + lo95.reversed(), fill: fc.withAlpha(0.18))
            f.scene.polygon(hi80 + lo80.reversed(), fill: fc.withAlpha(0.35))
            var mid = forecast.indices.map { Point(xs($0), scale(forecast[$0].value)) }
            if let a = anchor, start > 0 { mid.insert(Point(band.center(start - 1), scale(a)), at: 0) }
            f.scene.polyline(mid, Scene.Stroke(fc, width: 2, dash: [5, 3]))
            if start > 0 {
                let x = (band.center(start - 1) + band.center(start)) / 2
                f.scene.line(Point(x, f.plot.minY), Point(x, f.plot.maxY), Scene.Stroke(theme.axis, width: 1, dash: [2, 3]))
                f.scene.text("forecast", Point(x + 4, f.plot.minY + m.ascent(theme.small)), theme.small, theme.muted)
            }
        }
        var run: [Point] = []
        for (k, v) in actuals.enumerated() {
            if let v { run.append(Point(band.center(k), scale(v))) } else {
                f.scene.polyline(run, Scene.Stroke(c, width: 2)); run = []
            }
        }
        f.scene.polyline(run, Scene.Stroke(c, width: 2))
        for (k, v) in actuals.enumerated() where v != nil && n <= 40 {
            f.scene.circle(Point(band.center(k), scale(v!)), 2.4, fill: .white, stroke: Scene.Stroke(c, width: 1.5))
        }
        f.xLabels(categories, centers: (0..<min(n, categories.count)).map(band.center), step: band.step)
        return f.scene
    }
}
