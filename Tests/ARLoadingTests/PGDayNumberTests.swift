import ARModel
import Foundation
import Testing
@testable import ARLoading

/// A `date` column read from PostgreSQL arrives as its day number (days since 1900-01-01,
/// `PGTableSource.dayNumberSQL`). The reader takes a day number in range as that day, and reads
/// any other as the text the server would have sent, so messages and row keys show dates.
@Suite struct PGDayNumberTests {
    /// The day number the server sends for `s`: days since 1900-01-01.
    static func day(_ s: String) -> Int { Int(Array(s.utf8).withUnsafeBufferPointer { Day.parseISO($0) }!.number) - PGDates.epoch }

    @Test func theServersDateTextForADayNumber() {
        // Each pair as psql prints `d` and `d - DATE '1970-01-01'` in the ISO DateStyle.
        let pairs: [(Int, String)] = [
            (0, "1970-01-01"), (20458, "2026-01-05"), (-25568, "1899-12-31"), (-735160, "0044-03-15 BC"),
            (-719162, "0001-01-01"), (-719163, "0001-12-31 BC"), (-2440550, "4713-01-01 BC"),
            (2932897, "10000-01-01"), (2145042905, "5874897-12-31"),
        ]
        for (n, text) in pairs { #expect(PGDates.text(n) == text, "\(n)") }
        #expect(PGDates.epoch == -25567)
        #expect(PGTableSource.dayNumberSQL("d") == "(d - DATE '1900-01-01')")
        #expect(PGTableSourceTestsHelper.integer("-735160") == -735160)
        #expect(PGTableSourceTestsHelper.integer("20458") == 20458)
        #expect(PGTableSourceTestsHelper.integer("2026-01-05") == nil)
        #expect(PGTableSourceTestsHelper.integer("-") == nil)
        #expect(PGTableSourceTestsHelper.integer("") == nil)
    }

    @Test func dayNumbersLoadAsTheirDaysAndRejectAsTheirText() throws {
        let d = PGDayNumberTests.day
        let csv = """
            dispute_id,invoice_id,opened_date,resolved_date
            D1,I1,\(d("2026-01-10")),\(d("2026-01-07"))
            D2,I1,\(d("2026-01-11")),
            D3,I1,,
            D4,I1,\(-735160 - PGDates.epoch),
            D5,I1,-1,
            D6,I1,\(d("2199-12-31")),\(d("2199-12-31"))
            D7,I1,\(d("1900-01-01")),\(d("2200-01-01"))

            """
        let file = MappedFile(copying: Array(csv.utf8), name: "ar.disputes")
        let r = try TableReader(table: .disputes, bytes: file, displayName: "ar.disputes", mapping: LedgerMapping(),
                                ignored: [], dayNumberFields: [2, 3], rowKey: ["dispute_id", "resolved_date"])
        #expect(r.dayNumberColumns == [false, false, true, true, false, false, false])
        let s = TableParsers.disputes(r)
        #expect(s.table.openedDate == [Day(year: 2026, month: 1, day: 11)!, Day(year: 2199, month: 12, day: 31)!])
        #expect(s.table.resolvedDate == [nil, Day(year: 2199, month: 12, day: 31)!])
        let got = r.rejections.sorted { $0.line < $1.line }.map { "\($0.line) \($0.key ?? "") \($0.column ?? "") '\($0.value ?? "")' \($0.reason)" }
        #expect(got == [
            "2 dispute_id=D1, resolved_date=2026-01-07 resolved_date '2026-01-07' is before opened_date (2026-01-10)",
            "4 dispute_id=D3, resolved_date= opened_date '' is empty, but required",
            "5 dispute_id=D4, resolved_date= opened_date '0044-03-15 BC' not a date in the format YYYY-MM-DD",
            "6 dispute_id=D5, resolved_date= opened_date '1899-12-31' date outside the accepted range 1900-01-01 to 2199-12-31",
            "8 dispute_id=D7, resolved_date=2200-01-01 resolved_date '2200-01-01' date outside the accepted range 1900-01-01 to 2199-12-31",
        ], "\(got)")
    }

    /// Without `dayNumberFields` (a CSV file, a text column) a number in a date column is
    /// what it always was: not a date.
    @Test func aNumberInATextDateColumnIsStillNotADate() throws {
        let csv = "dispute_id,invoice_id,opened_date\nD1,I1,20458\nD2,I1,2026-01-05\n"
        let r = try TableReader(table: .disputes, bytes: MappedFile(copying: Array(csv.utf8), name: "ar.disputes"),
                                displayName: "ar.disputes", mapping: LedgerMapping(), ignored: [])
        let s = TableParsers.disputes(r)
        #expect(s.table.openedDate == [Day(year: 2026, month: 1, day: 5)!])
        #expect(r.rejections.map { "\($0.line) '\($0.value ?? "")' \($0.reason)" } == ["2 '20458' not a date in the format YYYY-MM-DD"])
    }
}

/// `Row.integer` on a string.
enum PGTableSourceTestsHelper {
    static func integer(_ s: String) -> Int? { Array(s.utf8).withUnsafeBufferPointer { Row.integer($0) } }
}
