import AROutput
import Foundation

/// What the command line writes to a terminal: a result's text fitted to its width, and a
/// one-line status while long work runs.
public enum Terminal {
    /// The text to print for `result`: on a terminal, or when COLUMNS is set, text tables fit
    /// its width (100 by default) unless `wide`; CSV for Excel when `excel`.
    public static func text(_ result: some Rendered, format: OutputFormat, wide: Bool, excel: Bool) -> String {
        let columns = ProcessInfo.processInfo.environment["COLUMNS"].flatMap { Int($0) }.map { max(40, $0) }
        let fit = !wide && (isatty(STDOUT_FILENO) == 1 || columns != nil) ? columns ?? 100 : nil
        let text = TextTable.$fitWidth.withValue(fit) { result.render(format) }
        return excel && format == .csv ? ExcelCSV.adapt(text) : text
    }
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
}
