import ARModel
import AROutput
import Foundation
import Mustache

/// The pack as one self-contained HTML file, through the Mustache templates of
/// `report-templates/pack/` (a layout, one partial per section, a table partial, a
/// stylesheet): a company restyles or reorders its pack without recompiling. Values are
/// HTML-escaped by Mustache; charts are inline SVG with real text (PNG data
/// for a chart given no SVG), and `#present` shows them one per screen.
public struct HTMLRenderer {
    public let templates: MustacheLibrary
    public let css: String
    /// Rows of a table shown in the page (the CSV has them all); tables by customer show more.
    public static let maxRows = 60
    public static let maxExplorableRows = 1000

    /// An SVG file as an element of the page: no XML prolog, a title for screen readers, and
    /// sized by the page's CSS.
    static func inlineSVG(_ svg: String, title: String) -> String {
        var s = svg
        if let r = s.range(of: "<svg") { s = String(s[r.lowerBound...]) }
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        if let close = s.range(of: ">") { s.insert(contentsOf: "<title>\(escaped)</title>", at: close.upperBound) }
        return s
    }

    /// The drill-down data: each customer the tables name, with open items and payments, as
    /// JSON safe inside a script element (no "<" left to close it).
    static func customersJSON(_ model: PackModel) -> String {
        let digits = model.currency.minorDigits
        func money(_ m: Int64) -> JSONValue { .string(Money.decimalString(m, digits: digits, grouping: ",")) }
        let obj = JSONValue.object(model.customers.keys.sorted().map { id in
            let c = model.customers[id]!
            return (id, .object([
                ("name", .string(c.name)), ("segment", .string(c.segment)), ("region", .string(c.region)),
                ("collector", .string(c.collector)), ("currency", .string(c.currency)),
                ("items", .array(c.items.map { i in
                    .array([.string(i.document), .string(i.kind.replacingOccurrences(of: "_", with: " ")), .string(i.date.description),
                            .string(i.due?.description ?? ""), i.daysPastDue.map { .int($0) } ?? .null, money(i.amount)])
                })),
                ("payments", .array(c.payments.map { .array([.string($0.date.description), money($0.amount)]) })),
            ]))
        })
        return obj.serialized().replacingOccurrences(of: "<", with: "\\u003c").replacingOccurrences(of: "\u{2028}", with: "\\u2028")
    }

    public init(directory: String) throws {
        var lib = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mustache") }.sorted()
        guard files.contains("layout.mustache") else {
            throw PackError.templates("\(directory) has no layout.mustache")
        }
        for f in files {
            let text = try String(contentsOfFile: directory + "/" + f, encoding: .utf8)
            do { try lib.register(text, named: String(f.dropLast(".mustache".count))) } catch {
                throw PackError.templates("\(directory)/\(f): \(error)")
            }
        }
        templates = lib
        css = (try? String(contentsOfFile: directory + "/style.css", encoding: .utf8)) ?? ""
    }

    /// `svgs`: each chart as SVG, set inline in the page (a chart without one is its PNG).
    public func render(_ model: PackModel, images: [String: Data], svgs: [String: String] = [:]) throws -> String {
        func dataURI(_ id: String) -> String { "data:image/png;base64," + (images[id]?.base64EncodedString() ?? "") }
        func chart(_ c: PackChart) -> [String: Any] {
            var d: [String: Any] = ["alt": c.alt, "id": c.id, "png": "charts/\(c.id).png"]
            if let svg = svgs[c.id] { d["svg"] = HTMLRenderer.inlineSVG(svg, title: c.alt) } else { d["src"] = dataURI(c.id) }
            return d
        }
        func table(_ t: ReportTable) -> [String: Any] {
            // Tables by customer are shown whole (up to 1,000 rows): the page sorts and filters them.
            let limit = t.rowKeys == nil ? HTMLRenderer.maxRows : HTMLRenderer.maxExplorableRows
            let shown = t.rows.prefix(limit)
            var d: [String: Any] = [
                "id": t.id, "title": t.title, "explore": t.rowKeys != nil,
                "headers": t.columns.map { ["name": $0.name, "num": $0.isNumeric] },
                "rows": shown.enumerated().map { (i, row) -> [String: Any] in
                    var r: [String: Any] = [
                        "strong": t.emphasized.contains(i),
                        "cells": zip(row, t.columns).map { cell, col in
                            var c: [String: Any] = ["text": t.display(cell, col, currency: model.currency), "num": col.isNumeric]
                            if col.isNumeric { c["v"] = t.raw(cell, currency: model.currency) }
                            return c
                        }]
                    if let key = t.rowKeys?[i], let cu = model.customers[key] {
                        r["key"] = key
                        r["segment"] = cu.segment; r["region"] = cu.region; r["collector"] = cu.collector; r["currency"] = cu.currency
                    }
                    return r
                },
                "truncated": t.rows.count > limit, "shown": limit, "total": t.rows.count,
            ]
            // Absent values are left out: Mustache would print an empty Optional as "nil".
            if let note = t.note { d["note"] = note }
            return d
        }
        var sections: [String: Any] = [:]
        for s in model.sections {
            sections[s.id] = [
                "id": s.id, "title": s.title, "lead": s.lead, "paragraphs": s.paragraphs,
                "charts": s.charts.map(chart),
                "tables": s.tables.map(table),
            ]
        }
        // The appendix: each section's detail, then the method notes.
        let detail: [[String: Any]] = model.sections.filter { !$0.appendixTables.isEmpty || !$0.appendixCharts.isEmpty }.map { s in
            ["title": s.title, "tables": s.appendixTables.map(table),
             "charts": s.appendixCharts.map(chart)]
        }
        let notes = model.sections.flatMap(\.notes)
        let tiles: [[String: Any]] = model.tiles.map { t in
            var d: [String: Any] = ["label": t.label, "value": t.value, "img": dataURI(t.id + "-spark"),
                                    "change_class": t.changeGood.map { $0 ? "good" : "bad" } ?? "neutral"]
            if let c = t.change { d["change"] = c }
            if let c = t.yearChange {
                d["year_change"] = c
                d["year_class"] = t.yearChangeGood.map { $0 ? "good" : "bad" } ?? "neutral"
                d["year_label"] = PackBuilder.monthLabel(model.month.advanced(by: -12))
            }
            if let y = t.ytdText { d["ytd"] = y }
            if let s = t.status {
                d["status"] = s.rawValue
                d["status_class"] = s == .onTarget ? "good" : s == .watch ? "watch" : "bad"
            }
            if let target = t.target { d["target"] = target }
            return d
        }
        // Presentation mode (index.html#present): the board deck's chart slides, each naming
        // a chart of the page by id; the page's script shows them one per screen.
        let chartSlides: [(Slide, PackChart)] = SlideDeck(model).slides.compactMap { s in
            if case .chart(let c) = s.body { return (s, c) } else { return nil }
        }
        let slides: [[String: Any]] = chartSlides.enumerated().map { i, sc in
            var d: [String: Any] = ["chart": sc.1.id, "title": sc.0.title, "n": i + 1, "count": chartSlides.count]
            if let t = sc.0.takeaway { d["takeaway"] = t }
            return d
        }
        let context: [String: Any] = [
            "slides": slides, "has_slides": !slides.isEmpty,
            "company": model.company, "month_name": model.monthName, "currency": model.currency.code,
            "as_of": model.month.lastDay.description, "ledger": model.ledgerName, "css": css,
            "tiles": tiles, "sections": sections, "customers_json": HTMLRenderer.customersJSON(model),
            "detail": detail, "has_detail": !detail.isEmpty || !notes.isEmpty, "notes": notes, "has_notes": !notes.isEmpty,
            "sections_list": model.sections.map { ["id": $0.id, "title": $0.title] },
        ]
        guard let html = templates.render(context, withTemplate: "layout") else { throw PackError.templates("the layout did not render") }
        return html
    }
}

public enum PackError: Error, CustomStringConvertible {
    case templates(String)
    case write(String)
    case month(String)

    public var description: String {
        switch self {
        case .templates(let s): return "templates: \(s)"
        case .write(let s): return s
        case .month(let s): return s
        }
    }
}
