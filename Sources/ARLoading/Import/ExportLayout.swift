import ARModel

/// What a row of an export becomes in the ledger.
public enum ExportTarget: String, Sendable, CaseIterable {
    case invoice, creditMemo = "credit_memo", payment, writeOff = "write_off", debitMemo = "debit_memo"
    /// Left out on purpose (counted as skipped, with the reason).
    case skip
    /// Decided by the amount's sign (`route.sign`).
    case sign

    var isReceivable: Bool { self == .invoice || self == .debitMemo }
    var isCredit: Bool { self == .creditMemo || self == .payment || self == .writeOff }
}

/// The fields an export row can fill, whatever table the row goes to.
public enum ExportField: String, Sendable, CaseIterable {
    /// The document's id (invoice, credit memo or payment number). Empty or unmapped: the
    /// row gets `<file>-<line>`.
    case id
    /// The printed number when it differs from the id.
    case number
    case customer
    case customerName = "customer_name"
    case date
    case dueDate = "due_date"
    case amount
    /// What is still open of the document (an aging report's Open Balance): an invoice's paid
    /// part is amount - open; a credit or payment keeps only its open (unapplied) part.
    case open
    /// What was paid of an invoice (a paid total without a date: see `paid_as_of`).
    case paid
    /// When an invoice was settled in full, when the export says (Closed at Date).
    case paidDate = "paid_date"
    case currency
    /// Remittance text of a payment, or the invoice a credit memo reduces.
    case reference
    case poNumber = "po_number"
    /// A key shared by a payment or credit and the documents it settles (SAP's clearing document).
    case clearing
    case reason
    case method

    static let amounts: Set<ExportField> = [.amount, .open, .paid]
}

/// A value computed from columns: one column, or a sum and difference such as
/// `Net + Tax` or `Debit - Credit` (the operators with spaces around them).
public struct ColumnExpr: Sendable, Equatable, CustomStringConvertible {
    public var terms: [(negative: Bool, column: String)]

    public init(_ text: String) {
        var terms: [(Bool, String)] = []
        var negative = false
        var current = ""
        let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for w in words {
            if (w == "+" || w == "-") && !current.isEmpty {
                terms.append((negative, current.trimmingCharacters(in: .whitespaces)))
                negative = w == "-"
                current = ""
            } else {
                current += current.isEmpty ? w : " " + w
            }
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { terms.append((negative, last)) }
        self.terms = terms
    }

    public var columns: [String] { terms.map(\.column) }
    public var description: String {
        terms.enumerated().map { k, t in (k == 0 ? (t.negative ? "- " : "") : (t.negative ? " - " : " + ")) + t.column }.joined()
    }
    public static func == (a: ColumnExpr, b: ColumnExpr) -> Bool { a.description == b.description }
}

/// Where the header is.
public enum HeaderRule: Sendable, Equatable {
    /// The first non-blank line.
    case first
    /// This physical line (1-based).
    case line(Int)
    /// The first row with a cell equal to this text (titles above it are skipped).
    case containing(String)
}

/// A row left out because a cell matches a pattern: a title, subtotal, total or footer.
public struct SkipRule: Sendable, Equatable {
    /// The column whose value is tested; nil: the row's first non-empty cell.
    public var column: String?
    /// A regular expression matched anywhere in the value (`^Total for `, `^TOTAL$`).
    public var pattern: String
    public init(column: String? = nil, pattern: String) { self.column = column; self.pattern = pattern }
}

/// Rows are kept only when a column holds one of these values (compared ignoring case).
public struct KeepRule: Sendable, Equatable {
    public var column: String
    public var values: [String]
    public init(column: String, values: [String]) { self.column = column; self.values = values }
}

/// Which table a row goes to.
public struct RouteRule: Sendable, Equatable {
    /// The column whose value decides; nil: every row is `otherwise`.
    public var column: String?
    /// Value (ignoring case) -> target.
    public var values: [String: ExportTarget] = [:]
    /// For values not listed; nil rejects the row naming the value.
    public var otherwise: ExportTarget? = .invoice
    /// `sign` targets: positive amounts go to `positive`, negative ones to `negative`.
    public var positive: ExportTarget = .invoice
    public var negative: ExportTarget = .creditMemo
    public init() {}
}

/// Line items folded into one document: the `sum` fields are added up over the lines; the
/// other amounts are the document's own, repeated on every line, and must agree.
public struct FoldRule: Sendable, Equatable {
    public var sum: [ExportField]
    public init(sum: [ExportField]) { self.sum = sum }
}

/// How amounts carry their direction.
public enum SignConvention: String, Sendable {
    /// As a receivable ledger: invoices positive, credits and payments negative.
    case ledger
    /// Every amount positive; the route says what it is (Sage 50's audit trail).
    case positive
}

/// One export layout: how to read one kind of file (header, encoding, delimiter, rows to
/// skip, formats) and what each row becomes. Presets are values of this type; arlens.yml's
/// `mapping.exports` builds them too.
public struct ExportLayout: Sendable, Equatable {
    public var name: String
    /// Header names that identify the layout (for `import --detect`, and to tell which file
    /// of a preset is which).
    public var signature: [String] = []
    public var encoding = EncodingChoice()
    /// nil: detected from the header line (`,` `;` tab `|`).
    public var delimiter: UInt8?
    public var header: HeaderRule = .first
    public var skip: [SkipRule] = []
    /// Rows with all of these columns empty are headings or spacers and are skipped.
    public var skipEmpty: [String] = []
    public var keep: [KeepRule] = []
    public var dateFormat: DateFormat = .iso
    /// Separators and symbols. A leading minus, a trailing minus (`1.234,56-`) and parentheses
    /// (`(1,234.56)`) are all read as negative whatever the style.
    public var amountStyle: AmountParser = .canonical
    /// Multiply every amount by -1 (an export written from the customer's side).
    public var negate = false
    public var signs: SignConvention = .ledger
    public var columns: [ExportField: ColumnExpr] = [:]
    /// Mapped fields whose columns may be missing from the file (left empty then).
    public var optional: Set<ExportField> = []
    /// Rows going to these targets get `<file>-<line>` as their id (Sage 50's receipts carry none).
    public var synthesizeIDs: Set<ExportTarget> = []
    public var constants: [ExportField: String] = [:]
    public var route = RouteRule()
    /// Rows with the same target and id are line items of one document (nil: every row is a
    /// document of its own, and a repeated id is rejected by the loader).
    public var fold: FoldRule?
    /// Paid totals without a payment date are taken as settled on this date (nil: the
    /// latest date in the export, said in the notes).
    public var paidAsOf: Day?
    /// What the export can and cannot tell (shown by `arlens import` and in validate's notes).
    public var canTell: [String] = []
    public var cannotTell: [String] = []

    public init(name: String) { self.name = name }

    /// Every column the layout reads.
    var usedColumns: [String] {
        var out: [String] = []
        for f in ExportField.allCases { if let e = columns[f] { out += e.columns } }
        if let c = route.column { out.append(c) }
        out += keep.map(\.column) + skipEmpty + skip.compactMap(\.column)
        return out
    }
}

/// Which layouts read which files: a preset (several layouts, each file matched to one by its
/// header) or the layouts of arlens.yml's `mapping.exports`.
public struct ExportSource: Sendable, Equatable {
    public var files: [String]
    public var layouts: [ExportLayout]
    /// The preset's name, when it came from one.
    public var preset: String?
    public init(files: [String], layouts: [ExportLayout], preset: String? = nil) {
        self.files = files
        self.layouts = layouts
        self.preset = preset
    }
}
