/// The character encodings exports come in. Everything is transcoded to UTF-8 before the CSV
/// scanner sees it, so the scanner and the parsers stay byte-level UTF-8 readers.
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    /// Windows code page 1252 (Western European): what SAP GUI, Sage 50 and Excel "CSV"
    /// write on a German, French or British Windows machine.
    case windows1252 = "windows-1252"
    /// ISO 8859-1 (Latin-1).
    case latin1 = "iso-8859-1"
    /// UTF-16 with a byte-order mark (little or big endian): Excel's "Unicode Text".
    case utf16 = "utf-16"

    /// Names accepted in arlens.yml.
    public init?(name: String) {
        switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "utf-8", "utf8": self = .utf8
        case "windows-1252", "cp1252", "win-1252", "ansi": self = .windows1252
        case "iso-8859-1", "latin-1", "latin1", "iso8859-1": self = .latin1
        case "utf-16", "utf16", "unicode": self = .utf16
        default: return nil
        }
    }
}

/// How a file's encoding is chosen: a byte-order mark always wins; otherwise the stated
/// encoding, or (when none is stated) UTF-8 if the bytes are valid UTF-8 and `fallback` if not.
public struct EncodingChoice: Sendable, Equatable {
    public var stated: TextEncoding?
    public var fallback: TextEncoding = .utf8
    public init(stated: TextEncoding? = nil, fallback: TextEncoding = .utf8) {
        self.stated = stated
        self.fallback = fallback
    }
}

public enum TextDecoding {
    public struct Failure: Error, Sendable, Equatable {
        public var line: Int
        public var reason: String
    }

    /// The bytes as UTF-8 (without a BOM), and the encoding they were read in.
    public static func utf8(_ bytes: UnsafeRawBufferPointer, _ choice: EncodingChoice) throws(Failure) -> (bytes: [UInt8], encoding: TextEncoding) {
        let b = bytes.bindMemory(to: UInt8.self)
        let n = b.count
        if n >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)) {
            return (try fromUTF16(b, bigEndian: b[0] == 0xFE), .utf16)
        }
        let bom = n >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
        let body = UnsafeBufferPointer(rebasing: b[bom...])
        var encoding = choice.stated ?? (String(validating: body, as: UTF8.self) != nil ? .utf8 : choice.fallback)
        if bom > 0 { encoding = .utf8 }
        switch encoding {
        case .utf8:
            if String(validating: body, as: UTF8.self) == nil {
                throw Failure(line: firstInvalidUTF8Line(body), reason: "not valid UTF-8 (set encoding: windows-1252 or iso-8859-1 if the export was written by a Windows program)")
            }
            return (Array(body), .utf8)
        case .windows1252, .latin1:
            var out: [UInt8] = []
            out.reserveCapacity(body.count + body.count / 16)
            for x in body {
                if x < 0x80 { out.append(x); continue }
                let scalar: UInt32 = encoding == .windows1252 && x < 0xA0 ? cp1252High[Int(x - 0x80)] : UInt32(x)
                appendUTF8(scalar, &out)
            }
            return (out, encoding)
        case .utf16:
            throw Failure(line: 1, reason: "UTF-16 needs a byte-order mark at the start of the file, and this file has none")
        }
    }

    static func fromUTF16(_ b: UnsafeBufferPointer<UInt8>, bigEndian: Bool) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count / 2)
        var i = 2
        var line = 1
        func unit(_ k: Int) -> UInt32 {
            bigEndian ? UInt32(b[k]) << 8 | UInt32(b[k + 1]) : UInt32(b[k + 1]) << 8 | UInt32(b[k])
        }
        while i + 1 < b.count {
            let u = unit(i)
            i += 2
            if u >= 0xD800 && u < 0xDC00 {
                guard i + 1 < b.count else { throw Failure(line: line, reason: "not valid UTF-16 (a lone surrogate at the end)") }
                let v = unit(i)
                guard v >= 0xDC00 && v < 0xE000 else { throw Failure(line: line, reason: "not valid UTF-16 (a lone surrogate)") }
                i += 2
                appendUTF8(0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00), &out)
            } else if u >= 0xDC00 && u < 0xE000 {
                throw Failure(line: line, reason: "not valid UTF-16 (a lone surrogate)")
            } else {
                if u == 10 { line += 1 }
                appendUTF8(u, &out)
            }
        }
        if i < b.count { throw Failure(line: line, reason: "not valid UTF-16 (an odd number of bytes)") }
        return out
    }

    static func appendUTF8(_ s: UInt32, _ out: inout [UInt8]) {
        switch s {
        case ..<0x80: out.append(UInt8(s))
        case ..<0x800:
            out.append(UInt8(0xC0 | (s >> 6))); out.append(UInt8(0x80 | (s & 0x3F)))
        case ..<0x10000:
            out.append(UInt8(0xE0 | (s >> 12))); out.append(UInt8(0x80 | ((s >> 6) & 0x3F))); out.append(UInt8(0x80 | (s & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (s >> 18))); out.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((s >> 6) & 0x3F))); out.append(UInt8(0x80 | (s & 0x3F)))
        }
    }

    static func firstInvalidUTF8Line(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1, start = 0
        for i in 0..<b.count where b[i] == 10 {
            if String(validating: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self) == nil { return line }
            line += 1
            start = i + 1
        }
        return line
    }

    /// Code points of bytes 0x80-0x9F in Windows-1252; the five unassigned bytes keep their C1 code point.
    static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]
}
