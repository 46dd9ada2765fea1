import Foundation
import Testing
import CSupport
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
        withExtendedLifetime(file) {}
    }

    @Test func anEmptyTableIsAnEmptyBuffer() throws {
        let file = PGBuffer().file("ar.disputes")
        #expect(file.bytes.count == 0)
    }
}

/// Rows of COPY's text format (DELIMITER ',', NULL '') kept as the csv the reader takes: a row
/// without a backslash or a double quote as it is, any other with its escapes undone and its
/// values quoted as the csv format quotes them.
@Suite struct PGTextRowsTests {
    func csv(_ text: String) -> String {
        let bytes = Array(text.utf8)
        return String(decoding: bytes.withUnsafeBufferPointer { PGTextRows.csv($0) }, as: UTF8.self)
    }

    func firstEscape(_ text: String) -> Int {
        Array(text.utf8).withUnsafeBufferPointer { arlens_find_text_escape($0.baseAddress, $0.count) }
    }

    @Test func escapesAreUndoneAndValuesQuotedAsCSVQuotesThem() {
        #expect(csv("1,plain,row\n") == "1,plain,row\n")
        #expect(csv(#"1,a\,b,x"# + "\n") == "1,\"a,b\",x\n")
        #expect(csv(#"2,say "hi",\\path"# + "\n") == #"2,"say ""hi""",\path"# + "\n")
        #expect(csv(#"3,line\nbreak,cr\rx,tab\tx"# + "\n") == "3,\"line\nbreak\",\"cr\rx\",tab\tx\n")
        #expect(csv(#"4,,\b\f\v,"# + "\n") == "4,,\u{8}\u{C}\u{B},\n")
        #expect(csv(#"5,\\.,"q""#) == "5,\\.,\"\"\"q\"\"\"\n")
        #expect(csv(#" padded ,x\,"# + "\n") == " padded ,\"x,\"\n")
    }

    @Test func theFirstBackslashOrQuoteIsFoundAnywhere() {
        let plain = "1,INV-0100001,C03612,100001,45595,45625,5135.84,USD,PO-3612-4,45595,mruiz\n"
        #expect(firstEscape(plain) == plain.utf8.count)
        #expect(plain.utf8.count == 74)
        #expect(firstEscape("") == 0)
        // In the 64-byte blocks and in the tail after them, the first of several.
        for at in [0, 5, 15, 16, 63, 64, 100, 127, 128, 140] {
            var row = Array(repeating: UInt8(ascii: "x"), count: 141)
            row[at] = UInt8(ascii: "\\")
            row[140] = UInt8(ascii: "\"")
            #expect(firstEscape(String(decoding: row, as: UTF8.self)) == at, "\\ at \(at)")
            row[at] = UInt8(ascii: "\"")
            #expect(firstEscape(String(decoding: row, as: UTF8.self)) == at, "\" at \(at)")
        }
    }

    /// The spooled rows: only those with a backslash or a quote change, and the offsets of the
    /// rows after them move with them.
    @Test func aBufferOfTextRowsIsKeptAsCSV() {
        let rows = ["a,b\n", #"1,x\,y,"q""# + "\n", "2,plain\n", #"3,line\nbreak"# + "\n", "4,end\n"]
        let buf = PGBuffer()
        var starts: [Int] = []
        for (k, r) in rows.enumerated() {
            if k > 0 { starts.append(buf.count) }
            Array(r.utf8).withUnsafeBytes { buf.append($0) }
        }
        let moved = buf.textRowsToCSV(starts)
        let file = buf.file("t")
        let text = withExtendedLifetime(file) { String(decoding: file.bytes, as: UTF8.self) }
        #expect(text == "a,b\n1,\"x,y\",\"\"\"q\"\"\"\n2,plain\n3,\"line\nbreak\"\n4,end\n")
        #expect(moved == [4, 20, 28, 43])
        let plain = PGBuffer()
        Array("a,b\n1,2\n".utf8).withUnsafeBytes { plain.append($0) }
        #expect(plain.textRowsToCSV([4]) == [4])
        let kept = plain.file("t")
        #expect(withExtendedLifetime(kept) { String(decoding: kept.bytes, as: UTF8.self) } == "a,b\n1,2\n")
    }
}
