import ARModel

/// Per collector, for the month of the date: collections, CEI and ADD from the KPI engine
/// (customers grouped by their collector), the work logged, promises made and kept, and
/// accounts escalated (an `agency` activity, or at the last two ladder steps today).
public struct CollectorLine: Sendable {
    public let collector: String
    public let accounts: Int
    public let overdue: Int64
    public let collections: Int64
    public let cei: Double?
    public let add: Double?
    public let activities: Int
    public let promisesMade: Int
    public let promisesDue: Int
    public let promisesKept: Int
    public let escalated: Int
    public var promiseKeptRate: Double? { promisesDue > 0 ? Double(promisesKept) / Double(promisesDue) * 100 : nil }
}

public enum TeamPerformance {
    public static func compute(_ book: AccountBook, worklist: Worklist, configuration: Configuration) -> [CollectorLine] {
        let t = book.timeline, l = t.ledger
        let month = book.asOf.yearMonth
        let kpi = KPIEngine.run(t, configuration: configuration,
                                query: KPIQuery(metrics: [.collections, .cei, .add], from: month, to: month, by: .collector))
        var money: [String: Int64] = [:], cei: [String: Double] = [:], add: [String: Double] = [:]
        for r in kpi.rows {
            guard let g = r.group else { continue }
            switch (r.metric, r.value) {
            case (.collections, .money(let m)): money[g] = m
            case (.cei, _): cei[g] = r.value.double
            case (.add, _): add[g] = r.value.double
            default: break
            }
        }
        func name(_ c: Int) -> String { l.customers.symbol(l.customers.collector[c]) ?? Grouping.none }
        var accounts: [String: Int] = [:], overdue: [String: Int64] = [:], escalated: [String: Set<Int>] = [:]
        for c in 0..<book.customerCount where !book.items[c].isEmpty { accounts[name(c), default: 0] += 1 }
        let n = configuration.dunning.steps.count
        let lastSteps: Set<Int> = [max(0, n - 2), n - 1]
        for r in worklist.rows {
            overdue[name(r.customer), default: 0] += r.overdue
            if lastSteps.contains(r.step) { escalated[name(r.customer), default: []].insert(r.customer) }
        }
        var acts: [String: Int] = [:], made: [String: Int] = [:], due: [String: Int] = [:], kept: [String: Int] = [:]
        let a = l.activities
        for k in 0..<a.count {
            let c = Int(a.customer[k])
            let who = a.collector[k] >= 0 ? a.symbols[a.collector[k]] : name(c)
            if a.date[k].yearMonth == month && a.date[k] <= book.asOf {
                acts[who, default: 0] += 1
                if a.kind[k] == .promise { made[who, default: 0] += 1 }
                if a.kind[k] == .agency { escalated[who, default: []].insert(c) }
            }
            // Promises that fell due in the month before the date: kept or broken by now.
            if let d = a.promisedDate[k], d.yearMonth == month, d < book.asOf, let s = book.promiseStatus[k] {
                due[who, default: 0] += 1
                if s == .kept { kept[who, default: 0] += 1 }
            }
        }
        let names = Set(accounts.keys).union(acts.keys).union(money.keys).subtracting([Grouping.none]).sorted()
            + (accounts[Grouping.none] != nil || acts[Grouping.none] != nil ? [Grouping.none] : [])
        return names.map { n in
            CollectorLine(collector: n, accounts: accounts[n] ?? 0, overdue: overdue[n] ?? 0, collections: money[n] ?? 0,
                          cei: cei[n], add: add[n], activities: acts[n] ?? 0, promisesMade: made[n] ?? 0,
                          promisesDue: due[n] ?? 0, promisesKept: kept[n] ?? 0, escalated: escalated[n]?.count ?? 0)
        }
    }
}
