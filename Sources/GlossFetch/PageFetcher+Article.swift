public import Foundation
public import GlossExtraction

extension PageFetcher {
    /// Fetches the page at `address` and extracts its article. The article's URL is the
    /// canonical one the page names (`<link rel=canonical>`, `og:url`), resolved against the
    /// address it was served from; else that address.
    ///
    /// Throws ``FetchError`` when the page cannot be had, `ExtractionError` when it holds no article.
    public func article(at address: String) async throws -> ExtractedArticle {
        try await articleAndPage(at: address).article
    }

    /// `article(at:)`, with the page it was read from (to keep as the article's original).
    public func articleAndPage(at address: String) async throws -> (article: ExtractedArticle, page: FetchedPage) {
        let page = try await fetch(address)
        var article = try ArticleExtractor.extract(html: page.bytes, charset: page.charset)
        article.url = Self.canonicalURL(article.url, servedFrom: page.url)
        return (article, page)
    }

    /// The page's canonical URL made absolute, when it is a web address; else where it was served from.
    public static func canonicalURL(_ canonical: String?, servedFrom url: URL) -> String {
        if let canonical, let resolved = URL(string: canonical, relativeTo: url)?.absoluteURL,
           let scheme = resolved.scheme?.lowercased(), ["http", "https"].contains(scheme), resolved.host != nil {
            return resolved.absoluteString
        }
        return url.absoluteString
    }
}
