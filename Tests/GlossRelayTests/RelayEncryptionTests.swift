import Foundation
import GlossCore
import GlossExtraction
import GRDB
@testable import GlossRelay
@testable import GlossSync
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Testing

/// Issue 19 through a relay (SQLite, on a loopback port): an encrypted library's changes are
/// stored sealed, so nothing a person wrote is in any byte of the relay's database; replicas
/// with the key read them; a stored change edited by the operator is skipped by name.
@Suite struct RelayEncryptionTests {
    /// Every byte the relay stored: its SQLite files (database, write-ahead log, shared memory),
    /// or on PostgreSQL every row of its schema, each column as text and each bytea as its bytes.
    static func relayBytes(_ relay: RelayHarness) async throws -> Data {
        if let postgres = relay.storage as? PostgresRelayStorage { return try await dump(postgres) }
        var bytes = Data()
        for file in try FileManager.default.contentsOfDirectory(atPath: relay.directory.path) where file.hasPrefix("relay-") {
            bytes += FileManager.default.contents(atPath: relay.directory.path + "/" + file) ?? Data()
        }
        return bytes
    }

    /// Every row of every table in the storage's schema.
    static func dump(_ storage: PostgresRelayStorage) async throws -> Data {
        var columns: [(table: String, column: String, bytea: Bool)] = []
        for try await (table, column, type) in try await storage.client.query("""
            SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns WHERE table_schema = current_schema()
            """, logger: storage.logger).decode((String, String, String).self) {
            columns.append((table, column, type == "bytea"))
        }
        #expect(columns.contains { $0.table == "relay_change" && $0.bytea }, "the dump reads the relay's tables")
        var bytes = Data()
        for (table, column, bytea) in columns {
            let query = PostgresQuery(unsafeSQL: "SELECT \"\(column)\"\(bytea ? "" : "::text") FROM \"\(table)\" WHERE \"\(column)\" IS NOT NULL")
            let rows = try await storage.client.query(query, logger: storage.logger)
            if bytea {
                for try await value in rows.decode(ByteBuffer.self) { bytes += Data(value.readableBytesView) + Data("\n".utf8) }
            } else {
                for try await value in rows.decode(String.self) { bytes += Data((value + "\n").utf8) }
            }
        }
        return bytes
    }

    /// The relay's SQLite database file.
    static func databasePath(_ relay: RelayHarness) throws -> String {
        let files = try FileManager.default.contentsOfDirectory(atPath: relay.directory.path)
        let file = try #require(files.first { $0.hasPrefix("relay-") && $0.hasSuffix(".sqlite") })
        return relay.directory.path + "/" + file
    }

    static func sync(_ store: Store, _ url: String, _ token: String) async throws -> SyncReport {
        try await SyncSession.sync(store, with: try SyncTarget(url), token: .use(token)).report
    }

    /// Runs `body` with the address of `relay` listening on a loopback port.
    static func live(_ relay: RelayHarness, _ body: @Sendable (String) async throws -> Void) async throws {
        let app = Application(router: buildRelayRouter(storage: relay.storage, configuration: relay.configuration),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))")
        }
    }

    @Test(arguments: Backend.available)
    func nothingAPersonWroteIsInTheRelaysDatabase(_ backend: Backend) async throws {
        for encrypted in [false, true] {
            let relay = try await RelayHarness(backend)
            let (_, token) = try await relay.library("alice")
            let store = try relay.directory.store("alice-laptop", seed: 7)
            let recovery = encrypted ? try LibraryEncryption.enable(store).recoveryKey : nil
            try PrivateSession.write(store)
            let reader = try relay.directory.store("b", seed: 8)
            if let recovery { _ = try LibraryEncryption.join(reader, with: .recoveryKey(recovery), folder: nil) }
            try await Self.live(relay) { url in
                #expect(try await Self.sync(store, url, token).sent > 5)
                _ = try await Self.sync(reader, url, token)
            }
            #expect(try reader.digest() == store.digest())
            let text = String(decoding: try await Self.relayBytes(relay), as: UTF8.self)
            let found = (PrivateSession.secrets + ["alice-laptop", try store.articles()[0].id]).filter { text.contains($0) }
            if encrypted {
                #expect(found.isEmpty, "readable in the relay's database: \(found)")
            } else {
                // The same check finds everything a plaintext library pushed, so it can fail.
                #expect(found.count == PrivateSession.secrets.count + 2, "the check missed \(Set(PrivateSession.secrets).subtracting(found))")
            }
            try await relay.storage.close()
        }
    }

    @Test func aStoredChangeTheOperatorEditedIsSkippedByNameAndTheRestApplies() async throws {
        let relay = try await RelayHarness(.sqlite)
        let (_, token) = try await relay.library("alice")
        let a = try relay.directory.store("a", seed: 1), b = try relay.directory.store("b", seed: 2)
        let recovery = try LibraryEncryption.enable(a).recoveryKey
        _ = try LibraryEncryption.join(b, with: .recoveryKey(recovery), folder: nil)
        try PrivateSession.write(a)
        // Batches of one change: a change that does not open leaves out its whole batch (see
        // SignedHistoryTests), here itself alone.
        try a.signOwnChanges(batchLength: 1)
        let total = try a.changes(since: VersionVector()).count
        try await Self.live(relay) { url in
            _ = try await Self.sync(a, url, token)
            // The operator flips one bit of the third change's box.
            let database = try DatabaseQueue(path: try Self.databasePath(relay))
            try await database.write { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT seq, bytes FROM relay_change WHERE counter = 3"))
                let bytes: Data = row["bytes"]
                var object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
                let text = try #require(object["s"] as? String)
                var box = try #require(Data(base64Encoded: text))
                box[box.count - 20] ^= 0x01
                object["s"] = box.base64EncodedString()
                let edited = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                try db.execute(sql: "UPDATE relay_change SET bytes = ? WHERE seq = ?", arguments: [edited, row["seq"] as Int64])
            }
            try database.close()
            let report = try await Self.sync(b, url, token)
            #expect(report.warnings == [.sealedChangeSkipped(place: url, replica: a.replicaID.rawValue, counter: 3, problem: .doesNotOpen)])
            #expect("\(report.warnings[0])".contains("\(a.replicaID.short):3"))
        }
        #expect(try b.changes(since: VersionVector()).count == total - 1)
        #expect(try b.versionVector()[a.replicaID] == 2)
    }

    /// Whoever can push to the relay cannot add changes to an encrypted library by sending them in
    /// the clear: a plaintext change written after encryption is skipped by name; one written
    /// before (the sealed bounds) is still taken.
    @Test func plaintextPushedAfterEncryptionIsNotApplied() async throws {
        let relay = try await RelayHarness(.sqlite)
        let (_, token) = try await relay.library("alice")
        let a = try relay.directory.store("a", seed: 1), b = try relay.directory.store("b", seed: 2)
        let forger = try relay.directory.store("forger", seed: 3)
        _ = try a.addArticle(ExtractedArticle(title: "Before", text: sampleText, format: .plainText))
        try await Self.live(relay) { url in
            _ = try await Self.sync(a, url, token)
            let recovery = try LibraryEncryption.enable(a).recoveryKey
            _ = try await Self.sync(a, url, token)
            // A client that skips the keys check (an older gloss, or anyone with a token) pushes
            // a change in the clear.
            _ = try forger.addArticle(ExtractedArticle(title: "Forged", text: sampleText + " Forged.", format: .plainText))
            _ = try await SyncSession(store: forger, peer: try HTTPTransport(url: url, token: token)).run()
            _ = try LibraryEncryption.join(b, with: .recoveryKey(recovery), folder: nil)
            let report = try await Self.sync(b, url, token)
            #expect(report.warnings.contains(.sealedChangeSkipped(place: url, replica: forger.replicaID.rawValue, counter: 1, problem: .inTheClear)),
                    "\(report.warnings)")
        }
        #expect(try b.articles().map(\.title) == ["Before"])
    }

    @Test(arguments: Backend.available)
    func aReSealedRetryOfAStoredDotIsADuplicateAndTheFirstBytesStay(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let a = try relay.directory.store("a", seed: 1)
        try PrivateSession.write(a)
        let change = try #require(try a.changes(since: VersionVector()).first)
        let key = LibraryKey.generate()
        let first = try SealedChange(sealing: change, under: key), again = try SealedChange(sealing: change, under: key)
        #expect(first.box != again.box)
        try await relay.app().test(.router) { client in
            let body = { (sealed: [SealedChange]) in try MessageCoding.encode(PushRequest(changes: [], sealed: sealed, names: [:])) }
            let stored = try await client.call(.post, "/v1/push", token: token, body: try body([first]))
            #expect(try stored.decode(PushResponse.self).applied == 1, "\(stored.body)")
            let retried = try await client.call(.post, "/v1/push", token: token, body: try body([again, first]))
            #expect(retried.status == .ok, "\(retried.body)")
            #expect(try retried.decode(PushResponse.self).duplicates == 2)
            let page = try await client.pull(token: token).decode(PullResponse.self)
            #expect(page.changes.isEmpty && page.sealed == [first])
            // A plain change under a dot held sealed is still a rewrite.
            var other = change
            other.hlc = HLC(rawValue: change.hlc.rawValue - 1)
            #expect(try await client.push([other], token: token).status == .conflict)
        }
    }

    @Test func aKeylessReplicaIsRefusedByAnEncryptedRelayAndUnchanged() async throws {
        let relay = try await RelayHarness(.sqlite)
        let (_, token) = try await relay.library("alice")
        let a = try relay.directory.store("a", seed: 1)
        _ = try LibraryEncryption.enable(a)
        try PrivateSession.write(a)
        let keyless = try relay.directory.store("keyless", seed: 2)
        _ = try keyless.addArticle(ExtractedArticle(title: "Mine", text: sampleText, format: .plainText))
        let digest = try keyless.digest()
        try await Self.live(relay) { url in
            _ = try await Self.sync(a, url, token)
            await #expect(throws: SyncError.libraryEncrypted(place: url)) { try await Self.sync(keyless, url, token) }
        }
        #expect(try keyless.digest() == digest)
        let held = try await relay.storage.vector(of: 1)
        #expect(held[keyless.replicaID] == 0, "nothing of the keyless replica's reached the relay")
    }

    @Test func threeReplicasConvergeThroughAFolderAndARelayAcrossARotationWithLateJoiners() async throws {
        let relay = try await RelayHarness(.sqlite)
        let (_, token) = try await relay.library("alice")
        let shared = relay.directory.path + "/shared"
        let a = try relay.directory.store("a", seed: 1), b = try relay.directory.store("b", seed: 2), c = try relay.directory.store("c", seed: 3)
        let recovery = try LibraryEncryption.enable(a, passphrase: "a long passphrase", cost: .init(logN: 10)).recoveryKey
        _ = try LibraryEncryption.join(b, with: .recoveryKey(recovery), folder: nil)
        _ = try LibraryEncryption.join(c, with: .recoveryKey(recovery), folder: nil)
        try PrivateSession.write(a)
        @Sendable func folder(_ store: Store) async throws { _ = try await SyncSession.sync(store, with: .folder(path: shared)) }
        try await Self.live(relay) { url in
            // a and b share the folder; c only the relay; b syncs both.
            try await folder(a)
            try await folder(b)
            _ = try await Self.sync(b, url, token)
            _ = try await Self.sync(c, url, token)
            #expect(try c.digest() == a.digest())
            // a rotates; the new key reaches c through b and the relay's published keys.
            let rotation = try LibraryEncryption.rotate(a)
            _ = try a.addNote(articleID: try a.articles()[0].id, text: "written under the new key")
            _ = try c.addNote(articleID: try c.articles()[0].id, text: "written beside it, through the relay")
            try await folder(a)
            try await folder(b)
            _ = try await Self.sync(b, url, token)
            _ = try await Self.sync(c, url, token)
            _ = try await Self.sync(b, url, token)
            try await folder(b)
            try await folder(a)
            #expect(try KeyFile.load(for: c)?.current == rotation.id, "c learned the rotation from the relay")
            #expect(try a.digest() == b.digest())
            #expect(try b.digest() == c.digest())

            // Late joiners through the relay only: one with the recovery key, one with the
            // passphrase (a wrong one first, which saves nothing).
            let d = try relay.directory.store("d", seed: 4), e = try relay.directory.store("e", seed: 5)
            _ = try await LibraryEncryption.join(d, with: .recoveryKey(recovery), place: url, token: token)
            await #expect(throws: EncryptionError.wrongPassphrase(place: url)) {
                try await LibraryEncryption.join(e, with: .passphrase("a long passphrasE"), place: url, token: token)
            }
            #expect(try KeyFile.load(for: e) == nil)
            _ = try await LibraryEncryption.join(e, with: .passphrase("a long passphrase"), place: url, token: token)
            #expect(try KeyFile.load(for: e)?.keys.count == 2, "e learned the rotation as it joined")
            _ = try await Self.sync(d, url, token)
            _ = try await Self.sync(e, url, token)
            #expect(try d.digest() == a.digest())
            #expect(try e.digest() == a.digest())
            #expect(try e.annotations().count == 4)
        }
    }

    @Test func aReplicaWithAnotherLibrarysKeyIsRefusedAndUnchanged() async throws {
        let relay = try await RelayHarness(.sqlite)
        let (_, token) = try await relay.library("alice")
        let a = try relay.directory.store("a", seed: 1), stranger = try relay.directory.store("stranger", seed: 2)
        _ = try LibraryEncryption.enable(a)
        let theirs = try LibraryEncryption.enable(stranger).keyring
        try PrivateSession.write(a)
        _ = try stranger.addArticle(ExtractedArticle(title: "Mine", text: sampleText, format: .plainText))
        let digest = try stranger.digest()
        try await Self.live(relay) { url in
            _ = try await Self.sync(a, url, token)
            do {
                _ = try await Self.sync(stranger, url, token)
                Issue.record("a replica with another library's key synced")
            } catch SyncError.wrongKey(let place, let held, let published) {
                let first = try KeyFile.load(for: a)?.first.id
                #expect(place == url && held == [theirs.first.id] && published == [first])
            }
            let recovery = RecoveryKey.text(of: theirs.first)
            let joiner = try relay.directory.store("joiner", seed: 3)
            await #expect(throws: EncryptionError.self) {
                try await LibraryEncryption.join(joiner, with: .recoveryKey(recovery), place: url, token: token)
            }
            #expect(try KeyFile.load(for: joiner) == nil)
        }
        #expect(try stranger.digest() == digest)
        let keys = try await relay.storage.publishedKeys(of: 1)
        #expect(keys.keys.sorted() == [a.replicaID.rawValue], "the stranger published nothing")
    }

    @Test(arguments: Backend.available)
    func publishedKeysAreKeptPerReplicaAndReadOnlyTokensOnlyReadThem(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (_, token) = try await relay.library("alice")
        let reader = try await relay.admin.createToken(user: "alice", library: "main", readOnly: true).token
        let keys = Keyring(first: LibraryKey.generate())
        let mine = keys.published(by: String(repeating: "ab", count: 16))
        let theirs = keys.published(by: String(repeating: "cd", count: 16))
        try await relay.app().test(.router) { client in
            let empty = try await client.call(.get, "/v1/keys", token: reader)
            let none = try empty.decode(PublishedKeysResponse.self).published
            #expect(empty.status == .ok && none.isEmpty)
            for published in [mine, theirs, mine] {
                let put = try await client.call(.put, "/v1/keys", token: token, body: try published.json())
                #expect(put.status == .ok, "\(put.body)")
            }
            #expect(try await client.call(.get, "/v1/keys", token: reader).decode(PublishedKeysResponse.self).published == [mine, theirs])
            // Kept as published: a member this relay does not know (a newer client's) comes back.
            let newer = String(decoding: try theirs.json(), as: UTF8.self).dropLast() + #","later":{"x":1}}"#
            #expect(try await client.call(.put, "/v1/keys", token: token, body: Data(newer.utf8)).status == .ok)
            #expect(try await client.call(.get, "/v1/keys", token: reader).body.contains(newer))
            let refused = try await client.call(.put, "/v1/keys", token: reader, body: try mine.json())
            #expect(refused.status == .forbidden && refused.body.contains("read-only"))
            var forged = mine
            forged.keys = ["not a key id"]
            #expect(try await client.call(.put, "/v1/keys", token: token, body: try forged.json()).status == .unprocessableContent)
            var large = mine
            large.keys = Array(repeating: keys.first.id, count: PublishedKeys.maxBytes / 16)
            #expect(try await client.call(.put, "/v1/keys", token: token, body: try large.json()).status == .contentTooLarge)
            #expect(try await client.call(.get, "/v1/keys", token: nil).status == .unauthorized)
        }
    }
}
