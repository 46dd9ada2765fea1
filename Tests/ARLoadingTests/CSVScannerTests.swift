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
    /// The word-at-a-time search for the end of an unquoted field: every field length from 0
    /// to 20, ended by each delimiter, line break or the end of the input, at every offset
    /// from the start of the buffer; values with bytes that look like the delimiter plus or
    /// minus one (the borrow of the search must not make a false match).
    @Test func unquotedFieldsOfEveryLengthEndWhereTheyShould() {
        for delimiter in [",", ";", "\t", "|"] {
            for n in 0...20 {
                for pad in 0..<8 {
                    let value = String((0..<n).map { k -> Character in ["a", "+", "-", "\u{0B}", "\u{0C}", "\u{0E}", "x", "9"][(k + pad) % 8] })
                    let lead = String(repeating: "z", count: pad)
                    for end in ["\n", "\r\n", "\r", ""] {
                        // A line of nothing but tabs is a blank line, whatever the delimiter.
                        if delimiter == "\t" && n == 0 && pad == 0 && !end.isEmpty { continue }
                        let text = lead + delimiter + value + delimiter + value + end + "q" + delimiter + value
                        var bytes = Array(text.utf8)
                        let got: [[String]] = bytes.withUnsafeMutableBytes { raw in
                            var sc = CSVScanner(bytes: UnsafeRawBufferPointer(raw), delimiter: Array(delimiter.utf8)[0])
                            var fields: [CSVField] = []
                            var out: [[String]] = []
                            while case .record? = sc.next(&fields) {
                                out.append(fields.map { f in sc.withValue(f) { String(decoding: $0, as: UTF8.self) } })
                            }
                            return out
                        }
                        let v = value
                        let expected = end.isEmpty ? [[lead, v, v + "q", v]] : [[lead, v, v], ["q", v]]
                        #expect(got == expected, "delimiter \(delimiter.debugDescription), length \(n), offset \(pad), end \(end.debugDescription)")
                    }
                }
            }
        }
    }

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
