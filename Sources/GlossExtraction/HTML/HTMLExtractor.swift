/// Extracts the article from an HTML page: the text a person came to read, without navigation,
/// advertising, comments or other furniture, and the title, author, site and dates the page
/// states.
///
/// libxml2 parses the page (see ``LibXMLParser``); Readability-style scoring finds the article
/// (``ContentExtractor``); the metadata comes from `<meta>`, JSON-LD and the markup
/// (``MetadataReader``). Any input gives an article or an ``ExtractionError``. Scoring measures
/// subtrees again and again, so time grows with size times nesting depth (libxml2 keeps 256
/// levels): about 4 ms for a typical page, seconds for megabytes of deep nesting.
enum HTMLExtractor {
    /// Pages larger than this are refused (the largest news pages are a few megabytes).
    static let maximumSize = 32 * 1_048_576

    /// An "article" with more of its text in links than this is navigation.
    static let maximumLinkDensity = 0.65

    /// Extracts from the page's bytes; `charset` is what the server said (HTTP `Content-Type`),
    /// if anything. See ``Charset`` for how the encoding is chosen.
    static func extract(_ bytes: [UInt8], charset: String? = nil) throws(ExtractionError) -> HTMLArticle {
        try extract(from: document(bytes, charset: charset))
    }

    /// Parses the page's bytes (see ``Charset`` for how the encoding is chosen), without extracting.
    static func document(_ bytes: [UInt8], charset: String? = nil) throws(ExtractionError) -> Document {
        guard bytes.count <= maximumSize else { throw .tooLarge(bytes: bytes.count, limit: maximumSize) }
        switch Charset.decide(bytes, transport: charset) {
        case .malformedUTF8(let declaredBy):
            throw .invalidUTF8(declaredBy: declaredBy)
        case .encoding(let encoding, let offset):
            let utf8 = encoding == "UTF-8" ? (offset == 0 ? bytes : Array(bytes[offset...]))
                : Transcoder.utf8(from: bytes[offset...], encoding: encoding) ?? []
            guard let document = LibXMLParser.parse(utf8) else { throw .noArticleText }
            return document
        }
    }

    /// Extracts from a page already decoded.
    static func extract(text: String) throws(ExtractionError) -> HTMLArticle {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumSize else { throw .tooLarge(bytes: bytes.count, limit: maximumSize) }
        guard let document = LibXMLParser.parse(bytes) else { throw .noArticleText }
        return try extract(from: document)
    }

    static func extract(from document: Document) throws(ExtractionError) -> HTMLArticle {
        PagePreparation.prepare(document)
        let pageCharacters = document.visibleCharacters(below: document.body ?? document.root)
        let metadata = MetadataReader(document)
        let title = metadata.title.map(Document.normalizingSpaces) ?? ""
        let extractor = ContentExtractor(title: title, hasBylineFromMetadata: metadata.byline?.isEmpty == false)
        guard let result = extractor.extract(from: document) else { throw .noArticleText }
        let text = TextRenderer.render(result.article, in: result.document)
        // A page of links (a menu, an index) has no article, however long its link text.
        guard !text.isEmpty, result.document.linkDensity(result.article, ignoringScriptLinks: true) < maximumLinkDensity else {
            throw .noArticleText
        }

        func clean(_ value: String?) -> String? {
            guard let value else { return nil }
            let normalized = Document.normalizingSpaces(value)
            return normalized.isEmpty ? nil : normalized
        }
        return HTMLArticle(
            title: clean(title),
            byline: clean(metadata.byline) ?? clean(result.byline),
            siteName: clean(metadata.siteName),
            published: clean(metadata.published),
            modified: clean(metadata.modified),
            section: clean(metadata.section),
            tags: metadata.tags.compactMap(clean),
            url: clean(metadata.url),
            language: clean(metadata.language),
            excerpt: clean(metadata.excerpt),
            text: text,
            isBestEffort: result.textLength < ContentExtractor.characterThreshold,
            pageCharacters: pageCharacters
        )
    }
}
