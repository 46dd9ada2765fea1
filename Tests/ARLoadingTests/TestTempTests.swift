import ARTestSupport
import Foundation
import Testing

/// The tests' temporary folders: one per process, and a crashed run's folder removed by the
/// next run while a running process's folder is kept.
@Suite struct TestTempTests {
    @Test func pathsLieUnderTheProcessFolder() {
        let p = TestTemp.path("arlens-x-")
        #expect(p.hasPrefix(TestTemp.root + "/arlens-x-"))
        #expect(TestTemp.root.hasPrefix(NSTemporaryDirectory() + "arlens-tests-\(getpid())-"))
        #expect(FileManager.default.fileExists(atPath: TestTemp.root))
    }

    @Test func abandonedFoldersAreRemovedAndLiveOnesKept() throws {
        // A process that has exited (and been reaped) gives a pid that no longer runs.
        let done = Process()
        done.executableURL = URL(fileURLWithPath: "/bin/true")
        try done.run()
        done.waitUntilExit()
        let base = TestTemp.path("arlens-sweep-") + "/"
        let dead = "arlens-tests-\(done.processIdentifier)-0000", live = "arlens-tests-\(getpid())-1111"
        let other = "arlens-other-\(done.processIdentifier)-2222"
        for name in [dead, live, other] {
            try FileManager.default.createDirectory(atPath: base + name + "/inner", withIntermediateDirectories: true)
        }
        TestTemp.removeAbandoned(in: base)
        let left = try FileManager.default.contentsOfDirectory(atPath: base).sorted()
        #expect(left == [other, live].sorted())
    }
}
