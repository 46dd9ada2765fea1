import CSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An output folder written fresh and swapped in whole: files go into a hidden sibling
/// `.<name>.partial-<pid>`, and `commit()` exchanges it with the real folder in one
/// `renameat2(RENAME_EXCHANGE)`, so a kill at any instant leaves either the old or the new
/// complete folder under the real name. Where the exchange is not available, the old folder is
/// moved to `.<name>.old-<pid>` first, and the next run puts it back if the kill came between
/// the two renames. Leftovers of killed runs (whose process is gone) are removed by `begin`.
public struct StagedFolder: Sendable {
    /// The real folder.
    public let final: String
    /// Where this run writes.
    public let path: String

    /// Starts a fresh folder for `final`. `replaceable` says whether an existing folder at
    /// `final` may be replaced: it is given the names of the entries in it and returns nil, or
    /// the reason not to (for a user-named folder that may hold files ARLens did not write).
    public static func begin(_ final: String, replaceable: (([String]) -> String?)? = nil) throws -> StagedFolder {
        let fm = FileManager.default
        let url = URL(fileURLWithPath: final).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else { throw OutputError(final, "not a folder name") }
        do { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) } catch {
            throw OutputError(parent, "cannot create the folder")
        }
        recover(parent: parent, name: name)
        var st = stat()
        if lstat(url.path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw OutputError(final, "exists and is not a folder") }
            if let replaceable {
                let entries = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
                if let why = replaceable(entries) { throw OutputError(final, why) }
            }
        }
        let staging = parent + "/.\(name).partial-\(getpid())"
        try? fm.removeItem(atPath: staging)
        guard mkdir(staging, 0o777) == 0 else { throw OutputError(staging, errno: errno) }
        return StagedFolder(final: url.path, path: staging)
    }

    /// Swaps the staged folder in. Afterwards `path` no longer exists.
    public func commit() throws {
        let fm = FileManager.default
        var st = stat()
        if lstat(final, &st) != 0 {
            guard rename(path, final) == 0 else { throw OutputError(final, errno: errno) }
            return
        }
        if arlens_rename_exchange(path, final) == 0 {
            // `path` now holds the previous folder.
            try? fm.removeItem(atPath: path)
            return
        }
        // No atomic exchange: move the old folder aside, the new one in; `begin` of a later
        // run restores the old one if this process dies between the two renames.
        let url = URL(fileURLWithPath: final)
        let old = url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).old-\(getpid())"
        try? fm.removeItem(atPath: old)
        guard rename(final, old) == 0 else { throw OutputError(final, errno: errno) }
        guard rename(path, final) == 0 else {
            let e = errno
            _ = rename(old, final)
            throw OutputError(final, errno: e)
        }
        try? fm.removeItem(atPath: old)
    }

    /// Removes the staged folder after a failure; the real folder is untouched.
    public func abandon() { try? FileManager.default.removeItem(atPath: path) }

    /// Cleans up after killed runs for `name` in `parent`: a `.old-<pid>` folder of a dead
    /// process is put back under the real name when that name is missing (the kill came
    /// between the two renames of a commit) and removed otherwise; `.partial-<pid>` folders
    /// of dead processes are removed.
    static func recover(parent: String, name: String) {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: parent) else { return }
        let final = parent + "/" + name
        for e in entries.sorted() {
            for kind in ["old", "partial"] {
                let prefix = ".\(name).\(kind)-"
                guard e.hasPrefix(prefix), let pid = Int32(e.dropFirst(prefix.count)) else { continue }
                if pid != getpid() && (kill(pid, 0) == 0 || errno == EPERM) { continue }     // another run, still alive
                let p = parent + "/" + e
                var st = stat()
                if kind == "old" && lstat(final, &st) != 0 && rename(p, final) == 0 { continue }
                try? fm.removeItem(atPath: p)
            }
        }
    }
}
