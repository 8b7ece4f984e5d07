import Foundation
import GlossExtraction
import GRDB

/// What an import did: articles it added from the file, and an outcome per annotation.
public struct ImportReport: Hashable, Sendable, Codable {
    public var articlesAdded = 0
    /// Why each embedded article that could not be added was refused.
    public var articleProblems: [String] = []
    public var items: [ImportOutcome] = []
}

extension Store {
    /// Imports a file's articles (those a Gloss export embeds and this store lacks) and then its
    /// annotations: each is attached to its article (by the article id it carries, else its
    /// source URL, else the one article whose text holds its quote) and anchored in the
    /// article's current text. Each item gets an outcome; an item that cannot be attached or
    /// anchored changes nothing. Ids are kept, so importing the same file twice imports nothing.
    public func importAnnotations(_ document: ImportDocument) throws -> ImportReport {
        var report = ImportReport()
        for (index, embedded) in document.articles.enumerated() {
            switch embedded {
            case .failure(let error):
                report.articleProblems.append("article \(index + 1): \(error.description)")
            case .success(let imported):
                do {
                    if try addIfMissing(imported) { report.articlesAdded += 1 }
                } catch let error as GlossError {
                    report.articleProblems.append("article \(imported.id.prefix(8)): \(error.description)")
                }
            }
        }
        report.items = try importAnnotations(document.items)
        return report
    }

    /// Adds an embedded article unless this store has it (even deleted: an import does not undo a
    /// deletion, nor overwrite a newer text). Its id must be the one its URL or text gives.
    private func addIfMissing(_ imported: ImportedArticle) throws -> Bool {
        let exists = try writer.read { db in try loadState(db, id: imported.id) != nil }
        if exists { return false }
        let url = imported.article.url.flatMap(Identity.canonicalURL) ?? imported.article.url
        let text = imported.article.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Identity.articleID(url: url, text: text) == imported.id else {
            throw GlossError.invalidInput("its id does not follow from its URL or text (was the file edited?); its annotations are attached by URL or content instead")
        }
        return try addArticle(imported.article, savedAt: imported.savedAt).status == .added
    }

    func importAnnotations(_ items: [Result<ImportedAnnotation, GlossError>]) throws -> [ImportOutcome] {
        var outcomes: [ImportOutcome] = []
        for (index, item) in items.enumerated() {
            let number = index + 1
            switch item {
            case .failure(let error):
                outcomes.append(ImportOutcome(item: number, status: .skipped, reason: error.description))
            case .success(let annotation):
                do {
                    outcomes.append(try importOne(annotation, number: number))
                } catch let error as GlossError {
                    outcomes.append(ImportOutcome(item: number, status: .skipped, id: annotation.id, reason: error.description))
                }
            }
        }
        return outcomes
    }

    private func importOne(_ imported: ImportedAnnotation, number: Int) throws -> ImportOutcome {
        guard let article = try findArticle(for: imported) else {
            throw GlossError.invalidInput("no article in this store matches \(imported.source ?? imported.articleID ?? "its target")\(imported.exact == nil ? "" : " or holds its quote"): add the article first")
        }
        var anchor: TextAnchor?
        if let exact = imported.exact {
            let old = TextAnchor(exact: exact, prefix: imported.prefix ?? "", suffix: imported.suffix ?? "",
                                 start: imported.start ?? 0, end: imported.end ?? exact.unicodeScalars.count, contentHash: "")
            guard let range = Reanchorer.locate(old, in: article.text).range else {
                throw GlossError.quoteNotFound(quote: exact, articleTitle: article.title)
            }
            anchor = QuoteLocator(text: article.text).anchor(range, contentHash: article.contentHash)
        }
        let color = try imported.color.map(Store.validColor)
        let tags = try Store.validTags(imported.tags)
        let now = environment.now()
        let id = imported.id ?? Identity.uuidV7(milliseconds: now, random: environment.randomBytes(10))
        let created = imported.created ?? Int64(now)
        return try writer.write { db in
            if try loadState(db, id: id) != nil { return ImportOutcome(item: number, status: .alreadyPresent, id: id) }
            try commitLocal(db, type: .annotation, id: id) { _ in
                Store.annotationOps(articleID: article.id, kind: imported.kind, created: created, anchor: anchor,
                                    note: imported.note, color: color, tags: tags)
            }
            return ImportOutcome(item: number, status: .imported, id: id)
        }
    }

    private func findArticle(for imported: ImportedAnnotation) throws -> Article? {
        if let id = imported.articleID, let article = try? article(id) { return article }
        if let source = imported.source {
            if source.hasPrefix("urn:gloss:article:"), let article = try? article(String(source.dropFirst(18))) { return article }
            let canonical = Identity.canonicalURL(source) ?? source
            let id = try writer.read { db in
                try String.fetchOne(db, sql: "SELECT id FROM article WHERE url = ? OR url = ?", arguments: [canonical, source])
            }
            if let id { return try article(id) }
        }
        // A short quote ("the bridge") is in too many texts to say which article it marks.
        guard let exact = imported.exact, exact.unicodeScalars.count >= 20 else { return nil }
        return try articleHolding(exact)
    }

    /// The one article whose text holds `quote` (at least 20 characters): verbatim, else (after folding white space and
    /// quotation marks) among the articles the search index finds for its words. Several is an
    /// error, since attaching to the wrong one would be worse than not attaching.
    private func articleHolding(_ quote: String) throws -> Article? {
        let candidates = try writer.read { db in
            let verbatim = try String.fetchAll(db, sql: "SELECT id FROM article WHERE instr(body, ?) > 0 LIMIT 5", arguments: [quote])
            if !verbatim.isEmpty { return verbatim }
            let words = quote.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).prefix(12)
            guard !words.isEmpty else { return [] }
            let match = words.map { "\"\($0)\"" }.joined(separator: " ")
            return try String.fetchAll(db, sql: """
                SELECT DISTINCT d.article_id FROM search_index JOIN search_doc d ON d.rowid = search_index.rowid
                WHERE search_index MATCH ? AND d.kind = 'article' LIMIT 20
                """, arguments: [match])
        }
        let holding = try candidates.map(article).filter { !QuoteLocator(text: $0.text).occurrences(of: quote).isEmpty }
        guard holding.count <= 1 else {
            throw GlossError.invalidInput("its quote is in \(holding.count) articles (\(holding.map(\.title).joined(separator: "; "))): give its source URL to say which")
        }
        return holding.first
    }
}
