import Foundation
import Testing
import ARTestSupport
@testable import AROutput

@Suite struct OutputTests {
    @Test func jsonKeepsKeyOrderAndEscapes() {
        let v: JSONValue = .object([("b", 1), ("a", .array([.string("x\"y\n"), .null, .double(47.91), .double(2)]))])
        #expect(v.serialized(indent: nil) == #"{"b":1,"a":["x\"y\n",null,47.91,2]}"#)
        #expect(JSONValue.number(.nan) == .null)
        #expect(JSONValue.string("\u{1}").serialized() == #""\u0001""#)
        // Every escape, and everything else as it is (UTF-8 outside ASCII included).
        #expect(JSONValue.string("a\\b\t\r\u{1F}\u{2028}x\u{2029}é€😀").serialized(indent: nil) == #""a\\b\t\r\u001f\u2028x\u2029é€😀""#)
        let nested: JSONValue = .object([("rows", .array([.object([("k", "v"), ("n", .int(-3))]), .array([])])), ("e", .object([]))])
        #expect(nested.serialized() == "{\n  \"rows\": [\n    {\n      \"k\": \"v\",\n      \"n\": -3\n    },\n    []\n  ],\n  \"e\": {}\n}")
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
        let dir = TestTemp.path("arlens-out-")
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

/// Issue 15: writes that never follow links, folders swapped in whole, one name per id,
/// terminal-safe tables.
@Suite struct SafeOutputTests {
    func tempDir() -> String {
        let p = TestTemp.path("arlens-out-")
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    @Test func aLinkPlantedAtTheOldTemporaryNameIsNotFollowed() throws {
        let dir = tempDir(), outside = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir); try? FileManager.default.removeItem(atPath: outside) }
        try "precious\n".write(toFile: outside + "/victim.txt", atomically: false, encoding: .utf8)
        // The name the old writer used, and a link at the target itself.
        try FileManager.default.createSymbolicLink(atPath: dir + "/.index.csv.tmp-\(getpid())", withDestinationPath: outside + "/victim.txt")
        try FileManager.default.createSymbolicLink(atPath: dir + "/index.csv", withDestinationPath: outside + "/victim.txt")
        try AtomicFile.write("a,b\n", to: dir + "/index.csv")
        #expect(try String(contentsOfFile: outside + "/victim.txt", encoding: .utf8) == "precious\n")
        #expect(try String(contentsOfFile: dir + "/index.csv", encoding: .utf8) == "a,b\n")
        let attrs = try FileManager.default.attributesOfItem(atPath: dir + "/index.csv")
        #expect(attrs[.type] as? FileAttributeType == .typeRegular)
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [".index.csv.tmp-\(getpid())", "index.csv"])
    }

    @Test func writeErrorsAreOneLineNamingThePath() {
        #expect(throws: OutputError("/proc/version/x", "cannot create the folder")) {
            try AtomicFile.write("x", to: "/proc/version/x/y.csv")
        }
    }

    @Test func stagedFolderReplacesTheOldFolderWhole() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let final = dir + "/2026-10"
        var s = try StagedFolder.begin(final)
        try AtomicFile.write("old", to: s.path + "/a.txt")
        try AtomicFile.write("stale", to: s.path + "/stale.txt")
        try s.commit()
        s = try StagedFolder.begin(final)
        try AtomicFile.write("new", to: s.path + "/a.txt")
        // Until the commit, the old folder is complete under its name.
        #expect(try FileManager.default.contentsOfDirectory(atPath: final).sorted() == ["a.txt", "stale.txt"])
        try s.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: final) == ["a.txt"])
        #expect(try String(contentsOfFile: final + "/a.txt", encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["2026-10"])
    }

    @Test func leftoversOfKilledRunsAreRecoveredOrRemoved() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A run killed between moving the old pack aside and moving the new one in: the real
        // name is missing, the old pack sits in .old-<pid>, the new one in .partial-<pid>.
        let dead: Int32 = 2_000_000_000
        let old = dir + "/.2026-10.old-\(dead)", partial = dir + "/.2026-10.partial-\(dead)"
        try FileManager.default.createDirectory(atPath: old, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: partial, withIntermediateDirectories: true)
        try AtomicFile.write("previous", to: old + "/index.html")
        try AtomicFile.write("half", to: partial + "/index.html")
        let s = try StagedFolder.begin(dir + "/2026-10")
        #expect(try String(contentsOfFile: dir + "/2026-10/index.html", encoding: .utf8) == "previous")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["2026-10", ".2026-10.partial-\(getpid())"].sorted())
        s.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["2026-10"])
    }

    @Test func aUserFolderWithForeignFilesIsNotReplaced() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try AtomicFile.write("mine", to: dir + "/notes/thesis.tex")
        #expect(throws: OutputError(dir + "/notes", "not mine")) {
            _ = try StagedFolder.begin(dir + "/notes") { $0 == ["thesis.tex"] ? "not mine" : nil }
        }
        #expect(try String(contentsOfFile: dir + "/notes/thesis.tex", encoding: .utf8) == "mine")
    }

    @Test func oneOutputNamePerId() throws {
        #expect(AtomicFile.outputName(for: "C00037") == "C00037")
        let slash = AtomicFile.outputName(for: "a/b"), under = AtomicFile.outputName(for: "a_b")
        #expect(under == "a_b")
        #expect(slash.hasPrefix("a_b~") && slash.count == 16)
        #expect(slash == AtomicFile.outputName(for: "a/b"))          // stable
        let long1 = String(repeating: "x", count: 120) + "1", long2 = String(repeating: "x", count: 120) + "2"
        #expect(AtomicFile.outputName(for: long1) != AtomicFile.outputName(for: long2))
        let names = try AtomicFile.outputNames(for: ["a/b", "a_b", "a b", "../x", long1, long2])
        #expect(Set(names).count == 6)
        #expect(names.allSatisfy { !$0.hasPrefix(".") && !$0.contains("/") })
    }

    @Test func terminalEscapesInDataAreShownNotSent() {
        var t = TextTable(["name", "amount"], align: [.left, .right])
        t.add(["\u{1B}[2J\u{1B}]0;pwned\u{7}Evil", "1.00"])
        t.add(["Tab\there", "2.00", "extra cell"])
        let out = t.render()
        #expect(!out.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(out.contains(#"\u{1b}[2J\u{1b}]0;pwned\u{7}Evil"#))
        #expect(out.contains(#"Tab\u{9}here"#))
    }
}

/// Issue 18: CSV that Excel opens as written.
@Suite struct ExcelCSVTests {
    @Test func bomAsciiSignsAndRanges() {
        var w = CSVWriter(header: ["group", "current", "1-30", "31-60", "121+", "note"])
        w.addRow([.text("C1"), .number("5.00"), .number("-2.50"), .number("0.00"), .number("0.00"), .text("a−b × c ÷ d ± e… “1-30, ok”")])
        // A date keeps its dashes; any other "N-M" is a range to Excel, so it becomes "N to M".
        w.addRow([.text("2026-10-01"), .number("1"), .number("2"), .number("3"), .number("4"), .text("10-2026")])
        let x = ExcelCSV.adapt(w.text)
        #expect(x == "\u{FEFF}group,current,1 to 30,31 to 60,121+,note\r\nC1,5.00,-2.50,0.00,0.00,\"a-b x c / d +/- e... “1-30, ok”\"\r\n2026-10-01,1,2,3,4,10 to 2026\r\n")
    }
}

/// Issue 18: tables fit the terminal: text columns narrowed first, then columns hidden from
/// the right but one, with a line saying which.
@Suite struct TextTableFitTests {
    @Test func narrowsThenHides() {
        var t = TextTable(["id", "name", "a", "b", "c", "total"], align: [.left, .left, .right, .right, .right, .right])
        t.add(["C1", "A very long customer name indeed", "1,000.00", "2,000.00", "3,000.00", "6,000.00"])
        #expect(TextTable.$fitWidth.withValue(50) { t.render() } == """
            id  name                 a         b     total
            --  ------------  --------  --------  --------
            C1  A very long…  1,000.00  2,000.00  6,000.00
            (1 more column not shown: c; --wide shows all)

            """)
        #expect(t.render().split(separator: "\n")[2] == "C1  A very long customer name indeed  1,000.00  2,000.00  3,000.00  6,000.00")
    }
}
