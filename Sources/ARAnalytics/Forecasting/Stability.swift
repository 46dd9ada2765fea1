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
        while c.count > 1 && abs(c.reduce(0, +)) <= tolerance * max(1, c.reduce(0) { max($0, abs($1)) }) {
            // Synthetic division by (z − 1), from the highest power down.
            let n = c.count - 1
            var q = [Double](repeating: 0, count: n)
            var carry = 0.0
            for i in stride(from: n, through: 1, by: -1) { carry = c[i] + carry; q[i - 1] = carry }
            c = q
        }
        // The step-down, between two buffers (no allocation per step).
        var n = c.count - 1
        guard n > 0 else { return true }
        var d = [Double](repeating: 0, count: n)
        c.withUnsafeMutableBufferPointer { cb in
            d.withUnsafeMutableBufferPointer { db in
                var src = cb.baseAddress!, dst = db.baseAddress!
                while n > 0 {
                    let k = src[0] / src[n]
                    if !(abs(k) < 1 - 1e-12) { n = -1; return }
                    for i in 1...n { dst[i - 1] = src[i] - k * src[n - i] }
                    swap(&src, &dst)
                    n -= 1
                }
            }
        }
        if n < 0 { return false }
        return true
    }
}
