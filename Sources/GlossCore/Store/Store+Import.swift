import Foundation
import GRDB

extension Store {
    /// Attaches imported annotations to their articles (by the article id they carry, else by
    /// source URL) and anchors them in the article's current text. Each item gets an outcome; an
    /// item that cannot be attached or anchored changes nothing. Ids are kept, so importing the
    /// same file twice imports nothing the second time.
    public func importAnnotations(_ items: [Result<ImportedAnnotation, GlossError>]) throws -> [ImportOutcome] {
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
            throw GlossError.invalidInput("no article in this store matches \(imported.source ?? imported.articleID ?? "its target"): add the article first")
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
        guard let source = imported.source else { return nil }
        if source.hasPrefix("urn:gloss:article:") { return try? article(String(source.dropFirst(18))) }
        let canonical = Identity.canonicalURL(source) ?? source
        let id = try writer.read { db in
            try String.fetchOne(db, sql: "SELECT id FROM article WHERE url = ? OR url = ?", arguments: [canonical, source])
        }
        return try id.map { try article($0) }
    }
}
