#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Phase timing of one process, for finding where a command's time goes: with
/// `ARLENS_PROFILE=1` in the environment, `mark` records the time since the previous mark and
/// `report()` prints every phase on stderr ("arlens: profile: ..."), with the process's CPU
/// time. Without it every call is one branch on a constant. Not for tests: timings differ run
/// to run.
public enum Profile {
    public static let enabled: Bool = getenv("ARLENS_PROFILE").map { $0.pointee != 0 && $0.pointee != 0x30 } ?? false
    nonisolated(unsafe) private static var marks: [(String, UInt64)] = []
    nonisolated(unsafe) private static var last: UInt64 = 0
    private static let lock = ProfileLock()

    static func now() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// Starts the clock (the first mark counts from here; from the first mark when not called).
    public static func start() {
        guard enabled else { return }
        lock.run { last = now() }
    }

    /// Ends the phase `name` (the time since the previous mark).
    @inline(__always)
    public static func mark(_ name: @autoclosure () -> String) {
        guard enabled else { return }
        let t = now()
        let n = name()
        lock.run {
            if last == 0 { last = t }
            marks.append((n, t - last))
            last = t
        }
    }

    /// Records `name` as having taken `nanoseconds` beside the phases (work done on another
    /// thread, or a part of the phase being timed): the clock does not move.
    public static func note(_ name: @autoclosure () -> String, nanoseconds: UInt64) {
        guard enabled else { return }
        let n = "  (" + name() + ")"
        lock.run { marks.append((n, nanoseconds)) }
    }

    /// The monotonic clock in nanoseconds (for `note`).
    public static var clock: UInt64 { now() }

    /// Prints the phases on stderr, then forgets them.
    public static func report() {
        guard enabled else { return }
        let list = lock.run { () -> [(String, UInt64)] in defer { marks = [] }; return marks }
        var u = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &u)
        #else
        getrusage(RUSAGE_SELF, &u)
        #endif
        let cpu = Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3
        var s = ""
        var total: UInt64 = 0
        for (n, d) in list {
            if !n.hasPrefix("  (") { total += d }
            s += "arlens: profile: " + pad(n) + fixed(Double(d) / 1e6) + " ms\n"
        }
        s += "arlens: profile: " + pad("total (marked)") + fixed(Double(total) / 1e6) + " ms; cpu " + fixed(cpu)
            + " ms (user " + fixed(Double(u.ru_utime.tv_sec) * 1e3 + Double(u.ru_utime.tv_usec) / 1e3) + "), peak rss "
            + String(u.ru_maxrss / 1024) + " MB, minor faults " + String(u.ru_minflt) + "\n"
        _ = s.withCString { write(2, $0, strlen($0)) }
    }

    private static func pad(_ s: String) -> String { s.count >= 34 ? s + " " : s + String(repeating: " ", count: 34 - s.count) }
    private static func fixed(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return String(Int(r)) + "." + String(Int((abs(r) * 10).rounded()) % 10)
    }
}

/// A mutex (the profile's marks may come from several threads).
final class ProfileLock: @unchecked Sendable {
    private var m = pthread_mutex_t()
    init() { pthread_mutex_init(&m, nil) }
    deinit { pthread_mutex_destroy(&m) }
    func run<R>(_ body: () -> R) -> R {
        pthread_mutex_lock(&m)
        defer { pthread_mutex_unlock(&m) }
        return body()
    }
}
