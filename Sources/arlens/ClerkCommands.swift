import ArgumentParser
import ARLensKit
import ARModel

struct TodayCommand: ResultCommand {
    typealias Result = TodayView
    static let configuration = CommandConfiguration(
        commandName: "today",
        abstract: "The clerk's morning: cash against forecast and last month, promises, new overdue items, disputes, the worklist's movers, unapplied cash.",
        discussion: "Cash is for the day, the ISO week (Monday on) and the month to the date. Promises broken, invoices become overdue and disputes "
            + "count from the day after the previous working day (Monday counts the weekend); the worklist is compared with the previous working day's.")
    @Option(name: .long, help: "The day (YYYY-MM-DD); default: the last date in the ledger.") var date: String?
    @Option(name: .long, help: "How many worklist accounts to show.") var top = 10
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let day = try Dates.day(date, "--date")
        emit(try ledger.open(Workspace.collections).today(date: day, top: top))
    }
}

struct PrecheckCommand: ResultCommand {
    typealias Result = PrecheckView
    static let configuration = CommandConfiguration(
        commandName: "precheck",
        abstract: "Check draft invoices against the ledger before they are sent: send, review or stop, with reasons.",
        discussion: "FILE has the columns of invoices.csv (or arlens.yml's invoices mapping). Nothing in the ledger changes. "
            + "Exit codes: 0 no draft says stop, 3 at least one draft says stop, 1 the file or the ledger cannot be read, 2 bad usage.")
    @Argument(help: "The CSV of draft invoices.") var file: String
    @OptionGroup var asOf: AsOfOption
    @Option(name: .long, help: "Days before the date after which a draft's date counts as long past.") var maxAge = 30
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let day = try asOf.day
        let view = try ledger.open(Workspace.precheckTables).precheck(file: file, asOf: day, maxAgeDays: maxAge)
        emit(view)
        if view.anyStop { throw ExitCode(3) }
    }
}
