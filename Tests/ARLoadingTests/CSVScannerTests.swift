import Testing
@testable import ARLoading

/// Scans `text` and returns each record as (line, fields) or (line, error).
func scan(_ text: String) -> [(line: Int, fields: [String]?, error: String?)] {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { raw in
        var s = CSVScanner(bytes: UnsafeRawBufferPointer(raw))
        var fields: [CSVField] = []
        var out: [(Int, [String]?, String?)] = []
        while let r = s.next(&fields) {
            switch r {
            case .record(let line, _):
                out.append((line, fields.map { f in s.withValue(f) { String(decoding: $0, as: UTF8.self) } }, nil))
            case .malformed(let line, _, let reason, _):
                out.append((line, nil, reason))
            }
        }
        return out
    }
}

@Suite struct CSVScannerTests {
    @Test func plainRecords() {
        let r = scan("a,b,c\n1,2,3\n")
        #expect(r.count == 2)
        #expect(r[1].fields! == ["1", "2", "3"])
        #expect(r[1].line == 2)
    }

    @Test func quotesEscapesCommasAndNewlinesInsideQuotes() {
        let r = scan("id,note\n1,\"He said \"\"hi\"\", then left\"\n2,\"two\nlines, here\"\n3,x\n")
        #expect(r.map(\.line) == [1, 2, 3, 5])
        #expect(r[1].fields! == ["1", "He said \"hi\", then left"])
        #expect(r[2].fields! == ["2", "two\nlines, here"])
        #expect(r[3].fields! == ["3", "x"])
    }

    @Test func crlfBomMissingFinalNewlineAndBlankTrailingLines() {
        let r = scan("\u{FEFF}a,b\r\n1,2\r\n\r\n3,4")
        #expect(r.count == 3)
        #expect(r[0].fields! == ["a", "b"])
        #expect(r[2].fields! == ["3", "4"])
        #expect(r[2].line == 4)
        let t = scan("a\n1\n\n   \n\n")
        #expect(t.count == 2)
    }

    @Test func emptyFieldsAndTrimming() {
        let r = scan("a,b,c\n , x ,\n\" kept \",,\"\"\n")
        #expect(r[1].fields! == ["", "x", ""])
        #expect(r[2].fields! == [" kept ", "", ""])
    }

    @Test func literalQuoteInsideUnquotedFieldIsKept() {
        #expect(scan("a\n5\" pipe\n")[1].fields! == ["5\" pipe"])
    }

    @Test func unterminatedQuoteAtEndOfFile() {
        let r = scan("a,b\n1,\"never closed\n2,3\n")
        #expect(r.count == 3)
        #expect(r[1].line == 2)
        #expect(r[1].error == "a quote opened in this line is never closed (the rest of the file would be one value); the line is rejected and reading resumes on the next line")
        // The lines after the stray quote are rows again.
        #expect(r[2].fields! == ["2", "3"])
        #expect(r[2].line == 3)
    }

    @Test func textAfterClosingQuoteIsAnErrorAndScanningResumes() {
        let r = scan("a,b\n\"x\"y,1\n2,3\n")
        #expect(r[1].error == "unexpected text after a closing quote")
        #expect(r[2].fields! == ["2", "3"])
        #expect(r[2].line == 3)
    }

    @Test func emptyInput() {
        #expect(scan("").isEmpty)
        #expect(scan("\n\n").isEmpty)
    }
}
