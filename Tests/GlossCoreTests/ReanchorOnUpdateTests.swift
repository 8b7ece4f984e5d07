import Foundation
import GlossTestSupport
import Testing
@testable import GlossCore
import GlossExtraction

@Suite struct ReanchorOnUpdateTests {
    @Test func aNewVersionOfTheArticleMovesHighlightsAndOrphansLostPassages() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let url = "https://example.com/bridge"
        let id = try store.addArticle(ExtractedArticle(title: "Bridge", url: url, text: sampleText, format: .plainText)).id
        let kept = try store.highlight(articleID: id, quote: "approved the budget")
        let lost = try store.highlight(articleID: id, quote: "built in 1887", note: "history")
        let revised = "Correction appended below.\n\n" + sampleText.replacingOccurrences(of: "The archive shows the bridge was built in 1887, and the council", with: "The council")
        let result = try store.addArticle(ExtractedArticle(title: "Bridge", url: url, text: revised, format: .plainText))
        #expect(result.status == .updated && result.reanchored == 1 && result.orphaned == 1)

        let article = try store.article(id)
        let moved = try #require(try store.annotation(kept.id).anchor)
        #expect(moved.contentHash == article.contentHash)
        let scalars = Array(article.text.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[moved.start..<moved.end])) == "approved the budget")
        #expect(moved.start != kept.anchor!.start)
        #expect(try store.orphans().map(\.id) == [lost.id])
        #expect(try store.annotation(lost.id).note == "history")  // an orphan keeps what was written

        // The same version again changes nothing; the new anchors sync like any change.
        #expect(try store.addArticle(ExtractedArticle(title: "Bridge", url: url, text: revised, format: .plainText)).status == .alreadyPresent)
        let other = try directory.store("b", seed: 2)
        try other.apply(try store.changes(since: other.versionVector()))
        #expect(try other.digest() == store.digest())
        #expect(try other.orphans().map(\.id) == [lost.id])
    }

    /// The passage ending the text is still there, once, after the paragraphs before it went (its
    /// old position lies past the new text's end, and its prefix is gone).
    @Test func aPassageLeftOnceInAShorterVersionIsStillFound() throws {
        let directory = TemporaryDirectory()
        let store = try directory.store()
        let url = "https://example.com/story"
        let first = "First paragraph stays the same in both versions of this story."
        let middle = (1...5).map { "Middle paragraph number \($0) says something that the editors later cut." }
        let last = "Last paragraph also stays."
        let id = try store.addArticle(ExtractedArticle(title: "Story", url: url, text: ([first] + middle + [last])
            .joined(separator: "\n\n"), format: .plainText)).id
        let highlight = try store.highlight(articleID: id, quote: "Last paragraph also stays")
        let result = try store.addArticle(ExtractedArticle(title: "Story", url: url, text: first + "\n\n" + last,
                                                           format: .plainText))
        #expect(result.status == .updated && result.reanchored == 1 && result.orphaned == 0)
        #expect(try store.orphans().isEmpty)
        let anchor = try #require(try store.annotation(highlight.id).anchor)
        #expect(anchor.exact == "Last paragraph also stays" && anchor.start == first.unicodeScalars.count + 2)
    }
}
