/// An article found in an HTML page, with what the page says about it.
///
/// Every field but `text` is optional and holds what the page states, whitespace collapsed.
struct HTMLArticle: Sendable, Equatable {
    var title: String?
    var byline: String?
    var siteName: String?
    /// The publication date as the page gives it (often ISO 8601).
    var published: String?
    var modified: String?
    var section: String?
    var tags: [String]
    /// The canonical URL (`<link rel=canonical>`, else `og:url`), as written in the page.
    var url: String?
    /// The language the page declares (`<html lang>`).
    var language: String?
    /// The page's own summary (`description` metadata).
    var excerpt: String?
    /// The body as Markdown-like text, paragraphs separated by exactly one blank line.
    var text: String
    /// True when the text found is shorter than an article usually is (under
    /// `ContentExtractor.characterThreshold` characters, after every fallback attempt): a short
    /// piece, or a page whose story was missed or mixed with furniture.
    var isBestEffort: Bool
    /// Characters that are not whitespace in the text a reader could see on the whole page.
    var pageCharacters: Int

    init(
        title: String? = nil, byline: String? = nil, siteName: String? = nil, published: String? = nil,
        modified: String? = nil, section: String? = nil, tags: [String] = [], url: String? = nil,
        language: String? = nil, excerpt: String? = nil, text: String, isBestEffort: Bool = false,
        pageCharacters: Int = 0
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
        self.pageCharacters = pageCharacters
    }
}
