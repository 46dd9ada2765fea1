import ARModel
import Dispatch

/// How rows name their customer while tables are parsed in parallel: against customers.csv
/// when present (an unknown id rejects the row), or into a per-table pool of ids seen when
/// the customer master is missing (merged into synthesized customers afterwards).
struct CustomerContext: Sendable {
    let master: CustomerTable?
    /// The currency of documents with no currency of their own and no customer currency.
    let implicitCurrency: Currency
    let defaultTerms: Int32
    let masterFile: String
    /// How messages name the adjustments table (`adjustments.csv`, `ar.adjustments`): where an
    /// invoice's negative amount should be recorded instead.
    let adjustmentsFile: String
    /// The master's ids, currencies and terms: what `resolve` reads for every row, kept apart
    /// so that a row does not copy (and retain) the whole customer table.
    private let ids: StringPool?
    private let currency: [Currency]
    private let terms: [Int32]

    init(master: CustomerTable?, implicitCurrency: Currency, defaultTerms: Int32, masterFile: String,
         adjustmentsFile: String = TableName.adjustments.defaultFile) {
        self.master = master
        self.implicitCurrency = implicitCurrency
        self.defaultTerms = defaultTerms
        self.masterFile = masterFile
        self.adjustmentsFile = adjustmentsFile
        ids = master?.ids
        currency = master?.currency ?? []
        terms = master?.termsDays ?? []
    }

    var hasMaster: Bool { ids != nil }

    /// Customer index (master) or local id (synthesizing), with its currency and terms.
    @inline(__always)
    func resolve(_ key: UnsafeBufferPointer<UInt8>, local: inout StringPool, column: Int) throws(RowError)
        -> (id: Int32, currency: Currency, terms: Int32) {
        if let ids {
            guard let id = ids.find(key) else {
                throw RowError(column: column, reason: "unknown customer (not in \(masterFile))")
            }
            return (id, currency[Int(id)], terms[Int(id)])
        }
        return (local.intern(key).id, implicitCurrency, defaultTerms)
    }

    /// `resolve`, asking `memo` first (the same answers: the memo keeps only what the pool
    /// found or interned for those bytes; an unknown customer is never kept).
    @inline(__always)
    func resolve(_ key: UnsafeBufferPointer<UInt8>, local: inout StringPool, memo: ValueMemo, column: Int) throws(RowError)
        -> (id: Int32, currency: Currency, terms: Int32) {
        if let ids {
            let id: Int32
            if let hit = memo.recall(key) {
                id = hit
            } else {
                guard let found = ids.find(key) else {
                    throw RowError(column: column, reason: "unknown customer (not in \(masterFile))")
                }
                memo.remember(key, found)
                id = found
            }
            return (id, currency[Int(id)], terms[Int(id)])
        }
        if let hit = memo.recall(key) { return (hit, implicitCurrency, defaultTerms) }
        let id = local.intern(key).id
        memo.remember(key, id)
        return (id, implicitCurrency, defaultTerms)
    }
}

/// References to rows of other tables, kept as the text written (one entry per row, empty
/// for "none") until those tables exist; each is looked up once, when resolved.
struct PendingRefs: Sendable {
    var text = TextColumn()

    mutating func add(_ v: UnsafeBufferPointer<UInt8>?) {
        if let v { text.append(v) } else { text.appendEmpty() }
    }

    func isNone(_ row: Int) -> Bool { text.isEmpty(row) }
    subscript(row: Int) -> String { text[row] }

    /// Looks every row up with `find` (on all cores for big tables); `none` for empty rows.
    /// `prefetch` is called eight rows ahead of `find` to start loading what it will probe.
    /// `guess`, given the previous row's answer, names the likely answer for this row (the
    /// next payment of a file sorted by payment); `find` is asked only when it is wrong.
    func resolve<T: Sendable>(none: T, prefetch: (@Sendable (UnsafeBufferPointer<UInt8>) -> Void)? = nil,
                              guess: (@Sendable (T, UnsafeBufferPointer<UInt8>) -> T?)? = nil,
                              _ find: @escaping @Sendable (UnsafeBufferPointer<UInt8>) -> T?) -> [T?] {
        let n = text.count
        let chunks = n > 100_000 ? 4 : 1
        let me = self
        return [T?](unsafeUninitializedCapacity: n) { out, initialized in
            let slots = SendableBuffer(out)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = n * c / chunks, hi = n * (c + 1) / chunks
                me.text.bytes.withUnsafeBufferPointer { bytes in
                    me.text.ends.withUnsafeBufferPointer { ends in
                        @inline(__always) func value(_ i: Int) -> UnsafeBufferPointer<UInt8> {
                            let from = i == 0 ? 0 : Int(ends[i - 1])
                            return UnsafeBufferPointer(rebasing: bytes[from..<Int(ends[i])])
                        }
                        var last: T? = nil
                        for i in lo..<hi {
                            if let ahead = prefetch, i + 8 < hi { ahead(value(i + 8)) }
                            let v = value(i)
                            var answer: T? = none
                            if !v.isEmpty {
                                if let guess, let previous = last, let hit = guess(previous, v) {
                                    answer = hit
                                } else {
                                    answer = find(v)
                                }
                                last = answer
                            }
                            (slots.base + i).initialize(to: answer)
                        }
                    }
                }
            }
            initialized = n
        }
    }
}

extension TextColumn {
    /// Calls `body` for rows `range` in order with each row's bytes and `StringPool.hash` of
    /// them, having asked `pool` to load what a look-up of that row will touch: its slot 12
    /// rows ahead, the end offsets of the string there 8 rows ahead, its bytes 4 rows ahead.
    /// (A look-up in a pool of a million ids misses the cache three times in a row otherwise.)
    @inline(__always)
    func forEachAhead(_ range: Range<Int>, in pool: StringPool,
                      _ body: (Int, UnsafeBufferPointer<UInt8>, UInt32) -> Void) {
        bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in
                @inline(__always) func value(_ i: Int) -> UnsafeBufferPointer<UInt8> {
                    let from = i == 0 ? 0 : Int(ends[i - 1])
                    return UnsafeBufferPointer(rebasing: bytes[from..<Int(ends[i])])
                }
                var ring = (UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                            UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                            UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0),
                            UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0), UInt32(0))
                withUnsafeMutableBytes(of: &ring) { raw in
                    let hashes = raw.bindMemory(to: UInt32.self)
                    let lo = range.lowerBound, hi = range.upperBound
                    for i in lo..<min(lo + 24, hi) {
                        let h = StringPool.hash(value(i))
                        hashes[i & 31] = h
                        pool.prefetch(hash: h)
                    }
                    for i in lo..<hi {
                        if i + 24 < hi {
                            let h = StringPool.hash(value(i + 24))
                            hashes[(i + 24) & 31] = h
                            pool.prefetch(hash: h)
                        }
                        if i + 16 < hi { pool.prefetchEnds(hash: hashes[(i + 16) & 31]) }
                        if i + 8 < hi { pool.prefetchBytes(hash: hashes[(i + 8) & 31]) }
                        body(i, value(i), hashes[i & 31])
                    }
                }
            }
        }
    }
}

/// Runs `body` over `n` rows split into `chunks` consecutive ranges, on every core; the
/// ranges' results in order.
func inChunks<T>(_ n: Int, chunks: Int, _ body: (Range<Int>) -> T) -> [T] {
    let k = max(1, min(chunks, n))
    if k == 1 { return [body(0..<n)] }
    return [T](unsafeUninitializedCapacity: k) { out, initialized in
        let slots = SendableBuffer(out)
        withoutActuallyEscaping(body) { body in
            let b = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: k) { c in
                (slots.base + c).initialize(to: b.value(n * c / k..<n * (c + 1) / k))
            }
        }
        initialized = k
    }
}

struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}

/// A buffer that parallel workers fill, each its own part.
struct SendableBuffer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
    init(_ b: UnsafeMutableBufferPointer<T>) { base = b.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)! }
}

struct StagedCustomers: Sendable {
    var table = CustomerTable()
    var explicitCurrency: [Bool] = []
    /// Credit limits at `wideDigits` until the customer's currency is final.
    var creditLimitWide: [Int64?] = []
}

struct StagedInvoices: Sendable {
    var table = InvoiceTable()
    var localCustomers = StringPool()
    /// First-seen customer attributes (mapping `customer_columns`), per local customer.
    var customerAttributes: [Int32: [String: String]] = [:]
    var explicitCurrency: [Bool] = []
    var paidDate: [Day?] = []
    var paidAmount: [Int64?] = []
    var hasPaidColumns = false
}

/// One part of the invoices file (`TableParsers.invoicePart`): its rows, and, when their ids
/// are left to `TableParsers.joinInvoices`, each row's id and `StringPool.hash`.
struct InvoicePart: Sendable {
    var staged: StagedInvoices
    var ids = TextColumn()
    var idHashes: [UInt32] = []
}

struct StagedPayments: Sendable {
    var table = PaymentTable()
    var localCustomers = StringPool()
}

struct StagedApplications: Sendable {
    var payments = PendingRefs()
    var documents = PendingRefs()
    var amountWide: [Int64] = []
    var date: [Day?] = []
    var line: [Int32] = []
}

struct StagedAdjustments: Sendable {
    var table = AdjustmentTable()
    var localCustomers = StringPool()
    var documents = PendingRefs()
    var amountWide: [Int64] = []
}

struct StagedDisputes: Sendable {
    var table = DisputeTable()
    var documents = PendingRefs()
    var amountWide: [Int64?] = []
}

struct StagedActivities: Sendable {
    var table = ActivityTable()
    var localCustomers = StringPool()
    var documents = PendingRefs()
    var promisedWide: [Int64?] = []
}

struct StagedPurchaseOrders: Sendable {
    var table = PurchaseOrderTable()
    var localCustomers = StringPool()
    var keys = StringPool()
    var amountWide: [Int64?] = []
    var explicitCurrency: [Currency?] = []
}

// Reserving room before parsing: the table's own columns (its column list), then what only
// staging keeps. (Invoices, payments, applications and adjustments reserve nothing but their
// id pools: their parsers fill `ColumnBuilder`s and `TextBuilder`s made at the estimated size.)

extension StagedActivities {
    mutating func reserve(_ n: Int) {
        table.reserve(n)
        documents.text.reserve(n, averageLength: 12)
        promisedWide.reserveCapacity(n)
    }
}

extension StagedPurchaseOrders {
    mutating func reserve(_ n: Int) {
        table.reserve(n)
        keys.reserve(n, averageLength: 20)
        amountWide.reserveCapacity(n)
        explicitCurrency.reserveCapacity(n)
    }
}

/// The ids a parser keeps aside as it reads the rows, each with its `StringPool.hash`, to
/// intern them after the rows (`TableParsers.internIDs`).
struct IDsAside {
    var text: TextBuilder
    var hashes: ColumnBuilder<UInt32>

    init(rows: Int, averageLength: Int = 12) {
        text = TextBuilder(rows: rows, averageLength: averageLength)
        hashes = ColumnBuilder<UInt32>(rows: rows)
    }

    @inline(__always) mutating func append(_ id: UnsafeBufferPointer<UInt8>) {
        text.append(id)
        hashes.append(StringPool.hash(id))
    }
}

/// A text column being filled by a parser: its bytes and end offsets written in place into
/// arrays made at the estimated size up front, without `Array.append`'s generic copy (a text
/// column took about 120 instructions per value that way), and cut to what was written by
/// `finish()`, which hands the arrays over as they are (no copy, so no second set of pages).
///
/// The arrays' elements past what was written are left uninitialised (UInt8 and UInt32:
/// nothing to destroy): every byte is written before it is read, and `finish()` drops the
/// rest unread. The pages the estimate over-reserves are never touched.
struct TextBuilder {
    private var bytes: [UInt8]
    private var used = 0
    private var ends: [UInt32]
    private var rows = 0
    /// The arrays' storage and sizes, taken when they are made (as in `ColumnBuilder`: the
    /// arrays are not touched otherwise until `finish()`, so the pointers stay theirs); reaching
    /// them through `withUnsafeMutableBufferPointer` checked their uniqueness on every value.
    private var bytesBase: UnsafeMutablePointer<UInt8>
    private var bytesCapacity: Int
    private var endsBase: UnsafeMutablePointer<UInt32>
    private var rowCapacity: Int

    init(rows n: Int, averageLength: Int) {
        let rowCapacity = max(n, 16), capacity = max(n * averageLength, 64)
        bytes = [UInt8](unsafeUninitializedCapacity: capacity) { _, count in count = capacity }
        ends = [UInt32](unsafeUninitializedCapacity: rowCapacity) { _, count in count = rowCapacity }
        bytesBase = bytes.withUnsafeMutableBufferPointer { $0.baseAddress! }
        endsBase = ends.withUnsafeMutableBufferPointer { $0.baseAddress! }
        bytesCapacity = capacity
        self.rowCapacity = rowCapacity
    }

    @inline(__always) mutating func append(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        if used &+ n > bytesCapacity || rows == rowCapacity { grow(n) }
        if let from = p.baseAddress {
            let to = UnsafeMutableRawPointer(bytesBase + used), src = UnsafeRawPointer(from)
            if n >= 8 && n <= 16 {
                // Two overlapping words: every byte of both lies inside the value.
                to.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
                to.storeBytes(of: src.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self), toByteOffset: n - 8, as: UInt64.self)
            } else if n >= 4 && n < 8 {
                to.storeBytes(of: src.loadUnaligned(as: UInt32.self), as: UInt32.self)
                to.storeBytes(of: src.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self), toByteOffset: n - 4, as: UInt32.self)
            } else {
                to.copyMemory(from: src, byteCount: n)
            }
        }
        used &+= n
        endsBase[rows] = UInt32(truncatingIfNeeded: used)
        rows &+= 1
    }

    @inline(__always) mutating func appendEmpty() {
        if rows == rowCapacity { grow(0) }
        endsBase[rows] = UInt32(truncatingIfNeeded: used)
        rows &+= 1
    }

    /// More room than the estimate gave (rare): the arrays doubled.
    @inline(never) private mutating func grow(_ n: Int) {
        if used + n > bytesCapacity {
            bytes.append(contentsOf: repeatElement(0, count: max(bytesCapacity, n)))
            bytesCapacity = bytes.count
            bytesBase = bytes.withUnsafeMutableBufferPointer { $0.baseAddress! }
        }
        if rows == rowCapacity {
            ends.append(contentsOf: repeatElement(0, count: rowCapacity))
            rowCapacity = ends.count
            endsBase = ends.withUnsafeMutableBufferPointer { $0.baseAddress! }
        }
    }

    /// The column: the arrays cut to what was written. The builder is not used after this.
    mutating func finish() -> TextColumn {
        bytes.removeLast(bytes.count - used)
        ends.removeLast(ends.count - rows)
        let column = TextColumn(bytes: bytes, ends: ends)
        bytes = []
        ends = []
        bytesCapacity = 0
        rowCapacity = 0
        return column
    }
}

/// A column of fixed-size values (days, amounts, ids, flags) being filled by a parser, one
/// value per row: written through a pointer into an array made at the estimated size up
/// front, and cut to what was written by `finish()`, which hands the array over as it is (no
/// copy). `Array.append` checked the array's uniqueness and capacity on every call, and for
/// some element types (the optional ones) called out of line to do it: about 60 instructions
/// per value, a third of them in the runtime.
///
/// The pointer is the array's own storage, taken once when the array is made (and again when
/// it grows). It stays valid because the array is never touched between: the builder owns
/// it alone, is not copied (parsers keep it in a local the row closure captures), and
/// reaches it only through the pointer until `finish()`. Elements past `count` are left
/// uninitialised; they are bitwise-copyable, so there is nothing to destroy, and `finish()`
/// drops them unread.
struct ColumnBuilder<Element: BitwiseCopyable> {
    private var storage: [Element]
    private var base: UnsafeMutablePointer<Element>
    private(set) var count = 0
    private var capacity: Int

    init(rows n: Int) {
        let cap = max(n, 16)
        storage = [Element](unsafeUninitializedCapacity: cap) { _, count in count = cap }
        capacity = cap
        base = storage.withUnsafeMutableBufferPointer { $0.baseAddress! }
    }

    @inline(__always) mutating func append(_ v: Element) {
        if count == capacity { grow() }
        (base + count).initialize(to: v)
        count &+= 1
    }

    /// The value appended at `row` (for a parser that reads back what it wrote: a duplicate's
    /// first line).
    @inline(__always) subscript(row: Int) -> Element {
        precondition(row >= 0 && row < count, "ColumnBuilder: row out of range")
        return base[row]
    }

    /// More rows than the estimate (rare): a new array of twice the size, the values moved.
    @inline(never) private mutating func grow() {
        let cap = max(capacity * 2, 16), n = count, from = UnsafePointer(base)
        storage = [Element](unsafeUninitializedCapacity: cap) { b, count in
            b.baseAddress!.initialize(from: from, count: n)
            count = cap
        }
        capacity = cap
        base = storage.withUnsafeMutableBufferPointer { $0.baseAddress! }
    }

    /// The column: the array cut to what was written. The builder is not used after this.
    mutating func finish() -> [Element] {
        var out = storage
        storage = []
        capacity = 0
        out.removeLast(out.count - count)
        count = 0
        return out
    }
}

/// The ids of values a parser met lately, by their bytes: asked before a `StringPool` is, for
/// columns whose values repeat (who created a row, a payment's method, a row's customer).
/// A value of 1 to 16 bytes is kept whole, as its length and two words (overlapping loads:
/// together they fix every byte), in a direct-mapped table of `size` entries; a later equal
/// value is answered by comparing those words, without hashing and without touching the pool.
/// Longer values are never kept. An entry is only ever the id the pool gave for exactly those
/// bytes, so an answer is the pool's answer.
///
/// The entries live in memory the parser allocates (`init`) and frees (`deallocate()`).
struct ValueMemo {
    struct Entry {
        var count: Int32 = 0          // 0: empty
        var id: Int32 = 0
        var head: UInt64 = 0
        var tail: UInt64 = 0
    }
    private let entries: UnsafeMutablePointer<Entry>
    private let shift: UInt64

    /// `size`: a power of two.
    init(size: Int) {
        precondition(size >= 2 && size & (size - 1) == 0, "ValueMemo: size must be a power of two")
        entries = .allocate(capacity: size)
        entries.initialize(repeating: Entry(), count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    func deallocate() { entries.deallocate() }

    /// The value's bytes as two words (nil when empty or longer than 16 bytes). Reads only
    /// the value's own bytes.
    @inline(__always) static func key(_ v: UnsafeBufferPointer<UInt8>) -> (head: UInt64, tail: UInt64)? {
        let n = v.count
        guard n >= 1 && n <= 16, let b = v.baseAddress else { return nil }
        let raw = UnsafeRawPointer(b)
        if n >= 8 {
            return (raw.loadUnaligned(as: UInt64.self), raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        if n >= 4 {
            return (UInt64(raw.loadUnaligned(as: UInt32.self)) | UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)) << 32, 0)
        }
        if n >= 2 {
            return (UInt64(raw.loadUnaligned(as: UInt16.self)) | UInt64(raw.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self)) << 16, 0)
        }
        return (UInt64(b[0]), 0)
    }

    @inline(__always) private func slot(_ n: Int, _ head: UInt64, _ tail: UInt64) -> Int {
        // The top bits of the product (`&>>` binds tighter than `&*`: the parentheses matter).
        Int(truncatingIfNeeded: (((head &+ UInt64(n)) ^ (tail &* 0x9E37_79B9_7F4A_7C15)) &* 0xFF51_AFD7_ED55_8CCD) &>> shift)
    }

    /// The id kept for exactly these bytes, if any.
    @inline(__always) func recall(_ v: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard let k = ValueMemo.key(v) else { return nil }
        let e = entries[slot(v.count, k.head, k.tail)]
        guard Int(e.count) == v.count && e.head == k.head && e.tail == k.tail else { return nil }
        return e.id
    }

    /// Keeps `id` for these bytes (replacing what shared its entry). Nothing for values that
    /// are empty or longer than 16 bytes.
    @inline(__always) func remember(_ v: UnsafeBufferPointer<UInt8>, _ id: Int32) {
        guard let k = ValueMemo.key(v) else { return }
        entries[slot(v.count, k.head, k.tail)] = Entry(count: Int32(v.count), id: id, head: k.head, tail: k.tail)
    }
}
