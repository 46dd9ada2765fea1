import Foundation
import Testing

/// End-to-end: the built `arlens` binary, its output and its exit codes.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func arlens(_ args: [String]) throws -> Run {
    // The test bundle sits in the build folder beside the executable.
    var dir = Bundle.main.bundleURL
    var binary = dir.appendingPathComponent("arlens")
    for _ in 0..<4 where !FileManager.default.fileExists(atPath: binary.path) {
        dir = dir.deletingLastPathComponent()
        binary = dir.appendingPathComponent("arlens")
    }
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    p.currentDirectoryURL = root
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
}

func tempDir(_ files: [String: String]) -> String {
    let d = NSTemporaryDirectory() + "arlens-cli-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
    for (n, t) in files { FileManager.default.createFile(atPath: d + "/" + n, contents: Data(t.utf8)) }
    return d
}

@Suite struct CLITests {
    static let handmade = "Tests/Fixtures/handmade"

    @Test func validateAsJSON() throws {
        let r = try arlens(["validate", "--format", "json", "--data", CLITests.handmade])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let files = obj["files"] as! [[String: Any]]
        #expect(files.count == 9)
        #expect(files[1]["file"] as? String == "invoices.csv")
        #expect(files[1]["read"] as? Int == 24)
        #expect((obj["rejections"] as! [Any]).isEmpty)
        let kinds = (obj["findings"] as! [[String: Any]]).map { $0["kind"] as! String }
        #expect(kinds.contains("missing_email"))
        #expect(r.stdout.hasPrefix("{\n  \"files\": [\n    {\n      \"file\": \"customers.csv\",\n      \"read\": 7,"))
    }

    @Test func rejectedRowsWarnUnlessStrict() throws {
        let d = tempDir(["invoices.csv": "invoice_id,customer_id,issue_date,amount\nI1,C1,2026-01-10,12.345\nI2,C1,2026-01-10,5.00\n"])
        defer { try? FileManager.default.removeItem(atPath: d) }
        let r = try arlens(["validate", "--data", d, "--format", "json"])
        #expect(r.status == 0)
        #expect(r.stdout.contains(#""column": "amount","#))
        #expect(r.stdout.contains(#""reason": "more decimals than USD allows (2)""#))
        let table = try arlens(["validate", "--data", d])
        #expect(table.stdout.contains("invoices.csv:2: column 'amount': '12.345': more decimals than USD allows (2)"))
        let strict = try arlens(["validate", "--data", d, "--strict"])
        #expect(strict.status == 1)
        #expect(strict.stderr == "arlens: 1 rows rejected (--strict)\n")
    }

    @Test func ledgerThatCannotLoadExitsOneWithOneLine() throws {
        let d = tempDir(["invoices.csv": "invoice_id,amount\nI1,5.00\n"])
        defer { try? FileManager.default.removeItem(atPath: d) }
        let r = try arlens(["validate", "--data", d])
        #expect(r.status == 1)
        #expect(r.stderr == "arlens: error: invoices.csv:1: required columns 'customer_id', 'issue_date' missing (the header has: invoice_id, amount)\n")
        let missing = try arlens(["validate", "--data", d + "/nowhere"])
        #expect(missing.status == 1)
        #expect(missing.stderr.hasSuffix("nowhere: file not found\n"))
    }

    @Test func badUsageExitsTwo() throws {
        let r = try arlens(["validate", "--format", "yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("yaml"))
        #expect(try arlens(["no-such-command"]).status == 2)
        let help = try arlens(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("validate"))
    }

    @Test func theBundledSampleIsTheDefaultAndLoadsCleanly() throws {
        let r = try arlens(["validate", "--format", "json"])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect((obj["rejections"] as! [Any]).isEmpty)
        let files = obj["files"] as! [[String: Any]]
        #expect(files.first { $0["file"] as? String == "invoices.csv" }?["loaded"] as? Int == 12355)
    }

    @Test func summaryOfTheHandmadeLedger() throws {
        let r = try arlens(["summary", "--data", CLITests.handmade])
        #expect(r.status == 0)
        #expect(r.stdout.contains("2026-06-05 to 2026-11-20, base currency USD"))
        #expect(r.stdout.contains("EUR        21,400.00  21,400.00  21,400.00"))
        #expect(r.stdout.contains("USD       141,500.50  98,750.50  97,750.50"))
    }
}
