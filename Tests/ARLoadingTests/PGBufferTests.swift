import Foundation
import Testing
@testable import ARLoading

/// A table read from PostgreSQL spools into `PGBuffer` (anonymous memory, grown as rows
/// arrive) and is mapped for the reader. The parser hands pages back as it goes (`release`):
/// they are freed for good and read as zeros, the pages after them are untouched.
@Suite struct PGBufferTests {
    @Test func bytesReadBackAsAppendedAndPagesHandedBackAreFreed() throws {
        // 3.5 MiB in rows of varying length: the buffer grows past its first 1 MiB several
        // times, and one row is bigger than that.
        var expected: [UInt8] = []
        let buf = PGBuffer()
        for i in 0..<60_000 {
            let row = Array("R\(i),\(String(repeating: "x", count: i % 97)),\(i * 7)\n".utf8)
            expected += row
            row.withUnsafeBytes { buf.append($0) }
        }
        let big = [UInt8](repeating: 65, count: (1 << 20) + 123) + [10]
        expected += big
        big.withUnsafeBytes { buf.append($0) }
        #expect(buf.count == expected.count)
        let file = buf.file("ar.invoices")
        #expect(buf.count == 0)
        #expect(file.path == "ar.invoices")
        #expect(Array(file.bytes) == expected)
        // The whole pages before 2 MiB are freed; the rest reads as it was.
        let cut = (2 << 20) / MappedFile.pageSize * MappedFile.pageSize
        file.release(before: (2 << 20) + 100)
        #expect(file.bytes[..<cut].allSatisfy { $0 == 0 })
        #expect(Array(file.bytes[cut...]) == Array(expected[cut...]))
        file.release()
        #expect(file.bytes.count == expected.count)
        #expect(file.bytes.allSatisfy { $0 == 0 })
    }

    @Test func anEmptyTableIsAnEmptyBuffer() throws {
        let file = PGBuffer().file("ar.disputes")
        #expect(file.bytes.count == 0)
    }
}
