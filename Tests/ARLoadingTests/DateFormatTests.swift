import Testing
import ARModel
@testable import ARLoading

func parseDate(_ f: String, _ s: String) -> String? {
    var t = s
    return t.withUTF8 { DateFormat(f)!.parse($0) }?.description
}

@Suite struct DateFormatTests {
    @Test func layouts() {
        #expect(parseDate("M/D/YYYY", "1/2/2013") == "2013-01-02")
        #expect(parseDate("M/D/YYYY", "12/31/2013") == "2013-12-31")
        #expect(parseDate("M/D/YYYY", "01/02/2013") == "2013-01-02")
        #expect(parseDate("DD.MM.YYYY", "31.10.2026") == "2026-10-31")
        #expect(parseDate("DD.MM.YYYY", "1.10.2026") == nil)
        #expect(parseDate("D-MMM-YYYY", "5-Oct-2026") == "2026-10-05")
        #expect(parseDate("YYYYMMDD", "20261031") == "2026-10-31")
        #expect(parseDate("DD/MM/YY", "31/10/26") == "2026-10-31")
        #expect(parseDate("YYYY-MM-DD", "2026-02-30") == nil)
        #expect(parseDate("M/D/YYYY", "2/30/2026") == nil)
        #expect(parseDate("M/D/YYYY", "2/3/2026 ") == nil)
    }

    @Test func badPatterns() {
        #expect(DateFormat("Q/D/YYYY") == nil)
        #expect(DateFormat("MM/DD") == nil)
        #expect(DateFormat("YYY-MM-DD") == nil)
    }

    @Test func timestamps() {
        var t = "2026-09-05T22:47"
        #expect(t.withUTF8 { DateFormat.iso.parseTimestamp($0) }?.description == "2026-09-05T22:47:00")
        t = "2026-09-05 22:47:31.250"
        #expect(t.withUTF8 { DateFormat.iso.parseTimestamp($0) }?.description == "2026-09-05T22:47:31")
        t = "2026-09-05T25:00"
        #expect(t.withUTF8 { DateFormat.iso.parseTimestamp($0) } == nil)
    }

    @Test func layoutMatchSeparatesImpossibleDatesFromWrongLayouts() {
        var a = "2026-02-30", b = "30/02/2026"
        #expect(a.withUTF8 { DateFormat.iso.matchesLayout($0) })
        #expect(!b.withUTF8 { DateFormat.iso.matchesLayout($0) })
    }
}
