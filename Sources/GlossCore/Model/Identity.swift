import Crypto
import Foundation

/// SHA-256 of an article's text: what annotation selectors are made against.
enum ContentHash {
    static func of(_ text: String) -> String { Hex.encode(SHA256.hash(data: Data(text.utf8))) }
}

/// How entities get their ids.
public enum Identity {
    /// An article's id: from its canonical URL when there is one, else from its normalized text,
    /// so the same article saved on two machines is one article. 32 hex digits.
    public static func articleID(url: String?, text: String) -> String {
        let key: String
        if let url, let canonical = canonicalURL(url) {
            key = "url:" + canonical
        } else {
            key = "text:" + normalizedText(text)
        }
        return String(Hex.encode(SHA256.hash(data: Data(key.utf8))).prefix(32))
    }

    /// Lowercased scheme and host, no fragment, no default port, no tracking parameters, no
    /// trailing slash. Nil for strings that are not http(s) URLs.
    public static func canonicalURL(_ string: String) -> String? {
        guard var components = URLComponents(string: string.trimmingCharacters(in: .whitespacesAndNewlines)),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty else { return nil }
        components.scheme = scheme
        components.host = host.lowercased()
        components.fragment = nil
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) {
            components.port = nil
        }
        let tracking: (URLQueryItem) -> Bool = { item in
            let name = item.name.lowercased()
            return name.hasPrefix("utm_") || ["fbclid", "gclid", "mc_cid", "mc_eid"].contains(name)
        }
        if let items = components.queryItems?.filter({ !tracking($0) }) {
            components.queryItems = items.isEmpty ? nil : items
        }
        if components.path.count > 1 && components.path.hasSuffix("/") { components.path.removeLast() }
        if components.path.isEmpty { components.path = "/" }
        return components.string
    }

    /// Text with Unicode normalized (NFC) and every run of white space made one space.
    static func normalizedText(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// A time-ordered UUID (version 7) from a millisecond time and 10 random bytes.
    static func uuidV7(milliseconds: UInt64, random: [UInt8]) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: milliseconds >> (8 * (5 - UInt64(i)))) }
        for i in 6..<16 { bytes[i] = random[i - 6] }
        bytes[6] = 0x70 | (bytes[6] & 0x0f)
        bytes[8] = 0x80 | (bytes[8] & 0x3f)
        // Every annotation gets one: written digit by digit rather than through strings.
        return String(unsafeUninitializedCapacity: 36) { out in
            var at = 0
            for (i, byte) in bytes.enumerated() {
                if i == 4 || i == 6 || i == 8 || i == 10 { out[at] = 0x2d; at += 1 }
                out[at] = Hex.digit(byte >> 4)
                out[at + 1] = Hex.digit(byte & 0x0f)
                at += 2
            }
            return at
        }
    }
}
