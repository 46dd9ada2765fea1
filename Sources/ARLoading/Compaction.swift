import ARModel

// Removing rejected rows after parsing. Key pools are rebuilt so that a row's index stays
// its key's id. Only called when something was rejected late (rare), so cost is no concern.

extension InvoiceTable {
    func compacted(keeping k: [Bool]) -> InvoiceTable {
        var t = InvoiceTable()
        t.ids = ids.compacted(keeping: k)
        t.customer = customer.compacted(keeping: k)
        t.number = number.compacted(keeping: k)
        t.issueDate = issueDate.compacted(keeping: k)
        t.dueDate = dueDate.compacted(keeping: k)
        t.amount = amount.compacted(keeping: k)
        t.currency = currency.compacted(keeping: k)
        t.poNumber = poNumber.compacted(keeping: k)
        t.sentDate = sentDate.compacted(keeping: k)
        t.createdBy = createdBy.compacted(keeping: k)
        t.createdAt = createdAt.compacted(keeping: k)
        t.disputed = disputed.compacted(keeping: k)
        t.symbols = symbols
        t.line = line.compacted(keeping: k)
        return t
    }
}

extension PaymentTable {
    func compacted(keeping k: [Bool]) -> PaymentTable {
        var t = PaymentTable()
        t.ids = ids.compacted(keeping: k)
        t.customer = customer.compacted(keeping: k)
        t.receivedDate = receivedDate.compacted(keeping: k)
        t.amount = amount.compacted(keeping: k)
        t.currency = currency.compacted(keeping: k)
        t.method = method.compacted(keeping: k)
        t.reference = reference.compacted(keeping: k)
        t.postedDate = postedDate.compacted(keeping: k)
        t.postedBy = postedBy.compacted(keeping: k)
        t.symbols = symbols
        t.line = line.compacted(keeping: k)
        return t
    }
}

extension AdjustmentTable {
    func compacted(keeping k: [Bool]) -> AdjustmentTable {
        var t = AdjustmentTable()
        t.ids = ids.compacted(keeping: k)
        t.customer = customer.compacted(keeping: k)
        t.document = document.compacted(keeping: k)
        t.date = date.compacted(keeping: k)
        t.kind = kind.compacted(keeping: k)
        t.amount = amount.compacted(keeping: k)
        t.currency = currency.compacted(keeping: k)
        t.allocated = allocated.compacted(keeping: k)
        t.reason = reason.compacted(keeping: k)
        t.createdBy = createdBy.compacted(keeping: k)
        t.approvedBy = approvedBy.compacted(keeping: k)
        t.symbols = symbols
        t.line = line.compacted(keeping: k)
        return t
    }
}

extension DisputeTable {
    func compacted(keeping k: [Bool]) -> DisputeTable {
        var t = DisputeTable()
        t.ids = ids.compacted(keeping: k)
        t.document = document.compacted(keeping: k)
        t.openedDate = openedDate.compacted(keeping: k)
        t.resolvedDate = resolvedDate.compacted(keeping: k)
        t.amount = amount.compacted(keeping: k)
        t.reason = reason.compacted(keeping: k)
        t.outcome = outcome.compacted(keeping: k)
        t.symbols = symbols
        t.line = line.compacted(keeping: k)
        return t
    }
}

extension ActivityTable {
    func compacted(keeping k: [Bool]) -> ActivityTable {
        var t = ActivityTable()
        t.ids = ids.compacted(keeping: k)
        t.customer = customer.compacted(keeping: k)
        t.document = document.compacted(keeping: k)
        t.date = date.compacted(keeping: k)
        t.collector = collector.compacted(keeping: k)
        t.kind = kind.compacted(keeping: k)
        t.promisedDate = promisedDate.compacted(keeping: k)
        t.promisedAmount = promisedAmount.compacted(keeping: k)
        t.note = note.compacted(keeping: k)
        t.symbols = symbols
        t.line = line.compacted(keeping: k)
        return t
    }
}

extension ApplicationTable {
    func compacted(keeping k: [Bool]) -> ApplicationTable {
        var t = ApplicationTable()
        t.payment = payment.compacted(keeping: k)
        t.document = document.compacted(keeping: k)
        t.amount = amount.compacted(keeping: k)
        t.requested = requested.compacted(keeping: k)
        t.date = date.compacted(keeping: k)
        t.line = line.compacted(keeping: k)
        return t
    }
}

extension CustomerTable {
    func compacted(keeping k: [Bool]) -> CustomerTable {
        var t = CustomerTable()
        t.ids = ids.compacted(keeping: k)
        t.name = name.compacted(keeping: k)
        t.email = email.compacted(keeping: k)
        t.phone = phone.compacted(keeping: k)
        t.address = address.compacted(keeping: k)
        t.country = country.compacted(keeping: k)
        t.currency = currency.compacted(keeping: k)
        t.creditLimit = creditLimit.compacted(keeping: k)
        t.termsDays = termsDays.compacted(keeping: k)
        t.segment = segment.compacted(keeping: k)
        t.region = region.compacted(keeping: k)
        t.collector = collector.compacted(keeping: k)
        t.creditRating = creditRating.compacted(keeping: k)
        t.language = language.compacted(keeping: k)
        t.createdDate = createdDate.compacted(keeping: k)
        t.creditReviewDate = creditReviewDate.compacted(keeping: k)
        t.symbols = symbols
        t.line = line.compacted(keeping: k)
        return t
    }
}
