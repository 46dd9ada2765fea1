import ArgumentParser
import ARModel
import ARSynthetic
import Foundation

extension GeneratorOptions.AnomalyLevel: ExpressibleByArgument {}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic ledger (deterministic for a seed), with its injected anomalies listed in DIR/_truth/.")

    @Option(name: .long, help: "The folder to write the ledger into.")
    var out: String

    @Option(name: .long, help: "Number of customers (default 200, or one per 120 invoices with --scale).")
    var customers: Int?

    @Option(name: .long, help: "Months of history.")
    var months: Int = 24

    @Option(name: .long, help: "The last month of the ledger (YYYY-MM).")
    var end: String = "2026-10"

    @Option(name: .long, help: "Random seed: the same seed writes the same files.")
    var seed: UInt64 = 42

    @Option(name: .long, help: "invoices=N: exactly N invoices (for benchmarks).")
    var scale: String?

    @Option(name: .long, help: "none, some or many injected anomalies.")
    var anomalies: GeneratorOptions.AnomalyLevel = .some

    func validate() throws {
        guard YearMonth(end) != nil else { throw ValidationError("--end must be YYYY-MM, not '\(end)'") }
        guard (2...240).contains(months) else { throw ValidationError("--months must be between 2 and 240") }
        if let customers, customers < 1 { throw ValidationError("--customers must be at least 1") }
        if let scale {
            let parts = scale.split(separator: "=")
            guard parts.count == 2, parts[0] == "invoices", let n = Int(parts[1]), n > 0 else {
                throw ValidationError("--scale takes invoices=N, e.g. --scale invoices=1000000")
            }
        }
    }

    func run() throws {
        var o = GeneratorOptions()
        o.months = months
        o.endMonth = YearMonth(end)!
        o.seed = seed
        o.anomalies = anomalies
        if let scale { o.invoices = Int(scale.split(separator: "=")[1])! }
        o.customers = customers ?? (o.invoices.map { max(200, $0 / 120) } ?? 200)
        var command = "arlens generate --out \(out) --seed \(seed) --customers \(o.customers) --months \(months) --end \(end)"
        if let scale { command += " --scale \(scale)" }
        if anomalies != .some { command += " --anomalies \(anomalies.rawValue)" }
        let progress = Progress.start("generating \(out)")
        let summary = try LedgerGenerator.generate(o, to: out, command: command)
        progress.finish()
        FileHandle.standardError.write(Data(
            "wrote \(out): \(summary.customers) customers, \(summary.invoices) invoices, \(summary.payments) payments, \(summary.anomalies) injected anomalies\n".utf8))
    }
}
