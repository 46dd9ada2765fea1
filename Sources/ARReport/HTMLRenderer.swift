import ARModel
import Foundation
import Mustache

/// The pack as one self-contained HTML file, through the Mustache templates of
/// `report-templates/pack/` (a layout, one partial per section, a table partial, a
/// stylesheet): a company restyles or reorders its pack without recompiling. Values are
/// HTML-escaped by Mustache; charts are inline PNG data.
public struct HTMLRenderer {
    public let templates: MustacheLibrary
    public let css: String
    /// Rows of a table shown in the page (the CSV has them all).
    public static let maxRows = 60

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

    public func render(_ model: PackModel, images: [String: Data]) throws -> String {
        func dataURI(_ id: String) -> String { "data:image/png;base64," + (images[id]?.base64EncodedString() ?? "") }
        func table(_ t: ReportTable) -> [String: Any] {
            let shown = t.rows.prefix(HTMLRenderer.maxRows)
            var d: [String: Any] = [
                "id": t.id, "title": t.title,
                "headers": t.columns.map { ["name": $0.name, "num": $0.isNumeric] },
                "rows": shown.enumerated().map { (i, row) in
                    ["strong": t.emphasized.contains(i),
                     "cells": zip(row, t.columns).map { cell, col in ["text": t.display(cell, col, currency: model.currency), "num": col.isNumeric] }]
                },
                "truncated": t.rows.count > HTMLRenderer.maxRows, "shown": HTMLRenderer.maxRows, "total": t.rows.count,
            ]
            // Absent values are left out: Mustache would print an empty Optional as "nil".
            if let note = t.note { d["note"] = note }
            return d
        }
        var sections: [String: Any] = [:]
        for s in model.sections {
            sections[s.id] = [
                "id": s.id, "title": s.title, "lead": s.lead, "paragraphs": s.paragraphs,
                "charts": s.charts.map { ["src": dataURI($0.id), "alt": $0.alt, "id": $0.id] },
                "tables": s.tables.map(table),
            ]
        }
        // The appendix: each section's detail, then the method notes.
        let detail: [[String: Any]] = model.sections.filter { !$0.appendixTables.isEmpty || !$0.appendixCharts.isEmpty }.map { s in
            ["title": s.title, "tables": s.appendixTables.map(table),
             "charts": s.appendixCharts.map { ["src": dataURI($0.id), "alt": $0.alt, "id": $0.id] }]
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
        let context: [String: Any] = [
            "company": model.company, "month_name": model.monthName, "currency": model.currency.code,
            "as_of": model.month.lastDay.description, "ledger": model.ledgerName, "css": css,
            "tiles": tiles, "sections": sections,
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
