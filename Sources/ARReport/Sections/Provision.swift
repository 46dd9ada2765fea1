import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// The expected credit loss allowance: the provision matrix at the month-end, and how the
/// allowance moved against the month's write-offs.
extension PackBuilder {
    func provisionTables() -> (tables: [ReportTable], paragraphs: [String], notes: [String]) {
        let p = analysis.provision
        let c = p.current
        func pct(_ x: Double) -> ReportTable.Cell { .number(x * 100) }
        var rows: [[ReportTable.Cell]] = c.lines.map { line in
            [.text(PackBuilder.bucketWords(line.label)), .money(line.balance), pct(line.historicalRate), pct(line.rate), .money(line.provision)]
        }
        rows.append([.text("Total"), .money(c.balance), .empty, c.coverage.map { .number($0) } ?? .empty, .money(c.provision)])
        var matrix = ReportTable(id: "provision_matrix", title: "Expected credit loss at \(c.asOf): the provision matrix",
                                 columns: [.init("Days past due"), .init("Gross AR", .money), .init("Loss rate, history", .percent),
                                           .init("Loss rate applied", .percent), .init("Provision", .money)],
                                 rows: rows)
        matrix.emphasized = [rows.count - 1]
        let prevName = PackModel.monthNames[month.advanced(by: -1).month - 1]
        var movement = ReportTable(id: "provision_movement", title: "Movement of the allowance in \(PackModel.monthNames[month.month - 1])",
                                   columns: [.init("Line"), .init("Amount", .money)],
                                   rows: [[.text("Allowance at the end of \(prevName)"), .money(p.opening)],
                                          [.text("− Receivables written off in the month"), .money(p.writeOffs)],
                                          [.text("+ Charge to profit or loss"), .money(p.charge)],
                                          [.text("Allowance at the end of \(PackModel.monthNames[month.month - 1])"), .money(p.closing)]],
                                   note: "Opening − write-offs + charge = closing, to the cent. The charge is what the month costs in bad-debt expense.")
        movement.emphasized = [0, 3]
        var paragraphs: [String] = []
        let change = p.closing - p.opening
        let coverage = c.coverage.map { String(format: "%.1f%%", $0) } ?? "n/a"
        paragraphs.append("The expected credit loss on receivables is \(money.label(Double(p.closing) / major)) (\(coverage) of gross AR), "
            + (change == 0 ? "unchanged from last month" : "\(change > 0 ? "up" : "down") \(money.label(Double(abs(change)) / major)) on last month")
            + "; \(money.label(Double(p.writeOffs) / major)) was written off in the month, so the charge to profit or loss is \(money.label(Double(p.charge) / major)).")
        if p.writeOffs > p.opening && p.writeOffs > 0 {
            paragraphs.append("The month's write-offs exceeded the allowance held at the start of the month: the loss rates may be too low.")
        }
        let months = c.samples.count
        var notes = ["Expected credit loss (IFRS 9 simplified approach; under US GAAP the same table is the CECL loss-rate method by aging): each bucket's loss rate is the share of the amounts that stood in it at the \(months) month-ends before \(c.asOf) (\(c.samples.first.map(\.description) ?? "") to \(c.samples.last.map(\.description) ?? "")) that was later written off. The rate applied is the historical rate"
            + (c.adjustmentPercent == 0 ? " with no forward-looking adjustment (none is set in arlens.yml, provision.forward_looking_adjustment)."
               : " \(c.adjustmentPercent > 0 ? "raised" : "lowered") by \(ValueFormat.trim(abs(c.adjustmentPercent), maxDecimals: 1))% for the outlook (arlens.yml, provision.forward_looking_adjustment).")
            + " Receivables not yet old enough to have been written off make the most recent month-ends' rates low; a longer lookback (provision.lookback_months) steadies them."]
        if c.lines.allSatisfy({ $0.losses == 0 }) {
            notes.append("No receivable open at those month-ends was later written off, so every loss rate is 0 and so is the provision: set a forward-looking view by hand or lengthen the lookback.")
        }
        return ([matrix, movement], paragraphs, notes)
    }
}
