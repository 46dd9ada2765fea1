import ARAnalytics
import ARLensKit
import ARLoading
import ARModel
import ARReport
import ARTestSupport
import ChartKit
import Foundation
import Testing

/// The application layer on the hand-built March 2026 ledger whose every KPI is worked out in
/// ARAnalyticsTests/HandBuiltKPITests: net AR 2,510.00 at the end of March, CEI 75%.
@Suite struct WorkspaceTests {
    static let ws = try! Workspace(LedgerSource(directory: TestPaths.fixture("kpi-march-2026")), tables: nil)
    var ws: Workspace { WorkspaceTests.ws }

    @Test func defaultsLiveInTheWorkspace() throws {
        #expect(try ws.asOf(nil) == ws.timeline.lastDay)
        #expect(try ws.asOf(Day(iso: "2026-02-01")) == Day(iso: "2026-02-01"))
        #expect(throws: ARLensError.input("--as-of 2020-01-31 is before the ledger starts (\(ws.timeline.firstDay)): nothing was open yet")) {
            try ws.asOf(Day(iso: "2020-01-31"))
        }
        let (first, last) = try ws.months(from: nil, to: YearMonth("2026-03")) { $0.advanced(by: -11) }
        #expect(first == YearMonth("2025-04") && last == YearMonth("2026-03"))
        #expect(throws: ARLensError.input("--from 2026-03 is after --to 2026-01")) {
            try ws.months(from: YearMonth("2026-03"), to: YearMonth("2026-01")) { $0 }
        }
    }

    @Test func agingTotalIsNetARInEveryFormat() throws {
        let v = try ws.aging(asOf: Day(iso: "2026-03-31"))
        #expect(v.report.total.total == 2510_00)
        #expect(v.render(.csv).hasSuffix("total,,1610.00,800.00,0.00,0.00,300.00,0.00,-200.00,2510.00\r\n"))
        #expect(v.render(.json).contains(#""total": "2510.00""#))
        #expect(v.render(.table).contains("2,510.00"))
    }

    @Test func rollForwardReconcilesAndChecksItsRange() throws {
        let r = try ws.rollForward(from: YearMonth("2026-03"), to: nil)
        // 2800 + 2400 + 10 − 2350 − 250 − 100 = 2510.
        #expect(r.result.beginning == 2800_00 && r.result.ending == 2510_00)
        #expect(throws: ARLensError.input("--from 2026-03 is after --to 2026-02")) {
            try ws.rollForward(from: YearMonth("2026-03"), to: YearMonth("2026-02"))
        }
    }

    @Test func kpisAndTheirTables() throws {
        let v = try ws.kpis([.ar, .cei], from: YearMonth("2026-03"), to: YearMonth("2026-03"))
        #expect(v.render(.csv) == "metric,period,group,value,target,status\r\nar,2026-03,,2510.00,,\r\ncei,2026-03,,75.0,,\r\n")
        #expect(Workspace.tables(for: [.ar]) == Workspace.core)
        #expect(Workspace.tables(for: [.dispute_rate, .promise_kept_rate]) == Workspace.core.union([.disputes, .activities]))
        #expect(throws: ARLensError.self) { try Workspace.metrics("ar,nosuch") }
    }

    @Test func formatsAreOnlyThoseARenderingHas() {
        #expect(WhatIfView.formats == [.table, .json])
        #expect(CashForecastView.formats == [.table, .json])
        #expect(AccountView.formats == [.table, .json])
        #expect(BenfordView.formats == [.table, .json])
        #expect(AgingView.formats == [.table, .csv, .json])
    }

    /// The pack is written through whatever Canvas it is given: no Cairo here.
    @Test func packDrawsThroughTheCanvasItIsGiven() throws {
        let out = TempLedger([:])
        var o = PackOptions()
        o.outDirectory = out.path
        o.templates = TestPaths.root + "/report-templates/pack"
        o.formats = [.pdf, .svg, .json]
        let canvas = RecordingCanvas()
        let (dir, model, _) = try ws.pack(month: YearMonth("2026-03"), options: o, canvas: canvas)
        #expect(dir == out.path + "/2026-03")
        #expect(model.monthName == "March 2026")
        let pdf = try String(contentsOfFile: dir + "/pack.pdf", encoding: .utf8)
        #expect(pdf.hasPrefix("pdf 841x595 "))
        #expect(canvas.requests.filter { $0.hasPrefix("svg ") }.count == model.charts.count)
        #expect(canvas.requests.count == model.charts.count + 2)   // pack.pdf and summary.pdf
        let kpis = try String(contentsOfFile: dir + "/kpis.json", encoding: .utf8)
        #expect(kpis.contains(#""value": "2510.00""#))
    }

    @Test func packFormatsRejectEmptyAndUnknown() throws {
        #expect(try Workspace.packFormats("pdf, html") == [.pdf, .html])
        #expect(try Workspace.packFormats(nil).count == PackFormat.allCases.count)
        #expect(throws: ARLensError.usage("no output format chosen (html, pdf, png, svg, csv, json, xlsx, pptx); the previous pack is left as it was")) { try Workspace.packFormats("") }
        #expect((try? Workspace.packFormats("pdf,docx")) == nil)
    }
}

@Suite struct ErrorTests {
    @Test func exitCodes() {
        #expect(ARLensError.usage("x").exitCode == 2)
        #expect(ARLensError.input("x").exitCode == 1)
        #expect(ARLensError.runtime("x").exitCode == 1)
        #expect(ARLensError.invariant("x").description == "internal error: x")
        #expect(ARLensError.input("x").description == "error: x")
    }

    @Test func foreignErrorsBecomeOneLineRuntimeFailures() {
        let load = ARLensError.from(LoadError.fileNotFound("/nowhere"))
        #expect(load == .input("/nowhere: file not found"))
        do {
            try Data("x".utf8).write(to: URL(fileURLWithPath: "/nonexistent-folder-arlens/out.txt"))
            Issue.record("the write should fail")
        } catch {
            let e = ARLensError.from(error)
            #expect(e.kind == .runtime && e.exitCode == 1)
            #expect(e.description == "error: /nonexistent-folder-arlens/out.txt: no such file or folder")
        }
    }
}

/// Side files read with the ledger's scanner: every problem names its file, line and column.
@Suite struct ColumnFileTests {
    @Test func glBalancesWithQuotesBlankLinesAndErrors() throws {
        let t = TempLedger(["gl.csv": "Date,\"Balance\"\r\n2026-01-31,\"1234.50\"\r\n\r\n2026-02-28,99\r\n",
                            "bad.csv": "date,balance\n2026-01-31,1.00\n2026-02-30,2.00\n",
                            "nobal.csv": "date,amount\n2026-01-31,1\n"])
        let rows = try ColumnFile.glBalances(t.path + "/gl.csv", digits: 2)
        #expect(rows.map(\.balance) == [1234_50, 99_00])
        #expect(rows.map(\.date.description) == ["2026-01-31", "2026-02-28"])
        #expect(throws: LoadError.badValue(file: t.path + "/bad.csv", line: 3, column: "date", value: "2026-02-30", reason: "not a date (YYYY-MM-DD)")) {
            try ColumnFile.glBalances(t.path + "/bad.csv", digits: 2)
        }
        #expect(throws: LoadError.missingColumns(file: t.path + "/nobal.csv", columns: ["balance"], available: ["date", "amount"])) {
            try ColumnFile.glBalances(t.path + "/nobal.csv", digits: 2)
        }
    }

    @Test func monthlySeries() throws {
        let t = TempLedger(["s.csv": "Time,Sales\n1991-01,266.0\n1991-02-15,145.9\n", "gap.csv": "m,v\n2024-01,1\n2024-03,2\n",
                            "nan.csv": "m,v\n2024-01,x\n", "empty.csv": "m,v\n"])
        let s = try ColumnFile.monthlySeries(t.path + "/s.csv", dateColumn: "time", valueColumn: "SALES")
        #expect(s.values == [266.0, 145.9] && s.months.map(\.description) == ["1991-01", "1991-02"])
        #expect(throws: LoadError.badValue(file: t.path + "/gap.csv", line: 3, column: nil, value: nil,
                                           reason: "2024-03 does not follow 2024-01 (a monthly series without gaps)")) {
            try ColumnFile.monthlySeries(t.path + "/gap.csv", dateColumn: "m", valueColumn: "v")
        }
        #expect(throws: LoadError.badValue(file: t.path + "/nan.csv", line: 2, column: "v", value: "x", reason: "not a number")) {
            try ColumnFile.monthlySeries(t.path + "/nan.csv", dateColumn: "m", valueColumn: "v")
        }
        // A header with no rows is a clear input error, not a crash.
        #expect(throws: ARLensError.input(t.path + "/empty.csv: no rows after the header")) {
            try SeriesForecastView(file: t.path + "/empty.csv", dateColumn: "m", valueColumn: "v", horizon: 3, holdout: nil, period: 12)
        }
    }
}

/// Issue 15: a ledger with nothing dated is not reported "as of 1970-01-01".
@Suite struct EmptyLedgerTests {
    @Test func jobsStopButValidateAndSummaryReport() throws {
        let t = TempLedger(["invoices.csv": "invoice_id,customer_id,issue_date,amount\n"])
        #expect(throws: ARLensError.input("\(t.path) has no invoices, payments or adjustments to report on (arlens validate shows what was read)")) {
            try Workspace(LedgerSource(directory: t.path), tables: nil)
        }
        let ws = try Workspace(LedgerSource(directory: t.path), tables: nil, allowEmpty: true)
        #expect(ws.validate().report.totalRead == 0)
    }
}

/// The reviewed-findings list through the application: `arlens anomalies` hides cleared
/// findings and marks confirmed ones; the pack lists confirmed findings still open.
@Suite struct ReviewedAnomalyTests {
    static func ledger(_ reviewed: String) -> TempLedger {
        var inv = ["invoice_id,customer_id,issue_date,amount,created_by,created_at"]
        for k in 0..<30 { inv.append("E\(k + 100),E,\((Day(iso: "2025-06-02")! + 9 * k).description),\(String(format: "%.2f", 700 + 23.17 * Double(k))),ana,2025-06-02T09:00") }
        inv += ["E30,E,2026-01-05,1111.11,ana,2026-01-05T10:00", "E31,E,2026-01-05,1111.11,ana,2026-01-05T10:20",
                "E40,E,2026-02-02,2222.22,ana,2026-02-02T10:00", "E41,E,2026-02-02,2222.22,ana,2026-02-02T10:25"]
        return TempLedger(["customers.csv": "customer_id,name\nE,Epsilon\n", "invoices.csv": inv.joined(separator: "\n") + "\n",
                           "arlens.yml": "anomalies:\n  reviewed: reviewed.csv\n", "reviewed.csv": reviewed])
    }

    @Test func clearedHiddenConfirmedMarked() throws {
        let t = ReviewedAnomalyTests.ledger("rule,documents,verdict,note\nduplicate_invoice,E41;E40,cleared,two deliveries\nduplicate_invoice,E30;E31,confirmed,asked for a credit\n")
        let ws = try Workspace(LedgerSource(directory: t.path), tables: nil)
        let v = try ws.anomalies(from: nil, to: nil)
        let dups = v.findings.filter { $0.rule == .duplicateInvoice }
        #expect(dups.map(\.documents) == [["E30", "E31"]] && v.cleared == 1)
        #expect(v.render(.json).contains("\"review\": {\n        \"verdict\": \"confirmed\",\n        \"note\": \"asked for a credit\"\n      }"))
        #expect(v.render(.csv).contains(",confirmed\r\n"))
        #expect(v.render(.table).contains("(1 more cleared by review, not shown)"))
        #expect(v.render(.table).contains("[confirmed] duplicate_invoice: E31 repeats E30"))
        // The pack: the confirmed finding is tracked (nothing is paid in this ledger).
        let model = PackBuilder(analysis: PackAnalysis(prepared: ws.prepared, report: ws.load.report, configuration: ws.configuration,
                                                       month: YearMonth("2026-02")!, reviewed: try ws.reviewedFindings()),
                                report: ws.load.report, ledgerName: "test").build()
        let section = try #require(model.sections.first { $0.id == "anomalies" })
        let confirmed = try #require(section.appendixTables.first { $0.id == "anomalies_confirmed" })
        #expect(confirmed.rows == [[.text("Duplicate invoice"), .text("E30 E31"), .money(2222_22), .text("E30 E31"), .text("asked for a credit")]])
        #expect(section.paragraphs.last == "Reviewed findings: 1 cleared and not shown; 1 confirmed and still open, tracked in the appendix; 0 confirmed and resolved (every document closed).")
        let ranked = try #require(section.appendixTables.first { $0.id == "anomalies" })
        #expect(ranked.rows.contains { $0[4] == .text("Confirmed by review. E31 repeats E30: same customer, amount 1,111.11 and date; only 6% of this customer's other 33 invoices repeat an amount") })
    }

    @Test func aBadListStopsTheJobWithItsLine() throws {
        let t = ReviewedAnomalyTests.ledger("rule,documents,verdict\nduplicate_invoice,E30;E31,maybe\n")
        let ws = try Workspace(LedgerSource(directory: t.path), tables: nil)
        #expect(throws: LoadError.badValue(file: t.path + "/reviewed.csv", line: 2, column: "verdict", value: "maybe", reason: "not a verdict (confirmed or cleared)")) {
            try ws.anomalies(from: nil, to: nil)
        }
    }
}

/// `arlens validate --strict`: the rows are reported first, then the verdict.
@Suite struct StrictValidationTests {
    @Test func strictSourceStillReportsAndThenFails() throws {
        let t = TempLedger(["invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,12.345\nI2,C1,2026-01-10,5.00\n"])
        let v = try Workspace.validate(LedgerSource(directory: t.path, strict: true))
        #expect(v.report.rejections.count == 1)
        #expect(v.report.rejections.first?.line == 2)
        #expect(v.strictFailure == ARLensError(.strict, "1 rows rejected (--strict)"))
        let clean = TempLedger(["invoices.csv": "invoice_id,customer_id,issue_date,amount\nI2,C1,2026-01-10,5.00\n"])
        #expect(try Workspace.validate(LedgerSource(directory: clean.path, strict: true)).strictFailure == nil)
    }
}
