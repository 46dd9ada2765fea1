import ARLoading
import ARModel
import Foundation

/// A temporary ledger folder written from literal files, removed when the object goes away.
/// The one way tests make ledgers on disk (loader, analytics, application and CLI tests).
public final class TempLedger: @unchecked Sendable {
    public let path: String

    public init(_ files: [String: String]) {
        path = TempLedger.folder(files)
    }

    /// Writes `files` (names may contain folders) into a new temporary folder and returns its
    /// path; the caller removes it.
    public static func folder(_ files: [String: String], prefix: String = "arlens-test-") -> String {
        let path = TestTemp.path(prefix)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, text) in files { write(Data(text.utf8), named: name, in: path) }
        return path
    }

    public func write(_ name: String, _ text: String) { TempLedger.write(Data(text.utf8), named: name, in: path) }
    public func write(_ name: String, _ data: Data) { TempLedger.write(data, named: name, in: path) }

    static func write(_ data: Data, named name: String, in folder: String) {
        let p = (folder as NSString).appendingPathComponent(name)
        try! FileManager.default.createDirectory(atPath: (p as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: p, contents: data)
    }

    public func load() throws(LoadError) -> LoadResult { try LedgerLoader.load(directory: path) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Folders of the repository the tests read.
public enum TestPaths {
    /// The repository's root (two levels above this file).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    /// `Tests/Fixtures/<name>`.
    public static func fixture(_ name: String) -> String { root + "/Tests/Fixtures/" + name }
}
