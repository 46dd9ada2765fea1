import ArgumentParser
import ARAnalytics
import ARLoading
import ARModel
import ARReport
import AROutput
import Foundation

extension Grain: ExpressibleByArgument {}
extension ARAnalytics.Dimension: ExpressibleByArgument {}
extension AgingBasis: ExpressibleByArgument {}

struct KPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kpi",
        abstract: "KPI trends: any metrics of metrics.md by month, quarter or year, overall or by a dimension.",
        discussion: "Example: arlens kpi dso,cei --from 2025-11 --to 2026-10 --by segment")

    @Argument(help: "Metric names, comma-separated (arlens kpi --list shows them).")
    var names: String?

    @Flag(name: .long, help: "List every metric with its definition.")
    var list = false

    @Option(name: .long, help: "First month (YYYY-MM); default: the ledger's first.")
    var from: String?

    @Option(name: .long, help: "Last month (YYYY-MM); default: the ledger's last.")
    var to: String?

    @Option(name: .long, help: "month, quarter, year or all.")
    var grain: Grain = .month

    @Option(name: .long, help: "customer, segment, region, collector, country or currency.")
    var by: ARAnalytics.Dimension?

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        if !list && names == nil { throw ValidationError("name the metrics, e.g. arlens kpi dso,cei (or arlens kpi --list)") }
    }

    func run() throws {
        if list {
            print(KPIOutput.list(format), terminator: "")
            return
        }
        let metrics: [KPI]
        switch KPI.parseList(names!) {
        case .success(let m): metrics = m
        case .failure(let e): throw CLIFailure(code: 1, message: "error: \(e)")
        }
        let query = KPIQuery(metrics: metrics, from: try parseMonth(from, "--from"), to: try parseMonth(to, "--to"),
                             grain: grain, by: by)
        if let f = query.from, let t = query.to, f > t { throw CLIFailure(code: 1, message: "error: --from \(f) is after --to \(t)") }
        var tables = Loaded.core
        if metrics.contains(where: { [.dispute_rate, .dispute_days, .open_disputes].contains($0) }) { tables.insert(.disputes) }
        if metrics.contains(.promise_kept_rate) { tables.insert(.activities) }
        let loaded = try Loaded(ledger, tables: tables)
        let result = KPIEngine.run(loaded.timeline, configuration: loaded.configuration, query: query,
                                   autoMatched: loaded.prepared.cashApplication?.autoMatched)
        let out = KPIOutput(loaded: loaded, result: result)
        switch format {
        case .json: print(out.json().serialized())
        case .csv: print(out.csv(), terminator: "")
        case .table: print(out.table(), terminator: "")
        }
    }
}

struct KPIOutput {
    let loaded: Loaded
    let result: KPIResult

    func text(_ v: KPIValue, _ metric: KPI, raw: Bool) -> String {
        switch v {
        case .null: return raw ? "" : "n/a"
        case .money(let m): return loaded.money(m, grouped: !raw)
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

    func json() -> JSONValue { KPIJSON.make(result) }

    func csv() -> String {
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
    func table() -> String {
        let metrics = result.query.metrics
        var headers = ["period"]
        if result.query.by != nil { headers.append(result.query.by!.rawValue) }
        headers += metrics.map(\.rawValue)
        var t = TextTable(headers, align: headers.indices.map { $0 < (result.query.by == nil ? 1 : 2) ? .left : .right })
        var cells: [String: [String]] = [:]
        var order: [String] = []
        for r in result.rows {
            let key = r.period + "\u{0}" + (r.group ?? "")
            if cells[key] == nil {
                order.append(key)
                cells[key] = [r.period] + (r.group.map { [$0] } ?? []) + metrics.map { _ in "" }
            }
            let col = (result.query.by == nil ? 1 : 2) + metrics.firstIndex(of: r.metric)!
            var s = text(r.value, r.metric, raw: false)
            if let st = r.status, !st.met { s += " ✗" } else if r.status != nil { s += "  " }
            cells[key]![col] = s
        }
        for key in order { t.add(cells[key]!) }
        var out = "\(loaded.configuration.company.map { $0 + ": " } ?? "")amounts in \(result.baseCurrency)\n" + t.render()
        let targeted = metrics.compactMap { m in loaded.configuration.targets[m.rawValue].map { (m, $0) } }.filter { $0.0.better != .neither }
        if !targeted.isEmpty {
            out += "targets: " + targeted.map { "\($0.0.rawValue) \($0.0.better == .lower ? "<=" : ">=") \(KPIOutput.number($0.1))" }
                .joined(separator: ", ") + " (✗ missed)\n"
        }
        if let c = loaded.prepared.cashApplication, metrics.contains(.auto_match_rate) { out += c.summary + "\n" }
        return out
    }

    static func number(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    static func list(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONValue.array(KPI.allCases.map { k in
                .object([("name", .string(k.rawValue)), ("title", .string(k.title)), ("definition", .string(k.definition))])
            }).serialized() + "\n"
        case .csv:
            var w = CSVWriter(header: ["name", "title", "definition"])
            for k in KPI.allCases { w.addTextRow([k.rawValue, k.title, k.definition]) }
            return w.text
        case .table:
            return KPI.allCases.map { "\($0.rawValue)  \($0.title)\n    \($0.definition)\n" }.joined()
        }
    }
}
