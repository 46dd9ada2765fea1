import ARLoading
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
