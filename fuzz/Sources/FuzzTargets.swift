// libFuzzer targets for ARLens's input readers (`make fuzz`), and a replay driver for the
// committed corpus and regression inputs (`make fuzz-replay`, and `make test`).
//
// Built with `-sanitize=fuzzer,address -DFUZZING` the file exports LLVMFuzzerTestOneInput and
// libFuzzer supplies main; the target is chosen by ARLENS_FUZZ_TARGET (csv, amount, date,
// ledger, config). Built plainly, it is a program that runs every file under the folders it is
// given through the target named by the folder (fuzz/corpus/<target>/...).
import ARLoading
import ARModel
import CSupport
import Foundation

enum FuzzTarget: String, CaseIterable {
    case csv, amount, date, ledger, config, export

    func run(_ data: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .csv: fuzzCSV(data)
        case .amount: fuzzAmount(data)
        case .date: fuzzDate(data)
        case .ledger: fuzzLedger(data)
        case .config: fuzzConfig(data)
        case .export: fuzzExport(data)
        }
    }
}

/// Every record and every field of the scanner: ranges inside the input, fields in order.
func fuzzCSV(_ data: UnsafeBufferPointer<UInt8>) {
    var s = CSVScanner(bytes: UnsafeRawBufferPointer(data))
    var fields: [CSVField] = []
    var records = 0
    while let r = s.next(&fields) {
        records += 1
        precondition(records <= data.count + 1, "more records than bytes")
        switch r {
        case .record(_, let range), .malformed(_, _, _, let range):
            precondition(range.lowerBound >= 0 && range.upperBound <= data.count, "record range outside the input")
        }
        for f in fields {
            precondition(f.start >= 0 && f.start <= f.end && f.end <= data.count, "field outside the input")
            let n = s.withValue(f) { $0.count }
            precondition(n <= f.end - f.start, "unescaped value longer than its bytes")
        }
    }
}

let amountStyles: [AmountParser] = [
    .canonical,
    ConfigurationFile.amountStyle(example: "1,234.56")!,
    ConfigurationFile.amountStyle(example: "1.234,56 €")!,
    ConfigurationFile.amountStyle(example: "($1,234.56)")!,
    ConfigurationFile.amountStyle(example: "1'234.56")!,
]

/// Every style at 0 to 4 decimals: a value or an error, and a value prints back to itself.
func fuzzAmount(_ data: UnsafeBufferPointer<UInt8>) {
    for style in amountStyles {
        for digits in 0...4 {
            guard let v = try? style.parse(data, digits: digits) else { continue }
            if style == .canonical {
                let text = Money.decimalString(v, digits: digits)
                precondition((try? style.parse(text, digits: digits)) == v, "amount does not round-trip")
            }
        }
    }
}

let dateFormats = ["YYYY-MM-DD", "M/D/YYYY", "DD.MM.YYYY", "D-MMM-YYYY", "YYYYMMDD"].compactMap(DateFormat.init)

/// Every format: a date or nil, and an ISO date prints back to itself.
func fuzzDate(_ data: UnsafeBufferPointer<UInt8>) {
    for f in dateFormats {
        if let d = f.parse(data), f.pattern == "YYYY-MM-DD" {
            precondition(Day(iso: d.description) == d, "date does not round-trip")
        }
        _ = f.parseTimestamp(data)
    }
}

/// The whole loader over a folder: the input is split at lines `=== name` into files
/// (default invoices.csv); every row read is loaded or rejected.
func fuzzLedger(_ data: UnsafeBufferPointer<UInt8>) {
    let dir = NSTemporaryDirectory() + "arlens-fuzz-\(getpid())"
    let fm = FileManager.default
    try? fm.removeItem(atPath: dir)
    try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let allowed: Set<String> = ["invoices.csv", "customers.csv", "payments.csv", "applications.csv", "adjustments.csv",
                                "disputes.csv", "activities.csv", "purchase_orders.csv", "fx_rates.csv", "arlens.yml"]
    var files: [String: [UInt8]] = [:]
    var current = "invoices.csv"
    var line: [UInt8] = []
    func flush() {
        if line.starts(with: Array("=== ".utf8)) {
            let name = String(decoding: line.dropFirst(4), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if allowed.contains(name) { current = name; line = []; return }
        }
        files[current, default: []] += line
        line = []
    }
    for b in data {
        line.append(b)
        if b == 10 { flush() }
    }
    flush()
    for (name, bytes) in files { fm.createFile(atPath: dir + "/" + name, contents: Data(bytes)) }
    if let r = try? LedgerLoader.load(directory: dir) {
        for f in r.report.files {
            precondition(f.read == f.loaded + f.rejected, "\(f.file): read \(f.read) != loaded \(f.loaded) + rejected \(f.rejected)")
        }
    }
    try? fm.removeItem(atPath: dir)
}

/// arlens.yml: a configuration or one error naming the file.
func fuzzConfig(_ data: UnsafeBufferPointer<UInt8>) {
    guard let text = String(validating: data, as: UTF8.self) else { return }
    do {
        _ = try ConfigurationFile.parse(text, path: "arlens.yml", directory: "/nonexistent")
    } catch {
        precondition(error.description.hasPrefix("arlens.yml"), "a configuration error that does not name the file")
    }
}

/// An export through every preset and a layout that uses every mapping feature: a load
/// error, or every row loaded, rejected, skipped or folded (issue 25).
func fuzzExport(_ data: UnsafeBufferPointer<UInt8>) {
    let dir = NSTemporaryDirectory() + "arlens-fuzz-export-\(getpid())"
    let fm = FileManager.default
    try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(atPath: dir) }
    fm.createFile(atPath: dir + "/export.csv", contents: Data(buffer: data))
    var generic = ExportLayout(name: "fuzz")
    generic.header = .containing("id")
    generic.skip = [SkipRule(pattern: "^Total"), SkipRule(column: "kind", pattern: "^x$")]
    generic.skipEmpty = ["id"]
    generic.columns = ["id": "id", "customer": "c", "date": "d", "amount": "a + b", "open": "o", "clearing": "k", "reference": "r"]
        .reduce(into: [ExportField: ColumnExpr]()) { $0[ExportField(rawValue: $1.key)!] = ColumnExpr($1.value) }
    generic.optional = [.open, .clearing, .reference]
    generic.route.column = "kind"
    generic.route.values = ["i": .invoice, "c": .creditMemo, "p": .payment, "s": .sign]
    generic.route.otherwise = nil
    generic.fold = FoldRule(sum: [.amount])
    var sources = Presets.all.filter { $0.layouts.count == 1 }
    sources.append(ExportSource(files: [], layouts: [generic]))
    for var source in sources {
        source.files = ["export.csv"]
        guard let imported = try? ExportReader.read(source, directory: dir),
              let r = try? LedgerLoader.load(imported: imported, config: ConfigurationFile(directory: dir)) else { continue }
        for f in r.report.files {
            precondition(f.read == f.loaded + f.rejected + f.skipped + f.folded,
                         "\(source.preset ?? "fuzz"): read \(f.read) != \(f.loaded) + \(f.rejected) + \(f.skipped) + \(f.folded)")
        }
    }
}

#if FUZZING
let selected: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["ARLENS_FUZZ_TARGET"] ?? "csv"
    guard let t = FuzzTarget(rawValue: name) else { fatalError("ARLENS_FUZZ_TARGET: csv, amount, date, ledger, config or export") }
    return t
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selected.run(UnsafeBufferPointer(start: size == 0 ? nil : data, count: size))
    return 0
}

/// SwiftPM names an executable's entry point itself, so libFuzzer's own main is not used:
/// this one hands the command line to libFuzzer's driver.
@main
struct FuzzMain {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
    }
}
#else
@main
struct Replay {
    /// Runs every file under each folder given (fuzz/corpus, fuzz/regressions) through the
    /// target its first-level folder names; prints how many inputs ran.
    static func main() {
        var count = 0
        for root in CommandLine.arguments.dropFirst() {
            for target in FuzzTarget.allCases {
                let dir = root + "/" + target.rawValue
                guard let names = try? FileManager.default.subpathsOfDirectory(atPath: dir) else { continue }
                for name in names.sorted() {
                    var isDir: ObjCBool = false
                    let path = dir + "/" + name
                    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue,
                          let data = FileManager.default.contents(atPath: path) else { continue }
                    data.withUnsafeBytes { target.run($0.bindMemory(to: UInt8.self)) }
                    count += 1
                }
            }
        }
        print("fuzz replay: \(count) inputs, no failure")
    }
}
#endif
