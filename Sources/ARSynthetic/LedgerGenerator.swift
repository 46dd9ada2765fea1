import ARModel
import Foundation

/// Simulates an AR department: customers with payment habits, invoices month by month, and
/// each invoice's life (disputes, credits, reminders, promises, payments, fees, write-offs)
/// up to the export date. Then it injects the anomalies asked for, each recorded with its
/// documents in the truth list.
public struct LedgerGenerator {
    let options: GeneratorOptions
    var rng: SeededRandom
    var out: GeneratedLedger
    var intents: [GIntent] = []
    let base = Currency.USD
    /// Approximate base-currency value of one unit of each currency (for amounts and rates).
    var approxRate: [Currency: Double] = [.USD: 1, .EUR: 1.08, .GBP: 1.27, .JPY: 0.0068]
    /// The month whose payments slipped for everyone (a bank holiday run, a bad month).
    let shockMonth: YearMonth

    public init(options: GeneratorOptions) {
        self.options = options
        rng = SeededRandom(seed: options.seed)
        out = GeneratedLedger(options: options)
        shockMonth = options.endMonth.advanced(by: -7)
    }

    static func businessDay(_ d: Day) -> Day {
        switch d.isoWeekday {
        case 6: return d + 2
        case 7: return d + 1
        default: return d
        }
    }

    func fraction(_ d: Day) -> Double {
        let span = Double(options.lastDay - options.firstDay)
        return min(max(Double(d - options.firstDay) / span, 0), 1)
    }

    func money(_ baseAmount: Double, _ c: Currency) -> Int64 {
        let local = baseAmount / approxRate[c]!
        let minor = (local * Double(c.minorPerMajor)).rounded()
        return max(Int64(minor), c.minorPerMajor)   // at least one unit
    }

    public mutating func generate() -> GeneratedLedgerSummary {
        makeFxRates()
        makeCustomers()
        makeInvoices()
        var anomalies = AnomalyInjector(level: options.anomalies, invoices: options.invoices ?? out.invoices.count)
        anomalies.injectBeforePayments(&self)
        formPayments()
        anomalies.injectAfterPayments(&self)
        return GeneratedLedgerSummary(ledger: out)
    }

    // MARK: rates

    mutating func makeFxRates() {
        var r = rng.fork(1)
        var level: [Currency: Double] = [.EUR: 1.08, .GBP: 1.27, .JPY: 0.0068]
        var m = options.startMonth.advanced(by: -1)
        while m <= options.endMonth {
            for c in [Currency.EUR, .GBP, .JPY] {
                level[c]! *= 1 + r.normal(0, 0.012)
                let digits = c == .JPY ? 6 : 4
                let mant = Int64((level[c]! * Double(Money.powersOfTen[digits])).rounded())
                out.fxRates.append((m.firstDay, c, ExchangeRate(mantissa: mant, scale: digits)))
            }
            m = m.advanced(by: 1)
        }
    }

    // MARK: customers

    mutating func makeCustomers() {
        var r = rng.fork(2)
        let n = options.customers
        var usedNames = Set<String>()
        for c in 0..<n {
            let segment: GCustomer.Segment = [.enterprise, .midMarket, .small][r.weighted([0.1, 0.3, 0.6])]
            let (mean, perMonth): (Double, Double) = {
                switch segment {
                case .enterprise: return (r.lognormal(Foundation.log(45_000), 0.5), 8)
                case .midMarket: return (r.lognormal(Foundation.log(12_000), 0.5), 3)
                case .small: return (r.lognormal(Foundation.log(2_500), 0.6), 1.2)
                }
            }()
            var profile = GCustomer.Profile.allCases[r.weighted([0.42, 0.25, 0.10, 0.05, 0.10, 0.08])]
            let place = r.chance(0.08) ? r.pick(Catalog.foreign) : r.pick(Catalog.domestic)
            var name = ""
            repeat {
                name = "\(r.pick(Catalog.nameFirst)) \(r.pick(Catalog.nameSecond)) \(r.pick(Catalog.nameSuffix))"
            } while usedNames.contains(name) && usedNames.count < 4000
            usedNames.insert(name)
            let slug = name.lowercased().filter { $0.isLetter }.prefix(18)
            let terms = [30, 45, 60, 15, 10][r.weighted([0.6, 0.15, 0.1, 0.1, 0.05])]
            let isNew = r.chance(0.12)
            let created: Day = isNew
                ? options.firstDay + r.int(0...max(0, options.lastDay - options.firstDay - 90))
                : options.firstDay - r.int(30...3000)
            let reviewed: Day? = isNew
                ? (r.chance(0.6) ? created + r.int(0...10) : nil)
                : (r.chance(0.15) ? options.lastDay - r.int(800...1500) : options.lastDay - r.int(10...400))
            if segment == .enterprise && profile == .chronic { profile = .slow }   // big accounts rarely chronic
            let currency = Currency(code: place.currency)!
            var limit: Int64? = nil
            if !r.chance(0.05) {
                let months = Double(terms + 30) / 30 * (r.chance(0.15) ? 0.8 : r.uniform() * 1.3 + 1.2)
                let raw = mean * months / approxRate[currency]!
                let step = currency == .JPY ? 100_000.0 : 1000.0
                limit = Int64(max(1, (raw / step).rounded()) * step) * currency.minorPerMajor
            }
            var lastMonth = options.endMonth
            if r.chance(0.06) { lastMonth = options.startMonth.advanced(by: r.int(6...(max(6, options.months - 2)))) }
            let rating: String = ["A", "B", "D", "B", "B", "C"][GCustomer.Profile.allCases.firstIndex(of: profile)!]
            var email: String? = "ap@\(slug).example"
            if r.chance(0.05) { email = nil } else if r.chance(0.02) { email = "ap@\(slug)" }
            let phone: String? = r.chance(0.04) ? nil : "\(place.phone) 555 \(String(format: "%04d", r.int(0...9999)))"
            out.customers.append(GCustomer(
                code: c + 1, name: name, email: email, phone: phone,
                address: "\(r.int(1...999)) \(r.pick(Catalog.streets)), \(place.city)", country: place.country,
                currency: currency, creditLimit: limit, terms: terms, segment: segment, region: place.region,
                collector: Catalog.collectors[place.region]!, created: created, reviewed: reviewed, rating: rating,
                profile: profile, monthlyMean: mean, invoicesPerMonth: perMonth,
                batchPayer: r.chance(segment == .enterprise ? 0.7 : segment == .midMarket ? 0.3 : 0.05),
                usesPO: r.chance(0.8), chargesLateFees: r.chance(0.3),
                firstMonth: max(created.yearMonth, options.startMonth), lastMonth: lastMonth))
        }
        // Customers entered twice under one name (a data-quality finding, not fraud).
        for k in 0..<(n / 100) {
            var twin = out.customers[(k * 37 + 11) % n]
            twin.code = out.customers.count + 1
            twin.name = twin.name.uppercased().replacingOccurrences(of: ".", with: "")
            twin.email = nil
            twin.invoicesPerMonth *= 0.1
            twin.monthlyMean *= 0.1
            twin.created = min(options.lastDay - 60, twin.created + r.int(200...600))
            twin.firstMonth = max(twin.created.yearMonth, options.startMonth)
            twin.reviewed = nil
            out.customers.append(twin)
        }
        // The story a credit manager should see: the second-largest account is deteriorating.
        let bySize = out.customers.indices.sorted { out.customers[$0].monthlyMean > out.customers[$1].monthlyMean }
        if bySize.count > 1 {
            out.customers[bySize[1]].profile = .deteriorating
            out.customers[bySize[1]].currency = base
            out.customers[bySize[1]].lastMonth = options.endMonth
        }
        if options.profile != .distributor { addProfileHabits() }
    }

    /// Habits of the wholesale and services profiles, drawn from a stream of their own (the
    /// distributor's draws are untouched).
    mutating func addProfileHabits() {
        var r = rng.fork(9)
        for c in out.customers.indices {
            let cust = out.customers[c]
            out.customers[c].accountManager = Catalog.accountManagers[cust.region]!
            switch options.profile {
            case .distributor: break
            case .wholesale:
                out.customers[c].blanketPO = cust.usesPO
                if cust.currency == base && r.chance(0.6) {
                    let k = r.int(1...3)
                    out.customers[c].catalogue = (0..<k).map { _ in r.pick(Catalog.unitPrices) * base.minorPerMajor }
                }
            case .services:
                out.customers[c].usesPO = r.chance(0.3)
                if r.chance(0.35) {
                    let first = r.int(1...12)
                    out.customers[c].seasonMonths = (0..<4).map { (first + $0 - 1) % 12 + 1 }
                } else if cust.currency == base && r.chance(0.4) {
                    let fee = max(1, (cust.monthlyMean * 0.5 / 500).rounded()) * 500
                    out.customers[c].retainer = Int64(fee) * base.minorPerMajor
                }
            }
        }
    }

    /// Who approves a credit or write-off that needs a manager.
    func approver(_ r: inout SeededRandom) -> String {
        options.profile == .distributor ? Catalog.arManager : r.pick(Catalog.approvers)
    }

    /// Who raises a customer's credit memos: a billing clerk, or in services its account manager.
    func creditRaiser(_ c: Int, _ r: inout SeededRandom) -> String {
        options.profile == .services ? out.customers[c].accountManager : r.pick(Catalog.billingClerks)
    }

    // MARK: invoices

    static let season: [Double] = [0.85, 0.9, 1.1, 1.1, 1.05, 1.0, 0.9, 0.85, 1.05, 1.15, 1.15, 0.9]

    func weight(_ c: GCustomer, _ m: YearMonth) -> Double {
        guard m >= c.firstMonth && m <= c.lastMonth else { return 0 }
        let years = Double(m.index - options.startMonth.index) / 12
        // Seasonal customers buy a year's worth in their four months.
        let seasonal: Double = c.seasonMonths.isEmpty ? 1 : c.seasonMonths.contains(m.month) ? 3 : 0
        return c.invoicesPerMonth * LedgerGenerator.season[m.month - 1] * (1 + 0.06 * years) * seasonal
    }

    /// Invoice counts per customer and month: Poisson draws, or an exact total split by
    /// weight (largest remainder) when a scale is given.
    mutating func invoiceCounts() -> [[Int]] {
        var r = rng.fork(3)
        let months = (0..<options.months).map { options.startMonth.advanced(by: $0) }
        var counts = [[Int]](repeating: [Int](repeating: 0, count: months.count), count: out.customers.count)
        if let wanted = options.invoices {
            // The injected anomalies add invoices of their own: leave room for them.
            let total = max(0, wanted - AnomalyInjector.addedInvoices(options.anomalies, wanted))
            var weights: [(Int, Int, Double)] = []
            var sum = 0.0
            for (c, cust) in out.customers.enumerated() {
                for (k, m) in months.enumerated() {
                    let w = weight(cust, m) * (0.75 + 0.5 * r.uniform())
                    weights.append((c, k, w)); sum += w
                }
            }
            var assigned = 0
            var remainders: [(Double, Int)] = []
            for (i, (c, k, w)) in weights.enumerated() {
                let exact = Double(total) * w / sum
                counts[c][k] = Int(exact)
                assigned += Int(exact)
                remainders.append((exact - Double(Int(exact)), i))
            }
            remainders.sort { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 < $1.1 }
            for j in 0..<(total - assigned) {
                let (c, k, _) = weights[remainders[j % remainders.count].1]
                counts[c][k] += 1
            }
        } else {
            for (c, cust) in out.customers.enumerated() {
                for (k, m) in months.enumerated() { counts[c][k] = r.poisson(weight(cust, m)) }
            }
        }
        return counts
    }

    mutating func makeInvoices() {
        let counts = invoiceCounts()
        var r = rng.fork(4)
        var life = rng.fork(5)
        for k in 0..<options.months {
            let m = options.startMonth.advanced(by: k)
            let years = Double(k) / 12
            if options.profile == .services { addRetainers(m, &r, &life) }
            for c in out.customers.indices where counts[c][k] > 0 {
                let cust = out.customers[c]
                for _ in 0..<counts[c][k] {
                    var usd = cust.monthlyMean / cust.invoicesPerMonth * r.lognormal(-0.08, 0.4)
                        * LedgerGenerator.season[m.month - 1] * (1 + 0.06 * years)
                    if options.profile == .services {
                        // Heavy tails: wider spread, and now and then a project many times the usual.
                        usd *= r.lognormal(-0.2, 0.6)
                        if r.chance(0.03) { usd *= min(30, 1 / Foundation.pow(max(r.uniform(), 1e-6), 0.7)) }
                    }
                    var issue = m.firstDay + r.int(0...(m.dayCount - 1))
                    if issue < cust.created { issue = min(cust.created, m.lastDay) }
                    // Invoices are raised on working days, within the month.
                    if issue.isoWeekday == 6 { issue = issue - 1 } else if issue.isoWeekday == 7 { issue = issue + 1 }
                    if issue > m.lastDay { issue = issue - 3 }
                    if issue.isoWeekday >= 6 { issue = issue - (issue.isoWeekday - 5) }
                    let sentLag = [0, 1, r.int(2...4), r.int(6...12)][r.weighted([0.75, 0.15, 0.07, 0.03])]
                    var clerk = r.pick(Catalog.billingClerks)
                    var created = LocalTimestamp(day: issue, hour: r.int(8...17), minute: r.int(0...59), second: r.int(0...59))
                    var amount = money(usd, cust.currency)
                    if !cust.catalogue.isEmpty {
                        // Quantity × a catalogue price.
                        let price = r.pick(cust.catalogue)
                        amount = max(1, Int64((Double(amount) / Double(price)).rounded())) * price
                    }
                    if options.profile == .wholesale && r.chance(0.12) {
                        // The Saturday warehouse shift bills what it ships.
                        issue = issue + (6 - issue.isoWeekday)
                        if issue > m.lastDay { issue = issue - 7 }
                        clerk = Catalog.weekendClerk
                        created = LocalTimestamp(day: issue, hour: r.int(7...14), minute: r.int(0...59), second: r.int(0...59))
                    }
                    if cust.blanketPO {
                        let po = blanketPO(c, m, &r)
                        out.invoices.append(GInvoice(customer: c, issue: issue, due: issue + cust.terms, amount: amount,
                                                     po: po, sent: issue + sentLag, createdBy: clerk, createdAt: created))
                        live(out.invoices.count - 1, &life)
                        continue
                    }
                    var po: String? = nil
                    if cust.usesPO && r.chance(0.985) {
                        out.customers[c].poCount += 1
                        po = "PO-\(cust.code)-\(out.customers[c].poCount)"
                    }
                    let inv = GInvoice(customer: c, issue: issue, due: issue + cust.terms, amount: amount,
                                       po: po, sent: issue + sentLag, createdBy: clerk, createdAt: created)
                    let index = out.invoices.count
                    out.invoices.append(inv)
                    if let po {
                        let poAmount = r.chance(0.95) ? inv.amount : inv.amount + Int64(Double(inv.amount) * r.normal(0, 0.08))
                        out.purchaseOrders.append(GPurchaseOrder(number: po, customer: c, date: issue - r.int(1...20),
                                                                 amount: max(poAmount, 1)))
                    }
                    live(index, &life)
                }
            }
        }
    }

    /// The customer's purchase order for the quarter of `m`, raised at the first invoice of the
    /// quarter for half as much again as a usual quarter's billing, in thousands.
    mutating func blanketPO(_ c: Int, _ m: YearMonth, _ r: inout SeededRandom) -> String {
        let cust = out.customers[c]
        let quarter = m.year * 4 + (m.month - 1) / 3
        let number = "PO-\(cust.code)-Q\(quarter)"
        if out.purchaseOrders.last(where: { $0.customer == c })?.number != number {
            let expected = cust.monthlyMean * 3 * 1.5 / approxRate[cust.currency]!
            let amount = Int64(max(1, (expected / 1000).rounded(.up)) * 1000) * cust.currency.minorPerMajor
            let start = YearMonth(year: m.year, month: (m.month - 1) / 3 * 3 + 1).firstDay
            out.purchaseOrders.append(GPurchaseOrder(number: number, customer: c, date: start - r.int(1...20), amount: amount))
        }
        return number
    }

    /// Services: each retainer customer's fixed fee, on the month's first working day.
    mutating func addRetainers(_ m: YearMonth, _ r: inout SeededRandom, _ life: inout SeededRandom) {
        for c in out.customers.indices {
            let cust = out.customers[c]
            guard let fee = cust.retainer, m >= cust.firstMonth, m <= cust.lastMonth else { continue }
            let issue = LedgerGenerator.businessDay(max(m.firstDay, cust.created))
            guard issue <= m.lastDay else { continue }
            out.invoices.append(GInvoice(customer: c, issue: issue, due: issue + cust.terms, amount: fee, po: nil, sent: issue,
                                         createdBy: r.pick(Catalog.billingClerks),
                                         createdAt: LocalTimestamp(day: issue, hour: r.int(8...11), minute: r.int(0...59), second: r.int(0...59))))
            live(out.invoices.count - 1, &life)
        }
    }

    // MARK: an invoice's life

    /// Days past due at payment for this customer, at this point in time.
    func daysLate(_ c: GCustomer, due: Day, _ r: inout SeededRandom) -> Int {
        let f = fraction(due)
        var d: Double
        switch c.profile {
        case .prompt: d = r.normal(-5, 3)
        case .slow: d = r.normal(9, 6)
        case .chronic: d = r.normal(40, 18) + r.exponential(10)
        case .deteriorating: d = r.normal(2 + 60 * f * f, 6 + 10 * f)
        case .seasonal: d = r.normal(-2, 4) + ([12, 1, 7, 8].contains(due.month) ? 28 : 0)
        case .erratic: d = r.chance(0.7) ? r.normal(-3, 4) : r.normal(35, 20)
        }
        if due.yearMonth == shockMonth { d += 14 }
        return max(Int(d.rounded()), -10)
    }

    mutating func live(_ i: Int, _ r: inout SeededRandom) {
        let inv = out.invoices[i]
        let c = inv.customer
        let cust = out.customers[c]
        let cur = cust.currency
        let end = options.lastDay
        var open = inv.amount
        var payDay = LedgerGenerator.businessDay(max(inv.due + daysLate(cust, due: inv.due, &r), inv.issue + 1))
        var disputeWindow: ClosedRange<Day>? = nil

        // A dispute delays payment until it is resolved, and may end in a credit.
        if r.chance(cust.profile == .chronic ? 0.08 : 0.035) {
            let opened = LedgerGenerator.businessDay(inv.issue + r.int(7...35))
            if opened <= end {
                let resolvedOn = LedgerGenerator.businessDay(opened + r.int(5...60))
                let disputed = r.chance(0.6) ? inv.amount : max(inv.amount * Int64(r.int(10...50)) / 100, 1)
                let reason = r.pick(Catalog.disputeReasons)
                let outcome = ["credited", "paid", "rejected"][r.weighted([0.45, 0.35, 0.2])]
                let resolved = resolvedOn <= end ? resolvedOn : nil
                out.disputes.append(GDispute(invoice: i, opened: opened, resolved: resolved, amount: disputed,
                                             reason: reason, outcome: resolved == nil ? nil : outcome))
                disputeWindow = opened...resolvedOn
                if outcome == "credited", resolved != nil {
                    let creditReason = reason == "pricing" ? "pricing" : reason == "damaged goods" ? "return" : "billing_error"
                    let amt = min(disputed, open)
                    addAdjustment(c, .invoice(i), resolvedOn, .creditMemo, amt, creditReason,
                                  by: creditRaiser(c, &r), approved: approver(&r))
                    open -= amt
                }
                payDay = max(payDay, LedgerGenerator.businessDay(resolvedOn + r.int(0...10)))
            }
        }

        // Credit memos for billing errors, pricing, returns and discounts.
        if open > 0 && r.chance(0.03) {
            let reason = ["billing_error", "pricing", "return", "discount"][r.weighted([0.4, 0.25, 0.2, 0.15])]
            let share: Double = reason == "billing_error" ? r.uniform() * 0.25 + 0.05
                : reason == "pricing" ? r.uniform() * 0.08 + 0.02
                : reason == "return" ? (r.chance(0.3) ? 1 : r.uniform() * 0.6 + 0.1) : 0.02
            let amt = min(open, max(Int64((Double(inv.amount) * share).rounded()), 1))
            let day = LedgerGenerator.businessDay(inv.issue + r.int(2...30))
            if day <= end {
                let big = Double(amt) / Double(cur.minorPerMajor) * approxRate[cur]! > 1000
                addAdjustment(c, .invoice(i), day, .creditMemo, amt, reason, by: creditRaiser(c, &r),
                              approved: big ? approver(&r) : nil)
                open -= amt
            }
        }

        // A freight re-bill now and then: a debit memo of its own, paid with the invoice.
        var extraDocs: [(GDoc, Int64, Day)] = []
        if r.chance(0.005) {
            let day = LedgerGenerator.businessDay(inv.issue + r.int(5...20))
            if day <= end {
                let amt = money(Double(r.int(50...400)), cur)
                let a = addAdjustment(c, .invoice(i), day, .debitMemo, amt, "freight", by: r.pick(Catalog.billingClerks), approved: nil)
                extraDocs.append((.adjustment(a), amt, day))
            }
        }

        // Contractual late fees on invoices paid (or still open) a month past due.
        let lateBy = min(payDay, end) - inv.due
        if cust.chargesLateFees && open > 0 && lateBy > 30 {
            let day = LedgerGenerator.businessDay(inv.due + 31)
            if day <= end {
                let amt = max(open * 15 / 1000, cur.minorPerMajor)
                let a = addAdjustment(c, .invoice(i), day, .lateFee, amt, nil, by: Catalog.arManager, approved: nil)
                switch r.weighted([0.6, 0.2, 0.2]) {
                case 0: extraDocs.append((.adjustment(a), amt, day))
                case 1:
                    let waived = LedgerGenerator.businessDay(day + r.int(10...30))
                    if waived <= end {
                        addAdjustment(c, .adjustment(a), waived, .creditMemo, amt, "goodwill", by: Catalog.arManager, approved: Catalog.controller)
                    }
                default: break
                }
            }
        }

        // The collection log while the invoice is overdue (not while it is in dispute).
        let neverPaid = r.chance(neverPaidChance(cust, inv.due))
        let settled = neverPaid ? Day(number: Int32.max) : payDay
        if settled > inv.due + 10 && open > 0 {
            dun(i, open, settled: settled, disputed: disputeWindow, &r)
        }

        guard open > 0 else { return }
        if neverPaid {
            let day = LedgerGenerator.businessDay(inv.due + r.int(150...240))
            if day <= end {
                addAdjustment(c, .invoice(i), day, .writeOff, open, "bad_debt", by: Catalog.arManager, approved: Catalog.controller)
            }
            return
        }

        // Payment: whole, in two parts, short by a bank fee, or a little over.
        let kind = r.weighted([0.91, 0.06, 0.02, 0.01])
        var parts: [(Day, Int64, Int64)] = []    // (day, applied, extra)
        switch kind {
        case 1:
            let first = max(open * Int64(r.int(30...70)) / 100, 1)
            let firstDay = LedgerGenerator.businessDay(max(inv.issue + 3, payDay - r.int(10...30)))
            parts = [(firstDay, first, 0), (payDay, open - first, 0)]
        case 2:
            let fee = min(money(Double(r.int(5...35)), cur), open / 2)
            parts = [(payDay, open - fee, 0)]
            let day = LedgerGenerator.businessDay(payDay + r.int(20...40))
            if day <= end && fee > 0 {
                addAdjustment(c, .invoice(i), day, .writeOff, fee, "small_balance", by: r.pick(Catalog.cashClerks), approved: Catalog.arManager)
            }
        case 3: parts = [(payDay, open, money(Double(r.int(1...50)), cur))]
        default: parts = [(payDay, open, 0)]
        }
        for (day, amount, extra) in parts where day <= end && amount > 0 {
            intents.append(GIntent(customer: c, date: day, doc: .invoice(i), amount: amount, extra: extra))
        }
        for (doc, amount, docDay) in extraDocs where payDay <= end && payDay >= docDay {
            intents.append(GIntent(customer: c, date: payDay, doc: doc, amount: amount))
        }
    }

    func neverPaidChance(_ c: GCustomer, _ due: Day) -> Double {
        switch c.profile {
        case .prompt: return 0.001
        case .slow: return 0.003
        case .chronic: return 0.03
        case .deteriorating: return 0.002 + 0.05 * fraction(due)
        case .seasonal: return 0.002
        case .erratic: return 0.01
        }
    }

    /// Reminder, call, letter, call with a promise, call, agency: each while still unpaid.
    mutating func dun(_ i: Int, _ open: Int64, settled: Day, disputed: ClosedRange<Day>?, _ r: inout SeededRandom) {
        let inv = out.invoices[i]
        let cust = out.customers[inv.customer]
        let steps: [(Int, ActivityKind, String)] = [(3, .email, "Payment reminder sent"), (16, .call, "Called AP"),
                                                    (32, .letter, "Second notice sent"), (47, .call, "Called AP"),
                                                    (80, .call, "Escalated to controller"), (110, .agency, "Placed with collection agency")]
        for (offset, kind, note) in steps {
            let day = LedgerGenerator.businessDay(inv.due + offset)
            if day >= settled || day > options.lastDay { break }
            if kind == .agency && settled != Day(number: Int32.max) { break }
            if let disputed, disputed.contains(day) { continue }
            out.activities.append(GActivity(customer: inv.customer, doc: .invoice(i), date: day, collector: cust.collector,
                                            kind: kind, promisedDate: nil, promisedAmount: nil, note: note))
            if offset == 47 && r.chance(0.6) {
                // A promise: kept when the money arrives by the promised date.
                let kept = r.chance(0.55)
                var promised = LedgerGenerator.businessDay(day + r.int(3...14))
                if kept && settled != Day(number: Int32.max) { promised = max(promised, settled) }
                if !kept && promised >= settled { promised = settled - 1 }
                if promised <= day { continue }
                out.activities.append(GActivity(customer: inv.customer, doc: .invoice(i), date: day, collector: cust.collector,
                                                kind: .promise, promisedDate: promised, promisedAmount: open,
                                                note: r.pick(Catalog.promiseNotes)))
            }
        }
    }

    @discardableResult
    mutating func addAdjustment(_ c: Int, _ doc: GDoc?, _ day: Day, _ kind: AdjustmentKind, _ amount: Int64,
                                _ reason: String?, by: String, approved: String?) -> Int {
        out.adjustments.append(GAdjustment(customer: c, doc: doc, date: day, kind: kind, amount: amount, reason: reason,
                                           createdBy: by, approvedBy: approved))
        return out.adjustments.count - 1
    }

    // MARK: payments

    /// Intents become payments: a batch payer's invoices due in the same payment run go out
    /// as one payment; everyone else pays invoice by invoice.
    mutating func formPayments() {
        var r = rng.fork(6)
        for k in intents.indices where out.customers[intents[k].customer].batchPayer {
            // Payment runs on Thursdays: the run before the intended day, unless that is
            // before the invoice could be paid (then the next run).
            let d = intents[k].date
            let back = (d.isoWeekday - 4 + 7) % 7
            var run = d - back
            let docDay: Day
            switch intents[k].doc {
            case .invoice(let i): docDay = out.invoices[i].issue + 2
            case .adjustment(let a): docDay = out.adjustments[a].date
            }
            if run < docDay { run = run + 7 }
            if run <= options.lastDay { intents[k].date = run }
        }
        let order = intents.indices.sorted { a, b in
            let x = intents[a], y = intents[b]
            if x.date != y.date { return x.date < y.date }
            if x.customer != y.customer { return x.customer < y.customer }
            return a < b
        }
        var k = 0
        while k < order.count {
            let first = intents[order[k]]
            var group = [first]
            var j = k + 1
            if out.customers[first.customer].batchPayer && first.tag < 0 {
                while j < order.count, intents[order[j]].customer == first.customer, intents[order[j]].date == first.date,
                      intents[order[j]].tag < 0 {
                    group.append(intents[order[j]]); j += 1
                }
            }
            k = j
            let cust = out.customers[first.customer]
            let method: String = {
                switch cust.segment {
                case .enterprise: return r.chance(0.6) ? "wire" : "ach"
                case .midMarket: return r.chance(0.7) ? "ach" : "check"
                case .small: return r.chance(0.5) ? "check" : "card"
                }
            }()
            let poster = first.postedBy
                ?? (options.profile == .services && r.chance(0.9) ? Catalog.cashBot : r.pick(Catalog.cashClerks))
            let lag = first.postingLag ?? [0, 1, r.int(2...3)][r.weighted([0.6, 0.3, 0.1])]
            let posted = first.date + lag
            out.payments.append(GPayment(
                customer: first.customer, received: first.date,
                amount: group.reduce(0) { $0 + $1.amount + $1.extra }, currency: cust.currency, method: method,
                namesInvoices: r.chance(0.75),
                genericReference: r.pick(["ACH CREDIT", "REMITTANCE", "PAYMENT - THANK YOU", ""]),
                posted: posted <= options.lastDay ? posted : nil, postedBy: poster,
                applications: group.map { ($0.doc, $0.amount) }, tags: group.map(\.tag).filter { $0 >= 0 }))
        }
    }
}

/// What `arlens generate` reports back.
public struct GeneratedLedgerSummary {
    let ledger: GeneratedLedger
    public var invoices: Int { ledger.invoices.count }
    public var payments: Int { ledger.payments.count }
    public var customers: Int { ledger.customers.count }
    public var anomalies: Int { ledger.truth.count }
}
