import AROutput
import ARModel
import Foundation

/// Writes a generated ledger as the canonical CSV files, ids assigned in date order, plus
/// `arlens.yml` and the truth files under `_truth/`. Each file is written atomically.
struct LedgerWriter {
    let g: GeneratedLedger
    var invoiceNumber: [Int] = []
    var printedNumber: [String] = []
    var paymentID: [Int] = []
    var adjustmentID: [String] = []

    init(_ g: GeneratedLedger) {
        self.g = g
        number()
    }

    static func order<T>(_ xs: [T], by less: (T, T) -> Bool) -> [Int] {
        xs.indices.sorted { a, b in less(xs[a], xs[b]) ? true : less(xs[b], xs[a]) ? false : a < b }
    }

    mutating func number() {
        let invOrder = LedgerWriter.order(g.invoices) { ($0.issue, $0.createdAt) < ($1.issue, $1.createdAt) }
        invoiceNumber = [Int](repeating: 0, count: g.invoices.count)
        for (rank, i) in invOrder.enumerated() { invoiceNumber[i] = 100_001 + rank }
        printedNumber = invoiceNumber.map(String.init)
        for (i, inv) in g.invoices.enumerated() {
            switch inv.numberVariant {
            case .own: break
            case .suffix(let of): printedNumber[i] = String(invoiceNumber[of]) + "A"
            case .prefix(let of): printedNumber[i] = "R-" + String(invoiceNumber[of])
            case .transposed(let of):
                var d = Array(String(invoiceNumber[of]))
                var k = d.count - 2
                while k > 0 && d[k] == d[k + 1] { k -= 1 }
                d.swapAt(k, k + 1)
                printedNumber[i] = String(d)
            }
        }
        let payOrder = LedgerWriter.order(g.payments) { ($0.received, $0.customer) < ($1.received, $1.customer) }
        paymentID = [Int](repeating: 0, count: g.payments.count)
        for (rank, p) in payOrder.enumerated() { paymentID[p] = rank + 1 }
        let adjOrder = LedgerWriter.order(g.adjustments) { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
        adjustmentID = [String](repeating: "", count: g.adjustments.count)
        var perKind: [AdjustmentKind: Int] = [:]
        for a in adjOrder {
            let kind = g.adjustments[a].kind
            perKind[kind, default: 0] += 1
            let prefix = ["CM", "WO", "DM", "LF"][Int(kind.rawValue)]
            adjustmentID[a] = prefix + "-" + pad(perKind[kind]!, 6)
        }
    }

    func pad(_ n: Int, _ w: Int) -> String {
        let s = String(n)
        return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }

    func customerID(_ c: Int) -> String { "C" + pad(g.customers[c].code, 5) }
    func invoiceID(_ i: Int) -> String { "INV-" + pad(invoiceNumber[i], 7) }
    func paymentIDText(_ p: Int) -> String { "PAY-" + pad(paymentID[p], 7) }
    func docID(_ d: GDoc) -> String {
        switch d {
        case .invoice(let i): return invoiceID(i)
        case .adjustment(let a): return adjustmentID[a]
        }
    }

    func write(to dir: String, command: String) throws {
        try FileManager.default.createDirectory(atPath: dir + "/_truth", withIntermediateDirectories: true)
        func save(_ name: String, _ rows: RowBuffer) throws { try AtomicFile.write(Data(rows.bytes), to: dir + "/" + name) }
        try save("customers.csv", customers())
        try save("invoices.csv", invoices())
        let (payments, applications) = paymentsAndApplications()
        try save("payments.csv", payments)
        try save("applications.csv", applications)
        try save("adjustments.csv", adjustments())
        try save("disputes.csv", disputes())
        try save("activities.csv", activities())
        try save("purchase_orders.csv", purchaseOrders())
        try save("fx_rates.csv", fxRates())
        try save("_truth/anomalies.csv", truth())
        try save("_truth/customers.csv", profiles())
        try AtomicFile.write(configuration(command), to: dir + "/arlens.yml")
    }

    func customers() -> RowBuffer {
        var b = RowBuffer(header: ["customer_id", "name", "email", "phone", "address", "country", "currency", "credit_limit",
                                   "terms_days", "segment", "region", "collector", "created_date", "credit_review_date",
                                   "credit_rating"])
        for (c, x) in g.customers.enumerated() {
            b.text(customerID(c)); b.text(x.name); b.optionalText(x.email); b.optionalText(x.phone); b.text(x.address)
            b.text(x.country); b.text(x.currency.code); b.optionalMoney(x.creditLimit, digits: x.currency.minorDigits)
            b.int(x.terms); b.text(x.segment.rawValue); b.text(x.region); b.text(x.collector); b.day(x.created)
            b.optionalDay(x.reviewed); b.text(x.rating)
            b.endRow()
        }
        return b
    }

    func invoices() -> RowBuffer {
        var b = RowBuffer(header: ["invoice_id", "customer_id", "invoice_number", "issue_date", "due_date", "amount",
                                   "currency", "po_number", "sent_date", "created_by", "created_at"],
                          reserve: g.invoices.count * 120)
        let order = LedgerWriter.order(g.invoices.indices.map { invoiceNumber[$0] }) { $0 < $1 }
        for i in order {
            let x = g.invoices[i]
            let cur = g.customers[x.customer].currency
            b.code("INV-", invoiceNumber[i], width: 7); b.code("C", g.customers[x.customer].code, width: 5)
            b.text(printedNumber[i]); b.day(x.issue); b.day(x.due); b.money(x.amount, digits: cur.minorDigits)
            b.text(cur.code); b.optionalText(x.po); b.day(x.sent); b.text(x.createdBy); b.timestamp(x.createdAt)
            b.endRow()
        }
        return b
    }

    func paymentsAndApplications() -> (RowBuffer, RowBuffer) {
        var p = RowBuffer(header: ["payment_id", "customer_id", "received_date", "amount", "currency", "method", "reference",
                                   "posted_date", "posted_by"], reserve: g.payments.count * 90)
        var a = RowBuffer(header: ["payment_id", "invoice_id", "amount", "applied_date"], reserve: g.payments.count * 40)
        let order = LedgerWriter.order(g.payments.indices.map { paymentID[$0] }) { $0 < $1 }
        for k in order {
            let x = g.payments[k]
            let digits = x.currency.minorDigits
            p.code("PAY-", paymentID[k], width: 7); p.code("C", g.customers[x.customer].code, width: 5); p.day(x.received)
            p.money(x.amount, digits: digits); p.text(x.currency.code); p.text(x.method)
            p.text(reference(x.referenceOf.map { g.payments[$0] } ?? x))
            p.optionalDay(x.posted); p.text(x.postedBy)
            p.endRow()
            for app in x.applications {
                a.code("PAY-", paymentID[k], width: 7); a.text(docID(app.doc)); a.money(app.amount, digits: digits); a.empty()
                a.endRow()
            }
        }
        return (p, a)
    }

    /// The remittance text: the invoice numbers paid, or a bank's generic words.
    func reference(_ x: GPayment) -> String {
        guard x.namesInvoices && !x.applications.isEmpty else { return x.genericReference }
        let names = x.applications.prefix(6).map { app -> String in
            if case .invoice(let i) = app.doc { return printedNumber[i] }
            return docID(app.doc)
        }
        return "INV " + names.joined(separator: " ")
    }

    func adjustments() -> RowBuffer {
        var b = RowBuffer(header: ["adjustment_id", "customer_id", "invoice_id", "date", "kind", "amount", "reason",
                                   "created_by", "approved_by"])
        let order = LedgerWriter.order(g.adjustments) { ($0.date, $0.kind.rawValue) < ($1.date, $1.kind.rawValue) }
        for k in order {
            let x = g.adjustments[k]
            b.text(adjustmentID[k]); b.text(customerID(x.customer)); b.optionalText(x.doc.map(docID)); b.day(x.date)
            b.text(x.kind.name); b.money(x.amount, digits: currency(of: x).minorDigits); b.optionalText(x.reason)
            b.text(x.createdBy); b.optionalText(x.approvedBy)
            b.endRow()
        }
        return b
    }

    func currency(of a: GAdjustment) -> Currency { g.customers[a.customer].currency }

    func disputes() -> RowBuffer {
        var b = RowBuffer(header: ["dispute_id", "invoice_id", "opened_date", "resolved_date", "amount", "reason", "outcome"])
        let order = LedgerWriter.order(g.disputes) { $0.opened < $1.opened }
        for (rank, k) in order.enumerated() {
            let x = g.disputes[k]
            let cur = g.customers[g.invoices[x.invoice].customer].currency
            b.code("DSP-", rank + 1, width: 6); b.text(invoiceID(x.invoice)); b.day(x.opened); b.optionalDay(x.resolved)
            b.money(x.amount, digits: cur.minorDigits); b.text(x.reason); b.optionalText(x.outcome)
            b.endRow()
        }
        return b
    }

    func activities() -> RowBuffer {
        var b = RowBuffer(header: ["activity_id", "customer_id", "invoice_id", "date", "collector", "kind", "promised_date",
                                   "promised_amount", "note"], reserve: g.activities.count * 100)
        let order = LedgerWriter.order(g.activities) { ($0.date, $0.customer) < ($1.date, $1.customer) }
        for (rank, k) in order.enumerated() {
            let x = g.activities[k]
            let cur = g.customers[x.customer].currency
            b.code("ACT-", rank + 1, width: 7); b.code("C", g.customers[x.customer].code, width: 5)
            b.optionalText(x.doc.map(docID)); b.day(x.date); b.text(x.collector); b.text(x.kind.name)
            b.optionalDay(x.promisedDate); b.optionalMoney(x.promisedAmount, digits: cur.minorDigits); b.text(x.note)
            b.endRow()
        }
        return b
    }

    func purchaseOrders() -> RowBuffer {
        var b = RowBuffer(header: ["po_number", "customer_id", "date", "amount", "currency"])
        for x in g.purchaseOrders {
            let cur = g.customers[x.customer].currency
            b.text(x.number); b.code("C", g.customers[x.customer].code, width: 5); b.day(x.date)
            b.money(x.amount, digits: cur.minorDigits); b.text(cur.code)
            b.endRow()
        }
        return b
    }

    func fxRates() -> RowBuffer {
        var b = RowBuffer(header: ["date", "currency", "rate"])
        for x in g.fxRates { b.day(x.date); b.text(x.currency.code); b.text(x.rate.description); b.endRow() }
        return b
    }

    func truth() -> RowBuffer {
        var b = RowBuffer(header: ["anomaly_id", "kind", "documents", "customers", "description"])
        for (k, t) in g.truth.enumerated() {
            b.code("ANOM-", k + 1, width: 4); b.text(t.kind.rawValue)
            b.text(t.docs.map { ref -> String in
                switch ref {
                case .invoice(let i): return invoiceID(i)
                case .payment(let p): return paymentIDText(p)
                case .adjustment(let a): return adjustmentID[a]
                }
            }.joined(separator: ";"))
            b.text(Array(Set(t.customers)).sorted().map(customerID).joined(separator: ";"))
            b.text(t.note)
            b.endRow()
        }
        return b
    }

    func profiles() -> RowBuffer {
        var b = RowBuffer(header: ["customer_id", "profile", "segment", "monthly_billing_usd", "batch_payer", "late_fees"])
        for (c, x) in g.customers.enumerated() {
            b.text(customerID(c)); b.text(x.profile.rawValue); b.text(x.segment.rawValue)
            b.money(Int64((x.monthlyMean * 100).rounded()), digits: 2)
            b.text(x.batchPayer ? "yes" : "no"); b.text(x.chargesLateFees ? "yes" : "no")
            b.endRow()
        }
        return b
    }

    func configuration(_ command: String) -> String {
        """
        # A synthetic ledger made by ARLens. Regenerate it with:
        #   \(command)
        # _truth/anomalies.csv lists every injected anomaly and the documents involved;
        # _truth/customers.csv gives each customer's payment habit.
        company: Northwind Supplies (synthetic)
        base_currency: USD
        aging_buckets: [30, 60, 90, 120]
        dso_window_months: 3
        targets:
          dso: 45
          cei: 80
          pct_over_90: 5
          open_invoices_change: -10
        anomalies:
          approval_threshold: \(AnomalyInjector.approvalThreshold / 100)
        # Who the letters come from and how to pay (notices, statements, plans); fictional.
        notices:
          sender:
            - 400 Harbor Way, Suite 12, Portland OR 97201
            - ar@northwind-supplies.example · +1 503 555 0142
          payment:
            - "Bank transfer to Northwind Supplies Inc., Example National Bank, account 000123456789, routing 000000001."
            - "Please quote your account number and the invoice numbers; remittance advice to ar@northwind-supplies.example."
          signature: Maria Lopez, Credit Control Manager
          pay_within_days: 10
          languages: {FR: fr}            # letters to customers in France in French

        """
    }
}

extension LedgerGenerator {
    /// Generates and writes the ledger into `directory`; `command` is recorded in arlens.yml.
    /// Why `directory` must not be written into: it holds files and is not a ledger this
    /// generator wrote (its arlens.yml starts with the generator's comment). Nil when it is
    /// absent, empty or generated.
    public static func refusal(_ directory: String) -> String? {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: directory), !entries.isEmpty else { return nil }
        let yml = (try? String(contentsOfFile: directory + "/arlens.yml", encoding: .utf8)) ?? ""
        if yml.hasPrefix("# A synthetic ledger made by ARLens.") { return nil }
        return "\(directory) holds \(entries.count) files that arlens generate did not write; choose a new folder, or pass --force to write over them"
    }

    public static func generate(_ options: GeneratorOptions, to directory: String, command: String) throws -> GeneratedLedgerSummary {
        var gen = LedgerGenerator(options: options)
        let summary = gen.generate()
        try LedgerWriter(summary.ledger).write(to: directory, command: command)
        return summary
    }
}
