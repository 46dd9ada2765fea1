import ARAnalytics
import ARLoading
import ARModel
import AROutput
import Foundation

extension Workspace {
    /// The approval threshold from arlens.yml (`anomalies: approval_threshold:`), in minor units.
    var approvalThreshold: Int64 { configuration.approvalThreshold * base.minorPerMajor }

    /// The reviewed-findings list named in arlens.yml (`anomalies: {reviewed: FILE}`), or none.
    public func reviewedFindings() throws -> [ReviewedFinding] {
        try load.configuration.reviewedFile.map { try ColumnFile.reviewedFindings($0) } ?? []
    }

    /// Anomaly and fraud findings over a month range (default: the whole ledger), without the
    /// ones the reviewed-findings list clears; confirmed ones carry their verdict.
    public func anomalies(from: YearMonth?, to: YearMonth?) throws -> AnomaliesView {
        let findings = AnomalyRules(timeline, approvalThreshold: approvalThreshold, from: from?.firstDay, to: to?.lastDay).run()
        let (shown, cleared) = AnomalyReview(try reviewedFindings()).apply(findings)
        return AnomaliesView(workspace: self, findings: shown, cleared: cleared)
    }

    /// Cash released by reaching KPI levels (default: the targets in arlens.yml).
    public func whatIf(month: YearMonth?, dso: Double?, cei: Double?, over90: Double?) throws -> WhatIfView {
        for (flag, k, v) in [("--dso", KPI.dso, dso), ("--cei", KPI.cei, cei), ("--over90", KPI.pct_over_90, over90)] {
            let range = Target.metric(k).range
            if let v, !v.isFinite || !range.contains(v) {
                throw ARLensError.usage("\(flag) \(v) is outside \(Int(range.lowerBound)) to \(Int(range.upperBound))")
            }
        }
        let c = configuration
        let none = dso == nil && cei == nil && over90 == nil
        let w = WhatIf(timeline, configuration: c, month: month ?? lastMonth,
                       dso: none ? c.target(.dso) : dso, cei: none ? c.target(.cei) : cei, over90: none ? c.target(.pct_over_90) : over90)
        return WhatIfView(workspace: self, result: w)
    }

    /// Invoicing-policy findings over a month range (default: the last 12 months).
    public func policy(from: YearMonth?, to: YearMonth?) throws -> PolicyView {
        let (first, last) = try months(from: from, to: to) { $0.advanced(by: -11) }
        let findings = PolicyCompliance.check(timeline, configuration: configuration, from: first.firstDay, to: last.lastDay)
        return PolicyView(workspace: self, first: first, last: last, findings: findings)
    }

    /// The sub-ledger against the GL control account's balances in `glFile` (date,balance).
    public func reconcile(glFile: String) throws -> ReconcileView {
        let rows = try ColumnFile.glBalances(glFile, digits: base.minorDigits)
        return ReconcileView(workspace: self, lines: GLReconciliation.reconcile(timeline, gl: rows))
    }
}

public struct AnomaliesView: Rendered {
    let workspace: Workspace
    public let findings: [AnomalyFinding]
    /// Findings the reviewed-findings list cleared (not shown).
    public var cleared = 0

    public static func json(_ findings: [AnomalyFinding], _ base: Currency) -> JSONValue {
        .object([("findings", .array(findings.map { f in
            var fields: [(String, JSONValue)] = [
                ("rule", .string(f.rule.rawValue)), ("severity", .number((f.severity * 100).rounded() / 100)),
                ("amount", .string(Money.decimalString(f.amount, digits: base.minorDigits))),
                ("documents", .array(f.documents.map { .string($0) })), ("customers", .array(f.customers.map { .string($0) })),
                ("evidence", .object(f.evidence.map { ($0.0, .string($0.1)) })), ("message", .string(f.message))]
            if let r = f.review { fields.append(("review", .object([("verdict", .string(r.verdict.rawValue)), ("note", .string(r.note))]))) }
            return .object(fields)
        }))])
    }

    public func render(_ format: OutputFormat) -> String {
        let money = { (v: Int64, g: Bool) in workspace.money(v, grouped: g) }
        switch format {
        case .json: return Self.json(findings, workspace.base).printed
        case .csv:
            var w = CSVWriter(header: ["rule", "severity", "amount", "documents", "customers", "message", "review"])
            for x in findings {
                w.addRow([.text(x.rule.rawValue), .number(String(format: "%.2f", x.severity)), .number(money(x.amount, false)),
                          .text(x.documents.joined(separator: ";")), .text(x.customers.joined(separator: ";")), .text(x.message),
                          .text(x.review.map { $0.verdict.rawValue } ?? "")])
            }
            return w.text
        case .table:
            var byRule: [String: (Int, Int64)] = [:]
            for x in findings { byRule[x.rule.rawValue, default: (0, 0)].0 += 1; byRule[x.rule.rawValue, default: (0, 0)].1 += x.amount }
            var t = TextTable(["rule", "findings", "at stake"], align: [.left, .right, .right])
            for (rule, v) in byRule.sorted(by: { $0.value.1 != $1.value.1 ? $0.value.1 > $1.value.1 : $0.key < $1.key }) {
                t.add([rule, String(v.0), money(v.1, true)])
            }
            var out = TextBlock()
            let clearedNote = cleared == 0 ? "" : " (\(cleared) more cleared by review, not shown)"
            out.line("\(findings.count) findings\(clearedNote), amounts in \(workspace.base)\n" + t.render())
            for x in findings.prefix(50) {
                out.line(String(format: "%.2f  ", x.severity) + "\(x.review == nil ? "" : "[confirmed] ")\(x.rule.rawValue): \(x.message)")
            }
            if findings.count > 50 { out.line("... \(findings.count - 50) more (--format csv lists them all)") }
            return out.text
        }
    }

    /// Recall and precision per kind against a truth file (the generator's _truth/anomalies.csv:
    /// columns kind and documents, documents separated by `;`).
    public func score(truthFile: String) throws -> AnomalyScoreView {
        let f = try ColumnFile.read(truthFile, columns: ["kind", "documents"])
        if let m = f.malformed.first { throw LoadError.badValue(file: truthFile, line: m.line, column: nil, value: nil, reason: m.reason) }
        // Kinds this version does not know are left out of the score, as before.
        let known = f.rows.compactMap { row in
            AnomalyKind(rawValue: row[0]).map { AnomalyScoring.Known(kind: $0, documents: Set(row[1].split(separator: ";").map(String.init))) }
        }
        let l = workspace.timeline.ledger
        return AnomalyScoreView(lines: AnomalyScoring.score(findings, known),
                                noise: AnomalyScoring.noise(findings, known, documents: l.invoices.count + l.payments.count + l.adjustments.count))
    }
}

public struct AnomalyScoreView: Rendered {
    public let lines: [AnomalyScoring.Score]
    /// Findings that name no planted document, per 1,000 documents.
    public let noise: AnomalyScoring.Noise

    public func render(_ format: OutputFormat) -> String {
        let headers = ["kind", "injected", "found", "findings", "correct", "recall", "precision"]
        func cells(_ s: AnomalyScoring.Score) -> [String] {
            [s.kind.rawValue, String(s.known), String(s.found), String(s.findings), String(s.correct),
             String(format: "%.2f", s.recall), String(format: "%.2f", s.precision)]
        }
        switch format {
        case .json:
            return JSONValue.object([("kinds", .array(lines.map { s in
                .object([("kind", .string(s.kind.rawValue)), ("injected", .int(s.known)), ("found", .int(s.found)), ("findings", .int(s.findings)),
                         ("correct", .int(s.correct)), ("recall", .number((s.recall * 100).rounded() / 100)),
                         ("precision", .number((s.precision * 100).rounded() / 100))])
            }))]).printed
        case .csv:
            var w = CSVWriter(header: headers)
            for s in lines { w.addRow(cells(s).enumerated().map { $0.offset == 0 ? .text($0.element) : .number($0.element) }) }
            return w.text
        case .table:
            var t = TextTable(headers, align: [.left, .right, .right, .right, .right, .right, .right])
            for s in lines { t.add(cells(s)) }
            let n = noise
            return t.render() + String(format: "\nfalse alarms (findings naming no planted document) per 1,000 of %d documents: %.2f at any severity (%d), %.2f at 0.5 or more (%d)\n",
                                       n.documents, n.perThousand, n.count, n.seriousPerThousand, n.serious)
                + n.byRule.map { "  \($0.rule.rawValue): \($0.count)" }.joined(separator: "\n") + (n.byRule.isEmpty ? "" : "\n")
        }
    }
}

/// Benford's-law digit test on a numeric column of any CSV.
public struct BenfordView: Rendered {
    public static let formats: [OutputFormat] = [.table, .json]
    public let result: Benford.Result
    let test: Benford.Test

    /// Reads `column` of `file` (positive values; zero, negative and non-numbers are counted
    /// as skipped) and runs `test`.
    public init(file: String, column: String, test: String) throws {
        guard let kind = Benford.Test(rawValue: test) else { throw ARLensError.usage("--test must be first, first-two, second or last-two") }
        let f = try ColumnFile.read(file, columns: [column])
        var values: [Int64] = []
        values.reserveCapacity(f.rows.count)
        var skipped = f.malformed.count
        for row in f.rows {
            if let v = Benford.scaled(Substring(row[0])), v > 0 { values.append(v) } else { skipped += 1 }
        }
        self.test = kind
        result = Benford.run(values, kind, skippedBefore: skipped)
    }

    public func render(_ format: OutputFormat) -> String {
        let r = result
        switch format {
        case .json, .csv:
            return JSONValue.object([
                ("test", .string(test.rawValue)), ("n", .int(r.n)), ("skipped", .int(r.skipped)),
                ("chi_square", .number(r.chiSquare)), ("mad", .number(r.mad)), ("conformity", .string(r.conformity)), ("ks", .number(r.ks)),
                ("digits", .array(r.digits.map { d in
                    .object([("digits", .int(d.digit)), ("observed", .number(d.observed)), ("expected", .number(d.expected)),
                             ("count", .int(d.count))])
                })),
            ]).printed
        case .table:
            var out = TextBlock()
            out.line(String(format: "%@ test on %d values (%d skipped: zero, negative or not a number): chi-square %.1f, MAD %.5f (%@), KS %.4f",
                            test.rawValue, r.n, r.skipped, r.chiSquare, r.mad, r.conformity, r.ks))
            var t = TextTable(["digits", "count", "observed", "expected", "z"], align: [.right, .right, .right, .right, .right])
            for d in r.digits { t.add([String(d.digit), String(d.count), String(format: "%.4f", d.observed), String(format: "%.4f", d.expected), String(format: "%.2f", d.z)]) }
            out.raw(t.render())
            if !r.standouts.isEmpty { out.line("stand out: " + r.standouts.map(String.init).joined(separator: ", ")) }
            return out.text
        }
    }
}

public struct WhatIfView: Rendered {
    public static let formats: [OutputFormat] = [.table, .json]
    let workspace: Workspace
    public let result: WhatIf

    public func render(_ format: OutputFormat) -> String {
        let w = result
        let money = { (v: Int64, g: Bool) in workspace.money(v, grouped: g) }
        switch format {
        case .json, .csv:
            return JSONValue.object([
                ("month", .string(w.month.description)), ("per_day_of_dso", w.perDayOfDSO.map { .string(money($0, false)) } ?? .null),
                ("rows", .array(w.lines.map { l in
                    .object([("metric", .string(l.metric.rawValue)), ("current", .number((l.current * 100).rounded() / 100)),
                             ("target", .number(l.target)), ("released", .string(money(l.released, false)))])
                })),
            ]).printed
        case .table:
            var out = TextBlock()
            out.line("What reaching the targets would release, \(w.month) (\(workspace.base.code))")
            if let p = w.perDayOfDSO { out.line("Each day of DSO is \(money(p, true)) of cash.") }
            var t = TextTable(["metric", "now", "target", "cash released"], align: [.left, .right, .right, .right])
            for l in w.lines { t.add([l.metric.title, String(format: "%.1f", l.current), String(format: "%g", l.target), money(l.released, true)]) }
            if w.lines.isEmpty { out.line("No target given: use --dso, --cei or --over90, or set targets in arlens.yml.") } else { out.raw(t.render()) }
            return out.text
        }
    }
}

public struct PolicyView: Rendered {
    let workspace: Workspace
    public let first: YearMonth, last: YearMonth
    public let findings: [PolicyFinding]

    public func render(_ format: OutputFormat) -> String {
        let money = { (v: Int64, g: Bool) in workspace.money(v, grouped: g) }
        switch format {
        case .json:
            return JSONValue.object([("from", .string(first.description)), ("to", .string(last.description)), ("findings", .array(findings.map { x in
                .object([("rule", .string(x.rule)), ("document", .string(x.document)), ("customer_id", .string(x.customer)),
                         ("date", .string(x.date.description)), ("amount", .string(money(x.amount, false))), ("message", .string(x.message))])
            }))]).printed
        case .csv:
            let cu = workspace.ledger.customers
            var w = CSVWriter(header: ["rule", "document", "customer_id", "name", "date", "amount", "message"])
            for x in findings {
                w.addRow([.text(x.rule), .text(x.document), .text(x.customer), .text(cu.ids.find(x.customer).map { cu.name[Int($0)] } ?? ""),
                          .text(x.date.description), .number(money(x.amount, false)), .text(x.message)])
            }
            return w.text
        case .table:
            var by: [String: (Int, Int64)] = [:]
            for x in findings { by[x.rule, default: (0, 0)].0 += 1; by[x.rule, default: (0, 0)].1 += x.amount }
            var out = TextBlock()
            out.line("Invoicing policy, \(first) to \(last): \(findings.count) findings")
            var t = TextTable(["rule", "findings", "amount"], align: [.left, .right, .right])
            for (k, v) in by.sorted(by: { $0.key < $1.key }) { t.add([k, String(v.0), money(v.1, true)]) }
            out.raw(t.render())
            var d = TextTable(["rule", "document", "customer", "date", "what"], align: [.left, .left, .left, .left, .left])
            for x in findings.prefix(50) { d.add([x.rule, x.document, x.customer, x.date.description, clip(x.message, 90)]) }
            if !findings.isEmpty { out.raw("\nFirst \(min(50, findings.count)) (all with --format csv)\n" + d.render()) }
            return out.text
        }
    }
}

public struct ReconcileView: Rendered {
    let workspace: Workspace
    public let lines: [GLReconciliationLine]

    public func render(_ format: OutputFormat) -> String {
        let money = { (v: Int64, g: Bool) in workspace.money(v, grouped: g) }
        let base = workspace.base
        switch format {
        case .json:
            return JSONValue.object([("currency", .string(base.code)), ("rows", .array(lines.map { r in
                .object([("date", .string(r.date.description)), ("gl", .string(money(r.gl, false))), ("subledger", .string(money(r.subledger, false))),
                         ("difference", .string(money(r.difference, false))), ("explanations", .array(r.explanations.map { .string($0) }))])
            }))]).printed
        case .csv:
            var w = CSVWriter(header: ["date", "gl", "subledger", "difference", "explanation"])
            for r in lines {
                w.addRow([.text(r.date.description), .number(money(r.gl, false)), .number(money(r.subledger, false)), .number(money(r.difference, false)),
                          .text(r.explanations.joined(separator: "; "))])
            }
            return w.text
        case .table:
            var t = TextTable(["date", "GL", "sub-ledger", "difference", "explained by"], align: [.left, .right, .right, .right, .left])
            for r in lines {
                t.add([r.date.description, money(r.gl, true), money(r.subledger, true), money(r.difference, true),
                       r.difference == 0 ? "" : (r.explanations.first ?? "not found")])
            }
            let open = lines.filter { $0.difference != 0 }
            var out = TextBlock()
            out.line("AR control account against the sub-ledger (\(base.code)): \(lines.count) date\(lines.count == 1 ? "" : "s"), \(open.count) with a difference, \(open.filter { $0.explanations.isEmpty }.count) unexplained")
            out.raw(t.render())
            return out.text
        }
    }
}
