import ArgumentParser
import ARLensKit

struct ExportCommand: ResultCommand {
    typealias Result = ExportView
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a ledger folder into a PostgreSQL schema (typed tables, keys and indexes), to read back with --data postgresql://...",
        discussion: """
            Only the rows the loader accepts are written; the password comes from PGPASSWORD, ~/.pgpass or the URL and is never shown.
            Example: arlens export --data sample --to 'postgresql://ann@localhost:5432/ledgers?schema=ar'
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(name: .long, help: "The database and schema: postgresql://user@host:port/database?schema=NAME (default schema: public).")
    var to: String
    @Flag(name: .long, help: "Drop and rewrite the ledger's tables when the schema has them already.") var replace = false
    @OptionGroup var output: OutputOptions

    func run() throws {
        emit(try ExportJob.toDatabase(LedgerSource(directory: try ledger.folder, configPath: ledger.config), url: to, replace: replace))
    }
}
