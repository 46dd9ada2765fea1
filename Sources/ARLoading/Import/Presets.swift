import ARModel

/// Layouts for the exports users actually have, so that nobody writes a mapping for a common
/// system. Each names the columns its vendor documents (sources in docs/import/<system>.md)
/// and says what the export can and cannot tell.
public enum Presets {
    public static let all: [ExportSource] = [quickbooks, xero, sap, odoo, erpnext, businessCentral, sage50]

    public static var names: [String] { all.compactMap(\.preset) }

    public static func named(_ name: String) -> ExportSource? { all.first { $0.preset == name.lowercased() } }

    static func layout(_ name: String, _ build: (inout ExportLayout) -> Void) -> ExportLayout {
        var l = ExportLayout(name: name)
        build(&l)
        return l
    }

    static func cols(_ m: [ExportField: String]) -> [ExportField: ColumnExpr] { m.mapValues { ColumnExpr($0) } }

    /// QuickBooks Online, Reports > A/R Aging Detail, exported as CSV.
    static let quickbooks = ExportSource(files: [], layouts: [layout("quickbooks-aging-detail") { l in
        l.signature = ["Transaction Type", "Num", "Open Balance"]
        l.header = .containing("Transaction Type")
        l.skip = [SkipRule(pattern: "^Total for "), SkipRule(pattern: "^TOTAL$"), SkipRule(pattern: "^(Accrual|Cash) Basis")]
        l.skipEmpty = ["Transaction Type", "Amount"]
        l.dateFormat = DateFormat("MM/DD/YYYY")!
        l.amountStyle = ConfigurationFile.amountStyle(example: "$1,234.56")!
        l.columns = cols([.id: "Num", .customer: "Customer", .date: "Date", .dueDate: "Due Date", .amount: "Amount", .open: "Open Balance"])
        l.route.column = "Transaction Type"
        l.route.values = ["Invoice": .invoice, "Credit Memo": .creditMemo, "Payment": .payment, "Journal Entry": .sign]
        l.route.otherwise = nil
        l.canTell = ["open invoices, credit memos and unapplied payments on the report date, with due dates"]
        l.cannotTell = [
            "only what is open is listed: invoices paid in full before the report date are not in it",
            "no payment dates: the paid part of a listed invoice is taken as paid on paid_as_of, so days to pay, CEI and DSO before that date are not available",
            "customers are known by name only (the name is the customer id)",
        ]
    }], preset: "quickbooks-aging-detail")

    /// Xero, Business > Invoices > Export (one row per line item).
    static let xero = ExportSource(files: [], layouts: [layout("xero-invoices") { l in
        l.signature = ["InvoiceNumber", "InvoiceAmountPaid", "InvoiceAmountDue"]
        l.dateFormat = DateFormat("DD/MM/YYYY")!
        l.amountStyle = ConfigurationFile.amountStyle(example: "1,234.56")!
        l.signs = .positive
        l.columns = cols([.id: "InvoiceNumber", .customer: "ContactName", .date: "InvoiceDate", .dueDate: "DueDate",
                          .amount: "Total", .open: "InvoiceAmountDue", .currency: "Currency"])
        // Reference is free text (a PO, the invoice a credit note is for), not an allocation:
        // a credit note's own InvoiceAmountDue says what of it is unallocated.
        l.optional = [.currency]
        l.route.column = "Type"
        l.route.values = ["Sales invoice": .invoice, "ACCREC": .invoice, "Sales credit note": .creditMemo, "ACCRECCREDIT": .creditMemo]
        l.route.otherwise = nil
        l.keep = [KeepRule(column: "Status", values: ["Awaiting Payment", "Paid", "AUTHORISED", "PAID"])]
        l.fold = FoldRule(sum: [])
        l.canTell = ["every approved invoice and credit note with its total, due date and what is still due"]
        l.cannotTell = [
            "no payment dates: paid totals (Total - InvoiceAmountDue) are taken as settled on paid_as_of, so days to pay is not available",
            "no payments file: cash received is known only as applied to invoices; unapplied cash is not in this export",
            "customers are known by contact name only (the name is the customer id)",
        ]
    }], preset: "xero-invoices")

    /// SAP ECC / S/4HANA transaction FBL5N (customer line items), exported with German
    /// settings: Windows-1252, semicolons, DD.MM.YYYY, 1.234,56- for negatives.
    static let sap = ExportSource(files: [], layouts: [layout("sap-fbl5n") { l in
        l.signature = ["Belegnr", "Belegart", "Ausgl.beleg"]
        l.encoding = EncodingChoice(fallback: .windows1252)
        l.header = .containing("Belegnr")
        l.skipEmpty = ["Belegnr"]
        l.dateFormat = DateFormat("DD.MM.YYYY")!
        l.amountStyle = ConfigurationFile.amountStyle(example: "1.234,56")!
        l.columns = cols([.id: "Belegnr", .customer: "Konto", .date: "Belegdatum", .dueDate: "Nettofälligkeit",
                          .amount: "Betrag in HW", .currency: "HWähr", .clearing: "Ausgl.beleg", .reference: "Referenz", .reason: "Text"])
        l.optional = [.reference, .reason, .dueDate]
        l.route.column = "Belegart"
        l.route.values = ["RV": .invoice, "DR": .invoice, "DG": .creditMemo, "DZ": .payment, "DA": .sign, "AB": .sign]
        l.route.positive = .invoice
        l.route.negative = .creditMemo
        l.route.otherwise = nil
        l.canTell = ["open and cleared items with document type, clearing document and net due date"]
        l.cannotTell = [
            "amounts are in local currency (Betrag in HW): documents in another currency are read in the local one",
            "a payment that is not cleared against anything stays unapplied cash (SAP has not matched it either)",
        ]
    }], preset: "sap-fbl5n")

    /// Odoo Accounting: the invoice list (Customers > Invoices, with credit notes) and the
    /// payment list (Customers > Payments), each exported with Export > CSV.
    static let odoo = ExportSource(files: [], layouts: [
        layout("odoo-invoices") { l in
            l.signature = ["Number", "Invoice Date", "Type"]
            l.signs = .positive
            l.columns = cols([.id: "Number", .customer: "Partner", .date: "Invoice Date", .dueDate: "Due Date",
                              .amount: "Total", .currency: "Currency", .reference: "Reference"])
            l.optional = [.currency, .reference]
            l.route.column = "Type"
            l.route.values = ["Customer Invoice": .invoice, "out_invoice": .invoice, "Customer Credit Note": .creditMemo, "out_refund": .creditMemo]
            l.route.otherwise = nil
            l.keep = [KeepRule(column: "Status", values: ["Posted", "posted"])]
            l.canTell = ["every posted invoice and credit note"]
            l.cannotTell = ["which payment settled which invoice: payments are matched by the invoice number in their memo, then by amount, then oldest first"]
        },
        layout("odoo-payments") { l in
            l.signature = ["Number", "Date", "Memo"]
            l.signs = .positive
            l.columns = cols([.id: "Number", .customer: "Customer", .date: "Date", .amount: "Amount",
                              .reference: "Memo", .method: "Payment Method", .currency: "Currency"])
            l.optional = [.method, .currency]
            l.route.otherwise = .payment
            l.keep = [KeepRule(column: "Status", values: ["Posted", "posted", "Paid", "In Process"])]
        },
    ], preset: "odoo")

    /// ERPNext / Frappe: Accounting > Accounts Receivable report, exported as CSV.
    static let erpnext = ExportSource(files: [], layouts: [layout("erpnext-ar") { l in
        l.signature = ["Voucher Type", "Voucher No", "Outstanding Amount"]
        l.header = .containing("Voucher No")
        l.skip = [SkipRule(pattern: "^'?Total'?$")]
        l.skipEmpty = ["Voucher No"]
        l.dateFormat = DateFormat("DD-MM-YYYY")!
        l.amountStyle = ConfigurationFile.amountStyle(example: "1,234.56")!
        l.columns = cols([.id: "Voucher No", .customer: "Party", .date: "Posting Date", .dueDate: "Due Date",
                          .amount: "Invoiced Amount", .open: "Outstanding Amount", .currency: "Currency", .poNumber: "Customer LPO"])
        l.optional = [.currency, .poNumber, .dueDate]
        l.route.column = "Voucher Type"
        l.route.values = ["Sales Invoice": .sign, "Journal Entry": .sign, "Payment Entry": .payment]
        l.route.positive = .invoice
        l.route.negative = .creditMemo
        l.route.otherwise = nil
        l.canTell = ["open invoices, returns and advances on the report date (negative outstanding rows are credits)"]
        l.cannotTell = [
            "only what is open is listed: invoices paid in full are not in it",
            "no payment dates: the paid and credited part of a listed invoice is taken as settled on paid_as_of",
        ]
    }], preset: "erpnext-ar")

    /// Microsoft Dynamics 365 Business Central: Customer Ledger Entries (page 25), exported
    /// with Open in Excel and saved as CSV or Unicode text (UTF-16, tabs).
    static let businessCentral = ExportSource(files: [], layouts: [layout("bc-ledger-entries") { l in
        l.signature = ["Document Type", "Document No.", "Remaining Amount"]
        l.dateFormat = DateFormat("MM/DD/YYYY")!
        l.amountStyle = ConfigurationFile.amountStyle(example: "1,234.56")!
        l.columns = cols([.id: "Document No.", .customer: "Customer No.", .customerName: "Customer Name", .date: "Posting Date",
                          .dueDate: "Due Date", .amount: "Amount", .open: "Remaining Amount", .paidDate: "Closed at Date",
                          .currency: "Currency Code", .reference: "Description"])
        l.optional = [.paidDate, .currency, .reference, .customerName]
        l.route.column = "Document Type"
        l.route.values = ["Invoice": .invoice, "Credit Memo": .creditMemo, "Payment": .payment,
                          "Finance Charge Memo": .debitMemo, "Reminder": .debitMemo, "Refund": .skip, "": .sign]
        l.route.positive = .invoice
        l.route.negative = .creditMemo
        l.route.otherwise = nil
        l.canTell = ["every entry, open or closed, with what remains open; the closing date when the Closed at Date column is shown"]
        l.cannotTell = [
            "which payment closed which invoice: a closed invoice is paid on its Closed at Date (or on paid_as_of without that column), and closed payments are left out as already counted there",
            "the part paid of an invoice still open has no date: it is taken as paid on paid_as_of",
        ]
    }], preset: "bc-ledger-entries")

    /// Sage 50 Accounts (UK): the audit trail's transactions in the layout of Sage's own
    /// import template (Windows-1252, DD/MM/YYYY, every amount positive).
    static let sage50 = ExportSource(files: [], layouts: [layout("sage50-audit") { l in
        l.signature = ["Type", "Account Reference", "Net Amount", "Tax Amount"]
        l.encoding = EncodingChoice(fallback: .windows1252)
        l.dateFormat = DateFormat("DD/MM/YYYY")!
        l.amountStyle = ConfigurationFile.amountStyle(example: "£1,234.56")!
        l.signs = .positive
        l.columns = cols([.id: "Reference", .customer: "Account Reference", .date: "Date", .amount: "Net Amount + Tax Amount",
                          .reference: "Details", .reason: "Details"])
        l.route.column = "Type"
        l.route.values = ["SI": .invoice, "SC": .creditMemo, "SR": .payment, "SA": .payment, "SD": .creditMemo, "SP": .skip,
                          "PI": .skip, "PC": .skip, "PP": .skip, "PA": .skip, "PR": .skip, "PD": .skip,
                          "BP": .skip, "BR": .skip, "CP": .skip, "CR": .skip, "VP": .skip, "VR": .skip, "JD": .skip, "JC": .skip]
        l.route.otherwise = nil
        l.synthesizeIDs = [.payment]
        l.fold = FoldRule(sum: [.amount])
        l.canTell = ["sales invoices (their splits summed), credit notes, receipts and payments on account, net + tax"]
        l.cannotTell = [
            "no due dates: due dates are the invoice date plus the customer's terms (default_terms_days)",
            "receipts carry no id and no allocation: they get <file>-<line> ids and are matched by the invoice number in their details, then by amount, then oldest first",
            "purchase, bank and journal rows are left out (listed as skipped)",
        ]
    }], preset: "sage50-audit")

    /// The preset whose layout the header of a file fits best, with the share of its
    /// signature columns found: `arlens import --detect`.
    public static func detect(header cells: [String]) -> [(preset: String, layout: String, score: Double, found: [String])] {
        let have = Set(cells.map { $0.lowercased().drop { $0 == "*" }.trimmingCharacters(in: .whitespaces) })
        var out: [(String, String, Double, [String])] = []
        for p in all {
            for l in p.layouts {
                let wanted = l.signature + l.usedColumns
                let uniq = Array(Set(wanted.map { $0.lowercased() }))
                let found = uniq.filter { have.contains($0) }
                let sig = l.signature.filter { have.contains($0.lowercased()) }.count
                let score = Double(found.count) / Double(uniq.count) * 0.5 + Double(sig) / Double(max(l.signature.count, 1)) * 0.5
                out.append((p.preset!, l.name, score, found.sorted()))
            }
        }
        return out.sorted { $0.2 > $1.2 }
    }
}
