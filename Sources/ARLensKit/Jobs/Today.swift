import ARAnalytics
import ARModel
import AROutput
import Foundation

extension Workspace {
    /// The clerk's morning screen for `date` (default: the ledger's last date). `top`: how
    /// many worklist accounts to show.
    public func today(date: Day?, top: Int = 10) throws -> TodayView {
        guard top >= 1 else { throw ARLensError.usage("--top must be 1 or more") }
        let d = try asOf(date)
        let prev = ClerkCalendar.previousWorkingDay(d)
        let t = timeline, l = ledger
        let spans: [(String, Day)] = [("day", d), ("week to date", ClerkCalendar.weekStart(d)), ("month to date", d.yearMonth.firstDay)]
        let prevDay = max(prev, timeline.firstDay)
        // Each span's cash forecast is made the day before the span; the account books are
        // of today and the previous working day. One sweep walks the ledger once, stopping at
        // each of these dates (its state there handed to the work of that date), and marks the
        // invoices overdue and open on either book date: the only ones a duplicate hold can be for.
        let origins = Array(Set(spans.map { $0.1 - 1 })).sorted()
        let weeksFor = Dictionary(grouping: spans, by: { $0.1 - 1 }).mapValues { s in s.map { (d - $0.1 + 7) / 7 }.max()! }
        let bookDays = Array(Set([prevDay, d])).sorted()
        // The long parts run on the available cores as their inputs become ready: each
        // forecast once the sweep reaches its origin; then the duplicate findings behind the
        // holds, and the account books of both days (which share one index of payments).
        enum Part { case duplicates([AnomalyFinding]), forecast(Day, CashForecast), book(Day, AccountBook), payments(PaymentIndex) }
        let jobs = Jobs<Part>()
        jobs.start { .payments(PaymentIndex(l)) }
        var sweep = AccountBook.sweep(t, month: d.yearMonth)
        var atBookDay: [Day: BalanceSweep] = [:]
        var later = [Bool](repeating: false, count: t.invoiceCount)
        for stop in Set(origins + bookDays).sorted() {
            sweep.advance(through: stop)
            if let weeks = weeksFor[stop] {
                let state = sweep
                jobs.start { var s = state; return .forecast(stop, CashForecast.make(t, sweep: &s, weeks: weeks)) }
            }
            if bookDays.contains(stop) {
                for s32 in sweep.openDocuments() where Int(s32) < t.invoiceCount {
                    let s = Int(s32)
                    if sweep.docOpen[s] > 0 && t.docDue[s] < stop { later[s] = true }
                }
                atBookDay[stop] = sweep
            }
        }
        sweep = AccountBook.sweep(t, month: d.yearMonth)
        let duplicatesFor = later
        jobs.start { .duplicates(Holds.duplicates(t, through: d, later: duplicatesFor)) }
        let payments = jobs.first { if case .payments(let p) = $0 { return p } else { return nil } }
        for b in bookDays {
            let state = atBookDay[b]!
            jobs.start { var s = state; return .book(b, AccountBook(t, sweep: &s, payments: payments)) }
        }
        atBookDay = [:]
        var findings: [AnomalyFinding] = [], forecasts: [Day: CashForecast] = [:], books: [Day: AccountBook] = [:]
        for p in jobs.results() {
            switch p {
            case .duplicates(let f): findings = f
            case .forecast(let o, let f): forecasts[o] = f
            case .book(let b, let k): books[b] = k
            case .payments: break
            }
        }
        let ids = l.invoices.ids
        let findingsBefore = findings.filter { f in
            f.documents.count == 2 && ids.find(f.documents[1]).map { l.invoices.issueDate[Int($0)] <= prevDay } ?? false
        }
        // Both days' desks and worklists.
        let desks = inParallel([{ self.desk(book: books[d]!, duplicates: findings) }, { self.desk(book: books[prevDay]!, duplicates: findingsBefore) }]
            .map { make in { () -> (CollectionsDesk, Worklist) in let k = make(); return (k, k.worklist()) } })
        let (desk, now) = desks[0], then = desks[1].1
        let book = desk.book
        let cu = l.customers
        func id(_ c: Int) -> String { cu.ids[Int32(c)] }

        // Cash: received against the forecast made the day before the span, and last month.
        func received(_ a: Day, _ b: Day) -> Int64 {
            var s: Int64 = 0
            for p in 0..<l.payments.count where l.payments.receivedDate[p] >= a && l.payments.receivedDate[p] <= b { s += t.payBase[p] }
            return s
        }
        func forecast(_ a: Day, _ b: Day) -> Int64 {
            let days = b - a + 1
            let weeks = (days + 6) / 7
            let f = forecasts[a - 1]!
            var x = 0.0
            for k in 0..<weeks where k < f.weeks.count {
                let inWeek = min(7, days - 7 * k)
                x += f.weeks[k].expected * Double(inWeek) / 7
            }
            return Int64((x * Double(t.base.minorPerMajor)).rounded())
        }
        let cash = spans.map { name, a -> TodayView.Cash in
            let la = name == "month to date" ? ClerkCalendar.monthBefore(d).yearMonth.firstDay : ClerkCalendar.monthBefore(a)
            let lb = ClerkCalendar.monthBefore(d)
            return TodayView.Cash(span: name, from: a, to: d, received: received(a, d), forecast: forecast(a, d),
                                  lastMonthFrom: la, lastMonthTo: lb, lastMonth: received(la, lb))
        }

        // Promises due today, and broken since the previous working day.
        var due: [TodayView.Promise] = [], broken: [TodayView.Promise] = []
        for (c, ps) in book.promises.enumerated() {
            for p in ps {
                let x = TodayView.Promise(customer: id(c), made: p.made, due: p.due, amount: p.amount, currency: cu.currency[c], status: p.status.rawValue)
                if p.due == d { due.append(x) }
                if p.due >= prev && p.due < d && p.status == .broken { broken.append(x) }
            }
        }

        // Invoices whose first day overdue falls after the previous working day.
        var overdue: [TodayView.Item] = []
        for (c, items) in book.items.enumerated() {
            for i in items where i.due >= prev && i.due < d {
                overdue.append(TodayView.Item(customer: id(c), document: i.document, due: i.due, openBase: i.openBase, detail: i.disputed ? "in dispute" : ""))
            }
        }

        // Disputes opened and resolved after the previous working day.
        var opened: [TodayView.Item] = [], resolved: [TodayView.Item] = []
        let ds = l.disputes
        for k in 0..<ds.count where !ds.document[k].isNone {
            let s = t.slot(ds.document[k])
            let doc = s < t.invoiceCount ? l.invoices.ids[Int32(s)] : l.adjustments.ids[Int32(s - t.invoiceCount)]
            let reason = ds.reason[k] >= 0 ? ds.symbols[ds.reason[k]] : ""
            let amount = ds.amount[k].map { t.docBase(s, open: $0) } ?? t.docBase[s]
            if ds.openedDate[k] > prev && ds.openedDate[k] <= d {
                opened.append(TodayView.Item(customer: id(Int(t.docCustomer[s])), document: doc, due: ds.openedDate[k], openBase: amount,
                                             detail: [ds.ids[Int32(k)], reason].filter { !$0.isEmpty }.joined(separator: ", ")))
            }
            if let r = ds.resolvedDate[k], r > prev && r <= d {
                let outcome = ds.outcome[k] >= 0 ? ds.symbols[ds.outcome[k]] : "resolved"
                resolved.append(TodayView.Item(customer: id(Int(t.docCustomer[s])), document: doc, due: r, openBase: amount,
                                               detail: "\(ds.ids[Int32(k)]): \(outcome)"))
            }
        }

        // The worklist today against the previous working day's.
        var rankThen: [Int: Int] = [:]
        for (k, r) in then.rows.enumerated() { rankThen[r.customer] = k + 1 }
        var onNow = Set<Int>()
        for r in now.rows { onNow.insert(r.customer) }
        let topRows = now.rows.prefix(top).enumerated().map { k, r -> TodayView.Account in
            let rank = k + 1
            let change: String
            if let old = rankThen[r.customer] {
                change = old > rank ? "up \(old - rank)" : old < rank ? "down \(rank - old)" : "same"
            } else {
                change = "new"
            }
            return TodayView.Account(rank: rank, customer: id(r.customer), name: cu.name[r.customer], overdue: r.overdue,
                                     days: r.maxDaysPastDue, action: r.nextAction, change: change, previousRank: rankThen[r.customer])
        }
        var gone: [TodayView.Account] = []
        for (k, r) in then.rows.prefix(top).enumerated() where !onNow.contains(r.customer) {
            let why = now.skipped.first { $0.customer == r.customer }?.reason ?? "nothing overdue to chase"
            gone.append(TodayView.Account(rank: k + 1, customer: id(r.customer), name: cu.name[r.customer], overdue: r.overdue,
                                          days: r.maxDaysPastDue, action: r.nextAction, change: why, previousRank: k + 1))
        }

        // Unapplied cash: payments received with a part not applied.
        let waiting = book.credits.flatMap { $0.filter { $0.kind == .payment } }
        return TodayView(workspace: self, date: d, previous: prev, cash: cash, promisesDue: due, promisesBroken: broken,
                         becameOverdue: overdue.sorted { ($0.due, $0.document) < ($1.due, $1.document) },
                         disputesOpened: opened.sorted { ($0.due, $0.document) < ($1.due, $1.document) },
                         disputesResolved: resolved.sorted { ($0.due, $0.document) < ($1.due, $1.document) },
                         worklistAccounts: now.rows.count, worklistOverdue: now.rows.reduce(0) { $0 + $1.overdue }, top: topRows, resolved: gone,
                         unapplied: waiting.reduce(0) { $0 + $1.openBase }, unappliedPayments: waiting.count,
                         oldestUnapplied: waiting.map(\.date).min())
    }
}

/// The clerk's day: cash against forecast and last month, promises, new overdue items,
/// disputes, the worklist's movers, unapplied cash. Base-currency amounts unless a currency
/// is named.
public struct TodayView: TabularResult {
    public struct Cash: Sendable {
        public let span: String
        public let from: Day, to: Day
        public let received: Int64
        public let forecast: Int64
        public let lastMonthFrom: Day, lastMonthTo: Day
        public let lastMonth: Int64
    }
    public struct Promise: Sendable {
        public let customer: String
        public let made: Day, due: Day
        /// In the customer's currency.
        public let amount: Int64
        public let currency: Currency
        public let status: String
    }
    /// An invoice (or dispute) and a day: its due date, or the dispute's date.
    public struct Item: Sendable {
        public let customer: String
        public let document: String
        public let due: Day
        public let openBase: Int64
        public let detail: String
    }
    public struct Account: Sendable {
        public let rank: Int
        public let customer: String
        public let name: String
        public let overdue: Int64
        public let days: Int
        public let action: String
        /// new, up N, down N, same; for an account off the list, why.
        public let change: String
        public let previousRank: Int?
    }

    let workspace: Workspace
    public let date: Day
    /// The previous working day: events after it count as today's.
    public let previous: Day
    public let cash: [Cash]
    public let promisesDue: [Promise]
    public let promisesBroken: [Promise]
    public let becameOverdue: [Item]
    public let disputesOpened: [Item]
    public let disputesResolved: [Item]
    public let worklistAccounts: Int
    public let worklistOverdue: Int64
    public let top: [Account]
    /// Accounts in the previous working day's top that are off the worklist today.
    public let resolved: [Account]
    public let unapplied: Int64
    public let unappliedPayments: Int
    public let oldestUnapplied: Day?

    func m(_ v: Int64, grouped: Bool = false) -> String { workspace.money(v, grouped: grouped) }
    /// A promised amount in its own currency, grouped in the table like every other amount.
    func pm(_ p: Promise, grouped: Bool = false) -> String {
        Money.decimalString(p.amount, digits: p.currency.minorDigits, grouping: grouped ? "," : nil)
    }
    var since: String { date - previous == 1 ? "today" : "since \(previous)" }

    public var json: JSONValue {
        func items(_ xs: [Item], _ dayName: String) -> JSONValue {
            .array(xs.map { .object([("customer_id", .string($0.customer)), ("document", .string($0.document)), (dayName, .string($0.due.description)),
                                     ("amount", .string(m($0.openBase))), ("detail", .string($0.detail))]) })
        }
        func promises(_ xs: [Promise]) -> JSONValue {
            .array(xs.map { .object([("customer_id", .string($0.customer)), ("made", .string($0.made.description)), ("due", .string($0.due.description)),
                                     ("amount", .string(pm($0))), ("currency", .string($0.currency.code)), ("status", .string($0.status))]) })
        }
        func accounts(_ xs: [Account]) -> JSONValue {
            .array(xs.map { .object([("rank", .int($0.rank)), ("customer_id", .string($0.customer)), ("name", .string($0.name)),
                                     ("overdue", .string(m($0.overdue))), ("max_days_past_due", .int($0.days)), ("next_action", .string($0.action)),
                                     ("change", .string($0.change)), ("previous_rank", $0.previousRank.map { .int($0) } ?? .null)]) })
        }
        return .object([
            ("date", .string(date.description)), ("previous_working_day", .string(previous.description)),
            ("currency", .string(workspace.base.code)),
            ("cash", .array(cash.map { c in
                .object([("span", .string(c.span)), ("from", .string(c.from.description)), ("to", .string(c.to.description)),
                         ("received", .string(m(c.received))), ("forecast", .string(m(c.forecast))),
                         ("last_month_from", .string(c.lastMonthFrom.description)), ("last_month_to", .string(c.lastMonthTo.description)),
                         ("last_month", .string(m(c.lastMonth)))])
            })),
            ("promises_due", promises(promisesDue)), ("promises_broken", promises(promisesBroken)),
            ("became_overdue", items(becameOverdue, "due_date")),
            ("disputes_opened", items(disputesOpened, "date")), ("disputes_resolved", items(disputesResolved, "date")),
            ("worklist", .object([("accounts", .int(worklistAccounts)), ("overdue", .string(m(worklistOverdue))),
                                  ("top", accounts(top)), ("off_the_list", accounts(resolved))])),
            ("unapplied_cash", .object([("amount", .string(m(unapplied))), ("payments", .int(unappliedPayments)),
                                        ("oldest", .optional(oldestUnapplied?.description))])),
        ])
    }

    /// One row per figure or item: section, what, customer, document, date, amount, forecast,
    /// last month, detail.
    public var csv: String {
        var w = CSVWriter(header: ["section", "item", "customer_id", "document", "date", "amount", "forecast", "last_month", "detail"])
        func n(_ v: Int64) -> CSVWriter.Cell { .number(m(v)) }
        for c in cash {
            w.addRow([.text("cash"), .text(c.span), .empty, .empty, .text("\(c.from)..\(c.to)"), n(c.received), n(c.forecast), n(c.lastMonth),
                      .text("last month \(c.lastMonthFrom)..\(c.lastMonthTo)")])
        }
        for (name, xs) in [("promise_due", promisesDue), ("promise_broken", promisesBroken)] {
            for p in xs {
                w.addRow([.text(name), .text(p.status), .text(p.customer), .empty, .text(p.due.description), .number(pm(p)), .empty, .empty,
                          .text("\(p.currency.code), made \(p.made)")])
            }
        }
        for (name, xs) in [("became_overdue", becameOverdue), ("dispute_opened", disputesOpened), ("dispute_resolved", disputesResolved)] {
            for i in xs {
                w.addRow([.text(name), .empty, .text(i.customer), .text(i.document), .text(i.due.description), n(i.openBase), .empty, .empty, .text(i.detail)])
            }
        }
        for a in top {
            w.addRow([.text("worklist"), .text(a.change), .text(a.customer), .empty, .empty, n(a.overdue), .empty, .empty,
                      .text("rank \(a.rank), \(a.days) days, \(a.action)")])
        }
        for a in resolved {
            w.addRow([.text("worklist_off"), .text("off the list"), .text(a.customer), .empty, .empty, n(a.overdue), .empty, .empty,
                      .text("was rank \(a.rank): \(a.change)")])
        }
        w.addRow([.text("unapplied_cash"), .text("\(unappliedPayments) payments"), .empty, .empty, .text(oldestUnapplied?.description ?? ""),
                  n(unapplied), .empty, .empty, .empty])
        return w.text
    }

    public var table: String {
        var out = TextBlock()
        let cur = workspace.base.code
        out.line("Today, \(date) (\(weekday(date))); events \(since), the previous working day being \(previous). Amounts in \(cur).")
        out.line("")
        var ct = TextTable(["cash received", "span", "received", "forecast", "vs forecast", "last month", "vs last month"],
                           align: [.left, .left, .right, .right, .right, .right, .right])
        for c in cash {
            ct.add([c.span, "\(c.from)..\(c.to)", m(c.received, grouped: true), m(c.forecast, grouped: true), pct(c.received, c.forecast),
                    m(c.lastMonth, grouped: true), pct(c.received, c.lastMonth)])
        }
        out.raw(ct.render())
        out.line("")
        section(&out, "Promises due today", promisesDue.isEmpty ? nil : {
            var t = TextTable(["customer", "promised", "made", "status"], align: [.left, .right, .left, .left])
            for p in promisesDue { t.add([p.customer, "\(pm(p, grouped: true)) \(p.currency.code)", p.made.description, p.status]) }
            return t.render()
        }())
        section(&out, "Promises broken \(since)", promisesBroken.isEmpty ? nil : {
            var t = TextTable(["customer", "promised", "due", "made"], align: [.left, .right, .left, .left])
            for p in promisesBroken { t.add([p.customer, "\(pm(p, grouped: true)) \(p.currency.code)", p.due.description, p.made.description]) }
            return t.render()
        }())
        section(&out, "Became overdue \(since): \(becameOverdue.count), \(m(becameOverdue.reduce(0) { $0 + $1.openBase }, grouped: true))",
                becameOverdue.isEmpty ? nil : itemTable(becameOverdue, "due"))
        section(&out, "Disputes opened \(since)", disputesOpened.isEmpty ? nil : itemTable(disputesOpened, "opened"))
        section(&out, "Disputes resolved \(since)", disputesResolved.isEmpty ? nil : itemTable(disputesResolved, "resolved"))
        var wt = TextTable(["#", "customer", "name", "overdue", "days", "next action", "since \(previous)"],
                           align: [.right, .left, .left, .right, .right, .left, .left])
        for a in top {
            wt.add([String(a.rank), a.customer, clip(a.name, 24), m(a.overdue, grouped: true), String(a.days), a.action.replacingOccurrences(of: "_", with: " "), a.change])
        }
        section(&out, "Worklist: \(worklistAccounts) accounts, \(m(worklistOverdue, grouped: true)) overdue; the top \(top.count)", top.isEmpty ? nil : wt.render())
        if !resolved.isEmpty {
            var rt = TextTable(["was #", "customer", "overdue then", "off the list because"], align: [.right, .left, .right, .left])
            for a in resolved { rt.add([String(a.rank), a.customer, m(a.overdue, grouped: true), a.change]) }
            section(&out, "Off the list since \(previous)", rt.render())
        }
        out.line("Unapplied cash waiting: \(m(unapplied, grouped: true)) on \(unappliedPayments) payment\(unappliedPayments == 1 ? "" : "s")"
                 + (oldestUnapplied.map { ", the oldest received \($0)" } ?? ""))
        return out.text
    }

    func section(_ out: inout TextBlock, _ title: String, _ body: String?) {
        out.line(title + (body == nil ? ": none" : ""))
        if let body { out.raw(body) }
        out.line("")
    }

    func itemTable(_ xs: [Item], _ dayName: String) -> String {
        var t = TextTable(["customer", "document", dayName, "amount", "detail"], align: [.left, .left, .left, .right, .left])
        for i in xs { t.add([i.customer, i.document, i.due.description, m(i.openBase, grouped: true), i.detail]) }
        return t.render()
    }

    func pct(_ a: Int64, _ b: Int64) -> String {
        b == 0 ? "" : String(format: "%+.0f%%", (Double(a) / Double(b) - 1) * 100)
    }

    func weekday(_ d: Day) -> String { ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][d.isoWeekday - 1] }
}

/// Jobs started one by one as their inputs become ready, run on the available cores.
final class Jobs<T>: @unchecked Sendable {
    private let group = DispatchGroup()
    private let lock = NSLock()
    private var slots: [T?] = []
    private var done: [DispatchGroup] = []

    func start(_ job: @escaping () -> T) {
        lock.lock()
        let k = slots.count
        slots.append(nil)
        let finished = DispatchGroup()
        done.append(finished)
        lock.unlock()
        nonisolated(unsafe) let work = job
        finished.enter()
        DispatchQueue.global().async(group: group) {
            let v = work()
            self.lock.lock(); self.slots[k] = v; self.lock.unlock()
            finished.leave()
        }
    }

    /// The result of the first job started whose result `pick` takes, once it is done.
    func first<U>(_ pick: (T) -> U?) -> U? {
        lock.lock()
        let n = slots.count, waits = done
        lock.unlock()
        for k in 0..<n {
            waits[k].wait()
            lock.lock(); let v = slots[k]!; lock.unlock()
            if let u = pick(v) { return u }
        }
        return nil
    }

    /// Every job's result, in the order they were started, once all are done.
    func results() -> [T] {
        group.wait()
        lock.lock(); defer { lock.unlock() }
        return slots.map { $0! }
    }
}

/// Runs `jobs` on the available cores; results in job order.
func inParallel<T>(_ jobs: [() -> T]) -> [T] {
    let box = ParallelResults<T>(jobs.count)
    nonisolated(unsafe) let work = jobs
    DispatchQueue.concurrentPerform(iterations: work.count) { k in box.set(k, work[k]()) }
    return box.values
}

/// Throwing jobs: each result or its error.
func inParallel<T>(_ jobs: [() throws -> T]) -> [Result<T, any Error>] {
    inParallel(jobs.map { job in { Result { try job() } } })
}

final class ParallelResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func set(_ k: Int, _ v: T) { lock.lock(); slots[k] = v; lock.unlock() }
    var values: [T] { lock.lock(); defer { lock.unlock() }; return slots.map { $0! } }
}
