import Foundation
import GlossCore
import GlossExtraction
@testable import GlossRelay
import GlossSync
import GlossTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The relay takes a plain change only as its writer signed it, as every store does: a token
/// holder cannot take another replica's next counter on the relay, and honest stores still sync.
@Suite struct RelayAuthorshipTests {
    @Test(arguments: Backend.available)
    func aForgedChangeAtAnotherReplicasNextCounterIs422AndTheRealOneThenPushes(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (library, token) = try await relay.library("alice")
        let a = try relay.directory.store("a", seed: 1, articles: 2)
        let first = try a.changes(since: VersionVector())
        // A token holder writes a change of its own under a's next counter, unsigned.
        var forged = first[0].unsigned
        forged.dot = Dot(replica: a.replicaID, counter: 3)
        forged.hlc = HLC(rawValue: first[1].hlc.rawValue + 1)
        let sent = forged
        try await relay.app().test(.router) { client async throws in
            #expect(try await client.push(first, token: token).status == .ok)
            let refused = try await client.push([sent], token: token)
            #expect(refused.status == .unprocessableContent, "\(refused.body)")
            #expect(refused.body.contains("is not signed by its replica") && refused.body.contains("nothing from this push was stored"), "\(refused.body)")
            #expect(try await client.vector(token: token).decode(VectorResponse.self).versionVector == VersionVector([a.replicaID: 2]))
            #expect(try await client.pullAll(token: token) == first)

            // a's own change at that counter goes through, not as a rewrite of a held dot.
            _ = try a.addArticle(ExtractedArticleFixture.make("a's third"))
            let real = try a.changes(since: VersionVector([a.replicaID: 2]))
            #expect(real.map(\.dot.counter) == [3])
            let pushed = try await client.push(real, token: token)
            #expect(pushed.status == .ok, "\(pushed.body)")
            #expect(try pushed.decode(PushResponse.self).applied == 1)
            #expect(try await client.pullAll(token: token) == first + real)
        }
        #expect(try await relay.storage.authorship(of: library.id, writers: [a.replicaID.rawValue], dots: []).keys[a.replicaID.rawValue]
            == a.publicKey(of: a.replicaID))
    }

    @Test(arguments: Backend.available)
    func aBatchSignedByAnotherKeyThanTheOneKeptIs422(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let a = try relay.directory.store("a", seed: 1, articles: 3)
        let changes = try a.changes(since: VersionVector())
        let head = Array(changes.prefix(2)), tail = changes[2]
        // A batch of the first two under one key; then the third under another.
        let honest = try BatchSignature.signed(batches: [head])
        // (In the name of a replica from before signatures, as `signed` puts it, whose first key
        // the relay keeps: an id made from a key takes no other even the first time.)
        var other = tail.unsigned
        other.dot.replica = honest[0].dot.replica
        other.signature = try BatchSignature.forged(for: [other])
        let sent = other
        try await relay.app().test(.router) { client async throws in
            #expect(try await client.push(honest, token: token).status == .ok)
            let refused = try await client.push([sent], token: token)
            #expect(refused.status == .unprocessableContent, "\(refused.body)")
            #expect(refused.body.contains("signed with a key other than the one"), "\(refused.body)")
            #expect(try await client.pullAll(token: token) == honest)
            // Keys are kept per library: one that never saw the replica takes the batch, and its key.
            let (_, bob) = try await relay.library("bob")
            #expect(try await client.push([sent], token: bob).status == .ok)
        }
    }

    /// Two pushes that each teach the relay a different key for one replica: the one stored
    /// first wins and the other push stores nothing, whichever relay process answers it.
    @Test(arguments: Backend.available)
    func aSecondKeyForAReplicaIsRefusedByTheStorageAndStoresNothing(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (library, _) = try await relay.library("alice")
        let other = try await relay.reopen()
        let replica = String(repeating: "ab", count: 16)
        let one = StoredChange(replica: replica, counter: 1, bytes: Array("{\"one\":1}".utf8))
        let two = StoredChange(replica: replica, counter: 2, bytes: Array("{\"two\":2}".utf8))
        let (first, second) = (Array(repeating: UInt8(1), count: 32), Array(repeating: UInt8(2), count: 32))
        _ = try await relay.storage.push([one], names: [:], signers: [replica: first], to: library.id, quota: .unlimited)
        await #expect(throws: RelayError.signedByAnotherKey(replica: replica)) {
            _ = try await other.push([two], names: [:], signers: [replica: second], to: library.id, quota: .unlimited)
        }
        // The same key again is no conflict.
        _ = try await other.push([two], names: [:], signers: [replica: first], to: library.id, quota: .unlimited)
        let found = try await relay.storage.authorship(of: library.id, writers: [replica, "cd"], dots: [])
        #expect(found.keys == [replica: first])
        #expect(try await relay.storage.vector(of: library.id)[try #require(ReplicaID(replica))] == 2)
        try await other.close()
    }

    /// A batch whose first half the relay holds from before it checked signatures: the second
    /// half is checked with the held half read back, and refused when the held half is not what
    /// was signed or is missing.
    @Test(arguments: Backend.available)
    func aBatchSplitAcrossTwoPushesIsCheckedWithTheHeldHalf(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let a = try relay.directory.store("a", seed: 1, articles: 4)
        let changes = try a.changes(since: VersionVector())
        #expect(changes.map(\.signature?.first) == [nil, nil, nil, 1], "one batch of four")
        let (head, tail) = (Array(changes.prefix(2)), Array(changes.suffix(2)))
        let stored = { (changes: [Change]) in try RelayPush.prepare(changes).changes }

        // The relay holds the first half as signed.
        let (held, heldToken) = try await relay.library("alice")
        _ = try await relay.storage.push(try stored(head), names: [:], signers: [:], to: held.id, quota: .unlimited)
        // It holds the first half altered.
        let (altered, alteredToken) = try await relay.library("bob")
        _ = try await relay.storage.push(try stored([head[0].with(hlcPlus: 1), head[1]]), names: [:], signers: [:], to: altered.id, quota: .unlimited)
        // It holds nothing.
        let (_, emptyToken) = try await relay.library("carol")
        try await relay.app().test(.router) { client async throws in
            let pushed = try await client.push(tail, token: heldToken)
            #expect(pushed.status == .ok, "\(pushed.body)")
            #expect(try pushed.decode(PushResponse.self).applied == 2)
            #expect(try await client.pullAll(token: heldToken) == changes)
            // A push of the tail again, all held already, is checked the same way and harmless.
            #expect(try await client.push(tail, token: heldToken).decode(PushResponse.self).duplicates == 2)

            let badHalf = try await client.push(tail, token: alteredToken)
            #expect(badHalf.status == .unprocessableContent && badHalf.body.contains("does not verify"), "\(badHalf.body)")
            #expect(try await client.pullAll(token: alteredToken).count == 2)

            let noHalf = try await client.push(tail, token: emptyToken)
            #expect(noHalf.status == .unprocessableContent && noHalf.body.contains("not all of that batch arrived"), "\(noHalf.body)")
            #expect(try await client.pullAll(token: emptyToken).isEmpty)
        }
        #expect(try await relay.storage.authorship(of: held.id, writers: [a.replicaID.rawValue], dots: []).keys[a.replicaID.rawValue]
            == a.publicKey(of: a.replicaID))
    }

    /// Real stores sync through the relay in batches of ten, pushed in pages that never cut a
    /// batch and pulled in pages of seven that do: everything arrives, and they converge.
    @Test(arguments: Backend.available)
    func honestStoresSyncingManyBatchesThroughTheRelayConverge(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let a = try relay.directory.store("a", seed: 1, articles: 25)
        let b = try relay.directory.store("b", seed: 2, articles: 12)
        try a.signOwnChanges(batchLength: 10)
        try b.signOwnChanges(batchLength: 10)
        let sync: @Sendable (Store, String) async throws -> SyncReport = { store, url in
            try await SyncSession(store: store, peer: try HTTPTransport(url: url, token: token, pageSize: 7, pushBatch: 12), pushPage: 12).run()
        }
        try await RelayEncryptionTests.live(relay) { url in
            #expect(try await sync(a, url).sent == 25)
            let toB = try await sync(b, url)
            #expect(toB.received == 25 && toB.sent == 12 && toB.warnings.isEmpty, "\(toB)")
            let toA = try await sync(a, url)
            #expect(toA.received == 12 && toA.warnings.isEmpty, "\(toA)")
        }
        #expect(try a.digest() == b.digest())
        #expect(try a.versionVector() == b.versionVector())
    }
}

/// Articles made up for a test.
enum ExtractedArticleFixture {
    static func make(_ title: String) -> ExtractedArticle {
        ExtractedArticle(title: title, text: "\(title). The council met about the bridge again.", format: .plainText)
    }
}
