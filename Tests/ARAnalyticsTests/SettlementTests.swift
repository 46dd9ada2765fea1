import ARAnalytics
import ARLoading
import ARModel
import Foundation
import Testing

/// Issue 14: payments and credits that reach a document before it exists (advances), and
/// automatic cash application meeting a credit memo. The rule (ARModel/Settlement.swift): an
/// application takes effect on the later of its own, its payment's and its document's dates,
/// a credit's allocation on the later of the credit's and the document's; the excess over
/// what is open stays unapplied cash or unallocated credit, and every change is a finding.
@Suite struct SettlementTests {
    static func kpis(_ t: Timeline, _ metrics: [KPI], _ from: String, _ to: String) -> KPIResult {
        KPIEngine.run(t, configuration: Configuration(), query: KPIQuery(metrics: metrics, from: month(from), to: month(to)))
    }

    /// The example: invoice 10,000 issued 2016-11-30, due 2017-02-28; payments of 1,500
    /// (2016-11-09, an advance), 1,000 and 2,000, applied with no applied_date.
    static let advance: [String: String] = [
        "customers.csv": "customer_id,name,terms_days\nC1,Advance Co,30\n",
        "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nINV-1,C1,2016-11-30,2017-02-28,10000.00\n",
        "payments.csv": "payment_id,customer_id,received_date,amount\nP1,C1,2016-11-09,1500.00\nP2,C1,2016-12-15,1000.00\nP3,C1,2017-01-20,2000.00\n",
        "applications.csv": "payment_id,invoice_id,amount,applied_date\nP1,INV-1,1500.00,\nP2,INV-1,1000.00,\nP3,INV-1,2000.00,\n",
    ]

    @Test func advanceAppliedBeforeTheInvoiceExists() throws {
        let r = try ledger(SettlementTests.advance)
        let p = PreparedLedger(r.ledger)
        let t = p.timeline
        // 10,000 − 1,500 − 1,000 − 2,000 = 5,500, 35 days past due on 2017-04-04: 31-60.
        let a = Aging.compute(t, asOf: day("2017-04-04"))
        #expect(a.total.buckets == [0, 0, 550_000, 0, 0, 0])
        #expect(a.total.unapplied == 0)
        #expect(a.checkInvariants() == nil)
        // Before the invoice: the advance is unapplied cash.
        let before = Aging.compute(t, asOf: day("2016-11-20"))
        #expect(before.total.buckets == [0, 0, 0, 0, 0, 0])
        #expect(before.total.unapplied == -150_000)
        #expect(before.checkInvariants() == nil)
        // On the invoice's date the advance settles 1,500 of it.
        #expect(Aging.compute(t, asOf: day("2016-11-30")).total.buckets == [850_000, 0, 0, 0, 0, 0])
        // KPIs: overdue never above gross AR.
        let k = SettlementTests.kpis(t, [.ar, .ar_gross, .overdue, .unapplied_cash, .open_invoices], "2016-11", "2017-04")
        #expect(k.value(.ar, "2016-11") == .money(850_000))
        #expect(k.value(.ar_gross, "2017-03") == .money(550_000))
        #expect(k.value(.overdue, "2017-03") == .money(550_000))
        #expect(k.value(.overdue, "2017-04") == .money(550_000))
        #expect(k.value(.ar_gross, "2017-04") == .money(550_000))
        #expect(k.value(.unapplied_cash, "2017-04") == .money(0))
        // Worklist and account view: 5,500 overdue on a 5,500 balance.
        let book = AccountBook(t, asOf: day("2017-04-04"))
        #expect(book.balance == [550_000])
        #expect(book.items[0].map(\.open) == [550_000])
        let w = Worklist(book, scores: CreditRisk.scores(book), ladder: DunningLadder())
        #expect(w.rows.map(\.overdue) == [550_000])
        #expect(w.rows.map(\.balance) == [550_000])
        // The roll-forward: 10,000 billed, 4,500 collected.
        let rf = RollForward.compute(t, from: month("2016-11"), to: month("2017-04"))
        #expect(rf.beginning == 0 && rf.billings == 1_000_000 && rf.collections == 450_000 && rf.fx == 0)
        #expect(rf.ending == 550_000 && rf.reconciles)
        // The application dated before the invoice is named with its file and line.
        #expect(r.report.findings.filter { $0.kind == "applied_before_document" }.map(\.message) == [
            "applications.csv:2: payment P1 applied to INV-1 on 2016-11-09, before INV-1 was issued (2016-11-30); it is unapplied cash until 2016-11-30, when the application takes effect",
        ])
        // The history shows the application on the day it took effect.
        #expect(p.ledger.applications.date == [day("2016-11-30"), day("2016-12-15"), day("2017-01-20")])
        // The invoice settles only when fully paid: here never.
        #expect(book.settleDay[0] == Int32.max)
    }

    /// A foreign-currency advance five days before its invoice. Base USD; EUR at 1.20 from
    /// 2026-03-01 and 1.25 from 2026-03-05. Advance EUR 4,800 on 03-01 (5,760.00 USD), invoice
    /// EUR 8,000 on 03-06 (10,000.00 USD). At 03-31: EUR 3,200 open = 4,000.00 USD; the
    /// application on 03-06 moves gross AR by −6,000.00 and unapplied cash by −5,760.00: −240.00 FX.
    @Test func foreignCurrencyAdvance() throws {
        let r = try ledger([
            "arlens.yml": "base_currency: USD\n",
            "customers.csv": "customer_id,name,currency\nE1,Euro GmbH,EUR\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nF-1,E1,2026-03-06,2026-04-05,8000.00\n",
            "payments.csv": "payment_id,customer_id,received_date,amount\nADV,E1,2026-03-01,4800.00\n",
            "applications.csv": "payment_id,invoice_id,amount,applied_date\nADV,F-1,4800.00,\n",
            "fx_rates.csv": "date,currency,rate\n2026-03-01,EUR,1.20\n2026-03-05,EUR,1.25\n",
        ])
        let t = PreparedLedger(r.ledger).timeline
        let early = Aging.compute(t, asOf: day("2026-03-03"))
        #expect(early.total.total == -576_000 && early.total.unapplied == -576_000)
        let a = Aging.compute(t, asOf: day("2026-03-31"))
        #expect(a.total.buckets == [400_000, 0, 0, 0, 0, 0])
        #expect(a.total.unapplied == 0 && a.checkInvariants() == nil)
        let rf = RollForward.compute(t, from: month("2026-03"), to: month("2026-03"))
        #expect(rf.billings == 1_000_000 && rf.collections == 576_000 && rf.fx == -24_000)
        #expect(rf.ending == 400_000 && rf.reconciles)
        let k = SettlementTests.kpis(t, [.overdue, .ar_gross], "2026-04", "2026-04")
        #expect(k.value(.overdue, "2026-04") == .money(400_000))
        #expect(k.value(.ar_gross, "2026-04") == .money(400_000))
    }

    /// The second case: SI-1 of 100, a payment of 40 with no applications.csv and
    /// credit memo CN-1 of 100 allocated to SI-1, all on one day. Automatic cash application
    /// puts the 40 on SI-1; the credit then fits 60 and 40 stays unallocated credit.
    @Test func automaticApplicationAndCreditMemoOnOneInvoice() throws {
        for (payDay, creditDay) in [("2026-03-02", "2026-03-02"), ("2026-03-02", "2026-03-09"), ("2026-03-09", "2026-03-02")] {
            let r = try ledger([
                "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nSI-1,C1,2026-03-02,2026-04-01,100.00\n",
                "payments.csv": "payment_id,customer_id,received_date,amount\nPAY-1,C1,\(payDay),40.00\n",
                "adjustments.csv": "adjustment_id,customer_id,invoice_id,date,kind,amount\nCN-1,C1,SI-1,\(creditDay),credit_memo,100.00\n",
            ])
            let p = PreparedLedger(r.ledger)
            let t = p.timeline
            let a = Aging.compute(t, asOf: day("2026-03-31"), detail: true)
            #expect(a.total.buckets == [0, 0, 0, 0, 0, 0], "\(payDay) \(creditDay)")
            #expect(a.total.unapplied == -4_000)
            #expect(a.checkInvariants() == nil)
            #expect(!a.items.contains { $0.kind == "invoice" })
            let k = SettlementTests.kpis(t, [.ar, .ar_gross, .open_invoices], "2026-03", "2026-03")
            #expect(k.value(.ar_gross, "2026-03") == .money(0))
            #expect(k.value(.ar, "2026-03") == .money(-4_000))
            #expect(k.value(.open_invoices, "2026-03") == .number(0))
            #expect(RollForward.compute(t, from: month("2026-03"), to: month("2026-03")).reconciles)
            if payDay <= creditDay {
                // The payment came first (same day: applications before credits): the credit is cut.
                #expect(p.settlement.map(\.kind) == [.overCredit])
                #expect(p.settlement.first?.message == "credit_memo of 100.00 on SI-1, which had 60.00 open; 40.00 stays unallocated credit")
                #expect(p.settlement.first?.line == 2)
                #expect(p.cashApplication?.summary.contains("over_credit: adjustments.csv:2:") == true)
            } else {
                // The credit came first and settled SI-1: nothing open for the payment, which stays unapplied.
                #expect(p.settlement.isEmpty)
                #expect(p.ledger.applications.count == 0)
                #expect(k.value(.ar, "2026-03") == .money(-4_000))
            }
        }
    }

    /// The same with an explicit application: the loader's cap cuts the credit, with its line.
    @Test func explicitApplicationAndCreditMemo() throws {
        let r = try ledger([
            "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nSI-1,C1,2026-03-02,2026-04-01,100.00\n",
            "payments.csv": "payment_id,customer_id,received_date,amount\nPAY-1,C1,2026-03-02,40.00\n",
            "applications.csv": "payment_id,invoice_id,amount\nPAY-1,SI-1,40.00\n",
            "adjustments.csv": "adjustment_id,customer_id,invoice_id,date,kind,amount\nCN-1,C1,SI-1,2026-03-02,credit_memo,100.00\n",
        ])
        #expect(r.report.findings.filter { $0.kind == "over_credit" }.map(\.message) == [
            "adjustments.csv:2: credit_memo of 100.00 on SI-1, which had 60.00 open; 40.00 stays unallocated credit",
        ])
        let a = Aging.compute(PreparedLedger(r.ledger).timeline, asOf: day("2026-03-02"))
        #expect(a.total.buckets.allSatisfy { $0 == 0 } && a.total.unapplied == -4_000)
    }

    /// A credit memo dated before its invoice is unallocated credit until the invoice exists,
    /// then reduces it; across customers it moves AR between them on that day.
    @Test func creditBeforeItsDocument() throws {
        let r = try ledger([
            "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nI1,C1,2026-03-10,2026-04-09,100.00\nI2,C2,2026-03-20,2026-04-19,50.00\n",
            "adjustments.csv": "adjustment_id,customer_id,invoice_id,date,kind,amount\nCM1,C1,I1,2026-03-01,credit_memo,30.00\nCM2,C1,I2,2026-03-05,credit_memo,20.00\n",
        ])
        #expect(r.report.findings.filter { $0.kind == "credit_before_document" }.map(\.key) == ["CM1", "CM2"])
        let t = PreparedLedger(r.ledger).timeline
        let early = Aging.compute(t, asOf: day("2026-03-06"))
        #expect(early.total.unapplied == -5_000 && early.total.buckets.reduce(0, +) == 0)
        let mid = Aging.compute(t, asOf: day("2026-03-15"))
        #expect(mid.rows.map(\.group) == ["C1"])
        #expect(mid.rows[0].buckets[0] == 7_000 && mid.rows[0].unapplied == -2_000)
        let late = Aging.compute(t, asOf: day("2026-03-31"))
        #expect(late.rows.map(\.total) == [7_000, 3_000])
        #expect(late.rows.map(\.unapplied) == [0, 0])
        #expect(late.checkInvariants() == nil)
        let rf = RollForward.compute(t, from: month("2026-03"), to: month("2026-03"))
        #expect(rf.creditMemos == 5_000 && rf.ending == 10_000 && rf.reconciles)
        // The account view of C2: the credit from C1's account appears on 03-20.
        let book = AccountBook(t, asOf: day("2026-03-31"))
        let c2 = Int(t.ledger.customers.ids.find("C2")!)
        let h = CustomerHistory(book, customer: c2)
        #expect(h.events.filter { $0.kind == .applied_from_other_account }.map(\.date) == [day("2026-03-20")])
        #expect(h.events.reduce(0) { $0 + $1.amount } == book.balance[c2])
    }

    /// An applied_date before the payment was received: effective on the received date.
    @Test func applicationBeforeThePaymentWasReceived() throws {
        let r = try ledger([
            "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nI1,C1,2026-01-05,2026-02-04,100.00\n",
            "payments.csv": "payment_id,customer_id,received_date,amount\nP1,C1,2026-02-10,100.00\n",
            "applications.csv": "payment_id,invoice_id,amount,applied_date\nP1,I1,100.00,2026-02-01\n",
        ])
        #expect(r.report.findings.filter { $0.kind == "applied_before_document" }.map(\.message) == [
            "applications.csv:2: payment P1 applied to I1 on 2026-02-01, before the payment was received (2026-02-10); it is unapplied cash until 2026-02-10, when the application takes effect",
        ])
        let t = PreparedLedger(r.ledger).timeline
        #expect(Aging.compute(t, asOf: day("2026-02-05")).total.buckets == [0, 10_000, 0, 0, 0, 0])
        #expect(Aging.compute(t, asOf: day("2026-02-10")).total.total == 0)
        // Days to pay counts from the day the cash settled it.
        let k = SettlementTests.kpis(t, [.days_to_pay], "2026-02", "2026-02")
        #expect(close(k.value(.days_to_pay, "2026-02"), 36))
    }

    /// A ledger built without the loader (no caps, an application before both documents):
    /// the timeline settles it itself, so the invariants hold for any input.
    @Test func unsettledLedgerIsSettledByTheTimeline() throws {
        var r = try ledger(SettlementTests.advance).ledger
        r.settled = false
        r.applications.date = [day("2016-01-01"), day("2016-01-01"), day("2016-01-01")]
        r.applications.amount = [1_500_000, 100_000, 200_000]
        r.applications.requested = [1_500_000, 100_000, 200_000]
        let t = Timeline(r)
        let a = Aging.compute(t, asOf: day("2017-04-04"))
        // P1 asked for 15,000 of its 1,500: cut to 1,500. 10,000 − 1,500 − 1,000 − 2,000.
        #expect(a.total.buckets == [0, 0, 550_000, 0, 0, 0])
        #expect(a.checkInvariants() == nil)
    }
}

/// Aging conventions of other tools, as options of `Aging.compute`.
@Suite struct AgingConventionTests {
    static let files: [String: String] = [
        "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nA,C1,2026-02-01,2026-03-31,100.00\nB,C1,2026-01-01,2026-03-01,200.00\nC,C2,2025-11-01,2025-12-01,300.00\n",
        "payments.csv": "payment_id,customer_id,received_date,amount\nP1,C1,2026-03-20,50.00\nP2,C2,2026-01-15,80.00\n",
        "applications.csv": "payment_id,invoice_id,amount\n",
        "adjustments.csv": "adjustment_id,customer_id,invoice_id,date,kind,amount\nCM,C2,,2026-02-20,credit_memo,10.00\n",
    ]

    @Test func firstBucketFromZeroTheERPNextWay() throws {
        let t = PreparedLedger(try ledger(AgingConventionTests.files).ledger).timeline
        let asOf = day("2026-03-31")
        // A is due today, B 30 days past due, C 120 days past due.
        let ours = Aging.compute(t, asOf: asOf)
        #expect(ours.labels == ["current", "1-30", "31-60", "61-90", "91-120", "121+"])
        #expect(ours.total.buckets == [10_000, 20_000, 0, 0, 30_000, 0])
        let erp = Aging.compute(t, asOf: asOf, firstBucketFromZero: true)
        #expect(erp.labels == ["0-30", "31-60", "61-90", "91-120", "121+"])
        #expect(erp.total.buckets == [30_000, 0, 0, 30_000, 0])
        #expect(erp.total.total == ours.total.total && erp.checkInvariants() == nil)
        // Caller's edges.
        let wide = Aging.compute(t, asOf: asOf, edges: [45, 90], firstBucketFromZero: true)
        #expect(wide.labels == ["0-45", "46-90", "91+"])
        #expect(wide.total.buckets == [30_000, 0, 30_000])
    }

    @Test func unappliedAgedByTheirOwnDate() throws {
        let t = PreparedLedger(try ledger(AgingConventionTests.files).ledger).timeline
        let asOf = day("2026-03-31")
        let ours = Aging.compute(t, asOf: asOf)
        #expect(ours.rows.map(\.unapplied) == [-5_000, -9_000])
        let aged = Aging.compute(t, asOf: asOf, detail: true, ageUnappliedByDate: true)
        #expect(aged.rows.map(\.unapplied) == [0, 0])
        // P1 received 11 days ago: 1-30. P2 75 days ago: 61-90. CM 39 days ago: 31-60.
        #expect(aged.rows[0].buckets == [10_000, 20_000 - 5_000, 0, 0, 0, 0])
        #expect(aged.rows[1].buckets == [0, 0, -1_000, -8_000, 30_000, 0])
        // Party totals are the same either way.
        #expect(aged.rows.map(\.total) == ours.rows.map(\.total))
        #expect(aged.checkInvariants() == nil)
        #expect(aged.items.filter { $0.kind == "unapplied_cash" }.map(\.bucket) == [1, 3])
        #expect(aged.items.reduce(0) { $0 + $1.amount } == aged.total.total)
        // ERPNext-style: both options.
        let erp = Aging.compute(t, asOf: asOf, firstBucketFromZero: true, ageUnappliedByDate: true)
        #expect(erp.total.buckets == [30_000 - 5_000, -1_000, -8_000, 30_000, 0])
        #expect(erp.total.total == ours.total.total)
    }
}
