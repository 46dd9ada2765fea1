import Foundation
@testable import ARLoading
import ARModel
import Testing
@_exported import ARTestSupport

/// Minimal valid tables to build test ledgers from.
enum Fixture {
    static let customers = """
    customer_id,name,email,phone,currency,terms_days
    C1,Alpha,a@alpha.example,+1 555 0100 111,USD,30
    C2,Beta,b@beta.example,+1 555 0100 222,USD,45

    """
    static let invoices = """
    invoice_id,customer_id,issue_date,due_date,amount
    I1,C1,2026-01-10,2026-02-09,100.00
    I2,C2,2026-01-15,,250.00

    """
    static let payments = """
    payment_id,customer_id,received_date,amount
    P1,C1,2026-02-01,100.00

    """
}

extension LoadResult {
    /// Read = loaded + rejected for every file: the promise that nothing is dropped.
    var accountsForEveryRow: Bool {
        report.files.allSatisfy { $0.read == $0.loaded + $0.rejected }
    }

    func file(_ name: String) -> FileReport? { report.files.first { $0.file == name } }
}

/// The small hand-made ledger: every table, every data-quality finding, values worked out by hand.
let handmadeLedgerPath: String = {
    let here = URL(fileURLWithPath: #filePath)
    return here.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/handmade").path
}()

let repositoryRoot: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
}()

/// A ledger with `yaml` as its arlens.yml must fail to load with an error ending in `expected`.
func configFails(_ yaml: String, _ expected: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let t = TempLedger(["invoices.csv": Fixture.invoices, "arlens.yml": yaml])
    do {
        _ = try t.load()
        Issue.record("expected failure for \(yaml)", sourceLocation: sourceLocation)
    } catch {
        #expect(error.description.hasSuffix(expected), "\(error.description)", sourceLocation: sourceLocation)
    }
}
