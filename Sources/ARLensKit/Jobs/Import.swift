import ARAnalytics
import ARLoading
import ARModel
import AROutput
import Foundation

/// `arlens import`: an export read through a preset, checked by loading it, and written as a
/// native ledger folder with the report of every row that was not loaded.
public enum ImportJob {
    /// The files a ledger folder written by `import` holds (an existing folder with anything
    /// else in it is not replaced).
    static let written: Set<String> = ["invoices.csv", "payments.csv", "applications.csv", "adjustments.csv",
                                       "customers.csv", "rejects.csv", "import.txt"]

    /// Reads `files` with `preset`, loads the result to check it, and writes `out`.
    public static func run(preset name: String, files: [String], out: String, paidAsOf: Day? = nil,
                           dateFormat: String? = nil) throws -> ImportView {
        guard var source = Presets.named(name) else {
            throw ARLensError.usage("--from: unknown preset '\(name)' (presets: \(Presets.names.joined(separator: ", ")))")
        }
        guard !files.isEmpty else { throw ARLensError.usage("name the export file(s) to import") }
        source.files = files
        for k in source.layouts.indices {
            if let paidAsOf { source.layouts[k].paidAsOf = paidAsOf }
            if let dateFormat {
                guard let f = DateFormat(dateFormat) else { throw ARLensError.usage("--date-format: '\(dateFormat)' is not a date format (e.g. M/D/YYYY)") }
                source.layouts[k].dateFormat = f
            }
        }
        let cwd = FileManager.default.currentDirectoryPath
        let imported = try ExportReader.read(source, directory: cwd)
        let load = try LedgerLoader.load(imported: imported, config: ConfigurationFile(directory: cwd))
        let view = ImportView(preset: name, out: out, imported: imported, report: load.report, ledger: load.ledger)

        let staged = try StagedFolder.begin(out) { entries in
            let foreign = entries.filter { !written.contains($0) && !$0.hasPrefix(".") }
            return foreign.isEmpty ? nil : "holds files arlens import did not write (\(foreign.prefix(3).joined(separator: ", "))); give a new folder"
        }
        do {
            for (t, table) in imported.tables.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try AtomicFile.write(Data(table.csv().bytes), to: "\(staged.path)/\(t.defaultFile)")
            }
            try AtomicFile.write(view.rejectsCSV, to: "\(staged.path)/rejects.csv")
            try AtomicFile.write(view.table, to: "\(staged.path)/import.txt")
            try staged.commit()
        } catch {
            staged.abandon()
            throw error
        }
        return view
    }

    /// The presets a file's header fits, best first.
    /// The command line's combinations: `--detect` takes one file and nothing else; an import
    /// takes a preset, files and a folder.
    public static func checkArguments(detect: Bool, preset: String?, files: [String], out: String?) throws {
        if detect {
            guard files.count == 1, preset == nil, out == nil else { throw ARLensError.usage("--detect takes one file and no --from or --out") }
        } else {
            guard preset != nil, out != nil, !files.isEmpty else { throw ARLensError.usage("give --from PRESET, the export file(s) and --out FOLDER (or --detect FILE)") }
        }
    }

    public static func detect(file: String) throws -> DetectView {
        let f = try MappedFile(path: file)
        var best: [(preset: String, layout: String, score: Double, found: [String])] = []
        // The header may sit below title rows: every one of the first rows is tried, in each
        // encoding the presets use and with each delimiter.
        for encoding in [EncodingChoice(), EncodingChoice(fallback: .windows1252)] {
            guard let text = try? TextDecoding.utf8(f.bytes, encoding).bytes else { continue }
            for delim: UInt8 in [44, 59, 9, 124] {
                text.withUnsafeBytes { buf in
                    var s = CSVScanner(bytes: buf, delimiter: delim)
                    var fields: [CSVField] = []
                    var n = 0
                    while n < 30, let r = s.next(&fields) {
                        n += 1
                        guard case .record = r, fields.count >= 3 else { continue }
                        let cells = fields.map { x in s.withValue(x) { String(decoding: $0, as: UTF8.self) } }
                        for c in Presets.detect(header: cells) where !best.contains(where: { $0.layout == c.layout && $0.score >= c.score }) {
                            best.removeAll { $0.layout == c.layout }
                            best.append(c)
                        }
                    }
                }
            }
        }
        best.sort { $0.score > $1.score }
        return DetectView(file: file, candidates: best.filter { $0.score > 0 })
    }
}

public struct ImportView: TabularResult {
    public let preset: String
    public let out: String
    public let imported: ImportResult
    public let report: LoadReport
    let ledger: Ledger

    /// Every row not loaded: rejected (with why), skipped (titles, totals, filtered out) and
    /// folded (line items), in file and line order.
    public var rows: [(kind: String, r: Rejection)] {
        (report.rejections.map { ("rejected", $0) } + report.skipped.map { ("skipped", $0) } + report.folded.map { ("folded", $0) })
            .sorted { ($0.1.file, $0.1.line, $0.0) < ($1.1.file, $1.1.line, $1.0) }
    }

    var rejectsCSV: String {
        var w = CSVWriter(header: ["kind", "file", "line", "column", "value", "reason"])
        for (k, x) in rows {
            w.addRow([.text(k), .text(x.file), .number(String(x.line)), .text(x.column ?? ""), .text(x.value ?? ""), .text(x.reason)])
        }
        return w.text
    }

    public var csv: String { rejectsCSV }

    public var json: JSONValue {
        .object([
            ("preset", .string(preset)), ("out", .string(out)),
            ("files", .array(report.files.map { f in
                .object([("file", .string(f.file)), ("read", .int(f.read)), ("loaded", .int(f.loaded)), ("rejected", .int(f.rejected)),
                         ("skipped", .int(f.skipped)), ("folded", .int(f.folded))])
            })),
            ("tables", .object(imported.tables.sorted { $0.key.rawValue < $1.key.rawValue }.map { ($0.key.rawValue, .int($0.value.rows.count)) })),
            ("notes", .array(report.notes.map { .string($0) })),
            ("rows", .array(rows.map { k, x in
                .object([("kind", .string(k)), ("file", .string(x.file)), ("line", .int(x.line)), ("column", .optional(x.column)),
                         ("value", .optional(x.value)), ("reason", .string(x.reason))])
            })),
        ])
    }

    public var table: String {
        var out = "Imported with \(preset) into \(self.out)\n\n"
        var t = TextTable(["file", "read", "loaded", "folded", "skipped", "rejected"], align: [.left, .right, .right, .right, .right, .right])
        for f in report.files { t.add([f.file, String(f.read), String(f.loaded), String(f.folded), String(f.skipped), String(f.rejected)]) }
        out += t.render()
        for f in imported.files {
            let d = f.delimiter == 9 ? "tab" : String(UnicodeScalar(f.delimiter))
            out += "\(f.file): \(f.layout), \(f.encoding.rawValue), delimiter \(d), header on line \(f.headerLine)\n"
        }
        out += "written: " + imported.tables.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.defaultFile) (\($0.value.rows.count))" }.joined(separator: ", ") + ", rejects.csv\n"
        for n in report.notes { out += "note: \(n)\n" }
        let rejected = rows.filter { $0.kind == "rejected" }
        out += "\nRejected rows: \(rejected.count)\n"
        for (_, x) in rejected.prefix(50) { out += "  \(x.message)\n" }
        if rejected.count > 50 { out += "  ... \(rejected.count - 50) more in rejects.csv\n" }
        let skipped = rows.filter { $0.kind == "skipped" }
        out += "Skipped rows: \(skipped.count) (titles, totals, headings, rows filtered out; all in rejects.csv)\n"
        for (_, x) in skipped.prefix(10) { out += "  \(x.message)\n" }
        out += "Folded rows: \(report.folded.count) (line items added to their document's first line)\n"
        return out
    }
}

public struct DetectView: TabularResult {
    public let file: String
    public let candidates: [(preset: String, layout: String, score: Double, found: [String])]

    public var best: String? { candidates.first.map(\.preset) }

    public var table: String {
        guard let c = candidates.first, c.score >= 0.5 else {
            return "\(file): no preset fits this header; write a mapping (mapping.exports in arlens.yml)\n"
        }
        var out = "\(file): \(c.preset) (\(Int((c.score * 100).rounded()))% of its columns found: \(c.found.joined(separator: ", ")))\n"
        for o in candidates.dropFirst().filter({ $0.preset != c.preset }).prefix(3) where o.score >= 0.3 {
            out += "  also possible: \(o.preset) (\(Int((o.score * 100).rounded()))%)\n"
        }
        out += "import it with: arlens import --from \(c.preset) \(file) --out FOLDER\n"
        return out
    }
    public var csv: String {
        var w = CSVWriter(header: ["preset", "layout", "score", "columns_found"])
        for c in candidates { w.addRow([.text(c.preset), .text(c.layout), .number(String(format: "%.2f", c.score)), .text(c.found.joined(separator: "; "))]) }
        return w.text
    }
    public var json: JSONValue {
        .object([("file", .string(file)), ("best", .optional(best)),
                 ("candidates", .array(candidates.map { c in
                     .object([("preset", .string(c.preset)), ("layout", .string(c.layout)), ("score", .number(c.score)),
                              ("found", .array(c.found.map { .string($0) }))])
                 }))])
    }
}
