import ArgumentParser
import ARAnalytics
import ARLoading
import ARModel
import ARReport
import Foundation

extension PDFRenderer.Paper: ExpressibleByArgument {}

struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack",
        abstract: "The monthly management pack: HTML, PDF, charts, CSV, JSON and XLSX in OUT/<month>/.")

    @Option(name: .long, help: "The month (YYYY-MM); default: the last complete month of the ledger.")
    var month: String?

    @Option(name: .long, help: "The folder the pack's folder goes into.")
    var out: String = "output"

    @Option(name: .long, help: "Comma-separated: html,pdf,png,svg,csv,json,xlsx (default: all).")
    var formats: String?

    @Option(name: .long, help: "a4 or letter (landscape).")
    var paper: PDFRenderer.Paper = .a4

    @Option(name: .long, help: "The folder of the pack's Mustache templates and stylesheet.")
    var templates: String = "report-templates/pack"

    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        var options = PackOptions()
        options.outDirectory = out
        options.paper = paper
        options.templates = templates
        if let formats {
            var set = Set<PackFormat>()
            for name in formats.split(separator: ",") {
                guard let f = PackFormat(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                    throw CLIFailure(code: 2, message: "error: unknown format '\(name)' (html, pdf, png, svg, csv, json, xlsx)")
                }
                set.insert(f)
            }
            options.formats = set
        }
        let bar = ProgressBar()
        bar.show("loading", 0)
        let loaded = try Loaded(ledger, tables: nil)
        let t = loaded.timeline
        let m = try parseMonth(month, "--month") ?? PackModel.lastCompleteMonth(t)
        if m < t.firstDay.yearMonth || m > t.lastDay.yearMonth {
            throw CLIFailure(code: 1, message: "error: --month \(m) is outside the ledger (\(t.firstDay.yearMonth) to \(t.lastDay.yearMonth))")
        }
        bar.show("analysing", 0.05)
        var builder = PackBuilder(prepared: loaded.prepared, report: loaded.result.report, configuration: loaded.configuration,
                                  month: m, ledgerName: ledger.data)
        if let gl = loaded.result.configuration.glFile { builder.gl = try ReconcileCommand.readGL(gl, digits: loaded.base.minorDigits) }
        let model = builder.build()
        let dir: String
        do {
            dir = try PackWriter.write(model, options) { step, fraction in bar.show(step, fraction) }
        } catch let e as PackError {
            bar.clear()
            throw CLIFailure(code: 1, message: "error: \(e)")
        }
        bar.clear()
        print("pack for \(model.monthName) written to \(dir)/ (index.html, pack.pdf, charts/, csv/, kpis.json, pack.xlsx)")
    }
}

/// A one-line progress bar on stderr, only when stderr is a terminal.
final class ProgressBar {
    let active = isatty(STDERR_FILENO) == 1

    func show(_ step: String, _ fraction: Double) {
        guard active else { return }
        let width = 24
        let filled = Int((fraction * Double(width)).rounded())
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(step)\u{1B}[K".utf8))
    }

    func clear() {
        if active { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
