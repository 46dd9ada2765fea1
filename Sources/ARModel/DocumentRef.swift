/// A receivable document: an invoice (by its dense index) or a debit memo / late fee
/// (by its adjustment index). Document ids are unique across invoices.csv and adjustments.csv,
/// so one reference type covers both. `none` stands for "no document".
public struct DocumentRef: Hashable, Sendable, CustomStringConvertible {
    public var raw: Int32

    @inlinable public init(raw: Int32) { self.raw = raw }
    @inlinable public static func invoice(_ i: Int) -> DocumentRef { DocumentRef(raw: Int32(i)) }
    @inlinable public static func adjustment(_ i: Int) -> DocumentRef { DocumentRef(raw: -Int32(i) - 1) }
    public static let none = DocumentRef(raw: Int32.min)

    @inlinable public var isNone: Bool { raw == Int32.min }
    @inlinable public var invoiceIndex: Int? { raw >= 0 ? Int(raw) : nil }
    @inlinable public var adjustmentIndex: Int? { raw < 0 && raw != Int32.min ? Int(-(raw + 1)) : nil }

    public var description: String {
        if let i = invoiceIndex { return "invoice#\(i)" }
        if let a = adjustmentIndex { return "adjustment#\(a)" }
        return "none"
    }
}

/// The kinds of adjustment. Credits reduce a receivable; debits are receivables of their own.
public enum AdjustmentKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case creditMemo, writeOff, debitMemo, lateFee

    public var isCredit: Bool { self == .creditMemo || self == .writeOff }
    public var isDebit: Bool { !isCredit }

    public var name: String {
        switch self {
        case .creditMemo: return "credit_memo"
        case .writeOff: return "write_off"
        case .debitMemo: return "debit_memo"
        case .lateFee: return "late_fee"
        }
    }

    public init?(name: String) {
        guard let k = AdjustmentKind.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = k
    }

    public var description: String { name }
}

/// The kinds of entry in the collection log.
public enum ActivityKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case email, call, letter, meeting, promise, agency, note

    public var name: String {
        switch self {
        case .email: return "email"
        case .call: return "call"
        case .letter: return "letter"
        case .meeting: return "meeting"
        case .promise: return "promise"
        case .agency: return "agency"
        case .note: return "note"
        }
    }
    public var description: String { name }

    public init?(name: String) {
        guard let k = ActivityKind.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = k
    }
}

// A byte: parsers write columns of kinds through pointers (ARLoading's `ColumnBuilder`).
extension AdjustmentKind: BitwiseCopyable {}
