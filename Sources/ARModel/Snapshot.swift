import CSupport

// The byte layout of a ledger snapshot (ARLoading's LedgerCache writes and maps the files):
// plain values written in order, every column of fixed-size values as its raw bytes, after
// 32 bytes of room aligned to 16 where a reader of a mapped file writes the header of an
// array whose elements stay in the file (`InPlaceArray`): no column is copied.
//
// Only this process's own layouts are written: the snapshot key records the format version
// and the sizes of the stored value types, and a reader refuses any other.

/// Why a snapshot could not be read: it is ignored and rebuilt.
public struct SnapshotError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Writes a snapshot's payload as a stream of fixed-size blocks handed to `sink`, each with
/// its own checksum (so a reader can verify them on several cores); the payload's checksum
/// is the checksum of the block checksums.
public final class SnapshotWriter {
    public static let blockSize = 1 << 20
    private var block: UnsafeMutableRawPointer
    private var used = 0
    private var blockSums: [UInt64] = []
    public private(set) var length = 0
    private let sink: (UnsafeRawBufferPointer) throws -> Void

    public init(sink: @escaping (UnsafeRawBufferPointer) throws -> Void) {
        block = UnsafeMutableRawPointer.allocate(byteCount: SnapshotWriter.blockSize, alignment: 16)
        self.sink = sink
    }

    deinit { block.deallocate() }

    private func flush() throws {
        guard used > 0 else { return }
        let b = UnsafeRawBufferPointer(start: block, count: used)
        blockSums.append(arlens_checksum(block, used, UInt64(blockSums.count)))
        try sink(b)
        used = 0
    }

    /// Appends raw bytes.
    public func bytes(_ p: UnsafeRawBufferPointer) throws {
        var off = 0
        while off < p.count {
            let n = min(p.count - off, SnapshotWriter.blockSize - used)
            (block + used).copyMemory(from: p.baseAddress! + off, byteCount: n)
            used += n
            off += n
            length += n
            if used == SnapshotWriter.blockSize { try flush() }
        }
    }

    /// Pads with zeros to a multiple of `unit` bytes (8 or 16, or 32 for a header's room).
    public func align(_ unit: Int = 8) throws {
        let pad = (unit - length % unit) % unit
        let zeros = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        if pad > 0 { try withUnsafeBytes(of: zeros) { try bytes(UnsafeRawBufferPointer(rebasing: $0[0..<pad])) } }
    }

    public func u64(_ v: UInt64) throws { try withUnsafeBytes(of: v.littleEndian) { try bytes($0) } }
    public func i64(_ v: Int64) throws { try u64(UInt64(bitPattern: v)) }
    public func int(_ v: Int) throws { try i64(Int64(v)) }
    public func bool(_ v: Bool) throws { try u64(v ? 1 : 0) }

    public func string(_ s: String) throws {
        var t = s
        try t.withUTF8 { u in
            try int(u.count)
            try bytes(UnsafeRawBufferPointer(u))
        }
        try align()
    }

    public func optionalString(_ s: String?) throws {
        try bool(s != nil)
        if let s { try string(s) }
    }

    public func strings(_ list: [String]) throws {
        try int(list.count)
        for s in list { try string(s) }
    }

    /// A column of fixed-size values (`_isPOD`), as its count then its raw bytes.
    public func pod<T>(_ a: [T]) throws {
        precondition(_isPOD(T.self))
        try int(a.count)
        // The room for an in-place array's header, right before the values.
        try align(16)
        try withUnsafeBytes(of: (UInt64(0), UInt64(0), UInt64(0), UInt64(0))) { try bytes($0) }
        let size = MemoryLayout<T>.size, stride = MemoryLayout<T>.stride
        if size == stride {
            try a.withUnsafeBytes { try bytes($0) }
        } else {
            // Values with padding (`Day?`: 5 bytes in 8): the padding is whatever memory held,
            // so it is zeroed in a copy, and the same ledger always gives the same file.
            let chunk = 4096
            let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk * stride, alignment: 16)
            defer { buf.deallocate() }
            try a.withUnsafeBytes { src in
                var i = 0
                while i < a.count {
                    let n = min(chunk, a.count - i)
                    buf.baseAddress!.copyMemory(from: src.baseAddress! + i * stride, byteCount: n * stride)
                    for k in 0..<n { (buf.baseAddress! + k * stride + size).initializeMemory(as: UInt8.self, repeating: 0, count: stride - size) }
                    try bytes(UnsafeRawBufferPointer(rebasing: buf[0..<(n * stride)]))
                    i += n
                }
            }
        }
        try align()
    }

    /// Writes the last block; the payload's checksum.
    public func finish() throws -> UInt64 {
        try flush()
        return blockSums.withUnsafeBytes { arlens_checksum($0.baseAddress, $0.count, 0x5EED) }
    }

    /// The checksum of a payload in memory, as `finish()` computes it while writing; blocks
    /// are checked on `lanes` threads by the caller's `parallel` (each lane a range of blocks).
    public static func checksum(_ payload: UnsafeRawBufferPointer, lanes: Int = 2, parallel: (Int, (Int) -> Void) -> Void) -> UInt64 {
        let n = (payload.count + blockSize - 1) / blockSize
        let sums = UnsafeMutablePointer<UInt64>.allocate(capacity: max(n, 1))
        defer { sums.deallocate() }
        parallel(lanes) { lane in
            var b = lane
            while b < n {
                let lo = b * blockSize, len = min(blockSize, payload.count - lo)
                sums[b] = arlens_checksum(payload.baseAddress! + lo, len, UInt64(b))
                b += lanes
            }
        }
        return arlens_checksum(sums, n * 8, 0x5EED)
    }
}

/// Reads a snapshot's payload: every read is bounds-checked, so a truncated or damaged file
/// is an error, never a crash.
public struct SnapshotReader {
    let base: UnsafeRawBufferPointer
    /// The same bytes, writable, when columns are to stay in them (`init(inPlace:)`).
    let writable: UnsafeMutableRawPointer?
    public private(set) var offset = 0
    /// How many columns were left in place (their arrays point into the payload).
    public private(set) var inPlace = 0

    /// A reader that copies every column out of `payload`.
    public init(_ payload: UnsafeRawBufferPointer) {
        base = payload
        writable = nil
    }

    /// A reader that leaves the columns in `payload`, which must then stay mapped, unchanged,
    /// for as long as the process runs (when `inPlace` is not zero): each column's array is
    /// made in the room before its values (`InPlaceArray`), where nothing else may write.
    /// Where the running Swift's array layout is not the one expected, it copies instead.
    public init(inPlace payload: UnsafeMutableRawBufferPointer) {
        base = UnsafeRawBufferPointer(payload)
        writable = InPlaceArray.available ? payload.baseAddress : nil
    }

    mutating func take(_ n: Int) throws -> UnsafeRawBufferPointer {
        guard n >= 0, n <= base.count - offset else { throw SnapshotError("truncated at byte \(offset)") }
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: base[offset..<(offset + n)])
    }

    public mutating func align(_ unit: Int = 8) throws { _ = try take((unit - offset % unit) % unit) }

    public mutating func u64() throws -> UInt64 {
        UInt64(littleEndian: try take(8).loadUnaligned(as: UInt64.self))
    }
    public mutating func i64() throws -> Int64 { Int64(bitPattern: try u64()) }
    public mutating func int() throws -> Int {
        let v = try i64()
        guard v >= 0 && v <= Int64(base.count) * 8 + 1 << 20 else { throw SnapshotError("bad count \(v) at byte \(offset - 8)") }
        return Int(v)
    }
    /// A signed value (not a count).
    public mutating func signed() throws -> Int { Int(try i64()) }
    public mutating func bool() throws -> Bool { try u64() != 0 }

    public mutating func string() throws -> String {
        let n = try int()
        let s = String(decoding: try take(n), as: UTF8.self)
        try align()
        return s
    }

    public mutating func optionalString() throws -> String? { try bool() ? try string() : nil }

    public mutating func strings() throws -> [String] {
        let n = try int()
        var out: [String] = []
        out.reserveCapacity(min(n, 1 << 20))
        for _ in 0..<n { out.append(try string()) }
        return out
    }

    public mutating func pod<T>(_: T.Type = T.self) throws -> [T] {
        precondition(_isPOD(T.self))
        let n = try int()
        let stride = MemoryLayout<T>.stride
        try align(16)
        let room = offset
        _ = try take(InPlaceArray.headerSize)
        guard n <= (base.count - offset) / max(stride, 1) else { throw SnapshotError("truncated column at byte \(offset)") }
        let raw = try take(n * stride)
        try align()
        if n > 0, let writable, let a: [T] = InPlaceArray.make(writable + room, count: n) {
            inPlace += 1
            return a
        }
        return [T](unsafeUninitializedCapacity: n) { buf, count in
            if n > 0 { UnsafeMutableRawPointer(buf.baseAddress!).copyMemory(from: raw.baseAddress!, byteCount: n * stride) }
            count = n
        }
    }

    public var atEnd: Bool { offset == base.count }
}

/// True when every offset is at least the one before it.
func ascending(_ a: [UInt32]) -> Bool {
    a.withUnsafeBufferPointer { p in
        guard p.count > 1, let b = p.baseAddress else { return true }
        // Branch-free, so the loop vectorises: it runs over millions of offsets per read.
        var bad: UInt32 = 0
        for i in 1..<p.count { bad |= b[i] < b[i - 1] ? 1 : 0 }
        return bad == 0
    }
}

/// True when every value is in `lo..<hi`.
func within(_ a: [Int32], _ lo: Int32, _ hi: Int32) -> Bool {
    a.withUnsafeBufferPointer { p in
        var mn = Int32.max, mx = Int32.min
        for v in p { mn = min(mn, v); mx = max(mx, v) }
        return p.isEmpty || (mn >= lo && mx < hi)
    }
}

/// True when every reference is none (when `noneAllowed`), an invoice below `invoices` or an
/// adjustment below `adjustments`.
func documentsExist(_ a: [DocumentRef], invoices: Int, adjustments: Int, noneAllowed: Bool) -> Bool {
    a.withUnsafeBufferPointer { p in
        // An invoice i is raw i >= 0; an adjustment a is raw -a - 1; none is Int32.min.
        var hiInvoice = Int32.min, loRaw = Int32.max, none: UInt8 = 0
        for d in p {
            let r = d.raw
            let isNone: UInt8 = r == Int32.min ? 1 : 0
            none |= isNone
            hiInvoice = max(hiInvoice, r)
            loRaw = min(loRaw, isNone == 1 ? Int32.max : r)
        }
        if p.isEmpty { return true }
        if none == 1 && !noneAllowed { return false }
        if hiInvoice >= 0 && Int(hiInvoice) >= invoices { return false }
        if loRaw < 0 && Int(-(Int64(loRaw) + 1)) >= adjustments { return false }
        return true
    }
}

/// A column that a snapshot can hold.
public protocol SnapshotColumn {
    func write(to w: SnapshotWriter) throws
    init(snapshot r: inout SnapshotReader) throws
}

extension Array: SnapshotColumn {
    public func write(to w: SnapshotWriter) throws {
        if _isPOD(Element.self) { return try w.pod(self) }
        guard let s = self as? [String] else { throw SnapshotError("no snapshot layout for [\(Element.self)]") }
        try w.strings(s)
    }

    public init(snapshot r: inout SnapshotReader) throws {
        if _isPOD(Element.self) { self = try r.pod(Element.self); return }
        guard Element.self == String.self else { throw SnapshotError("no snapshot layout for [\(Element.self)]") }
        self = try r.strings() as! [Element]
    }
}

extension StringPool: SnapshotColumn {
    public func write(to w: SnapshotWriter) throws {
        try w.pod(_bytes)
        try w.pod(_ends)
        try w.pod(slots)
        try w.int(mask)
    }

    public init(snapshot r: inout SnapshotReader) throws {
        self.init(minimumCapacity: 0)
        _bytes = try r.pod()
        _ends = try r.pod()
        slots = try r.pod()
        mask = try r.int()
        // What every lookup relies on: a power-of-two slot table at most half full, ends
        // ascending within the bytes, every slot naming a string that exists.
        // (Branch-free loops: they run over millions of entries on every snapshot read.)
        guard slots.count.nonzeroBitCount == 1, mask == slots.count - 1, _ends.count * 2 <= slots.count,
              (_ends.last.map { Int($0) } ?? 0) == _bytes.count, ascending(_ends) else {
            throw SnapshotError("inconsistent string pool")
        }
        let n = UInt32(_ends.count)
        // Every id at most n; a slot with id 0 (empty) has no tag either. (In C: the compiler
        // here made a branch of it, mispredicted on every other slot of a million-row pool.)
        let bad = slots.withUnsafeBufferPointer { sl in arlens_pool_slots_bad(sl.baseAddress, sl.count, n) != 0 }
        if bad { throw SnapshotError("inconsistent string pool") }
    }
}

extension TextColumn: SnapshotColumn {
    public func write(to w: SnapshotWriter) throws {
        try w.pod(bytes)
        try w.pod(ends)
    }

    public init(snapshot r: inout SnapshotReader) throws {
        let b: [UInt8] = try r.pod(), e: [UInt32] = try r.pod()
        guard (e.last.map { Int($0) } ?? 0) == b.count, ascending(e) else {
            throw SnapshotError("inconsistent text column")
        }
        self.init(bytes: b, ends: e)
    }
}

extension ColumnarTable {
    public func write(to w: SnapshotWriter) throws {
        for c in Self.columns { try c.write(self, w) }
    }

    public init(snapshot r: inout SnapshotReader) throws {
        self.init()
        for c in Self.columns { try c.read(&self, &r) }
    }
}

extension Ledger {
    /// The value types whose raw layout a snapshot stores, with their sizes: part of the key,
    /// so a build with other layouts never reads this one's files.
    public static var snapshotLayout: String {
        func s<T>(_: T.Type) -> String { "\(MemoryLayout<T>.size)/\(MemoryLayout<T>.stride)" }
        return ["Day " + s(Day.self), "Day? " + s(Day?.self), "Int64? " + s(Int64?.self), "Currency " + s(Currency.self),
                "DocumentRef " + s(DocumentRef.self), "LocalTimestamp? " + s(LocalTimestamp?.self), "Bool " + s(Bool.self),
                "AdjustmentKind " + s(AdjustmentKind.self), "ActivityKind " + s(ActivityKind.self)].joined(separator: ", ")
    }

    public func write(to w: SnapshotWriter) throws {
        try w.u64(UInt64(baseCurrency.packed))
        for flag in [customerMasterMissing, paymentsFromInvoices, applicationsFromFile, settled] { try w.bool(flag) }
        try customers.write(to: w)
        try invoices.write(to: w)
        try payments.write(to: w)
        try applications.write(to: w)
        try adjustments.write(to: w)
        try disputes.write(to: w)
        try activities.write(to: w)
        try purchaseOrders.write(to: w)
        let rates = fxRates.rates.sorted { $0.key.packed < $1.key.packed }
        try w.int(rates.count)
        for (c, list) in rates {
            try w.u64(UInt64(c.packed))
            try w.int(list.count)
            for (d, r) in list {
                try w.i64(Int64(d.number))
                try w.i64(r.mantissa)
                try w.int(r.scale)
            }
        }
    }

    public init(snapshot r: inout SnapshotReader) throws {
        guard let base = Currency(snapshotPacked: try r.u64()) else { throw SnapshotError("bad currency") }
        self.init(baseCurrency: base)
        customerMasterMissing = try r.bool()
        paymentsFromInvoices = try r.bool()
        applicationsFromFile = try r.bool()
        settled = try r.bool()
        customers = try CustomerTable(snapshot: &r)
        invoices = try InvoiceTable(snapshot: &r)
        payments = try PaymentTable(snapshot: &r)
        applications = try ApplicationTable(snapshot: &r)
        adjustments = try AdjustmentTable(snapshot: &r)
        disputes = try DisputeTable(snapshot: &r)
        activities = try ActivityTable(snapshot: &r)
        purchaseOrders = try PurchaseOrderTable(snapshot: &r)
        for _ in 0..<(try r.int()) {
            guard let c = Currency(snapshotPacked: try r.u64()) else { throw SnapshotError("bad currency") }
            var list: [(date: Day, rate: ExchangeRate)] = []
            for _ in 0..<(try r.int()) {
                let d = try r.i64(), m = try r.i64(), s = try r.signed()
                guard let day = Int32(exactly: d), m > 0, (0...18).contains(s) else { throw SnapshotError("bad exchange rate") }
                list.append((Day(number: day), ExchangeRate(mantissa: m, scale: s)))
            }
            fxRates.rates[c] = list
        }
        try checkSnapshotShape()
    }

    /// Every table's columns have one entry per row, and every reference between rows points
    /// at a row that exists: what the analyses index by without checking.
    func checkSnapshotShape() throws {
        func same(_ n: Int, _ counts: [Int], _ table: String) throws {
            guard counts.allSatisfy({ $0 == n }) else { throw SnapshotError("\(table): columns of different lengths") }
        }
        let c = customers, i = invoices, p = payments, a = applications, j = adjustments
        try same(c.count, [c.name.count, c.email.count, c.phone.count, c.address.count, c.country.count, c.currency.count,
                           c.creditLimit.count, c.termsDays.count, c.segment.count, c.region.count, c.collector.count,
                           c.creditRating.count, c.language.count, c.createdDate.count, c.creditReviewDate.count, c.line.count], "customers")
        try same(i.count, [i.customer.count, i.number.count, i.issueDate.count, i.dueDate.count, i.amount.count, i.currency.count,
                           i.poNumber.count, i.sentDate.count, i.createdBy.count, i.createdAt.count, i.disputed.count, i.line.count], "invoices")
        try same(p.count, [p.customer.count, p.receivedDate.count, p.amount.count, p.currency.count, p.method.count,
                           p.reference.count, p.postedDate.count, p.postedBy.count, p.line.count], "payments")
        try same(a.count, [a.document.count, a.amount.count, a.requested.count, a.date.count, a.line.count], "applications")
        try same(j.count, [j.customer.count, j.document.count, j.date.count, j.kind.count, j.amount.count, j.currency.count,
                           j.allocated.count, j.reason.count, j.createdBy.count, j.approvedBy.count, j.line.count], "adjustments")
        let d = disputes, v = activities, o = purchaseOrders
        try same(d.count, [d.document.count, d.openedDate.count, d.resolvedDate.count, d.amount.count, d.reason.count,
                           d.outcome.count, d.line.count], "disputes")
        try same(v.count, [v.customer.count, v.document.count, v.date.count, v.collector.count, v.kind.count,
                           v.promisedDate.count, v.promisedAmount.count, v.note.count, v.line.count], "activities")
        try same(o.count, [o.customer.count, o.date.count, o.amount.count, o.currency.count, o.line.count], "purchase_orders")

        let nc = Int32(c.count), ni = i.count, nj = j.count
        func docs(_ a: [DocumentRef], none: Bool = true) -> Bool { documentsExist(a, invoices: ni, adjustments: nj, noneAllowed: none) }
        guard within(i.customer, 0, nc), within(p.customer, 0, nc), within(j.customer, 0, nc), within(v.customer, 0, nc),
              within(o.customer, 0, nc), p.count <= Int(Int32.max), within(a.payment, 0, Int32(p.count)),
              docs(a.document, none: false), docs(j.document), docs(d.document), docs(v.document)
        else { throw SnapshotError("a reference points at a row that does not exist") }
    }
}

extension Currency {
    init?(snapshotPacked v: UInt64) {
        guard let p = UInt32(exactly: v) else { return nil }
        let c = Currency(packed: p)
        guard Currency(code: c.code) == c else { return nil }
        self = c
    }
}

extension LoadReport {
    /// Everything but the timings (`phases`), which belong to the load that measured them.
    public func write(to w: SnapshotWriter) throws {
        try w.int(files.count)
        for f in files {
            try w.string(f.file); try w.string(f.table)
            for n in [f.read, f.loaded, f.rejected, f.skipped, f.folded] { try w.int(n) }
            try w.strings(f.ignoredColumns)
        }
        for list in [rejections, skipped, folded] {
            try w.int(list.count)
            for x in list {
                try w.string(x.file); try w.int(x.line)
                try w.optionalString(x.column); try w.optionalString(x.value); try w.string(x.reason)
            }
        }
        try w.int(findings.count)
        for f in findings { try w.string(f.kind); try w.string(f.table); try w.string(f.key); try w.string(f.message) }
        try w.strings(notes)
    }

    public init(snapshot r: inout SnapshotReader) throws {
        self.init()
        for _ in 0..<(try r.int()) {
            var f = FileReport(file: try r.string(), table: try r.string())
            f.read = try r.int(); f.loaded = try r.int(); f.rejected = try r.int(); f.skipped = try r.int(); f.folded = try r.int()
            f.ignoredColumns = try r.strings()
            files.append(f)
        }
        var lists: [[Rejection]] = []
        for _ in 0..<3 {
            var list: [Rejection] = []
            for _ in 0..<(try r.int()) {
                list.append(Rejection(file: try r.string(), line: try r.int(), column: try r.optionalString(),
                                      value: try r.optionalString(), reason: try r.string()))
            }
            lists.append(list)
        }
        rejections = lists[0]; skipped = lists[1]; folded = lists[2]
        for _ in 0..<(try r.int()) {
            findings.append(Finding(kind: try r.string(), table: try r.string(), key: try r.string(), message: try r.string()))
        }
        notes = try r.strings()
    }
}

/// Arrays whose elements stay where they are in a mapped snapshot: the array's header (the
/// storage object's type, a reference count that marks it as never freed, the count and the
/// capacity) is written into the 32 bytes of room the writer left before the values, and the
/// array points there. Reading it is reading the mapped file; changing it copies it first
/// (the storage is never uniquely referenced), as for any shared array; it is never freed,
/// so the mapping must outlive every copy of it (the snapshot reader leaves it mapped).
///
/// This relies on the layout of Swift's array storage (a 16-byte object header, then the
/// count and capacity, then the values at byte 32) and on how the runtime marks objects that
/// are never freed (as the empty array is). Both are checked on a real array of each element
/// type before any is made (`make` gives nil otherwise, and the reader copies instead).
public enum InPlaceArray {
    /// The room a snapshot leaves before each column's values.
    public static let headerSize = 32

    /// The reference-count word of an object that is never freed: the empty array's.
    static let immortal: UInt64? = {
        let empty: [UInt8] = []
        return withExtendedLifetime(empty) {
            let object = unsafeBitCast(empty, to: UnsafeRawPointer.self)
            let word = object.load(fromByteOffset: 8, as: UInt64.self)
            // The same word after the empty array is copied: retains leave it alone.
            let copies = [empty, empty, empty]
            let after = withExtendedLifetime(copies) { object.load(fromByteOffset: 8, as: UInt64.self) }
            // Never freed: the low 32 bits all set (Swift's mark), and copies do not change it.
            return word == after && word & 0xFFFF_FFFF == 0xFFFF_FFFF ? word : nil
        }
    }()

    /// True when this Swift's arrays have the layout `make` relies on (checked on a probe).
    public static let available: Bool = {
        guard MemoryLayout<[UInt64]>.size == 8, immortal != nil else { return false }
        let room = UnsafeMutableRawPointer.allocate(byteCount: headerSize + 24, alignment: 16)
        // Deliberately never freed: the probe array is immortal, like the ones `make` makes.
        (room + headerSize).initializeMemory(as: UInt64.self, repeating: 7, count: 3)
        guard let a: [UInt64] = make(room, count: 3) else { return false }
        let b = a
        var c = a
        c[0] = 8   // copies first: the probe's values stay as they were
        return a == [7, 7, 7] && b == a && c == [8, 7, 7] && room.load(fromByteOffset: headerSize, as: UInt64.self) == 7
    }()

    /// An array of the `count` values of `T` at `room + 32`, its header written at `room`
    /// (16-byte aligned); nil when the layout checks fail.
    public static func make<T>(_ room: UnsafeMutableRawPointer, count: Int) -> [T]? {
        guard _isPOD(T.self), MemoryLayout<T>.alignment <= 16, count > 0, Int(bitPattern: room) % 16 == 0,
              let immortal else { return nil }
        // A real array of the type: its storage object's type word and flags, and where its values start.
        let probe = [T](unsafeUninitializedCapacity: 1) { buf, n in
            UnsafeMutableRawPointer(buf.baseAddress!).initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<T>.stride)
            n = 1
        }
        let (type, flags, layoutOK) = withExtendedLifetime(probe) { () -> (UInt64, UInt64, Bool) in
            let object = unsafeBitCast(probe, to: UnsafeRawPointer.self)
            let first = probe.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress!) }
            let countWord = object.load(fromByteOffset: 16, as: Int.self)
            let capacityWord = object.load(fromByteOffset: 24, as: UInt64.self)
            return (object.load(fromByteOffset: 0, as: UInt64.self), capacityWord & 1,
                    first == object + headerSize && countWord == 1 && capacityWord >> 1 >= 1)
        }
        guard layoutOK else { return nil }
        room.storeBytes(of: type, toByteOffset: 0, as: UInt64.self)
        room.storeBytes(of: immortal, toByteOffset: 8, as: UInt64.self)
        room.storeBytes(of: count, toByteOffset: 16, as: Int.self)
        room.storeBytes(of: UInt64(count) << 1 | flags, toByteOffset: 24, as: UInt64.self)
        let a = unsafeBitCast(room, to: [T].self)
        guard a.count == count, a.withUnsafeBufferPointer({ UnsafeRawPointer($0.baseAddress!) == UnsafeRawPointer(room + headerSize) }) else {
            return nil
        }
        return a
    }
}
