import Foundation
import ARModel

/// One account to chase today.
public struct WorklistRow: Sendable {
    public let customer: Int
    /// Overdue and not in dispute, base currency.
    public let overdue: Int64
    public let disputedOverdue: Int64
    public let balance: Int64
    public let maxDaysPastDue: Int
    public let overdueItems: Int
    public let risk: Double
    public let brokenPromises: Int
    public let priority: Double
    /// The ladder step reached (its action) and the step's index.
    public let nextAction: String
    public let step: Int
    public let reasons: [String]
    public let promises: [PromiseRecord]
    public let lastActivity: Int?
    /// Overdue items held back today (disputed, promised, suspected duplicates).
    public let holds: [Hold]
    /// The ladder steps already taken in this overdue spell (since the oldest chased item fell
    /// due), the latest of each, in ladder order: what the letter may say was sent before.
    public let history: [LadderContact]
}

/// A ladder step taken, from the activities: its index, action and date.
public struct LadderContact: Sendable, Equatable {
    public let step: Int
    public let action: String
    public let date: Day
}

/// An overdue account left off the list today, and why.
public struct WorklistSkip: Sendable {
    public let customer: Int
    public let overdue: Int64
    public let reason: String
}

public struct Worklist: Sendable {
    public let asOf: Day
    public let rows: [WorklistRow]
    public let skipped: [WorklistSkip]

    /// The last ladder step an account `days` past due owing `amount` (base minor units) may
    /// reach: the last step whose threshold is reached; large balances use scaled thresholds.
    /// The worklist's next step is the one after the last step taken (`history`), and no
    /// later than this one.
    public static func step(days: Int, amount: Int64, ladder: DunningLadder, base: Currency) -> Int? {
        let large = amount >= ladder.scaleAbove * base.minorPerMajor
        var reached: Int?
        for (k, s) in ladder.steps.enumerated() {
            let threshold = large ? max(1, Int((Double(s.days) * ladder.scaleFactor).rounded(.up))) : s.days
            if days >= threshold { reached = k }
        }
        return reached
    }

    /// The days past due at which step `k` is reached for an account owing `amount`.
    public static func threshold(_ k: Int, amount: Int64, ladder: DunningLadder, base: Currency) -> Int {
        let large = amount >= ladder.scaleAbove * base.minorPerMajor
        let s = ladder.steps[k]
        return large ? max(1, Int((Double(s.days) * ladder.scaleFactor).rounded(.up))) : s.days
    }

    /// The ladder step an activity stands for, nil for none: the highest step whose action is
    /// the activity's kind ("call"), ends in it ("collection_agency" for an `agency` activity),
    /// or is named in its note ("Second notice sent" is `second_notice`; "Payment reminder
    /// sent" is `reminder`). Promises and notes are no step.
    public static func ladderStep(kind: ActivityKind, note: String, ladder: DunningLadder) -> Int? {
        LadderMatcher(ladder).step(kind: kind, note: note)
    }

    /// `ladderStep` with the ladder's names prepared once, for a pass over many activities:
    /// ASCII case-folded bytes, no Foundation string search, nothing allocated per activity.
    struct LadderMatcher {
        let actions: [[UInt8]]
        let words: [[UInt8]]
        /// Per activity kind (by raw value), the last step its name matches, if any.
        let byKind: [Int?]

        init(_ ladder: DunningLadder) {
            let actions = ladder.steps.map { Array($0.action.lowercased().utf8) }
            self.actions = actions
            words = actions.map { $0.map { $0 == UInt8(ascii: "_") ? UInt8(ascii: " ") : $0 } }
            var byKind = [Int?](repeating: nil, count: Int(ActivityKind.allCases.map(\.rawValue).max() ?? 0) + 1)
            for kind in ActivityKind.allCases {
                let name = Array(kind.name.utf8)
                for (k, action) in actions.enumerated()
                where action == name || (action.count > name.count && action[action.count - name.count - 1] == UInt8(ascii: "_")
                                         && Array(action.suffix(name.count)) == name) {
                    byKind[Int(kind.rawValue)] = k
                }
            }
            self.byKind = byKind
        }

        static func fold(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }

        func step(kind: ActivityKind, note: String) -> Int? {
            var note = note
            return note.withUTF8 { step(kind: kind, note: $0) }
        }

        /// The step of an activity whose note is the UTF-8 `note`: the highest step its kind
        /// names, or whose words the note contains (ASCII case folded).
        func step(kind: ActivityKind, note: UnsafeBufferPointer<UInt8>) -> Int? {
            guard kind != .promise && kind != .note else { return nil }
            let named = byKind[Int(kind.rawValue)]
            var found: Int?
            for k in words.indices {
                if k == named { found = k; continue }
                let w = words[k]
                if w.isEmpty || note.isEmpty { continue }
                if LadderMatcher.contains(note, w) { found = k }
            }
            return found
        }

        /// `needle` (lower case) is in `hay`, ASCII case folded.
        static func contains(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
            guard needle.count <= hay.count else { return false }
            outer: for i in 0...(hay.count - needle.count) {
                for j in 0..<needle.count where fold(hay[i + j]) != needle[j] { continue outer }
                return true
            }
            return false
        }
    }

    /// Priority in 0…1: 35% amount overdue (log-scaled against the largest), 30% days past due
    /// (capped at 120), 20% risk score, 15% promises broken in the last year (capped at 3).
    public static func priority(overdue: Int64, largest: Int64, days: Int, risk: Double, broken: Int) -> Double {
        let a = largest > 0 ? log1p(Double(overdue)) / log1p(Double(largest)) : 0
        let p = 0.35 * a + 0.30 * Double(min(days, 120)) / 120 + 0.20 * risk / 100 + 0.15 * Double(min(broken, 3)) / 3
        return (p * 1000).rounded() / 1000
    }

    /// `holds`: the overdue items held back (default: disputes, promises and suspected
    /// duplicates from `ladder.holdDuplicatesFrom`). An account is skipped only when nothing
    /// chaseable is left.
    public init(_ book: AccountBook, scores: [CreditScore], ladder: DunningLadder, collector: String? = nil, holds: Holds? = nil) {
        let t = book.timeline, l = t.ledger
        let holds = holds ?? Holds(book, duplicatesFrom: ladder.holdDuplicatesFrom)
        asOf = book.asOf
        // Ladder steps taken, per customer, from the activities up to the date.
        let acts = l.activities
        var contacts = [[(day: Day, step: Int)]](repeating: [], count: book.customerCount)
        let matcher = LadderMatcher(ladder)
        let notes = acts.note
        notes.bytes.withUnsafeBufferPointer { text in
            for k in 0..<acts.count where acts.date[k] <= book.asOf {
                let note = UnsafeBufferPointer(rebasing: text[(k == 0 ? 0 : Int(notes.ends[k - 1]))..<Int(notes.ends[k])])
                if let s = matcher.step(kind: acts.kind[k], note: note) {
                    contacts[Int(acts.customer[k])].append((acts.date[k], s))
                }
            }
        }
        var candidates: [(Int, (amount: Int64, maxDays: Int, count: Int))] = []
        var skipped: [WorklistSkip] = []
        for c in 0..<book.customerCount {
            if let collector, l.customers.symbol(l.customers.collector[c]) != collector { continue }
            let ch = holds.chaseable(book, customer: c)
            let held = holds.held(book, customer: c)
            guard ch.amount > 0 || !held.isEmpty else { continue }
            if ch.amount <= 0 {
                skipped.append(WorklistSkip(customer: c, overdue: held.reduce(0) { $0 + $1.openBase }, reason: Worklist.heldReason(held)))
            } else if book.balance[c] <= 0 {
                skipped.append(WorklistSkip(customer: c, overdue: ch.amount, reason: "unapplied cash or credits cover the balance; apply them"))
            } else if book.credits[c].reduce(0, { $0 + $1.openBase }) >= ch.amount {
                skipped.append(WorklistSkip(customer: c, overdue: ch.amount, reason: "unapplied cash or credits cover the overdue items; apply them"))
            } else {
                candidates.append((c, ch))
            }
        }
        let largest = candidates.map { $0.1.amount }.max() ?? 0
        var rows: [WorklistRow] = []
        for (c, ch) in candidates {
            // The spell began when the oldest chased item fell due: steps taken since then count.
            let spell = holds.chaseableItems(book, customer: c).map(\.due).min() ?? book.asOf
            var latest: [Int: Day] = [:]
            for x in contacts[c] where x.day > spell { latest[x.step] = max(latest[x.step] ?? x.day, x.day) }
            let history = latest.keys.sorted().map { LadderContact(step: $0, action: ladder.steps[$0].action, date: latest[$0]!) }
            let reached = Worklist.step(days: ch.maxDays, amount: ch.amount, ladder: ladder, base: t.base)
            // The step after the last one taken (the last step repeats), or the step the days
            // reach when arlens.yml allows skipping; never before the days reach it.
            var k = history.last.map { min($0.step + 1, ladder.steps.count - 1) } ?? 0
            if ladder.skipSteps, let r = reached { k = max(k, r) }
            guard let r = reached, r >= k else {
                let reason: String
                if let last = history.last {
                    let next = ladder.steps[k].action.replacingOccurrences(of: "_", with: " ")
                    reason = "\(last.action.replacingOccurrences(of: "_", with: " ")) on \(last.date); \(next) from \(Worklist.threshold(k, amount: ch.amount, ladder: ladder, base: t.base)) days past due (now \(ch.maxDays))"
                } else {
                    reason = "not yet at the first step of the dunning ladder"
                }
                skipped.append(WorklistSkip(customer: c, overdue: ch.amount, reason: reason))
                continue
            }
            let broken = book.brokenPromises(c)
            let risk = scores[c].score
            var reasons = ["\(ch.count) overdue item\(ch.count == 1 ? "" : "s"), oldest \(ch.maxDays) days past due"]
            if ch.amount >= ladder.scaleAbove * t.base.minorPerMajor { reasons.append("large balance: the ladder escalates sooner") }
            if broken > 0 { reasons.append("\(broken) broken promise\(broken == 1 ? "" : "s") in the last year") }
            if risk >= 30 { reasons.append("risk score \(risk) (\(scores[c].band))") }
            reasons += scores[c].reasons.filter { _ in risk >= 30 }
            let hs = holds.held(book, customer: c)
            let disputed = hs.filter { $0.kind == .dispute }.reduce(0) { $0 + $1.openBase }
            if disputed > 0 { reasons.append("\(Money.decimalString(disputed, digits: t.base.minorDigits, grouping: ",")) in dispute held back") }
            for kind in [Hold.Kind.promise, .duplicate] {
                let h = hs.filter { $0.kind == kind }
                guard !h.isEmpty else { continue }
                let sum = Money.decimalString(h.reduce(0) { $0 + $1.openBase }, digits: t.base.minorDigits, grouping: ",")
                reasons.append("\(sum) held back: " + h.map { "\($0.document) \($0.reason)" }.joined(separator: "; "))
            }
            rows.append(WorklistRow(customer: c, overdue: ch.amount, disputedOverdue: disputed, balance: book.balance[c],
                                    maxDaysPastDue: ch.maxDays, overdueItems: ch.count, risk: risk, brokenPromises: broken,
                                    priority: Worklist.priority(overdue: ch.amount, largest: largest, days: ch.maxDays, risk: risk, broken: broken),
                                    nextAction: ladder.steps[k].action, step: k, reasons: reasons,
                                    promises: book.promises[c], lastActivity: book.lastActivity[c], holds: hs, history: history))
        }
        let ids = l.customers.ids
        self.rows = rows.sorted { a, b in
            a.priority != b.priority ? a.priority > b.priority : a.overdue != b.overdue ? a.overdue > b.overdue : ids[Int32(a.customer)] < ids[Int32(b.customer)]
        }
        self.skipped = skipped.sorted { ids[Int32($0.customer)] < ids[Int32($1.customer)] }
    }

    /// Why an account with every overdue item held is skipped: "all overdue items are in
    /// dispute", the promise when one promise holds them all, else each item and its hold.
    public static func heldReason(_ held: [Hold]) -> String {
        let kinds = Set(held.map(\.kind)), reasons = Set(held.map(\.reason))
        if kinds == [.dispute] { return "all overdue items are in dispute" }
        if kinds == [.promise] && reasons.count == 1 { return reasons.first! }
        return "all overdue items held: " + held.map { "\($0.document) \($0.reason)" }.joined(separator: "; ")
    }

    /// Accounts per next action, in ladder order, with their overdue total.
    public func byAction(_ ladder: DunningLadder) -> [(action: String, accounts: Int, overdue: Int64)] {
        ladder.steps.enumerated().compactMap { k, s in
            let r = rows.filter { $0.step == k }
            return r.isEmpty ? nil : (s.action, r.count, r.reduce(0) { $0 + $1.overdue })
        }
    }
}
