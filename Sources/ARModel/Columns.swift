/// Storage of one column of a columnar table: what reserving room and dropping rows do to it.
public protocol ColumnStorage: SnapshotColumn {
    /// Makes room for `n` more rows; `averageLength` is the expected bytes per row of text.
    mutating func reserve(_ n: Int, averageLength: Int)
    /// The rows whose `keep` flag is set, in order.
    func compacted(keeping keep: [Bool]) -> Self
}

extension Array: ColumnStorage {
    public mutating func reserve(_ n: Int, averageLength: Int) { reserveCapacity(n) }
}

extension StringPool: ColumnStorage {}
extension TextColumn: ColumnStorage {}

/// One column of a table `T`, by key path: how it is reserved and compacted. A table lists its
/// columns once (`ColumnarTable.columns`) and every whole-table operation walks that list, so
/// a new column is one line, not one line in each operation.
public struct TableColumn<T>: Sendable {
    let reserve: @Sendable (inout T, Int) -> Void
    let compact: @Sendable (inout T, T, [Bool]) -> Void
    let write: @Sendable (T, SnapshotWriter) throws -> Void
    let read: @Sendable (inout T, inout SnapshotReader) throws -> Void

    /// A per-row column; `averageLength` sizes text columns' byte buffers.
    public init<C: ColumnStorage>(_ path: WritableKeyPath<T, C> & Sendable, averageLength: Int = 12) {
        reserve = { t, n in t[keyPath: path].reserve(n, averageLength: averageLength) }
        compact = { out, t, keep in out[keyPath: path] = t[keyPath: path].compacted(keeping: keep) }
        write = { t, w in try t[keyPath: path].write(to: w) }
        read = { t, r in t[keyPath: path] = try C(snapshot: &r) }
    }

    /// A column shared by all rows (a pool of categorical text that rows point into): kept
    /// whole when rows are dropped, not reserved per row.
    public init<C: Sendable & SnapshotColumn>(shared path: WritableKeyPath<T, C> & Sendable) {
        reserve = { _, _ in }
        compact = { out, t, _ in out[keyPath: path] = t[keyPath: path] }
        write = { t, w in try t[keyPath: path].write(to: w) }
        read = { t, r in t[keyPath: path] = try C(snapshot: &r) }
    }
}

/// A table stored as one array per column, with its column list.
public protocol ColumnarTable: Sendable {
    init()
    static var columns: [TableColumn<Self>] { get }
}

extension ColumnarTable {
    /// The table without the rows whose `keep` flag is false. Key pools are rebuilt, so a
    /// row's index stays its key's id.
    public func compacted(keeping keep: [Bool]) -> Self {
        var out = Self()
        for c in Self.columns { c.compact(&out, self, keep) }
        return out
    }

    /// As `compacted(keeping:)`, for a table whose key pool at `keys` already holds the kept
    /// rows' keys only (interned after the rows were read): that pool is kept as it is.
    public func compacted(keeping keep: [Bool], keysAt keys: WritableKeyPath<Self, StringPool>) -> Self {
        var rows = self
        let pool = rows[keyPath: keys]
        rows[keyPath: keys] = StringPool()
        var out = rows.compacted(keeping: keep)
        out[keyPath: keys] = pool
        return out
    }

    /// Makes room for `n` rows in every column.
    public mutating func reserve(_ n: Int) {
        for c in Self.columns { c.reserve(&self, n) }
    }
}

extension CustomerTable: ColumnarTable {
    public static let columns: [TableColumn<CustomerTable>] = [
        .init(\.ids), .init(\.name, averageLength: 24), .init(\.email, averageLength: 24), .init(\.phone, averageLength: 16),
        .init(\.address, averageLength: 40), .init(\.country), .init(\.currency), .init(\.creditLimit), .init(\.termsDays),
        .init(\.segment), .init(\.region), .init(\.collector), .init(\.creditRating), .init(\.createdDate),
        .init(\.creditReviewDate), .init(\.language), .init(shared: \.symbols), .init(\.line),
    ]
}

extension InvoiceTable: ColumnarTable {
    public static let columns: [TableColumn<InvoiceTable>] = [
        .init(\.ids, averageLength: 12), .init(\.customer), .init(\.number, averageLength: 8), .init(\.issueDate), .init(\.dueDate),
        .init(\.amount), .init(\.currency), .init(\.poNumber, averageLength: 10), .init(\.sentDate), .init(\.createdBy),
        .init(\.createdAt), .init(\.disputed), .init(shared: \.symbols), .init(\.line),
    ]
}

extension PaymentTable: ColumnarTable {
    public static let columns: [TableColumn<PaymentTable>] = [
        .init(\.ids, averageLength: 12), .init(\.customer), .init(\.receivedDate), .init(\.amount), .init(\.currency), .init(\.method),
        .init(\.reference, averageLength: 12), .init(\.postedDate), .init(\.postedBy), .init(shared: \.symbols), .init(\.line),
    ]
}

extension ApplicationTable: ColumnarTable {
    public static let columns: [TableColumn<ApplicationTable>] = [
        .init(\.payment), .init(\.document), .init(\.amount), .init(\.requested), .init(\.date), .init(\.line),
    ]
}

extension AdjustmentTable: ColumnarTable {
    public static let columns: [TableColumn<AdjustmentTable>] = [
        .init(\.ids, averageLength: 12), .init(\.customer), .init(\.document), .init(\.date), .init(\.kind), .init(\.amount),
        .init(\.currency), .init(\.allocated), .init(\.reason), .init(\.createdBy), .init(\.approvedBy), .init(shared: \.symbols),
        .init(\.line),
    ]
}

extension DisputeTable: ColumnarTable {
    public static let columns: [TableColumn<DisputeTable>] = [
        .init(\.ids, averageLength: 10), .init(\.document), .init(\.openedDate), .init(\.resolvedDate), .init(\.amount), .init(\.reason),
        .init(\.outcome), .init(shared: \.symbols), .init(\.line),
    ]
}

extension ActivityTable: ColumnarTable {
    public static let columns: [TableColumn<ActivityTable>] = [
        .init(\.ids, averageLength: 11), .init(\.customer), .init(\.document), .init(\.date), .init(\.collector), .init(\.kind),
        .init(\.promisedDate), .init(\.promisedAmount), .init(\.note, averageLength: 16), .init(shared: \.symbols), .init(\.line),
    ]
}

extension PurchaseOrderTable: ColumnarTable {
    public static let columns: [TableColumn<PurchaseOrderTable>] = [
        .init(\.poNumber, averageLength: 12), .init(\.customer), .init(\.date), .init(\.amount), .init(\.currency), .init(\.line),
    ]
}
