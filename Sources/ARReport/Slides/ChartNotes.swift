import ChartKit

/// The numbers behind a chart as plain lines for speaker notes: one line per category, each
/// series' value as the chart labels it.
enum ChartNotes {
    static func title(_ chart: any Chart) -> String {
        switch chart {
        case let c as LineChart: return c.text.title
        case let c as BarChart: return c.text.title
        case let c as WaterfallChart: return c.text.title
        case let c as FanChart: return c.text.title
        case let c as ParetoChart: return c.text.title
        case let c as BenfordChart: return c.text.title
        case let c as KPITile: return c.label
        default: return "chart"
        }
    }

    static func lines(_ chart: any Chart) -> [String] {
        func v(_ f: ValueFormat, _ x: Double?) -> String { x.map(f.label) ?? "n/a" }
        switch chart {
        case let c as LineChart:
            var out = c.categories.indices.compactMap { k -> String? in
                let values = c.series.map { s in k < s.values.count ? s.values[k] : nil }
                guard values.contains(where: { $0 != nil }) else { return nil }
                return "\(c.categories[k]): " + zip(c.series, values).map { "\($0.name) \(v(c.format, $1))" }.joined(separator: ", ")
            }
            if let t = c.target { out.append("Target: \(c.format.label(t))") }
            return out
        case let c as BarChart:
            return c.categories.indices.map { k in
                let values = c.series.map { s in k < s.values.count ? s.values[k] : nil }
                var line = "\(c.categories[k]): " + zip(c.series, values).map { "\($0.name) \(v(c.format, $1))" }.joined(separator: ", ")
                if c.mode == .stacked && c.series.count > 1 { line += "; total \(c.format.label(values.reduce(0) { $0 + ($1 ?? 0) }))" }
                return line
            }
        case let c as WaterfallChart:
            return c.steps.map { "\($0.label): \(($0.value < 0 || $0.isTotal) ? "" : "+")\(c.format.label($0.value))" }
        case let c as FanChart:
            let n = c.actuals.count
            return c.actuals.enumerated().compactMap { k, a in a.map { "\(c.categories[k]): actual \(c.format.label($0))" } }
                + c.forecast.enumerated().map { k, f in
                    "\(n + k < c.categories.count ? c.categories[n + k] : "+\(k + 1)"): forecast \(c.format.label(f.value)) (80% \(c.format.label(f.lo80)) to \(c.format.label(f.hi80)); 95% \(c.format.label(f.lo95)) to \(c.format.label(f.hi95)))"
                }
        case let c as ParetoChart:
            let total = c.values.reduce(0, +)
            var running = 0.0
            return c.categories.indices.map { k in
                running += c.values[k]
                return "\(c.categories[k]): \(c.format.label(c.values[k])) (cumulative \(total > 0 ? ValueFormat.percent.label(running / total * 100) : "n/a"))"
            }
        case let c as BenfordChart:
            return c.digits.indices.map { "First digit \(c.digits[$0]): observed \(ValueFormat.percent.label(c.observed[$0] * 100)), expected \(ValueFormat.percent.label(c.expected[$0] * 100))" }
        default:
            return []
        }
    }
}
