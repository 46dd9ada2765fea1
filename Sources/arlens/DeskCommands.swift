import ArgumentParser
import ARAnalytics
import ARLensKit
import ARModel
import AROutput
import ARReport
import CairoRendering

struct WorklistCommand: ResultCommand {
    typealias Result = WorklistView
    static let configuration = CommandConfiguration(
        commandName: "worklist", abstract: "Accounts to chase, by priority, with the next action from the dunning ladder.")
    @OptionGroup var asOf: AsOfOption
    @Option(name: .long, help: "Only this collector's accounts.") var collector: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let day = try asOf.day
        emit(try ledger.open(Workspace.collections).desk(asOf: day).worklistView(collector: collector))
    }
}

struct FeesCommand: ResultCommand {
    typealias Result = FeesView
    static let configuration = CommandConfiguration(
        commandName: "fees",
        abstract: "Late-payment interest and fixed compensation due per overdue invoice (fees already charged are deducted).")
    @OptionGroup var asOf: AsOfOption
    @Option(name: .long, help: "by_country, contractual, eu or uk; default: late_fees.policy in arlens.yml (by_country).") var policy: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let day = try asOf.day
        emit(try ledger.open(Workspace.collections).lateFees(asOf: day, policy: policy))
    }
}

struct CreditCommand: ResultCommand {
    typealias Result = CreditView
    static let configuration = CommandConfiguration(
        commandName: "credit",
        abstract: "Risk score per customer with its reasons; credit-limit utilisation, over-limit accounts and review status.")
    @OptionGroup var asOf: AsOfOption
    @Flag(name: .long, help: "Every customer (default: those with a balance, a risk score of 30+, over limit or due a review).") var all = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let day = try asOf.day
        emit(try ledger.open(Workspace.collections).desk(asOf: day).credit(all: all))
    }
}

struct TeamCommand: ResultCommand {
    typealias Result = TeamView
    static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Collector performance for the month of the date: collections, CEI, ADD, work logged, promises, escalations.")
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let day = try asOf.day
        emit(try ledger.open(Workspace.collections).desk(asOf: day).team())
    }
}

struct PlanCommand: ResultCommand {
    typealias Result = PlanView
    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "A payment plan for a customer's overdue invoices not held, or the ones named: instalments that sum exactly to them.")
    @Argument(help: "The customer id.") var customer: String
    @Option(name: .long, parsing: .upToNextOption, help: "The invoices the plan covers (default: every overdue invoice not held).") var invoices: [String] = []
    @Option(name: .long, help: "Number of instalments.") var installments: Int
    @Option(name: .long, help: "First instalment date (YYYY-MM-DD); default and earliest: the as-of date plus payment_plans.first_due_days (14).") var start: String?
    @Option(name: .long, help: "monthly or weekly.") var frequency: String = "monthly"
    @Option(name: .long, help: "Simple interest a year, in percent, on the declining balance.") var interest: Double = 0
    @OptionGroup var asOf: AsOfOption
    @Option(name: .long, help: "Also write the plan letter (FILE.html or FILE.pdf).") var letter: String?
    @Option(name: .long, help: "A folder of notice templates (default: the installed ones; arlens templates export writes a copy).") var templates: String?
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        try checkFormat()
        try usage { _ = try CollectionsDesk.planFrequency(frequency, installments: installments, interest: interest) }
    }

    func run() throws {
        let day = try asOf.day
        let letterOut = letter.map { LetterOutput(path: $0, flag: "--letter", templates: templates, canvas: CairoCanvas()) }
        emit(try ledger.open(Workspace.collections).desk(asOf: day).plan(
            customer: customer, installments: installments, start: try Dates.day(start, "--start"), frequency: frequency,
            interest: interest, invoices: invoices, letter: letterOut))
    }
}

struct NoticesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notices",
        abstract: "Reminder and dunning letters (HTML and PDF) for the accounts on the worklist, worded by ladder step.")
    @OptionGroup var asOf: AsOfOption
    @Option(name: .long, help: "Only this collector's accounts.") var collector: String?
    @Option(name: .long, help: "The folder to write the letters to.") var out: String = "output/notices"
    @Option(name: .long, help: "A folder of notice templates (default: the installed ones; arlens templates export writes a copy).") var templates: String?
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        // --strict also refuses letters that cannot be sent as they are (no sender, address or payment instructions).
        let day = try asOf.day
        let desk = try ledger.open(Workspace.collections).desk(asOf: day)
        Terminal.report(try StatusLine.run("writing notices") { _ in
            try desk.notices(collector: collector, templates: templates, canvas: CairoCanvas(), to: out)
        })
    }
}

struct CustomerCommand: ResultCommand {
    typealias Result = AccountView
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "One account: profile and missing contact data, credit, open items (summing to its aging line), full history, its KPIs.")
    @Argument(help: "The customer id.") var id: String
    @OptionGroup var asOf: AsOfOption
    @Option(name: .long, help: "History events the table shows, newest first (0: all).") var limit: Int = 40
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let day = try asOf.day
        emit(try ledger.open(Workspace.collections).desk(asOf: day).account(id, historyLimit: limit))
    }
}

struct StatementCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "statement",
        abstract: "Statement of account: opening balance, the period's transactions with a running balance, closing balance, aged balance (HTML or PDF).")
    @Argument(help: "The customer id (omit with --all).") var id: String?
    @Option(name: .long, help: "The statement date (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "First day of the period; default: the first day of the as-of month.") var from: String?
    @Option(name: .long, help: "FILE.pdf or FILE.html for one statement; a folder with --all (default output/statements).") var out: String?
    @Flag(name: .long, help: "One statement per customer with a balance, as HTML and PDF.") var all = false
    @Option(name: .long, help: "A folder of statement templates (default: the installed ones; arlens templates export writes a copy).") var templates: String?
    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        if all == (id != nil) { throw ValidationError("give a customer id or --all") }
    }

    func run() throws {
        let day = try Dates.day(asOf, "--as-of"), start = try Dates.day(from, "--from")
        let desk = try ledger.open(Workspace.collections).desk(asOf: day)
        if let id { return print(try desk.statement(id, from: start, out: out, templates: templates, canvas: CairoCanvas())) }
        Terminal.report(try StatusLine.run { s in
            try desk.statements(from: start, templates: templates, canvas: CairoCanvas(), to: out ?? "output/statements") { s.show($0, $1) }
        })
    }
}
