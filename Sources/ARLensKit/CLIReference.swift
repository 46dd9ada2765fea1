import Foundation

/// The command-line reference in Markdown, made from the command definitions themselves
/// (ArgumentParser's `--experimental-dump-help` JSON), so docs/cli.md cannot drift from the
/// binary: `arlens reference > docs/cli.md`, and a test compares the two.
public enum CLIReference {
    public static func markdown(dumpHelp json: String) throws -> String {
        guard let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let command = root["command"] as? [String: Any] else {
            throw ARLensError.runtime("the command definitions could not be read")
        }
        var out = """
        # Command-line reference

        Generated from the command definitions by `arlens reference`; do not edit by hand.
        Exit codes, output formats and the JSON documents are described in [output.md](output.md).


        """
        func section(_ c: [String: Any], path: [String]) {
            guard (c["shouldDisplay"] as? Bool) ?? true else { return }
            let name = (path + [c["commandName"] as? String ?? ""]).joined(separator: " ")
            let subs = (c["subcommands"] as? [[String: Any]]) ?? []
            if !path.isEmpty {
                out += "## `\(name)`\n\n"
                if let a = c["abstract"] as? String { out += a + "\n\n" }
                if let d = c["discussion"] as? String { out += d + "\n\n" }
                let args = ((c["arguments"] as? [[String: Any]]) ?? []).filter {
                    ($0["shouldDisplay"] as? Bool) ?? true && !["help", "version"].contains(($0["preferredName"] as? [String: Any])?["name"] as? String ?? "")
                }
                if !args.isEmpty && subs.isEmpty {
                    out += "| argument | meaning |\n|---|---|\n"
                    for a in args {
                        let kind = a["kind"] as? String ?? ""
                        let pref = a["preferredName"] as? [String: Any]
                        var label: String
                        switch kind {
                        case "positional": label = "<\(a["valueName"] as? String ?? "")>"
                        case "flag": label = "--\(pref?["name"] as? String ?? "")"
                        default: label = "--\(pref?["name"] as? String ?? "") <\(a["valueName"] as? String ?? "")>"
                        }
                        if (a["isOptional"] as? Bool) ?? false { label = "[" + label + "]" }
                        var meaning = (a["abstract"] as? String ?? "").replacingOccurrences(of: "|", with: "\\|")
                        if let d = a["defaultValue"] as? String, kind != "flag" { meaning += " Default: `\(d)`." }
                        out += "| `\(label)` | \(meaning) |\n"
                    }
                    out += "\n"
                }
            }
            if !subs.isEmpty && !path.isEmpty {
                out += "Subcommands: " + subs.filter { ($0["shouldDisplay"] as? Bool) ?? true }.map { "`\(name) \($0["commandName"] as? String ?? "")`" }.joined(separator: ", ") + ".\n\n"
            }
            for s in subs { section(s, path: path + [c["commandName"] as? String ?? ""]) }
        }
        section(command, path: [])
        return out
    }
}
