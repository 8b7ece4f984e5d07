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
    /// The book or page the item belongs to, when the file names it by title (Kindle clippings,
    /// a Readwise CSV) rather than by a text Gloss may hold. Such an item is never refused for
    /// want of its text: see ``Store/importAnnotations(_:)``.
    public var work: ImportedWork?
}

/// A book or page another tool's export names by title, author and perhaps URL, without its text.
public struct ImportedWork: Hashable, Sendable {
    public var title: String
    public var author: String?
    public var url: String?
    /// Tags the export gives the work itself (Readwise's document tags).
    public var tags: [String] = []

    public init(title: String, author: String?, url: String? = nil, tags: [String] = []) {
        self.title = title
        self.author = author
        self.url = url
        self.tags = tags
    }
}

/// What happened to one imported item.
public struct ImportOutcome: Hashable, Sendable, Codable {
    /// `merged`: folded into another item of the same file (a Kindle note into its highlight, an
    /// earlier highlight of a passage into the longer one that replaced it); `id` is that item's.
    public enum Status: String, Hashable, Sendable, Codable { case imported, alreadyPresent, skipped, merged }
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
    /// True for an article that waits for its text: `article.text` is empty.
    public var waiting = false
}

/// A file to import: the articles it carries (Gloss exports only) and its annotations, each read
/// or failed on its own; or a whole library (a canonical export), restored as it is.
public struct ImportDocument: Sendable {
    public var articles: [Result<ImportedArticle, GlossError>]
    public var items: [Result<ImportedAnnotation, GlossError>]
    public var backup: CanonicalExport?
    /// The number each of `items` has in the file, when it is not its position (formats whose
    /// parser folds some entries into others).
    public var numbers: [Int]? = nil
    /// Outcomes the parser settled itself: entries folded into another item.
    public var merged: [ImportOutcome] = []
    /// Articles the file saves by address (Pocket, Instapaper, Omnivore, bookmarks), imported
    /// before `items` so that highlights find them.
    public var links: [Result<ImportedLink, GlossError>] = []
    /// The number each of `links` has in the file; by default they come first, from 1.
    public var linkNumbers: [Int]? = nil

    public init(articles: [Result<ImportedArticle, GlossError>], items: [Result<ImportedAnnotation, GlossError>],
                backup: CanonicalExport? = nil, numbers: [Int]? = nil, merged: [ImportOutcome] = [],
                links: [Result<ImportedLink, GlossError>] = [], linkNumbers: [Int]? = nil) {
        self.articles = articles
        self.items = items
        self.backup = backup
        self.numbers = numbers
        self.merged = merged
        self.links = links
        self.linkNumbers = linkNumbers
    }

    /// How many things the import will work through (for a progress line).
    public var count: Int { articles.count + links.count + items.count }
}

/// Reads W3C Web Annotation JSON-LD (one annotation, an array, an `AnnotationCollection` or an
/// `AnnotationPage`), Hypothesis JSON exports (an array of Hypothesis annotations, or
/// `{"rows": […]}` from its API), Gloss's canonical export (a whole library), a Kindle
/// `My Clippings.txt`, a Readwise CSV export, an Omnivore export zip, Pocket's HTML and CSV
/// exports, Instapaper's CSV and a browser's bookmarks file, telling them apart by content.
/// Items it cannot read are reported by position, not dropped.
public enum AnnotationImport {
    public static func parse(_ data: Data) throws -> ImportDocument {
        let bytes = [UInt8](data.prefix(128))
        if OmnivoreExport.recognizes(bytes) { return OmnivoreExport.parse([UInt8](data)) }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw GlossError.importNotUTF8
        }
        // Told apart by content, not by file name: JSON opens with a bracket, the others never do.
        if KindleClippings.recognizes(text) { return KindleClippings.parse(text) }
        if ReadwiseCSV.recognizes(text) { return ReadwiseCSV.parse(text) }
        if InstapaperCSV.recognizes(text) { return InstapaperCSV.parse(text) }
        if PocketExport.recognizesCSV(text) { return PocketExport.parseCSV(text) }
        if NetscapeBookmarks.recognizes(text) { return NetscapeBookmarks.parse(text) }
        if PocketExport.recognizesHTML(text) { return PocketExport.parseHTML(text) }
        let document: AnnotationJSON.Document
        do {
            document = try JSONDecoder().decode(AnnotationJSON.Document.self, from: data)
        } catch {
            throw notJSON(data, otherwise: error)
        }
        switch document {
        case .array(let items):
            return ImportDocument(articles: [], items: items.map(read))
        case .other:
            // JSONSerialization, whose messages these are, refuses a lone number or string.
            if jsonError(data) != nil { throw notJSON(data, otherwise: nil) }
            return ImportDocument(articles: [], items: [.failure(.importItem(.notAnObject))])
        case .object(let object):
            if object.format == CanonicalExport.formatName {
                return ImportDocument(articles: [], items: [], backup: try backup(data, version: object.version))
            }
            return ImportDocument(articles: (object.articles ?? []).map { readArticle($0.value) },
                                  items: items(in: object).map(read))
        }
    }

    /// The error for a file that is not JSON, saying where as JSONSerialization does.
    static func notJSON(_ data: Data, otherwise error: (any Error)?) -> GlossError {
        let reason = jsonError(data) ?? error.map { "\($0)" } ?? "unreadable"
        return .importNotJSON(reason: reason)
    }

    /// Why JSONSerialization refuses `data`, or nil when it reads it.
    static func jsonError(_ data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data)
            return nil
        } catch {
            return error.localizedDescription
        }
    }

    /// A canonical export, all or nothing: a backup read in part would restore a library in part.
    static func backup(_ data: Data, version: AnnotationJSON.Scalar?) throws -> CanonicalExport {
        guard let number = version?.integer, (1...CanonicalExport.currentVersion).contains(number) else {
            throw GlossError.unsupportedExportVersion(found: version.map { "\($0)" }, readable: 1...CanonicalExport.currentVersion)
        }
        do {
            return try JSONDecoder().decode(CanonicalExport.self, from: data)
        } catch {
            throw GlossError.incompleteExport(reason: "\(error)")
        }
    }

    static func readArticle(_ object: AnnotationJSON.Article?) -> Result<ImportedArticle, GlossError> {
        guard let object, let id = object.id, let title = object.title,
              let text = object.text ?? (object.waiting == true ? "" : nil) else {
            return .failure(.importItem(.incompleteArticle))
        }
        let format = object.format.flatMap(SourceFormat.init(rawValue:)) ?? .plainText
        let article = ExtractedArticle(
            title: title, byline: object.byline, siteName: object.siteName,
            published: object.published, section: object.section,
            dateline: object.dateline, url: object.url,
            tags: object.tags ?? [], text: text, format: format)
        return .success(ImportedArticle(id: id, article: article, savedAt: object.savedAt, waiting: object.text == nil))
    }

    /// The annotations a top-level object holds: Hypothesis's `rows`, a collection's first page,
    /// a page's items, or the object itself as one annotation.
    static func items(in object: AnnotationJSON.Object) -> [AnnotationJSON.Item] {
        if let rows = object.rows { return rows }
        let types = object.type ?? []
        if types.contains("AnnotationCollection") { return object.first?.items ?? [] }
        if types.contains("AnnotationPage") { return object.items ?? [] }
        return [object.item]
    }

    static func read(_ item: AnnotationJSON.Item) -> Result<ImportedAnnotation, GlossError> {
        guard let object = item.fields else { return .failure(.importItem(.notAnObject)) }
        return object.isHypothesis ? readHypothesis(object) : readW3C(object)
    }

    static func readW3C(_ object: AnnotationJSON.Item.Fields) -> Result<ImportedAnnotation, GlossError> {
        guard object.type?.contains("Annotation") == true else {
            return .failure(.importItem(.notAnAnnotation))
        }
        var result = ImportedAnnotation(tags: [], kind: .highlight)
        result.id = uuid(object.id)
        result.articleID = object.article
        result.color = object.color
        result.created = object.created.flatMap(milliseconds)
        for body in object.body?.values ?? [] {
            guard let value = body.value else { continue }
            if body.purpose == "tagging" { result.tags.append(value) } else { result.note = value }
        }
        if let value = object.bodyValue { result.note = value }
        switch object.target ?? .none {
        case .source(let source):
            result.source = source
        case .object(let target):
            result.source = target.source
            result.contentHash = target.contentHash
            if case .failure(let error) = readSelectors(target.selectors?.values ?? [], into: &result) { return .failure(error) }
        case .none:
            return .failure(.importItem(.noTarget))
        }
        result.kind = object.kind.flatMap(AnnotationKind.init(rawValue:)) ?? (result.exact == nil ? .note : .highlight)
        return .success(result)
    }

    static func readHypothesis(_ object: AnnotationJSON.Item.Fields) -> Result<ImportedAnnotation, GlossError> {
        var result = ImportedAnnotation(tags: object.tags ?? [], kind: .highlight)
        result.source = object.uri
        result.note = object.text.flatMap { $0.isEmpty ? nil : $0 }
        result.created = object.created.flatMap(milliseconds)
        if let first = object.hypothesisTargets?.first, let target = first.value {
            result.source = target.source ?? result.source
            if case .failure(let error) = readSelectors(target.selectors?.values ?? [], into: &result) { return .failure(error) }
        }
        result.kind = result.exact == nil ? .note : .highlight
        return .success(result)
    }

    /// Text quote and position selectors; others (CSS, XPath, range…) are ignored when a quote is
    /// there to anchor by, and an error when nothing is.
    static func readSelectors(_ selectors: [AnnotationJSON.Selector], into result: inout ImportedAnnotation) -> Result<Void, GlossError> {
        var unknown: [String] = []
        for selector in selectors {
            switch selector.type {
            case "TextQuoteSelector":
                result.exact = selector.exact
                result.prefix = selector.prefix
                result.suffix = selector.suffix
            case "TextPositionSelector":
                result.start = selector.start
                result.end = selector.end
            case let other:
                unknown.append(other ?? "untyped")
            }
        }
        if result.exact == nil && !unknown.isEmpty {
            return .failure(.importItem(.unanchorableSelectors(types: unknown)))
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
