import ARModel

/// How well each kind of collection step works: for the steps logged in the year before the
/// date (and at least 30 days before it, so every window is complete), the share after which
/// the customer paid something within 7, 14 and 30 days, and the cash it brought in: each payment
/// is credited once, to the customer's last step in the 30 days before it.
public struct DunningEffectiveness: Sendable {
    public struct Line: Sendable {
        public let step: String
        public let count: Int
        public let paid7: Int
        public let paid14: Int
        public let paid30: Int
        /// Base minor units received within 30 days of a step of this kind and before any
        /// later step (each payment counts once, for the last step before it).
        public let recovered: Int64
        public func share(_ n: Int) -> Double { count > 0 ? Double(n) / Double(count) * 100 : 0 }
    }
    public let lines: [Line]

    public init(_ t: Timeline, asOf: Day) {
        let l = t.ledger, a = l.activities, pay = l.payments
        var byCustomer = [[Int]](repeating: [], count: l.customers.count)
        for p in 0..<pay.count { byCustomer[Int(pay.customer[p])].append(p) }
        for c in byCustomer.indices { byCustomer[c].sort { (pay.receivedDate[$0], $0) < (pay.receivedDate[$1], $1) } }
        /// The first payment after `d` (exclusive).
        func firstAfter(_ c: Int, _ d: Day) -> Day? {
            let list = byCustomer[c]
            var lo = 0, hi = list.count
            while lo < hi { let mid = (lo + hi) / 2; if pay.receivedDate[list[mid]] <= d { lo = mid + 1 } else { hi = mid } }
            return lo < list.count ? pay.receivedDate[list[lo]] : nil
        }
        var acc: [ActivityKind: (Int, Int, Int, Int, Int64)] = [:]
        for k in 0..<a.count where a.kind[k] != .promise && a.kind[k] != .note {
            let d = a.date[k]
            guard asOf - d >= 30 && asOf - d < 395 else { continue }
            let first = firstAfter(Int(a.customer[k]), d)
            var x = acc[a.kind[k]] ?? (0, 0, 0, 0, 0)
            x.0 += 1
            if let f = first {
                if f - d <= 7 { x.1 += 1 }
                if f - d <= 14 { x.2 += 1 }
                if f - d <= 30 { x.3 += 1 }
            }
            acc[a.kind[k]] = x
        }
        // Last-touch: each payment to the latest judged step of its customer in the 30 days before it.
        var steps = [[Int]](repeating: [], count: l.customers.count)
        for k in 0..<a.count where a.kind[k] != .promise && a.kind[k] != .note && asOf - a.date[k] >= 30 && asOf - a.date[k] < 395 {
            steps[Int(a.customer[k])].append(k)
        }
        for c in steps.indices { steps[c].sort { (a.date[$0], $0) < (a.date[$1], $1) } }
        for p in 0..<pay.count {
            let list = steps[Int(pay.customer[p])], d = pay.receivedDate[p]
            var lo = 0, hi = list.count
            while lo < hi { let mid = (lo + hi) / 2; if a.date[list[mid]] < d { lo = mid + 1 } else { hi = mid } }
            guard lo > 0 else { continue }
            let k = list[lo - 1]
            if d - a.date[k] <= 30 { acc[a.kind[k]]!.4 += t.payBase[p] }
        }
        lines = ActivityKind.allCases.compactMap { kind in
            acc[kind].map { Line(step: kind.name, count: $0.0, paid7: $0.1, paid14: $0.2, paid30: $0.3, recovered: $0.4) }
        }
    }
}
