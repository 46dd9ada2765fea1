import ARModel
import ChartKit
import Foundation

/// The board-meeting deck drawn from a pack: one slide per question leadership asks, each
/// with a title, the takeaway sentence, a chart or the figures, and speaker notes holding the
/// numbers behind the chart and the definitions. Format-free: `PPTXWriter` writes it.
public struct SlideDeck: Sendable {
    public var title: String
    public var subtitle: String
    public var slides: [Slide]
}

public struct Slide: Sendable {
    public enum Body: Sendable {
        /// The title slide's lines under the title.
        case cover([String])
        /// Headline tiles, drawn as editable boxes.
        case tiles([PackTile])
        case chart(PackChart)
        /// Plain sentences, one a paragraph.
        case bullets([String])
    }
    /// What `--charts` calls the slide (`title` and `asks` are always in the deck).
    public var id: String
    public var title: String
    public var takeaway: String?
    public var body: Body
    /// Paragraphs of the speaker notes.
    public var notes: [String]
}

/// The slides a deck can hold, in deck order. `title` opens and `asks` closes every deck.
public enum SlideKind: String, CaseIterable, Sendable {
    case kpis, rollforward, aging, dso, cei, forecast, overdue, disputes, findings

    /// `--charts dso,cei,aging`: known names, at least one; one line naming a bad one.
    public static func parseList(_ text: String) throws(PackError) -> [SlideKind] {
        var set = Set<SlideKind>()
        for name in text.split(separator: ",") {
            let n = name.trimmingCharacters(in: .whitespaces).lowercased()
            if n.isEmpty { continue }
            guard let k = SlideKind(rawValue: n) else {
                throw .write("unknown slide '\(name)' (\(SlideKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            set.insert(k)
        }
        guard !set.isEmpty else { throw .write("no slide chosen (\(SlideKind.allCases.map(\.rawValue).joined(separator: ", ")))") }
        return SlideKind.allCases.filter(set.contains)
    }
}

extension SlideDeck {
    /// The deck of a pack: the title slide, the chosen slides the pack has data for, in their
    /// order, and the closing slide with the asks. `unit` names the part of the business
    /// ("region EMEA") on the title slide.
    public init(_ m: PackModel, slides kinds: [SlideKind] = SlideKind.allCases, unit: String? = nil) {
        let b = DeckBuilder(m)
        title = m.company
        subtitle = "Accounts receivable, \(m.monthName)" + (unit.map { " — \($0)" } ?? "")
        var out = [b.cover(subtitle: subtitle)]
        for k in kinds { if let s = b.slide(k) { out.append(s) } }
        out.append(b.asks())
        slides = out
    }
}

/// Words each slide from the pack's model: takeaways are the executive summary's findings
/// where one speaks to the slide, otherwise a sentence from the slide's own figures.
struct DeckBuilder {
    let m: PackModel
    init(_ m: PackModel) { self.m = m }

    func chart(_ id: String) -> PackChart? { m.sections.lazy.flatMap(\.charts).first { $0.id == id } }
    func section(_ id: String) -> PackSection? { m.sections.first { $0.id == id } }
    func table(_ section: String, _ id: String) -> ReportTable? { self.section(section)?.tables.first { $0.id == id } }
    func tile(_ id: String) -> PackTile? { m.tiles.first { $0.id == "summary-" + id } }

    /// The first finding that mentions any of `words` (case-insensitive).
    func finding(_ words: [String], excluding: [String] = []) -> String? {
        m.findings.first { f in
            let l = f.lowercased()
            return words.contains { l.contains($0.lowercased()) } && !excluding.contains { l.contains($0.lowercased()) }
        }
    }

    /// "DSO is 52.1, down 1.2 from last month, against a target of 45 (off target)."
    func tileSentence(_ t: PackTile) -> String {
        var s = "\(t.label) is \(t.value)"
        if let c = t.change { s += c == "unchanged" ? ", unchanged from last month" : ", \(c) from last month" }
        if let target = t.target { s += ", against a target of \(target)" }
        if let st = t.status { s += " (\(st.rawValue))" }
        return s + "."
    }

    func definitions(_ ks: [KPI]) -> String {
        "Definitions: " + ks.map { "\($0.title): \($0.definition)" }.joined(separator: " ")
    }

    func chartSlide(_ id: String, _ kind: SlideKind, _ title: String, _ takeaway: String?, _ defs: [String]) -> Slide? {
        guard let c = chart(id) else { return nil }
        return Slide(id: kind.rawValue, title: title, takeaway: takeaway, body: .chart(c),
                     notes: (takeaway.map { [$0] } ?? []) + ["Numbers behind the chart (\(ChartNotes.title(c.chart))):"] + ChartNotes.lines(c.chart) + defs)
    }

    func cover(subtitle: String) -> Slide {
        Slide(id: "title", title: m.company, takeaway: nil,
              body: .cover([subtitle, "Monthly receivables review for leadership", "Prepared by ARLens from the ledger \((m.ledgerName as NSString).lastPathComponent)"]),
              notes: ["Every figure in this deck comes from the monthly management pack for \(m.monthName); amounts are in \(m.currency.code). The pack's appendix defines each measure."])
    }

    func slide(_ k: SlideKind) -> Slide? {
        switch k {
        case .kpis:
            let missed = m.tiles.filter { $0.status == .offTarget }
            let judged = m.tiles.filter { $0.status != nil }
            let met = judged.count - missed.count
            var takeaway = met == 0 ? "No measure with a target is on or near it" : "\(met) of \(judged.count) measures with a target are on or near it"
            takeaway += missed.isEmpty ? "." : "; off target: " + missed.map(\.label).joined(separator: ", ") + "."
            if judged.isEmpty { takeaway = "No targets are set in arlens.yml; the change against last month is shown for each measure." }
            let kpis = m.tiles.compactMap { KPI(rawValue: String($0.id.dropFirst("summary-".count)).replacingOccurrences(of: "-", with: "_")) }
            return Slide(id: k.rawValue, title: "Headline measures, \(m.monthName)", takeaway: takeaway, body: .tiles(m.tiles),
                         notes: [takeaway] + m.tiles.map(tileSentence)
                             + ["Overdue share of AR: the part of gross AR past its due date. Collections vs billings: the month's collections as a share of its billings.",
                                definitions(kpis)])
        case .rollforward:
            return chartSlide("rollforward-waterfall", k, "What moved AR in \(PackModel.monthNames[m.month.month - 1])",
                              finding(["Net AR rose", "Net AR fell", "Net AR"]),
                              ["The roll-forward reconciles to the cent: opening AR plus invoices, debit memos and late fees, less collections, credit memos and write-offs, plus or minus FX differences, is the closing AR."])
        case .aging:
            return chartSlide("aging-history", k, "Aging over the last 12 month-ends", finding(["days past due"]),
                              ["Buckets are days past the due date at each month-end; current is not yet due.", definitions([.pct_over_90])])
        case .dso:
            return chartSlide("trend-dso", k, "DSO against target", finding(["DSO was", "DSO"], excluding: ["each day of dso"]) ?? tile("dso").map(tileSentence),
                              [definitions([.dso, .bpdso, .add])])
        case .cei:
            return chartSlide("trend-cei", k, "Collection effectiveness against target",
                              clause(finding(["collection effectiveness", "CEI"]), "collection effectiveness") ?? tile("cei").map(tileSentence), [definitions([.cei])])
        case .forecast:
            let first = section("forecast")?.paragraphs.first.map(firstSentence)
            return chartSlide("forecast-cash", k, "Cash expected over the next 13 weeks", first,
                              ["The bands are the 80% and 95% intervals: in four weeks out of five the cash should land inside the darker band."]
                                  + (section("forecast")?.paragraphs.dropFirst().map { $0 } ?? []))
        case .overdue:
            return chartSlide("aging-top-overdue", k, "Who holds the overdue balance", finding(["overdue accounts", "overdue AR"]) ?? concentration(),
                              ["Overdue: open amounts past their due date at the month-end, by customer, largest first; the line is their cumulative share."])
        case .disputes:
            let reasons = table("disputes", "dispute_reasons")
            var takeaway: String? = nil
            if let reasons, let top = reasons.rows.first, case .text(let reason) = top[0], case .number(let n) = top[1] {
                let total = reasons.rows.reduce(0.0) { if case .number(let x) = $1[1] { return $0 + x } else { return $0 } }
                takeaway = "\(ReportTable.grouped(Int(total))) disputes were opened in the last 12 months; the most common reason, \(reason), accounts for \(ReportTable.grouped(Int(n)))."
            }
            let id = chart("quality-dispute-reasons") != nil ? "quality-dispute-reasons" : "quality-rates"
            return chartSlide(id, k, "Disputes and billing quality", takeaway,
                              [definitions([.dispute_rate, .dispute_days, .billing_error_rate])])
        case .findings:
            guard let sec = section("anomalies") else { return nil }
            var bullets: [String] = []
            if let t = sec.tables.first(where: { $0.id == "anomalies" }) {
                for row in t.rows.prefix(5) {
                    guard row.count >= 5, case .text(let rule) = row[1], case .money(let amount) = row[2], case .text(let what) = row[4] else { continue }
                    bullets.append("\(rule.prefix(1).uppercased() + rule.dropFirst()), \(money(amount)) at stake: \(what)")
                }
            }
            let takeaway = sec.paragraphs.first
            var notes = (takeaway.map { [$0] } ?? []) + sec.paragraphs.dropFirst().map { $0 }
            if let byRule = sec.tables.first(where: { $0.id == "anomalies_by_rule" }) {
                notes.append("Findings and amounts at stake by rule:")
                notes += byRule.rows.map { row in row.enumerated().map { byRule.display($0.element, byRule.columns[$0.offset], currency: m.currency) }.joined(separator: " | ") }
            }
            notes.append("A finding names documents to review; none is a verdict. A reviewer clears or confirms it in the findings review file.")
            return Slide(id: k.rawValue, title: "Findings that need a decision", takeaway: takeaway,
                         body: .bullets(bullets.isEmpty ? ["No finding on this month's documents."] : bullets), notes: notes)
        }
    }

    /// The closing slide: the targets missed and the cash at stake.
    func asks() -> Slide {
        var bullets: [String] = m.tiles.filter { $0.status == .offTarget }.map { t in
            "Bring \(t.label) from \(t.value) to its target of \(t.target ?? "")."
        }
        if let cash = finding(["each day of DSO"]) { bullets.append(cash) }
        if let sec = section("anomalies"), let byRule = sec.tables.first(where: { $0.id == "anomalies_by_rule" }) {
            let stake = byRule.rows.reduce(Int64(0)) { if case .money(let x) = $1[2] { return $0 + x } else { return $0 } }
            if stake > 0 { bullets.append("Decide on the findings: \(money(stake)) is at stake in the documents they name.") }
        }
        if bullets.isEmpty { bullets = ["Every measure with a target is on or near it; no decision is asked this month."] }
        let missed = m.tiles.filter { $0.status == .offTarget }.count
        return Slide(id: "asks", title: "What we ask", takeaway: missed == 0 ? "No target is missed this month." : "\(missed) target\(missed == 1 ? " is" : "s are") missed; this is what reaching \(missed == 1 ? "it" : "them") is worth.",
                     body: .bullets(bullets), notes: bullets + ["Targets come from arlens.yml; a measure within 5% of its target counts as near it."])
    }

    func money(_ minor: Int64) -> String {
        ValueFormat.money(symbol: ValueFormat.symbol(forCurrency: m.currency.code)).label(Double(minor) / Double(m.currency.minorPerMajor))
    }

    /// Of a sentence of clauses joined by "; ", the clause about `topic`, as a sentence.
    func clause(_ sentence: String?, _ topic: String) -> String? {
        guard let sentence else { return nil }
        let parts = sentence.components(separatedBy: "; ")
        guard parts.count > 1, var c = parts.first(where: { $0.lowercased().contains(topic) }) else { return sentence }
        if c.hasSuffix(".") { c.removeLast() }
        return c.prefix(1).uppercased() + c.dropFirst() + "."
    }

    /// How concentrated the overdue balance is, from the aging table's total row and the
    /// Pareto chart's customers (when the summary had no room for that sentence).
    func concentration() -> String? {
        guard let pareto = chart("aging-top-overdue")?.chart as? ParetoChart, let first = pareto.categories.first,
              let aging = table("aging", "aging"), let total = aging.rows.last, aging.columns.count >= 5 else { return nil }
        var overdue: Int64 = 0
        for k in 3..<(aging.columns.count - 2) { if case .money(let x) = total[k] { overdue += x } }
        guard overdue > 0 else { return nil }
        let major = Double(m.currency.minorPerMajor)
        let top = pareto.values.prefix(5).reduce(0, +), n = min(5, pareto.values.count)
        let share = top * major / Double(overdue) * 100
        return "The \(n == 5 ? "five" : String(n)) largest overdue accounts hold \(String(format: "%.0f", share))% of overdue AR; \(first) alone owes \(pareto.format.label(pareto.values[0])) past due."
    }

    func firstSentence(_ s: String) -> String {
        guard let r = s.range(of: ". ") else { return s }
        return String(s[..<r.lowerBound]) + "."
    }
}
