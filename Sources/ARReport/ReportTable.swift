import ARModel
import ChartKit

/// A table of the pack, independent of format: the HTML, the PDF, the CSV files and the
/// XLSX worksheets are all drawn from this one value.
public struct ReportTable: Sendable {
    public enum Kind: Sendable, Equatable { case text, money, count, number(decimals: Int), percent, days, date }

    public struct Column: Sendable {
        public var name: String
        public var kind: Kind
        public init(_ name: String, _ kind: Kind = .text) { self.name = name; self.kind = kind }
        public var isNumeric: Bool { kind != .text && kind != .date }
    }

    public enum Cell: Sendable, Equatable {
        case text(String)
        /// Minor units of the pack's base currency.
        case money(Int64)
        case number(Double)
        case date(Day)
        /// An exact decimal in its own currency's digits ("1234.50", "980"): a number in a
        /// spreadsheet, written as given everywhere.
        case decimal(String)
        case empty
    }

    /// File-safe id (csv/<id>.csv, the worksheet name).
    public var id: String
    public var title: String
    public var columns: [Column]
    public var rows: [[Cell]]
    /// Rows drawn bold (totals).
    public var emphasized: Set<Int> = []
    public var note: String?
    /// The customer id each row is about (nil: the table is not by customer): the HTML pack
    /// filters these rows by segment, region, collector and currency and opens the customer.
    public var rowKeys: [String?]? = nil
    /// The table as data for CSV and XLSX when it differs from what people read (the headline
    /// KPIs read "$4.16M"; as data they are 4162200.59 with a unit): typed columns and rows.
    public var data: (columns: [Column], rows: [[Cell]])?

    /// What the CSV and XLSX writers write: `data` when set, else the table itself.
    public var forData: ReportTable {
        guard let data else { return self }
        var t = self
        t.columns = data.columns
        t.rows = data.rows
        t.emphasized = []
        t.data = nil
        return t
    }

    public init(id: String, title: String, columns: [Column], rows: [[Cell]], note: String? = nil) {
        self.id = id; self.title = title; self.columns = columns; self.rows = rows; self.note = note
    }

    /// A cell as people read it: money with thousands separators, percentages with one decimal.
    public func display(_ cell: Cell, _ column: Column, currency: Currency) -> String {
        switch cell {
        case .empty: return ""
        case .text(let s): return s
        case .date(let d): return d.description
        case .decimal(let s): return s
        case .money(let m): return Money.decimalString(m, digits: currency.minorDigits, grouping: ",")
        case .number(let x):
            switch column.kind {
            case .percent: return x.isFinite ? String(format: "%.1f%%", x) : "n/a"
            case .days: return String(format: "%.1f", x)
            case .count: return ReportTable.grouped(Int(x.rounded()))
            case .number(let d): return String(format: "%.\(d)f", x)
            default: return String(format: "%.2f", x)
            }
        }
    }

    /// A cell as data: plain decimal strings, no grouping (CSV, JSON).
    public func raw(_ cell: Cell, currency: Currency) -> String {
        switch cell {
        case .empty: return ""
        case .text(let s): return s
        case .date(let d): return d.description
        case .decimal(let s): return s
        case .money(let m): return Money.decimalString(m, digits: currency.minorDigits)
        case .number(let x):
            if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
            return String(format: "%.4f", x).replacingOccurrences(of: "0+$", with: "", options: .regularExpression)
        }
    }

    static func grouped(_ n: Int) -> String { ValueFormat.grouped(n) }
}

import Foundation
