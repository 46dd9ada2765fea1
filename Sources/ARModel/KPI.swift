/// Every KPI ARLens reports: its name (as `arlens kpi` takes it), the kind of value, which
/// direction is better, and its definition as `metrics.md` states it. The pack's appendix and
/// `arlens kpi --list` read these same definitions.
public enum KPI: String, CaseIterable, Sendable {
    case ar, ar_gross, overdue, billings, collections, dso, dso_countback, bpdso, add, cei, turnover
    case pct_current, pct_over_90, bad_debt_ratio, days_to_pay, days_to_pay_weighted, days_late
    case days_late_weighted, on_time_rate, open_invoices, open_invoices_change, processing_days
    case billing_error_rate, dispute_rate, dispute_days, open_disputes, unapplied_cash
    case cash_application_lag, auto_match_rate, promise_kept_rate, write_offs, credit_memos
    case contact_completeness

    public enum Kind: Sendable { case money, days, percent, count, ratio }
    public enum Better: Sendable { case lower, higher, neither }

    public var kind: Kind {
        switch self {
        case .ar, .ar_gross, .overdue, .billings, .collections, .unapplied_cash, .write_offs, .credit_memos: return .money
        case .dso, .dso_countback, .bpdso, .add, .days_to_pay, .days_to_pay_weighted, .days_late, .days_late_weighted,
             .processing_days, .dispute_days, .cash_application_lag: return .days
        case .open_invoices, .open_disputes: return .count
        case .turnover: return .ratio
        default: return .percent
        }
    }

    /// Which way is good: what a target means.
    public var better: Better {
        switch self {
        case .cei, .turnover, .pct_current, .on_time_rate, .auto_match_rate, .promise_kept_rate,
             .contact_completeness, .collections, .billings: return .higher
        case .ar, .ar_gross: return .neither
        default: return .lower
        }
    }

    /// Point-in-time metrics take their value at the end of the period; the rest run over it.
    public var isPointInTime: Bool {
        switch self {
        case .ar, .ar_gross, .overdue, .dso, .dso_countback, .bpdso, .add, .turnover, .pct_current, .pct_over_90,
             .open_invoices, .open_disputes, .unapplied_cash, .contact_completeness: return true
        default: return false
        }
    }

    /// Summing the groups gives the total (for the `--by` consistency check).
    public var isAdditive: Bool {
        kind == .money || kind == .count
    }

    public var title: String {
        switch self {
        case .ar: return "Net AR"
        case .ar_gross: return "Gross AR"
        case .overdue: return "Overdue AR"
        case .billings: return "Billings"
        case .collections: return "Collections"
        case .dso: return "DSO"
        case .dso_countback: return "DSO (countback)"
        case .bpdso: return "Best possible DSO"
        case .add: return "Average days delinquent"
        case .cei: return "Collection effectiveness"
        case .turnover: return "AR turnover"
        case .pct_current: return "Current share of AR"
        case .pct_over_90: return "Share over 90 days past due"
        case .bad_debt_ratio: return "Bad-debt ratio"
        case .days_to_pay: return "Days to pay"
        case .days_to_pay_weighted: return "Days to pay (amount-weighted)"
        case .days_late: return "Days late"
        case .days_late_weighted: return "Days late (amount-weighted)"
        case .on_time_rate: return "Paid on time"
        case .open_invoices: return "Open invoices"
        case .open_invoices_change: return "Change in open invoices"
        case .processing_days: return "Invoice processing time"
        case .billing_error_rate: return "Billing-error rate"
        case .dispute_rate: return "Dispute rate"
        case .dispute_days: return "Days to resolve a dispute"
        case .open_disputes: return "Open disputes"
        case .unapplied_cash: return "Unapplied cash"
        case .cash_application_lag: return "Cash-application lag"
        case .auto_match_rate: return "Auto-match rate"
        case .promise_kept_rate: return "Promises kept"
        case .write_offs: return "Write-offs"
        case .credit_memos: return "Credit memos"
        case .contact_completeness: return "Contact completeness"
        }
    }

    public var definition: String {
        switch self {
        case .ar: return "Net AR at the end of the period: open balances of invoices, debit memos and late fees, less unapplied cash and unallocated credit."
        case .ar_gross: return "Gross AR at the end of the period: open balances of receivable documents."
        case .overdue: return "Gross AR past its due date at the end of the period."
        case .billings: return "Amounts of invoices, debit memos and late fees dated in the period."
        case .collections: return "Payments received in the period."
        case .dso: return "Net AR at period end ÷ billings over the trailing window (dso_window_months, default 3) × days in the window; null when the window starts before the first document's month."
        case .dso_countback: return "Countback: from net AR at period end, walk back month by month subtracting each month's billings and adding its days, plus the fraction of the month that uses AR up; at most 24 months; 0 when AR <= 0."
        case .bpdso: return "Best possible DSO: current (not overdue) AR at period end ÷ billings over the DSO window × days in the window."
        case .add: return "Average days delinquent: DSO − best possible DSO."
        case .cei: return "Collection effectiveness index: (AR at start + billings − AR at end) ÷ (AR at start + billings − current AR at end) × 100."
        case .turnover: return "Billings over the 12 months ending with the period ÷ the average of AR before that window and AR at its end; null when the window starts before the first document's month."
        case .pct_current: return "Current AR ÷ gross AR × 100 at period end."
        case .pct_over_90: return "Gross AR more than 90 days past due ÷ gross AR × 100 at period end."
        case .bad_debt_ratio: return "Write-offs dated in the period ÷ billings in the period × 100."
        case .days_to_pay: return "Mean days from issue to settlement of invoices paid (settled) in the period."
        case .days_to_pay_weighted: return "Days to pay weighted by invoice amount."
        case .days_late: return "Mean days past due at settlement (0 when on time) of invoices paid in the period."
        case .days_late_weighted: return "Days late weighted by invoice amount."
        case .on_time_rate: return "Share (%) of invoices paid in the period that were settled by their due date."
        case .open_invoices: return "Number of receivable documents with an open balance at period end."
        case .open_invoices_change: return "% change of open invoices against the previous period."
        case .processing_days: return "Mean days from issue to sending, over invoices issued in the period that have a sent date."
        case .billing_error_rate: return "Credit memos with reason billing_error dated in the period ÷ invoices issued in the period × 100."
        case .dispute_rate: return "Disputes opened in the period ÷ invoices issued in the period × 100."
        case .dispute_days: return "Mean days from opening to resolution over disputes resolved in the period."
        case .open_disputes: return "Disputes open at period end."
        case .unapplied_cash: return "Payments received by period end less the parts applied to documents."
        case .cash_application_lag: return "Mean days from receipt to posting over payments received in the period that have a posted date."
        case .auto_match_rate: return "Share (%) of payments received in the period that automatic cash application matched fully by reference or exact amount (only when the ledger has no applications.csv)."
        case .promise_kept_rate: return "Share (%) of promises to pay due in the period for which the customer's payments from the promise to the promised date reached the promised amount."
        case .write_offs: return "Write-offs dated in the period."
        case .credit_memos: return "Credit memos dated in the period."
        case .contact_completeness: return "Share (%) of customers with a well-formed email and a phone number, at period end."
        }
    }

    /// `dso,cei` -> [.dso, .cei]; nil names the unknown one.
    public static func parseList(_ text: String) -> Result<[KPI], UnknownKPI> {
        var out: [KPI] = []
        for raw in text.split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard let k = KPI(rawValue: name) else { return .failure(UnknownKPI(name: name)) }
            if !out.contains(k) { out.append(k) }
        }
        return .success(out)
    }

    public struct UnknownKPI: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "unknown metric '\(name)' (arlens kpi --list shows them all)" }
    }
}

import Foundation
