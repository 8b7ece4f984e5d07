import Foundation
import GRDB
import GlossTestSupport
import Testing
@testable import GlossCore
import GlossExtraction

@Suite struct AnnotationImportTests {
    let directory = TemporaryDirectory()

    func storeWithArticle(_ name: String) throws -> (Store, String) {
        let store = try directory.store(name, seed: name == "a" ? 1 : 2)
        let id = try store.addArticle(ExtractedArticle(title: "Bridge", url: "https://example.com/bridge", text: sampleText, format: .plainText)).id
        return (store, id)
    }

    @Test func w3cExportImportsBackExactly() throws {
        let (a, id) = try storeWithArticle("a")
        _ = try a.highlight(articleID: id, quote: "the bridge", occurrence: 2, note: "second *mention*", color: "blue", tags: ["history"])
        _ = try a.addNote(articleID: id, text: "overall: fine", tags: ["summary"])
        let (b, _) = try storeWithArticle("b")
        let outcomes = try b.importAnnotations(try AnnotationImport.parse(try a.exportW3C())).items
        #expect(outcomes.map(\.status) == [.imported, .imported])
        func fields(_ store: Store) throws -> [String] {
            try store.annotations().map { "\($0.id) \($0.kind) \($0.anchor.map { "\($0.exact)|\($0.prefix)|\($0.suffix)|\($0.start)-\($0.end)" } ?? "-") \($0.note ?? "-") \($0.color ?? "-") \($0.tags) \($0.createdAt / 1000)" }.sorted()
        }
        #expect(try fields(a) == fields(b))
        let again = try b.importAnnotations(try AnnotationImport.parse(try a.exportW3C())).items
        #expect(again.map(\.status) == [.alreadyPresent, .alreadyPresent])
    }

    /// A chunk the store refuses to write (a full disk, say) and every one after it are reported
    /// item by item as not written; the chunks before it stay, and nothing claims more.
    @Test func aChunkThatFailsToWriteIsReportedItemByItemAndTheChunksBeforeItStay() throws {
        let (a, id) = try storeWithArticle("a")
        for index in 0..<(Store.importBatch + 50) { _ = try a.addNote(articleID: id, text: "note \(index)") }
        let (b, _) = try storeWithArticle("b")
        let held = try b.annotations().count
        // The store fails the write of any annotation past the first chunk.
        try b.writer.write { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER full_disk BEFORE INSERT ON entity_state
                WHEN (SELECT count(*) FROM main.entity_state) >= \(1 + held + Store.importBatch)
                BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END
                """)
        }
        let items = try b.importAnnotations(try AnnotationImport.parse(try a.exportW3C())).items
        #expect(items.count(where: { $0.status == .imported }) == Store.importBatch)
        let refused = items.filter { $0.status == .skipped }
        #expect(refused.count == 50)
        #expect(refused.allSatisfy { $0.reason?.contains("not written") == true && $0.reason?.contains("disk is full") == true })
        #expect(try b.annotations().count == held + Store.importBatch)
    }

    @Test func hypothesisExportsAttachByURL() throws {
        let (store, _) = try storeWithArticle("a")
        let hypothesis = """
            [{"id": "abc123", "uri": "https://example.com/bridge?utm_source=feed", "text": "Worth a follow-up",
              "tags": ["Infrastructure"], "created": "2024-03-01T10:00:00.000000+00:00", "user": "acct:me@hypothes.is",
              "target": [{"source": "https://example.com/bridge", "selector": [
                {"type": "RangeSelector", "startContainer": "/p[2]", "startOffset": 0, "endContainer": "/p[2]", "endOffset": 20},
                {"type": "TextPositionSelector", "start": 140, "end": 161},
                {"type": "TextQuoteSelector", "exact": "built in 1887", "prefix": "shows the bridge was ", "suffix": ", and the council"}]}]}]
            """
        let outcomes = try store.importAnnotations(try AnnotationImport.parse(Data(hypothesis.utf8))).items
        #expect(outcomes.map(\.status) == [.imported])
        let annotation = try #require(try store.annotations().first)
        #expect(annotation.anchor?.exact == "built in 1887" && annotation.note == "Worth a follow-up" && annotation.tags == ["infrastructure"])
    }

    @Test func badItemsAreReportedOneByOneAndChangeNothing() throws {
        let (store, _) = try storeWithArticle("a")
        let before = try store.digest()
        #expect(throws: GlossError.self) { try AnnotationImport.parse(Data("{not json".utf8)) }
        #expect(throws: GlossError.importNotUTF8) { try AnnotationImport.parse(Data([0xff, 0xfe, 0x7b, 0x7d])) }
        let mixed = """
            [{"type": "Annotation", "target": {"source": "https://example.com/bridge", "selector": {"type": "XPathSelector", "value": "/p[1]"}}},
             {"type": "Annotation", "target": {"source": "https://elsewhere.org/x", "selector": {"type": "TextQuoteSelector", "exact": "bridge"}}},
             {"type": "Annotation", "target": {"source": "https://example.com/bridge", "selector": {"type": "TextQuoteSelector", "exact": "a submarine"}}},
             {"type": "Image"},
             42]
            """
        let outcomes = try store.importAnnotations(try AnnotationImport.parse(Data(mixed.utf8))).items
        #expect(outcomes.map(\.status) == Array(repeating: .skipped, count: 5))
        #expect(outcomes[0].reason?.contains("XPathSelector") == true)
        #expect(outcomes[1].reason?.contains("add the article first") == true)
        #expect(outcomes[2].reason?.contains("does not occur") == true)
        #expect(try store.digest() == before)
    }

    /// Every shape the reader accepts, read field by field: one annotation, a page, Hypothesis's
    /// `rows`, targets as an IRI, an object or an array, types and bodies as one or many, fields
    /// of unexpected types read as absent, and an item that is not an object failing alone.
    @Test func everyAcceptedShapeIsRead() throws {
        func items(_ json: String) throws -> [String] {
            try AnnotationImport.parse(Data(json.utf8)).items.map { item in
                switch item {
                case .success(let a):
                    "\(a.kind) \(a.source ?? "-") \(a.exact ?? "-")|\(a.prefix ?? "-")|\(a.suffix ?? "-") \(a.start ?? -1)-\(a.end ?? -1) \(a.note ?? "-") \(a.tags) \(a.color ?? "-") \(a.created ?? -1)"
                case .failure(let error): "error: \(error.description)"
                }
            }
        }
        #expect(try items(#"{"type": "Annotation", "target": "https://x.org/a", "bodyValue": "a note"}"#)
                == ["note https://x.org/a -|-|- -1--1 a note [] - -1"])
        #expect(try items("""
            {"type": ["AnnotationPage"], "items": [
              {"type": ["Annotation", "Other"], "gloss:color": "blue", "created": "2024-03-01T10:00:00Z",
               "body": {"type": "TextualBody", "value": "why", "purpose": "commenting"},
               "target": [{"source": "https://x.org/b", "selector": {"type": "TextQuoteSelector", "exact": "the quote", "prefix": 7}},
                          "https://ignored.org"]},
              {"type": "Annotation", "body": [{"value": "t1", "purpose": "tagging"}, 3, {"value": "t2", "purpose": "tagging"}],
               "target": {"source": "https://x.org/c", "selector": [{"type": "TextPositionSelector", "start": 2, "end": "9"},
                                                                    {"type": "TextQuoteSelector", "exact": "q"}, "junk"]}},
              {"type": "Annotation", "target": []},
              {"type": "Annotation", "target": {"selector": {"value": "x"}}},
              [1]]}
            """) == [
                "highlight https://x.org/b the quote|-|- -1--1 why [] blue 1709287200000",
                "highlight https://x.org/c q|-|- 2--1 - [\"t1\", \"t2\"] - -1",
                "error: it has no target",
                "error: its selectors (untyped) cannot be anchored in text: Gloss reads TextQuoteSelector and TextPositionSelector",
                "error: not a JSON object",
            ])
        #expect(try items("""
            {"rows": [{"uri": "https://x.org/d", "user": null, "text": "", "tags": ["a", "b"],
                       "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "h"}]}]},
                      {"user": "acct:me", "text": "page note"}]}
            """) == ["highlight https://x.org/d h|-|- -1--1 - [\"a\", \"b\"] - -1", "note - -|-|- -1--1 page note [] - -1"])
        #expect(try items(#"[{"type": "Image"}, null]"#)
                == ["error: not a Web Annotation (its type is not Annotation)", "error: not a JSON object"])
        let notJSON = Data("{\"type\": ".utf8)
        let expected = try #require(AnnotationImport.jsonError(notJSON))
        #expect(throws: GlossError.importNotJSON(reason: expected)) {
            try AnnotationImport.parse(notJSON)
        }
        #expect(throws: GlossError.unsupportedExportVersion(found: "9", readable: 1...2)) {
            try AnnotationImport.parse(Data(#"{"format": "gloss-export", "version": 9}"#.utf8))
        }
    }

    /// The export minus what says which store wrote it and when it last changed there.
    func portable(_ export: Data) throws -> [String: Any] {
        var document = try #require(try JSONSerialization.jsonObject(with: export) as? [String: Any])
        document["id"] = nil
        document["label"] = nil
        var page = try #require(document["first"] as? [String: Any])
        page["id"] = nil
        page["items"] = (page["items"] as? [[String: Any]])?.map { item in item.filter { $0.key != "modified" } }
        document["first"] = page
        return document
    }

    @Test func exportImportedIntoAnEmptyStoreRoundTripsArticlesAndAnnotations() throws {
        let (a, id) = try storeWithArticle("a")
        _ = try a.highlight(articleID: id, quote: "the bridge", occurrence: 2, note: "second *mention*", color: "blue", tags: ["history"])
        _ = try a.addNote(articleID: id, text: "overall: fine", tags: ["summary"])
        _ = try a.setTags(id, ["civic", "Harbor News"])
        let plain = try a.addArticle(ExtractedArticle(title: "No URL", byline: "Ann Lee", text: "A text saved without an address, about tides and ferries.", format: .markdown)).id
        _ = try a.highlight(articleID: plain, quote: "tides and ferries", color: "green")
        let exported = try a.exportW3C()

        let empty = try directory.store("empty", seed: 9)
        let report = try empty.importAnnotations(try AnnotationImport.parse(exported))
        #expect(report.articlesAdded == 2 && report.articleProblems.isEmpty)
        #expect(report.items.map(\.status) == [.imported, .imported, .imported])
        let again = try empty.importAnnotations(try AnnotationImport.parse(exported))
        #expect(again.articlesAdded == 0 && again.items.allSatisfy { $0.status == .alreadyPresent })

        #expect(NSDictionary(dictionary: try portable(exported)) == NSDictionary(dictionary: try portable(try empty.exportW3C())))
        for article in try a.articles() {
            var (original, copy) = (try a.article(article.id), try empty.article(article.id))
            (original.modifiedAt, copy.modifiedAt) = (0, 0)
            #expect(original == copy)
        }
    }

    /// An orphan's selectors name a text the article no longer has: it comes back an orphan, as
    /// it was, and the rest of the file imports beside it.
    @Test func anOrphanedHighlightImportsAsAnOrphan() throws {
        let (a, id) = try storeWithArticle("a")
        let lost = try a.highlight(articleID: id, quote: "built in 1887", note: "history")
        let kept = try a.highlight(articleID: id, quote: "approved the budget")
        let revised = sampleText.replacingOccurrences(of: "The archive shows the bridge was built in 1887, and the council",
                                                      with: "The council")
        _ = try a.addArticle(ExtractedArticle(title: "Bridge", url: "https://example.com/bridge", text: revised, format: .plainText))
        #expect(try a.orphans().map(\.id) == [lost.id])

        let empty = try directory.store("empty", seed: 9)
        let report = try empty.importAnnotations(try AnnotationImport.parse(try a.exportW3C()))
        #expect(report.articlesAdded == 1)
        #expect(report.items.map(\.status) == [.imported, .imported])
        #expect(try empty.orphans().map(\.id) == [lost.id])
        let (original, copy) = (try a.annotation(lost.id), try empty.annotation(lost.id))
        #expect(copy.anchor == original.anchor && copy.note == "history" && copy.color == original.color)
        #expect(try empty.annotation(kept.id).anchor == a.annotation(kept.id).anchor)
    }

    /// A position that does not hold the quote, even under the right text's hash, is searched past.
    @Test func aWrongPositionUnderTheRightHashIsFoundBySearching() throws {
        let (store, id) = try storeWithArticle("a")
        let hash = try store.article(id).contentHash
        let item = """
            {"type": "Annotation", "gloss:article": "\(id)", "target": {"source": "https://example.com/bridge",
             "gloss:contentHash": "\(hash)", "selector": [{"type": "TextQuoteSelector", "exact": "built in 1887"},
             {"type": "TextPositionSelector", "start": 3, "end": 16}]}}
            """
        let outcomes = try store.importAnnotations(try AnnotationImport.parse(Data(item.utf8))).items
        #expect(outcomes.map(\.status) == [.imported])
        let imported = try #require(outcomes[0].id)
        let anchor = try #require(try store.annotation(imported).anchor)
        let scalars = Array(sampleText.unicodeScalars)
        #expect(anchor.start != 3 && String(String.UnicodeScalarView(scalars[anchor.start..<anchor.end])) == "built in 1887")
    }

    @Test func annotationsWithoutAKnownSourceAttachByContentWhenOneArticleHoldsTheQuote() throws {
        let store = try directory.store("content", seed: 3)
        let id = try store.addArticle(ExtractedArticle(title: "Bridge", text: sampleText, format: .plainText)).id
        let item = { (quote: String) in """
            {"type": "Annotation", "body": {"type": "TextualBody", "value": "noted", "purpose": "commenting"},
             "target": {"source": "https://mirror.example/copy-of-bridge", "selector": {"type": "TextQuoteSelector", "exact": "\(quote)"}}}
            """ }
        let long = "the bridge was built in 1887"
        let outcomes = try store.importAnnotations(try AnnotationImport.parse(Data("[\(item(long)), \(item("the bridge"))]".utf8))).items
        #expect(outcomes.map(\.status) == [.imported, .skipped])
        #expect(try store.annotation(try #require(outcomes[0].id)).articleID == id)
        #expect(outcomes[1].reason?.contains("add the article first") == true)

        // The same quote in two articles: attaching to either could be wrong, so neither.
        _ = try store.addArticle(ExtractedArticle(title: "Copy", text: sampleText + "\n\nA later paragraph.", format: .plainText))
        let before = try store.digest()
        let twice = try store.importAnnotations(try AnnotationImport.parse(Data(item("repairs begin in March").utf8))).items
        #expect(twice.map(\.status) == [.skipped] && twice[0].reason?.contains("in 2 articles") == true)
        #expect(try store.digest() == before)
    }

    @Test func reExtractedTextReplacesTheBodyAndRelocatesHighlights() throws {
        let store = try directory.store("replace", seed: 4)
        let id = try store.addArticle(ExtractedArticle(title: "Bridge", text: "Menu | Home | Sports\n\n" + sampleText, format: .plainText)).id
        let highlight = try store.highlight(articleID: id, quote: "built in 1887")
        let result = try store.replaceText(of: id, with: ExtractedArticle(text: sampleText, format: .plainText))
        #expect(result.status == .updated && result.reanchored == 1 && result.orphaned == 0 && result.id == id)
        let moved = try #require(try store.annotation(highlight.id).anchor)
        let text = try store.article(id).text
        let scalars = Array(text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[moved.start..<moved.end])) == "built in 1887")
        #expect(try store.article(id).title == "Bridge")
        #expect(try store.replaceText(of: id, with: ExtractedArticle(text: sampleText, format: .plainText)).status == .alreadyPresent)
        #expect(throws: GlossError.self) { try store.replaceText(of: String(repeating: "a", count: 32), with: ExtractedArticle(text: "x")) }
    }
}
