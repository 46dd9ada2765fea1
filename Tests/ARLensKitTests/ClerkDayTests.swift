import ARAnalytics
import ARLensKit
import ARLoading
import ARModel
import ARTestSupport
import Foundation
import Testing

@Suite struct TodayTests {
    static let ledger = TempLedger(ClerkLedger.files)
    static let ws = try! Workspace(LedgerSource(directory: ledger.path), tables: nil)
    var ws: Workspace { TodayTests.ws }

    func day(_ s: String) -> Day { Day(iso: s)! }
    func kpi(_ m: KPI, _ grain: Grain, _ month: String, period: String) throws -> KPIValue {
        let r = try ws.kpis([m], from: YearMonth(month), to: YearMonth(month), grain: grain).result
        return try #require(r.rows.first { $0.period == period }).value
    }

    @Test func calendar() {
        #expect(ClerkCalendar.weekStart(day("2026-06-10")) == day("2026-06-08"))
        #expect(ClerkCalendar.weekLabel(day("2026-06-08")) == "2026-W24")
        // ISO week 1 of 2026 starts on Monday 2025-12-29 (the week of 1 January, a Thursday).
        #expect(ClerkCalendar.weekLabel(day("2025-12-29")) == "2026-W01")
        #expect(ClerkCalendar.weekLabel(day("2027-01-01")) == "2026-W53")
        #expect(ClerkCalendar.previousWorkingDay(day("2026-06-08")) == day("2026-06-05"))
        #expect(ClerkCalendar.previousWorkingDay(day("2026-06-09")) == day("2026-06-08"))
        #expect(ClerkCalendar.monthBefore(day("2026-03-31")) == day("2026-02-28"))
    }

    @Test func mondayAfterTheWeekend() throws {
        let v = try ws.today(date: nil)
        #expect(v.date == day("2026-06-08") && v.previous == day("2026-06-05"))
        let cash = v.cash.map { ($0.span, $0.from, $0.received, $0.lastMonthFrom, $0.lastMonthTo, $0.lastMonth) }
        #expect(cash.map(\.0) == ["day", "week to date", "month to date"])
        #expect(cash.map(\.2) == [1100_00, 1100_00, 1400_00])
        #expect(cash.map(\.1) == [day("2026-06-08"), day("2026-06-08"), day("2026-06-01")])
        #expect(cash.map(\.5) == [100_00, 100_00, 100_00])
        #expect(cash.map(\.3) == [day("2026-05-08"), day("2026-05-08"), day("2026-05-01")])
        // Each figure is the KPI for the same span.
        #expect(try kpi(.collections, .day, "2026-06", period: "2026-06-08") == .money(1100_00))
        #expect(try kpi(.collections, .week, "2026-06", period: "2026-W24") == .money(1100_00))
        #expect(try kpi(.collections, .month, "2026-06", period: "2026-06") == .money(1400_00))
        // The forecast is the cash forecast made the day before the span, by days of its weeks.
        let f = CashForecast.make(ws.timeline, asOf: day("2026-05-31"), weeks: 2)
        let mtd = 0.0 + f.weeks[0].expected * 7 / 7 + f.weeks[1].expected * 1 / 7
        #expect(v.cash[2].forecast == Int64((mtd * 100).rounded()))
        let f1 = CashForecast.make(ws.timeline, asOf: day("2026-06-07"), weeks: 1)
        #expect(v.cash[0].forecast == Int64(((0.0 + f1.weeks[0].expected * 1 / 7) * 100).rounded()))

        #expect(v.promisesDue.map { "\($0.customer) \($0.amount) \($0.status)" } == ["A 30000 kept"])
        #expect(v.promisesBroken.map { "\($0.customer) \($0.due) \($0.amount)" } == ["C 2026-06-05 10000"])
        #expect(v.becameOverdue.map { "\($0.document) \($0.due) \($0.openBase) \($0.detail)" } == ["A2 2026-06-05 50000 ", "B1 2026-06-07 30000 in dispute"])
        #expect(v.disputesOpened.map(\.document) == ["B1"])
        #expect(v.disputesResolved.map { "\($0.document) \($0.detail)" } == ["C1 DS2: resolved"])
        // Unapplied: P4 and P5, as the KPI says at the day's end.
        #expect(v.unapplied == 150_00 && v.unappliedPayments == 2 && v.oldestUnapplied == day("2026-06-05"))
        #expect(try kpi(.unapplied_cash, .day, "2026-06", period: "2026-06-08") == .money(150_00))

        // The worklist against Friday's: C is new (its dispute was resolved), D paid and left.
        let friday = try ws.desk(asOf: day("2026-06-05")).worklist()
        let monday = try ws.desk(asOf: day("2026-06-08")).worklist()
        #expect(friday.rows.map { ws.ledger.customers.ids[Int32($0.customer)] }.sorted() == ["A", "B", "D"])
        #expect(monday.rows.map { ws.ledger.customers.ids[Int32($0.customer)] }.sorted() == ["A", "B", "C"])
        let byID = Dictionary(uniqueKeysWithValues: v.top.map { ($0.customer, $0) })
        #expect(byID["C"]?.change == "new")
        for a in v.top where a.customer != "C" {
            let old = try #require(friday.rows.firstIndex { ws.ledger.customers.ids[Int32($0.customer)] == a.customer }) + 1
            #expect(a.previousRank == old)
            #expect(a.change == (old > a.rank ? "up \(old - a.rank)" : old < a.rank ? "down \(a.rank - old)" : "same"))
        }
        #expect(v.resolved.map { "\($0.customer) \($0.change)" } == ["D nothing overdue to chase"])
        // C: 800.00 overdue 97 days; A: 600.00 + 500.00.
        #expect(byID["C"]?.overdue == 800_00 && byID["C"]?.days == 97)
        #expect(byID["A"]?.overdue == 1100_00)
        // Became overdue reconciles with aging: both sit in 1-30 days at the date.
        let aging = try ws.aging(asOf: day("2026-06-08"), detail: true).report
        let fresh = aging.items.filter { ($0.daysPastDue ?? 0) >= 1 && ($0.daysPastDue ?? 0) <= 3 }
        #expect(fresh.map { "\($0.document) \($0.bucket ?? -1) \($0.amount)" } == v.becameOverdue.map { "\($0.document) 1 \($0.openBase)" })
    }

    @Test func dayByDay() throws {
        // Friday: the week and the month so far are P2 and P5.
        let fri = try ws.today(date: day("2026-06-05"))
        #expect(fri.previous == day("2026-06-04"))
        #expect(fri.cash.map(\.received) == [50_00, 300_00, 300_00])
        #expect(fri.cash.map(\.lastMonth) == [0, 0, 0])
        #expect(fri.promisesDue.map { "\($0.customer) \($0.status)" } == ["C pending"])
        #expect(fri.promisesBroken.isEmpty && fri.becameOverdue.isEmpty && fri.disputesOpened.isEmpty)
        #expect(fri.unapplied == 50_00)
        var weekSum: Int64 = 0
        for d in ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05"] {
            guard case .money(let x) = try kpi(.collections, .day, "2026-06", period: d) else { Issue.record("no money"); return }
            weekSum += x
        }
        #expect(weekSum == fri.cash[1].received)
        #expect(try kpi(.collections, .week, "2026-06", period: "2026-W23") == .money(300_00))
        // Tuesday: nothing new, the week and month carry Monday's cash.
        let tue = try ws.today(date: day("2026-06-09"))
        #expect(tue.previous == day("2026-06-08"))
        #expect(tue.cash.map(\.received) == [0, 1100_00, 1400_00])
        #expect(tue.promisesBroken.isEmpty && tue.becameOverdue.map(\.document) == ["B2"])
        #expect(tue.top.allSatisfy { $0.change != "new" })
        // The formats carry the same figures.
        let csv = try ws.today(date: nil).render(.csv)
        #expect(csv.contains("cash,day,,,2026-06-08..2026-06-08,1100.00,"))
        #expect(csv.contains("unapplied_cash,2 payments,,,2026-06-05,150.00,,,"))
        let json = try ws.today(date: nil).render(.json)
        #expect(json.contains(#""received": "1400.00""#))
    }

    @Test func promisedAmountsAreGroupedInTheTableLikeEveryOtherAmount() throws {
        // D promises 3,520.10 for the Monday; the formats meant for programs keep the plain figure.
        var files = ClerkLedger.files
        files["activities.csv"]! += "AC4,D,,2026-06-07,Ann,promise,2026-06-08,3520.10,\n"
        let l = TempLedger(files)
        let v = try Workspace(LedgerSource(directory: l.path), tables: Workspace.collections).today(date: nil)
        #expect(v.promisesDue.map { "\($0.customer) \($0.amount) \($0.status)" } == ["A 30000 kept", "D 352010 pending"])
        let table = v.render(.table)
        #expect(table.contains(" 3,520.10 USD "))
        #expect(table.contains(" 300.00 USD "))
        #expect(!table.contains("3520.10"))
        #expect(v.render(.csv).contains("promise_due,pending,D,,2026-06-08,3520.10,,,\"USD, made 2026-06-07\"\r\n"))
        #expect(v.render(.json).contains(#""amount": "3520.10""#))
    }

    @Test func finerGrains() throws {
        // May's days add up to May, to the cent, for every flow.
        for m in [KPI.billings, .collections] {
            let days = try ws.kpis([m], from: YearMonth("2026-05"), to: YearMonth("2026-05"), grain: .day).result.rows
            #expect(days.count == 31)
            let sum = days.reduce(Int64(0)) { if case .money(let x) = $1.value { return $0 + x }; return $0 }
            let month = try kpi(m, .month, "2026-05", period: "2026-05")
            #expect(month == .money(sum))
        }
        #expect(try kpi(.billings, .month, "2026-05", period: "2026-05") == .money(1000_00))
        #expect(try kpi(.billings, .day, "2026-06", period: "2026-06-01") == .money(1234_00))
        #expect(try kpi(.open_invoices, .day, "2026-06", period: "2026-06-08") == .number(7))
        let weeks = try ws.kpis([.collections], from: YearMonth("2026-06"), to: YearMonth("2026-06"), grain: .week).result.rows
        #expect(weeks.map(\.period) == ["2026-W23", "2026-W24", "2026-W25", "2026-W26", "2026-W27"])
        #expect(throws: ARLensError.input("dso, cei are defined per month only (--grain month, quarter, year or all); by week: billings, collections, credit_memos, write_offs, unapplied_cash, ar, ar_gross, open_invoices")) {
            try ws.kpis([.dso, .collections, .cei], from: nil, to: nil, grain: .week)
        }
    }
}

@Suite struct PrecheckTests {
    static let ledger = TempLedger(ClerkLedger.files)
    static let ws = try! Workspace(LedgerSource(directory: ledger.path), tables: Workspace.precheckTables)

    static let drafts = """
        invoice_id,customer_id,issue_date,due_date,amount,po_number
        N1,A,2026-06-08,2026-07-08,1000.00,
        N2,A,2026-05-06,2026-06-05,500.00,
        N3,B,2026-06-08,2026-07-08,120.005,
        N4,D,2026-06-08,2026-07-08,99.00,
        N5,D,2026-06-08,2026-07-08,600.00,PO-9
        N6,D,2026-06-08,2026-07-08,450.00,PO-1
        N7,C,2026-06-08,2026-06-20,10.00,
        N8,B,2026-06-09,2026-07-09,75.00,
        N9,A,2026-06-08,2026-07-08,1000.00,
        N10,D,2026-06-08,2026-07-08,100.00,PO-2
        A1,A,2026-06-08,2026-07-08,55.00,
        N12,D,2026-06-08,2026-07-08,1324.00,PO-2

        """

    @Test func everyDraftGetsAVerdictWithItsReasons() throws {
        let files = TempLedger(["drafts.csv": PrecheckTests.drafts])
        let v = try PrecheckTests.ws.precheck(file: files.path + "/drafts.csv", asOf: nil)
        let got = v.rows.map { r in "\(r.line) \(r.invoice) \(r.verdict.rawValue) \(r.reasons.map(\.code).joined(separator: ","))" }
        #expect(got == [
            "2 N1 review over_credit_limit",
            "3 N2 stop duplicate_invoice,old_date",
            "4  stop unreadable",
            "5 N4 stop missing_po",
            "6 N5 review po_not_found",
            "7 N6 review po_overbilled",
            "8 N7 stop terms_differ,customer_on_hold,no_contact",
            "9 N8 review bad_email,bad_phone,future_date",
            "10 N9 stop duplicate_invoice,over_credit_limit",
            "11 N10 send ",
            "12 A1 stop invoice_id_taken,over_credit_limit",
            "13 N12 review near_duplicate_invoice",
        ])
        func reasons(_ line: Int) -> [String] { v.rows.first { $0.line == line }!.reasons.map(\.message) }
        #expect(reasons(2) == ["A would owe 2,100.00 USD with this draft against a limit of 2,000.00"])
        #expect(reasons(3)[0].hasPrefix("exact duplicate of A2 in the ledger (duplicate_invoice, severity 0.97): N2 repeats A2: same customer, amount 500.00 and date"))
        #expect(reasons(4) == ["\(files.path)/drafts.csv line 4: amount '120.005': more decimals than USD allows (2)"])
        #expect(reasons(5)[0] == "no PO, and D requires one (policy.po_required)")
        #expect(reasons(7)[0] == "PO PO-1 is for 1,000.00 USD; with this draft it is billed 1,150.00 (150.00 beyond it)")
        #expect(reasons(8) == ["due in 12 days; C's terms are 30 days",
                               "C is on hold: 800.00 overdue, oldest 97 days past due (collection agency step)",
                               "C has no e-mail and no postal address: the invoice would reach no one"])
        #expect(reasons(10)[0].hasPrefix("exact duplicate of draft N1 (duplicate_invoice"))
        #expect(reasons(13)[0].hasPrefix("near duplicate of D2 in the ledger (near_duplicate_invoice, severity 0.83): N12 looks like D2 entered again: amounts 1,234.00 and 1,324.00 differ by two transposed digits"))
        #expect(v.anyStop && v.count(.send) == 1 && v.count(.review) == 5 && v.count(.stop) == 6)
        #expect(v.render(.csv).contains("11,N10,D,2026-06-08,100.00,USD,send,,\r\n"))
        // Nothing in the ledger changed: the same invoices as before.
        #expect(PrecheckTests.ws.ledger.invoices.count == 8)
    }

    @Test func draftsAreReadThroughTheLedgersMapping() throws {
        let yml = """
            mapping:
              invoices:
                columns:
                  invoice_id: Belegnr
                  customer_id: Kunde
                  issue_date: Datum
                  amount: Betrag
                date_format: DD.MM.YYYY
                amount_style: "1.234,56"

            """
        let l = TempLedger(["arlens.yml": yml,
                            "customers.csv": "customer_id,name,email,address\nA,Alpha,ap@alpha.example,1 Alpha Road\n",
                            "invoices.csv": "Belegnr,Kunde,Datum,Betrag\nR1,A,01.06.2026,\"1.500,00\"\n",
                            "drafts/week.csv": "Belegnr,Kunde,Datum,Betrag\nR2,A,01.06.2026,\"1.500,00\"\nR3,A,01.06.2026,\"12,345\"\nR4,A,01.06.2026,\"250,00\"\n"])
        let w = try Workspace(LedgerSource(directory: l.path), tables: Workspace.precheckTables)
        let v = try w.precheck(file: l.path + "/drafts/week.csv", asOf: nil)
        #expect(v.rows.map { "\($0.line) \($0.invoice) \($0.amount) \($0.verdict.rawValue) \($0.reasons.map(\.code).joined(separator: ","))" }
                == ["2 R2 1500.00 stop duplicate_invoice", "3   stop unreadable", "4 R4 250.00 send "])
        #expect(v.rows[1].reasons[0].message == "\(l.path)/drafts/week.csv line 3: Betrag '12,345': more decimals than USD allows (2)")
    }

    @Test func theDetectorAndPrecheckShareOneRule() throws {
        // The same pair in the ledger is the same finding the anomaly detector reports.
        var files = ClerkLedger.files
        files["invoices.csv"]! += "N2,A,2026-05-06,2026-06-05,500.00,\n"
        let l = TempLedger(files)
        let w = try Workspace(LedgerSource(directory: l.path), tables: nil)
        let found = AnomalyRules(w.timeline, approvalThreshold: 0).run().filter { $0.rule == .duplicateInvoice }
        #expect(found.map(\.documents) == [["A2", "N2"]])
        #expect(found[0].message == "N2 repeats A2: same customer, amount 500.00 and date; only 0% of this customer's other 2 invoices repeat an amount")
    }
}
