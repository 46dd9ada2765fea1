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
public struct PGPushdown {
    public let location: PGLocation
    let conn: PGConnection
    public let base: Currency
    public let defaultTerms: Int
    /// Whether the server is a Citus coordinator (the tables may be distributed by customer_id).
    let citus: Bool

    public init(_ location: PGLocation, base: Currency, defaultTerms: Int) throws(LoadError) {
        self.location = location
        let conn = try PGConnection(location)
        self.conn = conn
        self.base = base
        self.defaultTerms = defaultTerms
        self.citus = (try? conn.exec("SELECT 1 FROM pg_extension WHERE extname = 'citus'").rows.isEmpty == false) ?? false
        // Session settings (this connection only; none needs a privilege):
        // - jit off: these statements are long and their costs high, so the JIT compiler would
        //   spend most of the time compiling them (38 s of a 54 s statement on 100k invoices);
        // - work_mem at least 256 MB: the per-customer × month and per-document hash tables
        //   stay in memory instead of spilling to temporary files;
        // - hash joins only: the planner's row estimates through the CTEs are poor, and a
        //   nested loop it picks on an estimate of one row (an application per document, each
        //   probing a union of invoices and adjustments) ran for minutes on 1M invoices.
        // A server without one of these settings (JIT before PostgreSQL 11) keeps its default.
        _ = try? conn.exec("SET jit = off")
        if let kb = (try? conn.exec("SELECT setting::bigint FROM pg_settings WHERE name = 'work_mem'"))?.rows.first?.first ?? nil,
           let n = Int(kb), n < 256 * 1024 {
            _ = try? conn.exec("SET work_mem = '256MB'")
        }
        if !citus {
            _ = try? conn.exec("SET enable_nestloop = off")
            _ = try? conn.exec("SET enable_mergejoin = off")
        }
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
    }

    /// The tables and columns the statements read (optional ones replaced by empty relations).
    struct Layout {
        var hasAdj = false, hasApps = false, hasPay = false, hasFx = false
        var invCur = "NULL", invDue = "NULL::date", custCur = "NULL", custTerms = "NULL::integer"
        var payCur = "NULL", appDate = "NULL::date", appCustomer = false, adjDoc = "NULL::text"
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

    /// The shared definitions: customers, the day-by-day rates, documents (invoices and debit
    /// adjustments), payments and credits with their currencies, rates and dates. `last` is the
    /// ledger's last day (the rates are spelled out day by day up to it).
    func common(_ l: Layout, last: Day) -> String {
        let b = PG.literal(base.code)
        let adj = l.hasAdj ? t("adjustments") : "(SELECT NULL::text AS adjustment_id, NULL::text AS customer_id, NULL::date AS date, NULL::text AS kind, NULL::numeric AS amount, NULL::text AS invoice_id WHERE false)"
        let pay = l.hasPay ? t("payments") : "(SELECT NULL::text AS payment_id, NULL::text AS customer_id, NULL::date AS received_date, NULL::numeric AS amount, NULL::text AS currency WHERE false)"
        // doc, pay and cred are read two or three times by each statement: on PostgreSQL they are
        // computed once (MATERIALIZED). On Citus they stay inlined so that every join and
        // aggregate runs on the shards (a materialized CTE is gathered on the coordinator).
        let fx = l.hasFx ? t("fx_rates") : "(SELECT NULL::text AS currency, NULL::date AS date, NULL::numeric AS rate WHERE false)"
        let shared = citus ? "NOT MATERIALIZED" : "MATERIALIZED"
        func rated(_ inner: String) -> String {
            "SELECT x.*, CASE WHEN x.cur = \(b) THEN NULL ELSE coalesce(r.rate, 1) END AS rate FROM (\(inner)) x LEFT JOIN fx r ON r.cur = x.cur AND r.d = x.d"
        }
        return """
        cust AS NOT MATERIALIZED (
          SELECT c.customer_id, coalesce(\(l.custCur), \(b)) AS cur, coalesce(\(l.custTerms), \(defaultTerms)) AS terms
          FROM \(t("customers")) c),
        -- Each foreign currency's rate on every day from its first rate to the ledger's last day
        -- (the latest rate on or before the day): an equality join instead of a search per item.
        fx AS NOT MATERIALIZED (
          SELECT r.cur, g.d::date AS d, r.rate
          FROM (SELECT cur, lo, coalesce(lead(lo) OVER (PARTITION BY cur ORDER BY lo) - 1, DATE '\(last)') AS hi, rate
                FROM (SELECT DISTINCT ON (upper(btrim(currency)), date) upper(btrim(currency)) AS cur, date AS lo, rate
                      FROM \(fx) WHERE upper(btrim(currency)) <> \(b) ORDER BY 1, 2) x) r
          CROSS JOIN LATERAL generate_series(r.lo, greatest(r.hi, r.lo), interval '1 day') g(d)),
        inv AS NOT MATERIALIZED (
          SELECT i.customer_id, i.invoice_id AS doc_id, i.issue_date AS d, coalesce(\(l.invDue), i.issue_date + k.terms) AS due,
                 i.amount, \(currency(l.invCur, else: "k.cur")) AS cur, 1 AS fk
          FROM \(t("invoices")) i JOIN cust k ON k.customer_id = i.customer_id),
        adj AS NOT MATERIALIZED (
          SELECT a.customer_id, a.adjustment_id, a.date AS d, lower(btrim(a.kind)) AS kind, a.amount, \(l.adjDoc) AS doc_ref,
                 k.cur AS ccur, k.terms
          FROM \(adj) a JOIN cust k ON k.customer_id = a.customer_id),
        deb AS NOT MATERIALIZED (
          SELECT a.customer_id, a.adjustment_id AS doc_id, a.d, a.d + a.terms AS due, a.amount,
                 coalesce((SELECT \(currency(l.invCur, else: "(SELECT k.cur FROM cust k WHERE k.customer_id = i.customer_id)")) FROM \(t("invoices")) i
                           WHERE i.invoice_id = a.doc_ref), a.ccur) AS cur,
                 CASE a.kind WHEN 'debit_memo' THEN 2 ELSE 3 END AS fk
          FROM adj a WHERE a.kind IN ('debit_memo', 'late_fee')),
        doc AS \(shared) (\(rated("SELECT * FROM inv UNION ALL SELECT * FROM deb"))),
        pay AS \(shared) (\(rated("""
          SELECT p.customer_id, p.payment_id, p.received_date AS d, p.amount, \(currency(l.payCur, else: "k.cur")) AS cur
          FROM \(pay) p JOIN cust k ON k.customer_id = p.customer_id
          """))),
        cred AS \(shared) (\(rated("""
          SELECT a.customer_id, a.adjustment_id, a.d, a.kind, a.amount, a.doc_ref,
                 coalesce(dd.cur, a.ccur) AS cur, dd.customer_id AS doc_customer, dd.rate AS doc_rate,
                 CASE WHEN dd.doc_id IS NULL THEN NULL ELSE greatest(a.d, dd.d) END AS alloc_date
          FROM adj a LEFT JOIN doc dd ON dd.doc_id = a.doc_ref
          WHERE a.kind IN ('credit_memo', 'write_off')
          """)))
        """
    }

    /// Applications with their payment and document: customers, rates and effective date.
    func appJoin(_ l: Layout) -> String {
        let apps = l.hasApps ? t("applications") : "(SELECT NULL::text AS payment_id, NULL::text AS invoice_id, NULL::numeric AS amount, NULL::date AS applied_date WHERE false)"
        let on = l.appCustomer ? "p.customer_id = a.customer_id AND p.payment_id = a.payment_id" : "p.payment_id = a.payment_id"
        return """
          SELECT p.customer_id AS pay_customer, dd.customer_id AS doc_customer, a.payment_id, dd.doc_id, a.amount,
                 greatest(coalesce(\(l.appDate), p.d), p.d, dd.d) AS eff, p.rate AS pay_rate, dd.rate AS doc_rate
          FROM \(apps) a JOIN pay p ON \(on) JOIN doc dd ON dd.doc_id = a.invoice_id
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
        if l.hasPay && !l.hasApps {
            let n = try conn.exec("SELECT count(*) FROM \(t("payments"))").rows[0][0] ?? "0"
            if n != "0" { f.blockers.append("payments have no applications table (cash is applied automatically in memory)") }
        }
        // The span from the tables themselves (one scan each): an application takes effect on
        // the latest of its own date, its payment's and its document's, so only its own date
        // can go further. Credits naming no document are counted by each statement, which
        // joins the credits to their documents anyway.
        var span = ["SELECT 'i' AS k, min(issue_date) AS lo, max(issue_date) AS hi FROM \(t("invoices"))"]
        if l.hasPay { span.append("SELECT 'p', min(received_date), max(received_date) FROM \(t("payments"))") }
        if l.hasAdj {
            span.append("SELECT CASE WHEN kind IN ('debit_memo', 'late_fee') THEN 'd' ELSE 'c' END, min(date), max(date) FROM adj GROUP BY 1")
        }
        if l.hasApps && l.appDate != "NULL::date" { span.append("SELECT 'x', NULL::date, max(applied_date) FROM \(t("applications"))") }
        let adj = l.hasAdj ? t("adjustments") : "(SELECT NULL::text AS adjustment_id, NULL::date AS date, NULL::text AS kind, NULL::text AS invoice_id WHERE false)"
        let adjDoc = l.adjDoc == "NULL::text" ? "NULL::text" : "invoice_id"
        let sql = """
        WITH adj AS NOT MATERIALIZED (SELECT adjustment_id, date, lower(btrim(kind)) AS kind, \(adjDoc) AS doc_ref FROM \(adj)),
        span AS MATERIALIZED (\(span.joined(separator: " UNION ALL ")))
        SELECT (SELECT min(lo) FROM span), (SELECT max(hi) FROM span), (SELECT min(lo) FROM span WHERE k IN ('i', 'd')),
          (SELECT count(*) FROM adj a JOIN adj b2 ON b2.adjustment_id = a.doc_ref WHERE a.kind IN ('debit_memo', 'late_fee')),
          (SELECT count(*) FROM adj WHERE kind NOT IN ('credit_memo', 'write_off', 'debit_memo', 'late_fee'))
        """
        let r = try conn.exec(sql, what: "pushdown").rows[0]
        f.firstDay = r[0].flatMap { Day(iso: $0) }
        f.lastDay = r[1].flatMap { Day(iso: $0) }
        f.firstDocumentMonth = r[2].flatMap { Day(iso: $0) }?.yearMonth
        if r[3] != "0" { f.blockers.append("\(r[3]!) debit memos or late fees name another adjustment") }
        if r[4] != "0" { f.blockers.append("\(r[4]!) adjustments have a kind the server cannot classify") }
        return f
    }

    static func capBlockers(payments: String?, documents: String?, orphans: String? = nil) -> [String] {
        var out: [String] = []
        if let n = orphans, n != "0" { out.append("\(n) credits name a document that is not there") }
        if let n = payments, n != "0" { out.append("\(n) payments are applied beyond their amount (the settlement caps apply in memory)") }
        if let n = documents, n != "0" { out.append("\(n) documents are paid or credited beyond their amount (the settlement caps apply in memory)") }
        return out
    }

    /// Per customer and month (index into `months`): billings by kind, collections, credit
    /// memos and write-offs, and net AR at the month's end; base-currency minor units.
    public struct MonthRow: Sendable {
        public var customer: String
        public var month: Int
        public var invoices: Int64 = 0, debitMemos: Int64 = 0, lateFees: Int64 = 0
        public var collections: Int64 = 0, creditMemos: Int64 = 0, writeOffs: Int64 = 0
        public var invoicesIssued: Int32 = 0
        public var net: Int64 = 0
    }

    /// The index of `x`'s month in `months` (an expression: no join, so that the aggregate
    /// stays inside each partition of customer_id), and the condition that it is in range.
    func monthIndex(_ x: String, _ months: [YearMonth]) -> String {
        "((extract(year FROM \(x))::int * 12 + extract(month FROM \(x))::int) - \(months[0].year * 12 + months[0].month))"
    }
    func inMonths(_ x: String, _ months: [YearMonth]) -> String {
        "\(x) BETWEEN DATE '\(months[0].firstDay)' AND DATE '\(months[months.count - 1].lastDay)'"
    }

    /// `round(x * rate)` in base minor units, or x when the item is in the base currency.
    func base(_ x: String, _ rate: String) -> String {
        "(CASE WHEN \(rate) IS NULL THEN \(x) ELSE round((\(x)) * \(rate), \(base.minorDigits)) END * \(pow))::bigint"
    }

    /// The monthly measures, and what keeps the server's answer from being exact (the
    /// settlement caps): when that list is not empty, the rows are not to be used.
    ///
    /// One pass: every document, payment and credit, every allocation of a credit and every
    /// application that moves net AR becomes an event (customer, date, base-currency flow,
    /// base-currency change of net AR, or the change of a foreign item's open amount); the
    /// events are summed per customer × month (× foreign item), and net AR at each month-end is
    /// a running sum per customer (window functions partitioned by customer_id). A foreign
    /// item's open amount is converted at its own rate at every month-end where it changes,
    /// and only the change of the converted amount is added, so that the running sum is the
    /// sum of the items' converted open amounts, each rounded as in memory.
    ///
    /// An application of a base-currency payment to a base-currency document of the same
    /// customer moves nothing (the document's open amount goes down by what the payment's
    /// unapplied cash goes down), and neither does a credit's allocation: those are not read
    /// beyond the join that classifies them. For the same reason the settlement caps (applied
    /// in date order in memory) change nothing between such items; only the payments and
    /// documents involved in the other applications and allocations are checked.
    public func monthlyChecked(_ months: [YearMonth]) throws(LoadError) -> (rows: [MonthRow], blockers: [String]) {
        guard let first = months.first, let lastMonth = months.last else { return ([], []) }
        let l = try layout()
        // Items after the last month are not read, so the rates need not go beyond it.
        let last = lastMonth.lastDay
        let shared = citus ? "NOT MATERIALIZED" : "MATERIALIZED"
        let lo = "DATE '\(first.firstDay)'", hi = "DATE '\(lastMonth.lastDay)'"
        let p = pow, bd = base.minorDigits
        let apps = l.hasApps ? t("applications") : "(SELECT NULL::text AS payment_id, NULL::text AS invoice_id, NULL::numeric AS amount, NULL::text AS customer_id WHERE false)"
        let payKey = l.appCustomer ? "a.customer_id, a.payment_id" : "a.payment_id"
        let ncKey = l.appCustomer ? "pay_customer, payment_id" : "payment_id"
        let payOn = l.appCustomer ? "p.customer_id = x.customer_id AND p.payment_id = x.payment_id" : "p.payment_id = x.payment_id"
        let payTable = l.hasPay ? t("payments") : "(SELECT NULL::text AS payment_id, NULL::text AS customer_id, NULL::numeric AS amount WHERE false)"
        let adjTable = l.hasAdj ? t("adjustments") : "(SELECT NULL::text AS adjustment_id, NULL::text AS kind, NULL::numeric AS amount WHERE false)"
        // A foreign item's event: (customer, date, tag, item, rate, local change, base change, flow kind, flow).
        func ev(_ sign: String, _ rate: String, _ id: String) -> String {
            "CASE WHEN \(rate) IS NOT NULL THEN \(id) END, \(rate), CASE WHEN \(rate) IS NOT NULL THEN \(sign)amount END, CASE WHEN \(rate) IS NULL THEN \(sign)(amount * \(p))::bigint ELSE 0 END"
        }
        let flow = base("amount", "rate")
        let sql = """
        WITH \(common(l, last: last)),
        -- Applications that move net AR: one customer's payment applied to another's document,
        -- or a foreign payment or document.
        nc AS \(shared) (
          SELECT * FROM (\(appJoin(l))) a
          WHERE pay_rate IS NOT NULL OR doc_rate IS NOT NULL OR pay_customer <> doc_customer),
        ncred AS NOT MATERIALIZED (
          SELECT * FROM cred WHERE alloc_date IS NOT NULL AND NOT (rate IS NULL AND doc_rate IS NULL AND customer_id = doc_customer)),
        ev(customer_id, d, tag, item, rate, fdelta, dn, fk, fv) AS NOT MATERIALIZED (
          SELECT customer_id, d, 'd'::"char", \(ev("", "rate", "doc_id")), fk, \(flow) AS fv FROM doc
          UNION ALL
          SELECT customer_id, d, 'p'::"char", \(ev("-", "rate", "payment_id")), 4, \(flow) FROM pay
          UNION ALL
          SELECT customer_id, d, 'c'::"char", \(ev("-", "rate", "adjustment_id")), CASE kind WHEN 'credit_memo' THEN 5 ELSE 6 END, \(flow) FROM cred
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
        -- Per customer × month (events before the first month count in its opening), and per
        -- foreign item.
        agg AS \(shared) (
          SELECT customer_id, greatest(\(monthIndex("d", months)), 0) AS idx, tag, item, rate,
                 sum(fdelta) AS fdelta, sum(dn) AS dn,
                 sum(fv) FILTER (WHERE fk = 1 AND d >= \(lo)) AS inv, sum(fv) FILTER (WHERE fk = 2 AND d >= \(lo)) AS deb,
                 sum(fv) FILTER (WHERE fk = 3 AND d >= \(lo)) AS fee, sum(fv) FILTER (WHERE fk = 4 AND d >= \(lo)) AS col,
                 sum(fv) FILTER (WHERE fk = 5 AND d >= \(lo)) AS cm, sum(fv) FILTER (WHERE fk = 6 AND d >= \(lo)) AS wo,
                 count(*) FILTER (WHERE fk = 1 AND d >= \(lo)) AS issued
          FROM ev WHERE d <= \(hi)
          GROUP BY 1, 2, 3, 4, 5),
        mon AS (
          SELECT customer_id, idx, sum(inv) AS inv, sum(deb) AS deb, sum(fee) AS fee, sum(col) AS col, sum(cm) AS cm, sum(wo) AS wo,
                 sum(issued) AS issued, sum(dnet) AS dnet
          FROM (
            SELECT customer_id, idx, inv, deb, fee, col, cm, wo, issued, dn AS dnet FROM agg WHERE item IS NULL
            UNION ALL
            SELECT customer_id, idx, inv, deb, fee, col, cm, wo, issued,
                   dn + (round(open * rate, \(bd)) * \(p))::bigint - (round((open - fdelta) * rate, \(bd)) * \(p))::bigint
            FROM (SELECT *, sum(fdelta) OVER (PARTITION BY customer_id, tag, item ORDER BY idx) AS open FROM agg WHERE item IS NOT NULL) f
          ) x GROUP BY customer_id, idx),
        ncdoc AS (SELECT doc_id FROM nc UNION SELECT doc_ref FROM ncred),
        chk_pay AS (
          SELECT count(*) AS n FROM (
            SELECT \(payKey), sum(a.amount) AS s FROM \(apps) a
            WHERE (\(payKey)) IN (SELECT \(ncKey) FROM nc) GROUP BY \(payKey)) x
          JOIN \(payTable) p ON \(payOn) WHERE x.s > p.amount),
        chk_doc AS (
          SELECT count(*) AS n FROM (
            SELECT doc_id, sum(s) AS s FROM (
              SELECT a.invoice_id AS doc_id, a.amount AS s FROM \(apps) a WHERE a.invoice_id IN (SELECT doc_id FROM ncdoc)
              UNION ALL SELECT doc_ref, amount FROM cred WHERE alloc_date IS NOT NULL AND doc_ref IN (SELECT doc_id FROM ncdoc)) y
            GROUP BY 1) x
          JOIN (SELECT invoice_id AS doc_id, amount FROM \(t("invoices"))
                UNION ALL SELECT adjustment_id, amount FROM \(adjTable) WHERE lower(btrim(kind)) IN ('debit_memo', 'late_fee')) d
            ON d.doc_id = x.doc_id
          WHERE x.s > d.amount)
        SELECT customer_id, idx, coalesce(inv, 0), coalesce(deb, 0), coalesce(fee, 0), coalesce(col, 0), coalesce(cm, 0), coalesce(wo, 0),
               issued, sum(dnet) OVER (PARTITION BY customer_id ORDER BY idx)
        FROM mon
        UNION ALL SELECT NULL, -1, (SELECT n FROM chk_pay), (SELECT n FROM chk_doc),
          (SELECT count(*) FROM cred WHERE doc_ref IS NOT NULL AND alloc_date IS NULL), 0, 0, 0, 0, 0
        ORDER BY 1, 2
        """
        // Streamed (COPY, one row at a time, parsed as it arrives): on 10M invoices the
        // statement returns nearly 2M rows, which as one result set of strings would take
        // more memory than the whole computation.
        var blockers: [String] = []
        var out: [MonthRow] = []
        // Net AR is the running sum at each month with events; a month without events carries
        // the previous month's.
        var customer: String? = nil, running: Int64 = 0, m = 0
        func close() {
            guard let c = customer else { return }
            while m < months.count {
                if running != 0 { var row = MonthRow(customer: c, month: m); row.net = running; out.append(row) }
                m += 1
            }
        }
        var bad = false
        try conn.copyOut("COPY (\(sql)) TO STDOUT", what: "pushdown (monthly measures)") { line in
            let f = PGPushdown.fields(line)
            guard f.count == 10 else { bad = true; return }
            guard let c = f[0] else {
                blockers = PGPushdown.capBlockers(payments: f[2], documents: f[3], orphans: f[4])
                return
            }
            if c != customer { close(); customer = c; running = 0; m = 0 }
            guard let idx = f[1].flatMap({ Int($0) }) else { bad = true; return }
            while m < idx {
                if running != 0 { var row = MonthRow(customer: c, month: m); row.net = running; out.append(row) }
                m += 1
            }
            func int(_ k: Int) -> Int64 { f[k].flatMap { Int64($0) } ?? 0 }
            var row = MonthRow(customer: c, month: idx)
            row.invoices = int(2); row.debitMemos = int(3); row.lateFees = int(4)
            row.collections = int(5); row.creditMemos = int(6); row.writeOffs = int(7)
            row.invoicesIssued = Int32(int(8))
            running = int(9)
            row.net = running
            out.append(row)
            m = idx + 1
        }
        close()
        if bad { throw .database("\(location.masked): pushdown (monthly measures): the server sent a row ARLens cannot read") }
        return (out, blockers)
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
    public func monthly(_ months: [YearMonth]) throws(LoadError) -> [MonthRow] {
        let (rows, blockers) = try monthlyChecked(months)
        if !blockers.isEmpty { throw .database("\(location.masked): \(blockers.joined(separator: "; "))") }
        return rows
    }

    /// Aging as of `asOf`: per customer and bucket, the open documents' base amounts (each at
    /// its own rate), and per customer the unapplied cash plus unallocated credit (base).
    public struct AgingRows: Sendable {
        public var buckets: [(customer: String, bucket: Int, amount: Int64)] = []
        public var unapplied: [(customer: String, amount: Int64)] = []
        /// What keeps the answer from being exact (the settlement caps); not empty: unusable.
        public var blockers: [String] = []
    }

    /// `bucket` is the SQL CASE giving a bucket index from `days` (the caller builds it from
    /// the same rule as `Aging.bucket`); `byIssue` ages from the issue date instead of the due
    /// date. `last` is the ledger's last day: as of it or later, every application and credit
    /// has taken effect, and the applications are summed without reading their payments and
    /// documents.
    ///
    /// Each document's open amount is its amount less its applications and credits (per
    /// document: one grouping of the applications), converted at its own rate and summed per
    /// customer and bucket; each payment's unapplied amount likewise. The same sums over all
    /// time check the settlement caps (a document or payment settled beyond its amount).
    public func aging(asOf: Day, last: Day, bucketCase: (String) -> String, byIssue: Bool) throws(LoadError) -> AgingRows {
        let l = try layout()
        let d = "DATE '\(asOf)'"
        let apps = l.hasApps ? t("applications") : "(SELECT NULL::text AS payment_id, NULL::text AS invoice_id, NULL::numeric AS amount, NULL::text AS customer_id WHERE false)"
        let appSource: String
        if asOf >= last {
            let cust = l.appCustomer ? "a.customer_id" : "NULL::text"
            appSource = "SELECT \(cust) AS pay_customer, a.payment_id, a.invoice_id AS doc_id, a.amount, true AS done FROM \(apps) a"
        } else {
            appSource = "SELECT pay_customer, payment_id, doc_id, amount, eff <= \(d) AS done FROM (\(appJoin(l))) j"
        }
        let payOn = l.appCustomer ? "ap.pay_customer = p.customer_id AND ap.payment_id = p.payment_id" : "ap.payment_id = p.payment_id"
        let sql = """
        WITH \(common(l, last: last)),
        apps AS \(asOf >= last || citus ? "NOT MATERIALIZED" : "MATERIALIZED") (\(appSource)),
        ad AS (SELECT doc_id, sum(amount) AS total, sum(amount) FILTER (WHERE done) AS done FROM apps GROUP BY doc_id),
        ap AS (SELECT pay_customer, payment_id, sum(amount) AS total, sum(amount) FILTER (WHERE done) AS done FROM apps GROUP BY 1, 2),
        cd AS (SELECT doc_ref AS doc_id, sum(amount) AS total, sum(amount) FILTER (WHERE alloc_date <= \(d)) AS done
               FROM cred WHERE alloc_date IS NOT NULL GROUP BY 1),
        od AS (
          SELECT dd.customer_id, dd.d, dd.due, dd.rate, dd.amount - coalesce(ad.done, 0) - coalesce(cd.done, 0) AS open,
                 coalesce(ad.total, 0) + coalesce(cd.total, 0) > dd.amount AS over
          FROM doc dd LEFT JOIN ad ON ad.doc_id = dd.doc_id LEFT JOIN cd ON cd.doc_id = dd.doc_id),
        up AS (
          SELECT p.customer_id, p.d, \(base("p.amount - coalesce(ap.done, 0)", "p.rate")) AS v, coalesce(ap.total, 0) > p.amount AS over
          FROM pay p LEFT JOIN ap ON \(payOn))
        SELECT 'b', customer_id, \(bucketCase("(\(d) - \(byIssue ? "d" : "due"))")),
               sum(\(base("open", "rate"))) FILTER (WHERE d <= \(d) AND open <> 0), count(*) FILTER (WHERE over)
          FROM od GROUP BY 2, 3
        UNION ALL
        SELECT 'u', customer_id, 0, sum(v) FILTER (WHERE d <= \(d)), count(*) FILTER (WHERE over) FROM up GROUP BY 2
        UNION ALL
        SELECT 'c', customer_id, 0, sum(\(base("amount", "rate"))) FILTER (WHERE d <= \(d) AND (alloc_date IS NULL OR alloc_date > \(d))),
               count(*) FILTER (WHERE doc_ref IS NOT NULL AND alloc_date IS NULL)
          FROM cred GROUP BY 2
        ORDER BY 1, 2, 3
        """
        var out = AgingRows()
        var overDocs = 0, overPayments = 0, orphans = 0
        var unapplied: [String: Int64] = [:]
        var order: [String] = []
        for r in try conn.exec(sql, what: "pushdown (aging)").rows {
            let n = Int(r[4] ?? "0") ?? 0
            let amount = r[3].flatMap { Int64($0) }
            switch r[0] ?? "" {
            case "b":
                overDocs += n
                if let amount { out.buckets.append((r[1]!, Int(r[2]!)!, amount)) }
            case "c":
                orphans += n
                if let amount {
                    if unapplied[r[1]!] == nil { order.append(r[1]!) }
                    unapplied[r[1]!, default: 0] += amount
                }
            default:
                overPayments += n
                if let amount {
                    if unapplied[r[1]!] == nil { order.append(r[1]!) }
                    unapplied[r[1]!, default: 0] += amount
                }
            }
        }
        out.unapplied = order.sorted().map { (customer: $0, amount: unapplied[$0]!) }
        out.blockers = PGPushdown.capBlockers(payments: String(overPayments), documents: String(overDocs), orphans: String(orphans))
        return out
    }

    /// The plan of the monthly invoice sums per customer (the partition test checks it is
    /// aggregated per partition of customer_id).
    public func explainMonthly(_ months: [YearMonth]) throws(LoadError) -> String {
        let sql = """
        EXPLAIN (COSTS OFF) WITH \(common(try layout(), last: months[months.count - 1].lastDay))
        SELECT i.customer_id, \(monthIndex("i.d", months)) AS idx, sum(i.amount), count(*) FROM inv i
        WHERE \(inMonths("i.d", months)) GROUP BY 1, 2
        """
        return try conn.exec(sql).rows.map { $0[0] ?? "" }.joined(separator: "\n")
    }

    /// Runs a statement on this connection (session settings for tests and benchmarks).
    public func execute(_ sql: String) throws(LoadError) -> [[String?]] { try conn.exec(sql).rows }
}
