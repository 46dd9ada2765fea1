import Foundation

/// A throw-away PostgreSQL server for the integration tests: a cluster made with `initdb` in a
/// temporary folder, listening on a Unix socket in that folder (trust authentication for the
/// role `arlens`) and on 127.0.0.1 at a free port (passwords required: the role `ann`, password
/// `s3cret`, for the credential tests). One per test process, started on
/// first use; stopped and removed when the process exits (atexit), and by a watcher process if
/// the test process dies without exiting normally.
///
/// `initdb` refuses to run as root: as root the cluster belongs to the `postgres` user (or
/// `nobody`), through `runuser`; as anyone else it is the user's own.
public final class PostgresCluster: @unchecked Sendable {
    public let folder: String
    public let bin: String
    public let port: Int
    public static let password = "s3cret"
    let runAs: String?

    /// The shared cluster, or why there is none (no PostgreSQL server binaries on this machine).
    public static let shared: Result<PostgresCluster, Unavailable> = {
        do { return .success(try PostgresCluster()) } catch let e as Unavailable { return .failure(e) } catch {
            return .failure(Unavailable(reason: "\(error)"))
        }
    }()

    /// Whether the tests that need a server can run; when not, `skipReason` says why.
    public static var available: Bool { if case .success = shared { return true } else { return false } }
    public static var skipReason: String {
        if case .failure(let e) = shared { return "PostgreSQL tests skipped: \(e.reason)" }
        return ""
    }
    /// The cluster; only call from tests enabled with `available`.
    public static var cluster: PostgresCluster { try! shared.get() }

    public struct Unavailable: Error, Sendable { public let reason: String }

    /// The server's `bin` folder: the newest /usr/lib/postgresql/N/bin, else `initdb` on PATH.
    static func findBin() -> String? {
        let fm = FileManager.default
        let versions = ((try? fm.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).compactMap(Int.init).sorted(by: >)
        for v in versions where fm.isExecutableFile(atPath: "/usr/lib/postgresql/\(v)/bin/initdb") { return "/usr/lib/postgresql/\(v)/bin" }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where fm.isExecutableFile(atPath: "\(dir)/initdb") {
            return String(dir)
        }
        return nil
    }

    init() throws {
        guard let bin = PostgresCluster.findBin() else {
            throw Unavailable(reason: "no initdb in /usr/lib/postgresql/*/bin or on PATH (make test installs the postgresql package)")
        }
        self.bin = bin
        var template = Array((NSTemporaryDirectory() + "arlens-pg-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw Unavailable(reason: "cannot make a temporary folder") }
        folder = String(cString: made)
        if getuid() == 0 {
            let user = getpwnam("postgres") != nil ? "postgres" : "nobody"
            guard let pw = getpwnam(user) else { throw Unavailable(reason: "running as root and no 'postgres' or 'nobody' user to own the cluster") }
            chown(folder, pw.pointee.pw_uid, pw.pointee.pw_gid)
            runAs = user
        } else {
            runAs = nil
        }
        port = PostgresCluster.freePort()
        let data = folder + "/data"
        try run(bin + "/initdb", ["-D", data, "-U", "arlens", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync",
                                  "-E", "UTF8", "--locale=C"])
        let opts = "-k \(folder) -c listen_addresses=127.0.0.1 -p \(port) -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        PostgresCluster.registerCleanup(self)
        try run(bin + "/pg_ctl", ["-D", data, "-o", opts, "-l", folder + "/log", "-w", "-t", "60", "start"])
        try sql("CREATE ROLE ann LOGIN SUPERUSER PASSWORD '\(PostgresCluster.password)'")
    }

    /// A TCP port nothing listens on now (the kernel's pick).
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    /// A URL over TCP for the password-protected role (no password in it).
    public func tcpURL(user: String = "ann", password: String? = nil, database: String = "postgres", schema: String) -> String {
        "postgresql://\(user)\(password.map { ":" + $0 } ?? "")@127.0.0.1:\(port)/\(database)?schema=\(schema)"
    }

    /// Runs a server program (as the cluster's owner when root); throws with its output.
    /// posix_spawn and waitpid, not Foundation's Process: the server that `pg_ctl start`
    /// leaves running kept Process from seeing its child exit.
    @discardableResult
    func run(_ program: String, _ args: [String]) throws -> String {
        let argv = (runAs.map { ["/usr/sbin/runuser", "-u", $0, "--", program] } ?? [program]) + args
        let outPath = folder + "/.run-output"
        unlink(outPath)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o666)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cargs = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, nil, &cargs, environ)
        guard rc == 0 else { throw Unavailable(reason: "cannot run \(argv[0]): \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let exited = (status & 0x7f) == 0, code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            throw Unavailable(reason: "\((program as NSString).lastPathComponent) failed: \(text.suffix(600))")
        }
        return text
    }

    /// A URL for `database` and `schema` over the cluster's socket.
    public func url(database: String = "postgres", schema: String) -> String {
        "postgresql://arlens@/\(database)?host=\(folder)&port=\(port)&schema=\(schema)"
    }

    /// Runs SQL through psql (as the client, any user); its output, or an error with psql's message.
    @discardableResult
    public func sql(_ text: String, database: String = "postgres") throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin + "/psql")
        p.arguments = ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", folder, "-p", String(port), "-U", "arlens", "-d", database]
        let input = Pipe(), out = Pipe(), err = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = err
        try p.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw Unavailable(reason: "psql: " + String(decoding: e, as: UTF8.self)) }
        return String(decoding: o, as: UTF8.self)
    }

    /// A fresh schema name for one test.
    public static func schemaName(_ prefix: String = "t") -> String {
        prefix + "_" + UUID().uuidString.prefix(8).lowercased()
    }

    func stop() {
        _ = try? run(bin + "/pg_ctl", ["-D", folder + "/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: folder)
    }

    nonisolated(unsafe) private static var registered: PostgresCluster?

    static func registerCleanup(_ c: PostgresCluster) {
        registered = c
        atexit { PostgresCluster.registered?.stop() }
        // If this process dies without running atexit handlers, a watcher stops the server.
        let pg = c.runAs.map { "/usr/sbin/runuser -u \($0) -- " } ?? ""
        let script = "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; "
            + "[ -d '\(c.folder)/data' ] && \(pg)'\(c.bin)/pg_ctl' -D '\(c.folder)/data' -m immediate stop >/dev/null 2>&1; rm -rf '\(c.folder)'"
        let w = Process()
        w.executableURL = URL(fileURLWithPath: "/bin/sh")
        w.arguments = ["-c", script]
        w.standardOutput = FileHandle.nullDevice
        w.standardError = FileHandle.nullDevice
        try? w.run()
    }
}
