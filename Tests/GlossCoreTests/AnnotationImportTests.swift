import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore

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
        let outcomes = try b.importAnnotations(try AnnotationImport.parse(try a.exportW3C()))
        #expect(outcomes.map(\.status) == [.imported, .imported])
        func fields(_ store: Store) throws -> [String] {
            try store.annotations().map { "\($0.id) \($0.kind) \($0.anchor.map { "\($0.exact)|\($0.prefix)|\($0.suffix)|\($0.start)-\($0.end)" } ?? "-") \($0.note ?? "-") \($0.color ?? "-") \($0.tags) \($0.createdAt / 1000)" }.sorted()
        }
        #expect(try fields(a) == fields(b))
        let again = try b.importAnnotations(try AnnotationImport.parse(try a.exportW3C()))
        #expect(again.map(\.status) == [.alreadyPresent, .alreadyPresent])
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
        let outcomes = try store.importAnnotations(try AnnotationImport.parse(Data(hypothesis.utf8)))
        #expect(outcomes.map(\.status) == [.imported])
        let annotation = try #require(try store.annotations().first)
        #expect(annotation.anchor?.exact == "built in 1887" && annotation.note == "Worth a follow-up" && annotation.tags == ["infrastructure"])
    }

    @Test func badItemsAreReportedOneByOneAndChangeNothing() throws {
        let (store, _) = try storeWithArticle("a")
        let before = try store.digest()
        #expect(throws: GlossError.self) { try AnnotationImport.parse(Data("{not json".utf8)) }
        #expect(throws: GlossError.self) { try AnnotationImport.parse(Data([0xff, 0xfe, 0x7b, 0x7d])) }
        let mixed = """
            [{"type": "Annotation", "target": {"source": "https://example.com/bridge", "selector": {"type": "XPathSelector", "value": "/p[1]"}}},
             {"type": "Annotation", "target": {"source": "https://elsewhere.org/x", "selector": {"type": "TextQuoteSelector", "exact": "bridge"}}},
             {"type": "Annotation", "target": {"source": "https://example.com/bridge", "selector": {"type": "TextQuoteSelector", "exact": "a submarine"}}},
             {"type": "Image"},
             42]
            """
        let outcomes = try store.importAnnotations(try AnnotationImport.parse(Data(mixed.utf8)))
        #expect(outcomes.map(\.status) == Array(repeating: .skipped, count: 5))
        #expect(outcomes[0].reason?.contains("XPathSelector") == true)
        #expect(outcomes[1].reason?.contains("add the article first") == true)
        #expect(outcomes[2].reason?.contains("does not occur") == true)
        #expect(try store.digest() == before)
    }
}
