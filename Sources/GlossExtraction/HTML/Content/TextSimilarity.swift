/// How much of one text's wording another text repeats, from 0 (nothing) to 1 (all of it).
enum TextSimilarity {
    /// The share of `b`'s words (by length) that also occur in `a`. Words are runs of letters,
    /// digits and underscores (ASCII ones lowercased; any byte of a non-ASCII character counts as
    /// a letter, so that a Chinese or Japanese title, written without spaces, is one word).
    static func similarity(_ a: String, _ b: String) -> Double {
        let tokensA = Set(tokens(a))
        let tokensB = tokens(b)
        guard !tokensA.isEmpty, !tokensB.isEmpty else { return 0 }
        let unique = tokensB.filter { !tokensA.contains($0) }
        let uniqueLength = unique.isEmpty ? 0 : unique.reduce(0) { $0 + $1.count } + unique.count - 1
        let totalLength = tokensB.reduce(0) { $0 + $1.count } + tokensB.count - 1
        return 1 - Double(uniqueLength) / Double(totalLength)
    }

    static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            if ClassHints.Words.isWordByte(byte) || byte >= 0x80 {
                current.append(ClassHints.Words.lowercased(byte))
            } else if !current.isEmpty {
                tokens.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            }
        }
        if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
        return tokens
    }
}
