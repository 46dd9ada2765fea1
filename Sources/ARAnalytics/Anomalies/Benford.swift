import Foundation

/// Benford's-law digit tests (Nigrini): first digit, first two digits, second digit, last two
/// digits. Digits are read from the decimal representation of integer minor units, never
/// through floating-point logarithms, so 0.1 + 0.2 cannot become 0.30000000000000004.
public enum Benford {
    public enum Test: String, CaseIterable, Sendable {
        case first, firstTwo = "first-two", second, lastTwo = "last-two"

        public var digits: [Int] {
            switch self {
            case .first: return Array(1...9)
            case .firstTwo: return Array(10...99)
            case .second: return Array(0...9)
            case .lastTwo: return Array(0...99)
            }
        }

        /// Nigrini's MAD conformity thresholds: close, acceptable, marginal (above: nonconformity).
        public var madThresholds: (Double, Double, Double) {
            switch self {
            case .first: return (0.006, 0.012, 0.015)
            case .firstTwo: return (0.0012, 0.0018, 0.0022)
            case .second: return (0.008, 0.010, 0.012)
            case .lastTwo: return (0.0012, 0.0018, 0.0022)   // against the uniform distribution
            }
        }

        /// The expected proportion of each digit group.
        public func expected(_ d: Int) -> Double {
            switch self {
            case .first, .firstTwo: return log10(1 + 1 / Double(d))
            case .second:
                var p = 0.0
                for k in 1...9 { p += log10(1 + 1 / Double(10 * k + d)) }
                return p
            case .lastTwo: return 0.01
            }
        }
    }

    public struct Result: Sendable {
        public let test: Test
        public let n: Int
        public let skipped: Int
        public let chiSquare: Double
        public let mad: Double
        public let conformity: String
        public let ks: Double
        public let digits: [(digit: Int, observed: Double, expected: Double, count: Int, z: Double)]
        /// Digit groups whose z-statistic exceeds 1.96 and that occur more often than expected.
        public var standouts: [Int] { digits.filter { $0.z > 1.96 && $0.observed > $0.expected }.map(\.digit) }
    }

    /// The digit group of `v` (positive integer units, any scale) for `test`, nil when the
    /// number has too few digits (a second digit needs two, the last two need three).
    @inline(__always)
    public static func group(_ v: Int64, _ test: Test) -> Int? {
        guard v > 0 else { return nil }
        switch test {
        case .lastTwo:
            return v >= 100 ? Int(v % 100) : nil
        default:
            var x = v
            while x >= 100 { x /= 10 }
            switch test {
            case .first: return Int(x >= 10 ? x / 10 : x)
            case .firstTwo: return x >= 10 ? Int(x) : nil
            case .second: return x >= 10 ? Int(x % 10) : nil
            case .lastTwo: return nil
            }
        }
    }

    /// Runs `test` on amounts given in integer units (minor units, or any integer scaling).
    public static func run(_ values: [Int64], _ test: Test, skippedBefore: Int = 0) -> Result {
        let groups = test.digits
        let base = groups.first!
        var counts = [Int](repeating: 0, count: groups.count)
        var skipped = skippedBefore, n = 0
        for v in values {
            guard let g = group(v, test) else { skipped += 1; continue }
            counts[g - base] += 1
            n += 1
        }
        var chi = 0.0, mad = 0.0, ks = 0.0, cumO = 0.0, cumE = 0.0
        var rows: [(Int, Double, Double, Int, Double)] = []
        for (k, d) in groups.enumerated() {
            let e = test.expected(d)
            let o = n == 0 ? 0 : Double(counts[k]) / Double(n)
            if n > 0 {
                let expCount = e * Double(n)
                chi += (Double(counts[k]) - expCount) * (Double(counts[k]) - expCount) / expCount
            }
            mad += abs(o - e)
            cumO += o; cumE += e
            ks = max(ks, abs(cumO - cumE))
            // Nigrini's z with continuity correction.
            let z = n == 0 ? 0 : max(0, abs(o - e) - 1 / (2 * Double(n))) / (e * (1 - e) / Double(n)).squareRoot()
            rows.append((d, o, e, counts[k], z))
        }
        mad /= Double(groups.count)
        let (c, a, mg) = test.madThresholds
        let conformity = n == 0 ? "n/a" : mad <= c ? "close" : mad <= a ? "acceptable" : mad <= mg ? "marginal" : "nonconformity"
        return Result(test: test, n: n, skipped: skipped, chiSquare: chi, mad: mad, conformity: conformity, ks: ks,
                      digits: rows.map { (digit: $0.0, observed: $0.1, expected: $0.2, count: $0.3, z: $0.4) })
    }

    /// Reads a decimal string as integer units at a fixed scale (cents for 2), exactly.
    /// Nil for anything that is not a plain positive or negative decimal.
    public static func scaled(_ text: Substring, scale: Int = 2) -> Int64? {
        var value: Int64 = 0, decimals = -1, digits = 0, negative = false
        for (i, ch) in text.utf8.enumerated() {
            if ch == UInt8(ascii: "-") && i == 0 { negative = true; continue }
            if ch == UInt8(ascii: ".") && decimals < 0 { decimals = 0; continue }
            guard ch >= 48 && ch <= 57 else { return nil }
            if decimals >= 0 { decimals += 1; if decimals > scale { continue } }
            digits += 1
            if digits > 17 { return nil }
            value = value * 10 + Int64(ch - 48)
        }
        if digits == 0 { return nil }
        for _ in 0..<(scale - min(max(decimals, 0), scale)) { value *= 10 }
        return negative ? -value : value
    }
}
