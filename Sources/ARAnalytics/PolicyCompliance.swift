import ARModel

/// One breach of the invoicing policy.
public struct PolicyFinding: Sendable, Equatable {
    public let rule: String
    public let document: String
    public let customer: String
    public let date: Day
    /// Base minor units.
    public let amount: Int64
    public let message: String
}

/// Invoicing-policy compliance over a period:
/// - `sent_late`: sent more than `policy.send_within_days` after issue;
/// - `terms_differ`: due date not issue + the customer's terms;
/// - `over_credit_limit`: raised while the customer's balance (before it) already exceeded its limit;
/// - `missing_po`: no PO where the customer requires one (`policy.po_required`, or a PO on 80%+
///   of at least 5 invoices);
/// - `credit_unapproved`: a credit memo or write-off at or above the approval threshold without an approver.
public enum PolicyCompliance {
    public static func check(_ t: Timeline, configuration: Configuration, from: Day, to: Day) -> [PolicyFinding] {
        let l = t.ledger, inv = l.invoices, cu = l.customers
        var out: [PolicyFinding] = []
        func cid(_ c: Int) -> String { cu.ids[Int32(c)] }
        let requiresPO = PolicyCompliance.requiresPO(l, configuration: configuration)
        // Balances just before each invoice's day, for the credit-limit rule.
        var order = (0..<inv.count).filter { inv.issueDate[$0] >= from && inv.issueDate[$0] <= to }
        order.sort { (inv.issueDate[$0], $0) < (inv.issueDate[$1], $1) }
        var sweep = BalanceSweep(t, customerGroup: (0..<cu.count).map { Int32($0) }, groupCount: max(1, cu.count),
                                 months: MonthRange(t.firstDay.yearMonth, t.firstDay.yearMonth))
        for i in order {
            let c = Int(inv.customer[i]), id = inv.ids[Int32(i)], d = inv.issueDate[i], base = t.docBase[i]
            if let sent = inv.sentDate[i], sent - d > configuration.sendWithinDays {
                out.append(PolicyFinding(rule: "sent_late", document: id, customer: cid(c), date: d, amount: base,
                                         message: "\(id) issued \(d) was sent \(sent), \(sent - d) days later (policy: \(configuration.sendWithinDays))"))
            }
            let terms = Int(cu.termsDays[c])
            if inv.dueDate[i] - d != terms {
                out.append(PolicyFinding(rule: "terms_differ", document: id, customer: cid(c), date: d, amount: base,
                                         message: "\(id) is due in \(inv.dueDate[i] - d) days; \(cid(c))'s terms are \(terms) days"))
            }
            if requiresPO[c] && inv.poNumber.isEmpty(i) {
                out.append(PolicyFinding(rule: "missing_po", document: id, customer: cid(c), date: d, amount: base,
                                         message: "\(id) has no PO; \(cid(c)) requires one"))
            }
            if let limitBase = t.creditLimitBase(c, on: d), limitBase > 0 {
                if d - 1 > sweep.through { sweep.advance(through: d - 1) }
                let balance = sweep.netAR(c)
                if balance > limitBase {
                    out.append(PolicyFinding(rule: "over_credit_limit", document: id, customer: cid(c), date: d, amount: base,
                                             message: "\(id) was raised while \(cid(c)) owed \(Money.decimalString(balance, digits: t.base.minorDigits)) against a limit of \(Money.decimalString(limitBase, digits: t.base.minorDigits))"))
                }
            }
        }
        let adj = l.adjustments
        let threshold = configuration.approvalThreshold * t.base.minorPerMajor
        for a in 0..<adj.count where adj.kind[a].isCredit && adj.date[a] >= from && adj.date[a] <= to && adj.approvedBy[a] < 0 && t.adjBase[a] >= threshold {
            let id = adj.ids[Int32(a)]
            out.append(PolicyFinding(rule: "credit_unapproved", document: id, customer: cid(Int(adj.customer[a])), date: adj.date[a], amount: t.adjBase[a],
                                     message: "\(adj.kind[a].name) \(id) of \(Money.decimalString(t.adjBase[a], digits: t.base.minorDigits)) has no approver (threshold \(configuration.approvalThreshold))"))
        }
        return out.sorted { ($0.rule, $0.date, $0.document) < ($1.rule, $1.date, $1.document) }
    }

    /// Per customer: a PO is required on its invoices (`policy.po_required` names it, or, when
    /// that list is empty, 80% or more of at least 5 of its invoices carry one).
    public static func requiresPO(_ l: Ledger, configuration: Configuration) -> [Bool] {
        let inv = l.invoices, cu = l.customers
        var requiresPO = [Bool](repeating: false, count: cu.count)
        if configuration.poRequired.isEmpty {
            var withPO = [Int](repeating: 0, count: cu.count), count = [Int](repeating: 0, count: cu.count)
            for i in 0..<inv.count {
                count[Int(inv.customer[i])] += 1
                if !inv.poNumber.isEmpty(i) { withPO[Int(inv.customer[i])] += 1 }
            }
            for c in 0..<cu.count where count[c] >= 5 && withPO[c] * 5 >= count[c] * 4 { requiresPO[c] = true }
        } else {
            for id in configuration.poRequired { if let c = cu.ids.find(id) { requiresPO[Int(c)] = true } }
        }
        return requiresPO
    }
}
