import ARModel

/// A date layout such as `YYYY-MM-DD`, `M/D/YYYY`, `DD.MM.YYYY` or `D-MMM-YYYY`.
/// `YYYY` four-digit year, `YY` two-digit year (2000-2099), `MM`/`DD` exactly two digits,
/// `M`/`D` one or two, `MMM` an English month abbreviation; anything else is a literal.
public struct DateFormat: Sendable, Hashable, CustomStringConvertible {
    enum Part: Sendable, Hashable {
        case year4, year2, month2, month1, monthName, day2, day1
        case literal(UInt8)
    }
    let parts: [Part]
    public let pattern: String
    /// `YYYY-MM-DD`: read by the fixed-layout fast path (comparing formats on every value
    /// would cost more than the parse).
    let isISO: Bool

    public static let iso = DateFormat(validated: "YYYY-MM-DD")

    private init(validated p: String) { self = DateFormat(p)! }

    public init?(_ pattern: String) {
        var parts: [Part] = []
        let u = Array(pattern.utf8)
        var i = 0
        func run(_ c: UInt8) -> Int {
            var n = 0
            while i + n < u.count && u[i + n] == c { n += 1 }
            return n
        }
        var y = 0, m = 0, d = 0
        while i < u.count {
            let c = u[i]
            switch c {
            case UInt8(ascii: "Y"):
                let n = run(c)
                guard n == 4 || n == 2 else { return nil }
                parts.append(n == 4 ? .year4 : .year2); i += n; y += 1
            case UInt8(ascii: "M"):
                let n = run(c)
                guard n <= 3 else { return nil }
                parts.append(n == 3 ? .monthName : n == 2 ? .month2 : .month1); i += n; m += 1
            case UInt8(ascii: "D"):
                let n = run(c)
                guard n <= 2 else { return nil }
                parts.append(n == 2 ? .day2 : .day1); i += n; d += 1
            default:
                guard c < 0x80, !(c >= 48 && c <= 57), !(c >= 65 && c <= 90), !(c >= 97 && c <= 122) else { return nil }
                parts.append(.literal(c)); i += 1
            }
        }
        guard y == 1, m == 1, d == 1 else { return nil }
        self.parts = parts
        self.pattern = pattern
        self.isISO = parts == [.year4, .literal(45), .month2, .literal(45), .day2]
    }

    public var description: String { pattern }

    private static let monthNames: [[UInt8]] = ["jan", "feb", "mar", "apr", "may", "jun",
                                                "jul", "aug", "sep", "oct", "nov", "dec"].map { Array($0.utf8) }

    /// Parses the whole of `b`; nil when it does not match or names an impossible date.
    public func parse(_ b: UnsafeBufferPointer<UInt8>) -> Day? {
        if isISO { return Day.parseISO(b) }
        guard let (day, used) = parsePrefix(b), used == b.count else { return nil }
        return day
    }

    /// Parses a date at the start of `b`: the day and how many bytes it used.
    func parsePrefix(_ b: UnsafeBufferPointer<UInt8>) -> (day: Day, used: Int)? {
        if isISO && b.count >= 10, let d = Day.parseISO(UnsafeBufferPointer(rebasing: b[0..<10])) { return (d, 10) }
        guard let (y, m, d, used) = components(b), let day = Day(year: y, month: m, day: d) else { return nil }
        return (day, used)
    }

    /// True when `b` has this layout, whether or not the date exists (2026-02-30 does not).
    public func matchesLayout(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let (_, m, _, used) = components(b) else { return false }
        return used == b.count && m >= 1
    }

    /// The year, month and day written at the start of `b`, unchecked, and the bytes used.
    func components(_ b: UnsafeBufferPointer<UInt8>) -> (Int, Int, Int, Int)? {
        var i = 0
        var year = 0, month = 0, day = 0
        func digits(_ minN: Int, _ maxN: Int) -> Int? {
            var v = 0, n = 0
            while n < maxN && i < b.count && b[i] >= 48 && b[i] <= 57 {
                v = v * 10 + Int(b[i] - 48); n += 1; i += 1
            }
            return n >= minN ? v : nil
        }
        for part in parts {
            switch part {
            case .year4: guard let v = digits(4, 4) else { return nil }; year = v
            case .year2: guard let v = digits(2, 2) else { return nil }; year = 2000 + v
            case .month2: guard let v = digits(2, 2) else { return nil }; month = v
            case .month1: guard let v = digits(1, 2) else { return nil }; month = v
            case .day2: guard let v = digits(2, 2) else { return nil }; day = v
            case .day1: guard let v = digits(1, 2) else { return nil }; day = v
            case .monthName:
                guard i + 3 <= b.count else { return nil }
                let name = [b[i] | 0x20, b[i + 1] | 0x20, b[i + 2] | 0x20]
                guard let k = DateFormat.monthNames.firstIndex(of: name) else { return nil }
                month = k + 1; i += 3
            case .literal(let c):
                guard i < b.count, b[i] == c else { return nil }
                i += 1
            }
        }
        return (year, month, day, i)
    }

    /// Parses a timestamp: this date, then `T` or a space and `HH:MM[:SS]`; a bare date is
    /// midnight.
    public func parseTimestamp(_ b: UnsafeBufferPointer<UInt8>) -> LocalTimestamp? {
        guard let (day, used) = parsePrefix(b) else { return nil }
        if used == b.count { return LocalTimestamp(day: day, hour: 0, minute: 0) }
        var i = used
        guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        func two() -> Int? {
            guard i + 2 <= b.count, b[i] >= 48, b[i] <= 57, b[i + 1] >= 48, b[i + 1] <= 57 else { return nil }
            defer { i += 2 }
            return Int(b[i] - 48) * 10 + Int(b[i + 1] - 48)
        }
        guard let h = two(), h < 24, i < b.count, b[i] == UInt8(ascii: ":"), ({ i += 1; return true })(),
              let m = two(), m < 60 else { return nil }
        var s = 0
        if i < b.count {
            guard b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard let v = two(), v < 60 else { return nil }
            s = v
            // Fractional seconds are accepted and dropped.
            if i < b.count && b[i] == UInt8(ascii: ".") {
                i += 1
                while i < b.count && b[i] >= 48 && b[i] <= 57 { i += 1 }
            }
        }
        guard i == b.count else { return nil }
        return LocalTimestamp(day: day, hour: h, minute: m, second: s)
    }
}
