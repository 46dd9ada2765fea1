import ARModel

/// Late-payment interest and fixed compensation per overdue invoice, as of a date.
///
/// - contractual: a monthly rate, simple, after grace days, with a minimum per invoice;
/// - EU (Directive 2011/7/EU): the reference rate + 8 points a year, simple, daily, plus a
///   fixed €40 per invoice;
/// - UK (Late Payment of Commercial Debts Act): the base rate + 8% a year, simple, daily,
///   plus £40, £70 or £100 by the size of the debt.
/// Interest is exact: integer minor units × rate in millionths × days, rounded once, half away
/// from zero. Late fees already in the ledger for an invoice are deducted, so the same days are
/// never charged twice.
public enum LateFeePolicy: Sendable, Equatable {
    case contractual(monthlyRatePercent: Double, graceDays: Int, minimum: Double)
    case eu(referenceRatePercent: Double)
    case uk(baseRatePercent: Double)

    /// The policy named in the configuration, or `name` when given (contractual, eu, uk);
    /// `by_country` gives the contractual policy, the one for customers of other countries.
    public init?(_ s: LateFeeSettings, name: String? = nil) {
        switch name ?? s.policy {
        case "contractual", "by_country": self = .contractual(monthlyRatePercent: s.monthlyRatePercent, graceDays: s.graceDays, minimum: s.minimum)
        case "eu": self = .eu(referenceRatePercent: s.euReferenceRatePercent)
        case "uk": self = .uk(baseRatePercent: s.ukBaseRatePercent)
        default: return nil
        }
    }

    public var name: String {
        switch self {
        case .contractual: return "contractual"
        case .eu: return "eu"
        case .uk: return "uk"
        }
    }

    /// Simple interest on `open` minor units at `annualPercent` a year for `days` days.
    public static func interest(_ open: Int64, annualPercent: Double, days: Int) -> Int64 {
        guard open > 0, days > 0 else { return 0 }
        let micros = Int128((annualPercent * 1_000_000).rounded())   // percent × 1e6
        let num = Int128(open) * micros * Int128(days)
        let den = Int128(365) * 100 * 1_000_000
        let q = num / den, r = num % den
        return Int64(r * 2 >= den ? q + 1 : q)
    }

    /// Interest and fixed compensation for an invoice `open` minor units, `daysOverdue` days
    /// late, in the invoice's currency. The statutory fixed sums are in their own currency
    /// (EUR 40; GBP 40, 70 or 100 by the debt in pounds) and converted at `fx` into the
    /// invoice's; `basis` says how ("EUR 40.00 at 1 EUR = 1.0850 USD"), empty when no
    /// conversion was needed. Without a rate the fixed sum is 0 and `basis` says why.
    public func charge(open: Int64, daysOverdue: Int, currency: Currency, fx: RatesOfDay? = nil) -> (interest: Int64, fixed: Int64, basis: String) {
        guard daysOverdue > 0, open > 0 else { return (0, 0, "") }
        func fixed(_ major: Int64, _ statutory: Currency) -> (Int64, String) {
            let amount = major * statutory.minorPerMajor
            if statutory == currency { return (amount, "") }
            guard let fx, let v = fx.convert(amount, from: statutory, to: currency) else {
                return (0, "no \(statutory.code) rate\(fx.map { " at \($0.day)" } ?? ""): the fixed \(statutory.code) \(Money.decimalString(amount, digits: statutory.minorDigits)) is not charged")
            }
            return (v, "\(statutory.code) \(Money.decimalString(amount, digits: statutory.minorDigits)) = \(Money.decimalString(v, digits: currency.minorDigits)) \(currency.code) at \(fx.rateText(statutory, currency)) (rate of \(fx.day))")
        }
        switch self {
        case .contractual(let monthly, let grace, let minimum):
            let days = daysOverdue - grace
            guard days > 0 else { return (0, 0, "") }
            // A monthly rate of m% is 12·m% a year, counted by the day.
            let i = LateFeePolicy.interest(open, annualPercent: monthly * 12, days: days)
            return (max(i, Int64((minimum * Double(currency.minorPerMajor)).rounded())), 0, "")
        case .eu(let reference):
            let (f, basis) = fixed(40, .EUR)
            return (LateFeePolicy.interest(open, annualPercent: reference + 8, days: daysOverdue), f, basis)
        case .uk(let base):
            // The band follows the debt in pounds.
            let pounds: Int64?
            if currency == .GBP { pounds = open } else { pounds = fx?.convert(open, from: currency, to: .GBP) }
            guard let pounds else {
                return (LateFeePolicy.interest(open, annualPercent: base + 8, days: daysOverdue), 0,
                        "no GBP rate: the fixed sum of the Late Payment Act is not charged")
            }
            let major = pounds / Currency.GBP.minorPerMajor
            let (f, basis) = fixed(major < 1000 ? 40 : major < 10_000 ? 70 : 100, .GBP)
            return (LateFeePolicy.interest(open, annualPercent: base + 8, days: daysOverdue), f, basis)
        }
    }

    /// The rules a letter cites, in one sentence.
    public var citation: String {
        func pct(_ x: Double) -> String { String(format: "%.2f", x) }
        switch self {
        case .contractual(let monthly, let grace, _):
            return "Late charges under our terms of payment: interest at \(String(format: "%g", monthly))% a month" + (grace > 0 ? " from \(grace) days after the due date." : " from the due date.")
        case .eu(let r):
            return "Late charges under Directive 2011/7/EU on combating late payment in commercial transactions (Articles 3, 4 and 6): interest at the reference rate of \(pct(r))% plus 8 points, \(pct(r + 8))% a year, and a fixed EUR 40.00 per invoice for recovery costs."
        case .uk(let b):
            return "Late charges under the Late Payment of Commercial Debts (Interest) Act 1998: statutory interest at the Bank of England base rate of \(pct(b))% plus 8%, \(pct(b + 8))% a year, and fixed compensation per invoice of GBP 40.00 (debts under GBP 1,000), 70.00 (under GBP 10,000) or 100.00 (section 5A)."
        }
    }
}

/// Exchange rates on one day, from the ledger's fx_rates (units of the base currency per unit
/// of each currency); conversions are exact in minor units, rounded half away from zero.
public struct RatesOfDay: Sendable {
    public let day: Day
    let table: FxRateTable
    let base: Currency

    public init(_ ledger: Ledger, day: Day) {
        self.day = day
        table = ledger.fxRates
        base = ledger.baseCurrency
    }

    public func rate(_ c: Currency) -> ExchangeRate? { c == base ? .one : table.rate(c, on: day) }

    /// `minor` units of `from` in minor units of `to`.
    public func convert(_ minor: Int64, from: Currency, to: Currency) -> Int64? {
        if from == to { return minor }
        guard let rf = rate(from), let rt = rate(to), rt.mantissa != 0 else { return nil }
        // minor × rf / rt, with the scales and minor digits.
        var num = Int128(minor) * Int128(rf.mantissa) * Int128(Money.powersOfTen[rt.scale])
        var den = Int128(Money.powersOfTen[rf.scale]) * Int128(rt.mantissa)
        if to.minorDigits >= from.minorDigits { num *= Int128(Money.powersOfTen[to.minorDigits - from.minorDigits]) }
        else { den *= Int128(Money.powersOfTen[from.minorDigits - to.minorDigits]) }
        let q = num / den, r = num % den
        return Int64((r < 0 ? -r : r) * 2 >= den ? q + (num < 0 ? -1 : 1) : q)
    }

    /// "1 EUR = 1.0850 USD" (the file's rate when one side is the base, else the cross rate
    /// to 6 significant places).
    public func rateText(_ from: Currency, _ to: Currency) -> String {
        if to == base, let r = rate(from) { return "1 \(from.code) = \(r) \(to.code)" }
        guard let rf = rate(from), let rt = rate(to) else { return "" }
        return "1 \(from.code) = \(String(format: "%.6g", rf.doubleValue / rt.doubleValue)) \(to.code)"
    }
}

/// The policy for each customer: the one forced (`fees --policy`, `late_fees.policy` other
/// than by_country), else the customer's override, its country's override, then the country:
/// EU member states the EU directive, GB the UK Act, any other the contractual terms.
public struct LateFeeRules: Sendable {
    public let settings: LateFeeSettings
    let forced: LateFeePolicy?

    public static let euMembers: Set<String> = ["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
                                                 "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"]

    /// `name`: by_country, contractual, eu or uk (default: the configuration's); nil for another.
    public init?(_ s: LateFeeSettings, name: String? = nil) {
        let n = name ?? s.policy
        guard ["by_country", "contractual", "eu", "uk"].contains(n) else { return nil }
        settings = s
        forced = n == "by_country" ? nil : LateFeePolicy(s, name: n)
    }

    public init(forcing policy: LateFeePolicy, settings: LateFeeSettings = LateFeeSettings()) {
        self.settings = settings
        forced = policy
    }

    public var name: String { forced?.name ?? "by_country" }

    public func policy(customer id: String, country: String) -> LateFeePolicy {
        if let forced { return forced }
        if let n = settings.customers[id] ?? settings.countries[country], let p = LateFeePolicy(settings, name: n) { return p }
        if LateFeeRules.euMembers.contains(country) { return LateFeePolicy(settings, name: "eu")! }
        if country == "GB" { return LateFeePolicy(settings, name: "uk")! }
        return LateFeePolicy(settings, name: "contractual")!
    }
}

public struct LateFeeLine: Sendable {
    /// The invoice's document slot in the timeline.
    public let slot: Int
    public let document: String
    public let customer: String
    public let currency: Currency
    public let open: Int64
    public let daysOverdue: Int
    public let interest: Int64
    public let fixed: Int64
    /// Late fees already charged on this invoice.
    public let alreadyCharged: Int64
    /// The policy applied (contractual, eu, uk) and how a statutory fixed sum was converted.
    public var policy = ""
    public var basis = ""
    /// What is still due falls below `late_fees.minimum_charge`: nothing is raised.
    public var belowMinimum = false
    /// What is still due: interest + fixed − already charged, never below zero; 0 below the
    /// minimum charge.
    public var due: Int64 { belowMinimum ? 0 : max(0, interest + fixed - alreadyCharged) }
}

public enum LateFees {
    /// Every overdue invoice's fee under `policy` at the book's date, in the invoice's currency;
    /// invoices `holds` holds (disputed, promised, suspected duplicates) are charged nothing.
    public static func compute(_ book: AccountBook, policy: LateFeePolicy, holds: Holds? = nil, minimumCharge: Double = 0) -> [LateFeeLine] {
        compute(book, rules: LateFeeRules(forcing: policy), holds: holds, minimumCharge: minimumCharge)
    }

    /// The same with each customer's policy from `rules` and the minimum charge of its
    /// settings (major units of the invoice's currency).
    public static func compute(_ book: AccountBook, rules: LateFeeRules, holds: Holds? = nil) -> [LateFeeLine] {
        compute(book, rules: rules, holds: holds, minimumCharge: rules.settings.minimumCharge)
    }

    static func compute(_ book: AccountBook, rules: LateFeeRules, holds: Holds?, minimumCharge: Double) -> [LateFeeLine] {
        let t = book.timeline, l = t.ledger
        let fx = RatesOfDay(l, day: book.asOf)
        var charged: [Int: Int64] = [:]
        for a in 0..<l.adjustments.count where l.adjustments.kind[a] == .lateFee && l.adjustments.date[a] <= book.asOf {
            if let i = l.adjustments.document[a].invoiceIndex { charged[i, default: 0] += l.adjustments.amount[a] }
        }
        var out: [LateFeeLine] = []
        for (c, items) in book.items.enumerated() {
            let id = l.customers.ids[Int32(c)]
            let policy = rules.policy(customer: id, country: l.customers.country.indices.contains(c) ? l.customers.country[c] : "")
            for item in items where item.slot < t.invoiceCount && item.daysPastDue > 0 && !(holds?.isHeld(item.slot) ?? false) {
                let (interest, fixed, basis) = policy.charge(open: item.open, daysOverdue: item.daysPastDue, currency: item.currency, fx: fx)
                var line = LateFeeLine(slot: item.slot, document: item.document, customer: id, currency: item.currency, open: item.open,
                                       daysOverdue: item.daysPastDue, interest: interest, fixed: fixed, alreadyCharged: charged[item.slot] ?? 0)
                line.policy = policy.name
                line.basis = basis
                let minimum = Int64((minimumCharge * Double(item.currency.minorPerMajor)).rounded())
                line.belowMinimum = line.due > 0 && line.due < minimum
                out.append(line)
            }
        }
        return out.sorted { ($0.customer, $0.document) < ($1.customer, $1.document) }
    }
}
