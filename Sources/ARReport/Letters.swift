import ARModel
import ChartKit
import Foundation
import Mustache

/// A letter to a customer (a dunning notice or a payment-plan proposal), independent of
/// format: the HTML and the PDF are drawn from this one value. The wording comes from the
/// Mustache templates of `report-templates/notices/`; amounts arrive formatted.
public struct Letter: Sendable {
    public struct Column: Sendable {
        public let name: String
        public let numeric: Bool
        public init(_ name: String, numeric: Bool = false) { self.name = name; self.numeric = numeric }
    }
    public var company: String
    public var senderLines: [String]
    public var recipient: String
    public var recipientLines: [String]
    public var date: Day
    public var reference: String
    /// The template used for the wording: the dunning action or `plan`.
    public var level: String
    public var subject = ""
    public var paragraphs: [String] = []
    /// Paragraphs before the table: all but the last (the salutation and the facts); the last
    /// (what happens next) follows the table.
    public var split: Int { max(0, paragraphs.count - 1) }
    public var columns: [Column]
    public var rows: [[String]]
    public var totals: [(label: String, amount: String)]
    public var payment: [String]
    public var signature: String
    /// What the letter asks the customer to pay (formatted) and its currency code, for the
    /// mail-merge index.
    public var amountDue = ""
    public var currency = ""
    /// Small print under the totals: the rules late charges follow, conversions.
    public var notes: [String] = []
    /// A small table under the totals (a statement's aged balance): title, column heads and
    /// one row of amounts.
    public var summaryTitle = ""
    public var summaryColumns: [String] = []
    public var summaryRows: [[String]] = []
    /// The one row of a one-row summary.
    public var summaryRow: [String] {
        get { summaryRows.first ?? [] }
        set { summaryRows = [newValue] }
    }
    /// A signature block for the customer (plans): their name, signature and date lines.
    public var customerSignature = false
    /// The language it is written in (en, fr, ...) and the translations of the words the PDF
    /// layout draws ("How to pay", "Yours sincerely,", ...).
    public var language = "en"
    public var labels: [String: String] = [:]
    func t(_ s: String) -> String { labels[s] ?? s }

    public init(company: String, senderLines: [String], recipient: String, recipientLines: [String], date: Day, reference: String,
                level: String, columns: [Column], rows: [[String]], totals: [(label: String, amount: String)], payment: [String], signature: String) {
        self.company = company; self.senderLines = senderLines; self.recipient = recipient; self.recipientLines = recipientLines
        self.date = date; self.reference = reference; self.level = level; self.columns = columns; self.rows = rows
        self.totals = totals; self.payment = payment; self.signature = signature
    }
}

/// The notice templates: `letter.mustache` lays a letter out in HTML; one text template per
/// level (`reminder.mustache`, `final_demand.mustache`, ..., `plan.mustache`, and
/// `default.mustache` for any other action) holds the wording: a `Subject:` line, then
/// paragraphs separated by blank lines. Wording templates are text (no HTML escaping); the
/// HTML layout escapes everything it prints.
///
/// The folder's own templates are English; a subfolder named by a language code (`fr/`,
/// `de/`) holds the same set in that language, with `labels.txt` translating the words the
/// layout and the tables use (`English = translation`, one a line).
public struct LetterTemplates {
    struct Set1 {
        let library: MustacheLibrary
        let names: Set<String>
        var labels: [String: String]
    }
    let sets: [String: Set1]

    public init(directory: String) throws {
        var sets: [String: Set1] = ["en": try LetterTemplates.load(directory, required: true)]
        let subs = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted().filter { name in
            var dir: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &dir) && dir.boolValue && !name.hasPrefix(".")
        }
        for lang in subs { sets[lang.lowercased()] = try LetterTemplates.load(directory + "/" + lang, required: true) }
        self.sets = sets
    }

    static func load(_ directory: String, required: Bool) throws -> Set1 {
        var lib = MustacheLibrary()
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory).filter({ $0.hasSuffix(".mustache") }).sorted() else {
            throw PackError.templates("\(directory): no such folder of letter templates")
        }
        for name in ["letter", "default"] where !files.contains(name + ".mustache") {
            throw PackError.templates("\(directory) has no \(name).mustache")
        }
        for f in files {
            let text = try String(contentsOfFile: directory + "/" + f, encoding: .utf8)
            do { try lib.register(text, named: String(f.dropLast(".mustache".count))) } catch {
                throw PackError.templates("\(directory)/\(f): \(error)")
            }
        }
        var labels: [String: String] = [:]
        if let text = try? String(contentsOfFile: directory + "/labels.txt", encoding: .utf8) {
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let parts = line.components(separatedBy: " = ")
                guard parts.count == 2 else { continue }
                labels[parts[0].trimmingCharacters(in: .whitespaces)] = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return Set1(library: lib, names: Set(files.map { String($0.dropLast(".mustache".count)) }), labels: labels)
    }

    /// The languages there are templates for.
    public var languages: [String] { sets.keys.sorted() }

    /// The language of letters to customer `c`: its `language` in customers.csv, else
    /// `notices.languages` for its id, then its country; English when there are no templates
    /// in that language.
    public func language(_ l: Ledger, customer c: Int, configuration: Configuration) -> String {
        let cu = l.customers
        let column = cu.language.indices.contains(c) ? cu.symbol(cu.language[c]) : nil
        let code = column ?? configuration.notices.languages[cu.ids[Int32(c)]] ?? configuration.notices.languages[cu.country.indices.contains(c) ? cu.country[c] : ""]
        guard let code else { return "en" }
        let base = String(code.lowercased().prefix { $0 != "-" && $0 != "_" })
        return sets[code.lowercased()] != nil ? code.lowercased() : sets[base] != nil ? base : "en"
    }

    /// `text` in `language` (the English when the language has no translation for it).
    public func label(_ text: String, _ language: String) -> String { sets[language]?.labels[text] ?? text }

    /// A label with `{x}` replaced.
    public func label(_ text: String, _ language: String, _ x: String) -> String {
        label(text, language).replacingOccurrences(of: "{x}", with: x)
    }

    /// Fills the letter's subject and paragraphs from the level's wording template in the
    /// letter's language.
    public func word(_ letter: inout Letter, values: [String: Any]) {
        let set = sets[letter.language] ?? sets["en"]!
        let name = set.names.contains(letter.level) && letter.level != "letter" ? letter.level : "default"
        let text = set.library.render(values, withTemplate: name) ?? ""
        var blocks = text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n\n")
            .map { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ") }
            .filter { !$0.isEmpty }
        if let first = blocks.first, first.hasPrefix("Subject:") {
            letter.subject = first.dropFirst("Subject:".count).trimmingCharacters(in: .whitespaces)
            blocks.removeFirst()
        }
        letter.paragraphs = blocks
        letter.labels = set.labels
    }

    public func html(_ l: Letter) -> String {
        let loc = LetterLocale(l.language)
        let values: [String: Any] = [
            "company": l.company, "sender": l.senderLines, "recipient": l.recipient, "recipient_lines": l.recipientLines,
            "date": loc.longDate(l.date), "reference": l.reference, "level": l.level, "subject": l.subject,
            "intro": Array(l.paragraphs.prefix(l.split)), "outro": Array(l.paragraphs.dropFirst(l.split)),
            "columns": l.columns.map { ["name": $0.name, "numeric": $0.numeric] as [String: Any] },
            "rows": l.rows.map { r in zip(r, l.columns).map { ["value": $0.0, "numeric": $0.1.numeric] as [String: Any] } },
            "totals": l.totals.map { ["label": $0.label, "amount": $0.amount] },
            "payment": l.payment, "signature": l.signature, "notes": l.notes,
            "has_summary": !l.summaryColumns.isEmpty, "summary_title": l.summaryTitle, "summary_columns": l.summaryColumns,
            "summary_row": l.summaryRow, "summary_rows": l.summaryRows.map { r in r.map { ["value": $0] } }, "customer_signature": l.customerSignature,
            "recipient_name": l.recipient, "language": l.language,
            "has_table": !l.columns.isEmpty, "has_payment": !l.payment.isEmpty,
        ]
        let set = sets[l.language] ?? sets["en"]!
        return set.library.render(values, withTemplate: "letter") ?? ""
    }
}

public enum Letters {
    /// A table cell's text in lines no wider than `width`: by words, and a word too long for
    /// the column by characters, so nothing is ever cut off.
    public static func wrapCell(_ text: String, _ font: Font, width: Double, measurer: any TextMeasuring) -> [String] {
        guard measurer.width(text, font) > width else { return [text] }
        var lines: [String] = [], current = ""
        func push(_ word: String) {
            var w = word
            while measurer.width(w, font) > width && w.count > 1 {
                var k = w.count - 1
                while k > 1 && measurer.width(String(w.prefix(k)), font) > width { k -= 1 }
                lines.append(String(w.prefix(k)))
                w = String(w.dropFirst(k))
            }
            current = w
        }
        for word in text.split(separator: " ").map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if measurer.width(candidate, font) <= width { current = candidate; continue }
            if !current.isEmpty { lines.append(current); current = "" }
            push(word)
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    public static func longDate(_ d: Day) -> String {
        let c = d.components
        return "\(c.day) \(months[c.month - 1]) \(c.year)"
    }

    /// Letters as portrait A4 PDF pages (a long table continues on the next page).
    public static func pdf(_ letters: [Letter], measurer: any TextMeasuring, canvas: any Canvas, title: String) throws -> Data {
        let size = Size(595.28, 841.89), margin = 56.0, width = size.width - 2 * margin
        let theme = Theme.standard
        let body = Font(size: 10.5), bold = Font(size: 10.5, bold: true), small = Font(size: 8.5)
        var pages: [Scene] = []
        for l in letters {
            var s = Scene(size: size)
            var y = margin
            func newPage() {
                pages.append(s)
                s = Scene(size: size)
                y = margin
                s.text("\(l.company) · \(l.recipient) · \(l.reference) (\(l.t("continued")))", Point(margin, y), small, theme.muted)
                y += 24
            }
            func ensure(_ h: Double) { if y + h > size.height - margin { newPage() } }
            // Letterhead: company and sender lines on the right, a rule below.
            // When the lines would run into the name they go under it instead.
            let head = Font(size: 18, bold: true)
            s.text(l.company, Point(margin, y + 4), head, theme.text)
            let side = measurer.width(l.company, head) + 24 + (l.senderLines.map { measurer.width($0, small) }.max() ?? 0) <= width
            var ry = side ? y - 4 : y + 20
            for line in l.senderLines {
                s.text(line, Point(side ? size.width - margin : margin, ry), small, theme.muted, anchor: side ? .end : .start); ry += 11
            }
            y = max(y + 16, ry) + 6
            s.line(Point(margin, y), Point(size.width - margin, y), Scene.Stroke(theme.grid, width: 1))
            y += 28
            // Recipient, date and reference.
            s.text(l.recipient, Point(margin, y), bold, theme.text)
            s.text(LetterLocale(l.language).longDate(l.date), Point(size.width - margin, y), body, theme.text, anchor: .end)
            for line in l.recipientLines { y += 14; s.text(line, Point(margin, y), body, theme.text) }
            y += 14
            s.text("\(l.t("Account")) \(l.reference)", Point(size.width - margin, y), body, theme.muted, anchor: .end)
            y += 30
            for line in TextWrap.lines(l.subject, Font(size: 13, bold: true), width: width, measurer: measurer) {
                s.text(line, Point(margin, y), Font(size: 13, bold: true), theme.text); y += 18
            }
            y += 6
            func paragraph(_ p: String) {
                for line in TextWrap.lines(p, body, width: width, measurer: measurer) {
                    ensure(15); s.text(line, Point(margin, y), body, theme.text); y += 14.5
                }
                y += 8
            }
            let split = l.split
            for p in l.paragraphs.prefix(split) { paragraph(p) }
            // The table: widths from the content, numbers right-aligned.
            if !l.columns.isEmpty {
                // Wide tables (statements) in a smaller type.
                let body = l.columns.count >= 6 ? Font(size: 8.5) : body
                let gap = 12.0
                var widths = l.columns.map { measurer.width($0.name, Font(size: 8.5, bold: true)) }
                for r in l.rows { for (k, v) in r.enumerated() where k < widths.count { widths[k] = max(widths[k], measurer.width(v, body)) } }
                var total = widths.reduce(0, +) + gap * Double(widths.count - 1)
                // Too wide: narrow the widest text columns (their text wraps; numbers are never narrowed).
                while total > width + 0.5, let k = widths.indices.filter({ !l.columns[$0].numeric && widths[$0] > 60 }).max(by: { widths[$0] < widths[$1] }) {
                    let cut = min(total - width, widths[k] - 60)
                    widths[k] -= cut
                    total -= cut
                }
                if total < width, let first = l.columns.firstIndex(where: { !$0.numeric }) { widths[first] += width - total }
                func xs() -> [Double] { var x = margin; return widths.map { w in defer { x += w + gap }; return x } }
                func header() {
                    ensure(40)
                    for (k, c) in l.columns.enumerated() {
                        let x = xs()[k]
                        s.text(c.name, Point(c.numeric ? x + widths[k] : x, y), Font(size: 8.5, bold: true), theme.muted, anchor: c.numeric ? .end : .start)
                    }
                    y += 5
                    s.line(Point(margin, y), Point(size.width - margin, y), Scene.Stroke(theme.axis, width: 0.8))
                    y += 14
                }
                header()
                let lead = body.size + 2
                for r in l.rows {
                    let cells = r.enumerated().filter { $0.offset < l.columns.count }.map { k, v in
                        l.columns[k].numeric ? [v] : Letters.wrapCell(v, body, width: widths[k], measurer: measurer)
                    }
                    let extra = Double((cells.map(\.count).max() ?? 1) - 1) * lead
                    if y + 14 + extra > size.height - margin { newPage(); header() }
                    for (k, lines) in cells.enumerated() {
                        let x = xs()[k]
                        for (j, v) in lines.enumerated() {
                            s.text(v, Point(l.columns[k].numeric ? x + widths[k] : x, y + Double(j) * lead), body, theme.text, anchor: l.columns[k].numeric ? .end : .start)
                        }
                    }
                    y += 14 + extra
                }
                y -= 8
                s.line(Point(margin, y), Point(size.width - margin, y), Scene.Stroke(theme.grid, width: 0.8))
                y += 16
                for t in l.totals {
                    ensure(15)
                    s.text(t.label, Point(size.width - margin - 130, y), bold, theme.text, anchor: .end)
                    s.text(t.amount, Point(size.width - margin, y), bold, theme.text, anchor: .end)
                    y += 15
                }
                y += 6
                if !l.summaryColumns.isEmpty {
                    // A small table: one column per head, amounts right-aligned in equal widths.
                    ensure(48)
                    s.text(l.summaryTitle, Point(margin, y), bold, theme.text); y += 15
                    let n = Double(l.summaryColumns.count)
                    let step = min(width / n, n <= 4 ? 110 : 84)
                    let head = Font(size: 8, bold: true)
                    // Heads wrap within their column; an amount too wide for it is set smaller, never cut.
                    let heads = l.summaryColumns.map { Letters.wrapCell($0, head, width: step - 6, measurer: measurer) }
                    let rows = heads.map(\.count).max() ?? 1
                    // A first column of words (invoice numbers) reads from the left.
                    let leftFirst = l.summaryRows.first?.first.map { $0.contains { $0.isLetter } } ?? false
                    func cx(_ k: Int) -> Double { k == 0 && leftFirst ? margin : margin + step * Double(k + 1) - 3 }
                    func anchor(_ k: Int) -> TextAnchor { k == 0 && leftFirst ? .start : .end }
                    for (k, lines) in heads.enumerated() {
                        for (j, t) in lines.enumerated() {
                            s.text(t, Point(cx(k), y + Double(rows - lines.count + j) * 10), head, theme.muted, anchor: anchor(k))
                        }
                    }
                    y += Double(rows - 1) * 10 + 5
                    s.line(Point(margin, y), Point(margin + step * n, y), Scene.Stroke(theme.axis, width: 0.8))
                    y += 13
                    for row in l.summaryRows {
                        ensure(14)
                        for (k, v) in row.enumerated() {
                            var f = Font(size: 9)
                            while measurer.width(v, f) > step - 6 && f.size > 5 { f = Font(size: f.size - 0.5) }
                            s.text(v, Point(cx(k), y), f, theme.text, anchor: anchor(k))
                        }
                        y += 13
                    }
                    y += 5
                }
                for n in l.notes {
                    for w in TextWrap.lines(n, small, width: width, measurer: measurer) { ensure(12); s.text(w, Point(margin, y), small, theme.muted); y += 11 }
                    y += 3
                }
                y += 6
            }
            for p in l.paragraphs.dropFirst(split) { paragraph(p) }
            if !l.payment.isEmpty {
                ensure(20 + 14 * Double(l.payment.count))
                s.text(l.t("How to pay"), Point(margin, y), bold, theme.text); y += 15
                for line in l.payment {
                    for w in TextWrap.lines(line, body, width: width, measurer: measurer) { ensure(15); s.text(w, Point(margin, y), body, theme.text); y += 14 }
                }
                y += 14
            }
            ensure(50)
            s.text(l.t("Yours sincerely,"), Point(margin, y), body, theme.text); y += 34
            s.text(l.signature, Point(margin, y), bold, theme.text)
            if l.customerSignature {
                // The customer's acceptance: signature, name and date lines.
                y += 26
                ensure(96)
                s.line(Point(margin, y - 12), Point(size.width - margin, y - 12), Scene.Stroke(theme.grid, width: 0.8))
                s.text("\(l.t("Accepted for")) \(l.recipient)", Point(margin, y + 4), bold, theme.text); y += 30
                for label in ["Signature", "Name and position", "Date"].map(l.t) {
                    s.line(Point(margin + 110, y), Point(margin + 340, y), Scene.Stroke(theme.axis, width: 0.8))
                    s.text(label, Point(margin, y), body, theme.text)
                    y += 24
                }
            }
            pages.append(s)
        }
        // Page numbers within each letter are not needed for one- or two-page letters; the
        // continued-page header names the letter instead.
        return try canvas.pdf(pages, title: title)
    }
}
