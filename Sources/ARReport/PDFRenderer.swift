import ARModel
import ChartKit
import Foundation

/// The pack as PDF pages drawn with ChartKit scenes: a cover, a contents page, the executive
/// summary tiles and findings, each section's charts and tables (tables run over pages with
/// their header repeated), and page numbers.
public struct PDFRenderer {
    public enum Paper: String, Sendable, CaseIterable { case a4, letter }
    let size: Size
    let m: any TextMeasuring
    let canvas: any Canvas
    let theme = Theme.standard
    let margin = 36.0

    public init(paper: Paper, measurer: any TextMeasuring, canvas: any Canvas) {
        self.canvas = canvas
        size = paper == .a4 ? Size(841.89, 595.28) : Size(792, 612)   // landscape
        m = measurer
    }

    final class Pages {
        var pages: [Scene] = []
        var y = 0.0
        var sectionPages: [(String, Int)] = []
        var bodyPages = 0
        /// How far down each page its content reaches (0…1 of the room between the margins).
        var fill: [Int: Double] = [:]
    }

    var contentWidth: Double { size.width - 2 * margin }
    var bottom: Double { size.height - margin - 18 }

    /// The board pack: a cover, contents, the body sections (each from a new page, charts two
    /// to a row, detail left to the appendix), then a divider and the appendix (detail tables,
    /// detail charts, method notes, definitions, data quality).
    public func render(_ model: PackModel) throws -> Data {
        let out = layout(model)
        return try canvas.pdf(out.pages, title: "\(model.company) · AR pack · \(model.monthName)")
    }

    /// Pages of the cover, the board pages and the appendix (with its divider), and how full
    /// each board page is with whether it is its section's last: for the checks.
    public func pageCounts(_ model: PackModel) -> (cover: Int, body: Int, appendix: Int, fill: [(page: Int, fill: Double, sectionLast: Bool)]) {
        let out = layout(model)
        let starts = Set(out.sectionPages.map { $0.1 - 1 })
        let fill = (1..<out.bodyPages).map { i in (page: i + 1, fill: out.fill[i] ?? 0, sectionLast: starts.contains(i + 1) || i + 1 == out.bodyPages) }
        return (1, out.bodyPages - 1, out.pages.count - out.bodyPages, fill)
    }

    /// The pages, with footers; the contents go on the cover once the page numbers are known.
    func layout(_ model: PackModel) -> Pages {
        let out = Pages()
        out.pages.append(Scene(size: size))
        for section in model.body {
            newPage(out)
            out.sectionPages.append((section.title, out.pages.count))
            heading(section.title, section.lead, out)
            if section.id == "summary" {
                tiles(model, out)
                out.y += 4
                text("What the month says", theme.title.withSize(13), theme.text, out)
                for p in section.paragraphs { bullet(p, out) }
                for t in section.tables { table(t, model, out, maxRows: PDFRenderer.bodyRows) }
                continue
            }
            for p in section.paragraphs { paragraph(p, out) }
            for t in section.tables.prefix(section.tablesFirst) { table(t, model, out, maxRows: PDFRenderer.bodyRows) }
            charts(section.charts, out)
            for t in section.tables.dropFirst(section.tablesFirst) { table(t, model, out, maxRows: PDFRenderer.bodyRows) }
        }
        out.bodyPages = out.pages.count
        out.fill[out.pages.count - 1] = (out.y - margin) / (bottom - margin)
        appendix(model, out)
        out.pages[0] = cover(model, out.sectionPages)
        footers(model, out)
        return out
    }

    func appendix(_ model: PackModel, _ out: Pages) {
        // The divider.
        var divider = Scene(size: size)
        divider.rect(Rect(x: 0, y: 0, width: size.width, height: 8), fill: theme.color(0))
        divider.text("Appendix", Point(margin * 2, size.height * 0.4), Font(size: 30, bold: true), theme.text)
        var y = size.height * 0.4 + 30
        for line in TextWrap.lines("The detail behind the board pages: every customer, every finding, the methods and the definitions. The same tables are in the pack's CSV files and workbook.",
                                   theme.subtitle, width: size.width - 4 * margin, measurer: m) {
            divider.text(line, Point(margin * 2, y), theme.subtitle, theme.muted)
            y += 15
        }
        out.pages.append(divider)
        out.sectionPages.append(("Appendix", out.pages.count))
        for section in model.sections {
            let detail = section.inAppendix ? section.tables : section.appendixTables
            let charts = section.inAppendix ? section.charts + section.appendixCharts : section.appendixCharts
            guard !detail.isEmpty || !charts.isEmpty else { continue }
            newPage(out)
            heading(section.inAppendix ? section.title : section.title + ": detail", section.inAppendix ? section.lead : "", out)
            if section.inAppendix { for p in section.paragraphs { paragraph(p, out) } }
            self.charts(charts, out)
            for t in detail { table(t, model, out) }
        }
        let notes = model.sections.flatMap(\.notes)
        if !notes.isEmpty {
            newPage(out)
            heading("How the numbers are made", "Methods and models behind the board pages.", out)
            for n in notes { paragraph(n, out) }
        }
    }

    func footers(_ model: PackModel, _ out: Pages) {
        let total = out.pages.count
        for i in out.pages.indices where i > 0 {
            out.pages[i].text("\(model.company) · accounts receivable · \(model.monthName)", Point(margin, size.height - margin + 6),
                              theme.small, theme.muted)
            out.pages[i].text("page \(i + 1) of \(total)", Point(size.width - margin, size.height - margin + 6), theme.small, theme.muted,
                              anchor: .end)
        }
    }

    /// The one-page summary (summary.pdf): the tiles, the findings and the comparisons, set
    /// smaller until they fit one A4 page whatever the data.
    public func renderSummary(_ model: PackModel) throws -> Data {
        var scale = 1.0
        var page = Scene(size: size)
        while true {
            let out = Pages()
            out.pages.append(Scene(size: size))
            out.y = margin
            let title = Font(size: 18 * scale, bold: true)
            out.y += title.size
            out.pages[0].text("\(model.company) · accounts receivable · \(model.monthName)", Point(margin, out.y), title, theme.text)
            out.y += 10
            tiles(model, out, scale: scale)
            let f = Font(size: 10.5 * scale)
            for p in model.findings {
                for (i, line) in TextWrap.lines(p, f, width: contentWidth - 16, measurer: m).enumerated() {
                    out.y += f.size * 1.35
                    if i == 0 { out.pages[0].circle(Point(margin + 4, out.y - f.size * 0.35), 2, fill: theme.color(0)) }
                    out.pages[0].text(line, Point(margin + 14, out.y), f, theme.text)
                }
                out.y += 3 * scale
            }
            if let t = model.sections.first(where: { $0.id == "summary" })?.tables.first {
                table(t, model, out, fontSize: 8.5 * scale)
            }
            if out.pages.count == 1 && out.y <= bottom || scale < 0.45 {
                page = out.pages[0]
                break
            }
            scale *= 0.92
        }
        page.text("Amounts in \(model.currency) · as of \(model.month.lastDay) · from \(model.ledgerName) · the full pack has the detail and the definitions",
                  Point(margin, size.height - margin + 6), theme.small, theme.muted)
        return try canvas.pdf([page], title: "\(model.company) · AR summary · \(model.monthName)")
    }

    /// Charts two to a row, each drawn for a 520-point-wide frame and set at the half page's
    /// width (type about 0.72 of its size: titles and labels keep their room), a last odd one
    /// and any Pareto (long customer names) across the page.
    func charts(_ list: [PackChart], _ out: Pages) {
        let gap = 14.0
        let half = (contentWidth - gap) / 2
        var k = 0
        while k < list.count {
            let wide = { (c: PackChart) in c.chart is ParetoChart }
            let pair = k + 1 < list.count && !wide(list[k]) && !wide(list[k + 1])
            if pair {
                let logical = Size(520, 290), scale = half / 520
                ensure(logical.height * scale + 8, out)
                for j in 0..<2 {
                    let scene = list[k + j].chart.scene(size: logical, measurer: m, theme: theme)
                    out.pages[out.pages.count - 1].place(scene, at: Point(margin + Double(j) * (half + gap), out.y), scale: scale)
                }
                out.y += logical.height * scale + 10
                k += 2
            } else {
                let h = 225.0
                ensure(h + 8, out)
                let scene = list[k].chart.scene(size: Size(contentWidth, h), measurer: m, theme: theme)
                out.pages[out.pages.count - 1].place(scene, at: Point(margin, out.y))
                out.y += h + 10
                k += 1
            }
        }
    }

    func newPage(_ out: Pages) {
        if !out.pages.isEmpty { out.fill[out.pages.count - 1] = (out.y - margin) / (bottom - margin) }
        out.pages.append(Scene(size: size))
        out.y = margin
    }

    func ensure(_ height: Double, _ out: Pages) {
        if out.y + height > bottom { newPage(out) }
    }

    /// The cover: the company, the month, and the contents with their pages.
    func cover(_ model: PackModel, _ entries: [(String, Int)]) -> Scene {
        var s = Scene(size: size)
        s.rect(Rect(x: 0, y: 0, width: size.width, height: 8), fill: theme.color(0))
        var y = size.height * 0.2
        s.text("ACCOUNTS RECEIVABLE · MONTHLY PACK", Point(margin * 2, y), theme.label, theme.muted)
        y += 40
        let title = Font(size: 34, bold: true)
        for line in wrapped(model.company, title, size.width / 2 - 3 * margin) {
            s.text(line, Point(margin * 2, y), title, theme.text)
            y += 38
        }
        s.text(model.monthName, Point(margin * 2, y), Font(size: 22), theme.text)
        y += 26
        for line in wrapped("Amounts in \(model.currency) · as of \(model.month.lastDay) · from \(model.ledgerName)", theme.subtitle, size.width / 2 - 3 * margin) {
            s.text(line, Point(margin * 2, y), theme.subtitle, theme.muted)
            y += 15
        }
        // The contents on the right half.
        let x = size.width / 2 + margin, right = size.width - 2 * margin
        var cy = size.height * 0.2
        s.text("Contents", Point(x, cy), Font(size: 16, bold: true), theme.text)
        cy += 26
        let f = Font(size: 11.5)
        for (i, (title, page)) in entries.enumerated() {
            let label = "\(i + 1). \(title)"
            s.text(label, Point(x, cy), f, theme.text)
            s.text(String(page), Point(right, cy), f, theme.muted, anchor: .end)
            s.line(Point(x + m.width(label, f) + 6, cy - 3), Point(right - 20, cy - 3), Scene.Stroke(theme.grid, width: 0.8, dash: [1, 3]))
            cy += 20
        }
        cy += 10
        for line in TextWrap.lines("Every figure is defined in the appendix. Charts, tables and the same data as CSV, JSON and XLSX are in this pack's folder; summary.pdf is the one-page summary.",
                                   theme.small, width: right - x, measurer: m) {
            s.text(line, Point(x, cy), theme.small, theme.muted)
            cy += 12
        }
        return s
    }

    func heading(_ title: String, _ lead: String, _ out: Pages) {
        out.y += 20
        out.pages[out.pages.count - 1].text(title, Point(margin, out.y), Font(size: 20, bold: true), theme.text)
        out.y += 8
        for line in TextWrap.lines(lead, theme.subtitle, width: contentWidth, measurer: m) {
            out.y += 15
            out.pages[out.pages.count - 1].text(line, Point(margin, out.y), theme.subtitle, theme.muted)
        }
        out.y += 14
    }

    func text(_ s: String, _ f: Font, _ c: Color, _ out: Pages) {
        ensure(f.size * 1.6, out)
        out.y += f.size * 1.2
        out.pages[out.pages.count - 1].text(s, Point(margin, out.y), f, c)
        out.y += f.size * 0.5
    }

    func paragraph(_ p: String, _ out: Pages) {
        let f = Font(size: 11)
        for line in TextWrap.lines(p, f, width: contentWidth, measurer: m) {
            ensure(15, out)
            out.y += 14
            out.pages[out.pages.count - 1].text(line, Point(margin, out.y), f, theme.text)
        }
        out.y += 8
    }

    func bullet(_ p: String, _ out: Pages) {
        let f = Font(size: 11)
        let lines = TextWrap.lines(p, f, width: contentWidth - 16, measurer: m)
        ensure(Double(lines.count) * 15 + 4, out)
        for (i, line) in lines.enumerated() {
            out.y += 15
            if i == 0 { out.pages[out.pages.count - 1].circle(Point(margin + 4, out.y - 4), 2, fill: theme.color(0)) }
            out.pages[out.pages.count - 1].text(line, Point(margin + 14, out.y), f, theme.text)
        }
        out.y += 5
    }

    /// The colours a tile's words carry: the same as the HTML pack's (style.css).
    static let good = Color(hex: 0x007A5A), bad = Color(hex: 0xC2410C), watch = Color(hex: 0xA16207)

    /// The headline tiles, five to a row, drawn from the same words as the HTML tiles: the value,
    /// the change on last month and on the same month last year (green the good way, orange the
    /// bad way, grey when unchanged), the status against the target, and the trend.
    func tiles(_ model: PackModel, _ out: Pages, scale: Double = 1) {
        let perRow = 5
        let gap = 10.0
        let w = (contentWidth - gap * Double(perRow - 1)) / Double(perRow)
        let h = 96.0 * scale
        let label = Font(size: 8.5 * scale, bold: true), big = Font(size: 19 * scale, bold: true), small = Font(size: 8.5 * scale)
        func color(_ good: Bool?) -> Color { good.map { $0 ? PDFRenderer.good : PDFRenderer.bad } ?? theme.muted }
        let yearLabel = PackBuilder.monthLabel(model.month.advanced(by: -12))
        for (i, t) in model.tiles.enumerated() {
            if i % perRow == 0 {
                if i > 0 { out.y += h + gap }
                ensure(h, out)
            }
            let x = margin + Double(i % perRow) * (w + gap)
            var page = out.pages[out.pages.count - 1]
            page.rect(Rect(x: x + 0.5, y: out.y + 0.5, width: w - 1, height: h - 1), fill: .white, stroke: Scene.Stroke(theme.grid, width: 1))
            var y = out.y + 8 * scale + label.size
            for line in wrapped(t.label.uppercased(), label, w - 16).prefix(2) {
                page.text(line, Point(x + 8, y), label, theme.muted)
                y += label.size * 1.15
            }
            y += big.size * 0.85
            page.text(t.value, Point(x + 8, y), big, theme.text)
            y += small.size * 1.5
            page.text("\(t.change ?? "n/a") vs last month", Point(x + 8, y), small, color(t.changeGood))
            y += small.size * 1.3
            page.text("\(t.yearChange ?? "n/a") vs \(yearLabel)", Point(x + 8, y), small, color(t.yearChangeGood))
            y += small.size * 1.3
            if let status = t.status {
                let c = status == .onTarget ? PDFRenderer.good : status == .watch ? PDFRenderer.watch : PDFRenderer.bad
                page.text(status.rawValue + (t.target.map { " · target \($0)" } ?? ""), Point(x + 8, y), small, c)
            }
            // The trend beside the value, clear of the words under it.
            let valueRight = x + 8 + m.width(t.value, big) + 8
            let sparkX = max(valueRight, x + w * 0.55)
            if x + w - 8 - sparkX > 24 {
                let spark = Sparkline(t.tile.history).scene(size: Size(x + w - 8 - sparkX, 24 * scale), measurer: m, theme: theme)
                page.place(spark, at: Point(sparkX, out.y + 8 * scale + label.size * 1.6))
            }
            out.pages[out.pages.count - 1] = page
        }
        out.y += h + 12
    }

    func chart(_ c: PackChart, _ out: Pages) {
        let scale = min(contentWidth / c.size.width, (bottom - margin - 60) / c.size.height)
        let h = c.size.height * scale
        ensure(h + 8, out)
        let scene = c.chart.scene(size: c.size, measurer: m, theme: theme)
        out.pages[out.pages.count - 1].place(scene, at: Point(margin + (contentWidth - c.size.width * scale) / 2, out.y), scale: scale)
        out.y += h + 12
    }

    /// Lines of `text` no wider than `width`: wrapped at spaces, and a word wider than the
    /// column broken between characters, so nothing is ever cut or elided.
    func wrapped(_ text: String, _ f: Font, _ width: Double) -> [String] {
        var out: [String] = []
        for line in TextWrap.lines(text, f, width: max(width, 4), measurer: m) where !line.isEmpty {
            out.append(contentsOf: breakWord(line, f, width))
        }
        // The wrapper elides a word wider than the line: redo those from the source words.
        if out.contains(where: { $0.contains("…") }) && !text.contains("…") {
            out = []
            var current = ""
            for word in text.split(separator: " ").map(String.init) {
                let candidate = current.isEmpty ? word : current + " " + word
                if m.width(candidate, f) <= width { current = candidate; continue }
                if !current.isEmpty { out.append(current) }
                let pieces = breakWord(word, f, width)
                out.append(contentsOf: pieces.dropLast())
                current = pieces.last ?? ""
            }
            if !current.isEmpty { out.append(current) }
        }
        return out.isEmpty ? [""] : out
    }

    func breakWord(_ word: String, _ f: Font, _ width: Double) -> [String] {
        if m.width(word, f) <= width || word.count <= 1 { return [word] }
        var out: [String] = [], current = ""
        for ch in word {
            if !current.isEmpty && m.width(current + String(ch), f) > width { out.append(current); current = "" }
            current.append(ch)
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// A table over as many pages as it needs, its header repeated on each. Columns are as wide
    /// as their widest value; when the numbers do not fit the page at the normal size the whole
    /// table is set smaller; text wraps within its column and headers wrap over lines, so no
    /// value is ever cut.
    func table(_ t: ReportTable, _ model: PackModel, _ out: Pages, maxRows: Int = PDFRenderer.maxRows, fontSize: Double = 8.5) {
        let rows = Array(t.rows.prefix(maxRows))
        var size = fontSize
        var widths: [Double] = []
        while true {
            let f = Font(size: size), fb = Font(size: size, bold: true)
            // Numbers at their widest (totals are drawn bold, and bold is wider); headers may
            // wrap at spaces, so a column needs at least its longest header word.
            widths = t.columns.map { col in
                (col.name.split(separator: " ").map { m.width(String($0), fb) }.max() ?? 0) + 12
            }
            var full = t.columns.map { m.width($0.name, fb) + 12 }
            for (i, row) in rows.enumerated() {
                let font = t.emphasized.contains(i) ? fb : f
                for (k, cell) in row.enumerated() where k < widths.count {
                    let w = m.width(t.display(cell, t.columns[k], currency: model.currency), font) + 12
                    full[k] = max(full[k], w)
                    if t.columns[k].isNumeric { widths[k] = max(widths[k], w) }
                }
            }
            let numeric = widths.indices.filter { t.columns[$0].isNumeric }.reduce(0) { $0 + widths[$1] }
            let textCols = widths.indices.filter { !t.columns[$0].isNumeric }
            let textMin = textCols.reduce(0.0) { $0 + max(widths[$1], 48) }
            if numeric + textMin > contentWidth && size > 4 { size -= 0.5; continue }
            // Text columns share what is left, in proportion to their natural width.
            let room = contentWidth - numeric
            let natural = textCols.reduce(0.0) { $0 + min(full[$1], contentWidth * 0.6) }
            for k in textCols {
                let want = min(full[k], contentWidth * 0.6)
                widths[k] = natural <= room ? want : max(max(widths[k], 48), want / natural * room)
            }
            // Numeric headers may take more room than their values when there is some to spare.
            var spare = contentWidth - widths.reduce(0, +)
            for k in widths.indices where t.columns[k].isNumeric && full[k] > widths[k] && spare > 0 {
                let extra = min(full[k] - widths[k], spare)
                widths[k] += extra
                spare -= extra
            }
            break
        }
        let f = Font(size: size), fb = Font(size: size, bold: true)
        let lineH = size * 1.24
        let rowH = lineH + 2.5
        let x0 = [margin] + widths.indices.map { k in margin + widths[0...k].reduce(0, +) }
        let headerLines = zip(t.columns, widths).map { col, w in wrapped(col.name, fb, w - 8) }
        let headerH = Double(headerLines.map(\.count).max() ?? 1) * lineH + 3
        func header(_ continued: Bool) {
            // A title, the header and a few rows together, or a new page.
            ensure(headerH + rowH * Double(min(rows.count, 6) + 2), out)
            out.y += 14
            out.pages[out.pages.count - 1].text(t.title + (continued ? " (continued)" : ""), Point(margin, out.y), Font(size: 11, bold: true), theme.text)
            out.y += 6
            for (k, col) in t.columns.enumerated() {
                let x = col.isNumeric ? x0[k + 1] - 6 : x0[k] + 4
                for (j, line) in headerLines[k].enumerated() {
                    out.pages[out.pages.count - 1].text(line, Point(x, out.y + lineH * Double(j + 1) - 1), fb, theme.text,
                                                        anchor: col.isNumeric ? .end : .start)
                }
            }
            out.y += headerH
            out.pages[out.pages.count - 1].line(Point(margin, out.y), Point(x0.last!, out.y), Scene.Stroke(theme.text, width: 0.8))
        }
        header(false)
        for (i, row) in rows.enumerated() {
            let bold = t.emphasized.contains(i)
            let font = bold ? fb : f
            // Long text wraps within its column; numbers stay on one line at full width.
            let cells: [[String]] = row.enumerated().filter { $0.offset < t.columns.count }.map { k, cell in
                let col = t.columns[k]
                let s = t.display(cell, col, currency: model.currency)
                if col.isNumeric || m.width(s, font) <= widths[k] - 8 { return [s] }
                return wrapped(s, font, widths[k] - 8)
            }
            let height = max(rowH, Double(cells.map(\.count).max() ?? 1) * lineH + 2.5)
            if out.y + height > bottom {
                newPage(out)
                header(true)
            }
            for (k, lines) in cells.enumerated() {
                let col = t.columns[k]
                let x = col.isNumeric ? x0[k + 1] - 6 : x0[k] + 4
                for (j, line) in lines.enumerated() {
                    out.pages[out.pages.count - 1].text(line, Point(x, out.y + lineH - 1 + Double(j) * lineH), font, theme.text,
                                                        anchor: col.isNumeric ? .end : .start)
                }
            }
            out.y += height
            out.pages[out.pages.count - 1].line(Point(margin, out.y), Point(x0.last!, out.y), Scene.Stroke(theme.grid, width: 0.5))
        }
        if t.rows.count > rows.count || t.note != nil {
            var note = t.note ?? ""
            if t.rows.count > rows.count { note = "The first \(rows.count) of \(t.rows.count) rows; csv/\(t.id).csv has them all. " + note }
            for line in wrapped(note, theme.small, contentWidth) {
                ensure(12, out)
                out.y += 11
                out.pages[out.pages.count - 1].text(line, Point(margin, out.y), theme.small, theme.muted)
            }
        }
        out.y += 10
    }

    /// Rows of a table drawn in the PDF's appendix (the CSV has them all), and on a board page.
    public static let maxRows = 400
    public static let bodyRows = 25
}

extension Font {
    func withSize(_ s: Double) -> Font { Font(size: s, bold: bold) }
}
