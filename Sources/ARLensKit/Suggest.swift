/// Names close to one that was not found, for "did you mean" hints.
enum Suggest {
    /// Up to three names within a small edit distance of `name` (case ignored), closest first:
    /// a case difference alone counts as none.
    static func closest<S: Sequence>(_ name: String, among names: S) -> [String] where S.Element == String {
        let target = Array(name.lowercased())
        // One edit in three characters: a one- or two-letter name gets no guesses.
        let limit = target.count / 3
        guard limit > 0 else { return [] }
        var scored: [(Int, String)] = []
        for n in names {
            let d = distance(target, Array(n.lowercased()), limit: limit)
            if d <= limit { scored.append((d, n)) }
        }
        return scored.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(3).map(\.1)
    }

    /// Levenshtein distance, stopping early once it exceeds `limit`.
    static func distance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        var prev = Array(0...b.count), cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...max(1, a.count) where !a.isEmpty {
            cur[0] = i
            var best = cur[0]
            for j in 1...max(1, b.count) where !b.isEmpty {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                best = min(best, cur[j])
            }
            if best > limit { return limit + 1 }
            swap(&prev, &cur)
        }
        return a.isEmpty ? b.count : prev[b.count]
    }
}
