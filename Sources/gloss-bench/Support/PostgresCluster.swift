import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL cluster `GLOSS_TEST_POSTGRES_URL` names (scripts/with-postgres starts a private
/// one): W11 makes a fresh database in it for each run, so a relay starts on empty tables.
struct PostgresCluster {
    /// The environment variable naming the cluster, as the relay's tests read it.
    static let variable = "GLOSS_TEST_POSTGRES_URL"

    private let parts: URLComponents
    let logger: Logger

    /// The cluster the environment names, or nil when it names none.
    static func fromEnvironment() throws -> PostgresCluster? {
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return nil }
        guard let parts = URLComponents(string: text), parts.host != nil else {
            throw BenchError(description: "\(variable) is not a postgresql:// URL: \(text)")
        }
        return PostgresCluster(parts: parts)
    }

    private init(parts: URLComponents) {
        self.parts = parts
        var logger = Logger(label: "gloss-bench.postgres")
        logger.logLevel = .error
        self.logger = logger
    }

    /// Creates a database of a new name and returns its URL (for `gloss relay --database`) and name.
    func freshDatabase(prefix: String) async throws -> (url: String, name: String) {
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        try await withClient(database: "postgres") { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        var url = parts
        url.path = "/" + name
        guard let text = url.string else { throw BenchError.invalidSetup("no URL for database \(name)") }
        return (text, name)
    }

    /// Runs `body` with a client of `database`, stopping the client after it.
    func withClient<T>(database: String, _ body: (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: .init(host: parts.host ?? "127.0.0.1", port: parts.port ?? 5432,
                                                         username: parts.user ?? "postgres", password: parts.password,
                                                         database: database, tls: .disable))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }
}
