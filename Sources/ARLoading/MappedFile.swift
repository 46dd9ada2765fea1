#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's bytes, memory-mapped read-only for the lifetime of the object.
/// An empty file maps to an empty buffer.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?
    private let length: Int
    /// The bytes were copied into memory this object owns (an export transcoded or rewritten
    /// in memory), not mapped from a file.
    private let owned: Bool

    /// Bytes held in memory under a name (for tables made in memory from an export).
    public init(copying data: [UInt8], name: String) {
        path = name
        owned = true
        length = data.count
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(data.count, 1), alignment: 8)
        data.withUnsafeBytes { src in if let b = src.baseAddress { p.copyMemory(from: b, byteCount: data.count) } }
        mapping = p
        bytes = UnsafeRawBufferPointer(start: p, count: data.count)
    }

    /// The first `count` bytes of an anonymous mapping of `length` bytes (a table streamed from
    /// a database, `PGBuffer`), owned from now on: unmapped with the object. `release` hands
    /// pages back for good: they read as zeros afterwards.
    init(anonymous p: UnsafeMutableRawPointer?, length: Int, count: Int, name: String) {
        path = name
        owned = false
        self.length = p == nil ? 0 : length
        mapping = p
        bytes = UnsafeRawBufferPointer(start: p, count: p == nil ? 0 : count)
    }

    /// The first `count` bytes of an open file, mapped read-only: `release` hands parsed pages
    /// back (they are read from the file again if touched).
    init(descriptor fd: Int32, count: Int, name: String) throws(LoadError) {
        path = name
        owned = false
        length = count
        if count == 0 {
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let p = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw .unreadable(name, String(cString: strerror(errno))) }
        _ = madvise(p, count, MADV_SEQUENTIAL)
        mapping = p
        bytes = UnsafeRawBufferPointer(start: p, count: count)
    }

    public convenience init(path: String) throws(LoadError) {
        // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused just below).
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            throw e == ENOENT ? .fileNotFound(path) : .unreadable(path, String(cString: strerror(e)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path, MappedFile.kind(st.st_mode)) }
        try self.init(descriptor: fd, count: Int(st.st_size), name: path)
    }

    /// Why a path that is not a regular file cannot be read as a table.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "is a folder, not a file"
        case S_IFIFO: return "is a pipe (FIFO), not a regular file"
        case S_IFCHR, S_IFBLK: return "is a device, not a regular file"
        case S_IFSOCK: return "is a socket, not a regular file"
        default: return "not a regular file"
        }
    }

    /// Refuses anything but a regular file at `path` (following links) without opening it,
    /// so a FIFO never blocks a read; nil when the path does not exist.
    public static func checkRegular(_ path: String) throws(LoadError) {
        var st = stat()
        guard stat(path, &st) == 0 else { return }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path, kind(st.st_mode)) }
    }

    /// Tells the kernel the pages are no longer needed. Keeps peak memory down after a table is
    /// parsed. A file's pages stay readable (re-read from disk if touched again); an anonymous
    /// mapping's are freed and read as zeros.
    public func release() {
        if let mapping, !owned { _ = madvise(mapping, length, MADV_DONTNEED) }
    }

    /// As `release()`, for the whole pages before `offset` only: the part of a big table
    /// already parsed, so the file's pages and the columns made from them are not all in
    /// memory at once.
    public func release(before offset: Int) {
        guard let mapping, !owned else { return }
        let page = MappedFile.pageSize
        let end = min(offset, length) / page * page
        if end > 0 { _ = madvise(mapping, end, MADV_DONTNEED) }
    }

    /// As `release(before:)`, for the whole pages from `start` to before `offset` only (a
    /// part of a table that another thread reads from `start` on).
    public func release(from start: Int, before offset: Int) {
        guard let mapping, !owned else { return }
        let page = MappedFile.pageSize
        let lo = (max(start, 0) + page - 1) / page * page
        let hi = min(offset, length) / page * page
        if hi > lo { _ = madvise(mapping + lo, hi - lo, MADV_DONTNEED) }
    }

    static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    deinit {
        if owned { mapping?.deallocate() } else if let mapping { munmap(mapping, length) }
    }
}
