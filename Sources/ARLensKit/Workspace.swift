import ARAnalytics
import ARLoading
import ARModel
import Foundation

/// Where a ledger comes from and how strictly it is read.
public struct LedgerSource: Sendable {
    public var directory: String
    public var configPath: String?
    /// Fail (exit 1) when any row was rejected.
    public var strict: Bool
    /// Read a current snapshot instead of the CSVs, and write one after a load (LedgerCache).
    /// The command line caches unless told `--no-cache`; the library default is not to.
    public var cache: Bool

    /// The ledger as messages show it: a database URL with its password masked.
    public var display: String { PGLocation.isURL(directory) ? PGLocation.mask(directory) : directory }

    public init(directory: String, configPath: String? = nil, strict: Bool = false, cache: Bool = false) {
        self.directory = directory
        self.configPath = configPath
        self.strict = strict
        self.cache = cache
    }
}

/// Told what long work is doing: a step name and, when known, the fraction done.
public typealias ProgressReporter = @Sendable (_ step: String, _ fraction: Double?) -> Void

/// A loaded ledger ready for every job: the ledger with payments applied, its timeline, the
/// resolved configuration and the load report. The jobs are its methods (in the Jobs files);
/// the defaults they share (the as-of date, the month range) live here, once.
public final class Workspace: @unchecked Sendable {
    public let source: LedgerSource
    public let load: LoadResult
    public let prepared: PreparedLedger
    /// Said once on stderr by the command line: rows rejected and left out.
    public let warnings: [String]
    let progress: ProgressReporter

    /// The tables most jobs read: what aging, KPIs and the roll-forward need.
    public static let core: Set<TableName> = [.invoices, .customers, .payments, .applications, .adjustments, .fxRates]
    /// The core tables with disputes and collection notes, for the collections jobs.
    public static let collections: Set<TableName> = core.union([.disputes, .activities])

    /// Loads `tables` (nil: every table present), applies payments automatically when the
    /// ledger did not say how they were applied, and checks `--strict`.
    /// A ledger with no dated document (no invoice, payment or adjustment) has no date to be
    /// "as of": every job but `validate` and `summary` (`allowEmpty`) stops with an input error.
    public init(_ source: LedgerSource, tables: Set<TableName>?, allowEmpty: Bool = false,
                progress: @escaping ProgressReporter = { _, _ in }) throws {
        self.source = source
        self.progress = progress
        progress("loading \(source.display)", nil)
        load = try LedgerLoader.load(directory: source.directory, configPath: source.configPath, tables: tables, cache: source.cache)
        progress("analysing", nil)
        // (dateRange is nil exactly when there is none of them: counted, not scanned.)
        let l = load.ledger
        if !allowEmpty && l.invoices.count + l.payments.count + l.adjustments.count == 0 {
            throw ARLensError.input("\(source.display) has no invoices, payments or adjustments to report on (arlens validate shows what was read)")
        }
        Profile.mark("date range")
        prepared = PreparedLedger(load.ledger)
        Profile.mark("prepared ledger (timeline)")
        let rejected = load.report.rejections.count
        if source.strict && rejected > 0 {
            throw ARLensError(.strict, "\(rejected) rows rejected (--strict); arlens validate lists them")
        }
        warnings = rejected == 0 ? [] : ["\(rejected) rows were rejected and left out (arlens validate lists them)"]
    }

    /// A database ledger's customers and rates only (`--pushdown`): the documents stay on the
    /// server, which aggregates them.
    init(master source: LedgerSource) throws {
        self.source = source
        self.progress = { _, _ in }
        load = try LedgerLoader.loadMaster(url: source.directory, configPath: source.configPath)
        prepared = PreparedLedger(load.ledger)
        let rejected = load.report.rejections.count
        if source.strict && rejected > 0 {
            throw ARLensError(.strict, "\(rejected) rows rejected (--strict); arlens validate lists them")
        }
        warnings = rejected == 0 ? [] : ["\(rejected) rows were rejected and left out (arlens validate lists them)"]
    }

    /// The templates of one kind: `--templates` when given, else arlens.yml `templates:`, else
    /// the installed ones.
    public func templates(_ kind: String, override: String?) throws -> String {
        try Resources.templates(kind, override: override ?? load.configuration.templatesDir.map { $0 + "/" + kind })
    }

    /// The tables a set of KPIs reads.
    public static func tables(for metrics: [KPI]) -> Set<TableName> {
        var t = core
        if metrics.contains(where: { [.dispute_rate, .dispute_days, .open_disputes].contains($0) }) { t.insert(.disputes) }
        if metrics.contains(.promise_kept_rate) { t.insert(.activities) }
        return t
    }

    public var ledger: Ledger { prepared.ledger }
    public var timeline: Timeline { prepared.timeline }
    public var configuration: Configuration { load.configuration.configuration }
    public var base: Currency { ledger.baseCurrency }

    // MARK: the defaults every job shares

    /// Where warnings found while a job runs go (the command line prints them on stderr).
    public var warn: @Sendable (String) -> Void = { _ in }

    /// The date a job is as of: the one given, or the last date in the ledger. A date before
    /// the ledger starts has nothing open and is an error; a date after its last entry is
    /// allowed (aging goes on) with a warning that nothing after that date is known.
    public func asOf(_ day: Day?) throws -> Day {
        guard let day else { return timeline.lastDay }
        if day < timeline.firstDay {
            throw ARLensError.input("--as-of \(day) is before the ledger starts (\(timeline.firstDay)): nothing was open yet")
        }
        if day > timeline.lastDay + 31 {
            warn("--as-of \(day) is \(day - timeline.lastDay) days after the ledger's last entry (\(timeline.lastDay)): payments since then are not in it")
        }
        return day
    }

    /// The ledger's last month.
    public var lastMonth: YearMonth { timeline.lastDay.yearMonth }

    /// A month range from optional ends: `from` defaults to `defaultFrom(last)`, `to` to the
    /// ledger's last month; the start may not be after the end.
    public func months(from: YearMonth?, to: YearMonth?, defaultFrom: (YearMonth) -> YearMonth) throws -> (first: YearMonth, last: YearMonth) {
        let last = to ?? lastMonth
        let first = from ?? defaultFrom(last)
        if first > last { throw ARLensError.input("--from \(first) is after --to \(last)") }
        return (first, last)
    }

    /// An amount in the base currency: "1234.50", or "1,234.50" grouped.
    public func money(_ minor: Int64, grouped: Bool = false) -> String {
        Money.decimalString(minor, digits: base.minorDigits, grouping: grouped ? "," : nil)
    }

    /// The index of a customer id, or an input error naming it and the closest ids.
    public func customerIndex(_ id: String) throws -> Int {
        guard let c = ledger.customers.ids.find(id) else {
            let ids = ledger.customers.ids
            let close = Suggest.closest(id, among: (0..<ids.count).map { ids[Int32($0)] })
            throw ARLensError.input("no customer '\(id)' in the ledger" + (close.isEmpty ? "" : " (did you mean \(close.map { "'\($0)'" }.joined(separator: " or "))?)"))
        }
        return Int(c)
    }
}

/// Dates and months given on the command line: a bad one is an input error (exit 1).
public enum Dates {
    public static func month(_ s: String?, _ flag: String) throws -> YearMonth? {
        guard let s else { return nil }
        guard let m = YearMonth(s) else { throw ARLensError.input("\(flag) '\(s)' is not a month (YYYY-MM)") }
        return m
    }

    public static func day(_ s: String?, _ flag: String) throws -> Day? {
        guard let s else { return nil }
        guard let d = Day(iso: s) else { throw ARLensError.input("\(flag) '\(s)' is not a date (YYYY-MM-DD)") }
        return d
    }
}
