/// A civil (proleptic Gregorian) date held as a day number: days since 1970-01-01.
/// Conversions both ways are a handful of integer operations (H. Hinnant's algorithms),
/// so millions of dates convert in milliseconds and date arithmetic is integer arithmetic.
public struct Day: Hashable, Comparable, Strideable, Sendable, CustomStringConvertible {
    public var number: Int32

    @inlinable public init(number: Int32) { self.number = number }

    /// The day for a valid civil date; nil for an impossible one (2026-02-30, month 13) or a
    /// year outside 1...9999.
    @inlinable public init?(year: Int, month: Int, day: Int) {
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1,
              day <= Day.daysInMonth(year: year, month: month) else { return nil }
        self.number = Int32(Day.daysFromCivil(year, month, day))
    }

    @inlinable public static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    @inlinable public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    @inlinable static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// (year, month, day) of this date.
    @inlinable public var components: (year: Int, month: Int, day: Int) {
        let z = Int(number) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    public var year: Int { components.year }
    public var month: Int { components.month }

    /// ISO weekday: 1 = Monday ... 7 = Sunday. 1970-01-01 was a Thursday.
    public var isoWeekday: Int {
        let w = (Int(number) + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    public var isWeekend: Bool { isoWeekday >= 6 }

    /// The month this day falls in.
    public var yearMonth: YearMonth { let c = components; return YearMonth(year: c.year, month: c.month) }

    /// `YYYY-MM-DD`.
    public var description: String {
        let c = components
        return Day.pad(c.year, 4) + "-" + Day.pad(c.month, 2) + "-" + Day.pad(c.day, 2)
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Parses exactly `YYYY-MM-DD`; nil for anything else or an impossible date.
    public static func parseISO(_ b: UnsafeBufferPointer<UInt8>) -> Day? {
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
        @inline(__always) func dig(_ i: Int) -> Int? {
            let x = b[i] &- 48
            return x < 10 ? Int(x) : nil
        }
        guard let y0 = dig(0), let y1 = dig(1), let y2 = dig(2), let y3 = dig(3),
              let m0 = dig(5), let m1 = dig(6), let d0 = dig(8), let d1 = dig(9) else { return nil }
        return Day(year: y0 * 1000 + y1 * 100 + y2 * 10 + y3, month: m0 * 10 + m1, day: d0 * 10 + d1)
    }

    public init?(iso text: String) {
        var t = text
        guard let d = t.withUTF8({ Day.parseISO($0) }) else { return nil }
        self = d
    }

    public static func < (l: Day, r: Day) -> Bool { l.number < r.number }
    public func distance(to other: Day) -> Int { Int(other.number) - Int(number) }
    public func advanced(by n: Int) -> Day { Day(number: number + Int32(n)) }
    public static func + (d: Day, n: Int) -> Day { d.advanced(by: n) }
    public static func - (d: Day, n: Int) -> Day { d.advanced(by: -n) }
    public static func - (a: Day, b: Day) -> Int { Int(a.number) - Int(b.number) }
}

/// A calendar month, e.g. 2026-10: the default reporting period.
public struct YearMonth: Hashable, Comparable, Strideable, Sendable, CustomStringConvertible {
    /// Months since year 0: year * 12 + (month - 1).
    public var index: Int

    public init(year: Int, month: Int) { index = year * 12 + (month - 1) }
    public init(index: Int) { self.index = index }

    public var year: Int { index / 12 }
    public var month: Int { index % 12 + 1 }
    public var firstDay: Day { Day(year: year, month: month, day: 1)! }
    public var lastDay: Day { Day(year: year, month: month, day: Day.daysInMonth(year: year, month: month))! }
    public var dayCount: Int { Day.daysInMonth(year: year, month: month) }

    /// `YYYY-MM`.
    public var description: String { Day.pad(year, 4) + "-" + Day.pad(month, 2) }

    /// Parses `YYYY-MM`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), y >= 1, m >= 1, m <= 12 else { return nil }
        self.init(year: y, month: m)
    }

    public static func < (l: YearMonth, r: YearMonth) -> Bool { l.index < r.index }
    public func distance(to other: YearMonth) -> Int { other.index - index }
    public func advanced(by n: Int) -> YearMonth { YearMonth(index: index + n) }
}

/// A local date and time (no time zone), as exported in `*_at` columns; second precision.
public struct LocalTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00 local.
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    public init(day: Day, hour: Int, minute: Int, second: Int = 0) {
        seconds = Int64(day.number) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
    }

    public var day: Day {
        Day(number: Int32(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400))
    }
    public var secondOfDay: Int { Int(seconds - Int64(day.number) * 86_400) }
    public var hour: Int { secondOfDay / 3600 }

    /// `YYYY-MM-DDTHH:MM:SS`.
    public var description: String {
        let s = secondOfDay
        return "\(day)T" + Day.pad(s / 3600, 2) + ":" + Day.pad(s / 60 % 60, 2) + ":" + Day.pad(s % 60, 2)
    }

    public static func < (l: LocalTimestamp, r: LocalTimestamp) -> Bool { l.seconds < r.seconds }
}

// Plain values (no references): parsers write columns of them through pointers
// (ARLoading's `ColumnBuilder`).
extension Day: BitwiseCopyable {}
extension LocalTimestamp: BitwiseCopyable {}
