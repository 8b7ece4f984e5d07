/// Everything GlossCore reports to a caller. Each message says what is wrong and what to do.
public enum GlossError: Error, Equatable, Sendable, CustomStringConvertible {
    case notAGlossStore(path: String)
    case storeUnreadable(path: String, reason: String)
    case unknownID(String)
    case ambiguousID(String, candidates: [String])
    case invalidID(String)
    case wrongKind(id: String, expected: String)
    case emptyQuote
    case quoteNotFound(quote: String, articleTitle: String)
    case ambiguousQuote(quote: String, occurrences: Int)
    case occurrenceOutOfRange(requested: Int, occurrences: Int)
    case invalidInput(String)
    case invalidChange(String)

    public var description: String {
        switch self {
        case .notAGlossStore(let path):
            "\(path) is not a Gloss store (it is some other file). Point --store at a Gloss store, or at a new path to create one."
        case .storeUnreadable(let path, let reason):
            "cannot open the store at \(path): \(reason)"
        case .unknownID(let id):
            "no article or annotation has an id starting with '\(id)'. List them with 'gloss list' or 'gloss annotations'."
        case .ambiguousID(let id, let candidates):
            "'\(id)' matches \(candidates.count) ids (\(candidates.prefix(5).joined(separator: ", "))\(candidates.count > 5 ? ", …" : "")). Type more characters."
        case .invalidID(let id):
            "'\(id)' is not an id: ids are hexadecimal (with dashes for annotations)."
        case .wrongKind(let id, let expected):
            "\(id) is not \(expected)."
        case .emptyQuote:
            "the quote is empty. Give the exact words to highlight."
        case .quoteNotFound(let quote, let title):
            "\"\(quote.count > 60 ? quote.prefix(57) + "…" : Substring(quote))\" does not occur in \"\(title)\". Copy the words exactly as 'gloss show' prints them."
        case .ambiguousQuote(let quote, let count):
            "\"\(quote)\" occurs \(count) times. Say which with --occurrence 1…\(count), or quote more words."
        case .occurrenceOutOfRange(let requested, let count):
            "--occurrence \(requested) is out of range: the quote occurs \(count) time\(count == 1 ? "" : "s")."
        case .invalidInput(let reason):
            reason
        case .invalidChange(let reason):
            "rejected a change: \(reason). Nothing from this batch was applied."
        }
    }
}
