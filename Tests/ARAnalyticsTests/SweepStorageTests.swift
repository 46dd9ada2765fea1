@testable import ARAnalytics
import ARModel
import Foundation
import Testing

/// The compact storage of the timeline and the sweep: rates by 4-byte reference into one
/// table (`RateColumn`, `RateTable`), and the month-end balance not yet due summed in the
/// pass that drops closed documents (`BalanceSweep.openDocuments(addingCurrentOn:)`).
@Suite struct SweepStorageTests {
    @Test func aRateColumnReadsItsTable() {
        let a = ExchangeRate(mantissa: 10825, scale: 4), b = ExchangeRate(mantissa: 675, scale: 5)
        let column = RateColumn(reference: [0, 2, 1, 0, 2], table: [a, b])
        #expect(column.count == 5)
        #expect(Array(column) == [nil, b, a, nil, b])
        #expect((0..<5).map(column.isForeign) == [false, true, true, false, true])
    }

    @Test func theRateTableNumbersEachCurrencysRates() {
        var l = Ledger(baseCurrency: .USD)
        let d = { (m: Int, day: Int) in Day(year: 2026, month: m, day: day)! }
        let eur1 = ExchangeRate(mantissa: 108, scale: 2), eur2 = ExchangeRate(mantissa: 110, scale: 2)
        let gbp1 = ExchangeRate(mantissa: 127, scale: 2)
        l.fxRates.rates[.EUR] = [(d(1, 1), eur1), (d(2, 1), eur2)]
        l.fxRates.rates[.GBP] = [(d(1, 15), gbp1)]
        let rates = RateTable(l)
        // EUR's two rates, GBP's, then 1 (a foreign currency before its first rate, or without any).
        #expect(rates.table.count == 4 && rates.one == 4 && rates.table[3] == .one)
        #expect(rates.reference(.USD, d(3, 1)) == 0 && rates.rate(0) == nil)
        #expect(rates.rate(rates.reference(.EUR, d(1, 31))) == eur1)
        #expect(rates.rate(rates.reference(.EUR, d(2, 1))) == eur2)
        #expect(rates.rate(rates.reference(.EUR, d(12, 31))) == eur2)
        #expect(rates.reference(.GBP, d(1, 14)) == rates.one)
        #expect(rates.rate(rates.reference(.GBP, d(1, 15))) == gbp1)
        #expect(rates.reference(.JPY, d(3, 1)) == rates.one && rates.rate(rates.one) == .one)
        // Each currency's references are its own: EUR's lie before GBP's (ordered by currency).
        #expect(Set([rates.reference(.EUR, d(1, 1)), rates.reference(.EUR, d(2, 1)), rates.reference(.GBP, d(1, 15))]).count == 3)
    }

    /// The hand-built ledger (HandBuiltKPITests): at 2026-03-31 five documents are open, 1610.00
    /// of them not yet due (I5 1200, I6 400 and LF1 10, due on the day itself).
    @Test func theCurrentBalanceIsSummedWhileDroppingClosedDocuments() throws {
        let t = Timeline(try ledger(kpiLedger).ledger)
        let customers = t.ledger.customers.count
        var sweep = BalanceSweep(t, customerGroup: [Int32](repeating: 0, count: customers), groupCount: 1,
                                 months: MonthRange(t.firstDay.yearMonth, t.lastDay.yearMonth), settlement: false)
        var current = [Int64](repeating: 0, count: 2)
        sweep.advance(through: Day(year: 2026, month: 3, day: 31)!)
        #expect(sweep.openDocuments(addingCurrentOn: Day(year: 2026, month: 3, day: 31)!, to: &current, stride: 1, offset: 1) == 5)
        #expect(current == [0, 161_000])
        #expect(sweep.settleDay.isEmpty && sweep.hasApplication.isEmpty)
    }

    @Test func theFusedPassIsTheFullOnesCurrent() throws {
        var compared = 0
        for t in try AfterLoadTests.timelines().suffix(40) {
            let l = t.ledger
            let groups = (0..<l.customers.count).map { Int32($0 % 3) }
            let months = MonthRange(t.firstDay.yearMonth, t.lastDay.yearMonth)
            var a = BalanceSweep(t, customerGroup: groups, groupCount: 3, months: months)
            var b = BalanceSweep(t, customerGroup: groups, groupCount: 3, months: months, settlement: false)
            for m in 0..<months.count {
                let end = months[m].lastDay
                a.advance(through: end); b.advance(through: end)
                var expected = [Int64](repeating: 0, count: 3 * months.count)
                let open = a.openDocuments()
                for s in open.map(Int.init) where t.docDue[s] >= end {
                    expected[Int(groups[Int(t.docCustomer[s])]) * months.count + m] += t.docBase(s, open: a.docOpen[s])
                }
                var got = [Int64](repeating: 0, count: 3 * months.count)
                #expect(b.openDocuments(addingCurrentOn: end, to: &got, stride: months.count, offset: m) == open.count)
                #expect(got == expected && b.openDocuments() == open)
                #expect(a.gross == b.gross && a.unapplied == b.unapplied && a.flows.fx == b.flows.fx)
                compared += 1
            }
        }
        #expect(compared > 100)
    }
}
