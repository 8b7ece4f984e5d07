/// What an element's class and id suggest about it, by the word lists Readability made popular:
/// "comment", "sidebar" or "footer" for page furniture, "article", "content" or "post" for
/// the text. Matching is ASCII case-insensitive substring search, as the original regular
/// expressions do.
enum ClassHints {
    static let unlikely = Words(
        "-ad-", "ai2html", "banner", "breadcrumbs", "combx", "comment", "community", "cover-wrap", "disqus", "extra",
        "footer", "gdpr", "header", "legends", "menu", "related", "remark", "replies", "rss", "shoutbox", "sidebar",
        "skyscraper", "social", "sponsor", "supplemental", "ad-break", "agegate", "pagination", "pager", "popup",
        "yom-remote")
    static let maybeCandidate = Words("and", "article", "body", "column", "content", "main", "shadow", "mathjax")
    static let positive = Words(
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "pagination", "post", "text",
        "blog", "story")
    static let negative = Words(
        "-ad-", "hidden", "banner", "combx", "comment", "com-", "contact", "foot", "footer", "footnote", "gdpr",
        "masthead", "media", "meta", "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar",
        "skyscraper", "sponsor", "shopping", "tags", "widget")
    static let byline = Words("byline", "author", "dateline", "writtenby", "p-author")

    /// Roles of page furniture.
    static let unlikelyRoles: Set<String> = ["menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"]

    /// Whether the class and id string says "negative", counting a lone "hid" word too.
    static func isNegative(_ text: String) -> Bool {
        negative.matches(text) || text.lowercased().split(separator: " ", omittingEmptySubsequences: false).contains("hid")
    }

    /// "share" or "sharedaddy" as a word of its own (underscores count as separators).
    static func isShare(_ text: String) -> Bool {
        let bytes = Array(text.utf8.map(Words.lowercased))
        for word in ["sharedaddy", "share"] {
            let pattern = Array(word.utf8)
            var start = 0
            while let index = Words.find(pattern, in: bytes, from: start) {
                let before = index == 0 ? nil : bytes[index - 1]
                let afterIndex = index + pattern.count
                let after = afterIndex < bytes.count ? bytes[afterIndex] : nil
                if isBoundary(before) && isBoundary(after) { return true }
                start = index + 1
            }
        }
        return false
    }

    private static func isBoundary(_ byte: UInt8?) -> Bool {
        guard let byte else { return true }
        return byte == UInt8(ascii: "_") || !Words.isWordByte(byte)
    }

    /// A list of words, any of which may occur anywhere in the text.
    struct Words: Sendable {
        let patterns: [[UInt8]]
        /// For each lowercase first byte, the patterns that start with it.
        private let byFirstByte: [[Int]]

        init(_ words: String...) {
            self.init(words)
        }

        init(_ words: [String]) {
            patterns = words.map { Array($0.lowercased().utf8) }
            var table = [[Int]](repeating: [], count: 256)
            for (index, pattern) in patterns.enumerated() where !pattern.isEmpty { table[Int(pattern[0])].append(index) }
            byFirstByte = table
        }

        /// Whether one of the words occurs in the text, ASCII letters compared case-insensitively.
        func matches(_ text: String) -> Bool {
            guard !text.isEmpty else { return false }
            var text = text
            return text.withUTF8 { bytes in
                for start in bytes.indices {
                    for index in byFirstByte[Int(Self.lowercased(bytes[start]))] {
                        let pattern = patterns[index]
                        guard start + pattern.count <= bytes.count else { continue }
                        var offset = 1
                        while offset < pattern.count, Self.lowercased(bytes[start + offset]) == pattern[offset] { offset += 1 }
                        if offset == pattern.count { return true }
                    }
                }
                return false
            }
        }

        /// How many different words of the list occur in the text, counted up to `limit`.
        func distinctMatches(in text: String, limit: Int) -> Int {
            guard !text.isEmpty else { return 0 }
            var found = Set<Int>()
            var text = text
            text.withUTF8 { bytes in
                for start in bytes.indices {
                    for index in byFirstByte[Int(Self.lowercased(bytes[start]))] where !found.contains(index) {
                        let pattern = patterns[index]
                        guard start + pattern.count <= bytes.count else { continue }
                        var offset = 1
                        while offset < pattern.count, Self.lowercased(bytes[start + offset]) == pattern[offset] { offset += 1 }
                        if offset == pattern.count {
                            found.insert(index)
                            if found.count >= limit { return }
                        }
                    }
                }
            }
            return found.count
        }

        static func lowercased(_ byte: UInt8) -> UInt8 {
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
        }

        static func isWordByte(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "_")
        }

        static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
            ByteSearch.find(pattern, in: bytes, from: start)
        }
    }
}
