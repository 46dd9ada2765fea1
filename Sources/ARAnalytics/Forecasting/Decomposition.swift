import Foundation

/// Classical decomposition and the seasonality checks the automatic forecasts share.
enum Decomposition {
    /// The centred moving average of order m (2×m when m is even); nil where the window does
    /// not fit.
    static func centredMovingAverage(_ y: [Double], period m: Int) -> [Double?] {
        var trend = [Double?](repeating: nil, count: y.count)
        let half = m / 2
        guard y.count > 2 * half else { return trend }
        for t in half..<(y.count - half) {
            var sum = 0.0
            if m % 2 == 0 {
                for k in (t - half)...(t + half) { sum += (k == t - half || k == t + half) ? 0.5 * y[k] : y[k] }
            } else {
                for k in (t - half)...(t + half) { sum += y[k] }
            }
            trend[t] = sum / Double(m)
        }
        return trend
    }

    /// Seasonal indices by position in the cycle (position of y[0] is 0): multiplicative ones
    /// average to 1, additive ones to 0.
    static func seasonalIndices(_ y: [Double], period m: Int, multiplicative: Bool) -> [Double] {
        let trend = centredMovingAverage(y, period: m)
        var sums = [Double](repeating: 0, count: m), counts = [Int](repeating: 0, count: m)
        for t in y.indices {
            guard let tr = trend[t], !multiplicative || tr != 0 else { continue }
            sums[t % m] += multiplicative ? y[t] / tr : y[t] - tr
            counts[t % m] += 1
        }
        var s = (0..<m).map { counts[$0] == 0 ? (multiplicative ? 1 : 0) : sums[$0] / Double(counts[$0]) }
        let mean = s.reduce(0, +) / Double(m)
        s = multiplicative ? s.map { $0 / mean } : s.map { $0 - mean }
        return s
    }

    /// Autocorrelations r_1 … r_maxLag.
    static func autocorrelations(_ y: [Double], maxLag: Int) -> [Double] {
        let n = y.count
        let mu = y.reduce(0, +) / Double(n)
        let c0 = y.reduce(0) { $0 + ($1 - mu) * ($1 - mu) }
        guard c0 > 0 else { return [Double](repeating: 0, count: maxLag) }
        return (1...maxLag).map { k in
            var c = 0.0
            for t in k..<n { c += (y[t] - mu) * (y[t - k] - mu) }
            return c / c0
        }
    }

    /// The seasonality test of the theta method: the autocorrelation at lag m exceeds its 90%
    /// one-sided bound under Bartlett's variance (1 + 2 Σ r_k², k < m) / n.
    static func isSeasonal(_ y: [Double], period m: Int) -> Bool {
        guard m > 1, y.count >= 3 * m else { return false }
        let r = autocorrelations(y, maxLag: m)
        let v = (1 + 2 * r.prefix(m - 1).reduce(0) { $0 + $1 * $1 }) / Double(y.count)
        return abs(r[m - 1]) / v.squareRoot() > 1.645
    }

    /// The strength of the season, 1 − Var(remainder) / Var(season + remainder), from an
    /// additive classical decomposition (0 when it cannot be measured).
    static func seasonalStrength(_ y: [Double], period m: Int) -> Double {
        guard m > 1, y.count >= 2 * m + 1 else { return 0 }
        let trend = centredMovingAverage(y, period: m)
        let s = seasonalIndices(y, period: m, multiplicative: false)
        var detrended: [Double] = [], remainder: [Double] = []
        for t in y.indices { if let tr = trend[t] { detrended.append(y[t] - tr); remainder.append(y[t] - tr - s[t % m]) } }
        func variance(_ xs: [Double]) -> Double {
            let mu = xs.reduce(0, +) / Double(xs.count)
            return xs.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(max(xs.count - 1, 1))
        }
        let vd = variance(detrended)
        return vd > 0 ? max(0, 1 - variance(remainder) / vd) : 0
    }
}
