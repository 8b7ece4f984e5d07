/// Finds where a quote occurs in an article's text.
///
/// A quote matches when it equals the text up to white space (a line break copied from wrapped
/// output matches a space) and typography (straight and curly quotes, hyphens and dashes).
/// Offsets are in Unicode scalars, as W3C `TextPositionSelector` counts them.
public struct QuoteLocator: Sendable {
    private let scalars: [Unicode.Scalar]
    /// The text with white-space runs folded to one space and typography folded.
    private let folded: [Unicode.Scalar]
    /// For each folded scalar, the range of original scalars it stands for.
    private let origins: [Range<Int>]

    public init(text: String) {
        scalars = Array(text.unicodeScalars)
        var folded: [Unicode.Scalar] = []
        var origins: [Range<Int>] = []
        var i = 0
        while i < scalars.count {
            if scalars[i].properties.isWhitespace {
                var j = i + 1
                while j < scalars.count, scalars[j].properties.isWhitespace { j += 1 }
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

    /// The text of a scalar range.
    public func text(_ range: Range<Int>) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars[max(0, range.lowerBound)..<min(scalars.count, range.upperBound)])
        return String(out)
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
            if scalar.properties.isWhitespace {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(fold(scalar))
            }
        }
        return out
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
