/// The tables of a ledger folder and their columns, as `ledger-format.md` defines them.
public enum TableName: String, CaseIterable, Sendable, Codable {
    case customers, invoices, payments, applications, adjustments, disputes, activities
    case purchaseOrders = "purchase_orders"
    case fxRates = "fx_rates"

    /// The default file name in the ledger folder.
    public var defaultFile: String { rawValue + ".csv" }
}

public struct ColumnSpec: Sendable, Hashable {
    public let name: String
    public let required: Bool
}

public enum LedgerSchema {
    static func cols(_ required: [String], _ optional: [String]) -> [ColumnSpec] {
        required.map { ColumnSpec(name: $0, required: true) } + optional.map { ColumnSpec(name: $0, required: false) }
    }

    /// The columns of each table, required ones first.
    public static let columns: [TableName: [ColumnSpec]] = [
        .customers: cols(["customer_id", "name"],
                         ["email", "phone", "address", "country", "currency", "credit_limit", "terms_days",
                          "segment", "region", "collector", "created_date", "credit_review_date", "credit_rating", "language"]),
        .invoices: cols(["invoice_id", "customer_id", "issue_date", "amount"],
                        ["invoice_number", "due_date", "currency", "po_number", "sent_date", "created_by",
                         "created_at", "paid_date", "paid_amount", "disputed"]),
        .payments: cols(["payment_id", "customer_id", "received_date", "amount"],
                        ["currency", "method", "reference", "posted_date", "posted_by"]),
        .applications: cols(["payment_id", "invoice_id", "amount"], ["applied_date"]),
        .adjustments: cols(["adjustment_id", "customer_id", "date", "kind", "amount"],
                           ["invoice_id", "reason", "created_by", "approved_by"]),
        .disputes: cols(["dispute_id", "invoice_id", "opened_date"], ["resolved_date", "amount", "reason", "outcome"]),
        .activities: cols(["activity_id", "customer_id", "date", "kind"],
                          ["invoice_id", "collector", "promised_date", "promised_amount", "note"]),
        .purchaseOrders: cols(["po_number", "customer_id"], ["date", "amount", "currency"]),
        .fxRates: cols(["date", "currency", "rate"], []),
    ]

    /// Customer columns that can be taken from invoices when there is no customers.csv.
    public static let customerColumnsFromInvoices: Set<String> =
        ["name", "email", "phone", "country", "currency", "terms_days", "segment", "region", "collector"]
}
