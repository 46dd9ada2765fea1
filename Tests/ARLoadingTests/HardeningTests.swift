import Foundation
import Testing
import ARModel
@testable import ARLoading

/// Issue 15: hostile and unlucky input. Each test pins the exact value loaded or the exact
/// rejection, never only "does not crash".
@Suite struct HardeningTests {
    /// A mapping that reads one field into two columns copies its unescaped bytes twice into
    /// the row's scratch buffer; the buffer was sized for one copy (heap overflow).
    @Test func oneFieldMappedToTwoColumnsWithEscapedQuotes() throws {
        // A record shorter than the 4 KiB first buffer, whose unescaped field read twice is not.
        let id = "\"" + String(repeating: "X", count: 3990) + "\"\"\""
        let expected = String(repeating: "X", count: 3990) + "\""
        let t = TempLedger([
            "arlens.yml": """
                mapping:
                  invoices:
                    columns: {invoice_id: ref, invoice_number: ref}
                """,
            "invoices.csv": "ref,customer_id,issue_date,amount\n\(id),C1,2026-01-10,5.00\nplain,C1,2026-01-11,6.00\n",
        ])
        let r = try t.load()
        #expect(r.ledger.invoices.count == 2)
        #expect(r.ledger.invoices.ids[0] == expected)
        #expect(r.ledger.invoices.printedNumber(0) == expected)
        #expect(r.ledger.invoices.ids[1] == "plain")
        #expect(r.accountsForEveryRow)
    }
}

extension HardeningTests {
    /// A stray quote opening a field took in the next rows as one value: they vanished with
    /// no rejection (aging 90.00 instead of 210.00), or were reported as an unknown customer.
    @Test func strayQuoteDoesNotSwallowTheRowsAfterIt() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": """
            invoice_id,customer_id,issue_date,amount,note
            I1,C1,2026-01-10,10.00,ok
            I2,C1,2026-01-10,20.00,"6 pipe
            I3,C1,2026-01-11,30.00,x
            I4,C1,2026-01-12,40.00,y"
            I5,C2,2026-01-13,50.00,z
            I6,C2,2026-01-14,60.00,"multi
            line note, fine"

            """])
        let r = try t.load()
        let total: Int64 = r.ledger.invoices.amount.reduce(0, +)
        #expect(total == 190_00)
        #expect(r.report.rejections.map(\.line) == [3])
        #expect(r.report.rejections[0].message == "invoices.csv:3: column 'note': a quote opened in this line runs on to line 5, taking in 2 lines that look like rows (a stray quote?); the line is rejected and reading resumes on the next line")
        #expect(!r.report.rejections.contains { $0.reason.contains("unknown customer") })
        #expect(r.file("invoices.csv")?.read == 6)
        #expect(r.report.notes.contains("invoices.csv: 1 quoted value spans several lines (first on line 7); check for a stray quote if that is not expected"))
        #expect(r.ledger.invoices.ids.find("I4") != nil)
        #expect(r.accountsForEveryRow)
    }

    /// The same stray quote, closed later by a quote followed by more text.
    @Test func strayQuoteClosedMidLineLaterRejectsOnlyItsLine() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": """
            invoice_id,customer_id,issue_date,amount,note
            I1,C1,2026-01-10,10.00,ok
            I2,C1,2026-01-10,20.00,"6 pipe
            I3,C1,2026-01-11,30.00,x
            I4,C1,2026-01-12,40.00,"y"

            """])
        let r = try t.load()
        let amounts: [Int64] = [10_00, 30_00, 40_00]
        #expect(r.ledger.invoices.amount == amounts)
        #expect(r.report.rejections.map(\.message) == ["invoices.csv:3: column 'note': a quote opened in this line runs on to line 5 and is followed by text (a stray quote?); the line is rejected and reading resumes on the next line"])
        #expect(r.accountsForEveryRow)
    }

    @Test func quoteNeverClosedRejectsOneLineNotTheRestOfTheFile() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": """
            invoice_id,customer_id,issue_date,amount
            I1,C1,2026-01-10,10.00
            I2,"C1,2026-01-10,20.00
            I3,C1,2026-01-11,30.00
            I4,C2,2026-01-12,40.00

            """])
        let r = try t.load()
        let amounts: [Int64] = [10_00, 30_00, 40_00]
        #expect(r.ledger.invoices.amount == amounts)
        #expect(r.report.rejections.map(\.message) == ["invoices.csv:3: column 'customer_id': a quote opened in this line is never closed (the rest of the file would be one value); the line is rejected and reading resumes on the next line"])
        #expect(r.accountsForEveryRow)
    }
}

/// Values that look valid but would overflow or run away are rejected at load, naming the row.
extension HardeningTests {
    @Test func valueRangesAreEnforcedAtLoad() throws {
        let t = TempLedger([
            "arlens.yml": "base_currency: USD\n",
            "customers.csv": """
                customer_id,name,currency,terms_days
                C1,Alpha,USD,30
                C2,Beta,USD,2147483647
                C3,Gamma,EUR,3650

                """,
            "invoices.csv": """
                invoice_id,customer_id,issue_date,amount
                I1,C1,2026-01-10,100.00
                I2,C1,9999-12-31,5.00
                I3,C1,1899-12-31,5.00
                I4,C1,2026-01-10,9999999999999999.99
                I5,C1,2026-01-10,999999999999.99
                I6,C3,2026-01-10,1.00

                """,
            "fx_rates.csv": """
                date,currency,rate
                2026-01-01,EUR,1.08
                2026-01-02,EUR,1000000000000000
                2026-01-03,EUR,0.0000000001

                """,
        ])
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == [
            "customers.csv:3: column 'terms_days': '2147483647': terms must be 0 to 3650 days",
            "invoices.csv:3: column 'issue_date': '9999-12-31': date outside the accepted range 1900-01-01 to 2199-12-31",
            "invoices.csv:4: column 'issue_date': '1899-12-31': date outside the accepted range 1900-01-01 to 2199-12-31",
            "invoices.csv:5: column 'amount': '9999999999999999.99': amount is too large (the maximum is 999,999,999,999.99 in whole units of the currency)",
            "fx_rates.csv:3: column 'rate': '1000000000000000': rate outside the accepted range 0.000001 to 1000000",
            "fx_rates.csv:4: column 'rate': '0.0000000001': rate outside the accepted range 0.000001 to 1000000",
        ])
        let amounts: [Int64] = [100_00, 999_999_999_999_99, 1_00]
        #expect(r.ledger.invoices.amount == amounts)
        #expect(r.ledger.customers.termsDays == [30, 3650])
        #expect(r.accountsForEveryRow)
    }

    @Test func termsAboveTenYearsAreRejected() throws {
        let t = TempLedger(["customers.csv": "customer_id,name,terms_days\nC1,A,3651\nC2,B,0\n",
                            "invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C2,2026-01-10,1.00\n"])
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == ["customers.csv:2: column 'terms_days': '3651': terms must be 0 to 3650 days"])
    }

    /// Twelve invoices of 9,999,999,999,999,999.99 crashed eleven commands; each is now
    /// rejected, and a ledger of many maximal amounts stops the load naming the table.
    @Test func tablesWhoseSumsWouldOverflowStopTheLoad() throws {
        var rows = "invoice_id,customer_id,issue_date,amount\n"
        for k in 0..<12 { rows += "I\(k),C1,2026-01-10,9999999999999999.99\n" }
        var r = try TempLedger(["invoices.csv": rows]).load()
        #expect(r.ledger.invoices.count == 0)
        #expect(r.report.rejections.count == 12)
        rows = "invoice_id,customer_id,issue_date,amount\n"
        for k in 0..<25_000 { rows += "I\(k),C1,2026-01-10,999999999999.99\n" }
        let t = TempLedger(["invoices.csv": rows])
        do {
            r = try t.load()
            Issue.record("expected the load to stop")
        } catch {
            guard case .totals(let file, let message) = error else { Issue.record("wrong error \(error)"); return }
            #expect(file == "invoices.csv")
            #expect(message.hasPrefix("the amounts add up to about 2.5e+18 minor units of USD, more than ARLens can sum exactly (2.31e+18)"))
        }
    }

    @Test func configurationValuesOutOfRangeNameLineAndKey() {
        configFails("default_terms_days: 2147483647\n", "arlens.yml:1: default_terms_days must be 0 to 3650")
        configFails("notices:\n  pay_within_days: 99999999999\n", "arlens.yml:2: notices.pay_within_days must be 0 to 3650")
        configFails("credit:\n  review_months: 9223372036854775807\n", "arlens.yml:2: credit.review_months must be 1 to 1200")
        configFails("anomalies:\n  approval_threshold: 9223372036854775807\n", "arlens.yml:2: anomalies.approval_threshold must be positive and below 999,999,999,999.99")
        configFails("dunning:\n  scale_above: 9223372036854775807\n", "arlens.yml:2: dunning.scale_above must be 0 or more and below 999,999,999,999.99")
        configFails("late_fees:\n  monthly_rate: 1e300\n", "arlens.yml:2: late_fees.monthly_rate: expected a percentage from 0 to 1000")
        configFails("aging_buckets: [\(Array(1...500).map(String.init).joined(separator: ", "))]\n", "arlens.yml:1: aging_buckets: at most 20 edges, each at most 3650 days")
        configFails("targets:\n  dso: -45\n", "arlens.yml:2: targets.dso: -45 is outside 0 to 3650")
        configFails("targets:\n  cei: 500\n", "arlens.yml:2: targets.cei: 500 is outside 0 to 100")
        // Target names are the KPI vocabulary (and the two summary tiles): a typo names its line.
        configFails("targets:\n  dso: 45\n  dos: 40\n", "arlens.yml:3: targets: unknown target 'dos' (a metric of arlens kpi --list, pct_overdue or collections_vs_billings)")
        configFails("targets:\n  pct_overdue: 120\n", "arlens.yml:2: targets.pct_overdue: 120 is outside 0 to 100")
    }

    @Test func onlyRegularFilesAndFolders() throws {
        let t = TempLedger(["customers.csv": Fixture.customers])
        let fifo = t.path + "/invoices.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: LoadError.unreadable(fifo, "is a pipe (FIFO), not a regular file")) { try t.load() }
        #expect(throws: LoadError.unreadable(t.path + "/customers.csv", "is a file, not a ledger folder (give the folder that holds invoices.csv)")) {
            _ = try LedgerLoader.load(directory: t.path + "/customers.csv")
        }
        #expect(throws: LoadError.unreadable(fifo, "is a pipe (FIFO), not a regular file")) {
            _ = try LedgerLoader.load(directory: t.path, configPath: fifo)
        }
    }

    @Test func megabytesOfBlankLinesDoNotReserveMillionsOfRows() throws {
        let blank = String(repeating: "\n", count: 2_000_000)
        let t = TempLedger(["invoices.csv": "invoice_id,customer_id,issue_date,amount\n" + blank + "I1,C1,2026-01-10,5.00\n" + blank])
        let reader = try TableReader(table: .invoices, path: t.path + "/invoices.csv", displayName: "invoices.csv", mapping: LedgerMapping())
        #expect(reader.estimatedRows < 100)        // was 4.2 million: one per blank line
        let r = try t.load()
        #expect(r.ledger.invoices.amount == [5_00])
        #expect(r.file("invoices.csv")?.read == 1)
    }
}

/// Currency signs and codes written with an amount are the row's currency, or the row is rejected.
extension HardeningTests {
    @Test func currencySignsAndCodesMustBeTheRowsCurrency() throws {
        let style = try #require(ConfigurationFile.amountStyle(example: "$1.234,56"))
        func parse(_ s: String, _ c: Currency) -> Result<Int64, AmountError> {
            var t = s
            return t.withUTF8 { p in Result { () throws(AmountError) -> Int64 in try style.parse(p, digits: c.minorDigits, currency: c) } }
        }
        let usd = Currency.USD, eur = try #require(Currency(code: "EUR"))
        #expect(parse("EUR 1.000,00", usd) == .failure(.otherCurrency("EUR")))
        #expect(parse("1.000,00 GBP", usd) == .failure(.otherCurrency("GBP")))
        #expect(parse("€7,00", usd) == .failure(.otherCurrency("€")))
        #expect(parse("abc5", usd) == .failure(.notANumber))
        #expect(parse("5xyz", usd) == .failure(.notANumber))
        #expect(parse("$7,00", usd) == .success(7_00))
        #expect(parse("EUR 1.000,00", eur) == .success(1000_00))
        #expect(parse("€7,00", eur) == .success(7_00))

        let t = TempLedger([
            "arlens.yml": "mapping:\n  amount_style: \"$1.234,56\"\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,\"$1.000,00\"\nI2,C1,2026-01-10,\"€7,00\"\nI3,C1,2026-01-10,abc5\n",
        ])
        let r = try t.load()
        let amounts: [Int64] = [1000_00]
        #expect(r.ledger.invoices.amount == amounts)
        #expect(r.report.rejections.map(\.message) == [
            "invoices.csv:3: column 'amount': '€7,00': the amount is written in €, but the row's currency is USD",
            "invoices.csv:4: column 'amount': 'abc5': not an amount",
        ])
    }
}

extension HardeningTests {
    /// Found by `make fuzz` (amount): 15 integer digits at 4 decimals parse, but the same
    /// value printed with its 4 decimal zeros (19 significant digits) was refused.
    @Test func amountsRoundTripAtNineteenDigits() throws {
        let v = try AmountParser.canonical.parse("121111111311131", digits: 4)
        #expect(v == 1_211_111_113_111_310_000)
        #expect(Money.decimalString(v, digits: 4) == "121111111311131.0000")
        #expect(try AmountParser.canonical.parse("121111111311131.0000", digits: 4) == v)
        #expect(throws: AmountError.outOfRange) { try AmountParser.canonical.parse("922337203685477.5808", digits: 4) }
        #expect(try AmountParser.canonical.parse("922337203685477.5807", digits: 4) == Int64.max)
    }
}

@Suite struct TargetVocabularyTests {
    @Test func everyKPIAndTheTwoTilesAreTargets() throws {
        #expect(Target.all.count == KPI.allCases.count + 2)
        #expect(Target(name: "DSO") == .metric(.dso))
        #expect(Target(name: "collections_vs_billings") == .collectionsVsBillings)
        #expect(Target(name: "dos") == nil)
        #expect(Target.metric(.days_late).range == -3650...3650)
        #expect(Target.metric(.open_invoices_change).range == -100...1000)
        #expect(Target.metric(.cei).range == 0...100)
        let t = TempLedger(["invoices.csv": Fixture.invoices, "customers.csv": Fixture.customers,
                            "arlens.yml": "targets:\n  dso: 45\n  pct_overdue: 20\n  collections_vs_billings: 95\n"])
        let c = try t.load().configuration.configuration
        #expect(c.target(.dso) == 45)
        #expect(c.targets == [.metric(.dso): 45, .pctOverdue: 20, .collectionsVsBillings: 95])
    }
}

/// Issue 15: a reference to a row rejected after it was read never lands on another row.
@Suite struct LateRejectionTests {
    @Test func aDebitMemoNamingARejectedCreditMemoIsRejectedToo() throws {
        let t = TempLedger(["customers.csv": Fixture.customers, "invoices.csv": Fixture.invoices, "adjustments.csv": """
            adjustment_id,customer_id,date,kind,amount,invoice_id,reason
            CM1,C1,2026-01-15,credit_memo,5.00,NOPE,pricing
            DM1,C1,2026-01-20,debit_memo,10.00,CM1,rebill
            DM2,C2,2026-01-20,debit_memo,15.00,,freight
            CM2,C2,2026-01-21,credit_memo,1.00,I2,x

            """])
        let r = try t.load()
        #expect(r.report.rejections.map(\.message) == [
            "adjustments.csv:2: column 'invoice_id': 'NOPE': unknown document (not an invoice_id or adjustment_id)",
            "adjustments.csv:3: column 'invoice_id': 'CM1': refers to an adjustment that was rejected (line 2)",
        ])
        let a = r.ledger.adjustments
        #expect(a.count == 2)
        #expect((0..<a.count).map { a.ids[Int32($0)] } == ["DM2", "CM2"])
        // CM2 still reduces I2, DM2 still stands alone.
        #expect(a.document[1] == .invoice(1) && a.document[0].isNone)
    }
}
