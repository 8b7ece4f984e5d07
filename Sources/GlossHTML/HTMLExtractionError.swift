/// Why a page yielded no article.
public enum HTMLExtractionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The page is larger than ``HTMLExtractor/maximumSize``.
    case tooLarge(bytes: Int, limit: Int)
    /// The page (or the server, or its byte-order mark) says UTF-8, but the bytes are not.
    case malformedUTF8(declaredBy: String)
    /// The page has no text outside navigation, scripts and other furniture.
    case noArticleText

    public var description: String {
        switch self {
        case .tooLarge(let bytes, let limit):
            "the page is \(bytes / 1_048_576) MB, more than the \(limit / 1_048_576) MB Gloss reads: "
                + "save just the article (e.g. with the browser's reader view) and add that."
        case .malformedUTF8(let declaredBy):
            "\(declaredBy) declares UTF-8, but the page is not valid UTF-8: "
                + "convert it (e.g. with iconv) or fix its charset declaration, and add it again."
        case .noArticleText:
            "no article text was found, only navigation, links or other page furniture: "
                + "save the article's own page (not an index or home page) and add it again."
        }
    }
}
