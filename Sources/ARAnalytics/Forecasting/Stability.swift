import Foundation

enum Stability {
    /// Whether every root of the polynomial c[0] + c[1] z + … + c[n] z^n lies in the closed
    /// unit disk, a root at z = 1 being divided out first. The Schur–Cohn step-down: with k
    /// the ratio of the constant to the leading coefficient, all roots lie strictly inside
    /// exactly when |k| < 1 and the same holds for (p(z) − k·p*(z)) / z, p* the reversed
    /// polynomial.
    static func rootsInUnitDisk(_ coefficients: [Double], tolerance: Double = 1e-9) -> Bool {
        var c = coefficients
        while c.count > 1 && c.last! == 0 { c.removeLast() }
        // Divide out (z − 1) while p(1) is zero.
        while c.count > 1 && abs(c.reduce(0, +)) <= tolerance * max(1, c.map(abs).max()!) {
            // Synthetic division by (z − 1), from the highest power down.
            let n = c.count - 1
            var q = [Double](repeating: 0, count: n)
            var carry = 0.0
            for i in stride(from: n, through: 1, by: -1) { carry = c[i] + carry; q[i - 1] = carry }
            c = q
        }
        while c.count > 1 {
            let n = c.count - 1
            let k = c[0] / c[n]
            if !(abs(k) < 1 - 1e-12) { return false }
            var d = [Double](repeating: 0, count: n)
            for i in 1...n { d[i - 1] = c[i] - k * c[n - i] }
            c = d
        }
        return true
    }
}
