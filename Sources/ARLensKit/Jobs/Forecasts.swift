import ARAnalytics
import ARLoading
import ARModel
import AROutput
import Foundation

/// A forecast of a monthly series, with accuracy when points were held out (the cli.md
/// `forecast series` JSON). With a holdout, the held-out months are shown beside their
/// forecasts, then the forecast beyond the data from every point.
public struct SeriesForecastView: Rendered {
    public static let formats: [OutputFormat] = [.table, .json]
    public let forecast: SeriesForecast
    public let periods: [String]
    public let accuracy: ForecastAccuracy?
    /// The held-out actuals (beside `forecast`), and the forecast after the data.
    public let actuals: [Double]?
    public let future: SeriesForecast?
    public let futurePeriods: [String]
    /// The last months of history shown above a KPI forecast.
    let history: [(String, Double)]
    /// Why a forecast is flat after a clear move, when it is.
    public let note: String?
    /// The table's heading line and value column name.
    let heading: String
    let valueColumn: String

    /// Reads a monthly series from a CSV and forecasts `horizon` months, or, with `holdout`,
    /// forecasts the last `holdout` points from the ones before and measures the error, then
    /// forecasts `horizon` months after the data.
    public init(file: String, dateColumn: String, valueColumn: String, horizon: Int, holdout: Int?, period: Int) throws {
        guard (1...120).contains(horizon) else { throw ARLensError.usage("--horizon must be 1 to 120") }
        guard (1...52).contains(period) else { throw ARLensError.usage("--period must be 1 to 52") }
        let (months, values) = try ColumnFile.monthlySeries(file, dateColumn: dateColumn, valueColumn: valueColumn)
        guard !values.isEmpty else { throw ARLensError.input("\(file): no rows after the header") }
        let futurePeriods = (1...horizon).map { months.last!.advanced(by: $0).description }
        let ahead = SeriesForecast.make(values, horizon: horizon, period: period)
        if let h = holdout {
            guard h >= 1, h < values.count - 2 else { throw ARLensError.usage("--holdout must leave at least 3 points") }
            let train = Array(values.dropLast(h)), test = Array(values.suffix(h))
            forecast = SeriesForecast.make(train, horizon: h, period: period)
            accuracy = ForecastAccuracy.measure(actual: test, forecast: forecast.mean, training: train, period: period)
            periods = months.suffix(h).map(\.description)
            actuals = test
            future = ahead
            self.futurePeriods = futurePeriods
        } else {
            forecast = ahead
            accuracy = nil
            periods = futurePeriods
            actuals = nil
            future = nil
            self.futurePeriods = []
        }
        history = []
        note = ahead.flatNote(history: values)
        heading = "model \(forecast.modelName)"
        self.valueColumn = "forecast"
    }

    init(forecast: SeriesForecast, periods: [String], history: [(String, Double)], note: String?, heading: String, valueColumn: String) {
        self.forecast = forecast
        self.periods = periods
        self.accuracy = nil
        self.actuals = nil
        self.future = nil
        self.futurePeriods = []
        self.history = history
        self.note = note
        self.heading = heading
        self.valueColumn = valueColumn
    }

    static func rows(_ f: SeriesForecast, _ periods: [String], actuals: [Double]?) -> JSONValue {
        .array(periods.indices.map { k in
            var row: [(String, JSONValue)] = [("period", .string(periods[k]))]
            if let a = actuals { row.append(("actual", .number(a[k]))) }
            row += [("value", .number(f.mean[k])), ("lo80", .number(f.lo80[k])), ("hi80", .number(f.hi80[k])),
                    ("lo95", .number(f.lo95[k])), ("hi95", .number(f.hi95[k]))]
            return .object(row)
        })
    }

    public var json: JSONValue {
        let f = forecast
        var fields: [(String, JSONValue)] = [
            ("model", .string(f.modelName)), ("explanation", .string(f.explanation)), ("horizon", .int(periods.count)),
            ("forecast", Self.rows(f, periods, actuals: actuals)),
        ]
        if let a = accuracy {
            fields.append(("accuracy", .object([("mape", .number(a.mape)), ("smape", .number(a.smape)), ("mase", .number(a.mase))])))
        }
        if let fut = future {
            fields.append(("future", .object([("model", .string(fut.modelName)), ("forecast", Self.rows(fut, futurePeriods, actuals: nil))])))
        }
        if !history.isEmpty {
            fields.append(("last_actuals", .array(history.map { .object([("period", .string($0.0)), ("value", .number($0.1))]) })))
        }
        if let n = note { fields.append(("note", .string(n))) }
        return .object(fields)
    }

    static func table(_ f: SeriesForecast, _ periods: [String], actuals: [Double]?, valueColumn: String) -> String {
        let a = actuals
        var t = TextTable(["period"] + (a == nil ? [] : ["actual"]) + [valueColumn, "lo80", "hi80", "lo95", "hi95"],
                          align: [.left] + (a == nil ? [] : [.right]) + [.right, .right, .right, .right, .right])
        for k in periods.indices {
            t.add([periods[k]] + ((a.map { [$0[k]] } ?? []) + [f.mean[k], f.lo80[k], f.hi80[k], f.lo95[k], f.hi95[k]]).map { String(format: "%.2f", $0) })
        }
        return t.render()
    }

    public func render(_ format: OutputFormat) -> String {
        let f = forecast
        switch format {
        case .json, .csv: return json.printed
        case .table:
            var out = TextBlock()
            out.line(heading)
            out.line("(\(f.explanation))")
            if !history.isEmpty {
                out.line("last actuals: " + history.map { "\($0.0) \(String(format: "%.2f", $0.1))" }.joined(separator: ", "))
            }
            if let a = accuracy {
                out.line("\nheld out: the last \(periods.count) months, forecast from the months before")
                out.raw(Self.table(f, periods, actuals: actuals, valueColumn: valueColumn))
                out.line(String(format: "holdout of %d: MAPE %.2f%%, sMAPE %.2f%%, MASE %.3f", periods.count, a.mape ?? .nan, a.smape ?? .nan, a.mase ?? .nan))
                if let fut = future {
                    out.line("\nforecast after the data: model \(fut.modelName)")
                    out.raw(Self.table(fut, futurePeriods, actuals: nil, valueColumn: valueColumn))
                }
            } else {
                out.raw(Self.table(f, periods, actuals: nil, valueColumn: valueColumn))
            }
            if let n = note { out.line(n) }
            return out.text
        }
    }
}

extension Workspace {
    /// A KPI's monthly series forecast `months` ahead, from its first computable month.
    public func forecastKPI(_ metric: KPI, months: Int) throws -> SeriesForecastView {
        guard (1...60).contains(months) else { throw ARLensError.usage("--months must be 1 to 60") }
        let r = KPIEngine.run(timeline, configuration: configuration, query: KPIQuery(metrics: [metric], grain: .month),
                              autoMatched: prepared.cashApplication?.autoMatched)
        // The series from its first computable month, without gaps.
        let scale = metric.kind == .money ? Double(base.minorPerMajor) : 1
        var values: [Double] = [], last = ""
        for row in r.rows {
            if let v = row.value.double { values.append(v / scale); last = row.period } else if !values.isEmpty { values = [] }
        }
        guard values.count >= 2, let lastMonth = YearMonth(last) else {
            throw ARLensError.input("\(metric.rawValue) has fewer than two months of values to forecast from")
        }
        let f = SeriesForecast.make(values, horizon: months)
        var heading = "\(metric.title): model \(f.modelName) fitted on \(values.count) months"
        if let target = configuration.target(metric) { heading += "; target \(KPIView.number(target))" }
        let shown = min(6, values.count)
        let history = (0..<shown).map { k in (lastMonth.advanced(by: k - shown + 1).description, values[values.count - shown + k]) }
        return SeriesForecastView(forecast: f, periods: (1...months).map { lastMonth.advanced(by: $0).description },
                                  history: history, note: f.flatNote(history: values), heading: heading, valueColumn: metric.rawValue)
    }

    /// Expected collections per week from a date (default: the ledger's last), and with
    /// `backtest` the forecast replayed from the past six month-ends that have `weeks` of
    /// actuals after them (and at least 180 days of history before).
    public func forecastCash(asOf: Day?, weeks: Int, backtest: Bool) throws -> CashForecastView {
        guard (1...52).contains(weeks) else { throw ARLensError.usage("--weeks must be 1 to 52") }
        let t = timeline
        let d = try self.asOf(asOf)
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
        return CashForecastView(workspace: self, forecast: f, backtest: bt, weeks: weeks)
    }
}

public struct CashForecastView: Rendered {
    public static let formats: [OutputFormat] = [.table, .json]
    let workspace: Workspace
    public let forecast: CashForecast
    public let backtest: CashForecast.Backtest?
    let weeks: Int

    public func render(_ format: OutputFormat) -> String {
        let f = forecast, t = workspace.timeline, base = workspace.base
        let money = { (x: Double) in String(format: "%.2f", x) }
        switch format {
        case .json, .csv:
            var fields: [(String, JSONValue)] = [
                ("as_of", .string(f.asOf.description)), ("currency", .string(base.code)), ("billings_model", .string(f.billingsModel)),
                ("weeks", .array(f.weeks.map { w in
                    .object([("week", .int(w.number)), ("start", .string(w.start.description)), ("end", .string(w.end.description)),
                             ("expected", .string(money(w.expected))), ("from_open_items", .string(money(w.fromOpen))),
                             ("from_future_invoices", .string(money(w.fromFuture))),
                             ("lo80", .string(money(w.lo80))), ("hi80", .string(money(w.hi80))),
                             ("lo95", .string(money(w.lo95))), ("hi95", .string(money(w.hi95)))])
                })),
                ("invoices", .array(f.items.map { i in
                    .object([("document", .string(workspace.ledger.documentID(i.slot < t.invoiceCount ? .invoice(i.slot) : .adjustment(i.slot - t.invoiceCount)))),
                             ("open", .string(money(i.open))), ("days_past_due", .int(i.daysPastDue)),
                             ("never_paid", .number(i.neverPaid)), ("expected", .string(money(i.expected))),
                             ("likely_week", i.likelyWeek.map { .int($0) } ?? .null)])
                })),
            ]
            if let bt = backtest {
                fields.append(("backtest", .object([
                    ("origins", .array(bt.origins.map { .string($0.description) })),
                    ("wape", .array(bt.wape.map { .number($0) })), ("bias", .array(bt.bias.map { .number($0) })),
                    ("naive_wape", .array(bt.naiveWape.map { .number($0) })), ("coverage80", .number(bt.coverage80)),
                ])))
            }
            return JSONValue.object(fields).printed
        case .table:
            var tt = TextTable(["week", "from", "to", "expected", "lo80", "hi80", "lo95", "hi95"],
                               align: [.right, .left, .left, .right, .right, .right, .right, .right])
            for w in f.weeks {
                tt.add([String(w.number), w.start.description, w.end.description] +
                       [w.expected, w.lo80, w.hi80, w.lo95, w.hi95].map { Money.decimalString(Int64(($0 * 100).rounded()), digits: 2, grouping: ",") })
            }
            let total = f.weeks.reduce(0) { $0 + $1.expected }
            var out = TextBlock()
            out.line("Expected collections after \(f.asOf), \(base): \(Money.decimalString(Int64((total * 100).rounded()), digits: 2, grouping: ",")) over \(weeks) weeks (billings forecast \(f.billingsModel))")
            out.raw(tt.render())
            if let bt = backtest {
                out.line("\nBacktest from \(bt.origins.map(\.description).joined(separator: ", ")):")
                var b = TextTable(["week", "WAPE %", "bias %", "naive WAPE %"], align: [.right, .right, .right, .right])
                for k in 0..<weeks { b.add([String(k + 1), String(format: "%.1f", bt.wape[k]), String(format: "%+.1f", bt.bias[k]), String(format: "%.1f", bt.naiveWape[k])]) }
                out.raw(b.render())
                out.line(String(format: "actuals inside the 80%% interval: %.0f%%", bt.coverage80))
            }
            return out.text
        }
    }
}
