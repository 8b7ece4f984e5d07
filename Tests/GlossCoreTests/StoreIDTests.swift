import Foundation
import GRDB
import GRDBSQLite
import Synchronization
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

    // MARK: - Many ids

    /// A clock a test sets, and seeded random bytes: annotations made while it stands still share
    /// their first 13 digits, and made at an article id's first 12 digits (as milliseconds) they
    /// share those with the article.
    final class Clock: Sendable {
        let time = Mutex<UInt64>(1_700_000_000_000)
        func environment(seed: UInt64) -> StoreEnvironment {
            let random = StoreEnvironment.seeded(seed).randomBytes
            return StoreEnvironment(now: { self.time.withLock { $0 } }, randomBytes: random)
        }
        func set(toPrefixOf id: String) { time.withLock { $0 = UInt64(id.prefix(12), radix: 16)! } }
    }

    /// `count` notes on `articleID` in one transaction.
    static func notes(_ store: Store, on articleID: String, _ count: Int) throws -> [String] {
        try store.record((0..<count).map { AnnotationDraft(articleID: articleID, kind: .note, note: "note \($0)") })
    }

    /// Every id a prefix can name (with `includingDeleted`, deleted ones too), as digits.
    static func everyID(_ store: Store, includingDeleted: Bool) throws -> [[UInt8]] {
        try store.writer.read { db in
            try String.fetchAll(db, sql: includingDeleted ? "SELECT id FROM entity_state"
                                    : "SELECT id FROM article UNION ALL SELECT id FROM annotation")
                .map { Array($0.utf8.filter { $0 != UInt8(ascii: "-") }) }
        }
    }

    /// `id` as printed when compared with every one of `all`: its digits up to one past the most
    /// it shares with any other (at least the minimum), dashes kept.
    static func bruteForce(_ id: String, among all: [[UInt8]]) -> String {
        let digits = Array(id.utf8.filter { $0 != UInt8(ascii: "-") })
        var shared = 0
        for other in all where other != digits {
            var n = 0
            while n < digits.count, n < other.count, digits[n] == other[n] { n += 1 }
            shared = max(shared, n)
        }
        let count = min(digits.count, max(ShortIDs.minimumDigits, shared + 1))
        var taken = 0, printed = ""
        for character in id where taken < count {
            printed.append(character)
            if character != "-" { taken += 1 }
        }
        return printed
    }

    /// Articles whose ids share 12 digits with bursts of notes, a pile of notes made in one
    /// millisecond, deleted notes among them: whether a kind is read whole or each id asks the
    /// index for its neighbours (few ids among many, many among few), every printed prefix is
    /// what comparing with every id gives, for each caller.
    @Test func shortIDsEqualComparingWithEveryID() throws {
        let clock = Clock()
        let store = try Store(path: directory.path + "/many.sqlite", environment: clock.environment(seed: 5))
        var articles: [String] = []
        for n in 0..<40 {
            articles.append(try store.addArticle(ExtractedArticle(title: "Article \(n)", text: "Article number \(n) of many.",
                                                                 format: .plainText)).id)
        }
        var annotations: [String] = []
        for article in articles.prefix(10) {
            clock.set(toPrefixOf: article)
            annotations += try Self.notes(store, on: article, 20)
        }
        clock.set(toPrefixOf: "0192aaaabbbb")
        annotations += try Self.notes(store, on: articles[10], 600)
        var deleted: [String] = []
        for (index, id) in annotations.enumerated() where index % 7 == 3 { try store.delete(id); deleted.append(id) }
        let visible = articles + annotations.filter { !deleted.contains($0) }
        for article in articles.prefix(5) { _ = try store.setTags(article, ["picked"]) }

        let all = try Self.everyID(store, includingDeleted: false)
        let everything = try Self.everyID(store, includingDeleted: true)
        // Articles read whole and annotations by neighbours; articles by neighbours too; both read whole.
        let few = Array(articles.prefix(3)) + annotations.prefix(1) + annotations.suffix(1)
        let some = Array(articles.prefix(12)) + annotations.prefix(20) + annotations.suffix(3)
        for ids in [few, some, visible] {
            let short = try store.shortIDs(ids)
            for id in ids { #expect(short(id) == Self.bruteForce(id, among: all), "\(id) of \(ids.count)") }
        }
        for ids in [few + deleted.prefix(2), articles + annotations] {
            let short = try store.shortIDs(ids, includingDeleted: true)
            for id in ids { #expect(short(id) == Self.bruteForce(id, among: everything), "\(id) of \(ids.count), deleted too") }
        }
        for (listing, listed) in [(try store.articleShortIDs(), articles),
                                  (try store.articleShortIDs(tag: "picked"), Array(articles.prefix(5)))] {
            for id in listed { #expect(listing(id) == Self.bruteForce(id, among: all)) }
            #expect(listing.longestDigits == listed.map { Self.bruteForce($0, among: all).count }.max())
        }
        #expect(articles.prefix(10).contains { try! store.articleShortIDs()($0).count > ShortIDs.minimumDigits },
                "the bursts lengthen their articles' prefixes")
    }

    /// SQLite's steps (its progress handler, called at each row it steps to among other points)
    /// while `body` reads a store of one connection: the work done, unmoved by timing noise.
    static func steps(in store: Store, _ body: () throws -> Void) throws -> Int {
        let counter = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        counter.initialize(to: 0)
        defer { counter.deallocate() }
        try store.writer.writeWithoutTransaction { db in
            sqlite3_progress_handler(db.sqliteConnection, 1, { context in
                context?.assumingMemoryBound(to: Int.self).pointee += 1
                return 0
            }, UnsafeMutableRawPointer(counter))
        }
        defer { try? store.writer.writeWithoutTransaction { db in sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil) } }
        try body()
        return counter.pointee
    }

    /// What `gloss show` (an article's 300 notes), `gloss log --limit 1` (the newest note, deleted
    /// ones included), `gloss list` and `gloss list --tag` (250 articles) abbreviate costs the
    /// same whether the store holds 1,500 other notes or four times as many.
    @Test func shortIDsCostTheSameWhateverElseTheStoreHolds() throws {
        var costs: [[String: Int]] = []
        for (run, others) in [1_500, 6_000].enumerated() {
            let clock = Clock()
            let store = try Store(path: directory.path + "/scale\(run).sqlite", environment: clock.environment(seed: 6),
                                  concurrentReads: false)
            var articles: [String] = []
            for n in 0..<250 {
                articles.append(try store.addArticle(ExtractedArticle(title: "Article \(n)", text: "Article number \(n) of many.",
                                                                     format: .plainText)).id)
                _ = try store.setTags(articles[n], ["all"])
            }
            let shown = try Self.notes(store, on: articles[0], 300)
            for _ in 0..<(others / 500) { _ = try Self.notes(store, on: articles[1], 500) }
            let newest = try #require(store.log(limit: 1).first).entityID
            costs.append([
                "show": try Self.steps(in: store) { _ = try store.shortIDs(shown) },
                "log": try Self.steps(in: store) { _ = try store.shortIDs([newest], includingDeleted: true) },
                "list": try Self.steps(in: store) { _ = try store.articleShortIDs() },
                "list --tag": try Self.steps(in: store) { _ = try store.articleShortIDs(tag: "all") },
            ])
        }
        for (name, cost) in costs[0] {
            let more = try #require(costs[1][name])
            #expect(more <= cost + cost / 20, "\(name): \(cost) steps beside 1,500 notes, \(more) beside 6,000")
        }
    }
}
