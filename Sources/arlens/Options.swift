import ArgumentParser
import ARLensKit
import ARLoading
import ARModel
import AROutput
import Foundation

extension OutputFormat: ExpressibleByArgument {}

/// The ledger every analysing command reads.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: "The ledger folder (default: the current folder when it holds a ledger; 'sample' for the bundled sample), or a PostgreSQL schema: postgresql://user@host:port/database?schema=NAME (password from PGPASSWORD or ~/.pgpass).")
    var data: String?

    @Option(name: .long, help: "An arlens.yml (default: DATA/arlens.yml when it exists).")
    var config: String?

    @Flag(name: .long, help: "Exit with code 1 when any row was rejected, or when letters lack a sender, address or payment instructions.")
    var strict = false

    @Flag(name: .long, help: "Read the CSVs even when a current snapshot of the ledger exists, and write none (see arlens cache).")
    var noCache = false

    /// Loads `tables` (nil: all), with a status line on a terminal, and says the warnings.
    /// The ledger folder: `--data`, the bundled sample for `--data sample`, or the current folder.
    var folder: String { get throws { try Resources.ledgerFolder(data) } }

    /// The ledger as the options name it.
    var source: LedgerSource { get throws { LedgerSource(directory: try folder, configPath: config, strict: strict, cache: !noCache) } }

    func open(_ tables: Set<TableName>?, allowEmpty: Bool = false) throws -> Workspace {
        let src = try source
        let ws = try StatusLine.run { s in try Workspace(src, tables: tables, allowEmpty: allowEmpty) { step, _ in s.show(step) } }
        for w in ws.warnings { warn(w) }
        ws.warn = { warn($0) }
        return ws
    }
}

struct AsOfOption: ParsableArguments {
    @Option(name: .long, help: "The date (YYYY-MM-DD); default: the last date in the ledger.")
    var asOf: String?

    var day: Day? { get throws { try Dates.day(asOf, "--as-of") } }
}

struct PeriodOptions: ParsableArguments {
    @Option(name: .long, help: "First month (YYYY-MM).")
    var from: String?

    @Option(name: .long, help: "Last month (YYYY-MM).")
    var to: String?

    var first: YearMonth? { get throws { try Dates.month(from, "--from") } }
    var last: YearMonth? { get throws { try Dates.month(to, "--to") } }
}

struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: "table, csv or json (as the command allows).")
    var format: OutputFormat = .table

    @Flag(name: .long, help: "With --format csv: for Excel (byte-order mark, ASCII signs, day ranges as '1 to 30').")
    var excel = false

    @Flag(name: .long, help: "Tables as wide as their content (default: fit COLUMNS, 100, on a terminal).")
    var wide = false
}

/// A command that prints one kind of result: its formats are checked before any work.
protocol ResultCommand: ParsableCommand {
    associatedtype Result: Rendered
    var output: OutputOptions { get }
}

extension ResultCommand {
    mutating func validate() throws { try checkFormat() }

    func checkFormat() throws {
        let allowed = Result.formats
        if !allowed.contains(output.format) {
            throw ValidationError("--format \(output.format.rawValue) is not available here (\(allowed.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    func emit(_ r: Result) { Terminal.emit(r, format: output.format, wide: output.wide, excel: output.excel) }
}

/// A library check run in `validate()`: what it rejects is a usage error (exit 2).
func usage(_ check: () throws -> Void) throws {
    do { try check() } catch let e as ARLensError { throw ValidationError(e.message) }
}

func warn(_ s: String) { Terminal.warn(s) }
func note(_ s: String) { Terminal.note(s) }
