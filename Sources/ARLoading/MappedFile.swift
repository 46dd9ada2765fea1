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

    public init(path: String) throws(LoadError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let e = errno
            throw e == ENOENT ? .fileNotFound(path) : .unreadable(path, String(cString: strerror(e)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .unreadable(path, String(cString: strerror(errno))) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path, "not a regular file") }
        length = Int(st.st_size)
        if length == 0 {
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let p = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let p, p != MAP_FAILED else { throw .unreadable(path, String(cString: strerror(errno))) }
        _ = madvise(p, length, MADV_SEQUENTIAL)
        mapping = p
        bytes = UnsafeRawBufferPointer(start: p, count: length)
    }

    /// Tells the kernel the pages are no longer needed (they stay readable; they are re-read
    /// from disk if touched again). Keeps peak memory down after a table is parsed.
    public func release() {
        if let mapping { _ = madvise(mapping, length, MADV_DONTNEED) }
    }

    deinit {
        if let mapping { munmap(mapping, length) }
    }
}
