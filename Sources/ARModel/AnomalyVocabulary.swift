/// The anomaly rules ARLens runs. The raw value is the id written in JSON and CSV output, in
/// the pack and in a reviewed-findings list; it never changes once published.
public enum AnomalyRule: String, Sendable, CaseIterable, Comparable, Hashable {
    case duplicateInvoice = "duplicate_invoice"
    case nearDuplicateInvoice = "near_duplicate_invoice"
    case duplicatePO = "duplicate_po"
    case duplicatePayment = "duplicate_payment"
    case roundAmount = "round_amount"
    case thresholdAmount = "threshold_amount"
    case amountOutlier = "amount_outlier"
    case offHoursEntry = "off_hours_entry"
    case creditAfterPayment = "credit_after_payment"
    case selfApprovedWriteOff = "self_approved_write_off"
    case concentratedWriteOffs = "concentrated_write_offs"
    case selfClearedInvoice = "self_cleared_invoice"
    case paymentAppliedToOtherCustomer = "payment_applied_to_other_customer"
    case benfordFirst = "benford_first"
    case benfordFirstTwo = "benford_first_two"
    case daysToPayShift = "days_to_pay_shift"
    case risingPostingLag = "rising_posting_lag"
    case lateApplications = "late_applications"
    case kpiShift = "kpi_shift"
    case poNotFound = "po_not_found"
    case poAmountMismatch = "po_amount_mismatch"

    public static func < (a: AnomalyRule, b: AnomalyRule) -> Bool { a.rawValue < b.rawValue }
}

/// The kinds of anomaly the generator plants (the `kind` column of `_truth/anomalies.csv`),
/// each with the rules meant to catch it.
public enum AnomalyKind: String, Sendable, CaseIterable, Comparable, Hashable {
    case duplicateInvoice = "duplicate_invoice"
    case nearDuplicateInvoice = "near_duplicate_invoice"
    case duplicatePO = "duplicate_po"
    case duplicatePayment = "duplicate_payment"
    case fabricatedInvoice = "fabricated_invoice"
    case offHoursEntry = "off_hours_entry"
    case creditAfterPayment = "credit_after_payment"
    case selfApprovedWriteOff = "self_approved_write_off"
    case concentratedWriteOffs = "concentrated_write_offs"
    case lapping = "lapping"

    /// The rules whose findings count for this kind when a ledger is scored against its truth.
    public var rules: [AnomalyRule] {
        switch self {
        case .duplicateInvoice: return [.duplicateInvoice]
        case .nearDuplicateInvoice: return [.nearDuplicateInvoice]
        case .duplicatePO: return [.duplicatePO]
        case .duplicatePayment: return [.duplicatePayment]
        case .fabricatedInvoice: return [.roundAmount, .thresholdAmount, .selfClearedInvoice]
        case .offHoursEntry: return [.offHoursEntry]
        case .creditAfterPayment: return [.creditAfterPayment]
        case .selfApprovedWriteOff: return [.selfApprovedWriteOff]
        case .concentratedWriteOffs: return [.concentratedWriteOffs]
        case .lapping: return [.paymentAppliedToOtherCustomer]
        }
    }

    public static func < (a: AnomalyKind, b: AnomalyKind) -> Bool { a.rawValue < b.rawValue }
}

/// A reviewer's verdict on a finding, from the reviewed-findings list (`anomalies: reviewed:`
/// in arlens.yml): the rule and the documents name the finding, `confirmed` keeps it tracked
/// until its documents are closed, `cleared` hides it for good.
public struct ReviewedFinding: Sendable, Equatable {
    public enum Verdict: String, Sendable, CaseIterable { case confirmed, cleared }
    public let rule: AnomalyRule
    /// The finding's documents as the reviewer wrote them (their order does not matter).
    public let documents: [String]
    public let verdict: Verdict
    public let note: String
    /// The line of the list it was read from.
    public let line: Int

    public init(rule: AnomalyRule, documents: [String], verdict: Verdict, note: String, line: Int) {
        self.rule = rule
        self.documents = documents
        self.verdict = verdict
        self.note = note
        self.line = line
    }

    /// True for a finding of the same rule naming the same documents (in any order).
    public func matches(_ rule: AnomalyRule, _ documents: [String]) -> Bool {
        rule == self.rule && Set(documents) == Set(self.documents)
    }
}
