import ARLoading
import ARModel
import Foundation
import Testing
@testable import ARAnalytics

func readTruth(_ dir: String) -> [AnomalyScoring.Known] {
    let text = try! String(contentsOfFile: dir + "/_truth/anomalies.csv", encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { line in
        let f = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false)
        return AnomalyScoring.Known(kind: String(f[1]), documents: Set(f[2].split(separator: ";").map(String.init)))
    }
}

@Suite struct AnomalyScoringTests {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("datasets/sample").path

    /// Every injected kind: recall at least 0.95 and precision at least 0.8 on the bundled sample.
    @Test func detectorsFindWhatWasInjected() throws {
        let t = Timeline(try LedgerLoader.load(directory: AnomalyScoringTests.sample).ledger)
        let findings = AnomalyRules(t, approvalThreshold: 1_000_000).run()
        let scores = AnomalyScoring.score(findings, readTruth(AnomalyScoringTests.sample))
        for s in scores {
            print(String(format: "%-26@ known %3d found %3d  findings %4d correct %4d  recall %.2f precision %.2f",
                         s.kind as NSString, s.known, s.found, s.findings, s.correct, s.recall, s.precision))
            #expect(s.recall >= 0.95, "\(s.kind) recall \(s.recall)")
            #expect(s.precision >= 0.8, "\(s.kind) precision \(s.precision)")
        }
    }
}
