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
    /// A table whose amounts add up beyond what ARLens sums exactly (see `ValueLimits`).
    case totals(file: String, message: String)

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
        case .totals(let f, let msg): return "\(f): \(msg)"
        }
    }
}

/// A row that was read but not loaded, and why.
public struct Rejection: Sendable, Hashable, Codable {
    public var file: String
    /// The physical line where the record starts (the header is line 1).
    public var line: Int
    public var column: String?
    public var value: String?
    public var reason: String

    public init(file: String, line: Int, column: String?, value: String?, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
    }

    /// `invoices.csv:14: column 'amount': '12.345': more decimals than USD allows`
    public var message: String {
        var s = "\(file):\(line):"
        if let column { s += " column '\(column)':" }
        if let value { s += " '\(Rejection.clip(value))':" }
        return s + " " + reason
    }

    static func clip(_ v: String) -> String {
        let flat = v.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r")
        return flat.count > 60 ? String(flat.prefix(57)) + "..." : flat
    }
}

/// Counts for one file: every row read is either loaded or rejected.
public struct FileReport: Sendable, Hashable, Codable {
    public var file: String
    public var table: String
    public var read: Int
    public var loaded: Int
    public var rejected: Int
    /// Header columns ARLens does not use (kept out of the analysis, not an error).
    public var ignoredColumns: [String]

    public init(file: String, table: String, read: Int = 0, loaded: Int = 0, rejected: Int = 0, ignoredColumns: [String] = []) {
        self.file = file
        self.table = table
        self.read = read
        self.loaded = loaded
        self.rejected = rejected
        self.ignoredColumns = ignoredColumns
    }
}

/// A data-quality observation a clerk acts on; the row was loaded.
public struct Finding: Sendable, Hashable, Codable {
    public var kind: String
    public var table: String
    public var key: String
    public var message: String

    public init(kind: String, table: String, key: String, message: String) {
        self.kind = kind
        self.table = table
        self.key = key
        self.message = message
    }
}

/// What loading read, loaded and rejected, and what it noticed.
public struct LoadReport: Sendable {
    public var files: [FileReport] = []
    public var rejections: [Rejection] = []
    public var findings: [Finding] = []
    /// Notes about the load as a whole (defaults applied, tables absent).
    public var notes: [String] = []
    /// Seconds spent in each phase of the load, in order (for benchmarks and `--timing`).
    public var phases: [(name: String, seconds: Double)] = []

    public init() {}

    public var totalRead: Int { files.reduce(0) { $0 + $1.read } }
    public var totalRejected: Int { files.reduce(0) { $0 + $1.rejected } }
}
