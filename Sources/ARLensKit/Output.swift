import AROutput

/// The output formats of the commands. Each result says which it can really produce.
public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// What a job returns: a neutral value that knows how to render itself in each format it
/// supports. The command line prints it; tests read its fields or its renderings.
public protocol Rendered {
    /// The formats `render` supports, in the order they are listed in help.
    static var formats: [OutputFormat] { get }
    /// The full text to print for a supported format (with its final newline).
    func render(_ format: OutputFormat) -> String
}

extension Rendered {
    public static var formats: [OutputFormat] { OutputFormat.allCases }
}

/// A result with one rendering per format: a JSON document, CSV text and a text table.
public protocol TabularResult: Rendered {
    var json: JSONValue { get }
    var csv: String { get }
    var table: String { get }
}

extension TabularResult {
    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .json: return json.printed
        case .csv: return csv
        case .table: return table
        }
    }
}

/// Lines of prose around text tables, joined the way `print` would write them.
struct TextBlock {
    private(set) var text = ""
    /// Appends `s` and a newline, like `print(s)`.
    mutating func line(_ s: String) { text += s + "\n" }
    /// Appends `s` as is, like `print(s, terminator: "")`.
    mutating func raw(_ s: String) { text += s }
}

extension JSONValue {
    /// The serialized document with its final newline, as printed.
    var printed: String { serialized() + "\n" }
}

/// `s` cut to `n` characters with an ellipsis.
func clip(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }
