import Foundation
import GlossCore
import GlossExtraction
@testable import GlossSync
import GlossTestSupport
import Testing

/// Authorship (issue 15): a replica signs what it wrote, in batches, and a receiver refuses a
/// change in a replica's name that the replica did not sign — from a push, a folder or a page.
@Suite struct SignedHistoryTests {
    let directory = TemporaryDirectory()

    /// A with an article and 30 notes, all signed in batches as a sync signs them.
    func writer() throws -> Store {
        let a = try directory.store("a", seed: 1)
        let id = try a.addArticle(ExtractedArticle(title: "Tides", text: "The tide rose early in the harbour.", format: .plainText)).id
        for i in 0..<30 { _ = try a.addNote(articleID: id, text: "note \(i)") }
        return a
    }

    @Test func changesGoSignedAndEveryBatchVerifiesUnderTheWritersKey() throws {
        let a = try writer()
        let changes = try a.changes(since: VersionVector())
        let key = try #require(try a.publicKey(of: a.replicaID))
        let signed = changes.filter { $0.signature != nil }
        #expect(signed.count == 1 && signed[0].dot.counter == 31 && signed[0].signature?.first == 1)
        #expect(signed[0].signature?.key == key)
        #expect(signed[0].signature?.verifies(replica: a.replicaID, last: 31, changes: changes) == true)
        // The receiver learns the key with the first batch.
        let b = try directory.store("b", seed: 2)
        try b.apply(changes)
        #expect(try b.publicKey(of: a.replicaID) == key)
    }

    @Test func aChangeInAnotherReplicasNameIsRefusedUnlessThatReplicaSignedIt() throws {
        let a = try writer()
        let b = try directory.store("b", seed: 2)
        try b.apply(try a.changes(since: VersionVector()))
        let digest = try b.digest()
        var forged = try a.changes(since: VersionVector())[1].unsigned
        forged.dot.counter = 32
        forged.ops = [FieldOp(field: "note", value: .string("words A never wrote"))]
        // Unsigned.
        #expect(throws: GlossError.invalidChange(.unsigned(forged.dot))) { try b.apply([forged]) }
        // Signed, with a key of the forger's own.
        var signedByOther = forged
        signedByOther.signature = try BatchSignature.forged(for: [forged])
        #expect(throws: GlossError.invalidChange(.signedByAnotherKey(forged.dot))) { try b.apply([signedByOther]) }
        // Carrying A's key and a signature that is not A's over this change.
        var misSigned = forged
        misSigned.signature = BatchSignature(first: 32, key: try #require(try a.publicKey(of: a.replicaID)),
                                             signature: signedByOther.signature!.signature)
        #expect(throws: GlossError.invalidChange(.badSignature(forged.dot))) { try b.apply([misSigned]) }
        // A forged change in B's own name too.
        var own = forged
        own.dot = Dot(replica: b.replicaID, counter: 1)
        try b.signOwnChanges()
        #expect(throws: GlossError.invalidChange(.unsigned(own.dot))) { try b.apply([own]) }
        #expect(try b.digest() == digest)
    }

    /// A replica's id is made from its key, so a store that has never heard of A still refuses a
    /// batch in A's name under any other key: there is no first use to abuse.
    @Test func anIdMadeFromItsKeyTakesNoOtherKeyEvenAtFirstSight() throws {
        let a = try writer()
        let key = try #require(try a.publicKey(of: a.replicaID))
        #expect(a.replicaID.isKeyDerived && ReplicaID(signingKey: key) == a.replicaID)
        var forged = try a.changes(since: VersionVector())[0].unsigned
        forged.ops = [FieldOp(field: "title", value: .string("Not what A wrote"))]
        forged.signature = try BatchSignature.forged(for: [forged])
        let stranger = try directory.store("stranger", seed: 5)
        #expect(throws: GlossError.invalidChange(.signedByAnotherKey(forged.dot))) { try stranger.apply([forged]) }
        #expect(try stranger.publicKey(of: a.replicaID) == nil)
        // Each store gets its own key and id.
        #expect(stranger.replicaID.isKeyDerived && stranger.replicaID != a.replicaID)
    }

    @Test func anAlteredChangeInsideASignedBatchFailsTheWholeBatch() throws {
        let a = try writer()
        var changes = try a.changes(since: VersionVector())
        changes[5].ops = [FieldOp(field: "note", value: .string("altered"))]
        let b = try directory.store("b", seed: 2)
        #expect(throws: GlossError.invalidChange(.badSignature(changes[30].dot))) { try b.apply(changes) }
        #expect(try b.versionVector().isEmpty)
        // Part of a batch cannot be checked, so it is not taken either.
        let honest = try a.changes(since: VersionVector())
        #expect(throws: GlossError.invalidChange(.incompleteBatch(honest[30].dot, first: 1))) { try b.apply(Array(honest.suffix(3))) }
    }

    @Test func pagesNeverCutABatchAndEveryPageIsTakenOnItsOwn() throws {
        let a = try writer()
        #expect(try a.signOwnChanges() == 1)   // one batch of 31
        let b = try directory.store("b", seed: 2)
        var after: Int64 = 0, pages = 0
        while true {
            let page = try a.changePage(since: VersionVector(), after: after, limit: 7)
            try b.apply(page.changes)
            pages += 1
            guard page.more else { break }
            after = page.next
        }
        #expect(pages == 1)
        #expect(try b.digest() == a.digest())
        #expect([Change](try a.changes(since: VersionVector())).batchSafeCut(atMost: 7) == 31)
    }

    /// A peer that pages by count alone (a relay cannot read sealed changes) cuts batches; the
    /// session holds a cut batch's changes until the rest arrives.
    @Test func aSessionWaitsForTheRestOfABatchAPageCut() async throws {
        let a = try writer()
        let b = try directory.store("b", seed: 2)
        let report = try await SyncSession(store: b, peer: CountPaging(store: a, size: 4)).run()
        #expect(report.received == 31)
        #expect(try b.digest() == a.digest())
    }

    /// A batch missing a change at the end of the pull (a sealed change that did not open, a
    /// peer that dropped one) is left out whole and named; the sync goes on with the rest.
    @Test func aBatchThatNeverArrivesWholeIsLeftOutByNameAndTheRestApplies() async throws {
        let a = try writer()
        try a.signOwnChanges(batchLength: 10)
        let b = try directory.store("b", seed: 2)
        let report = try await SyncSession(store: b, peer: CountPaging(store: a, size: 4, dropping: 15)).run()
        #expect(report.received == 21)
        #expect(report.warnings == [.changesUnverified(place: "count-paging", replica: a.replicaID.rawValue,
                                                       counters: [11, 12, 13, 14, 16], count: 9)])
        #expect(try b.versionVector()[a.replicaID] == 10)
    }
}

/// A transport that pages a store's changes by count, regardless of batches, and can drop one.
struct CountPaging: Transport {
    let store: Store
    let size: Int
    var dropping: UInt64? = nil
    var peer: String { "test:count-paging" }
    func versionVector(remembered: [String: String]) async throws -> VersionVector { try store.versionVector() }
    func pull(since vector: VersionVector, from cursor: PullCursor, remembered: [String: String]) async throws -> PulledPage {
        let all = try store.changes(since: vector).filter { $0.dot.counter != dropping }
        let start = Int(cursor.position)
        let end = min(all.count, start + size)
        return PulledPage(changes: Array(all[start..<end]), next: end < all.count ? PullCursor(position: Int64(end)) : nil)
    }
    func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> PushReceipt { PushReceipt(try store.apply(changes)) }
    func replicaNames() async throws -> [ReplicaID: String] { [:] }
    func warnings() async -> [SyncError] { [] }
}
