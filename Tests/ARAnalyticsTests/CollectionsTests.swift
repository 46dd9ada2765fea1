import ARAnalytics
import ARModel
import Foundation
import Testing

/// A hand-built ledger at 2026-06-30 with one account per rule of the default dunning ladder
/// (reminder +1, second notice +15, call +30, final demand +45, agency +75; thresholds halved
/// from 50,000 overdue):
///
/// | customer | overdue at 06-30 | expected |
/// |---|---|---|
/// | A Alpha | A1 1000 due 05-31: 30 days | call |
/// | B Beta | B1 2000 due 03-31: 91 days, + late fee LF-B1 20 (05-15) | collection agency |
/// | C Gamma | C1 60000 due 05-31: 30 days, large: steps 1/8/15/23/38 | final demand |
/// | D Delta | D1 500 due 06-29: 1 day; broke a promise due 06-15 | reminder |
/// | E Epsilon | E1 800 due 06-10, promise to pay by 07-05 | skipped (promise pending) |
/// | F Phi | F1 700 due 06-01, in dispute since 06-05 | skipped (dispute) |
/// | G Gee | G1 300 due 07-15: not due; new customer, never reviewed | not listed |
/// | H Eta | H1 400 due 06-14: 16 days | second notice |
///
/// The files are in Tests/Fixtures/collections-june-2026 (the notice tests use them too).
let collectionsLedgerPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/collections-june-2026").path
let collectionsLedger: [String: String] = Dictionary(uniqueKeysWithValues:
    try! FileManager.default.contentsOfDirectory(atPath: collectionsLedgerPath).map {
        ($0, try! String(contentsOfFile: collectionsLedgerPath + "/" + $0, encoding: .utf8))
    })

@Suite struct CollectionsTests {
    let result = try! ledger(collectionsLedger)
    var book: AccountBook { AccountBook(PreparedLedger(result.ledger).timeline, asOf: day("2026-06-30")) }
    func id(_ c: Int) -> String { result.ledger.customers.ids[Int32(c)] }

    @Test func loadsCleanly() {
        #expect(result.report.rejections.isEmpty)
    }

    @Test func ladderSteps() {
        let ladder = DunningLadder()
        let usd = Currency(code: "USD")!
        let steps = [0: nil, 1: 0, 14: 0, 15: 1, 29: 1, 30: 2, 44: 2, 45: 3, 74: 3, 75: 4, 400: 4]
        for (days, step) in steps {
            #expect(Worklist.step(days: days, amount: 100_00, ladder: ladder, base: usd) == step, "\(days) days")
        }
        // From 50,000.00 the thresholds halve (rounded up): 1, 8, 15, 23, 38.
        let large = [1: 0, 7: 0, 8: 1, 15: 2, 22: 2, 23: 3, 37: 3, 38: 4]
        for (days, step) in large {
            #expect(Worklist.step(days: days, amount: 50_000_00, ladder: ladder, base: usd) == step, "\(days) days, large")
        }
    }

    @Test func worklistActionsOrderAndSkips() {
        let book = book
        let scores = CreditRisk.scores(book)
        let w = Worklist(book, scores: scores, ladder: DunningLadder())
        #expect(w.rows.map { id($0.customer) } == ["B", "C", "A", "D", "H"])
        #expect(w.rows.map(\.nextAction) == ["collection_agency", "final_demand", "call", "reminder", "second_notice"])
        #expect(w.rows.map(\.overdue) == [2020_00, 60_000_00, 1000_00, 500_00, 400_00])
        #expect(w.rows.map(\.maxDaysPastDue) == [91, 30, 30, 1, 16])
        #expect(w.rows.first { id($0.customer) == "D" }!.brokenPromises == 1)
        // B: 0.35·ln(1+202000)/ln(1+6000000) + 0.30·91/120 + 0.20·44.8/100 = 0.591.
        #expect(w.rows[0].priority == 0.591)
        // C: 0.35 + 0.30·30/120 = 0.425.
        #expect(w.rows[1].priority == 0.425)
        #expect(w.skipped.map { id($0.customer) } == ["E", "F"])
        #expect(w.skipped[0].reason == "promise to pay 800.00 by 2026-07-05")
        #expect(w.skipped[1].reason == "all overdue items are in dispute")
        // One collector's accounts only.
        #expect(Worklist(book, scores: scores, ladder: DunningLadder(), collector: "Bob").rows.map { id($0.customer) } == ["C", "D"])
    }

    @Test func configuredLadder() throws {
        var files = collectionsLedger
        files["arlens.yml"] = """
        dunning:
          steps:
            - {days: 10, action: email}
            - {days: 60, action: lawyer}
          scale_above: 1000000

        """
        let r = try ledger(files)
        let book = AccountBook(PreparedLedger(r.ledger).timeline, asOf: day("2026-06-30"))
        let w = Worklist(book, scores: CreditRisk.scores(book), ladder: r.configuration.configuration.dunning)
        let ids = r.ledger.customers.ids
        // Issue 16: the next step follows the history. C (email 06-02) and H (email 06-20) had
        // the first step; the second waits for 60 days. A's "second notice" letter and B's
        // agency hand-over are no step of this ladder, so both start at the first.
        #expect(Dictionary(uniqueKeysWithValues: w.rows.map { (ids[Int32($0.customer)], $0.nextAction) }) == ["A": "email", "B": "email"])
        #expect(w.skipped.map { ids[Int32($0.customer)] } == ["C", "D", "E", "F", "H"])
        #expect(w.skipped[0].reason == "email on 2026-06-02; lawyer from 60 days past due (now 30)")
        #expect(w.skipped[1].reason == "not yet at the first step of the dunning ladder")
        // With skip_steps the days decide, never before the step after the last taken.
        var ladder = r.configuration.configuration.dunning
        ladder.skipSteps = true
        let ws = Worklist(book, scores: CreditRisk.scores(book), ladder: ladder)
        #expect(Dictionary(uniqueKeysWithValues: ws.rows.map { (ids[Int32($0.customer)], $0.nextAction) }) == ["A": "email", "B": "lawyer"])
    }

    /// Issue 16, point 2 on the fixture: the step after the last one taken, never before the
    /// days past due reach it, and the history the wording may cite.
    @Test func ladderFollowsHistory() {
        let book = book
        let w = Worklist(book, scores: CreditRisk.scores(book), ladder: DunningLadder())
        let c = w.rows.first { id($0.customer) == "C" }!
        #expect(c.history.map(\.action) == ["reminder", "second_notice", "call"])
        #expect(c.history.map(\.date) == [day("2026-06-02"), day("2026-06-09"), day("2026-06-16")])
        #expect(c.nextAction == "final_demand")
        // Without the history C would start at the reminder, though 30 days reach the agency step (large: 23 days).
        #expect(Worklist.step(days: 30, amount: 60_000_00, ladder: DunningLadder(), base: Currency(code: "USD")!) == 3)
        #expect(Worklist.ladderStep(kind: .email, note: "Payment reminder sent", ladder: DunningLadder()) == 0)
        #expect(Worklist.ladderStep(kind: .letter, note: "Second notice sent", ladder: DunningLadder()) == 1)
        #expect(Worklist.ladderStep(kind: .agency, note: "", ladder: DunningLadder()) == 4)
        #expect(Worklist.ladderStep(kind: .meeting, note: "met the owner", ladder: DunningLadder()) == nil)
        // An activity before the spell began (C1 fell due 05-31) does not count.
        var files = collectionsLedger
        files["activities.csv"] = "activity_id,customer_id,invoice_id,date,collector,kind,promised_date,promised_amount,note\nX1,H,,2026-06-10,,letter,,,Final demand sent\n"
        let r = try! ledger(files)
        let b2 = AccountBook(PreparedLedger(r.ledger).timeline, asOf: day("2026-06-30"))
        let w2 = Worklist(b2, scores: CreditRisk.scores(b2), ladder: DunningLadder())
        let h = w2.rows.first { r.ledger.customers.ids[Int32($0.customer)] == "H" }!
        #expect(h.history.isEmpty && h.nextAction == "reminder")   // H1 fell due 06-14, after the letter
    }

    @Test func creditScoresAndReasons() {
        let lines = CreditRisk.lines(book, reviewMonths: 12)
        // B: aging 2000/2020 of 25 + utilisation (2020/1000 ≥ 120%) 20 = 44.8.
        // A: paid A0 30 days late, the only settled invoice: behaviour 30/60 of 30 = 15.
        #expect(lines.prefix(2).map { id($0.score.customer) } == ["B", "A"])
        #expect(lines[0].score.score == 44.8)
        #expect(lines[0].score.band == "medium")
        #expect(lines[0].score.reasons == ["99% of the balance is more than 60 days past due", "uses 202% of the credit limit"])
        #expect(lines[0].overLimit && lines[0].utilisation! == 2.02)
        #expect(lines[0].review == "overdue")
        #expect(lines[1].score.score == 15)
        #expect(lines[1].score.reasons == ["pays 30 days late on average (12 months)"])
        #expect(lines[1].review == "ok" && !lines[1].overLimit)
        let g = lines.first { id($0.score.customer) == "G" }!
        #expect(g.isNew && g.review == "never_reviewed" && g.score.score == 0)
        #expect(lines.filter(\.overLimit).count == 1)
    }

    @Test func teamPerformance() {
        let book = book
        let w = Worklist(book, scores: CreditRisk.scores(book), ladder: DunningLadder())
        let team = TeamPerformance.compute(book, worklist: w, configuration: result.configuration.configuration)
        #expect(team.map(\.collector) == ["Ann", "Bob", "(none)"])
        let ann = team[0], bob = team[1]
        #expect(ann.accounts == 3 && ann.overdue == 3020_00 && ann.activities == 3 && ann.promisesMade == 1 && ann.promisesDue == 0)
        #expect(ann.escalated == 1)   // B: agency activity and at the last step
        #expect(bob.accounts == 2 && bob.overdue == 60_500_00 && bob.promisesDue == 1 && bob.promisesKept == 0)
        #expect(bob.promiseKeptRate == 0 && bob.escalated == 1)   // C at final demand
    }
}

@Suite struct LateFeeTests {
    @Test func workedExample() {
        // 100 at 10% a year for 15 days: 100 × 0.10 × 15 / 365 = 0.4110 → 0.41.
        #expect(LateFeePolicy.interest(100_00, annualPercent: 10, days: 15) == 41)
        #expect(LateFeePolicy.interest(100_00, annualPercent: 10, days: 0) == 0)
    }

    @Test func euAndUK() {
        let eur = Currency(code: "EUR")!, gbp = Currency(code: "GBP")!
        // EU: reference 2% + 8 = 10%: the worked example, plus the fixed €40.
        let eu = LateFeePolicy.eu(referenceRatePercent: 2).charge(open: 100_00, daysOverdue: 15, currency: eur)
        #expect(eu.interest == 41 && eu.fixed == 40_00)
        // UK: base 5% + 8 = 13% on £2,000 for 91 days = 64.82; £70 for £1,000–9,999.99.
        let uk = LateFeePolicy.uk(baseRatePercent: 5).charge(open: 2000_00, daysOverdue: 91, currency: gbp)
        #expect(uk.interest == 6482 && uk.fixed == 70_00)
        #expect(LateFeePolicy.uk(baseRatePercent: 5).charge(open: 999_99, daysOverdue: 1, currency: gbp).fixed == 40_00)
        #expect(LateFeePolicy.uk(baseRatePercent: 5).charge(open: 10_000_00, daysOverdue: 1, currency: gbp).fixed == 100_00)
    }

    @Test func contractualGraceAndMinimum() {
        let usd = Currency(code: "USD")!
        let p = LateFeePolicy.contractual(monthlyRatePercent: 1.5, graceDays: 10, minimum: 5)
        #expect(p.charge(open: 1000_00, daysOverdue: 10, currency: usd).interest == 0)      // within grace
        // 1000 × 18% × 20 / 365 = 9.863 → 9.86.
        #expect(p.charge(open: 1000_00, daysOverdue: 30, currency: usd).interest == 986)
        #expect(p.charge(open: 100_00, daysOverdue: 12, currency: usd).interest == 5_00)    // 0.10 → the minimum 5.00
    }

    @Test func ledgerFeesRespectExistingCharges() throws {
        let r = try ledger(collectionsLedger)
        let t = PreparedLedger(r.ledger).timeline
        let policy = LateFeePolicy(r.configuration.configuration.lateFees)!   // default: 1.5% a month
        let fees = LateFees.compute(AccountBook(t, asOf: day("2026-06-30")), policy: policy)
        let byDoc = Dictionary(uniqueKeysWithValues: fees.map { ($0.document, $0) })
        #expect(fees.map(\.document) == ["A1", "B1", "C1", "D1", "E1", "F1", "H1"])
        // A1: 1000 × 18% × 30 / 365 = 14.79.
        #expect(byDoc["A1"]!.interest == 14_79 && byDoc["A1"]!.due == 14_79)
        // B1: 2000 × 18% × 91 / 365 = 89.75, less the 20.00 already charged.
        #expect(byDoc["B1"]!.interest == 89_75 && byDoc["B1"]!.alreadyCharged == 20_00 && byDoc["B1"]!.due == 69_75)
        #expect(byDoc["D1"]!.interest == 25)   // 500 × 18% / 365 = 0.2466
    }
}

@Suite struct PaymentPlanTests {
    @Test func remainderGoesToTheLast() {
        let p = PaymentPlan(balance: 1000_00, count: 3, start: day("2026-01-31"), frequency: .monthly)
        #expect(p.installments.map(\.amount) == [333_33, 333_33, 333_34])
        #expect(p.installments.map(\.due) == [day("2026-01-31"), day("2026-02-28"), day("2026-03-31")])
        #expect(p.total == 1000_00)
        let w = PaymentPlan(balance: 100_01, count: 4, start: day("2026-03-02"), frequency: .weekly)
        #expect(w.installments.map(\.amount) == [25_00, 25_00, 25_00, 25_01])
        #expect(w.installments.map(\.due) == [day("2026-03-02"), day("2026-03-09"), day("2026-03-16"), day("2026-03-23")])
    }

    @Test func decliningBalanceInterest() {
        // 12% a year: 1000 × 31 days = 10.19; 666.67 × 28 days = 6.14; 333.34 × 31 days = 3.40.
        let p = PaymentPlan(balance: 1000_00, count: 3, start: day("2026-01-31"), frequency: .monthly, annualInterestPercent: 12)
        #expect(p.installments.map(\.interest) == [10_19, 6_14, 3_40])
        #expect(p.total == 1000_00 + 19_73 && p.installments.map(\.principal).reduce(0, +) == 1000_00)
    }

    @Test func randomisedPlansSumExactly() {
        var seed: UInt64 = 42
        for _ in 0..<500 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let balance = Int64(seed >> 40) + 1, n = Int(seed % 36) + 1
            let p = PaymentPlan(balance: balance, count: n, start: day("2026-01-31"), frequency: seed & 1 == 0 ? .monthly : .weekly)
            #expect(p.total == balance && p.installments.count == n)
            #expect(p.installments.dropLast().allSatisfy { $0.amount == balance / Int64(n) })
        }
    }
}

/// What-ifs on the March 2026 ledger of HandBuiltKPITests: AR 2510, DSO 2510 ÷ 6210 × 90.
@Suite struct WhatIfTests {
    @Test func cashReleasedByTargets() throws {
        let r = try ledger(kpiLedger)
        let w = WhatIf(Timeline(r.ledger), configuration: r.configuration.configuration, month: month("2026-03"), dso: 30, cei: 80, over90: 5)
        // A day of DSO: billings 6210 over 90 days = 69.00.
        #expect(w.perDayOfDSO == 69_00)
        // DSO 36.38 → 30: 2510 − 30 × 69 = 440.00.
        #expect(w.lines[0].metric == .dso && w.lines[0].released == 440_00)
        // CEI 75% → 80%: ending AR 2800 + 2410 − 0.8 × (2800 + 2410 − 1610) = 2330; 2510 − 2330 = 180.00.
        #expect(w.lines[1].metric == .cei && w.lines[1].released == 180_00)
        // Over 90: 300 of 2710 gross → 5%: (300 − 0.05 × 2710) ÷ 0.95 = 173.16.
        #expect(w.lines[2].metric == .pct_over_90 && w.lines[2].released == 173_16)
        // Targets already met release nothing.
        let met = WhatIf(Timeline(r.ledger), configuration: r.configuration.configuration, month: month("2026-03"), dso: 45, cei: 70, over90: 20)
        #expect(met.lines.map(\.released) == [0, 0, 0])
    }
}

/// Each invoicing-policy rule with a case that triggers it and one that does not.
@Suite struct PolicyComplianceTests {
    @Test func everyRule() throws {
        let r = try ledger([
            "arlens.yml": "policy:\n  send_within_days: 2\n  po_required: [P]\n",
            "customers.csv": "customer_id,name,credit_limit,terms_days\nP,Pea,1000.00,30\nQ,Queue,,30\n",
            "invoices.csv": """
            invoice_id,customer_id,issue_date,due_date,amount,sent_date,po_number
            P1,P,2026-01-05,2026-02-04,900.00,2026-01-07,X
            P2,P,2026-01-10,2026-02-09,300.00,2026-01-15,
            P3,P,2026-01-20,2026-02-19,100.00,2026-01-20,Y
            Q1,Q,2026-01-05,2026-01-20,50.00,,

            """,
            "adjustments.csv": """
            adjustment_id,customer_id,date,kind,amount,created_by,approved_by
            CM1,Q,2026-01-25,credit_memo,12000.00,ann,
            CM2,Q,2026-01-26,credit_memo,12000.00,ann,boss
            CM3,Q,2026-01-27,write_off,500.00,ann,

            """,
        ])
        #expect(r.report.rejections.isEmpty)
        let f = PolicyCompliance.check(Timeline(r.ledger), configuration: r.configuration.configuration, from: day("2026-01-01"), to: day("2026-01-31"))
        #expect(f.map { "\($0.rule) \($0.document)" } == [
            "credit_unapproved CM1",        // CM2 is approved, CM3 under the threshold
            "missing_po P2",                // P1 and P3 carry a PO
            "over_credit_limit P3",         // 900 + 300 owed before it; P2 was raised at 900
            "sent_late P2",                 // 5 days; P1 took 2 (the limit), Q1 has no sent date
            "terms_differ Q1",              // 15 days against 30
        ])
        #expect(f.first { $0.rule == "over_credit_limit" }!.message == "P3 was raised while P owed 1200.00 against a limit of 1000.00")
    }
}

@Suite struct DunningEffectivenessTests {
    /// X pays 100 on 03-05 and 50 on 03-20. An email on 03-01 (paid 4 days later; P1 is its
    /// cash), a call on 03-10 (first payment 10 days later; P2, the last step before it), a
    /// letter on 04-01 (nothing); an email on 06-20 is too recent at 07-01 to judge.
    @Test func paidAfterEachStep() throws {
        let r = try ledger([
            "customers.csv": "customer_id,name\nX,Ex\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nI1,X,2026-01-01,2026-01-31,500.00\n",
            "payments.csv": "payment_id,customer_id,received_date,amount\nP1,X,2026-03-05,100.00\nP2,X,2026-03-20,50.00\n",
            "activities.csv": """
            activity_id,customer_id,date,kind
            A1,X,2026-03-01,email
            A2,X,2026-03-10,call
            A3,X,2026-04-01,letter
            A4,X,2026-06-20,email

            """,
        ])
        let e = DunningEffectiveness(Timeline(r.ledger), asOf: day("2026-07-01"))
        #expect(e.lines.map(\.step) == ["email", "call", "letter"])
        #expect(e.lines.map(\.count) == [1, 1, 1])
        #expect(e.lines.map(\.paid7) == [1, 0, 0])
        #expect(e.lines.map(\.paid14) == [1, 1, 0])
        #expect(e.lines.map(\.paid30) == [1, 1, 0])
        #expect(e.lines.map(\.recovered) == [100_00, 50_00, 0])
    }
}
