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
}
