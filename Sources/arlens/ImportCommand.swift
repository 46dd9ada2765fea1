import ArgumentParser
import ARLensKit
import ARLoading

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Read an accounting system's export through a preset and write a native ledger folder with its rejects report.",
        discussion: """
            Presets: \(Presets.names.joined(separator: ", ")).
            Examples: arlens import --from xero-invoices SalesInvoices.csv --out ledger --paid-as-of 2026-10-31
                      arlens import --detect FBL5N.txt
            """)

    @Option(name: .long, help: "The preset the export was written with.") var from: String?
    @Flag(name: .long, help: "Name the preset the file's header fits (give one file).") var detect = false
    @Argument(help: "The export file(s).") var files: [String] = []
    @Option(name: .long, help: "The folder to write the ledger into.") var out: String?
    @Option(name: .long, help: "The date paid totals without payment dates are taken as settled (default: the export's latest date).")
    var paidAsOf: String?
    @Option(name: .long, help: "The export's date format when it differs from the preset's (e.g. M/D/YYYY).") var dateFormat: String?
    @OptionGroup var output: OutputOptions

    func validate() throws { try usage { try ImportJob.checkArguments(detect: detect, preset: from, files: files, out: out) } }

    func run() throws {
        if detect { return print(try ImportJob.detect(file: files[0]).render(output.format), terminator: "") }
        let view = try ImportJob.run(preset: from!, files: files, out: out!, paidAsOf: try Dates.day(paidAsOf, "--paid-as-of"),
                                     dateFormat: dateFormat)
        print(view.render(output.format), terminator: "")
    }
}
