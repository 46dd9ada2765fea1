import ARModel
import ARReport
import ARSynthetic
import ChartKit
import Foundation

/// `arlens generate`: a synthetic ledger from options as the command line gives them, checked
/// here (ranges, `--scale invoices=N`, a folder of someone else's files).
public struct GenerateRequest: Sendable {
    public var out: String
    public var customers: Int?
    public var months = 24
    public var end = "2026-10"
    public var seed: UInt64 = 42
    public var scale: String?
    public var anomalies = GeneratorOptions.AnomalyLevel.some
    public var profile = GeneratorOptions.Profile.distributor
    public var force = false

    public init(out: String) { self.out = out }

    /// The generator's options, or a usage error naming the bad option.
    public func options() throws -> GeneratorOptions {
        guard let e = YearMonth(end) else { throw ARLensError.usage("--end must be YYYY-MM, not '\(end)'") }
        do {
            _ = try ValueLimits.check("--end", e)
            _ = try ValueLimits.check("--end", e.advanced(by: -(max(1, months) - 1)))
            _ = try ValueLimits.check("--months", months, max(2, ValueLimits.generateMonths.lowerBound)...ValueLimits.generateMonths.upperBound)
            if let customers { _ = try ValueLimits.check("--customers", customers, ValueLimits.generateCustomers) }
        } catch { throw ARLensError.usage(error.description) }
        var o = GeneratorOptions()
        if let scale {
            let parts = scale.split(separator: "=")
            guard parts.count == 2, parts[0] == "invoices", let n = Int(parts[1]), n > 0 else {
                throw ARLensError.usage("--scale takes invoices=N, e.g. --scale invoices=1000000")
            }
            o.invoices = n
        }
        o.months = months
        o.endMonth = e
        o.seed = seed
        o.anomalies = anomalies
        o.profile = profile
        o.customers = customers ?? (o.invoices.map { max(200, $0 / 120) } ?? 200)
        return o
    }

    /// The command that regenerates the ledger, written into its arlens.yml.
    func command(_ o: GeneratorOptions) -> String {
        var c = "arlens generate --out \(out) --seed \(seed) --customers \(o.customers) --months \(months) --end \(end)"
        if let scale { c += " --scale \(scale)" }
        if anomalies != .some { c += " --anomalies \(anomalies.rawValue)" }
        if profile != .distributor { c += " --profile \(profile.rawValue)" }
        return c
    }

    /// Writes the ledger; returns the line that says what was written.
    public func run() throws -> String {
        let o = try options()
        if !force, let why = LedgerGenerator.refusal(out) { throw ARLensError.input(why) }
        let s = try LedgerGenerator.generate(o, to: out, command: command(o))
        return "wrote \(out): \(s.customers) customers, \(s.invoices) invoices, \(s.payments) payments, \(s.anomalies) injected anomalies"
    }
}

/// `arlens demo`: the bundled sample's pack, and what to try next.
public enum Demo {
    public static func run(out: String, canvas: any Canvas, progress: @escaping (String, Double) -> Void = { _, _ in }) throws -> String {
        var options = PackOptions()
        options.outDirectory = out
        options.templates = try Resources.templates("pack")
        let ws = try Workspace(LedgerSource(directory: try Resources.sample()), tables: nil)
        let (dir, model, _) = try ws.pack(month: nil, options: options, canvas: canvas, progress: progress)
        return """
            The bundled sample is Northwind Supplies (synthetic): 200 customers, 24 months to October 2026.
            Its pack for \(model.monthName) is in \(dir)/ (open index.html, or pack.pdf).

            Try next:
              arlens validate --data sample
              arlens kpi dso,cei,pct_over_90 --from 2026-01 --data sample
              arlens aging --by collector --data sample
              arlens worklist --data sample
              arlens customer C00037 --data sample
            For your own ledger: run the same commands in its folder, or pass --data DIR.

            """
    }
}
