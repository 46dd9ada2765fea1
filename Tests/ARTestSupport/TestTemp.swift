import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the tests put their temporary files and folders: all of them lie under one folder
/// per test process, `arlens-tests-<pid>-<random>` in the system's temporary folder, removed
/// when the process exits. A run that crashed or was killed leaves its folder behind; the
/// next run removes every such folder whose process is gone. So `make test` leaves nothing
/// in /tmp, whichever test forgets to clean up after itself.
public enum TestTemp {
    static let prefix = "arlens-tests-"

    /// The process's folder, made (and its removal at exit registered) on first use.
    public static let root: String = {
        let base = NSTemporaryDirectory()
        removeAbandoned(in: base)
        let path = base + prefix + "\(getpid())-" + UUID().uuidString.prefix(8)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: TestTemp.root) }
        return path
    }()

    /// A fresh path under `root` starting with `name` (nothing is created there).
    public static func path(_ name: String) -> String { root + "/" + name + UUID().uuidString }

    /// Removes the folders of earlier test processes that no longer run.
    public static func removeAbandoned(in base: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base) else { return }
        for name in names where name.hasPrefix(prefix) {
            if let pid = owner(of: name), pid != getpid(), kill(pid, 0) == -1, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: base + name)
            }
        }
    }

    /// The process id in a folder name `arlens-tests-<pid>-<random>`.
    static func owner(of name: String) -> pid_t? {
        let rest = name.dropFirst(prefix.count)
        guard let dash = rest.firstIndex(of: "-") else { return nil }
        return pid_t(rest[..<dash])
    }
}
