import ArgumentParser
import ARAnalytics
import ARLensKit
import ARModel
import AROutput
import ARReport
import ARSynthetic
import CairoRendering
import Foundation

extension PDFRenderer.Paper: ExpressibleByArgument {}
extension GeneratorOptions.AnomalyLevel: ExpressibleByArgument {}
extension GeneratorOptions.Profile: ExpressibleByArgument {}

struct PackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pack", abstract: "The monthly management pack: HTML, PDF, charts, CSV, JSON, XLSX and a slide deck in OUT/<month>/.")
    @Option(name: .long, help: "The month (YYYY-MM); default: the last complete month of the ledger.") var month: String?
    @Option(name: .long, help: "The folder the pack's folder goes into.") var out: String = "output"
    @Option(name: .long, help: "Comma-separated: html,pdf,png,svg,csv,json,xlsx,pptx (default: all).") var formats: String?
    @Option(name: .long, help: "a4 or letter (landscape).") var paper: PDFRenderer.Paper = .a4
    @Option(name: .long, help: "A folder of pack templates and stylesheet (default: the installed ones; arlens templates export writes a copy).") var templates: String?
    @Flag(name: .long, help: "CSV files for Excel (byte-order mark, ASCII signs, day ranges as '1 to 30').") var excelCsv = false
    @Option(name: .long, help: "Also one pack per segment, region, collector, country, currency or customer: OUT/<month>/by-<dimension>/<unit>/.") var by: ARAnalytics.Dimension?
    @OptionGroup var ledger: LedgerOptions

    func validate() throws { try usage { _ = try Workspace.packFormats(formats) } }

    func run() throws {
        let m = try Dates.month(month, "--month")
        print(try StatusLine.run("loading", started: true) { s in
            try ledger.open(nil).packReport(month: m, formats: formats, out: out, paper: paper, excelCSV: excelCsv, templates: templates,
                                            by: by, canvas: CairoCanvas()) { s.show($0, $1) }
        })
    }
}

struct SlidesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slides", abstract: "The board deck alone: OUT/<month>/slides.pptx (16:9, editable titles, charts and speaker notes).",
        discussion: "The slides, in deck order: \(SlideKind.allCases.map(\.rawValue).joined(separator: ", ")); the title slide and the closing slide with the asks are always in. A slide the ledger has no data for is left out.")
    @Option(name: .long, help: "The month (YYYY-MM); default: the last complete month of the ledger.") var month: String?
    @Option(name: .long, help: "The folder the month's folder goes into.") var out: String = "output"
    @Option(name: .long, help: "Comma-separated slides to include, e.g. dso,cei,aging (default: all).") var charts: String?
    @Option(name: .long, help: "One deck per segment, region, collector, country, currency or customer: OUT/<month>/slides-<unit>.pptx.") var by: ARAnalytics.Dimension?
    @OptionGroup var ledger: LedgerOptions

    func validate() throws { try usage { _ = try Workspace.slideKinds(charts) } }

    func run() throws {
        let m = try Dates.month(month, "--month")
        print(try StatusLine.run { s in
            try ledger.open(nil).slidesReport(month: m, charts: charts, by: by, outDirectory: out, canvas: CairoCanvas()) { s.show($0, $1) }
        })
    }
}

struct ChartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chart", abstract: "Draw one KPI's trend to PNG, PDF or SVG, with its target line when one is configured.",
        discussion: "The months default to the twelve to the ledger's last.")
    @Argument(help: "The metric (arlens kpi --list).") var name: String
    @OptionGroup var period: PeriodOptions
    @Option(name: .long, help: "The file to write: .png, .pdf or .svg.") var out: String
    @Option(name: .long, help: "Width and height in points, e.g. 800x450.") var size: String = "800x450"
    @OptionGroup var ledger: LedgerOptions

    func validate() throws {
        try usage { try Workspace.checkChartFile(out); _ = try Workspace.chartSize(size) }
    }

    func run() throws {
        let metric = try Workspace.metric(name)
        let (from, to) = (try period.first, try period.last)
        try ledger.open(Workspace.tables(for: [metric])).writeChart(metric, from: from, to: to, size: size, canvas: CairoCanvas(), file: out)
        Terminal.say("wrote \(out)")
    }
}

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "The pack, notice and statement templates.",
        subcommands: [TemplatesExport.self, TemplatesWhere.self])
}

struct TemplatesExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Copy the installed templates into a new folder to edit; use them with --templates DIR/pack (or notices, statements).")
    @Argument(help: "A new or empty folder.") var directory: String

    func run() throws {
        let files = try Resources.exportTemplates(to: directory)
        print("\(files.count) template files in \(directory)/ (pack/, notices/, statements/)")
    }
}

struct TemplatesWhere: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "where", abstract: "Print the folders the templates are read from.")
    func run() throws {
        for kind in ["pack", "notices", "statements"] { print("\(kind): \(try Resources.templates(kind))") }
    }
}

/// The bundled sample's pack, and what to try next.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Write the monthly pack of the bundled sample ledger (a synthetic distributor) and show what to try next.")
    @Option(name: .long, help: "The folder the pack's folder goes into.") var out: String = "arlens-demo"

    func run() throws {
        print(try StatusLine.run { s in try Demo.run(out: out, canvas: CairoCanvas()) { s.show($0, $1) } }, terminator: "")
    }
}

/// The command-line reference (docs/cli.md) from the command definitions.
struct ReferenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference", abstract: "Print the command-line reference in Markdown (docs/cli.md is this output).", shouldDisplay: false)

    func run() throws {
        var dump = ""
        do { _ = try ARLens.parseAsRoot(["--experimental-dump-help"]) } catch { dump = ARLens.fullMessage(for: error) }
        print(try CLIReference.markdown(dumpHelp: dump), terminator: "")
    }
}

/// Every chart type with test data, for checking the look.
struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery", abstract: "Draw every chart type with test data into a folder (for checking the look).", shouldDisplay: false)
    @Option(name: .long, help: "The folder to write into.") var out: String

    func run() throws {
        let n = try ChartGallery.write(to: out, canvas: CairoCanvas())
        Terminal.say("wrote \(n) charts to \(out)")
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic ledger (deterministic for a seed), with its injected anomalies listed in DIR/_truth/.")
    @Option(name: .long, help: "The folder to write the ledger into.") var out: String
    @Option(name: .long, help: "Number of customers (default 200, or one per 120 invoices with --scale).") var customers: Int?
    @Option(name: .long, help: "Months of history.") var months: Int = 24
    @Option(name: .long, help: "The last month of the ledger (YYYY-MM).") var end: String = "2026-10"
    @Option(name: .long, help: "Random seed: the same seed writes the same files.") var seed: UInt64 = 42
    @Option(name: .long, help: "invoices=N: exactly N invoices (for benchmarks).") var scale: String?
    @Option(name: .long, help: "none, some or many injected anomalies.") var anomalies: GeneratorOptions.AnomalyLevel = .some
    @Flag(name: .long, help: "Write into a folder that holds files ARLens did not generate.") var force = false
    @Option(name: .long, help: "The business: distributor (the sample), wholesale (blanket POs, catalogue prices, a Saturday shift) or services (heavy-tailed amounts, seasonal customers, retainers, automatic cash application).")
    var profile: GeneratorOptions.Profile = .distributor

    func validate() throws {
        try usage { _ = try request.options() }
    }

    var request: GenerateRequest {
        var r = GenerateRequest(out: out)
        (r.customers, r.months, r.end, r.seed, r.scale) = (customers, months, end, seed, scale)
        (r.anomalies, r.profile, r.force) = (anomalies, profile, force)
        return r
    }

    func run() throws {
        Terminal.say(try StatusLine.run("generating \(out)") { _ in try request.run() })
    }
}

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast", abstract: "Forecasts: a KPI's monthly trend, or any monthly series in a CSV.",
        subcommands: [ForecastCash.self, ForecastSeries.self, ForecastKPI.self])
}

struct ForecastSeries: ResultCommand {
    typealias Result = SeriesForecastView
    static let configuration = CommandConfiguration(
        commandName: "series", abstract: "Forecast a monthly series from a CSV; --holdout N measures accuracy on the last N points.")
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .long, help: "The column of months (YYYY-MM or YYYY-MM-DD).") var dateColumn: String
    @Option(name: .long, help: "The column of values.") var valueColumn: String
    @Option(name: .long, help: "Months to forecast (1 to 120).") var horizon: Int = 12
    @Option(name: .long, help: "Hold out the last N points and forecast them from the rest: shows each actual beside its forecast and MAPE, sMAPE and MASE, then the --horizon months after the data.") var holdout: Int?
    @Option(name: .long, help: "Season length.") var period: Int = 12
    @OptionGroup var output: OutputOptions

    func run() throws {
        emit(try SeriesForecastView(file: file, dateColumn: dateColumn, valueColumn: valueColumn, horizon: horizon, holdout: holdout, period: period))
    }
}

struct ForecastKPI: ResultCommand {
    typealias Result = SeriesForecastView
    static let configuration = CommandConfiguration(commandName: "kpi", abstract: "Forecast a KPI's monthly series.")
    @Argument(help: "The metric (arlens kpi --list).") var name: String
    @Option(name: .long, help: "Months to forecast (1 to 60).") var months: Int = 6
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let metric = try Workspace.metric(name)
        emit(try ledger.open(Workspace.tables(for: [metric])).forecastKPI(metric, months: months))
    }
}

struct ForecastCash: ResultCommand {
    typealias Result = CashForecastView
    static let configuration = CommandConfiguration(
        commandName: "cash", abstract: "Expected collections per week with 80% and 95% intervals; --backtest scores past forecasts.")
    @OptionGroup var asOf: AsOfOption
    @Option(name: .long, help: "Weeks ahead (1 to 52).") var weeks: Int = 13
    @Flag(name: .long, help: "Replay the forecast from the past six month-ends that have weeks of actuals after them.") var backtest = false
    @OptionGroup var output: OutputOptions
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        let day = try asOf.day
        emit(try ledger.open(Workspace.core).forecastCash(asOf: day, weeks: weeks, backtest: backtest))
    }
}
