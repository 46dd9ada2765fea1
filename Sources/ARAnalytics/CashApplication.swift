import ARModel

/// Automatic cash application, for ledgers without applications.csv. Payments are taken in
/// date order; each goes first to the invoices its remittance reference names (by printed
/// number or id), then, if an amount is left, to the one open document of the payer whose
/// balance equals it exactly, then to the payer's oldest open documents. Only documents of
/// the payer, in the payment's currency, open at the payment's date are candidates. Whatever
/// is left stays unapplied cash.
public enum CashApplication {
    public enum Method: String, Sendable, CaseIterable {
        /// Fully applied to the invoices named in the reference.
        case reference
        /// Fully applied by an exact amount match (after any referenced invoices).
        case exactAmount = "exact_amount"
        /// Needed oldest-first to be fully applied.
        case oldestFirst = "oldest_first"
        /// Some or all of it stays unapplied.
        case unapplied
    }

    public struct Report: Sendable {
        public var method: [Method]
        /// Credits cut because the automatic applications had already settled their document
        /// (set by `PreparedLedger`): the excess is unallocated credit.
        public var settlement: [SettlementIssue] = []
        public var counts: [Method: Int] {
            var c: [Method: Int] = [:]
            for m in method { c[m, default: 0] += 1 }
            return c
        }
        /// Fully matched by reference or exact amount (the auto_match_rate numerator).
        public var autoMatched: [Bool] { method.map { $0 == .reference || $0 == .exactAmount } }
        public var matchRate: Double? {
            method.isEmpty ? nil : Double(autoMatched.filter { $0 }.count) / Double(method.count) * 100
        }
        public var summary: String {
            let c = counts
            let n = method.count
            func pct(_ k: Int) -> String { n == 0 ? "0%" : String(Int((Double(k) / Double(n) * 100).rounded())) + "%" }
            let auto = (c[.reference] ?? 0) + (c[.exactAmount] ?? 0)
            var out = "automatic cash application of \(n) payments: \(c[.reference] ?? 0) by reference, \(c[.exactAmount] ?? 0) by exact amount, \(c[.oldestFirst] ?? 0) oldest first, \(c[.unapplied] ?? 0) not fully applied; match rate \(pct(auto))"
            // Callers that do not list the settlement findings themselves see them here.
            for x in settlement.prefix(20) { out += "\n  \(x.kind.rawValue): \(x.table).csv:\(x.line): \(x.message)" }
            if settlement.count > 20 { out += "\n  ... \(settlement.count - 20) more" }
            return out
        }
    }

    /// Fills `ledger.applications`. Call only when the ledger has none from a file.
    public static func apply(_ ledger: inout Ledger) -> Report {
        let l = ledger
        let t = Timeline(l)
        // Who can be paid: every receivable document, by printed number and by id.
        var byName: [String: [Int32]] = [:]
        for i in 0..<l.invoices.count {
            byName[l.invoices.printedNumber(i).uppercased(), default: []].append(Int32(i))
            byName[l.invoices.ids[Int32(i)].uppercased(), default: []].append(Int32(i))
        }
        for a in 0..<l.adjustments.count where l.adjustments.kind[a].isDebit {
            byName[l.adjustments.ids[Int32(a)].uppercased(), default: []].append(Int32(l.invoices.count + a))
        }
        var open = [Int64](repeating: 0, count: t.slotCount)
        var openByCustomer = [[Int32]](repeating: [], count: l.customers.count)
        var oldest = [Int](repeating: 0, count: l.customers.count)
        var apps = ApplicationTable()
        var method = [Method](repeating: .unapplied, count: l.payments.count)
        let currencyOf: (Int) -> Currency = { s in
            s < l.invoices.count ? l.invoices.currency[s] : l.adjustments.currency[s - l.invoices.count]
        }

        for e in t.events {
            let (day, kind, index) = Timeline.decode(e, firstDay: t.firstDay)
            switch kind {
            case .document:
                open[index] = t.docAmount[index]
                openByCustomer[Int(t.docCustomer[index])].append(Int32(index))
            case .credit, .allocation:
                // What the credit takes off its document (on the document's date when dated
                // before it). The settlement pass after cash application cuts credits that the
                // automatic applications left no room for; never below zero here either.
                let adj = l.adjustments
                if !adj.document[index].isNone && (kind == .allocation || !t.allocationDeferred(index)) {
                    let s = t.slot(adj.document[index])
                    open[s] = max(0, open[s] - adj.allocated[index])
                }
            case .application:
                break
            case .payment:
                let p = index
                let c = Int(l.payments.customer[p])
                let cur = l.payments.currency[p]
                var left = l.payments.amount[p]
                func pay(_ s: Int) {
                    let a = min(left, open[s])
                    guard a > 0 else { return }
                    open[s] -= a
                    left -= a
                    apps.payment.append(Int32(p))
                    apps.document.append(s < l.invoices.count ? .invoice(s) : .adjustment(s - l.invoices.count))
                    apps.amount.append(a)
                    apps.requested.append(a)
                    apps.date.append(day)
                    apps.line.append(0)
                }
                func candidate(_ s: Int) -> Bool { Int(t.docCustomer[s]) == c && currencyOf(s) == cur && open[s] > 0 }
                // 1. The documents the reference names.
                var usedReference = false
                if !l.payments.reference.isEmpty(p) {
                    for token in referenceTokens(l.payments.reference[p], isName: { byName[$0] != nil }) {
                        for s in byName[token] ?? [] where candidate(Int(s)) && left > 0 {
                            pay(Int(s))
                            usedReference = true
                        }
                    }
                }
                if left == 0 { method[p] = usedReference ? .reference : .unapplied; continue }
                // 2. One open document whose balance is exactly what is left.
                let list = openByCustomer[c]
                var match = -1, matches = 0
                for k in oldest[c]..<list.count {
                    let s = Int(list[k])
                    if candidate(s) && open[s] == left { matches += 1; match = s; if matches > 1 { break } }
                }
                if matches == 1 {
                    pay(match)
                    method[p] = .exactAmount
                    continue
                }
                // 3. Oldest open documents first.
                for k in oldest[c]..<list.count where left > 0 {
                    let s = Int(list[k])
                    if candidate(s) { pay(s) }
                }
                method[p] = left == 0 ? .oldestFirst : .unapplied
            }
            // Keep the start of each customer's list at its oldest open document.
            if kind == .payment || kind == .credit || kind == .allocation {
                let c: Int
                if kind == .payment { c = Int(l.payments.customer[index]) }
                else if !l.adjustments.document[index].isNone { c = Int(t.docCustomer[t.slot(l.adjustments.document[index])]) }
                else { continue }
                while oldest[c] < openByCustomer[c].count && open[Int(openByCustomer[c][oldest[c]])] == 0 { oldest[c] += 1 }
            }
        }
        ledger.applications = apps
        ledger.settled = false
        return Report(method: method)
    }

    /// The tokens of a reference to look documents up by. A word that names a document whole
    /// (`INV/2025/00012`, `2026-0042`) is taken as it is and not split further, so its parts
    /// (`2025`, `12`) never match other documents; other words are split as `tokens` says.
    static func referenceTokens(_ reference: String, isName: (String) -> Bool) -> [String] {
        var out: [String] = []
        var rest: [Substring] = []
        for word in reference.uppercased().split(whereSeparator: { " ,;\t()".contains($0) }) {
            let whole = variants(String(word))
            let named = whole.filter(isName)
            if named.isEmpty { rest.append(word) } else { out += named }
        }
        if !rest.isEmpty { out += tokens(rest.joined(separator: " ")) }
        return out
    }

    /// A word and its forms without a leading "INV"/"#" and leading zeros.
    static func variants(_ w: String) -> [String] {
        var out = [w]
        var core = w
        for prefix in ["INV-", "INV#", "INV", "#", "NO."] where core.hasPrefix(prefix) && core.count > prefix.count {
            core = String(core.dropFirst(prefix.count))
        }
        if core != w { out.append(core) }
        if core.count > 1, core.allSatisfy(\.isNumber), core.hasPrefix("0") {
            let trimmed = String(core.drop { $0 == "0" })
            if !trimmed.isEmpty { out.append(trimmed) }
        }
        return out
    }

    /// Words of a remittance reference that could be a document number: split on spaces and
    /// punctuation, upper-cased, each also without a leading "INV"/"#" and leading zeros.
    static func tokens(_ reference: String) -> [String] {
        var out: [String] = []
        for raw in reference.uppercased().split(whereSeparator: { " ,;:/\t()".contains($0) }) {
            out += variants(String(raw))
        }
        return out
    }
}

/// A loaded ledger ready for analysis: automatic cash application done when the ledger did not
/// say how payments were applied, and the timeline built.
public struct PreparedLedger: Sendable {
    public let ledger: Ledger
    public let timeline: Timeline
    public var cashApplication: CashApplication.Report?
    /// What the settlement rule (`Ledger.settle`) changed here: after automatic cash
    /// application, the credits it left no room for (cut, the excess unallocated credit);
    /// for a ledger that was not loaded through ARLoading, everything. Empty for a ledger the
    /// loader settled (the loader reported its findings already).
    public let settlement: [SettlementIssue]

    public init(_ loaded: Ledger) {
        var l = loaded
        if !l.applicationsFromFile && !l.paymentsFromInvoices && l.payments.count > 0 {
            cashApplication = CashApplication.apply(&l)
        } else {
            cashApplication = nil
        }
        settlement = l.settled ? [] : l.settle()
        cashApplication?.settlement = settlement
        ledger = l
        timeline = Timeline(l)
    }
}

extension CashApplication {
    /// The reference tokens (exposed for tests).
    public static func tokensForTest(_ s: String) -> [String] { tokens(s) }
    /// The lookup tokens of a reference given the document names that exist (for tests).
    public static func referenceTokensForTest(_ s: String, names: Set<String>) -> [String] {
        referenceTokens(s, isName: { names.contains($0) })
    }
}
