import ARModel

/// How a letter writes dates and amounts in its language: English keeps ISO dates in tables,
/// "30 October 2026" in text and 1,234.56; French writes 30/10/2026, "30 octobre 2026" and
/// 1 234,56 (a narrow no-break space between thousands); German 30.10.2026, "30. Oktober 2026"
/// and 1.234,56. Amounts are exact: the digits of the integer minor units, only the marks change.
public struct LetterLocale: Sendable, Equatable {
    public let code: String

    public init(_ code: String) { self.code = code }

    static let months: [String: [String]] = [
        "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
        "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
    ]

    public func longDate(_ d: Day) -> String {
        let c = d.components
        let m = (LetterLocale.months[code] ?? LetterLocale.months["en"]!)[c.month - 1]
        switch code {
        case "fr": return "\(c.day == 1 ? "1er" : String(c.day)) \(m) \(c.year)"
        case "de": return "\(c.day). \(m) \(c.year)"
        default: return "\(c.day) \(m) \(c.year)"
        }
    }

    /// A date in a table column.
    public func shortDate(_ d: Day) -> String {
        let c = d.components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        switch code {
        case "fr": return "\(two(c.day))/\(two(c.month))/\(c.year)"
        case "de": return "\(two(c.day)).\(two(c.month)).\(c.year)"
        default: return d.description
        }
    }

    /// `minor` units with `digits` decimals, grouped by thousands.
    public func money(_ minor: Int64, digits: Int) -> String {
        let s = Money.decimalString(minor, digits: digits, grouping: ",")
        switch code {
        case "fr": return String(s.map { $0 == "," ? "\u{202F}" : $0 == "." ? "," : $0 })
        case "de": return String(s.map { $0 == "," ? "." : $0 == "." ? "," : $0 })
        default: return s
        }
    }

    public func money(_ minor: Int64, _ c: Currency) -> String { money(minor, digits: c.minorDigits) }
}
