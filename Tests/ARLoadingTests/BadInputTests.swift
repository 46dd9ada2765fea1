import Foundation
import Testing
import ARModel
@testable import ARLoading

/// Each kind of bad input gives one clear message, a rejection or a load error, and
/// nothing is lost: read = loaded + rejected for every file.
@Suite struct BadInputTests {
    func only(_ r: LoadResult) -> Rejection {
        #expect(r.report.rejections.count == 1)
        return r.report.rejections[0]
    }

    @Test func emptyInvoicesFileStopsTheLoad() {
        let t = TempLedger(["invoices.csv": ""])
        #expect(throws: LoadError.noHeader(file: "invoices.csv")) { try t.load() }
    }

    @Test func missingInvoicesFileStopsTheLoad() {
        let t = TempLedger(["customers.csv": Fixture.customers])
        #expect(throws: LoadError.fileNotFound(t.path + "/invoices.csv")) { try t.load() }
    }

    @Test func headerOnlyLoadsNothingAndRejectsNothing() throws {
        let t = TempLedger(["invoices.csv": "invoice_id,customer_id,issue_date,amount\n"])
        let r = try t.load()
        #expect(r.ledger.invoices.count == 0)
        #expect(r.file("invoices.csv")?.read == 0)
    }

    @Test func missingRequiredColumnIsOneErrorNamingIt() {
        let t = TempLedger(["invoices.csv": "invoice_id,customer_id,amount\nI1,C1,5.00\nI2,C1,6.00\n"])
        do {
            _ = try t.load()
            Issue.record("expected an error")
        } catch {
            guard case .missingColumns(let file, let cols, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(file == "invoices.csv")
            #expect(cols == ["issue_date"])
            #expect(error.description.hasPrefix("invoices.csv:1: required column 'issue_date' missing"))
        }
    }

    @Test func tooFewAndTooManyFields() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": """
            invoice_id,customer_id,issue_date,amount
            I1,C1,2026-01-10
            I2,C1,2026-01-10,5.00,extra
            I3,C1,2026-01-10,5.00

            """])
        let r = try t.load()
        #expect(r.report.rejections.map(\.line) == [2, 3])
        #expect(r.report.rejections[0].reason == "the row has 3 fields, the header has 4")
        #expect(r.report.rejections[1].reason == "the row has 5 fields, the header has 4")
        #expect(r.ledger.invoices.count == 1)
        #expect(r.accountsForEveryRow)
    }

    @Test func unterminatedQuoteAtEndOfFile() throws {
        let t = TempLedger(["customers.csv": Fixture.customers,
                            "invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,5.00\nI2,\"C1,2026-01-10,5.00\n"])
        let r = try t.load()
        let x = only(r)
        #expect(x.line == 3)
        #expect(x.reason.contains("never closed"))
        #expect(r.ledger.invoices.count == 1)
        #expect(r.accountsForEveryRow)
    }

    @Test func badAmounts() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": """
            invoice_id,customer_id,issue_date,amount
            I1,C1,2026-01-10,twelve
            I2,C1,2026-01-10,12.345
            I3,C1,2026-01-10,-50.00
            I4,C1,2026-01-10,0
            I5,C1,2026-01-10,12.30

            """])
        let r = try t.load()
        let m = r.report.rejections.map(\.message)
        #expect(m[0] == "invoices.csv:2: column 'amount': 'twelve': not an amount")
        #expect(m[1] == "invoices.csv:3: column 'amount': '12.345': more decimals than USD allows (2)")
        #expect(m[2].hasPrefix("invoices.csv:4: column 'amount': '-50.00': an invoice amount must be greater than zero"))
        #expect(m[2].contains("adjustments.csv"))
        #expect(m[3].contains("greater than zero"))
        #expect(r.ledger.invoices.count == 1)
        #expect(r.ledger.invoices.amount[0] == 1230)
    }

    @Test func impossibleAndMalformedDates() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": """
            invoice_id,customer_id,issue_date,amount
            I1,C1,2026-02-30,5.00
            I2,C1,30.01.2026,5.00

            """])
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == [
            "invoices.csv:2: column 'issue_date': '2026-02-30': no such date",
            "invoices.csv:3: column 'issue_date': '30.01.2026': not a date in the format YYYY-MM-DD",
        ])
    }

    @Test func duplicateKeysKeepTheFirst() throws {
        let t = TempLedger(["customers.csv": Fixture.customers + "C1,Alpha again,,,,\n", "invoices.csv": """
            invoice_id,customer_id,issue_date,amount
            I1,C1,2026-01-10,5.00
            I1,C2,2026-01-11,6.00

            """])
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == [
            "customers.csv:4: column 'customer_id': 'C1': duplicate customer_id (first on line 2)",
            "invoices.csv:3: column 'invoice_id': 'I1': duplicate invoice_id (first on line 2)",
        ])
        #expect(r.ledger.customers.name[0] == "Alpha")
        #expect(r.ledger.invoices.amount == [500])
        #expect(r.accountsForEveryRow)
    }

    @Test func unknownReferences() throws {
        let t = TempLedger([
            "customers.csv": Fixture.customers,
            "invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,100.00\nI2,C9,2026-01-10,5.00\n",
            "payments.csv": "payment_id,customer_id,received_date,amount\nP1,C1,2026-02-01,100.00\n",
            "applications.csv": "payment_id,invoice_id,amount\nP1,I1,60.00\nP9,I1,10.00\nP1,I7,10.00\n",
            "adjustments.csv": "adjustment_id,customer_id,invoice_id,date,kind,amount\nA1,C1,I8,2026-01-20,credit_memo,5.00\nA2,C1,I1,2026-01-20,refund,5.00\n",
            "disputes.csv": "dispute_id,invoice_id,opened_date\nD1,I2,2026-01-12\n",
        ])
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == [
            "invoices.csv:3: column 'customer_id': 'C9': unknown customer (not in customers.csv)",
            "applications.csv:3: column 'payment_id': 'P9': unknown payment (not in payments.csv, or rejected there)",
            "applications.csv:4: column 'invoice_id': 'I7': unknown document (not an invoice_id, or the adjustment_id of a debit memo or late fee)",
            "adjustments.csv:2: column 'invoice_id': 'I8': unknown document (not an invoice_id or adjustment_id)",
            "adjustments.csv:3: column 'kind': 'refund': not an adjustment kind (credit_memo, write_off, debit_memo, late_fee)",
            "disputes.csv:2: column 'invoice_id': 'I2': unknown document (not an invoice_id, or the adjustment_id of a debit memo or late fee)",
        ].sorted { a, b in
            // report order: by file in table order, then line
            let order = ["invoices.csv", "applications.csv", "adjustments.csv", "disputes.csv"]
            return order.firstIndex { a.hasPrefix($0) }! < order.firstIndex { b.hasPrefix($0) }!
        })
        #expect(r.ledger.applications.count == 1)
        #expect(r.accountsForEveryRow)
    }

    @Test func hugeFieldIsRejectedNotLoaded() throws {
        let big = String(repeating: "x", count: 10 * 1024 * 1024)
        let t = TempLedger(["customers.csv": Fixture.customers,
                            "invoices.csv": "invoice_id,customer_id,issue_date,amount,po_number\nI1,C1,2026-01-10,5.00,\(big)\nI2,C1,2026-01-10,6.00,PO-2\n"])
        let r = try t.load()
        let x = only(r)
        #expect(x.line == 2)
        #expect(x.column == "po_number")
        #expect(x.reason == "the value is 10485760 bytes long; a field may hold at most 64 KiB")
        #expect(r.ledger.invoices.count == 1)
    }

    @Test func binaryFileIsNotText() {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var g = SystemRandomNumberGenerator()
        for _ in 0..<4096 { bytes.append(UInt8.random(in: 0...255, using: &g)) }
        bytes[9] = 0
        let t = TempLedger([:])
        t.write("invoices.csv", Data(bytes))
        #expect {
            try t.load()
        } throws: { e in
            guard let e = e as? LoadError, case .notText(let f, _) = e else { return false }
            return f == "invoices.csv"
        }
    }

    @Test func binaryAndInvalidUTF8RowsAreRejected() throws {
        let t = TempLedger(["customers.csv": Fixture.customers])
        var data = Data("invoice_id,customer_id,issue_date,amount,po_number\nI1,C1,2026-01-10,5.00,PO\u{0}1\n".utf8)
        data.append(Data("I2,C1,2026-01-10,5.00,PO-".utf8))
        data.append(contentsOf: [0xC3, 0x28])
        data.append(Data("\nI3,C1,2026-01-10,5.00,Café\n".utf8))
        t.write("invoices.csv", data)
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == [
            "invoices.csv:2: column 'po_number': contains a NUL byte: binary data, not text",
            "invoices.csv:3: column 'po_number': the value is not valid UTF-8",
        ])
        #expect(r.ledger.invoices.poNumber[0] == "Café")
    }

    @Test func badValuesInOtherTables() throws {
        let t = TempLedger([
            "customers.csv": "customer_id,name,country,currency,terms_days,credit_limit\nC1,Alpha,USA,USD,30,\nC2,Beta,DE,XXX,30,\nC3,Gamma,FR,EUR,-5,\nC4,Delta,GB,GBP,30,1000.005\nC5,Eps,DE,EUR,30,\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,amount,disputed\nI1,C5,2026-01-10,5.00,maybe\n",
            "fx_rates.csv": "date,currency,rate\n2026-01-01,EUR,1.1\n2026-01-01,EUR,1.2\n2026-01-02,GBP,zero\n",
        ])
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == [
            "customers.csv:2: column 'country': 'USA': not an ISO 3166 alpha-2 country code",
            "customers.csv:3: column 'currency': 'XXX': not an ISO 4217 currency code",
            "customers.csv:4: column 'terms_days': '-5': terms must be 0 to 3650 days",
            "customers.csv:5: column 'credit_limit': '1000.005': more decimals than GBP allows",
            "invoices.csv:2: column 'disputed': 'maybe': not yes/no, true/false or 1/0",
            "fx_rates.csv:3: column 'date': '2026-01-01': duplicate rate for EUR on this date (first on line 2)",
            "fx_rates.csv:4: column 'rate': 'zero': not a positive decimal rate",
        ])
        #expect(r.accountsForEveryRow)
        // Only C5 loads; C4 is rejected for its credit limit.
        #expect(r.ledger.customers.count == 1)
    }
}
