import Foundation
import GRDB
import Testing
@testable import GlossCore
import GlossExtraction
import GlossTestSupport

@Suite struct StoreTests {
    let directory = TemporaryDirectory()

    func storeWithArticle() throws -> (Store, String) {
        let store = try directory.store()
        let result = try store.addArticle(ExtractedArticle(title: "Bridge budget", text: sampleText, format: .plainText))
        return (store, result.id)
    }

    /// Closes `store`, runs `sql` on its file as plain SQLite (to set up an older schema, say),
    /// and opens it again, migrations and all.
    func reopen(_ store: Store, after sql: String, upgrading: (([String]) -> Void)? = nil) throws -> Store {
        let path = store.path
        try store.close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: sql) }
        try queue.close()
        return try Store(path: path, upgrading: upgrading)
    }

    /// What must not move when a command fails.
    func fingerprint(_ store: Store) throws -> String {
        let status = try store.status()
        return "\(status.digest) \(status.counts.changes) \(status.versionVector)"
    }

    // MARK: - Articles

    @Test func addingAnArticleRecordsOneChangeAndAddingItAgainChangesNothing() throws {
        let (store, id) = try storeWithArticle()
        #expect(try store.status().counts.changes == 1)
        let before = try fingerprint(store)
        let again = try store.addArticle(ExtractedArticle(title: "Bridge budget", text: sampleText, format: .plainText))
        #expect(again.status == .alreadyPresent && again.id == id)
        #expect(try fingerprint(store) == before)
    }

    @Test func articleIDsComeFromTheURLElseTheNormalizedText() throws {
        let a = Identity.articleID(url: nil, text: "One  two\nthree")
        let b = Identity.articleID(url: nil, text: "One two three")
        #expect(a == b && a.count == 32)
        let c = Identity.articleID(url: "https://Example.com/a/?utm_source=x#top", text: "anything")
        let d = Identity.articleID(url: "https://example.com/a", text: "other text")
        #expect(c == d)
        #expect(Identity.canonicalURL("ftp://example.com") == nil)
    }

    @Test func annotationIDsAreVersion7UUIDsInTimeOrder() throws {
        let id = Identity.uuidV7(milliseconds: 0x0190_1234_5678, random: [0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66])
        #expect(id == "01901234-5678-7fee-9dcc-bbaa99887766")
        let later = Identity.uuidV7(milliseconds: 0x0190_1234_5679, random: Array(repeating: 0, count: 10))
        #expect(later == "01901234-5679-7000-8000-000000000000")
        #expect(id < later)
    }

    @Test func theSameArticleAddedOnTwoReplicasIsOneArticleWithoutConflict() throws {
        let a = try directory.store("a", seed: 1)
        let b = try directory.store("b", seed: 2)
        let article = ExtractedArticle(title: "Bridge budget", siteName: "Gazette", text: sampleText, format: .plainText)
        let idA = try a.addArticle(article).id
        let idB = try b.addArticle(article).id
        #expect(idA == idB)
        try a.apply(b.changes(since: a.versionVector()))
        try b.apply(a.changes(since: b.versionVector()))
        #expect(try a.articles().count == 1)
        #expect(try a.conflicts().isEmpty)
        #expect(try a.digest() == b.digest())
    }

    @Test func deletedArticleComesBackWhenAddedAgain() throws {
        let (store, id) = try storeWithArticle()
        try store.delete(id)
        #expect(try store.articles().isEmpty)
        let again = try store.addArticle(ExtractedArticle(title: "Bridge budget", text: sampleText, format: .plainText))
        #expect(again.status == .restored)
        #expect(try store.articles().map(\.id) == [id])
    }

    @Test func anArticleWhoseTextWasReplacedIsFoundAgainByThatText() throws {
        let (store, id) = try storeWithArticle()
        let corrected = ExtractedArticle(title: "Bridge budget", text: sampleText + "\n\nCorrection: the vote was on Monday.",
                                         format: .plainText)
        #expect(try store.replaceText(of: id, with: corrected).status == .updated)
        let before = try fingerprint(store)
        let again = try store.addArticle(corrected)
        #expect(again.status == .alreadyPresent && again.id == id)
        #expect(try store.articles().map(\.id) == [id])
        #expect(try fingerprint(store) == before)
    }

    // MARK: - Highlights and notes

    @Test func highlightStoresQuoteAndPositionSelectors() throws {
        let (store, id) = try storeWithArticle()
        let highlight = try store.highlight(articleID: id, quote: "approved the budget", note: "finally", tags: ["City Hall"])
        let anchor = try #require(highlight.anchor)
        let scalars = Array(sampleText.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[anchor.start..<anchor.end])) == "approved the budget")
        #expect(anchor.prefix.hasSuffix("the council "))
        #expect(anchor.suffix.hasPrefix(", and repairs"))
        #expect(anchor.contentHash == (try store.article(id)).contentHash)
        #expect(highlight.tags == ["city-hall"])
        #expect(highlight.note == "finally")
    }

    @Test func highlightToleratesLineBreaksAndCurlyQuotes() throws {
        let store = try directory.store()
        let id = try store.addArticle(ExtractedArticle(title: "T", text: "She said it was “the best day” of her life.", format: .plainText)).id
        let highlight = try store.highlight(articleID: id, quote: "said it was\n\"the best day\"")
        #expect(highlight.anchor?.exact == "said it was “the best day”")
    }

    @Test func repeatedQuoteNeedsAnOccurrence() throws {
        let (store, id) = try storeWithArticle()
        let before = try fingerprint(store)
        #expect(throws: GlossError.ambiguousQuote(quote: "the bridge", occurrences: 2)) {
            try store.highlight(articleID: id, quote: "the bridge")
        }
        #expect(throws: GlossError.occurrenceOutOfRange(requested: 3, occurrences: 2)) {
            try store.highlight(articleID: id, quote: "the bridge", occurrence: 3)
        }
        #expect(try fingerprint(store) == before)
        let second = try store.highlight(articleID: id, quote: "the bridge", occurrence: 2)
        let first = try store.highlight(articleID: id, quote: "the bridge", occurrence: 1)
        #expect(first.anchor!.start < second.anchor!.start)
    }

    @Test func absentQuoteIsAnErrorAndChangesNothing() throws {
        let (store, id) = try storeWithArticle()
        let before = try fingerprint(store)
        #expect(throws: GlossError.quoteNotFound(quote: "a submarine", articleTitle: "Bridge budget")) {
            try store.highlight(articleID: id, quote: "a submarine")
        }
        #expect(throws: GlossError.emptyQuote) { try store.highlight(articleID: id, quote: "  \n ") }
        #expect(try fingerprint(store) == before)
    }

    @Test func editTagAndDeleteAnnotations() throws {
        let (store, id) = try storeWithArticle()
        let highlight = try store.highlight(articleID: id, quote: "winter budget")
        #expect(try store.editAnnotation(highlight.id, note: "check the numbers", color: "green"))
        #expect(try !store.editAnnotation(highlight.id, note: "check the numbers"))
        #expect(try store.setTags(highlight.id, ["money", "city"]) == ["city", "money"])
        #expect(try store.setTags(highlight.id, ["money"], remove: true) == ["city"])
        let edited = try store.annotation(highlight.id)
        #expect(edited.note == "check the numbers" && edited.color == "green" && edited.tags == ["city"])
        try store.delete(highlight.id)
        #expect(try store.annotations(articleID: id).isEmpty)
        #expect(throws: GlossError.unknownID(highlight.id)) { try store.delete(highlight.id) }
        #expect(throws: (any Error).self) { try store.editAnnotation(highlight.id, color: "mauve") }
    }

    /// B re-adds a tag it already had while A removes it: the add is a new write the remove did
    /// not see, so the tag stays on both, whichever way the changes travel first.
    @Test(arguments: [true, false]) func aTagAddedAgainSurvivesAConcurrentRemove(aFirst: Bool) throws {
        let a = try directory.store("a", seed: 1)
        let b = try directory.store("b", seed: 2)
        let id = try a.addArticle(ExtractedArticle(title: "Bridge budget", text: sampleText, format: .plainText)).id
        try a.setTags(id, ["policy"])
        try b.apply(a.changes(since: b.versionVector()))
        try a.setTags(id, ["policy"], remove: true)
        #expect(try b.setTags(id, ["policy"]) == ["policy"])
        let (first, second) = aFirst ? (a, b) : (b, a)
        try second.apply(first.changes(since: second.versionVector()))
        try first.apply(second.changes(since: first.versionVector()))
        #expect(try a.article(id).tags == ["policy"])
        #expect(try b.article(id).tags == ["policy"])
        #expect(try a.digest() == b.digest())
    }

    @Test func recordWritesOneChangePerAnnotationInOneTransactionOrNothing() throws {
        let (store, id) = try storeWithArticle()
        let anchor = TextAnchor(exact: "bridge", prefix: "", suffix: "", start: 4, end: 10, contentHash: "")
        let ids = try store.record([
            AnnotationDraft(articleID: id, anchor: anchor, note: "first", color: "blue", tags: ["A", "b"]),
            AnnotationDraft(articleID: id, kind: .note, note: "second"),
        ])
        #expect(ids.count == 2 && Set(ids).count == 2)
        #expect(try store.status().counts.changes == 3)
        let first = try store.annotation(ids[0])
        #expect(first.anchor == anchor && first.note == "first" && first.color == "blue" && first.tags == ["a", "b"])

        let before = try fingerprint(store)
        #expect(throws: GlossError.self) {
            try store.record([AnnotationDraft(articleID: id, note: "fine"), AnnotationDraft(articleID: String(repeating: "0", count: 32))])
        }
        #expect(throws: GlossError.self) { try store.record([AnnotationDraft(articleID: id, color: "chartreuse")]) }
        #expect(try fingerprint(store) == before)
    }

    @Test func notesAttachToWholeArticles() throws {
        let (store, id) = try storeWithArticle()
        let note = try store.addNote(articleID: id, text: "Ask the **council** for minutes.")
        #expect(note.kind == .note && note.anchor == nil)
        #expect(try store.annotations(articleID: id).map(\.id) == [note.id])
        #expect(throws: GlossError.emptyNote) {
            try store.addNote(articleID: id, text: "   ")
        }
    }

    // MARK: - Search, log, export

    @Test func searchFindsTitlesBodiesQuotesAndNotesRanked() throws {
        let (store, id) = try storeWithArticle()
        let highlight = try store.highlight(articleID: id, quote: "repairs begin in March", note: "Schedule an inspection")
        let byNote = try store.search("inspection")
        #expect(byNote.map(\.id) == [highlight.id])
        #expect(byNote[0].snippet.contains(SearchHit.matchStart + "inspection" + SearchHit.matchEnd))
        let byTitle = try store.search("budget")
        #expect(byTitle.first?.id == id)
        #expect(try store.search("U.S. \"quoted\" (syntax) AND OR").isEmpty)
        #expect(try store.search("arch*").map(\.id).contains(id))
        #expect(throws: (any Error).self) { try store.search("  -- ") }
    }

    /// The index reads its text from the rows it indexes, so every edit must first take the old
    /// words out: after edits, a new text and deletions, old words find nothing and new ones do.
    @Test func searchForgetsOldTextAfterEditsReplacementsAndDeletions() throws {
        let (store, id) = try storeWithArticle()
        let highlight = try store.highlight(articleID: id, quote: "repairs begin in March", note: "Schedule an inspection")
        #expect(try store.editAnnotation(highlight.id, note: "Call the engineers"))
        #expect(try store.search("inspection").isEmpty)
        #expect(try store.search("engineers").map(\.id) == [highlight.id])
        #expect(try store.search("March").map(\.id).sorted() == [highlight.id, id].sorted())

        _ = try store.replaceText(of: id, with: ExtractedArticle(title: "Bridge budget", text: """
            The harbor council met on Tuesday to vote on the winter budget for the old bridge.

            In the end the council approved the budget, and repairs begin in March, weather permitting.
            """, format: .plainText))
        #expect(try store.search("archive").isEmpty)
        #expect(try store.search("weather").map(\.id) == [id])

        try store.delete(highlight.id)
        #expect(try store.search("engineers").isEmpty)
        try store.delete(id)
        #expect(try store.search("harbor").isEmpty)
        #expect(try store.search("weather").isEmpty)
        #expect(try store.checkIntegrity() == "ok")
    }

    /// An annotation's search entry is keyed by its row's rowid and an article's by a search row
    /// below 0 (v16): through notes edited, tags set, rows deleted and made again, every entry
    /// still matches its row's text (FTS5's integrity check against the content), each
    /// annotation keeps its rowid, and every hit names the right item and kind.
    @Test func searchEntriesFollowTheirRowsThroughEditsAndDeletions() throws {
        let (store, articleID) = try storeWithArticle()
        let second = try store.addArticle(ExtractedArticle(title: "Ferry timetable", text: "The ferry leaves the harbor at noon.",
                                                           format: .plainText)).id
        var notes: [String: String] = [:]
        for index in 0..<12 {
            let note = "marker\(index) about the bridge"
            let highlight = try store.highlight(articleID: articleID, quote: "repairs begin in March", note: note)
            notes[highlight.id] = note
        }
        let ids = notes.keys.sorted()
        let queue = try DatabaseQueue(path: store.path)
        defer { try? queue.close() }
        func rowids() throws -> [String: Int64] {
            try queue.read { db in
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT id, rowid FROM annotation").map { ($0[0], $0[1]) })
            }
        }
        let before = try rowids()
        for (index, id) in ids.enumerated() where index % 3 == 0 {
            notes[id] = "changed\(index) note"
            #expect(try store.editAnnotation(id, note: "changed\(index) note"))
            _ = try store.setTags(id, ["ferries"])
        }
        for id in ids.suffix(3) {
            try store.delete(id)
            notes[id] = nil
        }
        let added = try store.highlight(articleID: second, quote: "leaves the harbor", note: "marker99 late")
        notes[added.id] = "marker99 late"
        // Recorded in bulk, with tags (whose counts are written between the row and its entry).
        let recorded = try store.record((0..<3).map {
            AnnotationDraft(articleID: articleID, note: "bulk\($0) entry", tags: ["alpha", "beta\($0)"])
        })
        for (index, id) in recorded.enumerated() { notes[id] = "bulk\(index) entry" }
        _ = try store.replaceText(of: second, with: ExtractedArticle(title: "Ferry timetable", text: "The ferry leaves the harbor at one.",
                                                                     format: .plainText))

        let after = try rowids()
        for id in notes.keys where before[id] != nil { #expect(after[id] == before[id], "\(id) kept its rowid") }
        try queue.write { db in
            try db.execute(sql: "INSERT INTO search_index(search_index, rank) VALUES ('integrity-check', 1)")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM search_doc WHERE rowid >= 0") == 0)
        }
        for (id, note) in notes {
            let word = String(note.split(separator: " ")[0])
            let hits = try store.search(word)
            #expect(hits.map(\.id) == [id], "\(word)")
            #expect(hits.first?.kind == .annotation)
        }
        #expect(try store.search("changed0 tag:ferries").map(\.id) == [ids[0]])
        #expect(try store.search("noon").isEmpty)
        #expect(try store.search("ferry").map(\.id) == [second])
        #expect(try store.search("ferry").first?.kind == .article)
        #expect(Set(try store.search("harbor article:\(second.prefix(8))").map(\.id)) == [second, added.id])
    }

    /// FTS5 writes a transaction's new entries as one segment, unless a statement in it opens a
    /// savepoint, at which it flushes what it holds (an INSERT OR REPLACE that names the rowid of
    /// a table with another unique key does). Recording many highlights, and applying many
    /// changes, in one transaction must not flush between them: with merging turned off, the
    /// index gains a handful of rows, not one segment a highlight.
    @Test func aTransactionOfHighlightsIsIndexedAsOneSegment() throws {
        /// The rows of `store`'s full-text index, with FTS5's merging of segments turned off first.
        func unmergedIndexRows(_ store: Store) throws -> () throws -> Int {
            let queue = try DatabaseQueue(path: store.path)
            try queue.write { db in
                try db.execute(sql: """
                    INSERT INTO search_index(search_index, rank) VALUES ('automerge', 0);
                    INSERT INTO search_index(search_index, rank) VALUES ('crisismerge', 100000);
                    """)
            }
            return { try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM search_index_data") ?? 0 } }
        }
        let (store, articleID) = try storeWithArticle()
        let rows = try unmergedIndexRows(store)
        let before = try rows()
        let ids = try store.record((0..<300).map {
            AnnotationDraft(articleID: articleID, note: "entry\($0) of the batch", tags: ["alpha", "beta\($0 % 7)"])
        })
        #expect(try rows() - before < 10)

        let peer = try directory.store("peer")
        let peerRows = try unmergedIndexRows(peer)
        let peerBefore = try peerRows()
        #expect(try peer.apply(try store.changes(since: VersionVector())).applied == 301)
        #expect(try peerRows() - peerBefore < 10)
        #expect(try peer.search("entry17").map(\.id) == [ids[17]])
    }

    /// A store written before migration v5 kept the search text in FTS5's own table; opening it
    /// moves the index onto the rows, and searches and edits work as before.
    @Test func aStoreIndexedBeforeV5IsMigratedAndSearchesAsBefore() throws {
        let (store, id) = try storeWithArticle()
        let highlight = try store.highlight(articleID: id, quote: "repairs begin in March", note: "Schedule an inspection")
        var upgrades: [[String]] = []
        // Before v16 an annotation had a search row of its own, as an article does, and every
        // search row's rowid was above 0: v5 runs again, then v16.
        let reopened = try reopen(store, after: """
                DROP TABLE search_index;
                DROP VIEW search_content;
                UPDATE search_doc SET rowid = -rowid;
                INSERT INTO search_doc(entity_id, kind, article_id) SELECT id, 'annotation', article_id FROM annotation;
                CREATE VIRTUAL TABLE search_index USING fts5(title, body, quote, note,
                    tokenize = 'porter unicode61 remove_diacritics 2');
                INSERT INTO search_index(rowid, title, body, quote, note)
                    SELECT d.rowid, a.title, a.body, NULL, NULL FROM search_doc d JOIN article a ON a.id = d.entity_id
                    UNION ALL
                    SELECT d.rowid, NULL, NULL, n.exact, n.note FROM search_doc d JOIN annotation n ON n.id = d.entity_id;
                DELETE FROM grdb_migrations WHERE identifier IN ('v5_search_external_content', 'v16_search_rows_by_rowid');
                """, upgrading: { upgrades.append($0) })
        // Told once, before they ran; a new store is not an upgrade.
        #expect(upgrades == [["v5_search_external_content", "v16_search_rows_by_rowid"]])
        _ = try Store(path: directory.path + "/new.sqlite", upgrading: { upgrades.append($0) })
        #expect(upgrades.count == 1)
        #expect(try reopened.search("inspection").map(\.id) == [highlight.id])
        #expect(try reopened.search("archive").map(\.id) == [id])
        #expect(try reopened.editAnnotation(highlight.id, note: "Call the engineers"))
        #expect(try reopened.search("inspection").isEmpty)
        #expect(try reopened.search("engineers").map(\.id) == [highlight.id])
        #expect(try reopened.checkIntegrity() == "ok")
    }

    /// The listing reads each article's tags from its row (v6), in byte order, and follows edits.
    @Test func listingShowsTagsAsTheyChange() throws {
        let (store, id) = try storeWithArticle()
        _ = try store.setTags(id, ["zoo", "été", "bridges"])
        #expect(try store.articles().first?.tags == ["bridges", "zoo", "été"])
        _ = try store.setTags(id, ["zoo"], remove: true)
        #expect(try store.articles().first?.tags == ["bridges", "été"])
        _ = try store.setTags(id, ["bridges", "été"], remove: true)
        #expect(try store.articles().first?.tags == [])
        #expect(try store.articles(tag: "bridges").isEmpty)
    }

    /// Adding a text another live article holds finds that article through an index (v8), not by
    /// reading every article.
    @Test func theArticleHoldingATextIsALookup() throws {
        let (store, _) = try storeWithArticle()
        let queue = try DatabaseQueue(path: store.path)
        defer { try? queue.close() }
        let plan = try queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Store.articleByContentHash, arguments: ["0"])
                .map { $0["detail"] as String }
        }
        #expect(plan == ["SEARCH article USING COVERING INDEX article_by_content_hash (content_hash=?)"])
    }

    @Test func aStoreListedBeforeV6IsMigratedWithItsTags() throws {
        let (store, id) = try storeWithArticle()
        _ = try store.setTags(id, ["later", "bridges"])
        let reopened = try reopen(store, after: """
                DROP INDEX article_listing;
                ALTER TABLE article DROP COLUMN tags;
                CREATE INDEX article_listing ON article(saved_at DESC, id, title, url, site, published, words);
                DELETE FROM grdb_migrations WHERE identifier = 'v6_article_tags';
                """)
        #expect(try reopened.articles().map(\.tags) == [["bridges", "later"]])
        _ = try reopened.setTags(id, ["later"], remove: true)
        #expect(try reopened.articles().map(\.tags) == [["bridges"]])
        #expect(try reopened.checkIntegrity() == "ok")
    }

    /// What a `gloss` command opens: one connection, the same file in the same WAL mode, and
    /// reading a store changes nothing in it.
    @Test func aStoreOpenedWithOneConnectionIsTheSameStore() throws {
        let path = directory.path + "/single.sqlite"
        let single = try Store(path: path, concurrentReads: false)
        let id = try single.addArticle(ExtractedArticle(title: "Bridge budget", text: sampleText, format: .plainText)).id
        _ = try single.setTags(id, ["bridges"])
        try single.close()

        let pooled = try Store(path: path)
        #expect(try pooled.articles().map(\.tags) == [["bridges"]])
        try pooled.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let reader = try Store(path: path, concurrentReads: false)
        #expect(try reader.articles().map(\.id) == [id])
        try reader.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        // Closed, the store is its one file again: the log was folded in and removed.
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test func logListsEveryChangeNewestFirst() throws {
        let (store, id) = try storeWithArticle()
        let highlight = try store.highlight(articleID: id, quote: "winter budget")
        try store.setTags(id, ["later"])
        let log = try store.log()
        #expect(log.map(\.counter) == [3, 2, 1])
        #expect(log[1].entityID == highlight.id && log[1].fields.contains("anchor"))
        #expect(try store.log(entityID: id).count == 2)
    }

    @Test func exportIsCanonicalAndTheDigestHashesIt() throws {
        let (store, id) = try storeWithArticle()
        _ = try store.highlight(articleID: id, quote: "winter budget", note: "n")
        let first = try store.exportJSON()
        #expect(try store.exportJSON() == first)
        let reopened = try Store(path: store.path)
        #expect(try reopened.exportJSON() == first)
        let json = try #require(try JSONSerialization.jsonObject(with: first) as? [String: Any])
        #expect((json["articles"] as? [Any])?.count == 1)
        #expect((json["annotations"] as? [Any])?.count == 1)
        #expect(try store.digest().count == 64)
    }

    // MARK: - Pages of changes

    /// Replicas that wrote one change each before a long history are sent in the same pages as
    /// it: every change the vector lacks once, in log order, however small the pages.
    @Test func pagesHoldEveryLackingChangeOnceInLogOrderWithManySparseReplicas() throws {
        let hub = try directory.store("hub")
        var rng = SplitMix64(seed: 7)
        for index in 0..<12 {
            let extra = try directory.store("extra\(index)", seed: UInt64(100 + index))
            _ = try extra.addArticle(ExtractedArticle(title: "Extra \(index)", text: prose(&rng, sentences: 3), format: .plainText))
            try hub.apply(try extra.changes(since: VersionVector()))
        }
        for index in 0..<120 {
            _ = try hub.addArticle(ExtractedArticle(title: "Own \(index)", text: prose(&rng, sentences: 2), format: .plainText))
        }
        // Batches of one change, so no page has to run past its limit to close a batch.
        try hub.signOwnChanges(batchLength: 1)
        let everything = try hub.changes(since: VersionVector())
        #expect(everything.count == 132)

        func paged(since vector: VersionVector, limit: Int) throws -> [Change] {
            var changes: [Change] = [], after: Int64 = 0
            while true {
                let page = try hub.changePage(since: vector, after: after, limit: limit)
                #expect(page.changes.count <= limit)
                changes += page.changes
                guard page.more else { return changes }
                #expect(page.next > after)
                after = page.next
            }
        }
        for limit in [1, 7, 131, 132, 500] {
            #expect(try paged(since: VersionVector(), limit: limit).map(\.dot) == everything.map(\.dot))
        }
        // Knowing the hub's own history, a peer lacks only the twelve early changes.
        let ownOnly = VersionVector([hub.replicaID: 120])
        #expect(try paged(since: ownOnly, limit: 5).map(\.dot) == everything.prefix(12).map(\.dot))
        // Knowing all but the hub's last five, it lacks exactly those.
        var allButFive = try hub.versionVector()
        allButFive[hub.replicaID] = 115
        #expect(try paged(since: allButFive, limit: 2).map(\.dot) == everything.suffix(5).map(\.dot))
        #expect(try hub.changePage(since: try hub.versionVector(), limit: 10) == ChangePage(changes: [], next: 0, more: false))
    }

    // MARK: - Bad stores

    @Test func aFileThatIsNotSQLiteIsRefusedAndLeftAlone() throws {
        let path = directory.path + "/notes.txt"
        let content = Data(String(repeating: "not a database\n", count: 100).utf8)
        try content.write(to: URL(fileURLWithPath: path))
        #expect(throws: GlossError.notAGlossStore(path: path)) { try Store(path: path) }
        #expect(FileManager.default.contents(atPath: path) == content)
    }

    @Test func anotherApplicationsDatabaseIsRefusedAndLeftAlone() throws {
        let path = directory.path + "/other.sqlite"
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE things(x); INSERT INTO things VALUES (1)") }
        try queue.close()
        let before = FileManager.default.contents(atPath: path)
        #expect(throws: GlossError.notAGlossStore(path: path)) { try Store(path: path) }
        #expect(FileManager.default.contents(atPath: path) == before)
    }

    @Test func reopeningKeepsTheReplicaIdentity() throws {
        let store = try directory.store("a")
        let again = try Store(path: store.path)
        #expect(again.replicaID == store.replicaID)
        #expect(try again.replicaName() == "a")
    }
}

@Suite struct SearchFilterTests {
    @Test func filtersNarrowWhereAndWhatMatches() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let bridge = try store.addArticle(ExtractedArticle(title: "Bridge budget", tags: ["city"], text: sampleText, format: .plainText)).id
        let other = try store.addArticle(ExtractedArticle(title: "Harbor storms", text: "The storm closed the harbor and the bridge for a day.", format: .plainText)).id
        let quoted = try store.highlight(articleID: bridge, quote: "repaired it four times", note: "bridge history")
        _ = try store.addNote(articleID: other, text: "the storm and the bridge again")

        #expect(Set(try store.search("bridge").map(\.id)).isSuperset(of: [bridge, other, quoted.id]))
        #expect(try store.search("bridge in:notes").allSatisfy { $0.kind == .annotation })
        #expect(try store.search("repaired in:quotes").map(\.id) == [quoted.id])
        #expect(try store.search("repaired in:notes").isEmpty)
        #expect(Set(try store.search("bridge tag:city").map(\.articleID)) == [bridge])
        #expect(Set(try store.search("bridge article:\(other.prefix(6))").map(\.articleID)) == [other])
        #expect(try store.search("storm in:titles").map(\.id) == [other])
        #expect(throws: (any Error).self) { try store.search("tag:city") }
    }
}

/// The live environment's random bytes: never the same bytes twice, whatever the sizes asked.
@Suite struct SystemRandomPoolTests {
    @Test func bytesAreNeverHandedOutTwice() async throws {
        let pool = SystemRandomPool()
        // Sixteen tasks at once drawing ids across many refills: every 10-byte id is new
        // (two equal ones by chance is a 2^-80 event).
        let ids = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
            for _ in 0..<16 { group.addTask { (0..<500).map { _ in pool.take(10) } } }
            return try await group.reduce(into: [[UInt8]]()) { $0 += $1 }
        }
        #expect(ids.count == 8_000 && Set(ids).count == 8_000)
        #expect(ids.allSatisfy { $0.count == 10 })
        // Larger requests, drawn for themselves, in several system calls past 256 bytes.
        let token = pool.take(32), long = pool.take(5_000)
        #expect(token.count == 32 && long.count == 5_000 && pool.take(32) != token)
        // Not all zeros, nor one repeated byte: the buffer was filled.
        #expect(Set(long).count > 200)
    }
}
