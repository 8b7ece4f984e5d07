import Foundation
import GlossCore
@testable import GlossRelay
import GlossTestSupport
import PostgresNIO
import Testing

/// What the PostgreSQL storage does when the server ends its connections (a restart, an
/// operator's pg_terminate_backend).
@Suite struct PostgresRelayStorageTests {
    /// Pushes ended at once: the more, the likelier one's ROLLBACK meets a closed connection.
    static let pushes = 8

    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, "needs GLOSS_TEST_POSTGRES_URL (scripts/with-postgres)"))
    func aPushWhoseConnectionTheServerEndsFailsAtOnceRatherThanHanging() async throws {
        let url = try #require(Backend.postgresURL, "CI=true and GLOSS_TEST_POSTGRES_URL is not set")
        let directory = TemporaryDirectory()
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        let storage = try await PostgresRelayStorage(url: url, schema: String(schema), maxConnections: Self.pushes + 4)
        _ = try await RelayAdmin(storage: storage).addUser("alice")
        let library = try await RelayAdmin(storage: storage).addLibrary(user: "alice", name: "main")
        let source = try directory.store("a", seed: 1, articles: 2)
        let changes = try RelayPush.prepare(try source.changes(since: VersionVector())).changes

        // Another session holds alice's row, so the push waits for its lock on a backend of its own.
        let (locked, lockTaken) = AsyncStream.makeStream(of: Void.self)
        let (released, release) = AsyncStream.makeStream(of: Void.self)
        let holder = Task {
            try await storage.client.withConnection { connection in
                try await connection.query("BEGIN", logger: storage.logger)
                try await connection.query("SELECT id FROM relay_user FOR UPDATE", logger: storage.logger)
                lockTaken.yield()
                for await _ in released { break }
                try await connection.query("ROLLBACK", logger: storage.logger)
            }
        }
        for await _ in locked { break }
        let pushes = (0..<Self.pushes).map { _ in
            Task { try await RelayController.within(.seconds(15)) { try await storage.push(changes, names: [:], to: library.id, quota: .unlimited) } }
        }

        // The server ends the waiting pushes' backends at once, as a shutdown ends every backend.
        var waiting: [Int32] = []
        for _ in 0..<500 where waiting.count < Self.pushes {
            waiting = []
            for try await pid in try await storage.client.query("""
                SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()
                """).decode(Int32.self) { waiting.append(pid) }
            if waiting.count < Self.pushes { try await Task.sleep(for: .milliseconds(10)) }
        }
        try #require(waiting.count == Self.pushes, "only \(waiting.count) pushes waited for the lock")
        try await storage.client.query("SELECT pg_terminate_backend(pid) FROM unnest(\(waiting)::int[]) AS pid")

        // Each fails with the server's reason, not by running out of time (PostgresNIO never
        // answers a ROLLBACK written to a connection that has closed).
        let start = ContinuousClock.now
        for push in pushes {
            let failure = await push.result
            guard case .failure(RelayError.database(let reason)) = failure else {
                Issue.record("a push did not fail with a database error: \(failure)")
                continue
            }
            #expect(reason.contains("terminating connection"), "\(reason)")
        }
        #expect(ContinuousClock.now - start < .seconds(10))
        release.yield()
        try await holder.value
    }
}
