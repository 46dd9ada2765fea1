import ARModel
import Foundation

/// Aggregation on the server (`--pushdown`): set-based SQL over the tables `arlens export`
/// writes, returning only per-customer × month (× bucket) sums in base-currency minor units.
///
/// The rules are the in-memory ones (metrics.md, ARModel/Settlement.swift), written as SQL:
/// - a document's currency is its own, else its customer's (a debit memo or credit naming an
///   invoice takes the invoice's); it converts at the latest rate on or before its date, a
///   foreign amount rounded half away from zero to the base currency's digits, item by item,
///   as `ExchangeRate.convert` does;
/// - an application takes effect on the latest of its applied date (else the payment's date),
///   the payment's date and the document's date; a credit's allocation on the later of its date
///   and its document's;
/// - an open balance at a date is the amount less what took effect by then, converted at the
///   document's own rate (so FX is measured per open item, as the sweep does).
///
/// What the SQL cannot reproduce is checked first (`Facts.blockers`): applications or credits
/// beyond what a payment or document has (the settlement caps, applied in order in memory),
/// payments without applications (automatic cash application), invoices with paid_date, a
/// ledger without a customer table, a debit memo naming another adjustment. When any holds,
/// the caller says why and computes in memory.
///
/// Every join is on a key that includes customer_id or leads to a row of the same customer, and
/// every aggregate groups by customer_id first: on Citus, with the tables distributed by
/// customer_id and co-located, each shard aggregates its own customers (docs/scale-out.md).
public struct PGPushdown: Sendable {
    public let location: PGLocation
    let conn: PGConnection
    public let base: Currency
    public let defaultTerms: Int
    /// Whether the server is a Citus coordinator (the tables may be distributed by customer_id).
    let citus: Bool

    public init(_ location: PGLocation, base: Currency, defaultTerms: Int) throws(LoadError) {
        self.location = location
        let conn = try PGConnection(location)
        self.base = base
        self.defaultTerms = defaultTerms
        let citus = (try? conn.exec("SELECT 1 FROM pg_extension WHERE extname = 'citus'").rows.isEmpty == false) ?? false
        self.citus = citus
        self.conn = PGPushdown.session(conn, citus: citus)
    }

    /// The session settings of a connection that runs the statements (this connection only;
    /// none needs a privilege):
    /// - jit off: these statements are long and their costs high, so the JIT compiler would
    ///   spend most of the time compiling them (38 s of a 54 s statement on 100k invoices);
    /// - work_mem at least 256 MB: the per-customer × month and per-document hash tables
    ///   stay in memory instead of spilling to temporary files;
    /// - hash joins only: the planner's row estimates through the CTEs are poor, and a
    ///   nested loop it picks on an estimate of one row (an application per document, each
    ///   probing a union of invoices and adjustments) ran for minutes on 1M invoices.
    /// A server without one of these settings (JIT before PostgreSQL 11) keeps its default.
    static func session(_ conn: PGConnection, citus: Bool) -> PGConnection {
        _ = try? conn.exec("SET jit = off")
        if let kb = (try? conn.exec("SELECT setting::bigint FROM pg_settings WHERE name = 'work_mem'"))?.rows.first?.first ?? nil,
           let n = Int(kb), n < 256 * 1024 {
            _ = try? conn.exec("SET work_mem = '256MB'")
        }
        if !citus {
            _ = try? conn.exec("SET enable_nestloop = off")
            _ = try? conn.exec("SET enable_mergejoin = off")
            // The statements of a command run at once, each on its own connection: they are
            // the parallelism. Parallel workers on top starved the longest statement (1M
            // ledger, 2 cores: kpi 6.4-6.7 s with them, 5.0-5.6 s without).
            _ = try? conn.exec("SET max_parallel_workers_per_gather = 0")
        }
        return conn
    }

    /// The number of invoices in the location's schema, from the server's statistics (an
    /// estimate kept by ANALYZE and autovacuum), or counted when the table has none; 0 when
    /// there is no invoices table.
    public static func invoiceCount(_ location: PGLocation) throws(LoadError) -> Int {
        let conn = try PGConnection(location)
        let rel = PG.literal(location.qualified("invoices"))
        guard let est = try conn.exec("SELECT c.reltuples::bigint FROM pg_class c WHERE c.oid = to_regclass(\(rel))").rows.first?.first,
              let n = Int(est ?? "") else { return 0 }
        if n >= 0 { return n }
        return Int(try conn.exec("SELECT count(*) FROM \(location.qualified("invoices"))").rows[0][0] ?? "0") ?? 0
    }

    func t(_ name: String) -> String { location.qualified(name) }
    func exists(_ name: String) throws(LoadError) -> Bool {
        (try conn.exec("SELECT to_regclass(\(PG.literal(t(name))))").rows.first?.first ?? nil) != nil
    }
    func hasColumn(_ table: String, _ column: String) throws(LoadError) -> Bool {
        let q = "SELECT 1 FROM information_schema.columns WHERE table_schema = \(PG.literal(location.schema)) AND table_name = \(PG.literal(table)) AND column_name = \(PG.literal(column))"
        return !(try conn.exec(q).rows.isEmpty)
    }

    /// What the ledger spans, and what keeps it from being aggregated on the server.
    public struct Facts: Sendable {
        public var firstDay: Day?
        public var lastDay: Day?
        public var firstDocumentMonth: YearMonth?
        public var blockers: [String] = []
        /// What the user should know although the server can answer (slower statements).
        public var notes: [String] = []
    }

    /// The tables and columns the statements read (optional ones replaced by empty relations).
    struct Layout {
        var hasAdj = false, hasApps = false, hasPay = false, hasFx = false
        var invCur = "NULL", invDue = "NULL::date", custCur = "NULL", custTerms = "NULL::integer"
        var payCur = "NULL", appDate = "NULL::date", appCustomer = false, adjDoc = "NULL::text"
        /// The export's settlement columns are there (PGExportSettlement.swift): the statements
        /// read what each application and credit settles from its row instead of joining.
        var settled = false
        /// The columns are there but the tables changed since the export wrote them (or no
        /// `arlens_settlement` says they are current: `settledUnguarded`).
        var settledStale = false, settledUnguarded = false
    }

    func layout() throws(LoadError) -> Layout {
        var l = Layout()
        l.hasAdj = try exists("adjustments"); l.hasApps = try exists("applications"); l.hasPay = try exists("payments")
        l.hasFx = try exists("fx_rates")
        if try hasColumn("invoices", "currency") { l.invCur = "i.currency" }
        if try hasColumn("invoices", "due_date") { l.invDue = "i.due_date" }
        if try hasColumn("customers", "currency") { l.custCur = "upper(nullif(btrim(c.currency), ''))" }
        if try hasColumn("customers", "terms_days") { l.custTerms = "c.terms_days" }
        if l.hasPay, try hasColumn("payments", "currency") { l.payCur = "p.currency" }
        if l.hasApps, try hasColumn("applications", "applied_date") { l.appDate = "a.applied_date" }
        if l.hasApps, try hasColumn("applications", "customer_id") { l.appCustomer = true }
        if l.hasAdj, try hasColumn("adjustments", "invoice_id") { l.adjDoc = "a.invoice_id" }
        if l.hasAdj && l.hasApps && l.hasPay && l.appCustomer && l.adjDoc != "NULL::text" {
            let want = PGExport.settlementColumns.flatMap { t, cols in cols.map { "(\(PG.literal(t)), \(PG.literal($0)))" } }
            let q = "SELECT count(*) FROM information_schema.columns WHERE table_schema = \(PG.literal(location.schema)) AND (table_name, column_name) IN (\(want.joined(separator: ", ")))"
            l.settled = (try conn.exec(q).rows.first?.first ?? nil) == String(want.count)
            if l.settled {
                // Only while no table they come from has changed since (PGExport.guardSettlement).
                if try exists(PGExport.stateTable) {
                    let state = try conn.exec("SELECT bool_or(stale) FROM \(t(PGExport.stateTable))").rows.first?.first ?? nil
                    if state != "f" { l.settled = false; l.settledStale = true }
                    // Nor after a change of the tables' layout, which fires no trigger.
                    if l.settled, try hasColumn(PGExport.stateTable, "layout") {
                        let kept = try conn.exec("SELECT layout, storage FROM \(t(PGExport.stateTable))").rows.first ?? []
                        let now = try conn.exec(PGExport.signatureQuery(schema: location.schema)).rows.first ?? []
                        if kept.count != 2 || now.count != 2 || kept[0] != now[0] || (!citus && kept[1] != now[1]) {
                            l.settled = false; l.settledStale = true
                        }
                    }
                } else {
                    l.settled = false; l.settledUnguarded = true
                }
            }
        }
        return l
    }

    /// The minor units of the base currency in one unit (100 for USD).
    var pow: Int64 { Money.powersOfTen[base.minorDigits] }

    /// A currency column normalised (trimmed, upper case), else `fallback`: the exact base code
    /// is compared first, which spares the string functions on most rows.
    func currency(_ column: String, else fallback: String) -> String {
        let b = PG.literal(base.code)
        if column == "NULL" { return fallback }
        return "CASE WHEN \(column) = \(b) THEN \(b) ELSE coalesce(upper(nullif(btrim(\(column)), '')), \(fallback)) END"
    }

    /// The shared definitions, each inlined where a statement reads it: customers, the
    /// day-by-day rates, documents (invoices and debit adjustments) and payments with their
    /// currencies, and the adjustments. `last` is the ledger's last day (the rates are spelled
    /// out day by day up to it).
    ///
    /// The rates are keyed by one text column, `currency:day`, unique by its DISTINCT: the
    /// planner then knows each key matches one rate and hashes the few thousand rates, not the
    /// million documents probing them. Only foreign items probe (a base item's key is NULL).
    func defs(_ l: Layout, last: Day) -> String {
        let b = PG.literal(base.code)
        let adj = l.hasAdj ? t("adjustments") : "(SELECT NULL::text AS adjustment_id, NULL::text AS customer_id, NULL::date AS date, NULL::text AS kind, NULL::numeric AS amount, NULL::text AS invoice_id WHERE false)"
        let pay = l.hasPay ? t("payments") : "(SELECT NULL::text AS payment_id, NULL::text AS customer_id, NULL::date AS received_date, NULL::numeric AS amount, NULL::text AS currency WHERE false)"
        let fx = l.hasFx ? t("fx_rates") : "(SELECT NULL::text AS currency, NULL::date AS date, NULL::numeric AS rate WHERE false)"
        return """
        cust AS NOT MATERIALIZED (
          SELECT c.customer_id, coalesce(\(l.custCur), \(b)) AS cur, coalesce(\(l.custTerms), \(defaultTerms)) AS terms
          FROM \(t("customers")) c),
        -- Each foreign currency's rate on every day from its first rate to the ledger's last day
        -- (the latest rate on or before the day): an equality join instead of a search per item.
        fx AS NOT MATERIALIZED (
          SELECT DISTINCT ON (k) k, rate FROM (
            SELECT r.cur || ':' || g.d::date::text AS k, r.rate
            FROM (SELECT cur, lo, coalesce(lead(lo) OVER (PARTITION BY cur ORDER BY lo) - 1, DATE '\(last)') AS hi, rate
                  FROM (SELECT DISTINCT ON (upper(btrim(currency)), date) upper(btrim(currency)) AS cur, date AS lo, rate
                        FROM \(fx) WHERE upper(btrim(currency)) <> \(b) ORDER BY 1, 2) x) r
            CROSS JOIN LATERAL generate_series(r.lo, greatest(r.hi, r.lo), interval '1 day') g(d)) y
          ORDER BY k),
        inv AS NOT MATERIALIZED (
          SELECT i.customer_id, i.invoice_id AS doc_id, i.issue_date AS d, coalesce(\(l.invDue), i.issue_date + k.terms) AS due,
                 i.amount, \(currency(l.invCur, else: "k.cur")) AS cur, 1 AS fk, \(l.settled ? "i.arlens_settled" : "NULL::numeric") AS settled,
                 \(l.invCur == "NULL" ? "NULL::text" : l.invCur) AS rc
          FROM \(t("invoices")) i JOIN cust k ON k.customer_id = i.customer_id),
        adj AS NOT MATERIALIZED (
          SELECT a.customer_id, a.adjustment_id, a.date AS d, lower(btrim(a.kind)) AS kind, a.amount, \(l.adjDoc) AS doc_ref,
                 k.cur AS ccur, k.terms\(l.settled ? """
            , a.arlens_settled AS settled, a.arlens_doc_customer AS s_doc_customer, a.arlens_doc_date AS s_doc_d,
                     a.arlens_doc_amount AS s_doc_amount, CASE WHEN a.arlens_doc_date IS NOT NULL THEN coalesce(a.arlens_doc_currency, \(b)) END AS s_doc_cur, a.arlens_doc_settled AS s_doc_settled
            """ : ", NULL::numeric AS settled")
          FROM \(adj) a JOIN cust k ON k.customer_id = a.customer_id),
        deb AS NOT MATERIALIZED (
          SELECT a.customer_id, a.adjustment_id AS doc_id, a.d, a.d + a.terms AS due, a.amount,
                 coalesce(\(l.settled ? "CASE WHEN a.s_doc_d IS NOT NULL THEN a.s_doc_cur ELSE " : "")(SELECT \(currency(l.invCur, else: "(SELECT k.cur FROM cust k WHERE k.customer_id = i.customer_id)")) FROM \(t("invoices")) i
                           WHERE i.invoice_id = a.doc_ref)\(l.settled ? " END" : ""), a.ccur) AS cur,
                 CASE a.kind WHEN 'debit_memo' THEN 2 ELSE 3 END AS fk, a.settled, NULL::text AS rc
          FROM adj a WHERE a.kind IN ('debit_memo', 'late_fee')),
        docs AS NOT MATERIALIZED (SELECT * FROM inv UNION ALL SELECT * FROM deb),
        pays AS NOT MATERIALIZED (
          SELECT p.customer_id, p.payment_id, p.received_date AS d, p.amount, \(currency(l.payCur, else: "k.cur")) AS cur,
                 \(l.settled ? "p.arlens_applied" : "NULL::numeric") AS applied, \(l.payCur == "NULL" ? "NULL::text" : l.payCur) AS rc
          FROM \(pay) p JOIN cust k ON k.customer_id = p.customer_id)
        """
    }

    /// `inner` (with `cur` and `d`) and its rate: NULL for the base currency, else the rate on
    /// `d` (1 when there is none, as in memory).
    func rated(_ inner: String) -> String {
        let b = PG.literal(base.code)
        return "SELECT x.*, CASE WHEN x.cur = \(b) THEN NULL ELSE coalesce(r.rate, 1) END AS rate FROM (\(inner)) x "
            + "LEFT JOIN fx r ON r.k = CASE WHEN x.cur <> \(b) THEN x.cur || ':' || x.d::text END"
    }

    /// The applications with their payment's customer (the export's `customer_id`, else the
    /// payment's), payment, document, amount and own date.
    func appsSource(_ l: Layout) -> String {
        guard l.hasApps else {
            return "(SELECT NULL::text AS pay_customer, NULL::text AS payment_id, NULL::text AS invoice_id, NULL::numeric AS amount, NULL::date AS applied_date WHERE false)"
        }
        if l.appCustomer {
            return "(SELECT a.customer_id AS pay_customer, a.payment_id, a.invoice_id, a.amount, \(l.appDate) AS applied_date FROM \(t("applications")) a)"
        }
        let pay = l.hasPay ? t("payments") : "(SELECT NULL::text AS payment_id, NULL::text AS customer_id WHERE false)"
        return "(SELECT p.customer_id AS pay_customer, a.payment_id, a.invoice_id, a.amount, \(l.appDate) AS applied_date FROM \(t("applications")) a JOIN \(pay) p ON p.payment_id = a.payment_id)"
    }

    /// Applications with their payment and document: customers, rates and effective date.
    func appJoin(_ l: Layout) -> String {
        """
          SELECT a.pay_customer, dd.customer_id AS doc_customer, a.payment_id, dd.doc_id, a.amount,
                 greatest(coalesce(a.applied_date, p.d), p.d, dd.d) AS eff, p.rate AS pay_rate, dd.rate AS doc_rate
          FROM \(appsSource(l)) a JOIN (\(rated("SELECT * FROM pays"))) p ON p.customer_id = a.pay_customer AND p.payment_id = a.payment_id
          JOIN (\(rated("SELECT * FROM docs"))) dd ON dd.doc_id = a.invoice_id
          """
    }

    /// The ledger's dates and what keeps it from being aggregated here (the settlement caps
    /// are checked by each statement, on the items it needs).
    public func facts() throws(LoadError) -> Facts {
        var f = Facts()
        guard try exists("customers") else {
            f.blockers.append("there is no customers table (customers are made from the other tables in memory)")
            return f
        }
        for table in ["invoices", "payments", "applications", "adjustments", "customers", "fx_rates"] where try exists(table) {
            guard try hasColumn(table, "arlens_row") else {
                f.blockers.append("\(location.schema).\(table) is not in the layout arlens export writes")
                return f
            }
        }
        if try hasColumn("invoices", "paid_date") {
            let n = try conn.exec("SELECT count(*) FROM \(t("invoices")) WHERE paid_date IS NOT NULL").rows[0][0] ?? "0"
            if n != "0" { f.blockers.append("invoices carry paid_date (payments are derived from them in memory)") }
        }
        let l = try layout()
        if l.settledUnguarded {
            f.notes.append("\(location.schema) has settlement columns but no \(PGExport.stateTable) table to say they are current: the server joins the tables instead (slower); export the ledger again to use them")
        }
        if l.settledStale {
            f.notes.append("\(location.schema)'s tables changed since arlens export wrote its settlement columns: the server joins the tables instead (slower); export the ledger again to bring them up to date")
        }
        if l.hasPay && !l.hasApps {
            let n = try conn.exec("SELECT count(*) FROM \(t("payments"))").rows[0][0] ?? "0"
            if n != "0" { f.blockers.append("payments have no applications table (cash is applied automatically in memory)") }
        }
        // The export keeps these facts beside its settlement columns (current while `settled`):
        // a row read instead of a scan of every table.
        let sql: String
        if l.settled, try hasColumn(PGExport.stateTable, "last_day") {
            sql = "SELECT \(PGPushdown.factColumns.joined(separator: ", ")) FROM \(t(PGExport.stateTable))"
        } else {
            sql = PGPushdown.factsQuery(t, payments: l.hasPay, adjustments: l.hasAdj,
                                         appliedDate: l.hasApps && l.appDate != "NULL::date", adjustmentDocument: l.adjDoc != "NULL::text")
        }
        let r = try conn.exec(sql, what: "pushdown").rows[0]
        f.firstDay = r[0].flatMap { Day(iso: $0) }
        f.lastDay = r[1].flatMap { Day(iso: $0) }
        f.firstDocumentMonth = r[2].flatMap { Day(iso: $0) }?.yearMonth
        if r[3] != "0" { f.blockers.append("\(r[3]!) debit memos or late fees name another adjustment") }
        if r[4] != "0" { f.blockers.append("\(r[4]!) adjustments have a kind the server cannot classify") }
        return f
    }

    /// The names `factsQuery`'s values are kept under in the export's state table.
    static let factColumns = ["first_day", "last_day", "first_document_day", "debits_naming_adjustments", "unknown_adjustment_kinds"]

    /// What `facts` reads of the tables (`t` qualifies a table's name): the first and last days
    /// of the ledger, the first day of a document, the debit memos or late fees that name an
    /// adjustment, the adjustments of a kind the statements cannot classify. The span comes
    /// from the tables themselves (one scan each): an application takes effect on the latest of
    /// its own date, its payment's and its document's, so only its own date can go further.
    /// Credits naming no document are counted by each statement, which joins the credits to
    /// their documents anyway.
    static func factsQuery(_ t: (String) -> String, payments: Bool, adjustments: Bool, appliedDate: Bool, adjustmentDocument: Bool) -> String {
        var span = ["SELECT 'i' AS k, min(issue_date) AS lo, max(issue_date) AS hi FROM \(t("invoices"))"]
        if payments { span.append("SELECT 'p', min(received_date), max(received_date) FROM \(t("payments"))") }
        if adjustments {
            span.append("SELECT CASE WHEN kind IN ('debit_memo', 'late_fee') THEN 'd' ELSE 'c' END, min(date), max(date) FROM adj GROUP BY 1")
        }
        if appliedDate { span.append("SELECT 'x', NULL::date, max(applied_date) FROM \(t("applications"))") }
        let adj = adjustments ? t("adjustments") : "(SELECT NULL::text AS adjustment_id, NULL::date AS date, NULL::text AS kind, NULL::text AS invoice_id WHERE false)"
        let adjDoc = adjustmentDocument ? "invoice_id" : "NULL::text"
        return """
        WITH adj AS NOT MATERIALIZED (SELECT adjustment_id, date, lower(btrim(kind)) AS kind, \(adjDoc) AS doc_ref FROM \(adj)),
        span AS MATERIALIZED (\(span.joined(separator: " UNION ALL ")))
        SELECT (SELECT min(lo) FROM span), (SELECT max(hi) FROM span), (SELECT min(lo) FROM span WHERE k IN ('i', 'd')),
          (SELECT count(*) FROM adj a JOIN adj b2 ON b2.adjustment_id = a.doc_ref WHERE a.kind IN ('debit_memo', 'late_fee')),
          (SELECT count(*) FROM adj WHERE kind NOT IN ('credit_memo', 'write_off', 'debit_memo', 'late_fee'))
        """
    }

    static func capBlockers(payments: String?, documents: String?, orphans: String? = nil) -> [String] {
        var out: [String] = []
        if let n = orphans, n != "0" { out.append("\(n) credits name a document that is not there") }
        if let n = payments, n != "0" { out.append("\(n) payments are applied beyond their amount (the settlement caps apply in memory)") }
        if let n = documents, n != "0" { out.append("\(n) documents are paid or credited beyond their amount (the settlement caps apply in memory)") }
        return out
    }

    /// Per group (of customers) and month (index into the months asked for): billings by kind,
    /// collections, credit memos and write-offs, and the change of net AR over the month (what
    /// happened before the first month counts in its change); base-currency minor units. Net
    /// AR at a month's end is the sum of the changes up to it (`net`).
    public struct MonthSums: Sendable, Equatable {
        public let groups: Int, months: Int
        public var invoices: [Int64], debitMemos: [Int64], lateFees: [Int64]
        public var collections: [Int64], creditMemos: [Int64], writeOffs: [Int64]
        public var invoicesIssued: [Int64]
        public var netChange: [Int64]
        /// A customer of the server's sums that the grouping does not know (the first seen).
        public var unknownCustomer: String?

        public init(groups: Int, months: Int) {
            self.groups = groups
            self.months = months
            let z = [Int64](repeating: 0, count: groups * months)
            invoices = z; debitMemos = z; lateFees = z; collections = z; creditMemos = z; writeOffs = z
            invoicesIssued = z; netChange = z
        }

        public func index(group g: Int, month m: Int) -> Int { g * months + m }

        /// Net AR of group `g` at the end of month `m`.
        public func net(group g: Int, month m: Int) -> Int64 {
            var s: Int64 = 0
            for i in 0...m { s += netChange[index(group: g, month: i)] }
            return s
        }

        mutating func add(_ o: MonthSums) {
            for k in 0..<invoices.count {
                invoices[k] += o.invoices[k]; debitMemos[k] += o.debitMemos[k]; lateFees[k] += o.lateFees[k]
                collections[k] += o.collections[k]; creditMemos[k] += o.creditMemos[k]; writeOffs[k] += o.writeOffs[k]
                invoicesIssued[k] += o.invoicesIssued[k]; netChange[k] += o.netChange[k]
            }
            if unknownCustomer == nil { unknownCustomer = o.unknownCustomer }
        }
    }

    /// The index of `x`'s month in `months` (an expression: no join, so that the aggregate
    /// stays inside each partition of customer_id), and the condition that it is in range.
    /// Days before the first month count in month 0 (`x` is never after the last month where it is
    /// used). A binary search over the months' first days: cheaper than extracting year and month
    /// (numeric since PostgreSQL 14) from every row.
    func monthIndex(_ x: String, _ months: [YearMonth]) -> String {
        guard months.count > 1 else { return "0" }
        return "width_bucket(\(x), ARRAY[\(months.dropFirst().map { "DATE '\($0.firstDay)'" }.joined(separator: ", "))])"
    }
    func inMonths(_ x: String, _ months: [YearMonth]) -> String {
        "\(x) BETWEEN DATE '\(months[0].firstDay)' AND DATE '\(months[months.count - 1].lastDay)'"
    }

    /// `round(x * rate)` in base minor units, or x when the item is in the base currency.
    func base(_ x: String, _ rate: String) -> String {
        "(CASE WHEN \(rate) IS NULL THEN \(x) ELSE round((\(x)) * \(rate), \(base.minorDigits)) END * \(pow))::bigint"
    }

    /// The statement summing the base-currency documents (`docs`) or payments (`pays`) per
    /// customer × month, straight from their table: flows from the first month, and the change
    /// of net AR (events before the first month count in month 0). Its columns are those of
    /// every monthly statement: customer, month, invoices, debit memos, late fees, collections,
    /// credit memos, write-offs, invoices issued, change of net AR.
    func baseMonthly(_ l: Layout, _ months: [YearMonth], payments: Bool, invoicesOnly: Bool = false) -> String {
        let b = PG.literal(base.code), p = pow
        let lo = "DATE '\(months[0].firstDay)'", hi = "DATE '\(months[months.count - 1].lastDay)'"
        let idx = monthIndex("d", months)
        // Each source grouped on its own (the sums are added up in ARLens): an aggregate over
        // one table's rows joined to their customers, which stays in each partition of
        // customer_id.
        let selects: [String]
        if payments {
            selects = ["""
                SELECT customer_id, \(idx), 0, 0, 0, sum((amount * \(p))::bigint) FILTER (WHERE d >= \(lo)), 0, 0, 0, -sum((amount * \(p))::bigint)
                FROM pays WHERE (rc = \(b) OR cur = \(b)) AND d <= \(hi) GROUP BY 1, 2
                """]
        } else {
            selects = (invoicesOnly ? ["inv"] : ["inv", "deb"]).map { src in
                let flows = (1...3).map { "sum((amount * \(p))::bigint) FILTER (WHERE fk = \($0) AND d >= \(lo))" }.joined(separator: ", ")
                return """
                    SELECT customer_id, \(idx), \(flows), 0, 0, 0, count(*) FILTER (WHERE fk = 1 AND d >= \(lo)), sum((amount * \(p))::bigint)
                    FROM \(src) WHERE (rc = \(b) OR cur = \(b)) AND d <= \(hi) GROUP BY 1, 2
                    """
            }
        }
        return "WITH \(defs(l, last: months[months.count - 1].lastDay))\n" + selects.joined(separator: "\nUNION ALL\n")
    }

    /// The statement for everything else, per customer × month: the foreign-currency items
    /// (each item's open amount converted at its own rate at every month-end where it
    /// changes), the credits, and the applications and credit allocations that move net AR;
    /// then one row (customer NULL) with the settlement-cap counts.
    ///
    /// An application of a base-currency payment to a base-currency document of the same
    /// customer moves nothing (the document's open amount goes down by what the payment's
    /// unapplied cash goes down), and neither does a credit's allocation: those are not read
    /// beyond the join that classifies them (one hash join of the applications and credits with
    /// the documents). The documents are read once for that join and the foreign ones' events,
    /// with their rates, which the applications and credits then carry. For the same reason the settlement caps (applied in date order in memory)
    /// change nothing between such items; only the payments and documents involved in the
    /// other applications and allocations are checked, against the amounts carried from that
    /// join.
    func restMonthly(_ l: Layout, _ months: [YearMonth]) -> String {
        let b = PG.literal(base.code), p = pow, bd = base.minorDigits
        let shared = citus ? "NOT MATERIALIZED" : "MATERIALIZED"
        let lo = "DATE '\(months[0].firstDay)'", hi = "DATE '\(months[months.count - 1].lastDay)'"
        let apps = l.hasApps ? t("applications") : "(SELECT NULL::text AS payment_id, NULL::text AS invoice_id, NULL::numeric AS amount, NULL::text AS customer_id WHERE false)"
        let payKey = l.appCustomer ? "a.customer_id, a.payment_id" : "a.payment_id"
        let ncKey = l.appCustomer ? "pay_customer, payment_id" : "payment_id"
        let ncpOn = l.appCustomer ? "p.pay_customer = x.customer_id AND p.payment_id = x.payment_id" : "p.payment_id = x.payment_id"
        let flow = base("amount", "rate")
        let middle: String, checks: String
        if l.settled {
            // From the export's settlement columns: the applications that move net AR, and
            // the credits, each with its document and payment as the row carries them; only
            // the foreign documents are read from the documents.
            let dcur = "coalesce(a.arlens_doc_currency, \(b))", pcur = "coalesce(a.arlens_pay_currency, \(b))"
            middle = """
            fdoc AS NOT MATERIALIZED (\(rated("SELECT customer_id, doc_id, d, amount, fk, cur FROM docs WHERE rc IS DISTINCT FROM \(b) AND cur <> \(b)"))),
            fpay AS NOT MATERIALIZED (\(rated("SELECT customer_id, payment_id, d, amount, cur FROM pays WHERE rc IS DISTINCT FROM \(b) AND cur <> \(b)"))),
            cred AS \(shared) (\(rated("""
              SELECT a.customer_id, a.adjustment_id, a.d, a.kind, a.amount, a.doc_ref, coalesce(a.s_doc_cur, a.ccur) AS cur,
                     a.s_doc_customer AS doc_customer, a.s_doc_amount AS doc_amount, a.s_doc_settled AS doc_settled,
                     CASE WHEN a.s_doc_d IS NOT NULL THEN greatest(a.d, a.s_doc_d) END AS alloc_date,
                     CASE WHEN a.s_doc_cur <> \(b) THEN coalesce(r.rate, 1) END AS doc_rate
              FROM adj a LEFT JOIN fx r ON r.k = CASE WHEN a.s_doc_cur <> \(b) THEN a.s_doc_cur || ':' || a.s_doc_d::text END
              WHERE a.kind IN ('credit_memo', 'write_off')
              """))),
            nc AS \(shared) (
              SELECT a.customer_id AS pay_customer, a.payment_id, a.arlens_doc_customer AS doc_customer, a.invoice_id AS doc_id, a.amount,
                     a.arlens_doc_amount AS doc_amount, a.arlens_doc_settled AS doc_settled, a.arlens_pay_amount AS pay_amount,
                     a.arlens_pay_applied AS pay_applied,
                     greatest(coalesce(\(l.appDate), a.arlens_pay_date), a.arlens_pay_date, a.arlens_doc_date) AS eff,
                     CASE WHEN \(pcur) <> \(b) THEN coalesce(pr.rate, 1) END AS pay_rate, CASE WHEN \(dcur) <> \(b) THEN coalesce(dr.rate, 1) END AS doc_rate
              FROM \(t("applications")) a
              LEFT JOIN fx pr ON pr.k = CASE WHEN \(pcur) <> \(b) THEN a.arlens_pay_currency || ':' || a.arlens_pay_date::text END
              LEFT JOIN fx dr ON dr.k = CASE WHEN \(dcur) <> \(b) THEN a.arlens_doc_currency || ':' || a.arlens_doc_date::text END
              WHERE a.arlens_doc_date IS NOT NULL AND a.arlens_pay_date IS NOT NULL
                AND (a.customer_id <> a.arlens_doc_customer OR \(dcur) <> \(b) OR \(pcur) <> \(b))),

            """
            // The caps from the totals the rows carry.
            checks = """
            chk_pay AS (SELECT count(*) AS n FROM (SELECT DISTINCT pay_customer, payment_id FROM nc WHERE pay_applied > pay_amount) x),
            chk_doc AS (SELECT count(*) AS n FROM (SELECT doc_id FROM nc WHERE doc_settled > doc_amount
                                                   UNION SELECT doc_ref FROM ncred WHERE doc_settled > doc_amount) x)

            """
        } else {
            middle = """
            -- Every document once, with its rate (NULL in the base currency): the foreign ones
            -- (a few of all) are read from it, and the applications and credits join it.
            dr AS \(shared) (\(rated("SELECT customer_id, doc_id, d, amount, fk, cur FROM docs"))),
            fdoc AS NOT MATERIALIZED (SELECT * FROM dr WHERE rate IS NOT NULL),
            -- The foreign payments with their rates.
            fpay AS \(shared) (\(rated("SELECT customer_id, payment_id, d, amount, cur FROM pays WHERE rc IS DISTINCT FROM \(b) AND cur <> \(b)"))),
            -- Every credit, and the applications that move net AR (one customer's payment applied
            -- to another's document, or a foreign payment or document), with their document.
            al AS \(shared) (
              SELECT x.src, x.cust, x.id, x.doc_ref, x.amount, x.d, x.kind, x.ccur, dd.customer_id AS doc_customer, dd.d AS doc_d,
                     dd.cur AS doc_cur, dd.amount AS doc_amount, dd.doc_id IS NOT NULL AS found, fp.rate AS pay_rate, dd.rate AS doc_rate
              FROM (SELECT 'a'::"char" AS src, a.pay_customer AS cust, a.payment_id AS id, a.invoice_id AS doc_ref, a.amount, a.applied_date AS d,
                           NULL::text AS kind, NULL::text AS ccur FROM \(appsSource(l)) a
                    UNION ALL
                    SELECT 'c'::"char", a.customer_id, a.adjustment_id, a.doc_ref, a.amount, a.d, a.kind, a.ccur FROM adj a
                    WHERE a.kind IN ('credit_memo', 'write_off')) x
              LEFT JOIN dr dd ON dd.doc_id = x.doc_ref
              LEFT JOIN fpay fp ON x.src = 'a' AND fp.customer_id = x.cust AND fp.payment_id = x.id
              WHERE x.src = 'c' OR (dd.doc_id IS NOT NULL AND (dd.cur <> \(b) OR x.cust <> dd.customer_id OR fp.payment_id IS NOT NULL))),
            cred AS \(shared) (\(rated("""
              SELECT a.cust AS customer_id, a.id AS adjustment_id, a.d, a.kind, a.amount, a.doc_ref, coalesce(a.doc_cur, a.ccur) AS cur,
                     a.doc_customer, a.doc_rate, a.doc_amount, CASE WHEN a.found THEN greatest(a.d, a.doc_d) END AS alloc_date
              FROM al a WHERE a.src = 'c'
              """))),
            nc AS \(shared) (
              SELECT a.cust AS pay_customer, a.id AS payment_id, a.doc_customer, a.doc_ref AS doc_id, a.amount, a.doc_amount,
                     pp.amount AS pay_amount, greatest(coalesce(a.d, pp.d), pp.d, a.doc_d) AS eff, a.pay_rate, a.doc_rate
              FROM al a JOIN pays pp ON pp.customer_id = a.cust AND pp.payment_id = a.id
              WHERE a.src = 'a'),
            """
            checks = """
            ncp AS (SELECT \(ncKey), min(pay_amount) AS amount FROM nc GROUP BY \(ncKey)),
            ncdoc AS (SELECT doc_id, min(doc_amount) AS amount FROM (SELECT doc_id, doc_amount FROM nc UNION ALL SELECT doc_ref, doc_amount FROM ncred) x GROUP BY 1),
            chk_pay AS (
              SELECT count(*) AS n FROM (
                SELECT \(payKey), sum(a.amount) AS s FROM \(apps) a WHERE (\(payKey)) IN (SELECT \(ncKey) FROM ncp) GROUP BY \(payKey)) x
              JOIN ncp p ON \(ncpOn) WHERE x.s > p.amount),
            chk_doc AS (
              SELECT count(*) AS n FROM (
                SELECT doc_id, sum(s) AS s FROM (
                  SELECT a.invoice_id AS doc_id, a.amount AS s FROM \(apps) a WHERE a.invoice_id IN (SELECT doc_id FROM ncdoc)
                  UNION ALL SELECT doc_ref, amount FROM cred WHERE alloc_date IS NOT NULL AND doc_ref IN (SELECT doc_id FROM ncdoc)) y
                GROUP BY 1) x
              JOIN ncdoc d ON d.doc_id = x.doc_id WHERE x.s > d.amount)
            """
        }
        return """
        WITH \(defs(l, last: months[months.count - 1].lastDay)),
        \(middle)        ncred AS NOT MATERIALIZED (
          SELECT * FROM cred WHERE alloc_date IS NOT NULL AND NOT (rate IS NULL AND doc_rate IS NULL AND customer_id = doc_customer)),
        -- Events: (customer, date, tag, foreign item, rate, its local change, base change of net AR, flow kind, flow).
        ev(customer_id, d, tag, item, rate, fdelta, dn, fk, fv) AS NOT MATERIALIZED (
          SELECT customer_id, d, 'd'::"char", doc_id, rate, amount, 0::bigint, fk, \(flow) FROM fdoc
          UNION ALL
          SELECT customer_id, d, 'p'::"char", payment_id, rate, -amount, 0::bigint, 4, \(flow) FROM fpay
          UNION ALL
          SELECT customer_id, d, 'c'::"char", CASE WHEN rate IS NOT NULL THEN adjustment_id END, rate, CASE WHEN rate IS NOT NULL THEN -amount END,
                 CASE WHEN rate IS NULL THEN -(amount * \(p))::bigint ELSE 0 END, CASE kind WHEN 'credit_memo' THEN 5 ELSE 6 END, \(flow) FROM cred
          UNION ALL
          SELECT v.* FROM ncred a CROSS JOIN LATERAL (VALUES
            (a.doc_customer, a.alloc_date, 'd'::"char", CASE WHEN a.doc_rate IS NOT NULL THEN a.doc_ref END, a.doc_rate,
             CASE WHEN a.doc_rate IS NOT NULL THEN -a.amount END, CASE WHEN a.doc_rate IS NULL THEN -(a.amount * \(p))::bigint ELSE 0 END, 0, 0::bigint),
            (a.customer_id, a.alloc_date, 'c'::"char", CASE WHEN a.rate IS NOT NULL THEN a.adjustment_id END, a.rate,
             CASE WHEN a.rate IS NOT NULL THEN a.amount END, CASE WHEN a.rate IS NULL THEN (a.amount * \(p))::bigint ELSE 0 END, 0, 0::bigint)) v
          UNION ALL
          SELECT v.* FROM nc a CROSS JOIN LATERAL (VALUES
            (a.doc_customer, a.eff, 'd'::"char", CASE WHEN a.doc_rate IS NOT NULL THEN a.doc_id END, a.doc_rate,
             CASE WHEN a.doc_rate IS NOT NULL THEN -a.amount END, CASE WHEN a.doc_rate IS NULL THEN -(a.amount * \(p))::bigint ELSE 0 END, 0, 0::bigint),
            (a.pay_customer, a.eff, 'p'::"char", CASE WHEN a.pay_rate IS NOT NULL THEN a.payment_id END, a.pay_rate,
             CASE WHEN a.pay_rate IS NOT NULL THEN a.amount END, CASE WHEN a.pay_rate IS NULL THEN (a.amount * \(p))::bigint ELSE 0 END, 0, 0::bigint)) v),
        -- Per customer × month (events before the first month count in its opening), and per foreign item.
        agg AS (
          SELECT customer_id COLLATE "C" AS customer_id, \(monthIndex("d", months)) AS idx, tag, item COLLATE "C" AS item, rate,
                 sum(fdelta) AS fdelta, sum(dn) AS dn,
                 sum(fv) FILTER (WHERE fk = 1 AND d >= \(lo)) AS inv, sum(fv) FILTER (WHERE fk = 2 AND d >= \(lo)) AS deb,
                 sum(fv) FILTER (WHERE fk = 3 AND d >= \(lo)) AS fee, sum(fv) FILTER (WHERE fk = 4 AND d >= \(lo)) AS col,
                 sum(fv) FILTER (WHERE fk = 5 AND d >= \(lo)) AS cm, sum(fv) FILTER (WHERE fk = 6 AND d >= \(lo)) AS wo,
                 count(*) FILTER (WHERE fk = 1 AND d >= \(lo)) AS issued
          FROM ev WHERE d <= \(hi)
          GROUP BY 1, 2, 3, 4, 5),
        \(checks)        SELECT customer_id, idx, sum(inv), sum(deb), sum(fee), sum(col), sum(cm), sum(wo), sum(issued), sum(dnet)
        FROM (SELECT customer_id, idx, inv, deb, fee, col, cm, wo, issued,
                     CASE WHEN item IS NULL THEN dn
                          ELSE dn + (round(open * rate, \(bd)) * \(p))::bigint - (round((open - fdelta) * rate, \(bd)) * \(p))::bigint END AS dnet
              FROM (SELECT *, sum(fdelta) OVER (PARTITION BY customer_id, tag, item ORDER BY idx) AS open FROM agg) f) x
        GROUP BY 1, 2
        UNION ALL SELECT NULL, -1, (SELECT n FROM chk_pay), (SELECT n FROM chk_doc),
          (SELECT count(*) FROM cred WHERE doc_ref IS NOT NULL AND alloc_date IS NULL), 0, 0, 0, 0, 0
        """
    }

    /// The monthly measures per group of customers (`group` maps a customer to its group; a
    /// customer it does not know is reported in `unknownCustomer`), and what keeps the
    /// server's answer from being exact (the settlement caps): when that list is not empty,
    /// the sums are not to be used.
    ///
    /// Three statements run at the same time, each on its own connection: the base-currency
    /// documents per customer × month, the base-currency payments likewise (each one pass over
    /// its table, grouped by customer_id), and everything else (`restMonthly`). Each streams
    /// its rows (COPY, parsed as they arrive) into sums per group × month, which are added up:
    /// the change of net AR is summed like the flows, and net AR at a month's end is the sum
    /// of the changes up to it, so nothing is kept per customer.
    public func monthlyChecked(_ months: [YearMonth], group: [String: Int32], groups: Int) throws(LoadError)
        -> (sums: MonthSums, blockers: [String]) {
        guard !months.isEmpty else { return (MonthSums(groups: groups, months: 0), []) }
        let l = try layout()
        let statements = [restMonthly(l, months), baseMonthly(l, months, payments: false), baseMonthly(l, months, payments: true)]
        let me = self
        let results = concurrently(statements.enumerated().map { (i, sql) in
            { @Sendable () -> Result<(MonthSums, [String]), LoadError> in
                do throws(LoadError) {
                    let conn = i == 0 ? me.conn : try PGPushdown.session(PGConnection(me.location), citus: me.citus)
                    return .success(try me.sums(conn, sql, months: months.count, group: group, groups: groups))
                } catch { return .failure(error) }
            }
        })
        var total = MonthSums(groups: groups, months: months.count)
        var blockers: [String] = []
        for r in results {
            switch r {
            case .failure(let e): throw e
            case .success(let (s, b)): total.add(s); blockers += b
            }
        }
        return (total, blockers)
    }

    /// Runs one monthly statement, streaming its rows into sums per group × month.
    func sums(_ conn: PGConnection, _ sql: String, months: Int, group: [String: Int32], groups: Int) throws(LoadError)
        -> (MonthSums, [String]) {
        var s = MonthSums(groups: groups, months: months)
        var blockers: [String] = []
        var bad = false
        try conn.copyOut("COPY (\(sql)) TO STDOUT", what: "pushdown (monthly measures)") { line in
            let f = PGPushdown.fields(line)
            guard f.count == 10 else { bad = true; return }
            guard let c = f[0] else {
                blockers = PGPushdown.capBlockers(payments: f[2], documents: f[3], orphans: f[4])
                return
            }
            guard let m = f[1].flatMap({ Int($0) }), m >= 0, m < months else { bad = true; return }
            guard let g = group[c] else {
                if s.unknownCustomer == nil { s.unknownCustomer = c }
                return
            }
            func int(_ k: Int) -> Int64 { f[k].flatMap { Int64($0) } ?? 0 }
            let k = s.index(group: Int(g), month: m)
            s.invoices[k] += int(2); s.debitMemos[k] += int(3); s.lateFees[k] += int(4)
            s.collections[k] += int(5); s.creditMemos[k] += int(6); s.writeOffs[k] += int(7)
            s.invoicesIssued[k] += int(8); s.netChange[k] += int(9)
        }
        if bad { throw .database("\(location.masked): pushdown (monthly measures): the server sent a row ARLens cannot read") }
        return (s, blockers)
    }

    /// The fields of one row of `COPY ... TO STDOUT` (text format): tab-separated, `\N` for
    /// NULL, backslash escapes for tab, newline, carriage return and backslash.
    static func fields(_ line: UnsafeRawBufferPointer) -> [String?] {
        var out: [String?] = []
        var cur: [UInt8] = []
        var i = 0, n = line.count
        if n > 0 && line[n - 1] == 10 { n -= 1 }
        var null = false
        while i <= n {
            if i == n || line[i] == 9 {
                out.append(null ? nil : String(decoding: cur, as: UTF8.self))
                cur.removeAll(keepingCapacity: true)
                null = false
                i += 1
                continue
            }
            let b = line[i]
            if b == 92 && i + 1 < n {
                let e = line[i + 1]
                switch e {
                case 78: null = true                // \N
                case 116: cur.append(9)             // \t
                case 110: cur.append(10)            // \n
                case 114: cur.append(13)            // \r
                default: cur.append(e)
                }
                i += 2
                continue
            }
            cur.append(b)
            i += 1
        }
        return out
    }

    /// The monthly measures; an error when the settlement caps keep them from being exact.
    public func monthly(_ months: [YearMonth], group: [String: Int32], groups: Int) throws(LoadError) -> MonthSums {
        let (sums, blockers) = try monthlyChecked(months, group: group, groups: groups)
        if !blockers.isEmpty { throw .database("\(location.masked): \(blockers.joined(separator: "; "))") }
        return sums
    }

    /// Aging as of `asOf`: per customer and bucket, the open documents' base amounts (each at
    /// its own rate), and per customer the unapplied cash plus unallocated credit (base).
    public struct AgingRows: Sendable {
        public var buckets: [(customer: String, bucket: Int, amount: Int64)] = []
        public var unapplied: [(customer: String, amount: Int64)] = []
        /// What keeps the answer from being exact (the settlement caps); not empty: unusable.
        public var blockers: [String] = []
        /// What the user should know although the server can answer (slower statements).
        public var notes: [String] = []
    }

    /// `bucket` is the SQL CASE giving a bucket index from `days` (the caller builds it from
    /// the same rule as `Aging.bucket`); `byIssue` ages from the issue date instead of the due
    /// date. `last` is the ledger's last day: as of it or later, every application and credit
    /// has taken effect, and the applications and credits are summed per document and payment
    /// without reading their payments and documents.
    ///
    /// Two statements run at the same time, each on its own connection: the documents (each
    /// one's open amount is its amount less its applications and credits, converted at its own
    /// rate and summed per customer and bucket), and the payments and credits (each payment's
    /// unapplied amount, and the credits not allocated by the date). The same sums over all
    /// time check the settlement caps (a document or payment settled beyond its amount).
    public func aging(asOf: Day, last: Day, bucketCase: (String) -> String, byIssue: Bool) throws(LoadError) -> AgingRows {
        let l = try layout()
        let d = "DATE '\(asOf)'"
        let all = asOf >= last
        let apps = l.hasApps ? t("applications") : "(SELECT NULL::text AS payment_id, NULL::text AS invoice_id, NULL::numeric AS amount, NULL::text AS customer_id WHERE false)"
        // The applications: all taken effect (as of the last day or later), else each with its
        // effective date (its payment and document read for it).
        let appSource: String
        if all {
            let cust = l.appCustomer ? "a.customer_id" : "NULL::text"
            appSource = "SELECT \(cust) AS pay_customer, a.payment_id, a.invoice_id AS doc_id, a.amount, true AS done FROM \(apps) a"
        } else if l.settled {
            appSource = """
                SELECT a.customer_id AS pay_customer, a.payment_id, a.invoice_id AS doc_id, a.amount,
                       greatest(coalesce(\(l.appDate), a.arlens_pay_date), a.arlens_pay_date, a.arlens_doc_date) <= \(d) AS done
                FROM \(apps) a WHERE a.arlens_doc_date IS NOT NULL AND a.arlens_pay_date IS NOT NULL
                """
        } else {
            appSource = "SELECT pay_customer, payment_id, doc_id, amount, eff <= \(d) AS done FROM (\(appJoin(l))) j"
        }
        let appsCTE = "apps AS \(all || citus ? "NOT MATERIALIZED" : "MATERIALIZED") (\(appSource))"
        // The credits with their document (its currency, and the allocation date, the later of
        // the credit's and the document's).
        // With the export's settlement columns, the document is the one the credit's row names.
        let cred = l.settled ? """
        cred AS \(citus ? "NOT MATERIALIZED" : "MATERIALIZED") (\(rated("""
          SELECT a.customer_id, a.adjustment_id, a.d, a.kind, a.amount, a.doc_ref, coalesce(a.s_doc_cur, a.ccur) AS cur,
                 CASE WHEN a.s_doc_d IS NULL THEN NULL ELSE greatest(a.d, a.s_doc_d) END AS alloc_date
          FROM adj a WHERE a.kind IN ('credit_memo', 'write_off')
          """)))
        """ : """
        cred AS \(citus ? "NOT MATERIALIZED" : "MATERIALIZED") (\(rated("""
          SELECT a.customer_id, a.adjustment_id, a.d, a.kind, a.amount, a.doc_ref, coalesce(dd.cur, a.ccur) AS cur,
                 CASE WHEN dd.doc_id IS NULL THEN NULL ELSE greatest(a.d, dd.d) END AS alloc_date
          FROM adj a LEFT JOIN docs dd ON dd.doc_id = a.doc_ref
          WHERE a.kind IN ('credit_memo', 'write_off')
          """)))
        """
        // Per document: what its credits took off. As of the last day every credit naming a
        // document that is there has taken effect: summed straight from the adjustments.
        let cd = all
            ? "cd AS (SELECT doc_ref AS doc_id, sum(amount) AS total, sum(amount) AS done FROM adj WHERE kind IN ('credit_memo', 'write_off') AND doc_ref IS NOT NULL GROUP BY 1)"
            : "cd AS (SELECT doc_ref AS doc_id, sum(amount) AS total, sum(amount) FILTER (WHERE alloc_date <= \(d)) AS done FROM cred WHERE alloc_date IS NOT NULL GROUP BY 1)"
        // As of the last day with the export's settlement columns, each document's and payment's
        // row carries what settled it: nothing is summed or joined.
        let carried = all && l.settled
        let documents = carried ? """
        WITH \(defs(l, last: last)),
        od AS (SELECT customer_id, d, due, cur, amount - settled AS open, settled > amount AS over FROM docs)
        SELECT 'b', customer_id, \(bucketCase("(\(d) - \(byIssue ? "d" : "due"))")),
               sum(\(base("open", "rate"))) FILTER (WHERE d <= \(d) AND open <> 0), count(*) FILTER (WHERE over)
        FROM (\(rated("SELECT * FROM od"))) o GROUP BY 2, 3
        """ : """
        WITH \(defs(l, last: last)),
        \(appsCTE),
        \(all ? "" : cred + ",")
        ad AS (SELECT doc_id, sum(amount) AS total, \(all ? "sum(amount)" : "sum(amount) FILTER (WHERE done)") AS done FROM apps GROUP BY doc_id),
        \(cd),
        od AS (
          SELECT dd.customer_id, dd.d, dd.due, dd.cur, dd.amount - coalesce(ad.done, 0) - coalesce(cd.done, 0) AS open,
                 coalesce(ad.total, 0) + coalesce(cd.total, 0) > dd.amount AS over
          FROM docs dd LEFT JOIN ad ON ad.doc_id = dd.doc_id LEFT JOIN cd ON cd.doc_id = dd.doc_id)
        SELECT 'b', customer_id, \(bucketCase("(\(d) - \(byIssue ? "d" : "due"))")),
               sum(\(base("open", "rate"))) FILTER (WHERE d <= \(d) AND open <> 0), count(*) FILTER (WHERE over)
        FROM (\(rated("SELECT * FROM od"))) o GROUP BY 2, 3
        """
        let payOn = l.appCustomer ? "ap.pay_customer = p.customer_id AND ap.payment_id = p.payment_id" : "ap.payment_id = p.payment_id"
        let up = carried ? """
        up AS (
          SELECT p.customer_id, p.d, \(base("p.amount - p.applied", "p.rate")) AS v, p.applied > p.amount AS over
          FROM (\(rated("SELECT * FROM pays"))) p)
        """ : """
        \(appsCTE),
        ap AS (SELECT pay_customer, payment_id, sum(amount) AS total, \(all ? "sum(amount)" : "sum(amount) FILTER (WHERE done)") AS done FROM apps GROUP BY 1, 2),
        up AS (
          SELECT p.customer_id, p.d, \(base("p.amount - coalesce(ap.done, 0)", "p.rate")) AS v, coalesce(ap.total, 0) > p.amount AS over
          FROM (\(rated("SELECT * FROM pays"))) p LEFT JOIN ap ON \(payOn))
        """
        let payments = """
        WITH \(defs(l, last: last)),
        \(cred),
        \(up)
        SELECT 'u', customer_id, 0, sum(v) FILTER (WHERE d <= \(d)), count(*) FILTER (WHERE over) FROM up GROUP BY 2
        UNION ALL
        SELECT 'c', customer_id, 0, sum(\(base("amount", "rate"))) FILTER (WHERE d <= \(d) AND (alloc_date IS NULL OR alloc_date > \(d))),
               count(*) FILTER (WHERE doc_ref IS NOT NULL AND alloc_date IS NULL)
        FROM cred GROUP BY 2
        """
        let me = self
        let results = concurrently([documents, payments].enumerated().map { (i, sql) in
            { @Sendable () -> Result<[[String?]], LoadError> in
                do throws(LoadError) {
                    let conn = i == 0 ? me.conn : try PGPushdown.session(PGConnection(me.location), citus: me.citus)
                    return .success(try conn.exec(sql, what: "pushdown (aging)").rows)
                } catch { return .failure(error) }
            }
        })
        var rows: [[String?]] = []
        for r in results {
            switch r {
            case .failure(let e): throw e
            case .success(let x): rows += x
            }
        }
        var out = AgingRows()
        var overDocs = 0, overPayments = 0, orphans = 0
        var unapplied: [String: Int64] = [:]
        for r in rows {
            let n = Int(r[4] ?? "0") ?? 0
            let amount = r[3].flatMap { Int64($0) }
            switch r[0] ?? "" {
            case "b":
                overDocs += n
                if let amount { out.buckets.append((r[1]!, Int(r[2]!)!, amount)) }
            case "c":
                orphans += n
                if let amount { unapplied[r[1]!, default: 0] += amount }
            default:
                overPayments += n
                if let amount { unapplied[r[1]!, default: 0] += amount }
            }
        }
        out.buckets.sort { ($0.customer, $0.bucket) < ($1.customer, $1.bucket) }
        out.unapplied = unapplied.keys.sorted().map { (customer: $0, amount: unapplied[$0]!) }
        out.blockers = PGPushdown.capBlockers(payments: String(overPayments), documents: String(overDocs), orphans: String(orphans))
        return out
    }

    /// The plan of the monthly sums of the base-currency invoices per customer, as the
    /// documents' statement computes them (the partition test checks it is aggregated per
    /// partition of customer_id).
    public func explainMonthly(_ months: [YearMonth]) throws(LoadError) -> String {
        let sql = "EXPLAIN (COSTS OFF) " + baseMonthly(try layout(), months, payments: false, invoicesOnly: true)
        return try conn.exec(sql).rows.map { $0[0] ?? "" }.joined(separator: "\n")
    }

    /// Runs a statement on this connection (session settings for tests and benchmarks).
    public func execute(_ sql: String) throws(LoadError) -> [[String?]] { try conn.exec(sql).rows }
}
