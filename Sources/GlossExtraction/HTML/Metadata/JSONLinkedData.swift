/// The article fields of a page's schema.org JSON-LD: the first `<script
/// type="application/ld+json">` describing an article (`NewsArticle`, `BlogPosting`…), at the top
/// or in its `@graph`.
struct JSONLinkedData {
    var title: String?
    var byline: String?
    var excerpt: String?
    var siteName: String?
    var datePublished: String?
    var dateModified: String?

    init(_ document: Document) {
        for script in document.jsonLD {
            guard let article = Self.article(in: script) else { continue }
            read(article, document)
            return
        }
    }

    private mutating func read(_ article: JSONValue, _ document: Document) {
        let name = article["name"]?.string
        let headline = article["headline"]?.string
        if let name, let headline, name != headline {
            // Some sites put their own name in "name": prefer the one like the page's <title>.
            let pageTitle = TitleFinder.title(of: document)
            let nameMatches = TextSimilarity.similarity(name, pageTitle) > 0.75
            let headlineMatches = TextSimilarity.similarity(headline, pageTitle) > 0.75
            title = headlineMatches && !nameMatches ? headline : name
        } else {
            title = (name ?? headline)?.trimmingSpaces
        }
        if let author = article["author"] {
            if let name = author["name"]?.string {
                byline = name.trimmingSpaces
            } else if let authors = author.array, authors.first?["name"]?.string != nil {
                byline = authors.compactMap { $0["name"]?.string?.trimmingSpaces }.joined(separator: ", ")
            }
        }
        excerpt = article["description"]?.string?.trimmingSpaces
        siteName = article["publisher"]?["name"]?.string?.trimmingSpaces
        datePublished = article["datePublished"]?.string?.trimmingSpaces
        dateModified = article["dateModified"]?.string?.trimmingSpaces
    }

    /// The article object a JSON-LD script describes, if it describes one: the script's
    /// object, an item of its top-level array, or an item of an object's `@graph`.
    static func article(in script: String) -> JSONValue? {
        var text = script.trimmingSpaces
        if text.hasPrefix("<![CDATA[") { text = String(text.dropFirst(9)) }
        if text.hasSuffix("]]>") { text = String(text.dropLast(3)) }
        guard let parsed = JSONValue(parsing: text) else { return nil }
        for item in parsed.array ?? [parsed] {
            guard isSchemaOrg(item["@context"]) else { continue }
            if item["@type"] == nil, let graph = item["@graph"]?.array {
                if let found = graph.first(where: { isArticle($0) }) { return found }
            } else if isArticle(item) {
                return item
            }
        }
        return nil
    }

    /// A `@context` of schema.org, given as a URL or as an object's `@vocab`.
    private static func isSchemaOrg(_ context: JSONValue?) -> Bool {
        guard let url = context?.string ?? context?["@vocab"]?.string else { return false }
        let trimmed = url.trimmingSpaces
        return ["http://schema.org", "https://schema.org"].contains { trimmed == $0 || trimmed == $0 + "/" }
    }

    private static func isArticle(_ item: JSONValue) -> Bool {
        guard let type = item["@type"] else { return false }
        if let name = type.string { return isArticleType(name) }
        return type.array?.contains { $0.string.map(isArticleType) ?? false } ?? false
    }

    /// schema.org's Article and the types derived from it.
    static func isArticleType(_ type: String) -> Bool {
        if type.hasPrefix("Article") || type.hasSuffix("APIReference") { return true }
        return articleTypes.contains { type.contains($0) }
    }

    private static let articleTypes = [
        "AdvertiserContentArticle", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle", "BackgroundNewsArticle",
        "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle", "Report", "SatiricalArticle", "ScholarlyArticle",
        "MedicalScholarlyArticle", "SocialMediaPosting", "BlogPosting", "LiveBlogPosting", "DiscussionForumPosting",
        "TechArticle",
    ]
}
