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
    }

    var contentWidth: Double { size.width - 2 * margin }
    var bottom: Double { size.height - margin - 18 }

    public func render(_ model: PackModel) throws -> Data {
        let out = Pages()
        // Cover and contents (filled in once the sections are laid out).
        out.pages.append(cover(model))
        out.pages.append(Scene(size: size))
        for section in model.sections {
            newPage(out)
            out.sectionPages.append((section.title, out.pages.count))
            heading(section.title, section.lead, out)
            if section.id == "summary" {
                tiles(model, out)
                out.y += 8
                text("What the month says", theme.title.withSize(13), theme.text, out)
                for p in section.paragraphs { bullet(p, out) }
                for t in section.tables { table(t, model, out) }
                continue
            }
            for p in section.paragraphs { paragraph(p, out) }
            for c in section.charts { chart(c, out) }
            for t in section.tables { table(t, model, out) }
        }
        out.pages[1] = contents(model, out.sectionPages)
        // Footers with page numbers.
        let total = out.pages.count
        for i in out.pages.indices where i > 0 {
            out.pages[i].text("\(model.company) · accounts receivable · \(model.monthName)", Point(margin, size.height - margin + 6),
                              theme.small, theme.muted)
            out.pages[i].text("page \(i + 1) of \(total)", Point(size.width - margin, size.height - margin + 6), theme.small, theme.muted,
                              anchor: .end)
        }
        return try canvas.pdf(out.pages, title: "\(model.company) · AR pack · \(model.monthName)")
    }

    func newPage(_ out: Pages) {
        out.pages.append(Scene(size: size))
        out.y = margin
    }

    func ensure(_ height: Double, _ out: Pages) {
        if out.y + height > bottom { newPage(out) }
    }

    func cover(_ model: PackModel) -> Scene {
        var s = Scene(size: size)
        s.rect(Rect(x: 0, y: 0, width: size.width, height: 8), fill: theme.color(0))
        var y = size.height * 0.34
        s.text("ACCOUNTS RECEIVABLE · MONTHLY PACK", Point(margin * 2, y), theme.label, theme.muted)
        y += 40
        let title = Font(size: 34, bold: true)
        s.text(m.fit(model.company, title, size.width - 4 * margin), Point(margin * 2, y), title, theme.text)
        y += 34
        s.text(model.monthName, Point(margin * 2, y), Font(size: 22), theme.text)
        y += 26
        s.text("Amounts in \(model.currency) · as of \(model.month.lastDay) · from \(model.ledgerName)", Point(margin * 2, y), theme.subtitle, theme.muted)
        return s
    }

    func contents(_ model: PackModel, _ entries: [(String, Int)]) -> Scene {
        var s = Scene(size: size)
        var y = margin + 24
        s.text("Contents", Point(margin, y), Font(size: 20, bold: true), theme.text)
        y += 30
        for (i, (title, page)) in entries.enumerated() {
            s.text("\(i + 1). \(title)", Point(margin, y), Font(size: 12), theme.text)
            s.text(String(page), Point(margin + 420, y), Font(size: 12), theme.muted, anchor: .end)
            s.line(Point(margin + 4 + m.width("\(i + 1). \(title)", Font(size: 12)) + 6, y - 3), Point(margin + 420 - 24, y - 3),
                   Scene.Stroke(theme.grid, width: 0.8, dash: [1, 3]))
            y += 22
        }
        y += 12
        for line in TextWrap.lines("Every figure is defined in the appendix. Charts, tables and the same data as CSV, JSON and XLSX are in this pack's folder.",
                                   theme.subtitle, width: 420, measurer: m) {
            s.text(line, Point(margin, y), theme.subtitle, theme.muted)
            y += 15
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

    func tiles(_ model: PackModel, _ out: Pages) {
        let perRow = 5
        let gap = 10.0
        let w = (contentWidth - gap * Double(perRow - 1)) / Double(perRow)
        let h = w * 0.62
        for (i, t) in model.tiles.enumerated() {
            if i % perRow == 0 {
                if i > 0 { out.y += h + gap }
                ensure(h, out)
            }
            let x = margin + Double(i % perRow) * (w + gap)
            let scene = t.tile.scene(size: Size(240, 150), measurer: m, theme: theme)
            out.pages[out.pages.count - 1].place(scene, at: Point(x, out.y), scale: w / 240)
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

    /// A table over as many pages as it needs, its header repeated on each.
    func table(_ t: ReportTable, _ model: PackModel, _ out: Pages) {
        let f = Font(size: 8.5), fb = Font(size: 8.5, bold: true)
        let rowH = 13.0
        let rows = Array(t.rows.prefix(PDFRenderer.maxRows))
        // Column widths from the widest text, shrunk to the page by cutting text columns.
        var widths = t.columns.map { m.width($0.name, fb) + 12 }
        for (i, row) in rows.enumerated() {
            // Totals are drawn bold, and bold is wider: measure them as drawn, so no number is cut.
            let font = t.emphasized.contains(i) ? fb : f
            for (k, cell) in row.enumerated() where k < widths.count {
                widths[k] = max(widths[k], m.width(t.display(cell, t.columns[k], currency: model.currency), font) + 12)
            }
        }
        for k in widths.indices where !t.columns[k].isNumeric { widths[k] = min(widths[k], contentWidth * 0.6) }
        let total = widths.reduce(0, +)
        if total > contentWidth {
            let numeric = zip(widths, t.columns).filter { $0.1.isNumeric }.map(\.0).reduce(0, +)
            let textRoom = max(contentWidth - numeric, 60)
            let textTotal = total - numeric
            for k in widths.indices where !t.columns[k].isNumeric { widths[k] = widths[k] / textTotal * textRoom }
        }
        let x0 = [margin] + widths.indices.map { k in margin + widths[0...k].reduce(0, +) }
        func header(_ continued: Bool) {
            // A title, the header and a few rows together, or a new page.
            ensure(rowH * Double(min(rows.count, 6) + 3), out)
            out.y += 14
            out.pages[out.pages.count - 1].text(t.title + (continued ? " (continued)" : ""), Point(margin, out.y), Font(size: 11, bold: true), theme.text)
            out.y += 8
            for (k, col) in t.columns.enumerated() {
                let x = col.isNumeric ? x0[k + 1] - 6 : x0[k] + 4
                out.pages[out.pages.count - 1].text(m.fit(col.name, fb, widths[k] - 8), Point(x, out.y + 9), fb, theme.text,
                                                    anchor: col.isNumeric ? .end : .start)
            }
            out.y += rowH
            out.pages[out.pages.count - 1].line(Point(margin, out.y), Point(x0.last!, out.y), Scene.Stroke(theme.text, width: 0.8))
        }
        header(false)
        for (i, row) in rows.enumerated() {
            let bold = t.emphasized.contains(i)
            let font = bold ? fb : f
            // Long text wraps within its column (up to six lines); numbers stay on one line.
            let cells: [[String]] = row.enumerated().filter { $0.offset < t.columns.count }.map { k, cell in
                let col = t.columns[k]
                let s = t.display(cell, col, currency: model.currency)
                if col.isNumeric || m.width(s, font) <= widths[k] - 8 { return [m.fit(s, font, widths[k] - 8)] }
                return TextWrap.lines(s, font, width: widths[k] - 8, measurer: m, maxLines: 6)
            }
            let lineH = 10.5
            let height = max(rowH, Double(cells.map(\.count).max() ?? 1) * lineH + 2.5)
            if out.y + height > bottom {
                newPage(out)
                header(true)
            }
            for (k, lines) in cells.enumerated() {
                let col = t.columns[k]
                let x = col.isNumeric ? x0[k + 1] - 6 : x0[k] + 4
                for (j, line) in lines.enumerated() {
                    out.pages[out.pages.count - 1].text(line, Point(x, out.y + 9.5 + Double(j) * lineH), font, theme.text,
                                                        anchor: col.isNumeric ? .end : .start)
                }
            }
            out.y += height
            out.pages[out.pages.count - 1].line(Point(margin, out.y), Point(x0.last!, out.y), Scene.Stroke(theme.grid, width: 0.5))
        }
        if t.rows.count > rows.count || t.note != nil {
            var note = t.note ?? ""
            if t.rows.count > rows.count { note = "The first \(rows.count) of \(t.rows.count) rows; csv/\(t.id).csv has them all. " + note }
            ensure(14, out)
            out.y += 12
            out.pages[out.pages.count - 1].text(m.fit(note, theme.small, contentWidth), Point(margin, out.y), theme.small, theme.muted)
        }
        out.y += 10
    }

    /// Rows of a table drawn in the PDF (the CSV has them all).
    public static let maxRows = 120
}

extension Font {
    func withSize(_ s: Double) -> Font { Font(size: s, bold: bold) }
}
