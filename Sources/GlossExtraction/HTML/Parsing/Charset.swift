/// Which encoding a page's bytes are in: a byte-order mark, then what the server said, then
/// UTF-8 when the bytes are valid UTF-8, then what the page declares (`<meta charset>`,
/// `<meta http-equiv=Content-Type>`, `<?xml encoding?>`), else windows-1252 as browsers do.
///
/// Valid UTF-8 wins over the page's own declaration because saved pages are often re-encoded
/// to UTF-8 while keeping the `<meta>` of the original.
enum Charset {
    enum Decision: Equatable {
        /// Read the bytes from `offset` on in this encoding (a name iconv knows).
        case encoding(String, offset: Int)
        /// A byte-order mark, the server or the page says UTF-8 but the bytes are not: `declared`
        /// names who said so. (Bytes that are not UTF-8 and declare nothing read as windows-1252.)
        case malformedUTF8(declared: String)
    }

    static func decide(_ bytes: [UInt8], transport: String?) -> Decision {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return utf8(bytes, from: 3, declared: "its byte-order mark") }
        if bytes.starts(with: [0xFF, 0xFE]) { return .encoding("UTF-16LE", offset: 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return .encoding("UTF-16BE", offset: 2) }
        if let transport, let name = canonicalName(transport) {
            return name == "UTF-8" ? utf8(bytes, from: 0, declared: "the server") : .encoding(name, offset: 0)
        }
        if isValidUTF8(bytes) { return .encoding("UTF-8", offset: 0) }
        if let declared = declaredCharset(in: bytes), let name = canonicalName(declared) {
            return name == "UTF-8" ? .malformedUTF8(declared: "the page") : .encoding(name, offset: 0)
        }
        return .encoding("WINDOWS-1252", offset: 0)
    }

    private static func utf8(_ bytes: [UInt8], from offset: Int, declared: String) -> Decision {
        isValidUTF8(bytes[offset...]) ? .encoding("UTF-8", offset: offset) : .malformedUTF8(declared: declared)
    }

    static func isValidUTF8(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer(isValidUTF8)
    }

    static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer(isValidUTF8)
    }

    /// Whether the bytes are well-formed UTF-8 (no overlong forms, surrogates or values past
    /// U+10FFFF), checking ASCII eight bytes at a time.
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            if index + 8 <= count {
                let word = UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                    continue
                }
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            guard index + length <= count, (lower...upper).contains(bytes[index + 1]) else { return false }
            for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return false }
            index += length
        }
        return true
    }

    /// The charset a page declares near its start, as written.
    static func declaredCharset(in bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(4096))
        if head.starts(with: Array("<?xml".utf8)), let end = head.firstIndex(of: UInt8(ascii: ">")) {
            let declaration = String(decoding: head[..<end], as: UTF8.self)
            if let value = value(after: "encoding=", in: declaration) { return value }
        }
        // The start of the page read as Latin-1 only to find its <meta> elements.
        guard let latin = Transcoder.utf8(from: head, encoding: "ISO-8859-1"),
              let document = LibXMLParser.parse(latin) else { return nil }
        var found: String?
        document.walk(document.root) { node in
            guard found == nil else { return false }
            guard document.tag(node) == .meta else { return true }
            if let charset = document.attribute("charset", of: node) {
                found = charset.trimmingSpaces
            } else if document.attribute("http-equiv", of: node)?.lowercased() == "content-type",
                      let content = document.attribute("content", of: node) {
                found = value(after: "charset=", in: content)
            }
            return false
        }
        return found.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The token after `key` (case-insensitive), without quotes.
    private static func value(after key: String, in text: String) -> String? {
        let lowered = text.lowercased()
        guard let range = lowered.firstRange(of: key) else { return nil }
        let rest = lowered[range.upperBound...].drop { $0 == " " || $0 == "\"" || $0 == "'" }
        let token = rest.prefix { !$0.isWhitespace && $0 != ";" && $0 != "\"" && $0 != "'" && $0 != "?" && $0 != ">" }
        return token.isEmpty ? nil : String(token)
    }

    /// The name iconv reads a charset label with, by the WHATWG Encoding
    /// standard's mapping of labels; nil when no encoder knows it.
    static func canonicalName(_ label: String) -> String? {
        let key = label.trimmingSpaces.lowercased()
        if let name = aliases[key] { return name }
        let upper = key.uppercased()
        return Transcoder.knows(upper) ? upper : nil
    }

    private static let aliases: [String: String] = {
        var table: [String: String] = [:]
        let groups: [(String, [String])] = [
            ("UTF-8", ["utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"]),
            ("WINDOWS-1252", ["windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591",
                              "latin1", "l1", "us-ascii", "ascii", "ansi_x3.4-1968", "cp819", "ibm819", "iso-ir-100"]),
            ("GBK", ["gb2312", "gbk", "x-gbk", "chinese", "csgb2312", "gb_2312", "gb_2312-80", "iso-ir-58", "csiso58gb231280"]),
            ("GB18030", ["gb18030"]),
            ("CP932", ["shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "ms932", "windows-31j", "csshiftjis"]),
            ("EUC-JP", ["euc-jp", "x-euc-jp", "cseucpkdfmtjapanese"]),
            ("CP949", ["euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "windows-949", "cseuckr"]),
            ("BIG5-HKSCS", ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"]),
            ("WINDOWS-1254", ["iso-8859-9", "iso8859-9", "latin5", "l5"]),
            ("WINDOWS-874", ["tis-620", "iso-8859-11", "dos-874"]),
            ("UTF-16LE", ["utf-16", "utf-16le"]),
            ("UTF-16BE", ["utf-16be"]),
        ]
        for (name, labels) in groups {
            for label in labels { table[label] = name }
        }
        return table
    }()
}

extension StringProtocol {
    /// Without ASCII whitespace at either end.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\u{0C}" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}
