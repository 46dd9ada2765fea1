import ARModel

/// The data-quality findings a clerk acts on, from a loaded ledger (`arlens validate` and the
/// pack's data-quality section ask for them; loading alone does not): contact data missing or
/// malformed, customers entered twice under one name, invoices missing a PO where the
/// customer normally gives one, due dates before issue dates.
public enum DataQuality {
    public static func findings(_ l: Ledger) -> [Finding] {
        var out: [Finding] = []
        let c = l.customers
        if l.customerMasterMissing {
            out.append(Finding(kind: "missing_customer_master", table: "customers", key: "",
                               message: "no customers.csv: \(c.count) customers were made from their ids, without names, contacts, terms or credit limits"))
        } else {
            for i in 0..<c.count {
                let id = c.ids[Int32(i)]
                let name = c.name[i]
                if c.email.isEmpty(i) {
                    out.append(Finding(kind: "missing_email", table: "customers", key: id, message: "\(name) (\(id)) has no email address"))
                } else if !isEmail(c.email[i]) {
                    out.append(Finding(kind: "malformed_email", table: "customers", key: id,
                                       message: "\(name) (\(id)): '\(c.email[i])' is not a well-formed email address"))
                }
                if c.phone.isEmpty(i) {
                    out.append(Finding(kind: "missing_phone", table: "customers", key: id, message: "\(name) (\(id)) has no phone number"))
                } else if !isPhone(c.phone[i]) {
                    out.append(Finding(kind: "malformed_phone", table: "customers", key: id,
                                       message: "\(name) (\(id)): '\(c.phone[i])' is not a phone number"))
                }
            }
            var byName: [String: [Int]] = [:]
            for i in 0..<c.count { byName[normalizedName(c.name[i]), default: []].append(i) }
            for (_, rows) in byName where rows.count > 1 {
                let ids = rows.map { c.ids[Int32($0)] }
                out.append(Finding(kind: "duplicate_customer_name", table: "customers", key: ids.joined(separator: ","),
                                   message: "\(ids.count) customers share the name '\(c.name[rows[0]])': \(ids.joined(separator: ", "))"))
            }
        }

        let inv = l.invoices
        var withPO = [Int](repeating: 0, count: c.count)
        for i in 0..<inv.count where !inv.poNumber.isEmpty(i) { withPO[Int(inv.customer[i])] += 1 }
        for i in 0..<inv.count {
            var id: String { inv.ids[Int32(i)] }
            let cust = Int(inv.customer[i])
            if inv.poNumber.isEmpty(i) && withPO[cust] > 0 {
                out.append(Finding(kind: "missing_po", table: "invoices", key: id,
                                   message: "invoice \(id) has no PO number, but \(withPO[cust]) other invoices of \(c.ids[Int32(cust)]) have one"))
            }
            if inv.dueDate[i] < inv.issueDate[i] {
                out.append(Finding(kind: "due_before_issue", table: "invoices", key: id,
                                   message: "invoice \(id) is due \(inv.dueDate[i]), before its issue date \(inv.issueDate[i])"))
            }
        }
        return out.sorted { ($0.kind, $0.table, $0.key) < ($1.kind, $1.table, $1.key) }
    }

    public static func isEmail(_ s: String) -> Bool { ContactCheck.isEmail(s) }
    public static func isPhone(_ s: String) -> Bool { ContactCheck.isPhone(s) }

    /// Case, punctuation and spacing ignored: "ACME, Inc." and "Acme Inc" are one name.
    static func normalizedName(_ s: String) -> String {
        s.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(String.init).joined()
    }
}

import Foundation
