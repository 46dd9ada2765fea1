@testable import ARAnalytics
import ARModel
import Foundation
import Testing

/// The shortcuts taken after a ledger is loaded give what the full computation gives:
/// - `OpenBalances` (aging's balances at one date, one pass per table) holds exactly what the
///   sweep holds once advanced to that date: every open balance, every payment's unapplied cash
///   and every credit's unallocated part, the open documents, and each group's totals;
/// - a KPI query measures only what its metrics read (`MonthlyMeasures.Parts`), and every
///   metric's values are those of the measures made whole;
/// - the timeline built on two cores is the one a single pass would build (its events sorted
///   by day and kind, every row once).
@Suite struct AfterLoadTests {
    /// The settlement property cases (any order of dates, credits before their invoice,
    /// cross-customer cash, a foreign currency) and the generator's ledgers.
    static func timelines() throws -> [Timeline] {
        var out: [Timeline] = []
        for n in 0..<120 {
            let c = SettlementPropertyTests.makeCase(UInt64(n) &* 0x9E37_79B9 &+ 21)
            out.append(PreparedLedger(try ledger(c.files).ledger).timeline)
        }
        out += PropertyTests.ledgers.map { PreparedLedger($0).timeline }
        return out
    }

    @Test func openBalancesAreTheSweepsAtEveryDate() throws {
        var compared = 0, withOpen = 0, foreign = 0
        for (n, t) in try AfterLoadTests.timelines().enumerated() {
            let l = t.ledger
            if t.docRate.contains(where: { $0 != nil }) { foreign += 1 }
            for groups in [(0..<l.customers.count).map { Int32($0) }, [Int32](repeating: 0, count: l.customers.count)] {
                let count = Int(groups.max() ?? 0) + 1
                var sweep = BalanceSweep(t, customerGroup: groups, groupCount: count,
                                         months: MonthRange(t.firstDay.yearMonth, t.lastDay.yearMonth))
                let span = max(0, t.lastDay - t.firstDay)
                var dates = [t.firstDay - 1, t.firstDay, t.lastDay, t.lastDay + 30]
                for k in 1..<8 { dates.append(t.firstDay + span * k / 8) }
                for d in Set(dates).sorted() {
                    sweep.advance(through: d)
                    let b = OpenBalances(t, customerGroup: groups, groupCount: count, asOf: d)
                    let open = sweep.openDocuments()
                    #expect(b.docOpen.indices.allSatisfy { s in
                        // Documents not yet open hold their amount in `b` and zero in the sweep.
                        t.docDate[s] > d || !t.isReceivable[s] ? true : b.docOpen[s] == sweep.docOpen[s]
                    }, "case \(n) at \(d)")
                    #expect(b.inSweepOrder(t) == open, "case \(n) at \(d)")
                    #expect(b.open == open.sorted(), "case \(n) at \(d)")
                    #expect(b.payUnapplied == sweep.payUnapplied, "case \(n) at \(d)")
                    #expect(b.creditUnallocated == sweep.creditUnallocated, "case \(n) at \(d)")
                    #expect(b.gross == sweep.gross && b.unapplied == sweep.unapplied && b.unallocated == sweep.unallocated,
                            "case \(n) at \(d)")
                    #expect(b.netAR() == sweep.netAR(), "case \(n) at \(d)")
                    if !open.isEmpty { withOpen += 1 }
                    compared += 1
                }
            }
        }
        // The run's size: 124 ledgers, two groupings, about ten dates each; most with open
        // documents, some in a foreign currency.
        #expect(compared > 2000 && withOpen > 1000 && foreign > 20)
    }

    @Test func aKPIQueryMeasuresOnlyWhatItReads() throws {
        var compared = 0
        for t in try AfterLoadTests.timelines().suffix(12) {
            for by in [nil, Dimension.customer] {
                let whole = KPIEngine(t, configuration: Configuration(), query: KPIQuery(metrics: KPI.allCases, by: by))
                for metric in KPI.allCases {
                    let q = KPIQuery(metrics: [metric], by: by)
                    let part = KPIEngine.run(t, configuration: Configuration(), query: q)
                    let full = whole.result(q, configuration: Configuration())
                    #expect(part.rows.map(\.value) == full.rows.map(\.value), "\(metric) by \(String(describing: by))")
                    #expect(part.rows.count == full.rows.count && !part.rows.isEmpty)
                    compared += part.rows.count
                }
            }
        }
        #expect(compared > 1000)
        // The five the benchmark asks for need the month-end balances not yet due and nothing else.
        #expect(MonthlyMeasures.Parts([.ar, .billings, .collections, .dso, .cei]) == .current)
        #expect(MonthlyMeasures.Parts([.ar, .cei, .pct_current]) == [.current, .monthEnd])
        #expect(MonthlyMeasures.Parts(KPI.allCases) == .all)
    }

    @Test func theTimelineHoldsEveryRowOnceInDateOrder() throws {
        for t in try AfterLoadTests.timelines() {
            let l = t.ledger
            var seen = [Set<Int>](repeating: [], count: 5)
            var last: UInt64 = 0
            for e in t.events {
                let (d, kind, index) = Timeline.decode(e, firstDay: t.firstDay)
                #expect(e >> 29 >= last >> 29, "sorted by day, then kind")
                last = e
                #expect(seen[Int(kind.rawValue)].insert(index).inserted)
                switch kind {
                case .document:
                    #expect(d == t.docDate[index] && t.isReceivable[index])
                case .payment: #expect(d == l.payments.receivedDate[index])
                case .application: #expect(d == l.applications.date[index])
                case .credit: #expect(d == l.adjustments.date[index] && l.adjustments.kind[index].isCredit)
                case .allocation: #expect(d == l.allocationDate(index) && t.allocationDeferred(index))
                }
            }
            #expect(seen[0].count == t.isReceivable.filter { $0 }.count)
            #expect(seen[1].count == l.payments.count && seen[2].count == l.applications.count)
            #expect(seen[3].count == l.adjustments.kind.filter(\.isCredit).count)
            // The columns by slot: invoices, then adjustments.
            #expect(t.docDate == l.invoices.issueDate + l.adjustments.date)
            // The rates by row: nil in the base currency, else the rate in effect on the row's date
            // (1 before the currency's first rate).
            func rate(_ c: Currency, _ d: Day) -> ExchangeRate? { c == t.base ? nil : l.fxRates.rate(c, on: d) ?? .one }
            #expect(t.docRate.count == t.slotCount && t.payRate.count == l.payments.count && t.adjRate.count == l.adjustments.count)
            for i in 0..<l.invoices.count { #expect(t.docRate[i] == rate(l.invoices.currency[i], l.invoices.issueDate[i])) }
            for a in 0..<l.adjustments.count {
                #expect(t.adjRate[a] == rate(l.adjustments.currency[a], l.adjustments.date[a]))
                #expect(t.docRate[l.invoices.count + a] == t.adjRate[a])
            }
            for p in 0..<l.payments.count { #expect(t.payRate[p] == rate(l.payments.currency[p], l.payments.receivedDate[p])) }
            for s in 0..<t.slotCount { #expect(t.docRate.isForeign(s) == (t.docRate[s] != nil)) }
            for s in 0..<t.slotCount where t.isReceivable[s] {
                #expect(t.docBase[s] == t.docBase(s, open: t.docAmount[s]))
            }
        }
    }
}

@Suite struct GroupingOrderTests {
    /// Groups are keyed in the byte order of their UTF-8, as before the faster comparison.
    @Test func keysSortInByteOrder() {
        let words = ["C10", "C1", "c1", "C01", "", "Ä", "Z", "Zürich", "Zurich", "é", "e\u{301}", "C1 ", "C1\u{0}", "ÿ", "😀", "A😀"]
        for a in words {
            for b in words {
                #expect(Grouping.bytesPrecede(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) vs \(b)")
            }
        }
        // Strings that are not stored as native UTF-8 (bridged, or built from slices) too.
        let sliced = String(Substring("xxC2xx".dropFirst(2).dropLast(2)))
        #expect(Grouping.bytesPrecede("C10", sliced) && !Grouping.bytesPrecede(sliced, "C10"))
    }
}
