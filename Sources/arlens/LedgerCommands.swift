import ArgumentParser
import ARAnalytics
import ARLensKit
import ARModel

extension Grain: ExpressibleByArgument {}
extension ARAnalytics.Dimension: ExpressibleByArgument {}
extension AgingBasis: ExpressibleByArgument {}

struct Validate: ResultCommand {
    typealias Result = ValidationView
    static let configuration = CommandConfiguration(abstract: "Load the ledger and report every rejected row and data-quality finding.")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let v = try Workspace.validate(try ledger.source)
        emit(v)
        if ledger.strict, let failure = v.strictFailure { throw failure }
    }
}

struct Summary: ResultCommand {
    typealias Result = SummaryView
    static let configuration = CommandConfiguration(abstract: "What the ledger holds: tables, dates, currencies, billed and received totals.")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    func run() throws { emit(try ledger.open(nil, allowEmpty: true).summary()) }
}

struct KPICommand: ResultCommand {
    typealias Result = KPIView
    static let configuration = CommandConfiguration(
        commandName: "kpi",
        abstract: "KPI trends: any metric by month, quarter or year, overall or by a dimension.",
        discussion: "Months default to the ledger's first and last. Example: arlens kpi dso,cei --from 2025-11 --to 2026-10 --by segment. "
            + "arlens kpi --list prints every definition; docs/metrics.md in the ARLens repository gives each formula with a worked example.")

    @Argument(help: "Metric names, comma-separated (arlens kpi --list shows them).") var names: String?
    @Flag(name: .long, help: "List every metric with its definition.") var list = false
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "month, quarter, year, all, week (ISO, Monday to Sunday) or day; week and day carry the flow metrics only and default to the last month.") var grain: Grain = .month
    @Option(name: .long, help: "customer, segment, region, collector, country or currency.") var by: ARAnalytics.Dimension?
    @OptionGroup var ledger: LedgerOptions
    @Flag(name: .long, inversion: .prefixedNo, help: "With --data postgresql://...: aggregate on the server (\(Pushdown.metrics.map(\.rawValue).joined(separator: ", "))); other metrics are computed in memory, with a warning. --no-pushdown loads the ledger and computes in memory. Default: on the server from \(Pushdown.automaticRows) invoices when every metric can be.")
    var pushdown: Bool?
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try checkFormat()
        if !list && names == nil { throw ValidationError("name the metrics, e.g. arlens kpi dso,cei (or arlens kpi --list)") }
    }

    func run() throws {
        if list { return print(MetricList().render(output.format), terminator: "") }
        let metrics = try Workspace.metrics(names!)
        let (from, to) = (try period.first, try period.last)
        emit(try Pushdown.kpiView(try ledger.source, pushdown: pushdown, metrics: metrics, from: from, to: to, grain: grain, by: by,
                                  note: { note($0) }, warn: { warn($0) }) { try ledger.open($0) })
    }
}

struct AgingCommand: ResultCommand {
    typealias Result = AgingView
    static let configuration = CommandConfiguration(
        commandName: "aging", abstract: "Aged receivables as of a date, by customer or another dimension; totals reconcile to net AR.")
    @OptionGroup var asOf: AsOfOption
    @Option(name: .long, help: "customer (default), segment, region, collector, country or currency.") var by: ARAnalytics.Dimension = .customer
    @Option(name: .long, help: "due (days past due) or issue (days since issue).") var basis: AgingBasis = .due
    @Flag(name: .long, help: "List the open items behind each line.") var detail = false
    @Option(name: .long, help: "Bucket edges in days, e.g. 30,60,90,120 (default: aging_buckets in arlens.yml).") var buckets: String?
    @Flag(name: .long, help: "ERPNext's layout: the first range starts at day 0, so what is not yet due is in 0-30 (no 'current').")
    var firstBucketFromZero = false
    @Flag(name: .long, help: "Age unapplied cash and unallocated credits by their own date (as ERPNext and Odoo do) instead of one 'unapplied' column.")
    var ageUnapplied = false
    @Flag(name: .long, inversion: .prefixedNo, help: "With --data postgresql://...: aggregate on the server (not with --detail or --age-unapplied, which are computed in memory, with a warning). --no-pushdown loads the ledger and computes in memory. Default: on the server from \(Pushdown.automaticRows) invoices.")
    var pushdown: Bool?
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let day = try asOf.day, edges = try Workspace.agingEdges(buckets)
        emit(try Pushdown.agingView(try ledger.source, pushdown: pushdown, asOf: day, by: by, basis: basis, detail: detail, buckets: edges,
                                    firstBucketFromZero: firstBucketFromZero, ageUnappliedByDate: ageUnapplied,
                                    note: { note($0) }, warn: { warn($0) }) { try ledger.open($0) })
    }
}

struct RollForwardCommand: ResultCommand {
    typealias Result = RollForwardView
    static let configuration = CommandConfiguration(
        commandName: "rollforward",
        abstract: "AR roll-forward: beginning AR + billings − collections − credits − write-offs ± FX = ending AR.",
        discussion: "--from defaults to the ledger's last month, --to to --from.")
    @OptionGroup var period: PeriodOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let (from, to) = (try period.first, try period.last)
        emit(try ledger.open(Workspace.core).rollForward(from: from, to: to))
    }
}

struct WhatIfCommand: ResultCommand {
    typealias Result = WhatIfView
    static let configuration = CommandConfiguration(
        commandName: "whatif", abstract: "Cash released by reaching KPI levels (default: the targets in arlens.yml), and cash per day of DSO.")
    @Option(name: .long, help: "Target DSO in days.") var dso: Double?
    @Option(name: .long, help: "Target CEI in percent.") var cei: Double?
    @Option(name: .customLong("over90"), help: "Target share of gross AR over 90 days past due, percent.") var over90: Double?
    @Option(name: .long, help: "The month (YYYY-MM); default: the ledger's last.") var month: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let m = try Dates.month(month, "--month")
        emit(try ledger.open(Workspace.core).whatIf(month: m, dso: dso, cei: cei, over90: over90))
    }
}

struct ProvisionCommand: ResultCommand {
    typealias Result = ProvisionView
    static let configuration = CommandConfiguration(
        commandName: "provision",
        abstract: "Expected credit loss on receivables by a provision matrix (IFRS 9 simplified approach, CECL loss rates), and its movement in the month.",
        discussion: "Each aging bucket's loss rate is the share of the amounts seen in it at past month-ends that was later written off. Defaults come from provision: in arlens.yml.")
    @Option(name: .long, help: "The month (YYYY-MM); default: the ledger's last complete month.") var month: String?
    @Option(name: .long, help: "Month-ends to measure the loss rates on, 1 to 120 (default: provision.lookback_months, 24).") var lookback: Int?
    @Option(name: .long, help: "Forward-looking adjustment to every loss rate, percent (e.g. 10 for rates 10% higher; default: provision.forward_looking_adjustment, 0).")
    var adjustment: Double?
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let m = try Dates.month(month, "--month")
        emit(try ledger.open(Workspace.core).provision(month: m, lookbackMonths: lookback, adjustmentPercent: adjustment))
    }
}

struct PolicyCommand: ResultCommand {
    typealias Result = PolicyView
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Invoicing-policy compliance: sent late, terms that differ, raised over the credit limit, missing PO, unapproved large credits.",
        discussion: "The months default to the twelve to the ledger's last.")
    @OptionGroup var period: PeriodOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let (from, to) = (try period.first, try period.last)
        emit(try ledger.open(Workspace.core).policy(from: from, to: to))
    }
}

struct ReconcileCommand: ResultCommand {
    typealias Result = ReconcileView
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "The AR sub-ledger against the GL control account (a CSV of date,balance): the difference per date and what explains it.")
    @Option(name: .long, help: "CSV with columns date and balance (base currency).") var gl: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions
    func run() throws { emit(try ledger.open(Workspace.core).reconcile(glFile: gl)) }
}

struct AnomaliesCommand: ResultCommand {
    typealias Result = AnomaliesView
    static let configuration = CommandConfiguration(
        commandName: "anomalies", abstract: "Anomaly and fraud findings, ranked, each with its rule, severity, documents and evidence.")
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "A truth file (the generator's _truth/anomalies.csv): score recall and precision per kind.") var truth: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let (from, to) = (try period.first, try period.last)
        let view = try ledger.open(nil).anomalies(from: from, to: to)
        if let truth { return print(try view.score(truthFile: truth).render(output.format), terminator: "") }
        emit(view)
    }
}

struct BenfordCommand: ResultCommand {
    typealias Result = BenfordView
    static let configuration = CommandConfiguration(
        commandName: "benford", abstract: "Benford's-law digit test on a numeric column of any CSV (positive values).")
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .long, help: "The column of amounts.") var column: String
    @Option(name: .long, help: "first, first-two, second or last-two.") var test: String = "first-two"
    @OptionGroup var output: OutputOptions
    func run() throws { emit(try BenfordView(file: file, column: column, test: test)) }
}

struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache", abstract: "The ledger's snapshots: what the next command reads instead of the CSVs when nothing changed.",
        discussion: "After loading a ledger, a command writes a snapshot of it to .arlens-cache/ in the ledger folder (or, when that folder "
            + "is not writable, to $XDG_CACHE_HOME/arlens). A snapshot is used only while the CSVs and arlens.yml are unchanged; "
            + "--no-cache on any command reads the CSVs and writes none.",
        subcommands: [CacheStatus.self, CacheClear.self])
}

struct CacheStatus: ResultCommand {
    typealias Result = CacheStatusView
    static let configuration = CommandConfiguration(commandName: "status", abstract: "List the ledger's snapshots and whether each is current.")
    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions
    func run() throws { emit(try CacheJob.status(try ledger.source)) }
}

struct CacheClear: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "clear", abstract: "Remove the ledger's snapshots.")
    @OptionGroup var ledger: LedgerOptions
    func run() throws { print(try CacheJob.clear(try ledger.source), terminator: "") }
}
