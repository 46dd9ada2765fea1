import Foundation

/// Tick placement by the "extended" algorithm of Talbot, Lin and Hanrahan (an extension of
/// Wilkinson's, InfoVis 2010): among candidate sequences `q × 10^z` (q from a preference list,
/// skipping j of them), it picks the one that best balances simplicity (nice steps, zero
/// included), coverage (ticks span the data, not much more), and density (close to the wanted
/// number of ticks).
public enum Ticks {
    static let Q: [Double] = [1, 5, 2, 2.5, 4, 3]
    static let w = (simplicity: 0.25, coverage: 0.2, density: 0.5, legibility: 0.05)

    /// Nice ticks for data in `lo...hi`, about `m` of them. With `loose`, the ticks cover the
    /// data (the first <= lo, the last >= hi), as an axis needs.
    public static func extended(_ lo: Double, _ hi: Double, m: Int = 5, loose: Bool = false) -> [Double] {
        var dmin = lo, dmax = hi
        if !(dmin.isFinite && dmax.isFinite) { return [] }
        if dmax - dmin < 1e-10 {
            // One value: a small range around it.
            let pad = dmin == 0 ? 1 : abs(dmin) * 0.1
            dmin -= pad; dmax += pad
        }
        let eps = 1e-10
        let n = Double(Q.count)
        var best: (lmin: Double, lmax: Double, step: Double, score: Double)? = nil
        var bestScore = -2.0
        func simplicity(_ i: Int, _ j: Double, _ lmin: Double, _ lmax: Double, _ step: Double) -> Double {
            let rem = lmin.truncatingRemainder(dividingBy: step)
            let v: Double = ((abs(rem) < eps || step - abs(rem) < eps) && lmin <= 0 && lmax >= 0) ? 1 : 0
            return 1 - Double(i) / (n - 1) - j + v
        }
        func simplicityMax(_ i: Int, _ j: Double) -> Double { 1 - Double(i) / (n - 1) - j + 1 }
        func coverage(_ lmin: Double, _ lmax: Double) -> Double {
            let r = dmax - dmin
            return 1 - 0.5 * (pow(dmax - lmax, 2) + pow(dmin - lmin, 2)) / pow(0.1 * r, 2)
        }
        func coverageMax(_ span: Double) -> Double {
            let r = dmax - dmin
            if span > r {
                let half = (span - r) / 2
                return 1 - 0.5 * (2 * half * half) / pow(0.1 * r, 2)
            }
            return 1
        }
        func density(_ k: Double, _ lmin: Double, _ lmax: Double) -> Double {
            let r = (k - 1) / (lmax - lmin)
            let rt = (Double(m) - 1) / (max(lmax, dmax) - min(dmin, lmin))
            return 2 - max(r / rt, rt / r)
        }
        func densityMax(_ k: Double) -> Double { k >= Double(m) ? 2 - (k - 1) / (Double(m) - 1) : 1 }

        var j = 1.0
        outer: while j < 20 {
            for (i, q) in Q.enumerated() {
                let sm = simplicityMax(i, j)
                if w.simplicity * sm + w.coverage + w.density + w.legibility < bestScore { break outer }
                var k = 2.0
                while k < 40 {
                    let dm = densityMax(k)
                    if w.simplicity * sm + w.coverage + w.density * dm + w.legibility < bestScore { break }
                    let delta = (dmax - dmin) / (k + 1) / j / q
                    var z = ceil(log10(delta))
                    while z < 30 {
                        let step = j * q * pow(10, z)
                        let cm = coverageMax(step * (k - 1))
                        if w.simplicity * sm + w.coverage * cm + w.density * dm + w.legibility < bestScore { break }
                        let minStart = Int(floor(dmax / step) * j - (k - 1) * j)
                        let maxStart = Int(ceil(dmin / step) * j)
                        if minStart <= maxStart {
                            for start in minStart...maxStart {
                                let lmin = Double(start) * (step / j)
                                let lmax = lmin + step * (k - 1)
                                let s = simplicity(i, j, lmin, lmax, step)
                                let c = coverage(lmin, lmax)
                                let g = density(k, lmin, lmax)
                                let score = w.simplicity * s + w.coverage * c + w.density * g + w.legibility
                                if score > bestScore && (!loose || (lmin <= dmin + eps && lmax >= dmax - eps)) {
                                    bestScore = score
                                    best = (lmin, lmax, step, score)
                                }
                            }
                        }
                        z += 1
                    }
                    k += 1
                }
            }
            j += 1
        }
        guard let b = best else { return [dmin, dmax] }
        let count = Int(((b.lmax - b.lmin) / b.step).rounded()) + 1
        // Built from integers so 0.1 * 3 prints as 0.3.
        return (0..<count).map { clean(b.lmin + Double($0) * b.step, step: b.step) }
    }

    /// Removes binary noise: 0.30000000000000004 -> 0.3.
    static func clean(_ v: Double, step: Double) -> Double {
        let digits = max(0, -Int(floor(log10(step))) + 2)
        let f = pow(10, Double(min(digits, 12)))
        let r = (v * f).rounded() / f
        return r == 0 ? 0 : r
    }
}
