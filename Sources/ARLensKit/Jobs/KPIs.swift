import ARAnalytics
import ARModel
import AROutput
import ARReport
import ChartKit
import Foundation

extension Workspace {
    /// KPI trends by month, quarter, year or over the whole range, overall or by a dimension.
    public func kpis(_ metrics: [KPI], from: YearMonth?, to: YearMonth?, grain: Grain = .month, by: ARAnalytics.Dimension? = nil) throws -> KPIView {
        if let f = from, let t = to, f > t { throw ARLensError.input("--from \(f) is after --to \(t)") }
        if grain.isFine {
            let monthly = metrics.filter { !FineKPIs.metrics.contains($0) }
            if !monthly.isEmpty {
                throw ARLensError.input("\(monthly.map(\.rawValue).joined(separator: ", ")) \(monthly.count == 1 ? "is" : "are") defined per month only (--grain month, quarter, year or all); by \(grain.rawValue): \(FineKPIs.metrics.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let query = KPIQuery(metrics: metrics, from: from, to: to, grain: grain, by: by)
        let result = KPIEngine.run(timeline, configuration: configuration, query: query, autoMatched: prepared.cashApplication?.autoMatched)
        Profile.mark("kpi engine")
        return KPIView(workspace: self, result: result)
    }

    /// One metric's monthly values over a range (default: the twelve months to the ledger's last).
    public func kpiSeries(_ metric: KPI, from: YearMonth? = nil, to: YearMonth? = nil) throws -> KPIResult {
        let (first, last) = try months(from: from, to: to) { $0.advanced(by: -11) }
        return KPIEngine.run(timeline, configuration: configuration, query: KPIQuery(metrics: [metric], from: first, to: last, grain: .month),
                             autoMatched: prepared.cashApplication?.autoMatched)
    }

    /// The chart size WIDTHxHEIGHT in points, between 200x150 and 4000x4000.
    public static func chartSize(_ size: String) throws -> (width: Double, height: Double) {
        let dims = size.split(separator: "x").compactMap { Double($0) }
        guard dims.count == 2, dims[0] >= 200, dims[1] >= 150, dims[0] <= 4000, dims[1] <= 4000 else {
            throw ARLensError.usage("--size takes WIDTHxHEIGHT between 200x150 and 4000x4000")
        }
        return (dims[0], dims[1])
    }

    /// The chart file formats, by extension; anything else is a usage error.
    public static func checkChartFile(_ file: String) throws {
        guard ["png", "pdf", "svg"].contains((file as NSString).pathExtension.lowercased()) else {
            throw ARLensError.usage("--out must end in .png, .pdf or .svg")
        }
    }

    /// One KPI's trend written to `file` (PNG, PDF or SVG by its extension), `size` points
    /// (WIDTHxHEIGHT), with its target line.
    public func writeChart(_ metric: KPI, from: YearMonth?, to: YearMonth?, size: String, canvas: any Canvas, file: String) throws {
        let (w, h) = try Workspace.chartSize(size)
        try AtomicFile.write(try chart(metric, from: from, to: to, width: w, height: h, canvas: canvas, file: file), to: file)
    }

    /// One KPI's trend drawn to PNG, PDF or SVG (by `file`'s extension) with its target line.
    public func chart(_ metric: KPI, from: YearMonth?, to: YearMonth?, width: Double, height: Double, canvas: any Canvas, file: String) throws -> Data {
        try Workspace.checkChartFile(file)
        let ext = (file as NSString).pathExtension.lowercased()
        let chart = TrendCharts.line(metric, try kpiSeries(metric, from: from, to: to), configuration: configuration, base: base)
        let scene = chart.scene(size: Size(width, height), measurer: try canvas.makeMeasurer(), theme: .standard)
        switch ext {
        case "png": return try canvas.png(scene)
        case "pdf": return try canvas.pdf([scene], title: chart.text.title)
        default: return try canvas.svg(scene)
        }
    }

    /// Metric names, comma-separated, as metrics; an unknown name is an input error.
    public static func metrics(_ names: String) throws -> [KPI] {
        switch KPI.parseList(names) {
        case .success(let m): return m
        case .failure(let e): throw ARLensError.input("\(e)")
        }
    }

    /// One metric by name; an unknown name is an input error.
    public static func metric(_ name: String) throws -> KPI {
        guard let m = KPI(rawValue: name.lowercased()) else {
            throw ARLensError.input("unknown metric '\(name)' (arlens kpi --list shows them all)")
        }
        return m
    }
}

public struct KPIView: Rendered {
    let workspace: Workspace
    public let result: KPIResult

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json: return KPIJSON.make(result).printed
        case .csv: return csv
        case .table: return table
        }
    }

    func text(_ v: KPIValue, _ metric: KPI, raw: Bool) -> String {
        switch v {
        case .null: return raw ? "" : "n/a"
        case .money(let m): return workspace.money(m, grouped: !raw)
        case .number(let x):
            if raw { return "\(x)" }
            switch metric.kind {
            case .count: return String(Int(x.rounded()))
            case .percent: return String(format: "%.1f%%", x)
            case .ratio: return String(format: "%.2f", x)
            default: return String(format: "%.1f", x)
            }
        }
    }

    var csv: String {
        var w = CSVWriter(header: ["metric", "period", "group", "value", "target", "status"])
        for r in result.rows {
            w.addRow([.text(r.metric.rawValue), .text(r.period), r.group.map { .text($0) } ?? .empty,
                      r.value == .null ? .empty : .number(text(r.value, r.metric, raw: true)),
                      r.status.map { .number("\($0.target)") } ?? .empty,
                      r.status.map { .text($0.met ? "met" : "missed") } ?? .empty])
        }
        return w.text
    }

    /// One row per period (and group), one column per metric; ✗ marks a missed target.
    var table: String {
        let metrics = result.query.metrics
        let by = result.query.by
        var headers = ["period"]
        if let by { headers.append(by.rawValue) }
        headers += metrics.map(\.rawValue)
        let lead = by == nil ? 1 : 2
        var t = TextTable(headers, align: headers.indices.map { $0 < lead ? .left : .right })
        var cells: [String: [String]] = [:]
        var order: [String] = []
        for r in result.rows {
            let key = r.period + "\u{0}" + (r.group ?? "")
            if cells[key] == nil {
                order.append(key)
                cells[key] = [r.period] + (r.group.map { [$0] } ?? []) + metrics.map { _ in "" }
            }
            let col = lead + metrics.firstIndex(of: r.metric)!
            var s = text(r.value, r.metric, raw: false)
            if let st = r.status, !st.met { s += " ✗" } else if r.status != nil { s += "  " }
            cells[key]![col] = s
        }
        for key in order { t.add(cells[key]!) }
        let configuration = workspace.configuration
        var out = "\(configuration.company.map { $0 + ": " } ?? "")amounts in \(result.baseCurrency)\n" + t.render()
        let targeted = metrics.compactMap { m in configuration.target(m).map { (m, $0) } }.filter { $0.0.better != .neither }
        if !targeted.isEmpty {
            out += "targets: " + targeted.map { "\($0.0.rawValue) \($0.0.better == .lower ? "<=" : ">=") \(KPIView.number($0.1))" }
                .joined(separator: ", ") + " (✗ missed)\n"
        }
        if let c = workspace.prepared.cashApplication, metrics.contains(.auto_match_rate) { out += c.summary + "\n" }
        return out
    }

    static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }
}

/// Every metric with its definition (needs no ledger).
public struct MetricList: Rendered {
    public init() {}

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONValue.array(KPI.allCases.map { k in
                .object([("name", .string(k.rawValue)), ("title", .string(k.title)), ("definition", .string(k.definition))])
            }).printed
        case .csv:
            var w = CSVWriter(header: ["name", "title", "definition"])
            for k in KPI.allCases { w.addTextRow([k.rawValue, k.title, k.definition]) }
            return w.text
        case .table:
            return KPI.allCases.map { "\($0.rawValue)  \($0.title)\n    \($0.definition)\n" }.joined()
        }
    }
}
