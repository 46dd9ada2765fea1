/// Rows by columns (customers by months) shaded by value, with the colour scale as a legend.
public struct Heatmap: Chart {
    public var text: ChartText
    public var rows: [String]
    public var columns: [String]
    /// values[row][column]; nil is no data.
    public var values: [[Double?]]
    public var format: ValueFormat

    public init(_ text: ChartText, rows: [String], columns: [String], values: [[Double?]], format: ValueFormat) {
        self.text = text; self.rows = rows; self.columns = columns; self.values = values; self.format = format
    }

    public func scene(size: Size, measurer m: any TextMeasuring, theme: Theme) -> Scene {
        var f = Frame(size: size, title: text.title, subtitle: text.subtitle, legend: [], footnote: text.footnote,
                      theme: theme, measurer: m)
        let all = values.flatMap { $0.compactMap { $0 } }
        let lo = all.min() ?? 0, hi = all.max() ?? 1
        let legendHeight = 34.0
        let labelFont = theme.label
        let rowLabelWidth = min((rows.map { m.width($0, labelFont) }.max() ?? 0) + 8, f.plot.width * 0.3)
        f.plot = Rect(x: f.plot.x + rowLabelWidth, y: f.plot.y, width: f.plot.width - rowLabelWidth,
                      height: f.plot.height - legendHeight - m.lineHeight(labelFont) - 6)
        let colBand = BandScale(count: columns.count, range: f.plot.minX...f.plot.maxX, padding: 0)
        let rowBand = BandScale(count: rows.count, range: f.plot.minY...f.plot.maxY, padding: 0)
        for (r, row) in values.enumerated() where r < rows.count {
            for (c, v) in row.enumerated() where c < columns.count {
                let rect = Rect(x: colBand.start(c), y: rowBand.start(r), width: colBand.step - 1, height: rowBand.step - 1)
                if let v {
                    f.scene.rect(rect, fill: theme.sequential(hi == lo ? 0.5 : (v - lo) / (hi - lo)))
                } else {
                    f.scene.rect(rect, fill: Color(hex: 0xF5F7FA), stroke: Scene.Stroke(theme.grid, width: 0.5))
                }
            }
        }
        // Row labels, thinned when rows are too short for text.
        let rowStep = rowBand.step
        let every = max(1, Int((m.lineHeight(labelFont) / max(rowStep, 0.1)).rounded(.up)))
        for (r, name) in rows.enumerated() where r % every == 0 {
            f.scene.text(m.fit(name, labelFont, rowLabelWidth - 8), Point(f.plot.minX - 6, rowBand.center(r)), labelFont,
                         theme.muted, anchor: .end, baseline: .middle)
        }
        f.xLabels(columns, centers: columns.indices.map(colBand.center), step: colBand.step)
        // The colour scale: a gradient of steps with its ends labelled.
        let ly = f.plot.maxY + m.lineHeight(labelFont) + 14
        let lw = min(240.0, f.plot.width)
        let steps = 24
        for i in 0..<steps {
            let x = f.plot.minX + lw * Double(i) / Double(steps)
            f.scene.rect(Rect(x: x, y: ly, width: lw / Double(steps) + 0.5, height: 10), fill: theme.sequential(Double(i) / Double(steps - 1)))
        }
        f.scene.text(format.short(lo), Point(f.plot.minX, ly + 12 + m.ascent(theme.small)), theme.small, theme.muted)
        f.scene.text(format.short(hi), Point(f.plot.minX + lw, ly + 12 + m.ascent(theme.small)), theme.small, theme.muted, anchor: .end)
        return f.scene
    }
}
