import ARAnalytics
import Foundation

/// `arlens-bench --panel DIR`: the forecast panel's series, each with its last 12 and then 24
/// months held out and forecast from the rest by the same automatic settings; accuracy (MASE,
/// sMAPE), interval coverage and time per series, beside the peers' scores.
enum PanelBench {
    struct Row { let series: String; let h: Int; let mase: Double; let smape: Double }

    static func readSeries(_ path: String) throws -> [Double] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            line.split(separator: ",").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        }
    }

    /// Splits a CSV line with quoted fields.
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = [], cur = "", quoted = false
        for c in line {
            if c == "\"" { quoted.toggle() } else if c == "," && !quoted { out.append(cur); cur = "" } else { cur.append(c) }
        }
        out.append(cur)
        return out
    }

    /// The reference likelihoods the tests hold fits to: for every panel series without its last
    /// 12 months, −2·log L of a fixed set of models (damped and multiplicative ones among them).
    static func likelihoods(directory dir: String) throws {
        let panel = try String(contentsOfFile: dir + "/panel.csv", encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map(fields)
        let models = ["ETS(A,N,N)", "ETS(A,Ad,N)", "ETS(M,Ad,N)", "ETS(A,N,A)", "ETS(M,N,M)", "ETS(M,Ad,M)"].compactMap(ETSModel.init)
        print("file,error,trend,season,n,likelihood")
        for p in panel {
            let y = try readSeries(dir + "/" + p[1])
            let train = Array(y.dropLast(12))
            for model in models {
                guard let f = ETS.fit(train, model, period: 12) else { continue }
                print("\(p[1]),\(model.error.rawValue),\(model.trend.rawValue),\(model.season.rawValue),\(train.count),\(String(format: "%.6f", f.likelihood))")
            }
        }
    }

    static func run(directory dir: String, method: SeriesForecast.Method) throws {
        let panel = try String(contentsOfFile: dir + "/panel.csv", encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map(fields)
        var peers: [String: [String: Double]] = [:]      // "series|h" -> method -> MASE
        var peerSmape: [String: [String: Double]] = [:]
        for f in try String(contentsOfFile: dir + "/peer_scores.csv", encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst().map(fields) {
            peers["\(f[0])|\(f[1])", default: [:]][f[2]] = Double(f[3])
            peerSmape["\(f[0])|\(f[1])", default: [:]][f[2]] = Double(f[4])
        }
        let peerNames = ["AutoETS", "AutoARIMA", "AutoTheta", "SeasonalNaive"]
        var rows: [Row] = []
        var times: [Double] = [], cpu: [Double] = []
        // The thread's CPU time too: on a shared machine the wall clock counts other processes.
        func cpuNow() -> Double { var ts = timespec(); clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9 }
        var inside80 = [12: 0, 24: 0], inside95 = [12: 0, 24: 0], points = [12: 0, 24: 0]
        var models: [String: Int] = [:]
        let env = ProcessInfo.processInfo.environment
        let verbose = env["ARLENS_PANEL_VERBOSE"] == "1"
        // Experiments with the automatic choice's settings (the defaults are what ARLens uses).
        var settings = SeriesForecast.Settings.standard
        if let v = env["ARLENS_CV_ORIGINS"].flatMap(Int.init) { settings.origins = v }
        if let v = env["ARLENS_CV_SPACING"].flatMap(Int.init) { settings.spacing = v }
        if let v = env["ARLENS_CV_HORIZON"].flatMap(Int.init) { settings.horizon = v }
        if let v = env["ARLENS_CV_MARGIN"].flatMap(Double.init) { settings.margin = v }
        if let v = env["ARLENS_ETS_UNDAMPED"] { settings.undampedTrend = v == "1" }
        if let v = env["ARLENS_ETS_POLISH_ALL"] { settings.polishEveryStart = v == "1" }
        if let v = env["ARLENS_COMBINE_MEDIAN"] { settings.median = v == "1" }
        if let v = env["ARLENS_INTERVAL80_SCALE"].flatMap(Double.init) { settings.interval80Scale = v }
        if let v = env["ARLENS_INTERVAL95_SCALE"].flatMap(Double.init) { settings.interval95Scale = v }
        if let v = env["ARLENS_CV_SMALLEST"].flatMap(Int.init) { settings.smallestSubset = v }
        if let v = env["ARLENS_ARIMA_LOG"] { settings.arimaLog = v == "1" }
        if let v = env["ARLENS_THETA"].flatMap(ThetaVariant.init(rawValue:)) { settings.theta = v }
        for p in panel {
            let y = try readSeries(dir + "/" + p[1])
            for h in [12, 24] where peers["\(p[0])|\(h)"] != nil {    // h=24 only where the peers scored it
                let train = Array(y.dropLast(h)), test = Array(y.suffix(h))
                let t0 = DispatchTime.now().uptimeNanoseconds, c0 = cpuNow()
                let f = SeriesForecast.make(train, horizon: h, period: 12, method: method, settings: settings)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
                cpu.append(cpuNow() - c0)
                let a = ForecastAccuracy.measure(actual: test, forecast: f.mean, training: train, period: 12)
                rows.append(Row(series: p[0], h: h, mase: a.mase ?? .nan, smape: a.smape ?? .nan))
                for k in 0..<h {
                    points[h]! += 1
                    if test[k] >= f.lo80[k] && test[k] <= f.hi80[k] { inside80[h]! += 1 }
                    if test[k] >= f.lo95[k] && test[k] <= f.hi95[k] { inside95[h]! += 1 }
                }
                if h == 12 { models[f.shortName, default: 0] += 1 }
                if verbose {
                    let best = peers["\(p[0])|\(h)"]?.values.min() ?? .nan
                    print(String(format: "%-44@ h=%2d %-28@ MASE %.3f (best peer %.3f)", p[0] as NSString, h, f.modelName as NSString, a.mase ?? .nan, best))
                }
            }
        }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2 }
        print("gm: the geometric mean over the series of ARLens's MASE / the method's (below 1: ARLens ahead)")
        print("forecast panel: \(panel.count) series (\(points[24]! / 24) at h=24), method \(method.rawValue)")
        func pad(_ t: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - t.count)) + t }
        print(String(repeating: " ", count: 14) + ["MASE12", "med12", "sMAPE12", "gm12", "MASE24", "med24", "sMAPE24", "gm24"].map { " " + pad($0, 9) }.joined())
        for name in ["ARLens"] + peerNames {
            var cells: [String] = []
            for h in [12, 24] {
                let ours = rows.filter { $0.h == h }
                let mases = name == "ARLens" ? ours.map(\.mase) : ours.map { peers["\($0.series)|\(h)"]![name]! }
                let smapes = name == "ARLens" ? ours.map(\.smape) : ours.map { peerSmape["\($0.series)|\(h)"]![name]! }
                // Geometric mean of ARLens's MASE over this method's (1 for ARLens itself).
                let logs = ours.map { r in log(r.mase / (name == "ARLens" ? r.mase : peers["\(r.series)|\(h)"]![name]!)) }
                cells += [mean(mases), median(mases), mean(smapes), exp(mean(logs))].map { String(format: "%9.3f", $0) }
            }
            print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + " " + cells.joined(separator: " "))
        }
        // The same on each half of the panel (series numbered from 1 in panel.csv's order): the
        // settings are chosen on the odd-numbered half and checked on the even-numbered one.
        let number = Dictionary(uniqueKeysWithValues: panel.enumerated().map { ($0.element[0], $0.offset + 1) })
        for (label, parity) in [("odd-numbered", 1), ("even-numbered", 0)] {
            var cells: [String] = []
            for h in [12, 24] {
                let ours = rows.filter { $0.h == h && number[$0.series]! % 2 == parity }
                let mine = mean(ours.map(\.mase))
                let others = peerNames.map { name in (name, mean(ours.map { peers["\($0.series)|\(h)"]![name]! })) }
                let best = others.min { $0.1 < $1.1 }!
                cells.append(String(format: "h=%d ARLens %.3f, best peer %@ %.3f (%+.1f%%)", h, mine, best.0 as NSString, best.1, 100 * (mine / best.1 - 1)))
            }
            print("\(label) series: " + cells.joined(separator: "; "))
        }
        for h in [12, 24] {
            print(String(format: "h=%d: interval coverage 80%% %.1f%%, 95%% %.1f%% (%d points)", h,
                         100 * Double(inside80[h]!) / Double(points[h]!), 100 * Double(inside95[h]!) / Double(points[h]!), points[h]!))
        }
        print(String(format: "time per series (fit + forecast): median %.4f s, mean %.4f s, max %.3f s, total %.1f s",
                     median(times), mean(times), times.max()!, times.reduce(0, +)))
        print(String(format: "CPU time per series: median %.4f s, mean %.4f s, max %.3f s, total %.1f s",
                     median(cpu), mean(cpu), cpu.max()!, cpu.reduce(0, +)))
        print("models at h=12: " + models.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }
}
