import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GlossCore
import GlossExtraction
@testable import GlossSync
import GlossTestSupport
import Testing

@Suite struct FolderSyncTests {
    let directory = TemporaryDirectory()
    var shared: String { directory.path + "/shared" }

    func sync(_ store: Store) async throws -> (report: SyncReport, read: Int, written: Int) {
        try await directory.folderSync(store, through: shared)
    }

    func storeWithHighlight(_ name: String, seed: UInt64) throws -> Store {
        try directory.storeWithHighlight(name, seed: seed)
    }

    @Test func twoReplicasConvergeAndAnIdleSyncReadsNothing() async throws {
        let a = try storeWithHighlight("a", seed: 1)
        let b = try directory.store("b", seed: 2)
        let first = try await sync(a)
        #expect(first.report.sent == 2 && first.written == 1 && first.read == 0)
        let second = try await sync(b)
        #expect(second.report.received == 2 && second.read == 1 && second.written == 0)
        #expect(try a.digest() == b.digest())
        // Nothing new anywhere: no bundle is read again, none is written.
        for store in [a, b] {
            let idle = try await sync(store)
            #expect(idle.read == 0 && idle.written == 0 && idle.report.sent == 0 && idle.report.received == 0)
        }
        // Only the new bundle is read once B writes one.
        _ = try b.addNote(articleID: try b.articles()[0].id, text: "B's thought")
        #expect(try await sync(b).written == 1)
        let next = try await sync(a)
        #expect(next.read == 1 && next.report.received == 1)
        #expect(try a.digest() == b.digest())
    }

    @Test func aLongHistoryTravelsInBoundedBundlesAndArrivesWhole() async throws {
        let a = try storeWithHighlight("a", seed: 1)
        let article = try a.articles()[0].id
        _ = try a.record((0..<33).map { AnnotationDraft(articleID: article, kind: .note, note: "note \($0)") })
        // Batches of one change, so the pages below can be as small as they are.
        try a.signOwnChanges(batchLength: 1)
        let b = try directory.store("b", seed: 2)
        let pushed = try await SyncSession(store: a, peer: try FolderTransport(directory: shared, replica: a.replicaID), pushPage: 10).run()
        #expect(pushed.sent == 35)
        let files = try FileManager.default.contentsOfDirectory(atPath: shared + "/" + a.replicaID.rawValue)
        #expect(files.count == 4)
        let pulled = try await sync(b)
        #expect(pulled.report.received == 35 && pulled.read == 4)
        #expect(try a.digest() == b.digest())
    }

    @Test func concurrentEditsOfDifferentWordsMergeAndTheMergeTravelsInTheSameSync() async throws {
        let a = try storeWithHighlight("a", seed: 1)
        let b = try directory.store("b", seed: 2)
        _ = try await sync(a)
        _ = try await sync(b)
        let id = try a.annotations()[0].id
        try a.editAnnotation(id, note: "The council approved the winter budget.")
        try b.editAnnotation(id, note: "from a, then a fix")
        _ = try await sync(b)
        _ = try await sync(a)
        // Both now hold the conflicting pair; settle it so both start from one note.
        try a.resolve(entityID: id, field: Fields.note, .value("The council approved the winter budget."))
        _ = try await sync(a)
        _ = try await sync(b)
        try a.editAnnotation(id, note: "The harbor council approved the winter budget.")
        try b.editAnnotation(id, note: "The council approved the winter budget in March.")
        _ = try await sync(b)
        let merging = try await sync(a)
        #expect(merging.report.newConflicts.isEmpty)
        _ = try await sync(b)
        for store in [a, b] {
            #expect(try store.annotation(id).note == "The harbor council approved the winter budget in March.")
            #expect(try store.conflicts().isEmpty)
        }
        #expect(try a.digest() == b.digest())
    }

    @Test func eachReplicaWritesOnlyNewFilesIntoItsOwnSubfolder() async throws {
        let a = try storeWithHighlight("a", seed: 1)
        _ = try await sync(a)
        let before = try FileManager.default.contentsOfDirectory(atPath: shared + "/" + a.replicaID.rawValue)
        _ = try a.addNote(articleID: try a.articles()[0].id, text: "more")
        _ = try await sync(a)
        let after = try FileManager.default.contentsOfDirectory(atPath: shared + "/" + a.replicaID.rawValue)
        #expect(Set(before).isSubset(of: Set(after)) && after.count == before.count + 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared) == [a.replicaID.rawValue])
        #expect(after.allSatisfy { !$0.hasPrefix(".") })
    }

    @Test func badFilesAreSkippedWithAWarningNamingThemAndNothingFromThemIsApplied() async throws {
        let a = try storeWithHighlight("a", seed: 1)
        _ = try await sync(a)
        let folder = shared + "/" + a.replicaID.rawValue
        let good = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + good))

        // A second writer's folder holding one of each kind of bad file.
        let other = shared + "/" + String(repeating: "ab", count: 16)
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: other + "/" + good))              // truncated
        var flipped = bytes
        flipped[flipped.count / 2] ^= 0xff
        let flippedName = "0000000000001-" + String(repeating: "0", count: 64) + ".glb"
        try flipped.write(to: URL(fileURLWithPath: other + "/" + flippedName))                               // corrupted
        try Data("shopping list".utf8).write(to: URL(fileURLWithPath: other + "/notes.txt"))               // foreign
        var future = ChangeBundle(replica: a.replicaID, created: 1, names: [:], changes: try a.changes(since: VersionVector()))
        future.version = 99
        let (futureData, futureSHA) = try BundleCodec.encode(future)
        try futureData.write(to: URL(fileURLWithPath: other + "/0000000000002-\(futureSHA).glb"))           // future version
        let notGzip = Data("{\"format\":\"gloss-bundle\"}".utf8)
        try notGzip.write(to: URL(fileURLWithPath: other + "/0000000000003-\(BundleCodec.sha256(notGzip)).glb")) // not gzip

        let b = try directory.store("b", seed: 2)
        let result = try await sync(b)
        #expect(result.report.warnings.count == 5)
        for name in [good, flippedName, "notes.txt", "0000000000002-\(futureSHA).glb", "0000000000003-"] {
            #expect(result.report.warnings.contains { $0.description.contains(name) }, "no warning names \(name): \(result.report.warnings)")
        }
        #expect(result.report.warnings.contains { $0 == .bundleTooNew(file: String(repeating: "ab", count: 16) + "/0000000000002-\(futureSHA).glb", version: 99) })
        #expect(result.report.warnings.contains { $0 == .bundleInvalid(file: String(repeating: "ab", count: 16) + "/notes.txt", defect: .unexpectedName) })
        // The good bundle still arrived; nothing else did.
        #expect(try b.digest() == a.digest())
        #expect(try b.status().counts.changes == 2)
    }

    @Test func aBundleImportedTwiceIsANoOp() async throws {
        let a = try storeWithHighlight("a", seed: 1)
        _ = try await sync(a)
        let b = try directory.store("b", seed: 2)
        _ = try await sync(b)
        let digest = try b.digest()
        // The same bundle shows up again under another replica's folder (a careless copy).
        let source = shared + "/" + a.replicaID.rawValue
        let copy = shared + "/" + String(repeating: "cd", count: 16)
        try FileManager.default.copyItem(atPath: source, toPath: copy)
        let again = try await sync(b)
        #expect(again.read == 1 && again.report.received == 0)
        #expect(try b.digest() == digest)
        #expect(try b.status().counts.changes == 2)
    }

    @Test func severalReplicasSyncIntoOneFolderAtTheSameMoment() async throws {
        let stores = try (0..<4).map { try storeWithHighlight("r\($0)", seed: UInt64($0) + 1) }
        let shared = self.shared
        for _ in 0..<2 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for store in stores {
                    group.addTask {
                        let transport = try FolderTransport(directory: shared, replica: store.replicaID)
                        _ = try await SyncSession(store: store, peer: transport).run()
                    }
                }
                try await group.waitForAll()
            }
        }
        for store in stores { _ = try await sync(store) }
        let digests = try Set(stores.map { try $0.digest() })
        #expect(digests.count == 1)
        // One article (the same text everywhere), four highlights of it, one from each replica.
        #expect(try stores[0].articles().count == 1)
        #expect(try stores[0].annotations().count == 4)
    }

    @Test func aCopiedStoreFileGetsAFreshReplicaID() async throws {
        let a = try storeWithHighlight("a", seed: 1)
        _ = try await sync(a)
        try a.close()
        let copyPath = directory.path + "/copy.sqlite"
        try FileManager.default.copyItem(atPath: a.path, toPath: copyPath)
        let original = try Store(path: a.path, environment: .seeded(10))
        let copy = try Store(path: copyPath, environment: .seeded(11))
        #expect(original.copiedFrom == nil && original.replicaID == a.replicaID)
        #expect(copy.copiedFrom == a.replicaID && copy.replicaID != a.replicaID)
        // Both go on writing; no dot is reused, and they converge.
        let article = try original.articles()[0].id
        _ = try original.addNote(articleID: article, text: "original")
        _ = try copy.addNote(articleID: article, text: "copy")
        let reopened = try Store(path: copyPath, environment: .seeded(12))
        #expect(reopened.replicaID == copy.replicaID && reopened.copiedFrom == nil)
        for store in [original, copy, original] { _ = try await sync(store) }
        #expect(try original.digest() == copy.digest())
        #expect(try original.annotations().count == 3)
    }

    // MARK: - The session's checkpoints

    /// A sync that stops after its first bundle keeps that bundle applied and remembered (its
    /// changes and its checkpoint landed in one transaction), and the next sync reads only the rest.
    @Test func aPullInterruptedAfterOneBundleResumesWithTheRest() async throws {
        let a = try storeWithHighlight("a", seed: 1)
        let article = try a.articles()[0].id
        _ = try a.record((0..<18).map { AnnotationDraft(articleID: article, kind: .note, note: "note \($0)") })
        // Batches of one change, so the pages below can be as small as they are.
        try a.signOwnChanges(batchLength: 1)
        _ = try await SyncSession(store: a, peer: try FolderTransport(directory: shared, replica: a.replicaID), pushPage: 10).run()
        let b = try directory.store("b", seed: 2)
        let folder = try FolderTransport(directory: shared, replica: b.replicaID)
        await #expect(throws: Interrupted.self) {
            _ = try await SyncSession(store: b, peer: Interrupting(folder: folder)).run()
        }
        #expect(try b.status().counts.changes == 10)
        #expect(try b.checkpoint(peer: folder.peer).values.count == 1)
        let rest = try await sync(b)
        #expect(rest.read == 1 && rest.report.received == 10)
        #expect(try a.digest() == b.digest())
    }

    // MARK: - Folders that cannot be used

    @Test func aFolderWhoseParentIsMissingSaysSo() throws {
        let path = directory.path + "/missing/shared"
        #expect(throws: SyncError.folder(path: path, action: .create, problem: .parentMissing)) {
            try FolderTransport(directory: path, replica: try directory.store().replicaID)
        }
    }

    /// Creating the folder in a parent this user may not write in is "permission denied", not
    /// "does not exist". The superuser may write anywhere on an ordinary disk, so it tries /sys,
    /// where Linux refuses even it.
    @Test func aFolderInAReadOnlyParentIsPermissionDenied() throws {
        var parent = directory.path + "/locked"
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: parent)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: parent) }
        if geteuid() == 0 { parent = "/sys" }
        let path = parent + "/gloss-shared-\(UUID().uuidString.prefix(8))"
        do {
            _ = try FolderTransport(directory: path, replica: try directory.store().replicaID)
            Issue.record("made \(path) in a parent this user may not write in")
        } catch let error as SyncError {
            #expect(error == .folder(path: path, action: .create, problem: .permissionDenied))
            #expect(error.description.contains("permission denied") && !error.description.contains("does not exist"), "\(error)")
        }
    }

    @Test func aFileWhereTheFolderShouldBeIsNotAFolder() throws {
        let path = directory.path + "/a-file"
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: SyncError.folder(path: path, action: .create, problem: .isAFile)) {
            try FolderTransport(directory: path, replica: try directory.store().replicaID)
        }
    }
}

/// Why `Interrupting` stopped a sync.
struct Interrupted: Error {}

/// A folder transport whose pulls stop after the first page, as a sync killed mid-pull does.
struct Interrupting: Transport {
    let folder: FolderTransport
    var peer: String { folder.peer }

    func versionVector(remembered: [String: String]) async throws -> VersionVector {
        try await folder.versionVector(remembered: remembered)
    }

    func pull(since vector: VersionVector, from cursor: PullCursor, remembered: [String: String]) async throws -> PulledPage {
        guard cursor == .start else { throw Interrupted() }
        return try await folder.pull(since: vector, from: cursor, remembered: remembered)
    }

    func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> PushReceipt {
        try await folder.push(changes, names: names)
    }

    func replicaNames() async throws -> [ReplicaID: String] { try await folder.replicaNames() }

    func warnings() async -> [SyncError] { await folder.warnings() }
}
