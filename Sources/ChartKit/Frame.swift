/// A legend entry: a name and how its series is drawn.
public struct LegendEntry: Sendable {
    public enum Style: Sendable { case box, line, dashed, band }
    public var name: String
    public var color: Color
    public var style: Style
    public init(_ name: String, _ color: Color, _ style: Style = .box) { self.name = name; self.color = color; self.style = style }
}

/// The parts every chart shares: the title that states the question, a subtitle for the
/// definition, a legend, a footnote, and the plot area left for the marks. Text is measured
/// before it is placed, so nothing overlaps.
struct Frame {
    var scene: Scene
    let theme: Theme
    let m: any TextMeasuring
    /// What is left for the plot (axes labels are taken from it by the axis helpers).
    var plot: Rect

    init(size: Size, title: String, subtitle: String?, legend: [LegendEntry], footnote: String?,
         theme: Theme, measurer: any TextMeasuring) {
        scene = Scene(size: size)
        self.theme = theme
        m = measurer
        let p = theme.padding
        let width = size.width - 2 * p
        var y = p
        if !title.isEmpty {
            y += m.ascent(theme.title)
            scene.text(m.fit(title, theme.title, width), Point(p, y), theme.title, theme.text)
            y += m.descent(theme.title) + 4
        }
        if let subtitle, !subtitle.isEmpty {
            for line in Frame.wrap(subtitle, theme.subtitle, width, m, maxLines: 2) {
                y += m.ascent(theme.subtitle)
                scene.text(line, Point(p, y), theme.subtitle, theme.muted)
                y += m.descent(theme.subtitle) + 2
            }
        }
        if !legend.isEmpty {
            y += 6
            var x = p
            let f = theme.label
            let rowHeight = m.lineHeight(f) + 2
            for e in legend {
                let w = 18 + m.width(e.name, f)
                if x + w > p + width && x > p { x = p; y += rowHeight }
                let mid = y + rowHeight / 2
                switch e.style {
                case .box: scene.rect(Rect(x: x, y: mid - 5, width: 10, height: 10), fill: e.color)
                case .band: scene.rect(Rect(x: x, y: mid - 5, width: 10, height: 10), fill: e.color)
                case .line: scene.line(Point(x, mid), Point(x + 12, mid), Scene.Stroke(e.color, width: 2))
                case .dashed: scene.line(Point(x, mid), Point(x + 12, mid), Scene.Stroke(e.color, width: 1.5, dash: [4, 3]))
                }
                scene.text(e.name, Point(x + 16, mid), f, theme.text, baseline: .middle)
                x += w + 14
            }
            y += rowHeight
        }
        var bottom = size.height - p
        if let footnote, !footnote.isEmpty {
            scene.text(m.fit(footnote, theme.small, width), Point(p, bottom - m.descent(theme.small)), theme.small, theme.muted)
            bottom -= m.lineHeight(theme.small) + 4
        }
        plot = Rect(x: p, y: y + 10, width: width, height: max(10, bottom - y - 10))
    }

    /// Words wrapped to `width`, at most `maxLines` (the last cut with an ellipsis).
    static func wrap(_ text: String, _ f: Font, _ width: Double, _ m: any TextMeasuring, maxLines: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if m.width(candidate, f) <= width || current.isEmpty { current = candidate } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            let rest = lines[(maxLines - 1)...].joined(separator: " ")
            lines = Array(lines.prefix(maxLines - 1)) + [m.fit(rest, f, width)]
        }
        return lines.map { m.fit($0, f, width) }
    }

    /// Reserves room for y labels on the left (and optionally the right) and x labels below.
    mutating func reserveAxes(leftLabels: [String], rightLabels: [String] = [], xLabelHeight: Double? = nil,
                              rightExtra: Double = 0) {
        let f = theme.label
        let left = (leftLabels.map { m.width($0, f) }.max() ?? 0) + 8
        let right = max(rightExtra, rightLabels.isEmpty ? 0 : (rightLabels.map { m.width($0, f) }.max() ?? 0) + 8)
        let xh = xLabelHeight ?? (m.lineHeight(f) + 6)
        plot = Rect(x: plot.x + left, y: plot.y, width: max(10, plot.width - left - right), height: max(10, plot.height - xh))
    }

    /// Horizontal gridlines and labels for `scale` on the left (or right) of the plot.
    mutating func yAxis(_ scale: LinearScale, _ format: ValueFormat, right: Bool = false, grid: Bool = true) {
        let f = theme.label
        let labels = format.axis(scale.ticks)
        // The final ticks may read wider than the provisional ones the room was made for.
        let needed = (labels.map { m.width($0, f) }.max() ?? 0) + 8
        if !right && plot.minX - theme.padding < needed {
            let shift = needed - (plot.minX - theme.padding)
            plot = Rect(x: plot.x + shift, y: plot.y, width: plot.width - shift, height: plot.height)
        }
        for (k, t) in scale.ticks.enumerated() {
            let y = scale(t)
            if grid && !right {
                scene.line(Point(plot.minX, y), Point(plot.maxX, y),
                           Scene.Stroke(t == 0 ? theme.axis : theme.grid, width: t == 0 ? 1 : 0.8))
            }
            let label = labels[k]
            if right {
                scene.text(label, Point(plot.maxX + 6, y), f, theme.muted, anchor: .start, baseline: .middle)
            } else {
                scene.text(label, Point(plot.minX - 6, y), f, theme.muted, anchor: .end, baseline: .middle)
            }
        }
    }

    /// Category labels centred under their bands, thinned and cut so none collide.
    mutating func xLabels(_ labels: [String], centers: [Double], step: Double) {
        let f = theme.label
        guard !labels.isEmpty else { return }
        let widest = labels.map { m.width($0, f) }.max() ?? 0
        let maxWidth = max(step * 3, 40)
        let shown = thinnedLabels(count: labels.count, labelWidth: min(widest, maxWidth), step: step)
        let y = plot.maxY + 6 + m.ascent(f)
        for (i, label) in labels.enumerated() where shown.contains(i) {
            let room = shown.count == labels.count ? max(step - 4, 12) : maxWidth
            scene.text(m.fit(label, f, room), Point(centers[i], y), f, theme.muted, anchor: .middle)
        }
        scene.line(Point(plot.minX, plot.maxY), Point(plot.maxX, plot.maxY), Scene.Stroke(theme.axis, width: 1))
    }

    /// Category names (customers, not months) must all be readable: horizontal when they fit
    /// their band, else turned 40° and cut at `maxLength`. Returns whether to turn them and the
    /// height they need below the plot.
    func categoryLabelLayout(_ labels: [String], step: Double, maxLength: Double = 130) -> (rotated: Bool, height: Double) {
        let f = theme.label
        let widest = labels.map { m.width($0, f) }.max() ?? 0
        if widest <= step - 4 { return (false, m.lineHeight(f) + 6) }
        let len = min(widest, maxLength)
        return (true, len * 0.643 + m.lineHeight(f) * 0.766 + 8)
    }

    /// Draws category names under their bands (see `categoryLabelLayout`).
    mutating func xCategoryLabels(_ labels: [String], centers: [Double], step: Double, rotated: Bool, maxLength: Double = 130) {
        let f = theme.label
        if !rotated {
            let y = plot.maxY + 6 + m.ascent(f)
            for (i, label) in labels.enumerated() {
                scene.text(m.fit(label, f, step - 4), Point(centers[i], y), f, theme.muted, anchor: .middle)
            }
        } else {
            // Every label when there is room for its line height across the band, else thinned.
            let every = max(1, Int((m.lineHeight(f) / 0.643 / step).rounded(.up)))
            for (i, label) in labels.enumerated() where i % every == 0 {
                // Turned text runs down-left: keep it inside the canvas.
                let room = min(maxLength, (centers[i] + 3 - theme.padding / 2) / 0.766)
                scene.text(m.fit(label, f, room), Point(centers[i] + 3, plot.maxY + 6), f, theme.muted,
                           anchor: .end, baseline: .middle, angle: -40)
            }
        }
        scene.line(Point(plot.minX, plot.maxY), Point(plot.maxX, plot.maxY), Scene.Stroke(theme.axis, width: 1))
    }

    /// Labels stacked at `ys` nudged apart so no two overlap, kept inside the plot.
    func spread(_ ys: [Double], gap: Double) -> [Double] {
        let order = ys.indices.sorted { ys[$0] < ys[$1] }
        var placed = ys
        var last = -Double.infinity
        for i in order {
            placed[i] = max(ys[i], last + gap)
            last = placed[i]
        }
        // If pushed past the bottom, shift everything back up.
        let overflow = (order.last.map { placed[$0] } ?? 0) - plot.maxY
        if overflow > 0 { for i in order { placed[i] -= overflow } }
        return placed
    }
}
