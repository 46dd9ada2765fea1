extension Ledger {
    /// The part of the ledger that belongs to the customers whose `keep` flag is set (one flag
    /// per customer): those customers and their invoices, payments, adjustments, activities
    /// and purchase orders, with every reference renumbered. An application is kept when its
    /// payment and its document both are, a dispute when its document is; a credit or an
    /// activity that names another customer's document keeps no document. For one deck per
    /// region or segment: the parts of a partition add up to the whole, except for cash one
    /// customer paid against another part's invoices.
    public func restricted(toCustomers keep: [Bool]) -> Ledger {
        precondition(keep.count == customers.count, "one flag per customer")
        func kept(_ c: Int32) -> Bool { c >= 0 && Int(c) < keep.count && keep[Int(c)] }
        func renumber(_ flags: [Bool]) -> [Int32] {
            var map = [Int32](repeating: -1, count: flags.count), n: Int32 = 0
            for i in flags.indices where flags[i] { map[i] = n; n += 1 }
            return map
        }
        let customerMap = renumber(keep)
        let keepInvoices = invoices.customer.map(kept), invoiceMap = renumber(keepInvoices)
        let keepAdjustments = adjustments.customer.map(kept), adjustmentMap = renumber(keepAdjustments)
        let keepPayments = payments.customer.map(kept), paymentMap = renumber(keepPayments)
        /// The document in the part, `.none` for none, nil when it was left out.
        func document(_ d: DocumentRef) -> DocumentRef? {
            if let i = d.invoiceIndex { return invoiceMap[i] < 0 ? nil : .invoice(Int(invoiceMap[i])) }
            if let a = d.adjustmentIndex { return adjustmentMap[a] < 0 ? nil : .adjustment(Int(adjustmentMap[a])) }
            return d
        }
        func customer(_ c: Int32) -> Int32 { c < 0 ? c : customerMap[Int(c)] }

        var out = self
        out.customers = customers.compacted(keeping: keep)
        out.invoices = invoices.compacted(keeping: keepInvoices)
        out.invoices.customer = out.invoices.customer.map(customer)
        out.payments = payments.compacted(keeping: keepPayments)
        out.payments.customer = out.payments.customer.map(customer)
        out.adjustments = adjustments.compacted(keeping: keepAdjustments)
        out.adjustments.customer = out.adjustments.customer.map(customer)
        out.adjustments.document = out.adjustments.document.map { document($0) ?? .none }
        let keepApplications = (0..<applications.count).map { k in
            paymentMap[Int(applications.payment[k])] >= 0 && document(applications.document[k]) != nil
        }
        out.applications = applications.compacted(keeping: keepApplications)
        out.applications.payment = out.applications.payment.map { paymentMap[Int($0)] }
        out.applications.document = out.applications.document.map { document($0)! }
        let keepDisputes = disputes.document.map { document($0) != nil && !$0.isNone }
        out.disputes = disputes.compacted(keeping: keepDisputes)
        out.disputes.document = out.disputes.document.map { document($0)! }
        let keepActivities = activities.customer.map(kept)
        out.activities = activities.compacted(keeping: keepActivities)
        out.activities.customer = out.activities.customer.map(customer)
        out.activities.document = out.activities.document.map { document($0) ?? .none }
        out.purchaseOrders = purchaseOrders.compacted(keeping: purchaseOrders.customer.map(kept))
        out.purchaseOrders.customer = out.purchaseOrders.customer.map(customer)
        return out
    }
}
