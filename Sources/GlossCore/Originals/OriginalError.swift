/// What went wrong keeping or reading an article's original (the page, EPUB or PDF its text was
/// extracted from). A type of its own beside ``GlossError``: originals live in files next to the
/// store, and these failures concern those files, never the store's data.
public enum OriginalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// This store keeps no original for the article: its text was written by hand, or came from
    /// another replica (originals stay where they were saved unless the saving store sends them).
    case noOriginal(articleID: String)
    /// The store records an original whose file is not there (removed, or a store file copied
    /// without its originals folder).
    case fileMissing(path: String)
    /// The file is there but does not hold what was kept: it does not expand, or its bytes do
    /// not have the hash it is named by.
    case damaged(path: String)
    /// The originals folder cannot be used: `reason` says why.
    case folder(path: String, reason: String)
    /// The store has no file (it lives in memory), so there is no folder to keep originals in.
    case noFolder

    public var description: String {
        switch self {
        case .noOriginal(let id):
            "this store keeps no original for \(id): its text was added by hand or imported without its page, or the article came by sync from a replica that does not send its originals."
        case .fileMissing(let path):
            "the original's file \(path) is missing (was the store copied without its originals folder?)."
        case .damaged(let path):
            "the original's file \(path) is damaged: it does not hold the bytes it is named after."
        case .folder(let path, let reason):
            "cannot use the originals folder \(path): \(reason)"
        case .noFolder:
            "a store held in memory keeps no originals."
        }
    }
}
