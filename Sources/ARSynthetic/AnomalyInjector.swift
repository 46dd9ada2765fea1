import ARModel

/// Plants the patterns an auditor looks for, each recorded in the truth list with every
/// document involved: duplicate and near-duplicate invoices, a PO billed twice, duplicate
/// payments, fabricated invoices (round or just-under-threshold amounts), credits right
/// after a payment, self-approved and concentrated write-offs, lapping with a growing
/// posting lag, and entries at night or at weekends.
struct AnomalyInjector {
    let level: GeneratorOptions.AnomalyLevel
    var r: SeededRandom = SeededRandom(seed: 0)
    /// The approval threshold fabricated amounts stay just under.
    static let approvalThreshold: Int64 = 10_000_00
    static let fraudster = "tbrooks"
    static let nightOwl = "akhan"
    static let cashThief = "jpark"

    /// How many of each kind to plant.
    let n: Int

    init(level: GeneratorOptions.AnomalyLevel, invoices: Int) {
        self.level = level
        n = AnomalyInjector.count(level, invoices)
    }

    static func count(_ level: GeneratorOptions.AnomalyLevel, _ invoices: Int) -> Int {
        switch level {
        case .none: return 0
        case .some: return max(1, invoices / 2500)
        case .many: return max(3, invoices / 500)
        }
    }

    /// Invoices the injector adds: n exact, 2n near and n PO duplicates, 4n fabricated.
    static func addedInvoices(_ level: GeneratorOptions.AnomalyLevel, _ invoices: Int) -> Int {
        8 * count(level, invoices)
    }

    /// Candidate invoices: in the base currency, not in the last days of the ledger.
    func candidates(_ g: LedgerGenerator) -> [Int] {
        g.out.invoices.indices.filter { i in
            let inv = g.out.invoices[i]
            return g.out.customers[inv.customer].currency == g.base && inv.issue < g.options.lastDay - 45
        }
    }

    mutating func injectBeforePayments(_ g: inout LedgerGenerator) {
        guard n > 0 else { return }
        r = g.rng.fork(7)
        var pool = candidates(g)
        guard pool.count > 50 else { return }
        var used = Set<Int>()
        func take(_ ok: (Int) -> Bool = { _ in true }) -> Int? {
            for _ in 0..<400 {
                let i = pool[r.int(0...(pool.count - 1))]
                if !used.contains(i) && ok(i) { used.insert(i); return i }
            }
            return nil
        }
        // Invoice intents by invoice, to find how each was paid.
        var paidBy: [Int: [Int]] = [:]
        for (k, x) in g.intents.enumerated() { if case .invoice(let i) = x.doc { paidBy[i, default: []].append(k) } }
        func fullyPaidOnce(_ i: Int) -> Bool {
            guard let ks = paidBy[i], ks.count == 1 else { return false }
            let x = g.intents[ks[0]]
            return x.amount == g.out.invoices[i].amount && x.extra == 0 && !g.out.customers[x.customer].batchPayer
        }

        // Exact duplicates: the same invoice entered twice.
        for _ in 0..<n {
            guard let i = take() else { break }
            var dup = g.out.invoices[i]
            dup.createdAt = LocalTimestamp(seconds: dup.createdAt.seconds + Int64(r.int(60...3600)))
            g.out.invoices.append(dup)
            record(&g, .duplicateInvoice, [.invoice(i), .invoice(g.out.invoices.count - 1)], [dup.customer],
                   "the same invoice entered twice: same customer, amount and date")
        }
        // Near duplicates: a suffix, transposed digits, or a re-keyed amount.
        for k in 0..<(2 * n) {
            guard let i = take() else { break }
            var dup = g.out.invoices[i]
            let note: String
            switch k % 3 {
            case 0 where g.options.profile != .distributor:
                dup.numberVariant = .prefix(of: i)
                dup.issue = LedgerGenerator.businessDay(dup.issue + r.int(1...10))
                note = "re-entered with a prefix on the invoice number"
            case 0:
                dup.numberVariant = .suffix(of: i)
                dup.issue = LedgerGenerator.businessDay(dup.issue + r.int(1...10))
                note = "re-entered with a suffix on the invoice number"
            case 1:
                dup.numberVariant = .transposed(of: i)
                dup.issue = LedgerGenerator.businessDay(dup.issue + r.int(0...5))
                note = "re-entered with two digits of the invoice number transposed"
            default:
                let digits = Array(String(dup.amount))
                guard digits.count >= 4 else { continue }
                var d = digits
                let at = r.int(0...(digits.count - 4))
                // Two equal digits swapped change nothing: the next pair that differs is the one
                // swapped. Only an amount without two different neighbours gets a wrong digit.
                if let k = (0..<(digits.count - 1)).map({ (at + $0) % (digits.count - 1) }).first(where: { d[$0] != d[$0 + 1] }) {
                    d.swapAt(k, k + 1)
                    note = "re-keyed with two digits of the amount transposed"
                } else {
                    d[at + 1] = d[at] == "9" ? "8" : "9"
                    note = "re-keyed with one digit of the amount wrong"
                }
                dup.amount = Int64(String(d))!
            }
            dup.due = dup.issue + g.out.customers[dup.customer].terms
            dup.sent = dup.issue
            dup.createdAt = LocalTimestamp(day: dup.issue, hour: r.int(8...17), minute: r.int(0...59))
            g.out.invoices.append(dup)
            record(&g, .nearDuplicateInvoice, [.invoice(i), .invoice(g.out.invoices.count - 1)], [dup.customer], note)
        }
        // The same purchase order billed twice. In the distributor (one PO per invoice) the
        // second invoice bills the PO again for another amount, beyond the PO's. Elsewhere a
        // delivery is billed again on its PO: the same amount, days later. Not at a customer
        // whose amounts repeat anyway (catalogue prices, retainers): there the same amount on a
        // blanket PO within its amount is a repeat order as far as the ledger can tell.
        let distributor = g.options.profile == .distributor
        for _ in 0..<n {
            guard let i = take({ g.out.invoices[$0].po != nil && (distributor
                || (g.out.customers[g.out.invoices[$0].customer].catalogue.isEmpty && g.out.customers[g.out.invoices[$0].customer].retainer == nil))
            }) else { break }
            var dup = g.out.invoices[i]
            if distributor {
                dup.amount = max(dup.amount * Int64(r.int(50...150)) / 100, 100)
                dup.issue = LedgerGenerator.businessDay(dup.issue + r.int(5...30))
            } else {
                dup.issue = LedgerGenerator.businessDay(dup.issue + r.int(2...20))
            }
            dup.due = dup.issue + g.out.customers[dup.customer].terms
            dup.sent = dup.issue
            dup.createdAt = LocalTimestamp(day: dup.issue, hour: r.int(8...17), minute: r.int(0...59))
            g.out.invoices.append(dup)
            record(&g, .duplicatePO, [.invoice(i), .invoice(g.out.invoices.count - 1)], [dup.customer],
                   "purchase order \(dup.po!) billed on two invoices")
        }
        // Fabricated invoices by one user: round or just-under-threshold amounts, no PO,
        // later credited or written off by the same user. Eight to a customer: two customers in
        // a ledger of up to 15,000 invoices, one more for every 5,000 invoices beyond (200 in a
        // million), so that a large ledger's fabricated invoices are not most of two customers'
        // history.
        let victims = (0..<max(2, n / 2)).compactMap { _ in take() }.map { g.out.invoices[$0].customer }
        for k in 0..<(4 * n) where !victims.isEmpty {
            let c = victims[k % victims.count]
            let cust = g.out.customers[c]
            let amount: Int64 = k % 2 == 0
                ? [2_500_00, 4_000_00, 5_000_00, 7_500_00, 10_000_00][r.int(0...4)]
                : AnomalyInjector.approvalThreshold - Int64(r.int(1...150)) * 100
            let issue = LedgerGenerator.businessDay(g.options.lastDay - r.int(60...360))
            g.out.invoices.append(GInvoice(customer: c, issue: issue, due: issue + cust.terms, amount: amount, po: nil,
                                           sent: issue, createdBy: AnomalyInjector.fraudster,
                                           createdAt: LocalTimestamp(day: issue, hour: r.int(9...17), minute: r.int(0...59))))
            let inv = g.out.invoices.count - 1
            var docs: [GRef] = [.invoice(inv)]
            let creditDay = LedgerGenerator.businessDay(issue + r.int(15...45))
            if creditDay <= g.options.lastDay {
                let a = g.addAdjustment(c, .invoice(inv), creditDay, r.chance(0.5) ? .creditMemo : .writeOff, amount,
                                        "billing_error", by: AnomalyInjector.fraudster, approved: nil)
                docs.append(.adjustment(a))
            }
            record(&g, .fabricatedInvoice, docs, [c], "entered by \(AnomalyInjector.fraudster) with a round or just-under-threshold amount and no PO, then cleared by a credit")
        }
        // Entries at night or at the weekend.
        let owl = pool.filter { g.out.invoices[$0].createdBy == AnomalyInjector.nightOwl && !used.contains($0) }
        for k in 0..<min(2 * n, owl.count) {
            let i = owl[(k * 7919) % owl.count]
            if used.contains(i) { continue }
            used.insert(i)
            let day = g.out.invoices[i].issue
            g.out.invoices[i].createdAt = k % 2 == 0
                ? LocalTimestamp(day: day, hour: [22, 23, 1, 2, 3][r.int(0...4)], minute: r.int(0...59))
                : LocalTimestamp(day: day + (6 - day.isoWeekday + 7) % 7, hour: r.int(10...16), minute: r.int(0...59))
            record(&g, .offHoursEntry, [.invoice(i)], [g.out.invoices[i].customer],
                   k % 2 == 0 ? "entered at night" : "entered on a Saturday")
        }
        // A credit memo right after a payment: the payment recorded short, the rest credited.
        for _ in 0..<n {
            guard let i = take(fullyPaidOnce), let k = paidBy[i]?.first else { break }
            let inv = g.out.invoices[i]
            let paidDay = g.intents[k].date
            let creditDay = paidDay + r.int(1...3)
            guard creditDay <= g.options.lastDay else { continue }
            let recorded = inv.amount * Int64(r.int(60...90)) / 100
            g.intents[k].amount = recorded
            // In the other profiles the credit comes from someone who never posts cash.
            let by = g.options.profile == .distributor ? AnomalyInjector.cashThief
                : g.options.profile == .services ? g.out.customers[inv.customer].accountManager : "mruiz"
            let a = g.addAdjustment(inv.customer, .invoice(i), creditDay, .creditMemo, inv.amount - recorded, "discount",
                                    by: by, approved: nil)
            g.intents[k].tag = record(&g, .creditAfterPayment, [.invoice(i), .adjustment(a)], [inv.customer],
                                      "payment posted short and the rest credited \(creditDay - paidDay) days later")
        }
        // Write-offs approved by their creator, and many more by the same user.
        var concentrated: [GRef] = []
        var concentratedCustomers: [Int] = []
        for k in 0..<(3 * n) {
            guard let i = take({ i in
                guard fullyPaidOnce(i), let ks = paidBy[i] else { return false }
                return g.intents[ks[0]].date > g.out.invoices[i].due + 45
            }) else { break }
            let inv = g.out.invoices[i]
            let day = LedgerGenerator.businessDay(inv.due + r.int(40...60))
            guard day <= g.options.lastDay else { continue }
            g.intents[paidBy[i]![0]].amount = 0     // never paid: written off instead
            let selfApproved = k < n
            let a = g.addAdjustment(inv.customer, .invoice(i), day, .writeOff, inv.amount, "bad_debt",
                                    by: AnomalyInjector.cashThief, approved: selfApproved ? AnomalyInjector.cashThief : nil)
            if selfApproved {
                record(&g, .selfApprovedWriteOff, [.invoice(i), .adjustment(a)], [inv.customer],
                       "written off by \(AnomalyInjector.cashThief) and approved by the same user")
            }
            concentrated += [.invoice(i), .adjustment(a)]
            concentratedCustomers.append(inv.customer)
        }
        if !concentrated.isEmpty {
            record(&g, .concentratedWriteOffs, concentrated, Array(Set(concentratedCustomers)).sorted(),
                   "write-offs concentrated on \(AnomalyInjector.cashThief), several without approval")
        }
        g.intents.removeAll { $0.amount == 0 }
        paidBy = [:]
        for (k, x) in g.intents.enumerated() { if case .invoice(let i) = x.doc { paidBy[i, default: []].append(k) } }

        // Lapping: one customer's payment is stolen; the next customer's payment covers it,
        // and so on, each posted later than the last by the same clerk.
        // Five customers in the distributor, three elsewhere (twice as many chains).
        let chainLength = g.options.profile == .distributor ? 5 : 3
        for chainNumber in 0..<(g.options.profile == .distributor ? max(1, n / 2) : max(1, n)) {
            var chain: [Int] = []
            // Chains start 20 days apart from eleven months before the end, eight of them, then
            // again from the first (a large ledger has many chains running side by side; one
            // starting later would not find five payments in a row before the end).
            var lastDay = g.options.lastDay - 330 + (chainNumber % 8) * 20
            var customersSeen = Set<Int>()
            pool.shuffle(using: &r)
            for i in pool where chain.count < chainLength && !used.contains(i) && fullyPaidOnce(i) {
                let k = paidBy[i]![0]
                let x = g.intents[k]
                guard x.date > lastDay + 20, x.date < lastDay + 60, !customersSeen.contains(x.customer) else { continue }
                chain.append(i); used.insert(i); customersSeen.insert(x.customer); lastDay = x.date
            }
            guard chain.count == chainLength else { break }
            let t = record(&g, .lapping, chain.map { .invoice($0) }, chain.map { g.out.invoices[$0].customer },
                           "each customer's payment applied to the previous customer's invoice; posting lag grows")
            for (step, i) in chain.enumerated() {
                let k = paidBy[i]![0]
                if step == 0 { g.intents[k].amount = 0; continue }       // stolen: never recorded
                let previous = chain[step - 1]
                let applied = min(g.intents[k].amount, g.out.invoices[previous].amount)
                g.intents[k].extra = g.intents[k].amount - applied
                g.intents[k].amount = applied
                g.intents[k].doc = .invoice(previous)
                g.intents[k].tag = t
                g.intents[k].postedBy = AnomalyInjector.cashThief
                g.intents[k].postingLag = [0, 3, 7, 12, 18][step]
            }
            g.intents.removeAll { $0.amount == 0 && $0.extra == 0 }
            paidBy = [:]
            for (k, x) in g.intents.enumerated() { if case .invoice(let i) = x.doc { paidBy[i, default: []].append(k) } }
        }
        _ = pool
    }

    mutating func injectAfterPayments(_ g: inout LedgerGenerator) {
        // Payments that carry a tagged intent belong to that anomaly.
        for (p, pay) in g.out.payments.enumerated() {
            for t in Set(pay.tags) { g.out.truth[t].docs.append(.payment(p)) }
        }
        guard n > 0 else { return }
        // The same payment recorded twice.
        let singles = g.out.payments.indices.filter { p in
            let pay = g.out.payments[p]
            return pay.tags.isEmpty && pay.applications.count == 1 && pay.currency == g.base
                && pay.received < g.options.lastDay - 10
        }
        guard !singles.isEmpty else { return }
        for k in 0..<n {
            let p = singles[(k * 104_729 + 17) % singles.count]
            var dup = g.out.payments[p]
            dup.received = dup.received + r.int(0...2)
            dup.posted = dup.posted.map { $0 + r.int(0...2) }
            dup.applications = []
            dup.referenceOf = p
            g.out.payments.append(dup)
            record(&g, .duplicatePayment, [.payment(p), .payment(g.out.payments.count - 1)], [dup.customer],
                   "the same remittance recorded twice; the second stays unapplied")
        }
    }

    @discardableResult
    mutating func record(_ g: inout LedgerGenerator, _ kind: AnomalyKind, _ docs: [GRef], _ customers: [Int], _ note: String) -> Int {
        g.out.truth.append(GTruth(kind: kind, docs: docs, customers: customers, note: note))
        return g.out.truth.count - 1
    }
}
