import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// The AR roll-forward: a waterfall and a table that reconciles to the cent.
extension PackBuilder {
    func rollForwardSection() -> PackSection {
        let r = analysis.rollForward
        let m = PackModel.monthNames[month.month - 1]
        let prev = month.advanced(by: -1)
        let steps: [WaterfallChart.Step] = [
            .init("AR at \(prev.lastDay.components.day) \(PackBuilder.short[prev.month - 1])", Double(r.beginning) / major, isTotal: true),
            .init("Invoices", Double(r.invoices) / major),
            .init("Debit memos & late fees", Double(r.debitMemos + r.lateFees) / major),
            .init("Collections", -Double(r.collections) / major),
            .init("Credit memos", -Double(r.creditMemos) / major),
            .init("Write-offs", -Double(r.writeOffs) / major),
            .init("FX", Double(r.fx) / major),
            .init("AR at \(month.lastDay.components.day) \(PackBuilder.short[month.month - 1])", Double(r.ending) / major, isTotal: true),
        ]
        let chart = WaterfallChart(ChartText("What moved AR in \(m)?", subtitle: "Beginning AR + billings − collections − credit memos − write-offs ± FX = ending AR, \(currency)"),
                                   steps: steps, format: money)
        let lines: [(String, Int64)] = [("AR at the start of the month", r.beginning), ("Invoices", r.invoices), ("Debit memos", r.debitMemos),
                                        ("Late fees", r.lateFees), ("− Collections", r.collections), ("− Credit memos", r.creditMemos),
                                        ("− Write-offs", r.writeOffs), ("± FX differences", r.fx), ("AR at the end of the month", r.ending)]
        var table = ReportTable(id: "rollforward", title: "AR roll-forward, \(m) \(month.year)",
                                columns: [.init("Line"), .init("Amount", .money)], rows: lines.map { [.text($0.0), .money($0.1)] },
                                note: r.reconciles ? "Reconciles to the cent: the start plus invoices, debit memos and late fees, less collections, credit memos and write-offs, plus or minus FX, is the ending AR." : "Does not reconcile.")
        table.emphasized = [0, lines.count - 1]
        return PackSection(id: "rollforward", title: "AR roll-forward",
                           lead: "How the month's billings, collections, credits and write-offs took AR from its opening to its closing balance.",
                           charts: [PackChart(id: "rollforward-waterfall", chart: chart, size: Size(800, 420), alt: "Waterfall of the AR roll-forward")],
                           tables: [table])
    }
}
