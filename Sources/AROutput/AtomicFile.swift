import Foundation

/// Output files are written to a temporary name in the same folder, then renamed, so a
/// failed run never leaves half a file behind.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        do {
            try data.write(to: tmp)
            // rename(2) replaces the target atomically.
            if rename(tmp.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw error
        }
    }

    public static func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

    /// A file name made safe from untrusted text: letters, digits, `-`, `_` and `.` kept,
    /// anything else `_`; no leading dot; at most 100 characters.
    public static func sanitizedName(_ s: String) -> String {
        var out = String(s.unicodeScalars.map { u -> Character in
            (u.isASCII && (CharacterSet.alphanumerics.contains(u) || u == "-" || u == "_" || u == ".")) ? Character(u) : "_"
        })
        while out.hasPrefix(".") { out.removeFirst() }
        if out.isEmpty { out = "_" }
        return String(out.prefix(100))
    }
}
