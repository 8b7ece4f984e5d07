/// The kind of text an import starts from.
public enum SourceFormat: String, Sendable, Codable, CaseIterable {
    case plainText = "text"
    case markdown
    case html
}

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
        format: SourceFormat = .plainText
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
    }
}

/// Why an input could not be turned into an article.
public enum ExtractionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input holds nothing but whitespace.
    case empty
    /// The input holds NUL bytes or is otherwise clearly not text.
    case binary
    /// The bytes are not valid UTF-8 and declare no other encoding Gloss can read.
    case invalidUTF8
    /// The input has text, but nothing that looks like an article body.
    case noArticleText
    /// The input is larger than Gloss reads (an HTML page of `bytes`, over `limit`).
    case tooLarge(bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .empty:
            "the input is empty or only whitespace: give a file or text that contains the article."
        case .binary:
            "the input is binary data, not text: import a plain-text, Markdown or HTML file."
        case .invalidUTF8:
            "the input is not valid UTF-8 and declares no other encoding Gloss can read: "
                + "convert it to UTF-8 (e.g. with iconv) and import it again."
        case .noArticleText:
            "no article text was found, only navigation, links or other page furniture: "
                + "copy the article's own paragraphs (or save the article's own page) and import them again."
        case .tooLarge(let bytes, let limit):
            "the page is \(bytes / 1_048_576) MB, more than the \(limit / 1_048_576) MB Gloss reads: "
                + "save just the article (e.g. with the browser's reader view) and import that."
        }
    }
}
