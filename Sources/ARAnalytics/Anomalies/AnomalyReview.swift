import ARModel

/// The documents open at a day: receivable documents (by slot) with a balance, payments with
/// cash not yet applied, credits with a part not yet allocated.
public struct OpenDocuments: Sendable {
    public let asOf: Day
    public let document: [Bool]
    public let payment: [Bool]
    public let credit: [Bool]
    /// Open local balances, for the documents named in a tracked finding.
    let docOpen: [Int64], payUnapplied: [Int64], creditUnallocated: [Int64]

    public init(_ t: Timeline, asOf: Day) {
        self.asOf = asOf
        var sweep = BalanceSweep(t, customerGroup: [Int32](repeating: 0, count: t.ledger.customers.count), groupCount: 1,
                                 months: MonthRange(min(t.firstDay, asOf).yearMonth, max(t.lastDay, asOf).yearMonth))
        sweep.advance(through: asOf)
        docOpen = sweep.docOpen
        payUnapplied = sweep.payUnapplied
        creditUnallocated = sweep.creditUnallocated
        document = docOpen.map { $0 != 0 }
        payment = payUnapplied.map { $0 != 0 }
        credit = creditUnallocated.map { $0 != 0 }
    }
}

/// What the reviewed-findings list does to the rules' findings: cleared ones are hidden,
/// confirmed ones are marked, and every confirmed entry is tracked, whether a rule still finds
/// it or not, until all its documents are closed.
public struct AnomalyReview: Sendable {
    public let reviewed: [ReviewedFinding]

    public init(_ reviewed: [ReviewedFinding]) { self.reviewed = reviewed }

    /// The reviewer's entry for a finding (the last one in the list wins).
    public func verdict(_ f: AnomalyFinding) -> ReviewedFinding? {
        reviewed.last { $0.matches(f.rule, f.documents) }
    }

    /// The findings without the cleared ones, confirmed ones marked with their entry; and how
    /// many were cleared.
    public func apply(_ findings: [AnomalyFinding]) -> (shown: [AnomalyFinding], cleared: Int) {
        guard !reviewed.isEmpty else { return (findings, 0) }
        var shown: [AnomalyFinding] = []
        var cleared = 0
        for var f in findings {
            if let r = verdict(f) {
                if r.verdict == .cleared { cleared += 1; continue }
                f.review = r
            }
            shown.append(f)
        }
        return (shown, cleared)
    }

    /// A confirmed finding and where its documents stand.
    public struct Tracked: Sendable {
        public let entry: ReviewedFinding
        /// Each document with what is still open on it, base currency minor units (nil: not in
        /// the ledger).
        public let documents: [(id: String, open: Int64?)]
        public var openAmount: Int64 { documents.reduce(0) { $0 + ($1.open ?? 0) } }
        /// Every document is in the ledger and none is open.
        public var resolved: Bool { documents.allSatisfy { $0.open == 0 } }
        public var missing: [String] { documents.filter { $0.open == nil }.map(\.id) }
    }

    /// Every confirmed entry (the last verdict for a finding counts) with its documents' open
    /// amounts at `open.asOf`: an invoice, debit memo or late fee is open while it has a
    /// balance, a payment while cash is unapplied, a credit memo while part of it is not
    /// allocated; a write-off is closed.
    public func tracked(_ t: Timeline, _ open: OpenDocuments) -> [Tracked] {
        let l = t.ledger
        var out: [Tracked] = []
        for (k, r) in reviewed.enumerated() where r.verdict == .confirmed {
            // A later line for the same finding overrides this one.
            if reviewed[(k + 1)...].contains(where: { $0.rule == r.rule && Set($0.documents) == Set(r.documents) }) { continue }
            let docs: [(String, Int64?)] = r.documents.map { id in
                if let d = l.findDocument(id) {
                    let slot = t.slot(d)
                    return (id, t.docBase(slot, open: open.docOpen[slot]))
                }
                if let p = l.payments.ids.find(id) {
                    let k = Int(p)
                    return (id, Timeline.convert(open.payUnapplied[k], t.payRate[k], l.payments.currency[k].minorDigits, t.base.minorDigits))
                }
                if let a = l.adjustments.ids.find(id) {
                    let k = Int(a)
                    guard l.adjustments.kind[k] == .creditMemo else { return (id, 0) }
                    return (id, Timeline.convert(open.creditUnallocated[k], t.adjRate[k], l.adjustments.currency[k].minorDigits, t.base.minorDigits))
                }
                return (id, nil)
            }
            out.append(Tracked(entry: r, documents: docs))
        }
        return out
    }
}
