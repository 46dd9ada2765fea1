import Foundation

/// Exponential smoothing state-space models (Hyndman, Koehler, Ord & Snyder 2008): additive
/// or multiplicative error; no, additive or damped trend; no, additive or multiplicative
/// season. Parameters by maximum likelihood, the model by AICc, intervals by simulating future
/// sample paths (seeded, so the same series gives the same forecast).
public struct ETSModel: Sendable, Equatable, CustomStringConvertible {
    public enum Error: String, Sendable, CaseIterable { case additive = "A", multiplicative = "M" }
    public enum Trend: String, Sendable, CaseIterable { case none = "N", additive = "A", damped = "Ad" }
    public enum Season: String, Sendable, CaseIterable { case none = "N", additive = "A", multiplicative = "M" }

    public var error: Error
    public var trend: Trend
    public var season: Season

    public init(_ error: Error, _ trend: Trend, _ season: Season) { self.error = error; self.trend = trend; self.season = season }

    /// `ETS(A,Ad,M)`.
    public var description: String { "ETS(\(error.rawValue),\(trend.rawValue),\(season.rawValue))" }

    /// Reads `ETS(A,Ad,M)`.
    public init?(_ text: String) {
        guard text.hasPrefix("ETS("), text.hasSuffix(")") else { return nil }
        let parts = text.dropFirst(4).dropLast().split(separator: ",").map(String.init)
        guard parts.count == 3, let e = Error(rawValue: parts[0]), let t = Trend(rawValue: parts[1]), let s = Season(rawValue: parts[2]) else { return nil }
        self.init(e, t, s)
    }
}

/// A fitted model: parameters, initial states, in-sample errors and the likelihood.
public struct ETSFit: Sendable {
    public let model: ETSModel
    public let period: Int
    public let alpha: Double, beta: Double, gamma: Double, phi: Double
    public let level0: Double, trend0: Double
    public let season0: [Double]
    /// Final states after the data.
    public let level: Double, slope: Double
    public let seasonal: [Double]
    /// One-step errors (relative for multiplicative error).
    public let residuals: [Double]
    public let fitted: [Double]
    /// n·log(SSE) + 2·Σlog|μ| (multiplicative error), the −2·log-likelihood up to a constant.
    public let likelihood: Double
    public let parameterCount: Int
    public var n: Int { residuals.count }

    public var aic: Double { likelihood + 2 * Double(parameterCount) }
    public var aicc: Double {
        let k = Double(parameterCount), nn = Double(n)
        return nn - k - 1 > 0 ? aic + 2 * k * (k + 1) / (nn - k - 1) : .infinity
    }
    /// Variance of the one-step errors.
    public var sigma2: Double {
        let sse = residuals.reduce(0) { $0 + $1 * $1 }
        return sse / Double(max(n - parameterCount, 1))
    }
}

public struct ETSForecast: Sendable {
    public let fit: ETSFit
    public let mean: [Double]
    public let lo80: [Double], hi80: [Double], lo95: [Double], hi95: [Double]
}

public enum ETS {
    /// One pass of the recursions with given parameters and initial states. Returns the
    /// errors, fitted values, final states and the likelihood term (nil if a state blows up).
    static func run(_ y: [Double], _ model: ETSModel, m: Int, alpha: Double, beta: Double, gamma: Double, phi: Double,
                    l0: Double, b0: Double, s0: [Double])
        -> (residuals: [Double], fitted: [Double], l: Double, b: Double, s: [Double], lik: Double)? {
        var res = [Double](), fit = [Double]()
        res.reserveCapacity(y.count); fit.reserveCapacity(y.count)
        var s = s0
        guard let r = recurse(y, model, alpha: alpha, beta: beta, gamma: gamma, phi: phi, l0: l0, b0: b0, s: &s,
                              record: { e, mu in res.append(e); fit.append(mu) }) else { return nil }
        return (res, fit, r.l, r.b, s, r.lik)
    }

    /// The likelihood term alone (what the optimiser needs), without keeping the errors.
    static func likelihood(_ y: [Double], _ model: ETSModel, alpha: Double, beta: Double, gamma: Double, phi: Double,
                           l0: Double, b0: Double, s0: [Double], scratch s: inout [Double]) -> Double? {
        s.removeAll(keepingCapacity: true)
        s.append(contentsOf: s0)
        return recurse(y, model, alpha: alpha, beta: beta, gamma: gamma, phi: phi, l0: l0, b0: b0, s: &s, record: nil)?.lik
    }

    /// The recursions. The seasonal states are a ring (the oldest, used next, at `pos`), left
    /// in `s` oldest first at the end; `record` receives each error and fitted value.
    @inline(__always)
    static func recurse(_ y: [Double], _ model: ETSModel, alpha: Double, beta: Double, gamma: Double, phi: Double,
                        l0: Double, b0: Double, s: inout [Double], record: ((Double, Double) -> Void)?)
        -> (l: Double, b: Double, lik: Double)? {
        var l = l0, b = model.trend == .none ? 0 : b0
        let ph = model.trend == .damped ? phi : 1
        let seasonal = model.season != .none
        let m = s.count
        var pos = 0
        var sse = 0.0, logSum = 0.0
        for t in 0..<y.count {
            let trendPart = model.trend == .none ? l : l + ph * b
            let st = seasonal ? s[pos] : 0
            let mu: Double
            switch model.season {
            case .none: mu = trendPart
            case .additive: mu = trendPart + st
            case .multiplicative: mu = trendPart * st
            }
            if !mu.isFinite { return nil }
            let e: Double
            if model.error == .additive { e = y[t] - mu } else {
                if mu <= 0 { return nil }
                e = (y[t] - mu) / mu
                logSum += log(abs(mu))
            }
            sse += e * e
            record?(e, mu)
            // State updates.
            let prevL = l, prevB = b
            var next = 0.0
            switch (model.error, model.season) {
            case (.additive, .none), (.additive, .additive):
                l = trendPart + alpha * e
                if model.trend != .none { b = ph * prevB + beta * e }
                if model.season == .additive { next = st + gamma * e }
            case (.additive, .multiplicative):
                l = trendPart + alpha * e / st
                if model.trend != .none { b = ph * prevB + beta * e / st }
                next = st + gamma * e / (model.trend == .none ? prevL : prevL + ph * prevB)
            case (.multiplicative, .none):
                l = trendPart * (1 + alpha * e)
                if model.trend != .none { b = ph * prevB + beta * trendPart * e }
            case (.multiplicative, .additive):
                l = trendPart + alpha * mu * e
                if model.trend != .none { b = ph * prevB + beta * mu * e }
                next = st + gamma * mu * e
            case (.multiplicative, .multiplicative):
                l = trendPart * (1 + alpha * e)
                if model.trend != .none { b = ph * prevB + beta * trendPart * e }
                next = st * (1 + gamma * e)
            }
            if seasonal { s[pos] = next; pos += 1; if pos == m { pos = 0 } }
            if !l.isFinite || abs(l) > 1e15 { return nil }
        }
        if seasonal && pos != 0 { s = Array(s[pos...] + s[..<pos]) }
        let n = Double(y.count)
        let lik = n * log(max(sse, 1e-300)) + 2 * logSum
        return (l, b, lik)
    }

    /// Initial states: seasonal indices from a classical decomposition of the first years, a
    /// level and slope from a regression on the first deseasonalised values.
    static func initialStates(_ y: [Double], _ model: ETSModel, m: Int) -> (l: Double, b: Double, s: [Double]) {
        var s = [Double]()
        var adjusted = y
        if model.season != .none && m > 1 && y.count >= 2 * m {
            // Centred moving average (2×m) as the trend.
            let span = min(y.count, max(2 * m, 3 * m))
            var trend = [Double?](repeating: nil, count: span)
            for t in (m / 2)..<(span - m / 2) {
                var sum = 0.0
                if m % 2 == 0 {
                    for k in (t - m / 2)...(t + m / 2) {
                        let w = (k == t - m / 2 || k == t + m / 2) ? 0.5 : 1
                        sum += w * y[k]
                    }
                    trend[t] = sum / Double(m)
                } else {
                    for k in (t - m / 2)...(t + m / 2) { sum += y[k] }
                    trend[t] = sum / Double(m)
                }
            }
            var byPosition = [[Double]](repeating: [], count: m)
            for t in 0..<span {
                guard let tr = trend[t], tr != 0 else { continue }
                byPosition[t % m].append(model.season == .multiplicative ? y[t] / tr : y[t] - tr)
            }
            s = byPosition.map { $0.isEmpty ? (model.season == .multiplicative ? 1 : 0) : $0.reduce(0, +) / Double($0.count) }
            if model.season == .multiplicative {
                let mean = s.reduce(0, +) / Double(m)
                s = s.map { $0 / mean }
                adjusted = y.enumerated().map { $0.element / s[$0.offset % m] }
            } else {
                let mean = s.reduce(0, +) / Double(m)
                s = s.map { $0 - mean }
                adjusted = y.enumerated().map { $0.element - s[$0.offset % m] }
            }
        }
        let k = min(adjusted.count, max(10, m))
        let xs = (0..<k).map(Double.init), ys = Array(adjusted.prefix(k))
        let mx = xs.reduce(0, +) / Double(k), my = ys.reduce(0, +) / Double(k)
        var num = 0.0, den = 0.0
        for i in 0..<k { num += (xs[i] - mx) * (ys[i] - my); den += (xs[i] - mx) * (xs[i] - mx) }
        let slope = den == 0 ? 0 : num / den
        let level = my - slope * mx
        return (level - (model.trend == .none ? 0 : slope), slope, s)
    }

    /// Fits one model by maximum likelihood (smoothing parameters, damping, initial level and
    /// slope; the seasonal start comes from the decomposition).
    public static func fit(_ y: [Double], _ model: ETSModel, period m: Int) -> ETSFit? {
        fit(y, model, period: m, from: nil)
    }

    /// Fits one model; with `from` (a fit of the same model to more of the same series), a
    /// single start at its parameters instead of the three fixed starts.
    static func fit(_ y: [Double], _ model: ETSModel, period m: Int, from warm: ETSFit?, polishEveryStart: Bool = true) -> ETSFit? {
        let seasonal = model.season != .none
        if seasonal && (m < 2 || y.count < 2 * m) { return nil }
        if (model.error == .multiplicative || model.season == .multiplicative) && y.contains(where: { $0 <= 0 }) { return nil }
        let init0 = initialStates(y, model, m: m)
        let hasTrend = model.trend != .none
        let damped = model.trend == .damped
        // x = [alpha, beta?, gamma?, phi?, l0, b0?]
        let scale = max(abs(init0.l), 1)
        func unpack(_ x: [Double]) -> (Double, Double, Double, Double, Double, Double) {
            var i = 0
            let a = x[i]; i += 1
            let b = hasTrend ? x[i] : 0; if hasTrend { i += 1 }
            let g = seasonal ? x[i] : 0; if seasonal { i += 1 }
            let p = damped ? x[i] : 1; if damped { i += 1 }
            let l0 = x[i]; i += 1
            let b0 = hasTrend ? x[i] : 0
            return (a, b, g, p, l0, b0)
        }
        var scratch = [Double]()
        scratch.reserveCapacity(init0.s.count)
        func objective(_ x: [Double]) -> Double {
            let (a, b, g, p, l0, b0) = unpack(x)
            guard admissible(model, alpha: a, beta: b, gamma: g, phi: p, period: m) else { return 1e12 }
            return likelihood(y, model, alpha: a, beta: b, gamma: g, phi: p, l0: l0, b0: b0, s0: init0.s, scratch: &scratch) ?? 1e12
        }
        func pack(alpha: Double, beta: Double, gamma: Double, phi: Double) -> [Double] {
            var x: [Double] = [alpha]
            if hasTrend { x.append(beta) }
            if seasonal { x.append(gamma) }
            if damped { x.append(phi) }
            x.append(init0.l)
            if hasTrend { x.append(init0.b) }
            return x
        }
        var steps = pack(alpha: 0.05, beta: 0.05, gamma: 0.05, phi: 0.05)
        steps[steps.count - (hasTrend ? 2 : 1)] = scale * 0.1
        if hasTrend { steps[steps.count - 1] = max(abs(init0.b), scale * 0.01) * 0.5 }
        // Several starting points (slow and fast smoothing, strong and light damping); with
        // `warm`, its parameters alone.
        var starts = [pack(alpha: 0.1, beta: 0.01, gamma: 0.01, phi: 0.97)]
        starts.append(pack(alpha: 0.5, beta: 0.1, gamma: 0.1, phi: 0.9))
        if hasTrend || seasonal { starts.append(pack(alpha: 0.3, beta: 0.03, gamma: 0.2, phi: 0.85)) }
        if let warm, warm.model == model {
            var x = pack(alpha: warm.alpha, beta: warm.beta, gamma: warm.gamma, phi: warm.phi)
            x[x.count - (hasTrend ? 2 : 1)] = warm.level0
            if hasTrend { x[x.count - 1] = warm.trend0 }
            if objective(x) < 1e11 { starts = [x] }
        }
        // Each start searched, then restarted from its optimum until a restart no longer
        // improves the likelihood (without `polishEveryStart`, only the best start is: faster,
        // but damped models then often stop short of the best likelihood).
        func polish(_ r0: (x: [Double], value: Double, converged: Bool)) -> (x: [Double], value: Double, converged: Bool) {
            var r = r0
            for _ in 0..<4 {
                let again = NelderMead.minimize(objective, start: r.x, step: steps.map { $0 * 0.25 }, iterations: 200 + 50 * r.x.count)
                let gain = r.value - again.value
                r = again.value <= r.value ? again : r
                if gain <= 1e-7 * (abs(r.value) + 1) { break }
            }
            return r
        }
        var best: (x: [Double], value: Double, converged: Bool)? = nil
        for start in starts {
            var r = NelderMead.minimize(objective, start: start, step: steps, iterations: 400 + 100 * start.count)
            if polishEveryStart { r = polish(r) }
            if best == nil || r.value < best!.value { best = r }
        }
        if !polishEveryStart, let b = best { best = polish(b) }
        guard let best, best.value < 1e11 else { return nil }
        let (a, b, g, p, l0, b0) = unpack(best.x)
        guard let r = run(y, model, m: m, alpha: a, beta: b, gamma: g, phi: p, l0: l0, b0: b0, s0: init0.s) else { return nil }
        let k = 1 + (hasTrend ? 1 : 0) + (seasonal ? 1 : 0) + (damped ? 1 : 0) + 1 + (hasTrend ? 1 : 0) + (seasonal ? m - 1 : 0) + 1
        return ETSFit(model: model, period: m, alpha: a, beta: b, gamma: g, phi: p, level0: l0, trend0: b0, season0: init0.s,
                      level: r.l, slope: r.b, seasonal: r.s, residuals: r.residuals, fitted: r.fitted, likelihood: r.lik,
                      parameterCount: k)
    }

    /// The usual bounds of Hyndman et al. (2008): 0 < α < 1, 0 < β < α, 0 < γ < 1 − α,
    /// 0.8 ≤ φ ≤ 0.98 (with a small margin from the edges), intersected with the admissible
    /// (forecastable) region for seasonal models: every root of the characteristic polynomial
    ///   z^(m+1) + (α+β−φ) z^m + (α+β−αφ) (z^(m−1) + … + z^2) + (α+β−αφ+γ−1) z + φ(1−α−γ)
    /// lies in the unit disk (the root z = 1 the undamped models always have excepted).
    static func admissible(_ model: ETSModel, alpha a: Double, beta b: Double, gamma g: Double, phi p: Double, period m: Int) -> Bool {
        guard a >= 1e-4, a <= 0.9999 else { return false }
        if model.trend != .none { guard b >= 1e-4, b <= a else { return false } }
        if model.trend == .damped { guard p >= 0.8, p <= 0.98 else { return false } }
        guard model.season != .none else { return true }
        guard g >= 1e-4, g <= 1 - a else { return false }
        let ph = model.trend == .damped ? p : 1, bb = model.trend == .none ? 0 : b
        // Ascending powers of z.
        var c = [Double](repeating: a + bb - a * ph, count: m + 2)
        c[0] = ph * (1 - a - g)
        c[1] = a + bb - a * ph + g - 1
        c[m] = a + bb - ph
        c[m + 1] = 1
        return Stability.rootsInUnitDisk(c)
    }

    /// The models worth trying for a series: multiplicative ones only for positive data,
    /// seasonal ones only with two full seasons, no additive error with multiplicative season
    /// (numerically unstable).
    public static func candidates(_ y: [Double], period m: Int, undampedTrend: Bool = true) -> [ETSModel] {
        let positive = !y.contains { $0 <= 0 }
        var out: [ETSModel] = []
        for e in ETSModel.Error.allCases where e == .additive || positive {
            for t in ETSModel.Trend.allCases {
                if t == .damped && y.count < 8 { continue }
                if t == .additive && !undampedTrend { continue }
                for s in ETSModel.Season.allCases {
                    if s != .none && (m < 2 || y.count < 2 * m + 2) { continue }
                    if s == .multiplicative && (!positive || e == .additive) { continue }
                    out.append(ETSModel(e, t, s))
                }
            }
        }
        return out
    }

    /// Fits every candidate and keeps the one with the lowest AICc.
    public static func auto(_ y: [Double], period m: Int, undampedTrend: Bool = true, polishEveryStart: Bool = true) -> ETSFit? {
        var best: ETSFit? = nil
        for model in candidates(y, period: m, undampedTrend: undampedTrend) {
            guard let f = fit(y, model, period: m, from: nil, polishEveryStart: polishEveryStart), f.aicc.isFinite else { continue }
            if best == nil || f.aicc < best!.aicc { best = f }
        }
        return best
    }

    /// The point forecasts alone: the recursions with zero error.
    public static func pointForecast(_ f: ETSFit, horizon h: Int) -> [Double] {
        var s = f.seasonal, pos = 0
        var l = f.level, b = f.slope
        return (0..<h).map { _ in step(f, &l, &b, &s, &pos, 0) }
    }

    /// One step ahead from the states (the seasonal ring's oldest at `pos`) with error `e`.
    @inline(__always)
    static func step(_ f: ETSFit, _ l: inout Double, _ b: inout Double, _ s: inout [Double], _ pos: inout Int, _ e: Double) -> Double {
        let model = f.model
        let ph = model.trend == .damped ? f.phi : 1
        let trendPart = model.trend == .none ? l : l + ph * b
        let st = model.season == .none ? 0 : s[pos]
        let mu = model.season == .none ? trendPart : model.season == .additive ? trendPart + st : trendPart * st
        let y = model.error == .additive ? mu + e : mu * (1 + e)
        let prevB = b
        var next = 0.0
        switch (model.error, model.season) {
        case (.additive, .none), (.additive, .additive):
            l = trendPart + f.alpha * e
            if model.trend != .none { b = ph * prevB + f.beta * e }
            if model.season == .additive { next = st + f.gamma * e }
        case (.additive, .multiplicative):
            l = trendPart + f.alpha * e / st
            if model.trend != .none { b = ph * prevB + f.beta * e / st }
            next = st + f.gamma * e / trendPart
        case (.multiplicative, .none):
            l = trendPart * (1 + f.alpha * e)
            if model.trend != .none { b = ph * prevB + f.beta * trendPart * e }
        case (.multiplicative, .additive):
            l = trendPart + f.alpha * mu * e
            if model.trend != .none { b = ph * prevB + f.beta * mu * e }
            next = st + f.gamma * mu * e
        case (.multiplicative, .multiplicative):
            l = trendPart * (1 + f.alpha * e)
            if model.trend != .none { b = ph * prevB + f.beta * trendPart * e }
            next = st * (1 + f.gamma * e)
        }
        if model.season != .none { s[pos] = next; pos += 1; if pos == s.count { pos = 0 } }
        return y
    }

    /// Point forecasts and 80%/95% intervals from 2,000 simulated sample paths.
    public static func forecast(_ f: ETSFit, horizon h: Int, paths: Int = 2000, seed: UInt64 = 20261129) -> ETSForecast {
        let mean = pointForecast(f, horizon: h)
        let sigma = f.sigma2.squareRoot()
        var rng = SplitMixNormal(seed: seed)
        var samples = [[Double]](repeating: [], count: h)
        for k in 0..<h { samples[k].reserveCapacity(paths) }
        var s = f.seasonal
        for _ in 0..<paths {
            var l = f.level, b = f.slope, pos = 0
            for i in s.indices { s[i] = f.seasonal[i] }
            for k in 0..<h { samples[k].append(step(f, &l, &b, &s, &pos, rng.normal() * sigma)) }
        }
        func q(_ sorted: [Double], _ p: Double) -> Double {
            let pos = p * Double(sorted.count - 1)
            let lo = Int(pos), frac = pos - Double(lo)
            return lo + 1 < sorted.count ? sorted[lo] * (1 - frac) + sorted[lo + 1] * frac : sorted[lo]
        }
        var lo80 = [Double](), hi80 = [Double](), lo95 = [Double](), hi95 = [Double]()
        for k in 0..<h {
            let sorted = samples[k].sorted()
            lo80.append(q(sorted, 0.1)); hi80.append(q(sorted, 0.9)); lo95.append(q(sorted, 0.025)); hi95.append(q(sorted, 0.975))
        }
        return ETSForecast(fit: f, mean: mean, lo80: lo80, hi80: hi80, lo95: lo95, hi95: hi95)
    }
}

/// A small seeded normal generator for simulation (SplitMix64 + Box–Muller).
struct SplitMixNormal {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }
    mutating func normal() -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
