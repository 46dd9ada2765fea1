import Foundation
import ARModel

/// Named columns of a small side CSV (a GL balance file, a column to test against Benford, a
/// series to forecast), read with the ledger's scanner: quotes, CRLF, a BOM and blank lines
/// are handled as in the ledger, and every problem names the file and line.
public struct ColumnFile: Sendable {
    /// The requested columns' values, one array per row, in the order the columns were asked for.
    public var rows: [[String]] = []
    /// The physical line each row starts on.
    public var lines: [Int] = []
    /// Records the scanner could not read (an unbalanced quote, text after a closing quote).
    public var malformed: [(line: Int, reason: String)] = []
    /// The header's names, trimmed and in lower case.
    public var header: [String] = []

    /// Reads `columns` (matched case-insensitively against the trimmed header) from `path`.
    /// A missing column is an error naming the header; an empty file is an error.
    /// `optional` columns follow `columns` in each row, empty where the file lacks them.
    public static func read(_ path: String, columns: [String], optional: [String] = []) throws(LoadError) -> ColumnFile {
        let mapped = try MappedFile(path: path)
        var scanner = CSVScanner(bytes: mapped.bytes)
        var fields: [CSVField] = []
        guard case .record = scanner.next(&fields) else { throw .noHeader(file: path) }
        func text(_ f: CSVField) -> String { scanner.withValue(f) { String(decoding: $0, as: UTF8.self) } }
        let header = fields.map { text($0).trimmingCharacters(in: .whitespaces).lowercased() }
        var index: [Int] = []
        var missing: [String] = []
        for c in columns {
            if let k = header.firstIndex(of: c.lowercased()) { index.append(k) } else { missing.append(c) }
        }
        if !missing.isEmpty { throw .missingColumns(file: path, columns: missing, available: header) }
        for c in optional { index.append(header.firstIndex(of: c.lowercased()) ?? Int.max) }
        var out = ColumnFile()
        out.header = header
        while let r = scanner.next(&fields) {
            switch r {
            case .malformed(let line, _, let reason, _):
                out.malformed.append((line, reason))
            case .record(let line, _):
                if fields.count == 1 && scanner.withValue(fields[0], { $0.isEmpty }) { continue }
                out.rows.append(index.map { $0 < fields.count ? text(fields[$0]).trimmingCharacters(in: .whitespaces) : "" })
                out.lines.append(line)
            }
        }
        return out
    }

    /// `date,balance` rows of a GL control-account file, balances in minor units with `digits`
    /// decimals. A bad row stops the job with its line, column and value.
    public static func glBalances(_ path: String, digits: Int) throws(LoadError) -> [(date: Day, balance: Int64)] {
        let f = try read(path, columns: ["date", "balance"])
        if let m = f.malformed.first { throw .badValue(file: path, line: m.line, column: nil, value: nil, reason: m.reason) }
        let parser = AmountParser()
        var out: [(Day, Int64)] = []
        for (k, row) in f.rows.enumerated() {
            guard let d = Day(iso: row[0]) else {
                throw .badValue(file: path, line: f.lines[k], column: "date", value: row[0], reason: "not a date (YYYY-MM-DD)")
            }
            do { out.append((d, try parser.parse(row[1], digits: digits))) } catch {
                throw .badValue(file: path, line: f.lines[k], column: "balance", value: row[1], reason: "\(error)")
            }
        }
        return out
    }

    /// A monthly series without gaps: `YYYY-MM` (or a date whose first seven characters are
    /// one) and a finite number per row.
    public static func monthlySeries(_ path: String, dateColumn: String, valueColumn: String) throws(LoadError) -> (months: [YearMonth], values: [Double]) {
        let f = try read(path, columns: [dateColumn, valueColumn])
        if let m = f.malformed.first { throw .badValue(file: path, line: m.line, column: nil, value: nil, reason: m.reason) }
        var months: [YearMonth] = [], values: [Double] = []
        for (k, row) in f.rows.enumerated() {
            guard let m = YearMonth(String(row[0].prefix(7))) else {
                throw .badValue(file: path, line: f.lines[k], column: dateColumn, value: row[0], reason: "not a month (YYYY-MM)")
            }
            guard let v = Double(row[1]), v.isFinite else {
                throw .badValue(file: path, line: f.lines[k], column: valueColumn, value: row[1], reason: "not a number")
            }
            if let last = months.last, m != last.advanced(by: 1) {
                throw .badValue(file: path, line: f.lines[k], column: nil, value: nil,
                                reason: "\(m) does not follow \(last) (a monthly series without gaps)")
            }
            months.append(m)
            values.append(v)
        }
        return (months, values)
    }

    /// The reviewed-findings list: columns `rule` (an anomaly rule's id), `documents` (the
    /// finding's documents separated by `;`), `verdict` (`confirmed` or `cleared`) and `note`
    /// (optional). Another column, an unknown rule or verdict, or a row without documents is an
    /// error naming the file and line.
    public static func reviewedFindings(_ path: String) throws(LoadError) -> [ReviewedFinding] {
        let f = try read(path, columns: ["rule", "documents", "verdict"], optional: ["note"])
        let known = ["rule", "documents", "verdict", "note"]
        if let other = f.header.first(where: { !known.contains($0) }) {
            throw .badValue(file: path, line: 1, column: other, value: nil,
                            reason: "unknown column '\(other)' (a reviewed-findings list has rule, documents, verdict, note)")
        }
        if let m = f.malformed.first { throw .badValue(file: path, line: m.line, column: nil, value: nil, reason: m.reason) }
        var out: [ReviewedFinding] = []
        for (k, row) in f.rows.enumerated() {
            let line = f.lines[k]
            guard let rule = AnomalyRule(rawValue: row[0]) else {
                throw .badValue(file: path, line: line, column: "rule", value: row[0],
                                reason: "not an anomaly rule (\(AnomalyRule.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let docs = row[1].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !docs.isEmpty else {
                throw .badValue(file: path, line: line, column: "documents", value: row[1],
                                reason: "no documents (the finding's document ids, separated by ';')")
            }
            guard let verdict = ReviewedFinding.Verdict(rawValue: row[2].lowercased()) else {
                throw .badValue(file: path, line: line, column: "verdict", value: row[2], reason: "not a verdict (confirmed or cleared)")
            }
            out.append(ReviewedFinding(rule: rule, documents: docs, verdict: verdict, note: row[3], line: line))
        }
        return out
    }
}
