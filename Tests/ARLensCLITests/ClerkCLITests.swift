import ARTestSupport
import Foundation
import Testing

/// `arlens today` and `arlens precheck` end to end: formats and exit codes.
@Suite struct ClerkCLITests {
    static let ledger = TempLedger(ClerkLedger.files)
    var dir: String { ClerkCLITests.ledger.path }

    @Test func todayPrintsTheMorningScreen() throws {
        let r = try arlens(["today", "--data", dir])
        #expect(r.status == 0 && r.stderr.isEmpty)
        #expect(r.stdout.hasPrefix("Today, 2026-06-08 (Monday); events since 2026-06-05, the previous working day being 2026-06-05. Amounts in USD.\n"))
        #expect(r.stdout.contains("Promises broken since 2026-06-05\n"))
        #expect(r.stdout.contains("Became overdue since 2026-06-05: 2, 800.00\n"))
        #expect(r.stdout.contains("Unapplied cash waiting: 150.00 on 2 payments, the oldest received 2026-06-05\n"))
        let csv = try arlens(["today", "--date", "2026-06-05", "--format", "csv", "--data", dir])
        #expect(csv.stdout.contains("cash,week to date,,,2026-06-01..2026-06-05,300.00,"))
        let bad = try arlens(["today", "--date", "2026-06-31", "--data", dir])
        #expect(bad.status == 1 && bad.stderr == "arlens: error: --date '2026-06-31' is not a date (YYYY-MM-DD)\n")
    }

    @Test func precheckExitCodes() throws {
        let files = TempLedger(["clean.csv": "invoice_id,customer_id,issue_date,due_date,amount,po_number\nN10,D,2026-06-08,2026-07-08,100.00,PO-2\n",
                                "stop.csv": "invoice_id,customer_id,issue_date,amount\nN1,A,2026-05-06,500.00\n"])
        let clean = try arlens(["precheck", files.path + "/clean.csv", "--data", dir, "--format", "csv"])
        #expect(clean.status == 0)
        #expect(clean.stdout == "line,invoice_id,customer_id,issue_date,amount,currency,verdict,codes,reasons\r\n2,N10,D,2026-06-08,100.00,USD,send,,\r\n")
        let stop = try arlens(["precheck", files.path + "/stop.csv", "--data", dir])
        #expect(stop.status == 3)
        #expect(stop.stdout.contains("1 draft in \(files.path)/stop.csv checked against the ledger as of 2026-06-08: 0 send, 0 review, 1 stop\n"))
        #expect(stop.stdout.hasSuffix("Drafts marked stop must not go out as they are (exit code 3).\n"))
        let missing = try arlens(["precheck", files.path + "/nope.csv", "--data", dir])
        #expect(missing.status == 1 && missing.stderr.hasPrefix("arlens: error: "))
    }
}
