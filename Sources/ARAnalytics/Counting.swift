/// Linear-time stable ordering of small-range integer keys (days, days late, customers).
enum Counting {
    /// The positions of `values` in ascending order, equal values in index order (what a
    /// stable sort gives): counted when the values span a range not much wider than their
    /// number, compared otherwise.
    static func stableOrder(_ values: [Int32]) -> [Int32] {
        let r = ranks(values)
        var order = [Int32](repeating: 0, count: values.count)
        for (i, k) in r.enumerated() { order[Int(k)] = Int32(i) }
        return order
    }

    /// Where each of `values` goes in that order: `stableOrder` inverted. Moving the elements
    /// of parallel arrays to their ranks reads them in sequence (and writes to few places at
    /// a time), where reading them in `stableOrder` jumps about memory.
    static func ranks(_ values: [Int32]) -> [Int32] {
        guard let lo = values.min(), let hi = values.max() else { return [] }
        let span = Int(hi) - Int(lo) + 1
        var rank = [Int32](repeating: 0, count: values.count)
        if span > 4 * values.count + 1024 {
            let order = (0..<Int32(values.count)).sorted { (values[Int($0)], $0) < (values[Int($1)], $1) }
            for (k, i) in order.enumerated() { rank[Int(i)] = Int32(k) }
            return rank
        }
        var next = [Int](repeating: 0, count: span + 1)
        for v in values { next[Int(v) - Int(lo) + 1] += 1 }
        for k in 1..<next.count { next[k] += next[k - 1] }
        for (i, v) in values.enumerated() {
            let b = Int(v) - Int(lo)
            rank[i] = Int32(next[b])
            next[b] += 1
        }
        return rank
    }

    /// `values` moved to `ranks`.
    static func scatter<T>(_ values: [T], to ranks: [Int32]) -> [T] {
        guard let first = values.first else { return [] }
        var out = [T](repeating: first, count: values.count)
        out.withUnsafeMutableBufferPointer { o in
            for (i, v) in values.enumerated() { o[Int(ranks[i])] = v }
        }
        return out
    }
}
