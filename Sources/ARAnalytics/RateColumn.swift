import ARModel

/// The exchange rate of every row of a table (documents, payments or credits), as 4-byte
/// references into the timeline's table of rates: `column[i]` is row i's rate, nil for a row
/// in the base currency. (A million rows of `ExchangeRate?` would be 24 MB to write and page
/// in; their references are 4 MB, and a ledger has few distinct rates.)
public struct RateColumn: RandomAccessCollection, Sendable {
    /// Per row: 0 for the base currency, else 1 + the place of the row's rate in `table`.
    public let reference: [UInt32]
    /// Every rate a row can refer to.
    public let table: [ExchangeRate]

    public init(reference: [UInt32], table: [ExchangeRate]) {
        precondition(reference.allSatisfy { Int($0) <= table.count }, "a rate reference outside its table")
        self.reference = reference
        self.table = table
    }

    /// Without checks: built by the timeline, whose references all lie in the table.
    init(unchecked reference: [UInt32], table: [ExchangeRate]) {
        self.reference = reference
        self.table = table
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { reference.count }

    @inline(__always)
    public subscript(i: Int) -> ExchangeRate? {
        let k = reference[i]
        return k == 0 ? nil : table[Int(k &- 1)]
    }

    /// Row i is in another currency than the base (its rate is not nil).
    @inline(__always)
    public func isForeign(_ i: Int) -> Bool { reference[i] != 0 }
}

/// Each foreign currency's rate list, found once, numbered into one table: the rate of a
/// currency on a day is a reference (`RateColumn.reference`) into `table`.
struct RateTable: Sendable {
    let base: Currency
    /// (currency, its dated rates, where its rates start in `table`), by currency.
    let lists: [(packed: UInt32, list: [(date: Day, rate: ExchangeRate)], start: Int)]
    let table: [ExchangeRate]
    /// The reference of `ExchangeRate.one`: a foreign currency without a rate on the day.
    let one: UInt32

    init(_ l: Ledger) {
        base = l.baseCurrency
        var lists: [(packed: UInt32, list: [(date: Day, rate: ExchangeRate)], start: Int)] = []
        var table: [ExchangeRate] = []
        for (c, list) in l.fxRates.rates.sorted(by: { $0.key.packed < $1.key.packed }) {
            lists.append((UInt32(c.packed), list, table.count))
            table += list.map(\.rate)
        }
        table.append(ExchangeRate.one)
        one = UInt32(table.count)
        self.lists = lists
        self.table = table
    }

    /// The reference of the rate of `c` on `d`: 0 in the base currency; `one` before the
    /// currency's first rate or when it has none.
    @inline(__always)
    func reference(_ c: Currency, _ d: Day) -> UInt32 {
        if c == base { return 0 }
        guard let k = lists.firstIndex(where: { $0.packed == UInt32(c.packed) }) else { return one }
        let list = lists[k].list
        var lo = 0, hi = list.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if list[mid].date <= d { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? one : UInt32(lists[k].start + lo)
    }

    @inline(__always)
    func rate(_ reference: UInt32) -> ExchangeRate? { reference == 0 ? nil : table[Int(reference &- 1)] }
}
