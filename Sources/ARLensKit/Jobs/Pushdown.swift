import ARAnalytics
import ARLoading
import ARModel
import Foundation

/// `kpi --pushdown` and `aging --pushdown` on a PostgreSQL ledger: the server aggregates the
/// documents per customer × month (× bucket); ARLens keeps only the customer master and the
/// rates, and applies the same formulas to the server's sums. A request the server cannot
/// answer exactly returns nil with the reason (`fallback`), and the caller computes in memory.
public enum Pushdown {
    /// The metrics whose measures the server aggregates.
    public static let metrics: [KPI] = [.ar, .billings, .collections, .credit_memos, .write_offs, .bad_debt_ratio, .turnover]

    public enum Outcome<T> {
        case done(T)
        /// Why the server cannot answer: computed in memory instead.
        case fallback(String)

        /// The server's answer, else (with `warn` saying why) `inMemory`'s; nil when not asked.
        public static func answer(_ outcome: Outcome?, warn: (String) -> Void, else inMemory: () throws -> T) rethrows -> T {
            switch outcome {
            case .done(let view)?: return view
            case .fallback(let why)?: warn("--pushdown: \(why); computing in memory")
            case nil: break
            }
            return try inMemory()
        }
    }

    /// Without `--pushdown` or `--no-pushdown`, a PostgreSQL ledger with at least this many
    /// invoices is aggregated on the server (docs/postgresql.md gives the measurements behind it).
    public static let automaticRows = 1_000_000

    /// Whether to aggregate on the server when neither flag is given: a PostgreSQL ledger
    /// (`--data postgresql://...`) of at least `automaticRows` invoices, by the server's
    /// statistics (a count when the table was never analysed). `note` says so.
    public static func automatic(_ source: LedgerSource, note: (String) -> Void) -> Bool {
        guard PGLocation.isURL(source.directory), let loc = try? PGLocation(source.directory),
              let n = try? PGPushdown.invoiceCount(loc), n >= automaticRows else { return false }
        note("\(n) invoices (\(automaticRows) or more): aggregating on the server (--no-pushdown computes in memory)")
        return true
    }

    /// `kpi` whichever way it runs: on the server when `pushdown` says so (nil: when every
    /// metric can be and the ledger is large, `automatic`), else in memory on the workspace
    /// `open` makes of the tables it is given.
    public static func kpiView(_ source: LedgerSource, pushdown: Bool?, metrics: [KPI], from: YearMonth?, to: YearMonth?, grain: Grain,
                               by: ARAnalytics.Dimension?, note: (String) -> Void, warn: (String) -> Void,
                               open: (Set<TableName>) throws -> Workspace) throws -> KPIView {
        let push = pushdown ?? (metrics.allSatisfy(Pushdown.metrics.contains) && automatic(source, note: note))
        let server = push ? try kpis(source, metrics: metrics, from: from, to: to, grain: grain, by: by, warn: warn) : nil
        return try Outcome.answer(server, warn: warn) {
            try open(Workspace.tables(for: metrics)).kpis(metrics, from: from, to: to, grain: grain, by: by)
        }
    }

    /// `aging` whichever way it runs, as `kpiView` (the automatic choice leaves `--detail`
    /// and `--age-unapplied` in memory).
    public static func agingView(_ source: LedgerSource, pushdown: Bool?, asOf: Day?, by: ARAnalytics.Dimension, basis: AgingBasis,
                                 detail: Bool, buckets: [Int]?, firstBucketFromZero: Bool, ageUnappliedByDate: Bool,
                                 note: (String) -> Void, warn: @escaping @Sendable (String) -> Void,
                                 open: (Set<TableName>) throws -> Workspace) throws -> AgingView {
        let push = pushdown ?? (!detail && !ageUnappliedByDate && automatic(source, note: note))
        let server = push ? try aging(source, asOf: asOf, by: by, basis: basis, detail: detail, buckets: buckets,
                                      firstBucketFromZero: firstBucketFromZero, ageUnappliedByDate: ageUnappliedByDate, warn: warn) : nil
        return try Outcome.answer(server, warn: warn) {
            try open(Workspace.core).aging(asOf: asOf, by: by, basis: basis, detail: detail, buckets: buckets,
                                           firstBucketFromZero: firstBucketFromZero, ageUnappliedByDate: ageUnappliedByDate)
        }
    }

    static func open(_ source: LedgerSource) throws -> (Workspace, PGPushdown, PGPushdown.Facts)? {
        guard PGLocation.isURL(source.directory) else {
            throw ARLensError.usage("--pushdown needs a PostgreSQL ledger (--data postgresql://...)")
        }
        let ws = try Workspace(master: source)
        let pd = try PGPushdown(try PGLocation(source.directory), base: ws.base, defaultTerms: ws.configuration.defaultTermsDays)
        let facts = try pd.facts()
        return (ws, pd, facts)
    }

    /// KPI series aggregated on the server.
    public static func kpis(_ source: LedgerSource, metrics: [KPI], from: YearMonth?, to: YearMonth?, grain: Grain,
                            by: ARAnalytics.Dimension?, warn: (String) -> Void = { _ in }) throws -> Outcome<KPIView> {
        let other = metrics.filter { !Pushdown.metrics.contains($0) }
        if !other.isEmpty {
            return .fallback("\(other.map(\.rawValue).joined(separator: ", ")) cannot be computed on the server (it can: \(Pushdown.metrics.map(\.rawValue).joined(separator: ", ")))")
        }
        if let f = from, let t = to, f > t { throw ARLensError.input("--from \(f) is after --to \(t)") }
        guard let (ws, pd, facts) = try open(source) else { return .fallback("") }
        if !facts.blockers.isEmpty { return .fallback(facts.blockers.joined(separator: "; ")) }
        for n in facts.notes { warn("--pushdown: " + n) }
        guard let first = facts.firstDay, let last = facts.lastDay else {
            throw ARLensError.input("\(source.display) has no invoices, payments or adjustments to report on (arlens validate shows what was read)")
        }
        let query = KPIQuery(metrics: metrics, from: from, to: to, grain: grain, by: by)
        let (range, periods) = KPIEngine.monthRange(first: first.yearMonth, last: last.yearMonth, query)
        let grouping = Grouping(ws.ledger, by: by)
        var mm = MonthlyMeasures(empty: range, grouping: grouping, configuration: ws.configuration,
                                 firstDocumentMonth: facts.firstDocumentMonth, baseCurrency: ws.base)
        let ids = ws.ledger.customers.ids
        var group: [String: Int32] = [:]
        group.reserveCapacity(ids.count)
        for c in 0..<ids.count { group[ids[Int32(c)]] = grouping.customerGroup[c] }
        let (sums, caps) = try pd.monthlyChecked(range.all, group: group, groups: grouping.keys.count)
        if !caps.isEmpty { return .fallback(caps.joined(separator: "; ")) }
        if let c = sums.unknownCustomer {
            throw ARLensError.input("\(source.display): customer '\(c)' of the server's sums is not in the customer table")
        }
        for g in 0..<grouping.keys.count {
            var net: Int64 = 0
            for m in 0..<range.all.count {
                let i = sums.index(group: g, month: m), k = mm.k(g, m)
                mm.flows.invoices[k] += sums.invoices[i]
                mm.flows.debitMemos[k] += sums.debitMemos[i]
                mm.flows.lateFees[k] += sums.lateFees[i]
                mm.flows.collections[k] += sums.collections[i]
                mm.flows.creditMemos[k] += sums.creditMemos[i]
                mm.flows.writeOffs[k] += sums.writeOffs[i]
                mm.flows.invoicesIssued[k] += Int32(sums.invoicesIssued[i])
                net += sums.netChange[i]
                mm.net[k] += net
            }
        }
        let engine = KPIEngine(measures: mm, periods: periods)
        return .done(KPIView(workspace: ws, result: engine.result(query, configuration: ws.configuration)))
    }

    /// The aging aggregated on the server (the default layout; `--detail` and
    /// `--age-unapplied` need the items and are computed in memory).
    public static func aging(_ source: LedgerSource, asOf: Day?, by: ARAnalytics.Dimension, basis: AgingBasis, detail: Bool,
                             buckets: [Int]?, firstBucketFromZero: Bool, ageUnappliedByDate: Bool,
                             warn: @escaping @Sendable (String) -> Void = { _ in }) throws -> Outcome<AgingView> {
        if detail { return .fallback("--detail lists every open item, which the server does not send") }
        if ageUnappliedByDate { return .fallback("--age-unapplied ages each payment and credit, which the server does not send") }
        guard let (ws, pd, facts) = try open(source) else { return .fallback("") }
        ws.warn = warn
        if !facts.blockers.isEmpty { return .fallback(facts.blockers.joined(separator: "; ")) }
        for n in facts.notes { warn("--pushdown: " + n) }
        guard let first = facts.firstDay, let last = facts.lastDay else {
            throw ARLensError.input("\(source.display) has no invoices, payments or adjustments to report on (arlens validate shows what was read)")
        }
        // The as-of rules of Workspace.asOf, on the server's dates.
        let day: Day
        if let asOf {
            if asOf < first { throw ARLensError.input("--as-of \(asOf) is before the ledger starts (\(first)): nothing was open yet") }
            if asOf > last + 31 {
                ws.warn("--as-of \(asOf) is \(asOf - last) days after the ledger's last entry (\(last)): payments since then are not in it")
            }
            day = asOf
        } else {
            day = last
        }
        let edges = buckets ?? ws.configuration.agingBuckets
        let labels = Aging.labels(edges, basis: basis, firstBucketFromZero: firstBucketFromZero)
        // Aging.bucket as SQL.
        let withCurrent = basis == .due && !firstBucketFromZero
        let offset = withCurrent ? 1 : 0
        let bucketCase = { (days: String) -> String in
            var s = "CASE"
            if withCurrent { s += " WHEN \(days) <= 0 THEN 0" }
            for (i, e) in edges.enumerated() { s += " WHEN \(days) <= \(e) THEN \(i + offset)" }
            return s + " ELSE \(edges.count + offset) END"
        }
        let sums = try pd.aging(asOf: day, last: last, bucketCase: bucketCase, byIssue: basis == .issue)
        if !sums.blockers.isEmpty { return .fallback(sums.blockers.joined(separator: "; ")) }
        let grouping = Grouping(ws.ledger, by: by)
        var rows = grouping.keys.map { AgingRow(group: $0, buckets: [Int64](repeating: 0, count: labels.count), unapplied: 0) }
        let ids = ws.ledger.customers.ids
        func group(_ id: String) throws -> Int {
            guard let c = ids.find(id) else {
                throw ARLensError.input("\(source.display): customer '\(id)' of the server's sums is not in the customer table")
            }
            return Int(grouping.customerGroup[Int(c)])
        }
        for b in sums.buckets { rows[try group(b.customer)].buckets[b.bucket] += b.amount }
        for u in sums.unapplied { rows[try group(u.customer)].unapplied -= u.amount }
        var total = AgingRow(group: "total", buckets: [Int64](repeating: 0, count: labels.count), unapplied: 0)
        for r in rows {
            for b in 0..<labels.count { total.buckets[b] += r.buckets[b] }
            total.unapplied += r.unapplied
        }
        let shown = rows.filter { $0.unapplied != 0 || $0.buckets.contains { $0 != 0 } }
        let report = AgingReport(asOf: day, basis: basis, currency: ws.base, labels: labels, dimension: by, rows: shown,
                                 total: total, items: [], netAR: total.total)
        if let problem = report.checkInvariants() { throw ARLensError.invariant("aging does not reconcile: \(problem)") }
        return .done(AgingView(workspace: ws, report: report))
    }
}
