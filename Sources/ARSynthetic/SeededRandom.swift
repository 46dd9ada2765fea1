import Foundation

/// xoshiro256** seeded through SplitMix64: fast, good quality, and the same stream for the
/// same seed on every machine, so a generated ledger is reproducible byte for byte.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var x = seed
        func splitmix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitmix(); s1 = splitmix(); s2 = splitmix(); s3 = splitmix()
    }

    /// An independent stream for a named purpose, so adding draws in one part of the
    /// simulation does not shift every other part.
    public func fork(_ label: UInt64) -> SeededRandom {
        var copy = self
        return SeededRandom(seed: copy.next() ^ (label &* 0xD134_2543_DE82_EF95))
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in `range`.
    public mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// Standard normal (Box-Muller; one value per call for a stable stream).
    public mutating func normal(_ mean: Double = 0, _ sd: Double = 1) -> Double {
        let u1 = max(uniform(), 1e-300), u2 = uniform()
        return mean + sd * (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * .pi * u2)
    }

    /// exp(N(mu, sigma)).
    public mutating func lognormal(_ mu: Double, _ sigma: Double) -> Double { Foundation.exp(normal(mu, sigma)) }

    /// Exponential with the given mean.
    public mutating func exponential(_ mean: Double) -> Double { -mean * Foundation.log(max(1 - uniform(), 1e-300)) }

    /// Poisson (Knuth for small means, a rounded normal for large ones).
    public mutating func poisson(_ lambda: Double) -> Int {
        if lambda <= 0 { return 0 }
        if lambda > 40 { return max(0, Int((normal(lambda, lambda.squareRoot())).rounded())) }
        let l = Foundation.exp(-lambda)
        var k = 0, p = 1.0
        repeat { k += 1; p *= uniform() } while p > l
        return k - 1
    }

    /// An index drawn with the given weights.
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = uniform() * total
        for (i, w) in weights.enumerated() {
            x -= w
            if x < 0 { return i }
        }
        return weights.count - 1
    }

    public mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
}
