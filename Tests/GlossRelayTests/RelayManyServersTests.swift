import Foundation
import GlossTestSupport
import Logging
import PostgresNIO
import Testing

/// Several relay processes over one PostgreSQL database: any of them answers any request, so
/// clients addressing them alternately, concurrently, and after one is killed, converge.
@Suite(.serialized) struct RelayManyServersTests {
    let directory = TemporaryDirectory()

    @Test(.enabled(if: Backend.postgresURL != nil || Backend.isCI, "needs GLOSS_TEST_POSTGRES_URL (scripts/with-postgres)"))
    func storesSyncingThroughTwoRelaysOnOneDatabaseConverge() async throws {
        let url = try #require(Backend.postgresURL, "CI=true and GLOSS_TEST_POSTGRES_URL is not set")
        let database = try await Self.freshDatabase(url)
        let gloss = Gloss(home: directory.path, environment: ["GLOSS_RELAY_DATABASE": database])
        try gloss.ok(["relay", "user", "add", "alice"])
        try gloss.ok(["relay", "library", "add", "alice", "books"])
        let token = try #require(try gloss.json(["relay", "token", "create", "alice"])["token"] as? String)
        let relays = [try gloss.startRelay(), try gloss.startRelay()]
        defer { for relay in relays { relay.stop() } }

        let names = (0..<6).map { "s\($0)" }
        for (i, name) in names.enumerated() {
            let store = directory.path + "/" + name
            try gloss.ok(["init", "--store", store, "--name", name])
            for article in 0..<3 {
                let file = directory.path + "/\(name)-\(article).txt"
                try Data("Article \(article) by \(name)\n\nOn day \(i) the council met about the bridge, note \(article).\n".utf8)
                    .write(to: URL(fileURLWithPath: file))
                try gloss.ok(["add", "--store", store, file])
            }
        }
        // Two rounds of every store syncing at once, each through the relay the round gives it.
        for round in 0..<2 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (i, name) in names.enumerated() {
                    let relay = relays[(i + round) % 2]
                    group.addTask { try gloss.ok(["sync", "--store", self.directory.path + "/" + name, relay.url, "--token", token]) }
                }
                try await group.waitForAll()
            }
        }
        // One relay dies mid-flight; the other answers everything.
        relays[0].kill()
        for name in names { try gloss.ok(["sync", "--store", directory.path + "/" + name, relays[1].url, "--token", token]) }

        var digests = Set<String>()
        for name in names {
            let status = try gloss.json(["status", "--store", directory.path + "/" + name])
            digests.insert(status["digest"] as? String ?? "")
            #expect((status["counts"] as? [String: Any])?["changes"] as? Int == 18, "\(name): \(status)")
        }
        #expect(digests.count == 1, "\(digests)")
        // The relay holds exactly the changes made, each once.
        let users = try gloss.run(["relay", "user", "list", "--json"])
        #expect(users.stdout.contains("\"changes\" : 18"), "\(users.stdout)")
    }

    /// A new, empty database in the cluster `url` names, and its URL.
    static func freshDatabase(_ url: String) async throws -> String {
        var parts = try #require(URLComponents(string: url))
        let name = "relay_e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let client = PostgresClient(configuration: .init(host: parts.host ?? "127.0.0.1", port: parts.port ?? 5432,
                                                         username: parts.user ?? "postgres", password: parts.password,
                                                         database: "postgres", tls: .disable))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
            group.cancelAll()
        }
        parts.path = "/" + name
        return try #require(parts.string)
    }
}
