import ARModel

/// Scores findings against known, injected anomalies (the generator's `_truth/anomalies.csv`):
/// recall and precision per injected kind. A known anomaly is found when a finding of a rule
/// meant for its kind (`AnomalyKind.rules`) names one of its documents; a finding is right when
/// it names a document of a known anomaly of that kind.
public enum AnomalyScoring {
    public struct Known: Sendable {
        public let kind: AnomalyKind
        public let documents: Set<String>
        public init(kind: AnomalyKind, documents: Set<String>) { self.kind = kind; self.documents = documents }
    }

    public struct Score: Sendable {
        public let kind: AnomalyKind
        public let known: Int
        public let found: Int
        public let findings: Int
        public let correct: Int
        public var recall: Double { known == 0 ? 1 : Double(found) / Double(known) }
        public var precision: Double { findings == 0 ? 1 : Double(correct) / Double(findings) }
    }

    public static func score(_ findings: [AnomalyFinding], _ known: [Known]) -> [Score] {
        AnomalyKind.allCases.sorted().map { kind in
            let truths = known.filter { $0.kind == kind }
            let rules = kind.rules
            let mine = findings.filter { rules.contains($0.rule) }
            let found = truths.filter { k in mine.contains { !k.documents.isDisjoint(with: $0.documents) } }.count
            let docs = truths.reduce(into: Set<String>()) { $0.formUnion($1.documents) }
            let correct = mine.filter { !docs.isDisjoint(with: $0.documents) }.count
            return Score(kind: kind, known: truths.count, found: found, findings: mine.count, correct: correct)
        }
    }

    /// Findings that name none of the planted documents (on a clean ledger: every finding),
    /// against the noise budget: under 5 per 1,000 documents at any severity, under 1 at 0.5
    /// or more. Findings without documents (portfolio-level ones) count too.
    public struct Noise: Sendable {
        public let documents: Int
        public let count: Int
        public let serious: Int
        public let byRule: [(rule: AnomalyRule, count: Int)]
        public var perThousand: Double { documents == 0 ? 0 : Double(count) * 1000 / Double(documents) }
        public var seriousPerThousand: Double { documents == 0 ? 0 : Double(serious) * 1000 / Double(documents) }
    }

    public static func noise(_ findings: [AnomalyFinding], _ known: [Known], documents: Int) -> Noise {
        let planted = known.reduce(into: Set<String>()) { $0.formUnion($1.documents) }
        let stray = findings.filter { planted.isDisjoint(with: $0.documents) }
        var byRule: [AnomalyRule: Int] = [:]
        for f in stray { byRule[f.rule, default: 0] += 1 }
        return Noise(documents: documents, count: stray.count, serious: stray.filter { $0.severity >= 0.5 }.count,
                     byRule: byRule.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }
}
