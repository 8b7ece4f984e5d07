import Foundation
public import GlossCore
import GlossSchema
public import Logging
import NIOCore
import PostgresNIO

/// The relay's storage in PostgreSQL, through PostgresNIO's connection pool: for several relay
/// processes over one database that is backed up and replicated like any other.
///
/// A push holds its owner's and its library's row locks (`SELECT … FOR UPDATE`) while it checks
/// the owner's quota and numbers and stores its changes, so a library's arrival numbers commit
/// in order and a pull cursor never steps over a push that commits late; pushes of different
/// people run side by side.
public final class PostgresRelayStorage: RelayStorage {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    private let gauge: ConnectionGauge

    /// Connects to the database `url` names (`postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`,
    /// with `?sslmode=disable|prefer|require` and `?host=/socket/dir` as libpq reads them) and
    /// brings its schema up to date. `schema`, when given, is made if missing and used as the
    /// search path (tests use one each).
    /// - Parameter startTimeout: Seconds to wait for the database to answer at first.
    public init(url: String, schema: String? = nil, maxConnections: Int = 20, startTimeout: Double = 15,
                logger: Logger = Logger(label: "gloss.relay.postgres")) async throws {
        var configuration = try Self.configuration(url)
        configuration.options.maximumConnections = max(1, maxConnections)
        gauge = ConnectionGauge(capacity: configuration.options.maximumConnections)
        if let schema {
            try RelayError.check(name: schema)
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let client = self.client
        runner = Task { await client.run() }
        self.logger = logger
        let place = Self.redacted(url)
        do {
            // The pool retries a database it cannot reach for a minute and more; a relay or an
            // administration command starting against a wrong URL says so sooner.
            try await Self.within(seconds: startTimeout, "PostgreSQL at \(place) did not answer within \(Int(startTimeout)) s: check that it runs and that the URL names the right host, port, user and database") {
                if let schema { try await client.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema)\""), logger: logger) }
                try await self.migrate()
            }
        } catch {
            runner.cancel()
            throw Self.relayError(error)
        }
    }

    /// Runs `work`, or fails with ``RelayError/database(_:)`` saying `message` after `seconds`.
    private static func within(seconds: Double, _ message: String, _ work: @escaping @Sendable () async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { try await work(); return true }
            group.addTask { try await Task.sleep(for: .seconds(seconds)); return false }
            defer { group.cancelAll() }
            guard try await group.next() == true else { throw RelayError.database(message) }
        }
    }

    deinit { runner.cancel() }

    public func close() async throws { runner.cancel() }

    /// The client configuration a `postgresql://` URL describes.
    static func configuration(_ url: String) throws -> PostgresClient.Configuration {
        let bad = { (reason: String) in RelayError.badDatabaseLocation(Self.redacted(url), reason: reason) }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
              scheme == "postgresql" || scheme == "postgres" else { throw bad("not a postgresql:// URL") }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let user = parts.user.flatMap { $0.removingPercentEncoding } ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        let password = parts.password?.removingPercentEncoding
        var database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = database.removingPercentEncoding ?? database
        let port = parts.port ?? query["port"].flatMap(Int.init) ?? 5432
        if let socketDirectory = query["host"], socketDirectory.hasPrefix("/") {
            return PostgresClient.Configuration(unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: user,
                                                password: password, database: database.isEmpty ? nil : database)
        }
        guard let host = parts.host, !host.isEmpty else { throw bad("it names no host") }
        let tls: PostgresClient.Configuration.TLS
        switch query["sslmode"] ?? "prefer" {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        case let mode: throw bad("sslmode '\(mode)' is none of disable, prefer, require")
        }
        return PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                            database: database.isEmpty ? nil : database, tls: tls)
    }

    /// `url` without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "…"
        return parts.string ?? "postgresql://…"
    }

    /// Runs the migrations not yet recorded, each in its own transaction, under an advisory lock
    /// so relays starting together migrate once.
    private func migrate() async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(4180018)", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS relay_migration (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)", logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM relay_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in RelaySchema.postgreSQL where !applied.contains(migration.name) {
                for statement in Self.statements(migration.sql) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO relay_migration (name, applied_at) VALUES (\(migration.name), \(RelayClock.now()))", logger: logger)
            }
        }
    }

    /// A migration's statements: each ends with a semicolon at the end of a line; `--` comments
    /// are dropped.
    static func statements(_ sql: String) -> [String] {
        var statements: [String] = [], current = ""
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            current += line + "\n"
            if trimmed.hasSuffix(";") {
                statements.append(current)
                current = ""
            }
        }
        if !current.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { statements.append(current) }
        return statements
    }

    public func ping() async throws {
        try await run { _ = try await client.query("SELECT 1", logger: logger) }
    }

    // MARK: - People, libraries, tokens

    public func addUser(_ name: String, quota: RelayQuota, at time: Int64) async throws -> RelayUser {
        try RelayError.check(name: name)
        return try await run {
            let rows = try await client.query("""
                INSERT INTO relay_user (name, created_at, quota_bytes, quota_changes) VALUES (\(name), \(time), \(quota.bytes), \(quota.changes))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) {
                return RelayUser(id: id, name: name, createdAt: time, quota: quota, bytes: 0, changes: 0)
            }
            throw RelayError.userExists(name)
        }
    }

    public func users() async throws -> [RelayUser] {
        try await run {
            var users: [RelayUser] = []
            for try await (id, name, time, quotaBytes, quotaChanges, bytes, changes) in try await client.query("""
                SELECT u.id, u.name, u.created_at, u.quota_bytes, u.quota_changes, \(unescaped: Self.heldBytes),
                       (SELECT coalesce(sum(l.change_count), 0) FROM relay_library l WHERE l.user_id = u.id)::bigint
                FROM relay_user u ORDER BY u.name
                """, logger: logger).decode((Int64, String, Int64, Int64?, Int64?, Int64, Int64).self) {
                users.append(RelayUser(id: id, name: name, createdAt: time, quota: RelayQuota(bytes: quotaBytes, changes: quotaChanges),
                                       bytes: bytes, changes: changes))
            }
            return users
        }
    }

    public func addLibrary(user: String, name: String, replica: ReplicaID, at time: Int64) async throws -> RelayLibrary {
        try RelayError.check(name: name)
        return try await run {
            let userID = try await self.userID(user)
            let rows = try await client.query("""
                INSERT INTO relay_library (user_id, name, replica, created_at) VALUES (\(userID), \(name), \(replica.rawValue), \(time))
                ON CONFLICT (user_id, name) DO NOTHING RETURNING id
                """, logger: logger)
            for try await id in rows.decode(Int64.self) {
                return RelayLibrary(id: id, user: user, name: name, replica: replica, createdAt: time)
            }
            throw RelayError.libraryExists(user: user, library: name)
        }
    }

    public func libraries(user: String) async throws -> [RelayLibrary] {
        try await run {
            let userID = try await self.userID(user)
            var libraries: [RelayLibrary] = []
            for try await (id, name, replica, time) in try await client.query("""
                SELECT id, name, replica, created_at FROM relay_library WHERE user_id = \(userID) ORDER BY name
                """, logger: logger).decode((Int64, String, String, Int64).self) {
                libraries.append(RelayLibrary(id: id, user: user, name: name, replica: try Self.replica(replica), createdAt: time))
            }
            return libraries
        }
    }

    public func addToken(id: String, hash: [UInt8], user: String, library: String, readOnly: Bool, at time: Int64) async throws -> RelayTokenInfo {
        try await run {
            let userID = try await self.userID(user)
            let rows = try await client.query("""
                INSERT INTO relay_token (id, hash, user_id, library_id, read_only, created_at)
                SELECT \(id), \(ByteBuffer(bytes: hash)), \(userID), l.id, \(readOnly), \(time)
                FROM relay_library l WHERE l.user_id = \(userID) AND l.name = \(library)
                RETURNING id
                """, logger: logger)
            for try await _ in rows.decode(String.self) {
                return RelayTokenInfo(id: id, user: user, library: library, readOnly: readOnly, createdAt: time, revokedAt: nil)
            }
            throw RelayError.unknownLibrary(user: user, library: library)
        }
    }

    private static let tokenColumns = """
        SELECT t.id, u.name, l.name, t.read_only, t.created_at, t.revoked_at
        FROM relay_token t JOIN relay_user u ON u.id = t.user_id JOIN relay_library l ON l.id = t.library_id
        """

    public func tokens() async throws -> [RelayTokenInfo] {
        try await run {
            try await self.tokenInfos(PostgresQuery(unsafeSQL: Self.tokenColumns + " ORDER BY t.created_at, t.id"))
        }
    }

    public func revokeToken(id: String, at time: Int64) async throws -> RelayTokenInfo? {
        try await run {
            try await client.query("UPDATE relay_token SET revoked_at = \(time) WHERE id = \(id) AND revoked_at IS NULL", logger: logger)
            var bindings = PostgresBindings()
            bindings.append(id)
            return try await self.tokenInfos(PostgresQuery(unsafeSQL: Self.tokenColumns + " WHERE t.id = $1", binds: bindings)).first
        }
    }

    private func tokenInfos(_ query: PostgresQuery) async throws -> [RelayTokenInfo] {
        var tokens: [RelayTokenInfo] = []
        for try await (id, user, library, readOnly, created, revoked) in try await client.query(query, logger: logger)
            .decode((String, String, String, Bool, Int64, Int64?).self) {
            tokens.append(RelayTokenInfo(id: id, user: user, library: library, readOnly: readOnly, createdAt: created, revokedAt: revoked))
        }
        return tokens
    }

    public func grant(forHash hash: [UInt8]) async throws -> RelayGrant? {
        try await run {
            for try await (id, library, name, replica, readOnly, stored) in try await client.query("""
                SELECT t.id, t.library_id, l.name, l.replica, t.read_only, t.hash
                FROM relay_token t JOIN relay_library l ON l.id = t.library_id
                WHERE t.hash = \(ByteBuffer(bytes: hash)) AND t.revoked_at IS NULL
                """, logger: logger).decode((String, Int64, String, String, Bool, ByteBuffer).self) {
                return RelayGrant(tokenID: id, library: library, libraryName: name, replica: try Self.replica(replica),
                                  readOnly: readOnly, hash: Array(stored.readableBytesView))
            }
            return nil
        }
    }

    // MARK: - Changes

    /// A handful of statements whatever the push's size: the dots it holds that the library
    /// has (compared by SHA-256 of their bytes, so the bytes cross once), one insert of the
    /// rest from arrays, and one update of the vector; two more when the push brings a key the
    /// library has none for.
    public func push(_ changes: [StoredChange], names: [String: String], signers: [String: [UInt8]], to library: Int64,
                     quota: RelayQuota) async throws -> PushOutcome {
        let replicas = changes.map(\.replica), counters = changes.map(\.counter)
        return try await run {
            try await transaction { connection in
                // The owner's row first (their quota spans their libraries), then the library's.
                var own = RelayQuota()
                for try await (bytes, changes) in try await connection.query("""
                    SELECT u.quota_bytes, u.quota_changes FROM relay_user u JOIN relay_library l ON l.user_id = u.id
                    WHERE l.id = \(library) FOR UPDATE OF u
                    """, logger: logger).decode((Int64?, Int64?).self) { own = RelayQuota(bytes: bytes, changes: changes) }
                var last: Int64?
                for try await seq in try await connection.query("SELECT last_seq FROM relay_library WHERE id = \(library) FOR UPDATE",
                                                                logger: logger).decode(Int64.self) { last = seq }
                guard let last else { throw RelayError.database("library \(library) is gone") }
                // A push of changes above everything stored of their replicas (a device sending
                // what it wrote since its last sync: the usual push) holds no dot the relay has,
                // which one index probe per replica shows; only otherwise is each dot looked up.
                var tops: [String: Int64] = [:]
                let pushedReplicas = Array(Set(replicas))
                for try await (replica, top) in try await connection.query("""
                    SELECT r, (SELECT max(counter) FROM relay_change WHERE library_id = \(library) AND replica = r)
                    FROM unnest(\(pushedReplicas)::text[]) AS r
                    """, logger: logger).decode((String, Int64?).self) { tops[replica] = top ?? 0 }
                let mayHold = changes.contains { $0.counter <= tops[$0.replica, default: 0] }
                // Each dot is looked up in the dot index (the lateral `LIMIT 1` keeps PostgreSQL
                // from joining the whole library by hash when its statistics are stale).
                var held = Set<Int>()
                if mayHold {
                    let digests = changes.map { ByteBuffer(bytes: RelayToken.sha256($0.bytes)) }
                    for try await (index, same) in try await connection.query("""
                        SELECT p.i, sha256(c.bytes) = p.digest
                        FROM unnest(\(replicas)::text[], \(counters)::bigint[], \(digests)::bytea[]) WITH ORDINALITY AS p(replica, counter, digest, i)
                        CROSS JOIN LATERAL (
                            SELECT bytes FROM relay_change
                            WHERE library_id = \(library) AND replica = p.replica AND counter = p.counter LIMIT 1) c
                        """, logger: logger).decode((Int64, Bool).self) {
                        let change = changes[Int(index) - 1]
                        guard same || change.sealed else { throw RelayError.rewritten(replica: change.replica, counter: change.counter) }
                        held.insert(Int(index) - 1)
                    }
                }
                // Keys first seen in this push: the first per replica is kept (under the library's
                // lock, so no other push of the library stores one meanwhile), and one another key
                // was kept for refuses the push.
                if !signers.isEmpty {
                    let (signing, keys) = (Array(signers.keys), signers.keys.map { ByteBuffer(bytes: signers[$0] ?? []) })
                    try await connection.query("""
                        INSERT INTO relay_signing_key (library_id, replica, public_key)
                        SELECT \(library), r, k FROM unnest(\(signing)::text[], \(keys)::bytea[]) AS p(r, k)
                        ON CONFLICT DO NOTHING
                        """, logger: logger)
                    for try await replica in try await connection.query("""
                        SELECT s.replica FROM relay_signing_key s JOIN unnest(\(signing)::text[], \(keys)::bytea[]) AS p(r, k) ON s.replica = p.r
                        WHERE s.library_id = \(library) AND s.public_key <> p.k ORDER BY s.replica LIMIT 1
                        """, logger: logger).decode(String.self) {
                        throw RelayError.signedByAnotherKey(replica: replica)
                    }
                }
                let fresh = changes.indices.filter { !held.contains($0) }.map { changes[$0] }
                let freshBytes = Int64(fresh.reduce(0) { $0 + $1.bytes.count })
                let limits = quota.overridden(by: own)
                if !fresh.isEmpty, limits != .unlimited {
                    for try await (bytes, count) in try await connection.query("""
                        SELECT \(unescaped: Self.heldBytes), (SELECT coalesce(sum(l.change_count), 0) FROM relay_library l WHERE l.user_id = u.id)::bigint
                        FROM relay_user u WHERE u.id = (SELECT user_id FROM relay_library WHERE id = \(library))
                        """, logger: logger).decode((Int64, Int64).self) {
                        try limits.check(usedBytes: bytes, usedChanges: count, addingBytes: freshBytes, addingChanges: Int64(fresh.count))
                    }
                }
                if !fresh.isEmpty {
                    try await connection.query("""
                        INSERT INTO relay_change (library_id, seq, replica, counter, size, bytes)
                        SELECT \(library), \(last) + p.i, p.replica, p.counter, length(p.bytes), p.bytes
                        FROM unnest(\(fresh.map(\.replica))::text[], \(fresh.map(\.counter))::bigint[],
                                    \(fresh.map { ByteBuffer(bytes: $0.bytes) })::bytea[]) WITH ORDINALITY AS p(replica, counter, bytes, i)
                        """, logger: logger)
                    try await connection.query("""
                        UPDATE relay_library SET last_seq = \(last + Int64(fresh.count)), byte_count = byte_count + \(freshBytes),
                            change_count = change_count + \(Int64(fresh.count))
                        WHERE id = \(library)
                        """, logger: logger)
                    let touched = Array(Set(fresh.map(\.replica)))
                    try await connection.query("""
                        INSERT INTO relay_vector (library_id, replica, counter) SELECT \(library), r, 0 FROM unnest(\(touched)::text[]) AS r
                        ON CONFLICT DO NOTHING
                        """, logger: logger)
                    // The run of counters right above each entry keeps `counter - row_number()`
                    // equal to the entry; its top is the new entry. Only a replica whose next
                    // counter is now held can advance, so pushes above a gap rescan nothing.
                    try await connection.query("""
                        WITH ready AS MATERIALIZED (
                            SELECT w.replica, w.counter FROM relay_vector w
                            WHERE w.library_id = \(library) AND w.replica = ANY(\(touched)::text[])
                              AND EXISTS (SELECT 1 FROM relay_change n WHERE n.library_id = \(library) AND n.replica = w.replica AND n.counter = w.counter + 1))
                        UPDATE relay_vector v SET counter = s.top FROM (
                            SELECT replica, max(counter) AS top FROM (
                                SELECT c.replica, c.counter, w.counter AS base,
                                       c.counter - row_number() OVER (PARTITION BY c.replica ORDER BY c.counter) AS run
                                FROM ready w CROSS JOIN LATERAL (
                                    SELECT replica, counter FROM relay_change
                                    WHERE library_id = \(library) AND replica = w.replica AND counter > w.counter OFFSET 0) c) r
                            WHERE run = base GROUP BY replica) s
                        WHERE v.library_id = \(library) AND v.replica = s.replica
                        """, logger: logger)
                }
                let named = names.filter { ReplicaID($0.key) != nil }
                if !named.isEmpty {
                    try await connection.query("""
                        INSERT INTO relay_name (library_id, replica, name)
                        SELECT \(library), r, n FROM unnest(\(named.keys.map { $0.lowercased() })::text[], \(named.values.map { String($0.prefix(200)) })::text[]) AS p(r, n)
                        ON CONFLICT (library_id, replica) DO UPDATE SET name = excluded.name
                        """, logger: logger)
                }
                return PushOutcome(applied: fresh.count, duplicates: changes.count - fresh.count)
            }
        }
    }

    public func authorship(of library: Int64, writers: [String], dots: [Dot]) async throws -> StoredAuthorship {
        try await run {
            var found = StoredAuthorship()
            for try await (replica, key) in try await client.query("""
                SELECT replica, public_key FROM relay_signing_key WHERE library_id = \(library) AND replica = ANY(\(writers)::text[])
                """, logger: logger).decode((String, ByteBuffer).self) {
                found.keys[replica] = Array(key.readableBytesView)
            }
            guard !dots.isEmpty else { return found }
            let replicas = dots.map(\.replica.rawValue), counters = dots.map { Int64($0.counter) }
            for try await (replica, counter, bytes) in try await client.query("""
                SELECT p.replica, p.counter, c.bytes
                FROM unnest(\(replicas)::text[], \(counters)::bigint[]) AS p(replica, counter)
                CROSS JOIN LATERAL (
                    SELECT bytes FROM relay_change
                    WHERE library_id = \(library) AND replica = p.replica AND counter = p.counter LIMIT 1) c
                """, logger: logger).decode((String, Int64, ByteBuffer).self) {
                if let id = ReplicaID(replica) { found.held[Dot(replica: id, counter: UInt64(counter))] = Array(bytes.readableBytesView) }
            }
            return found
        }
    }

    public func vector(of library: Int64) async throws -> VersionVector {
        try await run {
            var entries: [ReplicaID: UInt64] = [:]
            for try await (replica, counter) in try await client.query("""
                SELECT replica, counter FROM relay_vector WHERE library_id = \(library) AND counter > 0
                """, logger: logger).decode((String, Int64).self) {
                entries[try Self.replica(replica)] = UInt64(counter)
            }
            return VersionVector(entries)
        }
    }

    public func page(of library: Int64, since: VersionVector, after: Int64, limit: Int, maxBytes: Int) async throws -> StoredPage {
        let sinceJSON = RelayPage.json(since)
        return try await run {
            var start = after
            if after == 0 {
                // The first page starts at the earliest change `since` lacks, found per replica
                // through the dot index.
                var first: Int64?
                for try await seq in try await client.query("""
                    SELECT min(m.seq) FROM relay_vector v CROSS JOIN LATERAL (
                        SELECT min(c.seq) AS seq FROM relay_change c
                        WHERE c.library_id = v.library_id AND c.replica = v.replica
                          AND c.counter > coalesce((\(sinceJSON)::jsonb ->> v.replica)::numeric, 0)) m
                    WHERE v.library_id = \(library)
                    """, logger: logger).decode(Int64?.self) { first = seq }
                guard let first else { return StoredPage(changes: [], next: after, more: false) }
                start = first - 1
            }
            // A library's sequence numbers are dense (each push takes the next ones under the
            // library's lock, and commits them with `last_seq`), so the page reads windows of
            // numbers by the key: however PostgreSQL estimates the vector filter (on a table it
            // has not analysed, it took every later row of the library and sorted them, for every
            // page), no window holds more rows than its width. The first window is a page wide;
            // each one that leaves the page unfilled doubles the next, up to `widestWindow`, so a
            // request whose `since` already holds most of the library (or asks for pages of one)
            // costs a few statements, not one per page width.
            var last: Int64 = 0
            for try await seq in try await client.query("SELECT last_seq FROM relay_library WHERE id = \(library)",
                                                        logger: logger).decode(Int64.self) { last = seq }
            var page = RelayPage(after: after, limit: limit, maxBytes: maxBytes)
            var low = start
            var width = Int64(limit) + 1
            windows: while low < last {
                let high = min(last, low + width)
                for try await (seq, bytes) in try await client.query("""
                    SELECT seq, bytes FROM relay_change
                    WHERE library_id = \(library) AND seq > \(low) AND seq <= \(high)
                      AND counter > coalesce((\(sinceJSON)::jsonb ->> replica)::numeric, 0)
                    ORDER BY seq
                    """, logger: logger).decode((Int64, ByteBuffer).self) {
                    if !page.add(seq: seq, bytes: Array(bytes.readableBytesView)) { break windows }
                }
                low = high
                width = min(width * 2, Self.widestWindow)
            }
            return page.result
        }
    }

    public func names(of library: Int64) async throws -> [String: String] {
        try await run {
            var names: [String: String] = [:]
            for try await (replica, name) in try await client.query("SELECT replica, name FROM relay_name WHERE library_id = \(library)",
                                                                      logger: logger).decode((String, String).self) {
                names[replica] = name
            }
            return names
        }
    }

    // MARK: - Helpers

    private func userID(_ name: String) async throws -> Int64 {
        for try await id in try await client.query("SELECT id FROM relay_user WHERE name = \(name)", logger: logger).decode(Int64.self) {
            return id
        }
        throw RelayError.unknownUser(name)
    }

    private static func replica(_ text: String) throws -> ReplicaID {
        guard let id = ReplicaID(text) else { throw RelayError.database("a library's replica id '\(text.prefix(40))' is damaged") }
        return id
    }

    /// Runs `work` in a transaction on one pooled connection, committing when it returns and
    /// rolling back when it throws, except on a connection the server has ended (a restart, a
    /// terminated backend): the server has rolled back already, and PostgresNIO (1.33) never
    /// answers a query written to a closed connection, so a ROLLBACK there would hang the request
    /// and keep its connection leased for good, as `PostgresClient.withTransaction` does.
    func transaction<T>(_ work: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                let value = try await work(connection)
                try await connection.query("COMMIT", logger: logger)
                return value
            } catch {
                if !Self.endsConnection(error), !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
                throw error
            }
        }
    }

    /// Whether `error` says the connection is gone: closed, or ended by the server (FATAL, as
    /// every connection gets when the server shuts down).
    static func endsConnection(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown: return true
        case .server: return ["FATAL", "PANIC"].contains(error.serverInfo?[.severity] ?? "")
        default: return false
        }
    }

    /// The most sequence numbers one statement of a pull reads (see ``page(of:since:after:limit:maxBytes:)``).
    static let widestWindow: Int64 = 1 << 16

    public var connectionUse: ConnectionUse { gauge.use }

    /// `work` (one call's database work, on one pooled connection), counted in ``connectionUse``,
    /// its failure as a ``RelayError``.
    func run<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await gauge.measure(work)
        } catch {
            throw Self.relayError(error)
        }
    }

    /// What a failure says, as a ``RelayError``: PostgreSQL's own message when it sent one.
    static func relayError(_ error: any Error) -> any Error {
        if error is RelayError || error is CancellationError { return error }
        if let error = error as? PostgresTransactionError {
            // The closure's own error (a rewritten dot) comes first; then why the transaction failed.
            if let inner = error.closureError ?? error.beginError ?? error.commitError { return relayError(inner) }
        }
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return RelayError.database(message) }
            return RelayError.database("\(error.code)")
        }
        return RelayError.database(String(describing: error).prefix(300) + "")
    }
}
