import ARLoading
import Foundation

/// Why a job could not be done, and the exit code that says so (cli.md): 1 when the input or
/// a value given is wrong, or when writing or drawing failed; 2 only for command-line usage.
public struct ARLensError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        /// An option that cannot be used as given (exit 2).
        case usage
        /// The ledger or a value given is wrong: a bad date, an unknown metric or customer (exit 1).
        case input
        /// Writing, drawing or reading an output failed (exit 1).
        case runtime
        /// A result broke one of its own invariants (exit 1). No input should reach this.
        case invariant
        /// `--strict` and rows were rejected (exit 1); the message says so on its own.
        case strict
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public static func usage(_ m: String) -> ARLensError { ARLensError(.usage, m) }
    public static func input(_ m: String) -> ARLensError { ARLensError(.input, m) }
    public static func runtime(_ m: String) -> ARLensError { ARLensError(.runtime, m) }
    public static func invariant(_ m: String) -> ARLensError { ARLensError(.invariant, m) }

    public var exitCode: Int32 { kind == .usage ? 2 : 1 }

    /// The one line printed after "arlens: ".
    public var description: String {
        switch kind {
        case .invariant: return "internal error: " + message
        case .strict: return message
        default: return "error: " + message
        }
    }

    /// Any error as an ARLensError: load errors and this type pass through, anything else
    /// (a file that could not be written, a drawing that failed) is a runtime failure with
    /// its plain message, never a raw dump.
    public static func from(_ error: any Error) -> ARLensError {
        switch error {
        case let e as ARLensError: return e
        case let e as LoadError: return .input(e.description)
        case let e as CocoaError:
            let path = (e.userInfo[NSFilePathErrorKey] as? String).map { "\($0): " } ?? ""
            return .runtime(path + Self.reason(e))
        case let e as CustomStringConvertible: return .runtime(e.description)
        default: return .runtime(String(describing: error))
        }
    }

    private static func reason(_ e: CocoaError) -> String {
        if let u = e.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain,
           let s = strerror(Int32(u.code)) {
            return String(cString: s).lowercased()
        }
        switch e.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or folder"
        case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteFileExists: return "a file is in the way"
        default: return "file operation failed (code \(e.code.rawValue))"
        }
    }
}
