import Testing
import Foundation
import ARModel
import ARTestSupport
@testable import ARLoading

/// The invoices file may be read in two parts at once (`InvoiceSplit`), split at a line start
/// found by looking for a line feed. Wherever the split falls (inside a quoted value that runs
/// over several lines, between a duplicate and its first, on a CRLF line, a blank line, a
/// rejected row), the ledger and the report are those of one pass over the file.
@Suite struct InvoiceSplitTests {
    /// Line numbers in the comments; line 3's quoted value runs on to line 4, line 12's to 14.
    static let invoices = [
        "invoice_id,customer_id,issue_date,amount,po_number,created_by",   // 1
        "I1,C1,2026-01-10,100.00,PO1,alice",                               // 2
        "I2,C1,2026-01-11,50.00,\"PO",                                     // 3
        "two\",bob",                                                       // 4
        "I3,C2,2026-01-12,80.00,,carol",                                   // 5
        "I4,C1,2026-01-13,abc,,alice",                                     // 6 not an amount
        "I5,CX,2026-01-13,1.00,,alice",                                    // 7 unknown customer
        "I6,C1,2026-01-14,20.00,,dave\r",                                  // 8 CRLF
        "I3,C1,2026-01-15,5.00,,erin",                                     // 9 duplicate of 5
        "I7,C1,2026-01-15,5.00,\"a \"\"quoted\"\" po\",frank",             // 10
        "I8,C1,2026-01-16,5.00,,gina,extra",                               // 11 seven fields
        "I9,C1,2026-01-16,5.00,\"multi",                                   // 12
        "line",                                                            // 13
        "po\",hank",                                                       // 14
        "",                                                                // 15 blank
        "I9,C1,2026-01-17,6.00,,ivan",                                     // 16 duplicate of 12
        "I1,C1,2026-01-17,7.00,,judy",                                     // 17 duplicate of 2
        "I10,C1,2026-01-18,8.00,,judy",                                    // 18
        "I10,C1,2026-01-18,8.00,,kate",                                    // 19 duplicate of 18
        "I11,C1,2026-01-18,9.00,,kate",                                    // 20
        "I3,C1,2026-01-19,1.00,,lee",                                      // 21 duplicate of 5
        "I12,C1,2026-01-20,-5.00,,alice",                                  // 22 negative
        "I13,C1,2026-01-21,3.00,\"PO\"x,bob",                              // 23 text after a quote
        "I14,C2,2026-01-22,3.00,,mia",                                     // 24
        "",
    ].joined(separator: "\n")

    static func files(_ invoices: String) -> [String: String] {
        [
            "arlens.yml": "base_currency: USD\n",
            "customers.csv": "customer_id,name,currency\nC1,A,USD\nC2,B,EUR\n",
            "fx_rates.csv": "date,currency,rate\n2026-01-01,EUR,1.10\n",
            "invoices.csv": invoices,
        ]
    }

    static func load(_ invoices: String, splitAt: Int?) throws -> (LoadResult, Bool?) {
        let t = TempLedger(files(invoices))
        var job = LoadJob(directory: t.path, config: try LedgerLoader.configuration(directory: t.path))
        job.invoiceSplitAt = splitAt
        let r = try job.run()
        return (r, job.invoiceSplitUsed)
    }

    /// What two loads must agree on: every invoice column, the symbols, the report.
    static func same(_ a: LoadResult, _ b: LoadResult) -> Bool {
        let x = a.ledger.invoices, y = b.ledger.invoices
        return x.ids.strings == y.ids.strings && x.customer == y.customer && x.amount == y.amount
            && x.currency == y.currency && x.issueDate == y.issueDate && x.dueDate == y.dueDate
            && (0..<x.count).map { x.number[$0] } == (0..<y.count).map { y.number[$0] }
            && (0..<x.count).map { x.poNumber[$0] } == (0..<y.count).map { y.poNumber[$0] }
            && x.createdBy == y.createdBy && x.symbols.strings == y.symbols.strings && x.line == y.line
            && x.sentDate == y.sentDate && x.createdAt == y.createdAt && x.disputed == y.disputed
            && a.report.rejections == b.report.rejections && a.report.files == b.report.files
            && a.report.notes == b.report.notes
    }

    @Test func oneReadAsReference() throws {
        let (one, used) = try Self.load(Self.invoices, splitAt: nil)
        #expect(used == nil)
        let inv = one.ledger.invoices
        #expect(inv.ids.strings == ["I1", "I2", "I3", "I6", "I7", "I9", "I10", "I11", "I14"])
        #expect(inv.line == [2, 3, 5, 8, 10, 12, 18, 20, 24])
        #expect(inv.poNumber[1] == "PO\ntwo" && inv.poNumber[4] == "a \"quoted\" po" && inv.poNumber[5] == "multi\nline\npo")
        #expect(inv.symbols.strings == ["alice", "bob", "carol", "dave", "frank", "hank", "judy", "kate", "mia"])
        #expect(inv.createdBy == [0, 1, 2, 3, 4, 5, 6, 7, 8])
        #expect(inv.amount == [10000, 5000, 8000, 2000, 500, 500, 800, 900, 300])
        #expect(one.report.rejections.map(\.message) == [
            "invoices.csv:6: column 'amount': 'abc': not an amount",
            "invoices.csv:7: column 'customer_id': 'CX': unknown customer (not in customers.csv)",
            "invoices.csv:9: column 'invoice_id': 'I3': duplicate invoice_id (first on line 5)",
            "invoices.csv:11: the row has 7 fields, the header has 6",
            "invoices.csv:16: column 'invoice_id': 'I9': duplicate invoice_id (first on line 12)",
            "invoices.csv:17: column 'invoice_id': 'I1': duplicate invoice_id (first on line 2)",
            "invoices.csv:19: column 'invoice_id': 'I10': duplicate invoice_id (first on line 18)",
            "invoices.csv:21: column 'invoice_id': 'I3': duplicate invoice_id (first on line 5)",
            "invoices.csv:22: column 'amount': '-5.00': an invoice amount must be greater than zero; record credits and reversals in adjustments.csv",
            "invoices.csv:23: column 'po_number': unexpected text after a closing quote",
        ])
        #expect(one.report.notes.contains("invoices.csv: 2 quoted values span several lines (first on line 3); check for a stray quote if that is not expected"))
    }

    /// A split between a duplicate and its first, in either part: the duplicates after the
    /// split name their first lines before it (and one after it), the symbol only a dropped
    /// row names (erin, ivan, lee) is never numbered, and the rejections keep their order.
    @Test func duplicatesAcrossThePartsNameTheFirstLine() throws {
        let (one, _) = try Self.load(Self.invoices, splitAt: nil)
        let text = Array(Self.invoices.utf8)
        // The start of line 9 (the first duplicate of I3): just after the line feed ending line 8.
        let line9 = Self.lineStart(text, 9)
        let (two, used) = try Self.load(Self.invoices, splitAt: line9 - 1)
        #expect(used == true)
        #expect(two.report.rejections.map(\.message).contains("invoices.csv:9: column 'invoice_id': 'I3': duplicate invoice_id (first on line 5)"))
        #expect(two.report.rejections.map(\.message).contains("invoices.csv:21: column 'invoice_id': 'I3': duplicate invoice_id (first on line 5)"))
        #expect(two.report.rejections.map(\.message).contains("invoices.csv:19: column 'invoice_id': 'I10': duplicate invoice_id (first on line 18)"))
        #expect(two.ledger.invoices.symbols.strings == ["alice", "bob", "carol", "dave", "frank", "hank", "judy", "kate", "mia"])
        #expect(Self.same(one, two))
    }

    /// A line feed inside a quoted value is no record boundary: the first part does not stop
    /// there, the second part is dropped and the rest read after the first, with the same result.
    @Test func aSplitInsideAQuotedValueFallsBack() throws {
        let (one, _) = try Self.load(Self.invoices, splitAt: nil)
        let text = Array(Self.invoices.utf8)
        for line in [4, 13, 14] {
            let (two, used) = try Self.load(Self.invoices, splitAt: Self.lineStart(text, line) - 1)
            #expect(used == false, "line \(line)")
            #expect(Self.same(one, two), "line \(line)")
        }
    }

    /// Every split point there is gives the ledger and the report of one pass.
    @Test func everySplitPointGivesOnePassesResult() throws {
        let (one, _) = try Self.load(Self.invoices, splitAt: nil)
        var used = 0, fellBack = 0
        for offset in 0...Self.invoices.utf8.count {
            let (two, u) = try Self.load(Self.invoices, splitAt: offset)
            #expect(Self.same(one, two), "split at \(offset)")
            if u == true { used += 1 } else if u == false { fellBack += 1 }
        }
        #expect(used > 0 && fellBack > 0)
    }

    /// A lone carriage return ends a record but is no line feed: the second part's line,
    /// counted in line feeds, is then wrong, the first part's check finds it, and the rest is
    /// read again: lines as one pass counts them.
    @Test func aLoneCarriageReturnBeforeTheSplitFallsBack() throws {
        let file = "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,1.00\rI2,C1,2026-01-10,2.00\nI3,C1,2026-01-11,3.00\nI2,C1,2026-01-12,4.00\nI4,C1,2026-01-13,x\n"
        let (one, _) = try Self.load(file, splitAt: nil)
        #expect(one.report.rejections.map(\.message) == [
            "invoices.csv:5: column 'invoice_id': 'I2': duplicate invoice_id (first on line 3)",
            "invoices.csv:6: column 'amount': 'x': not an amount",
        ])
        let text = Array(file.utf8)
        let (two, used) = try Self.load(file, splitAt: Self.lineStart(text, 4) - 1)
        #expect(used == false)
        #expect(Self.same(one, two))
    }

    /// An invoices-only ledger (payments from paid_date and paid_amount): the paid columns
    /// are joined too, a duplicate's paid amount is dropped with it, and the payments made from
    /// them are the same wherever the split falls.
    @Test func paidColumnsOfAnInvoicesOnlyLedger() throws {
        let file = """
            invoice_id,customer_id,issue_date,amount,paid_date,paid_amount,created_by
            I1,C1,2026-01-10,100.00,2026-02-01,,ann
            I2,C1,2026-01-11,50.00,,,bob
            I3,C1,2026-01-12,80.00,2026-02-03,30.00,ann
            I1,C1,2026-01-13,9.00,2026-02-04,9.00,zed
            I4,C1,2026-01-14,20.00,2026-01-01,,cyd
            I5,C1,2026-01-15,5.00,,5.00,bob
            I6,C1,2026-01-16,7.00,2026-02-05,7.00,dee

            """
        let (one, _) = try Self.load(file, splitAt: nil)
        #expect(one.ledger.payments.ids.strings == ["I1", "I3", "I4", "I6"])
        #expect(one.ledger.payments.amount == [10000, 3000, 2000, 700])
        #expect(one.ledger.invoices.symbols.strings == ["ann", "bob", "cyd", "dee"])
        #expect(one.report.rejections.map(\.message) == [
            "invoices.csv:5: column 'invoice_id': 'I1': duplicate invoice_id (first on line 2)",
            "invoices.csv:7: column 'paid_date': is empty, but paid_amount is given",
        ])
        var used = 0
        for offset in 0...file.utf8.count {
            let (two, u) = try Self.load(file, splitAt: offset)
            #expect(Self.same(one, two), "split at \(offset)")
            #expect(two.ledger.payments.ids.strings == one.ledger.payments.ids.strings && two.ledger.payments.amount == one.ledger.payments.amount
                    && two.ledger.payments.receivedDate == one.ledger.payments.receivedDate, "split at \(offset)")
            #expect(two.report.findings == one.report.findings, "split at \(offset)")
            if u == true { used += 1 }
        }
        #expect(used > 0)
    }

    /// The offset where physical line `n` (1-based, counted in line feeds) starts.
    static func lineStart(_ text: [UInt8], _ n: Int) -> Int {
        var line = 1
        for (i, b) in text.enumerated() where b == 10 {
            line += 1
            if line == n { return i + 1 }
        }
        return text.count
    }
}

/// A big ledger (`ARLENS_SPLIT_CHECK_DIR`, e.g. a generated one with damaged invoices: quoted
/// line feeds, duplicate ids across the file, bad values, CRLF) read in one pass and split at
/// nine points and at the line feeds after a quote near the middle: the same ledger and report
/// each time.
/// Off unless the variable is set (it reads a ledger of a hundred thousand invoices 30 times).
@Suite struct InvoiceSplitLedgerCheck {
    static let dir = ProcessInfo.processInfo.environment["ARLENS_SPLIT_CHECK_DIR"]

    @Test(.enabled(if: dir != nil)) func splitsOfABigLedger() throws {
        let dir = Self.dir!
        func load(_ at: Int?) throws -> (LoadResult, Bool?) {
            var job = LoadJob(directory: dir, config: try LedgerLoader.configuration(directory: dir))
            job.wanted = [.invoices, .customers, .payments, .applications, .adjustments, .fxRates]
            job.invoiceSplitAt = at
            let r = try job.run()
            return (r, job.invoiceSplitUsed)
        }
        let (one, _) = try load(nil)
        let size = (try FileManager.default.attributesOfItem(atPath: dir + "/invoices.csv")[.size] as! NSNumber).intValue
        var points = (1...9).map { size * $0 / 10 }
        // The 30 line feeds after the first quote past 40% of the file: those inside quoted
        // values too.
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir + "/invoices.csv")))
        let quote = bytes[(size * 4 / 10)...].firstIndex(of: 34) ?? size / 2
        points += (quote..<size).lazy.filter { bytes[$0] == 10 }.prefix(30)
        var used = 0, fellBack = 0
        for p in points {
            let (two, u) = try load(p)
            #expect(InvoiceSplitTests.same(one, two), "split at \(p)")
            let x = one.ledger.payments, y = two.ledger.payments
            #expect(x.ids.strings == y.ids.strings && x.amount == y.amount && x.method == y.method && x.symbols.strings == y.symbols.strings)
            #expect(one.ledger.applications.document == two.ledger.applications.document)
            #expect(one.ledger.applications.amount == two.ledger.applications.amount)
            if u == true { used += 1 } else if u == false { fellBack += 1 }
        }
        print("split check: \(points.count) splits, \(used) used, \(fellBack) fell back, \(one.report.rejections.count) rejections")
        #expect(used > 0)
    }
}
