import ARModel

/// The dimensions `--by` groups by: every one is an attribute of the customer, so the groups
/// partition the ledger and additive metrics of the groups sum to the total.
public enum Dimension: String, CaseIterable, Sendable {
    case customer, segment, region, collector, country, currency
}

/// Customers assigned to groups; group keys sorted in byte order.
public struct Grouping: Sendable {
    public let dimension: Dimension?
    public let keys: [String]
    public let customerGroup: [Int32]
    public var count: Int { keys.count }

    /// The key of customers without a value for the dimension.
    public static let none = "(none)"

    public init(_ l: Ledger, by dimension: Dimension?) {
        self.dimension = dimension
        let c = l.customers
        guard let dimension else {
            keys = ["all"]
            customerGroup = [Int32](repeating: 0, count: c.count)
            return
        }
        let raw: [String] = (0..<c.count).map { i in
            switch dimension {
            case .customer: return c.ids[Int32(i)]
            case .segment: return c.symbol(c.segment[i]) ?? Grouping.none
            case .region: return c.symbol(c.region[i]) ?? Grouping.none
            case .collector: return c.symbol(c.collector[i]) ?? Grouping.none
            case .country: return c.country[i].isEmpty ? Grouping.none : c.country[i]
            case .currency: return c.currency[i].code
            }
        }
        let sorted = Array(Set(raw)).sorted(by: Grouping.bytesPrecede)
        var index: [String: Int32] = [:]
        for (k, key) in sorted.enumerated() { index[key] = Int32(k) }
        keys = sorted
        customerGroup = raw.map { index[$0]! }
    }

    /// Byte order of two strings' UTF-8 (what `a.utf8.lexicographicallyPrecedes(b.utf8)`
    /// says), read from their contiguous bytes: the generic comparison costs hundreds of
    /// instructions a call, and grouping by customer sorts thousands of ids.
    static func bytesPrecede(_ a: String, _ b: String) -> Bool {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                for i in 0..<n where x[i] != y[i] { return x[i] < y[i] }
                return x.count < y.count
            }
        }
    }
}
