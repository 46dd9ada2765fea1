import Testing
@testable import ARModel

/// `Ledger.settle` puts only the events on a payment or document that can be over-applied
/// through the ordered caps, and works out effective dates in parts. Both must change exactly
/// what the plain rule changes (every event in effective-date order), with the same findings
/// in the same order.
@Suite struct SettlementCapsTests {
    static let day0 = Day(year: 2026, month: 1, day: 1)!

    /// A ledger in USD from (id, issue day, amount) invoices, (id, received day, amount)
    /// payments, (payment, document, requested, applied day) applications and
    /// (id, kind, document, day, amount) adjustments. Documents are "I..." invoices or
    /// adjustment ids; an empty document is none.
    static func ledger(invoices: [(String, Int, Int64)], payments: [(String, Int, Int64)],
                       applications: [(Int, String, Int64, Int)],
                       adjustments: [(String, AdjustmentKind, String, Int, Int64)] = []) -> Ledger {
        var l = Ledger(baseCurrency: .USD)
        for (id, day, amount) in invoices {
            l.invoices.ids.intern(id)
            l.invoices.customer.append(0)
            l.invoices.issueDate.append(day0 + day)
            l.invoices.amount.append(amount)
            l.invoices.currency.append(.USD)
            l.invoices.line.append(Int32(l.invoices.line.count + 2))
        }
        for (id, day, amount) in payments {
            l.payments.ids.intern(id)
            l.payments.receivedDate.append(day0 + day)
            l.payments.amount.append(amount)
            l.payments.currency.append(.USD)
            l.payments.line.append(Int32(l.payments.line.count + 2))
        }
        for (id, kind, _, day, amount) in adjustments {
            l.adjustments.ids.intern(id)
            l.adjustments.kind.append(kind)
            l.adjustments.date.append(day0 + day)
            l.adjustments.amount.append(amount)
            l.adjustments.currency.append(.USD)
            l.adjustments.line.append(Int32(l.adjustments.line.count + 2))
        }
        for (_, kind, doc, _, amount) in adjustments {
            let d = doc.isEmpty ? DocumentRef.none : l.findDocument(doc)!
            l.adjustments.document.append(d)
            l.adjustments.allocated.append(kind.isCredit && !d.isNone ? amount : 0)
        }
        for (p, doc, requested, day) in applications {
            l.applications.payment.append(Int32(p))
            l.applications.document.append(l.findDocument(doc)!)
            l.applications.requested.append(requested)
            l.applications.amount.append(requested)
            l.applications.date.append(day0 + day)
            l.applications.line.append(Int32(l.applications.line.count + 2))
        }
        return l
    }

    /// The rule as written: every event, in effective-date order, cut to what its payment has
    /// left and its document has open.
    static func plainSettle(_ l: inout Ledger) -> [SettlementIssue] {
        var issues: [SettlementIssue] = []
        let nInv = l.invoices.count
        func slot(_ d: DocumentRef) -> Int { d.invoiceIndex ?? (nInv + d.adjustmentIndex!) }
        func money(_ v: Int64) -> String { Money.decimalString(v, digits: 2) }
        for k in 0..<l.applications.count {
            let p = Int(l.applications.payment[k]), d = l.applications.document[k]
            let docDay = l.documentDate(d), received = l.payments.receivedDate[p]
            let eff = max(l.applications.date[k], received, docDay)
            guard eff != l.applications.date[k] else { continue }
            let why = docDay >= received ? "before \(l.documentID(d)) was issued (\(docDay))" : "before the payment was received (\(received))"
            issues.append(SettlementIssue(kind: .appliedBeforeDocument, table: "applications", key: l.payments.ids[Int32(p)],
                line: l.applications.line[k],
                message: "payment \(l.payments.ids[Int32(p)]) applied to \(l.documentID(d)) on \(l.applications.date[k]), \(why); it is unapplied cash until \(eff), when the application takes effect"))
            l.applications.date[k] = eff
        }
        for a in 0..<l.adjustments.count where l.adjustments.kind[a].isCredit && !l.adjustments.document[a].isNone {
            let docDay = l.documentDate(l.adjustments.document[a])
            if l.adjustments.date[a] < docDay {
                issues.append(SettlementIssue(kind: .creditBeforeDocument, table: "adjustments", key: l.adjustments.ids[Int32(a)],
                    line: l.adjustments.line[a],
                    message: "\(l.adjustments.kind[a]) \(l.adjustments.ids[Int32(a)]) dated \(l.adjustments.date[a]), before \(l.documentID(l.adjustments.document[a])) was issued (\(docDay)); it is unallocated credit until \(docDay)"))
            }
        }
        var docLeft = l.invoices.amount + (0..<l.adjustments.count).map { l.adjustments.kind[$0].isDebit ? l.adjustments.amount[$0] : 0 }
        var payLeft = l.payments.amount
        var events: [(Day, Int, Int)] = []   // day, 0 application / 1 credit, row
        for k in 0..<l.applications.count { events.append((l.applications.date[k], 0, k)) }
        for a in 0..<l.adjustments.count where l.adjustments.kind[a].isCredit && !l.adjustments.document[a].isNone {
            events.append((l.allocationDate(a), 1, a))
        }
        events.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        for (_, what, i) in events {
            if what == 0 {
                let p = Int(l.applications.payment[i]), d = l.applications.document[i], s = slot(d)
                let want = l.applications.requested[i]
                let fit = max(0, min(want, payLeft[p], docLeft[s]))
                if fit < l.applications.amount[i] {
                    let why = payLeft[p] < docLeft[s] ? "the payment had \(money(max(payLeft[p], 0))) left"
                                                      : "the document had \(money(max(docLeft[s], 0))) open"
                    issues.append(SettlementIssue(kind: .overApplication, table: "applications", key: l.payments.ids[Int32(p)],
                        line: l.applications.line[i],
                        message: "applies \(money(want)) of payment \(l.payments.ids[Int32(p)]) to \(l.documentID(d)), but \(why); \(money(want - fit)) stays unapplied"))
                }
                l.applications.amount[i] = fit
                payLeft[p] -= fit
                docLeft[s] -= fit
            } else {
                let d = l.adjustments.document[i], s = slot(d)
                let want = l.adjustments.amount[i]
                let fit = max(0, min(want, docLeft[s]))
                if fit < l.adjustments.allocated[i] {
                    issues.append(SettlementIssue(kind: .overCredit, table: "adjustments", key: l.adjustments.ids[Int32(i)],
                        line: l.adjustments.line[i],
                        message: "\(l.adjustments.kind[i]) of \(money(want)) on \(l.documentID(d)), which had \(money(max(docLeft[s], 0))) open; \(money(want - fit)) stays unallocated credit"))
                }
                l.adjustments.allocated[i] = fit
                docLeft[s] -= fit
            }
        }
        l.settled = true
        return issues
    }

    static func sameSettlement(_ a: Ledger, _ b: Ledger) -> Bool {
        a.applications.amount == b.applications.amount && a.applications.date == b.applications.date
            && a.applications.requested == b.applications.requested && a.adjustments.allocated == b.adjustments.allocated
    }

    @Test func onlyWhatCanBeOverAppliedIsCut() {
        // P1 (100.00) asks 60 of I1 (50.00 open: cut) and 30 of I2; P2 (20.00) asks 30 of I2
        // (cut by the payment); I2 is asked 60 of its 80 (safe); CM1 (10.00) on I1 finds
        // nothing open; P3 settles I3 whole (nothing there can be over-applied); DM1 (25.00)
        // is paid 25 by P3, and CM2 dated before I2 waits for it.
        var l = Self.ledger(
            invoices: [("I1", 0, 5000), ("I2", 1, 8000), ("I3", 5, 7000)],
            payments: [("P1", 3, 10000), ("P2", 4, 2000), ("P3", 6, 9500)],
            applications: [(0, "I1", 6000, 3), (0, "I2", 3000, 3), (1, "I2", 3000, 4), (2, "I3", 7000, 6), (2, "DM1", 2500, 6)],
            adjustments: [("CM1", .creditMemo, "I1", 7, 1000), ("DM1", .debitMemo, "", 2, 2500), ("CM2", .creditMemo, "I2", 0, 500)])
        var plain = l
        let issues = l.settle()
        #expect(l.applications.amount == [5000, 3000, 2000, 7000, 2500])
        #expect(l.applications.requested == [6000, 3000, 3000, 7000, 2500])
        #expect(l.adjustments.allocated == [0, 0, 500])
        #expect(issues.map(\.kind) == [.creditBeforeDocument, .overApplication, .overApplication, .overCredit])
        #expect(issues.map(\.message) == [
            "credit_memo CM2 dated 2026-01-01, before I2 was issued (2026-01-02); it is unallocated credit until 2026-01-02",
            "applies 60.00 of payment P1 to I1, but the document had 50.00 open; 10.00 stays unapplied",
            "applies 30.00 of payment P2 to I2, but the payment had 20.00 left; 10.00 stays unapplied",
            "credit_memo of 10.00 on I1, which had 0.00 open; 10.00 stays unallocated credit",
        ])
        #expect(issues == Self.plainSettle(&plain))
        #expect(Self.sameSettlement(l, plain))
        // Settled again, nothing changes, and only the credit dated before its invoice is
        // reported again (its date is not moved).
        let again = l
        #expect(l.settle().map(\.kind) == [.creditBeforeDocument])
        #expect(Self.sameSettlement(l, again))
    }

    @Test func sameAsThePlainRuleOnRandomLedgers() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(n))
        }
        var cut = 0, findings = 0
        for _ in 0..<400 {
            let nInv = 1 + next(12), nPay = 1 + next(10), nAdj = next(6)
            let invoices = (0..<nInv).map { ("I\($0)", next(40), Int64(next(3) == 0 ? 0 : 100 * (1 + next(200)))) }
            let payments = (0..<nPay).map { ("P\($0)", next(40), Int64(100 * (next(250)) - (next(15) == 0 ? 5000 : 0))) }
            let adjustments: [(String, AdjustmentKind, String, Int, Int64)] = (0..<nAdj).map { k in
                let kind = AdjustmentKind.allCases[next(4)]
                let doc = kind.isCredit && next(4) > 0 ? "I\(next(nInv))" : ""
                return ("A\(k)", kind, doc, next(40), Int64(100 * (1 + next(80))))
            }
            let debits = adjustments.filter { $0.1.isDebit }.map(\.0)
            let apps = (0..<next(25)).map { _ in
                let doc = !debits.isEmpty && next(5) == 0 ? debits[next(debits.count)] : "I\(next(nInv))"
                return (next(nPay), doc, Int64(100 * next(120) - (next(20) == 0 ? 300 : 0)), next(40))
            }
            var l = Self.ledger(invoices: invoices, payments: payments, applications: apps, adjustments: adjustments)
            // Some applications already cut (as after an earlier settlement elsewhere).
            for k in 0..<l.applications.count where next(10) == 0 { l.applications.amount[k] = l.applications.requested[k] / 2 }
            var plain = l
            let expected = Self.plainSettle(&plain)
            for parts in [1, 2, 3, 7] {
                var m = l
                var issues = m.effectiveDates(parts: parts)
                var p = l
                let all = p.settle()
                // Step 1's findings (and dates) are those of the whole settlement's first part.
                #expect(Array(all.prefix(issues.count)) == issues)
                #expect(m.applications.date == plain.applications.date)
                issues = all
                #expect(issues == expected)
                #expect(Self.sameSettlement(p, plain))
            }
            cut += zip(plain.applications.amount, l.applications.amount).filter { $0 != $1 }.count
            findings += expected.count
        }
        // The cases do cut applications and report findings.
        #expect(cut > 50)
        #expect(findings > 100)
    }
}
