/// What an import yields before it is stored.
///
/// Every field but `text` and `format` is optional: an extractor fills a field only when the input
/// states it, and never guesses one.
public struct ExtractedArticle: Sendable, Equatable, Codable {
    public var title: String?
    public var byline: String?
    /// The source or publisher, e.g. "Reuters", "The Associated Press".
    public var siteName: String?
    /// An ISO 8601 date "yyyy-MM-dd", or a full timestamp when the input gives one.
    public var published: String?
    /// The site's section, e.g. "World".
    public var section: String?
    /// The place the report was filed from, e.g. "MEXICO CITY".
    public var dateline: String?
    public var url: String?
    public var tags: [String]
    /// The cleaned body: paragraphs separated by exactly "\n\n", no leading or trailing whitespace.
    public var text: String
    public var format: SourceFormat
    /// How much of the input's text the body keeps; nil for an article not extracted from an input.
    public var coverage: ExtractionCoverage?

    public init(
        title: String? = nil,
        byline: String? = nil,
        siteName: String? = nil,
        published: String? = nil,
        section: String? = nil,
        dateline: String? = nil,
        url: String? = nil,
        tags: [String] = [],
        text: String,
        format: SourceFormat = .plainText,
        coverage: ExtractionCoverage? = nil
    ) {
        self.title = title
        self.byline = byline
        self.siteName = siteName
        self.published = published
        self.section = section
        self.dateline = dateline
        self.url = url
        self.tags = tags
        self.text = text
        self.format = format
        self.coverage = coverage
    }
}
