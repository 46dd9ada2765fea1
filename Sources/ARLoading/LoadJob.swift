import ARModel
import Dispatch
import Foundation

/// One load: opens every table, parses them (the big ones in parallel), resolves the
/// references between them, checks currencies and over-applications, and builds the ledger
/// and its report.
struct LoadJob {
    let directory: String
    let config: ConfigurationFile
    var report = LoadReport()
    var readers: [TableName: TableReader] = [:]
    /// The tables to read (all when the caller did not say).
    var wanted: Set<TableName> = Set(TableName.allCases)
    /// What the exports read in place (`mapping.preset` / `mapping.exports`) produced.
    var imported: ImportResult?
    /// An export already read by the caller (`arlens import`), used instead of the mapping's.
    var preImported: ImportResult?
    /// How many parts the references of a big table are resolved in, on every core (nil:
    /// by size, one for small tables). Any number gives the same ledger and rejections.
    var resolveParts: Int?
    /// The tables of a database source still streaming (`openTables`), parsed as they arrive.
    var pgStream: PGTableStream?
    /// Tests: the invoices file is read in two parts split at the first line start at or
    /// after this offset, whatever the other tables leave to do (nil: as the cores allow).
    var invoiceSplitAt: Int?
    /// After `run`: whether the invoices were read in two parts and joined (nil: not split;
    /// false: split where a record did not end, so the rest was read again after the first part).
    var invoiceSplitUsed: Bool?

    init(directory: String, config: ConfigurationFile) {
        self.directory = directory
        self.config = config
    }

    mutating func mark(_ name: String, _ t0: inout UInt64) {
        let t1 = DispatchTime.now().uptimeNanoseconds
        report.phases.append((name, Double(t1 - t0) / 1e9))
        t0 = t1
    }

    mutating func run() throws(LoadError) -> LoadResult {
        var t0 = DispatchTime.now().uptimeNanoseconds
        try openTables()
        let cfg = config.configuration

        // Phase 1: the customer master and the rates, which the other tables lean on.
        var stagedCustomers = readers[.customers].map {
            TableParsers.customers($0, implicit: cfg.baseCurrency, defaultTerms: cfg.defaultTermsDays)
        }
        var implicit = cfg.baseCurrency
        if implicit == nil, let sc = stagedCustomers {
            let named = Set(zip(sc.table.currency, sc.explicitCurrency).filter { $0.1 }.map { $0.0 })
            if named.count == 1 { implicit = named.first }
        }
        let implicitCurrency = implicit ?? .USD
        if var sc = stagedCustomers {
            for i in 0..<sc.table.count where !sc.explicitCurrency[i] { sc.table.currency[i] = implicitCurrency }
            var keep = [Bool](repeating: true, count: sc.table.count)
            for i in 0..<sc.table.count {
                guard let w = sc.creditLimitWide[i] else { continue }
                let cur = sc.table.currency[i]
                let ids = sc.table.ids
                if let v = readers[.customers]!.rescale(w, cur, line: sc.table.line[i], column: CustomerCol.creditLimit,
                                                        key: { _ in ids[Int32(i)] }) {
                    sc.table.creditLimit[i] = v
                } else {
                    keep[i] = false
                }
            }
            if keep.contains(false) {
                sc.table = sc.table.compacted(keeping: keep)
                sc.explicitCurrency = sc.explicitCurrency.compacted(keeping: keep)
                sc.creditLimitWide = sc.creditLimitWide.compacted(keeping: keep)
            }
            stagedCustomers = sc
        }
        let fx = readers[.fxRates].map { TableParsers.fxRates($0) }
        let ctx = CustomerContext(master: stagedCustomers?.table, implicitCurrency: implicitCurrency,
                                  defaultTerms: Int32(cfg.defaultTermsDays),
                                  masterFile: tableLabel(.customers), adjustmentsFile: tableLabel(.adjustments))

        mark("customers and rates", &t0)
        // Phase 2: everything else, the biggest files first, on every core.
        var staged = try pgStream.map { (stream) throws(LoadError) in try parseAsTheyArrive(stream, ctx) } ?? parseInParallel(ctx)
        mark("parse (parallel)", &t0)

        // Phase 3: customers, currencies, references.
        var ledger = Ledger(baseCurrency: implicitCurrency)
        var inv = staged.invoices
        var pay = staged.payments ?? StagedPayments()
        var adj = staged.adjustments ?? StagedAdjustments()
        var act = staged.activities ?? StagedActivities()
        var pos = staged.purchaseOrders ?? StagedPurchaseOrders()

        if let sc = stagedCustomers {
            ledger.customers = sc.table
        } else {
            ledger.customerMasterMissing = true
            ledger.customers = synthesizeCustomers(&inv, &pay, &adj, &act, &pos, ctx)
        }

        ledger.baseCurrency = try decideBaseCurrency(inv, pay, stagedCustomers, configured: cfg.baseCurrency,
                                                     implicit: implicitCurrency)
        if cfg.baseCurrency == nil && ledger.baseCurrency != implicitCurrency {
            // The ledger named its single currency only on documents: customers follow it.
            for i in 0..<ledger.customers.count
            where !(stagedCustomers?.explicitCurrency[i] ?? false) && ledger.customers.currency[i] == implicitCurrency {
                ledger.customers.currency[i] = ledger.baseCurrency
            }
        }
        if let fx { ledger.fxRates = fx }
        try checkRatesExist(inv, pay, base: ledger.baseCurrency, haveRates: fx != nil)

        filterInvoicesByRates(&inv, ledger)
        ledger.invoices = inv.table
        if staged.payments != nil {
            filterPaymentsByRates(&pay, ledger)
            ledger.payments = pay.table
        }
        mark("customers, currencies, rates", &t0)
        let (adjustments, applications) = resolveAdjustmentsAndApplications(adj, staged.applications, ledger)
        ledger.adjustments = adjustments
        if let applications {
            ledger.applications = applications
            ledger.applicationsFromFile = true
            // The references as written are no longer needed: not kept beside the ledger.
            staged.applications = StagedApplications()
        }
        mark("resolve adjustments, applications", &t0)
        if let d = staged.disputes { ledger.disputes = resolveDisputes(d, ledger) }
        if staged.activities != nil { ledger.activities = resolveActivities(act, ledger) }
        if staged.purchaseOrders != nil { ledger.purchaseOrders = finishPurchaseOrders(pos, ledger) }
        mark("resolve disputes, activities, POs", &t0)
        derivePaymentsFromInvoices(inv, &ledger)
        applyCaps(&ledger)
        mark("over-application check", &t0)

        try checkTotals(ledger)
        mark("totals", &t0)

        // The report: every file's counts, its rejections in line order, then the findings.
        let importedTables = Set(imported?.tables.keys.map { $0 } ?? [])
        if let imp = imported { addImportReport(imp) }
        for t in TableName.allCases {
            guard let r = readers[t] else { continue }
            if importedTables.contains(t) {
                report.rejections += r.rejections.sorted { $0.line < $1.line }
                assert(r.read == loadedCount(t, ledger) + r.rejections.count)
                continue
            }
            let loaded = loadedCount(t, ledger)
            report.files.append(FileReport(file: r.displayName, table: t.rawValue, read: r.read, loaded: loaded,
                                           rejected: r.rejections.count, ignoredColumns: r.ignoredColumns))
            report.rejections += r.rejections.sorted { $0.line < $1.line }
            if r.multilineValues > 0 {
                report.notes.append("\(r.displayName): \(r.multilineValues) quoted value\(r.multilineValues == 1 ? " spans" : "s span") several lines (first on line \(r.firstMultilineLine)); check for a stray quote if that is not expected")
            }
            assert(r.read == loaded + r.rejections.count, "\(t): read \(r.read) != loaded \(loaded) + rejected \(r.rejections.count)")
        }
        mark("report", &t0)
        return LoadResult(ledger: ledger, report: report, configuration: config)
    }

    /// The export's own files in the report: every row loaded, folded, skipped or rejected
    /// (rows the loader rejected after the export was read count as rejected).
    mutating func addImportReport(_ imp: ImportResult) {
        var loaderRejected: [String: Set<Int>] = [:]
        for t in imp.tables.keys {
            for x in readers[t]?.rejections ?? [] { loaderRejected[x.file, default: []].insert(x.line) }
        }
        for f in imp.files {
            let passed = Set(f.passed.map(Int.init))
            let lost = passed.intersection(loaderRejected[f.file] ?? []).count
            var fr = FileReport(file: f.file, table: "export (\(f.layout))", read: f.read, loaded: passed.count - lost,
                                rejected: f.rejected + lost)
            fr.skipped = f.skipped
            fr.folded = f.folded
            report.files.append(fr)
            assert(fr.read == fr.loaded + fr.rejected + fr.skipped + fr.folded, "\(f.file): rows not accounted for")
        }
        report.rejections += imp.rejections
        report.skipped += imp.skipped
        report.folded += imp.folded
        report.notes += imp.notes
    }

    /// Every sum ARLens makes over a table (totals, balances, buckets, roll-forwards) is at
    /// most the sum of the table's absolute amounts at the highest rate of each currency. When
    /// that bound passes `ValueLimits.maxTableTotal` the load stops with an error naming the
    /// table, instead of an overflow trap somewhere in an analysis.
    func checkTotals(_ l: Ledger) throws(LoadError) {
        var maxRate: [Currency: Double] = [:]
        for (c, list) in l.fxRates.rates { maxRate[c] = list.map(\.rate.doubleValue).max() ?? 1 }
        let base = l.baseCurrency
        func scale(_ c: Currency) -> Double {
            c == base ? 1 : (maxRate[c] ?? 1) * pow(10, Double(base.minorDigits - c.minorDigits))
        }
        func bound(_ amounts: [Int64], _ currencies: [Currency]) -> Double {
            // Each currency's scale worked out once (the last few met, looked up without hashing).
            var known: [(Currency, Double)] = []
            var total = 0.0
            for (k, a) in amounts.enumerated() {
                let c = currencies[k]
                let f: Double
                if c == base {
                    f = 1
                } else if let hit = known.first(where: { $0.0 == c }) {
                    f = hit.1
                } else {
                    f = scale(c)
                    known.append((c, f))
                }
                total += Double(a.magnitude) * f
            }
            return total
        }
        let limit = Double(ValueLimits.maxTableTotal)
        let checks: [(TableName, Double)] = [
            (.invoices, bound(l.invoices.amount, l.invoices.currency)),
            (.payments, bound(l.payments.amount, l.payments.currency)),
            (.adjustments, bound(l.adjustments.amount, l.adjustments.currency)),
            (.customers, bound(l.customers.creditLimit.map { $0 ?? 0 }, l.customers.currency)),
        ]
        for (t, total) in checks where total > limit {
            throw .totals(file: readers[t]?.displayName ?? t.defaultFile,
                          message: "the amounts add up to about \(String(format: "%.3g", total)) minor units of \(base.code), more than ARLens can sum exactly (\(String(format: "%.3g", limit))); split the ledger or check for amounts that are far too large")
        }
    }

    func loadedCount(_ t: TableName, _ l: Ledger) -> Int {
        switch t {
        case .customers: return l.customers.count
        case .invoices: return l.invoices.count
        case .payments: return l.paymentsFromInvoices ? 0 : l.payments.count
        case .applications: return l.paymentsFromInvoices ? 0 : l.applications.count
        case .adjustments: return l.adjustments.count
        case .disputes: return l.disputes.count
        case .activities: return l.activities.count
        case .purchaseOrders: return l.purchaseOrders.count
        case .fxRates: return l.fxRates.rates.values.reduce(0) { $0 + $1.count }
        }
    }

    /// How messages name table `t`: its reader's name when it was read (`payments.csv`,
    /// `ar.payments`), else what the source would have called it.
    func tableLabel(_ t: TableName) -> String {
        if let r = readers[t] { return r.displayName }
        if let url = config.source, let loc = try? PGLocation(url) {
            return PGTableSource.relation(t, loc, config.mapping.table(t)).display
        }
        return t.defaultFile
    }

    // MARK: opening

    mutating func openTables() throws(LoadError) {
        if let url = config.source {
            let loc = try PGLocation(url)
            // Every table streams in the background from here; the customer master and the
            // rates are waited for now, the others are parsed as they arrive (`parseAsTheyArrive`).
            let stream = PGTableStream(TableName.allCases.filter { wanted.contains($0) }, loc, config.mapping)
            pgStream = stream
            var failed: LoadError? = nil
            for t in [TableName.customers, .fxRates] where stream.order.contains(t) {
                switch stream.wait(t) {
                case .failure:
                    // Reported as before: the first failed read among every table's.
                    if let e = stream.firstFailure() { throw e }
                case .success(let r?):
                    do throws(LoadError) {
                        readers[t] = try TableReader(table: t, bytes: r.bytes, displayName: r.display, mapping: config.mapping, ignored: r.ignored,
                                                     dayNumberFields: r.dayNumberFields, rowKey: PGTableSource.rowKey(t, config.mapping))
                    } catch {
                        if failed == nil { failed = error }
                    }
                case .success(nil):
                    break
                }
            }
            if let failed {
                // A failed read of another table comes first, as when all were read before.
                throw stream.firstFailure() ?? failed
            }
            if readers[.customers] == nil {
                report.notes.append("\(PGTableSource.relation(.customers, loc, config.mapping.table(.customers)).display) is missing: customers were made from the ids in the other tables")
            }
            return
        }
        if !config.mapping.exports.isEmpty || preImported != nil {
            var all = ImportResult()
            if let preImported { all = preImported }
            for source in config.mapping.exports where preImported == nil { all.merge(try ExportReader.read(source, directory: config.directory)) }
            for (t, table) in all.tables.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let loc = TableLocation(t, directory: directory, config: config)
                if config.mapping.tables[t]?.file != nil || loc.exists {
                    throw .config(file: config.path ?? "arlens.yml", line: nil,
                                  message: "the export makes \(t.rawValue), and \(loc.display) is there too; remove one of them")
                }
                readers[t] = try TableReader(imported: table, sourceNames: all.sourceNames)
            }
            imported = all
        }
        for t in TableName.allCases where wanted.contains(t) && readers[t] == nil {
            let loc = TableLocation(t, directory: directory, config: config)
            if !loc.exists {
                if t == .invoices || config.mapping.tables[t]?.file != nil { throw .fileNotFound(loc.path) }
                continue
            }
            readers[t] = try TableReader(table: t, path: loc.path, displayName: loc.display, mapping: config.mapping)
        }
        if readers[.customers] == nil && imported == nil {
            report.notes.append("customers.csv is missing: customers were made from the ids in the other files")
        }
    }

    struct Staged: Sendable {
        var invoices = StagedInvoices()
        var payments: StagedPayments?
        var applications: StagedApplications?
        var adjustments: StagedAdjustments?
        var disputes: StagedDisputes?
        var activities: StagedActivities?
        var purchaseOrders: StagedPurchaseOrders?
    }

    enum Part: Sendable {
        case invoices(StagedInvoices), payments(StagedPayments), applications(StagedApplications)
        case adjustments(StagedAdjustments), disputes(StagedDisputes), activities(StagedActivities)
        case purchaseOrders(StagedPurchaseOrders)
    }

    /// The parse of one table, as `parseInParallel` runs it.
    static func parse(_ t: TableName, _ r: TableReader, _ ctx: CustomerContext) -> Part? {
        switch t {
        case .invoices: return .invoices(TableParsers.invoices(r, ctx))
        case .payments: return .payments(TableParsers.payments(r, ctx))
        case .applications: return .applications(TableParsers.applications(r))
        case .adjustments: return .adjustments(TableParsers.adjustments(r, ctx))
        case .disputes: return .disputes(TableParsers.disputes(r))
        case .activities: return .activities(TableParsers.activities(r, ctx))
        case .purchaseOrders: return .purchaseOrders(TableParsers.purchaseOrders(r, ctx))
        case .customers, .fxRates: return nil
        }
    }

    static func store(_ part: Part, into s: inout Staged) {
        switch part {
        case .invoices(let x): s.invoices = x
        case .payments(let x): s.payments = x
        case .applications(let x): s.applications = x
        case .adjustments(let x): s.adjustments = x
        case .disputes(let x): s.disputes = x
        case .activities(let x): s.activities = x
        case .purchaseOrders(let x): s.purchaseOrders = x
        }
    }

    /// A database source's tables, each parsed (on two threads) as soon as it has arrived
    /// while the server still streams the others. The same parts, readers and failures as
    /// reading every table first: a failed read is reported as then (the first in
    /// `PGTableSource.failureOrder`), before any table whose columns do not fit.
    mutating func parseAsTheyArrive(_ stream: PGTableStream, _ ctx: CustomerContext) throws(LoadError) -> Staged {
        final class Done: @unchecked Sendable {
            let lock = NSLock()
            var parts: [(TableName, TableReader, Part?, Double)] = []
            var unfit: [TableName: LoadError] = [:]
        }
        let done = Done()
        let mapping = config.mapping
        let workers = (0..<2).map { _ in
            { @Sendable () -> Void in
                while let (t, outcome) = stream.nextArrived() {
                    guard case .success(let read?) = outcome else { continue }
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    let reader: TableReader
                    do throws(LoadError) {
                        reader = try TableReader(table: t, bytes: read.bytes, displayName: read.display, mapping: mapping, ignored: read.ignored,
                                                 dayNumberFields: read.dayNumberFields, rowKey: PGTableSource.rowKey(t, mapping))
                    } catch {
                        done.lock.lock(); done.unfit[t] = error; done.lock.unlock()
                        continue
                    }
                    let part = LoadJob.parse(t, reader, ctx)
                    reader.file.release()
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                    done.lock.lock(); done.parts.append((t, reader, part, seconds)); done.lock.unlock()
                }
            }
        }
        _ = parallel(workers)
        if let e = stream.firstFailure() { throw e }
        for t in PGTableSource.failureOrder { if let e = done.unfit[t] { throw e } }
        var s = Staged()
        for (t, reader, part, seconds) in done.parts {
            readers[t] = reader
            report.phases.append(("  parse \(t.rawValue)", seconds))
            if let part { LoadJob.store(part, into: &s) }
        }
        pgStream = nil
        return s
    }

    /// The tables, the biggest first, on every core. The invoices file is read in two parts
    /// when a core would otherwise wait for it (`InvoiceSplit`): the core that finishes the
    /// other tables takes the second half of what is left of it.
    mutating func parseInParallel(_ ctx: CustomerContext) -> Staged {
        var jobs: [(size: Int, job: @Sendable () -> (Part, String, Double)?)] = []
        func add(_ t: TableName, _ f: @escaping @Sendable (TableReader) -> Part) {
            guard let r = readers[t] else { return }
            jobs.append((r.file.bytes.count, {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let p = f(r)
                r.file.release()
                return (p, "  parse \(t.rawValue)", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
            }))
        }
        var split: InvoiceSplit? = nil
        let firstTime = UnsafeMutablePointer<Double>.allocate(capacity: 1)
        firstTime.initialize(to: 0)
        defer { firstTime.deallocate() }
        if let r = readers[.invoices], InvoiceSplit.applies(r, ctx),
           invoiceSplitAt != nil || r.file.bytes.count >= 2 * InvoiceSplit.minimumTail {
            let sp = InvoiceSplit(r, ctx, forcedAt: invoiceSplitAt)
            split = sp
            let slot = UncheckedSendable(firstTime)
            jobs.append((r.file.bytes.count, {
                let t0 = DispatchTime.now().uptimeNanoseconds
                sp.readFirst()
                slot.value.pointee = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
                return nil
            }))
            if invoiceSplitAt != nil { jobs.append((0, { sp.readForcedSecond(); return nil })) }
        } else {
            add(.invoices) { .invoices(TableParsers.invoices($0, ctx)) }
        }
        add(.payments) { .payments(TableParsers.payments($0, ctx)) }
        add(.applications) { .applications(TableParsers.applications($0)) }
        add(.adjustments) { .adjustments(TableParsers.adjustments($0, ctx)) }
        add(.disputes) { .disputes(TableParsers.disputes($0)) }
        add(.activities) { .activities(TableParsers.activities($0, ctx)) }
        add(.purchaseOrders) { .purchaseOrders(TableParsers.purchaseOrders($0, ctx)) }
        jobs.sort { $0.size > $1.size }
        // Each thread takes the next job until none is left; then, with the invoices still
        // being read, the second half of what is left of them.
        let list = jobs.map(\.job)
        let queue = JobQueue(list.count)
        let results = ResultSlots<(Part, String, Double)?>(list.count)
        let threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, list.count + 1))
        let tail = split
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while let i = queue.next() { results.set(i, list[i]()) }
            tail?.takeTail()
        }
        var s = Staged()
        if let split {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let secondSeconds = split.secondSeconds
            s.invoices = split.joined()
            invoiceSplitUsed = split.splitAt == nil ? nil : split.usedSplit
            split.reader.file.release()
            report.phases.append(("  parse invoices", firstTime.pointee))
            report.phases.append(("  parse invoices, second part", secondSeconds))
            report.phases.append(("  join invoices", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9))
        }
        for case let (part, name, seconds)? in results.values {
            report.phases.append((name, seconds))
            LoadJob.store(part, into: &s)
        }
        return s
    }
}
