import ARTestSupport
import Foundation
import Testing

/// The PostgreSQL source, export and pushdown against a real server (a throw-away cluster,
/// `PostgresCluster`): the sample is loaded with `arlens export`, and every command run on the
/// schema must print what it prints on the CSV folder.
@Suite(.serialized, .enabled(if: PostgresCluster.available, Comment(rawValue: PostgresCluster.skipReason)))
struct PostgresTests {
    static let sampleConfig = "datasets/sample/arlens.yml"

    /// The sample, exported once per test process into the schema `sample`.
    static let sample: String = {
        let c = PostgresCluster.cluster
        let url = c.url(schema: "sample")
        let r = try! arlens(["export", "--data", "datasets/sample", "--to", url, "--replace"])
        precondition(r.status == 0, "export failed: \(r.stderr)")
        return url
    }()

    func both(_ args: [String]) throws -> (csv: Run, pg: Run) {
        let csv = try arlens(args + ["--data", "datasets/sample", "--config", PostgresTests.sampleConfig])
        let pg = try arlens(args + ["--data", PostgresTests.sample, "--config", PostgresTests.sampleConfig])
        return (csv, pg)
    }

    @Test func exportWritesTheLoadedRowsWithKeysAndIndexes() throws {
        let url = PostgresTests.sample
        let c = PostgresCluster.cluster
        let counts = try c.sql("SELECT (SELECT count(*) FROM sample.invoices), (SELECT count(*) FROM sample.payments), (SELECT count(*) FROM sample.applications), (SELECT count(*) FROM sample.customers)")
        let v = try arlens(["validate", "--format", "json", "--data", "datasets/sample"])
        let files = try JSONSerialization.jsonObject(with: Data(v.stdout.utf8)) as! [String: Any]
        var loaded: [String: Int] = [:]
        for f in files["files"] as! [[String: Any]] { loaded[f["file"] as! String] = f["loaded"] as? Int }
        #expect(counts.trimmingCharacters(in: .whitespacesAndNewlines) == "\(loaded["invoices.csv"]!)|\(loaded["payments.csv"]!)|\(loaded["applications.csv"]!)|\(loaded["customers.csv"]!)")
        let keys = try c.sql("SELECT indexdef FROM pg_indexes WHERE schemaname = 'sample' AND tablename = 'invoices' ORDER BY indexname")
        #expect(keys.contains("UNIQUE INDEX invoices_pkey ON sample.invoices USING btree (invoice_id)"))
        #expect(keys.contains("ON sample.invoices USING btree (customer_id, issue_date)"))
        #expect(try c.sql("SELECT data_type FROM information_schema.columns WHERE table_schema = 'sample' AND table_name = 'invoices' AND column_name = 'amount'").hasPrefix("numeric"))
        // Exporting again without --replace is refused, and changes nothing.
        let again = try arlens(["export", "--data", "datasets/sample", "--to", url])
        #expect(again.status == 1)
        #expect(again.stderr.contains("sample.customers exists already (--replace drops and rewrites the ledger's tables)"))
    }

    @Test func commandsPrintWhatTheyPrintOnTheCSVFolder() throws {
        let commands: [[String]] = [
            ["kpi", "ar,billings,collections,dso,cei,pct_over_90,days_to_pay,dispute_rate,promise_kept_rate", "--format", "csv"],
            ["kpi", "dso,cei", "--by", "segment", "--grain", "quarter", "--format", "json"],
            ["aging", "--format", "csv"],
            ["aging", "--by", "region", "--as-of", "2026-03-31", "--detail", "--format", "json"],
            ["rollforward", "--from", "2025-11", "--to", "2026-10", "--format", "csv"],
            ["worklist", "--format", "csv"],
            ["anomalies", "--format", "csv"],
        ]
        for args in commands {
            let (csv, pg) = try both(args)
            #expect(csv.status == 0 && pg.status == 0, "\(args): \(csv.stderr) \(pg.stderr)")
            #expect(pg.stdout == csv.stdout, "\(args) differs")
            #expect(pg.stdout.count > 100)
        }
    }

    @Test func validateReportsTheSameTablesByTheirDatabaseNames() throws {
        let (csv, pg) = try both(["validate", "--format", "json"])
        #expect(csv.status == 0 && pg.status == 0)
        var expected = csv.stdout
        for t in ["customers", "invoices", "payments", "applications", "adjustments", "disputes", "activities", "purchase_orders", "fx_rates"] {
            expected = expected.replacingOccurrences(of: "\"\(t).csv\"", with: "\"sample.\(t)\"")
        }
        expected = expected.replacingOccurrences(of: "\"datasets/sample\"", with: "\"\(PostgresTests.sample)\"")
        #expect(pg.stdout == expected)
    }

    @Test func packIsTheSameButForTheLedgerName() throws {
        let a = tempDir([:]), b = tempDir([:])
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        let csv = try arlens(["pack", "--month", "2026-09", "--out", a, "--data", "datasets/sample", "--config", PostgresTests.sampleConfig])
        let pg = try arlens(["pack", "--month", "2026-09", "--out", b, "--data", PostgresTests.sample, "--config", PostgresTests.sampleConfig])
        #expect(csv.status == 0 && pg.status == 0, "\(pg.stderr)")
        let fm = FileManager.default
        let files = try fm.subpathsOfDirectory(atPath: a).filter { !$0.hasSuffix("/") }.sorted()
        #expect(try fm.subpathsOfDirectory(atPath: b).sorted() == files.sorted())
        var compared = 0
        for f in files {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: a + "/" + f, isDirectory: &isDir), !isDir.boolValue else { continue }
            let x = try Data(contentsOf: URL(fileURLWithPath: a + "/" + f)), y = try Data(contentsOf: URL(fileURLWithPath: b + "/" + f))
            if f.hasSuffix(".pdf") || f.hasSuffix(".xlsx") || f.hasSuffix(".pptx") || f.hasSuffix(".zip") { continue }   // the name is inside compressed streams
            let xs = String(decoding: x, as: UTF8.self).replacingOccurrences(of: "datasets/sample", with: "LEDGER")
            var ys = String(decoding: y, as: UTF8.self).replacingOccurrences(of: PostgresTests.sample, with: "LEDGER")
                .replacingOccurrences(of: PostgresTests.sample.replacingOccurrences(of: "&", with: "&amp;"), with: "LEDGER")
            // The load report names the tables where it names the files.
            for t in ["customers", "invoices", "payments", "applications", "adjustments", "disputes", "activities", "purchase_orders", "fx_rates"] {
                ys = ys.replacingOccurrences(of: "sample.\(t)", with: "\(t).csv")
            }
            #expect(xs == ys, "\(f) differs")
            compared += 1
        }
        #expect(compared >= 3)
    }

    @Test func pushdownEqualsTheInMemoryPathOnTheSample() throws {
        let cases: [[String]] = [
            ["kpi", "ar,billings,collections,credit_memos,write_offs,bad_debt_ratio,turnover", "--format", "csv"],
            ["kpi", "ar,billings,collections", "--by", "customer", "--format", "csv"],
            ["kpi", "ar,turnover,bad_debt_ratio", "--by", "currency", "--grain", "quarter", "--format", "csv"],
            ["aging", "--by", "customer", "--format", "csv"],
            ["aging", "--by", "segment", "--as-of", "2025-06-30", "--format", "csv"],
            ["aging", "--as-of", "2026-01-15", "--basis", "issue", "--format", "json"],
            ["aging", "--by", "currency", "--first-bucket-from-zero", "--buckets", "15,45", "--format", "csv"],
        ]
        for args in cases {
            let csv = try arlens(args + ["--data", "datasets/sample", "--config", PostgresTests.sampleConfig])
            let pd = try arlens(args + ["--pushdown", "--data", PostgresTests.sample, "--config", PostgresTests.sampleConfig])
            #expect(csv.status == 0 && pd.status == 0, "\(args): \(pd.stderr)")
            #expect(!pd.stderr.contains("computing in memory"), "\(args) fell back: \(pd.stderr)")
            #expect(pd.stdout == csv.stdout, "\(args) differs")
        }
    }

    @Test func metricsTheServerCannotComputeFallBackWithAWarning() throws {
        let csv = try arlens(["kpi", "dso,billings", "--data", "datasets/sample", "--config", PostgresTests.sampleConfig])
        let pd = try arlens(["kpi", "dso,billings", "--pushdown", "--data", PostgresTests.sample, "--config", PostgresTests.sampleConfig])
        #expect(pd.status == 0)
        #expect(pd.stderr.hasPrefix("arlens: warning: --pushdown: dso cannot be computed on the server"))
        #expect(pd.stdout == csv.stdout)
        let folder = try arlens(["kpi", "ar", "--pushdown", "--data", "datasets/sample"])
        #expect(folder.status == 2)
        #expect(folder.stderr == "arlens: error: --pushdown needs a PostgreSQL ledger (--data postgresql://...)\n")
    }

    /// Without --pushdown or --no-pushdown, a ledger below the threshold (the sample has 12,355
    /// invoices, far below 1,000,000) is computed in memory, with no note; both flags give the
    /// same figures.
    @Test func belowTheThresholdTheLedgerIsComputedInMemory() throws {
        for args in [["kpi", "ar,billings,collections", "--format", "csv"], ["aging", "--by", "segment", "--format", "csv"]] {
            let base = args + ["--data", PostgresTests.sample, "--config", PostgresTests.sampleConfig]
            let auto = try arlens(base), memory = try arlens(base + ["--no-pushdown"]), server = try arlens(base + ["--pushdown"])
            #expect(auto.status == 0 && memory.status == 0 && server.status == 0, "\(args): \(auto.stderr) \(server.stderr)")
            #expect(!auto.stderr.contains("note:") && auto.stderr == memory.stderr, "\(args): \(auto.stderr)")
            #expect(!server.stderr.contains("computing in memory"), "\(args): \(server.stderr)")
            #expect(auto.stdout == memory.stdout && server.stdout == memory.stdout, "\(args) differs")
        }
    }

    @Test func connectionProblemsAreOneLineWithThePasswordMasked() throws {
        let c = PostgresCluster.cluster
        // Nothing listens on port 1.
        let refused = try arlens(["aging", "--data", "postgresql://ann:topsecret@127.0.0.1:1/postgres?schema=sample"])
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("arlens: error: postgresql://ann:***@127.0.0.1:1/postgres?schema=sample: cannot connect: "))
        #expect(refused.stderr.contains("refused"))
        #expect(!refused.stderr.contains("topsecret"))
        #expect(refused.stderr.split(separator: "\n").count == 1)
        // A wrong password, in the URL.
        let wrong = try arlens(["aging", "--data", c.tcpURL(password: "nope-wrong", schema: "sample")])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("password authentication failed for user \"ann\""))
        #expect(wrong.stderr.contains("ann:***@127.0.0.1"))
        #expect(!wrong.stderr.contains("nope-wrong"))
        // The right one from PGPASSWORD (and none in the URL): the same aging as the CSV folder.
        var env = ProcessInfo.processInfo.environment
        env["PGPASSWORD"] = PostgresCluster.password
        let ok = try arlens(["aging", "--format", "csv", "--data", c.tcpURL(schema: "sample"), "--config", PostgresTests.sampleConfig], environment: env)
        let csv = try arlens(["aging", "--format", "csv", "--data", "datasets/sample", "--config", PostgresTests.sampleConfig])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == csv.stdout)
        // And from ~/.pgpass (PGPASSFILE names it here).
        let passfile = tempDir(["pgpass": "127.0.0.1:\(c.port):*:ann:\(PostgresCluster.password)\n"]) + "/pgpass"
        chmod(passfile, 0o600)
        env["PGPASSWORD"] = nil
        env["PGPASSFILE"] = passfile
        let viaFile = try arlens(["aging", "--format", "csv", "--data", c.tcpURL(schema: "sample"), "--config", PostgresTests.sampleConfig], environment: env)
        #expect(viaFile.stdout == csv.stdout, "\(viaFile.stderr)")
    }

    @Test func missingTablesAndColumnsAreOneClearError() throws {
        let c = PostgresCluster.cluster
        let s = PostgresCluster.schemaName()
        try c.sql("CREATE SCHEMA \(s); CREATE TABLE \(s).customers (customer_id text, name text)")
        let noInvoices = try arlens(["validate", "--data", c.url(schema: s)])
        #expect(noInvoices.status == 1)
        #expect(noInvoices.stderr == "arlens: error: \(c.url(schema: s)): \(s).invoices: no such table or view\n")
        try c.sql("CREATE TABLE \(s).invoices (invoice_id text, customer_id text, issue_date date, total numeric)")
        let noAmount = try arlens(["validate", "--data", c.url(schema: s)])
        #expect(noAmount.status == 1)
        #expect(noAmount.stderr == "arlens: error: \(s).invoices:1: required column 'amount' missing (the header has: invoice_id, customer_id, issue_date, total)\n")
        let noServer = try arlens(["validate", "--data", c.url(database: "no_such_db", schema: s)])
        #expect(noServer.stderr.contains("database \"no_such_db\" does not exist"))
    }

    /// The tables stream in the background and each is parsed as soon as it has arrived;
    /// when several cannot be read, the error is the one reported when every table was read
    /// first: the invoices', then the payments', before the customers' (read first of all).
    @Test func whenSeveralTablesCannotBeReadTheErrorIsTheSameAsBefore() throws {
        let c = PostgresCluster.cluster
        let s = PostgresCluster.schemaName()
        try c.sql("CREATE SCHEMA \(s); CREATE TABLE \(s).customers (name text)")
        let noInvoices = try arlens(["validate", "--data", c.url(schema: s)])
        #expect(noInvoices.status == 1)
        #expect(noInvoices.stderr == "arlens: error: \(c.url(schema: s)): \(s).invoices: no such table or view\n")
        try c.sql("CREATE TABLE \(s).invoices (invoice_id text, customer_id text, issue_date date, amount numeric); CREATE TABLE \(s).payments (payment_id text)")
        let badPayments = try arlens(["validate", "--data", c.url(schema: s)])
        #expect(badPayments.status == 1)
        #expect(badPayments.stderr == "arlens: error: \(s).payments:1: required columns 'customer_id', 'received_date', 'amount' missing (the header has: payment_id)\n")
        try c.sql("DROP TABLE \(s).payments")
        let badCustomers = try arlens(["validate", "--data", c.url(schema: s)])
        #expect(badCustomers.status == 1)
        #expect(badCustomers.stderr == "arlens: error: \(s).customers:1: required column 'customer_id' missing (the header has: name)\n")
        try c.sql("""
            ALTER TABLE \(s).customers ADD COLUMN customer_id text;
            INSERT INTO \(s).customers VALUES ('Acme', 'C1');
            INSERT INTO \(s).invoices VALUES ('I1', 'C1', '2026-01-05', 10), ('I2', 'C9', '2026-01-06', 5);
            """)
        let loads = try arlens(["validate", "--format", "json", "--data", c.url(schema: s)])
        #expect(loads.status == 0)
        #expect(loads.stdout.contains("\"key\": \"invoice_id=I2\""), "\(loads.stdout)")
    }

    @Test func aConnectionLostMidStreamWritesNothing() throws {
        let c = PostgresCluster.cluster
        let s = PostgresCluster.schemaName()
        try c.sql("CREATE SCHEMA \(s); CREATE TABLE \(s).customers AS SELECT * FROM sample.customers; CREATE TABLE \(s).invoices AS SELECT * FROM sample.invoices")
        // The server ends the session after streaming part of the invoices.
        let yml = """
            source: \(c.url(schema: s))
            base_currency: USD
            mapping:
              invoices:
                query: "SELECT i.*, CASE WHEN i.arlens_row = 900 THEN pg_terminate_backend(pg_backend_pid()) END AS stop FROM \(s).invoices i ORDER BY i.arlens_row"
            """
        let dir = tempDir(["arlens.yml": yml])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let out = dir + "/out"
        let r = try arlens(["pack", "--data", dir, "--out", out])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("arlens: error: \(c.url(schema: s)): mapping.invoices.query: "))
        #expect(r.stderr.contains("the connection was lost") || r.stderr.contains("terminat"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
        // An error raised by the server mid-stream likewise.
        let yml2 = yml.replacingOccurrences(of: "pg_terminate_backend(pg_backend_pid())", with: "(1 / 0)::boolean")
        try yml2.write(toFile: dir + "/arlens.yml", atomically: true, encoding: .utf8)
        let r2 = try arlens(["pack", "--data", dir, "--out", out])
        #expect(r2.status == 1)
        #expect(r2.stderr == "arlens: error: \(c.url(schema: s)): mapping.invoices.query: division by zero\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func badRowsAreRejectedAsFromACSVFile() throws {
        let c = PostgresCluster.cluster
        let s = PostgresCluster.schemaName()
        let customers = "customer_id,name\nC1,Acme\nC2,Bolt\n"
        let invoices = "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-05,100.00\nI2,C9,2026-01-06,50.00\nI3,C2,2026-13-01,75.00\nI4,C2,2026-01-09,12.345\nI5,C1,2026-01-10,abc\nI6,C2,2026-02-01,80.00\n"
        let dir = tempDir(["customers.csv": customers, "invoices.csv": invoices])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The same rows in text columns, as an ERP's staging table might hold them.
        try c.sql("""
            CREATE SCHEMA \(s);
            CREATE TABLE \(s).customers (customer_id text, name text);
            INSERT INTO \(s).customers VALUES ('C1', 'Acme'), ('C2', 'Bolt');
            CREATE TABLE \(s).invoices (invoice_id text, customer_id text, issue_date text, amount text, note text);
            INSERT INTO \(s).invoices VALUES ('I1','C1','2026-01-05','100.00',NULL), ('I2','C9','2026-01-06','50.00',NULL),
              ('I3','C2','2026-13-01','75.00',NULL), ('I4','C2','2026-01-09','12.345',NULL), ('I5','C1','2026-01-10','abc',NULL),
              ('I6','C2','2026-02-01','80.00','x');
            """)
        let csv = try arlens(["validate", "--format", "json", "--data", dir])
        let pg = try arlens(["validate", "--format", "json", "--data", c.url(schema: s)])
        func rejections(_ r: Run) throws -> [[String: String]] {
            let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            return (o["rejections"] as! [[String: Any]]).map { $0.compactMapValues { "\($0)" } }
        }
        var expected = try rejections(csv)
        #expect(expected.count == 4)
        for i in expected.indices {
            expected[i]["file"] = "\(s).invoices"
            expected[i]["reason"] = expected[i]["reason"]!.replacingOccurrences(of: "customers.csv", with: "\(s).customers")
            // A table has no line numbers: each rejection also names its row by its key.
            expected[i]["key"] = "invoice_id=" + ["I2", "I3", "I4", "I5"][min(i, 3)]
        }
        #expect(try rejections(pg) == expected)
        #expect(pg.stdout.contains("\"key\": \"invoice_id=I5\",\n      \"column\": \"amount\",\n      \"value\": \"abc\",\n      \"reason\": \"not an amount\""))
        // The text report: table, row key, column, value, reason.
        let text = try arlens(["validate", "--data", c.url(schema: s)])
        #expect(text.stdout.contains("\(s).invoices:4: row invoice_id=I3: column 'issue_date': '2026-13-01': "), "\(text.stdout)")
        #expect(text.stdout.contains("\(s).invoices:6: row invoice_id=I5: column 'amount': 'abc': not an amount\n"), "\(text.stdout)")
        // The column the ledger does not use is reported as not used, as in a file.
        let table = try arlens(["validate", "--data", c.url(schema: s)])
        #expect(table.stdout.contains("\(s).invoices: columns not used: note\n"))
    }

    /// Messages that point at another table name it as the source does (`schema.payments`),
    /// not as the CSV file it would be in a folder.
    @Test func rejectionsNameTheDatabaseTablesTheyPointTo() throws {
        let c = PostgresCluster.cluster
        let s = PostgresCluster.schemaName()
        try c.sql("""
            CREATE SCHEMA \(s);
            CREATE TABLE \(s).customers (customer_id text, name text);
            INSERT INTO \(s).customers VALUES ('C1', 'Acme');
            CREATE TABLE \(s).invoices (invoice_id text, customer_id text, issue_date text, amount text);
            INSERT INTO \(s).invoices VALUES ('I1','C1','2026-01-05','100.00'), ('I3','C1','2026-01-07','-5.00');
            CREATE TABLE \(s).payments (payment_id text, customer_id text, received_date text, amount text);
            INSERT INTO \(s).payments VALUES ('P1','C1','2026-01-20','60.00');
            CREATE TABLE \(s).applications (payment_id text, invoice_id text, amount text);
            INSERT INTO \(s).applications VALUES ('P1','I1','60.00'), ('P9','I1','10.00');
            """)
        let pg = try arlens(["validate", "--data", c.url(schema: s)])
        // The advice for a negative invoice names where adjustments live in this source.
        #expect(pg.stdout.contains("\(s).invoices:3: row invoice_id=I3: column 'amount': '-5.00': an invoice amount must be greater than zero; record credits and reversals in \(s).adjustments\n"), "\(pg.stdout)")
        #expect(pg.stdout.contains("\(s).applications:3: row payment_id=P9, invoice_id=I1: column 'payment_id': 'P9': unknown payment (not in \(s).payments, or rejected there)\n"), "\(pg.stdout)")
        // A foreign amount with no rates table: the error names the table that is missing.
        try c.sql("""
            ALTER TABLE \(s).invoices ADD COLUMN currency text;
            INSERT INTO \(s).invoices VALUES ('I2','C1','2026-01-06','20.00','EUR');
            """)
        let dir = tempDir(["arlens.yml": "base_currency: USD\n"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let foreign = try arlens(["summary", "--data", c.url(schema: s), "--config", dir + "/arlens.yml"])
        #expect(foreign.status != 0)
        #expect(foreign.stderr.contains("the ledger has amounts in EUR besides the base currency USD, but no \(s).fx_rates to convert them"), "\(foreign.stderr)")
    }

    /// A table streams into anonymous memory whose pages the parser frees as it goes (every
    /// 16 MiB, and all of them after the parse), so nothing reads a table's text after its
    /// parse: a row rejected while parsed is named by its key from its record then, and a row
    /// rejected later (a missing rate, an unknown reference, too many decimals for the
    /// currency found later, in every table that has such checks) from its parsed values.
    /// The invoices are over 16 MiB (long PO numbers): the bad amount of row 190,000 is read
    /// after the first pages were freed, the missing rate of the last row found after all were.
    /// The rejections are those of the same rows in a CSV folder, and each names its row.
    @Test func rowsRejectedAfterTheParseAreNamedByTheirKeys() throws {
        let c = PostgresCluster.cluster
        let s = PostgresCluster.schemaName()
        try c.sql("""
            CREATE SCHEMA \(s);
            CREATE TABLE \(s).customers (customer_id text, name text, currency text, credit_limit text);
            INSERT INTO \(s).customers VALUES ('C1','Acme','USD','1000.00'), ('C2','Bolt','JPY','10.5');
            CREATE TABLE \(s).fx_rates (date date, currency text, rate text);
            INSERT INTO \(s).fx_rates VALUES ('2026-01-01','EUR','1.1');
            CREATE TABLE \(s).invoices (invoice_id text, customer_id text, issue_date date, amount text, currency text, po_number text);
            INSERT INTO \(s).invoices SELECT 'I' || lpad(g::text, 6, '0'), 'C1', DATE '2026-01-05',
              CASE WHEN g = 190000 THEN 'abc' ELSE '100.00' END, 'USD', 'PO-' || repeat('x', 70) FROM generate_series(1, 200000) g;
            INSERT INTO \(s).invoices VALUES ('I200001','C1','2025-12-01','7.00','EUR',NULL), ('I200002','C1','2026-01-10','8.00','EUR',NULL);
            CREATE TABLE \(s).payments (payment_id text, customer_id text, received_date date, amount text, currency text);
            INSERT INTO \(s).payments VALUES ('P1','C1','2026-01-20','60.00','USD'), ('P2','C1','2025-12-15','5.00','EUR');
            CREATE TABLE \(s).applications (payment_id text, invoice_id text, amount text);
            INSERT INTO \(s).applications VALUES ('P1','I000001','60.00'), ('P9','I000001','10.00'), ('P1','X1','5.00');
            CREATE TABLE \(s).adjustments (adjustment_id text, customer_id text, invoice_id text, date date, kind text, amount text);
            INSERT INTO \(s).adjustments VALUES ('A1','C1','I000002','2026-01-06','credit_memo','5.00'),
              ('A2','C1','NOPE','2026-01-06','credit_memo','1.00'), ('A3','C1','I000003','2026-01-06','credit_memo','1.234');
            CREATE TABLE \(s).disputes (dispute_id text, invoice_id text, opened_date date, amount text);
            INSERT INTO \(s).disputes VALUES ('D1','NOPE','2026-01-07',NULL), ('D2','I000001','2026-01-08','1.005');
            CREATE TABLE \(s).activities (activity_id text, customer_id text, invoice_id text, date date, kind text, promised_amount text);
            INSERT INTO \(s).activities VALUES ('T1','C1','NOPE','2026-01-07','call',NULL), ('T2','C1',NULL,'2026-01-07','promise','2.001');
            CREATE TABLE \(s).purchase_orders (po_number text, customer_id text, date date, amount text);
            INSERT INTO \(s).purchase_orders VALUES ('PO1','C1','2026-01-01','10.001'), ('PO2','C1','2026-01-01','10.00');
            """)
        // The same rows as files, in the order the server sends them (by key: no arlens_row).
        var invoices = "invoice_id,customer_id,issue_date,amount,currency,po_number\n"
        let po = "PO-" + String(repeating: "x", count: 70)
        for g in 1...200_000 {
            let id = String(g), padded = String(repeating: "0", count: max(0, 6 - id.count)) + id
            invoices += "I\(padded),C1,2026-01-05,\(g == 190_000 ? "abc" : "100.00"),USD,\(po)\n"
        }
        invoices += "I200001,C1,2025-12-01,7.00,EUR,\nI200002,C1,2026-01-10,8.00,EUR,\n"
        let dir = tempDir([
            "customers.csv": "customer_id,name,currency,credit_limit\nC1,Acme,USD,1000.00\nC2,Bolt,JPY,10.5\n",
            "fx_rates.csv": "date,currency,rate\n2026-01-01,EUR,1.1\n",
            "invoices.csv": invoices,
            "payments.csv": "payment_id,customer_id,received_date,amount,currency\nP1,C1,2026-01-20,60.00,USD\nP2,C1,2025-12-15,5.00,EUR\n",
            "applications.csv": "payment_id,invoice_id,amount\nP1,I000001,60.00\nP1,X1,5.00\nP9,I000001,10.00\n",
            "adjustments.csv": "adjustment_id,customer_id,invoice_id,date,kind,amount\nA1,C1,I000002,2026-01-06,credit_memo,5.00\nA2,C1,NOPE,2026-01-06,credit_memo,1.00\nA3,C1,I000003,2026-01-06,credit_memo,1.234\n",
            "disputes.csv": "dispute_id,invoice_id,opened_date,amount\nD1,NOPE,2026-01-07,\nD2,I000001,2026-01-08,1.005\n",
            "activities.csv": "activity_id,customer_id,invoice_id,date,kind,promised_amount\nT1,C1,NOPE,2026-01-07,call,\nT2,C1,,2026-01-07,promise,2.001\n",
            "purchase_orders.csv": "po_number,customer_id,date,amount\nPO1,C1,2026-01-01,10.001\nPO2,C1,2026-01-01,10.00\n",
            "arlens.yml": "base_currency: USD\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pg = try arlens(["validate", "--data", c.url(schema: s), "--config", dir + "/arlens.yml"])
        #expect(pg.status == 0, "\(pg.stderr)")
        let expected = [
            "\(s).customers:3: row customer_id=C2: column 'credit_limit': '10.5': more decimals than JPY allows",
            "\(s).invoices:190001: row invoice_id=I190000: column 'amount': 'abc': not an amount",
            "\(s).invoices:200002: row invoice_id=I200001: column 'currency': 'EUR': no EUR rate on or before 2025-12-01 in \(s).fx_rates",
            "\(s).payments:3: row payment_id=P2: column 'currency': 'EUR': no EUR rate on or before 2025-12-15 in \(s).fx_rates",
            "\(s).applications:3: row payment_id=P1, invoice_id=X1: column 'invoice_id': 'X1': unknown document (not an invoice_id, or the adjustment_id of a debit memo or late fee)",
            "\(s).applications:4: row payment_id=P9, invoice_id=I000001: column 'payment_id': 'P9': unknown payment (not in \(s).payments, or rejected there)",
            "\(s).adjustments:3: row adjustment_id=A2: column 'invoice_id': 'NOPE': unknown document (not an invoice_id or adjustment_id)",
            "\(s).adjustments:4: row adjustment_id=A3: column 'amount': '1.234': more decimals than USD allows",
            "\(s).disputes:2: row dispute_id=D1: column 'invoice_id': 'NOPE': unknown document (not an invoice_id, or the adjustment_id of a debit memo or late fee)",
            "\(s).disputes:3: row dispute_id=D2: column 'amount': '1.005': more decimals than USD allows",
            "\(s).activities:2: row activity_id=T1: column 'invoice_id': 'NOPE': unknown document (not an invoice_id or adjustment_id)",
            "\(s).activities:3: row activity_id=T2: column 'promised_amount': '2.001': more decimals than USD allows",
            "\(s).purchase_orders:2: row customer_id=C1, po_number=PO1: column 'amount': '10.001': more decimals than USD allows",
        ]
        let got = pg.stdout.split(separator: "\n").filter { $0.hasPrefix("  \(s).") }.map { String($0.dropFirst(2)) }
        #expect(got == expected, "\(pg.stdout)")
        // Word for word the folder's, but for the table names and the row keys.
        let csv = try arlens(["validate", "--data", dir])
        let fromFiles = csv.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains(".csv:") }.map { String($0.dropFirst(2)) }
        let unkeyed = expected.map { line in
            line.replacingOccurrences(of: #" row [^:]*:"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"\#(s)\.([a-z_]+):"#, with: "$1.csv:", options: .regularExpression)
                .replacingOccurrences(of: "\(s).", with: "").replacingOccurrences(of: "in fx_rates", with: "in fx_rates.csv")
                .replacingOccurrences(of: "not in payments,", with: "not in payments.csv,")
        }
        #expect(fromFiles == unkeyed, "\(csv.stdout)")
    }

    /// Activity ids and purchase-order keys are interned after the parse (`TableParsers.internIDs`),
    /// when the rows' text is gone: a duplicate is named by the key it was interned as (the
    /// purchase order's customer and number), as one pass named it from its record.
    @Test func duplicateActivitiesAndPurchaseOrdersAreNamedByTheirKeys() throws {
        let s = PostgresCluster.schemaName()
        // Each table: its columns, and its rows (each duplicate the same as its first row).
        let tables = [
            ("invoices", "invoice_id text, customer_id text, issue_date date, amount text", "('I1','C1','2026-01-05','100.00')"),
            ("activities", "activity_id text, customer_id text, date date, kind text",
             "('T1','C1','2026-01-07','call'), ('T1','C1','2026-01-07','call'), ('T2','C1','2026-01-08','note')"),
            ("purchase_orders", "po_number text, customer_id text, amount text", "('PO1','C1','10.00'), ('PO1','C1','10.00'), ('PO2','C1','3.00')"),
        ]
        try PostgresCluster.cluster.sql(tables.reduce("CREATE SCHEMA \(s);") { sql, t in
            sql + "\nCREATE TABLE \(s).\(t.0) (\(t.1)); INSERT INTO \(s).\(t.0) VALUES \(t.2);"
        })
        let config = tempDir(["arlens.yml": "base_currency: USD\n"])
        defer { try? FileManager.default.removeItem(atPath: config) }
        let pg = try arlens(["validate", "--data", PostgresCluster.cluster.url(schema: s), "--config", config + "/arlens.yml"])
        #expect(pg.status == 0, "\(pg.stderr)")
        let got = pg.stdout.split(separator: "\n").filter { $0.hasPrefix("  \(s).") }.map { String($0.dropFirst(2)) }
        #expect(got == [
            "\(s).activities:3: row activity_id=T1: column 'activity_id': 'T1': duplicate activity_id (first on line 2)",
            "\(s).purchase_orders:3: row customer_id=C1, po_number=PO1: column 'po_number': 'PO1': duplicate po_number for this customer (first on line 2)",
        ], "\(pg.stdout)")
    }

    /// The tables stream in COPY's text format (PostgreSQL 15 and later), where a value with a
    /// backslash or a double quote is escaped differently from csv: such rows are turned back
    /// into the csv the server writes. Values with every character COPY escapes or quotes (a
    /// comma, quotes, a backslash, a line feed, a carriage return, a tab, other control
    /// characters, an empty text beside a NULL, padding) load, and are rejected, exactly as the
    /// server's own csv of the same tables read from a folder: the same values, messages and
    /// lines (a line break inside a value counts as a line in both).
    @Test func textFormatRowsLoadAsTheServersOwnCSV() throws {
        let c = PostgresCluster.cluster
        let s = PostgresCluster.schemaName()
        try c.sql(#"""
            CREATE SCHEMA \#(s);
            CREATE TABLE \#(s).customers (customer_id text, name text, address text, email text, segment text);
            INSERT INTO \#(s).customers VALUES
              ('C1', 'Acme, "Inc."', E'1 Main St\nSuite 2', 'a\b@x.com', 'back\slash'),
              ('C2', E'Tab\there', E'CR\rhere', '', NULL),
              ('C3', ' padded ', '\.', NULL, E'bell\007'),
              ('C4', '"', ',', E'\\,\\', 'x"y');
            CREATE TABLE \#(s).invoices (invoice_id text, customer_id text, invoice_number text, issue_date text, amount text, po_number text);
            INSERT INTO \#(s).invoices VALUES
              ('I1', 'C1', E'N\t1', '2026-01-05', '100.00', 'PO,1'),
              ('I2', 'C2', 'N"2"', '2026-01-06', '1,2', NULL),
              ('I3', 'C3', '', '2026-01-07', E'a\\b"c"', ''),
              ('I4', 'C4', E'multi\nline', '2026-01-08', '5.00', E'two\nlines'),
              ('I5', 'C9', 'N5', '2026-01-09', '6.00', 'PO5'),
              ('I6', 'C1', 'N6', E'2026-01-10\n', '7.00', E'\\'),
              ('I7', 'C2', 'N7', '2026-01-11', E' 8.00\t', 'PO7');
            """#)
        // The folder: each table as the server writes it in csv, in the order it is read (by key).
        var files = ["arlens.yml": "base_currency: USD\n"]
        for (t, key) in [("customers", "customer_id"), ("invoices", "invoice_id")] {
            files[t + ".csv"] = try c.sql("COPY (SELECT * FROM \(s).\(t) ORDER BY \(key)) TO STDOUT WITH (FORMAT csv, HEADER true)")
        }
        #expect(files["customers.csv"]!.contains("\"Acme, \"\"Inc.\"\"\",\"1 Main St\nSuite 2\",a\\b@x.com,back\\slash\n"))
        let dir = tempDir(files)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let url = c.url(schema: s), yml = dir + "/arlens.yml"
        func report(_ r: Run) throws -> [String] {
            let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            let files = (o["files"] as! [[String: Any]]).map { "\($0["read"]!) \($0["loaded"]!) \($0["rejected"]!)" }
            let rejections = (o["rejections"] as! [[String: Any]]).map { x in
                ["line", "column", "value", "reason"].map { "\(x[$0] ?? "-")" }.joined(separator: " | ")
                    .replacingOccurrences(of: "\(s).customers", with: "customers.csv")
            }
            let findings = (o["findings"] as! [[String: Any]]).map { "\($0["message"]!)" }
            return files + rejections + findings
        }
        let pg = try arlens(["validate", "--format", "json", "--data", url, "--config", yml])
        let csv = try arlens(["validate", "--format", "json", "--data", dir])
        #expect(pg.status == 0 && csv.status == 0, "\(pg.stderr) \(csv.stderr)")
        let got = try report(pg)
        #expect(got == (try report(csv)), "\(pg.stdout)\n\(csv.stdout)")
        // Servers before PostgreSQL 15 send csv: the same report, byte for byte.
        let old = try arlens(["validate", "--format", "json", "--data", url, "--config", yml], environment: ProcessInfo.processInfo.environment.merging(["ARLENS_PG_COPY_CSV": "1"]) { $1 })
        #expect(old.status == 0 && old.stdout == pg.stdout, "\(old.stderr)\n\(old.stdout)")
        // Lines count the line breaks inside values: I3 is on line 4, I5 on line 7 after I4's two.
        #expect(got.contains("4 | amount | a\\b\"c\" | not an amount"), "\(got)")
        #expect(got.contains("3 | amount | 1,2 | not an amount"), "\(got)")
        #expect(got.contains("8 | customer_id | C9 | unknown customer (not in customers.csv)"), "\(got)")
        #expect(pg.stdout.contains("\"key\": \"invoice_id=I3\""), "\(pg.stdout)")
        #expect(got.contains("Acme, \"Inc.\" (C1) has no phone number"), "\(got)")
        #expect(got.contains("\" (C4): '\\,\\' is not a well-formed email address"), "\(got)")
        // The values themselves: every command prints the same from both.
        for args in [["aging", "--by", "customer", "--format", "csv", "--no-pushdown"], ["kpi", "billings", "--format", "csv", "--no-pushdown"]] {
            let x = try arlens(args + ["--data", url, "--config", yml])
            let y = try arlens(args + ["--data", dir])
            #expect(x.status == 0 && x.stdout == y.stdout && x.stdout.count > 40, "\(args): \(x.stdout) \(y.stdout) \(x.stderr)")
        }
    }

    /// Tables with `arlens_row` are read without ORDER BY: rows lying in another order (here
    /// reversed) are put back in arlens_row order on the client, so lines, keys and every
    /// figure are those of the same rows in order; a NULL arlens_row makes the server sort.
    @Test func rowsLyingOutOfArlensRowOrderLoadInThatOrder() throws {
        let c = PostgresCluster.cluster
        _ = PostgresTests.sample
        let s = PostgresCluster.schemaName()
        var sql = "CREATE SCHEMA \(s);"
        for t in ["customers", "invoices", "payments", "applications", "adjustments", "disputes", "activities", "purchase_orders", "fx_rates"] {
            sql += "CREATE TABLE \(s).\(t) AS SELECT * FROM sample.\(t) ORDER BY arlens_row DESC;"
        }
        try c.sql(sql)
        // The rows do lie reversed: the first one read is the last in arlens_row order.
        #expect(try c.sql("SELECT arlens_row = (SELECT max(arlens_row) FROM \(s).invoices) FROM \(s).invoices LIMIT 1").hasPrefix("t"))
        let url = c.url(schema: s)
        for args in [["validate", "--format", "json"], ["kpi", "ar,billings,collections,dso", "--format", "csv", "--no-pushdown"],
                     ["aging", "--by", "customer", "--format", "csv", "--no-pushdown"]] {
            let inOrder = try arlens(args + ["--data", PostgresTests.sample, "--config", PostgresTests.sampleConfig])
            let reversed = try arlens(args + ["--data", url, "--config", PostgresTests.sampleConfig])
            #expect(inOrder.status == 0 && reversed.status == 0, "\(args): \(reversed.stderr)")
            #expect(reversed.stdout == inOrder.stdout.replacingOccurrences(of: PostgresTests.sample, with: url)
                .replacingOccurrences(of: "\"sample.", with: "\"\(s)."), "\(args)")
            #expect(inOrder.stdout.count > 100)
        }

        // Bad rows, written in reverse: rejected on the lines of arlens_row order, by key.
        try c.sql("""
            CREATE TABLE \(s).bad_customers (customer_id text, name text, arlens_row integer);
            INSERT INTO \(s).bad_customers VALUES ('C2', 'Bolt', 3), ('C1', 'Acme', 2);
            CREATE TABLE \(s).bad_invoices (invoice_id text, customer_id text, issue_date date, amount text, arlens_row integer);
            INSERT INTO \(s).bad_invoices VALUES ('I4','C2','2026-01-09','80.00',5), ('I3','C1','2026-01-08','abc',4),
              ('I2','C2','2026-01-07','12.345',3), ('I1','C1','2026-01-05','100.00',2), ('I1','C2','2026-01-10','7.00',6);
            """)
        let yml = """
            source: \(url)
            base_currency: USD
            mapping:
              customers: {table: \(s).bad_customers}
              invoices: {table: \(s).bad_invoices}
            """
        let dir = tempDir(["arlens.yml": yml])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let v = try arlens(["validate", "--data", dir])
        #expect(v.stdout.contains("\(s).bad_invoices:3: row invoice_id=I2: column 'amount': '12.345': "), "\(v.stdout)")
        // Read in csv, as from a server before PostgreSQL 15: the same report.
        let vc = try arlens(["validate", "--data", dir], environment: ProcessInfo.processInfo.environment.merging(["ARLENS_PG_COPY_CSV": "1"]) { $1 })
        #expect(vc.status == 0 && vc.stdout == v.stdout, "\(vc.stderr)\n\(vc.stdout)")
        #expect(v.stdout.contains("\(s).bad_invoices:4: row invoice_id=I3: column 'amount': 'abc': not an amount\n"), "\(v.stdout)")
        // A duplicate id is found after the parse (the ids are interned in a second pass), and named all the same.
        #expect(v.stdout.contains("\(s).bad_invoices:6: row invoice_id=I1: column 'invoice_id': 'I1': duplicate invoice_id (first on line 2)\n"), "\(v.stdout)")
        let k = try arlens(["kpi", "billings", "--format", "csv", "--data", dir])
        #expect(k.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "metric,period,group,value,target,status\nbillings,2026-01,,180.00,,\n", "\(k.stderr)")
        // A NULL arlens_row: the server sorts (NULL last), the same rows load.
        try c.sql("UPDATE \(s).bad_invoices SET arlens_row = NULL WHERE invoice_id = 'I2'")
        let n = try arlens(["validate", "--data", dir])
        #expect(n.stdout.contains("\(s).bad_invoices:3: row invoice_id=I3: column 'amount': 'abc': not an amount\n"), "\(n.stdout)")
        #expect(n.stdout.contains("\(s).bad_invoices:6: row invoice_id=I2: column 'amount': '12.345': "), "\(n.stdout)")
        let k2 = try arlens(["kpi", "billings", "--format", "csv", "--data", dir])
        #expect(k2.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "metric,period,group,value,target,status\nbillings,2026-01,,180.00,,\n")
    }

    /// `date` columns are sent as day numbers (days since 1900-01-01) instead of their text.
    /// The same rows with the dates in `text` columns (read as text, as every column was
    /// before) and in a CSV folder load the same ledger and give the same rejections: a NULL is
    /// empty, and a value in a message or a row key is the date's text, out-of-range and BC
    /// dates included. An infinite date has no day number: its table is read with the dates
    /// as text.
    @Test func dateColumnsReadAsDayNumbersLoadAndRejectAsTheirText() throws {
        let c = PostgresCluster.cluster
        let typed = PostgresCluster.schemaName(), text = PostgresCluster.schemaName()
        func ddl(_ s: String, _ date: String) -> String {
            """
            CREATE SCHEMA \(s);
            CREATE TABLE \(s).customers (customer_id text, name text, created_date \(date));
            INSERT INTO \(s).customers VALUES ('C1','Acme','2020-03-01'), ('C2','Bolt',NULL), ('C3','Cole','1066-10-14');
            CREATE TABLE \(s).invoices (invoice_id text, customer_id text, issue_date \(date), due_date \(date), amount text);
            INSERT INTO \(s).invoices VALUES ('I1','C1','2026-01-05','2026-02-04','100.00'), ('I2','C1',NULL,NULL,'10.00'),
              ('I3','C2','2026-01-07','1850-06-01','20.00'), ('I4','C2','2026-01-08','0044-03-15 BC','30.00'),
              ('I5','C1','2026-01-09','10000-01-01','40.00'), ('I6','C2','1899-12-31',NULL,'50.00'),
              ('I7','C2','2199-12-31',NULL,'60.00'), ('I8','C1','1900-01-01','1900-01-31','70.00'),
              ('I9','C1','2026-01-12','2026-02-11','abc');
            CREATE TABLE \(s).disputes (dispute_id text, invoice_id text, opened_date \(date), resolved_date \(date));
            INSERT INTO \(s).disputes VALUES ('D1','I1','2026-01-10','2026-01-07'), ('D2','I1','2026-01-11',NULL), ('D3','I8',NULL,NULL);
            CREATE TABLE \(s).fx_rates (date \(date), currency text, rate text);
            INSERT INTO \(s).fx_rates VALUES ('2026-01-01','EUR','1.1'), ('2026-01-01','EUR','1.2'), ('2300-01-01','EUR','1.0');
            """
        }
        try c.sql(ddl(typed, "date") + ddl(text, "text"))
        let csvFiles = [
            "customers.csv": "customer_id,name,created_date\nC1,Acme,2020-03-01\nC2,Bolt,\nC3,Cole,1066-10-14\n",
            "invoices.csv": "invoice_id,customer_id,issue_date,due_date,amount\nI1,C1,2026-01-05,2026-02-04,100.00\nI2,C1,,,10.00\nI3,C2,2026-01-07,1850-06-01,20.00\nI4,C2,2026-01-08,0044-03-15 BC,30.00\nI5,C1,2026-01-09,10000-01-01,40.00\nI6,C2,1899-12-31,,50.00\nI7,C2,2199-12-31,,60.00\nI8,C1,1900-01-01,1900-01-31,70.00\nI9,C1,2026-01-12,2026-02-11,abc\n",
            "disputes.csv": "dispute_id,invoice_id,opened_date,resolved_date\nD1,I1,2026-01-10,2026-01-07\nD2,I1,2026-01-11,\nD3,I8,,\n",
            "fx_rates.csv": "date,currency,rate\n2026-01-01,EUR,1.1\n2026-01-01,EUR,1.2\n2300-01-01,EUR,1.0\n",
            "arlens.yml": "base_currency: USD\n",
        ]
        let dir = tempDir(csvFiles)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let yml = dir + "/arlens.yml"
        func rejections(_ r: Run, key: Bool) throws -> [[String: String]] {
            let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            return (o["rejections"] as! [[String: Any]]).map { x in
                var d = x.compactMapValues { "\($0)" }
                if !key { d["key"] = nil }
                d["file"] = d["file"].map { $0.replacingOccurrences(of: "\(typed).", with: "").replacingOccurrences(of: "\(text).", with: "").replacingOccurrences(of: ".csv", with: "") }
                return d
            }
        }
        func check(_ label: String) throws {
            let a = try arlens(["validate", "--format", "json", "--data", c.url(schema: typed), "--config", yml])
            let b = try arlens(["validate", "--format", "json", "--data", c.url(schema: text), "--config", yml])
            let f = try arlens(["validate", "--format", "json", "--data", dir])
            #expect(a.status == 0 && b.status == 0 && f.status == 0, "\(label): \(a.stderr) \(b.stderr) \(f.stderr)")
            #expect(try rejections(a, key: true) == rejections(b, key: true), "\(label): \(a.stdout)")
            #expect(try rejections(a, key: false) == rejections(f, key: false), "\(label): \(a.stdout)")
            for args in [["kpi", "billings", "--format", "csv", "--no-pushdown"], ["aging", "--by", "customer", "--format", "json", "--no-pushdown"]] {
                let x = try arlens(args + ["--data", c.url(schema: typed), "--config", yml])
                let y = try arlens(args + ["--data", dir])
                #expect(x.status == 0 && x.stdout == y.stdout, "\(label) \(args): \(x.stderr)")
            }
        }
        try check("day numbers")
        // What the report says, word for word.
        let v = try arlens(["validate", "--data", c.url(schema: typed), "--config", yml])
        for line in [
            "\(typed).customers:4: row customer_id=C3: column 'created_date': '1066-10-14': date outside the accepted range 1900-01-01 to 2199-12-31\n",
            "\(typed).invoices:3: row invoice_id=I2: column 'issue_date': is empty, but required\n",
            "\(typed).invoices:4: row invoice_id=I3: column 'due_date': '1850-06-01': date outside the accepted range 1900-01-01 to 2199-12-31\n",
            "\(typed).invoices:5: row invoice_id=I4: column 'due_date': '0044-03-15 BC': not a date in the format YYYY-MM-DD\n",
            "\(typed).invoices:6: row invoice_id=I5: column 'due_date': '10000-01-01': not a date in the format YYYY-MM-DD\n",
            "\(typed).invoices:7: row invoice_id=I6: column 'issue_date': '1899-12-31': date outside the accepted range 1900-01-01 to 2199-12-31\n",
            "\(typed).disputes:2: row dispute_id=D1: column 'resolved_date': '2026-01-07': is before opened_date (2026-01-10)\n",
            "\(typed).disputes:4: row dispute_id=D3: column 'opened_date': is empty, but required\n",
            "\(typed).fx_rates:3: row currency=EUR, date=2026-01-01: column 'date': '2026-01-01': duplicate rate for EUR on this date (first on line 2)\n",
            "\(typed).fx_rates:4: row currency=EUR, date=2300-01-01: column 'date': '2300-01-01': date outside the accepted range 1900-01-01 to 2199-12-31\n",
        ] {
            #expect(v.stdout.contains(line), "\(line)\(v.stdout)")
        }
        // An infinite date cannot be a day number: the invoices are read with their dates as text.
        try c.sql("""
            INSERT INTO \(typed).invoices VALUES ('I99','C1','infinity','-infinity','5.00');
            INSERT INTO \(text).invoices VALUES ('I99','C1','infinity','-infinity','5.00');
            """)
        try FileManager.default.removeItem(atPath: dir + "/invoices.csv")
        try (csvFiles["invoices.csv"]! + "I99,C1,infinity,-infinity,5.00\n").write(toFile: dir + "/invoices.csv", atomically: true, encoding: .utf8)
        try check("an infinite date")
        let inf = try arlens(["validate", "--data", c.url(schema: typed), "--config", yml])
        #expect(inf.stdout.contains("\(typed).invoices:11: row invoice_id=I99: column 'issue_date': 'infinity': not a date in the format YYYY-MM-DD\n"), "\(inf.stdout)")
    }

    @Test func arlensYmlReadsAnERPSchemaThroughViewsAndQueries() throws {
        let c = PostgresCluster.cluster
        let s = PostgresCluster.schemaName("erp")
        try c.sql("""
            CREATE SCHEMA \(s);
            CREATE TABLE \(s).debtors (kunnr text PRIMARY KEY, name1 text, waers text);
            INSERT INTO \(s).debtors VALUES ('C1', 'Acme', 'EUR'), ('C2', 'Bolt', 'EUR');
            CREATE TABLE \(s).bsid (belnr text, kunnr text, bldat date, wrbtr numeric(15,2), shkzg char(1));
            INSERT INTO \(s).bsid VALUES ('9001','C1','2026-01-05',100,'S'), ('9002','C2','2026-01-20',250.5,'S'), ('9003','C1','2026-02-02',40,'H');
            CREATE VIEW \(s).open_items AS SELECT belnr, kunnr, bldat, wrbtr FROM \(s).bsid WHERE shkzg = 'S';
            """)
        let yml = """
            source: \(c.url(schema: s))
            mapping:
              invoices:
                table: \(s).open_items
                columns: {invoice_id: belnr, customer_id: kunnr, issue_date: bldat, amount: wrbtr}
              customers:
                query: "SELECT kunnr AS customer_id, name1 AS name, waers AS currency FROM \(s).debtors"
            """
        let dir = tempDir(["arlens.yml": yml])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try arlens(["kpi", "billings", "--format", "csv", "--data", dir])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.replacingOccurrences(of: "\r\n", with: "\n") == "metric,period,group,value,target,status\nbillings,2026-01,,350.50,,\n")
        let v = try arlens(["validate", "--format", "json", "--data", dir])
        #expect(v.stdout.contains("\"file\": \"\(s).open_items\""))
        #expect(v.stdout.contains("\"file\": \"mapping.customers.query\""))
    }

    /// Ledgers from the generator, several seeds and profiles: the server's aggregates equal
    /// the in-memory ones to the cent.
    @Test(arguments: [(7, "distributor"), (11, "wholesale"), (23, "distributor")])
    func pushdownEqualsInMemoryOnGeneratedLedgers(seed: Int, profile: String) throws {
        let c = PostgresCluster.cluster
        let dir = tempDir([:]) + "/ledger"
        defer { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }
        let g = try arlens(["generate", "--out", dir, "--seed", String(seed), "--customers", "40", "--months", "8", "--profile", profile, "--anomalies", "none"])
        #expect(g.status == 0, "\(g.stderr)")
        let s = "gen_\(seed)_\(profile)"
        let url = c.url(schema: s)
        let e = try arlens(["export", "--data", dir, "--to", url, "--replace"])
        #expect(e.status == 0, "\(e.stderr)")
        let cfg = FileManager.default.fileExists(atPath: dir + "/arlens.yml") ? ["--config", dir + "/arlens.yml"] : []
        // With the export's settlement columns, then without them (the statements join instead).
        #expect(try c.sql("SELECT count(*) FROM information_schema.columns WHERE table_schema = '\(s)' AND column_name LIKE 'arlens\\_%' AND column_name <> 'arlens_row'")
            .trimmingCharacters(in: .whitespacesAndNewlines) == "17")
        for settlementColumns in [true, false] {
            if !settlementColumns { _ = try c.sql(PostgresTests.dropSettlementColumns(s)) }
            for args in [["kpi", "ar,billings,collections,credit_memos,write_offs,bad_debt_ratio,turnover", "--by", "customer", "--format", "csv"],
                         ["kpi", "ar,billings", "--grain", "all", "--format", "csv"],
                         ["aging", "--by", "customer", "--format", "csv"],
                         ["aging", "--as-of", "2026-06-30", "--format", "csv"],
                         ["aging", "--as-of", "2026-04-15", "--by", "segment", "--basis", "issue", "--format", "csv"]] {
                let mem = try arlens(args + ["--data", dir])
                let pd = try arlens(args + ["--pushdown", "--data", url] + cfg)
                #expect(mem.status == 0 && pd.status == 0, "\(args): \(pd.stderr)")
                #expect(!pd.stderr.contains("computing in memory"), "\(args) fell back: \(pd.stderr)")
                #expect(pd.stdout == mem.stdout, "seed \(seed) \(profile) \(args) settlement columns \(settlementColumns) differs")
            }
        }
    }

    /// Drops the settlement columns `arlens export` adds (every `arlens_*` column but `arlens_row`).
    static func dropSettlementColumns(_ schema: String) -> String {
        """
        DO $$ DECLARE r record; BEGIN
          FOR r IN SELECT table_name, column_name FROM information_schema.columns
                   WHERE table_schema = '\(schema)' AND column_name LIKE 'arlens\\_%' AND column_name <> 'arlens_row' LOOP
            EXECUTE format('ALTER TABLE %I.%I DROP COLUMN %I', '\(schema)', r.table_name, r.column_name);
          END LOOP;
        END $$
        """
    }

    /// The settlement columns hold what the tables say: each payment's applications, each
    /// document's applications and credits, and each application's document and payment.
    @Test func exportWritesTheSettlementColumns() throws {
        _ = PostgresTests.sample
        let c = PostgresCluster.cluster
        let checks = [
            "SELECT count(*) FROM sample.payments p WHERE arlens_applied <> coalesce((SELECT sum(a.amount) FROM sample.applications a WHERE a.payment_id = p.payment_id), 0)",
            "SELECT count(*) FROM sample.invoices i WHERE arlens_settled <> coalesce((SELECT sum(a.amount) FROM sample.applications a WHERE a.invoice_id = i.invoice_id), 0) + coalesce((SELECT sum(x.amount) FROM sample.adjustments x WHERE x.invoice_id = i.invoice_id AND x.kind IN ('credit_memo', 'write_off')), 0)",
            "SELECT count(*) FROM sample.applications a JOIN sample.invoices i ON i.invoice_id = a.invoice_id JOIN sample.payments p ON p.payment_id = a.payment_id WHERE a.arlens_doc_customer IS DISTINCT FROM i.customer_id OR a.arlens_doc_date IS DISTINCT FROM i.issue_date OR a.arlens_doc_amount IS DISTINCT FROM i.amount OR a.arlens_doc_settled IS DISTINCT FROM i.arlens_settled OR a.customer_id IS DISTINCT FROM p.customer_id OR a.arlens_pay_date IS DISTINCT FROM p.received_date OR a.arlens_pay_amount IS DISTINCT FROM p.amount OR a.arlens_pay_applied IS DISTINCT FROM p.arlens_applied",
            "SELECT count(*) FROM sample.applications WHERE arlens_doc_date IS NULL OR arlens_pay_date IS NULL",
        ]
        for q in checks { #expect(try c.sql(q).trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(q)") }
        // Some applications do settle something: the sums are not all zero.
        #expect(try c.sql("SELECT count(*) > 1000 FROM sample.payments WHERE arlens_applied > 0").trimmingCharacters(in: .whitespacesAndNewlines) == "t")
        // Foreign documents carry their currency (the sample has EUR customers).
        #expect(try c.sql("SELECT count(*) > 0 FROM sample.applications WHERE arlens_doc_currency NOT IN ('USD')").trimmingCharacters(in: .whitespacesAndNewlines) == "t")
        // The facts --pushdown reads instead of scanning the tables: the ledger's first and last
        // days (of invoices, payments, adjustments, and applications' own dates), the first
        // document's day (invoices, debit memos and late fees), and nothing it cannot classify.
        let facts = try c.sql("""
            SELECT first_day = (SELECT least((SELECT min(issue_date) FROM sample.invoices), (SELECT min(received_date) FROM sample.payments), (SELECT min(date) FROM sample.adjustments))),
                   last_day = (SELECT greatest((SELECT max(issue_date) FROM sample.invoices), (SELECT max(received_date) FROM sample.payments),
                                               (SELECT max(date) FROM sample.adjustments), (SELECT max(applied_date) FROM sample.applications))),
                   first_document_day = (SELECT least((SELECT min(issue_date) FROM sample.invoices), (SELECT min(date) FROM sample.adjustments WHERE kind IN ('debit_memo', 'late_fee')))),
                   debits_naming_adjustments, unknown_adjustment_kinds, first_day IS NOT NULL
            FROM sample.arlens_settlement
            """).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(facts == "t|t|t|0|0|t", "\(facts)")
    }

    /// The sample without the settlement columns (a schema of the user's own, say): the
    /// pushdown joins the tables, with the same answers.
    @Test func pushdownWithoutTheSettlementColumnsEqualsTheInMemoryPath() throws {
        let c = PostgresCluster.cluster
        let url = c.url(schema: "sample_plain")
        let e = try arlens(["export", "--data", "datasets/sample", "--to", url, "--replace"])
        #expect(e.status == 0, "\(e.stderr)")
        _ = try c.sql(PostgresTests.dropSettlementColumns("sample_plain"))
        #expect(try c.sql("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'sample_plain' AND column_name LIKE 'arlens\\_%'").trimmingCharacters(in: .whitespacesAndNewlines) == "9")
        for args in [["kpi", "ar,billings,collections,credit_memos,write_offs,bad_debt_ratio,turnover", "--format", "csv"],
                     ["kpi", "ar,turnover", "--by", "currency", "--format", "csv"],
                     ["aging", "--by", "customer", "--format", "csv"],
                     ["aging", "--by", "segment", "--as-of", "2025-06-30", "--format", "csv"]] {
            let csv = try arlens(args + ["--data", "datasets/sample", "--config", PostgresTests.sampleConfig])
            let pd = try arlens(args + ["--pushdown", "--data", url, "--config", PostgresTests.sampleConfig])
            #expect(csv.status == 0 && pd.status == 0, "\(args): \(pd.stderr)")
            #expect(!pd.stderr.contains("computing in memory"), "\(args) fell back: \(pd.stderr)")
            #expect(pd.stdout == csv.stdout, "\(args) differs")
        }
    }

    /// A ledger changed after the export: the settlement columns no longer hold, the export's
    /// triggers mark them stale, and the pushdown joins the tables instead (saying so), with
    /// the answers of the changed tables read into memory.
    @Test func aLedgerChangedAfterTheExportIsNotReadFromStaleSettlementColumns() throws {
        let c = PostgresCluster.cluster
        let url = c.url(schema: "sample_changed")
        let e = try arlens(["export", "--data", "datasets/sample", "--to", url, "--replace"])
        #expect(e.status == 0, "\(e.stderr)")
        func stale() throws -> String { try c.sql("SELECT stale FROM sample_changed.arlens_settlement").trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(try stale() == "f")
        let args = ["aging", "--by", "customer", "--format", "csv", "--config", PostgresTests.sampleConfig]
        let before = try arlens(args + ["--pushdown", "--data", url])
        #expect(before.status == 0 && before.stderr.isEmpty, "\(before.stderr)")
        // The largest application goes: its document is open again, its payment unapplied.
        _ = try c.sql("DELETE FROM sample_changed.applications WHERE arlens_row = (SELECT arlens_row FROM sample_changed.applications ORDER BY amount DESC, arlens_row LIMIT 1)")
        #expect(try stale() == "t")
        for a in [args, ["kpi", "ar,billings,collections,credit_memos,write_offs,bad_debt_ratio,turnover", "--format", "csv", "--config", PostgresTests.sampleConfig]] {
            let mem = try arlens(a + ["--no-pushdown", "--data", url])
            let pd = try arlens(a + ["--pushdown", "--data", url])
            #expect(mem.status == 0 && pd.status == 0, "\(a): \(pd.stderr)")
            #expect(pd.stdout == mem.stdout, "\(a) differs from the changed tables read into memory")
            #expect(pd.stderr == "arlens: warning: --pushdown: sample_changed's tables changed since arlens export wrote its settlement columns: the server joins the tables instead (slower); export the ledger again to bring them up to date\n")
        }
        #expect(try arlens(args + ["--no-pushdown", "--data", url]).stdout != before.stdout, "the change moved no figure")
        // Exporting again makes the columns current.
        #expect(try arlens(["export", "--data", "datasets/sample", "--to", url, "--replace"]).status == 0)
        #expect(try stale() == "f")
        // TRUNCATE marks them too.
        _ = try c.sql("TRUNCATE sample_changed.disputes; TRUNCATE sample_changed.adjustments")
        #expect(try stale() == "t")
        // A change of the tables' layout fires no trigger: it is found by the layout's and
        // storage's fingerprints. Applications' dates replaced by one five months after the
        // ledger (a column dropped and added again), then the invoices' amounts doubled by a
        // rewrite that keeps their type: both read as the changed tables say.
        let kpi = ["kpi", "ar,collections", "--format", "csv", "--config", PostgresTests.sampleConfig]
        for change in ["ALTER TABLE sample_changed.applications DROP COLUMN applied_date; ALTER TABLE sample_changed.applications ADD COLUMN applied_date date DEFAULT '2027-03-31'",
                       "ALTER TABLE sample_changed.invoices ALTER COLUMN amount TYPE numeric USING amount * 2"] {
            #expect(try arlens(["export", "--data", "datasets/sample", "--to", url, "--replace"]).status == 0)
            _ = try c.sql(change)
            #expect(try stale() == "f")
            let mem = try arlens(kpi + ["--no-pushdown", "--data", url])
            let pd = try arlens(kpi + ["--pushdown", "--data", url])
            #expect(mem.status == 0 && pd.status == 0, "\(change): \(pd.stderr)")
            #expect(pd.stdout == mem.stdout, "\(change): the pushdown read what the export kept")
            #expect(pd.stderr.contains("tables changed since arlens export wrote its settlement columns"), "\(change): \(pd.stderr)")
        }
        // Columns with nothing to say they are current are not read either.
        #expect(try arlens(["export", "--data", "datasets/sample", "--to", url, "--replace"]).status == 0)
        _ = try c.sql("DROP TABLE sample_changed.arlens_settlement")
        let unguarded = try arlens(args + ["--pushdown", "--data", url])
        #expect(unguarded.stdout == before.stdout)
        #expect(unguarded.stderr == "arlens: warning: --pushdown: sample_changed has settlement columns but no arlens_settlement table to say they are current: the server joins the tables instead (slower); export the ledger again to use them\n")
    }
}
