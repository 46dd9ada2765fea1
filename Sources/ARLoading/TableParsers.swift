import ARModel
import Dispatch

/// One parser per table: strict typed reading of each row into staged columns. A parser
/// reads every field before it appends anything, so a rejected row leaves no trace.
/// A table keyed by an id pool whose rows name symbols of a shared pool (`TableParsers.dropRows`).
protocol TableWithSymbols: ColumnarTable {
    var ids: StringPool { get set }
    var symbols: StringPool { get set }
}

extension InvoiceTable: TableWithSymbols {}
extension PaymentTable: TableWithSymbols {}
extension ActivityTable: TableWithSymbols {}

enum TableParsers {
    static let adjustmentKindNames = AdjustmentKind.allCases.map { Array($0.name.utf8) }
    static let activityKindNames = ActivityKind.allCases.map { Array($0.name.utf8) }

    static func symbol(_ pool: inout StringPool, _ v: UnsafeBufferPointer<UInt8>?) -> Int32 {
        guard let v else { return -1 }
        return pool.intern(v).id
    }

    /// `symbol`, asking `memo` (kept for `pool` alone) first.
    @inline(__always)
    static func symbol(_ pool: inout StringPool, _ memo: ValueMemo, _ v: UnsafeBufferPointer<UInt8>?) -> Int32 {
        guard let v else { return -1 }
        if let id = memo.recall(v) { return id }
        let id = pool.intern(v).id
        memo.remember(v, id)
        return id
    }

    static func duplicate(_ c: Int, _ what: String, firstLine: Int32) -> RowError {
        RowError(column: c, reason: "duplicate \(what) (first on line \(firstLine))")
    }

    @inline(__always) static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    static func positive(_ v: Int64, _ c: Int) throws(RowError) {
        if v <= 0 { throw RowError(column: c, reason: "must be greater than zero") }
    }

    // MARK: customers

    static func customers(_ r: TableReader, implicit: Currency?, defaultTerms: Int) -> StagedCustomers {
        typealias C = CustomerCol
        var s = StagedCustomers()
        r.forEachRow { (row: borrowing Row) throws(RowError) in
            let id = try row.required(C.id)
            guard let name = row.text(C.name) else {
                throw RowError(column: C.name, reason: "is empty, but required", showValue: false)
            }
            var country = ""
            if let v = row.text(C.country) {
                guard v.count == 2, v.allSatisfy({ ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 }) else {
                    throw RowError(column: C.country, reason: "not an ISO 3166 alpha-2 country code")
                }
                country = String(decoding: v, as: UTF8.self).uppercased()
            }
            let cur = try row.currency(C.currency)
            let limit = try row.optionalAmount(C.creditLimit, digits: wideDigits, currencyName: "the currency")
            if let limit, limit < 0 { throw RowError(column: C.creditLimit, reason: "must not be negative") }
            let terms = try row.terms(C.terms) ?? defaultTerms
            let created = try row.optionalDay(C.createdDate)
            let reviewed = try row.optionalDay(C.reviewDate)
            let (cid, inserted) = s.table.ids.intern(id)
            if !inserted { throw duplicate(C.id, "customer_id", firstLine: s.table.line[Int(cid)]) }
            s.table.name.append(name)
            if let v = row.text(C.email) { s.table.email.append(v) } else { s.table.email.appendEmpty() }
            if let v = row.text(C.phone) { s.table.phone.append(v) } else { s.table.phone.appendEmpty() }
            if let v = row.text(C.address) { s.table.address.append(v) } else { s.table.address.appendEmpty() }
            s.table.country.append(country)
            s.table.currency.append(cur ?? implicit ?? .USD)
            s.explicitCurrency.append(cur != nil)
            s.creditLimitWide.append(limit)
            s.table.creditLimit.append(nil)
            s.table.termsDays.append(Int32(terms))
            s.table.segment.append(symbol(&s.table.symbols, row.text(C.segment)))
            s.table.region.append(symbol(&s.table.symbols, row.text(C.region)))
            s.table.collector.append(symbol(&s.table.symbols, row.text(C.collector)))
            s.table.creditRating.append(symbol(&s.table.symbols, row.text(C.rating)))
            if let v = row.text(C.language) {
                s.table.language.append(s.table.symbols.intern(String(decoding: v, as: UTF8.self).lowercased()).id)
            } else {
                s.table.language.append(-1)
            }
            s.table.createdDate.append(created)
            s.table.creditReviewDate.append(reviewed)
            s.table.line.append(Int32(row.line))
        }
        return s
    }

    // MARK: invoices

    static func invoices(_ r: TableReader, _ ctx: CustomerContext) -> StagedInvoices {
        var range = RowRange(scanner: r.nextScanner)
        // A customer's attributes taken from the rows (no master) are those of the first row
        // kept: the ids are then interned as each row is read, to know which that is.
        let deferIDs = ctx.hasMaster || r.customerFields.isEmpty
        let part = invoicePart(r, ctx, &range, rows: r.estimatedRows, deferIDs: deferIDs)
        var s = part.staged
        let duplicates = deferIDs ? finishInvoices(&s, part, r) : []
        r.finish(range, adding: duplicates)
        return s
    }

    /// Interns the ids a part kept aside (`deferIDs`: `ids` and `hashes`, one per row, in row
    /// order) into `pool` after the `before.count` ids it holds (rows whose lines are
    /// `before`), fetching each row's slot 16 rows ahead: interned as each row is read, a
    /// million ids waited for memory on nearly every row. A row whose id is there already is
    /// rejected as one pass rejects it, naming the line of the row the id was first kept for.
    /// Returns which rows are kept (nil: all) and the rejections, in line order.
    /// `pairedWith`: the id is the text of that column, a NUL, and the text of `column` (a
    /// purchase order's customer and number): the rejection shows the second part.
    static func internIDs(_ pool: inout StringPool, _ ids: TextColumn, _ hashes: [UInt32], lines: [Int32], before: [Int32],
                          column: Int, pairedWith: Int? = nil, what: String, _ r: TableReader) -> (keep: [Bool]?, rejections: [Rejection]) {
        let n1 = before.count, n2 = lines.count
        precondition(pool.count == n1 && ids.count == n2 && hashes.count == n2, "internIDs: parts do not match")
        var rejections: [Rejection] = []
        // The row each new id came from, once a row has been dropped.
        var keptRows: [Int32]? = nil
        var keep: [Bool]? = nil
        pool.reserve(n1 + n2, averageLength: 12)
        hashes.withUnsafeBufferPointer { hashes in
            ids.bytes.withUnsafeBufferPointer { bytes in
                ids.ends.withUnsafeBufferPointer { ends in
                    for k in 0..<n2 {
                        if k + 16 < n2 { pool.prefetchInPlace(hash: hashes[k + 16]) }
                        let from = k == 0 ? 0 : Int(ends[k - 1])
                        let id = UnsafeBufferPointer(rebasing: bytes[from..<Int(ends[k])])
                        let (iid, inserted) = pool.intern(id, hash: hashes[k])
                        if inserted {
                            keptRows?.append(Int32(k))
                            continue
                        }
                        let j = Int(iid)
                        let first = j < n1 ? before[j] : lines[Int(keptRows.map { $0[j - n1] } ?? Int32(j - n1))]
                        if keptRows == nil { keptRows = (0..<k).map { Int32($0) } }
                        if keep == nil { keep = [Bool](repeating: true, count: n2) }
                        keep![k] = false
                        var shown = id, pair = id
                        if pairedWith != nil, let nul = id.firstIndex(of: 0) {
                            pair = UnsafeBufferPointer(rebasing: id[..<nul])
                            shown = UnsafeBufferPointer(rebasing: id[(nul + 1)...])
                        }
                        rejections.append(r.rejection(line: Int(lines[k]), column: column, value: r.shownValue(field: r.fieldIndex[column], shown),
                                                      reason: duplicate(column, what, firstLine: first).reason,
                                                      key: { c in String(decoding: c == pairedWith ? pair : shown, as: UTF8.self) }))
                    }
                }
            }
        }
        return (keep, rejections)
    }

    /// `internIDs` for the ids of a whole table, kept aside as its rows were read.
    static func internIDs(_ pool: inout StringPool, _ aside: inout IDsAside, lines: [Int32], column: Int, pairedWith: Int? = nil,
                          what: String, _ r: TableReader) -> (keep: [Bool]?, rejections: [Rejection]) {
        internIDs(&pool, aside.text.finish(), aside.hashes.finish(), lines: lines, before: [], column: column, pairedWith: pairedWith,
                  what: what, r)
    }

    /// Symbol ids renumbered as one pass numbers them: in the order the kept rows first name
    /// them, each column of a row in turn (for rows dropped after their symbols were interned).
    static func renumberSymbols(_ pool: inout StringPool, _ lists: inout [[Int32]]) {
        var out = StringPool()
        var map = [Int32](repeating: -2, count: pool.count)
        let n = lists.first?.count ?? 0
        for i in 0..<n {
            for c in lists.indices {
                let v = lists[c][i]
                if v < 0 { continue }
                if map[Int(v)] == -2 { map[Int(v)] = pool.withBytes(v) { out.intern($0).id } }
                lists[c][i] = map[Int(v)]
            }
        }
        pool = out
    }

    /// A part read with `deferIDs` made whole on its own: its ids interned (`internIDs`), the
    /// duplicates dropped, symbols renumbered as one pass would. Returns the duplicates' rejections.
    static func finishInvoices(_ s: inout StagedInvoices, _ part: InvoicePart, _ r: TableReader) -> [Rejection] {
        let (keep, rejections) = internIDs(&s.table.ids, part.ids, part.idHashes, lines: s.table.line, before: [],
                                           column: InvoiceCol.id, what: "invoice_id", r)
        if let keep {
            dropRows(&s.table, keep, symbolsIn: [\.createdBy])
            s.explicitCurrency = s.explicitCurrency.compacted(keeping: keep)
            if s.hasPaidColumns {
                s.paidDate = s.paidDate.compacted(keeping: keep)
                s.paidAmount = s.paidAmount.compacted(keeping: keep)
            }
        }
        return rejections
    }

    /// A table whose ids were interned after its rows were read (`internIDs`) without the
    /// rows `keep` drops: its id pool kept as it is, its symbols (those of the columns
    /// `symbolsIn`) renumbered as one pass numbers them (`renumberSymbols`).
    static func dropRows<T: TableWithSymbols>(_ t: inout T, _ keep: [Bool], symbolsIn: [WritableKeyPath<T, [Int32]>]) {
        t = t.compacted(keeping: keep, keysAt: \.ids)
        var lists = symbolsIn.map { t[keyPath: $0] }
        renumberSymbols(&t.symbols, &lists)
        for (c, path) in symbolsIn.enumerated() { t[keyPath: path] = lists[c] }
    }

    /// The invoices `range` covers (all of them, or one part of the file while another
    /// thread reads the rest: `InvoiceSplit`), sized for about `rows` rows. With `deferIDs`
    /// the ids are not interned: each row's id and hash are kept for `joinInvoices`, which
    /// interns them after the part before, so that a duplicate is found and worded as one
    /// pass over the file finds it.
    static func invoicePart(_ r: TableReader, _ ctx: CustomerContext, _ range: inout RowRange,
                            rows: Int, deferIDs: Bool) -> InvoicePart {
        typealias C = InvoiceCol
        var s = StagedInvoices()
        s.hasPaidColumns = r.has(C.paidDate)
        let hasPaidColumns = s.hasPaidColumns
        if !deferIDs { s.table.ids.reserve(rows, averageLength: 12) }
        var idText = TextBuilder(rows: deferIDs ? rows : 0, averageLength: 12)
        var idHashes = ColumnBuilder<UInt32>(rows: deferIDs ? rows : 0)
        let attrFields = r.customerFields
        let termsField = attrFields["terms_days"]
        let currencyField = attrFields["currency"]
        var number = TextBuilder(rows: rows, averageLength: 8)
        var po = TextBuilder(rows: rows, averageLength: 10)
        // The fixed-size columns, written in place (`ColumnBuilder`).
        var customer = ColumnBuilder<Int32>(rows: rows), issueDate = ColumnBuilder<Day>(rows: rows)
        var dueDate = ColumnBuilder<Day>(rows: rows), amountColumn = ColumnBuilder<Int64>(rows: rows)
        var currency = ColumnBuilder<Currency>(rows: rows), explicitCurrency = ColumnBuilder<Bool>(rows: rows)
        var sentDate = ColumnBuilder<Day?>(rows: rows), createdBy = ColumnBuilder<Int32>(rows: rows)
        var createdAtColumn = ColumnBuilder<LocalTimestamp?>(rows: rows), disputedColumn = ColumnBuilder<Bool>(rows: rows)
        var line = ColumnBuilder<Int32>(rows: rows)
        var paidDateColumn = ColumnBuilder<Day?>(rows: hasPaidColumns ? rows : 0)
        var paidAmountColumn = ColumnBuilder<Int64?>(rows: hasPaidColumns ? rows : 0)
        let customers = ValueMemo(size: 1024), symbols = ValueMemo(size: 16)
        defer {
            customers.deallocate()
            symbols.deallocate()
        }
        r.forEachRow(in: &range) { (row: borrowing Row) throws(RowError) in
            let id = try row.required(C.id)
            let idHash = StringPool.hash(id)
            if !deferIDs { s.table.ids.prefetchInPlace(hash: idHash) }     // fetched while the rest of the row is read
            let ckey = try row.required(C.customer)
            let issue = try row.day(C.issue)
            var (cust, curDefault, terms) = try ctx.resolve(ckey, local: &s.localCustomers, memo: customers, column: C.customer)
            var attrs: [String: String]? = nil
            if !ctx.hasMaster && !attrFields.isEmpty {
                var a: [String: String] = [:]
                for (k, f) in attrFields { if let v = row.extra(f) { a[k] = v } }
                if let t = a["terms_days"] {
                    guard let n = Int(t), n >= 0 else {
                        throw RowError(column: nil, reason: "customer terms '\(t)' (from field \(termsField! + 1)) is not a whole number of days")
                    }
                    guard ValueLimits.termsDays.contains(n) else {
                        throw RowError(column: nil, reason: "customer terms '\(t)' (from field \(termsField! + 1)) must be 0 to \(ValueLimits.termsDays.upperBound) days")
                    }
                    terms = Int32(n)
                }
                if let c = a["currency"] {
                    guard let cc = Currency(code: c) else {
                        throw RowError(column: nil, reason: "customer currency '\(c)' (from field \(currencyField! + 1)) is not an ISO 4217 code")
                    }
                    curDefault = cc
                }
                attrs = a
            }
            let explicit = try row.currency(C.currency)
            let cur = explicit ?? curDefault
            let amount = try row.amount(C.amount, digits: cur.minorDigits, currencyName: cur.code, currency: cur)
            if amount <= 0 {
                throw RowError(column: C.amount, reason: "an invoice amount must be greater than zero; record credits and reversals in \(ctx.adjustmentsFile)")
            }
            let due = try row.optionalDay(C.due) ?? (issue + Int(terms))
            let sent = try row.optionalDay(C.sent)
            let createdAt = try row.timestamp(C.createdAt)
            let paidDate = try row.optionalDay(C.paidDate)
            let paidAmount = try row.optionalAmount(C.paidAmount, digits: cur.minorDigits, currencyName: cur.code, currency: cur)
            if let paidAmount, paidAmount <= 0 { throw RowError(column: C.paidAmount, reason: "must be greater than zero") }
            if paidAmount != nil && paidDate == nil {
                throw RowError(column: C.paidDate, reason: "is empty, but paid_amount is given", showValue: false)
            }
            let disputed = try row.bool(C.disputed) ?? false
            if deferIDs {
                idText.append(id)
                idHashes.append(idHash)
            } else {
                let (iid, inserted) = s.table.ids.intern(id, hash: idHash)
                if !inserted { throw duplicate(C.id, "invoice_id", firstLine: line[Int(iid)]) }
            }
            if let attrs, s.customerAttributes[cust] == nil { s.customerAttributes[cust] = attrs }
            customer.append(cust)
            if let v = row.text(C.number), !sameBytes(v, id) { number.append(v) } else { number.appendEmpty() }
            issueDate.append(issue)
            dueDate.append(due)
            amountColumn.append(amount)
            currency.append(cur)
            explicitCurrency.append(explicit != nil)
            if let v = row.text(C.po) { po.append(v) } else { po.appendEmpty() }
            sentDate.append(sent)
            createdBy.append(symbol(&s.table.symbols, symbols, row.text(C.createdBy)))
            createdAtColumn.append(createdAt)
            disputedColumn.append(disputed)
            line.append(Int32(row.line))
            // Without a paid_date column every row's are nil (a paid_amount alone is rejected).
            if hasPaidColumns {
                paidDateColumn.append(paidDate)
                paidAmountColumn.append(paidAmount)
            }
        }
        s.table.customer = customer.finish()
        s.table.number = number.finish()
        s.table.issueDate = issueDate.finish()
        s.table.dueDate = dueDate.finish()
        s.table.amount = amountColumn.finish()
        s.table.currency = currency.finish()
        s.explicitCurrency = explicitCurrency.finish()
        s.table.poNumber = po.finish()
        s.table.sentDate = sentDate.finish()
        s.table.createdBy = createdBy.finish()
        s.table.createdAt = createdAtColumn.finish()
        s.table.disputed = disputedColumn.finish()
        s.table.line = line.finish()
        if hasPaidColumns {
            s.paidDate = paidDateColumn.finish()
            s.paidAmount = paidAmountColumn.finish()
        }
        return InvoicePart(staged: s, ids: idText.finish(), idHashes: idHashes.finish())
    }

    /// Appends part `b` of the invoices file (read with `deferIDs`) to `a`, the rows before
    /// it, as one pass over both would have made them: `b`'s ids are interned after `a`'s in
    /// row order, a duplicate (of a row of `a` or an earlier one of `b`) is dropped with the
    /// rejection that pass gives it (same reason, same first line), and the symbols `b`'s
    /// rows name are numbered after `a`'s in the order the kept rows first name them.
    /// Returns the rejections of the duplicates, in line order. Only for a customer master
    /// (without one, local customer ids are numbered in file order: never split).
    static func joinInvoices(_ a: inout StagedInvoices, _ b: InvoicePart, _ r: TableReader) -> [Rejection] {
        precondition(a.localCustomers.count == 0 && b.staged.localCustomers.count == 0, "joinInvoices: customers made from ids")
        let bs = b.staged
        let n1 = a.table.line.count
        // b's ids are interned on one core while its columns are appended on the other, as if
        // every row were kept; the rare duplicate then has the columns appended again without
        // it. The pool and the lines are taken out of `a` meanwhile (each thread its own).
        var pool = StringPool(), lines: [Int32] = []
        swap(&pool, &a.table.ids)
        swap(&lines, &a.table.line)
        let symbolsBefore = a.table.symbols
        var result: (keep: [Bool]?, rejections: [Rejection]) = (nil, [])
        withUnsafeMutablePointer(to: &pool) { poolP in
            withUnsafeMutablePointer(to: &result) { resultP in
                withUnsafeMutablePointer(to: &a) { aP in
                    withUnsafePointer(to: &lines) { linesP in
                        let box = UncheckedSendable((poolP, resultP, aP, linesP))
                        DispatchQueue.concurrentPerform(iterations: 2) { job in
                            let (poolP, resultP, aP, linesP) = box.value
                            if job == 0 {
                                resultP.pointee = internIDs(&poolP.pointee, b.ids, b.idHashes, lines: bs.table.line, before: linesP.pointee,
                                                            column: InvoiceCol.id, what: "invoice_id", r)
                            } else {
                                appendColumns(&aP.pointee, bs, keep: nil)
                            }
                        }
                    }
                }
            }
        }
        swap(&pool, &a.table.ids)
        swap(&lines, &a.table.line)
        let keep = result.keep
        if let keep {
            // Appended again without the duplicates (and the symbols numbered without them).
            a.table.symbols = symbolsBefore
            truncateColumns(&a, to: n1)
            appendColumns(&a, bs, keep: keep)
        }
        a.table.line.append(contentsOf: keep.map { bs.table.line.compacted(keeping: $0) } ?? bs.table.line)
        return result.rejections
    }

    /// Appends b's columns (but its ids and lines) to a's, without the rows `keep` drops;
    /// b's symbols numbered after a's, as the kept rows first name them.
    private static func appendColumns(_ a: inout StagedInvoices, _ bs: StagedInvoices, keep: [Bool]?) {
        @inline(__always) func add<T>(_ to: inout [T], _ from: [T]) {
            if let keep { to.append(contentsOf: from.compacted(keeping: keep)) } else { to.append(contentsOf: from) }
        }
        @inline(__always) func add(_ to: inout TextColumn, _ from: TextColumn) {
            to.append(contentsOf: keep.map { from.compacted(keeping: $0) } ?? from)
        }
        add(&a.table.customer, bs.table.customer)
        add(&a.table.number, bs.table.number)
        add(&a.table.issueDate, bs.table.issueDate)
        add(&a.table.dueDate, bs.table.dueDate)
        add(&a.table.amount, bs.table.amount)
        add(&a.table.currency, bs.table.currency)
        add(&a.explicitCurrency, bs.explicitCurrency)
        add(&a.table.poNumber, bs.table.poNumber)
        add(&a.table.sentDate, bs.table.sentDate)
        add(&a.table.createdAt, bs.table.createdAt)
        add(&a.table.disputed, bs.table.disputed)
        if a.hasPaidColumns {
            add(&a.paidDate, bs.paidDate)
            add(&a.paidAmount, bs.paidAmount)
        }
        var map = [Int32](repeating: -2, count: bs.table.symbols.count)
        let n2 = bs.table.createdBy.count
        a.table.createdBy.reserveCapacity(a.table.createdBy.count + n2)
        for k in 0..<n2 where keep?[k] ?? true {
            let v = bs.table.createdBy[k]
            if v < 0 { a.table.createdBy.append(v); continue }
            if map[Int(v)] == -2 { map[Int(v)] = bs.table.symbols.withBytes(v) { a.table.symbols.intern($0).id } }
            a.table.createdBy.append(map[Int(v)])
        }
    }

    /// a's columns (but its ids and lines) cut back to their first `n` rows.
    private static func truncateColumns(_ a: inout StagedInvoices, to n: Int) {
        @inline(__always) func cut<T>(_ c: inout [T]) { c.removeLast(c.count - n) }
        @inline(__always) func cut(_ c: inout TextColumn) { c = TextColumn(bytes: Array(c.bytes[0..<(n == 0 ? 0 : Int(c.ends[n - 1]))]), ends: Array(c.ends[0..<n])) }
        cut(&a.table.customer)
        cut(&a.table.number)
        cut(&a.table.issueDate)
        cut(&a.table.dueDate)
        cut(&a.table.amount)
        cut(&a.table.currency)
        cut(&a.explicitCurrency)
        cut(&a.table.poNumber)
        cut(&a.table.sentDate)
        cut(&a.table.createdAt)
        cut(&a.table.disputed)
        cut(&a.table.createdBy)
        if a.hasPaidColumns {
            cut(&a.paidDate)
            cut(&a.paidAmount)
        }
    }

    // MARK: payments

    static func payments(_ r: TableReader, _ ctx: CustomerContext) -> StagedPayments {
        typealias C = PaymentCol
        var s = StagedPayments()
        let rows = r.estimatedRows
        // The ids are kept aside and interned after the rows are read (`internIDs`).
        var ids = IDsAside(rows: rows)
        var reference = TextBuilder(rows: rows, averageLength: 12)
        var customer = ColumnBuilder<Int32>(rows: rows), receivedDate = ColumnBuilder<Day>(rows: rows)
        var amountColumn = ColumnBuilder<Int64>(rows: rows), currency = ColumnBuilder<Currency>(rows: rows)
        var method = ColumnBuilder<Int32>(rows: rows), postedDate = ColumnBuilder<Day?>(rows: rows)
        var postedBy = ColumnBuilder<Int32>(rows: rows), line = ColumnBuilder<Int32>(rows: rows)
        let customers = ValueMemo(size: 1024), symbols = ValueMemo(size: 16)
        defer {
            customers.deallocate()
            symbols.deallocate()
        }
        var range = RowRange(scanner: r.nextScanner)
        r.forEachRow(in: &range) { (row: borrowing Row) throws(RowError) in
            let id = try row.required(C.id)
            let (cust, curDefault, _) = try ctx.resolve(try row.required(C.customer), local: &s.localCustomers,
                                                        memo: customers, column: C.customer)
            let received = try row.day(C.received)
            let cur = try row.currency(C.currency) ?? curDefault
            let amount = try row.amount(C.amount, digits: cur.minorDigits, currencyName: cur.code, currency: cur)
            try positive(amount, C.amount)
            let posted = try row.optionalDay(C.posted)
            ids.append(id)
            customer.append(cust)
            receivedDate.append(received)
            amountColumn.append(amount)
            currency.append(cur)
            method.append(symbol(&s.table.symbols, symbols, row.text(C.method)))
            if let v = row.text(C.reference) { reference.append(v) } else { reference.appendEmpty() }
            postedDate.append(posted)
            postedBy.append(symbol(&s.table.symbols, symbols, row.text(C.postedBy)))
            line.append(Int32(row.line))
        }
        s.table.customer = customer.finish()
        s.table.receivedDate = receivedDate.finish()
        s.table.amount = amountColumn.finish()
        s.table.currency = currency.finish()
        s.table.method = method.finish()
        s.table.reference = reference.finish()
        s.table.postedDate = postedDate.finish()
        s.table.postedBy = postedBy.finish()
        s.table.line = line.finish()
        let (keep, duplicates) = internIDs(&s.table.ids, &ids, lines: s.table.line, column: C.id, what: "payment_id", r)
        if let keep { dropRows(&s.table, keep, symbolsIn: [\.method, \.postedBy]) }
        r.finish(range, adding: duplicates)
        return s
    }

    // MARK: applications

    static func applications(_ r: TableReader) -> StagedApplications {
        typealias C = ApplicationCol
        var s = StagedApplications()
        let rows = r.estimatedRows
        var payments = TextBuilder(rows: rows, averageLength: 12)
        var documents = TextBuilder(rows: rows, averageLength: 12)
        var amountWide = ColumnBuilder<Int64>(rows: rows), date = ColumnBuilder<Day?>(rows: rows)
        var line = ColumnBuilder<Int32>(rows: rows)
        r.forEachRow { (row: borrowing Row) throws(RowError) in
            let p = try row.required(C.payment)
            let d = try row.required(C.document)
            let amount = try row.amount(C.amount, digits: wideDigits, currencyName: "the payment's currency")
            try positive(amount, C.amount)
            let day = try row.optionalDay(C.date)
            payments.append(p)
            documents.append(d)
            amountWide.append(amount)
            date.append(day)
            line.append(Int32(row.line))
        }
        s.payments.text = payments.finish()
        s.documents.text = documents.finish()
        s.amountWide = amountWide.finish()
        s.date = date.finish()
        s.line = line.finish()
        return s
    }

    // MARK: adjustments

    static func adjustments(_ r: TableReader, _ ctx: CustomerContext) -> StagedAdjustments {
        typealias C = AdjustmentCol
        var s = StagedAdjustments()
        let rows = r.estimatedRows
        s.table.ids.reserve(rows)
        var documents = TextBuilder(rows: rows, averageLength: 12)
        var customer = ColumnBuilder<Int32>(rows: rows), date = ColumnBuilder<Day>(rows: rows)
        var kindColumn = ColumnBuilder<AdjustmentKind>(rows: rows), amountWide = ColumnBuilder<Int64>(rows: rows)
        var reason = ColumnBuilder<Int32>(rows: rows), createdBy = ColumnBuilder<Int32>(rows: rows)
        var approvedBy = ColumnBuilder<Int32>(rows: rows), line = ColumnBuilder<Int32>(rows: rows)
        let customers = ValueMemo(size: 1024), symbols = ValueMemo(size: 16)
        defer {
            customers.deallocate()
            symbols.deallocate()
        }
        r.forEachRow { (row: borrowing Row) throws(RowError) in
            let id = try row.required(C.id)
            let idHash = StringPool.hash(id)
            s.table.ids.prefetchInPlace(hash: idHash)
            let (cust, _, _) = try ctx.resolve(try row.required(C.customer), local: &s.localCustomers,
                                               memo: customers, column: C.customer)
            let day = try row.day(C.date)
            let kind = try row.choice(C.kind, AdjustmentKind.self, names: adjustmentKindNames,
                                      listed: "an adjustment kind (credit_memo, write_off, debit_memo, late_fee)")
            let amount = try row.amount(C.amount, digits: wideDigits, currencyName: "the document's currency")
            if amount <= 0 {
                throw RowError(column: C.amount, reason: "must be greater than zero (the kind gives the sign)")
            }
            let (aid, inserted) = s.table.ids.intern(id, hash: idHash)
            if !inserted { throw duplicate(C.id, "adjustment_id", firstLine: line[Int(aid)]) }
            customer.append(cust)
            if let v = row.text(C.document) { documents.append(v) } else { documents.appendEmpty() }
            date.append(day)
            kindColumn.append(kind)
            amountWide.append(amount)
            reason.append(symbol(&s.table.symbols, symbols, row.text(C.reason)))
            createdBy.append(symbol(&s.table.symbols, symbols, row.text(C.createdBy)))
            approvedBy.append(symbol(&s.table.symbols, symbols, row.text(C.approvedBy)))
            line.append(Int32(row.line))
        }
        s.table.customer = customer.finish()
        s.documents.text = documents.finish()
        s.table.date = date.finish()
        s.table.kind = kindColumn.finish()
        s.amountWide = amountWide.finish()
        s.table.reason = reason.finish()
        s.table.createdBy = createdBy.finish()
        s.table.approvedBy = approvedBy.finish()
        s.table.line = line.finish()
        return s
    }

    // MARK: disputes

    static func disputes(_ r: TableReader) -> StagedDisputes {
        typealias C = DisputeCol
        var s = StagedDisputes()
        r.forEachRow { (row: borrowing Row) throws(RowError) in
            let id = try row.required(C.id)
            let doc = try row.required(C.document)
            let opened = try row.day(C.opened)
            let resolved = try row.optionalDay(C.resolved)
            if let resolved, resolved < opened {
                throw RowError(column: C.resolved, reason: "is before opened_date (\(opened))")
            }
            let amount = try row.optionalAmount(C.amount, digits: wideDigits, currencyName: "the invoice's currency")
            if let amount, amount < 0 { throw RowError(column: C.amount, reason: "must not be negative") }
            let (did, inserted) = s.table.ids.intern(id)
            if !inserted { throw duplicate(C.id, "dispute_id", firstLine: s.table.line[Int(did)]) }
            s.documents.add(doc)
            s.table.openedDate.append(opened)
            s.table.resolvedDate.append(resolved)
            s.amountWide.append(amount)
            s.table.reason.append(symbol(&s.table.symbols, row.text(C.reason)))
            s.table.outcome.append(symbol(&s.table.symbols, row.text(C.outcome)))
            s.table.line.append(Int32(row.line))
        }
        return s
    }

    // MARK: activities

    static func activities(_ r: TableReader, _ ctx: CustomerContext) -> StagedActivities {
        typealias C = ActivityCol
        var s = StagedActivities()
        s.reserve(r.estimatedRows)
        // The ids are kept aside and interned after the rows are read (`internIDs`).
        var ids = IDsAside(rows: r.estimatedRows)
        var range = RowRange(scanner: r.nextScanner)
        r.forEachRow(in: &range) { (row: borrowing Row) throws(RowError) in
            let id = try row.required(C.id)
            let (cust, _, _) = try ctx.resolve(try row.required(C.customer), local: &s.localCustomers, column: C.customer)
            let date = try row.day(C.date)
            let kind = try row.choice(C.kind, ActivityKind.self, names: activityKindNames,
                                      listed: "an activity kind (email, call, letter, meeting, promise, agency, note)")
            let promisedDate = try row.optionalDay(C.promisedDate)
            let promised = try row.optionalAmount(C.promisedAmount, digits: wideDigits, currencyName: "the customer's currency")
            if let promised, promised <= 0 { throw RowError(column: C.promisedAmount, reason: "must be greater than zero") }
            ids.append(id)
            s.table.customer.append(cust)
            s.documents.add(row.text(C.document))
            s.table.date.append(date)
            s.table.kind.append(kind)
            s.table.collector.append(symbol(&s.table.symbols, row.text(C.collector)))
            s.table.promisedDate.append(promisedDate)
            s.promisedWide.append(promised)
            if let v = row.text(C.note) { s.table.note.append(v) } else { s.table.note.appendEmpty() }
            s.table.line.append(Int32(row.line))
        }
        let (keep, duplicates) = internIDs(&s.table.ids, &ids, lines: s.table.line, column: C.id, what: "activity_id", r)
        if let keep {
            dropRows(&s.table, keep, symbolsIn: [\.collector])
            s.documents.text = s.documents.text.compacted(keeping: keep)
            s.promisedWide = s.promisedWide.compacted(keeping: keep)
        }
        r.finish(range, adding: duplicates)
        return s
    }

    // MARK: purchase orders

    static func purchaseOrders(_ r: TableReader, _ ctx: CustomerContext) -> StagedPurchaseOrders {
        typealias C = POCol
        var s = StagedPurchaseOrders()
        s.reserve(r.estimatedRows)
        // The keys (customer, NUL, PO number) are kept aside and interned after the rows are read (`internIDs`).
        var keys = IDsAside(rows: r.estimatedRows, averageLength: 20)
        var keyBuffer: [UInt8] = []
        keyBuffer.reserveCapacity(64)
        var range = RowRange(scanner: r.nextScanner)
        r.forEachRow(in: &range) { (row: borrowing Row) throws(RowError) in
            let po = try row.required(C.po)
            let ckey = try row.required(C.customer)
            let (cust, _, _) = try ctx.resolve(ckey, local: &s.localCustomers, column: C.customer)
            let date = try row.optionalDay(C.date)
            let cur = try row.currency(C.currency)
            let amount = try row.optionalAmount(C.amount, digits: wideDigits, currencyName: "the currency")
            if let amount, amount <= 0 { throw RowError(column: C.amount, reason: "must be greater than zero") }
            keyBuffer.removeAll(keepingCapacity: true)
            keyBuffer.append(contentsOf: ckey)
            keyBuffer.append(0)
            keyBuffer.append(contentsOf: po)
            keyBuffer.withUnsafeBufferPointer { keys.append($0) }
            s.table.poNumber.append(po)
            s.table.customer.append(cust)
            s.table.date.append(date)
            s.amountWide.append(amount)
            s.explicitCurrency.append(cur)
            s.table.amount.append(nil)
            s.table.currency.append(cur ?? ctx.implicitCurrency)
            s.table.line.append(Int32(row.line))
        }
        let (keep, duplicates) = internIDs(&s.keys, &keys, lines: s.table.line, column: C.po, pairedWith: C.customer,
                                           what: "po_number for this customer", r)
        if let keep {
            s.table = s.table.compacted(keeping: keep)
            s.amountWide = s.amountWide.compacted(keeping: keep)
            s.explicitCurrency = s.explicitCurrency.compacted(keeping: keep)
        }
        r.finish(range, adding: duplicates)
        return s
    }

    // MARK: fx rates

    static func fxRates(_ r: TableReader) -> FxRateTable {
        typealias C = FxCol
        var t = FxRateTable()
        var seen: [Currency: [Day: Int]] = [:]
        r.forEachRow { (row: borrowing Row) throws(RowError) in
            let date = try row.day(C.date)
            guard let cur = try row.currency(C.currency) else {
                throw RowError(column: C.currency, reason: "is empty, but required", showValue: false)
            }
            let text = String(decoding: try row.required(C.rate), as: UTF8.self)
            guard let rate = ExchangeRate(text) else {
                throw RowError(column: C.rate, reason: "not a positive decimal rate")
            }
            guard ValueLimits.fxRates.contains(rate.doubleValue) else {
                throw RowError(column: C.rate, reason: "rate outside the accepted range 0.000001 to 1000000")
            }
            if let first = seen[cur]?[date] {
                throw RowError(column: C.date, reason: "duplicate rate for \(cur) on this date (first on line \(first))")
            }
            seen[cur, default: [:]][date] = row.line
            t.rates[cur, default: []].append((date, rate))
        }
        for k in t.rates.keys { t.rates[k]!.sort { $0.date < $1.date } }
        return t
    }
}
