import CCairo

/// A cairo status other than success, as a Swift error with cairo's own description.
public struct CairoError: Error, Equatable, CustomStringConvertible {
    public let status: UInt32
    public let operation: String

    init(_ status: cairo_status_t, _ operation: String) {
        self.status = status.rawValue
        self.operation = operation
    }

    public var description: String {
        let text = String(cString: cairo_status_to_string(cairo_status_t(status)))
        return "\(operation): \(text)"
    }

    /// Throws when `status` is not success.
    static func check(_ status: cairo_status_t, _ operation: String) throws(CairoError) {
        if status != CAIRO_STATUS_SUCCESS { throw CairoError(status, operation) }
    }
}

/// The cairo library this build links against, e.g. "1.16.0".
public enum CairoLibrary {
    public static var version: String { String(cString: cairo_version_string()) }
}
