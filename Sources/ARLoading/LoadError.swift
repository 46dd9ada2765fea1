import ARModel

/// A problem that stops the ledger from loading at all (exit code 1). Row-level problems are
/// not errors: they are `Rejection`s in the `LoadReport`.
public enum LoadError: Error, Equatable, Sendable, CustomStringConvertible {
    case fileNotFound(String)
    case unreadable(String, String)
    case notText(file: String, reason: String)
    case noHeader(file: String)
    case missingColumns(file: String, columns: [String], available: [String])
    case duplicateColumn(file: String, column: String)
    case config(file: String, line: Int?, message: String)
    case currencies(String)
    /// A value in a side file (a GL balance file, a series to forecast) that stops the job.
    case badValue(file: String, line: Int, column: String?, value: String?, reason: String)
    /// A table whose amounts add up beyond what ARLens sums exactly (see `ValueLimits`).
    case totals(file: String, message: String)
    /// A database source that cannot be read: refused, bad credentials, a missing table or
    /// column, a lost connection (the message names the server with its password masked).
    case database(String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): return "\(p): file not found"
        case .unreadable(let p, let why): return "\(p): cannot read: \(why)"
        case .notText(let f, let why): return "\(f): not a UTF-8 CSV file (\(why))"
        case .noHeader(let f): return "\(f): the file is empty; a header row is required"
        case .missingColumns(let f, let cols, let avail):
            let names = cols.map { "'\($0)'" }.joined(separator: ", ")
            let found = avail.prefix(12).joined(separator: ", ")
            return "\(f):1: required column\(cols.count > 1 ? "s" : "") \(names) missing (the header has: \(found)\(avail.count > 12 ? ", ..." : ""))"
        case .duplicateColumn(let f, let c): return "\(f):1: column '\(c)' appears more than once in the header"
        case .config(let f, let line, let msg): return "\(f)\(line.map { ":\($0)" } ?? ""): \(msg)"
        case .currencies(let msg): return msg
        case .badValue(let f, let line, let column, let value, let reason):
            return Rejection(file: f, line: line, column: column, value: value, reason: reason).message
        case .totals(let f, let msg): return "\(f): \(msg)"
        case .database(let msg): return msg
        }
    }
}
