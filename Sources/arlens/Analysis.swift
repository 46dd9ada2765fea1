import ARAnalytics
import ARLoading
import ARModel
import AROutput
import Foundation

/// Loading for the analysis commands: only the tables the job needs, then automatic cash
/// application when the ledger did not say how payments were applied.
struct Loaded {
    let result: LoadResult
    let prepared: PreparedLedger
    var configuration: Configuration { result.configuration.configuration }
    var timeline: Timeline { prepared.timeline }
    var base: Currency { prepared.ledger.baseCurrency }

    static let core: Set<TableName> = [.invoices, .customers, .payments, .applications, .adjustments, .fxRates]

    init(_ options: LedgerOptions, tables: Set<TableName>?) throws {
        result = try options.load(tables: tables)
        let progress = Progress.start("analysing")
        prepared = PreparedLedger(result.ledger)
        progress.finish()
        if options.strict && !result.report.rejections.isEmpty {
            throw CLIFailure(code: 1, message: "\(result.report.rejections.count) rows rejected (--strict); arlens validate lists them")
        }
        if !result.report.rejections.isEmpty {
            Loaded.warn("\(result.report.rejections.count) rows were rejected and left out (arlens validate lists them)")
        }
    }

    static func warn(_ s: String) { FileHandle.standardError.write(Data("arlens: warning: \(s)\n".utf8)) }

    func money(_ minor: Int64, grouped: Bool = false) -> String {
        Money.decimalString(minor, digits: base.minorDigits, grouping: grouped ? "," : nil)
    }
}

/// Dates and months given on the command line: a bad one is an input error (exit 1).
func parseMonth(_ s: String?, _ flag: String) throws -> YearMonth? {
    guard let s else { return nil }
    guard let m = YearMonth(s) else { throw CLIFailure(code: 1, message: "error: \(flag) '\(s)' is not a month (YYYY-MM)") }
    return m
}

func parseDay(_ s: String?, _ flag: String) throws -> Day? {
    guard let s else { return nil }
    guard let d = Day(iso: s) else { throw CLIFailure(code: 1, message: "error: \(flag) '\(s)' is not a date (YYYY-MM-DD)") }
    return d
}
