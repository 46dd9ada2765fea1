import Foundation

/// How chart values read: money compactly ($1.2M, €850K, ¥3.4M), percentages, days, counts.
public enum ValueFormat: Sendable, Equatable {
    /// Money in major units with a currency sign (or code).
    case money(symbol: String)
    case percent
    case days
    case count
    case ratio
    case plain

    /// The sign for a currency code: $ € £ ¥, or the code itself followed by a space.
    public static func symbol(forCurrency code: String) -> String {
        switch code {
        case "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN": return code == "USD" ? "$" : code + " "
        case "EUR": return "€"
        case "GBP": return "£"
        case "JPY", "CNY": return "¥"
        case "INR": return "₹"
        case "KRW": return "₩"
        default: return code + " "
        }
    }

    /// Compact form for axes and labels: 1.2M, 850K, 12.5%, 45 d.
    public func short(_ v: Double) -> String {
        switch self {
        case .money(let s): return (v < 0 ? "-" : "") + s + ValueFormat.compact(abs(v))
        case .percent: return ValueFormat.trim(v, maxDecimals: abs(v) < 10 ? 1 : 0) + "%"
        case .days: return ValueFormat.trim(v, maxDecimals: abs(v) < 10 ? 1 : 0)
        case .count: return ValueFormat.compact(v)
        case .ratio: return ValueFormat.trim(v, maxDecimals: 2)
        case .plain: return ValueFormat.compact(v)
        }
    }

    /// Fuller form for value labels: $1.24M, 47.9 days, 12.5%.
    public func label(_ v: Double) -> String {
        switch self {
        case .money(let s): return (v < 0 ? "-" : "") + s + ValueFormat.compact(abs(v), precise: true)
        case .percent:
            // Small shares keep two significant digits: 0.020%, not 0.0%.
            let d = v == 0 ? 1 : max(1, min(4, 1 - Int(floor(log10(abs(v))))))
            return String(format: "%.\(d)f%%", v)
        case .days: return String(format: "%.1f", v)
        case .count: return ValueFormat.grouped(Int(v.rounded()))
        case .ratio: return String(format: "%.2f", v)
        case .plain: return ValueFormat.trim(v, maxDecimals: 2)
        }
    }

    /// Labels for axis ticks: as compact as possible while every tick reads exactly
    /// (1.25M stays 1.25M, 12.5% stays 12.5%).
    public func axis(_ ticks: [Double]) -> [String] {
        for decimals in 0...4 {
            let labels = ticks.map { axisLabel($0, decimals) }
            if zip(labels, ticks).allSatisfy({ exact($0.0, $0.1) }) { return labels }
        }
        return ticks.map(short)
    }

    func axisLabel(_ v: Double, _ decimals: Int) -> String {
        switch self {
        case .money(let s):
            let a = abs(v)
            let (div, suffix): (Double, String) = a >= 1e9 ? (1e9, "B") : a >= 1e6 ? (1e6, "M") : a >= 1e3 ? (1e3, "K") : (1, "")
            return (v < 0 ? "-" : "") + s + ValueFormat.trim(a / div, maxDecimals: decimals) + suffix
        case .count, .plain:
            let a = abs(v)
            let (div, suffix): (Double, String) = a >= 1e9 ? (1e9, "B") : a >= 1e6 ? (1e6, "M") : a >= 1e3 ? (1e3, "K") : (1, "")
            return (v < 0 ? "-" : "") + ValueFormat.trim(a / div, maxDecimals: decimals) + suffix
        case .percent: return ValueFormat.trim(v, maxDecimals: decimals) + "%"
        case .days, .ratio: return ValueFormat.trim(v, maxDecimals: decimals)
        }
    }

    /// Whether `label` shows `v` without rounding.
    func exact(_ label: String, _ v: Double) -> Bool {
        var s = label
        var mult = 1.0
        if s.hasSuffix("%") { s.removeLast() }
        if s.hasSuffix("B") { mult = 1e9; s.removeLast() } else if s.hasSuffix("M") { mult = 1e6; s.removeLast() }
        else if s.hasSuffix("K") { mult = 1e3; s.removeLast() }
        let negative = s.hasPrefix("-")
        let digits = s.filter { $0.isNumber || $0 == "." }
        guard let x = Double(digits) else { return false }
        let value = (negative ? -x : x) * mult
        return abs(value - v) <= max(1e-9, abs(v) * 1e-12)
    }

    static func compact(_ v: Double, precise: Bool = false) -> String {
        let a = abs(v)
        let (div, suffix): (Double, String) = a >= 1e9 ? (1e9, "B") : a >= 1e6 ? (1e6, "M") : a >= 1e3 ? (1e3, "K") : (1, "")
        let x = v / div
        let decimals = suffix.isEmpty ? (a == a.rounded() || a >= 10 ? 0 : (precise ? 2 : 1))
                                      : (abs(x) < 10 ? (precise ? 2 : 1) : (abs(x) < 100 && precise ? 1 : 0))
        return trim(x, maxDecimals: decimals) + suffix
    }

    public static func trim(_ v: Double, maxDecimals: Int) -> String {
        var s = String(format: "%.\(maxDecimals)f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }

    public static func grouped(_ n: Int) -> String {
        let s = String(abs(n))
        var out = ""
        for (i, ch) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
