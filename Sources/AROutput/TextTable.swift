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

    /// The width tables must fit, in characters (nil: as wide as their content). The command
    /// line sets it from `COLUMNS` (default 100) when printing to a terminal, unless `--wide`.
    @TaskLocal public static var fitWidth: Int? = nil

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
        var headers = self.headers.map(TextTable.terminalSafe)
        var rows = self.rows.map { $0.map(TextTable.terminalSafe) }
        var align = self.align
        var width = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < width.count { width[i] = max(width[i], c.count) } }
        var hidden: [String] = []
        if let limit = TextTable.fitWidth {
            // First narrow the widest text columns (names, notes) down to 12 characters, cutting
            // their cells with "…"; then hide columns from the right but one (the last is often
            // the total), keeping at least three.
            func total() -> Int { width.reduce(0, +) + 2 * max(0, width.count - 1) }
            while total() > limit {
                let candidates = width.indices.filter { ($0 >= align.count || align[$0] == .left) && width[$0] > 12 }
                guard let k = candidates.max(by: { width[$0] < width[$1] }) else { break }
                width[k] = max(12, width[k] - (total() - limit))
                func cut(_ c: String) -> String { c.count > width[k] ? String(c.prefix(width[k] - 1)) + "…" : c }
                headers[k] = cut(headers[k])
                rows = rows.map { r in r.enumerated().map { $0.offset == k ? cut($0.element) : $0.element } }
            }
            while total() > limit && width.count > 3 {
                let k = width.count - 2
                hidden.insert(headers.remove(at: k), at: 0)
                width.remove(at: k)
                if k < align.count { align.remove(at: k) }
                rows = rows.map { r in var r = r; if k < r.count { r.remove(at: k) }; return r }
            }
        }
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
        if !hidden.isEmpty { out += "(\(hidden.count) more column\(hidden.count == 1 ? "" : "s") not shown: \(hidden.joined(separator: ", ")); --wide shows all)\n" }
        return out
    }
}
