import ArgumentParser
import ARAnalytics
import ARLoading
import ARModel
import AROutput
import Foundation

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the ledger and report every rejected row and data-quality finding.")

    @OptionGroup var ledger: LedgerOptions

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    func run() throws {
        var result = try ledger.load()
        result.report.findings += DataQuality.findings(result.ledger)
        if let c = PreparedLedger(result.ledger).cashApplication { result.report.notes.append(c.summary) }
        let r = result.report
        switch format {
        case .json: print(ValidateOutput.json(r).serialized())
        case .csv: print(ValidateOutput.csv(r), terminator: "")
        case .table: print(ValidateOutput.table(result, data: ledger.data), terminator: "")
        }
        if ledger.strict && !r.rejections.isEmpty {
            throw CLIFailure(code: 1, message: "\(r.rejections.count) rows rejected (--strict)")
        }
    }
}

enum ValidateOutput {
    static func json(_ r: LoadReport) -> JSONValue {
        .object([
            ("files", .array(r.files.map { f in
                .object([("file", .string(f.file)), ("read", .int(f.read)), ("loaded", .int(f.loaded)),
                         ("rejected", .int(f.rejected))])
            })),
            ("rejections", .array(r.rejections.map { x in
                .object([("file", .string(x.file)), ("line", .int(x.line)), ("column", .optional(x.column)),
                         ("value", .optional(x.value)), ("reason", .string(x.reason))])
            })),
            ("findings", .array(r.findings.map { f in
                .object([("kind", .string(f.kind)), ("table", .string(f.table)), ("key", .string(f.key)),
                         ("message", .string(f.message))])
            })),
        ])
    }

    /// One line per rejection and finding, for a spreadsheet.
    static func csv(_ r: LoadReport) -> String {
        var w = CSVWriter(header: ["type", "file", "line", "column", "value", "kind", "key", "message"])
        for x in r.rejections {
            w.addRow([.text("rejection"), .text(x.file), .number(String(x.line)), .text(x.column ?? ""),
                      .text(x.value ?? ""), .empty, .empty, .text(x.reason)])
        }
        for f in r.findings {
            w.addRow([.text("finding"), .text(f.table), .empty, .empty, .empty, .text(f.kind), .text(f.key), .text(f.message)])
        }
        return w.text
    }

    static func table(_ result: LoadResult, data: String) -> String {
        let r = result.report
        let l = result.ledger
        var out = "Ledger \(data): base currency \(l.baseCurrency)"
        if let p = result.configuration.path { out += ", configuration \(p)" }
        out += "\n\n"
        var t = TextTable(["file", "read", "loaded", "rejected"], align: [.left, .right, .right, .right])
        for f in r.files { t.add([f.file, String(f.read), String(f.loaded), String(f.rejected)]) }
        t.add(["total", String(r.totalRead), String(r.totalRead - r.totalRejected), String(r.totalRejected)])
        out += t.render()
        for f in r.files where !f.ignoredColumns.isEmpty {
            out += "\(f.file): columns not used: \(f.ignoredColumns.joined(separator: ", "))\n"
        }
        for n in r.notes { out += "note: \(n)\n" }
        out += "\nRejected rows: \(r.rejections.count)\n"
        for x in r.rejections { out += "  \(x.message)\n" }
        out += "\nData-quality findings: \(r.findings.count)\n"
        if !r.findings.isEmpty {
            var counts: [String: Int] = [:]
            for f in r.findings { counts[f.kind, default: 0] += 1 }
            out += "  " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            for f in r.findings { out += "  \(f.kind): \(f.message)\n" }
        }
        return out
    }
}
