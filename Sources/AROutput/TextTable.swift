/// A plain-text table for the terminal: columns padded to their widest cell, numbers
/// right-aligned.
public struct TextTable: Sendable {
    public enum Align: Sendable { case left, right }
    public var headers: [String]
    public var align: [Align]
    public var rows: [[String]] = []

    public init(_ headers: [String], align: [Align]? = nil) {
        self.headers = headers
        self.align = align ?? headers.map { _ in .left }
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// A cell made safe for a terminal: control characters (C0, DEL, C1, which carry escape
    /// sequences), and line and paragraph separators, are shown as `\u{..}` escapes, so data
    /// can neither move the cursor, recolour the screen nor break the table's lines.
    public static func terminalSafe(_ s: String) -> String {
        func unsafe(_ u: Unicode.Scalar) -> Bool {
            u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029
        }
        guard s.unicodeScalars.contains(where: unsafe) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if unsafe(u) {
                out.append(contentsOf: "\\u{\(String(u.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    public func render() -> String {
        let headers = self.headers.map(TextTable.terminalSafe)
        let rows = self.rows.map { $0.map(TextTable.terminalSafe) }
        var width = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < width.count { width[i] = max(width[i], c.count) } }
        func line(_ cells: [String]) -> String {
            var s = ""
            for (i, c) in cells.enumerated() {
                let w = i < width.count ? width[i] : c.count
                let pad = String(repeating: " ", count: max(0, w - c.count))
                let cell = i < align.count && align[i] == .right ? pad + c : c + pad
                s += (i == 0 ? "" : "  ") + cell
            }
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        var out = line(headers) + "\n"
        out += line(width.map { String(repeating: "-", count: $0) }) + "\n"
        for r in rows { out += line(r) + "\n" }
        return out
    }
}
