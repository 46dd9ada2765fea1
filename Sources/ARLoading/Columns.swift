/// Column indices of each table, in `LedgerSchema.columns` order (checked by a test).
enum CustomerCol {
    static let id = 0, name = 1, email = 2, phone = 3, address = 4, country = 5, currency = 6, creditLimit = 7,
               terms = 8, segment = 9, region = 10, collector = 11, createdDate = 12, reviewDate = 13, rating = 14,
               language = 15
}
enum InvoiceCol {
    static let id = 0, customer = 1, issue = 2, amount = 3, number = 4, due = 5, currency = 6, po = 7, sent = 8,
               createdBy = 9, createdAt = 10, paidDate = 11, paidAmount = 12, disputed = 13
}
enum PaymentCol {
    static let id = 0, customer = 1, received = 2, amount = 3, currency = 4, method = 5, reference = 6,
               posted = 7, postedBy = 8
}
enum ApplicationCol { static let payment = 0, document = 1, amount = 2, date = 3 }
enum AdjustmentCol {
    static let id = 0, customer = 1, date = 2, kind = 3, amount = 4, document = 5, reason = 6, createdBy = 7, approvedBy = 8
}
enum DisputeCol { static let id = 0, document = 1, opened = 2, resolved = 3, amount = 4, reason = 5, outcome = 6 }
enum ActivityCol {
    static let id = 0, customer = 1, date = 2, kind = 3, document = 4, collector = 5, promisedDate = 6,
               promisedAmount = 7, note = 8
}
enum POCol { static let po = 0, customer = 1, date = 2, amount = 3, currency = 4 }
enum FxCol { static let date = 0, currency = 1, rate = 2 }

/// Amounts whose currency is known only after other tables are read are parsed at this many
/// decimals first, then rescaled exactly (a value that does not fit the currency is rejected).
let wideDigits = 4

func rescaleWide(_ wide: Int64, to digits: Int) -> Int64? {
    if digits >= wideDigits { return wide }
    let f: Int64 = switch wideDigits - digits { case 1: 10; case 2: 100; case 3: 1000; default: 10000 }
    return wide % f == 0 ? wide / f : nil
}

extension String {
    /// "12.3450" -> "12.345", "12.0000" -> "12": a wide amount as the user probably wrote it.
    var trimmingTrailingZeros: String {
        guard contains(".") else { return self }
        var s = self
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}
