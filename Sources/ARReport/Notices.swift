import ARAnalytics
import ARModel
import AROutput
import ChartKit
import Foundation

/// Dunning notices and payment-plan letters built from the account book.
public enum NoticeBuilder {
    static func money(_ v: Int64, _ c: Currency) -> String { Money.decimalString(v, digits: c.minorDigits, grouping: ",") }

    static func header(_ l: Ledger, _ c: Int, _ settings: NoticeSettings, company: String, date: Day, level: String,
                       columns: [Letter.Column]) -> Letter {
        let addr = l.customers.address[c].split(whereSeparator: { $0 == "\n" || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) }
        let email = l.customers.email[c]
        return Letter(company: company, senderLines: settings.senderLines, recipient: l.customers.name[c],
                      recipientLines: addr + (email.isEmpty ? [] : [email]), date: date, reference: l.customers.ids[Int32(c)],
                      level: level, columns: columns, rows: [], totals: [], payment: settings.payment, signature: settings.signature)
    }

    /// One notice per worklist account: its overdue items not in dispute (with the late fees
    /// still due on them from the second step of the ladder on), worded for its ladder step.
    public static func notices(_ book: AccountBook, worklist: Worklist, configuration: Configuration,
                               fees: [LateFeeLine], templates: LetterTemplates) -> [Letter] {
        let tl = book.timeline, l = tl.ledger
        let company = configuration.company ?? "Accounts Receivable"
        var feeBySlot: [Int: Int64] = [:], basisBySlot: [Int: String] = [:]
        for f in fees { feeBySlot[f.slot] = f.due; basisBySlot[f.slot] = f.basis }
        let rules = LateFeeRules(configuration.lateFees) ?? LateFeeRules(forcing: LateFeePolicy(LateFeeSettings())!)
        return worklist.rows.map { r in
            let c = r.customer
            let held = Set(r.holds.map(\.slot))
            let items = book.items[c].filter { $0.daysPastDue > 0 && !$0.disputed && !held.contains($0.slot) }
            let credits = book.credits[c]
            let currencies = Set(items.map(\.currency) + credits.map(\.currency))
            let cur = currencies.count == 1 ? currencies.first! : tl.base
            func amount(_ i: OpenItem) -> Int64 { currencies.count == 1 ? i.open : i.openBase }
            let withFees = r.step >= 1
            let lang = templates.language(l, customer: c, configuration: configuration), loc = LetterLocale(lang)
            func money(_ v: Int64, _ c: Currency) -> String { loc.money(v, c) }
            func t(_ s: String) -> String { templates.label(s, lang) }
            var columns = [Letter.Column(t("Invoice")), Letter.Column(t("Date")), Letter.Column(t("Due")), Letter.Column(t("Days late"), numeric: true),
                           Letter.Column("\(t("Open")) \(cur.code)", numeric: true)]
            if withFees { columns.append(Letter.Column(t("Late charges"), numeric: true)) }
            var letter = header(l, c, configuration.notices, company: company, date: book.asOf, level: r.nextAction, columns: columns)
            letter.language = lang
            var total: Int64 = 0, feeTotal: Int64 = 0
            for i in items {
                let fee = currencies.count == 1 ? (feeBySlot[i.slot] ?? 0) : 0
                total += amount(i); feeTotal += withFees ? fee : 0
                var row = [i.document, loc.shortDate(i.issued), loc.shortDate(i.due), String(i.daysPastDue), money(amount(i), cur)]
                if withFees { row.append(fee > 0 ? money(fee, cur) : "") }
                letter.rows.append(row)
            }
            // Cash received and credits not yet matched to an invoice are listed and deducted.
            var creditTotal: Int64 = 0
            for k in credits {
                let v = currencies.count == 1 ? k.open : k.openBase
                creditTotal += v
                let label = k.kind == .payment ? t("Payment received") + (k.reference.isEmpty ? "" : ", " + templates.label("your ref. {x}", lang, k.reference))
                    : "\(t("Credit note")) \(k.document)"
                var row = [label, loc.shortDate(k.date), "", "", "-" + money(v, cur)]
                if withFees { row.append("") }
                letter.rows.append(row)
            }
            let due = max(0, total + feeTotal - creditTotal)
            letter.totals = [(t("Overdue"), money(total, cur))]
            if feeTotal > 0 { letter.totals.append((t("Late charges"), money(feeTotal, cur))) }
            if creditTotal > 0 { letter.totals.append((t("Less payments and credits not yet matched to an invoice"), "-" + money(creditTotal, cur))) }
            if letter.totals.count > 1 { letter.totals.append((t("Total now due"), money(due, cur))) }
            letter.amountDue = Money.decimalString(due, digits: cur.minorDigits)
            if feeTotal > 0 {
                // The rules the charges follow, and each statutory sum converted from its currency.
                let policy = rules.policy(customer: l.customers.ids[Int32(c)], country: l.customers.country.indices.contains(c) ? l.customers.country[c] : "")
                letter.notes = [citation(policy, templates: templates, language: lang)] + items.compactMap { i in
                    guard (feeBySlot[i.slot] ?? 0) > 0, let b = basisBySlot[i.slot], !b.isEmpty else { return nil }
                    return "\(i.document): \(t("fixed sum")) \(b)."
                }
            }
            letter.currency = cur.code
            let values: [String: Any] = [
                "name": l.customers.name[c], "company": company, "overdue": money(total, cur), "currency": cur.code,
                "credits": creditTotal > 0 ? money(creditTotal, cur) : false, "due": money(due, cur),
                "days": r.maxDaysPastDue, "count": items.count, "one": items.count == 1,
                "pay_by": loc.longDate(book.asOf + configuration.notices.payWithinDays),
                "fees": feeTotal > 0 ? money(feeTotal, cur) : false,
                "previous": previous(r.history, templates: templates, language: lang),
            ]
            templates.word(&letter, values: values)
            return letter
        }
    }

    /// What the history shows was sent before, for the wording: "our reminder of 1 June 2026
    /// and second notice of 15 June 2026"; false when nothing was.
    static func previous(_ history: [LadderContact], templates: LetterTemplates, language: String) -> Any {
        guard !history.isEmpty else { return false }
        let loc = LetterLocale(language)
        let parts = history.map { h in
            let noun = h.action == "collection_agency" ? "referral to a collection agency" : h.action.replacingOccurrences(of: "_", with: " ")
            return templates.label("{x} of", language, templates.label(noun, language)) + " " + loc.longDate(h.date)
        }
        let and = templates.label("and", language)
        let list = parts.count == 1 ? parts[0] : parts.dropLast().joined(separator: ", ") + " \(and) " + parts.last!
        return templates.label("our {x}", language, list)
    }

    /// The rules late charges follow, in the letter's language: the label
    /// `citation.contractual`, `citation.eu` or `citation.uk` with {rate}, {total}, {grace}
    /// filled, or the English of `LateFeePolicy.citation`.
    static func citation(_ p: LateFeePolicy, templates: LetterTemplates, language: String) -> String {
        let key = "citation." + p.name
        let text = templates.label(key, language)
        guard text != key else { return p.citation }
        let loc = LetterLocale(language)
        func pct(_ x: Double) -> String { loc.money(Int64((x * 100).rounded()), digits: 2) }
        switch p {
        case .contractual(let m, let g, _): return text.replacingOccurrences(of: "{rate}", with: pct(m)).replacingOccurrences(of: "{grace}", with: String(g))
        case .eu(let r): return text.replacingOccurrences(of: "{rate}", with: pct(r)).replacingOccurrences(of: "{total}", with: pct(r + 8))
        case .uk(let b): return text.replacingOccurrences(of: "{rate}", with: pct(b)).replacingOccurrences(of: "{total}", with: pct(b + 8))
        }
    }

    /// The letter proposing a payment plan.
    /// The letter proposing a payment plan for `invoices` (listed under the schedule), with a
    /// block for the customer to sign and date.
    public static func planLetter(_ book: AccountBook, customer c: Int, plan: PaymentPlan, frequency: String, interest: Double,
                                  invoices: [OpenItem] = [], configuration: Configuration, templates: LetterTemplates) -> Letter {
        let tl = book.timeline, l = tl.ledger, cur = tl.base
        let company = configuration.company ?? "Accounts Receivable"
        let lang = templates.language(l, customer: c, configuration: configuration), loc = LetterLocale(lang)
        func money(_ v: Int64, _ c: Currency) -> String { loc.money(v, c) }
        func t(_ s: String) -> String { templates.label(s, lang) }
        var columns = [Letter.Column(t("Instalment")), Letter.Column(t("Due date"))]
        if plan.totalInterest > 0 { columns += [Letter.Column(t("Principal"), numeric: true), Letter.Column(t("Interest"), numeric: true)] }
        columns.append(Letter.Column("\(t("Amount")) \(cur.code)", numeric: true))
        var letter = header(l, c, configuration.notices, company: company, date: book.asOf, level: "plan", columns: columns)
        letter.language = lang
        for i in plan.installments {
            var row = [String(i.number), loc.longDate(i.due)]
            if plan.totalInterest > 0 { row += [money(i.principal, cur), money(i.interest, cur)] }
            letter.rows.append(row + [money(i.amount, cur)])
        }
        letter.totals = [(t("Total"), money(plan.total, cur))]
        if !invoices.isEmpty {
            letter.summaryTitle = t("Invoices covered by this plan")
            letter.summaryColumns = [t("Invoice"), t("Issued"), t("Due"), "\(t("Open")) \(cur.code)"]
            letter.summaryRows = invoices.map { [$0.document, loc.longDate($0.issued), loc.longDate($0.due), money($0.openBase, cur)] }
        }
        letter.customerSignature = true
        letter.amountDue = Money.decimalString(plan.installments.first?.amount ?? 0, digits: cur.minorDigits)
        letter.currency = cur.code
        templates.word(&letter, values: [
            "name": l.customers.name[c], "company": company, "balance": money(plan.balance, cur), "currency": cur.code,
            "installments": plan.installments.count, "frequency": frequency, "interest": interest > 0 ? String(format: "%g", interest) : false,
            "count": invoices.count, "one": invoices.count == 1, "first_due": plan.installments.first.map { loc.longDate($0.due) } ?? "",
        ])
        return letter
    }
}

/// Writes letters as HTML and PDF files, one pair per letter, named by
/// `AtomicFile.outputName(for:)` of the reference (never two references to one name);
/// everything is rendered before the first file is written.
public enum LetterWriter {
    /// The base file name (no extension) of each letter: one name per reference; a reference
    /// that appears more than once gets `~2`, `~3`, ... on its later letters.
    public static func names(_ letters: [Letter], prefix: String = "") throws -> [String] {
        let base = try AtomicFile.outputNames(for: letters.map(\.reference))
        var seen: [String: Int] = [:]
        return base.map { n in
            seen[n, default: 0] += 1
            let k = seen[n]!
            return prefix + (k == 1 ? n : n + "~\(k)")
        }
    }

    public static func write(_ letters: [Letter], templates: LetterTemplates, canvas: any Canvas, to dir: String, prefix: String = "") throws -> [String] {
        let names = try names(letters, prefix: prefix)
        var files: [(String, Data)] = []
        for (k, pdf) in try render(letters, canvas: canvas).enumerated() {
            files.append((names[k] + ".html", Data(templates.html(letters[k]).utf8)))
            files.append((names[k] + ".pdf", pdf))
        }
        for (name, data) in files { try AtomicFile.write(data, to: dir + "/" + name) }
        return files.map(\.0)
    }

    /// The notices run: every letter, and `index.csv` (one row per letter: the columns of
    /// `header` with the letter's `rows` entry, then the html and pdf files actually written),
    /// into a fresh folder swapped in whole for `dir`, so no letter of an earlier run stays
    /// beside the new index. An existing `dir` is replaced only when it holds nothing but
    /// letters and an index (a folder with other files is refused, not emptied). Returns the
    /// files written.
    public static func writeNotices(_ letters: [Letter], header: [String], rows: [[CSVWriter.Cell]],
                                    templates: LetterTemplates, canvas: any Canvas, to dir: String) throws -> [String] {
        precondition(rows.count == letters.count)
        let names = try names(letters)
        let pdfs = try render(letters, canvas: canvas)
        let staged = try StagedFolder.begin(dir, replaceable: noticesFolderCheck)
        do {
            var written: [String] = []
            var index = CSVWriter(header: header + ["html", "pdf"])
            for (k, l) in letters.enumerated() {
                try AtomicFile.write(Data(templates.html(l).utf8), to: staged.path + "/" + names[k] + ".html")
                try AtomicFile.write(pdfs[k], to: staged.path + "/" + names[k] + ".pdf")
                written += [names[k] + ".html", names[k] + ".pdf"]
                index.addRow(rows[k] + [.text(names[k] + ".html"), .text(names[k] + ".pdf")])
            }
            try AtomicFile.write(index.text, to: staged.path + "/index.csv")
            try staged.commit()
            return written + ["index.csv"]
        } catch {
            staged.abandon()
            throw error
        }
    }

    /// Nil when a folder holding `entries` may be replaced by a notices run.
    static func noticesFolderCheck(_ entries: [String]) -> String? {
        let foreign = entries.filter { e in
            !(e == "index.csv" || e.hasSuffix(".html") || e.hasSuffix(".pdf") || e.hasPrefix("."))
        }
        if foreign.isEmpty { return nil }
        return "holds files a notices run did not write (\(foreign.sorted().prefix(3).joined(separator: ", "))); choose an empty folder or move them"
    }

    /// PDFs drawn in parallel, one text measurer per worker.
    static func render(_ letters: [Letter], canvas: any Canvas) throws -> [Data] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, letters.count))
        let pdfs = PDFSlots(letters.count)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            do {
                let measurer = try canvas.makeMeasurer()
                for k in stride(from: w, to: letters.count, by: workers) {
                    let l = letters[k]
                    pdfs.set(k, try Letters.pdf([l], measurer: measurer, canvas: canvas, title: "\(l.company) · \(l.subject)"))
                }
            } catch {
                pdfs.fail(error)
            }
        }
        return try (0..<letters.count).map { k throws in try pdfs.get(k) }
    }
}

/// Results written by index from several threads.
final class PDFSlots: @unchecked Sendable {
    private var slots: [Data?]
    private var error: Error?
    private let lock = NSLock()
    init(_ n: Int) { slots = Array(repeating: nil, count: n) }
    func set(_ k: Int, _ d: Data) { lock.withLock { slots[k] = d } }
    func fail(_ e: Error) { lock.withLock { if error == nil { error = e } } }
    func get(_ k: Int) throws -> Data {
        let (d, e) = lock.withLock { (slots[k], error) }
        if let e { throw e }
        guard let d else { throw PackError.templates("letter \(k) was not drawn") }
        return d
    }
}
