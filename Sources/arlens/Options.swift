import ArgumentParser
import ARLoading
import Foundation

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// Options every command that reads a ledger takes.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: "The ledger folder.")
    var data: String = "datasets/sample"

    @Option(name: .long, help: "An arlens.yml (default: DATA/arlens.yml when it exists).")
    var config: String?

    @Flag(name: .long, help: "Exit with code 1 when any row was rejected.")
    var strict = false

    func load(tables: Set<TableName>? = nil) throws -> LoadResult {
        let progress = Progress.start("loading \(data)")
        defer { progress.finish() }
        return try LedgerLoader.load(directory: data, configPath: config, tables: tables)
    }
}

/// A one-line status on stderr while long work runs, only when stderr is a terminal.
struct Progress {
    let active: Bool

    static func start(_ what: String) -> Progress {
        let tty = isatty(STDERR_FILENO) == 1
        if tty { FileHandle.standardError.write(Data("\(what)...\r".utf8)) }
        return Progress(active: tty)
    }

    func finish() {
        if active { FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8)) }
    }
}
