import ARModel

/// Each customer's payments in their own currency, sorted by received date, with running
/// totals: "how much did this customer pay between two dates" in O(log n).
public struct PaymentIndex: Sendable {
    let byCustomer: [[Int]]
    let prefix: [[Int64]]
    let received: [Day]

    public init(_ l: Ledger) {
        let pay = l.payments
        var by = [[Int]](repeating: [], count: l.customers.count)
        for p in 0..<pay.count where pay.currency[p] == l.customers.currency[Int(pay.customer[p])] {
            by[Int(pay.customer[p])].append(p)
        }
        var prefix = [[Int64]](repeating: [], count: l.customers.count)
        for c in 0..<l.customers.count {
            // In (received date, index) order; payments mostly come in date order already.
            let list = by[c]
            if list.indices.dropFirst().contains(where: { pay.receivedDate[list[$0 - 1]] > pay.receivedDate[list[$0]] }) {
                by[c].sort { (pay.receivedDate[$0], $0) < (pay.receivedDate[$1], $1) }
            }
            var run: Int64 = 0
            prefix[c] = [0] + by[c].map { run += pay.amount[$0]; return run }
        }
        byCustomer = by
        self.prefix = prefix
        received = pay.receivedDate
    }

    /// The customer's payments received from `from` through `to`, both inclusive.
    public func paid(_ c: Int, from: Day, through to: Day) -> Int64 {
        let list = byCustomer[c]
        func firstIndex(after day: Day, inclusive: Bool) -> Int {
            var lo = 0, hi = list.count
            while lo < hi {
                let mid = (lo + hi) / 2
                let d = received[list[mid]]
                if inclusive ? d < day : d <= day { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        let a = firstIndex(after: from, inclusive: true), b = firstIndex(after: to, inclusive: false)
        return b > a ? prefix[c][b] - prefix[c][a] : 0
    }

    /// The customer's last payment received on or before `day`.
    public func lastPayment(_ c: Int, onOrBefore day: Day) -> Int? {
        byCustomer[c].last { received[$0] <= day }
    }
}
