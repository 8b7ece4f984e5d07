import Foundation
public import GlossExtraction

/// An article another tool's export saves by its address: a Pocket, Instapaper or Omnivore item,
/// a browser bookmark. With `article` (Omnivore keeps the page) it is saved with that text; without,
/// it waits for its text (see ``Store/addWaitingArticle(_:)``) until `gloss fetch` or a new copy
/// of the page brings it.
public struct ImportedLink: Sendable {
    public var url: String
    /// The title the export gives; the address when it gives none.
    public var title: String
    public var byline: String?
    public var tags: [String]
    /// Milliseconds since 1970 of when it was saved in the other tool.
    public var savedAt: Int64?
    public var isRead = false
    public var isArchived = false
    public var isStarred = false
    /// The text, when the export carries the page.
    public var article: ExtractedArticle?

    /// The most tags a link keeps (the first ones): an export's tag field, or a bookmark's
    /// folders, can hold any number, and a crafted file of a megabyte could otherwise make
    /// hundreds of millions.
    public static let maxTags = 32

    public init(url: String, title: String?, byline: String? = nil, tags: [String] = [], savedAt: Int64? = nil) {
        self.url = url
        let trimmed = title?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        self.title = trimmed.isEmpty ? url : trimmed
        self.byline = byline
        var kept: [String] = []
        for tag in tags where !kept.contains(tag) {
            guard kept.count < Self.maxTags else { break }
            kept.append(tag)
        }
        self.tags = kept
        self.savedAt = savedAt
    }

    /// The replicated flags this link sets on the article made for it.
    var flagFields: [String] {
        [(Fields.read, isRead), (Fields.archived, isArchived), (Fields.starred, isStarred)].filter(\.1).map(\.0)
    }
}
