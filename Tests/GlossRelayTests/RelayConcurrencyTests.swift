import Foundation
import GlossCore
@testable import GlossRelay
import GlossTestSupport
import Testing

/// Pushes from many clients at once, through two storages over one database (two relay
/// processes), while a reader pages along: every change is stored once, and a reader resuming
/// from its cursor never steps over a push that committed late.
@Suite struct RelayConcurrencyTests {
    @Test(arguments: Backend.available)
    func concurrentPushesAreStoredOnceAndAReaderResumingFromItsCursorMissesNone(_ backend: Backend) async throws {
        let relay = try await RelayHarness(backend)
        let (library, _) = try await relay.library("alice")
        let other = try await relay.reopen()
        let storages = [relay.storage, other]
        // Eight writers of 40 changes each, pushed 5 at a time, each batch twice (a retry).
        let template = try relay.directory.store("a", seed: 1, articles: 1).changes(since: VersionVector())[0]
        let writers = (0..<8).map { w in
            let replica = ReplicaID(String(repeating: "\(w)", count: 32))!
            return (1...40).map { i in
                var change = template
                change.dot = Dot(replica: replica, counter: UInt64(i))
                change.hlc = HLC(rawValue: template.hlc.rawValue + UInt64(i))
                return try! RelayPush.prepare([change]).changes[0]
            }
        }
        let seen = try await withThrowingTaskGroup(of: [[UInt8]].self) { group in
            for (w, changes) in writers.enumerated() {
                group.addTask {
                    for start in stride(from: 0, to: changes.count, by: 5) {
                        let batch = Array(changes[start..<start + 5])
                        for _ in 0..<2 { _ = try await storages[w % 2].push(batch, names: [:], signers: [:], to: library.id, quota: .unlimited) }
                    }
                    return []
                }
            }
            // The reader pages along from its cursor while the writers push.
            group.addTask {
                var read: [[UInt8]] = [], after: Int64 = 0
                for round in 0..<4_000 {
                    let page = try await storages[round % 2].page(of: library.id, since: VersionVector(), after: after, limit: 7, maxBytes: 1 << 20)
                    read += page.changes
                    after = page.next
                    if read.count == 320 { break }
                    if page.changes.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
                }
                return read
            }
            var all: [[UInt8]] = []
            for try await part in group { all += part }
            return all
        }
        try await other.close()
        let stored = try await relay.storage.page(of: library.id, since: VersionVector(), after: 0, limit: 1_000, maxBytes: 1 << 30).changes
        #expect(stored.count == 320)
        #expect(Set(stored) == Set(writers.joined().map(\.bytes)))
        #expect(seen.count == 320 && Set(seen) == Set(stored), "the reader saw \(seen.count) of 320")
        let vector = try await relay.storage.vector(of: library.id)
        #expect(vector.entries.count == 8 && vector.entries.values.allSatisfy { $0 == 40 })
    }
}
