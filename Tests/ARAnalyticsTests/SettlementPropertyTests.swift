import ARAnalytics
import ARLoading
import ARModel
import ARSynthetic
import Foundation
import Testing

/// Issue 14, randomised: small ledgers of invoices, debit memos, payments, applications and
/// credits with any dates in any order (advances, applications dated before their payment,
/// credits before their invoice, over-applications, over-credits, cross-customer cash, a
/// foreign currency), with and without applications.csv, through the loader. At many dates:
/// - the aging's buckets + unapplied equal net AR for every group, and net AR equals a
///   brute-force recomputation by the spec's rule;
/// - no open balance, unapplied cash or unallocated credit is ever negative;
/// - overdue ≤ gross AR (in the aging and in the KPIs);
/// - the roll-forward reconciles for every month and for the whole range;
/// - the account view (AccountBook) agrees with the aging per customer;
/// - aging unapplied amounts by their own date leaves every party total unchanged;
/// - every application or credit the rule cut is reported with its file line.
/// Seeded: the same cases every run.
@Suite struct SettlementPropertyTests {
    static let cases = 240
    static let datesPerCase = 8

    struct Case {
        var files: [String: String]
        var withApplications: Bool
    }

    static func money(_ rng: inout SeededRandom, _ lo: Int, _ hi: Int) -> String {
        let cents = rng.int(lo * 100...hi * 100)
        return "\(cents / 100).\(String(format: "%02d", cents % 100))"
    }

    static func makeCase(_ seed: UInt64) -> Case {
        var rng = SeededRandom(seed: seed)
        let start = Day(iso: "2026-01-01")!
        func date() -> Day { start + rng.int(0...100) }
        let fx = rng.chance(0.35)
        let withApps = rng.chance(0.6)
        let nCust = rng.int(1...3)
        var customers = "customer_id,name,currency,terms_days\n"
        var currency: [String] = []
        for c in 0..<nCust {
            let cur = fx && c == nCust - 1 ? "EUR" : "USD"
            currency.append(cur)
            customers += "C\(c),Customer \(c),\(cur),\(rng.int(0...45))\n"
        }
        var docs: [(id: String, customer: Int)] = []
        var invoices = "invoice_id,customer_id,issue_date,due_date,amount\n"
        for i in 0..<rng.int(1...5) {
            let c = rng.int(0...nCust - 1)
            let issued = date()
            let due = rng.chance(0.3) ? "" : (issued + rng.int(0...60)).description
            invoices += "I\(i),C\(c),\(issued),\(due),\(money(&rng, 1, 500))\n"
            docs.append(("I\(i)", c))
        }
        var adjustments = "adjustment_id,customer_id,invoice_id,date,kind,amount\n"
        for k in 0..<rng.int(0...2) {
            let c = rng.int(0...nCust - 1)
            adjustments += "D\(k),C\(c),,\(date()),\(rng.chance(0.5) ? "debit_memo" : "late_fee"),\(money(&rng, 1, 100))\n"
            docs.append(("D\(k)", c))
        }
        for k in 0..<rng.int(0...4) {
            let c = rng.int(0...nCust - 1)
            // Usually the customer's own document; sometimes none, sometimes another customer's (same currency).
            let candidates = docs.filter { currency[$0.customer] == currency[c] }
            var target = ""
            if rng.chance(0.8), !candidates.isEmpty {
                let own = candidates.filter { $0.customer == c }
                let pool = own.isEmpty || rng.chance(0.15) ? candidates : own
                target = pool[rng.int(0...pool.count - 1)].id
            }
            adjustments += "K\(k),C\(c),\(target),\(date()),\(rng.chance(0.7) ? "credit_memo" : "write_off"),\(money(&rng, 1, 300))\n"
        }
        var payments = "payment_id,customer_id,received_date,amount\n"
        var pays: [Int] = []
        for p in 0..<rng.int(0...5) {
            let c = rng.int(0...nCust - 1)
            payments += "P\(p),C\(c),\(date()),\(money(&rng, 1, 600))\n"
            pays.append(c)
        }
        var files = [
            "customers.csv": customers, "invoices.csv": invoices, "payments.csv": payments, "adjustments.csv": adjustments,
        ]
        if fx {
            files["arlens.yml"] = "base_currency: USD\n"
            var rates = "date,currency,rate\n2025-12-01,EUR,1.0850\n"
            for m in 1...4 { rates += "2026-0\(m)-\(10 + rng.int(0...15)),EUR,\(String(format: "%.4f", 1.0 + rng.uniform() * 0.3))\n" }
            files["fx_rates.csv"] = rates
        }
        if withApps {
            var apps = "payment_id,invoice_id,amount,applied_date\n"
            for _ in 0..<(pays.isEmpty ? 0 : rng.int(0...6)) {
                let p = rng.int(0...pays.count - 1)
                let candidates = docs.filter { currency[$0.customer] == currency[pays[p]] }
                guard !candidates.isEmpty else { continue }
                let own = candidates.filter { $0.customer == pays[p] }
                let pool = own.isEmpty || rng.chance(0.1) ? candidates : own
                let d = pool[rng.int(0...pool.count - 1)].id
                let applied = rng.chance(0.5) ? "" : date().description
                apps += "P\(p),\(d),\(money(&rng, 1, 400)),\(applied)\n"
            }
            files["applications.csv"] = apps
        }
        return Case(files: files, withApplications: withApps)
    }

    /// Net AR at the end of `d` by the spec's rule, straight from the tables.
    static func bruteForce(_ l: Ledger, _ t: Timeline, _ d: Day) -> (net: Int64, gross: Int64, negative: Bool) {
        var open = [Int64](repeating: 0, count: t.slotCount)
        for s in 0..<t.slotCount where t.isReceivable[s] && t.docDate[s] <= d { open[s] = t.docAmount[s] }
        var unapplied = [Int64](repeating: 0, count: l.payments.count)
        for p in 0..<l.payments.count where l.payments.receivedDate[p] <= d { unapplied[p] = l.payments.amount[p] }
        for k in 0..<l.applications.count {
            let p = Int(l.applications.payment[k])
            let effective = max(l.applications.date[k], l.payments.receivedDate[p], l.documentDate(l.applications.document[k]))
            guard effective <= d else { continue }
            open[t.slot(l.applications.document[k])] -= l.applications.amount[k]
            unapplied[p] -= l.applications.amount[k]
        }
        let baseDigits = l.baseCurrency.minorDigits
        var net: Int64 = 0
        var negative = unapplied.contains { $0 < 0 }
        for a in 0..<l.adjustments.count where l.adjustments.kind[a].isCredit && l.adjustments.date[a] <= d {
            var rest = l.adjustments.amount[a]
            if !l.adjustments.document[a].isNone && l.allocationDate(a) <= d {
                open[t.slot(l.adjustments.document[a])] -= l.adjustments.allocated[a]
                rest -= l.adjustments.allocated[a]
            }
            if rest < 0 { negative = true }
            net -= Timeline.convert(rest, t.adjRate[a], l.adjustments.currency[a].minorDigits, baseDigits)
        }
        var gross: Int64 = 0
        for s in 0..<t.slotCount where open[s] != 0 {
            if open[s] < 0 { negative = true }
            gross += t.docBase(s, open: open[s])
        }
        for p in 0..<l.payments.count where unapplied[p] != 0 {
            net -= Timeline.convert(unapplied[p], t.payRate[p], l.payments.currency[p].minorDigits, baseDigits)
        }
        return (net + gross, gross, negative)
    }

    @Test func noSequenceOfDocumentsBreaksAnInvariant() throws {
        var checked = 0, withApps = 0, cutOrMoved = 0
        for n in 0..<SettlementPropertyTests.cases {
            let c = SettlementPropertyTests.makeCase(UInt64(n) &* 0x9E37_79B9 &+ 14)
            let r = try ledger(c.files)
            let p = PreparedLedger(r.ledger)
            let l = p.ledger, t = p.timeline
            if c.withApplications { withApps += 1 }
            // Every cut application or credit is reported with its line.
            let reported = r.report.findings.map(\.message) + p.settlement.map { "\($0.table).csv:\($0.line): \($0.message)" }
            for k in 0..<l.applications.count where l.applications.amount[k] < l.applications.requested[k] {
                cutOrMoved += 1
                #expect(reported.contains { $0.hasPrefix("applications.csv:\(l.applications.line[k]): applies") }, "case \(n)")
            }
            for a in 0..<l.adjustments.count where l.adjustments.kind[a].isCredit && !l.adjustments.document[a].isNone
                && l.adjustments.allocated[a] < l.adjustments.amount[a] {
                cutOrMoved += 1
                #expect(reported.contains { $0.hasPrefix("adjustments.csv:\(l.adjustments.line[a]): ") && $0.contains("stays unallocated credit") }, "case \(n)")
            }
            var rng = SeededRandom(seed: UInt64(n) + 1)
            var dates = (0..<(SettlementPropertyTests.datesPerCase - 2)).map { _ in t.firstDay + rng.int(0...max(0, t.lastDay - t.firstDay)) }
            dates += [t.lastDay, t.lastDay + 400]
            dates.sort()
            var sweep = BalanceSweep(t, customerGroup: (0..<l.customers.count).map { Int32($0) }, groupCount: l.customers.count,
                                     months: MonthRange(t.firstDay.yearMonth, (t.lastDay + 400).yearMonth))
            for d in dates {
                checked += 1
                let expected = SettlementPropertyTests.bruteForce(l, t, d)
                #expect(!expected.negative, "case \(n) at \(d)")
                sweep.advance(through: d)
                #expect(sweep.docOpen.allSatisfy { $0 >= 0 } && sweep.payUnapplied.allSatisfy { $0 >= 0 }
                        && sweep.creditUnallocated.allSatisfy { $0 >= 0 }, "case \(n) at \(d)")
                for dim in [Dimension.customer, .currency] {
                    let a = Aging.compute(t, asOf: d, by: dim)
                    #expect(a.checkInvariants() == nil, "case \(n) at \(d) by \(dim)")
                    #expect(a.total.total == expected.net, "case \(n) at \(d)")
                    let gross = a.total.buckets.reduce(0, +)
                    #expect(gross == expected.gross, "case \(n) at \(d)")
                    #expect(a.total.buckets.dropFirst().reduce(0, +) <= gross)
                    #expect(a.total.buckets.allSatisfy { $0 >= 0 })
                }
                let aged = Aging.compute(t, asOf: d, detail: true, ageUnappliedByDate: true)
                let plain = Aging.compute(t, asOf: d)
                #expect(aged.rows.map(\.total) == plain.rows.map(\.total), "case \(n) at \(d)")
                #expect(aged.items.reduce(0) { $0 + $1.amount } == expected.net)
                let book = AccountBook(t, asOf: d)
                for row in plain.rows {
                    let ci = Int(l.customers.ids.find(row.group)!)
                    #expect(book.balance[ci] == row.total, "case \(n) at \(d) \(row.group)")
                    #expect(book.items[ci].reduce(0) { $0 + $1.openBase } == row.buckets.reduce(0, +))
                }
            }
            let months = MonthRange(t.firstDay.yearMonth, (t.lastDay + 400).yearMonth).all
            for m in months {
                let rf = RollForward.compute(t, from: m, to: m)
                #expect(rf.reconciles, "case \(n) \(m)")
                #expect(rf.ending == SettlementPropertyTests.bruteForce(l, t, m.lastDay).net)
            }
            #expect(RollForward.compute(t, from: months[0], to: months.last!).reconciles)
            let k = KPIEngine.run(t, configuration: Configuration(), query: KPIQuery(metrics: [.overdue, .ar_gross, .open_invoices], from: months[0], to: months.last!))
            for m in months {
                let overdue = k.value(.overdue, m.description).double!, gross = k.value(.ar_gross, m.description).double!
                #expect(overdue <= gross && gross >= 0, "case \(n) \(m)")
            }
        }
        // The run's size, for the report: 240 ledgers × 8 dates.
        #expect(checked == SettlementPropertyTests.cases * SettlementPropertyTests.datesPerCase)
        #expect(withApps > 100 && withApps < 200)
        #expect(cutOrMoved > 20)
    }
}
