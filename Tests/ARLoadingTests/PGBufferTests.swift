import Foundation
import Testing
@testable import ARLoading

/// A table read from PostgreSQL spools into `PGBuffer` (an in-memory file on Linux) and is
/// mapped for the reader. The parser hands pages back as it goes (`release`), and rejections
/// are named by their row's key after the parse, so the bytes must read the same afterwards.
@Suite struct PGBufferTests {
    @Test func bytesReadBackTheSameAfterTheirPagesAreHandedBack() throws {
        // 3.5 MiB in rows of varying length: more than the 1 MiB write buffer holds, so the
        // bytes go to the file in several writes, and one row is bigger than the buffer.
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
        let file = try buf.file("ar.invoices")
        #expect(file.path == "ar.invoices")
        #expect(Array(file.bytes) == expected)
        file.release(before: 2 << 20)
        #expect(Array(file.bytes) == expected)
        file.release()
        #expect(Array(file.bytes) == expected)
        #expect(Array(file.bytes[(expected.count - 5)...]) == [65, 65, 65, 65, 10])
    }

    @Test func anEmptyTableIsAnEmptyBuffer() throws {
        let file = try PGBuffer().file("ar.disputes")
        #expect(file.bytes.count == 0)
    }
}
