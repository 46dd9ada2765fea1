import ARModel

/// Days as a clerk counts them: ISO weeks (Monday to Sunday, numbered by ISO 8601: week 1 is
/// the week with the year's first Thursday), working days (Monday to Friday), "the same day
/// last month".
public enum ClerkCalendar {
    /// The Monday of `d`'s ISO week.
    public static func weekStart(_ d: Day) -> Day { d - (d.isoWeekday - 1) }

    /// "2026-W05": the ISO year (the year of the week's Thursday) and week number.
    public static func weekLabel(_ d: Day) -> String {
        let thursday = weekStart(d) + 3
        let y = thursday.year
        let week = (thursday - Day(year: y, month: 1, day: 1)!) / 7 + 1
        return String(y) + "-W" + (week < 10 ? "0" : "") + String(week)
    }

    /// The working day before `d` (Monday to Friday): Friday for a Monday, Saturday or Sunday.
    public static func previousWorkingDay(_ d: Day) -> Day {
        var p = d - 1
        while p.isWeekend { p = p - 1 }
        return p
    }

    /// The same day of the month before (the month's last day when it is shorter).
    public static func monthBefore(_ d: Day) -> Day {
        let c = d.components
        let m = YearMonth(year: c.year, month: c.month).advanced(by: -1)
        return Day(year: m.year, month: m.month, day: min(c.day, m.dayCount))!
    }
}

/// KPIs by day or by ISO week. Only the metrics a day or week can carry: the flows dated in
/// the period (billings, collections, credit memos, write-offs) and the balances and counts
/// at its end (unapplied cash, net and gross AR, open invoices). The rates and day counts
/// (DSO, CEI, turnover, days to pay, ...) are defined over months: `monthOnly` lists them.
/// The flows are the same sums `MonthlyMeasures` books, so a month's days add up to its
/// month, to the cent.
public enum FineKPIs {
    public static let metrics: [KPI] = [.billings, .collections, .credit_memos, .write_offs, .unapplied_cash, .ar, .ar_gross, .open_invoices]
    public static var monthOnly: [KPI] { KPI.allCases.filter { !metrics.contains($0) } }

    /// The days of `first...last`, or the ISO weeks that overlap them (whole weeks).
    public static func periods(week: Bool, first: Day, last: Day) -> [(label: String, first: Day, last: Day)] {
        var out: [(String, Day, Day)] = []
        if week {
            var d = ClerkCalendar.weekStart(first)
            while d <= last { out.append((ClerkCalendar.weekLabel(d), d, d + 6)); d = d + 7 }
        } else {
            var d = first
            while d <= last { out.append((d.description, d, d)); d = d + 1 }
        }
        return out
    }

    /// Runs a query whose grain is `.day` or `.week` over the months `from...to` (default:
    /// the ledger's last month).
    public static func run(_ t: Timeline, configuration: Configuration, query q: KPIQuery) -> KPIResult {
        let lastMonth = t.lastDay.yearMonth
        let to = q.to ?? lastMonth, from = q.from ?? to
        let ps = periods(week: q.grain == .week, first: from.firstDay, last: to.lastDay)
        let grouping = Grouping(t.ledger, by: q.by)
        let groups = grouping.count, np = ps.count
        guard let firstDay = ps.first?.first, let lastDay = ps.last?.last else {
            return KPIResult(query: q, baseCurrency: t.base, periods: [], rows: [])
        }
        func period(_ d: Day) -> Int? {
            guard d >= firstDay && d <= lastDay else { return nil }
            return q.grain == .week ? (d - firstDay) / 7 : d - firstDay
        }
        let group = grouping.customerGroup
        let l = t.ledger
        var billings = [Int64](repeating: 0, count: groups * np), collections = billings, creditMemos = billings, writeOffs = billings
        for s in 0..<t.slotCount where t.isReceivable[s] {
            if let p = period(t.docDate[s]) { billings[Int(group[Int(t.docCustomer[s])]) * np + p] += t.docBase[s] }
        }
        for p in 0..<l.payments.count {
            if let k = period(l.payments.receivedDate[p]) { collections[Int(group[Int(l.payments.customer[p])]) * np + k] += t.payBase[p] }
        }
        let adj = l.adjustments
        for a in 0..<adj.count where adj.kind[a].isCredit {
            guard let k = period(adj.date[a]) else { continue }
            let x = Int(group[Int(adj.customer[a])]) * np + k
            if adj.kind[a] == .writeOff { writeOffs[x] += t.adjBase[a] } else { creditMemos[x] += t.adjBase[a] }
        }
        // Balances at each period's end.
        var gross = [Int64](repeating: 0, count: groups * np), net = gross, unapplied = gross
        var open = [Int32](repeating: 0, count: groups * np)
        let wantsOpen = q.metrics.contains(.open_invoices)
        var sweep = BalanceSweep(t, customerGroup: group, groupCount: groups, months: MonthRange(firstDay.yearMonth, firstDay.yearMonth))
        for (k, p) in ps.enumerated() {
            sweep.advance(through: max(p.last, sweep.through))
            for g in 0..<groups {
                gross[g * np + k] = sweep.gross[g]
                unapplied[g * np + k] = sweep.unapplied[g]
                net[g * np + k] = sweep.gross[g] - sweep.unapplied[g] - sweep.unallocated[g]
            }
            if wantsOpen { for s in sweep.openDocuments() { open[Int(group[Int(t.docCustomer[Int(s)])]) * np + k] += 1 } }
        }
        var rows: [KPIRow] = []
        let keys: [String?] = q.by == nil ? [nil] : grouping.keys
        for metric in q.metrics {
            for (k, p) in ps.enumerated() {
                for (g, key) in keys.enumerated() {
                    let x = g * np + k
                    let v: KPIValue
                    switch metric {
                    case .billings: v = .money(billings[x])
                    case .collections: v = .money(collections[x])
                    case .credit_memos: v = .money(creditMemos[x])
                    case .write_offs: v = .money(writeOffs[x])
                    case .unapplied_cash: v = .money(unapplied[x])
                    case .ar: v = .money(net[x])
                    case .ar_gross: v = .money(gross[x])
                    case .open_invoices: v = .number(Double(open[x]))
                    default: v = .null
                    }
                    rows.append(KPIRow(metric: metric, period: p.label, group: key, value: v, status: nil))
                }
            }
        }
        let periods = ps.enumerated().map { Period(label: $0.element.label, lo: $0.offset, hi: $0.offset) }
        return KPIResult(query: q, baseCurrency: t.base, periods: periods, rows: rows)
    }
}
