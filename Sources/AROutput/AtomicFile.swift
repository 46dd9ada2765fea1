import CSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A write that could not be done: one line naming the path and the system's reason.
public struct OutputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var path: String
    public var reason: String
    public init(_ path: String, _ reason: String) { self.path = path; self.reason = reason }
    public init(_ path: String, errno e: Int32) { self.init(path, String(cString: strerror(e))) }
    public var description: String { "\(path): cannot write: \(reason)" }
}

/// Output files are written to a temporary file in the same folder, then renamed, so a
/// failed run never leaves half a file behind. The temporary file is made by `mkstemp`
/// (exclusive creation with an unguessable name), so a link planted in the folder is never
/// followed; the rename replaces a link at the target name rather than writing through it.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw OutputError(dir, "cannot create the folder")
        }
        var template = Array((dir + "/." + url.lastPathComponent.prefix(80) + ".tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw OutputError(path, errno: errno) }
        let tmp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        // mkstemp makes the file 0600; output files are ordinary files (0666 less the umask).
        let mask = umask(0); umask(mask)
        _ = fchmod(fd, 0o666 & ~mask)
        let written: Int32 = data.withUnsafeBytes { raw -> Int32 in
            var off = 0
            while off < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                off += n
            }
            return 0
        }
        if written != 0 { close(fd); throw OutputError(path, errno: written) }
        if close(fd) != 0 { throw OutputError(path, errno: errno) }
        // rename(2) replaces the target atomically (a link at the target is replaced, not followed).
        if rename(tmp, path) != 0 { throw OutputError(path, errno: errno) }
        ok = true
    }

    public static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

    /// A file name made safe from untrusted text: letters, digits, `-`, `_` and `.` kept,
    /// anything else `_`; no leading dot; at most 100 characters. Two different texts can give
    /// the same result: name output files with `outputName(for:)`.
    public static func sanitizedName(_ s: String) -> String {
        var out = String(s.unicodeScalars.map { u -> Character in
            (u.isASCII && (CharacterSet.alphanumerics.contains(u) || u == "-" || u == "_" || u == ".")) ? Character(u) : "_"
        })
        while out.hasPrefix(".") { out.removeFirst() }
        if out.isEmpty { out = "_" }
        return String(out.prefix(100))
    }

    /// The file name (without extension) for an id: the id itself when it is already a safe
    /// name, else the sanitised id plus `~` and 12 hex digits of a hash of the id. `~` never
    /// survives sanitising, so a hashed name never equals an unchanged id, and the hash tells
    /// apart ids that sanitise alike (`a/b` and `a_b`, or long ids sharing 100 characters).
    /// The same id always gets the same name.
    public static func outputName(for id: String) -> String {
        let safe = sanitizedName(id)
        if safe == id { return safe }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325          // FNV-1a, 64 bits: stable across runs and machines
        for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h >> 16, radix: 16)
        return String(safe.prefix(88)) + "~" + String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// Output names for many ids at once; throws when two different ids would still share a
    /// name (a hash collision), so one file never stands for two ids.
    public static func outputNames(for ids: [String]) throws -> [String] {
        var owner: [String: String] = [:]
        return try ids.map { id in
            let n = outputName(for: id)
            if let o = owner[n], o != id {
                throw OutputError(n, "the ids '\(o)' and '\(id)' would share one file name")
            }
            owner[n] = id
            return n
        }
    }
}
