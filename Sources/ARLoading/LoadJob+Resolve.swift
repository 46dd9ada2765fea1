import ARModel
import Dispatch

extension LoadJob {
    // MARK: customers made from ids (no customers.csv)

    func synthesizeCustomers(_ inv: inout StagedInvoices, _ pay: inout StagedPayments, _ adj: inout StagedAdjustments,
                             _ act: inout StagedActivities, _ pos: inout StagedPurchaseOrders,
                             _ ctx: CustomerContext) -> CustomerTable {
        var t = CustomerTable()
        func merge(_ local: StringPool, _ column: inout [Int32], attributes: [Int32: [String: String]] = [:]) {
            var map = [Int32](repeating: -1, count: local.count)
            for k in 0..<local.count {
                let (gid, inserted) = local.withBytes(Int32(k)) { t.ids.intern($0) }
                map[k] = gid
                if inserted {
                    let a = attributes[Int32(k)] ?? [:]
                    t.name.append(a["name"] ?? t.ids[gid])
                    if let v = a["email"] { t.email.append(v) } else { t.email.appendEmpty() }
                    if let v = a["phone"] { t.phone.append(v) } else { t.phone.appendEmpty() }
                    t.address.appendEmpty()
                    t.country.append(a["country"]?.uppercased() ?? "")
                    t.currency.append(a["currency"].flatMap { Currency(code: $0) } ?? ctx.implicitCurrency)
                    t.creditLimit.append(nil)
                    t.termsDays.append(a["terms_days"].flatMap { Int32($0) } ?? ctx.defaultTerms)
                    t.segment.append(a["segment"].map { t.symbols.intern($0).id } ?? -1)
                    t.region.append(a["region"].map { t.symbols.intern($0).id } ?? -1)
                    t.collector.append(a["collector"].map { t.symbols.intern($0).id } ?? -1)
                    t.creditRating.append(-1)
                    t.language.append(-1)
                    t.createdDate.append(nil)
                    t.creditReviewDate.append(nil)
                    t.line.append(0)
                }
            }
            for i in column.indices { column[i] = map[Int(column[i])] }
        }
        merge(inv.localCustomers, &inv.table.customer, attributes: inv.customerAttributes)
        merge(pay.localCustomers, &pay.table.customer)
        merge(adj.localCustomers, &adj.table.customer)
        merge(act.localCustomers, &act.table.customer)
        merge(pos.localCustomers, &pos.table.customer)
        return t
    }

    // MARK: currencies

    /// The distinct values of a column with few of them, without hashing every row.
    func distinct(_ column: [Currency]) -> [Currency] {
        var seen: [Currency] = []
        var last: Currency? = nil
        for c in column where c != last {
            last = c
            if !seen.contains(c) { seen.append(c) }
        }
        return seen
    }

    func decideBaseCurrency(_ inv: StagedInvoices, _ pay: StagedPayments, _ cust: StagedCustomers?,
                            configured: Currency?, implicit: Currency) throws(LoadError) -> Currency {
        if let configured { return configured }
        var used = Set(distinct(inv.table.currency))
        used.formUnion(distinct(pay.table.currency))
        if let cust { for (c, e) in zip(cust.table.currency, cust.explicitCurrency) where e { used.insert(c) } }
        if used.count <= 1 { return used.first ?? implicit }
        let list = used.map(\.code).sorted().joined(separator: ", ")
        throw .currencies("the ledger has amounts in \(list); set base_currency in arlens.yml to say which one the reports use")
    }

    func checkRatesExist(_ inv: StagedInvoices, _ pay: StagedPayments, base: Currency, haveRates: Bool) throws(LoadError) {
        guard !haveRates else { return }
        var foreign = Set(distinct(inv.table.currency))
        foreign.formUnion(distinct(pay.table.currency))
        foreign.remove(base)
        if foreign.isEmpty { return }
        let list = foreign.map(\.code).sorted().joined(separator: ", ")
        throw .currencies("the ledger has amounts in \(list) besides the base currency \(base), but no \(tableLabel(.fxRates)) to convert them")
    }

    func missingRate(_ c: Currency, _ d: Day, _ l: Ledger) -> String? {
        if c == l.baseCurrency || l.fxRates.rate(c, on: d) != nil { return nil }
        return "no \(c) rate on or before \(d) in \(tableLabel(.fxRates))"
    }

    /// Whether `missingRate` has something to say, without hashing: a rate is missing on `d`
    /// exactly when `d` is before the currency's first rate (or it has none).
    struct RateCover {
        let base: Currency
        let first: [(Currency, Day)]
        init(_ l: Ledger) {
            base = l.baseCurrency
            first = l.fxRates.rates.compactMap { c, list in list.first.map { (c, $0.date) } }
        }
        @inline(__always) func covers(_ c: Currency, _ d: Day) -> Bool {
            if c == base { return true }
            for (k, day) in first where k == c { return d >= day }
            return false
        }
    }

    func filterInvoicesByRates(_ inv: inout StagedInvoices, _ l: Ledger) {
        let cover = RateCover(l)
        let currency = inv.table.currency, issued = inv.table.issueDate
        guard let firstMissing = currency.indices.first(where: { !cover.covers(currency[$0], issued[$0]) }) else { return }
        var keep = [Bool](repeating: true, count: inv.table.count)
        var any = false
        for i in firstMissing..<inv.table.count {
            if let why = missingRate(inv.table.currency[i], inv.table.issueDate[i], l) {
                keep[i] = false; any = true
                let ids = inv.table.ids
                readers[.invoices]!.reject(line: Int(inv.table.line[i]), column: InvoiceCol.currency,
                                           value: inv.table.currency[i].code, reason: why, key: { _ in ids[Int32(i)] })
            }
        }
        guard any else { return }
        inv.table = inv.table.compacted(keeping: keep)
        inv.explicitCurrency = inv.explicitCurrency.compacted(keeping: keep)
        inv.paidDate = inv.paidDate.compacted(keeping: keep)
        inv.paidAmount = inv.paidAmount.compacted(keeping: keep)
    }

    func filterPaymentsByRates(_ pay: inout StagedPayments, _ l: Ledger) {
        let cover = RateCover(l)
        let currency = pay.table.currency, received = pay.table.receivedDate
        guard let firstMissing = currency.indices.first(where: { !cover.covers(currency[$0], received[$0]) }) else { return }
        var keep = [Bool](repeating: true, count: pay.table.count)
        var any = false
        for i in firstMissing..<pay.table.count {
            if let why = missingRate(pay.table.currency[i], pay.table.receivedDate[i], l) {
                keep[i] = false; any = true
                let ids = pay.table.ids
                readers[.payments]!.reject(line: Int(pay.table.line[i]), column: PaymentCol.currency,
                                           value: pay.table.currency[i].code, reason: why, key: { _ in ids[Int32(i)] })
            }
        }
        if any { pay.table = pay.table.compacted(keeping: keep) }
    }

    /// Each row's document: `.none` where the row names none, nil where the name is unknown.
    func resolveDocuments(_ refs: PendingRefs, _ l: Ledger) -> [DocumentRef?] {
        let invoices = l.invoices.ids, adjustments = l.adjustments.ids
        return refs.resolve(none: DocumentRef.none, prefetch: { invoices.prefetch(hash: StringPool.hash($0)) }) { b in
            if let i = invoices.find(b) { return .invoice(Int(i)) }
            if let a = adjustments.find(b) { return .adjustment(Int(a)) }
            return nil
        }
    }

    func documentCurrency(_ d: DocumentRef, _ l: Ledger) -> Currency? {
        if let i = d.invoiceIndex { return l.invoices.currency[i] }
        if let a = d.adjustmentIndex { return l.adjustments.currency[a] }
        return nil
    }

    // MARK: adjustments

    func resolveAdjustments(_ s: StagedAdjustments, _ l: Ledger) -> AdjustmentTable {
        var t = s.table
        let n = t.count
        guard n > 0 else { return t }
        let r = readers[.adjustments]!
        var keep = [Bool](repeating: true, count: n)
        let ids = t.ids
        func reject(_ i: Int, _ col: Int?, _ value: String?, _ why: String) {
            keep[i] = false
            r.reject(line: Int(t.line[i]), column: col, value: value, reason: why, key: { _ in ids[Int32(i)] })
        }
        // Targets as written (invoices first, then this file's own ids), and whether a row's
        // own id is an invoice's: looked up on every core before the rows are checked in order.
        let (targets, clash) = adjustmentLookups(s, t.ids, l.invoices.ids)
        t.document = [DocumentRef](repeating: .none, count: n)
        t.currency = [Currency](repeating: l.baseCurrency, count: n)
        t.amount = [Int64](repeating: 0, count: n)
        t.allocated = [Int64](repeating: 0, count: n)
        let customerCurrency = l.customers.currency
        let cover = RateCover(l)
        // Debits first (a credit may reduce a debit memo), then credits.
        for pass in 0..<2 {
            for i in 0..<n where t.kind[i].isCredit == (pass == 1) {
                if clash[i] {
                    reject(i, AdjustmentCol.id, t.ids[Int32(i)], "is also an invoice_id; ids must be unique across invoices and adjustments")
                    continue
                }
                var cur = customerCurrency[Int(t.customer[i])]
                if !s.documents.isNone(i) {
                    var written: String { s.documents[i] }
                    guard let target = targets[i] else {
                        reject(i, AdjustmentCol.document, written, "unknown document (not an invoice_id or adjustment_id)")
                        continue
                    }
                    if let a = target.adjustmentIndex {
                        if a == i { reject(i, AdjustmentCol.document, written, "an adjustment cannot refer to itself"); continue }
                        if t.kind[i].isCredit && t.kind[a].isCredit {
                            reject(i, AdjustmentCol.document, written,
                                   "is a \(t.kind[a]); a credit reduces an invoice, debit memo or late fee")
                            continue
                        }
                        if !keep[a] {
                            reject(i, AdjustmentCol.document, written, "refers to an adjustment that was rejected (line \(t.line[a]))")
                            continue
                        }
                    }
                    t.document[i] = target
                    if let ic = target.invoiceIndex { cur = l.invoices.currency[ic] }
                    else if let a = target.adjustmentIndex { cur = t.currency[a] }
                }
                guard let amount = r.rescale(s.amountWide[i], cur, line: t.line[i], column: AdjustmentCol.amount,
                                             key: { _ in ids[Int32(i)] }) else {
                    keep[i] = false
                    continue
                }
                if !cover.covers(cur, t.date[i]), let why = missingRate(cur, t.date[i], l) { reject(i, AdjustmentCol.date, t.date[i].description, why); continue }
                t.currency[i] = cur
                t.amount[i] = amount
                t.allocated[i] = t.kind[i].isCredit && !t.document[i].isNone ? amount : 0
            }
        }
        if keep.allSatisfy({ $0 }) { return t }
        // A row that refers to an adjustment rejected after it was read (a debit memo naming
        // a credit memo that the second pass rejected, or a chain of them) is rejected too:
        // its reference must never be renumbered onto another row.
        var changed = true
        while changed {
            changed = false
            for i in 0..<n where keep[i] {
                if let a = t.document[i].adjustmentIndex, !keep[a] {
                    reject(i, AdjustmentCol.document, s.documents[i], "refers to an adjustment that was rejected (line \(t.line[a]))")
                    changed = true
                }
            }
        }
        // Renumber references to adjustments after removing rejected rows.
        var newIndex = [Int](repeating: -1, count: n)
        var next = 0
        for i in 0..<n where keep[i] { newIndex[i] = next; next += 1 }
        for i in 0..<n {
            if let a = t.document[i].adjustmentIndex { t.document[i] = .adjustment(newIndex[a]) }
        }
        return t.compacted(keeping: keep)
    }

    /// Per adjustment row: the document it names (`.none` when it names none, nil when the
    /// name is unknown) and whether its own id is also an invoice id.
    func adjustmentLookups(_ s: StagedAdjustments, _ ownIDs: StringPool, _ invoiceIDs: StringPool)
        -> (targets: [DocumentRef?], clash: [Bool]) {
        let n = s.table.count
        var targets = [DocumentRef?](repeating: nil, count: n)
        var clash = [Bool](repeating: false, count: n)
        // The ids as a text column, so that they are looked up ahead like the references.
        let own = TextColumn(bytes: ownIDs.bytes, ends: ownIDs.ends)
        targets.withUnsafeMutableBufferPointer { tOut in
            clash.withUnsafeMutableBufferPointer { cOut in
                let out = (SendableBuffer(tOut), SendableBuffer(cOut))
                _ = inChunks(n, chunks: resolveParts ?? (n > 50_000 ? 4 : 1)) { range in
                    s.documents.text.forEachAhead(range, in: invoiceIDs) { i, b, h in
                        var d: DocumentRef? = DocumentRef.none
                        if !b.isEmpty {
                            if let k = invoiceIDs.find(b, hash: h) { d = .invoice(Int(k)) }
                            else if let a = ownIDs.find(b, hash: h) { d = .adjustment(Int(a)) }
                            else { d = nil }
                        }
                        out.0.base[i] = d
                    }
                    own.forEachAhead(range, in: invoiceIDs) { i, b, h in
                        out.1.base[i] = invoiceIDs.find(b, hash: h) != nil
                    }
                }
            }
        }
        return (targets, clash)
    }

    // MARK: applications

    /// Resolves the adjustments (`resolveAdjustments`) and every application row (its payment,
    /// its document, their currencies, its amount) at once, on every core: one worker resolves
    /// the adjustments while the others take parts of the applications. Each part writes its rows
    /// in place and keeps its rejections; a row naming a document that is not an invoice waits
    /// for the adjustments and is resolved afterwards. The rejections are then recorded in row
    /// order, as one pass over the rows after the adjustments would record them.
    func resolveAdjustmentsAndApplications(_ adj: StagedAdjustments, _ s: StagedApplications?,
                                           _ l: Ledger) -> (AdjustmentTable, ApplicationTable?) {
        guard let s else { return (resolveAdjustments(adj, l), nil) }
        let r = readers[.applications]!
        let n = s.line.count
        var t = ApplicationTable()
        var keep = [Bool](repeating: true, count: n)
        var payment = [Int32](repeating: 0, count: n)
        var document = [DocumentRef](repeating: .none, count: n)
        var amount = [Int64](repeating: 0, count: n)
        var date = [Day](repeating: Day(number: 0), count: n)
        let parts = max(1, min(resolveParts ?? (n > 100_000 ? 8 : 1), n))
        var adjustments = AdjustmentTable()
        let rejected: [RowRejection] = keep.withUnsafeMutableBufferPointer { keepOut in
            payment.withUnsafeMutableBufferPointer { payOut in
                document.withUnsafeMutableBufferPointer { docOut in
                    amount.withUnsafeMutableBufferPointer { amountOut in
                        date.withUnsafeMutableBufferPointer { dateOut in
                            let out = (SendableBuffer(keepOut), SendableBuffer(payOut), SendableBuffer(docOut),
                                       SendableBuffer(amountOut), SendableBuffer(dateOut))
                            // Job 0 the adjustments, jobs 1...parts the applications' parts.
                            var results = [(rejections: [RowRejection], deferred: [Int])](repeating: ([], []), count: parts + 1)
                            results.withUnsafeMutableBufferPointer { res in
                                withUnsafeMutablePointer(to: &adjustments) { adjOut in
                                    let slots = (SendableBuffer(res), UncheckedSendable(adjOut), UncheckedSendable(self))
                                    DispatchQueue.concurrentPerform(iterations: parts + 1) { j in
                                        let job = slots.2.value
                                        if j == 0 {
                                            slots.1.value.pointee = job.resolveAdjustments(adj, l)
                                        } else {
                                            let c = j - 1
                                            slots.0.base[j] = job.resolveApplicationRows(n * c / parts..<n * (c + 1) / parts,
                                                                                         s, l, adjustments: nil, r, out)
                                        }
                                    }
                                }
                            }
                            // The rows waiting for the adjustments, in order.
                            var l = l
                            l.adjustments = adjustments
                            let waiting = results.flatMap(\.deferred)
                            let late = waiting.isEmpty ? [] : resolveApplicationRows(0..<0, rows: waiting, s, l, adjustments: adjustments, r, out)
                                .rejections
                            return merge(results.flatMap(\.rejections), late)
                        }
                    }
                }
            }
        }
        r.record(rejected.map(\.rejection))
        if rejected.isEmpty {
            t.payment = payment
            t.document = document
            t.amount = amount
            t.requested = amount
            t.date = date
            t.line = s.line
        } else {
            t.payment = payment.compacted(keeping: keep)
            t.document = document.compacted(keeping: keep)
            t.amount = amount.compacted(keeping: keep)
            t.requested = t.amount
            t.date = date.compacted(keeping: keep)
            t.line = s.line.compacted(keeping: keep)
        }
        return (adjustments, t)
    }

    /// A row's rejection, with the row.
    typealias RowRejection = (row: Int, rejection: Rejection)

    /// Two lists in row order, merged in row order.
    private func merge(_ a: [RowRejection], _ b: [RowRejection]) -> [RowRejection] {
        if b.isEmpty { return a }
        var out: [RowRejection] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].row < b[j].row) { out.append(a[i]); i += 1 } else { out.append(b[j]); j += 1 }
        }
        return out
    }

    /// One part of `resolveAdjustmentsAndApplications`: rows `range`, written at their own
    /// index; the rows rejected are marked false in `keep` and their rejections returned in row
    /// order. Without `adjustments` (not resolved yet), a row naming a document that is not an
    /// invoice is left alone and returned in `deferred`. With `rows`, those rows instead of `range`.
    private func resolveApplicationRows(
        _ range: Range<Int>, rows: [Int]? = nil, _ s: StagedApplications, _ l: Ledger, adjustments: AdjustmentTable?, _ r: TableReader,
        _ out: (keep: SendableBuffer<Bool>, payment: SendableBuffer<Int32>, document: SendableBuffer<DocumentRef>,
                amount: SendableBuffer<Int64>, date: SendableBuffer<Day>)
    ) -> (rejections: [RowRejection], deferred: [Int]) {
        var rejections: [RowRejection] = []
        var deferred: [Int] = []
        let paymentsLabel = tableLabel(.payments)
        let paymentIDs = l.payments.ids, invoiceIDs = l.invoices.ids
        let adjustmentIDs = adjustments?.ids ?? StringPool()
        let paymentCount = Int32(paymentIDs.count)
        let payCurrency = l.payments.currency, received = l.payments.receivedDate
        let invCurrency = l.invoices.currency
        let adjKind = adjustments?.kind ?? [], adjCurrency = adjustments?.currency ?? []
        // Applications usually come in payment order: the previous row's payment or the next
        // one is compared before the ids are searched.
        var last: Int32 = -1
        s.payments.text.bytes.withUnsafeBufferPointer { pBytes in
            s.payments.text.ends.withUnsafeBufferPointer { pEnds in
                @inline(__always) func row(_ i: Int, _ doc: UnsafeBufferPointer<UInt8>, _ docHash: UInt32) {
                    let line = Int(s.line[i])
                    // The row's key: its payment and document as written.
                    func key(_ c: Int) -> String { c == ApplicationCol.payment ? s.payments[i] : s.documents[i] }
                    func reject(_ column: Int, _ value: String, _ why: String) {
                        out.keep.base[i] = false
                        rejections.append((i, r.rejection(line: line, column: column, value: value, reason: why, key: key)))
                    }
                    let from = i == 0 ? 0 : Int(pEnds[i - 1])
                    let pay = UnsafeBufferPointer(rebasing: pBytes[from..<Int(pEnds[i])])
                    var p: Int32? = nil
                    if !pay.isEmpty {
                        if last + 1 < paymentCount, paymentIDs.isString(last + 1, pay) {
                            p = last + 1
                        } else if last >= 0, paymentIDs.isString(last, pay) {
                            p = last
                        } else {
                            p = paymentIDs.find(pay)
                        }
                        last = p ?? -1
                    }
                    guard let p else {
                        reject(ApplicationCol.payment, s.payments[i], "unknown payment (not in \(paymentsLabel), or rejected there)")
                        return
                    }
                    var d: DocumentRef? = nil
                    if !doc.isEmpty {
                        if let k = invoiceIDs.find(doc, hash: docHash) { d = .invoice(Int(k)) }
                        else if adjustments == nil { deferred.append(i); return }
                        else if let a = adjustmentIDs.find(doc, hash: docHash) { d = .adjustment(Int(a)) }
                    }
                    guard let d, !d.isNone else {
                        reject(ApplicationCol.document, s.documents[i],
                               "unknown document (not an invoice_id, or the adjustment_id of a debit memo or late fee)")
                        return
                    }
                    let dc: Currency
                    if let a = d.adjustmentIndex {
                        if adjKind[a].isCredit {
                            reject(ApplicationCol.document, s.documents[i],
                                   "is a \(adjKind[a]); payments settle invoices, debit memos and late fees")
                            return
                        }
                        dc = adjCurrency[a]
                    } else {
                        dc = invCurrency[d.invoiceIndex!]
                    }
                    let pc = payCurrency[Int(p)]
                    if pc != dc {
                        reject(ApplicationCol.document, s.documents[i], "the payment is in \(pc) but the document is in \(dc)")
                        return
                    }
                    guard let v = rescaleWide(s.amountWide[i], to: pc.minorDigits) else {
                        out.keep.base[i] = false
                        rejections.append((i, r.rescaleRejection(s.amountWide[i], pc, line: s.line[i], column: ApplicationCol.amount, key: key)))
                        return
                    }
                    out.keep.base[i] = true
                    out.payment.base[i] = p
                    out.document.base[i] = d
                    out.amount.base[i] = v
                    out.date.base[i] = s.date[i] ?? received[Int(p)]
                }
                if let rows {
                    // A few rows here and there (those that waited for the adjustments).
                    s.documents.text.bytes.withUnsafeBufferPointer { bytes in
                        s.documents.text.ends.withUnsafeBufferPointer { ends in
                            for i in rows {
                                let from = i == 0 ? 0 : Int(ends[i - 1])
                                let doc = UnsafeBufferPointer(rebasing: bytes[from..<Int(ends[i])])
                                row(i, doc, StringPool.hash(doc))
                            }
                        }
                    }
                } else {
                    s.documents.text.forEachAhead(range, in: invoiceIDs, row)
                }
            }
        }
        return (rejections, deferred)
    }

    // MARK: disputes, activities, purchase orders

    func resolveDisputes(_ s: StagedDisputes, _ l: Ledger) -> DisputeTable {
        var t = s.table
        let r = readers[.disputes]!
        let ids = t.ids
        let docs = resolveDocuments(s.documents, l)
        var keep = [Bool](repeating: true, count: t.count)
        t.document = [DocumentRef](repeating: .none, count: t.count)
        t.amount = [Int64?](repeating: nil, count: t.count)
        for i in 0..<t.count {
            let d = docs[i] ?? .none
            if d.isNone || d.adjustmentIndex.map({ l.adjustments.kind[$0].isCredit }) == true {
                keep[i] = false
                r.reject(line: Int(t.line[i]), column: DisputeCol.document, value: s.documents[i],
                         reason: "unknown document (not an invoice_id, or the adjustment_id of a debit memo or late fee)",
                         key: { _ in ids[Int32(i)] })
                continue
            }
            t.document[i] = d
            if let w = s.amountWide[i] {
                let cur = documentCurrency(d, l)!
                guard let v = r.rescale(w, cur, line: t.line[i], column: DisputeCol.amount, key: { _ in ids[Int32(i)] }) else {
                    keep[i] = false
                    continue
                }
                t.amount[i] = v
            }
        }
        return keep.allSatisfy { $0 } ? t : t.compacted(keeping: keep)
    }

    func resolveActivities(_ s: StagedActivities, _ l: Ledger) -> ActivityTable {
        var t = s.table
        let r = readers[.activities]!
        let ids = t.ids
        let docs = resolveDocuments(s.documents, l)
        var keep = [Bool](repeating: true, count: t.count)
        t.document = [DocumentRef](repeating: .none, count: t.count)
        t.promisedAmount = [Int64?](repeating: nil, count: t.count)
        for i in 0..<t.count {
            if !s.documents.isNone(i) {
                guard let d = docs[i] else {
                    keep[i] = false
                    r.reject(line: Int(t.line[i]), column: ActivityCol.document, value: s.documents[i],
                             reason: "unknown document (not an invoice_id or adjustment_id)", key: { _ in ids[Int32(i)] })
                    continue
                }
                t.document[i] = d
            }
            if let w = s.promisedWide[i] {
                let cur = l.customers.currency[Int(t.customer[i])]
                guard let v = r.rescale(w, cur, line: t.line[i], column: ActivityCol.promisedAmount, key: { _ in ids[Int32(i)] }) else {
                    keep[i] = false
                    continue
                }
                t.promisedAmount[i] = v
            }
        }
        return keep.allSatisfy { $0 } ? t : t.compacted(keeping: keep)
    }

    func finishPurchaseOrders(_ s: StagedPurchaseOrders, _ l: Ledger) -> PurchaseOrderTable {
        var t = s.table
        let r = readers[.purchaseOrders]!
        let poNumbers = t.poNumber
        var keep = [Bool](repeating: true, count: t.count)
        for i in 0..<t.count {
            let cur = s.explicitCurrency[i] ?? l.customers.currency[Int(t.customer[i])]
            t.currency[i] = cur
            if let w = s.amountWide[i] {
                guard let v = r.rescale(w, cur, line: t.line[i], column: POCol.amount, key: { c in
                    // The row's key: its customer (the key's text before the NUL) and PO number as written.
                    if c == POCol.po { return poNumbers[i] }
                    return s.keys.withBytes(Int32(i)) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                }) else {
                    keep[i] = false
                    continue
                }
                t.amount[i] = v
            }
        }
        return keep.allSatisfy({ $0 }) ? t : t.compacted(keeping: keep)
    }

    // MARK: invoice-only shape

    /// Each invoice with a paid_date yields one payment (id = the invoice id) applied to it,
    /// when the ledger has no payments.csv.
    mutating func derivePaymentsFromInvoices(_ s: StagedInvoices, _ l: inout Ledger) {
        guard s.hasPaidColumns else { return }
        let paid = s.paidDate.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
        guard paid > 0 else { return }
        if readers[.payments] != nil {
            report.notes.append("\(paid) invoices have a paid_date; it was not used because \(tableLabel(.payments)) is present")
            return
        }
        l.paymentsFromInvoices = true
        var p = PaymentTable()
        var a = ApplicationTable()
        let inv = l.invoices
        for i in 0..<inv.count {
            guard let day = s.paidDate[i] else { continue }
            let amount = s.paidAmount[i] ?? inv.amount[i]
            let pid = inv.ids.withBytes(Int32(i)) { p.ids.intern($0).id }
            p.customer.append(inv.customer[i])
            p.receivedDate.append(day)
            p.amount.append(amount)
            p.currency.append(inv.currency[i])
            p.method.append(-1)
            p.reference.append(inv.printedNumber(i))
            p.postedDate.append(nil)
            p.postedBy.append(-1)
            p.line.append(inv.line[i])
            a.payment.append(pid)
            a.document.append(.invoice(i))
            a.amount.append(amount)
            a.requested.append(amount)
            a.date.append(day)
            a.line.append(inv.line[i])
            if day < inv.issueDate[i] {
                report.findings.append(Finding(kind: "paid_before_issue", table: "invoices", key: inv.ids[Int32(i)],
                    message: "\(readers[.invoices]!.displayName):\(inv.line[i]): paid on \(day), before its issue date \(inv.issueDate[i])"))
            }
        }
        l.payments = p
        l.applications = a
        report.notes.append("payments were derived from \(paid) invoices' paid_date (no \(tableLabel(.payments)))")
    }

    // MARK: over-applications

    /// The settlement rule (`Ledger.settle`, in ARModel): applications and credits dated
    /// before their document take effect on its date, and each is cut to what its payment has
    /// left and its document has open. The excess of a payment stays unapplied cash, of a
    /// credit unallocated credit; every change is a finding with its file and line.
    mutating func applyCaps(_ l: inout Ledger) {
        let appsFile = readers[.applications]?.displayName ?? readers[.invoices]?.displayName ?? TableName.invoices.defaultFile
        let adjFile = tableLabel(.adjustments)
        for issue in l.settle() {
            // Applications derived from paid_date already carry a paid_before_issue finding.
            if issue.kind == .appliedBeforeDocument && readers[.applications] == nil { continue }
            let file = issue.table == "applications" ? appsFile : adjFile
            report.findings.append(Finding(kind: issue.kind.rawValue, table: issue.table, key: issue.key,
                                           message: "\(file):\(issue.line): \(issue.message)"))
        }
    }
}
