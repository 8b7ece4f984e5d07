// TEMPORARY: stands in for the extractor's interface until its files land. Delete then.
public import Foundation
public enum SourceFormat: String, Sendable, Codable, CaseIterable { case plainText = "text", markdown, html }
public struct ExtractedArticle: Sendable, Equatable, Codable {
    public var title: String?
    public var byline: String?
    public var siteName: String?
    public var published: String?
    public var section: String?
    public var dateline: String?
    public var url: String?
    public var tags: [String] = []
    public var text: String
    public var format: SourceFormat
    public init(title: String? = nil, byline: String? = nil, siteName: String? = nil, published: String? = nil, section: String? = nil, dateline: String? = nil, url: String? = nil, tags: [String] = [], text: String, format: SourceFormat = .plainText) {
        self.title = title; self.byline = byline; self.siteName = siteName; self.published = published; self.section = section; self.dateline = dateline; self.url = url; self.tags = tags; self.text = text; self.format = format
    }
}
public enum ExtractionError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty, binary, invalidUTF8, noArticleText
    public var description: String { "\(self)" }
}
public enum ArticleExtractor {
    public static func extract(data: Data, filename: String?, format: SourceFormat? = nil) throws(ExtractionError) -> ExtractedArticle {
        guard let s = String(data: data, encoding: .utf8) else { throw .invalidUTF8 }
        return try extract(text: s, format: format ?? .plainText)
    }
    public static func extract(text: String, format: SourceFormat) throws(ExtractionError) -> ExtractedArticle {
        ExtractedArticle(title: String(text.prefix(while: { $0 != "\n" })), text: text, format: format)
    }
}
