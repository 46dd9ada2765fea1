import Foundation

/// A seasonal ARIMA(p,d,q)(P,D,Q)m order, with or without a constant (a mean when nothing is
/// differenced, a drift when the series is differenced once).
public struct ARIMAOrder: Sendable, Hashable, CustomStringConvertible {
    public var p, d, q, P, D, Q: Int
    public var m: Int
    public var constant: Bool

    public init(_ p: Int, _ d: Int, _ q: Int, _ P: Int = 0, _ D: Int = 0, _ Q: Int = 0, m: Int = 1, constant: Bool = false) {
        (self.p, self.d, self.q, self.P, self.D, self.Q, self.m, self.constant) = (p, d, q, P, D, Q, m, constant)
    }

    /// `ARIMA(1,1,0)(0,1,1)[12] with drift`.
    public var description: String {
        var s = "ARIMA(\(p),\(d),\(q))"
        if m > 1 && (P + D + Q) > 0 { s += "(\(P),\(D),\(Q))[\(m)]" }
        if constant { s += d + D == 0 ? " with mean" : " with drift" }
        return s
    }
}

public struct ARIMAFit: Sendable {
    public let order: ARIMAOrder
    /// Non-seasonal and seasonal AR and MA coefficients (x_t = Σ φ x_{t−i} + e_t + Σ θ e_{t−j}).
    public let phi: [Double], theta: [Double], seasonalPhi: [Double], seasonalTheta: [Double]
    /// The mean of the differenced series.
    public let mu: Double
    public let sigma2: Double
    /// −2·log-likelihood (conditional sum of squares, scaled to the differenced length).
    public let likelihood: Double
    public let parameterCount: Int
    public let nEffective: Int
    /// The series and its differences, and the one-step errors on the differenced scale.
    let y: [Double], w: [Double], residuals: [Double]
    /// The optimiser's parameters (partial autocorrelations before tanh, then the mean), to
    /// start a refit of the same order from.
    var parameters: [Double] = []

    public var aicc: Double {
        let k = Double(parameterCount), n = Double(w.count)
        return n - k - 1 > 0 ? likelihood + 2 * k + 2 * k * (k + 1) / (n - k - 1) : .infinity
    }
}

/// Seasonal ARIMA by conditional sum of squares, and automatic order selection in the manner
/// of Hyndman & Khandakar (2008): KPSS tests choose d, the seasonal strength chooses D, and a
/// stepwise search over p, q, P, Q and the constant minimises the AICc.
public enum ARIMA {
    // MARK: Polynomials

    /// Coefficients of (1 − Σ a_i B^i) as a polynomial [1, −a_1, …].
    static func lagPolynomial(_ a: [Double], sign: Double, stride s: Int) -> [Double] {
        var poly = [Double](repeating: 0, count: a.count * s + 1)
        poly[0] = 1
        for (i, c) in a.enumerated() { poly[(i + 1) * s] = sign * c }
        return poly
    }

    static func multiply(_ a: [Double], _ b: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: a.count + b.count - 1)
        for i in a.indices where a[i] != 0 { for j in b.indices { out[i + j] += a[i] * b[j] } }
        return out
    }

    /// The differencing polynomial (1 − B)^d (1 − B^m)^D.
    static func differencing(d: Int, D: Int, m: Int) -> [Double] {
        var poly: [Double] = [1]
        for _ in 0..<d { poly = multiply(poly, [1, -1]) }
        for _ in 0..<D { poly = multiply(poly, lagPolynomial([1], sign: -1, stride: m)) }
        return poly
    }

    static func difference(_ y: [Double], d: Int, D: Int, m: Int) -> [Double] {
        let delta = differencing(d: d, D: D, m: m)
        let k = delta.count - 1
        guard y.count > k else { return [] }
        return (k..<y.count).map { t in delta.indices.reduce(0) { $0 + delta[$1] * y[t - $1] } }
    }

    /// Unconstrained values to coefficients of a stationary (or invertible) polynomial through
    /// partial autocorrelations r = tanh(u) and the Durbin–Levinson recursion (Jones 1980).
    static func fromPartials(_ u: [Double]) -> [Double] {
        var a: [Double] = []
        for (k, uk) in u.enumerated() {
            let r = tanh(uk)
            var next = a
            for j in 0..<k { next[j] = a[j] - r * a[k - 1 - j] }
            next.append(r)
            a = next
        }
        return a
    }

    // MARK: Fitting

    /// The expanded AR (x_t = Σ ar_i x_{t−i}) and MA (+ Σ ma_j e_{t−j}) coefficients.
    static func expanded(phi: [Double], theta: [Double], sphi: [Double], stheta: [Double], m: Int) -> (ar: [Double], ma: [Double]) {
        let arPoly = multiply(lagPolynomial(phi, sign: -1, stride: 1), lagPolynomial(sphi, sign: -1, stride: m))
        let maPoly = multiply(lagPolynomial(theta, sign: 1, stride: 1), lagPolynomial(stheta, sign: 1, stride: m))
        return (arPoly.dropFirst().map { -$0 }, Array(maPoly.dropFirst()))
    }

    /// One-step errors of the ARMA on the differenced series, conditional on the first
    /// len(ar) values and zero earlier errors.
    static func css(_ w: [Double], ar: [Double], ma: [Double], mu: Double) -> (residuals: [Double], sse: Double, n: Int) {
        let p = ar.count, q = ma.count
        var e = [Double](repeating: 0, count: w.count)
        var sse = 0.0
        guard w.count > p else { return (e, .infinity, 0) }
        for t in p..<w.count {
            var pred = mu
            for i in 0..<p { pred += ar[i] * (w[t - 1 - i] - mu) }
            for j in 0..<min(q, t) { pred += ma[j] * e[t - 1 - j] }
            e[t] = w[t] - pred
            sse += e[t] * e[t]
        }
        return (e, sse, w.count - p)
    }

    /// Fits one order by conditional least squares (Nelder–Mead over partial autocorrelations
    /// and the mean).
    public static func fit(_ y: [Double], _ order: ARIMAOrder) -> ARIMAFit? {
        fit(y, order, from: nil)
    }

    /// Fits one order; with `from` (the parameters of a fit of the same order to more of the
    /// same series), one short search from there instead of the two from zero.
    static func fit(_ y: [Double], _ order: ARIMAOrder, from warm: [Double]?) -> ARIMAFit? {
        let o = order
        let w = difference(y, d: o.d, D: o.D, m: o.m)
        let lost = o.p + o.m * o.P
        guard w.count - lost >= max(8, o.p + o.q + o.P + o.Q + 4) else { return nil }
        let np = o.p + o.q + o.P + o.Q
        let wMean = w.reduce(0, +) / Double(w.count)
        let wSD = (w.reduce(0) { $0 + ($1 - wMean) * ($1 - wMean) } / Double(max(w.count - 1, 1))).squareRoot()
        func unpack(_ x: [Double]) -> ([Double], [Double], [Double], [Double], Double) {
            var i = 0
            func take(_ k: Int) -> [Double] { defer { i += k }; return Array(x[i..<(i + k)]) }
            let phi = fromPartials(take(o.p)), theta = fromPartials(take(o.q)).map { -$0 }
            let sphi = fromPartials(take(o.P)), stheta = fromPartials(take(o.Q)).map { -$0 }
            let mu = o.constant ? x[i] : 0
            return (phi, theta, sphi, stheta, mu)
        }
        func objective(_ x: [Double]) -> Double {
            let (phi, theta, sphi, stheta, mu) = unpack(x)
            let (ar, ma) = expanded(phi: phi, theta: theta, sphi: sphi, stheta: stheta, m: o.m)
            let r = css(w, ar: ar, ma: ma, mu: mu)
            return r.sse.isFinite && r.n > 0 ? log(r.sse / Double(r.n)) : 1e12
        }
        var start = [Double](repeating: 0, count: np)
        var steps = [Double](repeating: 0.3, count: np)
        if o.constant { start.append(wMean); steps.append(max(wSD, 1e-8) * 0.2) }
        var x = start
        if let warm, warm.count == start.count, !start.isEmpty {
            x = NelderMead.minimize(objective, start: warm, step: steps.map { $0 * 0.3 }, iterations: 100 * start.count + 100).x
        } else if !start.isEmpty {
            var best = NelderMead.minimize(objective, start: start, step: steps, iterations: 200 * start.count + 200)
            best = NelderMead.minimize(objective, start: best.x, step: steps.map { $0 * 0.3 }, iterations: 100 * start.count + 100)
            x = best.x
        }
        let (phi, theta, sphi, stheta, mu) = unpack(x)
        let (ar, ma) = expanded(phi: phi, theta: theta, sphi: sphi, stheta: stheta, m: o.m)
        let r = css(w, ar: ar, ma: ma, mu: mu)
        guard r.n > 0, r.sse.isFinite else { return nil }
        let sigma2 = max(r.sse / Double(r.n), 1e-300)
        let nw = Double(w.count)
        return ARIMAFit(order: o, phi: phi, theta: theta, seasonalPhi: sphi, seasonalTheta: stheta, mu: mu, sigma2: sigma2,
                        likelihood: nw * (log(2 * .pi * sigma2) + 1), parameterCount: np + (o.constant ? 1 : 0) + 1,
                        nEffective: r.n, y: y, w: w, residuals: r.residuals, parameters: x)
    }

    // MARK: Choosing the differences

    /// The KPSS statistic for level stationarity with the Newey–West long-run variance
    /// (lag ⌊4 (n/100)^¼⌋).
    static func kpss(_ y: [Double]) -> Double {
        let n = y.count
        let mu = y.reduce(0, +) / Double(n)
        let e = y.map { $0 - mu }
        var s = 0.0, eta = 0.0
        for v in e { s += v; eta += s * s }
        let lags = Int(4 * pow(Double(n) / 100, 0.25))
        var lrv = e.reduce(0) { $0 + $1 * $1 } / Double(n)
        if lags > 0 {
            for l in 1...lags {
                var c = 0.0
                for t in l..<n { c += e[t] * e[t - l] }
                lrv += 2 * (1 - Double(l) / Double(lags + 1)) * c / Double(n)
            }
        }
        return lrv > 0 ? eta / (Double(n) * Double(n) * lrv) : 0
    }

    /// Differences while the KPSS test rejects stationarity at 5% (critical value 0.463), at
    /// most twice.
    static func regularDifferences(_ y: [Double]) -> Int {
        var x = y, d = 0
        while d < 2 && x.count > 10 {
            let first = x.first!
            if x.allSatisfy({ $0 == first }) { break }
            if kpss(x) <= 0.463 { break }
            x = difference(x, d: 1, D: 0, m: 1)
            d += 1
        }
        return d
    }

    /// One seasonal difference when the season's strength is above 0.64.
    static func seasonalDifferences(_ y: [Double], period m: Int) -> Int {
        guard m > 1, y.count >= 3 * m else { return 0 }
        return Decomposition.seasonalStrength(y, period: m) > 0.64 ? 1 : 0
    }

    // MARK: The stepwise search

    public static func auto(_ y: [Double], period m0: Int) -> ARIMAFit? {
        guard y.count >= 8 else { return nil }
        let m = m0 > 1 && y.count >= 3 * m0 ? m0 : 1
        let D = seasonalDifferences(y, period: m)
        let d = regularDifferences(D > 0 ? difference(y, d: 0, D: D, m: m) : y)
        let seasonal = m > 1
        let allowConstant = d + D <= 1
        var tried: [ARIMAOrder: ARIMAFit?] = [:]
        var best: ARIMAFit? = nil
        func attempt(_ o: ARIMAOrder) -> Bool {
            guard o.p >= 0, o.q >= 0, o.P >= 0, o.Q >= 0, o.p <= 5, o.q <= 5, o.P <= 2, o.Q <= 2,
                  o.p + o.q + o.P + o.Q <= 5, !o.constant || allowConstant, seasonal || (o.P == 0 && o.Q == 0),
                  tried[o] == nil, tried.count < 94 else { return false }
            let f = fit(y, o)
            tried[o] = f
            guard let f, f.aicc.isFinite else { return false }
            if best == nil || f.aicc < best!.aicc - 1e-9 { best = f; return true }
            return false
        }
        let s = seasonal ? 1 : 0
        for (p, q, P, Q) in [(2, 2, s, s), (0, 0, 0, 0), (1, 0, s, 0), (0, 1, 0, s)] {
            _ = attempt(ARIMAOrder(p, d, q, P, D, Q, m: m, constant: allowConstant))
        }
        if allowConstant { _ = attempt(ARIMAOrder(0, d, 0, 0, D, 0, m: m, constant: false)) }
        var improved = true
        while improved, let b = best?.order {
            improved = false
            var moves: [ARIMAOrder] = []
            for (dp, dq, dP, dQ) in [(0, 0, -1, 0), (0, 0, 1, 0), (0, 0, 0, -1), (0, 0, 0, 1), (0, 0, -1, -1), (0, 0, 1, 1),
                                     (-1, 0, 0, 0), (1, 0, 0, 0), (0, -1, 0, 0), (0, 1, 0, 0), (-1, -1, 0, 0), (1, 1, 0, 0),
                                     (-1, 1, 0, 0), (1, -1, 0, 0)] {
                moves.append(ARIMAOrder(b.p + dp, d, b.q + dq, b.P + dP, D, b.Q + dQ, m: m, constant: b.constant))
            }
            if allowConstant { moves.append(ARIMAOrder(b.p, d, b.q, b.P, D, b.Q, m: m, constant: !b.constant)) }
            for o in moves where attempt(o) { improved = true; break }
        }
        return best
    }

    // MARK: Forecasting

    /// Point forecasts by the recursions with zero future errors; normal intervals from the
    /// ψ-weights of the whole model (differencing included).
    public static func forecast(_ f: ARIMAFit, horizon h: Int) -> ComponentForecast {
        let o = f.order
        let (ar, ma) = expanded(phi: f.phi, theta: f.theta, sphi: f.seasonalPhi, stheta: f.seasonalTheta, m: o.m)
        var w = f.w, e = f.residuals
        for _ in 0..<h {
            let t = w.count
            var pred = f.mu
            for i in 0..<ar.count where t - 1 - i >= 0 { pred += ar[i] * (w[t - 1 - i] - f.mu) }
            for j in 0..<ma.count where t - 1 - j >= 0 { pred += ma[j] * e[t - 1 - j] }
            w.append(pred); e.append(0)
        }
        // Undo the differencing: y_t = w_t − Σ_{k≥1} δ_k y_{t−k}.
        let delta = differencing(d: o.d, D: o.D, m: o.m)
        var y = f.y
        let nw = f.w.count
        for k in 0..<h {
            let t = y.count
            var v = w[nw + k]
            for j in 1..<delta.count { v -= delta[j] * y[t - j] }
            y.append(v)
        }
        let mean = Array(y.suffix(h))
        // ψ-weights of ma(B) / (ar(B) δ(B)).
        let arPoly = multiply([1] + ar.map { -$0 }, delta)
        let full = arPoly.dropFirst().map { -$0 }
        var psi = [Double](repeating: 0, count: h)
        psi[0] = 1
        for j in stride(from: 1, to: h, by: 1) {
            var v = j - 1 < ma.count ? ma[j - 1] : 0
            if !full.isEmpty { for i in 1...min(j, full.count) { v += full[i - 1] * psi[j - i] } }
            psi[j] = v
        }
        var acc = 0.0
        let sd = psi.map { p -> Double in acc += p * p; return (f.sigma2 * acc).squareRoot() }
        return ComponentForecast(normal: mean, sd: sd)
    }
}
