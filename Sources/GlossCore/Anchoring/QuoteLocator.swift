/// Finds where a quote occurs in an article's text.
///
/// A quote matches when it equals the text up to white space (a line break copied from wrapped
/// output matches a space) and typography (straight and curly quotes, hyphens and dashes).
/// Offsets are in Unicode scalars, as W3C `TextPositionSelector` counts them.
public struct QuoteLocator: Sendable {
    private let scalars: [Unicode.Scalar]
    /// The text's UTF-8, and where each scalar starts in it (one more entry: the end), so that
    /// `text` copies bytes instead of rebuilding a string scalar by scalar.
    private let utf8: [UInt8]
    private let utf8Offsets: [Int]
    /// The text with white-space runs folded to one space and typography folded.
    private let folded: [Unicode.Scalar]
    /// For each folded scalar, the range of original scalars it stands for.
    private let origins: [Range<Int>]

    public init(text: String) {
        scalars = Array(text.unicodeScalars)
        utf8 = Array(text.utf8)
        var offsets: [Int] = []
        offsets.reserveCapacity(scalars.count + 1)
        var offset = 0
        for scalar in scalars {
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        utf8Offsets = offsets
        var folded: [Unicode.Scalar] = []
        var origins: [Range<Int>] = []
        var i = 0
        while i < scalars.count {
            if QuoteLocator.isWhitespace(scalars[i]) {
                var j = i + 1
                while j < scalars.count, QuoteLocator.isWhitespace(scalars[j]) { j += 1 }
                folded.append(" ")
                origins.append(i..<j)
                i = j
            } else {
                folded.append(QuoteLocator.fold(scalars[i]))
                origins.append(i..<(i + 1))
                i += 1
            }
        }
        self.folded = folded
        self.origins = origins
    }

    /// Every occurrence of `quote`, in text order, as scalar ranges of the original text.
    public func occurrences(of quote: String) -> [Range<Int>] {
        let needle = QuoteLocator.foldQuote(quote)
        guard !needle.isEmpty, needle.count <= folded.count else { return [] }
        var result: [Range<Int>] = []
        let first = needle[0]
        var i = 0
        while i + needle.count <= folded.count {
            if folded[i] == first && folded[i..<(i + needle.count)].elementsEqual(needle) {
                result.append(origins[i].lowerBound..<origins[i + needle.count - 1].upperBound)
                i += needle.count
            } else {
                i += 1
            }
        }
        return result
    }

    /// How many scalars the text holds.
    public var count: Int { scalars.count }

    /// The text of a scalar range.
    public func text(_ range: Range<Int>) -> String {
        let lower = min(max(0, range.lowerBound), scalars.count), upper = max(lower, min(scalars.count, range.upperBound))
        return String(decoding: utf8[utf8Offsets[lower]..<utf8Offsets[upper]], as: UTF8.self)
    }

    /// A full anchor for `range`: the exact text, 32 scalars of context each side, the positions.
    public func anchor(_ range: Range<Int>, contentHash: String, context: Int = 32) -> TextAnchor {
        TextAnchor(exact: text(range),
                   prefix: text(max(0, range.lowerBound - context)..<range.lowerBound),
                   suffix: text(range.upperBound..<min(scalars.count, range.upperBound + context)),
                   start: range.lowerBound, end: range.upperBound, contentHash: contentHash)
    }

    static func foldQuote(_ quote: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        var pendingSpace = false
        for scalar in quote.unicodeScalars {
            if isWhitespace(scalar) {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(fold(scalar))
            }
        }
        return out
    }

    /// Unicode's White_Space property, answered for ASCII without the property tables (most
    /// scalars of most texts, and every import folds its quotes and their context).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (9...13).contains(scalar.value) : scalar.properties.isWhitespace
    }

    private static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x2018, 0x2019, 0x201A, 0x201B, 0x2032: "'"
        case 0x201C, 0x201D, 0x201E, 0x201F, 0x2033: "\""
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212: "-"
        default: scalar
        }
    }
}
