import Foundation

/// The theta method and the theta models of Fiorucci, Pellegrini, Louzada, Petropoulos and
/// Koehler (2016).
///
/// `classic` is the standard theta method (Assimakopoulos & Nikolopoulos 2000, as shown by
/// Hyndman & Billah 2003 to be simple exponential smoothing with a drift of half the series'
/// linear slope). The theta models write the same idea as a state-space model,
///   μ_t = ℓ_{t−1} + w·[(1−α)^(t−1)·A_{t−1} + (1 − (1−α)^t)/α · B_{t−1}],  ℓ_t = α·y_t + (1−α)·ℓ_{t−1},
/// where A and B are the intercept and slope of the straight line through the data and
/// w = 1 − 1/θ is the weight of that line's slope (θ = 2 gives the classical half). Their
/// initial level, α and (when optimised) w are estimated by least squares on the one-step errors,
/// with 0.1 ≤ α ≤ 0.99 and θ ≥ 1 (0 ≤ w ≤ 1). In the dynamic models A_t and B_t are the line
/// through the data up to t only (updated month by month), so the drift follows changes in the
/// trend; in the static ones the line is fitted once to the whole series. `auto` fits the four
/// theta models and keeps the one with the smallest one-step mean squared error.
///
/// A seasonal series (autocorrelation test at lag m) is adjusted first by a classical
/// multiplicative decomposition and the forecast reseasonalised, for every variant.
public enum ThetaVariant: String, Sendable, CaseIterable {
    case classic
    /// θ = 2, static line (STM).
    case standard
    /// θ estimated, static line (OTM).
    case optimised
    /// θ = 2, dynamic line (DSTM).
    case dynamic
    /// θ estimated, dynamic line (DOTM).
    case dynamicOptimised
    /// The theta model with the smallest one-step mean squared error.
    case auto

    var isDynamic: Bool { self == .dynamic || self == .dynamicOptimised }
    var estimatesTheta: Bool { self == .optimised || self == .dynamicOptimised }
}

public struct ThetaFit: Sendable {
    public let variant: ThetaVariant
    public let alpha: Double
    /// θ (2 for the classic method and the standard models).
    public let theta: Double
    /// The final level ℓ_n of the (adjusted) series.
    public let level: Double
    /// The slope of the straight line fitted to the (adjusted) series, per period (B_n).
    public let slope: Double
    /// The intercept of that line (A_n, at time 0; 0 for `classic`).
    public let intercept: Double
    public let sigma2: Double
    public let n: Int
    /// Seasonal indices for the periods after the data (index 0 = the first forecast month);
    /// empty when not seasonal.
    public let seasonAhead: [Double]
    public let period: Int

    public var seasonal: Bool { !seasonAhead.isEmpty }
}

public enum Theta {
    public static func fit(_ y: [Double], period m: Int, variant: ThetaVariant = .dynamicOptimised) -> ThetaFit? {
        guard y.count >= 4 else { return nil }
        var x = y
        var ahead: [Double] = []
        if m > 1, !y.contains(where: { $0 <= 0 }), Decomposition.isSeasonal(y, period: m) {
            let s = Decomposition.seasonalIndices(y, period: m, multiplicative: true)
            x = y.indices.map { y[$0] / s[$0 % m] }
            ahead = (0..<m).map { s[(y.count + $0) % m] }
        }
        if variant == .classic { return classic(x, seasonAhead: ahead, period: m) }
        let variants: [ThetaVariant] = variant == .auto ? [.standard, .optimised, .dynamic, .dynamicOptimised] : [variant]
        var best: (fit: ThetaFit, mse: Double)? = nil
        for v in variants {
            guard let r = model(x, variant: v, seasonAhead: ahead, period: m) else { continue }
            if best == nil || r.mse < best!.mse { best = r }
        }
        return best?.fit
    }

    static func classic(_ x: [Double], seasonAhead ahead: [Double], period m: Int) -> ThetaFit? {
        guard let ses = ETS.fit(x, ETSModel(.additive, .none, .none), period: 1) else { return nil }
        let line = line(x)
        return ThetaFit(variant: .classic, alpha: ses.alpha, theta: 2, level: ses.level, slope: line.b, intercept: 0,
                        sigma2: ses.sigma2, n: x.count, seasonAhead: ahead, period: m)
    }

    /// The least-squares line a + b·t through x_t, t = 1…n.
    static func line(_ x: [Double]) -> (a: Double, b: Double) {
        let n = Double(x.count)
        let mt = (n + 1) / 2, mx = x.reduce(0, +) / n
        var num = 0.0, den = 0.0
        for (i, v) in x.enumerated() { let t = Double(i + 1); num += (t - mt) * (v - mx); den += (t - mt) * (t - mt) }
        let b = den > 0 ? num / den : 0
        return (mx - b * mt, b)
    }

    /// The recursions of a theta model with initial level `l0`, smoothing weight `a` and slope
    /// weight `w`: the sum of squared one-step errors and the final level, intercept and slope.
    /// `line` is the whole series' line (static models); nil for the dynamic ones, whose line
    /// starts as the first value (A_0 = x_1, B_0 = 0) and is refitted after every month.
    static func run(_ x: [Double], l0: Double, alpha a: Double, weight w: Double, line: (a: Double, b: Double)?)
        -> (sse: Double, level: Double, intercept: Double, slope: Double) {
        var l = l0
        var A = line?.a ?? x[0], B = line?.b ?? 0, mean = 0.0
        var decay = 1.0     // (1−α)^(t−1)
        var sse = 0.0
        for i in 0..<x.count {
            let t = Double(i + 1)
            let mu = l + w * (decay * A + (1 - decay * (1 - a)) / a * B)
            let e = x[i] - mu
            sse += e * e
            l = a * x[i] + (1 - a) * l
            decay *= 1 - a
            if line == nil {
                // The line through x_1 … x_t: running mean, slope and intercept.
                let previousMean = mean
                mean += (x[i] - mean) / t
                B = t < 2 ? 0 : ((t - 2) * B + 6 * (x[i] - previousMean) / t) / (t + 1)
                A = mean - (t + 1) / 2 * B
            }
        }
        return (sse, l, A, B)
    }

    /// Fits one theta model by least squares (Nelder–Mead from two starts, each restarted until
    /// it no longer improves).
    static func model(_ x: [Double], variant v: ThetaVariant, seasonAhead ahead: [Double], period m: Int) -> (fit: ThetaFit, mse: Double)? {
        let fixedLine: (a: Double, b: Double)? = v.isDynamic ? nil : line(x)
        let free = v.estimatesTheta
        // p = [l0, alpha, w?]
        func objective(_ p: [Double]) -> Double {
            let a = p[1], w = free ? p[2] : 0.5
            guard a >= 0.1, a <= 0.99, w >= 0, w <= 1, p[0].isFinite else { return .infinity }
            let s = run(x, l0: p[0], alpha: a, weight: w, line: fixedLine).sse
            return s.isFinite ? s : .infinity
        }
        let scale = max(abs(x[0]), 1e-8)
        let step = free ? [0.1 * scale, 0.1, 0.1] : [0.1 * scale, 0.1]
        var starts: [[Double]] = []
        for a0 in [0.5, 0.2] {
            starts.append(free ? [x[0] / 2, a0, 0.5] : [x[0] / 2, a0])
        }
        var best: (x: [Double], value: Double)? = nil
        for s0 in starts {
            var r = NelderMead.minimize(objective, start: s0, step: step, iterations: 300)
            for _ in 0..<4 {
                let again = NelderMead.minimize(objective, start: r.x, step: step.map { $0 * 0.25 }, iterations: 200)
                let gain = r.value - again.value
                if again.value <= r.value { r = again }
                if gain <= 1e-9 * (abs(r.value) + 1e-12) { break }
            }
            if best == nil || r.value < best!.value { best = (r.x, r.value) }
        }
        guard let best, best.value.isFinite else { return nil }
        let a = best.x[1], w = free ? best.x[2] : 0.5
        let r = run(x, l0: best.x[0], alpha: a, weight: w, line: fixedLine)
        let k = free ? 3 : 2
        let fit = ThetaFit(variant: v, alpha: a, theta: w < 1 ? 1 / (1 - w) : .infinity, level: r.level, slope: r.slope,
                           intercept: r.intercept, sigma2: r.sse / Double(max(x.count - k, 1)), n: x.count,
                           seasonAhead: ahead, period: m)
        return (fit, r.sse / Double(x.count))
    }

    /// Point forecasts and the simple exponential smoothing intervals σ²(1 + α²(h − 1)),
    /// reseasonalised. Classic: ℓ + (b/2)(h − 1 + 1/α − (1 − α)^n/α). Theta models:
    /// ℓ_n + w·[(1−α)^n·A_n + ((h − 1) + (1 − (1−α)^(n+1))/α)·B_n] with w = 1 − 1/θ.
    public static func forecast(_ f: ThetaFit, horizon h: Int) -> ComponentForecast {
        let a = f.alpha
        var mean: [Double] = [], sd: [Double] = []
        let w = f.theta.isFinite ? 1 - 1 / f.theta : 1
        let decay = pow(1 - a, Double(f.n))
        for k in 1...h {
            let drift = f.variant == .classic
                ? f.slope / 2 * (Double(k) - 1 + 1 / a - decay / a)
                : w * (decay * f.intercept + (Double(k) - 1 + (1 - decay * (1 - a)) / a) * f.slope)
            let s = f.seasonal ? f.seasonAhead[(k - 1) % f.period] : 1
            mean.append((f.level + drift) * s)
            sd.append((f.sigma2 * (1 + a * a * Double(k - 1))).squareRoot() * s)
        }
        return ComponentForecast(normal: mean, sd: sd)
    }
}

/// A point forecast with 80% and 95% bounds.
public struct ComponentForecast: Sendable {
    public var mean: [Double]
    public var lo80: [Double], hi80: [Double], lo95: [Double], hi95: [Double]

    public init(mean: [Double], lo80: [Double], hi80: [Double], lo95: [Double], hi95: [Double]) {
        (self.mean, self.lo80, self.hi80, self.lo95, self.hi95) = (mean, lo80, hi80, lo95, hi95)
    }

    /// Normal bounds around the mean.
    init(normal mean: [Double], sd: [Double]) {
        self.mean = mean
        lo80 = zip(mean, sd).map { $0 - 1.281552 * $1 }; hi80 = zip(mean, sd).map { $0 + 1.281552 * $1 }
        lo95 = zip(mean, sd).map { $0 - 1.959964 * $1 }; hi95 = zip(mean, sd).map { $0 + 1.959964 * $1 }
    }
}
