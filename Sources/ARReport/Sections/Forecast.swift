import ARAnalytics
import ARModel
import ChartKit
import Foundation

extension PackBuilder {
    /// The 13-week cash forecast from the month's end, how last month's forecast did, and where
    /// the headline KPIs are heading against their targets.
    func forecastSection() -> PackSection? {
        guard let cash = analysis.cash else { return nil }
        let end = month.lastDay
        let past = analysis.pastWeeks
        func weekLabel(_ d: Day) -> String { "\(d.components.day) \(PackBuilder.short[d.month - 1])" }
        let categories = (0..<8).map { weekLabel(end - 7 * 8 + 1 + 7 * $0) } + cash.weeks.map { weekLabel($0.start) }
        let fan = FanChart(ChartText("How much cash comes in over the next 13 weeks?",
                                     subtitle: "Weekly collections, \(currency): the last 8 weeks, then the forecast from \(end) with 80% and 95% intervals"),
                           categories: categories, actuals: past.map { Optional($0) },
                           forecast: cash.weeks.map { .init(value: $0.expected, lo80: $0.lo80, hi80: $0.hi80, lo95: $0.lo95, hi95: $0.hi95) },
                           format: money)
        var charts = [PackChart(id: "forecast-cash", chart: fan, size: Size(800, 400), alt: "13-week cash forecast")]
        var tables: [ReportTable] = []
        tables.append(ReportTable(id: "cash_forecast", title: "Expected collections by week from \(end)",
                                  columns: [.init("Week", .count), .init("From", .date), .init("To", .date), .init("Expected", .money),
                                            .init("From open items", .money), .init("From new invoices", .money),
                                            .init("80% low", .money), .init("80% high", .money)],
                                  rows: cash.weeks.map { w in
                                      [.number(Double(w.number)), .date(w.start), .date(w.end), .money(Int64((w.expected * major).rounded())),
                                       .money(Int64((w.fromOpen * major).rounded())), .money(Int64((w.fromFuture * major).rounded())),
                                       .money(Int64((w.lo80 * major).rounded())), .money(Int64((w.hi80 * major).rounded()))]
                                  }))
        // Last month's forecast against what came in.
        var paragraphs: [String] = []
        if let check = analysis.forecastCheck {
            let prevEnd = check.origin
            charts.append(PackChart(id: "forecast-last-month", chart: BarChart(
                ChartText("Did last month's forecast hold?", subtitle: "Weekly collections forecast on \(prevEnd) against the cash that came in, \(currency)"),
                categories: check.weeks.map { weekLabel($0.start) },
                series: [Series("Forecast", check.weeks.map { $0.expected }), Series("Actual", check.actual)],
                format: money, mode: .grouped), size: Size(800, 360), alt: "Last month's forecast against actual collections"))
            let forecastTotal = check.forecastTotal, actualTotal = check.actualTotal
            paragraphs.append("The forecast made on \(prevEnd) expected \(money.label(forecastTotal)) over the next \(check.weeks.count) weeks; \(money.label(actualTotal)) came in (\(String(format: "%+.1f", (forecastTotal - actualTotal) / max(actualTotal, 1) * 100))%). Week by week it missed by \(String(format: "%.1f", check.wape))% of the cash received, on average.")
        }
        // The headline KPIs six months ahead, beside their targets.
        var kpiRows: [[ReportTable.Cell]] = []
        for kf in analysis.kpiForecasts {
            let k = kf.metric, f = kf.forecast, history = kf.history
            let target = config.target(k)
            var heading = ""
            if let target, let last = f.mean.last {
                heading = (k.better == .lower ? last <= target : last >= target) ? "on course" : "off course"
            }
            kpiRows.append([.text(k.title), s.now(k).map { .number($0) } ?? .empty, .number(f.mean[2]), .number(f.mean[5]),
                            .number(f.lo80[5]), .number(f.hi80[5]), target.map { .number($0) } ?? .empty, .text(heading)])
            if k == .dso {
                let recent = history.suffix(12).map { Optional($0) }
                let labels = (0..<recent.count).map { PackBuilder.monthLabel(month.advanced(by: -recent.count + 1 + $0)) }
                    + (1...6).map { PackBuilder.monthLabel(month.advanced(by: $0)) }
                charts.append(PackChart(id: "forecast-dso", chart: FanChart(
                    ChartText("Where is DSO heading?", subtitle: "DSO, the last 12 months and a 6-month forecast with 80% and 95% intervals" + (target.map { "; target \(ValueFormat.days.short($0))" } ?? "")),
                    categories: labels, actuals: recent, forecast: (0..<6).map { .init(value: f.mean[$0], lo80: f.lo80[$0], hi80: f.hi80[$0], lo95: f.lo95[$0], hi95: f.hi95[$0]) },
                    format: .days), size: Size(800, 360), alt: "DSO forecast"))
            }
        }
        var appendix: [ReportTable] = []
        var notes: [String] = []
        if !kpiRows.isEmpty {
            let columns: [ReportTable.Column] = [.init("KPI"), .init("Now", .number(decimals: 1)), .init("In 3 months", .number(decimals: 1)),
                                                 .init("In 6 months", .number(decimals: 1)), .init("6 months, 80% low", .number(decimals: 1)),
                                                 .init("6 months, 80% high", .number(decimals: 1)), .init("Target", .number(decimals: 1)), .init("Heading")]
            var t = ReportTable(id: "kpi_forecast", title: "Headline KPIs six months ahead", columns: columns,
                                rows: kpiRows)
            // The model that made each forecast is data (and a method note), not a board word.
            t.data = (columns: columns + [.init("Model")],
                      rows: zip(kpiRows, analysis.kpiForecasts).map { $0.0 + [.text($0.1.forecast.modelName)] })
            appendix.append(t)
            notes.append("The headline KPIs are projected six months ahead with exponential smoothing, the model chosen for each metric by how well it would have forecast that metric's own past (" + analysis.kpiForecasts.map { "\($0.metric.title): \($0.forecast.modelName)" }.joined(separator: "; ") + "). The intervals come from the model's past errors.")
        }
        notes.append("The cash forecast learns each customer's payment habit from its own history, recent payments weighing more, and adds the collections expected from invoices not yet issued at the run rate of recent billings. It is checked against the cash that actually came in, week by week (the comparison above; from the command line, arlens forecast cash --backtest).")
        let total = cash.weeks.reduce(0) { $0 + $1.expected }
        paragraphs.insert("Expected collections over the next 13 weeks: \(money.label(total)), of which \(money.label(cash.weeks.reduce(0) { $0 + $1.fromOpen })) from invoices open at \(end).", at: 0)
        return PackSection(id: "forecast", title: "Cash forecast",
                           lead: "How much cash to expect, how good last month's forecast was, and where the headline KPIs are heading.",
                           charts: charts, tables: tables, paragraphs: paragraphs, appendixTables: appendix, notes: notes)
    }
}
