import CSupport

/// Interned strings: each distinct byte string gets a dense id (0, 1, 2, ...) in insertion
/// order, stored once in a single byte buffer. Used for keys (invoice ids, customer ids) and
/// for categorical text (users, segments, reasons), so columns hold 4-byte ids and grouping
/// compares integers.
///
/// Open addressing with linear probing over a power-of-two slot table; lookups hash the bytes
/// in 8-byte words. Insert and lookup are O(length) expected.
public struct StringPool: Sendable {
    @usableFromInline var _bytes: [UInt8] = []
    @usableFromInline var _ends: [UInt32] = []
    /// Open-addressing slots: 0 = empty, else (32-bit hash tag << 32) | (id + 1). The slot
    /// index comes from the same tag, so growing never re-reads the strings and a probe
    /// touches the bytes only when the tags match.
    @usableFromInline var slots: [UInt64] = []
    @usableFromInline var mask: Int = 0

    /// The bytes of every string, back to back.
    public var bytes: [UInt8] { _bytes }
    /// End offset (exclusive) of string i in `bytes`; its start is the previous end.
    public var ends: [UInt32] { _ends }

    public init(minimumCapacity: Int = 16) {
        var cap = 16
        while cap < minimumCapacity * 2 { cap <<= 1 }
        slots = [UInt64](repeating: 0, count: cap)
        mask = cap - 1
        _ends.reserveCapacity(minimumCapacity)
    }

    /// Reserves room for `n` strings of about `averageLength` bytes.
    public mutating func reserve(_ n: Int, averageLength: Int = 12) {
        _ends.reserveCapacity(n)
        _bytes.reserveCapacity(n * averageLength)
        var cap = slots.count
        while cap < n * 2 { cap <<= 1 }
        if cap > slots.count { rehash(cap) }
    }

    public var count: Int { _ends.count }

    @inlinable @inline(__always) func range(_ i: Int) -> Range<Int> {
        (i == 0 ? 0 : Int(_ends[i - 1]))..<Int(_ends[i])
    }

    /// The string with id `i`.
    public subscript(i: Int32) -> String {
        let r = range(Int(i))
        return _bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    /// Calls `body` with the bytes of string `i`, without copying.
    public func withBytes<R>(_ i: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = range(Int(i))
        return try _bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    public func length(_ i: Int32) -> Int { range(Int(i)).count }

    /// Whether string `i` is `p` (a guess checked without hashing).
    @inlinable @inline(__always)
    public func isString(_ i: Int32, _ p: UnsafeBufferPointer<UInt8>) -> Bool {
        _ends.withUnsafeBufferPointer { en in
            let k = Int(i)
            let lo = k == 0 ? 0 : Int(en[k - 1]), hi = Int(en[k])
            guard hi - lo == p.count else { return false }
            return p.count == 0 || _bytes.withUnsafeBufferPointer { memcmpBytes($0.baseAddress! + lo, p.baseAddress!, p.count) }
        }
    }

    @inlinable @inline(__always) public static func hash(_ p: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(p.count)
        guard let base = p.baseAddress else { return UInt32(truncatingIfNeeded: h) }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = p.count
        while i + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        if i < n {
            // The last 1 to 7 bytes as one little-endian word, zero above them: read as two
            // overlapping loads rather than byte by byte (the same word, so the same hash).
            let r = n - i
            let w: UInt64
            if r >= 4 {
                let lo = UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                let hi = UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
                w = lo | (hi &>> UInt64(8 * (8 - r))) &<< 32
            } else if r >= 2 {
                let lo = UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt16.self))
                let hi = UInt64(raw.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self))
                w = lo | (hi &>> UInt64(8 * (4 - r))) &<< 16
            } else {
                w = UInt64(base[i])
            }
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        h = (h ^ (h >> 29)) &* 0xC4CE_B9FE_1A85_EC53
        return UInt32(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// The slot holding `p`, or the empty slot where it would go.
    @inlinable @inline(__always)
    func probe(_ p: UnsafeBufferPointer<UInt8>, _ tag: UInt32) -> (slot: Int, id: Int32?) {
        slots.withUnsafeBufferPointer { sl in
            _ends.withUnsafeBufferPointer { en in
                _bytes.withUnsafeBufferPointer { by in
                    var s = Int(tag) & mask
                    while true {
                        let v = sl[s]
                        if v == 0 { return (s, nil) }
                        if UInt32(truncatingIfNeeded: v >> 32) == tag {
                            let id = Int(UInt32(truncatingIfNeeded: v)) - 1
                            let lo = id == 0 ? 0 : Int(en[id - 1]), hi = Int(en[id])
                            if hi - lo == p.count && (p.count == 0 || memcmpBytes(by.baseAddress! + lo, p.baseAddress!, p.count)) {
                                return (s, Int32(id))
                            }
                        }
                        s = (s + 1) & mask
                    }
                }
            }
        }
    }

    /// Starts loading the slot where a string with this hash lives, so that a probe issued a
    /// little later finds it in cache. (Large pools miss the cache on nearly every probe.)
    @inlinable @inline(__always)
    public func prefetch(hash: UInt32) {
        slots.withUnsafeBufferPointer { arlens_prefetch($0.baseAddress! + (Int(hash) & mask)) }
    }

    /// `prefetch(hash:)` on a pool held in a variable (a parser's own columns): reaches the
    /// slots in place, where the non-mutating call would copy the pool (and retain its arrays).
    @inlinable @inline(__always)
    public mutating func prefetchInPlace(hash: UInt32) {
        let m = mask
        slots.withUnsafeBufferPointer { arlens_prefetch($0.baseAddress! + (Int(hash) & m)) }
    }

    /// The second step of a look-up issued ahead (after `prefetch(hash:)`, whose slot is now
    /// in cache): starts loading the end offsets of the string that slot names, if its tag
    /// matches. A miss or a later slot costs nothing but the normal probe.
    @inlinable @inline(__always)
    public func prefetchEnds(hash: UInt32) {
        guard let id = slotID(hash: hash) else { return }
        _ends.withUnsafeBufferPointer { arlens_prefetch($0.baseAddress! + max(id - 1, 0)) }
    }

    /// The id of the string in `hash`'s first slot when its tag matches `hash` (a likely
    /// hit), else nil: what the look-ahead steps fetch for.
    @inlinable @inline(__always)
    func slotID(hash: UInt32) -> Int? {
        slots.withUnsafeBufferPointer { sl in
            let v = sl[Int(hash) & mask]
            guard v != 0, UInt32(truncatingIfNeeded: v >> 32) == hash else { return nil }
            return Int(UInt32(truncatingIfNeeded: v)) - 1
        }
    }

    /// The third step (after `prefetchEnds(hash:)`): starts loading the bytes of the string
    /// the slot names, which the probe compares.
    @inlinable @inline(__always)
    public func prefetchBytes(hash: UInt32) {
        guard let id = slotID(hash: hash) else { return }
        let lo = id == 0 ? 0 : Int(_ends[id - 1])
        _bytes.withUnsafeBufferPointer { b in
            guard lo < b.count else { return }
            arlens_prefetch(b.baseAddress! + lo)
        }
    }

    /// The id of `p` (whose `hash(_:)` is `hash`), if interned.
    @inlinable
    public func find(_ p: UnsafeBufferPointer<UInt8>, hash: UInt32) -> Int32? {
        probe(p, hash).id
    }

    /// The id of `p`, if interned.
    @inlinable
    public func find(_ p: UnsafeBufferPointer<UInt8>) -> Int32? {
        probe(p, StringPool.hash(p)).id
    }

    public func find(_ text: String) -> Int32? {
        var t = text
        return t.withUTF8 { find($0) }
    }

    /// Interns `p`: its id, and whether it was new.
    @inlinable @discardableResult
    public mutating func intern(_ p: UnsafeBufferPointer<UInt8>) -> (id: Int32, inserted: Bool) {
        intern(p, hash: StringPool.hash(p))
    }

    /// Interns `p`, whose `hash(_:)` is `tag`.
    @inlinable @discardableResult
    public mutating func intern(_ p: UnsafeBufferPointer<UInt8>, hash tag: UInt32) -> (id: Int32, inserted: Bool) {
        let (s, found) = probe(p, tag)
        if let found { return (found, false) }
        let id = Int32(_ends.count)
        _bytes.append(contentsOf: p)
        _ends.append(UInt32(_bytes.count))
        slots[s] = UInt64(tag) << 32 | UInt64(id + 1)
        if _ends.count * 2 > slots.count { rehash(slots.count * 2) }
        return (id, true)
    }

    @discardableResult
    public mutating func intern(_ text: String) -> (id: Int32, inserted: Bool) {
        var t = text
        return t.withUTF8 { intern($0) }
    }

    @usableFromInline mutating func rehash(_ cap: Int) {
        var newSlots = [UInt64](repeating: 0, count: cap)
        let m = cap - 1
        for v in slots where v != 0 {
            var s = Int(UInt32(truncatingIfNeeded: v >> 32)) & m
            while newSlots[s] != 0 { s = (s + 1) & m }
            newSlots[s] = v
        }
        slots = newSlots
        mask = m
    }

    /// A pool of the strings whose `keep` flag is set, ids renumbered densely in order.
    public func compacted(keeping keep: [Bool]) -> StringPool {
        var out = StringPool(minimumCapacity: count)
        _bytes.withUnsafeBufferPointer { b in
            for i in 0..<count where keep[i] {
                out.intern(UnsafeBufferPointer(rebasing: b[range(i)]))
            }
        }
        return out
    }

    /// All strings, in id order.
    public var strings: [String] { (0..<count).map { self[Int32($0)] } }
}

@inlinable @inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    if n >= 8 {
        var i = 0
        while i + 8 <= n {
            if ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) != rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
                return false
            }
            i += 8
        }
        // The last word, overlapping the one before (every byte of it lies inside both).
        return i == n || ra.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self) == rb.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
    }
    if n >= 4 {
        return ra.loadUnaligned(as: UInt32.self) == rb.loadUnaligned(as: UInt32.self)
            && ra.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self) == rb.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
    }
    if n >= 2 {
        return ra.loadUnaligned(as: UInt16.self) == rb.loadUnaligned(as: UInt16.self)
            && ra.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self) == rb.loadUnaligned(fromByteOffset: n - 2, as: UInt16.self)
    }
    return n == 0 || a[0] == b[0]
}

/// A column of free text (names, notes, references): one byte buffer and end offsets.
/// Empty text means "not given".
public struct TextColumn: Sendable {
    public private(set) var bytes: [UInt8] = []
    public private(set) var ends: [UInt32] = []

    public init() {}

    public init(bytes: [UInt8], ends: [UInt32]) {
        self.bytes = bytes
        self.ends = ends
    }

    public var count: Int { ends.count }

    public mutating func append(_ p: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: p)
        ends.append(UInt32(bytes.count))
    }

    public mutating func append(_ s: String) {
        var t = s
        t.withUTF8 { append($0) }
    }

    public mutating func appendEmpty() { ends.append(UInt32(bytes.count)) }

    /// Appends every value of `other`, in order.
    public mutating func append(contentsOf other: TextColumn) {
        let offset = UInt32(bytes.count)
        bytes.append(contentsOf: other.bytes)
        ends.reserveCapacity(ends.count + other.ends.count)
        for e in other.ends { ends.append(e + offset) }
    }

    public mutating func reserve(_ n: Int, averageLength: Int) {
        ends.reserveCapacity(n)
        bytes.reserveCapacity(n * averageLength)
    }

    @usableFromInline @inline(__always) func range(_ i: Int) -> Range<Int> {
        (i == 0 ? 0 : Int(ends[i - 1]))..<Int(ends[i])
    }

    public subscript(i: Int) -> String {
        let r = range(i)
        return bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[r]), as: UTF8.self) }
    }

    @inlinable public func isEmpty(_ i: Int) -> Bool { range(i).isEmpty }

    @inlinable public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = range(i)
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[r])) }
    }

    public func compacted(keeping keep: [Bool]) -> TextColumn {
        var out = TextColumn()
        bytes.withUnsafeBufferPointer { b in
            for i in 0..<count where keep[i] { out.append(UnsafeBufferPointer(rebasing: b[range(i)])) }
        }
        return out
    }
}

extension Array {
    /// The elements whose `keep` flag is set.
    public func compacted(keeping keep: [Bool]) -> [Element] {
        var out: [Element] = []
        out.reserveCapacity(count)
        for i in indices where keep[i] { out.append(self[i]) }
        return out
    }
}
