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
    /// Restores a canonical export (see `restore`). Otherwise imports a file's articles (those a
    /// Gloss export embeds and this store lacks) and then its annotations: each is attached to
    /// its article (by the article id it carries, else its source URL, else the one article whose
    /// text holds its quote) and anchored in the article's current text. Each item gets an
    /// outcome; an item that cannot be attached or anchored changes nothing. Ids are kept, so
    /// importing the same file twice imports nothing.
    ///
    /// An item that names its work by title (``ImportedAnnotation/work``: a Kindle, Readwise,
    /// Omnivore or Instapaper highlight) goes to the article with that URL, else that title and
    /// author; when the store has none, to an article made for the work that waits for its text.
    /// A highlight whose quote is not in its article's text is kept as an orphan (its quote and
    /// note, in ``orphans()``), and is located when the article's text arrives or is replaced.
    ///
    /// Links (``ImportDocument/links``) come first: one with its text is saved as `addArticle`
    /// saves a page, in a transaction of its own; those without wait for their text, written
    /// `importBatch` to a transaction. `progress` is called with how many of
    /// ``ImportDocument/count`` are done, now and then.
    public func importAnnotations(_ document: ImportDocument, progress: ((Int) -> Void)? = nil) throws -> ImportReport {
        if let backup = document.backup { return try restore(backup) }
        var report = ImportReport()
        var linkOutcomes: [ImportOutcome] = []
        // Links without text are written `importBatch` to a transaction; one with its text alone.
        var waiting: [(outcome: Int, link: ImportedLink)] = []
        func writeWaiting() {
            guard !waiting.isEmpty else { return }
            do {
                let results = try writer.write { db in
                    let batch = WriteBatch()
                    let results = try waiting.map { try addWaitingArticle(db, url: $0.link.url, title: $0.link.title, byline: $0.link.byline,
                                                                          tags: $0.link.tags, savedAt: $0.link.savedAt,
                                                                          flags: $0.link.flagFields, idSeed: $0.link.url, batch: batch) }
                    try batch.flush(db)
                    return results
                }
                for ((outcome, _), result) in zip(waiting, results) {
                    linkOutcomes[outcome].status = result.status == .added ? .imported : .alreadyPresent
                    linkOutcomes[outcome].id = result.id
                    if result.status == .added { report.articlesAdded += 1 }
                }
            } catch {
                // None of this chunk is in the store, and the report says so item by item.
                for (outcome, _) in waiting {
                    linkOutcomes[outcome].status = .skipped
                    linkOutcomes[outcome].reason = "not written: the store refused the write (\(error))"
                }
            }
            waiting = []
            progress?(document.articles.count + linkOutcomes.count)
        }
        for (index, link) in document.links.enumerated() {
            let number = document.linkNumbers?[index] ?? index + 1
            if index % 256 == 0 { progress?(document.articles.count + index) }
            switch link {
            case .failure(let error):
                linkOutcomes.append(ImportOutcome(item: number, status: .skipped, reason: error.description))
            case .success(let link):
                do {
                    guard Identity.canonicalURL(link.url) != nil else {
                        throw GlossError.importItem(.unreadableEntry(reason: "its address '\(link.url)' is not a web page's (http or https): a browser's own link or a script is not saved"))
                    }
                    if link.article == nil {
                        waiting.append((linkOutcomes.count, link))
                        linkOutcomes.append(ImportOutcome(item: number, status: .skipped, reason: "not written"))
                        if waiting.count == Store.importBatch { writeWaiting() }
                        continue
                    }
                    let result = try importLink(link)
                    if result.status == .added { report.articlesAdded += 1 }
                    linkOutcomes.append(ImportOutcome(item: number, status: result.status == .added ? .imported : .alreadyPresent, id: result.id))
                } catch let error as GlossError {
                    linkOutcomes.append(ImportOutcome(item: number, status: .skipped, reason: error.description))
                } catch {
                    linkOutcomes.append(ImportOutcome(item: number, status: .skipped, reason: "not written: the store refused the write (\(error))"))
                }
            }
        }
        writeWaiting()
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
        var added = 0
        let offset = document.articles.count + document.links.count
        report.items = try importAnnotations(document.items, numbers: document.numbers, articlesAdded: &added,
                                             progress: progress.map { report in { report(offset + $0) } })
        report.articlesAdded += added
        if !document.merged.isEmpty || !linkOutcomes.isEmpty {
            report.items = (linkOutcomes + report.items + document.merged).sorted { $0.item < $1.item }
        }
        return report
    }

    /// Saves one link with its text as a page is saved (flags set when the article is new); a link
    /// without text, as an article waiting for its text. An article the store has is left as it is.
    private func importLink(_ link: ImportedLink) throws -> AddResult {
        guard let url = Identity.canonicalURL(link.url) else {
            throw GlossError.importItem(.unreadableEntry(reason: "its address '\(link.url)' is not a web page's (http or https): a browser's own link or a script is not saved"))
        }
        guard var article = link.article else { return try addWaitingArticle(link) }
        let exists = try writer.read { db in try loadState(db, id: Identity.articleID(url: url, text: "")) }
        if let exists, !exists.bool(Fields.waiting) || exists.deletion == .deleted {
            return AddResult(id: Identity.articleID(url: url, text: ""), title: link.title, status: .alreadyPresent)
        }
        article.url = link.url
        if article.title?.isEmpty ?? true { article.title = link.title }
        article.byline = article.byline ?? link.byline
        article.tags = Array(Set(article.tags + link.tags)).sorted()
        let result = try addArticle(article, savedAt: link.savedAt, flags: link.flagFields)
        // A waiting article of the same address now has its text: that is this import's doing.
        return result.status == .updated ? AddResult(id: result.id, title: result.title, status: .added) : result
    }

    /// Adds an embedded article unless this store has it (even deleted: an import does not undo a
    /// deletion, nor overwrite a newer text). Its id must be the one its URL or text gives.
    private func addIfMissing(_ imported: ImportedArticle) throws -> Bool {
        let exists = try writer.read { db in try loadState(db, id: imported.id) != nil }
        if exists { return false }
        let url = imported.article.url.flatMap(Identity.canonicalURL) ?? imported.article.url
        if imported.waiting {
            // Its id came from its URL, or (a book) from its title and author: kept as it is.
            guard url.map({ Identity.articleID(url: $0, text: "") == imported.id }) ?? EntityIDFormat.isValid(imported.id, for: .article) else {
                throw GlossError.importItem(.articleIDMismatch(id: imported.id))
            }
            let article = imported.article
            return try writer.write { db in
                try addWaitingArticle(db, url: url, title: article.title ?? "", byline: article.byline, tags: article.tags,
                                      savedAt: imported.savedAt, flags: [], idSeed: "", id: imported.id, batch: nil)
            }.status == .added
        }
        let text = imported.article.text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Identity.articleID(url: url, text: text) == imported.id else {
            throw GlossError.importItem(.articleIDMismatch(id: imported.id))
        }
        return try addArticle(imported.article, savedAt: imported.savedAt).status == .added
    }

    /// Imports annotations in file order: each is prepared (attached and anchored) on its own,
    /// then the prepared ones are written `importBatch` to a transaction. Each article's text is
    /// folded once for the whole import, however many items anchor in it.
    func importAnnotations(_ items: [Result<ImportedAnnotation, GlossError>], numbers: [Int]? = nil) throws -> [ImportOutcome] {
        var added = 0
        return try importAnnotations(items, numbers: numbers, articlesAdded: &added)
    }

    /// Imports annotations as above, counting in `articlesAdded` the articles made for works the
    /// store did not have.
    func importAnnotations(_ items: [Result<ImportedAnnotation, GlossError>], numbers: [Int]?, articlesAdded: inout Int,
                           progress: ((Int) -> Void)? = nil) throws -> [ImportOutcome] {
        var texts = ImportTexts()
        defer { articlesAdded += texts.worksAdded }
        var outcomes: [ImportOutcome] = []
        var prepared: [(outcome: Int, annotation: PreparedAnnotation)] = []
        for (index, item) in items.enumerated() {
            if index % 256 == 0 { progress?(index) }
            let number = numbers?[index] ?? index + 1
            switch item {
            case .failure(let error):
                outcomes.append(ImportOutcome(item: number, status: .skipped, reason: error.description))
            case .success(let annotation):
                do {
                    let ready = try prepare(annotation, &texts)
                    prepared.append((outcomes.count, ready))
                    outcomes.append(ImportOutcome(item: number, status: .imported, id: ready.id))
                } catch let error as GlossError {
                    outcomes.append(ImportOutcome(item: number, status: .skipped, id: annotation.id, reason: error.description))
                }
            }
        }
        for start in stride(from: 0, to: prepared.count, by: Store.importBatch) {
            let chunk = prepared[start..<min(prepared.count, start + Store.importBatch)]
            let present: [Int]
            do {
                present = try writeImported(chunk)
            } catch {
                // The chunks before this one are in the store; this one and the rest are not,
                // and the report says so item by item rather than claiming them imported.
                let reason = "not written: the store refused the write (\(error))"
                for (outcome, _) in prepared[start...] {
                    outcomes[outcome].status = .skipped
                    outcomes[outcome].reason = reason
                }
                break
            }
            for outcome in present { outcomes[outcome].status = .alreadyPresent }
        }
        return outcomes
    }

    /// Writes prepared annotations in one transaction; returns the outcome indexes of those the
    /// store held already.
    private func writeImported(_ chunk: ArraySlice<(outcome: Int, annotation: PreparedAnnotation)>) throws -> [Int] {
        try writer.write { db in
            let batch = WriteBatch()
            var present: [Int] = []
            for (outcome, annotation) in chunk {
                if try db.int("SELECT 1 FROM entity_state WHERE id = ?", { $0.bind(annotation.id) }) != nil {
                    present.append(outcome)
                    continue
                }
                try commitLocal(db, type: .annotation, id: annotation.id, isNew: true, batch: batch) { _ in
                    Store.annotationOps(articleID: annotation.articleID, kind: annotation.kind, created: annotation.created,
                                        anchor: annotation.anchor, note: annotation.note, color: annotation.color,
                                        tags: annotation.tags)
                }
            }
            try batch.flush(db)
            return present
        }
    }

    /// Annotations an import writes per transaction.
    static let importBatch = 1_000

    /// An imported annotation attached to its article and anchored in its text, ready to write.
    private struct PreparedAnnotation {
        var id: String
        var articleID: String
        var kind: AnnotationKind
        var created: Int64
        var anchor: TextAnchor?
        var note: String?
        var color: String?
        var tags: [String]
    }

    /// What one import run has read of its articles: each text prepared for anchoring once, and
    /// which article an id or source named.
    private struct ImportTexts {
        var byID: [String: AnchoringText?] = [:]
        var bySource: [String: String?] = [:]
        /// The article each work named by title was given.
        var byWork: [ImportedWork: String] = [:]
        var worksAdded = 0
    }

    /// Attaches and anchors one item: at its position when the item names the text it was made
    /// against, that is the article's text and the quote is there; else wherever `Reanchorer`
    /// finds it. A highlight whose quote is not in its article's text is an orphan when the item
    /// names the text it was made against and that is not the article's text now (a Gloss export
    /// of an orphan), or when the article waits for its text; otherwise it cannot be placed.
    private func prepare(_ imported: ImportedAnnotation, _ texts: inout ImportTexts) throws -> PreparedAnnotation {
        if let work = imported.work { return try prepare(imported, of: work, &texts) }
        guard let text = try findArticle(for: imported, &texts) else {
            throw GlossError.importItem(.noArticle(target: imported.source ?? imported.articleID, hasQuote: imported.exact != nil))
        }
        var anchor: TextAnchor?
        if let exact = imported.exact {
            let old = TextAnchor(exact: exact, prefix: imported.prefix ?? "", suffix: imported.suffix ?? "",
                                 start: imported.start ?? 0, end: imported.end ?? exact.unicodeScalars.count,
                                 contentHash: imported.contentHash ?? "")
            if let start = imported.start, let end = imported.end, start < end, imported.contentHash == text.article.contentHash,
               text.text(start..<end) == exact {
                // Made against this very text, and the quote is where it says: nothing to search for.
                anchor = text.anchor(start..<end)
            } else if let range = text.locate(old).range {
                anchor = text.anchor(range)
            } else if let hash = imported.contentHash, !hash.isEmpty, hash != text.article.contentHash,
                      imported.start != nil, imported.end != nil {
                anchor = old
            } else if text.article.isWaiting {
                // Its article waits for its text: an orphan until the text arrives.
                anchor = old
            } else {
                throw GlossError.quoteNotFound(quote: exact, articleTitle: text.article.title)
            }
        }
        let now = environment.now()
        return PreparedAnnotation(
            id: imported.id ?? Identity.uuidV7(milliseconds: now, random: environment.randomBytes(10)),
            articleID: text.article.id, kind: imported.kind, created: imported.created ?? Int64(now), anchor: anchor,
            note: imported.note, color: try imported.color.map(Store.validColor), tags: try Store.validTags(imported.tags))
    }

    /// Attaches an item that names its work by title: to that work's article (made when the store
    /// has none), anchored where its quote is in the text, else kept as an orphan. Its colour and
    /// tags are checked before any article is made for it.
    private func prepare(_ imported: ImportedAnnotation, of work: ImportedWork, _ texts: inout ImportTexts) throws -> PreparedAnnotation {
        let color = try imported.color.map(Store.validColor)
        let tags = try Store.validTags(imported.tags)
        let articleID = try self.articleID(for: work, &texts)
        guard let text = texts.byID[articleID] ?? nil else { throw GlossError.importItem(.noArticle(target: work.title, hasQuote: imported.exact != nil)) }
        var anchor: TextAnchor?
        if let exact = imported.exact {
            let wanted = TextAnchor(exact: exact, prefix: "", suffix: "", start: 0, end: exact.unicodeScalars.count, contentHash: "")
            // Not in the text (or no text yet): an orphan, its hash matching no text.
            anchor = text.locate(wanted).range.map(text.anchor) ?? wanted
        }
        let now = environment.now()
        return PreparedAnnotation(
            id: imported.id ?? Identity.uuidV7(milliseconds: now, random: environment.randomBytes(10)),
            articleID: articleID, kind: imported.kind, created: imported.created ?? Int64(now), anchor: anchor,
            note: imported.note, color: color, tags: tags)
    }

    /// The article of a work: the one with its URL, else the one with its title and author (the
    /// first by id), else one made for it that waits for its text. An article made for it and
    /// deleted since is not brought back: its id is still taken.
    private func articleID(for work: ImportedWork, _ texts: inout ImportTexts) throws -> String {
        if let known = texts.byWork[work] { return known }
        let url = work.url.flatMap(Identity.canonicalURL)
        let derived = Identity.articleID(url: url, text: Store.workIDSeed(work))
        let found = try writer.read { db -> String? in
            if let url, let id = try String.fetchOne(db, sql: "SELECT id FROM article WHERE url = ? ORDER BY id LIMIT 1", arguments: [url]) { return id }
            if let id = try String.fetchOne(db, sql: "SELECT id FROM article WHERE title = ? AND byline IS ? ORDER BY id LIMIT 1",
                                            arguments: [work.title, work.author]) { return id }
            return try db.int("SELECT 1 FROM entity_state WHERE id = ?", { $0.bind(derived) }) != nil ? derived : nil
        }
        let id: String
        if let found {
            id = found
        } else {
            let result = try addWaitingArticle(url: url, title: work.title, byline: work.author, tags: work.tags,
                                               savedAt: nil, idSeed: Store.workIDSeed(work))
            if result.status == .added { texts.worksAdded += 1 }
            id = result.id
        }
        texts.byWork[work] = id
        if texts.byID[id] == nil { texts.byID[id] = .some(try? AnchoringText(article(id))) }
        return id
    }

    /// What the id of an article made for a work without a URL is derived from: it depends only
    /// on the title and author, so the same work gets the same article. (The sentence is the text
    /// such articles once held, so a library imported then finds the same ids.)
    static func workIDSeed(_ work: ImportedWork) -> String {
        "“\(work.title)”\(work.author.map { " by " + $0 } ?? ""): the text of this work is not in this library yet. "
            + "Its imported highlights are kept here as orphans, with their notes, and are located in the text once it replaces this one."
    }

    /// The article an item belongs to: by the article id it carries, else its source URL, else
    /// the one article whose text holds its quote.
    private func findArticle(for imported: ImportedAnnotation, _ texts: inout ImportTexts) throws -> AnchoringText? {
        func text(_ id: String) throws -> AnchoringText? {
            if let known = texts.byID[id] { return known }
            let found = try? article(id)
            texts.byID[id] = found.map(AnchoringText.init)
            return texts.byID[id] ?? nil
        }
        if let id = imported.articleID, let found = try text(id) { return found }
        if let source = imported.source {
            if source.hasPrefix("urn:gloss:article:"), let found = try text(String(source.dropFirst(18))) { return found }
            if texts.bySource[source] == nil {
                let canonical = Identity.canonicalURL(source) ?? source
                texts.bySource[source] = .some(try writer.read { db in
                    try String.fetchOne(db, sql: "SELECT id FROM article WHERE url = ? OR url = ?", arguments: [canonical, source])
                })
            }
            if let id = texts.bySource[source] ?? nil { return try text(id) }
        }
        // A short quote ("the bridge") is in too many texts to say which article it marks.
        guard let exact = imported.exact, exact.unicodeScalars.count >= 20 else { return nil }
        return try articleHolding(exact).map { try text($0.id) } ?? nil
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
            throw GlossError.importItem(.quoteInSeveralArticles(titles: holding.map(\.title)))
        }
        return holding.first
    }
}
