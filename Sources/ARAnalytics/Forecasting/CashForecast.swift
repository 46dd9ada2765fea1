import ARModel
import Foundation

/// Expected cash collections per week for the coming weeks.
///
/// Each open document is paid on its due date plus a number of days late drawn from the
/// payer's own history (recent settlements weigh more: a half-life of 90 days, so a
/// deteriorating payer is seen as one), shrunk toward its segment and the whole portfolio when
/// the history is short, and conditioned on not having been paid yet. A probability of never
/// being paid grows with how late the document already is, as measured on the ledger's own
/// past. Invoices not yet issued add the billings forecast (ETS on monthly billings) paid on
/// the portfolio's days-to-pay. Intervals treat documents as independent and the billings
/// forecast's spread as its own; the backtest measures how well all this does.
public struct CashForecast: Sendable {
    public struct Week: Sendable {
        public let number: Int
        public let start: Day
        public let end: Day
        /// Base currency, major units.
        public let expected: Double
        public let fromOpen: Double
        public let fromFuture: Double
        public let lo80: Double, hi80: Double, lo95: Double, hi95: Double
    }

    public struct Item: Sendable {
        public let slot: Int
        public let open: Double
        public let daysPastDue: Int
        public let neverPaid: Double
        /// Expected amount collected within the horizon.
        public let expected: Double
        /// The week most likely to bring the cash (1-based), nil when beyond the horizon.
        public let likelyWeek: Int?
    }

    public let asOf: Day
    public let weeks: [Week]
    public let items: [Item]
    public let billingsModel: String

    /// Weighted whole-day samples (days late, days to pay): their distinct values ascending,
    /// the cumulative weight at each, and how many samples were added. A large one also keeps
    /// the cumulative weight at every whole day of its span (`spread()`), read without a search.
    struct Distribution {
        var values: [Double] = []
        var cumulative: [Double] = []
        var count = 0
        var total: Double { cumulative.last ?? 0 }
        /// The weight of samples <= `low + k`, for every k; empty until `spread()`.
        var dense: [Double] = []
        var low = 0.0

        /// Adds a sample; values come in ascending order, equal ones in the order they were drawn.
        @inline(__always)
        mutating func add(_ v: Double, _ w: Double) {
            let run = total + w
            if let last = values.last, last == v { cumulative[cumulative.count - 1] = run } else { values.append(v); cumulative.append(run) }
            count += 1
        }

        /// Lays out the cumulative weight day by day, when the span is not much wider than the
        /// distinct values.
        mutating func spread() {
            guard let first = values.first, let last = values.last, last - first < Double(4 * values.count + 64) else { return }
            low = first
            var out: [Double] = [], k = 0
            out.reserveCapacity(Int(last - first) + 1)
            var x = first
            while x <= last {
                while k < values.count && values[k] <= x { k += 1 }
                out.append(cumulative[k - 1])
                x += 1
            }
            dense = out
        }

        /// Weight of samples <= x.
        @inline(__always)
        func weight(atMost x: Double) -> Double {
            if !dense.isEmpty {
                if x < low { return 0 }
                let k = x - low
                return k >= Double(dense.count - 1) ? total : dense[Int(k)]
            }
            var lo = 0, hi = values.count
            while lo < hi { let mid = (lo + hi) / 2; if values[mid] <= x { lo = mid + 1 } else { hi = mid } }
            return lo == 0 ? 0 : cumulative[lo - 1]
        }

        /// P(a < L <= b), unnormalised.
        func mass(_ a: Double, _ b: Double) -> Double { weight(atMost: b) - weight(atMost: a) }

        /// `weight(atMost: a + 7k)` for k in 0...h, into `out`.
        func weeklyWeights(from a: Double, _ h: Int, into out: inout [Double]) {
            out.removeAll(keepingCapacity: true)
            if !dense.isEmpty {
                for k in 0...h { out.append(weight(atMost: a + Double(7 * k))) }
                return
            }
            var lo = 0, hi = values.count
            while lo < hi { let mid = (lo + hi) / 2; if values[mid] <= a { lo = mid + 1 } else { hi = mid } }
            for k in 0...h {
                let x = a + Double(7 * k)
                while lo < values.count && values[lo] <= x { lo += 1 }
                out.append(lo == 0 ? 0 : cumulative[lo - 1])
            }
        }
    }

    static let halfLife = 90.0
    static let shrink = 8.0   // pseudo-observations toward the broader group

    /// The forecast made at `d`, after cash received that day.
    public static func make(_ t: Timeline, asOf d: Day, weeks h: Int = 13) -> CashForecast {
        var sweep = BalanceSweep(t, customerGroup: [Int32](repeating: 0, count: t.ledger.customers.count), groupCount: 1,
                                 months: MonthRange(min(t.firstDay, d).yearMonth, max(t.lastDay, d).yearMonth))
        sweep.advance(through: d)
        return make(t, sweep: &sweep, weeks: h)
    }

    /// The forecast made at the day `sweep` has reached (`sweep.through`; its grouping of
    /// customers does not matter). One sweep advanced from origin to origin serves forecasts at
    /// several dates, each the same as `make(t, asOf:weeks:)` at its date.
    public static func make(_ t: Timeline, sweep: inout BalanceSweep, weeks h: Int = 13) -> CashForecast {
        let l = t.ledger
        let d = sweep.through
        let major = Double(t.base.minorPerMajor)

        // History known at d: days late and days to pay of invoices settled and paid by then,
        // in invoice order; then each distribution takes them in order of their value (a stable
        // order, so equal values add their weights in invoice order).
        var late: [Int32] = [], toPay: [Int32] = [], weight: [Double] = [], customer: [Int32] = []
        var byAge: [Double] = []   // the weight of a settlement `age` days before d, computed once per age
        for i in 0..<t.invoiceCount where sweep.settleDay[i] != Int32.max && sweep.hasApplication[i] {
            let settled = Day(number: sweep.settleDay[i])
            let age = d - settled
            let w: Double
            if age >= 0 && age < 1 << 16 {
                if age >= byAge.count { byAge += (byAge.count...age).map { pow(0.5, Double($0) / halfLife) } }
                w = byAge[age]
            } else {
                w = pow(0.5, Double(age) / halfLife)
            }
            late.append(Int32(settled - t.docDue[i]))
            toPay.append(Int32(settled - t.docDate[i]))
            weight.append(w)
            customer.append(t.docCustomer[i])
        }
        // The samples by days late (moved, so each pass below reads them in sequence): the
        // portfolio's and the segments' distributions; then by customer, each customer's.
        let byLate = Counting.ranks(late)
        let lateS = Counting.scatter(late, to: byLate), weightS = Counting.scatter(weight, to: byLate)
        let customerS = Counting.scatter(customer, to: byLate)
        var segmentSlot: [Int32: Int] = [:]   // each customer's segment as a position in `segments`
        let slotOf = l.customers.segment.map { s in
            if let k = segmentSlot[s] { return k }
            segmentSlot[s] = segmentSlot.count
            return segmentSlot.count - 1
        }
        var segments = [Distribution](repeating: Distribution(), count: segmentSlot.count)
        var portfolioDist = Distribution()
        for k in lateS.indices {
            let v = Double(lateS[k]), w = weightS[k]
            segments[slotOf[Int(customerS[k])]].add(v, w)
            portfolioDist.add(v, w)
        }
        portfolioDist.spread()
        // Each customer's segment distribution (the portfolio's for a segment with no history).
        for k in segments.indices { segments[k].spread() }
        let segmentOf = slotOf.map { segments[$0].count > 0 ? segments[$0] : portfolioDist }
        segments = []
        let byCustomer = Counting.ranks(customerS)
        let lateC = Counting.scatter(lateS, to: byCustomer), weightC = Counting.scatter(weightS, to: byCustomer)
        var customerDist = [Distribution](repeating: Distribution(), count: l.customers.count)
        var k = 0
        for c in Counting.scatter(customerS, to: byCustomer) {
            customerDist[Int(c)].add(Double(lateC[k]), weightC[k])
            k += 1
        }
        var dtpDist = Distribution()
        let byDays = Counting.ranks(toPay)
        let toPayS = Counting.scatter(toPay, to: byDays)
        for (k, w) in Counting.scatter(weight, to: byDays).enumerated() { dtpDist.add(Double(toPayS[k]), w) }
        dtpDist.spread()
        late = []; toPay = []; weight = []; customer = []

        // Never paid, by how late a document already is: of the invoices that were still open
        // that late (with at least 180 days of outcome known), the share never paid by d.
        // (Counts, so one pass serves every threshold.)
        let thresholds = [0, 30, 60, 90, 180, 365]
        var neverRate = [Double](repeating: 0, count: thresholds.count)
        var openCount = [Int](repeating: 0, count: thresholds.count), neverCount = openCount
        for i in 0..<t.invoiceCount {
            let due = Int(t.docDue[i].number), s = sweep.settleDay[i]
            guard due + 180 <= Int(d.number) else { continue }
            let never = s == Int32.max || !sweep.hasApplication[i]
            for (k, a) in thresholds.enumerated() where due + a + 180 <= Int(d.number) {
                // Still open `a` days past due.
                guard s == Int32.max || Int(s) > due + a else { continue }
                openCount[k] += 1
                if never { neverCount[k] += 1 }
            }
        }
        for k in thresholds.indices {
            let open = Double(openCount[k]), never = Double(neverCount[k])
            neverRate[k] = open < 20 ? (k == 0 ? 0.01 : neverRate[k - 1]) : never / open
        }
        func neverPaid(_ late: Int) -> Double {
            var k = 0
            while k + 1 < thresholds.count && late >= thresholds[k + 1] { k += 1 }
            return min(neverRate[k], 0.95)
        }

        let weekStart = (0..<h).map { d + 1 + 7 * $0 }
        var mean = [Double](repeating: 0, count: h), variance = [Double](repeating: 0, count: h)
        var fromOpen = [Double](repeating: 0, count: h)
        var items: [Item] = []
        // Probability mass of weeks 1...h for a document `late` days past due at d, into `probs`.
        var probs = [Double](repeating: 0, count: h), bounds: [Double] = []
        func weekProbabilities(_ c: Int, late: Int) {
            let a = Double(late)
            for k in 0..<h { probs[k] = 0 }
            let cd = customerDist[c], sd = segmentOf[c]
            let nc = Double(cd.count), ns = Double(sd.count)
            let wc = nc / (nc + shrink), ws = ns / (ns + shrink)
            let dists = [(cd, wc), (sd, (1 - wc) * ws), (portfolioDist, (1 - wc) * (1 - ws))]
            var tail = 0.0
            for (dist, share) in dists where share > 0 && dist.total > 0 {
                let beyond = dist.total - dist.weight(atMost: a)
                tail += share * beyond / dist.total
            }
            if tail < 1e-6 {
                // Later than anything seen: a steady 30% chance each week.
                var left = 1.0
                for k in 0..<h { probs[k] = left * 0.3; left *= 0.7 }
                return
            }
            for (dist, share) in dists where share > 0 && dist.total > 0 {
                dist.weeklyWeights(from: a, h, into: &bounds)
                for k in 0..<h {
                    probs[k] += share * (bounds[k + 1] - bounds[k]) / dist.total / tail
                }
            }
        }
        for s32 in sweep.openDocuments() {
            let s = Int(s32)
            let open = Double(t.docBase(s, open: sweep.docOpen[s])) / major
            let late = d - t.docDue[s]
            let np = neverPaid(max(late, 0))
            weekProbabilities(Int(t.docCustomer[s]), late: late)
            var expected = 0.0
            var best: (Int, Double)? = nil
            for k in 0..<h {
                let q = (1 - np) * probs[k]
                mean[k] += open * q
                fromOpen[k] += open * q
                variance[k] += open * open * q * (1 - q)
                expected += open * q
                if q > (best?.1 ?? 0.05) { best = (k + 1, q) }
            }
            items.append(Item(slot: s, open: open, daysPastDue: late, neverPaid: np, expected: expected, likelyWeek: best?.0))
        }

        // Invoices not yet issued: the billings forecast, paid on the portfolio's days to pay.
        var monthly: [Double] = []
        var months: [YearMonth] = []
        if let first = t.firstDocumentMonth, first < d.yearMonth {
            var m = first
            while m < d.yearMonth { months.append(m); m = m.advanced(by: 1) }
            var sums = [Double](repeating: 0, count: months.count)
            let range = MonthRange(first, months.last!), start = first.firstDay, end = d.yearMonth.firstDay
            for s in 0..<t.slotCount where t.isReceivable[s] && t.docDate[s] < end && t.docDate[s] >= start {
                sums[range.index(of: t.docDate[s])!] += Double(t.docBase[s]) / major
            }
            monthly = sums
        }
        var billingsModel = "none"
        if monthly.count >= 3 {
            let horizonMonths = Int(ceil(Double(7 * h) / 28)) + 2
            let f = SeriesForecast.make(monthly, horizon: horizonMonths)
            billingsModel = f.modelName
            // Daily billing rate from the forecast month, less what the month has billed already.
            let thisMonth = d.yearMonth
            var billedThisMonth = 0.0
            let monthStart = thisMonth.firstDay
            for s in 0..<t.slotCount where t.isReceivable[s] && t.docDate[s] >= monthStart && t.docDate[s] <= d {
                billedThisMonth += Double(t.docBase[s]) / major
            }
            let np0 = neverPaid(0)
            for offset in 1...(7 * h) {
                let day = d + offset
                let k = day.yearMonth.index - thisMonth.index
                guard k >= 0 && k < f.mean.count else { continue }
                var monthTotal = max(f.mean[k], 0)
                var spread = max(f.hi80[k] - f.lo80[k], 0) / 2.563
                if k == 0 {
                    // The rest of the current month.
                    let remaining = Double(thisMonth.lastDay - d)
                    monthTotal = max(monthTotal - billedThisMonth, 0) * Double(thisMonth.dayCount) / max(remaining, 1)
                    spread = spread * Double(thisMonth.dayCount) / max(remaining, 1)
                }
                let rate = monthTotal / Double(day.yearMonth.dayCount)
                let rateSpread = spread / Double(day.yearMonth.dayCount)
                guard dtpDist.total > 0 else { continue }
                for w in 0..<h {
                    let lo = Double(weekStart[w] - day) - 1, hi = lo + 7
                    if hi < 0 { continue }
                    let p = (1 - np0) * dtpDist.mass(lo, hi) / dtpDist.total
                    mean[w] += rate * p
                    variance[w] += (rateSpread * p) * (rateSpread * p) * 7
                }
            }
        }

        // Cash arrives in lumps (payment runs, large customers): the week-to-week swing of past
        // collections around their four-week average widens the intervals beyond what
        // independent documents would give.
        let past = actuals(t, after: d - 7 * 30, weeks: 30)
        var swings: [Double] = []
        for k in 4..<past.count {
            let base = past[(k - 4)..<k].reduce(0, +) / 4
            if base > 0 { swings.append(past[k] / base - 1) }
        }
        let cv = swings.count > 3 ? (swings.map { $0 * $0 }.reduce(0, +) / Double(swings.count)).squareRoot() : 0
        var out: [Week] = []
        for k in 0..<h {
            let sd = (variance[k] + (cv * mean[k]) * (cv * mean[k])).squareRoot()
            out.append(Week(number: k + 1, start: weekStart[k], end: weekStart[k] + 6, expected: mean[k], fromOpen: fromOpen[k],
                            fromFuture: mean[k] - fromOpen[k], lo80: max(0, mean[k] - 1.2816 * sd), hi80: mean[k] + 1.2816 * sd,
                            lo95: max(0, mean[k] - 1.96 * sd), hi95: mean[k] + 1.96 * sd))
        }
        return CashForecast(asOf: d, weeks: out, items: items.sorted { $0.expected > $1.expected }, billingsModel: billingsModel)
    }

    /// Cash actually received in each week after `d` (base currency, major units).
    public static func actuals(_ t: Timeline, after d: Day, weeks h: Int) -> [Double] {
        var out = [Double](repeating: 0, count: h)
        let major = Double(t.base.minorPerMajor)
        for p in 0..<t.ledger.payments.count {
            let k = (t.ledger.payments.receivedDate[p] - d - 1)
            if k >= 0 && k < 7 * h { out[k / 7] += Double(t.payBase[p]) / major }
        }
        return out
    }

    /// The naive baseline: every open invoice paid at its issue date plus the average days
    /// to pay (the next day if that has passed), plus the same billings forecast.
    public static func naive(_ t: Timeline, asOf d: Day, weeks h: Int, future: [Double]) -> [Double] {
        var sweep = BalanceSweep(t, customerGroup: [Int32](repeating: 0, count: t.ledger.customers.count), groupCount: 1,
                                 months: MonthRange(min(t.firstDay, d).yearMonth, max(t.lastDay, d).yearMonth))
        sweep.advance(through: d)
        var sum = 0.0, n = 0.0
        for i in 0..<t.invoiceCount where sweep.settleDay[i] != Int32.max && sweep.hasApplication[i] {
            sum += Double(Int(sweep.settleDay[i]) - Int(t.docDate[i].number)); n += 1
        }
        let avg = n == 0 ? 30 : Int((sum / n).rounded())
        var out = future
        let major = Double(t.base.minorPerMajor)
        for s32 in sweep.openDocuments() {
            let s = Int(s32)
            let pay = max(t.docDate[s] + avg, d + 1)
            let k = (pay - d - 1) / 7
            if k < h { out[k] += Double(t.docBase(s, open: sweep.docOpen[s])) / major }
        }
        return out
    }

    public struct Backtest: Sendable {
        public let origins: [Day]
        /// Per horizon week: weighted absolute percentage error and bias, in %.
        public let wape: [Double]
        public let bias: [Double]
        public let naiveWape: [Double]
        public let coverage80: Double
    }

    /// Replays the forecast from each origin using only what was known then, and scores it
    /// against the cash that came in.
    public static func backtest(_ t: Timeline, origins: [Day], weeks h: Int = 13) -> Backtest {
        var absErr = [Double](repeating: 0, count: h), err = [Double](repeating: 0, count: h)
        var naiveErr = [Double](repeating: 0, count: h), actualSum = [Double](repeating: 0, count: h)
        var inside = 0, total = 0
        for o in origins {
            let f = make(t, asOf: o, weeks: h)
            let a = actuals(t, after: o, weeks: h)
            let nv = naive(t, asOf: o, weeks: h, future: f.weeks.map(\.fromFuture))
            for k in 0..<h {
                absErr[k] += abs(f.weeks[k].expected - a[k])
                err[k] += f.weeks[k].expected - a[k]
                naiveErr[k] += abs(nv[k] - a[k])
                actualSum[k] += a[k]
                total += 1
                if a[k] >= f.weeks[k].lo80 && a[k] <= f.weeks[k].hi80 { inside += 1 }
            }
        }
        func pct(_ x: [Double]) -> [Double] { (0..<h).map { actualSum[$0] == 0 ? .nan : x[$0] / actualSum[$0] * 100 } }
        return Backtest(origins: origins, wape: pct(absErr), bias: pct(err), naiveWape: pct(naiveErr),
                        coverage80: total == 0 ? .nan : Double(inside) / Double(total) * 100)
    }
}
