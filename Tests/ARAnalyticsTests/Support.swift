import ARAnalytics
import ARLoading
import ARModel
import ARTestSupport
import Foundation

/// Writes a ledger folder from literal CSV text and loads it.
func ledger(_ files: [String: String]) throws -> LoadResult { try TempLedger(files).load() }

func day(_ s: String) -> Day { Day(iso: s)! }
func month(_ s: String) -> YearMonth { YearMonth(s)! }

extension KPIResult {
    /// The value of `metric` for `period` (and `group`).
    func value(_ metric: KPI, _ period: String, _ group: String? = nil) -> KPIValue {
        rows.first { $0.metric == metric && $0.period == period && $0.group == group }!.value
    }
}

/// Compares a computed ratio to a hand-worked one.
func close(_ v: KPIValue, _ expected: Double, _ tolerance: Double = 1e-9) -> Bool {
    guard let x = v.double else { return false }
    return abs(x - expected) <= tolerance * max(1, abs(expected))
}
