/// Whether contact data is usable: the checks behind the data-quality findings and the
/// `contact_completeness` KPI.
public enum ContactCheck {
    /// local@domain.tld: one @, no spaces, a dot in the domain, a top-level domain of 2+ letters.
    public static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !s.contains(" "), !s.contains(",") else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard domain.count >= 2, domain.allSatisfy({ !$0.isEmpty }), let tld = domain.last,
              tld.count >= 2, tld.allSatisfy({ $0.isLetter }) else { return false }
        return true
    }

    /// Digits with an optional + at the start and the usual separators; 7 to 15 digits (E.164).
    public static func isPhone(_ s: String) -> Bool {
        var digits = 0
        for (i, ch) in s.enumerated() {
            if ch.isASCII && ch.isNumber { digits += 1 }
            else if ch == "+" && i == 0 { continue }
            else if " -().".contains(ch) { continue }
            else { return false }
        }
        return (7...15).contains(digits)
    }
}
