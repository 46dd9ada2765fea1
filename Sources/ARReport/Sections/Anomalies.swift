import ARAnalytics
import ARModel
import ChartKit
import Foundation

extension PackBuilder {
    /// Possible fraud and errors found on documents of the last 12 months and on every document
    /// still open, ranked by severity, the amounts at stake by rule, the confirmed findings
    /// still being tracked, and the Benford test of the invoice amounts.
    func anomaliesSection() -> PackSection? {
        let findings = analysis.anomalies
        let tracked = analysis.trackedFindings
        guard !findings.isEmpty || !tracked.isEmpty else { return nil }
        var byRule: [String: (Int, Int64)] = [:]
        for f in findings { byRule[f.rule.rawValue, default: (0, 0)].0 += 1; byRule[f.rule.rawValue, default: (0, 0)].1 += f.amount }
        let rules = byRule.sorted { $0.value.1 != $1.value.1 ? $0.value.1 > $1.value.1 : $0.key < $1.key }
        var charts: [PackChart] = []
        if !rules.isEmpty {
            charts.append(PackChart(id: "anomalies-by-rule", chart: BarChart(
                ChartText("Where is the money at stake?", subtitle: "Amounts involved in the findings on documents of the last 12 months and on open documents, by rule, \(currency)"),
                categories: rules.map { AnomalyWords.title($0.key) }, series: [Series("At stake", rules.map { Double($0.value.1) / major })],
                format: money, namedCategories: true), size: Size(800, 380), alt: "Amounts at stake by rule"))
        }
        // Benford: first digits of the year's invoice amounts, with 95% bounds.
        if let b = analysis.benford {
            let r = b.result
            charts.append(PackChart(id: "anomalies-benford", chart: BenfordChart(
                ChartText("Do invoice amounts follow Benford's law?",
                          subtitle: "First digits of \(ReportTable.grouped(r.n)) invoice amounts of the last 12 months: MAD \(String(format: "%.4f", r.mad)) (\(r.conformity)), chi-square \(String(format: "%.1f", r.chiSquare))"),
                digits: r.digits.map { String($0.digit) }, observed: r.digits.map(\.observed), expected: r.digits.map(\.expected),
                lower: b.lower, upper: b.upper),
                size: Size(800, 380), alt: "Benford first-digit test"))
        }
        let ranked = ReportTable(id: "anomalies", title: "Findings by severity",
            columns: [.init("Severity", .number(decimals: 2)), .init("Rule"), .init("At stake", .money), .init("Documents"), .init("What was found")],
            rows: findings.map { f in [.number(f.severity), .text(AnomalyWords.title(f.rule.rawValue)), .money(f.amount),
                                       .text(f.documents.joined(separator: " ")),   // every document: the CSV is data, never cut
                                       .text((f.review == nil ? "" : "Confirmed by review. ") + f.message)] })
        let totals = ReportTable(id: "anomalies_by_rule", title: "Findings and amounts at stake by rule",
            columns: [.init("Rule"), .init("Findings", .count), .init("At stake", .money)],
            rows: rules.map { [.text(AnomalyWords.title($0.key)), .number(Double($0.value.0)), .money($0.value.1)] })
        // The board sees the five that matter most: the most severe, the larger amount first.
        let five = findings.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity
                : a.element.amount != b.element.amount ? a.element.amount > b.element.amount : a.offset < b.offset
        }.prefix(5).map(\.element)
        let top = ReportTable(id: "anomalies_top", title: "The five findings that matter most",
            columns: [.init("Severity", .number(decimals: 2)), .init("What to look at"), .init("At stake", .money), .init("Documents"), .init("What was found")],
            rows: five.map { f in [.number(f.severity), .text(AnomalyWords.title(f.rule.rawValue)), .money(f.amount),
                                   .text(f.documents.joined(separator: " ")),
                                   .text((f.review == nil ? "" : "Confirmed by review. ") + f.message)] })
        var tables = [top, totals]
        var appendix = [ranked]
        if !tracked.isEmpty {
            appendix.append(ReportTable(id: "anomalies_confirmed", title: "Confirmed findings still open",
                columns: [.init("Rule"), .init("Documents"), .init("Still open", .money), .init("Open documents"), .init("Reviewer's note")],
                rows: tracked.map { x in
                    let open = x.documents.filter { ($0.open ?? 0) != 0 }.map(\.id)
                    let missing = x.missing.isEmpty ? "" : (open.isEmpty ? "" : "; ") + "not in the ledger: " + x.missing.joined(separator: " ")
                    return [.text(AnomalyWords.title(x.entry.rule.rawValue)), .text(x.entry.documents.joined(separator: " ")),
                            .money(x.openAmount), .text(open.joined(separator: " ") + missing), .text(x.entry.note)]
                }))
        }
        let serious = findings.filter { $0.severity >= 0.7 }.count
        var paragraphs = ["\(findings.count) findings, \(serious) of them serious (severity 0.7 or more)."]
        if analysis.anomaliesCleared > 0 || !tracked.isEmpty || analysis.resolvedFindings > 0 {
            paragraphs.append("Reviewed findings: \(analysis.anomaliesCleared) cleared and not shown; \(tracked.count) confirmed and still open, tracked in the appendix; \(analysis.resolvedFindings) confirmed and resolved (every document closed).")
        }
        let benfordCharts = charts.filter { $0.id == "anomalies-benford" }
        charts.removeAll { $0.id == "anomalies-benford" }
        return PackSection(id: "anomalies", title: "Findings that matter",
                           lead: "What an auditor would look at first among the possible errors and frauds of the last 12 months and on open documents; none is a verdict. The appendix lists every finding.",
                           charts: charts, tables: tables, paragraphs: paragraphs, appendixTables: appendix, appendixCharts: benfordCharts,
                           notes: ["Anomaly findings that a reviewer cleared (the reviewed-findings list of arlens.yml) are not shown again; confirmed ones stay listed until their documents are closed. Each finding names its documents; severity runs from 0 to 1."]
                            + (benfordCharts.isEmpty ? [] : ["Benford's law: in many natural sets of amounts the first digit is 1 about 30% of the time and 9 under 5%. Invoice amounts far from that pattern (a mean absolute deviation above about 0.015) deserve a look; the chart in this appendix shows each digit against its expected share with 95% bounds."]))
    }

}

/// A rule's code as people read it: "duplicate_invoice" -> "Duplicate invoice".
enum AnomalyWords {
    static func title(_ code: String) -> String {
        let words = code.replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }
}
