import Foundation
import GlossCore
import GlossExtraction
import GlossSync
import Synchronization
import Testing

@Suite struct SyncSessionTests {
    let root = NSTemporaryDirectory() + "gloss-sync-tests-" + UUID().uuidString

    func store(_ name: String, seed: UInt64) throws -> Store {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let store = try Store(path: "\(root)/\(name).sqlite", environment: .seeded(seed))
        try store.setReplicaName(name)
        return store
    }

    @Test func threeReplicasConvergeThroughPairwiseSessions() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (a, b, c) = (try store("a", seed: 1), try store("b", seed: 2), try store("c", seed: 3))
        let id = try a.addArticle(ExtractedArticle(title: "Tides", text: "The tide rose early. The harbor flooded twice.", format: .plainText)).id
        _ = try a.highlight(articleID: id, quote: "harbor flooded")

        let first = try await SyncSession(store: b, peer: StoreTransport(a)).run()
        #expect(first.received == 2 && first.sent == 0)
        _ = try b.addNote(articleID: id, text: "Check the tide tables.")
        _ = try await SyncSession(store: c, peer: StoreTransport(b)).run()
        _ = try await SyncSession(store: a, peer: StoreTransport(c)).run()

        #expect(try a.digest() == b.digest())
        #expect(try b.digest() == c.digest())
        // Nothing new: a second session moves nothing.
        let idle = try await SyncSession(store: a, peer: StoreTransport(b)).run()
        #expect(idle.sent == 0 && idle.received == 0)
        // Names travel with sync, for conflict listings.
        #expect(try c.replicas().contains { $0.name == "a" })
    }

    @Test func concurrentNoteEditsBecomeAConflictKeepingBothValues() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (a, b) = (try store("a", seed: 1), try store("b", seed: 2))
        let id = try a.addArticle(ExtractedArticle(title: "Tides", text: "The tide rose early.", format: .plainText)).id
        let highlight = try a.highlight(articleID: id, quote: "tide rose", note: "first")
        _ = try await SyncSession(store: b, peer: StoreTransport(a)).run()

        try a.editAnnotation(highlight.id, note: "from a")
        try b.editAnnotation(highlight.id, note: "from b")
        let report = try await SyncSession(store: b, peer: StoreTransport(a)).run()
        #expect(report.newConflicts.map(\.field) == ["note"])

        for store in [a, b] {
            let conflict = try #require(try store.conflicts().first)
            #expect(Set(conflict.siblings.map(\.value)) == [.string("from a"), .string("from b")])
            #expect(conflict.siblings.filter(\.isShown).count == 1)
        }
        #expect(try a.annotation(highlight.id).note == b.annotation(highlight.id).note)
        #expect(try a.digest() == b.digest())
    }

    @Test func aDeleteConcurrentWithAnEditKeepsTheEdit() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (a, b) = (try store("a", seed: 1), try store("b", seed: 2))
        let id = try a.addArticle(ExtractedArticle(title: "Tides", text: "The tide rose early.", format: .plainText)).id
        let highlight = try a.highlight(articleID: id, quote: "tide rose")
        _ = try await SyncSession(store: b, peer: StoreTransport(a)).run()

        try a.delete(highlight.id)
        try b.editAnnotation(highlight.id, note: "keep this thought")
        _ = try await SyncSession(store: b, peer: StoreTransport(a)).run()

        for store in [a, b] {
            #expect(try store.annotation(highlight.id).note == "keep this thought")
            #expect(try store.conflicts().map(\.field) == ["deleted"])
        }
        // A delete that has seen the edit wins.
        try a.delete(highlight.id)
        _ = try await SyncSession(store: b, peer: StoreTransport(a)).run()
        #expect(try b.annotations().isEmpty && b.conflicts().isEmpty)
    }

    @Test func tagsAreAnAddWinsSet() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (a, b) = (try store("a", seed: 1), try store("b", seed: 2))
        let id = try a.addArticle(ExtractedArticle(title: "Tides", text: "The tide rose early.", format: .plainText)).id
        try a.setTags(id, ["sea"])
        _ = try await SyncSession(store: b, peer: StoreTransport(a)).run()
        try a.setTags(id, ["sea"], remove: true)
        try b.setTags(id, ["sea", "weather"])
        try b.setTags(id, ["sea"], remove: true)
        try b.setTags(id, ["sea"])
        _ = try await SyncSession(store: b, peer: StoreTransport(a)).run()
        #expect(try a.article(id).tags == ["sea", "weather"])
        #expect(try a.conflicts().isEmpty)
        #expect(try a.digest() == b.digest())
    }

    /// A pull comes a page at a time, following the transport's cursor; each page lands on its
    /// own, so a pull stopped after two pages keeps them, and the next one brings the rest.
    @Test func aPullComesInPagesAndAnInterruptedOneKeepsWhatLanded() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (a, b) = (try store("a", seed: 1), try store("b", seed: 2))
        let id = try a.addArticle(ExtractedArticle(title: "Tides", text: "The tide rose early.", format: .plainText)).id
        for i in 0..<9 { _ = try a.addNote(articleID: id, text: "note \(i)") }
        // Batches of one change, so the pages below can be as small as they are.
        try a.signOwnChanges(batchLength: 1)
        let stopping = PageCounting(inner: StoreTransport(a, pageSize: 4), stopAfter: 2)
        await #expect(throws: PageCounting.Stopped.self) { _ = try await SyncSession(store: b, peer: stopping).run() }
        #expect(try b.status().counts.changes == 8)
        let whole = PageCounting(inner: StoreTransport(a, pageSize: 4), stopAfter: nil)
        let rest = try await SyncSession(store: b, peer: whole).run()
        #expect(rest.received == 2 && whole.pages.withLock { $0 } == 1)
        #expect(try a.digest() == b.digest())
    }

    /// A large page (a folder bundle may hold 800,000 changes) lands a slice at a time, each its
    /// own transaction, so other writers of the store get in between: a slice that fails keeps
    /// the slices before it, and the page's checkpoint is written only with its last slice.
    @Test func aLargePageLandsInSlicesAndItsCheckpointWithTheLast() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (a, b) = (try store("a", seed: 1), try store("b", seed: 2))
        let id = try a.addArticle(ExtractedArticle(title: "Tides", text: "The tide rose early.", format: .plainText)).id
        for i in 0..<11 { _ = try a.addNote(articleID: id, text: "note \(i)") }
        // Batches of one change, so the pages below can be as small as they are.
        try a.signOwnChanges(batchLength: 1)
        let changes = try a.changes(since: VersionVector())
        var forged = changes[11]
        forged.dot = Dot(replica: a.replicaID, counter: 0)
        let bad = OnePage(changes: Array(changes.prefix(11)) + [forged], checkpoint: ["bundle": "one"])
        await #expect(throws: GlossError.self) { _ = try await SyncSession(store: b, peer: bad, applySlice: 5).run() }
        #expect(try b.status().counts.changes == 10)
        #expect(try b.checkpoint(peer: bad.peer).values.isEmpty)

        let good = OnePage(changes: changes, checkpoint: ["bundle": "one"])
        let report = try await SyncSession(store: b, peer: good, applySlice: 5).run()
        #expect(report.received == 2)
        #expect(try b.checkpoint(peer: good.peer).values == ["bundle": "one"])
        #expect(try a.digest() == b.digest())
    }
}

/// A transport whose whole history is one page, as a folder bundle is.
struct OnePage: Transport {
    let changes: [Change]
    let checkpoint: [String: String]

    var peer: String { "one-page" }

    func versionVector(remembered: [String: String]) async throws -> VersionVector { VersionVector() }

    func pull(since vector: VersionVector, from cursor: PullCursor, remembered: [String: String]) async throws -> PulledPage {
        PulledPage(changes: changes, checkpoint: checkpoint, next: nil)
    }

    func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> PushReceipt { PushReceipt(applied: 0) }

    func replicaNames() async throws -> [ReplicaID: String] { [:] }

    func warnings() async -> [SyncError] { [] }
}

/// A transport that counts the pages pulled through it, and can stop after some.
final class PageCounting: Transport {
    struct Stopped: Error {}
    let inner: StoreTransport
    let stopAfter: Int?
    let pages = Mutex(0)

    init(inner: StoreTransport, stopAfter: Int?) {
        self.inner = inner
        self.stopAfter = stopAfter
    }

    var peer: String { inner.peer }

    func versionVector(remembered: [String: String]) async throws -> VersionVector {
        try await inner.versionVector(remembered: remembered)
    }

    func pull(since vector: VersionVector, from cursor: PullCursor, remembered: [String: String]) async throws -> PulledPage {
        let count = pages.withLock { $0 }
        if let stopAfter, count >= stopAfter { throw Stopped() }
        pages.withLock { $0 += 1 }
        return try await inner.pull(since: vector, from: cursor, remembered: remembered)
    }

    func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> PushReceipt {
        try await inner.push(changes, names: names)
    }

    func replicaNames() async throws -> [ReplicaID: String] { try await inner.replicaNames() }

    func warnings() async -> [SyncError] { [] }
}
