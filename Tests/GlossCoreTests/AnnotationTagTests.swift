import Foundation
import GRDB
import Testing
@testable import GlossCore
import GlossExtraction
import GlossTestSupport

/// An annotation's tags live in its row and are counted per tag (v13); every way of reading tags
/// sees the same as when each tag was a row of its own.
@Suite struct AnnotationTagTests {
    let directory = TemporaryDirectory()

    func storeWithArticle(_ name: String = "a", seed: UInt64 = 1) throws -> (Store, String) {
        let store = try directory.store(name, seed: seed)
        let id = try store.addArticle(ExtractedArticle(title: "Bridge budget", text: sampleText, format: .plainText)).id
        return (store, id)
    }

    /// What the rows say, counted afresh: the counts table must always equal this.
    func recount(_ store: Store) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for annotation in try store.annotationPage(AnnotationFilter(), limit: 1_000).items {
            for tag in annotation.tags { counts[tag, default: 0] += 1 }
        }
        return counts
    }

    func counted(_ store: Store) throws -> [String: Int] {
        let queue = try DatabaseQueue(path: store.path)
        defer { try? queue.close() }
        return try queue.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT tag, annotations FROM annotation_tag_count")
                .map { ($0["tag"] as String, $0["annotations"] as Int) })
        }
    }

    @Test func tagsOfAnnotationsAreFoundCountedAndCompleted() throws {
        let (store, article) = try storeWithArticle()
        let first = try store.highlight(articleID: article, quote: "the bridge", occurrence: 1, tags: ["history", "later"]).id
        _ = try store.highlight(articleID: article, quote: "the bridge", occurrence: 2, note: "budget lines", tags: ["history"])
        _ = try store.setTags(article, ["bridges"])

        #expect(try store.annotationPage(AnnotationFilter(tag: "history")).items.count == 2)
        #expect(try store.annotationPage(AnnotationFilter(tag: "later")).items.map(\.id) == [first])
        // A tag that is the start or end of another never matches it.
        #expect(try store.annotationPage(AnnotationFilter(tag: "hist")).items.isEmpty)
        #expect(try store.annotationPage(AnnotationFilter(tag: "ater")).items.isEmpty)
        #expect(try store.tagCounts().map { "\($0.name)=\($0.count)" } == ["bridges=1", "history=2", "later=1"])
        #expect(try store.tagNames(prefix: "h") == ["history"])
        #expect(try store.tagNames() == ["bridges", "history", "later"])
        #expect(try store.status().counts.tags == 3)
        // `tag:` in a search: the item is tagged, or its article is.
        #expect(try store.search("budget tag:history").map(\.kind).contains(.annotation))
        #expect(try store.search("lines tag:bridges").count == 1)
        #expect(try store.search("lines tag:later").isEmpty)
        #expect(try counted(store) == recount(store))
    }

    @Test func countsFollowEveryEditAndDeletion() throws {
        let (store, article) = try storeWithArticle()
        let one = try store.highlight(articleID: article, quote: "the bridge", occurrence: 1, tags: ["history", "later"]).id
        let two = try store.highlight(articleID: article, quote: "the bridge", occurrence: 2, tags: ["history"]).id
        _ = try store.setTags(one, ["later"], remove: true)
        #expect(try counted(store) == ["history": 2])
        _ = try store.setTags(two, ["zoning"])
        #expect(try counted(store) == ["history": 2, "zoning": 1])
        try store.delete(two)
        // A tag no visible annotation carries has no row.
        #expect(try counted(store) == ["history": 1])
        #expect(try store.tagNames() == ["history"])
        #expect(try counted(store) == recount(store))
        #expect(try store.checkIntegrity() == "ok")
    }

    /// Concurrent tag edits on two replicas, synced both ways: each ends with counts equal to
    /// its rows, whatever order the changes arrived in.
    @Test func countsConvergeWithTheRowsAcrossReplicas() throws {
        let (a, article) = try storeWithArticle("a", seed: 1)
        let id = try a.highlight(articleID: article, quote: "the bridge", occurrence: 1, tags: ["history"]).id
        let b = try directory.store("b", seed: 2)
        try a.signOwnChanges()
        try b.apply(try a.changes(since: b.versionVector()))
        _ = try a.setTags(id, ["later"])
        _ = try b.setTags(id, ["history"], remove: true)
        _ = try b.setTags(id, ["zoning"])
        try a.signOwnChanges()
        try b.signOwnChanges()
        let fromA = try a.changes(since: b.versionVector()), fromB = try b.changes(since: a.versionVector())
        try b.apply(fromA)
        try a.apply(fromB)
        #expect(try a.digest() == b.digest())
        for store in [a, b] {
            #expect(try counted(store) == recount(store))
            #expect(try store.annotationPage(AnnotationFilter(tag: "zoning")).items.map(\.id) == [id])
        }
    }

    /// Tags no person can type here but another replica may have written (one holding the row
    /// separator U+001F, an empty one) are counted and uncounted as they were written, so the
    /// counts never drift from the rows.
    @Test func oddTagsFromElsewhereKeepTheCountsRight() throws {
        let (store, article) = try storeWithArticle()
        let plain = try store.highlight(articleID: article, quote: "the bridge", occurrence: 1, tags: ["a"]).id
        let odd = try store.highlight(articleID: article, quote: "the bridge", occurrence: 2).id
        // What another replica's change could carry: written as it came, past TagName.
        func write(_ id: String, _ ops: @escaping (EntityState) -> [FieldOp]) throws {
            try store.writer.write { db in
                _ = try store.commitLocal(db, type: .annotation, id: id) { state in state.map(ops) ?? [] }
            }
        }
        try write(odd) { _ in [FieldOp(field: Fields.tag("a\u{1f}b"), value: .bool(true)), FieldOp(field: Fields.tag(""), value: .bool(true))] }
        #expect(try counted(store) == recount(store))
        try write(odd) { Store.tagOps($0, making: []) }
        #expect(try counted(store) == ["a": 1])
        try write(odd) { _ in [FieldOp(field: Fields.tag(""), value: .bool(true))] }
        try store.delete(odd)
        #expect(try counted(store) == ["a": 1])
        #expect(try store.tagNames() == ["a"])
        #expect(try store.annotationPage(AnnotationFilter(tag: "a")).items.map(\.id) == [plain])
        // Typed here, such a tag is made plain.
        #expect(TagName.normalize("a\u{1f}b") == "a-b")
    }

    @Test func aStoreTaggedBeforeV13IsMigratedWithItsAnnotationsTags() throws {
        let (store, article) = try storeWithArticle()
        let one = try store.highlight(articleID: article, quote: "the bridge", occurrence: 1, tags: ["later", "history"]).id
        let two = try store.highlight(articleID: article, quote: "the bridge", occurrence: 2, tags: ["history"]).id
        _ = try store.setTags(article, ["bridges"])
        let path = store.path
        // Back to v12: one `tag` row per tag of every annotation, no column, no counts.
        let reopened = try StoreTests().reopen(store, after: """
            INSERT INTO tag(entity_id, tag) VALUES ('\(one)', 'history'), ('\(one)', 'later'), ('\(two)', 'history');
            ALTER TABLE annotation DROP COLUMN tags;
            DROP TABLE annotation_tag_count;
            DELETE FROM grdb_migrations WHERE identifier = 'v13_annotation_tags';
            """)
        #expect(reopened.path == path)
        #expect(try counted(reopened) == ["history": 2, "later": 1])
        #expect(try reopened.annotationPage(AnnotationFilter(tag: "later")).items.map(\.id) == [one])
        #expect(try reopened.tagCounts().map { "\($0.name)=\($0.count)" } == ["bridges=1", "history=2", "later=1"])
        let queue = try DatabaseQueue(path: reopened.path)
        let tagRows = try queue.read { db in try String.fetchAll(db, sql: "SELECT entity_id FROM tag") }
        try queue.close()
        #expect(tagRows == [article])
        #expect(try reopened.checkIntegrity() == "ok")
    }
}
