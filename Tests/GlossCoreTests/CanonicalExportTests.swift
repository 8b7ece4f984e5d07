import Foundation
import GRDB
import GlossExtraction
import GlossTestSupport
import Testing
@testable import GlossCore

/// The canonical export as a backup: imported into an empty store, it rebuilds a library that
/// exports the same bytes.
@Suite struct CanonicalExportTests {
    let directory = TemporaryDirectory()

    /// Two replicas' worth of everything an export holds: articles with and without annotations,
    /// flags and tags, highlights, a note, an orphan, a note edited on both sides, and a delete
    /// concurrent with an edit.
    func library() throws -> Store {
        let a = try directory.store("a", seed: 1)
        let b = try directory.store("b", seed: 2)
        let url = "https://example.com/bridge"
        let bridge = try a.addArticle(ExtractedArticle(title: "Bridge", byline: "Ann Lee", siteName: "Gazette", url: url,
                                                       tags: ["civic"], text: sampleText, format: .plainText)).id
        let plain = try a.addArticle(ExtractedArticle(title: "Tides", text: "A text about tides and ferries, kept without notes.",
                                                      format: .markdown)).id
        _ = try a.writer.write { db in
            try a.commitLocal(db, type: .article, id: plain) { state in
                [FieldOp(field: Fields.starred, value: .bool(true)), FieldOp(field: Fields.read, value: .bool(true))]
            }
        }
        _ = try a.setTags(plain, ["sea"])
        let noted = try a.highlight(articleID: bridge, quote: "approved the budget", note: "finally", color: "blue", tags: ["money"])
        let disputed = try a.highlight(articleID: bridge, quote: "repairs begin in March")
        _ = try a.addNote(articleID: bridge, text: "Overall: *fine*.", tags: ["summary"])
        _ = try a.highlight(articleID: bridge, quote: "built in 1887", note: "history")
        _ = try a.addArticle(ExtractedArticle(title: "Bridge", url: url, text: sampleText.replacingOccurrences(
            of: "The archive shows the bridge was built in 1887, and the council", with: "The council"), format: .plainText))
        try b.apply(a.changes(since: b.versionVector()))
        try a.editAnnotation(noted.id, note: "finally, says A")
        try b.editAnnotation(noted.id, note: "finally, says B")
        try a.delete(disputed.id)
        try b.editAnnotation(disputed.id, color: "green")
        try a.apply(b.changes(since: a.versionVector()))
        #expect(Set(try a.conflicts().map(\.field)) == [Fields.note, Fields.deleted])
        #expect(try a.orphans().count == 1)
        return a
    }

    @Test func exportImportedIntoAnEmptyStoreExportsTheSameBytes() throws {
        let original = try library()
        let exported = try original.exportJSON()
        let empty = try directory.store("empty", seed: 9)
        let report = try empty.importAnnotations(try AnnotationImport.parse(exported))
        #expect(report.articlesAdded == 2)
        #expect(report.items.map(\.status) == Array(repeating: .imported, count: 4))
        #expect(String(decoding: try empty.exportJSON(), as: UTF8.self) == String(decoding: exported, as: UTF8.self))
        #expect(try empty.orphans().map(\.id) == original.orphans().map(\.id))
        #expect(try empty.conflicts().map(\.siblings.count) == original.conflicts().map(\.siblings.count))

        // Importing it again changes nothing; writing afterwards comes after every restored time.
        let before = try empty.digest()
        let again = try empty.importAnnotations(try AnnotationImport.parse(exported))
        #expect(again.articlesAdded == 0 && again.items.allSatisfy { $0.status == .alreadyPresent })
        #expect(try empty.digest() == before)
        let article = try #require(try empty.articles().first { $0.title == "Tides" })
        _ = try empty.setTags(article.id, ["ferries"])
        #expect(try empty.article(article.id).modifiedAt >= original.article(article.id).modifiedAt)
    }

    @Test func aRestoredConflictIsResolvedLikeTheOriginal() throws {
        let original = try library()
        let empty = try directory.store("empty", seed: 9)
        _ = try empty.importAnnotations(try AnnotationImport.parse(try original.exportJSON()))
        for store in [original, empty] {
            for conflict in try store.conflicts() {
                try store.resolve(entityID: conflict.entityID, field: conflict.field, .keep(conflict.siblings.count))
            }
            #expect(try store.conflicts().isEmpty)
        }
        func shown(_ store: Store) throws -> [String] {
            try store.annotations().map { "\($0.id) \($0.note ?? "-") \($0.color ?? "-") \($0.tags)" }
        }
        #expect(try shown(empty) == shown(original))
    }

    @Test func aNoteConflictBesideAContestedDeleteComesBackWhole() throws {
        let a = try directory.store("a", seed: 1)
        let b = try directory.store("b", seed: 2)
        let article = try a.addArticle(ExtractedArticle(title: "Bridge", text: sampleText, format: .plainText)).id
        let highlight = try a.highlight(articleID: article, quote: "approved the budget", note: "first")
        try b.apply(a.changes(since: b.versionVector()))
        try a.editAnnotation(highlight.id, note: "A's reading")
        try a.delete(highlight.id)
        try b.editAnnotation(highlight.id, note: "B's reading")
        try a.apply(b.changes(since: a.versionVector()))
        #expect(Set(try a.conflicts().map(\.field)) == [Fields.note, Fields.deleted])

        let exported = try a.exportJSON()
        let empty = try directory.store("empty", seed: 9)
        _ = try empty.importAnnotations(try AnnotationImport.parse(exported))
        #expect(String(decoding: try empty.exportJSON(), as: UTF8.self) == String(decoding: exported, as: UTF8.self))
        let notes = try empty.conflicts().first { $0.field == Fields.note }?.siblings.map(\.value)
        #expect(Set(notes ?? []) == [.string("A's reading"), .string("B's reading")])
    }

    @Test func aRestoredStoreSyncsWithAPeer() throws {
        let empty = try directory.store("empty", seed: 9)
        _ = try empty.importAnnotations(try AnnotationImport.parse(try library().exportJSON()))
        let peer = try directory.store("peer", seed: 10)
        try peer.apply(empty.changes(since: peer.versionVector()))
        #expect(try peer.digest() == empty.digest())
    }

    @Test(arguments: [
        ("\"id\" : \"", "\"id\" : \"zz"),                   // a malformed id
        ("\"tags\" : [\n", "\"tags\" : [\n\"Not A Tag!\","),   // a tag out of its domain
        ("\"field\" : \"note\"", "\"field\" : \"mood\""),     // a field annotations do not have
    ])
    func aBackupNoReplicaCouldHaveWrittenIsRefusedWhole(_ damage: (String, String)) throws {
        let exported = String(decoding: try library().exportJSON(), as: UTF8.self)
        let damaged = exported.replacingOccurrences(of: damage.0, with: damage.1)
        #expect(damaged != exported, "the damage \(damage) found nothing to change")
        let empty = try directory.store("empty", seed: 9)
        let error = #expect(throws: GlossError.self) {
            _ = try empty.importAnnotations(try AnnotationImport.parse(Data(damaged.utf8)))
        }
        switch error {
        case .invalidChange(.backupMalformedID(_, let id))?: #expect(id.hasPrefix("zz") && damage.1.hasSuffix("zz"))
        case .invalidChange(.backupUnknownField(_, _, let field))?: #expect(field == "mood" || field == "tag:Not A Tag!")
        default: Issue.record("\(damage): \(String(describing: error))")
        }
        #expect(try empty.status().counts.changes == 0)
    }

    @Test func anExportOfANewerFormatOrCutShortIsRefusedWhole() throws {
        let exported = String(decoding: try library().exportJSON(), as: UTF8.self)
        let newer = exported.replacingOccurrences(of: "\"version\" : 2", with: "\"version\" : 99")
        #expect(newer != exported)
        #expect(throws: GlossError.self) { try AnnotationImport.parse(Data(newer.utf8)) }
        let cut = exported.replacingOccurrences(of: "\"annotations\" :", with: "\"notes\" :")
        #expect(throws: GlossError.self) { try AnnotationImport.parse(Data(cut.utf8)) }
    }
}
