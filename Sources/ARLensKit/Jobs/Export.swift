import ARLoading
import AROutput
import Foundation

/// `arlens export --to postgresql://...`: a ledger folder written into a PostgreSQL schema.
public enum ExportJob {
    public static func toDatabase(_ source: LedgerSource, url: String, replace: Bool) throws -> ExportView {
        guard PGLocation.isURL(url) else {
            throw ARLensError.usage("--to must be a PostgreSQL URL (postgresql://user@host:port/database?schema=ar)")
        }
        if PGLocation.isURL(source.directory) { throw ARLensError.input("--data is already a database; export reads a ledger folder") }
        try LedgerLoader.checkLedgerFolder(source.directory)
        let config: ConfigurationFile
        if let p = source.configPath {
            config = try ConfigurationFile.read(path: p)
        } else {
            let p = (source.directory as NSString).appendingPathComponent("arlens.yml")
            config = FileManager.default.fileExists(atPath: p) ? try ConfigurationFile.read(path: p) : ConfigurationFile(directory: source.directory)
        }
        return ExportView(summary: try PGExport.run(directory: source.directory, config: config, to: url, replace: replace))
    }
}

/// What was written: rows per table, and the rows left out because the loader rejects them.
public struct ExportView: Rendered {
    public let summary: PGExport.Summary
    public static var formats: [OutputFormat] { [.table, .json] }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json:
            return JSONValue.object([
                ("to", .string(summary.location)), ("schema", .string(summary.schema)),
                ("tables", .array(summary.tables.map {
                    .object([("table", .string($0.table)), ("rows", .int($0.rows)), ("rejected", .int($0.rejected))])
                })),
            ]).serialized() + "\n"
        default:
            var t = TextTable(["table", "rows", "rejected (not written)"], align: [.left, .right, .right])
            for c in summary.tables { t.add([c.table, String(c.rows), String(c.rejected)]) }
            return "exported to \(summary.location) (schema \(summary.schema))\n" + t.render()
        }
    }
}
