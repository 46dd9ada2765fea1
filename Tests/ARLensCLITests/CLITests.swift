import ARTestSupport
import Foundation
import Testing

/// End-to-end: the built `arlens` binary, its output and its exit codes.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built binary: the test bundle sits in the build folder beside the executable.
let builtBinary: URL = {
    var dir = Bundle.main.bundleURL
    var binary = dir.appendingPathComponent("arlens")
    for _ in 0..<4 where !FileManager.default.fileExists(atPath: binary.path) {
        dir = dir.deletingLastPathComponent()
        binary = dir.appendingPathComponent("arlens")
    }
    return binary
}()

/// Where the commands the tests run keep their ledger snapshots: one temporary folder, so
/// that no `.arlens-cache/` appears in the repository's fixtures or datasets.
let testCacheFolder: String = TempLedger.folder([:], prefix: "arlens-cli-cache-")

func arlens(_ args: [String], binary: URL = builtBinary, in folder: URL = root, environment: [String: String]? = nil) throws -> Run {
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    p.currentDirectoryURL = folder
    var env = environment ?? ProcessInfo.processInfo.environment
    if env["ARLENS_CACHE_DIR"] == nil { env["ARLENS_CACHE_DIR"] = testCacheFolder }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

let collectionsFixture = "Tests/Fixtures/collections-june-2026"

/// A temporary folder of `files`; the test removes it.
func tempDir(_ files: [String: String]) -> String { TempLedger.folder(files, prefix: "arlens-cli-") }

@Suite struct CLITests {
    static let handmade = "Tests/Fixtures/handmade"

    @Test func validateAsJSON() throws {
        let r = try arlens(["validate", "--format", "json", "--data", CLITests.handmade])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let files = obj["files"] as! [[String: Any]]
        #expect(files.count == 9)
        #expect(files[1]["file"] as? String == "invoices.csv")
        #expect(files[1]["read"] as? Int == 24)
        #expect((obj["rejections"] as! [Any]).isEmpty)
        let kinds = (obj["findings"] as! [[String: Any]]).map { $0["kind"] as! String }
        #expect(kinds.contains("missing_email"))
        #expect(r.stdout.hasPrefix("{\n  \"files\": [\n    {\n      \"file\": \"customers.csv\",\n      \"read\": 7,"))
    }

    /// The snapshot changes nothing a command says: validate (rejections, findings, notes)
    /// and the KPIs are the same from the CSVs, while writing the snapshot, and from it.
    @Test func outputIsTheSameWithAndWithoutTheSnapshot() throws {
        let fm = FileManager.default
        let d = tempDir([:])
        defer { try? fm.removeItem(atPath: d) }
        let src = root.appendingPathComponent(CLITests.handmade).path
        for f in try fm.contentsOfDirectory(atPath: src) { try fm.copyItem(atPath: src + "/" + f, toPath: d + "/" + f) }
        // A row rejected for its amount, appended to the invoices.
        let inv = try String(contentsOfFile: d + "/invoices.csv", encoding: .utf8)
        let cols = inv.split(separator: "\n")[0].split(separator: ",").count
        func row(_ id: String) -> String { id + ",C001,2026-01-05" + String(repeating: ",", count: cols - 3) + "\n" }
        try (inv + row("INV-X")).write(toFile: d + "/invoices.csv", atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        env["ARLENS_CACHE_DIR"] = ""           // the snapshot goes beside the ledger
        let cache = d + "/.arlens-cache"
        for args in [["validate", "--format", "json"], ["validate"], ["kpi", "dso,cei,ar", "--format", "json"]] {
            let plain = try arlens(args + ["--data", d, "--no-cache"], environment: env)
            #expect(!fm.fileExists(atPath: cache))
            let writing = try arlens(args + ["--data", d], environment: env)
            #expect(try fm.contentsOfDirectory(atPath: cache).count == 1)
            let reading = try arlens(args + ["--data", d], environment: env)
            #expect(plain.status == 0)
            #expect(args[0] == "kpi" || plain.stdout.contains(args.count == 1 ? "invoices.csv:26: column 'issue_date'" : #""line": 26"#))
            #expect(writing.stdout == plain.stdout && reading.stdout == plain.stdout, "\(args)")
            #expect(writing.stderr == plain.stderr && reading.stderr == plain.stderr, "\(args)")
            let status = try arlens(["cache", "status", "--data", d, "--format", "json"], environment: env)
            #expect(status.stdout.contains(#""current": true"#))
            let clear = try arlens(["cache", "clear", "--data", d], environment: env)
            #expect(clear.stdout == "removed 1 snapshot of \(d)\n")
            #expect(!fm.fileExists(atPath: cache))
        }
        // A change to the ledger after the snapshot was written is seen.
        _ = try arlens(["validate", "--data", d], environment: env)
        try (inv + row("INV-X") + row("INV-Y")).write(toFile: d + "/invoices.csv", atomically: true, encoding: .utf8)
        let after = try arlens(["validate", "--format", "json", "--data", d], environment: env)
        #expect(after.stdout.contains(#""line": 27"#))
        #expect(after.stdout == (try arlens(["validate", "--format", "json", "--data", d, "--no-cache"], environment: env)).stdout)
    }

    @Test func rejectedRowsWarnUnlessStrict() throws {
        let d = tempDir(["invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,12.345\nI2,C1,2026-01-10,5.00\n"])
        defer { try? FileManager.default.removeItem(atPath: d) }
        let r = try arlens(["validate", "--data", d, "--format", "json"])
        #expect(r.status == 0)
        #expect(r.stdout.contains(#""column": "amount","#))
        #expect(r.stdout.contains(#""reason": "more decimals than USD allows (2)""#))
        let table = try arlens(["validate", "--data", d])
        #expect(table.stdout.contains("invoices.csv:2: column 'amount': '12.345': more decimals than USD allows (2)"))
        let strict = try arlens(["validate", "--data", d, "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stderr == "arlens: 1 rows rejected (--strict)\n")
    }

    @Test func ledgerThatCannotLoadExitsOneWithOneLine() throws {
        let d = tempDir(["invoices.csv": "invoice_id,amount\nI1,5.00\n"])
        defer { try? FileManager.default.removeItem(atPath: d) }
        let r = try arlens(["validate", "--data", d])
        #expect(r.status == 1)
        #expect(r.stderr == "arlens: error: invoices.csv:1: required columns 'customer_id', 'issue_date' missing (the header has: invoice_id, amount)\n")
        let missing = try arlens(["validate", "--data", d + "/nowhere"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasSuffix("nowhere: file not found\n"))
    }

    /// `arlens slides`: the deck alone, the chosen slides between the title and the asks; a
    /// slide name it does not know is a usage error naming it.
    @Test func slidesWritesTheDeckAlone() throws {
        let out = URL(fileURLWithPath: tempDir([:]))
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try arlens(["slides", "--data", "sample", "--month", "2026-10", "--charts", "cei,dso", "--out", out.path])
        #expect(r.status == 0)
        #expect(r.stdout == "4 slides for Accounts receivable, October 2026 written to \(out.path)/2026-10/slides.pptx\n")
        #expect(FileManager.default.fileExists(atPath: out.path + "/2026-10/slides.pptx"))
        #expect(!FileManager.default.fileExists(atPath: out.path + "/2026-10/index.html"))
        let bad = try arlens(["slides", "--data", "sample", "--charts", "dso,dsx", "--out", out.path])
        #expect(bad.status == 2)
        #expect(bad.stderr == "arlens: error: unknown slide 'dsx' (kpis, rollforward, aging, dso, cei, forecast, overdue, disputes, findings); see arlens slides --help\n")
    }

    @Test func badUsageExitsTwo() throws {
        let r = try arlens(["validate", "--format", "yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("yaml"))
        #expect(try arlens(["no-such-command"]).status == 2)
        let help = try arlens(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("validate"))
    }

    @Test func theBundledSampleIsTheDefaultAndLoadsCleanly() throws {
        let r = try arlens(["validate", "--format", "json", "--data", "sample"])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((obj["rejections"] as! [Any]).isEmpty)
        let files = obj["files"] as! [[String: Any]]
        #expect(files.first { $0["file"] as? String == "invoices.csv" }?["loaded"] as? Int == 12355)
    }

    @Test func summaryOfTheHandmadeLedger() throws {
        let r = try arlens(["summary", "--data", CLITests.handmade])
        #expect(r.status == 0)
        #expect(r.stdout.contains("2026-06-05 to 2026-11-20, base currency USD"))
        #expect(r.stdout.contains("EUR        21,400.00  21,400.00  21,400.00"))
        #expect(r.stdout.contains("USD       141,500.50  98,750.50  97,750.50"))
    }
}

/// The JSON shapes of cli.md, on a ledger small enough to know every number.
@Suite struct AnalysisCLITests {
    /// Beginning AR 100,000 (I0), March billings 1,000,000, C1's ending AR 120,000 of which
    /// 100,000 current; C2 has 50.00 of unapplied cash, so net AR is 119,950 and CEI is
    /// (1,100,000 − 119,950) ÷ (1,100,000 − 100,000) = 98.005%.
    static let dir = tempDir([
        "customers.csv": "customer_id,name,segment\nC1,One,big\nC2,Two,small\n",
        "invoices.csv": """
            invoice_id,customer_id,issue_date,due_date,amount
            I0,C1,2025-02-10,2025-03-12,100000.00
            I1,C1,2025-03-01,2025-03-10,900000.00
            I2,C1,2025-03-20,2025-04-19,100000.00

            """,
        "payments.csv": "payment_id,customer_id,received_date,amount\nP0,C1,2025-03-11,100000.00\nP1,C1,2025-03-25,880000.00\nP2,C2,2025-03-26,50.00\n",
        "applications.csv": "payment_id,invoice_id,amount\nP0,I0,100000.00\nP1,I1,880000.00\n",
    ])

    @Test func kpiJSON() throws {
        let r = try arlens(["kpi", "cei,ar,dso", "--from", "2025-03", "--to", "2025-03", "--format", "json", "--data", AnalysisCLITests.dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            {
              "metrics": [
                "cei",
                "ar",
                "dso"
              ],
              "grain": "month",
              "by": null,
              "rows": [
                {
                  "metric": "cei",
                  "period": "2025-03",
                  "group": null,
                  "value": 98.005
                },
                {
                  "metric": "ar",
                  "period": "2025-03",
                  "group": null,
                  "value": "119950.00"
                },
                {
                  "metric": "dso",
                  "period": "2025-03",
                  "group": null,
                  "value": null
                }
              ]
            }

            """)
    }

    @Test func kpiByGroupAndGrains() throws {
        let r = try arlens(["kpi", "ar", "--grain", "quarter", "--by", "segment", "--format", "json", "--data", AnalysisCLITests.dir])
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["by"] as? String == "segment")
        let rows = obj["rows"] as! [[String: Any]]
        #expect(rows.map { "\($0["period"]!) \($0["group"]!) \($0["value"]!)" } == ["2025-Q1 big 120000.00", "2025-Q1 small -50.00"])
        let list = try arlens(["kpi", "--list"])
        #expect(list.stdout.contains("dso_countback  DSO (countback)"))
        #expect(list.stdout.split(separator: "\n").filter { !$0.hasPrefix(" ") }.count == 33)
    }

    @Test func kpiErrorsAreExitOne() throws {
        let bad = try arlens(["kpi", "dso,nonsense", "--data", AnalysisCLITests.dir])
        #expect(bad.status == 1)
        #expect(bad.stderr == "arlens: error: unknown metric 'nonsense' (arlens kpi --list shows them all)\n")
        let date = try arlens(["kpi", "dso", "--from", "2025-13", "--data", AnalysisCLITests.dir])
        #expect(date.status == 1)
        #expect(date.stderr == "arlens: error: --from '2025-13' is not a month (YYYY-MM)\n")
        #expect(try arlens(["kpi", "dso", "--grain", "fortnight"]).status == 2)
        let fine = try arlens(["kpi", "dso", "--grain", "week", "--data", AnalysisCLITests.dir])
        #expect(fine.status == 1)
        #expect(fine.stderr.hasPrefix("arlens: error: dso is defined per month only (--grain month, quarter, year or all); by week: billings, collections,"))
    }

    @Test func agingJSON() throws {
        let r = try arlens(["aging", "--as-of", "2025-03-31", "--format", "json", "--data", AnalysisCLITests.dir])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["as_of"] as? String == "2025-03-31")
        #expect(obj["basis"] as? String == "due")
        #expect(obj["currency"] as? String == "USD")
        #expect(obj["buckets"] as? [String] == ["current", "1-30", "31-60", "61-90", "91-120", "121+", "unapplied"])
        let rows = obj["rows"] as! [[String: String]]
        #expect(rows.count == 2)
        #expect(rows[0] == ["group": "C1", "current": "100000.00", "1-30": "20000.00", "31-60": "0.00", "61-90": "0.00",
                            "91-120": "0.00", "121+": "0.00", "unapplied": "0.00", "total": "120000.00"])
        #expect(rows[1]["unapplied"] == "-50.00")
        #expect(rows[1]["total"] == "-50.00")
        #expect((obj["total"] as! [String: String])["total"] == "119950.00")
        #expect(r.stdout.contains("\"rows\": [\n    {\n      \"group\": \"C1\",\n      \"current\": \"100000.00\","))
        // As of a date before the payments, everything is still open.
        let early = try arlens(["aging", "--as-of", "2025-03-05", "--format", "csv", "--data", AnalysisCLITests.dir])
        #expect(early.stdout == "customer,name,current,1-30,31-60,61-90,91-120,121+,unapplied,total\r\nC1,One,1000000.00,0.00,0.00,0.00,0.00,0.00,0.00,1000000.00\r\ntotal,,1000000.00,0.00,0.00,0.00,0.00,0.00,0.00,1000000.00\r\n")
    }

    @Test func rollForward() throws {
        let r = try arlens(["rollforward", "--from", "2025-03", "--format", "csv", "--data", AnalysisCLITests.dir])
        // Collections are a positive amount under a subtracting line, as `kpi collections` gives them.
        #expect(r.stdout == "line,amount\r\nbeginning_ar,100000.00\r\ninvoices,1000000.00\r\ndebit_memos,0.00\r\nlate_fees,0.00\r\ncollections,980050.00\r\ncredit_memos,0.00\r\nwrite_offs,0.00\r\nfx,0.00\r\nending_ar,119950.00\r\n")
    }
}

@Suite struct ForecastCLITests {
    @Test func seriesJSONWithHoldout() throws {
        // Three years of a clean seasonal series: the forecast shape of cli.md.
        var csv = "month,value\n"
        for t in 0..<36 {
            let m = YearMonthText(t)
            csv += "\(m),\(100 + Double(t) * 2 + (t % 12 < 6 ? 10 : -10))\n"
        }
        let d = tempDir(["s.csv": csv])
        defer { try? FileManager.default.removeItem(atPath: d) }
        let r = try arlens(["forecast", "series", d + "/s.csv", "--date-column", "month", "--value-column", "value", "--holdout", "6", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((obj["model"] as! String).contains("ETS("))
        #expect(!(obj["explanation"] as! String).isEmpty)
        #expect(obj["horizon"] as? Int == 6)
        let rows = obj["forecast"] as! [[String: Any]]
        #expect(rows.map { $0["period"] as! String } == ["2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12"])
        for (k, row) in rows.enumerated() {
            let v = row["value"] as! Double, lo80 = row["lo80"] as! Double, hi95 = row["hi95"] as! Double
            #expect(lo80 <= v && v <= hi95)
            let t = 30 + k
            #expect(row["actual"] as? Double == 100 + Double(t) * 2 + (t % 12 < 6 ? 10 : -10))   // the held-out actual beside it
        }
        // Then the forecast after the data (--horizon, 12 by default) from every point.
        let future = obj["future"] as! [String: Any]
        #expect(((future["forecast"] as! [[String: Any]]).map { $0["period"] as! String }).first == "2026-01")
        #expect((future["forecast"] as! [[String: Any]]).count == 12)
        let table = try arlens(["forecast", "series", d + "/s.csv", "--date-column", "month", "--value-column", "value", "--holdout", "6", "--horizon", "2"])
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("period") && $0.contains("actual") && $0.contains("forecast") })
        #expect(lines.contains { $0.hasPrefix("holdout of 6: MAPE") })
        #expect(lines.contains { $0.hasPrefix("forecast after the data: model ") })
        #expect(lines.contains { $0.hasPrefix("2026-02") })
        let acc = obj["accuracy"] as! [String: Any]
        #expect(Set(acc.keys) == ["mape", "smape", "mase"])
        #expect((acc["mape"] as! Double) < 8)          // 6.4%: the average of three families on 30 months
        // Without --holdout, no accuracy, periods after the last month.
        let plain = try arlens(["forecast", "series", d + "/s.csv", "--date-column", "month", "--value-column", "value", "--horizon", "3", "--format", "json"])
        let p = try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as! [String: Any]
        #expect(p["accuracy"] == nil)
        #expect(((p["forecast"] as! [[String: Any]]).first!["period"] as! String) == "2026-01")
        // A gap in the months is an input error.
        let gap = tempDir(["g.csv": "month,value\n2024-01,1\n2024-03,2\n2024-04,3\n"])
        defer { try? FileManager.default.removeItem(atPath: gap) }
        let bad = try arlens(["forecast", "series", gap + "/g.csv", "--date-column", "month", "--value-column", "value"])
        #expect(bad.status == 1)
        #expect(bad.stderr == "arlens: error: \(gap)/g.csv:3: 2024-03 does not follow 2024-01 (a monthly series without gaps)\n")
    }
}

extension ForecastCLITests {
    /// `forecast kpi` names the model, says what it does in words and shows the last actuals.
    @Test func kpiForecastReadable() throws {
        let r = try arlens(["forecast", "kpi", "dso", "--data", "sample"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("DSO: model "))
        #expect(lines[1].hasPrefix("(") && (lines[1].contains("exponential smoothing") || lines[1].contains("ARIMA") || lines[1].contains("theta")))
        #expect(lines[2].hasPrefix("last actuals: ") && lines[2].split(separator: ",").count == 6)
        let json = try arlens(["forecast", "kpi", "dso", "--data", "sample", "--format", "json"])
        let obj = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect((obj["last_actuals"] as! [[String: Any]]).count == 6)
        #expect((obj["forecast"] as! [[String: Any]]).count == 6)
    }

    @Test func cashForecastJSON() throws {
        let r = try arlens(["forecast", "cash", "--format", "json", "--backtest", "--data", "sample"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["as_of"] as? String == "2026-10-30")
        let weeks = obj["weeks"] as! [[String: Any]]
        #expect(weeks.count == 13)
        #expect(weeks[0]["start"] as? String == "2026-10-31" && weeks[0]["end"] as? String == "2026-11-06")
        for w in weeks {
            let e = Double(w["expected"] as! String)!, lo = Double(w["lo80"] as! String)!, hi = Double(w["hi80"] as! String)!
            let open = Double(w["from_open_items"] as! String)!, future = Double(w["from_future_invoices"] as! String)!
            #expect(lo <= e && e <= hi)
            #expect(abs(open + future - e) < 0.011)
        }
        let bt = obj["backtest"] as! [String: Any]
        #expect((bt["wape"] as! [Double]).count == 13)
        #expect((bt["origins"] as! [String]).count == 6)
    }
}

/// "2023-01" plus t months.
func YearMonthText(_ t: Int) -> String {
    let y = 2023 + t / 12, m = t % 12 + 1
    return "\(y)-" + (m < 10 ? "0\(m)" : "\(m)")
}

@Suite struct AnomalyCLITests {
    @Test func anomaliesJSONShape() throws {
        let r = try arlens(["anomalies", "--format", "json", "--data", "sample"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let findings = obj["findings"] as! [[String: Any]]
        #expect(findings.count > 20)
        let first = findings[0]
        #expect(Set(first.keys) == ["rule", "severity", "amount", "documents", "customers", "evidence", "message"])
        #expect(first["amount"] is String && first["severity"] is Double)
        // Ranked by severity.
        let severities = findings.map { $0["severity"] as! Double }
        #expect(severities == severities.sorted(by: >))
        #expect(findings.contains { $0["rule"] as? String == "duplicate_invoice" })
        // Scored against the sample's truth: every kind recalled.
        let score = try arlens(["anomalies", "--truth", "datasets/sample/_truth/anomalies.csv", "--data", "sample"])
        #expect(score.stdout.contains("duplicate_payment               4      4         4        4    1.00       1.00"))
    }

    @Test func benfordOnACSV() throws {
        // 1, 2 and 3 as first digits, in cents and whole amounts; junk and negatives are skipped.
        let d = tempDir(["a.csv": "id,amount\n1,1.50\n2,23\n3,\"34.10\"\n4,-5\n5,abc\n6,0\n7,19.99\n"])
        defer { try? FileManager.default.removeItem(atPath: d) }
        let r = try arlens(["benford", d + "/a.csv", "--column", "amount", "--test", "first", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["test"] as? String == "first")
        #expect(obj["n"] as? Int == 4)
        #expect(obj["skipped"] as? Int == 3)
        let digits = obj["digits"] as! [[String: Any]]
        #expect(digits.count == 9)
        #expect(digits[0]["count"] as? Int == 2)      // 1.50 and 19.99
        #expect(abs((digits[0]["expected"] as! Double) - log10(2.0)) < 1e-12)
        #expect(Set(obj.keys).isSuperset(of: ["chi_square", "mad", "conformity", "ks"]))
    }


    @Test func worklistJSONShape() throws {
        let r = try arlens(["worklist", "--data", collectionsFixture, "--as-of", "2026-06-30", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["as_of"] as? String == "2026-06-30")
        let rows = obj["rows"] as! [[String: Any]]
        #expect(rows.map { $0["customer_id"] as! String } == ["B", "C", "A", "D", "H"])
        #expect(rows.map { $0["rank"] as! Int } == [1, 2, 3, 4, 5])
        #expect(rows[0]["overdue"] as? String == "2020.00" && rows[0]["max_days_past_due"] as? Int == 91)
        #expect(rows[0]["priority"] as? Double == 0.591 && rows[0]["next_action"] as? String == "collection_agency")
        #expect(rows[0]["reasons"] is [String])
        #expect((rows[0]["last_activity"] as! [String: Any])["kind"] as? String == "agency")
        let d = rows.first { $0["customer_id"] as? String == "D" }!
        #expect((d["promises"] as! [[String: Any]]).map { $0["status"] as! String } == ["broken"])
        let skipped = obj["skipped"] as! [[String: Any]]
        #expect(skipped.map { $0["customer_id"] as! String } == ["E", "F"])
        let bob = try arlens(["worklist", "--data", collectionsFixture, "--as-of", "2026-06-30", "--collector", "Bob", "--format", "csv"])
        #expect(bob.stdout.components(separatedBy: "\r\n").dropLast().map { $0.split(separator: ",")[1] } == ["customer_id", "C", "D"])
    }

    @Test func planJSONSumsToTheBalance() throws {
        let r = try arlens(["plan", "B", "--installments", "3", "--start", "2026-07-31", "--data", collectionsFixture,
                            "--as-of", "2026-06-30", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["customer_id"] as? String == "B" && obj["balance"] as? String == "2020.00")
        let inst = obj["installments"] as! [[String: Any]]
        #expect(inst.map { $0["amount"] as! String } == ["673.33", "673.33", "673.34"])
        #expect(inst.map { $0["due_date"] as! String } == ["2026-07-31", "2026-08-31", "2026-09-30"])
        #expect(inst.map { $0["n"] as! Int } == [1, 2, 3])
        // Nothing owed: a clear error, exit 1.
        let g = try arlens(["plan", "Z", "--installments", "3", "--data", collectionsFixture])
        #expect(g.status == 1 && g.stderr == "arlens: error: no customer 'Z' in the ledger\n")
        let bad = try arlens(["plan", "B", "--installments", "0", "--data", collectionsFixture])
        #expect(bad.status == 2)
    }

    @Test func feesCreditAndNotices() throws {
        let fees = try arlens(["fees", "--data", collectionsFixture, "--as-of", "2026-06-30", "--policy", "eu", "--format", "csv"])
        #expect(fees.status == 0, "\(fees.stderr)")
        // EU with the default reference rate 4% + 8: A1 1000 for 30 days = 9.86, plus EUR 40.00
        // at the fixture's 1.0850 = 43.40 USD (issue 16: the fixed sum is in euros).
        #expect(fees.stdout.contains("A,Alpha,A1,USD,1000.00,30,9.86,43.40,0.00,53.26,eu,EUR 40.00 = 43.40 USD at 1 EUR = 1.0850 USD (rate of 2026-06-30)\r\n"))
        let credit = try arlens(["credit", "--data", collectionsFixture, "--as-of", "2026-06-30", "--format", "json"])
        let rows = (try JSONSerialization.jsonObject(with: Data(credit.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(rows[0]["customer_id"] as? String == "B" && rows[0]["score"] as? Double == 44.8 && rows[0]["over_limit"] as? Bool == true)
        #expect(rows.first { $0["customer_id"] as? String == "G" }?["new_customer"] as? Bool == true)
        let out = TestTemp.path("arlens-notices-")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let n = try arlens(["notices", "--data", collectionsFixture, "--as-of", "2026-06-30", "--out", out])
        #expect(n.status == 0, "\(n.stderr)")
        #expect(n.stdout == "5 notices as of 2026-06-30 in \(out) (10 files + index.csv): 1 reminder, 1 second notice, 1 call, 1 final demand, 1 collection agency; 0 invoices held on them, 2 accounts held (arlens worklist says why)\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["A.html", "A.pdf", "B.html", "B.pdf", "C.html", "C.pdf", "D.html", "D.pdf", "H.html", "H.pdf", "index.csv"])
        // Issue 16, point 7: ready for a mail merge, and warned that the fixture's letters are not.
        let index = try String(contentsOfFile: out + "/index.csv", encoding: .utf8).components(separatedBy: "\r\n")
        #expect(index[0] == "customer_id,name,email,action,overdue,held,amount_due,currency,subject,html,pdf")
        // B: 2020.00 overdue + 69.75 charges.
        #expect(index[1] == "B,Beta,,collection_agency,2020.00,,2089.75,USD,Notice of referral to a collection agency,B.html,B.pdf")
        #expect(n.stderr.contains("arlens: warning: arlens.yml has no notices.sender: letters carry no sender address\n"))
        #expect(n.stderr.contains("arlens: warning: arlens.yml has no notices.payment: letters give no bank details or payment link\n"))
        #expect(n.stderr.contains("arlens: warning: 5 letters go to customers with no address (B, C, A, D, H)\n"))
        let strictOut = out + "-strict"
        let strict = try arlens(["notices", "--data", collectionsFixture, "--as-of", "2026-06-30", "--out", strictOut, "--strict"])
        #expect(strict.status == 1 && strict.stderr.contains("letters cannot be sent as they are (--strict)"))
        #expect(!FileManager.default.fileExists(atPath: strictOut))
        // The sample's arlens.yml has a complete notices block: no warning about it.
        let sampleOut = out + "-sample"
        defer { try? FileManager.default.removeItem(atPath: sampleOut) }
        let sample = try arlens(["statement", "--all", "--out", sampleOut, "--data", "sample"])
        #expect(sample.status == 0, "\(sample.stderr)")
        #expect(!sample.stderr.contains("arlens.yml has no"))
        let sIndex = try String(contentsOfFile: sampleOut + "/index.csv", encoding: .utf8).components(separatedBy: "\r\n")
        #expect(sIndex[0] == "customer_id,name,email,kind,closing,amount_due,overdue,currency,subject,html,pdf")
        #expect(sIndex.contains { $0.hasPrefix("C00065,Northwind Hospitality Inc.,") && $0.contains(",credit,-3944.90,0.00,") && $0.hasSuffix(",C00065.html,C00065.pdf") })
        #expect(sIndex.count - 2 == sample.stdout.split(separator: " ").first.flatMap { Int($0) })
    }

    /// A's account at 06-30: A0 1000 paid on 03-02 (60 days after issue, 30 late) by P1, A1
    /// 1000 open 30 days past due; a call logged on 06-20.
    @Test func customerAccountView() throws {
        let r = try arlens(["customer", "A", "--data", collectionsFixture, "--as-of", "2026-06-30", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["customer_id"] as? String == "A" && obj["balance"] as? String == "1000.00")
        let items = obj["open_items"] as! [[String: Any]]
        #expect(items.map { $0["document"] as! String } == ["A1"] && items[0]["days_past_due"] as? Int == 30)
        let history = obj["history"] as! [[String: Any]]
        #expect(history.map { $0["kind"] as! String } == ["invoice", "payment", "invoice", "activity"])
        #expect(history[1]["amount"] as? String == "-1000.00" && history[1]["detail"] as? String == "applied to A0 1000.00; reference A0")
        let kpis = obj["kpis"] as! [String: Any]
        #expect(kpis["days_to_pay"] as? Double == 60 && kpis["days_late"] as? Double == 30 && kpis["on_time_rate"] as? Double == 0)
        #expect((obj["profile"] as! [String: Any])["missing"] as? [String] == ["email", "phone", "address"])
        #expect((obj["profile"] as! [String: Any])["malformed"] as? [String] == [])
        // C00064's address 'ap@oakwoodpackagingco' has no domain: arlens validate calls it malformed too.
        let c64 = try arlens(["customer", "C00064", "--format", "json", "--data", "sample"])
        let p64 = (try JSONSerialization.jsonObject(with: Data(c64.stdout.utf8)) as! [String: Any])["profile"] as! [String: Any]
        #expect(p64["malformed"] as? [String] == ["email"] && p64["missing"] as? [String] == [])
        #expect((obj["collection"] as! [String: Any])["next_action"] as? String == "call")
        // The balance is the customer's line in arlens aging, here and on the sample for every customer with unapplied cash.
        let aging = try arlens(["aging", "--data", collectionsFixture, "--as-of", "2026-06-30", "--format", "json"])
        let rows = (try JSONSerialization.jsonObject(with: Data(aging.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(rows.first { $0["group"] as? String == "A" }?["total"] as? String == "1000.00")
        let s = try arlens(["customer", "C00037", "--as-of", "2026-10-31", "--format", "json", "--data", "sample"])
        let sample = try JSONSerialization.jsonObject(with: Data(s.stdout.utf8)) as! [String: Any]
        let sampleItems = (sample["open_items"] as! [[String: Any]]).map { Decimal(string: $0["open"] as! String)! }
        #expect(sampleItems.reduce(0, +) == Decimal(string: sample["balance"] as! String)!)
        #expect(sampleItems.contains { $0 < 0 })   // unapplied cash listed as a negative item
        let sampleAging = try arlens(["aging", "--as-of", "2026-10-31", "--format", "json", "--data", "sample"])
        let sampleRows = (try JSONSerialization.jsonObject(with: Data(sampleAging.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(sampleRows.first { $0["group"] as? String == "C00037" }?["total"] as? String == sample["balance"] as? String)
    }

    /// The March 2026 ledger: AR 1800 (Jan), 2800 (Feb), 2510 (Mar).
    @Test func reconcileExplainsCutOff() throws {
        let d = tempDir(["gl.csv": "date,balance\n2026-01-31,1800.00\n2026-02-28,3600.00\n2026-03-31,2660.00\n2026-03-15,4208.00\n"])
        defer { try? FileManager.default.removeItem(atPath: d) }
        let r = try arlens(["reconcile", "--gl", d + "/gl.csv", "--data", "Tests/Fixtures/kpi-march-2026", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(rows.map { $0["date"] as! String } == ["2026-01-31", "2026-02-28", "2026-03-15", "2026-03-31"])
        #expect(rows.map { $0["difference"] as! String } == ["0.00", "800.00", "-2.00", "150.00"])
        #expect(rows[1]["explanations"] as? [String] == ["I4 dated 2026-03-01 (800.00) is in the GL before the close"])
        #expect(rows[2]["explanations"] as? [String] == [])   // 2.00 matches nothing
        // 150.00: P4 received 03-30 not yet in the GL, or the GL not netting P4's unapplied cash.
        #expect(rows[3]["explanations"] as? [String] == ["P4 dated 2026-03-30 (-150.00) is not in the GL yet", "the GL does not net unapplied cash of 150.00"])
        let bad = tempDir(["gl.csv": "date,balance\n2026-01-31,12.345\n"])
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let e = try arlens(["reconcile", "--gl", bad + "/gl.csv", "--data", "Tests/Fixtures/kpi-march-2026"])
        #expect(e.status == 1 && e.stderr.hasPrefix("arlens: error: \(bad)/gl.csv:2: column 'balance': '12.345':"))
    }
}

/// Issue 14's cases through the command line: the advance example, the roll-forward's signs and
/// formula, and the aging conventions other tools use.
@Suite struct PeerConventionCLITests {
    static let advance = tempDir([
        "customers.csv": "customer_id,name,currency,terms_days\nC1,Advance Co,USD,90\n",
        "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nSI-1,C1,2016-11-30,2017-02-28,10000.00\n",
        "payments.csv": "payment_id,customer_id,received_date,amount\nP1,C1,2016-11-09,1500.00\nP2,C1,2016-12-15,1000.00\nP3,C1,2017-01-20,2000.00\n",
        "applications.csv": "payment_id,invoice_id,amount,applied_date\nP1,SI-1,1500.00,\nP2,SI-1,1000.00,\nP3,SI-1,2000.00,\n",
    ])

    @Test func anAdvanceAgesAndReconciles() throws {
        let r = try arlens(["aging", "--as-of", "2017-04-04", "--format", "csv", "--data", Self.advance])
        #expect(r.status == 0)
        // 10,000 − 4,500 applied (the advance effective on the invoice's date): 5,500, 35 days past due.
        #expect(r.stdout.hasSuffix("total,,0.00,0.00,5500.00,0.00,0.00,0.00,0.00,5500.00\r\n"))
        let kpi = try arlens(["kpi", "ar_gross,overdue", "--from", "2017-04", "--to", "2017-04", "--format", "csv", "--data", Self.advance])
        #expect(kpi.stdout.contains("overdue,2017-04,,5500.00"))
    }

    @Test func rollForwardStatesItsFormula() throws {
        let r = try arlens(["rollforward", "--from", "2017-01", "--format", "json", "--data", Self.advance])
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["formula"] as? String == "ending_ar = beginning_ar + invoices + debit_memos + late_fees - collections - credit_memos - write_offs + fx")
        #expect(obj["collections"] as? String == "2000.00")
        #expect(obj["beginning_ar"] as? String == "7500.00" && obj["ending_ar"] as? String == "5500.00")
    }

    @Test func agingConventionsAsOptions() throws {
        let zero = try arlens(["aging", "--as-of", "2017-04-04", "--buckets", "30,60,90", "--first-bucket-from-zero", "--format", "csv", "--data", Self.advance])
        #expect(zero.stdout.hasPrefix("customer,name,0-30,31-60,61-90,91+,unapplied,total\r\n"))
        #expect(zero.stdout.hasSuffix("total,,0.00,5500.00,0.00,0.00,0.00,5500.00\r\n"))
        let bad = try arlens(["aging", "--buckets", "60,30", "--data", Self.advance])
        #expect(bad.status == 2)
        #expect(bad.stderr == "arlens: error: --buckets takes 1 to 12 rising day counts, e.g. 30,60,90,120 (not '60,30')\n")
    }

    /// Issue 25: `arlens import` and its exit codes.
    @Test func importFromAPresetAndDetect() throws {
        let d = try arlens(["import", "--detect", "Tests/Fixtures/imports/sap/FBL5N.txt"])
        #expect(d.status == 0)
        #expect(d.stdout.hasPrefix("Tests/Fixtures/imports/sap/FBL5N.txt: sap-fbl5n (100% of its columns found"))
        let out = TestTemp.path("arlens-cli-import-")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let r = try arlens(["import", "--from", "sage50-audit", "Tests/Fixtures/imports/sage50/audit_trail.csv", "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Tests/Fixtures/imports/sage50/audit_trail.csv     9       6       1        2         0"))
        let v = try arlens(["validate", "--data", out, "--strict"])
        #expect(v.status == 0, "\(v.stdout)")
        let bad = try arlens(["import", "--from", "sage", "x.csv", "--out", out])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("unknown preset 'sage'"))
        let missing = try arlens(["import", "--from", "xero-invoices", "no-such-export.csv", "--out", out])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no-such-export.csv: file not found"))
        let usage = try arlens(["import", "--from", "xero-invoices", "a.csv"])
        #expect(usage.status == 2)
    }
}


/// Issue 18: the binary installed the way `make install` lays it out, run from another folder.
@Suite struct InstalledBinaryTests {
    @Test func runsFromAnywhereWithItsShareFolder() throws {
        let fm = FileManager.default
        let prefix = URL(fileURLWithPath: tempDir([:]))
        defer { try? fm.removeItem(at: prefix) }
        try fm.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try fm.createDirectory(at: prefix.appendingPathComponent("share/arlens"), withIntermediateDirectories: true)
        let bin = prefix.appendingPathComponent("bin/arlens")
        try fm.copyItem(at: builtBinary, to: bin)
        try fm.copyItem(at: root.appendingPathComponent("report-templates"), to: prefix.appendingPathComponent("share/arlens/report-templates"))
        try fm.copyItem(at: root.appendingPathComponent("datasets/sample"), to: prefix.appendingPathComponent("share/arlens/sample"))
        let elsewhere = URL(fileURLWithPath: tempDir([:]))
        defer { try? fm.removeItem(at: elsewhere) }
        var env = ProcessInfo.processInfo.environment
        env["ARLENS_SHARE"] = nil
        // The templates and the sample come from PREFIX/share/arlens, not the checkout.
        let where_ = try arlens(["templates", "where"], binary: bin, in: elsewhere, environment: env)
        #expect(where_.stdout == "pack: \(prefix.path)/share/arlens/report-templates/pack\nnotices: \(prefix.path)/share/arlens/report-templates/notices\nstatements: \(prefix.path)/share/arlens/report-templates/statements\n")
        // No ledger here: a clear error with the way out.
        let none = try arlens(["validate"], binary: bin, in: elsewhere, environment: env)
        #expect(none.status == 1)
        #expect(none.stderr == "arlens: error: no ledger in the current folder (no invoices.csv or arlens.yml here); use --data DIR, or --data sample for the bundled sample\n")
        let v = try arlens(["summary", "--data", "sample"], binary: bin, in: elsewhere, environment: env)
        #expect(v.status == 0 && v.stdout.hasPrefix("Northwind Supplies (synthetic)\n"))
        let pack = try arlens(["pack", "--data", "sample", "--out", "packs", "--formats", "html,json"], binary: bin, in: elsewhere, environment: env)
        #expect(pack.status == 0)
        #expect(pack.stdout == "pack for October 2026 written to packs/2026-10/ (index.html, kpis.json)\n")
        #expect(fm.fileExists(atPath: elsewhere.appendingPathComponent("packs/2026-10/index.html").path))
        // In a ledger folder, no --data is needed.
        let ledger = URL(fileURLWithPath: tempDir(["invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,5.00\n"]))
        defer { try? fm.removeItem(at: ledger) }
        let here = try arlens(["aging", "--format", "csv"], binary: bin, in: ledger, environment: env)
        // I1 is due 30 days after issue (the default terms), so at its own date it is current.
        #expect(here.stdout.hasSuffix("total,,5.00,0.00,0.00,0.00,0.00,0.00,0.00,5.00\r\n"))
        // A copy of the templates to edit, then used.
        let export = try arlens(["templates", "export", "mine"], binary: bin, in: elsewhere, environment: env)
        #expect(export.status == 0 && export.stdout.hasSuffix("template files in mine/ (pack/, notices/, statements/)\n"))
        #expect(fm.fileExists(atPath: elsewhere.appendingPathComponent("mine/pack/layout.mustache").path))
        let again = try arlens(["templates", "export", "mine"], binary: bin, in: elsewhere, environment: env)
        #expect(again.status == 1 && again.stderr == "arlens: error: mine is not empty; choose a new folder\n")
    }
}

/// docs/cli.md is `arlens reference`: the reference cannot drift from the command definitions.
@Suite struct ReferenceDocTests {
    @Test func docsCLIIsTheGeneratedReference() throws {
        let r = try arlens(["reference"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("# Command-line reference\n"))
        #expect(r.stdout.contains("## `arlens aging`\n"))
        let doc = try String(contentsOf: root.appendingPathComponent("docs/cli.md"), encoding: .utf8)
        #expect(doc == r.stdout, "docs/cli.md is out of date: run .build/debug/arlens reference > docs/cli.md")
    }
}

/// Issue 18: nonsense refused with the way out, and CSV for Excel.
@Suite struct RefuseNonsenseTests {
    @Test func unknownNamesGetTheClosestOnes() throws {
        let c = try arlens(["worklist", "--collector", "grace kim", "--data", "sample"])
        #expect(c.status == 1 && c.stderr == "arlens: error: no collector 'grace kim' in the ledger (did you mean 'Grace Kim'?)\n")
        let k = try arlens(["customer", "C0037", "--data", "sample"])
        #expect(k.status == 1 && k.stderr == "arlens: error: no customer 'C0037' in the ledger (did you mean 'C00037' or 'C00137'?)\n")
    }

    @Test func generateKeepsOtherPeoplesFiles() throws {
        let d = tempDir(["mine.txt": "hand-made"])
        defer { try? FileManager.default.removeItem(atPath: d) }
        let r = try arlens(["generate", "--out", d, "--months", "2", "--customers", "3"])
        #expect(r.status == 1 && r.stderr == "arlens: error: \(d) holds 1 files that arlens generate did not write; choose a new folder, or pass --force to write over them\n")
        #expect(try String(contentsOfFile: d + "/mine.txt", encoding: .utf8) == "hand-made")
        #expect(!FileManager.default.fileExists(atPath: d + "/invoices.csv"))
    }

    @Test func csvForExcel() throws {
        let r = try arlens(["aging", "--format", "csv", "--excel", "--as-of", "2026-10-31", "--by", "segment", "--data", "sample"])
        #expect(r.stdout.hasPrefix("\u{FEFF}segment,current,1 to 30,31 to 60,61 to 90,91 to 120,121+,unapplied,total\r\n"))
    }
}

/// Issue 18: a long account history reads newest first, limited, and says what it left out.
@Suite struct CustomerHistoryLimitTests {
    @Test func newestFirstWithLimit() throws {
        let r = try arlens(["customer", "C00037", "--data", "sample", "--limit", "3", "--wide"])
        #expect(r.stdout.hasSuffix("""
            History, newest first
            date        event     document       amount  detail
            ----------  --------  -----------  --------  ---------------------------------------
            2026-10-28  activity  INV-0111131            letter: Omar Haddad: Second notice sent
            2026-10-26  activity  INV-0111390            call: Omar Haddad: Called AP
            2026-10-26  invoice   INV-0112232  2,529.77  due 2026-11-25, PO PO-37-61
            ... 335 older events (--limit 0 shows all)

            """))
        let all = try arlens(["customer", "C00037", "--data", "sample", "--limit", "0"])
        #expect(!all.stdout.contains("older events"))
    }
}

/// Issue 18: usage errors in the style of every other error, one line with where to look.
@Suite struct OneErrorStyleTests {
    @Test func usageErrorsAreOneLine() throws {
        let f = try arlens(["whatif", "--format", "csv", "--data", "sample"])
        #expect(f.status == 2 && f.stderr == "arlens: error: --format csv is not available here (table, json); see arlens whatif --help\n")
        let o = try arlens(["aging", "--frobnicate"])
        #expect(o.status == 2 && o.stderr == "arlens: error: unknown option '--frobnicate'; see arlens aging --help\n")
    }
}

/// Issue 18: dates outside the ledger: an error where the answer would be empty, a warning after its end.
@Suite struct DatesOutsideTheLedgerTests {
    @Test func beforeIsAnErrorAfterIsAWarning() throws {
        let before = try arlens(["aging", "--as-of", "2001-01-01", "--data", "sample"])
        #expect(before.status == 1 && before.stderr == "arlens: error: --as-of 2001-01-01 is before the ledger starts (2024-11-01): nothing was open yet\n")
        let after = try arlens(["worklist", "--as-of", "2030-01-01", "--data", "sample", "--format", "json"])
        #expect(after.status == 0)
        #expect(after.stderr == "arlens: warning: --as-of 2030-01-01 is 1159 days after the ledger's last entry (2026-10-30): payments since then are not in it\n")
    }
}

/// Issue 18: names beside ids in the CLI's CSVs.
@Suite struct NamesBesideIdsTests {
    @Test func policyAndFeesCarryNames() throws {
        let p = try arlens(["policy", "--data", "sample", "--format", "csv"])
        #expect(p.stdout.hasPrefix("rule,document,customer_id,name,date,amount,message\r\ncredit_unapproved,WO-000184,C00053,Acme Farms & Sons,2026-05-29,10000.00,"))
        let c = try arlens(["credit", "--data", "sample", "--format", "csv"])
        #expect(c.stdout.hasPrefix("customer_id,name,score,band,balance,"))
    }
}

/// Issue 18: arlens.yml `templates:` names the company's own copy of the templates.
@Suite struct ConfiguredTemplatesTests {
    @Test func packUsesTheConfiguredTemplates() throws {
        let fm = FileManager.default
        let d = URL(fileURLWithPath: tempDir([:]))
        defer { try? fm.removeItem(at: d) }
        let ledger = d.appendingPathComponent("ledger")
        try fm.copyItem(at: root.appendingPathComponent("Tests/Fixtures/kpi-march-2026"), to: ledger)
        let export = try arlens(["templates", "export", ledger.appendingPathComponent("ours").path])
        #expect(export.status == 0)
        let layout = ledger.appendingPathComponent("ours/pack/layout.mustache")
        try (try String(contentsOf: layout, encoding: .utf8) + "<!-- our own layout -->\n").write(to: layout, atomically: true, encoding: .utf8)
        try "templates: ours\n".write(to: ledger.appendingPathComponent("arlens.yml"), atomically: true, encoding: .utf8)
        let r = try arlens(["pack", "--data", ledger.path, "--out", d.appendingPathComponent("out").path, "--formats", "html", "--month", "2026-03"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOf: d.appendingPathComponent("out/2026-03/index.html"), encoding: .utf8)
        #expect(html.contains("<!-- our own layout -->"))
        // --templates still wins over arlens.yml.
        let installed = try arlens(["pack", "--data", ledger.path, "--out", d.appendingPathComponent("out2").path, "--formats", "html", "--month", "2026-03",
                                    "--templates", root.appendingPathComponent("report-templates/pack").path])
        #expect(installed.status == 0)
        #expect(!(try String(contentsOf: d.appendingPathComponent("out2/2026-03/index.html"), encoding: .utf8)).contains("our own layout"))
    }
}
