import Foundation
import Testing
@testable import GlossCore
import GlossTestSupport
import GlossExtraction

/// Ids people type: found by any unique prefix, with or without dashes, and printed as the
/// shortest prefix that names one article or annotation.
@Suite struct StoreIDTests {
    let directory = TemporaryDirectory()

    func storeWithArticle() throws -> (Store, String) {
        let store = try directory.store()
        let result = try store.addArticle(ExtractedArticle(title: "Bridge budget", text: sampleText, format: .plainText))
        return (store, result.id)
    }

    /// The digits an id needs to be told apart from every other id, by comparing with each: what
    /// `shortIDs` must compute from sorted neighbours alone.
    static func expectedDigits(_ id: String, among ids: [String]) -> Int {
        let digits = id.filter { $0 != "-" }
        let shared = ids.map { $0.filter { $0 != "-" } }.filter { $0 != digits }
            .map { zip($0, digits).prefix { $0 == $1 }.count }.max() ?? 0
        return max(ShortIDs.minimumDigits, shared + 1)
    }

    @Test func idsAreFoundByUniquePrefix() throws {
        let (store, id) = try storeWithArticle()
        #expect(try store.entity(prefix: String(id.prefix(6))).id == id)
        #expect(try store.entity(prefix: id.uppercased()).id == id)
        #expect(throws: GlossError.invalidID("zz*")) { try store.entity(prefix: "zz*") }
        let missing = id.hasPrefix("f") ? "0000" : "ffff"
        #expect(throws: GlossError.unknownID(missing)) { try store.entity(prefix: missing) }
        #expect(throws: GlossError.wrongKind(id: id, expected: "an annotation")) { try store.annotationID(prefix: id) }
    }

    @Test func ambiguousPrefixListsTheCandidates() throws {
        let store = try directory.store()
        var ids: [String] = []
        for n in 0..<40 { ids.append(try store.addArticle(ExtractedArticle(title: "n\(n)", text: "Article number \(n).", format: .plainText)).id) }
        let prefix = Dictionary(grouping: ids, by: { $0.prefix(1) }).first { $0.value.count > 1 }!.key
        #expect {
            try store.entity(prefix: String(prefix))
        } throws: { error in
            guard case GlossError.ambiguousID(_, let candidates) = error else { return false }
            return candidates.count > 1
        }
    }

    @Test func annotationIDsAreFoundWithOrWithoutDashes() throws {
        let (store, article) = try storeWithArticle()
        let id = try store.addNote(articleID: article, text: "Ask about the bridge.").id
        #expect(id.contains("-"))
        let dashless = id.filter { $0 != "-" }
        for typed in [String(dashless.prefix(12)), String(id.prefix(13)), dashless, id, dashless.uppercased(),
                      String(dashless.prefix(20))] {
            #expect(try store.annotationID(prefix: typed) == id, "\(typed)")
        }
    }

    /// Hundreds of annotations made in one millisecond share their first 13 digits with each
    /// other, and here with the article too: every printed prefix is as short as it can be and
    /// finds its own id, whether computed for a few ids (neighbour look-ups) or for all (one scan).
    @Test func shortIDsAreTheShortestUniquePrefixes() throws {
        let text = "Harbor council notes. The vote on the harbor budget moved to spring."
        let articleID = Identity.articleID(url: nil, text: text)
        let sameMillisecond = UInt64(articleID.prefix(12), radix: 16)!
        let store = try Store(path: directory.path + "/burst.sqlite", environment: .seeded(3, start: sameMillisecond, step: 0))
        #expect(try store.addArticle(ExtractedArticle(title: "Harbor", text: text, format: .plainText)).id == articleID)
        var ids = [articleID]
        for n in 0..<300 {
            ids.append(try store.addNote(articleID: articleID, text: "note \(n)").id)
        }
        #expect(Set(ids.dropFirst().map { $0.prefix(8) }).count == 1, "a burst shares its first 8 digits")

        let all = try store.shortIDs(ids)
        let few = try store.shortIDs(ids.prefix(5) + ids.suffix(5))
        for id in ids {
            let short = all(id)
            let digits = short.filter { $0 != "-" }
            #expect(digits.count == Self.expectedDigits(id, among: ids), "\(id) → \(short)")
            #expect(id.hasPrefix(short))
            #expect(try store.entity(prefix: short).id == id)
            #expect(try store.entity(prefix: digits).id == id)
        }
        for id in ids.prefix(5) + ids.suffix(5) { #expect(few(id) == all(id)) }
        // What a listing computes before its rows: the article's prefix among every id, its width.
        let listing = try store.articleShortIDs()
        #expect(listing(articleID) == all(articleID) && listing.longestDigits == Self.expectedDigits(articleID, among: ids))
        _ = try store.setTags(articleID, ["harbor"])
        #expect(try store.articleShortIDs(tag: "Harbor")(articleID) == all(articleID))
        #expect(try store.articleShortIDs(tag: "elsewhere").longestDigits == 0)
        // An id the store does not hold still gets a prefix that tells it from the store's.
        let stranger = String(ids[1].dropLast()) + (ids[1].hasSuffix("0") ? "1" : "0")
        #expect(try store.shortIDs([stranger])(stranger).filter { $0 != "-" }.count == 32)
    }

    /// The change log names deleted annotations too, and its ids are typed back with deleted
    /// ones included: a deleted id's printed prefix must tell it from the visible and the deleted.
    @Test func shortIDsIncludingDeletedTellDeletedOnesApart() throws {
        let text = "Harbor council notes. The vote on the harbor budget moved to spring."
        let articleID = Identity.articleID(url: nil, text: text)
        let sameMillisecond = UInt64(articleID.prefix(12), radix: 16)!
        let store = try Store(path: directory.path + "/burst.sqlite", environment: .seeded(4, start: sameMillisecond, step: 0))
        _ = try store.addArticle(ExtractedArticle(title: "Harbor", text: text, format: .plainText))
        var ids = [articleID]
        for n in 0..<60 { ids.append(try store.addNote(articleID: articleID, text: "note \(n)").id) }
        for id in ids.dropFirst() where ids.firstIndex(of: id)! % 2 == 0 { try store.delete(id) }
        for subset in [Array(ids.prefix(6)), ids] {
            let short = try store.shortIDs(subset, includingDeleted: true)
            for id in subset {
                #expect(short(id).filter { $0 != "-" }.count == Self.expectedDigits(id, among: ids), "\(id) → \(short(id))")
                #expect(try store.entity(prefix: short(id), includingDeleted: true).id == id)
            }
        }
    }

    @Test func shortIDsAmongASetNeedOnlyThatSet() {
        let ids = ["abcdef0123aa", "abcdef0199bb", "12345678ffff", "0192aaaa-bbbb-7ccc-8ddd-eeeeffff0000",
                   "0192aaaa-bbbb-7ccc-8ddd-eeeeffff1111"]
        let short = ShortIDs(among: ids)
        #expect(ids.map { short($0) } == ["abcdef012", "abcdef019", "12345678",
                                          "0192aaaa-bbbb-7ccc-8ddd-eeeeffff0", "0192aaaa-bbbb-7ccc-8ddd-eeeeffff1"])
        #expect(short("ffffffffffff") == "ffffffffffff", "an id it was not made for is printed whole")
    }
}
