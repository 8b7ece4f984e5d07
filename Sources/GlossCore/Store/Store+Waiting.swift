import Foundation
import GRDB

extension Store {
    /// Saves an article known only by its address (and title): it shows as waiting for its text,
    /// has no words in the search index, and its highlights are orphans until its text arrives
    /// (``addArticle(_:savedAt:)`` with the same URL, or ``replaceText(of:with:)``), which ends
    /// the wait and locates them. Its id is the one its URL gives, so the page saved later is the
    /// same article; without a URL, the one `idSeed` gives. An article with that id already in the
    /// store, even deleted, is left as it is (`.alreadyPresent`): an import does not undo a deletion.
    public func addWaitingArticle(_ link: ImportedLink) throws -> AddResult {
        try addWaitingArticle(url: link.url, title: link.title, byline: link.byline, tags: link.tags,
                              savedAt: link.savedAt, flags: link.flagFields, idSeed: link.url)
    }

    /// `addWaitingArticle(_:)` for any article: `url` may be nil (a book), and `idSeed` is the text
    /// its id is derived from when it has none.
    func addWaitingArticle(url rawURL: String?, title: String, byline: String?, tags: [String], savedAt: Int64?,
                           flags: [String] = [], idSeed: String) throws -> AddResult {
        try writer.write { db in
            try addWaitingArticle(db, url: rawURL, title: title, byline: byline, tags: tags, savedAt: savedAt,
                                  flags: flags, idSeed: idSeed, batch: nil)
        }
    }

    /// `addWaitingArticle` inside `db`'s transaction, its change recorded in `batch` when given;
    /// `id`, when given, instead of the one the URL or `idSeed` gives (an article a file embeds).
    func addWaitingArticle(_ db: Database, url rawURL: String?, title: String, byline: String?, tags: [String],
                           savedAt: Int64?, flags: [String], idSeed: String, id givenID: String? = nil,
                           batch: WriteBatch?) throws -> AddResult {
        let url = rawURL.flatMap(Identity.canonicalURL) ?? rawURL
        let id = givenID ?? Identity.articleID(url: url, text: idSeed)
        let now = savedAt ?? Int64(environment.now())
        var status = AddResult.Status.added
        try commitLocal(db, type: .article, id: id, batch: batch) { state in
            guard state == nil else { status = .alreadyPresent; return [] }
            var ops: [FieldOp] = [
                FieldOp(field: Fields.title, value: .string(title)),
                FieldOp(field: Fields.waiting, value: .bool(true)),
                FieldOp(field: Fields.savedAt, value: .int(now)),
            ]
            if let url { ops.append(FieldOp(field: Fields.url, value: .string(url))) }
            if let byline, !byline.isEmpty { ops.append(FieldOp(field: Fields.byline, value: .string(byline))) }
            for flag in flags { ops.append(FieldOp(field: flag, value: .bool(true))) }
            for tag in Set(tags.compactMap(TagName.normalize)).sorted() {
                ops.append(FieldOp(field: Fields.tag(tag), value: .bool(true)))
            }
            return ops
        }
        return AddResult(id: id, title: title, status: status)
    }

    /// The articles waiting for their text that have an address to fetch it from, oldest saved
    /// first: what a fetch of "every waiting article" works through.
    public func waitingArticles() throws -> [ArticleSummary] {
        try articles().filter { $0.waiting == true && $0.url != nil }.reversed()
    }
}
