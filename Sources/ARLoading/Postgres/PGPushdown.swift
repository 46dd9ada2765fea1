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
        // These statements are long (hundreds of expressions) and their plans' costs are high,
        // so the server's JIT compiler would spend most of the time compiling them: on a
        // 100k-invoice ledger 38 s of a 54 s statement (EXPLAIN ANALYZE's "JIT: Timing"), while
        // the execution itself takes seconds. Off for this session; a server without JIT
        // (before PostgreSQL 11) has no such setting, which is fine.
        _ = try? conn.exec("SET jit = off")
        self.citus = (try? conn.exec("SELECT 1 FROM pg_extension WHERE extname = 'citus'").rows.isEmpty == false) ?? false
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

    /// The shared definitions: customers, documents (invoices and debit adjustments),
    /// payments, credits and applications, with currencies, rates and effective dates.
    func common() throws(LoadError) -> String {
        let b = PG.literal(base.code), bd = base.minorDigits
        func rate(_ cur: String, _ d: String) -> String {
            "CASE WHEN \(cur) = \(b) THEN NULL ELSE coalesce((SELECT f.rate FROM \(t("fx_rates")) f WHERE upper(f.currency) = \(cur) AND f.date <= \(d) ORDER BY f.date DESC LIMIT 1), 1) END"
        }
        let hasAdj = try exists("adjustments"), hasApps = try exists("applications"), hasPay = try exists("payments")
        let invCur = try hasColumn("invoices", "currency") ? "upper(nullif(btrim(i.currency), ''))" : "NULL"
        let invDue = try hasColumn("invoices", "due_date") ? "i.due_date" : "NULL::date"
        let custCur = try hasColumn("customers", "currency") ? "upper(nullif(btrim(c.currency), ''))" : "NULL"
        let custTerms = try hasColumn("customers", "terms_days") ? "c.terms_days" : "NULL::integer"
        let payCurHas = hasPay ? try hasColumn("payments", "currency") : false
        let payCur = payCurHas ? "upper(nullif(btrim(p.currency), ''))" : "NULL"
        let appDateHas = hasApps ? try hasColumn("applications", "applied_date") : false
        let appDate = appDateHas ? "a.applied_date" : "NULL::date"
        let appJoinHas = hasApps ? try hasColumn("applications", "customer_id") : false
        let appJoin = appJoinHas ? "p.customer_id = a.customer_id AND p.payment_id = a.payment_id" : "p.payment_id = a.payment_id"
        let adjDocHas = hasAdj ? try hasColumn("adjustments", "invoice_id") : false
        let adjDoc = adjDocHas ? "a.invoice_id" : "NULL::text"
        let adj = hasAdj ? t("adjustments") : "(SELECT NULL::text AS adjustment_id, NULL::text AS customer_id, NULL::date AS date, NULL::text AS kind, NULL::numeric AS amount, NULL::text AS invoice_id WHERE false)"
        let pay = hasPay ? t("payments") : "(SELECT NULL::text AS payment_id, NULL::text AS customer_id, NULL::date AS received_date, NULL::numeric AS amount, NULL::text AS currency WHERE false)"
        let apps = hasApps ? t("applications") : "(SELECT NULL::text AS payment_id, NULL::text AS invoice_id, NULL::numeric AS amount, NULL::date AS applied_date WHERE false)"
        // doc, cred, pay and app are read many times by each statement: on PostgreSQL they are
        // computed once (MATERIALIZED); inlined, each reading re-ran their joins and rate look-ups
        // (with row estimates of 1 that made nested loops), 2.5x the time on a 100k-invoice
        // ledger. On Citus they stay inlined so that every join and aggregate runs on the shards
        // (a materialized CTE is gathered on the coordinator).
        let shared = citus ? "NOT MATERIALIZED" : "MATERIALIZED"
        return """
        cust AS NOT MATERIALIZED (
          SELECT c.customer_id, coalesce(\(custCur), \(b)) AS cur, coalesce(\(custTerms), \(defaultTerms)) AS terms
          FROM \(t("customers")) c),
        inv AS NOT MATERIALIZED (
          SELECT i.customer_id, i.invoice_id AS doc_id, i.issue_date AS d, coalesce(\(invDue), i.issue_date + k.terms) AS due,
                 i.amount, coalesce(\(invCur), k.cur) AS cur, 'invoice'::text AS kind
          FROM \(t("invoices")) i JOIN cust k ON k.customer_id = i.customer_id),
        adj AS NOT MATERIALIZED (
          SELECT a.customer_id, a.adjustment_id, a.date AS d, lower(btrim(a.kind)) AS kind, a.amount, \(adjDoc) AS doc_ref,
                 k.cur AS ccur, k.terms
          FROM \(adj) a JOIN cust k ON k.customer_id = a.customer_id),
        deb AS NOT MATERIALIZED (
          SELECT a.customer_id, a.adjustment_id AS doc_id, a.d, a.d + a.terms AS due, a.amount,
                 coalesce((SELECT i.cur FROM inv i WHERE i.doc_id = a.doc_ref), a.ccur) AS cur, a.kind
          FROM adj a WHERE a.kind IN ('debit_memo', 'late_fee')),
        doc0 AS NOT MATERIALIZED (SELECT * FROM inv UNION ALL SELECT * FROM deb),
        doc AS \(shared) (SELECT x.*, \(rate("x.cur", "x.d")) AS rate FROM doc0 x),
        cred0 AS NOT MATERIALIZED (
          SELECT a.customer_id, a.adjustment_id, a.d, a.kind, a.amount, a.doc_ref,
                 coalesce(dd.cur, a.ccur) AS cur, dd.customer_id AS doc_customer, dd.rate AS doc_rate,
                 CASE WHEN dd.doc_id IS NULL THEN NULL ELSE greatest(a.d, dd.d) END AS alloc_date
          FROM adj a LEFT JOIN doc dd ON dd.doc_id = a.doc_ref
          WHERE a.kind IN ('credit_memo', 'write_off')),
        cred AS \(shared) (SELECT x.*, \(rate("x.cur", "x.d")) AS rate FROM cred0 x),
        pay0 AS NOT MATERIALIZED (
          SELECT p.customer_id, p.payment_id, p.received_date AS d, p.amount, coalesce(\(payCur), k.cur) AS cur
          FROM \(pay) p JOIN cust k ON k.customer_id = p.customer_id),
        pay AS \(shared) (SELECT x.*, \(rate("x.cur", "x.d")) AS rate FROM pay0 x),
        app AS \(shared) (
          SELECT p.customer_id AS pay_customer, dd.customer_id AS doc_customer, a.payment_id, dd.doc_id, a.amount,
                 greatest(coalesce(\(appDate), p.d), p.d, dd.d) AS eff, p.rate AS pay_rate, dd.rate AS doc_rate
          FROM \(apps) a JOIN pay p ON \(appJoin) JOIN doc dd ON dd.doc_id = a.invoice_id),
        base_digits AS (SELECT \(bd) AS n)
        """
    }

    /// The ledger's dates and what keeps it from being aggregated here.
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
        let hasPay = try exists("payments"), hasApps = try exists("applications")
        if hasPay && !hasApps {
            let n = try conn.exec("SELECT count(*) FROM \(t("payments"))").rows[0][0] ?? "0"
            if n != "0" { f.blockers.append("payments have no applications table (cash is applied automatically in memory)") }
        }
        let b = PG.literal(base.code)
        let sql = """
        WITH \(try common())
        SELECT
          (SELECT min(d) FROM (SELECT min(d) AS d FROM doc UNION ALL SELECT min(d) FROM cred UNION ALL SELECT min(d) FROM pay UNION ALL SELECT min(eff) FROM app) x),
          (SELECT max(d) FROM (SELECT max(d) AS d FROM doc UNION ALL SELECT max(d) FROM cred UNION ALL SELECT max(d) FROM pay UNION ALL SELECT max(eff) FROM app) x),
          (SELECT min(d) FROM doc),
          (SELECT count(*) FROM (SELECT a.payment_id FROM app a JOIN pay p ON p.payment_id = a.payment_id
                                 GROUP BY a.payment_id, p.amount HAVING sum(a.amount) > p.amount) x),
          (SELECT count(*) FROM (SELECT dd.doc_id FROM doc dd
                                   LEFT JOIN (SELECT doc_id, sum(amount) AS s FROM app GROUP BY doc_id) ap ON ap.doc_id = dd.doc_id
                                   LEFT JOIN (SELECT doc_ref, sum(amount) AS s FROM cred WHERE alloc_date IS NOT NULL GROUP BY doc_ref) cr ON cr.doc_ref = dd.doc_id
                                 WHERE coalesce(ap.s, 0) + coalesce(cr.s, 0) > dd.amount) x),
          (SELECT count(*) FROM adj a JOIN adj b2 ON b2.adjustment_id = a.doc_ref WHERE a.kind IN ('debit_memo', 'late_fee')),
          (SELECT count(*) FROM adj WHERE kind NOT IN ('credit_memo', 'write_off', 'debit_memo', 'late_fee')),
          (SELECT count(*) FROM cred WHERE doc_ref IS NOT NULL AND alloc_date IS NULL),
          (SELECT count(DISTINCT cur) FROM (SELECT cur FROM doc UNION SELECT cur FROM pay UNION SELECT cur FROM cred) x WHERE cur <> \(b))
        """
        let r = try conn.exec(sql, what: "pushdown").rows[0]
        f.firstDay = r[0].flatMap { Day(iso: $0) }
        f.lastDay = r[1].flatMap { Day(iso: $0) }
        f.firstDocumentMonth = r[2].flatMap { Day(iso: $0) }?.yearMonth
        if r[3] != "0" { f.blockers.append("\(r[3]!) payments are applied beyond their amount (the settlement caps apply in memory)") }
        if r[4] != "0" { f.blockers.append("\(r[4]!) documents are paid or credited beyond their amount (the settlement caps apply in memory)") }
        if r[5] != "0" { f.blockers.append("\(r[5]!) debit memos or late fees name another adjustment") }
        if r[6] != "0" { f.blockers.append("\(r[6]!) adjustments have a kind the server cannot classify") }
        if r[7] != "0" { f.blockers.append("\(r[7]!) credits name a document that is not there") }
        return f
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

    func monthValues(_ months: [YearMonth]) -> String {
        months.enumerated().map { "(\($0.offset), DATE '\($0.element.firstDay)', DATE '\($0.element.lastDay)')" }.joined(separator: ", ")
    }

    /// `round(x * rate)` in base minor units, or x when the item is in the base currency.
    func base(_ x: String, _ rate: String) -> String {
        let bd = base.minorDigits
        return "(CASE WHEN \(rate) IS NULL THEN \(x) ELSE round((\(x)) * \(rate), \(bd)) END * \(Money.powersOfTen[bd]))::bigint"
    }

    public func monthly(_ months: [YearMonth]) throws(LoadError) -> [MonthRow] {
        guard let first = months.first, let last = months.last else { return [] }
        let sql = """
        WITH \(try common()),
        m(idx, lo, hi) AS (VALUES \(monthValues(months))),
        -- The month's flows, per customer (each row's own customer).
        flows AS (
          SELECT customer_id, \(monthIndex("e.d", months)) AS idx,
                 sum(CASE WHEN kind = 'invoice' THEN v END) AS inv, sum(CASE WHEN kind = 'debit_memo' THEN v END) AS deb,
                 sum(CASE WHEN kind = 'late_fee' THEN v END) AS fee, sum(CASE WHEN kind = 'pay' THEN v END) AS col,
                 sum(CASE WHEN kind = 'credit_memo' THEN v END) AS cm, sum(CASE WHEN kind = 'write_off' THEN v END) AS wo,
                 count(*) FILTER (WHERE kind = 'invoice') AS issued
          FROM (SELECT customer_id, d, kind, \(base("amount", "rate")) AS v FROM doc
                UNION ALL SELECT customer_id, d, 'pay', \(base("amount", "rate")) FROM pay
                UNION ALL SELECT customer_id, d, kind, \(base("amount", "rate")) FROM cred) e
          WHERE \(inMonths("e.d", months))
          GROUP BY 1, 2),
        -- Net AR moves, for items in the base currency: linear in what takes effect.
        lin AS (
          SELECT customer_id, d, sum(delta) AS delta FROM (
            SELECT customer_id, d, amount AS delta FROM doc WHERE rate IS NULL
            UNION ALL SELECT doc_customer, eff, -amount FROM app WHERE doc_rate IS NULL
            UNION ALL SELECT doc_customer, alloc_date, -amount FROM cred WHERE alloc_date IS NOT NULL AND doc_rate IS NULL
            UNION ALL SELECT customer_id, d, -amount FROM pay WHERE rate IS NULL
            UNION ALL SELECT pay_customer, eff, amount FROM app WHERE pay_rate IS NULL
            UNION ALL SELECT customer_id, d, -amount FROM cred WHERE rate IS NULL
            UNION ALL SELECT customer_id, alloc_date, amount FROM cred WHERE alloc_date IS NOT NULL AND rate IS NULL
          ) x GROUP BY customer_id, d),
        lin_month AS (
          SELECT l.customer_id, \(monthIndex("l.d", months)) AS idx, sum(l.delta) AS delta FROM lin l
          WHERE \(inMonths("l.d", months)) GROUP BY 1, 2),
        -- Foreign-currency items: each one's open local amount at every month-end, converted.
        fx_item AS (
          SELECT 'd' || doc_id AS item, customer_id, d, 1 AS sign, rate FROM doc WHERE rate IS NOT NULL
          UNION ALL SELECT 'p' || payment_id, customer_id, d, -1, rate FROM pay WHERE rate IS NOT NULL
          UNION ALL SELECT 'c' || adjustment_id, customer_id, d, -1, rate FROM cred WHERE rate IS NOT NULL),
        fx_ev AS (
          SELECT 'd' || doc_id AS item, d, amount AS delta FROM doc WHERE rate IS NOT NULL
          UNION ALL SELECT 'd' || doc_id, eff, -amount FROM app WHERE doc_rate IS NOT NULL
          UNION ALL SELECT 'd' || doc_ref, alloc_date, -amount FROM cred WHERE alloc_date IS NOT NULL AND doc_rate IS NOT NULL
          UNION ALL SELECT 'p' || payment_id, d, amount FROM pay WHERE rate IS NOT NULL
          UNION ALL SELECT 'p' || payment_id, eff, -amount FROM app WHERE pay_rate IS NOT NULL
          UNION ALL SELECT 'c' || adjustment_id, d, amount FROM cred WHERE rate IS NOT NULL
          UNION ALL SELECT 'c' || adjustment_id, alloc_date, -amount FROM cred WHERE alloc_date IS NOT NULL AND rate IS NOT NULL),
        fx_open AS (
          SELECT i.customer_id, m.idx, i.sign, i.rate, sum(e.delta) AS open
          FROM fx_item i JOIN m ON i.d <= m.hi JOIN fx_ev e ON e.item = i.item AND e.d <= m.hi
          GROUP BY i.item, i.customer_id, m.idx, i.sign, i.rate),
        fx_month AS (
          SELECT customer_id, idx, sum(sign * \(base("open", "rate"))) AS v FROM fx_open WHERE open <> 0 GROUP BY customer_id, idx),
        grid AS (
          SELECT customer_id, idx FROM flows UNION SELECT customer_id, idx FROM lin_month UNION SELECT customer_id, idx FROM fx_month),
        before AS (
          SELECT customer_id, sum(delta) AS v FROM lin WHERE d < DATE '\(first.firstDay)' GROUP BY customer_id)
        SELECT g.customer_id, g.idx, coalesce(f.inv, 0), coalesce(f.deb, 0), coalesce(f.fee, 0), coalesce(f.col, 0),
               coalesce(f.cm, 0), coalesce(f.wo, 0), coalesce(f.issued, 0),
               (coalesce(b.v, 0) * \(Money.powersOfTen[base.minorDigits]))::bigint, (coalesce(l.delta, 0) * \(Money.powersOfTen[base.minorDigits]))::bigint,
               coalesce(x.v, 0)
        FROM grid g
          LEFT JOIN flows f ON f.customer_id = g.customer_id AND f.idx = g.idx
          LEFT JOIN lin_month l ON l.customer_id = g.customer_id AND l.idx = g.idx
          LEFT JOIN fx_month x ON x.customer_id = g.customer_id AND x.idx = g.idx
          LEFT JOIN before b ON b.customer_id = g.customer_id
        ORDER BY g.customer_id, g.idx
        """
        _ = last
        let rows = try conn.exec(sql, what: "pushdown (monthly measures)").rows
        // Net AR: the base-currency part accumulates month by month; the foreign part is each
        // month-end's own sum. Months with no row carry the running base part.
        var out: [MonthRow] = []
        var byCustomer: [String: [Int: [String?]]] = [:]
        var order: [String] = []
        for r in rows {
            let c = r[0]!
            if byCustomer[c] == nil { order.append(c) }
            byCustomer[c, default: [:]][Int(r[1]!)!] = r
        }
        for c in order {
            let rs = byCustomer[c]!
            var running: Int64 = Int64(rs.values.first![9]!)!
            for m in 0..<months.count {
                guard let r = rs[m] else {
                    if running != 0 { var row = MonthRow(customer: c, month: m); row.net = running; out.append(row) }
                    continue
                }
                running += Int64(r[10]!)!
                var row = MonthRow(customer: c, month: m)
                row.invoices = Int64(r[2]!)!; row.debitMemos = Int64(r[3]!)!; row.lateFees = Int64(r[4]!)!
                row.collections = Int64(r[5]!)!; row.creditMemos = Int64(r[6]!)!; row.writeOffs = Int64(r[7]!)!
                row.invoicesIssued = Int32(r[8]!)!
                row.net = running + Int64(r[11]!)!
                out.append(row)
            }
        }
        return out
    }

    /// Aging as of `asOf`: per customer and bucket, the open documents' base amounts (each at
    /// its own rate), and per customer the unapplied cash plus unallocated credit (base).
    public struct AgingRows: Sendable {
        public var buckets: [(customer: String, bucket: Int, amount: Int64)] = []
        public var unapplied: [(customer: String, amount: Int64)] = []
    }

    /// `bucket` is the SQL CASE giving a bucket index from `days` (the caller builds it from
    /// the same rule as `Aging.bucket`); `byIssue` ages from the issue date instead of the due date.
    public func aging(asOf: Day, bucketCase: (String) -> String, byIssue: Bool) throws(LoadError) -> AgingRows {
        let d = "DATE '\(asOf)'"
        let sql = """
        WITH \(try common()),
        reduced AS (
          SELECT doc_id, sum(amount) AS s FROM (
            SELECT doc_id, amount FROM app WHERE eff <= \(d)
            UNION ALL SELECT doc_ref, amount FROM cred WHERE alloc_date <= \(d)) x
          GROUP BY doc_id),
        open_doc AS (
          SELECT dd.customer_id, dd.d, dd.due, dd.rate, dd.amount - coalesce(r.s, 0) AS open
          FROM doc dd LEFT JOIN reduced r ON r.doc_id = dd.doc_id WHERE dd.d <= \(d)),
        used AS (SELECT payment_id, sum(amount) AS s FROM app WHERE eff <= \(d) GROUP BY payment_id),
        unapplied AS (
          SELECT p.customer_id, \(base("p.amount - coalesce(u.s, 0)", "p.rate")) AS v
          FROM pay p LEFT JOIN used u ON u.payment_id = p.payment_id WHERE p.d <= \(d)
          UNION ALL
          SELECT customer_id, \(base("amount", "rate")) FROM cred WHERE d <= \(d) AND (alloc_date IS NULL OR alloc_date > \(d)))
        SELECT 'b', customer_id, \(bucketCase("(\(d) - \(byIssue ? "d" : "due"))")), sum(\(base("open", "rate")))::text
          FROM open_doc WHERE open <> 0 GROUP BY 2, 3
        UNION ALL
        SELECT 'u', customer_id, 0, sum(v)::text FROM unapplied GROUP BY 2
        ORDER BY 1, 2, 3
        """
        var out = AgingRows()
        for r in try conn.exec(sql, what: "pushdown (aging)").rows {
            let amount = Int64(r[3]!)!
            if r[0] == "b" { out.buckets.append((r[1]!, Int(r[2]!)!, amount)) } else { out.unapplied.append((r[1]!, amount)) }
        }
        return out
    }

    /// The plan of the monthly invoice sums per customer (the partition test checks it is
    /// aggregated per partition of customer_id).
    public func explainMonthly(_ months: [YearMonth]) throws(LoadError) -> String {
        let sql = """
        EXPLAIN (COSTS OFF) WITH \(try common())
        SELECT i.customer_id, \(monthIndex("i.d", months)) AS idx, sum(i.amount), count(*) FROM inv i
        WHERE \(inMonths("i.d", months)) GROUP BY 1, 2
        """
        return try conn.exec(sql).rows.map { $0[0] ?? "" }.joined(separator: "\n")
    }

    /// Runs a statement on this connection (session settings for tests and benchmarks).
    public func execute(_ sql: String) throws(LoadError) -> [[String?]] { try conn.exec(sql).rows }
}
