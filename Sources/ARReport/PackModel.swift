import ARAnalytics
import ARModel
import ChartKit

/// One section of the pack: what it answers, its charts and its tables.
public struct PackSection: Sendable {
    public var id: String
    public var title: String
    public var lead: String
    public var charts: [PackChart] = []
    public var tables: [ReportTable] = []
    public var paragraphs: [String] = []
    /// Detail tables that go to the appendix (and the CSV and XLSX), not the board pages.
    public var appendixTables: [ReportTable] = []
    /// Detail charts that go to the appendix.
    public var appendixCharts: [PackChart] = []
    /// How the section's numbers are made (models, methods): the appendix's method notes.
    public var notes: [String] = []
    /// The whole section belongs in the appendix (definitions, data quality, GL detail).
    public var inAppendix = false
    /// How many of the tables the PDF sets before the charts (the aging summary leads its page).
    public var tablesFirst = 0

    /// Moves the charts and tables named in `ids` to the appendix (the board pages keep the
    /// rest; the CSV, XLSX and HTML still have them all).
    mutating func moveToAppendix(_ ids: Set<String>) {
        appendixCharts = charts.filter { ids.contains($0.id) } + appendixCharts
        charts.removeAll { ids.contains($0.id) }
        appendixTables = tables.filter { ids.contains($0.id) } + appendixTables
        tables.removeAll { ids.contains($0.id) }
    }
}

public struct PackChart: Sendable {
    /// File name stem: charts/<id>.png.
    public var id: String
    public var chart: any Chart
    public var size: Size
    public var alt: String
}

/// A headline number of the executive summary.
public struct PackTile: Sendable {
    public enum Status: String, Sendable { case onTarget = "on target", watch, offTarget = "off target" }
    public var id: String
    public var label: String
    public var value: String
    public var change: String?
    /// The change moved the good way (nil: neither way is better, or no change).
    public var changeGood: Bool?
    public var status: Status?
    public var target: String?
    public var tile: KPITile
    /// The same month a year earlier and the year to date, as read and as numbers.
    public var lastYear: Double? = nil
    public var yearChange: String? = nil
    public var yearChangeGood: Bool? = nil
    public var ytd: Double? = nil
    public var ytdText: String? = nil
    /// The metric code as data (kpis.json, CSV), never shown to people.
    public var code: String = ""
}

/// Everything the pack shows for one month, computed once and drawn by every format.
public struct PackModel: Sendable {
    public var company: String
    public var month: YearMonth
    public var currency: Currency
    public var ledgerName: String
    public var tiles: [PackTile]
    public var findings: [String]
    public var sections: [PackSection]
    /// Every KPI for the month and the 11 before it (kpis.json).
    public var kpis: KPIResult
    /// Tables written only as CSV (too long for a page): aging detail, all rejections.
    public var csvOnly: [ReportTable]
    /// The customers the tables name, for the HTML pack's drill-down.
    public var customers: [String: CustomerDetail] = [:]

    public var monthName: String { PackModel.monthNames[month.month - 1] + " " + String(month.year) }
    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                                    "September", "October", "November", "December"]
    /// Every chart: the tiles (whole, for slides), their sparklines (for the HTML page), the sections'.
    public var charts: [PackChart] {
        tiles.map { PackChart(id: $0.id, chart: $0.tile, size: Size(240, 150), alt: $0.label) }
            + tiles.map { PackChart(id: $0.id + "-spark", chart: Sparkline($0.tile.history), size: Size(200, 40), alt: $0.label + " trend") }
            + sections.flatMap { $0.charts + $0.appendixCharts }
    }
    public var tables: [ReportTable] { sections.flatMap { $0.tables + $0.appendixTables } + csvOnly }
    /// The sections of the board pages, in order.
    public var body: [PackSection] { sections.filter { !$0.inAppendix } }
}

extension PackModel {
    /// The last complete month of a ledger: the month of its last date when that date is
    /// within three days of the month's end (exports are often taken on the last working
    /// day), otherwise the month before.
    public static func lastCompleteMonth(_ t: Timeline) -> YearMonth {
        let m = t.lastDay.yearMonth
        return t.lastDay + 3 >= m.lastDay ? m : m.advanced(by: -1)
    }
}

/// One customer as the HTML pack opens it: who, where, what is open, what came in.
public struct CustomerDetail: Sendable {
    public struct Item: Sendable {
        public var document: String, kind: String, date: Day, due: Day?, daysPastDue: Int?, amount: Int64
    }
    public var id: String, name: String
    public var segment: String, region: String, collector: String, currency: String
    public var items: [Item]
    /// Payments of the last 12 months, newest first (base currency).
    public var payments: [(date: Day, amount: Int64)]
}
