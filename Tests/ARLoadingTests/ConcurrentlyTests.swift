import Foundation
import Testing
@testable import ARLoading

/// `concurrently` runs every job at the same time, whatever the number of cores (the pushdown's
/// statements wait on the server, which must have all of them to schedule).
@Suite struct ConcurrentlyTests {
    final class Meeting: @unchecked Sendable {
        let lock = NSCondition()
        var arrived = 0
        /// Waits until `n` jobs are here (false when they do not all come within 10 s).
        func meet(_ n: Int) -> Bool {
            lock.lock(); defer { lock.unlock() }
            arrived += 1
            lock.broadcast()
            let deadline = Date().addingTimeInterval(10)
            while arrived < n { if !lock.wait(until: deadline) { return false } }
            return true
        }
    }

    @Test func moreJobsThanCoresAllRunAtOnceAndKeepTheirOrder() {
        // Each job returns only when all of them are running: on a pool of as many threads as
        // cores (2 here), the third would never start while the first two wait.
        let n = ProcessInfo.processInfo.activeProcessorCount + 3
        let meeting = Meeting()
        let results = concurrently((0..<n).map { i in { @Sendable () -> (Int, Bool) in (i * 10, meeting.meet(n)) } })
        #expect(results.map(\.0) == (0..<n).map { $0 * 10 })
        #expect(results.filter { !$0.1 }.isEmpty)
    }
}
