public import Foundation
public import GlossExtraction

/// An annotation read from another tool's export, before it is attached to an article.
public struct ImportedAnnotation: Hashable, Sendable {
    public var id: String?
    public var source: String?
    public var articleID: String?
    public var exact: String?
    public var prefix: String?
    public var suffix: String?
    public var start: Int?
    public var end: Int?
    /// SHA-256 of the text the selectors were made against, when the file says (Gloss exports).
    public var contentHash: String?
    public var note: String?
    public var tags: [String]
    public var color: String?
    public var kind: AnnotationKind
    public var created: Int64?
}

/// What happened to one imported item.
public struct ImportOutcome: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable { case imported, alreadyPresent, skipped }
    public var item: Int
    public var status: Status
    public var id: String?
    public var reason: String?
}

/// An article a Gloss W3C export carries in `gloss:articles`, with the id it had there.
public struct ImportedArticle: Equatable, Sendable {
    public var id: String
    public var article: ExtractedArticle
    public var savedAt: Int64?
}

/// A file to import: the articles it carries (Gloss exports only) and its annotations, each read
/// or failed on its own; or a whole library (a canonical export), restored as it is.
public struct ImportDocument: Sendable {
    public var articles: [Result<ImportedArticle, GlossError>]
    public var items: [Result<ImportedAnnotation, GlossError>]
    public var backup: CanonicalExport?
}

/// Reads W3C Web Annotation JSON-LD (one annotation, an array, an `AnnotationCollection` or an
/// `AnnotationPage`), Hypothesis JSON exports (an array of Hypothesis annotations, or
/// `{"rows": […]}` from its API) and Gloss's canonical export (a whole library). Items it cannot
/// read are reported by position, not dropped.
public enum AnnotationImport {
    public static func parse(_ data: Data) throws -> ImportDocument {
        guard String(validating: data, as: UTF8.self) != nil else {
            throw GlossError.invalidInput("the file is not UTF-8 text: export it again as JSON")
        }
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw GlossError.invalidInput("the file is not valid JSON (\(error.localizedDescription)); nothing was imported")
        }
        if let object = document as? [String: Any], object["format"] as? String == CanonicalExport.formatName {
            return ImportDocument(articles: [], items: [], backup: try backup(data, version: object["version"]))
        }
        let articles = ((document as? [String: Any])?["gloss:articles"] as? [Any]) ?? []
        return ImportDocument(articles: articles.map(readArticle), items: items(in: document).map(read))
    }

    /// A canonical export, all or nothing: a backup read in part would restore a library in part.
    static func backup(_ data: Data, version: Any?) throws -> CanonicalExport {
        guard let version = version as? Int, (1...CanonicalExport.currentVersion).contains(version) else {
            throw GlossError.invalidInput("the file is a Gloss export of version \(version.map { "\($0)" } ?? "unknown"), which this Gloss cannot read (it reads 1 to \(CanonicalExport.currentVersion)); nothing was imported")
        }
        do {
            return try JSONDecoder().decode(CanonicalExport.self, from: data)
        } catch {
            throw GlossError.invalidInput("the file is a Gloss export but not a whole one (\(error)); nothing was imported")
        }
    }

    static func readArticle(_ item: Any) -> Result<ImportedArticle, GlossError> {
        guard let object = item as? [String: Any], let id = object["id"] as? String,
              let text = object["text"] as? String, let title = object["title"] as? String else {
            return .failure(.invalidInput("an embedded article lacks its id, title or text"))
        }
        let format = (object["format"] as? String).flatMap(SourceFormat.init(rawValue:)) ?? .plainText
        let article = ExtractedArticle(
            title: title, byline: object["byline"] as? String, siteName: object["siteName"] as? String,
            published: object["published"] as? String, section: object["section"] as? String,
            dateline: object["dateline"] as? String, url: object["url"] as? String,
            tags: (object["tags"] as? [String]) ?? [], text: text, format: format)
        let savedAt = (object["savedAt"] as? NSNumber)?.int64Value
        return .success(ImportedArticle(id: id, article: article, savedAt: savedAt))
    }

    static func items(in document: Any) -> [Any] {
        if let array = document as? [Any] { return array }
        guard let object = document as? [String: Any] else { return [document] }
        if let rows = object["rows"] as? [Any] { return rows }
        let types = (object["type"] as? String).map { [$0] } ?? (object["type"] as? [String]) ?? []
        if types.contains("AnnotationCollection") {
            return ((object["first"] as? [String: Any])?["items"] as? [Any]) ?? []
        }
        if types.contains("AnnotationPage") { return (object["items"] as? [Any]) ?? [] }
        return [object]
    }

    static func read(_ item: Any) -> Result<ImportedAnnotation, GlossError> {
        guard let object = item as? [String: Any] else { return .failure(.invalidInput("not a JSON object")) }
        return object["uri"] != nil || object["user"] != nil ? readHypothesis(object) : readW3C(object)
    }

    static func readW3C(_ object: [String: Any]) -> Result<ImportedAnnotation, GlossError> {
        guard (object["type"] as? String) == "Annotation" || (object["type"] as? [String])?.contains("Annotation") == true else {
            return .failure(.invalidInput("not a Web Annotation (its type is not Annotation)"))
        }
        var result = ImportedAnnotation(tags: [], kind: .highlight)
        result.id = uuid(object["id"] as? String)
        result.articleID = object["gloss:article"] as? String
        result.color = object["gloss:color"] as? String
        result.created = (object["created"] as? String).flatMap(milliseconds)
        let bodies = (object["body"] as? [Any]) ?? (object["body"].map { [$0] } ?? [])
        for case let body as [String: Any] in bodies {
            guard let value = body["value"] as? String else { continue }
            if body["purpose"] as? String == "tagging" { result.tags.append(value) } else { result.note = value }
        }
        if let value = object["bodyValue"] as? String { result.note = value }
        let target = ((object["target"] as? [Any])?.first ?? object["target"])
        if let source = target as? String {
            result.source = source
        } else if let target = target as? [String: Any] {
            result.source = target["source"] as? String
            result.contentHash = target["gloss:contentHash"] as? String
            switch readSelectors(target["selector"], into: &result) {
            case .failure(let error): return .failure(error)
            case .success: break
            }
        } else {
            return .failure(.invalidInput("it has no target"))
        }
        let kind = object["gloss:kind"] as? String
        result.kind = kind.flatMap(AnnotationKind.init(rawValue:)) ?? (result.exact == nil ? .note : .highlight)
        return .success(result)
    }

    static func readHypothesis(_ object: [String: Any]) -> Result<ImportedAnnotation, GlossError> {
        var result = ImportedAnnotation(tags: (object["tags"] as? [String]) ?? [], kind: .highlight)
        result.source = object["uri"] as? String
        result.note = (object["text"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        result.created = (object["created"] as? String).flatMap(milliseconds)
        if let target = (object["target"] as? [[String: Any]])?.first {
            result.source = (target["source"] as? String) ?? result.source
            if case .failure(let error) = readSelectors(target["selector"], into: &result) { return .failure(error) }
        }
        result.kind = result.exact == nil ? .note : .highlight
        return .success(result)
    }

    /// Text quote and position selectors; others (CSS, XPath, range…) are ignored when a quote is
    /// there to anchor by, and an error when nothing is.
    static func readSelectors(_ value: Any?, into result: inout ImportedAnnotation) -> Result<Void, GlossError> {
        let selectors = (value as? [Any]) ?? (value.map { [$0] } ?? [])
        var unknown: [String] = []
        for case let selector as [String: Any] in selectors {
            switch selector["type"] as? String {
            case "TextQuoteSelector":
                result.exact = selector["exact"] as? String
                result.prefix = selector["prefix"] as? String
                result.suffix = selector["suffix"] as? String
            case "TextPositionSelector":
                result.start = selector["start"] as? Int
                result.end = selector["end"] as? Int
            case let other:
                unknown.append(other ?? "untyped")
            }
        }
        if result.exact == nil && !unknown.isEmpty {
            return .failure(.invalidInput("its selectors (\(unknown.joined(separator: ", "))) cannot be anchored in text: Gloss reads TextQuoteSelector and TextPositionSelector"))
        }
        return .success(())
    }

    static func uuid(_ id: String?) -> String? {
        guard let id else { return nil }
        let bare = id.lowercased().hasPrefix("urn:uuid:") ? String(id.dropFirst(9)).lowercased() : id.lowercased()
        return EntityIDFormat.isValid(bare, for: .annotation) ? bare : nil
    }

    static func milliseconds(_ text: String) -> Int64? {
        let parsed = (try? Date(text, strategy: .iso8601)) ?? (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
        return parsed.map { Int64($0.timeIntervalSince1970 * 1000) }
    }
}
