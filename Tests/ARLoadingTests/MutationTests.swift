import Foundation
import Testing
@testable import ARLoading

/// SplitMix64: a small seeded generator, so every run mutates the same way.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct MutationTests {
    /// Damages the hand-made ledger's files at random (bytes deleted, quotes, commas, newlines
    /// and stray bytes inserted) 300 times. Every load either fails with one LoadError or
    /// accounts for every row: read = loaded + rejected, per file. Nothing crashes.
    @Test func damagedLedgersNeverLoseRows() throws {
        let names = ["customers.csv", "invoices.csv", "payments.csv", "applications.csv", "adjustments.csv",
                     "disputes.csv", "activities.csv", "purchase_orders.csv", "fx_rates.csv", "arlens.yml"]
        let originals = names.map { FileManager.default.contents(atPath: handmadeLedgerPath + "/" + $0)! }
        var rng = SplitMix64(state: 20261129)
        let inserts: [[UInt8]] = [[34], [44], [10], [13, 10], [0], [0xFF], [0xC3], [34, 34], [32], [45], [46]]
        var loadedRuns = 0, failedRuns = 0, rejectedRows = 0
        for _ in 0..<300 {
            let t = TempLedger([:])
            for (k, name) in names.enumerated() {
                var bytes = [UInt8](originals[k])
                if name != "arlens.yml" && Int.random(in: 0..<3, using: &rng) == 0 {
                    for _ in 0..<Int.random(in: 1...6, using: &rng) where !bytes.isEmpty {
                        let at = Int.random(in: 0..<bytes.count, using: &rng)
                        if Bool.random(using: &rng) { bytes.remove(at: at) }
                        else { bytes.insert(contentsOf: inserts.randomElement(using: &rng)!, at: at) }
                    }
                }
                t.write(name, Data(bytes))
            }
            do {
                let r = try t.load()
                loadedRuns += 1
                rejectedRows += r.report.totalRejected
                #expect(r.accountsForEveryRow, "\(r.report.files)")
                #expect(r.report.rejections.count == r.report.totalRejected)
            } catch {
                failedRuns += 1
                #expect(!error.description.isEmpty && !error.description.contains("\n"))
            }
        }
        // The damage is real: some loads fail outright and many rows are rejected.
        #expect(loadedRuns > 100)
        #expect(failedRuns > 0)
        #expect(rejectedRows > 100)
    }
}
