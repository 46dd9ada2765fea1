import ARModel
import CSupport
import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Snapshots of loaded ledgers, so that the next command on an unchanged ledger maps one file
/// instead of parsing the CSVs.
///
/// A snapshot holds the ledger's columns and the load report (rejections, findings, notes), so
/// every command, `validate` included, says the same with or without it. Its **key** is the
/// ARLens snapshot format and value layouts, the ledger folder, the tables read, the
/// configuration file's bytes, and for every table file its size, modification time and a
/// hash of sampled content (the first and last 64 KiB and 16 blocks of 4 KiB between). A
/// snapshot whose key differs (stale), whose length or checksum is wrong (truncated,
/// damaged) or whose format is another version is ignored and replaced after the load.
///
/// **Where.** `.arlens-cache/` in the ledger folder; when that folder is not writable,
/// `$XDG_CACHE_HOME/arlens` (else `~/.cache/arlens`), a file per ledger folder and table
/// set. `ARLENS_CACHE_DIR` puts every snapshot in one given folder instead.
///
/// **Concurrency.** A snapshot is written to a temporary file beside it and renamed into
/// place, so a reader sees the old file or the new one, never half of one.
public enum LedgerCache {
    /// Bumped whenever what a snapshot holds, or how, changes.
    public static let formatVersion: UInt32 = 2
    static let magic: UInt64 = 0x3150_414E_5353_4C41   // "ALSSNAP1" little-endian
    static let headerSize = 48
    public static let folderName = ".arlens-cache"

    /// What happened to the snapshot on one load (for `--timing`, the benchmark and tests).
    public enum Outcome: Equatable, Sendable {
        /// Not used: `--no-cache`, or a ledger read through an export mapping.
        case off
        /// Read from the snapshot.
        case hit
        /// None there: loaded from the CSVs and written (`written` false when no folder
        /// could take it).
        case miss(written: Bool)
        /// One was there but not usable (why), so the CSVs were loaded and it was replaced.
        case rejected(String, written: Bool)
    }

    // MARK: where

    /// The folder snapshots of `directory` go to when it is writable.
    public static func localFolder(_ directory: String) -> String {
        (absolute(directory) as NSString).appendingPathComponent(folderName)
    }

    /// The per-user folder: `ARLENS_CACHE_DIR`, else `$XDG_CACHE_HOME/arlens`, else `~/.cache/arlens`.
    public static func userFolder() -> String {
        let env = ProcessInfo.processInfo.environment
        if let d = env["ARLENS_CACHE_DIR"], !d.isEmpty { return d }
        if let x = env["XDG_CACHE_HOME"], x.hasPrefix("/") { return x + "/arlens" }
        return NSHomeDirectory() + "/.cache/arlens"
    }

    static var forcedFolder: String? {
        let d = ProcessInfo.processInfo.environment["ARLENS_CACHE_DIR"]
        return d?.isEmpty == false ? d : nil
    }

    /// The snapshot files that may hold `directory`'s ledger read with `tables`, in the order
    /// they are tried: in the ledger folder, then the per-user folder.
    static func candidates(_ directory: String, tables: Set<TableName>, userFolder user: String? = nil) -> [String] {
        let name = fileName(directory, tables: tables)
        if let f = forcedFolder, user == nil { return [f + "/" + name] }
        return [localFolder(directory) + "/" + name, (user ?? userFolder()) + "/" + name]
    }

    /// `<hash of folder and tables>.snapshot`: one file per ledger folder and table set.
    static func fileName(_ directory: String, tables: Set<TableName>) -> String {
        let id = absolute(directory) + "\n" + tables.map(\.rawValue).sorted().joined(separator: ",")
        return String(format: "%016llx", hash(Array(id.utf8))) + ".snapshot"
    }

    static func absolute(_ path: String) -> String {
        let p = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (p as NSString).standardizingPath
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { arlens_checksum($0.baseAddress, $0.count, 0) }
    }

    // MARK: the key

    /// What a snapshot of `directory` read with `config` and `tables` depends on, as text.
    static func key(directory: String, config: ConfigurationFile, tables: Set<TableName>) -> String {
        var lines = ["arlens snapshot format \(formatVersion)", "layout \(Ledger.snapshotLayout)",
                     "folder \(absolute(directory))",
                     "tables " + tables.map(\.rawValue).sorted().joined(separator: ",")]
        if let p = config.path {
            let bytes = FileManager.default.contents(atPath: p).map { [UInt8]($0) } ?? []
            lines.append("config \(absolute(p)) \(bytes.count) \(String(format: "%016llx", hash(bytes)))")
        } else {
            lines.append("config none")
        }
        for t in TableName.allCases where tables.contains(t) {
            let loc = TableLocation(t, directory: directory, config: config)
            lines.append("\(t.rawValue) \(absolute(loc.path)) " + fileStamp(loc.path))
        }
        return lines.joined(separator: "\n")
    }

    /// A file's size, modification time (nanoseconds), inode and sampled-content hash;
    /// "absent" when there is none.
    static func fileStamp(_ path: String) -> String {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return "absent" }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return "unreadable" }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return "not a file" }
        let size = Int(st.st_size)
        #if canImport(Glibc)
        let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #else
        let mtime = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #endif
        // The first and last 64 KiB, and 16 blocks of 4 KiB evenly spaced between.
        var ranges: [(Int, Int)] = [(0, min(size, 65_536)), (max(0, size - 65_536), min(size, 65_536))]
        if size > 131_072 {
            for k in 1...16 { ranges.append((size / 17 * k, 4096)) }
        }
        var h: UInt64 = UInt64(size)
        var buf = [UInt8](repeating: 0, count: 65_536)
        for (off, len) in ranges where len > 0 {
            let got = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, len, off_t(off)) }
            guard got == len else { return "unreadable" }
            h = buf.withUnsafeBytes { arlens_checksum($0.baseAddress, len, h) }
        }
        return "\(size) \(mtime) \(st.st_ino) " + String(format: "%016llx", h)
    }

    // MARK: reading

    /// Reads the snapshot at `path` if its key is `key`: the ledger and report, or why not.
    ///
    /// The whole file is checked against its checksum (on two cores) before anything in it
    /// is believed. With `inPlace`, the ledger's columns then stay in the mapped file (no copy,
    /// `InPlaceArray`), and the file stays mapped for the rest of the process: the mapping is
    /// private, so a later change of the file on disk does not reach it.
    static func read(path: String, key: String, inPlace: Bool = true) -> Result<(ledger: Ledger, report: LoadReport), SnapshotError>? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return .failure(SnapshotError("not a file")) }
        let size = Int(st.st_size)
        guard size >= headerSize else { return .failure(SnapshotError("truncated (\(size) bytes)")) }
        var header = [UInt64](repeating: 0, count: headerSize / 8)
        guard header.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, headerSize, 0) }) == headerSize else {
            return .failure(SnapshotError("unreadable"))
        }
        guard UInt64(littleEndian: header[0]) == magic else { return .failure(SnapshotError("not an ARLens snapshot")) }
        let version = UInt32(truncatingIfNeeded: UInt64(littleEndian: header[1]))
        guard version == formatVersion else {
            return .failure(SnapshotError("format version \(version), this ARLens reads \(formatVersion)"))
        }
        let keyLength = Int(UInt64(littleEndian: header[2]) & 0xFFFF_FFFF)
        let payloadLength = Int(truncatingIfNeeded: UInt64(littleEndian: header[3]))
        let checksum = UInt64(littleEndian: header[4])
        let keyEnd = headerSize + (keyLength + 15) / 16 * 16
        guard keyLength < 1 << 24, payloadLength >= 0, keyEnd <= size else { return .failure(SnapshotError("truncated header")) }
        var stored = [UInt8](repeating: 0, count: keyLength)
        guard stored.withUnsafeMutableBytes({ pread(fd, $0.baseAddress, keyLength, off_t(headerSize)) }) == keyLength else {
            return .failure(SnapshotError("truncated key"))
        }
        guard stored.elementsEqual(key.utf8) else { return .failure(SnapshotError("stale: the ledger or its configuration changed")) }
        guard keyEnd + payloadLength == size else {
            return .failure(SnapshotError("truncated: \(size) bytes, the header says \(keyEnd + payloadLength)"))
        }
        // Mapped in one go (faster here than page faults on two cores at once), read-only
        // while the pages are brought in (populating a writable private mapping would copy
        // every page), then writable, so in-place columns can have their headers written:
        // only those pages are copied, and the file is never changed.
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE | mapPopulate, fd, 0), map != MAP_FAILED else {
            return .failure(SnapshotError("cannot be mapped"))
        }
        guard mprotect(map, size, PROT_READ | PROT_WRITE) == 0 else {
            munmap(map, size)
            return .failure(SnapshotError("cannot be mapped"))
        }
        var keepMapped = false
        defer { if !keepMapped { munmap(map, size) } }
        Profile.mark("snapshot open, header, key, map")
        nonisolated(unsafe) let payload = UnsafeMutableRawBufferPointer(start: map + keyEnd, count: payloadLength)

        // The checksum first, on both cores: nothing is read from a damaged file.
        let sum = SnapshotWriter.checksum(UnsafeRawBufferPointer(payload)) { n, body in
            nonisolated(unsafe) let lane = body
            DispatchQueue.concurrentPerform(iterations: n) { lane($0) }
        }
        Profile.mark("snapshot checksum (2 cores)")
        guard sum == checksum else { return .failure(SnapshotError("damaged: the checksum does not match")) }
        do {
            var r = inPlace ? SnapshotReader(inPlace: payload) : SnapshotReader(UnsafeRawBufferPointer(payload))
            let ledger = try Ledger(snapshot: &r)
            let report = try LoadReport(snapshot: &r)
            guard r.atEnd else { throw SnapshotError("trailing bytes") }
            // Columns point into the mapping: it stays for the life of the process.
            keepMapped = r.inPlace > 0
            Profile.mark("snapshot decode and checks (\(r.inPlace) columns in place)")
            return .success((ledger, report))
        } catch let e as SnapshotError {
            return .failure(e)
        } catch {
            return .failure(SnapshotError("\(error)"))
        }
    }

    #if canImport(Glibc)
    static let mapPopulate = MAP_POPULATE
    #else
    static let mapPopulate: Int32 = 0
    #endif

    // MARK: writing

    /// Writes the snapshot to a temporary file in `folder` and renames it to `name`; false
    /// when the folder cannot take it.
    @discardableResult
    static func write(_ ledger: Ledger, _ report: LoadReport, key: String, folder: String, name: String) -> Bool {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch { return false }
        let final = folder + "/" + name
        let temp = folder + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        var ok = false
        defer {
            close(fd)
            if !ok { unlink(temp) }
        }
        func put(_ p: UnsafeRawBufferPointer, at offset: Int? = nil) throws {
            var done = 0
            while done < p.count {
                let n = offset.map { pwrite(fd, p.baseAddress! + done, p.count - done, off_t($0 + done)) }
                    ?? Glibc_write(fd, p.baseAddress! + done, p.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw SnapshotError("write failed: \(String(cString: strerror(errno)))") }
                done += n
            }
        }
        do {
            let keyBytes = Array(key.utf8)
            let keyPadded = keyBytes + [UInt8](repeating: 0, count: (16 - keyBytes.count % 16) % 16)
            try [UInt8](repeating: 0, count: headerSize).withUnsafeBytes { try put($0) }
            try keyPadded.withUnsafeBytes { try put($0) }
            let w = SnapshotWriter { try put($0) }
            try ledger.write(to: w)
            try report.write(to: w)
            let checksum = try w.finish()
            let header: [UInt64] = [magic, UInt64(formatVersion), UInt64(keyBytes.count), UInt64(w.length), checksum, 0]
            try header.map(\.littleEndian).withUnsafeBytes { try put($0, at: 0) }
            guard rename(temp, final) == 0 else { return false }
            ok = true
            return true
        } catch {
            return false
        }
    }

    // MARK: loading

    /// Loads through the cache: the snapshot when it is current, else the CSVs (then a new
    /// snapshot). `load` is the real load.
    /// `userFolder` replaces the per-user folder (tests).
    static func load(directory: String, config: ConfigurationFile, tables: Set<TableName>, userFolder: String? = nil,
                     _ load: () throws(LoadError) -> LoadResult) throws(LoadError) -> (LoadResult, Outcome) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let key = key(directory: directory, config: config, tables: tables)
        let paths = candidates(directory, tables: tables, userFolder: userFolder)
        Profile.mark("snapshot key (stat, sampled hash)")
        var why: String?
        for p in paths {
            switch read(path: p, key: key) {
            case nil: continue
            case .success(let (ledger, report))?:
                Profile.mark("snapshot read")
                var r = report
                r.phases = [("snapshot", Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)]
                return (LoadResult(ledger: ledger, report: r, configuration: config), .hit)
            case .failure(let e)?:
                why = why ?? e.description
            }
        }
        let result = try load()
        // Into the ledger folder when it takes it, else the per-user folder.
        let name = fileName(directory, tables: tables)
        var written: String?
        for p in paths where written == nil {
            if write(result.ledger, result.report, key: key, folder: (p as NSString).deletingLastPathComponent, name: name) { written = p }
        }
        // A stale copy elsewhere would only be read and refused again.
        for p in paths where written != nil && p != written { unlink(p) }
        return (result, why.map { .rejected($0, written: written != nil) } ?? .miss(written: written != nil))
    }

    // MARK: the cache command

    /// A snapshot file of a ledger folder.
    public struct Entry: Sendable {
        public var path: String
        public var bytes: Int
        /// The tables it holds, from its key; nil when the file is not a readable snapshot.
        public var tables: String?
        /// True when it matches the ledger as it is now.
        public var current: Bool
    }

    /// The snapshot files of `directory` (in its cache folder and in the per-user folder).
    /// `userFolder` replaces the per-user folder (tests), as in `load`.
    public static func entries(directory: String, config: ConfigurationFile, userFolder user: String? = nil) -> [Entry] {
        var out: [Entry] = []
        let folder = absolute(directory)
        let forced = user == nil ? forcedFolder : nil
        for dir in Set([forced ?? localFolder(directory), user ?? userFolder()]) {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted() where name.hasSuffix(".snapshot") {
                let p = dir + "/" + name
                let stored = storedKey(p)
                let lines = stored?.split(separator: "\n").map(String.init) ?? []
                // Files of other ledgers in a shared folder are theirs.
                if dir != localFolder(directory) && !lines.contains("folder \(folder)") { continue }
                let tablesLine = lines.first { $0.hasPrefix("tables ") }.map { String($0.dropFirst(7)) }
                var current = false
                if let tablesLine, lines.contains("folder \(folder)") {
                    let set = Set(tablesLine.split(separator: ",").compactMap { TableName(rawValue: String($0)) })
                    let key = key(directory: directory, config: config, tables: set)
                    if case .success? = read(path: p, key: key, inPlace: false) { current = true }
                }
                let size = ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? Int) ?? 0
                out.append(Entry(path: p, bytes: size, tables: tablesLine, current: current))
            }
        }
        return out
    }

    /// Removes every snapshot of `directory` (and its cache folder when that is left empty);
    /// the number of files removed.
    @discardableResult
    public static func clear(directory: String, config: ConfigurationFile, userFolder user: String? = nil) throws -> Int {
        let list = entries(directory: directory, config: config, userFolder: user)
        for e in list { try FileManager.default.removeItem(atPath: e.path) }
        let local = localFolder(directory)
        if user != nil || forcedFolder == nil, let rest = try? FileManager.default.contentsOfDirectory(atPath: local),
           rest.allSatisfy({ $0.hasSuffix(".tmp") }) {
            try? FileManager.default.removeItem(atPath: local)
        }
        return list.count
    }

    /// The key stored in the snapshot file at `path`.
    static func storedKey(_ path: String) -> String? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        guard let head = try? h.read(upToCount: headerSize), head.count == headerSize else { return nil }
        let words = head.withUnsafeBytes { b in (0..<6).map { UInt64(littleEndian: b.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) } }
        guard words[0] == magic, words[2] < 1 << 24, let k = try? h.read(upToCount: Int(words[2])) else { return nil }
        return String(decoding: k, as: UTF8.self)
    }
}

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ v: T) { value = v }
}

@inline(__always) func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, p, n)
    #else
    Darwin.write(fd, p, n)
    #endif
}
