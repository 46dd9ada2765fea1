import Foundation

// What a load read, loaded and rejected: plain values, so that reports can show them without
// depending on the loader.

/// A row that was read but not loaded, and why.
public struct Rejection: Sendable, Hashable, Codable {
    public var file: String
    /// The physical line where the record starts (the header is line 1).
    public var line: Int
    public var column: String?
    public var value: String?
    public var reason: String
    /// For a row read from a database: its key, `invoice_id=I5` (the line is its position in
    /// the stream, which names no row of a table).
    public var key: String?

    public init(file: String, line: Int, column: String?, value: String?, reason: String, key: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.reason = reason
        self.key = key
    }

    /// `invoices.csv:14: column 'amount': '12.345': more decimals than USD allows`; from a
    /// database, `ar.invoices:5: row invoice_id=I5: column 'amount': 'abc': not an amount`.
    public var message: String {
        var s = "\(file):\(line):"
        if let key { s += " row \(key):" }
        if let column { s += " column '\(column)':" }
        if let value { s += " '\(Rejection.clip(value))':" }
        return s + " " + reason
    }

    public static func clip(_ v: String) -> String {
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
    /// Rows of an export left out on purpose (titles, totals, filtered out), each listed with
    /// its reason in `LoadReport.skipped`; and line items folded into their document.
    /// For an export: read = loaded + rejected + skipped + folded.
    public var skipped = 0
    public var folded = 0
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
    /// Rows of exports left out on purpose, and line items folded into another row, with why.
    public var skipped: [Rejection] = []
    public var folded: [Rejection] = []
    /// Notes about the load as a whole (defaults applied, tables absent).
    public var notes: [String] = []
    /// Seconds spent in each phase of the load, in order (for benchmarks and `--timing`).
    public var phases: [(name: String, seconds: Double)] = []

    public init() {}

    public var totalRead: Int { files.reduce(0) { $0 + $1.read } }
    public var totalRejected: Int { files.reduce(0) { $0 + $1.rejected } }
}
