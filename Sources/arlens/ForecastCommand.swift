import ArgumentParser
import ARAnalytics
import ARModel
import AROutput
import ARReport
import Foundation

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast", abstract: "Forecasts: a KPI's monthly trend, or any monthly series in a CSV.",
        subcommands: [ForecastCash.self, ForecastSeries.self, ForecastKPI.self])
}

/// The cli.md `forecast series` JSON: model, horizon, forecast rows, accuracy with --holdout.
func forecastJSON(model: String, periods: [String], f: SeriesForecast, accuracy: ForecastAccuracy?) -> JSONValue {
    var fields: [(String, JSONValue)] = [
        ("model", .string(model)), ("horizon", .int(periods.count)),
        ("forecast", .array(periods.indices.map { k in
            .object([("period", .string(periods[k])), ("value", .number(f.mean[k])), ("lo80", .number(f.lo80[k])),
                     ("hi80", .number(f.hi80[k])), ("lo95", .number(f.lo95[k])), ("hi95", .number(f.hi95[k]))])
        })),
    ]
    if let a = accuracy {
        fields.append(("accuracy", .object([("mape", .number(a.mape)), ("smape", .number(a.smape)), ("mase", .number(a.mase))])))
    }
    return .object(fields)
}

struct ForecastSeries: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "series", abstract: "Forecast a monthly series from a CSV; --holdout N measures accuracy on the last N points.")

    @Argument(help: "The CSV file.") var file: String
    @Option(name: .long, help: "The column of months (YYYY-MM or YYYY-MM-DD).") var dateColumn: String
    @Option(name: .long, help: "The column of values.") var valueColumn: String
    @Option(name: .long, help: "Months to forecast.") var horizon: Int = 12
    @Option(name: .long, help: "Hold out the last N points and report MAPE, sMAPE and MASE.") var holdout: Int?
    @Option(name: .long, help: "Season length.") var period: Int = 12
    @Option(name: .long, help: "table or json.") var format: OutputFormat = .table

    func run() throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw CLIFailure(code: 1, message: "error: \(file): cannot read")
        }
        var lines = text.split(whereSeparator: \.isNewline).map { String($0) }
        guard !lines.isEmpty else { throw CLIFailure(code: 1, message: "error: \(file): empty file") }
        let header = lines.removeFirst().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let dc = header.firstIndex(of: dateColumn.lowercased()) else {
            throw CLIFailure(code: 1, message: "error: \(file):1: no column '\(dateColumn)'")
        }
        guard let vc = header.firstIndex(of: valueColumn.lowercased()) else {
            throw CLIFailure(code: 1, message: "error: \(file):1: no column '\(valueColumn)'")
        }
        var months: [YearMonth] = [], values: [Double] = []
        for (i, line) in lines.enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count > max(dc, vc), let m = YearMonth(String(f[dc].prefix(7))), let v = Double(f[vc]), v.isFinite else {
                throw CLIFailure(code: 1, message: "error: \(file):\(i + 2): not a month and a number")
            }
            if let last = months.last, m != last.advanced(by: 1) {
                throw CLIFailure(code: 1, message: "error: \(file):\(i + 2): \(m) does not follow \(last) (a monthly series without gaps)")
            }
            months.append(m); values.append(v)
        }
        guard horizon >= 1, horizon <= 120 else { throw CLIFailure(code: 2, message: "error: --horizon must be 1 to 120") }
        var accuracy: ForecastAccuracy? = nil
        var f: SeriesForecast
        var periods: [String]
        if let h = holdout {
            guard h >= 1, h < values.count - 2 else { throw CLIFailure(code: 2, message: "error: --holdout must leave at least 3 points") }
            let train = Array(values.dropLast(h)), test = Array(values.suffix(h))
            f = SeriesForecast.make(train, horizon: h, period: period)
            accuracy = ForecastAccuracy.measure(actual: test, forecast: f.mean, training: train, period: period)
            periods = months.suffix(h).map(\.description)
        } else {
            f = SeriesForecast.make(values, horizon: horizon, period: period)
            periods = (1...horizon).map { months.last!.advanced(by: $0).description }
        }
        switch format {
        case .json, .csv: print(forecastJSON(model: f.modelName, periods: periods, f: f, accuracy: accuracy).serialized())
        case .table:
            var t = TextTable(["period", "forecast", "lo80", "hi80", "lo95", "hi95"], align: [.left, .right, .right, .right, .right, .right])
            for k in periods.indices {
                t.add([periods[k]] + [f.mean[k], f.lo80[k], f.hi80[k], f.lo95[k], f.hi95[k]].map { String(format: "%.2f", $0) })
            }
            print("model \(f.modelName)")
            print(t.render(), terminator: "")
            if let a = accuracy {
                print(String(format: "holdout of %d: MAPE %.2f%%, sMAPE %.2f%%, MASE %.3f", periods.count, a.mape ?? .nan, a.smape ?? .nan, a.mase ?? .nan))
            }
        }
    }
}

struct ForecastKPI: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kpi", abstract: "Forecast a KPI's monthly series.")

    @Argument(help: "The metric (arlens kpi --list).") var name: String
    @Option(name: .long, help: "Months to forecast.") var months: Int = 6
    @Option(name: .long, help: "table or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        guard let metric = KPI(rawValue: name.lowercased()) else {
            throw CLIFailure(code: 1, message: "error: unknown metric '\(name)' (arlens kpi --list shows them all)")
        }
        var tables = Loaded.core
        if [.dispute_rate, .dispute_days, .open_disputes].contains(metric) { tables.insert(.disputes) }
        if metric == .promise_kept_rate { tables.insert(.activities) }
        let loaded = try Loaded(ledger, tables: tables)
        let r = KPIEngine.run(loaded.timeline, configuration: loaded.configuration, query: KPIQuery(metrics: [metric], grain: .month),
                              autoMatched: loaded.prepared.cashApplication?.autoMatched)
        // The series from its first computable month, without gaps.
        let scale = metric.kind == .money ? Double(loaded.base.minorPerMajor) : 1
        var values: [Double] = [], last = ""
        for row in r.rows {
            if let v = row.value.double { values.append(v / scale); last = row.period } else if !values.isEmpty { values = [] }
        }
        guard values.count >= 2, let lastMonth = YearMonth(last) else {
            throw CLIFailure(code: 1, message: "error: \(metric.rawValue) has fewer than two months of values to forecast from")
        }
        let f = SeriesForecast.make(values, horizon: months)
        let periods = (1...months).map { lastMonth.advanced(by: $0).description }
        switch format {
        case .json, .csv: print(forecastJSON(model: f.modelName, periods: periods, f: f, accuracy: nil).serialized())
        case .table:
            var t = TextTable(["period", metric.rawValue, "lo80", "hi80", "lo95", "hi95"], align: [.left, .right, .right, .right, .right, .right])
            for k in periods.indices {
                t.add([periods[k]] + [f.mean[k], f.lo80[k], f.hi80[k], f.lo95[k], f.hi95[k]].map { String(format: "%.2f", $0) })
            }
            var out = "\(metric.title): model \(f.modelName) fitted on \(values.count) months"
            if let target = loaded.configuration.targets[metric.rawValue] { out += "; target \(KPIOutput.number(target))" }
            print(out)
            print(t.render(), terminator: "")
        }
    }
}

struct ForecastCash: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cash", abstract: "Expected collections per week with 80% and 95% intervals; --backtest scores past forecasts.")

    @Option(name: .long, help: "The date the forecast is made on (YYYY-MM-DD); default: the last date in the ledger.") var asOf: String?
    @Option(name: .long, help: "Weeks ahead.") var weeks: Int = 13
    @Flag(name: .long, help: "Replay the forecast from the past six month-ends that have weeks of actuals after them.") var backtest = false
    @Option(name: .long, help: "table or json.") var format: OutputFormat = .table
    @OptionGroup var ledger: LedgerOptions

    func run() throws {
        guard (1...52).contains(weeks) else { throw CLIFailure(code: 2, message: "error: --weeks must be 1 to 52") }
        let loaded = try Loaded(ledger, tables: Loaded.core)
        let t = loaded.timeline
        let d = try parseDay(asOf, "--as-of") ?? t.lastDay
        let f = CashForecast.make(t, asOf: d, weeks: weeks)
        var bt: CashForecast.Backtest? = nil
        if backtest {
            var origins: [Day] = []
            var m = d.yearMonth.advanced(by: -1)
            while origins.count < 6 && m.lastDay >= t.firstDay + 180 {
                if m.lastDay + 7 * weeks <= t.lastDay { origins.append(m.lastDay) }
                m = m.advanced(by: -1)
            }
            bt = CashForecast.backtest(t, origins: origins.reversed(), weeks: weeks)
        }
        let money = { (x: Double) in String(format: "%.2f", x) }
        switch format {
        case .json, .csv:
            var fields: [(String, JSONValue)] = [
                ("as_of", .string(f.asOf.description)), ("currency", .string(loaded.base.code)), ("billings_model", .string(f.billingsModel)),
                ("weeks", .array(f.weeks.map { w in
                    .object([("week", .int(w.number)), ("start", .string(w.start.description)), ("end", .string(w.end.description)),
                             ("expected", .string(money(w.expected))), ("from_open_items", .string(money(w.fromOpen))),
                             ("from_future_invoices", .string(money(w.fromFuture))),
                             ("lo80", .string(money(w.lo80))), ("hi80", .string(money(w.hi80))),
                             ("lo95", .string(money(w.lo95))), ("hi95", .string(money(w.hi95)))])
                })),
                ("invoices", .array(f.items.map { i in
                    .object([("document", .string(loaded.prepared.ledger.documentID(i.slot < t.invoiceCount ? .invoice(i.slot) : .adjustment(i.slot - t.invoiceCount)))),
                             ("open", .string(money(i.open))), ("days_past_due", .int(i.daysPastDue)),
                             ("never_paid", .number(i.neverPaid)), ("expected", .string(money(i.expected))),
                             ("likely_week", i.likelyWeek.map { .int($0) } ?? .null)])
                })),
            ]
            if let bt {
                fields.append(("backtest", .object([
                    ("origins", .array(bt.origins.map { .string($0.description) })),
                    ("wape", .array(bt.wape.map { .number($0) })), ("bias", .array(bt.bias.map { .number($0) })),
                    ("naive_wape", .array(bt.naiveWape.map { .number($0) })), ("coverage80", .number(bt.coverage80)),
                ])))
            }
            print(JSONValue.object(fields).serialized())
        case .table:
            var tt = TextTable(["week", "from", "to", "expected", "lo80", "hi80", "lo95", "hi95"],
                               align: [.right, .left, .left, .right, .right, .right, .right, .right])
            for w in f.weeks {
                tt.add([String(w.number), w.start.description, w.end.description] +
                       [w.expected, w.lo80, w.hi80, w.lo95, w.hi95].map { Money.decimalString(Int64(($0 * 100).rounded()), digits: 2, grouping: ",") })
            }
            let total = f.weeks.reduce(0) { $0 + $1.expected }
            print("Expected collections after \(f.asOf), \(loaded.base): \(Money.decimalString(Int64((total * 100).rounded()), digits: 2, grouping: ",")) over \(weeks) weeks (billings forecast \(f.billingsModel))")
            print(tt.render(), terminator: "")
            if let bt {
                print("\nBacktest from \(bt.origins.map(\.description).joined(separator: ", ")):")
                var b = TextTable(["week", "WAPE %", "bias %", "naive WAPE %"], align: [.right, .right, .right, .right])
                for k in 0..<weeks { b.add([String(k + 1), String(format: "%.1f", bt.wape[k]), String(format: "%+.1f", bt.bias[k]), String(format: "%.1f", bt.naiveWape[k])]) }
                print(b.render(), terminator: "")
                print(String(format: "actuals inside the 80%% interval: %.0f%%", bt.coverage80))
            }
        }
    }
}
