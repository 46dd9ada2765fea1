import ARModel
import Dispatch
import Foundation

/// What `LedgerLoader.load` produced: the ledger, the report of everything read and
/// rejected, and the configuration that applied.
public struct LoadResult: Sendable {
    public var ledger: Ledger
    public var report: LoadReport
    public var configuration: ConfigurationFile
    /// Whether the ledger came from a snapshot (`LedgerCache`).
    public var cache: LedgerCache.Outcome = .off
}

/// Loads a ledger folder (or a mapped export) into a `Ledger`, row by row, strictly: every
/// row is loaded or rejected with its file, line, column, value and reason.
///
/// The big tables are parsed in parallel; references between tables (an application's
/// payment and invoice, a credit's document) are resolved afterwards, and a row whose
/// reference cannot be resolved is rejected like any other bad row.
public enum LedgerLoader {
    /// Loads the ledger in `directory`, with `configPath` or `directory/arlens.yml` when present.
    /// `tables` limits the optional tables read to those a job needs (invoices, customers and
    /// rates are always read); nil reads every table present.
    /// With `cache`, a current snapshot is read instead of the CSVs, and a new one written
    /// after a load from the CSVs (`LedgerCache`).
    public static func load(directory: String, configPath: String? = nil,
                            tables: Set<TableName>? = nil, cache: Bool = false) throws(LoadError) -> LoadResult {
        if PGLocation.isURL(directory) {
            // A PostgreSQL schema: arlens.yml only when given (its `source:` is this URL).
            var config = try configPath.map { (p) throws(LoadError) in try ConfigurationFile.read(path: p) } ?? ConfigurationFile(directory: ".")
            config.source = directory
            return try load(directory: directory, config: config, tables: tables)
        }
        let config = try configuration(directory: directory, configPath: configPath)
        Profile.mark("configuration")
        return try load(directory: directory, config: config, tables: tables, cache: cache)
    }

    /// The configuration a load of `directory` uses: `configPath`, else `directory/arlens.yml`
    /// when present, else the defaults.
    public static func configuration(directory: String, configPath: String? = nil) throws(LoadError) -> ConfigurationFile {
        try checkLedgerFolder(directory)
        if let configPath { return try ConfigurationFile.read(path: configPath) }
        let p = (directory as NSString).appendingPathComponent("arlens.yml")
        return FileManager.default.fileExists(atPath: p) ? try ConfigurationFile.read(path: p) : ConfigurationFile(directory: directory)
    }

    /// The ledger folder exists and is a folder: one clear error otherwise (a file given as
    /// `--data` is not "not found").
    public static func checkLedgerFolder(_ directory: String) throws(LoadError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw .fileNotFound(directory)
        }
        guard isDir.boolValue else {
            throw .unreadable(directory, "is a file, not a ledger folder (give the folder that holds invoices.csv)")
        }
    }

    /// Loads the ledger tables an export was read into (`ExportReader.read`), and nothing
    /// else: `arlens import` checks what it is about to write this way.
    public static func load(imported: ImportResult, config: ConfigurationFile) throws(LoadError) -> LoadResult {
        var job = LoadJob(directory: config.directory, config: config)
        job.wanted = []
        job.preImported = imported
        return try job.run()
    }

    /// The customer master and the rates of a database ledger, without its documents: what
    /// `--pushdown` needs beside the server's aggregates (names, groups, the base currency).
    public static func loadMaster(url: String, configPath: String?) throws(LoadError) -> LoadResult {
        var config = try configPath.map { (p) throws(LoadError) in try ConfigurationFile.read(path: p) } ?? ConfigurationFile(directory: ".")
        config.source = url
        var job = LoadJob(directory: url, config: config)
        job.wanted = [.customers, .fxRates]
        return try job.run()
    }

    /// Loads with an already-read configuration.
    public static func load(directory: String, config: ConfigurationFile,
                            tables: Set<TableName>? = nil, cache: Bool = false) throws(LoadError) -> LoadResult {
        var job = LoadJob(directory: directory, config: config)
        if let tables { job.wanted = tables.union([.invoices, .customers, .fxRates]) }
        // An export mapping reads files the key does not cover: always from the source.
        guard cache && config.mapping.exports.isEmpty && config.source == nil else { return try job.run() }
        var (result, outcome) = try LedgerCache.load(directory: directory, config: config, tables: job.wanted) { () throws(LoadError) in
            try job.run()
        }
        result.cache = outcome
        return result
    }
}

/// Where a table's file is: the mapping's `file` (relative to the configuration) or
/// `<table>.csv` in the ledger folder.
struct TableLocation {
    let path: String
    let display: String

    init(_ t: TableName, directory: String, config: ConfigurationFile) {
        if let f = config.mapping.table(t).file {
            path = f.hasPrefix("/") ? f : (config.directory as NSString).appendingPathComponent(f)
            display = f
        } else {
            path = (directory as NSString).appendingPathComponent(t.defaultFile)
            display = t.defaultFile
        }
    }

    var exists: Bool { FileManager.default.fileExists(atPath: path) }
}

/// Runs `jobs` on the available cores (the first ones first: put the biggest first);
/// results in job order.
func parallel<T: Sendable>(_ jobs: [@Sendable () -> T]) -> [T] {
    let slots = ResultSlots<T>(jobs.count)
    DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
        slots.set(i, jobs[i]())
    }
    return slots.values
}

/// Runs every job at once, each on its own thread, whatever the number of cores: for jobs that
/// mostly wait on another process (statements a database server runs), so that the server
/// has all of them to schedule. Results in job order.
func concurrently<T: Sendable>(_ jobs: [@Sendable () -> T]) -> [T] {
    let slots = ResultSlots<T>(jobs.count)
    let group = DispatchGroup()
    for (i, job) in jobs.enumerated() {
        group.enter()
        let thread = Thread {
            slots.set(i, job())
            group.leave()
        }
        thread.start()
    }
    group.wait()
    return slots.values
}

final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private var results: [T?]
    private let lock = NSLock()
    init(_ n: Int) { results = Array(repeating: nil, count: n) }
    func set(_ i: Int, _ v: T) { lock.lock(); results[i] = v; lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return results.map { $0! } }
}
