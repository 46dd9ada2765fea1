import Foundation

/// Every chart type with ordinary and awkward data (one point, all zeros, negatives, forty
/// categories, huge and tiny values, very long names): the golden scenes and the pictures a
/// person checks come from here.
public enum Gallery {
    static let months = ["Nov 25", "Dec 25", "Jan 26", "Feb 26", "Mar 26", "Apr 26", "May 26", "Jun 26", "Jul 26",
                         "Aug 26", "Sep 26", "Oct 26"]
    static let usd = ValueFormat.money(symbol: "$")

    public static let charts: [(name: String, chart: any Chart)] = [
        ("line-two-series-target", LineChart(
            ChartText("Is DSO coming down?", subtitle: "Days sales outstanding and best possible DSO, 3-month window"),
            categories: months,
            series: [Series("DSO", [40.8, 33.9, 33.1, 44.1, 53.4, 40.6, 33.3, 37.3, 38.5, 37.4, 46.4, 47.7]),
                     Series("Best possible", [30.2, 25.1, 24.4, 30.3, 29.0, 30.4, 23.9, 27.3, 25.4, 25.5, 35.9, 36.0])],
            format: .days, target: 45, includeZero: false)),
        ("line-single-point", LineChart(ChartText("One month of data"), categories: ["Oct 26"],
                                        series: [Series("AR", [1_250_000])], format: usd)),
        ("line-all-zero", LineChart(ChartText("Nothing written off"), categories: months,
                                    series: [Series("Write-offs", months.map { _ in 0 })], format: usd)),
        ("line-negative-gaps", LineChart(ChartText("Net AR of one customer", subtitle: "Unapplied cash can make it negative"),
                                         categories: months,
                                         series: [Series("C0042", [1200, 800, nil, -350, -350, 90, 2400, nil, 150, -20, 0, 310])],
                                         format: usd)),
        ("line-huge-values", LineChart(ChartText("Billings of a large group"), categories: months,
                                       series: [Series("Billings", months.indices.map { 2.4e9 + Double($0) * 1.3e8 })], format: usd)),
        ("line-tiny-values", LineChart(ChartText("Bad-debt ratio"), categories: months,
                                       series: [Series("Ratio", months.indices.map { 0.012 + Double($0 % 3) * 0.004 })],
                                       format: .percent, includeZero: false)),
        ("bars-stacked-aging", BarChart(
            ChartText("Is the overdue tail growing?", subtitle: "Gross AR by days past due at each month-end"),
            categories: months,
            series: [Series("Current", [2.6, 2.1, 1.8, 2.0, 2.9, 2.8, 2.4, 2.5, 2.2, 2.0, 2.6, 3.2].map { $0 * 1e6 }),
                     Series("1-30", [0.6, 0.5, 0.4, 0.5, 0.8, 0.6, 0.5, 0.6, 0.5, 0.5, 0.6, 0.6].map { $0 * 1e6 }),
                     Series("31-60", [0.2, 0.2, 0.1, 0.1, 0.3, 0.2, 0.1, 0.2, 0.2, 0.1, 0.2, 0.17].map { $0 * 1e6 }),
                     Series("61-90", [0.05, 0.04, 0.05, 0.03, 0.06, 0.08, 0.05, 0.04, 0.05, 0.04, 0.05, 0.04].map { $0 * 1e6 }),
                     Series("91+", [0.12, 0.13, 0.11, 0.12, 0.13, 0.15, 0.16, 0.15, 0.16, 0.17, 0.16, 0.16].map { $0 * 1e6 })],
            format: usd, mode: .stacked, totals: true)),
        ("bars-grouped", BarChart(ChartText("Billings and collections by quarter"),
                                  categories: ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"],
                                  series: [Series("Billings", [8.1e6, 6.9e6, 8.4e6, 7.6e6]), Series("Collections", [7.7e6, 7.2e6, 8.0e6, 7.1e6])],
                                  format: usd, mode: .grouped)),
        ("bars-forty-long-names", BarChart(
            ChartText("Overdue by customer"), categories: (1...40).map { "Customer with a very long registered name number \($0) Incorporated" },
            series: [Series("Overdue", (1...40).map { Double(($0 * 7919) % 97) * 1000 })], format: usd, namedCategories: true)),
        ("waterfall-rollforward", WaterfallChart(
            ChartText("What moved AR in October?", subtitle: "Beginning AR + billings − collections − credits − write-offs ± FX = ending AR"),
            steps: [.init("AR at 30 Sep", 3_498_277.61, isTotal: true), .init("Invoices", 3_340_407.57), .init("Debit memos & fees", 2_875.25),
                    .init("Collections", -2_633_384.58), .init("Credit memos", -30_901.23), .init("Write-offs", -14_691.69),
                    .init("FX", -382.34), .init("AR at 31 Oct", 4_162_200.59, isTotal: true)],
            format: usd)),
        ("fan-forecast", FanChart(
            ChartText("How much cash comes in over the next 13 weeks?", subtitle: "Weekly collections: actuals, then the forecast with 80% and 95% intervals"),
            categories: (1...21).map { "W\($0)" },
            actuals: [610, 580, 640, 700, 655, 590, 720, 680].map { $0 * 1000 },
            forecast: (0..<13).map { k in
                let v = 650_000.0 + Double(k % 4) * 20_000
                let w = 40_000.0 + Double(k) * 9_000
                return .init(value: v, lo80: v - w, hi80: v + w, lo95: v - 1.6 * w, hi95: v + 1.6 * w)
            }, format: usd)),
        ("pareto-overdue", ParetoChart(
            ChartText("Who holds the overdue balance?", subtitle: "Overdue AR by customer, largest first, with the cumulative share"),
            categories: ["Harbor Foods", "Atlas Motors", "Summit Labs", "Cedar Retail", "Keystone Supply", "Beacon Dental",
                         "Union Plastics", "Maple Farms", "Falcon Electric", "Prairie Outfitters"],
            values: [182_000, 95_000, 61_000, 40_500, 22_000, 15_000, 9_800, 7_200, 3_100, 900], format: usd)),
        ("benford-first-digit", BenfordChart(
            ChartText("Do invoice amounts follow Benford's law?", subtitle: "First digits of 12,355 invoice amounts"),
            digits: (1...9).map(String.init),
            observed: [0.291, 0.183, 0.121, 0.095, 0.085, 0.066, 0.058, 0.051, 0.050],
            expected: (1...9).map { log10(1 + 1 / Double($0)) },
            lower: (1...9).map { log10(1 + 1 / Double($0)) * 0.9 }, upper: (1...9).map { log10(1 + 1 / Double($0)) * 1.1 })),
        ("heatmap-days-late", Heatmap(
            ChartText("Which customers pay later and later?", subtitle: "Mean days late of invoices paid each month"),
            rows: ["Harbor Foods", "Atlas Motors", "Summit Labs", "Cedar Retail with an unusually long name", "Keystone Supply", "Beacon Dental"],
            columns: months,
            values: (0..<6).map { r in months.indices.map { c in (r + c) % 7 == 0 ? nil : Double((r * 5 + c * (r == 1 ? 6 : 1)) % 70) } },
            format: .days)),
        ("heatmap-all-zero", Heatmap(ChartText("No late payments"), rows: ["A", "B"], columns: ["Sep 26", "Oct 26"],
                                     values: [[0, 0], [0, 0]], format: .days)),
    ]

    public static let tiles: [(name: String, tile: KPITile)] = [
        ("tile-dso", KPITile(label: "DSO", value: 47.7, previous: 46.4, history: [40.8, 33.9, 33.1, 44.1, 53.4, 40.6, 33.3, 37.3, 38.5, 37.4, 46.4, 47.7],
                             format: .days, betterDirection: -1, target: 45)),
        ("tile-cei", KPITile(label: "Collection effectiveness", value: 72.4, previous: 72.1, history: [73.8, 74.1, 59.4, 78.2, 77.5, 72.9, 70.6, 71.8, 72.1, 72.4],
                             format: .percent, betterDirection: 1, target: 80)),
        ("tile-ar-na", KPITile(label: "Net AR", value: nil, previous: nil, history: [], format: usd, betterDirection: 0)),
    ]
}
