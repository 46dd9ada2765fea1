import ARAnalytics
import ARModel
import AROutput
import Foundation

extension Workspace {
    /// The expected-credit-loss allowance at the end of a month (default: the pack's month, the
    /// ledger's last complete one) by the provision matrix; `lookbackMonths` and
    /// `adjustmentPercent` override arlens.yml's `provision:`.
    public func provision(month: YearMonth?, lookbackMonths: Int? = nil, adjustmentPercent: Double? = nil) throws -> ProvisionView {
        if let n = lookbackMonths, !(1...120).contains(n) { throw ARLensError.usage("--lookback \(n) is outside 1 to 120") }
        if let x = adjustmentPercent, !x.isFinite || x < -100 || x > 1000 {
            throw ARLensError.usage("--adjustment \(x) is outside -100 to 1000")
        }
        let m = try packMonth(month)
        let p = Provision.compute(timeline, month: m, edges: configuration.agingBuckets,
                                  lookbackMonths: lookbackMonths ?? configuration.provisionLookbackMonths,
                                  adjustmentPercent: adjustmentPercent ?? configuration.provisionAdjustmentPercent)
        guard p.opening - p.writeOffs + p.charge == p.closing else { throw ARLensError.invariant("the provision movement does not reconcile") }
        return ProvisionView(workspace: self, month: m, result: p)
    }
}

public struct ProvisionView: TabularResult {
    let workspace: Workspace
    public let month: YearMonth
    public let result: Provision

    func money(_ v: Int64, grouped: Bool = false) -> String { workspace.money(v, grouped: grouped) }
    static func rate(_ r: Double) -> String { String(format: "%.4f", r * 100) }

    public var json: JSONValue {
        let c = result.current
        return .object([
            ("month", .string(month.description)), ("as_of", .string(c.asOf.description)), ("currency", .string(workspace.base.code)),
            ("lookback_months", .int(c.samples.count)), ("forward_looking_adjustment", .number(c.adjustmentPercent)),
            ("buckets", .array(c.lines.map { l in
                .object([("bucket", .string(l.label)), ("gross", .string(money(l.balance))), ("exposure", .string(money(l.exposure))),
                         ("losses", .string(money(l.losses))), ("historical_rate_pct", .number((l.historicalRate * 1e6).rounded() / 1e4)),
                         ("rate_pct", .number((l.rate * 1e6).rounded() / 1e4)), ("provision", .string(money(l.provision)))])
            })),
            ("provision", .string(money(result.closing))), ("opening", .string(money(result.opening))),
            ("write_offs", .string(money(result.writeOffs))), ("charge", .string(money(result.charge))),
        ])
    }

    public var csv: String {
        var w = CSVWriter(header: ["bucket", "gross", "exposure", "losses", "historical_rate_pct", "rate_pct", "provision"])
        for l in result.current.lines {
            w.addRow([.text(l.label), .number(money(l.balance)), .number(money(l.exposure)), .number(money(l.losses)),
                      .number(ProvisionView.rate(l.historicalRate)), .number(ProvisionView.rate(l.rate)), .number(money(l.provision))])
        }
        w.addRow([.text("total"), .number(money(result.current.balance)), .empty, .empty, .empty, .empty, .number(money(result.closing))])
        return w.text
    }

    public var table: String {
        let c = result.current
        var out = TextBlock()
        out.line("Expected credit loss at \(c.asOf) (\(workspace.base.code)), provision matrix; loss rates from \(c.samples.count) month-ends"
                 + (c.adjustmentPercent == 0 ? "" : ", adjusted \(String(format: "%+g", c.adjustmentPercent))% for the outlook"))
        var t = TextTable(["days past due", "gross AR", "seen in bucket", "later written off", "historical rate", "rate applied", "provision"],
                          align: [.left, .right, .right, .right, .right, .right, .right])
        for l in c.lines {
            t.add([l.label, money(l.balance, grouped: true), money(l.exposure, grouped: true), money(l.losses, grouped: true),
                   String(format: "%.2f%%", l.historicalRate * 100), String(format: "%.2f%%", l.rate * 100), money(l.provision, grouped: true)])
        }
        t.add(["total", money(c.balance, grouped: true), "", "", "", c.coverage.map { String(format: "%.2f%%", $0) } ?? "", money(c.provision, grouped: true)])
        out.raw(t.render())
        out.line("")
        out.line("Allowance at the start of the month  \(money(result.opening, grouped: true))")
        out.line("− written off in the month          \(money(result.writeOffs, grouped: true))")
        out.line("+ charge to profit or loss          \(money(result.charge, grouped: true))")
        out.line("Allowance at the end of the month    \(money(result.closing, grouped: true))")
        return out.text
    }
}
