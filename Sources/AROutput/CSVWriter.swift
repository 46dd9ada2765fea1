/// Writes RFC 4180 CSV for spreadsheets, defended against formula injection: a text cell
/// starting with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'` so a
/// spreadsheet shows it as text instead of running it. Numbers written with `number:` are
/// left alone.
public struct CSVWriter: Sendable {
    public private(set) var text = ""

    public init(header: [String]) { addRow(header.map { .text($0) }) }

    public enum Cell: Sendable {
        case text(String)
        case number(String)
        case empty
    }

    public mutating func addRow(_ cells: [Cell]) {
        text += cells.map(CSVWriter.encode).joined(separator: ",") + "\r\n"
    }

    public mutating func addTextRow(_ cells: [String]) { addRow(cells.map { .text($0) }) }

    public static func encode(_ c: Cell) -> String {
        switch c {
        case .empty: return ""
        case .number(let n): return n
        case .text(var s):
            if let f = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(f) { s = "'" + s }
            if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return s
        }
    }
}
