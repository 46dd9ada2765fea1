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

/// CSV for Excel on any locale: UTF-8 with a byte-order mark (so Windows Excel does not read
/// it as ANSI), ASCII signs instead of −, ×, ÷, ± and …, and day ranges written "1 to 30"
/// (US Excel turns a cell "1-30" into the 30th of January).
public enum ExcelCSV {
    public static let byteOrderMark = "\u{FEFF}"

    public static func adapt(_ csv: String) -> String {
        var out = byteOrderMark
        out.reserveCapacity(csv.utf8.count + 16)
        var field = ""
        var quoted = false
        func flush() {
            out += rangeSafe(field)
            field = ""
        }
        for ch in csv {
            if ch == "\"" { quoted.toggle(); field.append(ch); continue }
            if !quoted && (ch == "," || ch == "\r\n" || ch == "\n") {
                flush()
                out.append(ch)
                continue
            }
            switch ch {
            case "\u{2212}": field += "-"
            case "×": field += "x"
            case "÷": field += "/"
            case "±": field += "+/-"
            case "…": field += "..."
            case "–", "—": field += "-"
            default: field.append(ch)
            }
        }
        flush()
        return out
    }

    /// "1-30" or "31-60" becomes "1 to 30"; anything else is left as it is.
    static func rangeSafe(_ f: String) -> String {
        let parts = f.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...4).contains(parts[0].count), (1...4).contains(parts[1].count),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return f }
        return "\(parts[0]) to \(parts[1])"
    }
}
