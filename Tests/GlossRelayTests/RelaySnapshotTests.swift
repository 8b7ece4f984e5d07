import Foundation
import GlossCore
import GlossExtraction
@testable import GlossRelay
import GlossSync
import GlossTestSupport
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

/// Issue 17 through a relay: a replica uploads a snapshot of its store once it holds
/// `--snapshot-after` changes more than the library's newest; the relay keeps it as opaque
/// chunks (sealed, with encryption on) and hands the newest to the library's readers, so an
/// empty store starts from it and pulls only what came after.
@Suite struct RelaySnapshotTests {
    static func sync(_ store: Store, _ url: String, _ token: String, snapshotAfter: Int) async throws -> SyncOutcome {
        try await SyncSession.sync(store, with: try SyncTarget(url), token: .use(token), policy: FolderPolicy(snapshotAfter: snapshotAfter))
    }

    /// A snapshot file of `store`, as a client uploads it.
    static func file(of store: Store, in directory: TemporaryDirectory, keys: Keyring? = nil) throws -> Data {
        let folder = URL(fileURLWithPath: directory.path + "/files-\(UUID().uuidString)")
        _ = try ServerSnapshot.write(store, into: folder, name: "s.glsnap", keys: keys)
        return try Data(contentsOf: folder.appendingPathComponent("s.glsnap"))
    }

    static func digest(of bytes: Data, in directory: TemporaryDirectory) throws -> String {
        let path = directory.path + "/digest-\(UUID().uuidString)"
        try bytes.write(to: URL(fileURLWithPath: path))
        return ServerSnapshot.digestValue(try ServerSnapshot.measure(fileAt: path).sha256)
    }

    @Test(arguments: Backend.available)
    func aReplicaUploadsASnapshotAndAJoinerStartsFromIt(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (library, token) = try await relay.library("alice")
        let writer = try relay.directory.store("writer", seed: 1)
        let article = try writer.addArticle(ExtractedArticle(title: "Harbor lights", text: sampleText, format: .plainText)).id
        for i in 0..<79 { _ = try writer.addNote(articleID: article, text: "note \(i)") }
        let joiner = try relay.directory.store("joiner", seed: 2), pulled = try relay.directory.store("pulled", seed: 3)
        try await RelayEncryptionTests.live(relay) { url in
            // 80 changes, none on the relay: the writer uploads a snapshot after its sync.
            let first = try await Self.sync(writer, url, token, snapshotAfter: 50)
            #expect(first.upkeep.snapshotWritten == url + "/v1/snapshot" && first.report.warnings.isEmpty, "\(first.report.warnings)")
            let offer = try #require(try await HTTPTransport(url: url, token: token).snapshotOffer())
            #expect(offer.uploads && offer.snapshot?.changes == 80 && offer.snapshot?.writer == writer.replicaID.rawValue)
            // Ten more are not enough for another.
            for i in 0..<10 { _ = try writer.addNote(articleID: article, text: "later \(i)") }
            #expect(try await Self.sync(writer, url, token, snapshotAfter: 50).upkeep.snapshotWritten == nil)
            // An empty store takes the 80 from the snapshot and pulls the 10.
            let joined = try await Self.sync(joiner, url, token, snapshotAfter: 50)
            #expect(joined.upkeep.joinedFrom == url + "/v1/snapshot" && joined.report.warnings.isEmpty, "\(joined.report.warnings)")
            #expect(joined.upkeep.mergedFromSnapshot == 80 && joined.report.received == 90)
            #expect(joined.upkeep.snapshotWritten == nil, "90 is not 50 more than the 80 it joined from")
            let byPull = try await SyncSession(store: pulled, peer: try HTTPTransport(url: url, token: token)).run()
            #expect(byPull.received == 90)
            // Fifty more, and the writer uploads again; the library keeps its newest two.
            for i in 0..<50 { _ = try writer.addNote(articleID: article, text: "much later \(i)") }
            #expect(try await Self.sync(writer, url, token, snapshotAfter: 50).upkeep.snapshotWritten != nil)
            #expect(try await HTTPTransport(url: url, token: token).snapshotOffer()?.snapshot?.changes == 140)
            for i in 0..<60 { _ = try writer.addNote(articleID: article, text: "later still \(i)") }
            #expect(try await Self.sync(writer, url, token, snapshotAfter: 50).upkeep.snapshotWritten != nil)
        }
        #expect(try joiner.digest() == pulled.digest())
        #expect(try joiner.articles().map(\.id) == pulled.articles().map(\.id))
        let newest = try #require(try await relay.storage.newestSnapshot(of: library.id))
        #expect(newest.changes == 200)
        #expect(try await Self.keptSnapshots(relay) == 2)
        try await relay.storage.close()
    }

    /// How many snapshots (finished or not) the relay keeps, in all.
    static func keptSnapshots(_ relay: RelayHarness) async throws -> Int {
        if let postgres = relay.storage as? PostgresRelayStorage {
            var count = 0
            for try await value in try await postgres.client.query("SELECT count(*)::bigint FROM relay_snapshot", logger: postgres.logger)
                .decode(Int64.self) { count = Int(value) }
            return count
        }
        let sqlite = try #require(relay.storage as? SQLiteRelayStorage)
        return try await sqlite.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM relay_snapshot") ?? 0 }
    }

    /// An upload with a wrong or read-only token, without its digest, damaged on the way, not a
    /// snapshot, or too large gets one clear refusal each, and the relay keeps nothing of it; a
    /// library's snapshot reaches its own readers only. (Chunks of 1 KiB here: an upload is
    /// kept, and a download read, a chunk at a time.)
    @Test(arguments: Backend.available)
    func uploadsAreCheckedAndEachRefusalSaysWhy(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend, configuration: RelayConfiguration(rateLimit: nil, maxSnapshotBytes: 200_000, snapshotChunkBytes: 1_024))
        let (library, token) = try await relay.library("alice")
        _ = try await relay.admin.addUser("bob")
        _ = try await relay.admin.addLibrary(user: "bob", name: "main")
        let bob = try await relay.admin.createToken(user: "bob", library: "main", readOnly: false).token
        let reader = try await relay.admin.createToken(user: "alice", library: "main", readOnly: true).token
        let store = try relay.directory.store("a", seed: 1)
        let id = try store.addArticle(ExtractedArticle(title: "Harbor lights", text: sampleText, format: .plainText)).id
        for i in 0..<20 { _ = try store.addNote(articleID: id, text: "note \(i)") }
        let file = try Self.file(of: store, in: relay.directory)
        let digest = try Self.digest(of: file, in: relay.directory)
        // A client uploads after its sync: the relay holds what the file holds. One more note
        // makes a file that claims a change the relay was never sent.
        try await RelayEncryptionTests.live(relay) { url in _ = try await Self.sync(store, url, token, snapshotAfter: 1_000_000) }
        _ = try store.addNote(articleID: id, text: "note 20")
        let ahead = try Self.file(of: store, in: relay.directory)
        let digestField = HTTPField.Name(ServerSnapshot.digestHeader)!
        try await relay.app().test(.router) { client in
            func upload(_ bytes: Data, token: String?, digest: String?) async throws -> Answer {
                var headers: HTTPFields = [.contentType: ServerSnapshot.mediaType]
                if let digest { headers[digestField] = digest }
                return try await client.call(.post, "/v1/snapshots", token: token, body: bytes, headers: headers)
            }
            #expect(try await client.call(.get, "/v1/snapshot", token: token).status == .notFound)
            for wrong in [nil, "gloss_relay_wrong"] {
                let answer = try await upload(file, token: wrong, digest: digest)
                #expect(answer.status == .unauthorized && answer.body.contains("does not know this token"), "\(answer.body)")
            }
            var answer = try await upload(file, token: reader, digest: digest)
            #expect(answer.status == .forbidden && answer.body.contains("read-only"), "\(answer.body)")
            answer = try await upload(file, token: token, digest: nil)
            #expect(answer.status == .badRequest && answer.body.contains("Repr-Digest"), "\(answer.body)")
            var damaged = file
            damaged[damaged.count / 2] ^= 0xff
            answer = try await upload(damaged, token: token, digest: digest)
            #expect(answer.status == .unprocessableContent && answer.body.contains("damaged on the way"), "\(answer.body)")
            let junk = Data("PK\u{3}\u{4} not a snapshot\n".utf8)
            answer = try await upload(junk, token: token, digest: try Self.digest(of: junk, in: relay.directory))
            #expect(answer.status == .unprocessableContent && answer.body.contains("not a Gloss snapshot"), "\(answer.body)")
            // A body shorter than the magic line, or cut inside it, is not a snapshot.
            for short in [Data("GLOSS".utf8), Data("GLOSS-SNAPSHOT\n".utf8), Data()] {
                answer = try await upload(short, token: token, digest: try Self.digest(of: short, in: relay.directory))
                #expect(answer.status == .unprocessableContent && answer.body.contains("not a Gloss snapshot"), "\(answer.body)")
            }
            answer = try await upload(ahead, token: token, digest: try Self.digest(of: ahead, in: relay.directory))
            #expect(answer.status == .unprocessableContent && answer.body.contains("claims changes this relay was never sent")
                    && answer.body.contains("up to 22, the relay holds 21"), "\(answer.body)")
            let large = file + Data(repeating: 7, count: 200_000)
            answer = try await upload(large, token: token, digest: try Self.digest(of: large, in: relay.directory))
            #expect(answer.status == .contentTooLarge && answer.body.contains("larger than"), "\(answer.body)")
            #expect(try await client.call(.get, "/v1/snapshot", token: token).status == .notFound)
            #expect(try await Self.keptSnapshots(relay) == 0, "a refused upload leaves nothing behind")
            // Two uploads under way (an abandoned third does not count, and is removed): a
            // third is refused until one is done.
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            _ = try await relay.storage.beginSnapshot(in: library.id, header: "{}", changes: 1, at: now - 7_200_000,
                                                      abandonedBefore: 0, atOnce: 2)
            var underWay: [Int64] = []
            for _ in 0..<2 {
                underWay.append(try await relay.storage.beginSnapshot(in: library.id, header: "{}", changes: 1, at: now,
                                                                      abandonedBefore: now - 3_600_000, atOnce: 2))
            }
            answer = try await upload(file, token: token, digest: digest)
            #expect(answer.status == .conflict && answer.body.contains("2 snapshot uploads of this library are under way"), "\(answer.body)")
            #expect(try await Self.keptSnapshots(relay) == 2)
            for id in underWay { try await relay.storage.discardSnapshot(id) }
            // A good one is kept, handed to the library's readers (a read-only token too), and
            // to no one else.
            answer = try await upload(file, token: token, digest: digest)
            #expect(answer.status == .ok, "\(answer.body)")
            #expect(try answer.decode(SnapshotOffer.self).snapshot?.changes == 21)
            let kept = try #require(try await relay.storage.newestSnapshot(of: library.id))
            #expect(kept.chunks == (file.count + 1_023) / 1_024 && kept.chunks > 2 && kept.bytes == file.count)
            for reading in [token, reader] {
                let fetched = try await client.call(.get, "/v1/snapshot", token: reading)
                #expect(fetched.status == .ok && fetched.headers[digestField] == digest)
                #expect(fetched.headers[.contentLength] == String(file.count))
            }
            let raw = try await client.execute(uri: "/v1/snapshot", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                Data($0.body.readableBytesView)
            }
            #expect(raw == file, "the chunks make the file again")
            #expect(try await client.call(.get, "/v1/snapshot", token: bob).status == .notFound)
            #expect(try await client.call(.get, "/v1/snapshot", token: "gloss_relay_wrong").status == .unauthorized)
            let info = try await client.call(.get, "/v1/snapshot/info", token: reader)
            #expect(try info.decode(SnapshotOffer.self).uploads == false)
        }
        try await relay.storage.close()
    }

    /// A person's kept snapshots count in their quota of bytes with their changes: one that
    /// would take them past it is refused and nothing of it stays; the bytes they hold say so.
    @Test(arguments: Backend.available)
    func snapshotsCountInTheQuota(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (library, _) = try await relay.library("alice")
        func keep(_ bytes: Int, quota: RelayQuota) async throws {
            let id = try await relay.storage.beginSnapshot(in: library.id, header: "{}", changes: 1, at: 1, abandonedBefore: 0, atOnce: 2)
            do {
                try await relay.storage.appendSnapshotChunk(Array(repeating: 1, count: bytes), index: 0, to: id)
                try await relay.storage.finishSnapshot(id, in: library.id, bytes: Int64(bytes), sha256: Array(repeating: 0, count: 32),
                                                       keep: 2, abandonedBefore: 0, quota: quota)
            } catch {
                try await relay.storage.discardSnapshot(id)
                throw error
            }
        }
        try await keep(600, quota: RelayQuota(bytes: 1_000))
        await #expect(throws: RelayError.snapshotOverQuota(allowed: 1_000)) { try await keep(500, quota: RelayQuota(bytes: 1_000)) }
        #expect(try await relay.storage.users().first?.bytes == 600)
        #expect(try await Self.keptSnapshots(relay) == 1, "the refused one is gone")
        // Two are kept: a third replaces the oldest, so only the newest two count.
        try await keep(300, quota: RelayQuota(bytes: 1_000))
        try await keep(300, quota: RelayQuota(bytes: 1_000))
        #expect(try await relay.storage.users().first?.bytes == 600)
        try await relay.storage.close()
    }

    /// With encryption on, the uploaded snapshot is sealed: nothing a person wrote is in the
    /// relay's database, a joiner holding the key starts from it, and the relay refuses an
    /// unsealed one for the library.
    @Test(arguments: Backend.available)
    func anEncryptedLibrarysSnapshotIsSealedOnTheRelay(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let writer = try relay.directory.store("alice-laptop", seed: 7)
        let recovery = try LibraryEncryption.enable(writer).recoveryKey
        try PrivateSession.write(writer)
        let total = try writer.changes(since: VersionVector()).count
        let joiner = try relay.directory.store("joiner", seed: 8)
        _ = try LibraryEncryption.join(joiner, with: .recoveryKey(recovery), folder: nil)
        try await RelayEncryptionTests.live(relay) { url in
            #expect(try await Self.sync(writer, url, token, snapshotAfter: 5).upkeep.snapshotWritten != nil)
            let offer = try #require(try await HTTPTransport(url: url, token: token).snapshotOffer()?.snapshot)
            #expect(offer.format == 2)
            let joined = try await Self.sync(joiner, url, token, snapshotAfter: 5)
            #expect(joined.upkeep.joinedFrom != nil && joined.report.warnings.isEmpty, "\(joined.report.warnings)")
            #expect(joined.upkeep.mergedFromSnapshot == total)
        }
        #expect(try joiner.digest() == writer.digest())
        let text = String(decoding: try await RelayEncryptionTests.relayBytes(relay), as: UTF8.self)
        let found = PrivateSession.secrets.filter { text.contains($0) }
        #expect(found.isEmpty, "readable in the relay's database: \(found)")
        // An unsealed snapshot of the library is refused.
        let plain = try Self.file(of: writer, in: relay.directory)
        try await relay.app().test(.router) { client in
            let answer = try await client.call(.post, "/v1/snapshots", token: token, body: plain,
                                               headers: [.contentType: ServerSnapshot.mediaType,
                                                         HTTPField.Name(ServerSnapshot.digestHeader)!: try Self.digest(of: plain, in: relay.directory)])
            #expect(answer.status == .unprocessableContent && answer.body.contains("not sealed"), "\(answer.body)")
        }
        try await relay.storage.close()
    }

    /// `Schema/OpenAPI/openapi.json` documents the relay's snapshot routes with the statuses
    /// they answer; the upload as the relay's alone.
    @Test func theSnapshotRoutesAreTheDocumentedOnes() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Schema/OpenAPI/openapi.json").standardizedFileURL
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        for route in RelayController.snapshotRoutes {
            let operation = try #require(paths[route.path]?[route.method] as? [String: Any], "\(route.method) \(route.path)")
            let statuses = Set((operation["responses"] as? [String: Any] ?? [:]).keys.compactMap(Int.init))
            #expect(statuses == Set(route.statuses), "\(route.method) \(route.path)")
            #expect((operation["x-gloss-relay-only"] as? Bool ?? false) == (route.path == "/v1/snapshots"), "\(route.method) \(route.path)")
        }
    }

    /// The real binaries: a sync uploads a snapshot to `gloss relay` and says so, a new store
    /// starts from it and says so; a relay started with a smaller `--max-snapshot-bytes` refuses
    /// the upload with one warning, and the sync still succeeds.
    @Test func throughTheRealBinaries() throws {
        let directory = TemporaryDirectory()
        let gloss = Gloss(home: directory.path)
        let database = directory.path + "/relay.sqlite"
        try gloss.ok(["relay", "user", "add", "alice", "--database", database])
        try gloss.ok(["relay", "library", "add", "alice", "books", "--database", database])
        let token = try #require(try gloss.json(["relay", "token", "create", "alice", "--database", database])["token"] as? String)
        let invalid = try gloss.run(["relay", "--max-snapshot-bytes=-1", "--database", database])
        #expect(invalid.status == 64 && invalid.stderr.contains("--max-snapshot-bytes must be 0 or more"), "\(invalid.stderr)")
        let (a, b, c) = (directory.path + "/a", directory.path + "/b", directory.path + "/c")
        for (store, name) in [(a, "a"), (b, "b"), (c, "c")] { try gloss.ok(["init", "--store", store, "--name", name]) }
        for i in 0..<3 {
            let file = directory.path + "/\(i).txt"
            try Data("Article \(i)\n\nThe council met on day \(i) to talk about the bridge, the budget and the harbor.\n".utf8)
                .write(to: URL(fileURLWithPath: file))
            try gloss.ok(["add", "--store", a, file])
        }

        let small = try gloss.startRelay(database: database, options: ["--max-snapshot-bytes", "1000"])
        let refused = try gloss.run(["sync", "--store", a, small.url, "--token", token, "--snapshot-after", "2"])
        small.stop()
        #expect(refused.status == 0 && refused.stderr.contains("413") && refused.stderr.contains("larger than"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "one warning: \(refused.stderr)")

        let relay = try gloss.startRelay(database: database)
        defer { relay.stop() }
        let uploaded = try gloss.run(["sync", "--store", a, relay.url, "--token", token, "--snapshot-after", "2"])
        #expect(uploaded.status == 0 && uploaded.stdout.contains("wrote the snapshot \(relay.url)/v1/snapshot"), "\(uploaded.stdout) \(uploaded.stderr)")
        let joined = try gloss.run(["sync", "--store", b, relay.url, "--token", token])
        #expect(joined.status == 0 && joined.stdout.contains("started from the snapshot \(relay.url)/v1/snapshot"), "\(joined.stdout) \(joined.stderr)")
        #expect(joined.stderr.isEmpty, "\(joined.stderr)")
        // A wrong token: one clear error, a non-zero exit, the store unchanged.
        let wrong = try gloss.run(["sync", "--store", c, relay.url, "--token", "gloss_relay_wrong"])
        #expect(wrong.status == 1 && wrong.stderr.contains("refused the token"), "\(wrong.stderr)")
        #expect((try gloss.json(["status", "--store", c])["counts"] as? [String: Any])?["changes"] as? Int == 0)
        let digests = try [a, b].map { try gloss.json(["status", "--store", $0])["digest"] as? String }
        #expect(digests[0] != nil && digests[0] == digests[1])
    }
}
