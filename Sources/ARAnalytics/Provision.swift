import ARModel

/// The expected credit loss allowance on trade receivables by a provision matrix: the simplified
/// approach of IFRS 9 (lifetime expected losses, 5.5.15 and B5.5.35) and, with the same numbers,
/// the loss-rate ("aging schedule") method of CECL (ASC 326-20).
///
/// The loss rate of a bucket is what the ledger itself lost on the receivables that stood in
/// that bucket: at each month-end of the lookback, every receivable document open with a
/// positive balance adds its open amount to its bucket's exposure, and the part of that amount
/// written off after that month-end (up to the date the rates are for) to the bucket's losses.
/// rate = losses ÷ exposure. An amount that passes through several buckets counts in each, as in
/// a roll-rate table. An optional forward-looking adjustment scales every rate (+10 means 10%
/// higher rates, capped at 100%). The allowance of a bucket is its gross balance × its rate,
/// rounded to the minor unit (half away from zero).
public struct ProvisionMatrix: Sendable {
    public struct Line: Sendable {
        public let label: String
        /// Gross open balance of the bucket at the date (base currency minor units).
        public let balance: Int64
        /// Open amounts observed in the bucket over the lookback, and the part later written off.
        public let exposure: Int64
        public let losses: Int64
        /// Historical loss rate (0…1), and the rate applied after the forward-looking adjustment.
        public let historicalRate: Double
        public let rate: Double
        public let provision: Int64
    }

    public let asOf: Day
    public let lines: [Line]
    /// The month-ends the rates were measured on, oldest first.
    public let samples: [Day]
    public let adjustmentPercent: Double
    public var provision: Int64 { lines.reduce(0) { $0 + $1.provision } }
    public var balance: Int64 { lines.reduce(0) { $0 + $1.balance } }
    /// The allowance as a share of gross AR, percent.
    public var coverage: Double? { balance > 0 ? Double(provision) / Double(balance) * 100 : nil }

    /// The allowance of each balance at its rate, rounded half away from zero.
    public static func apply(balances: [Int64], rates: [Double]) -> [Int64] {
        zip(balances, rates).map { b, r in Int64((Double(b) * r).rounded(.toNearestOrAwayFromZero)) }
    }

    /// The rate after a forward-looking adjustment of `percent` (capped at 0…1).
    public static func adjusted(_ rate: Double, percent: Double) -> Double { min(1, max(0, rate * (1 + percent / 100))) }
}

/// The allowance at the month-end, at the month-end before, and how it moved: opening + charge
/// to profit or loss − amounts written off = closing.
public struct Provision: Sendable {
    public let current: ProvisionMatrix
    public let previous: ProvisionMatrix
    /// Write-offs dated in the month (base currency minor units).
    public let writeOffs: Int64
    public var opening: Int64 { previous.provision }
    public var closing: Int64 { current.provision }
    /// The expense of the month: what the allowance needs beyond what write-offs used up.
    public var charge: Int64 { closing - opening + writeOffs }

    public init(current: ProvisionMatrix, previous: ProvisionMatrix, writeOffs: Int64) {
        self.current = current; self.previous = previous; self.writeOffs = writeOffs
    }

    /// The provision at the end of `month` and of the month before, each with the rates of its
    /// own lookback (`lookbackMonths` month-ends before it) and the gross aging by `edges`.
    public static func compute(_ t: Timeline, month: YearMonth, edges: [Int], lookbackMonths: Int, adjustmentPercent: Double) -> Provision {
        let l = t.ledger
        let labels = Aging.labels(edges, basis: .due)
        let nb = labels.count
        // Write-offs per receivable document, in base currency at the document's own rate.
        var writeOffs: [Int: [(Day, Int64)]] = [:]
        for a in 0..<l.adjustments.count where l.adjustments.kind[a] == .writeOff {
            let d = l.adjustments.document[a]
            guard !d.isNone else { continue }
            let s = t.slot(d)
            guard s < t.slotCount, t.isReceivable[s] else { continue }
            writeOffs[s, default: []].append((l.adjustments.date[a], t.docBase(s, open: abs(l.adjustments.amount[a]))))
        }
        // One sweep over the month-ends of both lookbacks: `lookbackMonths + 1` before the month.
        let first = month.advanced(by: -(lookbackMonths + 1))
        let sampleMonths = (0...lookbackMonths).map { first.advanced(by: $0) }   // first … month − 1
        let end = [month.advanced(by: -1).lastDay, month.lastDay]
        let range = MonthRange(min(t.firstDay, first.firstDay).yearMonth, max(t.lastDay, month.lastDay).yearMonth)
        let groups = [Int32](repeating: 0, count: l.customers.count)
        var sweep = BalanceSweep(t, customerGroup: groups, groupCount: 1, months: range)
        // exposure[k][b], and the open amounts of written-off documents per sample.
        var exposure = [[Int64]](repeating: [Int64](repeating: 0, count: nb), count: sampleMonths.count)
        var candidates: [(k: Int, slot: Int, bucket: Int, open: Int64)] = []
        for (k, m) in sampleMonths.enumerated() {
            let day = m.lastDay
            sweep.advance(through: day)
            for s32 in sweep.openDocuments() {
                let s = Int(s32)
                guard t.isReceivable[s] else { continue }
                let v = t.docBase(s, open: sweep.docOpen[s])
                guard v > 0 else { continue }
                let b = Aging.bucket(day - t.docDue[s], edges, basis: .due)
                exposure[k][b] += v
                if writeOffs[s] != nil { candidates.append((k, s, b, v)) }
            }
        }
        let samplesDays = sampleMonths.map(\.lastDay)
        // The rates at `horizon` from samples lo..<hi.
        func rates(_ lo: Int, _ hi: Int, _ horizon: Day) -> (exposure: [Int64], losses: [Int64]) {
            var e = [Int64](repeating: 0, count: nb), loss = [Int64](repeating: 0, count: nb)
            for k in lo..<hi { for b in 0..<nb { e[b] += exposure[k][b] } }
            for c in candidates where c.k >= lo && c.k < hi {
                let sampleDay = samplesDays[c.k]
                let written = writeOffs[c.slot]!.reduce(Int64(0)) { $0 + ($1.0 > sampleDay && $1.0 <= horizon ? $1.1 : 0) }
                loss[c.bucket] += min(c.open, written)
            }
            return (e, loss)
        }
        func matrix(_ asOf: Day, _ lo: Int, _ hi: Int) -> ProvisionMatrix {
            let (e, loss) = rates(lo, hi, asOf)
            let aging = Aging.compute(t, asOf: asOf, basis: .due, edges: edges, by: .customer)
            let hist = (0..<nb).map { e[$0] > 0 ? Double(loss[$0]) / Double(e[$0]) : 0 }
            let applied = hist.map { ProvisionMatrix.adjusted($0, percent: adjustmentPercent) }
            let amounts = ProvisionMatrix.apply(balances: aging.total.buckets, rates: applied)
            return ProvisionMatrix(asOf: asOf, lines: (0..<nb).map {
                ProvisionMatrix.Line(label: labels[$0], balance: aging.total.buckets[$0], exposure: e[$0], losses: loss[$0],
                                     historicalRate: hist[$0], rate: applied[$0], provision: amounts[$0])
            }, samples: Array(samplesDays[lo..<hi]), adjustmentPercent: adjustmentPercent)
        }
        // The month's rates use samples 1…L (month − L … month − 1); the month before's 0…L−1.
        let current = matrix(end[1], 1, sampleMonths.count)
        let previous = matrix(end[0], 0, sampleMonths.count - 1)
        // The month's write-offs as the roll-forward counts them, so the movement ties to it.
        return Provision(current: current, previous: previous, writeOffs: RollForward.compute(t, from: month, to: month).writeOffs)
    }
}
