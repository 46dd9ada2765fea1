import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// Data quality, the appendix of definitions, and the tables that go to CSV only.
extension PackBuilder {
    func dataQualitySection() -> PackSection {
        let files = ReportTable(id: "load_report", title: "Rows read, loaded and rejected per file",
                                columns: [.init("File"), .init("Read", .count), .init("Loaded", .count), .init("Rejected", .count)],
                                rows: report.files.map { [.text($0.file), .number(Double($0.read)), .number(Double($0.loaded)), .number(Double($0.rejected))] })
        var byReason: [String: Int] = [:]
        for r in report.rejections { byReason["\(r.file): \(r.reason)", default: 0] += 1 }
        let quality = analysis.quality
        var byKind: [String: Int] = [:]
        for f in quality { byKind[f.kind, default: 0] += 1 }
        var tables = [files]
        if !byReason.isEmpty {
            tables.append(ReportTable(id: "rejections_by_reason", title: "Rejected rows by reason",
                                      columns: [.init("File and reason"), .init("Rows", .count)],
                                      rows: byReason.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                                        .map { [.text($0.key), .number(Double($0.value))] }))
        }
        tables.append(ReportTable(id: "data_quality", title: "Data-quality findings by kind",
                                  columns: [.init("Finding"), .init("Count", .count), .init("Example")],
                                  rows: byKind.keys.sorted().map { k in
                                      [.text(k.replacingOccurrences(of: "_", with: " ")), .number(Double(byKind[k]!)),
                                       .text(quality.first { $0.kind == k }?.message ?? "")]
                                  }))
        let completeness = s.now(.contact_completeness).map { String(format: "%.1f%%", $0) } ?? "n/a"
        let rejected = report.totalRejected
        let para = rejected == 0 ? "All \(ReportTable.grouped(report.totalRead)) rows of the ledger loaded; none was rejected."
            : "\(ReportTable.grouped(rejected)) of \(ReportTable.grouped(report.totalRead)) rows were rejected and left out of every figure (csv/rejections.csv lists each with its file, line and reason)."
        return PackSection(id: "data_quality", title: "Data quality",
                           lead: "What the ledger export got wrong, so that the numbers above can be trusted and the source fixed.",
                           tables: tables,
                           paragraphs: [para, "Contact completeness (customers with a well-formed email and a phone number): \(completeness)."],
                           inAppendix: true)
    }

    // MARK: appendix

    func appendixSection() -> PackSection {
        var table = ReportTable(id: "definitions", title: "Definitions",
                                columns: [.init("Metric"), .init("Definition")],
                                rows: KPI.allCases.map { [.text($0.title), .text($0.definition)] })
        // As data, each metric keeps its code (the name arlens kpi and kpis.json use).
        table.data = (columns: [.init("Metric"), .init("Code"), .init("Definition")],
                      rows: KPI.allCases.map { [.text($0.title), .text($0.rawValue), .text($0.definition)] })
        return PackSection(id: "appendix", title: "Definitions",
                           lead: "Every number in this pack is computed by one definition, the same that arlens kpi --list prints. Amounts are in \(currency), each document converted at its own date's rate.",
                           tables: [table], inAppendix: true)
    }

    // MARK: CSV-only tables

    func agingDetailTable() -> ReportTable {
        let a = analysis.aging
        return ReportTable(id: "aging_detail", title: "Open items at \(a.asOf)",
                    columns: [.init("Customer"), .init("Document"), .init("Kind"), .init("Date", .date), .init("Due", .date),
                              .init("Days past due", .count), .init("Bucket"), .init("Open", .money), .init("Currency"), .init("Open (local)", .number(decimals: 2))],
                    rows: a.items.map { i in
                        [.text(i.customer), .text(i.document), .text(i.kind), .date(i.date), i.due.map { .date($0) } ?? .empty,
                         i.daysPastDue.map { .number(Double($0)) } ?? .empty, .text(i.bucket.map { a.labels[$0] } ?? "unapplied"),
                         .money(i.amount), .text(i.currency.code), .decimal(Money.decimalString(i.localAmount, digits: i.currency.minorDigits))]
                    })
    }

    func kpiTrendTable() -> ReportTable {
        ReportTable(id: "kpi_trends_all", title: "Every KPI, last 24 months",
                    columns: [.init("Month")] + KPI.allCases.map { .init($0.rawValue, kind($0)) },
                    rows: s.months.enumerated().map { (i, m) in
                        [.text(m.description)] + KPI.allCases.map { k -> ReportTable.Cell in
                            guard let v = s.values[k]![i] else { return .empty }
                            return k.kind == .money ? .money(Int64(v.rounded())) : .number(v)
                        }
                    })
    }

    func rejectionsTable() -> ReportTable {
        ReportTable(id: "rejections", title: "Rejected rows",
                     columns: [.init("File"), .init("Line", .count), .init("Column"), .init("Value"), .init("Reason")],
                     rows: report.rejections.map { [.text($0.file), .number(Double($0.line)), .text($0.column ?? ""), .text($0.value ?? ""), .text($0.reason)] })
    }
}
