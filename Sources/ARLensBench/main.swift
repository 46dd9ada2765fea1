import ARAnalytics
import ARLoading
import ARModel
import Foundation

// `make bench`: load a large ledger several times; print time, throughput and peak memory.
#if canImport(Glibc)
import Glibc
#endif

let args = CommandLine.arguments
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
for i in 0..<runs {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let r = try LedgerLoader.load(directory: dir, tables: tables)
    let t1 = DispatchTime.now().uptimeNanoseconds
    times.append(Double(t1 - t0) / 1e9)
    rows = r.report.totalRead
    if i == 0 {
        rssAfterFirst = peakRSSMegabytes()
        for (name, sec) in r.report.phases { print(String(format: "  %-28@ %.3f s", name as NSString, sec)) }
        print("ledger: \(r.ledger.invoices.count) invoices, \(r.ledger.payments.count) payments, \(r.ledger.applications.count) applications, \(r.ledger.customers.count) customers; \(r.report.totalRejected) rejected")
    }
}
let best = times.min()!
let median = times.sorted()[times.count / 2]
print(String(format: "load: best %.3f s, median %.3f s over %d runs", best, median, runs))
print(String(format: "throughput: %.2f M rows/s, %.0f MB/s (%d rows, %.0f MB of CSV)",
             Double(rows) / best / 1e6, Double(bytes) / best / 1e6, rows, Double(bytes) / 1e6))
print(String(format: "peak RSS: %.0f MB after the first load, %.0f MB after all runs", rssAfterFirst, peakRSSMegabytes()))

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
    print(String(format: "analytics (best of %d): timeline %.3f s, all %d KPIs x %d months %.3f s, aging by customer %.3f s; total %.3f s (%d result rows)",
                 runs, best[0], KPI.allCases.count, months, best[1], best[2], best[3], rowsOut))
}
