import Foundation
import Testing
import GlossCore
import GlossExtraction
import GlossTestSupport

/// A change is its dot: the same dot arriving again is a duplicate, skipped; a different change
/// under a dot the store holds is forged or rewritten history, refused whole, never taken.
@Suite struct ForgedHistoryTests {
    let directory = TemporaryDirectory()

    @Test func aDifferentChangeUnderAHeldDotIsRefusedAndTheBatchWithIt() throws {
        let a = try directory.store("a", seed: 1)
        let id = try a.addArticle(ExtractedArticle(title: "Bridge", text: sampleText, format: .plainText)).id
        _ = try a.addNote(articleID: id, text: "the honest note")
        let b = try directory.store("b", seed: 2)
        let changes = try a.changes(since: VersionVector())
        try b.apply(changes)
        let digest = try b.digest()

        #expect(try b.apply(changes).duplicates == 2)
        // Unsigned, so it is checked against the held change rather than a signature.
        var forged = changes[1].unsigned
        forged.hlc = HLC(rawValue: forged.hlc.rawValue + 1)
        let other = try directory.store("c", seed: 3)
        let otherID = try other.addArticle(ExtractedArticle(title: "Tides", text: "The tide rose early in the harbour.", format: .plainText)).id
        let innocent = try other.changes(since: VersionVector())
        #expect(throws: GlossError.invalidChange(.rewritten(forged.dot))) { try b.apply(innocent + [forged]) }
        #expect(try b.digest() == digest)
        #expect(throws: GlossError.self) { try b.article(otherID) }
    }
}
