import Testing
import ARModel
import ARTestSupport
@testable import ARLoading

/// Applications and adjustments are resolved in parts on every core when the tables are big
/// (`LoadJob.resolveParts`). Whatever the number of parts, the ledger and the rejections
/// (their text and their order) are those of one pass over the rows.
@Suite struct ParallelResolveTests {
    static let files = [
        "arlens.yml": "base_currency: USD\n",
        "customers.csv": "customer_id,name,currency\nC1,A,USD\nC2,B,EUR\n",
        "fx_rates.csv": "date,currency,rate\n2026-01-01,EUR,1.10\n",
        "invoices.csv": """
            invoice_id,customer_id,issue_date,amount
            I1,C1,2026-01-10,100.00
            I2,C1,2026-01-11,50.00
            I3,C2,2026-01-12,80.00
            I4,C1,2026-01-13,20.00

            """,
        "adjustments.csv": """
            adjustment_id,customer_id,invoice_id,date,kind,amount
            DM1,C1,,2026-01-14,debit_memo,30.00
            CM1,C1,I1,2026-01-15,credit_memo,5.00
            CM2,C1,I9,2026-01-15,credit_memo,5.00
            I2,C1,I1,2026-01-15,credit_memo,1.00
            CM3,C1,CM1,2026-01-16,credit_memo,1.00
            WO1,C1,DM1,2026-01-16,write_off,2.00
            CM4,C1,I4,2026-01-16,credit_memo,1.005
            CM5,C2,I3,2026-01-17,credit_memo,3.00

            """,
        "payments.csv": """
            payment_id,customer_id,received_date,amount
            P1,C1,2026-01-20,200.00
            P2,C2,2026-01-21,50.00
            P3,C1,2026-01-22,20.00

            """,
        "applications.csv": """
            payment_id,invoice_id,amount,applied_date
            P1,I1,10.00,
            PX,I1,1.00,
            P1,IX,1.00,
            P1,CM1,1.00,
            P1,I3,1.00,
            P2,I3,2.00,
            P1,DM1,3.00,
            P1,I2,1.001,
            P1,I2,4.00,2026-01-25
            P2,I3,1.50,
            P3,I4,20.00,
            P1,CM2,1.00,

            """,
    ]

    static func load(parts: Int?) throws -> LoadResult {
        let t = TempLedger(files)
        var job = LoadJob(directory: t.path, config: try LedgerLoader.configuration(directory: t.path))
        job.resolveParts = parts
        return try job.run()
    }

    @Test func everyNumberOfPartsGivesTheSameLedgerAndRejections() throws {
        let one = try Self.load(parts: 1)
        let a = one.ledger.applications
        #expect(a.line == [2, 7, 8, 10, 11, 12])
        #expect(a.payment.map { one.ledger.payments.ids[$0] } == ["P1", "P2", "P1", "P1", "P2", "P3"])
        #expect(a.document.map { one.ledger.documentID($0) } == ["I1", "I3", "DM1", "I2", "I3", "I4"])
        #expect(a.requested == [1000, 200, 300, 400, 150, 2000])
        #expect(a.amount == a.requested)
        #expect(a.date.map(\.description) == ["2026-01-20", "2026-01-21", "2026-01-20", "2026-01-25", "2026-01-21", "2026-01-22"])
        let adj = one.ledger.adjustments
        #expect(adj.ids.strings == ["DM1", "CM1", "WO1", "CM5"])
        #expect(adj.document.map { $0.isNone ? "-" : one.ledger.documentID($0) } == ["-", "I1", "DM1", "I3"])
        #expect(adj.currency == [.USD, .USD, .USD, .EUR])
        #expect(adj.allocated == [0, 500, 200, 300])
        #expect(one.report.rejections.map(\.message) == [
            "applications.csv:3: column 'payment_id': 'PX': unknown payment (not in payments.csv, or rejected there)",
            "applications.csv:4: column 'invoice_id': 'IX': unknown document (not an invoice_id, or the adjustment_id of a debit memo or late fee)",
            "applications.csv:5: column 'invoice_id': 'CM1': is a credit_memo; payments settle invoices, debit memos and late fees",
            "applications.csv:6: column 'invoice_id': 'I3': the payment is in USD but the document is in EUR",
            "applications.csv:9: column 'amount': '1.001': more decimals than USD allows",
            "applications.csv:13: column 'invoice_id': 'CM2': unknown document (not an invoice_id, or the adjustment_id of a debit memo or late fee)",
            "adjustments.csv:4: column 'invoice_id': 'I9': unknown document (not an invoice_id or adjustment_id)",
            "adjustments.csv:5: column 'adjustment_id': 'I2': is also an invoice_id; ids must be unique across invoices and adjustments",
            "adjustments.csv:6: column 'invoice_id': 'CM1': is a credit_memo; a credit reduces an invoice, debit memo or late fee",
            "adjustments.csv:8: column 'amount': '1.005': more decimals than USD allows",
        ])
        #expect(one.accountsForEveryRow)
        for parts in [2, 3, 5, 12, 40] {
            let many = try Self.load(parts: parts)
            let b = many.ledger.applications
            #expect(b.line == a.line && b.payment == a.payment && b.document == a.document)
            #expect(b.amount == a.amount && b.requested == a.requested && b.date == a.date)
            let bdj = many.ledger.adjustments
            #expect(bdj.ids.strings == adj.ids.strings && bdj.document == adj.document && bdj.amount == adj.amount)
            #expect(bdj.allocated == adj.allocated && bdj.currency == adj.currency && bdj.line == adj.line)
            #expect(many.report.rejections == one.report.rejections, "\(parts) parts")
        }
    }

    /// The adjustments are resolved while the applications are: an application naming a debit
    /// memo or late fee waits for them, and gets the adjustment's index after the rejected ones
    /// are dropped; one naming a rejected adjustment is an unknown document. A payment
    /// rejected for its missing rate is an unknown payment. The same for any number of parts.
    @Test func applicationsToAdjustmentsWaitForThem() throws {
        let files = [
            "arlens.yml": "base_currency: USD\n",
            "customers.csv": "customer_id,name,currency\nC1,A,USD\nC2,B,EUR\n",
            "fx_rates.csv": "date,currency,rate\n2026-01-05,EUR,1.10\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,100.00\nI2,C1,2026-01-11,50.00\nI3,C2,2026-01-04,10.00\nI4,C2,2026-01-05,10.00\n",
            "adjustments.csv": """
                adjustment_id,customer_id,invoice_id,date,kind,amount
                CM1,C1,I9,2026-01-12,credit_memo,5.00
                DM1,C1,,2026-01-12,debit_memo,30.00
                I2,C1,,2026-01-12,debit_memo,1.00
                LF1,C1,I1,2026-01-13,late_fee,2.00
                DM2,C1,CM1,2026-01-14,debit_memo,3.00

                """,
            "payments.csv": """
                payment_id,customer_id,received_date,amount
                P1,C1,2026-01-20,200.00
                P2,C2,2026-01-04,10.00
                P3,C2,2026-01-05,10.00

                """,
            "applications.csv": """
                payment_id,invoice_id,amount,applied_date
                P1,DM1,30.00,
                P1,I2,10.00,
                P1,DM2,3.00,
                PX,DM1,1.00,
                P1,LF1,2.00,2026-01-01
                P2,I4,10.00,
                P3,I4,10.00,
                P1,DM1,1.00,

                """,
        ]
        func load(_ parts: Int?) throws -> LoadResult {
            let t = TempLedger(files)
            var job = LoadJob(directory: t.path, config: try LedgerLoader.configuration(directory: t.path))
            job.resolveParts = parts
            return try job.run()
        }
        let one = try load(nil)
        let l = one.ledger
        #expect(one.report.rejections.map(\.message) == [
            "invoices.csv:4: column 'currency': 'EUR': no EUR rate on or before 2026-01-04 in fx_rates.csv",
            "payments.csv:3: column 'currency': 'EUR': no EUR rate on or before 2026-01-04 in fx_rates.csv",
            "applications.csv:4: column 'invoice_id': 'DM2': unknown document (not an invoice_id, or the adjustment_id of a debit memo or late fee)",
            "applications.csv:5: column 'payment_id': 'PX': unknown payment (not in payments.csv, or rejected there)",
            "applications.csv:7: column 'payment_id': 'P2': unknown payment (not in payments.csv, or rejected there)",
            "adjustments.csv:2: column 'invoice_id': 'I9': unknown document (not an invoice_id or adjustment_id)",
            "adjustments.csv:4: column 'adjustment_id': 'I2': is also an invoice_id; ids must be unique across invoices and adjustments",
            "adjustments.csv:6: column 'invoice_id': 'CM1': refers to an adjustment that was rejected (line 2)",
        ])
        #expect(l.adjustments.ids.strings == ["DM1", "LF1"])
        let a = l.applications
        #expect(a.line == [2, 3, 6, 8, 9])
        #expect(a.document.map { l.documentID($0) } == ["DM1", "I2", "LF1", "I4", "DM1"])
        #expect(a.document.map(\.adjustmentIndex) == [0, nil, 1, nil, 0])
        #expect(a.payment.map { l.payments.ids[$0] } == ["P1", "P1", "P1", "P3", "P1"])
        #expect(a.requested == [3000, 1000, 200, 1000, 100])
        // DM1 (30.00) is paid whole by the first row; the last finds nothing open.
        #expect(a.amount == [3000, 1000, 200, 1000, 0])
        #expect(a.date.map(\.description) == ["2026-01-20", "2026-01-20", "2026-01-20", "2026-01-05", "2026-01-20"])
        #expect(one.report.findings.filter { $0.kind == "over_application" }.map(\.message) == [
            "applications.csv:9: applies 1.00 of payment P1 to DM1, but the document had 0.00 open; 1.00 stays unapplied",
        ])
        #expect(one.accountsForEveryRow)
        for parts in [1, 2, 3, 8, 20] {
            let many = try load(parts)
            let b = many.ledger.applications
            #expect(b.line == a.line && b.payment == a.payment && b.document == a.document)
            #expect(b.amount == a.amount && b.requested == a.requested && b.date == a.date)
            #expect(many.ledger.adjustments.ids.strings == l.adjustments.ids.strings)
            #expect(many.report.rejections == one.report.rejections, "\(parts) parts")
            #expect(many.report.findings == one.report.findings, "\(parts) parts")
        }
    }

    /// Looking a column up ahead (slot, end offsets, bytes fetched rows before the probe)
    /// gives each row its own bytes and hash, in order, over any range.
    @Test func lookAheadVisitsEveryRowWithItsHash() {
        var pool = StringPool()
        for k in 0..<50 { pool.intern("ID-\(k)") }
        var column = TextColumn()
        let names = (0..<40).map { $0 % 7 == 3 ? "" : "ID-\($0 * 3 % 61)" }
        for n in names { if n.isEmpty { column.appendEmpty() } else { column.append(n) } }
        for range in [0..<40, 0..<0, 5..<9, 13..<40, 39..<40] {
            var seen: [String] = []
            var found: [Int32?] = []
            column.forEachAhead(range, in: pool) { i, b, h in
                #expect(h == StringPool.hash(b))
                seen.append("\(i):" + String(decoding: b, as: UTF8.self))
                found.append(b.isEmpty ? nil : pool.find(b, hash: h))
            }
            #expect(seen == range.map { "\($0):" + names[$0] })
            #expect(found == range.map { names[$0].isEmpty ? nil : pool.find(names[$0]) })
        }
    }
}
