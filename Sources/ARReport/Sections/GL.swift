import ARAnalytics
import ARModel
import ChartKit
import Foundation

extension PackBuilder {
    // MARK: GL reconciliation

    /// The sub-ledger against the GL control account at each month-end of the last 12 months
    /// the GL file gives, with what explains each difference.
    func glSection() -> PackSection? {
        let lines = analysis.gl
        guard !lines.isEmpty else { return nil }
        let table = ReportTable(id: "gl_reconciliation", title: "AR control account against the sub-ledger",
            columns: [.init("Date", .date), .init("GL", .money), .init("Sub-ledger", .money), .init("Difference", .money), .init("Explained by")],
            rows: lines.map { [.date($0.date), .money($0.gl), .money($0.subledger), .money($0.difference),
                               .text($0.difference == 0 ? "" : $0.explanations.first ?? "not found: investigate")] })
        let open = lines.filter { $0.difference != 0 }
        return PackSection(id: "gl", title: "GL reconciliation",
                           lead: "The AR sub-ledger against the general ledger's AR control account at each date of the GL file, and the documents that explain a difference when they can be found.",
                           tables: [table],
                           paragraphs: ["\(lines.count) dates reconciled: \(lines.count - open.count) agree to the cent, \(open.count - open.filter { $0.explanations.isEmpty }.count) differ for a reason found, \(open.filter { $0.explanations.isEmpty }.count) unexplained."],
                           inAppendix: true)
    }
}
