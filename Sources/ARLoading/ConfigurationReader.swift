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
    /// `templates:`: a folder of the company's own templates (pack/, notices/, statements/),
    /// relative to the config's folder; `--templates` still wins.
    public var templatesDir: String?
    /// `anomalies: {reviewed: ...}`: the reviewed-findings list (rule, documents, verdict,
    /// note), resolved against the config's folder.
    public var reviewedFile: String?

    /// `source: postgresql://...`: the ledger is in a PostgreSQL schema, not in CSV files.
    public var source: String?

    public init(directory: String) { self.directory = directory }

    static let knownKeys: Set<String> = ["source", "company", "base_currency", "aging_buckets", "dso_window_months", "targets",
                                         "default_terms_days", "mapping", "anomalies",
                                         "dunning", "late_fees", "credit", "notices", "policy", "gl", "payment_plans",
                                         "templates", "provision"]

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
            case "source":
                let url = try r.string(v, key)
                guard PGLocation.isURL(url) else {
                    throw r.fail(v, "source: expected a PostgreSQL URL (postgresql://user@host:port/database?schema=ar)")
                }
                cf.source = url
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
                    case "hold_duplicates_from":
                        guard let x = dv.float, x >= 0, x <= 2 else { throw r.fail(dv, "dunning.hold_duplicates_from: expected a severity from 0 to 1 (above 1 holds none)") }
                        ladder.holdDuplicatesFrom = x
                    case "skip_steps":
                        guard let b = dv.bool else { throw r.fail(dv, "dunning.skip_steps: expected true or false") }
                        ladder.skipSteps = b
                    case let other: throw r.fail(dk, "dunning: unknown key '\(other)' (steps, scale_above, scale_factor, hold_duplicates_from, skip_steps)")
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
                        guard ["by_country", "contractual", "eu", "uk"].contains(f.policy) else { throw r.fail(fv, "late_fees.policy: '\(f.policy)' is not by_country, contractual, eu or uk") }
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
                    case "minimum_charge":
                        guard let x = fv.float, x.isFinite, x >= 0, x < Double(ValueLimits.maxWholeUnits) else { throw r.fail(fv, "late_fees.minimum_charge: expected an amount from 0 to \(ValueLimits.maxAmountText)") }
                        f.minimumCharge = x
                    case "countries", "customers":
                        let name = try r.key(fk)
                        for (ck, cv) in try r.map(fv, "late_fees.\(name)") {
                            let k = try r.key(ck), p = try r.string(cv, "late_fees.\(name).\(k)")
                            guard ["contractual", "eu", "uk"].contains(p) else { throw r.fail(cv, "late_fees.\(name).\(k): '\(p)' is not contractual, eu or uk") }
                            if name == "countries" {
                                guard k.count == 2, k.allSatisfy({ $0.isASCII && $0.isLetter }) else { throw r.fail(ck, "late_fees.countries: '\(k)' is not an ISO 3166 alpha-2 country code") }
                                f.countries[k.uppercased()] = p
                            } else {
                                f.customers[k] = p
                            }
                        }
                    case let other: throw r.fail(fk, "late_fees: unknown key '\(other)' (policy, monthly_rate, grace_days, minimum, minimum_charge, eu_reference_rate, uk_base_rate, countries, customers)")
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
                    case "languages":
                        for (lk, lv) in try r.map(nv, "notices.languages") {
                            let k = try r.key(lk), lang = try r.string(lv, "notices.languages.\(k)").lowercased()
                            guard (2...8).contains(lang.count), lang.allSatisfy({ $0.isASCII && ($0.isLetter || $0 == "-") }) else {
                                throw r.fail(lv, "notices.languages.\(k): '\(lang)' is not a language code (en, fr, de, ...)")
                            }
                            n.languages[k] = lang
                        }
                    case let other: throw r.fail(nk, "notices: unknown key '\(other)' (sender, payment, signature, pay_within_days, languages)")
                    }
                }
                cf.configuration.notices = n
            case "templates":
                // A folder like `arlens templates export` writes: pack/, notices/, statements/.
                let f = try r.string(v, key)
                cf.templatesDir = f.hasPrefix("/") ? f : directory + "/" + f
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
            case "payment_plans":
                for (pk, pv) in try r.map(v, key) {
                    guard try r.key(pk) == "first_due_days" else { throw r.fail(pk, "payment_plans: unknown key (first_due_days)") }
                    let n = try r.int(pv, "payment_plans.first_due_days")
                    guard (1...ValueLimits.termsDays.upperBound).contains(n) else { throw r.fail(pv, "payment_plans.first_due_days must be 1 to \(ValueLimits.termsDays.upperBound)") }
                    cf.configuration.planFirstDueDays = n
                }
            case "provision":
                for (pk, pv) in try r.map(v, key) {
                    switch try r.key(pk) {
                    case "lookback_months":
                        let n = try r.int(pv, "provision.lookback_months")
                        guard (1...120).contains(n) else { throw r.fail(pv, "provision.lookback_months must be 1 to 120") }
                        cf.configuration.provisionLookbackMonths = n
                    case "forward_looking_adjustment":
                        guard let x = pv.float, x.isFinite, x >= -100, x <= 1000 else {
                            throw r.fail(pv, "provision.forward_looking_adjustment: expected a percentage from -100 to 1000")
                        }
                        cf.configuration.provisionAdjustmentPercent = x
                    case let other: throw r.fail(pk, "provision: unknown key '\(other)' (lookback_months, forward_looking_adjustment)")
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
        var preset: (Node, String)? = nil
        var files: [String] = []
        var filesNode: Node? = nil
        var paidAsOf: Day? = nil
        var presetDateFormat: DateFormat? = nil
        for (k, v) in try r.map(node, "mapping") {
            let key = try r.key(k)
            switch key {
            case "date_format":
                m.dateFormat = try r.dateFormat(v, "mapping.date_format")
                presetDateFormat = m.dateFormat
            case "amount_style": m.amountStyle = try r.amountStyle(v, "mapping.amount_style")
            case "preset": preset = (v, try r.string(v, "mapping.preset"))
            case "file", "files": files = try r.stringList(v, "mapping.\(key)"); filesNode = v
            case "paid_as_of": paidAsOf = try r.day(v, "mapping.paid_as_of")
            case "exports":
                for item in try r.seq(v, "mapping.exports") { m.exports.append(try readExport(item, r)) }
            default:
                guard let table = TableName(rawValue: key) else {
                    let names = TableName.allCases.map(\.rawValue).joined(separator: ", ")
                    throw r.fail(k, "mapping: unknown table '\(key)' (tables: \(names), or date_format, amount_style, preset, file, files, paid_as_of, exports)")
                }
                m.tables[table] = try readTable(v, table, r)
            }
        }
        if let (node, name) = preset {
            guard var p = Presets.named(name) else {
                throw r.fail(node, "mapping.preset: unknown preset '\(name)' (presets: \(Presets.names.joined(separator: ", ")))")
            }
            guard !files.isEmpty else { throw r.fail(node, "mapping.preset: say which export file(s) with file: or files:") }
            p.files = files
            if let paidAsOf { for k in p.layouts.indices { p.layouts[k].paidAsOf = paidAsOf } }
            // With a preset, mapping.date_format is the export's (a US Xero organisation writes
            // MM/DD/YYYY); it is not applied to native files beside it.
            if let f = presetDateFormat { for k in p.layouts.indices { p.layouts[k].dateFormat = f } }
            m.exports.insert(p, at: 0)
        } else if let filesNode {
            throw r.fail(filesNode, "mapping.file(s) goes with preset: (or give each export under exports:)")
        }
        return m
    }

    /// One entry of `mapping.exports`: a preset with its files, or a layout written out.
    static func readExport(_ node: Node, _ r: Reader) throws(LoadError) -> ExportSource {
        let ctx = "mapping.exports"
        var files: [String] = []
        var presetName: (Node, String)? = nil
        var layout = ExportLayout(name: "export")
        var wroteLayout: Node? = nil
        var wroteDateFormat: DateFormat? = nil
        var routeNode: Node? = nil
        for (k, v) in try r.map(node, ctx) {
            let key = try r.key(k)
            if !["file", "files", "preset", "paid_as_of", "name", "date_format"].contains(key) { wroteLayout = wroteLayout ?? k }
            switch key {
            case "file", "files": files = try r.stringList(v, "\(ctx).\(key)")
            case "preset": presetName = (v, try r.string(v, "\(ctx).preset"))
            case "name": layout.name = try r.string(v, "\(ctx).name")
            case "paid_as_of": layout.paidAsOf = try r.day(v, "\(ctx).paid_as_of")
            case "encoding":
                let s = try r.string(v, "\(ctx).encoding")
                guard let e = TextEncoding(name: s) else {
                    throw r.fail(v, "\(ctx).encoding: '\(s)' is not an encoding ARLens reads (utf-8, windows-1252, iso-8859-1, utf-16)")
                }
                layout.encoding = EncodingChoice(stated: e)
            case "delimiter":
                let s = try r.string(v, "\(ctx).delimiter")
                switch s {
                case ",", ";", "|": layout.delimiter = s.utf8.first
                case "tab", "\t": layout.delimiter = 9
                default: throw r.fail(v, "\(ctx).delimiter: '\(s)' is not one of , ; | tab")
                }
            case "header":
                if let n = v.int {
                    guard n >= 1 && n <= 10_000 else { throw r.fail(v, "\(ctx).header: a line number from 1 to 10000") }
                    layout.header = .line(n)
                } else {
                    for (hk, hv) in try r.map(v, "\(ctx).header") {
                        switch try r.key(hk) {
                        case "contains": layout.header = .containing(try r.string(hv, "\(ctx).header.contains"))
                        case "line":
                            let n = try r.int(hv, "\(ctx).header.line")
                            guard n >= 1 && n <= 10_000 else { throw r.fail(hv, "\(ctx).header.line: a line number from 1 to 10000") }
                            layout.header = .line(n)
                        case let other: throw r.fail(hk, "\(ctx).header: unknown key '\(other)' (contains, line)")
                        }
                    }
                }
            case "skip":
                for item in try r.seq(v, "\(ctx).skip") {
                    if case .scalar = item {
                        layout.skip.append(SkipRule(pattern: try r.pattern(item, "\(ctx).skip")))
                        continue
                    }
                    var rule = SkipRule(pattern: "")
                    for (sk, sv) in try r.map(item, "\(ctx).skip") {
                        switch try r.key(sk) {
                        case "column": rule.column = try r.string(sv, "\(ctx).skip.column")
                        case "matches": rule.pattern = try r.pattern(sv, "\(ctx).skip.matches")
                        case let other: throw r.fail(sk, "\(ctx).skip: unknown key '\(other)' (column, matches)")
                        }
                    }
                    guard !rule.pattern.isEmpty else { throw r.fail(item, "\(ctx).skip: each rule needs matches:") }
                    layout.skip.append(rule)
                }
            case "skip_empty": layout.skipEmpty = try r.stringList(v, "\(ctx).skip_empty")
            case "keep":
                for (kk, kv) in try r.map(v, "\(ctx).keep") {
                    layout.keep.append(KeepRule(column: try r.key(kk), values: try r.stringList(kv, "\(ctx).keep")))
                }
            case "date_format":
                layout.dateFormat = try r.dateFormat(v, "\(ctx).date_format")
                wroteDateFormat = layout.dateFormat
            case "amount_style": layout.amountStyle = try r.amountStyle(v, "\(ctx).amount_style")
            case "negate": layout.negate = try r.bool(v, "\(ctx).negate")
            case "amounts":
                let s = try r.string(v, "\(ctx).amounts")
                guard let c = SignConvention(rawValue: s) else { throw r.fail(v, "\(ctx).amounts: '\(s)' is not ledger or positive") }
                layout.signs = c
            case "columns", "constants":
                for (ck, cv) in try r.map(v, "\(ctx).\(key)") {
                    let name = try r.key(ck).lowercased()
                    guard let f = ExportField(rawValue: name) else {
                        throw r.fail(ck, "\(ctx).\(key): '\(name)' is not a field of an export row (\(ExportField.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    let value = try r.string(cv, "\(ctx).\(key).\(name)")
                    if key == "columns" {
                        let e = ColumnExpr(value)
                        guard !e.terms.isEmpty else { throw r.fail(cv, "\(ctx).columns.\(name): empty") }
                        if e.terms.count > 1 && !ExportField.amounts.contains(f) {
                            throw r.fail(cv, "\(ctx).columns.\(name): only amounts (amount, open, paid) can be sums of columns")
                        }
                        layout.columns[f] = e
                    } else {
                        layout.constants[f] = value
                    }
                }
            case "route":
                routeNode = v
                var route = RouteRule()
                route.otherwise = nil       // a value the route does not list is rejected, naming it
                for (rk, rv) in try r.map(v, "\(ctx).route") {
                    switch try r.key(rk) {
                    case "column": route.column = try r.string(rv, "\(ctx).route.column")
                    case "values":
                        for (vk, vv) in try r.map(rv, "\(ctx).route.values") {
                            route.values[try r.key(vk)] = try r.target(vv, "\(ctx).route.values", sign: true)
                        }
                    case "otherwise":
                        let s = try r.string(rv, "\(ctx).route.otherwise")
                        route.otherwise = s == "reject" ? nil : try r.target(rv, "\(ctx).route.otherwise", sign: true)
                    case "positive": route.positive = try r.target(rv, "\(ctx).route.positive", sign: false)
                    case "negative": route.negative = try r.target(rv, "\(ctx).route.negative", sign: false)
                    case let other: throw r.fail(rk, "\(ctx).route: unknown key '\(other)' (column, values, otherwise, positive, negative)")
                    }
                }
                layout.route = route
            case "fold":
                if let b = v.bool {
                    layout.fold = b ? FoldRule(sum: [.amount]) : nil
                } else {
                    var sum: [ExportField] = []
                    for (fk, fv) in try r.map(v, "\(ctx).fold") {
                        guard try r.key(fk) == "sum" else { throw r.fail(fk, "\(ctx).fold: unknown key (sum)") }
                        for n in try r.stringList(fv, "\(ctx).fold.sum") {
                            guard let f = ExportField(rawValue: n), ExportField.amounts.contains(f) else {
                                throw r.fail(fv, "\(ctx).fold.sum: '\(n)' is not amount, open or paid")
                            }
                            sum.append(f)
                        }
                    }
                    layout.fold = FoldRule(sum: sum)
                }
            case let other:
                throw r.fail(k, "\(ctx): unknown key '\(other)' (file, files, preset, name, encoding, delimiter, header, skip, skip_empty, keep, date_format, amount_style, negate, amounts, columns, constants, route, fold, paid_as_of)")
            }
        }
        guard !files.isEmpty else { throw r.fail(node, "\(ctx): each export needs file: or files:") }
        if let (pn, name) = presetName {
            if let w = wroteLayout { throw r.fail(w, "\(ctx): an export with preset: takes only file(s), paid_as_of and date_format") }
            guard var p = Presets.named(name) else {
                throw r.fail(pn, "\(ctx).preset: unknown preset '\(name)' (presets: \(Presets.names.joined(separator: ", ")))")
            }
            p.files = files
            if let d = layout.paidAsOf { for k in p.layouts.indices { p.layouts[k].paidAsOf = d } }
            if let f = wroteDateFormat { for k in p.layouts.indices { p.layouts[k].dateFormat = f } }
            return p
        }
        var required: [ExportField] = [.customer, .date, .amount]
        required.removeAll { layout.columns[$0] != nil || layout.constants[$0] != nil }
        if !required.isEmpty {
            throw r.fail(node, "\(ctx): columns must map \(required.map(\.rawValue).joined(separator: ", "))")
        }
        if let rn = routeNode, layout.route.column == nil, !layout.route.values.isEmpty {
            throw r.fail(rn, "\(ctx).route: values need column:")
        }
        return ExportSource(files: files, layouts: [layout])
    }

    static func readTable(_ node: Node, _ table: TableName, _ r: Reader) throws(LoadError) -> TableMapping {
        var t = TableMapping()
        let ctx = "mapping.\(table.rawValue)"
        let canonical = Set(LedgerSchema.columns[table]!.map(\.name))
        for (k, v) in try r.map(node, ctx) {
            let key = try r.key(k)
            switch key {
            case "file": t.file = try r.string(v, "\(ctx).file")
            case "table":
                let name = try r.string(v, "\(ctx).table")
                guard !name.isEmpty else { throw r.fail(v, "\(ctx).table: expected a table or view name (schema.name or name)") }
                t.relation = name
            case "query":
                let q = try r.string(v, "\(ctx).query").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !q.isEmpty, !q.hasSuffix(";") else { throw r.fail(v, "\(ctx).query: expected one SELECT, without a trailing ';'") }
                t.query = q
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
                throw r.fail(k, "\(ctx): unknown key '\(key)' (file, table, query, columns, constants, date_format, amount_style\(table == .invoices ? ", customer_columns" : ""))")
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
        func stringList(_ n: Node, _ key: String) throws(LoadError) -> [String] {
            if case .scalar = n { return [try string(n, key)] }
            var out: [String] = []
            for item in try seq(n, key) { out.append(try string(item, key)) }
            return out
        }
        func bool(_ n: Node, _ key: String) throws(LoadError) -> Bool {
            guard let b = n.bool else { throw fail(n, "\(key): expected true or false") }
            return b
        }
        func day(_ n: Node, _ key: String) throws(LoadError) -> Day {
            let s = try string(n, key)
            guard let d = Day(iso: s), ValueLimits.dates.contains(d) else { throw fail(n, "\(key): '\(s)' is not a date (YYYY-MM-DD)") }
            return d
        }
        func pattern(_ n: Node, _ key: String) throws(LoadError) -> String {
            let s = try string(n, key)
            guard !s.isEmpty, (try? Regex(s)) != nil else { throw fail(n, "\(key): '\(s)' is not a regular expression") }
            return s
        }
        func target(_ n: Node, _ key: String, sign: Bool) throws(LoadError) -> ExportTarget {
            let s = try string(n, key)
            guard let t = ExportTarget(rawValue: s), sign || t != .sign else {
                let names = ExportTarget.allCases.filter { sign || $0 != .sign }.map(\.rawValue).joined(separator: ", ")
                throw fail(n, "\(key): '\(s)' is not one of \(names)")
            }
            return t
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
