import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore
import GlossExtraction

@Suite struct W3CExportTests {
    @Test func highlightsNotesAndTagsBecomeWebAnnotations() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let id = try store.addArticle(ExtractedArticle(title: "Bridge", url: "https://example.com/bridge", text: sampleText, format: .plainText)).id
        let highlight = try store.highlight(articleID: id, quote: "winter budget", note: "*check* it", color: "green", tags: ["money", "city"])
        let note = try store.addNote(articleID: id, text: "whole-article thought")
        let document = try #require(try JSONSerialization.jsonObject(with: store.exportW3C()) as? [String: Any])
        #expect(document["type"] as? String == "AnnotationCollection")
        #expect(document["total"] as? Int == 2)
        let items = try #require((document["first"] as? [String: Any])?["items"] as? [[String: Any]])
        let h = try #require(items.first { $0["id"] as? String == "urn:uuid:" + highlight.id })
        #expect(h["motivation"] as? String == "commenting")
        #expect(h["gloss:color"] as? String == "green")
        let target = try #require(h["target"] as? [String: Any])
        #expect(target["source"] as? String == "https://example.com/bridge")
        let selectors = try #require(target["selector"] as? [[String: Any]])
        #expect(selectors.first { $0["type"] as? String == "TextQuoteSelector" }?["exact"] as? String == "winter budget")
        let position = try #require(selectors.first { $0["type"] as? String == "TextPositionSelector" })
        #expect(position["start"] as? Int == highlight.anchor?.start && position["end"] as? Int == highlight.anchor?.end)
        let bodies = try #require(h["body"] as? [[String: Any]])
        #expect(bodies.filter { $0["purpose"] as? String == "tagging" }.compactMap { $0["value"] as? String } == ["city", "money"])
        #expect(bodies.first { $0["purpose"] as? String == "commenting" }?["format"] as? String == "text/markdown")
        let n = try #require(items.first { $0["id"] as? String == "urn:uuid:" + note.id })
        #expect((n["target"] as? [String: Any])?["selector"] == nil)
        #expect((n["body"] as? [String: Any])?["value"] as? String == "whole-article thought")
    }
}
