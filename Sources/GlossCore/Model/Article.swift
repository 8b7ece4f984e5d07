/// A saved article as the store shows it: the winning value of each replicated field.
public struct Article: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var url: String?
    public var title: String
    public var byline: String?
    public var siteName: String?
    public var published: String?
    public var section: String?
    public var dateline: String?
    public var format: String?
    /// Milliseconds since 1970 of the first save on any replica.
    public var savedAt: Int64
    public var modifiedAt: Int64
    public var text: String
    /// SHA-256 of `text`, hex: what annotation selectors were made against.
    public var contentHash: String
    public var isRead: Bool
    public var isArchived: Bool
    public var isStarred: Bool
    public var tags: [String]
    /// True while the article is known only by its address and waits for its text (`text` is
    /// then empty and `contentHash` matches no highlight, so its highlights are orphans); absent
    /// once it has its text.
    public var waiting: Bool? = nil

    /// Whether the article waits for its text.
    public var isWaiting: Bool { waiting == true }
}

/// An article in a listing: no body.
public struct ArticleSummary: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var title: String
    public var url: String?
    public var siteName: String?
    public var published: String?
    public var savedAt: Int64
    public var tags: [String]
    /// Highlights, notes and bookmarks on it.
    public var annotationCount: Int
    /// Of those, the highlights (with a note or without).
    public var highlightCount: Int
    /// Of those, the ones carrying a note: notes on the whole article and highlights with a note.
    public var noteCount: Int
    public var words: Int
    /// True while the article waits for its text (see ``Article/waiting``); absent otherwise.
    public var waiting: Bool? = nil
}
