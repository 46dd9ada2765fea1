import ARLoading
import AROutput
import Foundation

/// `arlens cache`: the snapshots of a ledger (LedgerCache), listed or removed.
public enum CacheJob {
    /// Every snapshot of the ledger, whether it matches the ledger as it is now.
    public static func status(_ source: LedgerSource) throws -> CacheStatusView {
        let config = try LedgerLoader.configuration(directory: source.directory, configPath: source.configPath)
        return CacheStatusView(data: source.directory, entries: LedgerCache.entries(directory: source.directory, config: config))
    }

    /// Removes every snapshot of the ledger; what was removed, as a line to print.
    public static func clear(_ source: LedgerSource) throws -> String {
        let config = try LedgerLoader.configuration(directory: source.directory, configPath: source.configPath)
        let n: Int
        do { n = try LedgerCache.clear(directory: source.directory, config: config) } catch {
            throw ARLensError.runtime("cannot remove the snapshots of \(source.directory): \(error.localizedDescription)")
        }
        return n == 0 ? "no snapshot of \(source.directory)\n" : "removed \(n) snapshot\(n == 1 ? "" : "s") of \(source.directory)\n"
    }
}

public struct CacheStatusView: TabularResult {
    public let data: String
    public let entries: [LedgerCache.Entry]

    public var json: JSONValue {
        .object([("data", .string(data)), ("snapshots", .array(entries.map { e in
            .object([("path", .string(e.path)), ("bytes", .int(e.bytes)), ("tables", .optional(e.tables)), ("current", .bool(e.current))])
        }))])
    }

    public var csv: String {
        var w = CSVWriter(header: ["path", "bytes", "tables", "current"])
        for e in entries { w.addRow([.text(e.path), .number(String(e.bytes)), .text(e.tables ?? ""), .text(e.current ? "yes" : "no")]) }
        return w.text
    }

    public var table: String {
        guard !entries.isEmpty else { return "no snapshot of \(data) (the next command that reads it writes one)\n" }
        var t = TextTable(["snapshot", "MB", "tables", "state"])
        for e in entries {
            t.add([e.path, String(format: "%.1f", Double(e.bytes) / 1e6), e.tables ?? "?", e.current ? "current" : "stale (rebuilt on next use)"])
        }
        return t.render()
    }
}
