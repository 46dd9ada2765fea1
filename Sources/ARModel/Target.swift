/// What arlens.yml `targets:` may name: every KPI, and the two summary tiles that are not KPIs
/// of their own. Anything else is an error naming its line when the file is read.
public enum Target: Hashable, Sendable, CustomStringConvertible {
    case metric(KPI)
    /// The overdue share of AR (100 − pct_current), the summary's second tile.
    case pctOverdue
    /// Collections as a percentage of billings in the month, the summary's coverage tile.
    case collectionsVsBillings

    /// Every target name, KPIs first.
    public static let all: [Target] = KPI.allCases.map { .metric($0) } + [.pctOverdue, .collectionsVsBillings]

    public init?(name: String) {
        switch name.lowercased() {
        case "pct_overdue": self = .pctOverdue
        case "collections_vs_billings": self = .collectionsVsBillings
        default:
            guard let k = KPI(rawValue: name.lowercased()) else { return nil }
            self = .metric(k)
        }
    }

    /// The name as arlens.yml spells it.
    public var name: String {
        switch self {
        case .metric(let k): return k.rawValue
        case .pctOverdue: return "pct_overdue"
        case .collectionsVsBillings: return "collections_vs_billings"
        }
    }

    public var description: String { name }

    /// Which way is better, so what the target means.
    public var better: KPI.Better {
        switch self {
        case .metric(let k): return k.better
        case .pctOverdue: return .lower
        case .collectionsVsBillings: return .higher
        }
    }

    /// The values a target may take, by the kind of value: shares in percent 0...100, day
    /// counts 0...3650 (days late and ADD may be negative), the change in open invoices
    /// −100...1000 percent, turnover 0...1000, amounts and counts from 0.
    public var range: ClosedRange<Double> {
        switch self {
        case .pctOverdue: return 0...100
        case .collectionsVsBillings: return 0...1000
        case .metric(let k):
            switch k {
            case .add, .days_late, .days_late_weighted: return -3650...3650
            case .open_invoices_change: return -100...1000
            case .turnover: return 0...1000
            default: break
            }
            switch k.kind {
            case .percent: return 0...100
            case .days: return 0...3650
            case .ratio: return 0...1000
            case .money, .count: return 0...Double(ValueLimits.maxWholeUnits)
            }
        }
    }
}

extension Configuration {
    /// The target of a KPI from arlens.yml, if one is set.
    public func target(_ k: KPI) -> Double? { targets[.metric(k)] }
}
