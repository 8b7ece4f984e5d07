import Crypto
import Foundation
import GlossCore
import GlossExtraction
@testable import GlossSync
import GlossTestSupport
import GRDB
import Testing

/// Issue 17: snapshots hold everything another replica needs and nothing private; an empty store
/// joins from one by copying its pages; a snapshot merges into any store as its changes would;
/// a folder compacts only what every replica has and a snapshot keeps.
@Suite struct SnapshotTests {
    let directory = TemporaryDirectory()

    /// A store with history: articles, highlights with notes, tags, a note edited on two
    /// replicas (a conflict), and a delete.
    func storeWithHistory(_ name: String, seed: UInt64, articles: Int = 6) throws -> Store {
        let store = try directory.store(name, seed: seed)
        var rng = SplitMix64(seed: seed)
        for i in 0..<articles {
            let text = prose(&rng, sentences: 8)
            let id = try store.addArticle(ExtractedArticle(title: "Article \(i)", text: text, format: .plainText)).id
            let words = text.split(separator: " ")
            let highlight = try store.highlight(articleID: id, quote: words[3...5].joined(separator: " "), occurrence: 1, note: "note \(i)")
            try store.setTags(highlight.id, ["t\(i % 3)"])
            if i % 4 == 3 { try store.delete(highlight.id) }
        }
        return store
    }

    func snapshot(of store: Store) throws -> String {
        let path = directory.path + "/snap-\(UUID().uuidString).sqlite"
        _ = try store.writeSnapshot(to: path)
        return path
    }

    @Test func aSnapshotHoldsNothingPrivate() throws {
        let store = try storeWithHistory("a", seed: 1)
        _ = try store.createToken(name: "laptop")
        try store.saveRemote("http://server:8417", token: "gloss_secret")
        try store.saveCheckpoint(SyncCheckpoint(peer: "folder:/tmp/x", values: ["k": "v"]))
        _ = try store.createWebSession(tokenID: nil)
        let path = try snapshot(of: store)
        let copy = try DatabaseQueue(path: path)
        let (counts, changes) = try copy.read { db in
            (try Store.privateTables.map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1 },
             try Int.fetchOne(db, sql: "SELECT count(*) FROM change") ?? -1)
        }
        #expect(counts.allSatisfy { $0 == 0 }, "\(zip(Store.privateTables, counts).map { "\($0) \($1)" })")
        #expect(changes == (try store.status().counts.changes))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.range(of: Data("gloss_secret".utf8)) == nil)
    }

    @Test func anEmptyStoreJoinsKeepingItsOwnIdentityAndTokens() throws {
        let source = try storeWithHistory("a", seed: 2)
        let joiner = try directory.store("b", seed: 3)
        let token = try joiner.createToken(name: "kept").token
        let merge = try joiner.mergeSnapshot(at: try snapshot(of: source))
        #expect(merge.joined)
        #expect(try joiner.digest() == (try source.digest()))
        #expect(try joiner.versionVector() == (try source.versionVector()))
        #expect(try joiner.authenticate(token) == "kept")
        #expect(try joiner.replicaName() == "b")
        // Its next change is its own first, after everything it took.
        let note = try joiner.addNote(articleID: try joiner.articles()[0].id, text: "mine")
        let mine = try joiner.changes(since: try source.versionVector())
        #expect(mine.count == 1 && mine[0].dot.replica == joiner.replicaID && mine[0].dot.counter == 1)
        #expect(mine[0].hlc > (try source.changes(since: VersionVector())).map(\.hlc).max()!)
        // Search works on what it took.
        #expect(!(try joiner.search("note")).isEmpty)
        // And it syncs on as any replica.
        try source.apply(mine)
        #expect(try source.annotation(note.id).note == "mine")
        #expect(try joiner.digest() == (try source.digest()))
    }

    /// Merging a snapshot equals applying the changes it holds, into a store with history of its
    /// own and concurrent edits (conflicts kept).
    @Test func mergingEqualsReplaying() throws {
        let a = try storeWithHistory("a", seed: 4)
        let b = try directory.store("b", seed: 5)
        let c = try directory.store("c", seed: 6)
        try b.apply(try a.changes(since: VersionVector()))
        try c.apply(try a.changes(since: VersionVector()))
        let target = try a.annotations().first { $0.note != nil }!
        try a.editAnnotation(target.id, note: "edited on a")
        try b.editAnnotation(target.id, note: "edited on b")
        _ = try b.addNote(articleID: try b.articles()[0].id, text: "b's own")
        // b takes a's state by snapshot; c takes the same changes one by one.
        let merge = try b.mergeSnapshot(at: try snapshot(of: a), applySlice: 3)
        #expect(!merge.joined && merge.received > 0)
        try c.apply(try b.changes(since: try c.versionVector()))
        let replayed = try directory.store("d", seed: 7)
        try replayed.apply(try a.changes(since: VersionVector()))
        try replayed.apply(try b.changes(since: try replayed.versionVector()))
        #expect(try b.digest() == (try replayed.digest()))
        #expect(try c.digest() == (try replayed.digest()))
        #expect(!(try b.conflicts()).isEmpty)
        // A second merge of the same snapshot changes nothing.
        let before = try b.digest()
        #expect(try b.mergeSnapshot(at: try snapshot(of: a)).received == 0)
        #expect(try b.digest() == before)
    }

    /// An empty store joins by recording the log and then building each entity's state from
    /// its changes in id order: the result is what applying the same changes one by one gives,
    /// conflicts, deletions, tags and search included.
    @Test func anEmptyStoresJoinEqualsReplayingTheLog() throws {
        let a = try storeWithHistory("a", seed: 12, articles: 9)
        let b = try directory.store("b", seed: 13)
        try b.apply(try a.changes(since: VersionVector()))
        let target = try a.annotations().first { $0.note != nil }!
        try a.editAnnotation(target.id, note: "the whole note as a wrote it")
        try b.editAnnotation(target.id, note: "and b's, another whole note")
        try b.setTags(target.id, ["from-b"])
        try b.signOwnChanges()
        try a.apply(try b.changes(since: try a.versionVector()))
        #expect(!(try a.conflicts()).isEmpty)

        let joiner = try directory.store("j", seed: 14)
        let merge = try joiner.mergeSnapshot(at: try snapshot(of: a), applySlice: 7)
        let replayed = try directory.store("r", seed: 15)
        let applied = try replayed.apply(try a.changes(since: VersionVector()))
        #expect(merge.joined && merge.received == applied.applied)
        #expect(Set(merge.newConflicts) == Set(applied.newConflicts))
        #expect(try joiner.digest() == (try replayed.digest()))
        #expect(try joiner.digest() == (try a.digest()))
        #expect(try joiner.versionVector() == (try a.versionVector()))
        #expect(try joiner.conflicts().count == (try a.conflicts()).count)
        #expect(try joiner.tagCounts() == (try replayed.tagCounts()))
        #expect(try joiner.search("note").map(\.id).sorted() == (try replayed.search("note")).map(\.id).sorted())
        #expect(try joiner.annotationPage(AnnotationFilter(tag: "from-b")).items.map(\.id) == [target.id])
        // It hands the changes on signed, as a store that applied them would.
        let handed = try joiner.changes(since: VersionVector())
        #expect(try Authorship.check(handed, trusted: [:], held: [:]).batches.count > 0)
        // The search index it built in one pass holds what later edits take out and put back.
        let other = try #require(try joiner.annotations().first { $0.id != target.id && $0.note != nil })
        try joiner.editAnnotation(other.id, note: "rewritten after the join")
        #expect(try joiner.search("rewritten").map(\.id) == [other.id])
        #expect(try joiner.search(other.note ?? "").allSatisfy { $0.id != other.id })
        let file = try DatabaseQueue(path: joiner.path)
        try file.write { db in try db.execute(sql: "INSERT INTO search_index(search_index) VALUES ('integrity-check')") }
        try file.close()
        // (SQLite 3.40's check reports the conflict table's WITHOUT ROWID rows as NULLs, so the
        // joiner's report is held to the replayed store's.)
        #expect(try joiner.checkIntegrity() == (try replayed.checkIntegrity()))
    }

    /// A change this replica wrote after signing and before the copy (another connection's
    /// write landing between the two) stays out of the snapshot, so a joiner can check all of it.
    @Test func aChangeWrittenWhileTheSnapshotIsTakenStaysOut() throws {
        let source = try storeWithHistory("a", seed: 20)
        try source.signOwnChanges()
        let signed = try source.versionVector()
        let late = try source.addNote(articleID: try source.articles()[0].id, text: "written during the copy")
        let path = directory.path + "/snap-late.sqlite"
        let info = try source.copySnapshot(to: path)
        #expect(info.versionVector == signed)
        let joiner = try directory.store("b", seed: 21)
        #expect(try joiner.mergeSnapshot(at: path).joined)
        #expect(try joiner.versionVector() == signed)
        #expect(throws: GlossError.self) { try joiner.annotation(late.id) }
    }

    /// A join takes nothing from a snapshot's tables but its change log: state, rows and search
    /// entries altered in the file are not what the joiner shows.
    @Test func aJoinTakesNothingButTheLog() throws {
        let source = try storeWithHistory("a", seed: 16)
        let path = try snapshot(of: source)
        let copy = try DatabaseQueue(path: path)
        try copy.write { db in
            try db.execute(sql: "UPDATE annotation SET note = 'planted', tags = 'planted'")
            try db.execute(sql: "DELETE FROM article WHERE rowid = (SELECT min(rowid) FROM article)")
            try db.execute(sql: "INSERT INTO annotation_tag_count(tag, annotations) VALUES ('planted', 99)")
        }
        try copy.close()
        let joiner = try directory.store("b", seed: 17)
        #expect(try joiner.mergeSnapshot(at: path).joined)
        #expect(try joiner.digest() == (try source.digest()))
        #expect(try joiner.articles().count == (try source.articles()).count)
        #expect(!(try joiner.tagNames()).contains("planted"))
    }

    /// A change altered in a snapshot's log fails its batch's signature: the join is refused
    /// whole and the store stays empty.
    @Test func anAlteredChangeRefusesTheWholeJoin() throws {
        let source = try storeWithHistory("a", seed: 18)
        let path = try snapshot(of: source)
        let copy = try DatabaseQueue(path: path)
        try copy.write { db in
            try db.execute(sql: "UPDATE change SET hlc = hlc + 1 WHERE seq = (SELECT max(seq) FROM change)")
        }
        try copy.close()
        let joiner = try directory.store("b", seed: 19)
        #expect(throws: GlossError.self) { try joiner.mergeSnapshot(at: path, applySlice: 3) }
        #expect(try joiner.isEmpty())
        #expect(try joiner.versionVector() == VersionVector())
        #expect(try joiner.articles().isEmpty)
    }

    @Test func aFileThatIsNoSnapshotIsRefusedAndChangesNothing() throws {
        let store = try storeWithHistory("a", seed: 8)
        let before = try store.digest()
        let junk = directory.path + "/junk.sqlite"
        try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: junk))
        #expect(throws: GlossError.self) { try store.mergeSnapshot(at: junk) }
        let empty = try directory.store("e", seed: 9)
        #expect(throws: GlossError.self) { try empty.mergeSnapshot(at: junk) }
        #expect(try store.digest() == before)
        #expect(try empty.isEmpty())
    }

    // MARK: - In a shared folder

    func sync(_ store: Store, _ folder: String, policy: FolderPolicy = FolderPolicy(snapshotAfter: 5)) async throws -> SyncOutcome {
        try await SyncSession.sync(store, with: .folder(path: folder), policy: policy)
    }

    func files(_ folder: String, _ suffix: String) -> [String] {
        let entries = (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []
        return entries.filter { $0.hasSuffix(suffix) }
    }

    @Test func aNewReplicaJoinsFromTheSnapshotAndReadsNoBundleItHolds() async throws {
        let folder = directory.path + "/shared"
        let a = try storeWithHistory("a", seed: 10, articles: 12)
        let first = try await sync(a, folder)
        #expect(first.upkeep.snapshotWritten != nil)
        let b = try directory.store("b", seed: 11)
        let joined = try await sync(b, folder)
        #expect(joined.upkeep.joinedFrom == first.upkeep.snapshotWritten)
        #expect(joined.bundlesRead == 0)
        #expect(try b.digest() == (try a.digest()))
    }

    /// A store with one connection, as a `gloss` command opens it: the kind that joins by
    /// copying a signed snapshot's pages.
    func commandStore(_ name: String, seed: UInt64) throws -> Store {
        let store = try Store(path: directory.path + "/\(name).sqlite", environment: .seeded(seed), concurrentReads: false)
        try store.setReplicaName(name)
        return store
    }

    /// A signed snapshot written into `folder` by `store` (the folder's own writer).
    func signedSnapshot(of store: Store, in folder: String) throws -> FolderMaintenance.Snapshot {
        let transport = try FolderTransport(directory: folder, replica: store.replicaID)
        return try FolderMaintenance(store: store, directory: transport.directory, peer: transport.peer, policy: .standard, now: 0).writeSnapshot()
    }

    /// An empty command store joins from a signed snapshot by copying its pages: it holds what
    /// the writer held (state, conflicts, search), keeps its own identity, name, key and tokens,
    /// and writes on as itself, its clock past everything it took.
    @Test func anEmptyStoreAdoptsASignedSnapshotsPages() throws {
        let a = try storeWithHistory("a", seed: 30, articles: 9)
        let b = try directory.store("b", seed: 31)
        try b.apply(try a.changes(since: VersionVector()))
        let target = try a.annotations().first { $0.note != nil }!
        try a.editAnnotation(target.id, note: "a's note")
        try b.editAnnotation(target.id, note: "b's note")
        try b.signOwnChanges()
        try a.apply(try b.changes(since: try a.versionVector()))
        let snapshot = try signedSnapshot(of: a, in: directory.path + "/shared")
        #expect(snapshot.header.signature != nil && snapshot.header.publicKey != nil)

        let joiner = try commandStore("j", seed: 32)
        let token = try joiner.createToken(name: "kept").token
        try joiner.saveRemote("http://server:8417", token: "gloss_kept")
        let merge = try SnapshotFile.merge(snapshot.url, displayName: snapshot.key, into: joiner, keys: nil)
        let changes = try a.status().counts.changes
        #expect(merge.joined && merge.pagesCopied && merge.received == changes)
        let standing = try a.conflicts().map { "\($0.entityID) \($0.field)" }
        #expect(Set(merge.newConflicts.map { "\($0.entityID) \($0.field)" }) == Set(standing) && !standing.isEmpty)
        #expect(try joiner.digest() == (try a.digest()))
        #expect(try joiner.versionVector() == (try a.versionVector()))
        #expect(try joiner.authenticate(token) == "kept")
        #expect(try joiner.remotes().map(\.url) == ["http://server:8417"])
        #expect(try joiner.replicaName() == "j")
        #expect(try joiner.search("note").map(\.id).sorted() == (try a.search("note")).map(\.id).sorted())
        let journal = try DatabaseQueue(path: joiner.path)
        #expect(try journal.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        try journal.close()
        // It writes as itself, after everything it took, and hands that on signed.
        let note = try joiner.addNote(articleID: try joiner.articles()[0].id, text: "mine")
        let mine = try joiner.changes(since: try a.versionVector())
        #expect(mine.count == 1 && mine[0].dot.replica == joiner.replicaID && mine[0].dot.counter == 1)
        #expect(mine[0].hlc > (try a.changes(since: VersionVector())).map(\.hlc).max()!)
        #expect(try Authorship.check(try joiner.changes(since: VersionVector()), trusted: [:], held: [:]).batches.count > 0)
        try a.apply(mine)
        #expect(try a.annotation(note.id).note == "mine")
        #expect(try joiner.digest() == (try a.digest()))
    }

    /// A store another connection holds open (another `gloss` process, a web reader) cannot
    /// leave write-ahead logging under it: it joins by its log, and the other connection reads
    /// on, seeing what was joined.
    @Test func aStoreOpenElsewhereJoinsByItsLog() throws {
        let a = try storeWithHistory("a", seed: 39)
        let snapshot = try signedSnapshot(of: a, in: directory.path + "/shared")
        let joiner = try commandStore("j", seed: 40)
        let other = try DatabaseQueue(path: joiner.path)
        #expect(try other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM change") } == 0)
        let merge = try SnapshotFile.merge(snapshot.url, displayName: snapshot.key, into: joiner, keys: nil)
        #expect(merge.joined && !merge.pagesCopied)
        #expect(try joiner.digest() == (try a.digest()))
        #expect(try other.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM change") } == merge.received)
        try other.close()
    }

    /// What a joiner takes on a signature, and where it does not: a signed plain snapshot whose
    /// tables say more than its log is copied as it is in a plain library (its writer vouched
    /// for it), and replayed from its log in an encrypted one, where only a sealed snapshot
    /// shows its writer holds the library key.
    @Test func aPlainSnapshotIsCopiedOnlyInAPlainLibrary() throws {
        let a = try storeWithHistory("a", seed: 36)
        let database = directory.path + "/planted.sqlite"
        let info = try a.writeSnapshot(to: database)
        let copy = try DatabaseQueue(path: database)
        // The listing reads article rows as they are; a replay builds them from the log.
        try copy.write { db in try db.execute(sql: "UPDATE article SET title = 'planted'") }
        try copy.close()
        let folder = URL(fileURLWithPath: directory.path + "/planted")
        try SnapshotFile.write(databaseAt: database, info: info, bundles: [:], to: folder, name: "s.glsnap",
                               scratch: directory.path + "/scratch", signer: a)
        let url = folder.appendingPathComponent("s.glsnap")
        #expect(try SnapshotFile.header(at: url, displayName: "s").header.signature != nil)

        let plain = try commandStore("p", seed: 37)
        #expect(try SnapshotFile.merge(url, displayName: "s", into: plain, keys: nil).pagesCopied)
        #expect(try plain.articles().contains { $0.title == "planted" })

        let sealedLibrary = try commandStore("e", seed: 38)
        let replayed = try SnapshotFile.merge(url, displayName: "s", into: sealedLibrary, keys: Keyring(first: .generate()))
        #expect(replayed.joined && !replayed.pagesCopied)
        #expect(!(try sealedLibrary.articles()).contains { $0.title == "planted" })
        #expect(try sealedLibrary.digest() == (try a.digest()))
    }

    /// A signed snapshot altered after signing (its header or its body) is skipped; one whose
    /// copy held an unsigned change goes unsigned and is joined by its log.
    @Test func aSnapshotIsCopiedOnlyUnderItsWritersSignature() async throws {
        let folder = directory.path + "/shared"
        let a = try storeWithHistory("a", seed: 33)
        let snapshot = try signedSnapshot(of: a, in: folder)
        // Another writer's key under a's name: refused by name.
        var header = snapshot.header
        header.publicKey = Data(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation).base64EncodedString()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let original = try Data(contentsOf: snapshot.url)
        let (_, offset) = try #require(try SnapshotFile.header(in: original, displayName: "x"))
        func rewritten(_ header: SnapshotHeader) throws -> Data {
            Data("GLOSS-SNAPSHOT\n".utf8) + (try encoder.encode(header)) + Data([0x0a]) + original[offset...]
        }
        try rewritten(header).write(to: snapshot.url)
        let joiner = try commandStore("j", seed: 34)
        func refusal() -> String {
            do {
                _ = try SnapshotFile.merge(snapshot.url, displayName: snapshot.key, into: joiner, keys: nil)
                return "taken"
            } catch SyncError.snapshotInvalid(_, let problem) {
                return problem
            } catch {
                return "\(error)"
            }
        }
        #expect(refusal().contains("not its writer's"))
        // A claim changed after signing: the signature no longer verifies.
        header = snapshot.header
        header.created += 1
        try rewritten(header).write(to: snapshot.url)
        #expect(refusal().contains("signature does not verify"))
        #expect(try joiner.isEmpty())
        // Through a folder sync the joiner warns, skips it and takes the bundles instead.
        let synced = try await sync(joiner, folder, policy: FolderPolicy(snapshotAfter: 1_000_000))
        #expect(synced.upkeep.joinedFrom == nil)
        #expect(synced.report.warnings.contains { $0.description.contains(snapshot.key) && $0.description.contains("signature") })

        // A change recorded after signing and before the copy: the copy cannot be vouched for.
        let c = try storeWithHistory("c", seed: 35)
        try c.signOwnChanges()
        _ = try c.addNote(articleID: try c.articles()[0].id, text: "written during the copy")
        let path = directory.path + "/snap-unsigned.sqlite"
        #expect(try c.copySnapshot(to: path).signable == false)
        #expect(try c.writeSnapshot(to: directory.path + "/snap-signed.sqlite").signable == true)
    }

    @Test func aDamagedSnapshotIsSkippedAndTheJoinerFallsBackToBundles() async throws {
        let folder = directory.path + "/shared"
        let a = try storeWithHistory("a", seed: 12)
        let outcome = try await sync(a, folder, policy: FolderPolicy(snapshotAfter: 1_000_000))
        #expect(outcome.upkeep.snapshotWritten == nil && !files(folder, ".glb").isEmpty)
        // A snapshot written beside the bundles (no compaction), then damaged in transit.
        let transport = try FolderTransport(directory: folder, replica: a.replicaID)
        let maintenance = FolderMaintenance(store: a, directory: transport.directory, peer: transport.peer,
                                            policy: .standard, now: 0)
        let written = try maintenance.writeSnapshot()
        var bytes = try Data(contentsOf: written.url)
        bytes[bytes.count - 10] ^= 0xff
        try bytes.write(to: written.url)
        let b = try directory.store("b", seed: 13)
        let joined = try await sync(b, folder, policy: FolderPolicy(snapshotAfter: 1_000_000))
        #expect(joined.upkeep.joinedFrom == nil)
        #expect(joined.report.warnings.contains { $0.description.contains(written.key) && $0.description.contains("checksum") })
        #expect(try b.digest() == (try a.digest()))
    }

    /// Three replicas share a folder; one is away while many changes happen and compactions run,
    /// then returns (past and within the horizon) and converges, and the folder holds about one
    /// snapshot plus the recent bundles.
    @Test func aReplicaAwayWhileTheFolderCompactsComesBackAndConverges() async throws {
        let folder = directory.path + "/shared"
        let policy = FolderPolicy(snapshotAfter: 20, horizonDays: 0)
        let a = try storeWithHistory("a", seed: 20)
        let b = try directory.store("b", seed: 21)
        let c = try directory.store("c", seed: 22)
        for store in [a, b, c] { _ = try await sync(store, folder, policy: policy) }
        // c goes away; a and b write and sync, and the folder compacts past c (horizon 0).
        var removed = 0
        for round in 0..<6 {
            for (store, name) in [(a, "a"), (b, "b")] {
                let article = try store.articles()[round % 3].id
                for i in 0..<8 { _ = try store.addNote(articleID: article, text: "\(name) round \(round) note \(i)") }
                removed += try await sync(store, folder, policy: policy).upkeep.bundlesRemoved
            }
        }
        #expect(removed > 0)
        let snapshots = files(folder, ".glsnap")
        #expect(snapshots.count <= 2, "\(snapshots)")
        // c returns: its missing changes' bundles are gone, and it catches up from the snapshot.
        let back = try await sync(c, folder, policy: policy)
        #expect(back.report.received > 0)
        _ = try await sync(a, folder, policy: policy)
        _ = try await sync(b, folder, policy: policy)
        _ = try await sync(c, folder, policy: policy)
        #expect(try c.digest() == (try a.digest()))
        #expect(try b.digest() == (try a.digest()))
    }

    @Test func compactionWaitsForAReplicaWithinTheHorizon() async throws {
        let folder = directory.path + "/shared"
        let policy = FolderPolicy(snapshotAfter: 5, horizonDays: 90)
        let a = try storeWithHistory("a", seed: 30)
        let b = try directory.store("b", seed: 31)
        _ = try await sync(b, folder, policy: policy)
        _ = try await sync(a, folder, policy: policy)
        // b has not got a's bundles: nothing of a's may go, though a snapshot holds them.
        #expect(!files(folder, ".glb").isEmpty)
        #expect(!files(folder, ".glsnap").isEmpty)
        let lateA = try await sync(a, folder, policy: policy)
        #expect(lateA.upkeep.bundlesRemoved == 0)
        // Once b has them (and says so), a removes them.
        _ = try await sync(b, folder, policy: policy)
        let after = try await sync(a, folder, policy: policy)
        #expect(after.upkeep.bundlesRemoved > 0)
        #expect(try b.digest() == (try a.digest()))
        // Retiring b lets a compact without waiting for it: b does not sync again, and a's new
        // bundles still go once a snapshot holds them.
        #expect(try a.retiredReplicas().isEmpty)
        try a.retire(b.replicaID)
        #expect(try a.retiredReplicas() == [b.replicaID])
        for i in 0..<6 { _ = try a.addNote(articleID: try a.articles()[0].id, text: "after b left \(i)") }
        var removed = 0
        for _ in 0..<2 { removed += try await sync(a, folder, policy: policy).upkeep.bundlesRemoved }
        #expect(removed > 0)
        #expect(!(try b.versionVector()).dominates(try a.versionVector()))
    }

    // MARK: - From a hostile writer of the folder

    /// A snapshot whose database carries a trigger (here one that would plant a token) is no
    /// store's: it is refused before anything runs on it, and the store is unchanged.
    @Test func aSnapshotWithATriggerIsRefused() throws {
        let source = try storeWithHistory("a", seed: 40)
        let path = try snapshot(of: source)
        let copy = try DatabaseQueue(path: path)
        try copy.write { db in
            try db.execute(sql: """
                CREATE TRIGGER plant AFTER INSERT ON change BEGIN
                INSERT INTO api_token(id, name, hash, created_at) VALUES ('evil', 'evil', 'x', 0); END
                """)
        }
        try copy.close()
        for target in [try directory.store("empty", seed: 41), try storeWithHistory("busy", seed: 42, articles: 1)] {
            let before = try target.digest()
            #expect(throws: GlossError.notAGlossStore(path: path)) { try target.mergeSnapshot(at: path) }
            #expect(try target.digest() == before)
            #expect(try target.tokens().isEmpty)
        }
    }

    /// What a snapshot holds is read from its change log, not from the counts its `replica`
    /// table claims; and a change in its log that no replica could have written refuses the
    /// merge, as it would refuse a bundle.
    @Test func aSnapshotsClaimsAreNotTakenOnItsWord() throws {
        let source = try storeWithHistory("a", seed: 43)
        let path = try snapshot(of: source)
        let copy = try DatabaseQueue(path: path)
        try copy.write { db in try db.execute(sql: "UPDATE replica SET contiguous = 999999") }
        #expect(try Store.snapshotVector(at: path) == (try source.versionVector()))
        // A change stamped a year ahead of the clock.
        try copy.write { db in try db.execute(sql: "UPDATE change SET hlc = hlc + (365 * 86400000 << 16) WHERE seq = (SELECT max(seq) FROM change)") }
        try copy.close()
        let target = try directory.store("b", seed: 44)
        #expect(throws: GlossError.self) { try target.mergeSnapshot(at: path, applySlice: 1_000_000) }
        #expect(try target.isEmpty())
    }

    /// A snapshot file whose header claims to hold everything a replica will ever write (its
    /// body holds less) keeps no replica from writing its own changes into the folder, and
    /// removes nothing.
    @Test func aHeaderThatLiesStopsNoReplicaFromWriting() async throws {
        let folder = directory.path + "/shared"
        let policy = FolderPolicy(snapshotAfter: 1_000_000)
        let victim = try storeWithHistory("victim", seed: 45, articles: 2)
        let other = try directory.store("other", seed: 46)
        _ = try await sync(victim, folder, policy: policy)
        _ = try await sync(other, folder, policy: policy)
        // The forger copies a real snapshot and rewrites its header's vector.
        let (key, _) = try SyncSession.writeSnapshot(victim, intoFolder: folder)
        let real = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + key))
        let newline = try #require(real.dropFirst(15).firstIndex(of: 0x0a))
        var header = try JSONDecoder().decode(SnapshotHeader.self, from: real[15..<newline])
        header.versionVector[victim.replicaID] = 1 << 62
        let forgedFolder = folder + "/" + String(repeating: "f", count: 32)
        try FileManager.default.createDirectory(atPath: forgedFolder, withIntermediateDirectories: true)
        var forged = Data("GLOSS-SNAPSHOT\n".utf8)
        forged.append(try JSONEncoder().encode(header))
        forged.append(real[newline...])
        try forged.write(to: URL(fileURLWithPath: forgedFolder + "/snapshot-9999999999999.glsnap"))
        // The victim writes on; its changes reach the other replica through the folder.
        _ = try victim.addNote(articleID: try victim.articles()[0].id, text: "written after the forgery")
        for _ in 0..<2 {
            _ = try await sync(victim, folder, policy: policy)
            _ = try await sync(other, folder, policy: policy)
        }
        #expect(try other.digest() == (try victim.digest()))
    }
}
