import ARAnalytics
import ARModel
import AROutput

/// The `arlens kpi` JSON shape of cli.md, shared by the command and the pack's kpis.json.
public enum KPIJSON {
    public static func make(_ r: KPIResult) -> JSONValue {
        let digits = r.baseCurrency.minorDigits
        return .object([
            ("metrics", .array(r.query.metrics.map { .string($0.rawValue) })),
            ("grain", .string(r.query.grain.rawValue)),
            ("by", .optional(r.query.by?.rawValue)),
            ("rows", .array(r.rows.map { row in
                var fields: [(String, JSONValue)] = [("metric", .string(row.metric.rawValue)), ("period", .string(row.period)),
                                                     ("group", .optional(row.group))]
                switch row.value {
                case .money(let m): fields.append(("value", .string(Money.decimalString(m, digits: digits))))
                case .number(let x): fields.append(("value", .number(x)))
                case .null: fields.append(("value", .null))
                }
                if let s = row.status {
                    fields.append(("target", .number(s.target)))
                    fields.append(("status", .string(s.met ? "met" : "missed")))
                }
                return .object(fields)
            })),
        ])
    }
}
