import Testing
@testable import ARLoading

@Suite struct SchemaTests {
    /// The parsers' column constants point at the columns the schema names.
    @Test func columnIndicesMatchTheSchema() {
        func name(_ t: TableName, _ i: Int) -> String { LedgerSchema.columns[t]![i].name }
        #expect(name(.customers, CustomerCol.creditLimit) == "credit_limit")
        #expect(name(.customers, CustomerCol.rating) == "credit_rating")
        #expect(name(.customers, CustomerCol.reviewDate) == "credit_review_date")
        #expect(name(.invoices, InvoiceCol.disputed) == "disputed")
        #expect(name(.invoices, InvoiceCol.paidAmount) == "paid_amount")
        #expect(name(.invoices, InvoiceCol.createdAt) == "created_at")
        #expect(name(.invoices, InvoiceCol.number) == "invoice_number")
        #expect(name(.payments, PaymentCol.postedBy) == "posted_by")
        #expect(name(.payments, PaymentCol.reference) == "reference")
        #expect(name(.applications, ApplicationCol.date) == "applied_date")
        #expect(name(.applications, ApplicationCol.document) == "invoice_id")
        #expect(name(.adjustments, AdjustmentCol.approvedBy) == "approved_by")
        #expect(name(.adjustments, AdjustmentCol.document) == "invoice_id")
        #expect(name(.disputes, DisputeCol.outcome) == "outcome")
        #expect(name(.disputes, DisputeCol.amount) == "amount")
        #expect(name(.activities, ActivityCol.note) == "note")
        #expect(name(.activities, ActivityCol.promisedAmount) == "promised_amount")
        #expect(name(.purchaseOrders, POCol.currency) == "currency")
        #expect(name(.fxRates, FxCol.rate) == "rate")
        #expect(LedgerSchema.columns[.customers]!.count == 16)
        #expect(name(.customers, CustomerCol.language) == "language")
        #expect(LedgerSchema.columns[.invoices]!.count == 14)
    }
}
