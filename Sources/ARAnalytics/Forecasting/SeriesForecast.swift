import Foundation

/// Forecast accuracy on a holdout: MAPE and sMAPE in %, and MASE scaled by the in-sample
/// seasonal-naive error (naive when the series is shorter than two seasons).
public struct ForecastAccuracy: Sendable, Equatable {
    public let mape: Double?
    public let smape: Double?
    public let mase: Double?

    public static func measure(actual: [Double], forecast: [Double], training: [Double], period m: Int) -> ForecastAccuracy {
        let n = min(actual.count, forecast.count)
        var ape = [Double](), sape = [Double](), ae = [Double]()
        for i in 0..<n {
            let e = actual[i] - forecast[i]
            ae.append(abs(e))
            if actual[i] != 0 { ape.append(abs(e / actual[i]) * 100) }
            let d = abs(actual[i]) + abs(forecast[i])
            if d != 0 { sape.append(2 * abs(e) / d * 100) }
        }
        let lag = m > 1 && training.count > 2 * m ? m : 1
        var scale = 0.0
        if training.count > lag {
            for t in lag..<training.count { scale += abs(training[t] - training[t - lag]) }
            scale /= Double(training.count - lag)
        }
        func mean(_ xs: [Double]) -> Double? { xs.isEmpty ? nil : xs.reduce(0, +) / Double(xs.count) }
        return ForecastAccuracy(mape: mean(ape), smape: mean(sape), mase: scale == 0 ? nil : mean(ae).map { $0 / scale })
    }
}

/// A monthly series forecast: by default the average of three automatic families (ETS,
/// ARIMA and Theta), or the one family or pair whose rolling-origin errors on the series
/// itself are clearly smaller; a simple fallback for series too short to fit (the mean for
/// fewer than 4 points).
public struct SeriesForecast: Sendable {
    /// How the forecast is made. `auto` is what every forecast in ARLens uses; the others are
    /// there to compare against (arlens-bench --panel DIR METHOD).
    public enum Method: String, Sendable, CaseIterable {
        case auto, ets, arima, theta, combination
    }

    /// A short name: `ETS(A,Ad,N)`, or `combination of ETS(A,N,N), ARIMA(0,1,1) and Theta`.
    public let modelName: String
    /// The same, shorter for a table cell: `ETS(A,Ad,N)`, `average of ETS, ARIMA and Theta`.
    public let shortName: String
    /// The model in words, for readers.
    public let explanation: String
    public let mean: [Double]
    public let lo80: [Double], hi80: [Double], lo95: [Double], hi95: [Double]

    public init(modelName: String, shortName: String? = nil, explanation: String, _ f: ComponentForecast) {
        self.modelName = modelName
        self.shortName = shortName ?? modelName
        self.explanation = explanation
        (mean, lo80, hi80, lo95, hi95) = (f.mean, f.lo80, f.hi80, f.lo95, f.hi95)
    }

    /// One family's automatic forecast, with its name and a description in words.
    struct Component {
        let name: String
        /// `ETS`, `ARIMA`, `Theta`.
        var family: String { String(name.prefix { $0 != "(" }) }
        let words: String
        let forecast: ComponentForecast
    }

    static func ets(_ y: [Double], horizon h: Int, period m: Int, settings: Settings = .standard) -> Component? {
        ets(etsFit(y, period: m, settings: settings), horizon: h)
    }

    static func etsFit(_ y: [Double], period m: Int, settings: Settings) -> ETSFit? {
        y.count >= 4 ? ETS.auto(y, period: m, undampedTrend: settings.undampedTrend, polishEveryStart: settings.polishEveryStart) : nil
    }

    static func ets(_ fit: ETSFit?, horizon h: Int) -> Component? {
        guard let fit else { return nil }
        let f = ETS.forecast(fit, horizon: h)
        return Component(name: fit.model.description, words: fit.model.words,
                         forecast: ComponentForecast(mean: f.mean, lo80: f.lo80, hi80: f.hi80, lo95: f.lo95, hi95: f.hi95))
    }

    static func arima(_ y: [Double], horizon h: Int, period m: Int, settings: Settings = .standard) -> Component? {
        let logged = logsARIMA(y, settings)
        return arima(ARIMA.auto(logged ? y.map(log) : y, period: m), horizon: h, logged: logged)
    }

    /// Whether ARIMA is fitted to the logarithms of the series.
    static func logsARIMA(_ y: [Double], _ s: Settings) -> Bool { s.arimaLog && !y.contains { $0 <= 0 } }

    static func arima(_ fit: ARIMAFit?, horizon h: Int, logged: Bool = false) -> Component? {
        guard let fit else { return nil }
        var f = ARIMA.forecast(fit, horizon: h)
        if logged {
            f = ComponentForecast(mean: f.mean.map(exp), lo80: f.lo80.map(exp), hi80: f.hi80.map(exp), lo95: f.lo95.map(exp), hi95: f.hi95.map(exp))
        }
        guard f.mean.allSatisfy(\.isFinite) else { return nil }
        return Component(name: fit.order.description + (logged ? " on logarithms" : ""),
                         words: logged ? "ARIMA of the logarithms" + fit.order.words.dropFirst("ARIMA".count) + " (changes in proportion to the level)"
                             : fit.order.words, forecast: f)
    }

    static func theta(_ y: [Double], horizon h: Int, period m: Int, settings: Settings = .standard) -> Component? {
        guard let fit = Theta.fit(y, period: m, variant: settings.theta) else { return nil }
        let f = Theta.forecast(fit, horizon: h)
        guard f.mean.allSatisfy(\.isFinite) else { return nil }
        return Component(name: "Theta", words: fit.words, forecast: f)
    }

    /// The equal-weight average of forecasts and of their bounds (or, with `median`, the
    /// middle value of each). The 80% half-widths are then scaled by `interval80Scale` and the
    /// 95% ones by `interval95Scale`, for a single family as for a combination.
    static func average(_ parts: [Component], settings: Settings = .standard) -> ComponentForecast {
        let k = Double(parts.count)
        func avg(_ key: KeyPath<ComponentForecast, [Double]>) -> [Double] {
            let h = parts[0].forecast[keyPath: key].count
            if settings.median && parts.count == 3 {
                return (0..<h).map { i in parts.map { $0.forecast[keyPath: key][i] }.sorted()[1] }
            }
            return (0..<h).map { i in parts.reduce(0) { $0 + $1.forecast[keyPath: key][i] } / k }
        }
        let mean = avg(\.mean)
        func widen(_ b: [Double], _ scale: Double) -> [Double] { zip(mean, b).map { $0 + scale * ($1 - $0) } }
        let s80 = settings.interval80Scale, s95 = settings.interval95Scale
        return ComponentForecast(mean: mean, lo80: widen(avg(\.lo80), s80), hi80: widen(avg(\.hi80), s80),
                                 lo95: widen(avg(\.lo95), s95), hi95: widen(avg(\.hi95), s95))
    }

    static func components(_ y: [Double], horizon h: Int, period m: Int, settings: Settings = .standard) -> [Component] {
        [ets(y, horizon: h, period: m, settings: settings), arima(y, horizon: h, period: m, settings: settings), theta(y, horizon: h, period: m, settings: settings)].compactMap { $0 }
    }

    static func combined(_ parts: [Component], settings: Settings = .standard) -> SeriesForecast {
        if parts.count == 1 { return SeriesForecast(modelName: parts[0].name, explanation: parts[0].words, average(parts, settings: settings)) }
        func list(_ names: [String]) -> String { names.dropLast().joined(separator: ", ") + " and " + names.last! }
        return SeriesForecast(modelName: "combination of " + list(parts.map(\.name)), shortName: "average of " + list(parts.map(\.family)),
                              explanation: "the average of " + parts.map(\.words).joined(separator: "; "), average(parts, settings: settings))
    }

    /// The settings of the automatic choice, the same for every series.
    public struct Settings: Sendable {
        /// Rolling origins: the last `origins` points spaced `spacing` months apart, each
        /// forecasting up to `horizon` months from the data before it.
        public var origins = 3
        public var spacing = 6
        public var horizon = 12
        /// A single family or a pair replaces the average of all three only when its
        /// cross-validated error is smaller by more than this fraction.
        public var margin = 0.1
        /// Fewest points before the earliest origin.
        public var minimumTraining = 36
        /// Whether ETS may extend a trend undamped (ETS(·,A,·)), or only damped. Off: with it,
        /// ETS chose a straight trend on many series and extended the last move too far; on the
        /// forecast panel, damped-only ETS in the same combination has mean MASE 0.721 and
        /// 0.884 at 12 and 24 months on the odd-numbered series (0.746 and 0.900 with
        /// undamped trends), and 0.648 and 1.106 on the even-numbered ones (0.669, 1.108).
        public var undampedTrend = false
        /// Whether every ETS start is restarted to convergence, or only the best one (about
        /// 30% faster, but worse likelihoods for damped models).
        public var polishEveryStart = true
        /// Combine by the median of the members' forecasts instead of their mean (three members).
        public var median = false
        /// The chosen forecast's interval half-widths (a combination's averaged bounds, or a
        /// single family's own) are scaled by these: averaged bounds come out narrow, a single
        /// model's bounds ignore the uncertainty of choosing and estimating it, and errors have
        /// heavier tails than the normal, so the 95% band needs more than the 80% one. One
        /// pair of constants for every series, set on the odd-numbered series of the forecast
        /// panel, before the theta model and the logarithms came in (then 81.1/91.3% coverage
        /// at 12 months and 82.5/95.1% at 24 there). With today's members, over the whole
        /// panel: 82.5/94.0% at 12 months and 83.1/94.9% at 24 (`make bench-forecast`).
        public var interval80Scale = 1.1
        public var interval95Scale = 1.2
        /// The fewest families the cross-validation may choose (1: a single family may replace
        /// the average; 2: only a pair may).
        public var smallestSubset = 1
        /// Whether ARIMA is fitted to the logarithms of a positive series (a Box–Cox transform
        /// with λ = 0; its forecasts and bounds are turned back with exp, so the point forecast
        /// is the median). Growth then compounds instead of adding a fixed amount a month, and
        /// a season or noise that grows with the level is modelled as such. On the forecast
        /// panel's odd-numbered series, with the dynamic optimised theta member, the automatic
        /// forecast's mean MASE at 24 months goes from 0.868 to 0.835 (12 months 0.726 to
        /// 0.728); on the even-numbered ones 1.085 to 1.047 and 0.642 to 0.630.
        public var arimaLog = true
        /// The theta member (see `ThetaVariant`): the dynamic optimised theta model. On the
        /// forecast panel's odd-numbered series it is the most accurate theta variant alone
        /// (mean MASE 0.850/1.070 at 12/24 months; the classical method 0.904/1.143), and in
        /// the automatic forecast it moves the 24-month error from 0.884 to 0.868 (12 months
        /// 0.721 to 0.726); on the even-numbered ones 0.647 to 0.642 and 1.106 to 1.085.
        public var theta: ThetaVariant = .dynamicOptimised
        public static let standard = Settings()
        public init() {}
    }

    public static func make(_ y: [Double], horizon h: Int, period m: Int = 12, method: Method = .auto,
                            settings: Settings = .standard) -> SeriesForecast {
        var parts: [Component] = []
        switch method {
        case .ets: parts = [ets(y, horizon: h, period: m, settings: settings)].compactMap { $0 }
        case .arima: parts = [arima(y, horizon: h, period: m, settings: settings)].compactMap { $0 }
        case .theta: parts = [theta(y, horizon: h, period: m, settings: settings)].compactMap { $0 }
        case .combination: parts = components(y, horizon: h, period: m, settings: settings)
        case .auto:
            let logged = logsARIMA(y, settings)
            let etsFull = etsFit(y, period: m, settings: settings), arimaFull = ARIMA.auto(logged ? y.map(log) : y, period: m)
            parts = [ets(etsFull, horizon: h), arima(arimaFull, horizon: h, logged: logged), theta(y, horizon: h, period: m, settings: settings)].compactMap { $0 }
            if parts.count == 3, let etsFull, let arimaFull,
               let keep = crossValidatedChoice(y, period: m, settings: settings, ets: etsFull, arima: arimaFull) {
                parts = keep.map { parts[$0] }
            }
        }
        if !parts.isEmpty { return combined(parts, settings: settings) }
        // Too short: the mean, with the spread of the data as its uncertainty.
        let mu = y.isEmpty ? 0 : y.reduce(0, +) / Double(y.count)
        let sd = y.count > 1 ? (y.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(y.count - 1)).squareRoot() : 0
        let flat = [Double](repeating: mu, count: h)
        return SeriesForecast(modelName: "mean", explanation: "the mean of the \(y.count) values (too few to fit a model)",
                              ComponentForecast(normal: flat, sd: [Double](repeating: sd, count: h)))
    }
}

extension SeriesForecast {
    /// The subsets of the three families (by index: ETS, ARIMA, Theta) that may be chosen.
    static let subsets: [[Int]] = [[0, 1, 2], [0], [1], [2], [0, 1], [0, 2], [1, 2]]

    /// Rolling-origin cross-validation on the series itself: each family's model chosen on the
    /// whole series (the ETS model, the ARIMA order) is re-estimated at each origin, starting
    /// from the whole series' parameters, and forecasts the months after it; every subset's
    /// average point forecast is scored by its mean absolute error over the seasonal-naive
    /// error of the data before the origin. Returns the subset to use, or nil to keep all
    /// three (also when the series is too short or a refit fails).
    static func crossValidatedChoice(_ y: [Double], period m: Int, settings s: Settings, ets etsFull: ETSFit, arima arimaFull: ARIMAFit) -> [Int]? {
        let n = y.count
        var errors = [Double](repeating: 0, count: subsets.count)
        var used = 0
        for j in stride(from: s.origins - 1, through: 0, by: -1) {
            let hc = min(s.horizon, max(1, (n - s.minimumTraining) / 2))
            let origin = n - hc - j * s.spacing
            guard origin >= s.minimumTraining, hc >= 3 else { continue }
            let train = Array(y.prefix(origin)), test = Array(y[origin..<min(n, origin + hc)])
            guard let ef = ETS.fit(train, etsFull.model, period: m, from: etsFull),
                  let af = ARIMA.fit(logsARIMA(y, s) ? train.map(log) : train, arimaFull.order, from: arimaFull.parameters),
                  let tf = Theta.fit(train, period: m, variant: s.theta) else { return nil }
            let arimaMean = ARIMA.forecast(af, horizon: test.count).mean
            let means = [ETS.pointForecast(ef, horizon: test.count), logsARIMA(y, s) ? arimaMean.map(exp) : arimaMean,
                         Theta.forecast(tf, horizon: test.count).mean]
            guard means.allSatisfy({ $0.allSatisfy(\.isFinite) }) else { return nil }
            let lag = m > 1 && train.count > 2 * m ? m : 1
            var scale = 0.0
            for t in lag..<train.count { scale += abs(train[t] - train[t - lag]) }
            scale /= Double(train.count - lag)
            guard scale > 0 else { continue }
            for (k, subset) in subsets.enumerated() {
                let f = test.indices.map { i in
                    s.median && subset.count == 3 ? subset.map { means[$0][i] }.sorted()[1]
                        : subset.reduce(0) { $0 + means[$1][i] } / Double(subset.count)
                }
                var mae = 0.0
                for i in test.indices { mae += abs(test[i] - f[i]) }
                errors[k] += mae / Double(test.count) / scale
            }
            used += 1
        }
        guard used > 0 else { return nil }
        var best = 0
        for k in 1..<subsets.count where errors[k] < errors[best] && subsets[k].count >= s.smallestSubset { best = k }
        return best != 0 && errors[best] < (1 - s.margin) * errors[0] ? subsets[best] : nil
    }
}

extension SeriesForecast {
    /// When the forecast is flat although the last three months moved clearly (more than 1.5
    /// times the typical three-month change), a sentence saying why; nil otherwise.
    public func flatNote(history y: [Double]) -> String? {
        let n = y.count
        guard n >= 12, let first = mean.first, let last = mean.last else { return nil }
        let move = y[n - 1] - y[n - 4]
        var sq = 0.0
        for t in 3..<(n - 3) { sq += (y[t] - y[t - 3]) * (y[t] - y[t - 3]) }
        let typical = (sq / Double(n - 6)).squareRoot()
        guard typical > 0, abs(move) > 1.5 * typical, abs(last - first) < 0.2 * abs(move) else { return nil }
        func v(_ x: Double) -> String { String(format: "%.2f", x) }
        return "Why flat: the last three months moved from \(v(y[n - 4])) to \(v(y[n - 1])), but the \(n) months of history show "
            + "no persistent trend (models with a trend did not fit better), so the forecast holds the smoothed level near "
            + "\(v(first)) rather than extend the move; a lasting change will lift it as new months arrive."
    }
}

extension ETSModel {
    /// `exponential smoothing with a damped trend and a multiplicative season`.
    public var words: String {
        var parts: [String] = []
        switch trend {
        case .none: parts.append("no trend")
        case .additive: parts.append("a linear trend")
        case .damped: parts.append("a damped trend")
        }
        switch season {
        case .none: parts.append("no season")
        case .additive: parts.append("an additive season")
        case .multiplicative: parts.append("a multiplicative season")
        }
        return "exponential smoothing with " + parts.joined(separator: " and ") + (error == .multiplicative ? " (errors proportional to the level)" : "")
    }
}

extension ThetaFit {
    /// `theta method: smoothed level plus half the long-run linear trend`, and so on.
    public var words: String {
        var s: String
        switch variant {
        case .classic: s = "theta method: smoothed level plus half the long-run linear trend"
        case .standard, .optimised, .auto:
            s = "theta model: smoothed level plus " + share + " the slope of the straight line through the history"
        case .dynamic, .dynamicOptimised:
            s = "theta model: smoothed level plus " + share + " the slope of the straight line through the history, refitted month by month"
        }
        return s + (seasonal ? ", seasonally adjusted" : "")
    }

    private var share: String {
        if theta == 2 { return "half" }
        guard theta.isFinite else { return "all of" }
        return String(format: "%.0f%% of", 100 * (1 - 1 / theta))
    }
}

extension ARIMAOrder {
    /// `ARIMA on the monthly changes, with a drift and a seasonal moving average`.
    public var words: String {
        var s = "ARIMA"
        switch (d, D) {
        case (0, 0): s += " on the levels"
        case (1, 0): s += " on the month-to-month changes"
        case (0, 1): s += " on the year-on-year changes"
        case (1, 1): s += " on the changes of the year-on-year changes"
        default: s += " on the changes of the changes"
        }
        if constant { s += d + D == 0 ? " around a mean" : " with a drift" }
        return s
    }
}
