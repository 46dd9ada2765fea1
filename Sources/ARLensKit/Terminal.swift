import ARModel
import AROutput
import Foundation

/// What the command line writes to a terminal: a result's text fitted to its width, and a
/// one-line status while long work runs.
/// A run that wrote letters: what keeps them from going out as they are, the line that says
/// what was written, and what it left out.
public protocol WrittenRun: Sendable {
    var warnings: [String] { get }
    var summary: String { get }
    var warning: String? { get }
}

extension WrittenRun {
    public var warning: String? { nil }
}

public enum Terminal {
    /// A run's warnings on stderr, its summary on stdout, then what it left out.
    public static func report(_ run: some WrittenRun) {
        for w in run.warnings { warn(w) }
        print(run.summary)
        if let w = run.warning { warn(w) }
    }

    /// The text to print for `result`: on a terminal, or when COLUMNS is set, text tables fit
    /// its width (100 by default) unless `wide`; CSV for Excel when `excel`.
    public static func text(_ result: some Rendered, format: OutputFormat, wide: Bool, excel: Bool) -> String {
        let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) }.map { max(40, $0) }
        let fit = !wide && (isatty(STDOUT_FILENO) == 1 || columns != nil) ? columns ?? 100 : nil
        let text = TextTable.$fitWidth.withValue(fit) { result.render(format) }
        return excel && format == .csv ? ExcelCSV.adapt(text) : text
    }

    /// Prints `result` as `text` makes it, marking the profile's phases. The result (and the
    /// workspace it refers to: ledger, timeline) is kept to the end of the process, which frees
    /// it all at once on exit instead of array by array.
    public static func emit(_ result: some Rendered, format: OutputFormat, wide: Bool, excel: Bool) {
        Profile.mark("the job's result, workspace freed")
        let out = text(result, format: format, wide: wide, excel: excel)
        Profile.mark("render")
        print(out, terminator: "")
        fflush(nil)
        Profile.mark("print")
        retained.append(result)
    }

    nonisolated(unsafe) static var retained: [Any] = []

    /// One line on stderr: `arlens: warning: ...`.
    public static func warn(_ s: String) { say("arlens: warning: \(s)") }
    /// One line on stderr: `arlens: note: ...`.
    public static func note(_ s: String) { say("arlens: note: \(s)") }
    /// One line on stderr, as it is.
    public static func say(_ s: String) { FileHandle.standardError.write(Data("\(s)\n".utf8)) }
}

/// A one-line status on stderr while long work runs, only when stderr is a terminal.
public final class StatusLine: Sendable {
    let active = isatty(STDERR_FILENO) == 1

    public init() {}

    public func show(_ step: String, _ fraction: Double? = nil) {
        guard active else { return }
        var s = "\r"
        if let fraction {
            let width = 24, filled = Int((max(0, min(1, fraction)) * Double(width)).rounded())
            s += "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
        }
        FileHandle.standardError.write(Data((s + step + "...\u{1B}[K").utf8))
    }

    public func finish() {
        if active { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }

    /// `work` with a status line (first showing `first`, at 0% when `started`), cleared
    /// afterwards, also when the work throws.
    public static func run<T>(_ first: String? = nil, started: Bool = false, _ work: (StatusLine) throws -> T) rethrows -> T {
        let status = StatusLine()
        defer { status.finish() }
        if let first { status.show(first, started ? 0 : nil) }
        return try work(status)
    }
}
