import Foundation

/// Where ARLens finds what ships beside the binary: the pack, notice and statement
/// templates, and the bundled sample ledger. Looked for, in order:
/// 1. `$ARLENS_SHARE` (a folder holding `report-templates/` and `sample/`);
/// 2. `share/arlens` beside the binary's folder, as `make install PREFIX=…` lays it out
///    (`PREFIX/bin/arlens`, `PREFIX/share/arlens/…`);
/// 3. a source checkout holding the binary (`.build/…/arlens` inside the repository);
/// 4. the source checkout the binary was built from.
/// `--templates DIR` (or `templates:` in arlens.yml) overrides the templates.
public enum Resources {
    /// The folders searched, in order, each with its layout: (templates root, sample folder).
    public static var searchPath: [(templates: String, sample: String)] {
        var out: [(String, String)] = []
        if let share = ProcessInfo.processInfo.environment["ARLENS_SHARE"], !share.isEmpty {
            out.append((share + "/report-templates", share + "/sample"))
        }
        if let exe = executableFolder {
            let share = (exe as NSString).deletingLastPathComponent + "/share/arlens"
            out.append((share + "/report-templates", share + "/sample"))
            // A checkout: walk up from the binary to the folder holding Package.swift.
            var dir = exe
            for _ in 0..<6 {
                if FileManager.default.fileExists(atPath: dir + "/Package.swift") {
                    out.append((dir + "/report-templates", dir + "/datasets/sample"))
                    break
                }
                dir = (dir as NSString).deletingLastPathComponent
            }
        }
        out.append((sourceRoot + "/report-templates", sourceRoot + "/datasets/sample"))
        return out
    }

    /// The repository this file was compiled from.
    static let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static var executableFolder: String? {
        guard let p = Bundle.main.executablePath else { return nil }
        return (URL(fileURLWithPath: p).resolvingSymlinksInPath().path as NSString).deletingLastPathComponent
    }

    /// The templates of one kind (`pack`, `notices`, `statements`): `override` when given,
    /// else the first installed or checked-out copy that has them.
    public static func templates(_ kind: String, override: String? = nil) throws -> String {
        if let override { return override }
        let marker = ["pack": "layout.mustache", "notices": "letter.mustache", "statements": "letter.mustache"][kind] ?? "letter.mustache"
        for p in searchPath where FileManager.default.fileExists(atPath: "\(p.templates)/\(kind)/\(marker)") {
            return "\(p.templates)/\(kind)"
        }
        throw ARLensError.runtime("the \(kind) templates are not installed (looked in \(searchPath.map(\.templates).joined(separator: ", "))); run make install, set ARLENS_SHARE, or pass --templates DIR")
    }

    /// The bundled sample ledger.
    public static func sample() throws -> String {
        for p in searchPath where FileManager.default.fileExists(atPath: p.sample + "/invoices.csv") { return p.sample }
        throw ARLensError.runtime("the bundled sample ledger is not installed (looked in \(searchPath.map(\.sample).joined(separator: ", "))); run make install or set ARLENS_SHARE")
    }

    /// The ledger folder a command reads: `data` as given (`sample` is the bundled sample),
    /// or the current folder when it holds a ledger.
    public static func ledgerFolder(_ data: String?) throws -> String {
        if data == "sample" && !FileManager.default.fileExists(atPath: "sample/invoices.csv") { return try sample() }
        if let data { return data }
        let fm = FileManager.default
        if fm.fileExists(atPath: "invoices.csv") || fm.fileExists(atPath: "arlens.yml") { return "." }
        throw ARLensError.input("no ledger in the current folder (no invoices.csv or arlens.yml here); use --data DIR, or --data sample for the bundled sample")
    }

    /// Copies every template folder into `directory` (which must not exist or be empty), to edit
    /// and use with `--templates`. Returns the files written, relative to `directory`.
    public static func exportTemplates(to directory: String) throws -> [String] {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: directory), !existing.isEmpty {
            throw ARLensError.input("\(directory) is not empty; choose a new folder")
        }
        guard let root = searchPath.map(\.templates).first(where: { fm.fileExists(atPath: $0 + "/pack/layout.mustache") }) else {
            _ = try templates("pack")   // throws the not-installed message
            return []
        }
        var written: [String] = []
        for kind in ["pack", "notices", "statements"] {
            let files = (fm.enumerator(atPath: "\(root)/\(kind)")?.allObjects as? [String] ?? []).sorted()
            for f in files {
                var isDir: ObjCBool = false
                guard fm.fileExists(atPath: "\(root)/\(kind)/\(f)", isDirectory: &isDir), !isDir.boolValue else { continue }
                let target = "\(directory)/\(kind)/\(f)"
                try fm.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try fm.copyItem(atPath: "\(root)/\(kind)/\(f)", toPath: target)
                written.append("\(kind)/\(f)")
            }
        }
        return written
    }
}
