@testable import ARModel
import CSupport
import Testing

/// A string pool read from a snapshot is checked before any lookup trusts it: its slot table
/// may hold only empty slots (zero) and slots naming a string that exists (ids 1...n in the
/// low 32 bits). The check runs over millions of slots on every snapshot read, branch-free
/// in C (`arlens_pool_slots_bad`); it must refuse what the check it replaced refused.
@Suite struct StringPoolSnapshotTests {
    final class Sink { var bytes: [UInt8] = [] }

    static func written(_ p: StringPool) throws -> [UInt8] {
        let sink = Sink()
        let w = SnapshotWriter { sink.bytes.append(contentsOf: $0) }
        try p.write(to: w)
        _ = try w.finish()
        return sink.bytes
    }

    static func read(_ bytes: [UInt8]) -> StringPool? {
        bytes.withUnsafeBytes { raw in
            var r = SnapshotReader(raw)
            return try? StringPool(snapshot: &r)
        }
    }

    /// The check as it was written before (in Swift): every id at most n, and no tag on a
    /// slot whose id is 0.
    static func reference(_ slots: [UInt64], _ n: UInt32) -> Bool {
        var top: UInt32 = 0, tagged: UInt64 = 0
        for v in slots {
            let id = UInt32(truncatingIfNeeded: v)
            top = max(top, id)
            tagged |= id == 0 ? v : 0
        }
        return top > n || tagged != 0
    }

    @Test func aPoolReadsBackAndADamagedSlotIsRefused() throws {
        var p = StringPool()
        for i in 0..<1000 { _ = p.intern("INV-\(i)") }
        let bytes = try StringPoolSnapshotTests.written(p)
        let q = try #require(StringPoolSnapshotTests.read(bytes))
        #expect(q.count == 1000 && q[Int32(7)] == "INV-7" && q.find("INV-999") == 999 && q.find("INV-1000") == nil)

        // Where the slot table lies in the bytes written.
        let slots = p.slots
        let raw = slots.withUnsafeBytes { Array($0) }
        let at = try #require((0...(bytes.count - raw.count)).first { bytes[$0..<($0 + raw.count)].elementsEqual(raw) })
        let used = try #require(slots.firstIndex { $0 != 0 }), empty = try #require(slots.firstIndex(of: 0))
        func with(_ slot: Int, _ value: UInt64) -> [UInt8] {
            var b = bytes
            withUnsafeBytes(of: value.littleEndian) { v in for k in 0..<8 { b[at + slot * 8 + k] = v[k] } }
            return b
        }
        let tag = slots[used] & 0xFFFF_FFFF_0000_0000
        #expect(StringPoolSnapshotTests.read(with(used, tag | 1001)) == nil, "an id past the last string")
        #expect(StringPoolSnapshotTests.read(with(used, tag | 0xFFFF_FFFF)) == nil)
        #expect(StringPoolSnapshotTests.read(with(empty, 0x1234_5678 << 32)) == nil, "a tag on an empty slot")
        #expect(StringPoolSnapshotTests.read(with(used, tag | 1000)) != nil, "the last string's id is fine")
        #expect(StringPoolSnapshotTests.read(with(empty, 0)) != nil)
    }

    @Test func theSlotCheckIsTheOneItReplaced() {
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return rng
        }
        var refused = 0
        for round in 0..<2000 {
            let n = UInt32(next() % 50)
            var slots = [UInt64](repeating: 0, count: Int(next() % 64) + 1)
            for i in slots.indices where next() % 2 == 0 {
                let id = UInt32(next() % UInt64(n + 1)) + (next() % 40 == 0 ? 1 : 0)   // now and then one past n
                let tag = next() % 30 == 0 ? 0 : (next() & 0xFFFF_FFFF_0000_0000)
                slots[i] = (id == 0 && next() % 3 != 0) ? 0 : tag | UInt64(id)
            }
            let bad = slots.withUnsafeBufferPointer { arlens_pool_slots_bad($0.baseAddress, $0.count, n) != 0 }
            #expect(bad == StringPoolSnapshotTests.reference(slots, n), "round \(round)")
            if bad { refused += 1 }
        }
        // Both kinds of table come up often.
        #expect(refused > 200 && refused < 1800)
    }
}
