import ARLoading
import ARModel
import Foundation
import Testing
@testable import ARAnalytics

func readTruth(_ dir: String) -> [AnomalyScoring.Known] {
    let text = try! String(contentsOfFile: dir + "/_truth/anomalies.csv", encoding: .utf8)
    return text.split(separator: "\n").dropFirst().map { line in
        let f = line.split(separator: ",", maxSplits: 4, omittingEmptySubsequences: false)
        return AnomalyScoring.Known(kind: AnomalyKind(rawValue: String(f[1]))!, documents: Set(f[2].split(separator: ";").map(String.init)))
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
                         s.kind.rawValue as NSString, s.known, s.found, s.findings, s.correct, s.recall, s.precision))
            #expect(s.recall >= 0.95, "\(s.kind) recall \(s.recall)")
            #expect(s.precision >= 0.8, "\(s.kind) precision \(s.precision)")
        }
    }
}

@Suite struct OtherAnomalyRuleTests {
    /// The generator delays every payment due in March 2026 by two weeks: CEI drops that
    /// month and recovers the next, and both moves stand out from the usual month-to-month change.
    @Test func theBadMonthStandsOut() throws {
        let t = Timeline(try LedgerLoader.load(directory: AnomalyScoringTests.sample).ledger)
        let shifts = AnomalyRules(t, approvalThreshold: 1_000_000).kpiShifts()
        let months = shifts.compactMap { f in f.evidence.first { $0.0 == "month" }?.1 }
        #expect(months.contains("2026-03"))
        #expect(months.contains("2026-04"))
        #expect(shifts.count <= 6)
    }

    @Test func transpositions() {
        #expect(AnomalyRules.transposed(125430, 124530))
        #expect(!AnomalyRules.transposed(125430, 125430))
        #expect(!AnomalyRules.transposed(125430, 135420))        // two digits apart, not adjacent
        #expect(!AnomalyRules.transposed(12543, 125430))         // different lengths
        #expect(AnomalyRules.transposed("101172", "101127"))
        #expect(AnomalyRules.transposed(340000, 430000))
        // The leading digit swapped with a zero drops it: 5,077.51 keyed as 0577.51.
        #expect(AnomalyRules.transposedAmount(507751, 57751) && AnomalyRules.transposedAmount(57751, 507751))
        #expect(AnomalyRules.transposedAmount(900000, 90000))
        #expect(!AnomalyRules.transposedAmount(517751, 57751))     // the digit left out is no zero
        #expect(!AnomalyRules.transposedAmount(507751, 57752))
        #expect(!AnomalyRules.transposedAmount(125430, 125430))
    }
}

@Suite struct BenfordTests {
    @Test func digitsComeFromMinorUnitsExactly() {
        #expect(Benford.group(123_45, .first) == 1)
        #expect(Benford.group(123_45, .firstTwo) == 12)
        #expect(Benford.group(123_45, .second) == 2)
        #expect(Benford.group(123_45, .lastTwo) == 45)
        #expect(Benford.group(7, .firstTwo) == nil)
        #expect(Benford.group(0, .first) == nil)
        // 0.1 + 0.2 in cents is 30: first digit 3, no floating point involved.
        #expect(Benford.scaled("0.3") == 30 && Benford.group(Benford.scaled("0.3")!, .first) == 3)
        #expect(Benford.scaled("1234.567") == 123456)   // beyond cents is cut, never rounded up
    }

    @Test func expectedProportionsSumToOne() {
        for test in Benford.Test.allCases {
            let sum = test.digits.reduce(0) { $0 + test.expected($1) }
            #expect(abs(sum - 1) < 1e-12, "\(test)")
        }
        #expect(abs(Benford.Test.second.expected(0) - 0.11968) < 1e-5)   // Nigrini's table
    }

    @Test func aBenfordSampleConformsAndAUniformOneDoesNot() {
        // Powers of 1.01 follow Benford's law closely; evenly spread amounts do not.
        var x = 1.0, benford: [Int64] = []
        for _ in 0..<5000 { x *= 1.01; if x > 1e12 { x /= 1e10 }; benford.append(Int64(x * 100)) }
        let good = Benford.run(benford, .first)
        #expect(good.conformity == "close" || good.conformity == "acceptable")
        let uniform = Benford.run((1...5000).map { Int64(1000 + $0 * 7) * 100 }, .first)
        #expect(uniform.conformity == "nonconformity")
        #expect(uniform.chiSquare > good.chiSquare * 10)
    }
}
