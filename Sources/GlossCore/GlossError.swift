/// Everything GlossCore reports to a caller: each case carries the facts of what went wrong, and
/// its description says it in words that hold for any program using the store. A program adds
/// its own advice (which command or flag to use) on top.
public enum GlossError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file at `path` is some other file than a Gloss store; it was left untouched.
    case notAGlossStore(path: String)
    /// The store's file is damaged: SQLite finds it malformed.
    case storeDamaged(path: String)
    case storeUnreadable(path: String, reason: String)
    /// No visible article or annotation has an id starting with this.
    case unknownID(String)
    /// Several ids start with this; `candidates` holds some of them.
    case ambiguousID(String, candidates: [String])
    /// The text is not hex digits (and dashes).
    case invalidID(String)
    case wrongKind(id: String, expected: String)
    /// An article to save has no text.
    case emptyText
    case emptyQuote
    case quoteNotFound(quote: String, articleTitle: String)
    /// The quote occurs more than once and no occurrence was chosen.
    case ambiguousQuote(quote: String, occurrences: Int)
    /// The chosen occurrence (1-based) is past the last one.
    case occurrenceOutOfRange(requested: Int, occurrences: Int)
    /// The entity has no conflict on this field.
    case noConflict(entityID: String, field: String)
    /// The value chosen to keep (1-based) is not one of the conflict's `values`.
    case conflictValueOutOfRange(requested: Int, values: Int)
    /// A conflict between a delete and an edit is settled only by keeping one of its `values`.
    case deleteConflictNeedsAChoice(values: Int)
    /// Input that breaks a rule not worth a case of its own; the text says which.
    case invalidInput(String)
    case invalidChange(String)

    public var description: String {
        switch self {
        case .notAGlossStore(let path):
            "\(path) is not a Gloss store (it is some other file, left as it was)."
        case .storeDamaged(let path):
            "the store at \(path) is damaged: SQLite finds the file malformed."
        case .storeUnreadable(let path, let reason):
            "cannot open the store at \(path): \(reason)"
        case .unknownID(let id):
            "no article or annotation has an id starting with '\(id)'."
        case .ambiguousID(let id, let candidates):
            "'\(id)' matches \(candidates.count) ids (\(candidates.prefix(5).joined(separator: ", "))\(candidates.count > 5 ? ", …" : "")). Type more characters."
        case .invalidID(let id):
            "'\(id)' is not an id: ids are hexadecimal (with dashes for annotations)."
        case .wrongKind(let id, let expected):
            "\(id) is not \(expected)."
        case .emptyText:
            "the article has no text to save."
        case .emptyQuote:
            "the quote is empty. Give the exact words to highlight."
        case .quoteNotFound(let quote, let title):
            "\"\(quote.count > 60 ? quote.prefix(57) + "…" : Substring(quote))\" does not occur in \"\(title)\"."
        case .ambiguousQuote(let quote, let count):
            "\"\(quote)\" occurs \(count) times: choose an occurrence (1…\(count)), or quote more words."
        case .occurrenceOutOfRange(let requested, let count):
            "occurrence \(requested) is out of range: the quote occurs \(count) time\(count == 1 ? "" : "s")."
        case .noConflict(let entityID, let field):
            "\(entityID) has no conflict on '\(field)'."
        case .conflictValueOutOfRange(let requested, let values):
            "value \(requested) is not in the conflict: it has values 1…\(values)."
        case .deleteConflictNeedsAChoice(let values):
            "a conflict between a delete and an edit is settled by keeping one of its values (1…\(values)): the delete, or an edit to keep the item."
        case .invalidInput(let reason):
            reason
        case .invalidChange(let reason):
            "rejected a change: \(reason). Nothing from this batch was applied."
        }
    }
}
