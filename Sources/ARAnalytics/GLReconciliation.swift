import ARModel

/// The AR sub-ledger against the general ledger's AR control account at each date given.
public struct GLReconciliationLine: Sendable {
    public let date: Day
    public let gl: Int64
    public let subledger: Int64
    public var difference: Int64 { gl - subledger }
    /// What would explain the difference, when something does; empty when it is zero or unexplained.
    public let explanations: [String]
}

public enum GLReconciliation {
    /// An entry's effect on AR: invoices and debits +, payments and credits −, base currency.
    struct Entry { let date: Day; let effect: Int64; let what: String }

    /// `days`: how far either side of a close a cut-off difference is looked for.
    public static func reconcile(_ t: Timeline, gl: [(date: Day, balance: Int64)], days: Int = 7) -> [GLReconciliationLine] {
        let l = t.ledger
        var entries: [Entry] = []
        for i in 0..<t.slotCount where t.isReceivable[i] {
            let id = i < t.invoiceCount ? l.invoices.ids[Int32(i)] : l.adjustments.ids[Int32(i - t.invoiceCount)]
            entries.append(Entry(date: t.docDate[i], effect: t.docBase[i], what: id))
        }
        for p in 0..<l.payments.count { entries.append(Entry(date: l.payments.receivedDate[p], effect: -t.payBase[p], what: l.payments.ids[Int32(p)])) }
        for a in 0..<l.adjustments.count where l.adjustments.kind[a].isCredit {
            entries.append(Entry(date: l.adjustments.date[a], effect: -t.adjBase[a], what: l.adjustments.ids[Int32(a)]))
        }
        entries.sort { ($0.date, $0.what) < ($1.date, $1.what) }
        let digits = t.base.minorDigits
        func m(_ v: Int64) -> String { Money.decimalString(v, digits: digits, grouping: ",") }
        let ident = [Int32](repeating: 0, count: l.customers.count)
        var out: [GLReconciliationLine] = []
        let rows = gl.sorted(by: { $0.date < $1.date })
        guard let first = rows.first, let last = rows.last else { return [] }
        // One sweep forward through the dates.
        var sweep = BalanceSweep(t, customerGroup: ident, groupCount: 1, months: MonthRange(min(first.date, t.firstDay).yearMonth, last.date.yearMonth))
        for row in rows {
            if row.date >= sweep.through { sweep.advance(through: row.date) }
            let sub = sweep.netAR()
            let diff = row.balance - sub
            var why: [String] = []
            if diff != 0 {
                // Cut-off: entries just after the date the GL already holds (+effect), or entries
                // up to the date the GL does not hold yet (−effect).
                var near: [(Entry, Int64)] = []
                for e in entries where e.date > row.date - days && e.date <= row.date + days {
                    near.append((e, e.date > row.date ? e.effect : -e.effect))
                }
                func describe(_ e: Entry, _ signed: Int64) -> String {
                    e.date > row.date ? "\(e.what) dated \(e.date) (\(m(e.effect))) is in the GL before the close"
                                      : "\(e.what) dated \(e.date) (\(m(e.effect))) is not in the GL yet"
                }
                if let one = near.first(where: { $0.1 == diff }) {
                    why.append(describe(one.0, one.1))
                } else {
                    var seen: [Int64: Int] = [:]
                    for (k, x) in near.enumerated() {
                        if let j = seen[diff - x.1] { why.append(describe(near[j].0, near[j].1) + "; " + describe(x.0, x.1)); break }
                        if seen[x.1] == nil { seen[x.1] = k }
                    }
                }
                let unapplied = sweep.unapplied[0], unallocated = sweep.unallocated[0]
                if unapplied != 0 && diff == unapplied { why.append("the GL does not net unapplied cash of \(m(unapplied))") }
                if why.isEmpty && unallocated != 0 && diff == unallocated { why.append("the GL does not net unallocated credits of \(m(unallocated))") }
                if why.isEmpty && unapplied + unallocated != 0 && diff == unapplied + unallocated {
                    why.append("the GL does not net unapplied cash and credits (\(m(unapplied + unallocated)))")
                }
                if why.isEmpty, let k = sweep.months.index(of: row.date), sweep.flows.fx[k] != 0, diff == -sweep.flows.fx[k] {
                    why.append("FX revaluation of the month (\(m(sweep.flows.fx[k]))) is not in the GL")
                }
            }
            out.append(GLReconciliationLine(date: row.date, gl: row.balance, subledger: sub, explanations: why))
        }
        return out
    }
}
