/// An article found in an HTML page, with what the page says about it.
///
/// Every field but `text` is optional and holds what the page states, whitespace collapsed.
public struct HTMLArticle: Sendable, Equatable {
    public var title: String?
    public var byline: String?
    public var siteName: String?
    /// The publication date as the page gives it (often ISO 8601).
    public var published: String?
    public var modified: String?
    public var section: String?
    public var tags: [String]
    /// The canonical URL (`<link rel=canonical>`, else `og:url`), as written in the page.
    public var url: String?
    /// The language the page declares (`<html lang>`).
    public var language: String?
    /// The page's own summary (`description` metadata).
    public var excerpt: String?
    /// The body as Markdown-like text, paragraphs separated by exactly one blank line.
    public var text: String
    /// True when the text found is shorter than an article usually is (under
    /// `ContentExtractor.characterThreshold` characters, after every fallback attempt): a short
    /// piece, or a page whose story was missed or mixed with furniture.
    public var isBestEffort: Bool

    public init(
        title: String? = nil, byline: String? = nil, siteName: String? = nil, published: String? = nil,
        modified: String? = nil, section: String? = nil, tags: [String] = [], url: String? = nil,
        language: String? = nil, excerpt: String? = nil, text: String, isBestEffort: Bool = false
    ) {
        self.title = title
        self.byline = byline
        self.siteName = siteName
        self.published = published
        self.modified = modified
        self.section = section
        self.tags = tags
        self.url = url
        self.language = language
        self.excerpt = excerpt
        self.text = text
        self.isBestEffort = isBestEffort
    }
}
