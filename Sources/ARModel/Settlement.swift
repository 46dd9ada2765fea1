import CSupport
import Dispatch

/// How payments and credits settle documents: the one rule every balance in ARLens follows
/// (aging, KPIs, worklist, account view, statements, roll-forward).
///
/// **Effective date.** An application takes effect on the latest of its `applied_date`, its
/// payment's `received_date` and its document's own date; a credit's allocation takes effect
/// on the later of the credit's date and its document's date. Until then the amount is
/// unapplied cash (or unallocated credit) of the customer who paid (or was credited). This is
/// the "later of the two dates" reading of an advance: cash received on 2016-11-09 against an
/// invoice issued 2016-11-30 is unapplied cash from the 9th and settles the invoice on the 30th.
///
/// **Caps.** In effective-date order (applications before credits on the same day, then file
/// order), each application is cut to what its payment has left and what its document has
/// open, and each credit allocation to what its document has open. An open balance therefore
/// never goes negative, whichever way the documents are dated and whether cash was applied
/// by applications.csv or automatically: the excess stays unapplied cash or unallocated
/// credit and is reported as an issue (file line included), never silently dropped.
///
/// `settle()` rewrites `applications.date` to the effective date and `applications.amount` /
/// `adjustments.allocated` to what fits; `requested` keeps what the file asked for. It reports
/// only what it changed, so it is idempotent: settling a settled ledger changes nothing and
/// reports nothing, and settling again after automatic cash application reports only the
/// credits that the automatic applications left no room for.
public struct SettlementIssue: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// An application dated before its document (an advance) or before its payment was received.
        case appliedBeforeDocument = "applied_before_document"
        /// A credit dated before the document it is allocated to.
        case creditBeforeDocument = "credit_before_document"
        /// An application beyond what its payment had left or its document had open.
        case overApplication = "over_application"
        /// A credit beyond what its document had open.
        case overCredit = "over_credit"
    }
    public var kind: Kind
    /// "applications" or "adjustments".
    public var table: String
    /// The payment id (applications) or adjustment id (credits).
    public var key: String
    /// Source line (0 when the row was made by ARLens, e.g. automatic cash application).
    public var line: Int32
    /// What happened, without the file name.
    public var message: String
}

extension Ledger {
    /// The date a document exists from: an invoice's issue date, an adjustment's date.
    @inlinable
    public func documentDate(_ d: DocumentRef) -> Day {
        if let i = d.invoiceIndex { return invoices.issueDate[i] }
        return adjustments.date[d.adjustmentIndex!]
    }

    /// The day a credit's allocation to its document takes effect (see `Settlement`).
    @inlinable
    public func allocationDate(_ a: Int) -> Day {
        let d = adjustments.document[a]
        return d.isNone ? adjustments.date[a] : max(adjustments.date[a], documentDate(d))
    }

    /// Applies the settlement rule (effective dates, then caps) and returns what it changed.
    public mutating func settle() -> [SettlementIssue] {
        let nInv = invoices.count
        func slot(_ d: DocumentRef) -> Int { d.invoiceIndex ?? (nInv + d.adjustmentIndex!) }
        func money(_ v: Int64, _ c: Currency) -> String { Money.decimalString(v, digits: c.minorDigits) }

        // 1. Effective dates of applications, in parts on every core for many rows (each part
        // writes its own rows; its findings are kept in row order).
        var issues = effectiveDates(parts: applications.count > 200_000 ? 4 : 1)
        for a in 0..<adjustments.count where adjustments.kind[a].isCredit && !adjustments.document[a].isNone {
            let docDay = documentDate(adjustments.document[a])
            if adjustments.date[a] < docDay {
                issues.append(SettlementIssue(kind: .creditBeforeDocument, table: "adjustments", key: adjustments.ids[Int32(a)],
                    line: adjustments.line[a],
                    message: "\(adjustments.kind[a]) \(adjustments.ids[Int32(a)]) dated \(adjustments.date[a]), before \(documentID(adjustments.document[a])) was issued (\(docDay)); it is unallocated credit until \(docDay)"))
            }
        }

        // 2. Caps, in effective-date order. Only the events that touch a payment or a document
        // that can be over-applied need that order (see `cappedEvents`); the others fit whole.
        var docLeft: [Int64] = []
        docLeft.reserveCapacity(nInv + adjustments.count)
        docLeft.append(contentsOf: invoices.amount)
        for a in 0..<adjustments.count { docLeft.append(adjustments.kind[a].isDebit ? adjustments.amount[a] : 0) }
        var payLeft = payments.amount
        let events = cappedEvents(&payLeft, &docLeft)
        guard !events.isEmpty else {
            settled = true
            return issues
        }
        // What an event changes is read at random: what the event 8 ahead will touch is fetched
        // while this one is applied.
        let appPayments = applications.payment, appDocs = applications.document
        let adjDocs = adjustments.document
        for (j, e) in events.enumerated() {
            if j + 8 < events.count {
                let ahead = events[j + 8]
                let i = Int(ahead & 0x7FFF_FFFF)
                let d: DocumentRef
                if ahead & (1 << 31) == 0 {
                    payLeft.withUnsafeBufferPointer { arlens_prefetch($0.baseAddress! + Int(appPayments[i])) }
                    d = appDocs[i]
                } else {
                    d = adjDocs[i]
                }
                docLeft.withUnsafeBufferPointer { arlens_prefetch($0.baseAddress! + slot(d)) }
            }
            let i = Int(e & 0x7FFF_FFFF)
            if e & (1 << 31) == 0 {
                let p = Int(applications.payment[i])
                let d = applications.document[i]
                let s = slot(d)
                let want = applications.requested[i]
                let fit = max(0, min(want, payLeft[p], docLeft[s]))
                if fit < applications.amount[i] {
                    let cur = payments.currency[p]
                    let why = payLeft[p] < docLeft[s] ? "the payment had \(money(max(payLeft[p], 0), cur)) left"
                                                      : "the document had \(money(max(docLeft[s], 0), cur)) open"
                    issues.append(SettlementIssue(kind: .overApplication, table: "applications", key: payments.ids[Int32(p)],
                        line: applications.line[i],
                        message: "applies \(money(want, cur)) of payment \(payments.ids[Int32(p)]) to \(documentID(d)), but \(why); \(money(want - fit, cur)) stays unapplied"))
                }
                applications.amount[i] = fit
                payLeft[p] -= fit
                docLeft[s] -= fit
            } else {
                let d = adjustments.document[i]
                let s = slot(d)
                let want = adjustments.amount[i]
                let fit = max(0, min(want, docLeft[s]))
                if fit < adjustments.allocated[i] {
                    let cur = adjustments.currency[i]
                    issues.append(SettlementIssue(kind: .overCredit, table: "adjustments", key: adjustments.ids[Int32(i)],
                        line: adjustments.line[i],
                        message: "\(adjustments.kind[i]) of \(money(want, cur)) on \(documentID(d)), which had \(money(max(docLeft[s], 0), cur)) open; \(money(want - fit, cur)) stays unallocated credit"))
                }
                adjustments.allocated[i] = fit
                docLeft[s] -= fit
            }
        }
        settled = true
        return issues
    }
}

extension Ledger {
    /// The sort key of an event on day `d` (then applications before credits, then file order).
    @inline(__always)
    static func eventKey(_ d: Day) -> UInt64 { UInt64(UInt32(bitPattern: d.number ^ Int32.min)) << 32 }

    /// The events the caps may cut (applications, and credits allocated to a document), in
    /// effective-date order (applications before credits on the same day, then file order):
    /// `index | 1 << 31` for a credit. `payLeft` and `docLeft` hold each payment's and
    /// document's amount on entry; on return they hold it again for every payment and document
    /// those events touch (the others are left with what their events asked subtracted).
    ///
    /// A payment (a document) is *safe* when each event on it asks for no less than zero and is
    /// not cut yet (its amount is what it asks), and together they ask for no more than its
    /// amount. Whatever the order, each event then finds at least what it asks left on a safe
    /// payment or document. So an event on a safe payment and a safe document fits whole
    /// whenever it comes, and changes nothing: it is left out. An event on an unsafe one may be
    /// cut, and how much depends only on the events before it on unsafe payments and documents:
    /// what a safe one has left never binds it (nor is it the figure the finding names), so
    /// these events alone, in the same order, cut exactly what all of them in order would.
    func cappedEvents(_ payLeft: inout [Int64], _ docLeft: inout [Int64]) -> [UInt64] {
        let nInv = invoices.count, nApp = applications.count
        @inline(__always) func slot(_ d: DocumentRef) -> Int { d.invoiceIndex ?? (nInv + d.adjustmentIndex!) }
        @inline(__always) func minus(_ x: Int64, _ w: Int64) -> Int64 {
            let (v, o) = x.subtractingReportingOverflow(w)
            return o ? .min : v
        }
        // What every event asks, subtracted from its payment and document (Int64.min marks
        // one with an event that asks for less than zero or is cut already).
        let appPay = applications.payment, appDoc = applications.document
        let requested = applications.requested, amount = applications.amount
        payLeft.withUnsafeMutableBufferPointer { pl in
            docLeft.withUnsafeMutableBufferPointer { dl in
                for k in 0..<nApp {
                    if k + 8 < nApp { prefetchLine(dl.baseAddress! + slot(appDoc[k + 8])) }
                    let p = Int(appPay[k]), s = slot(appDoc[k])
                    let want = requested[k]
                    if want < 0 || amount[k] != want {
                        pl[p] = .min
                        dl[s] = .min
                    } else {
                        pl[p] = minus(pl[p], want)
                        dl[s] = minus(dl[s], want)
                    }
                }
                for a in 0..<adjustments.count where adjustments.kind[a].isCredit && !adjustments.document[a].isNone {
                    let s = slot(adjustments.document[a])
                    let want = adjustments.amount[a]
                    dl[s] = want < 0 || adjustments.allocated[a] != want ? .min : minus(dl[s], want)
                }
            }
        }
        // The unsafe ones (less than zero left), as bits: read at random below, they stay in cache.
        func unsafeBits(_ left: [Int64]) -> (bits: [UInt64], any: Bool) {
            var bits = [UInt64](repeating: 0, count: (left.count + 63) / 64)
            var any = false
            for (i, v) in left.enumerated() where v < 0 {
                bits[i >> 6] |= 1 << UInt64(i & 63)
                any = true
            }
            return (bits, any)
        }
        let (payBad, anyPay) = unsafeBits(payLeft)
        let (docBad, anyDoc) = unsafeBits(docLeft)
        guard anyPay || anyDoc else { return [] }
        @inline(__always) func isSet(_ bits: [UInt64], _ i: Int) -> Bool { bits[i >> 6] & (1 << UInt64(i & 63)) != 0 }
        var events: [UInt64] = []
        for k in 0..<nApp where isSet(payBad, Int(appPay[k])) || isSet(docBad, slot(appDoc[k])) {
            events.append(Self.eventKey(applications.date[k]) | UInt64(k))
        }
        for a in 0..<adjustments.count where adjustments.kind[a].isCredit && !adjustments.document[a].isNone
            && isSet(docBad, slot(adjustments.document[a])) {
            events.append(Self.eventKey(allocationDate(a)) | 1 << 31 | UInt64(a))
        }
        events.sort()
        // Every payment and document these events touch starts again from its amount.
        for e in events {
            let i = Int(e & 0x7FFF_FFFF)
            let d: DocumentRef
            if e & (1 << 31) == 0 {
                let p = Int(appPay[i])
                payLeft[p] = payments.amount[p]
                d = appDoc[i]
            } else {
                d = adjustments.document[i]
            }
            let s = slot(d)
            docLeft[s] = s < nInv ? invoices.amount[s] : (adjustments.kind[s - nInv].isDebit ? adjustments.amount[s - nInv] : 0)
        }
        return events
    }
}

extension Ledger {
    /// Step 1 of `settle`: each application's date becomes the latest of its own, its payment's
    /// and its document's; the findings for those that moved, in row order. Rows in `parts`
    /// consecutive ranges, on every core. (The document dates are read at random: the one 16
    /// rows ahead is fetched while this row is looked at.)
    mutating func effectiveDates(parts: Int) -> [SettlementIssue] {
        let n = applications.count
        let k = max(1, min(parts, n))
        var dates = applications.date
        applications.date = []
        let issueDates = invoices.issueDate, adjDates = adjustments.date
        let appDocs = applications.document, appPay = applications.payment, lines = applications.line
        let received = payments.receivedDate, payIDs = payments.ids
        let invIDs = invoices.ids, adjIDs = adjustments.ids
        var found = [[SettlementIssue]](repeating: [], count: k)
        dates.withUnsafeMutableBufferPointer { dbuf in
            found.withUnsafeMutableBufferPointer { fbuf in
                let out = UnsafeSendablePointers(dates: dbuf.baseAddress, found: fbuf.baseAddress!)
                DispatchQueue.concurrentPerform(iterations: k) { c in
                    var list: [SettlementIssue] = []
                    let lo = n * c / k, hi = n * (c + 1) / k
                    issueDates.withUnsafeBufferPointer { issued in
                        for i in lo..<hi {
                            if i + 16 < hi, let ahead = appDocs[i + 16].invoiceIndex { prefetchLine(issued.baseAddress! + ahead) }
                            let p = Int(appPay[i])
                            let d = appDocs[i]
                            let docDay = d.invoiceIndex.map { issued[$0] } ?? adjDates[d.adjustmentIndex!]
                            let got = received[p]
                            let was = out.dates![i]
                            let eff = max(was, got, docDay)
                            guard eff != was else { continue }
                            let docID = d.invoiceIndex.map { invIDs[Int32($0)] } ?? adjIDs[Int32(d.adjustmentIndex!)]
                            let why = docDay >= got ? "before \(docID) was issued (\(docDay))" : "before the payment was received (\(got))"
                            list.append(SettlementIssue(kind: .appliedBeforeDocument, table: "applications", key: payIDs[Int32(p)],
                                line: lines[i],
                                message: "payment \(payIDs[Int32(p)]) applied to \(docID) on \(was), \(why); it is unapplied cash until \(eff), when the application takes effect"))
                            out.dates![i] = eff
                        }
                    }
                    out.found[c] = list
                }
            }
        }
        applications.date = dates
        return k == 1 ? found[0] : found.flatMap { $0 }
    }
}

/// Where the parts of `effectiveDates` write (each its own rows and its own list).
private struct UnsafeSendablePointers: @unchecked Sendable {
    let dates: UnsafeMutablePointer<Day>?
    let found: UnsafeMutablePointer<[SettlementIssue]>
}
