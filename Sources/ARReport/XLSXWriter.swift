import ARModel
import Foundation
import ZIPFoundation

/// Tables as a real SpreadsheetML workbook: one worksheet per table, numbers and dates typed,
/// money in a currency format, a bold frozen header with an autofilter, column widths fitted.
/// Entries carry a fixed date so the same pack gives the same bytes.
public enum XLSXWriter {
    static let fixedDate = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01

    public static func workbook(_ tables: [ReportTable], currency: Currency) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        var names: [String] = []
        for t in tables {
            let base = sheetName(t.title, fallback: t.id)
            var name = base
            var k = 2
            while names.contains(where: { $0.lowercased() == name.lowercased() }) {
                name = sheetName(String(base.prefix(27)), fallback: t.id) + " \(k)"
                k += 1
            }
            names.append(name)
        }
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: fixedDate,
                                 compressionMethod: .deflate) { pos, size in data.subdata(in: Int(pos)..<Int(pos) + size) }
        }
        let sheets = tables.indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0 + 1).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined()
        try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\(sheets)</Types>
            """)
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        let sheetList = names.enumerated().map { "<sheet name=\"\(xml($0.element))\" sheetId=\"\($0.offset + 1)\" r:id=\"rId\($0.offset + 1)\"/>" }.joined()
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(sheetList)</sheets></workbook>
            """)
        let rels = tables.indices.map { "<Relationship Id=\"rId\($0 + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0 + 1).xml\"/>" }.joined()
        try add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)<Relationship Id="rId\(tables.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """)
        let moneyFormat = currency.minorDigits == 0 ? "#,##0" : "#,##0." + String(repeating: "0", count: currency.minorDigits)
        try add("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="5"><numFmt numFmtId="164" formatCode="\(moneyFormat)"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/><numFmt numFmtId="166" formatCode="0.0%"/><numFmt numFmtId="167" formatCode="0.0"/><numFmt numFmtId="168" formatCode="yyyy-mm"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="9"><xf/><xf fontId="1" applyFont="1"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="3" applyNumberFormat="1"/><xf numFmtId="167" applyNumberFormat="1"/><xf numFmtId="166" applyNumberFormat="1"/><xf numFmtId="165" applyNumberFormat="1"/><xf numFmtId="164" fontId="1" applyNumberFormat="1" applyFont="1"/><xf numFmtId="168" applyNumberFormat="1"/></cellXfs></styleSheet>
            """)
        for (k, t) in tables.enumerated() { try add("xl/worksheets/sheet\(k + 1).xml", sheet(t, currency: currency)) }
        guard let data = archive.data else { throw PackError.write("could not build the workbook") }
        return data
    }

    /// A worksheet name Excel accepts and a reader understands: the title without its period
    /// qualifier ("AR roll-forward, October 2026" -> "AR roll-forward"), without the characters
    /// Excel forbids, cut at a word boundary to at most 31 characters, never ending in a space
    /// or punctuation.
    static func sheetName(_ title: String, fallback: String) -> String {
        var s = title.filter { !"[]:*?/\\".contains($0) }
        if let comma = s.firstIndex(of: ","), s.distance(from: s.startIndex, to: comma) >= 6 { s = String(s[..<comma]) }
        if let paren = s.firstIndex(of: "("), s.distance(from: s.startIndex, to: paren) >= 6 { s = String(s[..<paren]) }
        s = s.trimmingCharacters(in: .whitespaces)
        if s.count > 31 {
            var cut = String(s.prefix(31))
            if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) >= 10 { cut = String(cut[..<space]) }
            s = cut
        }
        while let last = s.last, " ,;.-–'".contains(last) { s.removeLast() }
        return s.isEmpty ? String(fallback.prefix(31)) : s
    }

    static func column(_ k: Int) -> String {
        var n = k + 1, s = ""
        while n > 0 { let r = (n - 1) % 26; s = String(UnicodeScalar(65 + r)!) + s; n = (n - 1) / 26 }
        return s
    }

    static func xml(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // XML 1.0 forbids most control characters.
                if u.value < 0x20 && u != "\t" && u != "\n" && u != "\r" { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    static func sheet(_ t: ReportTable, currency: Currency) -> String {
        let n = t.rows.count + 1
        // Text columns whose every value is a month.
        let monthColumns = Set(t.columns.indices.filter { k in
            t.columns[k].kind == .text && !t.rows.isEmpty && t.rows.allSatisfy { row in
                guard k < row.count else { return true }
                if case .text(let s) = row[k] { return YearMonth(s) != nil }
                return row[k] == .empty
            }
        })
        var widths = t.columns.map { Double($0.name.count) + 2 }
        var body = "<row r=\"1\">"
        for (k, c) in t.columns.enumerated() {
            body += "<c r=\"\(column(k))1\" t=\"inlineStr\" s=\"1\"><is><t>\(xml(c.name))</t></is></c>"
        }
        body += "</row>"
        for (i, row) in t.rows.enumerated() {
            let r = i + 2
            body += "<row r=\"\(r)\">"
            for (k, cell) in row.enumerated() where k < t.columns.count {
                let ref = "\(column(k))\(r)"
                let bold = t.emphasized.contains(i)
                switch cell {
                case .empty: continue
                case .text(let s) where monthColumns.contains(k) && YearMonth(s) != nil:
                    // A month (2026-03) is a date in Excel, shown as yyyy-mm, so it sorts and charts as time.
                    body += "<c r=\"\(ref)\" s=\"8\"><v>\(Int(YearMonth(s)!.firstDay.number) + 25569)</v></c>"
                    widths[k] = max(widths[k], 10)
                case .text(let s):
                    body += "<c r=\"\(ref)\" t=\"inlineStr\"\(bold ? " s=\"1\"" : "")><is><t xml:space=\"preserve\">\(xml(s))</t></is></c>"
                    widths[k] = max(widths[k], Double(min(s.count, 60)) + 2)
                case .money(let m):
                    let v = Money.decimalString(m, digits: currency.minorDigits)
                    body += "<c r=\"\(ref)\" s=\"\(bold ? 7 : 2)\"><v>\(v)</v></c>"
                    widths[k] = max(widths[k], Double(v.count) + 4)
                case .number(let x):
                    let style: Int
                    switch t.columns[k].kind {
                    case .count: style = 3
                    case .percent: style = 5
                    case .number(let d) where d >= 2: style = 2
                    case .days, .number: style = 4
                    default: style = 0
                    }
                    // Percentages are fractions under a percent format (72.4% is 0.724), as Excel expects.
                    let y = t.columns[k].kind == .percent ? x / 100 : x
                    let v = y.isFinite ? (y == y.rounded() && abs(y) < 1e15 ? String(Int64(y)) : String(y)) : "0"
                    body += "<c r=\"\(ref)\" s=\"\(style)\"><v>\(v)</v></c>"
                    widths[k] = max(widths[k], 10)
                case .decimal(let v):
                    body += "<c r=\"\(ref)\" s=\"2\"><v>\(v)</v></c>"
                    widths[k] = max(widths[k], Double(v.count) + 4)
                case .date(let d):
                    body += "<c r=\"\(ref)\" s=\"6\"><v>\(Int(d.number) + 25569)</v></c>"
                    widths[k] = max(widths[k], 12)
                }
            }
            body += "</row>"
        }
        let cols = widths.enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\(Int($0.element.rounded()))\" customWidth=\"1\"/>" }.joined()
        let last = "\(column(max(t.columns.count - 1, 0)))\(n)"
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>\(cols)</cols><sheetData>\(body)</sheetData><autoFilter ref="A1:\(last)"/></worksheet>
            """
    }
}
