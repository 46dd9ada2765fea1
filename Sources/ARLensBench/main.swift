import ARAnalytics
import ARLoading
import ARModel
import CairoRendering
import ChartKit
import Foundation

// `make bench`: load a large ledger several times; print time, throughput and peak memory.
#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments
if args.count >= 2 && args[1] == "--ets" {
    // Automatic ETS selection (every candidate fitted) on a 120-month seasonal series.
    let y = (0..<120).map { t -> Double in
        let season = 1 + 0.2 * sin(Double(t) * .pi / 6)
        return (200 + 1.5 * Double(t)) * season * (1 + 0.03 * sin(Double(t * 7919 % 97)))
    }
    var best = Double.infinity
    var name = ""
    for _ in 0..<5 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let fit = ETS.auto(y, period: 12)!
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
        name = fit.model.description
    }
    print(String(format: "ETS: automatic selection among %d models on a 120-month series: %.1f ms (chose %@)",
                 ETS.candidates(y, period: 12).count, best, name))
    exit(0)
}
if args.count >= 3 && args[1] == "--panel-likelihoods" {
    try PanelBench.likelihoods(directory: args[2])
    exit(0)
}
if args.count >= 2 && args[1] == "--panel" {
    // The forecast panel: every series with its last 12 and 24 months held out, against the
    // peers' scores in peer_scores.csv. `arlens-bench --panel DIR [METHOD]`.
    guard args.count >= 3 else { FileHandle.standardError.write(Data("usage: arlens-bench --panel DIR [METHOD]\n".utf8)); exit(2) }
    let method = args.count > 3 ? SeriesForecast.Method(rawValue: args[3]) ?? .auto : .auto
    try PanelBench.run(directory: args[2], method: method)
    exit(0)
}
if args.count >= 2 && args[1] == "--charts" {
    // 100 typical charts to PNG (encoded on every core), and a 20-page PDF of charts.
    let m = try CairoTextMeasurer()
    let t0 = DispatchTime.now().uptimeNanoseconds
    let scenes = (0..<100).map { Gallery.charts[$0 % Gallery.charts.count].chart.scene(size: Size(800, 450), measurer: m, theme: .standard) }
    let t1 = DispatchTime.now().uptimeNanoseconds
    if ProcessInfo.processInfo.environment["ARLENS_BENCH_RASTER_ONLY"] == "1" {
        let r0 = DispatchTime.now().uptimeNanoseconds
        DispatchQueue.concurrentPerform(iterations: scenes.count) { i in _ = try? Raster(scenes[i]) }
        print(String(format: "rasterise only: %.3f s", Double(DispatchTime.now().uptimeNanoseconds - r0) / 1e9))
    }
    let pngs = try CairoRenderer.pngs(scenes)
    let t2 = DispatchTime.now().uptimeNanoseconds
    let pdf = try CairoRenderer.pdf(Array(scenes.prefix(20)))
    let t3 = DispatchTime.now().uptimeNanoseconds
    print(String(format: "charts: 100 laid out in %.3f s, rendered to PNG (1600x900) in %.3f s: %.3f s in all; %.1f MB of PNG",
                 Double(t1 - t0) / 1e9, Double(t2 - t1) / 1e9, Double(t2 - t0) / 1e9, Double(pngs.reduce(0) { $0 + $1.count }) / 1e6))
    print(String(format: "charts: a 20-page PDF in %.3f s (%.0f KB)", Double(t3 - t2) / 1e9, Double(pdf.count) / 1e3))
    exit(0)
}
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: arlens-bench LEDGER_DIR [RUNS]\n".utf8))
    exit(2)
}
let dir = args[1]
let runs = args.count > 2 ? Int(args[2]) ?? 5 : 5

func peakRSSMegabytes() -> Double {
    var u = rusage()
    getrusage(RUSAGE_SELF.rawValue, &u)
    return Double(u.ru_maxrss) / 1024   // kilobytes on Linux
}

var bytes = 0
for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasSuffix(".csv") {
    bytes += ((try? FileManager.default.attributesOfItem(atPath: dir + "/" + name))?[.size] as? Int) ?? 0
}

// ARLENS_BENCH_TABLES=core reads only what the KPIs need (no activities, disputes, POs).
let coreOnly = ProcessInfo.processInfo.environment["ARLENS_BENCH_TABLES"] == "core"
let tables: Set<TableName>? = coreOnly ? [.invoices, .customers, .payments, .applications, .adjustments, .fxRates] : nil
if coreOnly {
    bytes = 0
    for t in tables! {
        bytes += ((try? FileManager.default.attributesOfItem(atPath: dir + "/" + t.defaultFile))?[.size] as? Int) ?? 0
    }
}
print("tables: \(coreOnly ? "invoices, customers, payments, applications, adjustments, fx rates" : "all")")
var times: [Double] = []
var rows = 0
var rssAfterFirst = 0.0
var bestPhases: [(name: String, seconds: Double)] = []
for i in 0..<runs {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let r = try LedgerLoader.load(directory: dir, tables: tables)
    let t1 = DispatchTime.now().uptimeNanoseconds
    times.append(Double(t1 - t0) / 1e9)
    rows = r.report.totalRead
    if bestPhases.isEmpty { bestPhases = r.report.phases }
    for (k, p) in r.report.phases.enumerated() where k < bestPhases.count && p.name == bestPhases[k].name {
        bestPhases[k].seconds = min(bestPhases[k].seconds, p.seconds)
    }
    if i == 0 {
        rssAfterFirst = peakRSSMegabytes()
        for (name, sec) in r.report.phases { print(String(format: "  %-28@ %.3f s", name as NSString, sec)) }
        print("ledger: \(r.ledger.invoices.count) invoices, \(r.ledger.payments.count) payments, \(r.ledger.applications.count) applications, \(r.ledger.customers.count) customers; \(r.report.totalRejected) rejected")
    }
}
if runs > 1 {
    print("phases, the best of each over \(runs) runs:")
    for (name, sec) in bestPhases { print(String(format: "  %-28@ %.3f s", name as NSString, sec)) }
}
let best = times.min()!
let median = times.sorted()[times.count / 2]
print(String(format: "load: best %.3f s, median %.3f s over %d runs", best, median, runs))
print(String(format: "throughput: %.2f M rows/s, %.0f MB/s (%d rows, %.0f MB of CSV)",
             Double(rows) / best / 1e6, Double(bytes) / best / 1e6, rows, Double(bytes) / 1e6))
print(String(format: "peak RSS: %.0f MB after the first load, %.0f MB after all runs", rssAfterFirst, peakRSSMegabytes()))

// The snapshot: a load that writes it, then loads that read it (the ledger ready), then what
// the analyst's two commands do once the ledger is ready: prepare it (timeline), five KPIs
// over 24 months, aging by customer.
if ProcessInfo.processInfo.environment["ARLENS_BENCH_SNAPSHOT"] == "1" {
    let c0 = DispatchTime.now().uptimeNanoseconds
    let first = try LedgerLoader.load(directory: dir, tables: tables, cache: true)
    let coldWrite = Double(DispatchTime.now().uptimeNanoseconds - c0) / 1e9
    print("snapshot: first load \(first.cache) in \(String(format: "%.3f", coldWrite)) s (parse + write), peak RSS \(String(format: "%.0f", peakRSSMegabytes())) MB")
    var ready: [Double] = [], prep: [Double] = [], kpi: [Double] = [], aging: [Double] = []
    for _ in 0..<runs {
        var t0 = DispatchTime.now().uptimeNanoseconds
        func lap(_ into: inout [Double]) {
            let t1 = DispatchTime.now().uptimeNanoseconds
            into.append(Double(t1 - t0) / 1e9)
            t0 = t1
        }
        let r = try LedgerLoader.load(directory: dir, tables: tables, cache: true)
        lap(&ready)
        precondition(r.cache == .hit, "no snapshot hit: \(r.cache)")
        let prepared = PreparedLedger(r.ledger)
        lap(&prep)
        let last = prepared.timeline.lastDay.yearMonth
        let k = KPIEngine.run(prepared.timeline, configuration: r.configuration.configuration,
                              query: KPIQuery(metrics: [.ar, .billings, .collections, .dso, .cei], from: last.advanced(by: -23), to: last, grain: .month))
        lap(&kpi)
        let a = Aging.compute(prepared.timeline, asOf: prepared.timeline.lastDay, by: .customer)
        lap(&aging)
        precondition(k.rows.count == 5 * 24 && a.checkInvariants() == nil)
    }
    func med(_ x: [Double]) -> String { String(format: "%.1f ms", x.sorted()[x.count / 2] * 1000) }
    func best(_ x: [Double]) -> String { String(format: "%.1f ms", x.min()! * 1000) }
    print("snapshot (median / best of \(runs)): ready ledger \(med(ready)) / \(best(ready)); then timeline \(med(prep)) / \(best(prep)), "
          + "kpi ar,billings,collections,dso,cei x 24 months \(med(kpi)) / \(best(kpi)), aging by customer \(med(aging)) / \(best(aging))")
    print(String(format: "peak RSS: %.0f MB", peakRSSMegabytes()))
}

// Analytics after loading: every KPI, monthly, plus aging by customer at the last date.
if ProcessInfo.processInfo.environment["ARLENS_BENCH_ANALYTICS"] == "1" {
    let r = try LedgerLoader.load(directory: dir)    // every table: disputes and promises too
    var best = [Double](repeating: .infinity, count: 4)
    var rowsOut = 0, months = 0
    for _ in 0..<runs {
        var t0 = DispatchTime.now().uptimeNanoseconds
        func lap(_ k: Int) {
            let t1 = DispatchTime.now().uptimeNanoseconds
            best[k] = min(best[k], Double(t1 - t0) / 1e9)
            t0 = t1
        }
        let prepared = PreparedLedger(r.ledger)
        lap(0)
        let k = KPIEngine.run(prepared.timeline, configuration: r.configuration.configuration,
                              query: KPIQuery(metrics: KPI.allCases, grain: .month))
        lap(1)
        let a = Aging.compute(prepared.timeline, asOf: prepared.timeline.lastDay, by: .customer)
        lap(2)
        rowsOut = k.rows.count + a.rows.count
        months = k.periods.count
        precondition(a.checkInvariants() == nil)
    }
    best[3] = best[0] + best[1] + best[2]
    var cashBest = Double.infinity
    let prepared = PreparedLedger(r.ledger)
    for _ in 0..<3 {
        let c0 = DispatchTime.now().uptimeNanoseconds
        _ = CashForecast.make(prepared.timeline, asOf: prepared.timeline.lastDay, weeks: 13)
        cashBest = min(cashBest, Double(DispatchTime.now().uptimeNanoseconds - c0) / 1e9)
    }
    print(String(format: "cash forecast, 13 weeks (after loading): %.3f s", cashBest))
    var anomalyBest = Double.infinity
    var count = 0
    for _ in 0..<2 {
        let a0 = DispatchTime.now().uptimeNanoseconds
        count = AnomalyRules(prepared.timeline, approvalThreshold: 1_000_000).run().count
        anomalyBest = min(anomalyBest, Double(DispatchTime.now().uptimeNanoseconds - a0) / 1e9)
    }
    print(String(format: "anomaly rules (after loading): %.3f s, %d findings", anomalyBest, count))
    print(String(format: "analytics (best of %d): timeline %.3f s, all %d KPIs x %d months %.3f s, aging by customer %.3f s; total %.3f s (%d result rows)",
                 runs, best[0], KPI.allCases.count, months, best[1], best[2], best[3], rowsOut))
}
