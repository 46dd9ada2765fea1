import ARAnalytics
import ARModel
import ChartKit
import Foundation

/// The executive summary: headline tiles, three to five findings written from the data, and
/// the cash what-if.
extension PackBuilder {
    /// "up 2.1 days", "down $12K", "unchanged", and whether that is the good way (nil: neither).
    static func change(_ now: Double?, _ then: Double?, _ f: ValueFormat, _ dir: Int) -> (String?, Bool?) {
        guard let now, let then else { return (nil, nil) }
        let d = now - then
        let amount: String
        switch f {
        case .percent: amount = ValueFormat.trim(abs(d), maxDecimals: 1) + " pts"
        case .money: amount = f.short(abs(d))
        default: amount = ValueFormat.trim(abs(d), maxDecimals: 1)
        }
        let unchanged = d == 0 || amount == "0" || amount == "0 pts" || amount.hasSuffix("$0") || amount.hasSuffix("0") && Double(amount.filter { $0.isNumber || $0 == "." }) == 0
        if unchanged { return ("unchanged", nil) }
        return ((d > 0 ? "up " : "down ") + amount, dir == 0 ? nil : (d < 0) == (dir < 0))
    }

    func status(_ better: KPI.Better, _ v: Double?, _ target: Double?) -> PackTile.Status? {
        guard let v, let target, better != .neither else { return nil }
        let met = better == .lower ? v <= target : v >= target
        if met { return .onTarget }
        let miss = abs(v - target) / max(abs(target), 1e-9)
        return miss <= 0.05 ? .watch : .offTarget
    }

    func makeTiles() -> [PackTile] {
        func tile(_ id: String, _ label: String, _ now: Double?, _ before: Double?, _ history: [Double?], _ f: ValueFormat,
                  _ better: KPI.Better, _ target: Double?, moneyScale: Bool = false, lastYear: Double? = nil, ytd: Double? = nil) -> PackTile {
            let scale = moneyScale ? major : 1
            let n = now.map { $0 / scale }, b = before.map { $0 / scale }
            let dir = better == .lower ? -1 : better == .higher ? 1 : 0
            let kt = KPITile(label: label, value: n, previous: b, history: history.map { $0.map { $0 / scale } }, format: f,
                             betterDirection: dir, target: target)
            let (change, good) = PackBuilder.change(n, b, f, dir)
            let y = lastYear.map { $0 / scale }, ytdValue = ytd.map { $0 / scale }
            let (yearChange, yearGood) = PackBuilder.change(n, y, f, dir)
            var t = PackTile(id: "summary-" + id, label: label, value: n.map(f.label) ?? "n/a", change: change, changeGood: good,
                             status: status(better, n, target), target: target.map(f.short), tile: kt)
            t.lastYear = y
            t.yearChange = yearChange
            t.yearChangeGood = yearGood
            t.ytd = ytdValue
            t.ytdText = ytdValue.map(f.label)
            t.code = id.replacingOccurrences(of: "-", with: "_")
            return t
        }
        func k(_ m: KPI, _ label: String? = nil) -> PackTile {
            tile(m.rawValue.replacingOccurrences(of: "_", with: "-"), label ?? m.title, s.now(m), s.before(m), s.last(m, 12), fmt(m),
                 m.better, config.target(m), moneyScale: m.kind == .money, lastYear: s.lastYear(m), ytd: s.ytdReading(m))
        }
        let overduePct = s.values[.pct_current]!.map { $0.map { 100 - $0 } }
        let coverage = zip(s.values[.collections]!, s.values[.billings]!).map { c, b -> Double? in
            guard let c, let b, b != 0 else { return nil }
            return c / b * 100
        }
        let overdueYTD = s.ytdReading(.pct_current).map { 100 - $0 }
        let coverageYTD = s.ytd(.collections).flatMap { c in s.ytd(.billings).flatMap { b in b != 0 ? c / b * 100 : nil } }
        return [
            k(.ar, "Net AR"),
            tile("overdue-share", "Overdue share of AR", overduePct[s.current], overduePct[s.previous], Array(overduePct[s.lastIndices(12)]), .percent, .lower,
                 config.targets[.pctOverdue], lastYear: s.yearAgo.flatMap { s.covered($0) ? overduePct[$0] : nil }, ytd: overdueYTD),
            k(.dso), k(.bpdso), k(.add), k(.cei),
            tile("collections-vs-billings", "Collections vs billings", coverage[s.current], coverage[s.previous], Array(coverage[s.lastIndices(12)]), .percent,
                 .higher, config.targets[.collectionsVsBillings], lastYear: s.yearAgo.flatMap { s.covered($0) ? coverage[$0] : nil }, ytd: coverageYTD),
            k(.open_invoices), k(.bad_debt_ratio),
        ]
    }

    /// Three to five plain sentences: what moved, who drove it, what is off target.
    func makeFindings() -> [String] {
        let aging = analysis.aging, before = analysis.previousAging, roll = analysis.rollForward
        var out: [String] = []
        let name = PackModel.monthNames[month.month - 1]
        // 1. DSO and what drove AR.
        if let dso = s.now(.dso) {
            var sentence = "DSO was \(ValueFormat.days.label(dso)) days at the end of \(name)"
            let yearName = "\(name) \(month.year - 1)"
            let dm = s.before(.dso).map { dso - $0 }, dy = s.lastYear(.dso).map { dso - $0 }
            func days(_ d: Double) -> String { "\(ValueFormat.trim(abs(d), maxDecimals: 1)) days" }
            // The comparison that matters most leads: a year-on-year move larger than twice the
            // month's (a trend the seasons hide month to month), else the month's.
            if let dy, abs(dy) >= 0.05, abs(dy) > 2 * abs(dm ?? 0) {
                sentence += ", \(days(dy)) \(dy > 0 ? "longer" : "shorter") than in \(yearName)"
                if let dm { sentence += abs(dm) < 0.05 ? " and unchanged from last month" : " (\(dm > 0 ? "up" : "down") \(days(dm)) on last month)" }
            } else if let dm, let b = s.before(.dso) {
                sentence += abs(dm) < 0.05 ? ", unchanged from last month" : ", \(dm > 0 ? "up" : "down") \(days(dm)) from \(ValueFormat.days.label(b))"
                if let dy, abs(dy) >= 0.05 { sentence += " (\(days(dy)) \(dy > 0 ? "longer" : "shorter") than a year ago)" }
            }
            if let target = config.target(.dso) {
                let gap = dso - target
                sentence += gap > 0 ? ", \(ValueFormat.trim(gap, maxDecimals: 1)) days above the \(ValueFormat.trim(target, maxDecimals: 1))-day target"
                                    : ", within the \(ValueFormat.trim(target, maxDecimals: 1))-day target"
            }
            out.append(sentence + ".")
        }
        let change = roll.ending - roll.beginning
        var byCustomer: [(String, Int64)] = []
        let beforeTotals = Dictionary(uniqueKeysWithValues: before.rows.map { ($0.group, $0.total) })
        let nowTotals = Dictionary(uniqueKeysWithValues: aging.rows.map { ($0.group, $0.total) })
        for key in Set(beforeTotals.keys).union(nowTotals.keys) {
            byCustomer.append((key, (nowTotals[key] ?? 0) - (beforeTotals[key] ?? 0)))
        }
        byCustomer.sort { abs($0.1) != abs($1.1) ? abs($0.1) > abs($1.1) : $0.0 < $1.0 }
        let drivers = byCustomer.prefix(2).filter { $0.1 != 0 && ($0.1 > 0) == (change > 0) }
        if change != 0 {
            var s2 = "Net AR \(change > 0 ? "rose" : "fell") by \(money.label(Double(abs(change)) / major)) to \(money.label(Double(roll.ending) / major))"
            if let y = s.lastYear(.ar), y > 0 {
                let pct = (Double(roll.ending) - y) / y * 100
                s2 += abs(pct) < 0.05 ? ", the same as a year ago" : ", \(String(format: "%.0f", abs(pct)))% \(pct > 0 ? "above" : "below") a year ago"
            }
            if !drivers.isEmpty {
                s2 += "; the largest moves were " + drivers.map { "\(customerName($0.0)) (\($0.1 > 0 ? "+" : "−")\(money.short(Double(abs($0.1)) / major)))" }
                    .joined(separator: " and ")
            }
            out.append(s2 + ".")
        }
        // 2. The overdue bucket that moved most.
        var moved: (Int, Int64)? = nil
        for b in 1..<aging.labels.count {
            let d = aging.total.buckets[b] - before.total.buckets[b]
            if moved == nil || abs(d) > abs(moved!.1) { moved = (b, d) }
        }
        if let (b, d) = moved, d != 0 {
            let gross = aging.total.buckets.reduce(0, +)
            let share = gross == 0 ? 0 : Double(aging.total.buckets[b]) / Double(gross) * 100
            out.append("AR \(aging.labels[b]) days past due \(d > 0 ? "grew" : "shrank") by \(money.label(Double(abs(d)) / major)) to \(money.label(Double(aging.total.buckets[b]) / major)) (\(String(format: "%.1f", share))% of gross AR).")
        }
        // 3. Off target.
        let offTarget = [KPI.cei, .pct_over_90, .on_time_rate, .open_invoices_change, .bad_debt_ratio, .days_late, .bpdso]
            .compactMap { k -> String? in
                guard let t = config.target(k), let v = s.now(k), k.better != .neither else { return nil }
                let met = k.better == .lower ? v <= t : v >= t
                if met { return nil }
                let unit = k.kind == .percent ? " points" : k.kind == .days ? " days" : ""
                return "\(k.title.lowercased()) is \(text(k, v)), \(ValueFormat.trim(abs(v - t), maxDecimals: 1))\(unit) \(k.better == .lower ? "above" : "below") its target of \(fmt(k).short(t))"
            }
        if !offTarget.isEmpty {
            let joined = offTarget.joined(separator: "; ")
            out.append(joined.prefix(1).uppercased() + joined.dropFirst() + ".")
        }
        // 4. Cash against billing.
        if let c = s.now(.collections), let b = s.now(.billings), b > 0 {
            out.append("Collections of \(money.label(c / major)) covered \(String(format: "%.0f", c / b * 100))% of the month's \(money.label(b / major)) billings.")
        }
        // 5. Concentration of the overdue balance.
        let overdue = PackBuilder.overdueByCustomer(aging)
        let totalOverdue = overdue.reduce(0) { $0 + $1.1 }
        if overdue.count >= 5 && totalOverdue > 0 && out.count < 5 {
            let top5 = overdue.prefix(5).reduce(0) { $0 + $1.1 }
            out.append("The five largest overdue accounts hold \(String(format: "%.0f", Double(top5) / Double(totalOverdue) * 100))% of overdue AR; \(customerName(overdue[0].0)) alone owes \(money.label(Double(overdue[0].1) / major)) past due.")
        }
        return Array(out.prefix(5))
    }

    /// The cash what-if for the summary: what a day of DSO is worth, and what reaching the
    /// configured DSO, CEI and over-90 targets would release.
    func whatIfSentence() -> [String] {
        let w = analysis.whatIf
        guard let perDay = w.perDayOfDSO, perDay > 0 else { return [] }
        var s = "Each day of DSO ties up \(money.label(Double(perDay) / major)) of cash"
        let gains = w.lines.filter { $0.released > 0 }
        if !gains.isEmpty {
            s += "; reaching " + gains.map { "the \($0.metric == .pct_over_90 ? "over-90 share" : $0.metric == .cei ? "collection effectiveness" : $0.metric.title) target of \(ValueFormat.trim($0.target, maxDecimals: 1))\($0.metric == .dso ? " days" : "%")" }.joined(separator: " and ")
            s += " would release " + gains.map { money.label(Double($0.released) / major) }.joined(separator: " and ") + " respectively"
            if gains.count == 1 { s = s.replacingOccurrences(of: " respectively", with: "") }
        }
        return [s + "."]
    }

    func summarySection(_ tiles: [PackTile], _ findings: [String]) -> PackSection {
        var rows: [[ReportTable.Cell]] = []
        for t in tiles {
            rows.append([.text(t.label), .text(t.value), .text(t.change ?? "n/a"), .text(t.yearChange ?? "n/a"), .text(t.ytdText ?? "n/a"),
                         .text(t.target ?? ""), .text(t.status?.rawValue ?? "")])
        }
        let prevName = PackModel.monthNames[month.advanced(by: -1).month - 1]
        var table = ReportTable(id: "headline_kpis", title: "Headline KPIs compared",
                                columns: [.init("KPI"), .init(PackModel.monthNames[month.month - 1] + " " + String(month.year)),
                                          .init("vs \(prevName)"), .init("vs \(PackBuilder.monthLabel(month.advanced(by: -12)))"),
                                          .init("Year to date"), .init("Target"), .init("Status")],
                                rows: rows,
                                note: "Year to date: January to \(PackModel.monthNames[month.month - 1]) as one period for flows and rates (collections, billings, collection effectiveness, bad debt); the average of the month-ends for balances and days (AR, DSO, overdue share, open invoices).")
        // As data: numbers with their unit, not the display text.
        func unit(_ f: ValueFormat) -> String {
            switch f {
            case .money: return currency.code
            case .percent: return "%"
            case .days: return "days"
            default: return ""
            }
        }
        func num(_ x: Double?) -> ReportTable.Cell { x.map { .number(($0 * 100).rounded() / 100) } ?? .empty }
        table.data = (columns: [.init("KPI"), .init("Value", .number(decimals: 2)), .init("Unit"), .init("Last month", .number(decimals: 2)),
                                .init("Change", .number(decimals: 2)), .init("Target", .number(decimals: 2)), .init("Status"),
                                .init("Same month last year", .number(decimals: 2)), .init("Change vs last year", .number(decimals: 2)),
                                .init("Year to date", .number(decimals: 2)), .init("Code")],
                      rows: tiles.map { t in
                          let k = t.tile
                          let change = k.value.flatMap { v in k.previous.map { v - $0 } }
                          let yearChange = k.value.flatMap { v in t.lastYear.map { v - $0 } }
                          return [.text(t.label), num(k.value), .text(unit(k.format)), num(k.previous), num(change), num(k.target),
                                  .text(t.status?.rawValue ?? ""), num(t.lastYear), num(yearChange), num(t.ytd), .text(t.code)]
                      })
        return PackSection(id: "summary", title: "Executive summary",
                           lead: "Where receivables stand at the end of \(PackModel.monthNames[month.month - 1]) \(month.year), what changed since last month, and what is off target.",
                           tables: [table], paragraphs: findings)
    }
}
