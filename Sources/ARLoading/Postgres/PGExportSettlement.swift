import Foundation

/// The settlement columns `arlens export` adds for `--pushdown` (docs/postgresql.md, "The
/// export's settlement columns"): what each application and credit settles, and what each
/// payment and document has been settled by, so that the pushdown reads them from the row
/// instead of joining a million applications with a million documents.
///
/// Every column is the ledger's own data, resolved once, with nothing that depends on the
/// configuration: a currency is the document's or payment's own, else its customer's, and NULL
/// when neither has one (the pushdown reads NULL as the base currency, as it reads a customer
/// without a currency). A document is an invoice, or a debit memo or late fee (a debit naming
/// an invoice takes the invoice's currency); rows of unknown customers are not documents or
/// payments, as in the pushdown's joins.
///
/// - applications: `customer_id` (the payment's), `arlens_doc_customer`, `arlens_doc_date`,
///   `arlens_doc_amount`, `arlens_doc_currency`, `arlens_doc_settled` (of the document it
///   settles; NULL when there is no such document), `arlens_pay_date`, `arlens_pay_amount`,
///   `arlens_pay_currency`, `arlens_pay_applied` (of its payment; NULL when there is none);
/// - adjustments: `arlens_settled` (of the row as a document), and the `arlens_doc_*` columns
///   of the document a credit names;
/// - payments: `arlens_applied`, the sum of its applications;
/// - invoices: `arlens_settled`, the sum of its applications and of the credits naming it.
///
/// They describe the rows as exported. The export also writes `arlens_settlement` (one row,
/// `stale`, and the facts `PGPushdown.facts` would scan the tables for) and statement triggers on the five source tables that set `stale` on any change;
/// the pushdown reads the columns only while `stale` is false, and otherwise joins the tables
/// as it does without them (and says so). Exporting again makes them current.
extension PGExport {
    /// The settlement columns per table.
    public static let settlementColumns: [String: [String]] = [
        "applications": ["arlens_doc_customer", "arlens_doc_date", "arlens_doc_amount", "arlens_doc_currency", "arlens_doc_settled",
                         "arlens_pay_date", "arlens_pay_amount", "arlens_pay_currency", "arlens_pay_applied"],
        "adjustments": ["arlens_settled", "arlens_doc_customer", "arlens_doc_date", "arlens_doc_amount", "arlens_doc_currency", "arlens_doc_settled"],
        "payments": ["arlens_applied"],
        "invoices": ["arlens_settled"],
    ]

    /// Adds the applications' `customer_id` (always, with payments and applications) and the
    /// settlement columns (when customers, invoices, payments, applications and adjustments are
    /// all there and no adjustment has an invoice's id), inside the export's transaction and
    /// before the tables' keys and indexes. Each table that gains columns is written once more,
    /// with them, in `arlens_row` order (which the loader reads without a sort): an `UPDATE` of
    /// every row would write each row twice and leave them in the order of its joins (on the
    /// 1M-invoice ledger the updates and the rewrite after them took 27 s of the export's 45 s).
    /// Returns whether the settlement columns were written.
    @discardableResult
    static func addSettlement(_ conn: PGConnection, _ loc: PGLocation, tables: Set<String>) throws(LoadError) -> Bool {
        func q(_ t: String) -> String { loc.qualified(t) }
        let what = "\(loc.schema).applications"
        guard tables.contains("applications") && tables.contains("payments") else { return false }
        let a = q("applications"), p = q("payments")
        // Writes `table` again as `select` (whose rows come from the table as `x`), in arlens_row order.
        func rebuild(_ table: String, _ select: String) -> String {
            let tmp = q("arlens_rebuilt_" + table), rel = q(table)
            return """
                CREATE TABLE \(tmp) AS \(select) ORDER BY x.arlens_row;
                DROP TABLE \(rel); ALTER TABLE \(tmp) RENAME TO \(PG.ident(table));
                ALTER TABLE \(rel) ALTER COLUMN arlens_row SET NOT NULL
                """
        }
        // The joins hash a million rows each: in memory, not in batches on disk (this
        // transaction only; a larger setting is kept).
        if let kb = (try? conn.exec("SELECT setting::bigint FROM pg_settings WHERE name = 'work_mem'"))?.rows.first?.first ?? nil,
           let n = Int(kb), n < 256 * 1024 {
            try conn.exec("SET LOCAL work_mem = '256MB'", what: what)
        }
        // The tables were just written: the planner needs their statistics for the joins.
        try conn.exec("ANALYZE " + ["customers", "invoices", "payments", "applications", "adjustments"].filter(tables.contains).map(q).joined(separator: ", "), what: what)
        // Optional columns a table may lack (NULL in their place).
        let present = Set(try conn.exec("""
            SELECT table_name || '.' || column_name FROM information_schema.columns
            WHERE table_schema = \(PG.literal(loc.schema)) AND column_name IN ('currency', 'invoice_id')
            """).rows.compactMap { $0.first ?? nil })
        // A document is found by its id among invoices and adjustments: an id in both, and
        // the columns are not written (the pushdown joins instead).
        var usable = ["customers", "invoices", "adjustments"].allSatisfy(tables.contains) && present.contains("adjustments.invoice_id")
        if usable {
            let clash = try conn.exec("SELECT count(*) FROM \(q("adjustments")) a JOIN \(q("invoices")) i ON i.invoice_id = a.adjustment_id")
            usable = (clash.rows.first?.first ?? nil) == "0"
        }
        guard usable else {
            try conn.exec(rebuild("applications", "SELECT x.*, pr.customer_id::text AS customer_id FROM \(a) x LEFT JOIN \(p) pr ON pr.payment_id = x.payment_id"),
                          what: what)
            return false
        }
        let i = q("invoices"), adj = q("adjustments"), c = q("customers")
        func norm(_ x: String) -> String {
            let parts = x.split(separator: ".")
            let table = ["i": "invoices", "c": "customers", "ci": "customers", "p": "payments"][String(parts[0])]!
            return present.contains("\(table).\(parts[1])") ? "upper(nullif(btrim(\(x)), ''))" : "NULL::text"
        }
        // A settlement column as the pushdown reads it: dates are dates, customers and
        // currencies text, amounts numeric.
        func col(_ expr: String, _ name: String) -> String {
            let type = name.hasSuffix("_date") ? "date" : name.hasSuffix("_customer") || name.hasSuffix("_currency") ? "text" : "numeric"
            return "(\(expr))::\(type) AS \(name)"
        }
        let cols = settlementColumns
        func columns(_ table: String, _ exprs: [String]) -> String {
            zip(exprs, cols[table]!).map { col($0, $1) }.joined(separator: ", ")
        }
        // What an application's document and payment are (NULL unless both are known, the
        // payment's customer too: `arlens_pays` has every payment, `known` when its customer is).
        let known = "d.doc_id IS NOT NULL AND pp.known"
        try conn.exec("""
            CREATE TEMP TABLE arlens_docs ON COMMIT DROP AS
              SELECT i.invoice_id AS doc_id, i.customer_id, i.issue_date AS d, i.amount, coalesce(\(norm("i.currency")), \(norm("c.currency"))) AS cur
              FROM \(i) i JOIN \(c) c ON c.customer_id = i.customer_id
              UNION ALL
              SELECT a.adjustment_id, a.customer_id, a.date, a.amount,
                     CASE WHEN i.invoice_id IS NOT NULL AND (\(norm("i.currency")) IS NOT NULL OR ci.customer_id IS NOT NULL)
                          THEN coalesce(\(norm("i.currency")), \(norm("ci.currency"))) ELSE \(norm("c.currency")) END
              FROM \(adj) a JOIN \(c) c ON c.customer_id = a.customer_id
              LEFT JOIN \(i) i ON i.invoice_id = a.invoice_id LEFT JOIN \(c) ci ON ci.customer_id = i.customer_id
              WHERE lower(btrim(a.kind)) IN ('debit_memo', 'late_fee');
            CREATE TEMP TABLE arlens_settled ON COMMIT DROP AS
              SELECT doc_id, sum(amount) AS settled FROM (
                SELECT invoice_id AS doc_id, amount FROM \(a)
                UNION ALL
                SELECT a.invoice_id, a.amount FROM \(adj) a JOIN \(c) c ON c.customer_id = a.customer_id
                WHERE lower(btrim(a.kind)) IN ('credit_memo', 'write_off') AND a.invoice_id IS NOT NULL) x
              GROUP BY 1;
            CREATE TEMP TABLE arlens_applied ON COMMIT DROP AS SELECT payment_id, sum(amount) AS applied FROM \(a) GROUP BY 1;
            CREATE TEMP TABLE arlens_pays ON COMMIT DROP AS
              SELECT p.payment_id, p.customer_id, c.customer_id IS NOT NULL AS known, p.received_date AS d, p.amount,
                     coalesce(\(norm("p.currency")), \(norm("c.currency"))) AS cur, coalesce(x.applied, 0) AS applied
              FROM \(p) p LEFT JOIN \(c) c ON c.customer_id = p.customer_id LEFT JOIN arlens_applied x ON x.payment_id = p.payment_id;
            ANALYZE arlens_docs, arlens_settled, arlens_applied, arlens_pays;
            \(rebuild("payments", "SELECT x.*, \(columns("payments", ["coalesce(s.applied, 0)"])) FROM \(p) x LEFT JOIN arlens_applied s ON s.payment_id = x.payment_id"));
            \(rebuild("invoices", "SELECT x.*, \(columns("invoices", ["coalesce(s.settled, 0)"])) FROM \(i) x LEFT JOIN arlens_settled s ON s.doc_id = x.invoice_id"));
            \(rebuild("adjustments", """
              SELECT x.*, \(columns("adjustments", ["coalesce(s.settled, 0)", "d.customer_id", "d.d", "d.amount", "d.cur",
                                                    "CASE WHEN d.doc_id IS NOT NULL THEN coalesce(ds.settled, 0) END"]))
              FROM \(adj) x LEFT JOIN arlens_settled s ON s.doc_id = x.adjustment_id
              LEFT JOIN arlens_docs d ON d.doc_id = x.invoice_id LEFT JOIN arlens_settled ds ON ds.doc_id = x.invoice_id
              """));
            -- Every application's document has a total (its own amount at least); an application
            -- whose document or payment is not known (or its payment's customer) has the payment's
            -- customer only.
            \(rebuild("applications", """
              SELECT x.*, pp.customer_id::text AS customer_id,
                     \(columns("applications", ["d.customer_id", "d.d", "d.amount", "d.cur", "ds.settled", "pp.d", "pp.amount", "pp.cur", "pp.applied"]
                                                .map { "CASE WHEN \(known) THEN \($0) END" }))
              FROM \(a) x LEFT JOIN arlens_pays pp ON pp.payment_id = x.payment_id
              LEFT JOIN arlens_docs d ON d.doc_id = x.invoice_id LEFT JOIN arlens_settled ds ON ds.doc_id = x.invoice_id
              """))
            """, what: what)
        return true
    }

    /// The table that says whether the settlement columns still describe the rows: one row,
    /// `stale` false when the export wrote them, with the ledger's facts then
    /// (`PGPushdown.factColumns`).
    static let stateTable = "arlens_settlement"
    /// The tables whose rows the settlement columns are computed from.
    static let settlementSources = ["customers", "invoices", "payments", "applications", "adjustments"]

    /// What the triggers cannot see, as two fingerprints of `schema`'s source tables (the
    /// export keeps them in the state table; `PGPushdown.layout` compares them): their layout
    /// (each table's identity, its columns with their numbers and types, whether other tables
    /// inherit from it: a column dropped and added again, a type changed, a table replaced, a
    /// child table), and their storage (each one's file: a table rewritten by `ALTER TABLE ...
    /// TYPE ... USING` keeps its type but not its file). A schema change fires no trigger.
    /// The storage is not compared on Citus, where distributing a table moves its rows.
    static func signatureQuery(schema: String) -> String {
        """
        SELECT md5(string_agg(c.relname || ':' || c.oid::text || ':' || coalesce((SELECT string_agg(a.attnum || ' ' || a.attname || ' ' || a.atttypid::text, ',' ORDER BY a.attnum)
                   FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '') || ':'
                   || EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhparent = c.oid)::text, ';' ORDER BY c.relname)),
               md5(string_agg(c.relname || ':' || c.relfilenode::text, ';' ORDER BY c.relname))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = \(PG.literal(schema)) AND c.relkind IN ('r', 'p')
          AND c.relname IN (\(settlementSources.map(PG.literal).joined(separator: ", ")))
        """
    }

    /// After the columns are written (and the tables in their final form): the state table, and
    /// a trigger on each source table that marks the columns stale on any INSERT, UPDATE,
    /// DELETE or TRUNCATE, so that a ledger changed after the export is aggregated by joining
    /// its tables (as one without the columns) instead of from columns that no longer hold.
    static func guardSettlement(_ conn: PGConnection, _ loc: PGLocation, tables: Set<String>) throws(LoadError) {
        let state = loc.qualified(stateTable)
        let fn = loc.qualified("arlens_settlement_stale")
        // With the facts `--pushdown` reads of the tables before its statements (the ledger's
        // span, what it cannot classify): current while the columns are.
        let appliedDate = !(try conn.exec("""
            SELECT 1 FROM information_schema.columns WHERE table_schema = \(PG.literal(loc.schema))
              AND table_name = 'applications' AND column_name = 'applied_date'
            """).rows.isEmpty)
        let facts = PGPushdown.factsQuery(loc.qualified, payments: true, adjustments: true, appliedDate: appliedDate, adjustmentDocument: true)
        let f = PGPushdown.factColumns
        var sql = """
            DROP TABLE IF EXISTS \(state);
            CREATE TABLE \(state) (stale boolean NOT NULL, exported timestamptz NOT NULL DEFAULT now(),
              \(f[0]) date, \(f[1]) date, \(f[2]) date, \(f[3]) bigint, \(f[4]) bigint, layout text, storage text);
            INSERT INTO \(state) (stale, \(f.joined(separator: ", ")), layout, storage)
              SELECT false, f.*, g.* FROM (\(facts)) f, (\(signatureQuery(schema: loc.schema))) g;
            CREATE OR REPLACE FUNCTION \(fn)() RETURNS trigger LANGUAGE plpgsql AS
              $arlens$ BEGIN UPDATE \(state) SET stale = true WHERE NOT stale; RETURN NULL; END $arlens$;
            """
        for t in settlementSources where tables.contains(t) {
            let trigger = PG.ident("arlens_settlement_stale_" + t)
            sql += "\nCREATE TRIGGER \(trigger) AFTER INSERT OR UPDATE OR DELETE ON \(loc.qualified(t)) FOR EACH STATEMENT EXECUTE FUNCTION \(fn)();"
            sql += "\nCREATE TRIGGER \(PG.ident("arlens_settlement_truncate_" + t)) AFTER TRUNCATE ON \(loc.qualified(t)) FOR EACH STATEMENT EXECUTE FUNCTION \(fn)();"
        }
        try conn.exec(sql, what: "\(loc.schema).\(stateTable)")
    }
}
