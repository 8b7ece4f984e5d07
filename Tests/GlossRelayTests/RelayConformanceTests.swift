import Foundation
import GlossCompression
import GlossCore
@testable import GlossRelay
import GlossSync
import GlossTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The sync protocol as a relay answers it, on every backend: what a client can rely on
/// whichever storage (and whichever relay process) answers.
@Suite struct RelayConformanceTests {
    // MARK: - Push, pull, vector

    @Test(arguments: Backend.available)
    func pushedChangesComeBackInOrderAndTheVectorSaysWhatIsHeld(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let source = try relay.directory.store("a", seed: 1, articles: 5)
        let changes = try source.changes(since: VersionVector())

        try await relay.app().test(.router) { client async throws in
            let empty = try await client.vector(token: token).decode(VectorResponse.self)
            #expect(empty.versionVector.isEmpty)
            let pushed = try await client.push(changes, token: token, names: [source.replicaID.rawValue: "laptop"])
            #expect(pushed.status == .ok, "\(pushed.body)")
            #expect(try pushed.decode(PushResponse.self).applied == 5)
            #expect(try await client.vector(token: token).decode(VectorResponse.self).versionVector == source.versionVector())

            let page = try await client.pull(token: token).decode(PullResponse.self)
            #expect(page.changes == changes)
            #expect(page.names[source.replicaID.rawValue] == "laptop")
            #expect(!page.more)
            // A replica that holds everything gets nothing.
            #expect(try await client.pull(since: source.versionVector(), token: token).decode(PullResponse.self).changes.isEmpty)
            // One that lacks the last two gets exactly those.
            let since = VersionVector([source.replicaID: 3])
            #expect(try await client.pull(since: since, token: token).decode(PullResponse.self).changes == Array(changes.suffix(2)))
        }
        // A store that applies what it pulled holds what the source holds.
        let copy = try relay.directory.store("b", seed: 2)
        try await relay.app().test(.router) { client async throws in
            _ = try copy.apply(try await client.pullAll(token: token))
        }
        #expect(try copy.digest() == source.digest())
    }

    @Test(arguments: Backend.available)
    func theVectorStopsAtAGapUntilItIsFilled(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let source = try relay.directory.store("a", seed: 1, articles: 7)
        try source.signOwnChanges(batchLength: 1)
        let changes = try source.changes(since: VersionVector())
        try await relay.app().test(.router) { client async throws in
            // Counters 1…7, pushed out of order in several pushes: the vector holds the run from 1.
            for (push, held) in [([0, 1, 3], 2), ([4], 2), ([6], 2), ([2], 5), ([5], 7)] as [([Int], UInt64)] {
                #expect(try await client.push(push.map { changes[$0] }, token: token).status == .ok)
                #expect(try await client.vector(token: token).decode(VectorResponse.self).versionVector == VersionVector([source.replicaID: held]),
                        "after pushing changes \(push)")
            }
        }
    }

    // MARK: - Paging

    @Test(arguments: Backend.available)
    func pullsPageInArrivalOrderAndAnotherRelayResumesFromTheCursor(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let a = try relay.directory.changesSignedOneByOne("a", seed: 1, articles: 11)
        let b = try relay.directory.changesSignedOneByOne("b", seed: 2, articles: 11)
        // Arrival order interleaves the two writers.
        let arrivals = [Array(a[0..<6]), Array(b[0..<6]), Array(a[6...]), Array(b[6...])]
        let first = try await relay.app().test(.router) { client async throws -> PullResponse in
            for batch in arrivals { #expect(try await client.push(batch, token: token).status == .ok) }
            return try await client.pull(limit: 7, token: token).decode(PullResponse.self)
        }
        // The next pages from a second relay process over the same database.
        let other = try await relay.reopen()
        let pages = try await relay.app(over: other).test(.router) { client async throws -> [PullResponse] in
            var pages = [first]
            while let last = pages.last, last.more {
                pages.append(try await client.pull(after: last.next, limit: 7, token: token).decode(PullResponse.self))
            }
            return pages
        }
        try await other.close()
        #expect(pages.map(\.changes.count) == [7, 7, 7, 1])
        #expect(pages.flatMap(\.changes) == arrivals.flatMap { $0 })
        #expect(pages.map(\.more) == [true, true, true, false])
    }

    @Test(arguments: Backend.available)
    func aPageKeepsToItsByteBudgetButAlwaysHoldsOneChange(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend, configuration: RelayConfiguration(maxPageBytes: 10))
        let (_, token) = try await relay.library("alice")
        let changes = try relay.directory.store("a", seed: 1, articles: 3).changes(since: VersionVector())
        try await relay.app().test(.router) { client async throws in
            _ = try await client.push(changes, token: token)
            let page = try await client.pull(token: token).decode(PullResponse.self)
            #expect(page.changes.count == 1 && page.more)
            #expect(try await client.pullAll(token: token) == changes)
        }
    }

    @Test(arguments: Backend.available)
    func aPushOf5000ChangesIsStoredWholeAndPulledBackInPages(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let (template, changes) = try Self.copies(of: relay, count: 5_000)
        try await relay.app().test(.router) { client async throws in
            let clock = ContinuousClock()
            var answer: Answer?
            let pushTime = try await clock.measure { answer = try await client.push(changes, token: token) }
            #expect(answer?.status == .ok, "\(answer?.body ?? "")")
            var pulled: [Change] = []
            let pullTime = try await clock.measure { pulled = try await client.pullAll(token: token) }
            #expect(pulled == changes)
            #expect(try await client.vector(token: token).decode(VectorResponse.self).versionVector == VersionVector([template.dot.replica: 5_000]))
            print("relay \(backend): push of 5,000 changes \(pushTime), pull \(pullTime)")
            // Pages of one from a cursor near the start, for a replica holding all but the last:
            // the page holds the last change, however far past the cursor it lies.
            let almost = VersionVector([template.dot.replica: 4_999])
            let last = try await client.pull(since: almost, after: 1, limit: 1, token: token).decode(PullResponse.self)
            #expect(last.changes == [changes[4_999]])
            #expect(!last.more)
            #expect(try await client.pull(since: VersionVector([template.dot.replica: 5_000]), after: 1, limit: 1, token: token)
                .decode(PullResponse.self).changes.isEmpty)
        }
    }

    /// A replica whose first change is missing pushes 5,000 more in 50 pushes; the vector waits
    /// at the gap and takes all of them in one step when the first arrives. (The time printed is
    /// what a relay spends when every push lands above a gap.)
    @Test(arguments: Backend.available)
    func manyPushesAboveAGapWaitAndTheFillTakesThemAll(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let (template, changes) = try Self.copies(of: relay, count: 5_001, batchLength: 100, firstAlone: true)
        try await relay.app().test(.router) { client async throws in
            let time = try await ContinuousClock().measure {
                for start in stride(from: 1, to: changes.count, by: 100) {
                    let answer = try await client.push(Array(changes[start..<min(start + 100, changes.count)]), token: token)
                    #expect(answer.status == .ok, "\(answer.body)")
                }
            }
            #expect(try await client.vector(token: token).decode(VectorResponse.self).versionVector.isEmpty)
            #expect(try await client.push([changes[0]], token: token).status == .ok)
            #expect(try await client.vector(token: token).decode(VectorResponse.self).versionVector == VersionVector([template.dot.replica: 5_001]))
            #expect(try await client.pullAll(token: token).count == 5_001)
            print("relay \(backend): 50 pushes of 100 changes above a gap \(time)")
        }
    }

    /// One replica's first change, and `count` copies of it numbered 1… in order, each a little
    /// later, signed under one key in batches of `batchLength` (after a batch of the first alone
    /// when `firstAlone`), as the relay takes only signed changes.
    static func copies(of relay: RelayHarness, count: Int, batchLength: Int = 1_000, firstAlone: Bool = false) throws -> (template: Change, changes: [Change]) {
        // In the name of a replica from before signatures: an id made from a key takes no other.
        var template = try relay.directory.store("a", seed: 1, articles: 1).changes(since: VersionVector())[0]
        template.dot.replica = template.dot.replica.fromBeforeSignatures
        let plain = (1...count).map { i in
            var change = template
            change.dot = Dot(replica: template.dot.replica, counter: UInt64(i))
            change.hlc = HLC(rawValue: template.hlc.rawValue + UInt64(i))
            return change
        }
        let rest = firstAlone ? Array(plain.dropFirst()) : plain
        let batches = (firstAlone ? [[plain[0]]] : []) + stride(from: 0, to: rest.count, by: batchLength).map {
            Array(rest[$0..<min(rest.count, $0 + batchLength)])
        }
        return (template, try BatchSignature.signed(batches: batches))
    }

    // MARK: - Idempotence and rewritten dots

    @Test(arguments: Backend.available)
    func aRepeatedPushIsHarmless(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let changes = try relay.directory.store("a", seed: 1, articles: 3).changes(since: VersionVector())
        try await relay.app().test(.router) { client async throws in
            _ = try await client.push(changes, token: token)
            let again = try await client.push(changes + changes, token: token)
            #expect(again.status == .ok)
            let receipt = try again.decode(PushResponse.self)
            #expect(receipt.applied == 0 && receipt.duplicates == 6)
            #expect(try await client.pullAll(token: token) == changes)
        }
    }

    @Test(arguments: Backend.available)
    func aPushRewritingAHeldDotIs409NamingItAndStoresNothing(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let changes = try relay.directory.changesSignedOneByOne("a", seed: 1, articles: 3)
        // Unsigned: a change that claims a held dot is refused as rewritten history, whoever signed it.
        let forged = changes[0].unsigned.with(hlcPlus: 1)
        try await relay.app().test(.router) { client async throws in
            _ = try await client.push([changes[0]], token: token)
            let before = try await client.vector(token: token).body
            // The forged dot rides with two new changes: none of them is stored.
            let refused = try await client.push([changes[1], forged, changes[2]], token: token)
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("replica \(changes[0].dot.replica.rawValue), counter 1"), "\(refused.body)")
            #expect(try await client.vector(token: token).body == before)
            #expect(try await client.pullAll(token: token) == [changes[0]])
            // One push holding a dot twice with different content is refused the same way.
            let twice = try await client.push([changes[1], changes[1].with(hlcPlus: 1)], token: token)
            #expect(twice.status == .conflict)
            #expect(try await client.pullAll(token: token) == [changes[0]])
        }
    }

    // MARK: - Tokens and isolation

    @Test(arguments: Backend.available)
    func aTokenReachesItsOwnLibraryOnlyOnEveryEndpoint(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, alice) = try await relay.library("alice")
        let (_, bob) = try await relay.library("bob")
        // Signed under a key of their own (in the name of a replica from before signatures, whose
        // key is trusted on first use in each library), and forged under another.
        let changes = try BatchSignature.signed(batches: [relay.directory.store("a", seed: 1, articles: 2).changes(since: VersionVector())])
        let forged = try BatchSignature.signed(batches: [[changes[0].with(hlcPlus: 1)]])[0]
        try await relay.app().test(.router) { client async throws in
            _ = try await client.push(changes, token: alice, names: [changes[0].dot.replica.rawValue: "alice's laptop"])
            // Bob sees an empty library: no vector, no changes, no names.
            let vector = try await client.vector(token: bob).decode(VectorResponse.self)
            #expect(vector.versionVector.isEmpty)
            let page = try await client.pull(token: bob).decode(PullResponse.self)
            #expect(page.changes.isEmpty && page.names.isEmpty)
            #expect(try await client.pull(after: 1, token: bob).decode(PullResponse.self).changes.isEmpty)
            // The same dot with other content is Bob's own business: no 409 that would tell him
            // Alice holds it, and Alice's change stays as it was.
            let pushed = try await client.push([forged], token: bob)
            #expect(pushed.status == .ok, "\(pushed.body)")
            #expect(try await client.pullAll(token: alice) == changes)
            #expect(try await client.pullAll(token: bob) == [forged])
            // Alice's and Bob's libraries answer as different replicas.
            #expect(try await client.vector(token: alice).decode(VectorResponse.self).replica != vector.replica)
        }
    }

    @Test(arguments: Backend.available)
    func unknownAndRevokedTokensGetTheSame401Everywhere(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let changes = try relay.directory.store("a", seed: 1, articles: 1).changes(since: VersionVector())
        let id = try #require(try await relay.admin.tokens().first?.id)
        try await relay.app().test(.router) { client async throws in
            #expect(try await client.vector(token: token).status == .ok)
            #expect(try await relay.admin.revokeToken(id)?.revokedAt != nil)
            var bodies = Set<String>()
            for bearer in [token, "glr_unknown", nil] as [String?] {
                for answer in [try await client.vector(token: bearer), try await client.pull(token: bearer),
                               try await client.push(changes, token: bearer)] {
                    #expect(answer.status == .unauthorized)
                    bodies.insert(answer.body)
                }
            }
            #expect(bodies.count == 1, "\(bodies)")
        }
        #expect(try await relay.storage.vector(of: 1).isEmpty)
    }

    @Test(arguments: Backend.available)
    func aReadOnlyTokenPullsAndNeverPushes(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, writer) = try await relay.library("alice")
        let reader = try await relay.admin.createToken(user: "alice", library: nil, readOnly: true).token
        let changes = try relay.directory.changesSignedOneByOne("a", seed: 1, articles: 2)
        try await relay.app().test(.router) { client async throws in
            _ = try await client.push([changes[0]], token: writer)
            let refused = try await client.push([changes[1]], token: reader)
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("read-only"))
            #expect(try await client.pullAll(token: reader) == [changes[0]])
        }
    }

    // MARK: - Bad bodies

    @Test(arguments: Backend.available)
    func malformedAndOversizedBodiesGetAClear4xxAndStoreNothing(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend, configuration: RelayConfiguration(maxRequestBytes: 64 << 10, maxExpandedBytes: 256 << 10))
        let (_, token) = try await relay.library("alice")
        let changes = try relay.directory.store("a", seed: 1, articles: 2).changes(since: VersionVector())
        let valid = try MessageCoding.encode(PushRequest(changes: changes, names: [:]))
        let invalid = { var change = changes[0]; change.entityID = ""; return change }()
        try await relay.app().test(.router) { client async throws in
            let cases: [(String, Data, HTTPFields, HTTPResponse.Status)] = [
                ("not JSON", Data("{{{".utf8), [:], .badRequest),
                ("cut short", valid.prefix(valid.count / 2), [:], .badRequest),
                ("not a push", Data(#"{"changes": 3}"#.utf8), [:], .badRequest),
                ("unknown coding", valid, [.contentEncoding: "br"], .unsupportedMediaType),
                ("not gzip", valid, [.contentEncoding: "gzip"], .badRequest),
                ("too large", Data(repeating: 0x20, count: 65 << 10), [:], .contentTooLarge),
                ("expands too far", try ContentCoding.gzip.compress(Data(repeating: 0x20, count: 1 << 20)), [.contentEncoding: "gzip"], .contentTooLarge),
                ("a change no store accepts", try MessageCoding.encode(PushRequest(changes: [changes[1], invalid], names: [:])), [:], .unprocessableContent),
            ]
            for (name, body, headers, status) in cases {
                let answer = try await client.call(.post, "/v1/push", token: token, body: body, headers: headers)
                #expect(answer.status == status, "\(name): \(answer.status) \(answer.body)")
                #expect(answer.body.contains("\"message\""), "\(name): \(answer.body)")
            }
            let pull = try await client.call(.post, "/v1/pull", token: token, body: Data(#"{"since": {"x": 1}, "after": 0}"#.utf8))
            #expect(pull.status == .badRequest, "\(pull.body)")
            #expect(try await client.vector(token: token).decode(VectorResponse.self).versionVector.isEmpty)
            #expect(try await client.pullAll(token: token).isEmpty)
        }
    }

    // MARK: - Health

    @Test(arguments: Backend.available)
    func healthNeedsNoTokenAndReadinessAsksTheDatabase(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        try await relay.app().test(.router) { client async throws in
            let health = try await client.call(.get, "/v1/health", token: nil)
            #expect(health.status == .ok && health.body.contains("\"protocolVersion\":1"))
            #expect(try await client.call(.get, "/v1/ready", token: nil).status == .ok)
        }
        try await relay.storage.close()
        if backend == .sqlite {
            try await relay.app().test(.router) { client async throws in
                #expect(try await client.call(.get, "/v1/ready", token: nil).status == .serviceUnavailable)
            }
        }
    }
}

extension Change {
    func with(hlcPlus delta: UInt64) -> Change {
        var copy = self
        copy.hlc = HLC(rawValue: hlc.rawValue + delta)
        return copy
    }
}

/// What a token holder may not do to the other clients of its library.
@Suite struct RelayPoisonTests {
    /// Names come with every pull page: a push of made-up ones is kept to the replicas the
    /// library holds changes of, so no one can make the pages too large to read.
    @Test(arguments: Backend.available)
    func namesOfReplicasWithNoChangesAreNotKept(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let token = try await relay.library("alice").token
        let store = try relay.directory.store("a", seed: 5, articles: 1)
        let changes = try store.changes(since: VersionVector())
        var names = [store.replicaID.rawValue: "laptop " + String(repeating: "x", count: 200)]
        for i in 0..<500 { names[String(format: "%032x", i + 1)] = "made up \(i)" }
        let sent = names
        try await relay.app().test(.router) { client async throws in
            #expect(try await client.push(changes, token: token, names: sent).status == .ok)
            let page = try await client.pull(token: token).decode(PullResponse.self)
            #expect(page.names.count == 1)
            #expect(page.names[store.replicaID.rawValue]?.count == 64)
        }
    }

    /// A change stamped further ahead of the relay's clock than an hour short of a day is
    /// refused: clients whose clocks run a little behind would refuse the whole page it is on.
    @Test(arguments: Backend.available)
    func aChangeNearTheClocksLimitIsRefused(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let token = try await relay.library("alice").token
        var change = try relay.directory.store("a", seed: 6, articles: 1).changes(since: VersionVector())[0]
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        change.hlc = HLC(rawValue: (now + HLC.maxLead - 1_800_000) << 16)
        let ahead = change
        try await relay.app().test(.router) { client async throws in
            #expect(try await client.push([ahead], token: token).status == .unprocessableContent)
            #expect(try await client.pullAll(token: token).isEmpty)
        }
    }
}

/// Quotas and the rate limit: a push past a person's quota is 413 naming the limit and stores
/// nothing; a token past its rate gets 429 with Retry-After.
@Suite struct RelayLimitTests {
    @Test(arguments: Backend.available)
    func aPushPastAQuotaIs413NamingTheLimitAndStoresNothing(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend, configuration: RelayConfiguration(quota: RelayQuota(changes: 3)))
        _ = try await relay.admin.addUser("alice")
        _ = try await relay.admin.addLibrary(user: "alice", name: "one")
        _ = try await relay.admin.addLibrary(user: "alice", name: "two")
        let one = try await relay.admin.createToken(user: "alice", library: "one", readOnly: false).token
        let two = try await relay.admin.createToken(user: "alice", library: "two", readOnly: false).token
        // Bob's own quota, in bytes, replaces the default's absent byte limit.
        _ = try await relay.admin.addUser("bob", quota: RelayQuota(bytes: 100))
        _ = try await relay.admin.addLibrary(user: "bob", name: "main")
        let bob = try await relay.admin.createToken(user: "bob", library: nil, readOnly: false).token
        let changes = try relay.directory.changesSignedOneByOne("a", seed: 1, articles: 4)
        try await relay.app().test(.router) { client async throws in
            #expect(try await client.push(Array(changes[0..<2]), token: one).status == .ok)
            // The quota spans the person's libraries: two more in the other library is one too many.
            let refused = try await client.push(Array(changes[2..<4]), token: two)
            #expect(refused.status == .contentTooLarge)
            // It names the limit, and not what the owner holds: that counts the other library,
            // which this token must learn nothing of.
            #expect(refused.body.contains("3 changes") && !refused.body.contains("holds"), "\(refused.body)")
            #expect(try await client.pullAll(token: two).isEmpty)
            // Changes already held are duplicates, not more use.
            #expect(try await client.push(Array(changes[0..<2]), token: one).status == .ok)
            #expect(try await client.push([changes[2]], token: two).status == .ok)

            let bytes = try await client.push([changes[0]], token: bob)
            #expect(bytes.status == .contentTooLarge && bytes.body.contains("100 bytes"), "\(bytes.body)")
            #expect(try await client.pullAll(token: bob).isEmpty)
        }
        let users = try await relay.storage.users()
        #expect(users.map(\.changes) == [3, 0])
    }

    @Test func aTokenPastItsRateGets429WithRetryAfterAndOthersGoOn() async throws {
        // A rate so slow that no request refills the bucket however slowly the test runs.
        let relay = try await RelayHarness(.sqlite, configuration: RelayConfiguration(rateLimit: 0.001, rateBurst: 3))
        let (_, alice) = try await relay.library("alice")
        let (_, bob) = try await relay.library("bob")
        try await relay.app().test(.router) { client async throws in
            for _ in 0..<3 { #expect(try await client.vector(token: alice).status == .ok) }
            let limited = try await client.vector(token: alice)
            #expect(limited.status == .tooManyRequests, "\(limited.body)")
            #expect(limited.body.contains("more than 3 requests at once"), "\(limited.body)")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 900)
            #expect(try await client.vector(token: bob).status == .ok)
        }
    }

    @Test func theBucketRefillsAtTheRateAndSaysHowLongToWait() async {
        let limiter = RateLimiter(rate: 2, burst: 2)
        #expect(await limiter.take("t", now: 100) == nil)
        #expect(await limiter.take("t", now: 100) == nil)
        #expect(await limiter.take("t", now: 100) == 0.5)
        #expect(await limiter.take("t", now: 100.25) == 0.25)
        #expect(await limiter.take("t", now: 100.5) == nil)
        #expect(await limiter.take("other", now: 100.5) == nil)
    }
}
