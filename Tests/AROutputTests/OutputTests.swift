import Foundation
import Testing
@testable import AROutput

@Suite struct OutputTests {
    @Test func jsonKeepsKeyOrderAndEscapes() {
        let v: JSONValue = .object([("b", 1), ("a", .array([.string("x\"y\n"), .null, .double(47.91), .double(2)]))])
        #expect(v.serialized(indent: nil) == #"{"b":1,"a":["x\"y\n",null,47.91,2]}"#)
        #expect(JSONValue.number(.nan) == .null)
        #expect(JSONValue.string("\u{1}").serialized() == #""\u0001""#)
    }

    @Test func csvNeutralisesFormulasAndQuotes() {
        var w = CSVWriter(header: ["name", "amount"])
        w.addRow([.text("=HYPERLINK(\"http://x\")"), .number("-12.50")])
        w.addRow([.text("+1 555"), .text("@SUM(A1)")])
        w.addRow([.text("-x"), .text("a,b")])
        #expect(w.text == "name,amount\r\n\"'=HYPERLINK(\"\"http://x\"\")\",-12.50\r\n'+1 555,'@SUM(A1)\r\n'-x,\"a,b\"\r\n")
    }

    @Test func tableAlignsColumns() {
        var t = TextTable(["file", "rows"], align: [.left, .right])
        t.add(["invoices.csv", "24"])
        t.add(["x", "1000"])
        #expect(t.render() == "file          rows\n------------  ----\ninvoices.csv    24\nx             1000\n")
    }

    @Test func atomicWriteReplacesAndSanitisedNames() throws {
        let dir = NSTemporaryDirectory() + "arlens-out-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = dir + "/sub/file.txt"
        try AtomicFile.write("one", to: p)
        try AtomicFile.write("two", to: p)
        #expect(try String(contentsOfFile: p, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/sub") == ["file.txt"])
        #expect(AtomicFile.sanitizedName("../../etc/passwd") == "_.._etc_passwd")
        #expect(AtomicFile.sanitizedName("Müller GmbH <script>") == "M_ller_GmbH__script_")
        #expect(AtomicFile.sanitizedName("") == "_")
    }
}
