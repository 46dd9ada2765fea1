import CPostgres
import Foundation

/// A PostgreSQL location: `postgresql://user@host:port/db?schema=ar`. The `schema` parameter
/// is ARLens's (the schema the ledger tables are in, `public` by default); every other part is
/// libpq's own, so `sslmode`, `host=/run/postgresql` and the like work as in `psql`. A password
/// may be in the URL, but `PGPASSWORD`, `~/.pgpass` and the other `PG*` variables are better:
/// libpq reads them itself. No password is ever shown: `masked` replaces it with `***`.
public struct PGLocation: Sendable, Equatable, CustomStringConvertible {
    /// The URL without the `schema` parameter, as libpq takes it.
    public let conninfo: String
    public let schema: String
    /// The URL with the password masked, for messages.
    public let masked: String

    /// Whether `s` names a PostgreSQL database rather than a folder.
    public static func isURL(_ s: String) -> Bool {
        s.hasPrefix("postgresql://") || s.hasPrefix("postgres://")
    }

    public init(_ url: String) throws(LoadError) {
        guard PGLocation.isURL(url) else {
            throw .database("\(url): not a PostgreSQL URL (postgresql://user@host:port/database?schema=ar)")
        }
        var schema = "public"
        var base = url
        var kept: [String] = []
        if let q = url.firstIndex(of: "?") {
            base = String(url[..<q])
            for part in url[url.index(after: q)...].split(separator: "&") {
                if part.hasPrefix("schema=") {
                    schema = String(part.dropFirst(7)).removingPercentEncoding ?? String(part.dropFirst(7))
                } else {
                    kept.append(String(part))
                }
            }
        }
        guard !schema.isEmpty, schema.utf8.count <= 63, !schema.contains("\0") else {
            throw .database("\(PGLocation.mask(url)): the schema name is empty or too long")
        }
        self.schema = schema
        self.conninfo = kept.isEmpty ? base : base + "?" + kept.joined(separator: "&")
        self.masked = PGLocation.mask(url)
    }

    /// `postgresql://ann:secret@db/ar` -> `postgresql://ann:***@db/ar`; a `password=` parameter likewise.
    public static func mask(_ url: String) -> String {
        var s = url
        if let scheme = s.range(of: "://") {
            let rest = s[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            let authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                s.replaceSubrange(s.index(after: colon)..<at, with: "***")
            }
        }
        if let r = s.range(of: "password=") {
            let end = s[r.upperBound...].firstIndex(of: "&") ?? s.endIndex
            s.replaceSubrange(r.upperBound..<end, with: "***")
        }
        return s
    }

    public var description: String { masked }

    /// `"schema"."name"`, quoted for SQL.
    public func qualified(_ name: String) -> String { PG.ident(schema) + "." + PG.ident(name) }
}

/// Small SQL helpers.
public enum PG {
    /// A quoted identifier.
    public static func ident(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
    /// A quoted string literal.
    public static func literal(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}

/// One libpq connection. Every failure is a `LoadError.database` with one line naming the
/// server (password masked) and what went wrong.
public final class PGConnection: @unchecked Sendable {
    private let conn: OpaquePointer
    public let location: PGLocation

    public init(_ location: PGLocation) throws(LoadError) {
        self.location = location
        guard let c = PQconnectdb(location.conninfo) else {
            throw .database("\(location.masked): cannot connect: out of memory")
        }
        guard PQstatus(c) == CONNECTION_OK else {
            let why = PGConnection.oneLine(PQerrorMessage(c))
            PQfinish(c)
            throw .database("\(location.masked): cannot connect: \(why)")
        }
        conn = c
        // Dates as ISO text, whatever the server's default; numbers with every digit.
        _ = try exec("SET datestyle = 'ISO, YMD'; SET extra_float_digits = 3; SET client_encoding = 'UTF8'; SET client_min_messages = warning")
    }

    deinit { PQfinish(conn) }

    /// The server's version as a number, 150004 for 15.4.
    public var serverVersion: Int { Int(PQserverVersion(conn)) }

    static func oneLine(_ p: UnsafePointer<CChar>?) -> String {
        guard let p else { return "unknown error" }
        return String(cString: p).split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "; ")
    }

    /// The server's message for a failed result (with its SQLSTATE), or the connection's.
    private func failure(_ r: OpaquePointer?) -> (message: String, state: String) {
        if let r, let m = PQresultErrorField(r, Int32(UInt8(ascii: "M"))) {
            let state = PQresultErrorField(r, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
            return (String(cString: m), state)
        }
        return (PGConnection.oneLine(PQerrorMessage(conn)), "")
    }

    /// A query's rows as text (nil for NULL).
    public struct Rows: Sendable {
        public var columns: [String]
        public var rows: [[String?]]
    }

    /// Runs `sql` (one or more statements); the rows of the last.
    @discardableResult
    public func exec(_ sql: String, what: String? = nil) throws(LoadError) -> Rows {
        let r = PQexec(conn, sql)
        defer { PQclear(r) }
        let status = PQresultStatus(r)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let f = failure(r)
            throw error(f, what: what)
        }
        return rows(r)
    }

    /// Like `exec`, with the SQLSTATE of a failure instead of a thrown error.
    public func tryExec(_ sql: String) -> Result<Rows, PGFailure> {
        let r = PQexec(conn, sql)
        defer { PQclear(r) }
        let status = PQresultStatus(r)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let f = failure(r)
            return .failure(PGFailure(message: f.message, state: f.state))
        }
        return .success(rows(r))
    }

    private func rows(_ r: OpaquePointer?) -> Rows {
        let nf = Int(PQnfields(r)), nt = Int(PQntuples(r))
        var out = Rows(columns: (0..<nf).map { String(cString: PQfname(r, Int32($0))) }, rows: [])
        out.rows.reserveCapacity(nt)
        for i in 0..<nt {
            out.rows.append((0..<nf).map { j in
                PQgetisnull(r, Int32(i), Int32(j)) == 1 ? nil : String(cString: PQgetvalue(r, Int32(i), Int32(j)))
            })
        }
        return out
    }

    /// The type of each column a query returns (name, type OID), without running it.
    public func describe(_ sql: String, what: String) throws(LoadError) -> [(name: String, type: UInt32)] {
        let r = PQexec(conn, "SELECT * FROM (\(sql)) AS arlens_q LIMIT 0")
        defer { PQclear(r) }
        guard PQresultStatus(r) == PGRES_TUPLES_OK else { throw error(failure(r), what: what) }
        return (0..<PQnfields(r)).map { (String(cString: PQfname(r, $0)), UInt32(PQftype(r, $0))) }
    }

    /// The SQLSTATE of the last failure turned into an error ("" when the server gave none).
    public private(set) var lastFailureState = ""

    func error(_ f: (message: String, state: String), what: String?) -> LoadError {
        lastFailureState = f.state
        let lost = PQstatus(conn) != CONNECTION_OK
        let prefix = what.map { "\(location.masked): \($0): " } ?? "\(location.masked): "
        if lost { return .database(prefix + "the connection was lost (\(f.message))") }
        return .database(prefix + f.message)
    }

    /// Streams `COPY (...) TO STDOUT`: `row` receives each row's bytes as the server sent them.
    /// A lost connection or a server error mid-stream is an error (and the caller discards
    /// what it had).
    public func copyOut(_ sql: String, what: String, _ row: (UnsafeRawBufferPointer) -> Void) throws(LoadError) {
        try startCopy(sql, PGRES_COPY_OUT, what: what)
        var buf: UnsafeMutablePointer<CChar>? = nil
        while true {
            let n = PQgetCopyData(conn, &buf, 0)
            if n > 0 {
                row(UnsafeRawBufferPointer(start: buf, count: Int(n)))
                PQfreemem(buf)
                buf = nil
            } else if n == -1 {
                break
            } else {
                throw error((PGConnection.oneLine(PQerrorMessage(conn)), ""), what: what)
            }
        }
        try finishCopy(what: what)
    }

    /// Sends a COPY statement and checks the server is ready to stream (`expected`).
    private func startCopy(_ sql: String, _ expected: ExecStatusType, what: String) throws(LoadError) {
        let r = PQexec(conn, sql)
        defer { PQclear(r) }
        if PQresultStatus(r) != expected { throw error(failure(r), what: what) }
    }

    /// The COPY's own result: an error the server raised at the end, or a lost connection.
    private func finishCopy(what: String) throws(LoadError) {
        var failed: LoadError? = nil
        while let res = PQgetResult(conn) {
            if PQresultStatus(res) != PGRES_COMMAND_OK && failed == nil { failed = error(failure(res), what: what) }
            PQclear(res)
        }
        if PQstatus(conn) != CONNECTION_OK && failed == nil {
            failed = error((PGConnection.oneLine(PQerrorMessage(conn)), ""), what: what)
        }
        if let failed { throw failed }
    }

    /// `COPY ... FROM STDIN`: `produce` is called with a sink for the data, in as many pieces as
    /// it likes.
    public func copyIn(_ sql: String, what: String, _ produce: ((UnsafeRawBufferPointer) throws(LoadError) -> Void) throws(LoadError) -> Void) throws(LoadError) {
        try startCopy(sql, PGRES_COPY_IN, what: what)
        let c = conn
        let send: (UnsafeRawBufferPointer) throws(LoadError) -> Void = { [self] (bytes) throws(LoadError) in
            guard bytes.count > 0 else { return }
            let ok = PQputCopyData(c, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count))
            if ok != 1 { throw self.error((PGConnection.oneLine(PQerrorMessage(c)), ""), what: what) }
        }
        do {
            try produce(send)
        } catch {
            _ = PQputCopyEnd(conn, "aborted by arlens")
            while let res = PQgetResult(conn) { PQclear(res) }
            throw error
        }
        guard PQputCopyEnd(conn, nil) == 1 else { throw self.error((PGConnection.oneLine(PQerrorMessage(conn)), ""), what: what) }
        try finishCopy(what: what)
    }
}

/// A failed statement: the server's message and its SQLSTATE (`42P01`: no such table).
public struct PGFailure: Error, Sendable {
    public let message: String
    public let state: String
}
