import ARModel
import Foundation
import Yams

/// Reads `arlens.yml`: the analysis `Configuration` and the `mapping` section.
/// Every mistake is one error naming the file, the line and the key.
public struct ConfigurationFile: Sendable {
    public var configuration = Configuration()
    public var mapping = LedgerMapping()
    /// The folder relative file paths in `mapping` are read from.
    public var directory: String
    /// The file it was read from, nil when defaults were used.
    public var path: String?
    /// `gl: {file: ...}`: the GL control-account balances (date,balance), resolved against the
    /// config's folder; the pack reconciles against them.
    public var glFile: String?
    /// `anomalies: {reviewed: ...}`: the reviewed-findings list (rule, documents, verdict,
    /// note), resolved against the config's folder.
    public var reviewedFile: String?

    public init(directory: String) { self.directory = directory }

    static let knownKeys: Set<String> = ["company", "base_currency", "aging_buckets", "dso_window_months", "targets",
                                         "default_terms_days", "mapping", "anomalies",
                                         "dunning", "late_fees", "credit", "notices", "policy", "gl"]

    /// Reads the file at `path`.
    public static func read(path: String) throws(LoadError) -> ConfigurationFile {
        try MappedFile.checkRegular(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileManager.default.fileExists(atPath: path) ? .unreadable(path, "cannot read") : .fileNotFound(path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .config(file: path, line: nil, message: "not UTF-8 text")
        }
        let dir = (path as NSString).deletingLastPathComponent
        return try parse(text, path: path, directory: dir.isEmpty ? "." : dir)
    }

    /// Parses YAML text; `path` names it in errors.
    public static func parse(_ text: String, path: String, directory: String) throws(LoadError) -> ConfigurationFile {
        var cf = ConfigurationFile(directory: directory)
        cf.path = path
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw .config(file: path, line: yamlErrorLine(error), message: "not valid YAML: \(yamlErrorSummary(error))")
        }
        guard let root else { return cf }   // empty file: defaults
        guard case .mapping(let top) = root else {
            throw .config(file: path, line: root.mark?.line, message: "expected a mapping of settings at the top level")
        }
        let r = Reader(path: path)
        for (k, v) in top {
            let key = try r.key(k)
            switch key {
            case "company": cf.configuration.company = try r.string(v, key)
            case "base_currency": cf.configuration.baseCurrency = try r.currency(v, key)
            case "aging_buckets":
                let edges = try r.seq(v, key).map { (n) throws(LoadError) -> Int in try r.int(n, key) }
                guard !edges.isEmpty, edges.first! > 0, zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
                    throw r.fail(v, "aging_buckets must be increasing positive day counts, e.g. [30, 60, 90, 120]")
                }
                guard edges.count <= 20, edges.last! <= ValueLimits.termsDays.upperBound else {
                    throw r.fail(v, "aging_buckets: at most 20 edges, each at most \(ValueLimits.termsDays.upperBound) days")
                }
                cf.configuration.agingBuckets = edges
            case "dso_window_months":
                let n = try r.int(v, key)
                guard (1...24).contains(n) else { throw r.fail(v, "dso_window_months must be between 1 and 24") }
                cf.configuration.dsoWindowMonths = n
            case "default_terms_days":
                let n = try r.int(v, key)
                guard ValueLimits.termsDays.contains(n) else { throw r.fail(v, "default_terms_days must be 0 to \(ValueLimits.termsDays.upperBound)") }
                cf.configuration.defaultTermsDays = n
            case "targets":
                for (tk, tv) in try r.map(v, key) {
                    let name = try r.key(tk)
                    guard let target = Target(name: name) else {
                        throw r.fail(tk, "targets: unknown target '\(name)' (a metric of arlens kpi --list, pct_overdue or collections_vs_billings)")
                    }
                    guard let x = tv.float, x.isFinite else { throw r.fail(tv, "targets.\(name): expected a number") }
                    guard target.range.contains(x) else {
                        throw r.fail(tv, "targets.\(name): \(tv.string ?? String(x)) is outside \(ConfigurationFile.rangeText(target.range))")
                    }
                    cf.configuration.targets[target] = x
                }
            case "mapping": cf.mapping = try readMapping(v, r)
            case "anomalies":
                for (ak, av) in try r.map(v, key) {
                    switch try r.key(ak) {
                    case "approval_threshold":
                        let n = try r.int(av, "anomalies.approval_threshold")
                        guard n > 0, n < ValueLimits.maxWholeUnits else { throw r.fail(av, "anomalies.approval_threshold must be positive and below \(ValueLimits.maxAmountText)") }
                        cf.configuration.approvalThreshold = Int64(n)
                    case "reviewed":
                        let f = try r.string(av, "anomalies.reviewed")
                        guard !f.isEmpty else { throw r.fail(av, "anomalies.reviewed: expected a file name (a CSV with rule, documents, verdict, note)") }
                        cf.reviewedFile = f.hasPrefix("/") ? f : directory + "/" + f
                    case let name: throw r.fail(ak, "anomalies: unknown key '\(name)' (approval_threshold, reviewed)")
                    }
                }
            case "dunning":
                var ladder = DunningLadder()
                for (dk, dv) in try r.map(v, key) {
                    switch try r.key(dk) {
                    case "steps":
                        ladder.steps = []
                        for item in try r.seq(dv, "dunning.steps") {
                            var step = DunningLadder.Step(days: -1, action: "")
                            for (sk, sv) in try r.map(item, "dunning.steps") {
                                switch try r.key(sk) {
                                case "days": step.days = try r.int(sv, "dunning.steps.days")
                                case "action": step.action = try r.string(sv, "dunning.steps.action")
                                case let other: throw r.fail(sk, "dunning.steps: unknown key '\(other)' (days, action)")
                                }
                            }
                            guard step.days >= 0, !step.action.isEmpty else { throw r.fail(item, "dunning.steps: each step needs days (>= 0) and action") }
                            guard step.days <= ValueLimits.termsDays.upperBound, ladder.steps.count < 50 else {
                                throw r.fail(item, "dunning.steps: at most 50 steps, each at most \(ValueLimits.termsDays.upperBound) days")
                            }
                            if let last = ladder.steps.last, last.days >= step.days {
                                throw r.fail(item, "dunning.steps: days must increase from step to step")
                            }
                            ladder.steps.append(step)
                        }
                    case "scale_above":
                        let n = try r.int(dv, "dunning.scale_above")
                        guard n >= 0, n < ValueLimits.maxWholeUnits else { throw r.fail(dv, "dunning.scale_above must be 0 or more and below \(ValueLimits.maxAmountText)") }
                        ladder.scaleAbove = Int64(n)
                    case "scale_factor":
                        guard let x = dv.float, x > 0, x <= 1 else { throw r.fail(dv, "dunning.scale_factor: expected a number in (0, 1]") }
                        ladder.scaleFactor = x
                    case let other: throw r.fail(dk, "dunning: unknown key '\(other)' (steps, scale_above, scale_factor)")
                    }
                }
                cf.configuration.dunning = ladder
            case "late_fees":
                var f = LateFeeSettings()
                func rate(_ n: Node, _ name: String) throws(LoadError) -> Double {
                    guard let x = n.float, x.isFinite, x >= 0, x <= 1000 else { throw r.fail(n, "late_fees.\(name): expected a percentage from 0 to 1000") }
                    return x
                }
                for (fk, fv) in try r.map(v, key) {
                    switch try r.key(fk) {
                    case "policy":
                        f.policy = try r.string(fv, "late_fees.policy")
                        guard ["contractual", "eu", "uk"].contains(f.policy) else { throw r.fail(fv, "late_fees.policy: '\(f.policy)' is not contractual, eu or uk") }
                    case "monthly_rate": f.monthlyRatePercent = try rate(fv, "monthly_rate")
                    case "grace_days":
                        let n = try r.int(fv, "late_fees.grace_days")
                        guard ValueLimits.termsDays.contains(n) else { throw r.fail(fv, "late_fees.grace_days must be 0 to \(ValueLimits.termsDays.upperBound)") }
                        f.graceDays = n
                    case "minimum":
                        guard let x = fv.float, x.isFinite, x >= 0, x < Double(ValueLimits.maxWholeUnits) else { throw r.fail(fv, "late_fees.minimum: expected an amount from 0 to \(ValueLimits.maxAmountText)") }
                        f.minimum = x
                    case "eu_reference_rate": f.euReferenceRatePercent = try rate(fv, "eu_reference_rate")
                    case "uk_base_rate": f.ukBaseRatePercent = try rate(fv, "uk_base_rate")
                    case let other: throw r.fail(fk, "late_fees: unknown key '\(other)' (policy, monthly_rate, grace_days, minimum, eu_reference_rate, uk_base_rate)")
                    }
                }
                cf.configuration.lateFees = f
            case "notices":
                var n = NoticeSettings()
                func lines(_ node: Node, _ name: String) throws(LoadError) -> [String] {
                    if case .scalar = node { return [try r.string(node, name)] }
                    var out: [String] = []
                    for item in try r.seq(node, name) { out.append(try r.string(item, name)) }
                    return out
                }
                for (nk, nv) in try r.map(v, key) {
                    switch try r.key(nk) {
                    case "sender": n.senderLines = try lines(nv, "notices.sender")
                    case "payment": n.payment = try lines(nv, "notices.payment")
                    case "signature": n.signature = try r.string(nv, "notices.signature")
                    case "pay_within_days":
                        n.payWithinDays = try r.int(nv, "notices.pay_within_days")
                        guard ValueLimits.termsDays.contains(n.payWithinDays) else { throw r.fail(nv, "notices.pay_within_days must be 0 to \(ValueLimits.termsDays.upperBound)") }
                    case let other: throw r.fail(nk, "notices: unknown key '\(other)' (sender, payment, signature, pay_within_days)")
                    }
                }
                cf.configuration.notices = n
            case "gl":
                for (gk, gv) in try r.map(v, key) {
                    guard try r.key(gk) == "file" else { throw r.fail(gk, "gl: unknown key (file)") }
                    let f = try r.string(gv, "gl.file")
                    cf.glFile = f.hasPrefix("/") ? f : directory + "/" + f
                }
            case "policy":
                for (pk, pv) in try r.map(v, key) {
                    switch try r.key(pk) {
                    case "send_within_days":
                        let n = try r.int(pv, "policy.send_within_days")
                        guard ValueLimits.termsDays.contains(n) else { throw r.fail(pv, "policy.send_within_days must be 0 to \(ValueLimits.termsDays.upperBound)") }
                        cf.configuration.sendWithinDays = n
                    case "po_required":
                        var ids: [String] = []
                        for item in try r.seq(pv, "policy.po_required") { ids.append(try r.string(item, "policy.po_required")) }
                        cf.configuration.poRequired = ids
                    case let other: throw r.fail(pk, "policy: unknown key '\(other)' (send_within_days, po_required)")
                    }
                }
            case "credit":
                for (ck, cv) in try r.map(v, key) {
                    guard try r.key(ck) == "review_months" else { throw r.fail(ck, "credit: unknown key (review_months)") }
                    let n = try r.int(cv, "credit.review_months")
                    guard (1...1200).contains(n) else { throw r.fail(cv, "credit.review_months must be 1 to 1200") }
                    cf.configuration.creditReviewMonths = n
                }
            default:
                let known = knownKeys.sorted().joined(separator: ", ")
                throw r.fail(k, "unknown setting '\(key)' (known: \(known))")
            }
        }
        return cf
    }

    static func rangeText(_ r: ClosedRange<Double>) -> String {
        "\(String(format: "%g", r.lowerBound)) to \(String(format: "%g", r.upperBound))"
    }

    static func readMapping(_ node: Node, _ r: Reader) throws(LoadError) -> LedgerMapping {
        var m = LedgerMapping()
        for (k, v) in try r.map(node, "mapping") {
            let key = try r.key(k)
            switch key {
            case "date_format": m.dateFormat = try r.dateFormat(v, "mapping.date_format")
            case "amount_style": m.amountStyle = try r.amountStyle(v, "mapping.amount_style")
            default:
                guard let table = TableName(rawValue: key) else {
                    let names = TableName.allCases.map(\.rawValue).joined(separator: ", ")
                    throw r.fail(k, "mapping: unknown table '\(key)' (tables: \(names), or date_format, amount_style)")
                }
                m.tables[table] = try readTable(v, table, r)
            }
        }
        return m
    }

    static func readTable(_ node: Node, _ table: TableName, _ r: Reader) throws(LoadError) -> TableMapping {
        var t = TableMapping()
        let ctx = "mapping.\(table.rawValue)"
        let canonical = Set(LedgerSchema.columns[table]!.map(\.name))
        for (k, v) in try r.map(node, ctx) {
            let key = try r.key(k)
            switch key {
            case "file": t.file = try r.string(v, "\(ctx).file")
            case "date_format": t.dateFormat = try r.dateFormat(v, "\(ctx).date_format")
            case "amount_style": t.amountStyle = try r.amountStyle(v, "\(ctx).amount_style")
            case "columns", "constants":
                for (ck, cv) in try r.map(v, "\(ctx).\(key)") {
                    let col = try r.key(ck).lowercased()
                    guard canonical.contains(col) else {
                        throw r.fail(ck, "\(ctx).\(key): '\(col)' is not a column of \(table.rawValue) (columns: \(canonical.sorted().joined(separator: ", ")))")
                    }
                    let value = try r.string(cv, "\(ctx).\(key).\(col)")
                    if key == "columns" { t.columns[col] = value } else { t.constants[col] = value }
                }
            case "customer_columns":
                guard table == .invoices else { throw r.fail(k, "\(ctx): customer_columns is only for invoices") }
                for (ck, cv) in try r.map(v, "\(ctx).customer_columns") {
                    let col = try r.key(ck).lowercased()
                    guard LedgerSchema.customerColumnsFromInvoices.contains(col) else {
                        throw r.fail(ck, "\(ctx).customer_columns: '\(col)' cannot be taken from invoices (allowed: \(LedgerSchema.customerColumnsFromInvoices.sorted().joined(separator: ", ")))")
                    }
                    t.customerColumns[col] = try r.string(cv, "\(ctx).customer_columns.\(col)")
                }
            default:
                throw r.fail(k, "\(ctx): unknown key '\(key)' (file, columns, constants, date_format, amount_style\(table == .invoices ? ", customer_columns" : ""))")
            }
        }
        return t
    }

    static func yamlErrorLine(_ e: Error) -> Int? {
        if let y = e as? YamlError, case .scanner(_, _, let mark, _) = y { return mark.line }
        if let y = e as? YamlError, case .parser(_, _, let mark, _) = y { return mark.line }
        return nil
    }

    static func yamlErrorSummary(_ e: Error) -> String {
        if let y = e as? YamlError {
            switch y {
            case .scanner(_, let problem, _, _), .parser(_, let problem, _, _): return problem
            default: break
            }
        }
        return String(describing: e).split(separator: "\n").first.map(String.init) ?? "syntax error"
    }

    /// Typed access to YAML nodes with errors that name the file, line and key.
    struct Reader {
        let path: String

        func fail(_ n: Node, _ msg: String) -> LoadError { .config(file: path, line: n.mark?.line, message: msg) }

        func key(_ n: Node) throws(LoadError) -> String {
            guard let s = n.string else { throw fail(n, "expected a name") }
            return s.trimmingCharacters(in: .whitespaces)
        }
        func string(_ n: Node, _ key: String) throws(LoadError) -> String {
            guard case .scalar(let s) = n else { throw fail(n, "\(key): expected text") }
            return s.string
        }
        func int(_ n: Node, _ key: String) throws(LoadError) -> Int {
            guard let i = n.int else { throw fail(n, "\(key): expected a whole number") }
            return i
        }
        func seq(_ n: Node, _ key: String) throws(LoadError) -> [Node] {
            guard case .sequence(let s) = n else { throw fail(n, "\(key): expected a list") }
            return Array(s)
        }
        func map(_ n: Node, _ key: String) throws(LoadError) -> [(Node, Node)] {
            guard case .mapping(let m) = n else { throw fail(n, "\(key): expected a mapping") }
            return m.map { ($0.key, $0.value) }
        }
        func currency(_ n: Node, _ key: String) throws(LoadError) -> Currency {
            let s = try string(n, key)
            guard let c = Currency(code: s) else { throw fail(n, "\(key): '\(s)' is not an ISO 4217 currency code") }
            return c
        }
        func dateFormat(_ n: Node, _ key: String) throws(LoadError) -> DateFormat {
            let s = try string(n, key)
            guard let f = DateFormat(s) else {
                throw fail(n, "\(key): '\(s)' is not a date format (use YYYY, MM/M, DD/D, MMM and separators, e.g. M/D/YYYY or DD.MM.YYYY)")
            }
            return f
        }
        func amountStyle(_ n: Node, _ key: String) throws(LoadError) -> AmountParser {
            let s = try string(n, key)
            guard let p = ConfigurationFile.amountStyle(example: s) else {
                throw fail(n, "\(key): '\(s)' is not an amount style (write an example: 1,234.56 or 1.234,56, with $ or (...) if the export uses them)")
            }
            return p
        }
    }

    /// An amount style from an example: `1,234.56`, `1.234,56`, `$1,234.56`, `(1,234.56)`,
    /// `1 234,56 €`. A sign or code in the example allows currency symbols; parentheses allow
    /// negatives in parentheses.
    public static func amountStyle(example: String) -> AmountParser? {
        var s = example.trimmingCharacters(in: .whitespaces)
        var parens = false, symbols = false
        if s.hasPrefix("(") && s.hasSuffix(")") { parens = true; s = String(s.dropFirst().dropLast()) }
        let core = s.trimmingCharacters(in: CharacterSet(charactersIn: "0123456789.,' ").inverted)
        if core != s { symbols = true }
        guard var p = AmountParser(example: core.trimmingCharacters(in: .whitespaces)) else { return nil }
        p.allowsParentheses = parens
        p.allowsCurrencySymbols = symbols
        return p
    }
}
