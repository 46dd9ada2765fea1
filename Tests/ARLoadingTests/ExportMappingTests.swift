import Foundation
import Testing
import ARModel
import ARAnalytics
import ARTestSupport
@testable import ARLoading

/// Aging by customer as of `day`: "customer: current/1-30/31-60/61-90/91-120/>120 unapplied",
/// amounts in minor units; and the total.
func agingLines(_ r: LoadResult, _ day: String) -> [String] {
    let p = PreparedLedger(r.ledger)
    let a = Aging.compute(p.timeline, asOf: Day(iso: day)!)
    return a.rows.filter { $0.total != 0 || $0.buckets.contains { $0 != 0 } }.map {
        "\($0.group): \($0.buckets.map(String.init).joined(separator: "/")) \($0.unapplied)"
    } + ["total \(a.netAR)"]
}

/// The windows-1252 bytes of a string of Latin-1 characters.
func cp1252(_ s: String) -> Data { Data(s.unicodeScalars.map { UInt8($0.value) }) }

/// UTF-16 little endian with a byte-order mark.
func utf16LE(_ s: String) -> Data {
    var d = Data([0xFF, 0xFE])
    for u in s.utf16 { d.append(UInt8(u & 0xFF)); d.append(UInt8(u >> 8)) }
    return d
}

@Suite struct ExportMappingTests {
    /// Issue 25's mapping features in one export: a title above the header, Windows-1252,
    /// semicolons, a skip pattern and a skip rule on a column, headings without an id, a
    /// filter, routing by a column and by sign, line items folded (net + tax summed), a
    /// trailing minus and parentheses, a payment linked by its clearing document, a credit
    /// naming its invoice in its text.
    @Test func everyMappingFeatureOnOneExport() throws {
        let t = TempLedger([
            "arlens.yml": """
                base_currency: EUR
                mapping:
                  exports:
                    - file: export.csv
                      encoding: windows-1252
                      delimiter: ";"
                      header: {contains: Beleg}
                      skip: ["^Summe", {column: Text, matches: "^STORNO"}]
                      skip_empty: [Beleg]
                      keep: {Status: [gebucht]}
                      date_format: DD.MM.YYYY
                      amount_style: "1.234,56"
                      columns: {id: Beleg, customer: Kunde, date: Datum, amount: Netto + Steuer, clearing: Ausgleich, reference: Text}
                      route: {column: Art, values: {RE: invoice, GS: credit_memo, ZA: payment, KO: sign}, otherwise: reject}
                      fold: {sum: [amount]}
                """,
        ])
        t.write("export.csv", cp1252("""
            Offene Posten Müller;;;
            Beleg;Art;Kunde;Datum;Netto;Steuer;Ausgleich;Text;Status
            100;RE;K1;01.03.2026;1.000,00;190,00;;Maschine;gebucht
            100;RE;K1;01.03.2026;100,00;19,00;;Zubehör;gebucht
            101;RE;K2;05.03.2026;500,00;95,00;A1;;gebucht
            200;ZA;K2;20.03.2026;595,00-;;A1;Zahlung 101;gebucht
            201;GS;K1;10.03.2026;(100,00);(19,00);;Gutschrift 100;gebucht
            202;KO;K1;11.03.2026;50,00;;;Korrektur;gebucht
            203;KO;K1;12.03.2026;-20,00;;;Korrektur;gebucht
            204;RE;K1;13.03.2026;10,00;;;STORNO;gebucht
            205;RE;K1;13.03.2026;10,00;;;Entwurf;entwurf
            206;XX;K1;13.03.2026;10,00;;;;gebucht
            207;RE;K1;31.02.2026;10,00;;;;gebucht
            ;Kunde K1;;;;;;;
            Summe;;;;1.709,00;;;;

            """))
        let r = try t.load()
        let l = r.ledger
        #expect((0..<l.invoices.count).map { "\(l.invoices.ids[Int32($0)]) \(l.invoices.amount[$0])" } == ["100 130900", "101 59500", "202 5000"])
        #expect((0..<l.adjustments.count).map { "\(l.adjustments.ids[Int32($0)]) \(l.adjustments.kind[$0]) \(l.adjustments.amount[$0]) \(l.documentID(l.adjustments.document[$0]))" }
                == ["201 credit_memo 11900 100", "203 credit_memo 2000 "])
        #expect(l.payments.amount == [59500])
        #expect(l.applications.amount == [59500] && l.applicationsFromFile)
        #expect(r.report.rejections.map(\.message) == [
            "export.csv:12: column 'Art': 'XX': not a type this mapping reads (GS, KO, RE, ZA)",
            "export.csv:13: column 'Datum': '31.02.2026': not a date in the format DD.MM.YYYY",
        ])
        #expect(r.report.skipped.map { "\($0.line)" } == ["1", "10", "11", "14", "15"])
        #expect(r.report.folded.map(\.message) == ["export.csv:4: '100': a line item of 100, folded into its first line (3)"])
        let f = r.report.files.first { $0.file == "export.csv" }!
        #expect([f.read, f.loaded, f.rejected, f.skipped, f.folded] as [Int] == [14, 6, 2, 5, 1])
        // K1: 1309 - 119 (credit 201 on invoice 100) + 50, all due from 2026-03-31 on (30 days'
        // terms), so current; credit 203 is unallocated: 1240 - 20 = 1220. K2 paid in full.
        #expect(agingLines(r, "2026-03-31") == ["K1: 124000/0/0/0/0/0 -2000", "total 122000"])
        // A month later 100 is 30 days past due, 202 21 days.
        #expect(agingLines(r, "2026-04-30") == ["K1: 0/124000/0/0/0/0 -2000", "total 122000"])
    }

    /// UTF-16 with tabs (Excel's "Unicode Text"), negated amounts, a paid total without a
    /// date settled on the stated paid_as_of, which the notes say.
    @Test func utf16TabsNegationAndPaidTotals() throws {
        let t = TempLedger([
            "arlens.yml": """
                mapping:
                  exports:
                    - file: export.txt
                      negate: true
                      columns: {id: Doc, customer: Cust, date: Date, due_date: Due, amount: Amount, paid: Paid}
                      route: {column: Kind, values: {INV: invoice, PAY: payment}}
                      paid_as_of: 2026-04-30
                """,
        ])
        t.write("export.txt", utf16LE("Doc\tKind\tCust\tDate\tDue\tAmount\tPaid\r\nI1\tINV\tC1\t2026-04-01\t2026-05-01\t-100.00\t-40.00\r\nP1\tPAY\tC1\t2026-04-10\t\t25.00\t\r\n"))
        let r = try t.load()
        #expect(r.report.rejections.isEmpty, "\(r.report.rejections.map(\.message))")
        #expect(r.ledger.payments.amount == [2500, 4000])
        #expect(r.report.notes.contains { $0.contains("taken as settled on 2026-04-30 (paid_as_of)") })
        #expect(agingLines(r, "2026-04-15") == ["C1: 10000/0/0/0/0/0 -2500", "total 7500"])
        #expect(agingLines(r, "2026-04-30") == ["C1: 6000/0/0/0/0/0 -2500", "total 3500"])
    }

    @Test func exportMappingErrorsNameLineAndKey() {
        func fails(_ yaml: String, _ expected: String) {
            let t = TempLedger(["arlens.yml": yaml, "x.csv": "a,b\n"])
            do { _ = try t.load(); Issue.record("expected failure") } catch {
                #expect(error.description.hasSuffix(expected), "\(error.description)")
            }
        }
        fails("mapping:\n  exports:\n    - file: x.csv\n      encodng: utf-8\n", ":4: mapping.exports: unknown key 'encodng' (file, files, preset, name, encoding, delimiter, header, skip, skip_empty, keep, date_format, amount_style, negate, amounts, columns, constants, route, fold, paid_as_of)")
        fails("mapping:\n  exports:\n    - file: x.csv\n      encoding: ebcdic\n", ":4: mapping.exports.encoding: 'ebcdic' is not an encoding ARLens reads (utf-8, windows-1252, iso-8859-1, utf-16)")
        fails("mapping:\n  exports:\n    - file: x.csv\n      columns: {customer: a, date: b, amount: c}\n      route: {column: a, values: {X: refund}}\n", ":5: mapping.exports.route.values: 'refund' is not one of invoice, credit_memo, payment, write_off, debit_memo, skip, sign")
        fails("mapping:\n  preset: sap\n  file: x.csv\n", ":2: mapping.preset: unknown preset 'sap' (presets: quickbooks-aging-detail, xero-invoices, sap-fbl5n, odoo, erpnext-ar, bc-ledger-entries, sage50-audit)")
        fails("mapping:\n  exports:\n    - file: x.csv\n      columns: {customer: a, date: b}\n", ":3: mapping.exports: columns must map amount")
    }

    /// A preset read in place with the organisation's own date format; a native fx_rates.csv
    /// beside it stays in ISO dates (the date format is the export's, not every table's).
    @Test func presetWithItsDateFormatBesideNativeRates() throws {
        let t = TempLedger([
            "arlens.yml": """
                base_currency: GBP
                mapping:
                  preset: xero-invoices
                  file: SalesInvoices.csv
                  date_format: MM/DD/YYYY
                  paid_as_of: 2026-10-31
                """,
            "SalesInvoices.csv": """
                ContactName,InvoiceNumber,InvoiceDate,DueDate,Total,InvoiceAmountPaid,InvoiceAmountDue,Currency,Type,Status
                Acme,INV-1,10/02/2026,11/01/2026,100.00,0.00,100.00,USD,Sales invoice,Awaiting Payment

                """,
            "fx_rates.csv": "date,currency,rate\n2026-01-01,USD,0.8\n",
        ])
        let r = try t.load()
        #expect(r.report.rejections.isEmpty, "\(r.report.rejections.map(\.message))")
        #expect(r.ledger.invoices.issueDate.map(\.description) == ["2026-10-02"])
        #expect(r.ledger.fxRates.rates[.USD]?.count == 1)
    }
}
