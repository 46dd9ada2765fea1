/// Bars per category: stacked (aging buckets over month-ends) or grouped side by side.
public struct BarChart: Chart {
    public enum Mode: Sendable { case stacked, grouped }
    public var text: ChartText
    public var categories: [String]
    public var series: [Series]
    public var format: ValueFormat
    public var mode: Mode
    /// Label each stack with its total.
    public var totals = false
    /// Categories are names (customers), not months: every one is labelled, turned if needed.
    public var namedCategories = false

    public init(_ text: ChartText, categories: [String], series: [Series], format: ValueFormat, mode: Mode = .stacked,
                totals: Bool = false, namedCategories: Bool = false) {
        self.text = text; self.categories = categories; self.series = series; self.format = format; self.mode = mode
        self.totals = totals; self.namedCategories = namedCategories
    }

    public func scene(size: Size, measurer m: any TextMeasuring, theme: Theme) -> Scene {
        let colors = series.indices.map { series[$0].color ?? theme.color($0) }
        let legend = series.count > 1 ? series.indices.map { LegendEntry(series[$0].name, colors[$0]) } : []
        var f = Frame(size: size, title: text.title, subtitle: text.subtitle, legend: legend, footnote: text.footnote,
                      theme: theme, measurer: m)
        let n = categories.count
        func value(_ s: Int, _ k: Int) -> Double { k < series[s].values.count ? (series[s].values[k] ?? 0) : 0 }
        var lo = 0.0, hi = 0.0
        for k in 0..<n {
            if mode == .stacked {
                var pos = 0.0, neg = 0.0
                for s in series.indices { let v = value(s, k); if v >= 0 { pos += v } else { neg += v } }
                hi = max(hi, pos); lo = min(lo, neg)
            } else {
                for s in series.indices { hi = max(hi, value(s, k)); lo = min(lo, value(s, k)) }
            }
        }
        var scale = LinearScale(covering: lo, hi, range: f.plot.minY...f.plot.maxY)
        let layout = f.categoryLabelLayout(categories, step: (f.plot.width - 60) / Double(max(n, 1)))
        f.reserveAxes(leftLabels: format.axis(scale.ticks), xLabelHeight: namedCategories ? layout.height : nil)
        if totals { f.plot = Rect(x: f.plot.x, y: f.plot.y + 14, width: f.plot.width, height: f.plot.height - 14) }
        scale = LinearScale(covering: lo, hi, range: f.plot.minY...f.plot.maxY, m: max(4, Int(f.plot.height / 55)))
        f.yAxis(scale, format)
        let band = BandScale(count: n, range: f.plot.minX...f.plot.maxX, padding: n > 30 ? 0.15 : 0.3)
        for k in 0..<n {
            if mode == .stacked {
                var pos = 0.0, neg = 0.0
                for s in series.indices {
                    let v = value(s, k)
                    if v == 0 { continue }
                    let base = v >= 0 ? pos : neg
                    let top = base + v
                    f.scene.rect(Rect.corners(band.start(k), scale(base), band.start(k) + band.bandwidth, scale(top)), fill: colors[s])
                    if v >= 0 { pos = top } else { neg = top }
                }
                if totals && (pos != 0 || neg != 0) {
                    f.scene.text(format.short(pos + neg), Point(band.center(k), scale(pos) - 4), theme.small, theme.text, anchor: .middle)
                }
            } else {
                let w = band.bandwidth / Double(max(series.count, 1))
                for s in series.indices {
                    let v = value(s, k)
                    let x = band.start(k) + w * Double(s)
                    f.scene.rect(Rect.corners(x, scale(0), x + w * 0.92, scale(v)), fill: colors[s])
                }
            }
        }
        if namedCategories {
            f.xCategoryLabels(categories, centers: (0..<n).map(band.center), step: band.step, rotated: layout.rotated)
        } else {
            f.xLabels(categories, centers: (0..<n).map(band.center), step: band.step)
        }
        return f.scene
    }
}
