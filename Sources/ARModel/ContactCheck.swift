/// Whether contact data is usable: the checks behind the data-quality findings and the
/// `contact_completeness` KPI.
public enum ContactCheck {
    /// local@domain.tld: one @, no spaces, a dot in the domain, a top-level domain of 2+ letters.
    public static func isEmail(_ s: String) -> Bool {
        var t = s
        if let ascii = t.withUTF8({ asciiEmail($0) }) { return ascii }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !s.contains(" "), !s.contains(",") else { return false }
        let domain = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard domain.count >= 2, domain.allSatisfy({ !$0.isEmpty }), let tld = domain.last,
              tld.count >= 2, tld.allSatisfy({ $0.isLetter }) else { return false }
        return true
    }

    /// `isEmail` on ASCII bytes (the same rules, a byte at a time: every ASCII character is one
    /// byte, and a letter is A-Z or a-z); nil when there is a byte outside ASCII.
    static func asciiEmail(_ b: UnsafeBufferPointer<UInt8>) -> Bool? {
        var at = -1, ats = 0, bad = false
        for i in 0..<b.count {
            let c = b[i]
            if c >= 0x80 { return nil }
            if c == UInt8(ascii: "@") { ats += 1; at = i }
            if c == UInt8(ascii: " ") || c == UInt8(ascii: ",") { bad = true }
        }
        guard ats == 1, at > 0, !bad else { return false }
        // The domain: two labels or more, none empty; the last of 2+ letters.
        var start = at + 1, labels = 0, tld = start
        for i in (at + 1)...b.count where i == b.count || b[i] == UInt8(ascii: ".") {
            if i == start { return false }
            labels += 1
            tld = start
            start = i + 1
        }
        guard labels >= 2, b.count - tld >= 2 else { return false }
        for i in tld..<b.count {
            let c = b[i] | 0x20
            if c < UInt8(ascii: "a") || c > UInt8(ascii: "z") { return false }
        }
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
