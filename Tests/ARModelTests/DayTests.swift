import Testing
@testable import ARModel

@Suite struct DayTests {
    @Test func epochAndKnownDays() {
        #expect(Day(year: 1970, month: 1, day: 1)!.number == 0)
        #expect(Day(year: 2000, month: 3, day: 1)!.number == 11017)
        #expect(Day(year: 1969, month: 12, day: 31)!.number == -1)
        #expect(Day(year: 2026, month: 11, day: 29)!.number == 20_786)
    }

    @Test func roundTripEveryDayOfEightCenturies() {
        // Every civil date 1600-01-01 ... 2399-12-31 converts to a day number and back.
        var expected = Int32(Day(year: 1600, month: 1, day: 1)!.number)
        for y in 1600..<2400 {
            for m in 1...12 {
                for d in 1...Day.daysInMonth(year: y, month: m) {
                    let day = Day(year: y, month: m, day: d)!
                    #expect(day.number == expected)
                    let c = day.components
                    if c.year != y || c.month != m || c.day != d { Issue.record("\(y)-\(m)-\(d) came back as \(c)") }
                    expected += 1
                }
            }
        }
    }

    @Test func impossibleDatesAreRejected() {
        #expect(Day(year: 2026, month: 2, day: 30) == nil)
        #expect(Day(year: 2026, month: 2, day: 29) == nil)
        #expect(Day(year: 2024, month: 2, day: 29) != nil)
        #expect(Day(year: 2100, month: 2, day: 29) == nil)
        #expect(Day(year: 2000, month: 2, day: 29) != nil)
        #expect(Day(year: 2026, month: 13, day: 1) == nil)
        #expect(Day(year: 2026, month: 4, day: 31) == nil)
        #expect(Day(year: 0, month: 1, day: 1) == nil)
    }

    @Test func isoParsingAndFormatting() {
        #expect(Day(iso: "2026-10-31")?.description == "2026-10-31")
        #expect(Day(iso: "0999-01-05")?.description == "0999-01-05")
        #expect(Day(iso: "2026-02-30") == nil)
        #expect(Day(iso: "2026-1-05") == nil)
        #expect(Day(iso: "2026/10/31") == nil)
        #expect(Day(iso: "2026-10-31 ") == nil)
    }

    @Test func weekdaysAndMonths() {
        #expect(Day(iso: "2026-11-29")!.isoWeekday == 7)   // a Sunday
        #expect(Day(iso: "2026-11-30")!.isoWeekday == 1)
        #expect(Day(iso: "1969-12-28")!.isoWeekday == 7)
        #expect(Day(iso: "2026-09-05")!.isWeekend)
        let ym = YearMonth("2024-02")!
        #expect(ym.lastDay.description == "2024-02-29")
        #expect(ym.dayCount == 29)
        #expect(ym.advanced(by: 11).description == "2025-01")
        #expect(YearMonth("2024-13") == nil)
        #expect(Day(iso: "2026-10-31")!.yearMonth == YearMonth("2026-10")!)
        #expect(Day(iso: "2026-03-01")! - Day(iso: "2026-02-01")! == 28)
    }

    @Test func timestamps() {
        let t = LocalTimestamp(day: Day(iso: "2026-09-05")!, hour: 22, minute: 47, second: 5)
        #expect(t.description == "2026-09-05T22:47:05")
        #expect(t.hour == 22)
        let before = LocalTimestamp(day: Day(iso: "1969-12-31")!, hour: 23, minute: 0)
        #expect(before.day.description == "1969-12-31")
        #expect(before.hour == 23)
    }
}
