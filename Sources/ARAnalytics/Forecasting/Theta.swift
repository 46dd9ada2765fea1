import Foundation

/// The standard theta method (Assimakopoulos & Nikolopoulos 2000, as shown by Hyndman &
/// Billah 2003 to be simple exponential smoothing with a drift of half the series' linear
/// slope). A seasonal series (autocorrelation test at lag m) is adjusted first by a classical
/// multiplicative decomposition and the forecast reseasonalised.
public struct ThetaFit: Sendable {
    public let alpha: Double
    public let level: Double
    /// The slope of the straight line fitted to the (adjusted) series, per period.
    public let slope: Double
    public let sigma2: Double
    public let n: Int
    /// Seasonal indices for the periods after the data (index 0 = the first forecast month);
    /// empty when not seasonal.
    public let seasonAhead: [Double]
    public let period: Int

    public var seasonal: Bool { !seasonAhead.isEmpty }
}

public enum Theta {
    public static func fit(_ y: [Double], period m: Int) -> ThetaFit? {
        guard y.count >= 4 else { return nil }
        var x = y
        var ahead: [Double] = []
        if m > 1, !y.contains(where: { $0 <= 0 }), Decomposition.isSeasonal(y, period: m) {
            let s = Decomposition.seasonalIndices(y, period: m, multiplicative: true)
            x = y.indices.map { y[$0] / s[$0 % m] }
            ahead = (0..<m).map { s[(y.count + $0) % m] }
        }
        guard let ses = ETS.fit(x, ETSModel(.additive, .none, .none), period: 1) else { return nil }
        // Least-squares slope of x on time.
        let n = Double(x.count)
        let mt = (n - 1) / 2, mx = x.reduce(0, +) / n
        var num = 0.0, den = 0.0
        for (t, v) in x.enumerated() { num += (Double(t) - mt) * (v - mx); den += (Double(t) - mt) * (Double(t) - mt) }
        let slope = den > 0 ? num / den : 0
        return ThetaFit(alpha: ses.alpha, level: ses.level, slope: slope, sigma2: ses.sigma2, n: x.count, seasonAhead: ahead, period: m)
    }

    /// Point forecasts ℓ + (b/2)(h − 1 + 1/α − (1 − α)^n/α) and the simple exponential
    /// smoothing intervals σ²(1 + α²(h − 1)), reseasonalised.
    public static func forecast(_ f: ThetaFit, horizon h: Int) -> ComponentForecast {
        let a = f.alpha
        var mean: [Double] = [], sd: [Double] = []
        for k in 1...h {
            let drift = f.slope / 2 * (Double(k) - 1 + 1 / a - pow(1 - a, Double(f.n)) / a)
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
