import Foundation
public import GlossCore
import GlossSchema
import GRDB

/// The relay's storage in one SQLite file (WAL mode): the default, for a relay on one machine.
///
/// Several relay processes may share the file on one machine: SQLite serialises their writes,
/// and each write waits up to `busyTimeout` seconds for another's.
public struct SQLiteRelayStorage: RelayStorage {
    let pool: DatabasePool
    public let path: String
    private let gauge: ConnectionGauge

    /// Opens (making it when missing) the database at `path` and brings its schema up to date.
    public init(path: String, busyTimeout: Double = 5) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        // Its readers and its one writer.
        gauge = ConnectionGauge(capacity: configuration.maximumReaderCount + 1)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            var migrator = DatabaseMigrator()
            for migration in RelaySchema.sqlite {
                migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
            }
            try migrator.migrate(pool)
        } catch let error as DatabaseError {
            throw RelayError.badDatabaseLocation(path, reason: error.message ?? "\(error)")
        }
        self.path = path
    }

    public func ping() async throws {
        try await run { try await pool.read { db in _ = try Int.fetchOne(db, sql: "SELECT 1") } }
    }

    public func close() async throws { try pool.close() }

    // MARK: - People, libraries, tokens

    public func addUser(_ name: String, quota: RelayQuota, at time: Int64) async throws -> RelayUser {
        try RelayError.check(name: name)
        return try await run {
            try await pool.write { db in
                if try Int64.fetchOne(db, sql: "SELECT id FROM relay_user WHERE name = ?", arguments: [name]) != nil {
                    throw RelayError.userExists(name)
                }
                try db.execute(sql: "INSERT INTO relay_user (name, created_at, quota_bytes, quota_changes) VALUES (?, ?, ?, ?)",
                               arguments: [name, time, quota.bytes, quota.changes])
                return RelayUser(id: db.lastInsertedRowID, name: name, createdAt: time, quota: quota, bytes: 0, changes: 0)
            }
        }
    }

    public func users() async throws -> [RelayUser] {
        try await run {
            try await pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT u.id, u.name, u.created_at, u.quota_bytes, u.quota_changes,
                           \(Self.heldBytes), (SELECT coalesce(sum(l.change_count), 0) FROM relay_library l WHERE l.user_id = u.id)
                    FROM relay_user u ORDER BY u.name
                    """).map {
                    RelayUser(id: $0[0], name: $0[1], createdAt: $0[2], quota: RelayQuota(bytes: $0[3], changes: $0[4]), bytes: $0[5], changes: $0[6])
                }
            }
        }
    }

    public func addLibrary(user: String, name: String, replica: ReplicaID, at time: Int64) async throws -> RelayLibrary {
        try RelayError.check(name: name)
        return try await run {
            try await pool.write { db in
                let userID = try Self.userID(user, db)
                if try Int64.fetchOne(db, sql: "SELECT id FROM relay_library WHERE user_id = ? AND name = ?", arguments: [userID, name]) != nil {
                    throw RelayError.libraryExists(user: user, library: name)
                }
                try db.execute(sql: "INSERT INTO relay_library (user_id, name, replica, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [userID, name, replica.rawValue, time])
                return RelayLibrary(id: db.lastInsertedRowID, user: user, name: name, replica: replica, createdAt: time)
            }
        }
    }

    public func libraries(user: String) async throws -> [RelayLibrary] {
        try await run {
            try await pool.read { db in
                let userID = try Self.userID(user, db)
                return try Row.fetchAll(db, sql: "SELECT id, name, replica, created_at FROM relay_library WHERE user_id = ? ORDER BY name",
                                        arguments: [userID]).map { row in
                    RelayLibrary(id: row[0], user: user, name: row[1], replica: try Self.replica(row[2]), createdAt: row[3])
                }
            }
        }
    }

    public func addToken(id: String, hash: [UInt8], user: String, library: String, readOnly: Bool, at time: Int64) async throws -> RelayTokenInfo {
        try await run {
            try await pool.write { db in
                let userID = try Self.userID(user, db)
                guard let libraryID = try Int64.fetchOne(db, sql: "SELECT id FROM relay_library WHERE user_id = ? AND name = ?",
                                                         arguments: [userID, library]) else {
                    throw RelayError.unknownLibrary(user: user, library: library)
                }
                try db.execute(sql: "INSERT INTO relay_token (id, hash, user_id, library_id, read_only, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [id, Data(hash), userID, libraryID, readOnly, time])
                return RelayTokenInfo(id: id, user: user, library: library, readOnly: readOnly, createdAt: time, revokedAt: nil)
            }
        }
    }

    private static let tokenColumns = """
        SELECT t.id, u.name, l.name, t.read_only, t.created_at, t.revoked_at
        FROM relay_token t JOIN relay_user u ON u.id = t.user_id JOIN relay_library l ON l.id = t.library_id
        """

    public func tokens() async throws -> [RelayTokenInfo] {
        try await run {
            try await pool.read { db in
                try Row.fetchAll(db, sql: Self.tokenColumns + " ORDER BY t.created_at, t.id").map(Self.tokenInfo)
            }
        }
    }

    public func revokeToken(id: String, at time: Int64) async throws -> RelayTokenInfo? {
        try await run {
            try await pool.write { db in
                try db.execute(sql: "UPDATE relay_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [time, id])
                return try Row.fetchOne(db, sql: Self.tokenColumns + " WHERE t.id = ?", arguments: [id]).map(Self.tokenInfo)
            }
        }
    }

    public func grant(forHash hash: [UInt8]) async throws -> RelayGrant? {
        try await run {
            try await pool.read { db in
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT t.id, t.library_id, l.name, l.replica, t.read_only, t.hash
                    FROM relay_token t JOIN relay_library l ON l.id = t.library_id
                    WHERE t.hash = ? AND t.revoked_at IS NULL
                    """, arguments: [Data(hash)]) else { return nil }
                let stored: Data = row[5]
                return RelayGrant(tokenID: row[0], library: row[1], libraryName: row[2], replica: try Self.replica(row[3]),
                                  readOnly: row[4], hash: Array(stored))
            }
        }
    }

    // MARK: - Changes

    /// Rows per multi-row statement: 3 to 6 parameters each, well inside SQLite's 32,766.
    private static let chunk = 500

    public func push(_ changes: [StoredChange], names: [String: String], signers: [String: [UInt8]], to library: Int64,
                     quota: RelayQuota) async throws -> PushOutcome {
        try await run {
            try await pool.write { db in
                guard let last = try Int64.fetchOne(db, sql: "SELECT last_seq FROM relay_library WHERE id = ?", arguments: [library]) else {
                    throw RelayError.database("library \(library) is gone")
                }
                // Which dots the library holds already, and whether with the same bytes (a
                // sealed change's never differ: see `StoredChange.sealed`).
                var held = Set<Dot>()
                for slice in Self.slices(changes) {
                    let values = Array(repeating: "(?, ?, ?, ?)", count: slice.count).joined(separator: ", ")
                    var arguments = StatementArguments()
                    for change in slice { _ = arguments.append(contentsOf: [change.replica, change.counter, Data(change.bytes), change.sealed]) }
                    _ = arguments.append(contentsOf: [library])
                    let rows = try Row.fetchAll(db, sql: """
                        WITH p(replica, counter, bytes, sealed) AS (VALUES \(values))
                        SELECT p.replica, p.counter, c.bytes = p.bytes OR p.sealed FROM p
                        JOIN relay_change c ON c.library_id = ? AND c.replica = p.replica AND c.counter = p.counter
                        """, arguments: arguments)
                    for row in rows {
                        let replica: String = row[0], counter: Int64 = row[1], same: Bool = row[2]
                        guard same else { throw RelayError.rewritten(replica: replica, counter: counter) }
                        if let id = ReplicaID(replica) { held.insert(Dot(replica: id, counter: UInt64(counter))) }
                    }
                }
                let fresh = changes.filter { change in
                    guard let id = ReplicaID(change.replica) else { return true }
                    return !held.contains(Dot(replica: id, counter: UInt64(change.counter)))
                }
                try Self.keep(signers: signers, library: library, db)
                try Self.checkQuota(library: library, adding: fresh, default: quota, db)
                var seq = last
                for slice in Self.slices(fresh) {
                    let values = Array(repeating: "(?, ?, ?, ?, ?, ?)", count: slice.count).joined(separator: ", ")
                    var arguments = StatementArguments()
                    for change in slice {
                        seq += 1
                        _ = arguments.append(contentsOf: [library, seq, change.replica, change.counter, change.bytes.count, Data(change.bytes)])
                    }
                    try db.execute(sql: "INSERT INTO relay_change (library_id, seq, replica, counter, size, bytes) VALUES \(values)",
                                   arguments: arguments)
                }
                try db.execute(sql: "UPDATE relay_library SET last_seq = ?, byte_count = byte_count + ?, change_count = change_count + ? WHERE id = ?",
                               arguments: [seq, fresh.reduce(0) { $0 + $1.bytes.count }, fresh.count, library])
                try Self.advanceVector(library: library, replicas: Set(fresh.map(\.replica)), db)
                for (replica, name) in names where ReplicaID(replica) != nil {
                    try db.execute(sql: """
                        INSERT INTO relay_name (library_id, replica, name) VALUES (?, ?, ?)
                        ON CONFLICT (library_id, replica) DO UPDATE SET name = excluded.name
                        """, arguments: [library, replica.lowercased(), String(name.prefix(200))])
                }
                return PushOutcome(applied: fresh.count, duplicates: changes.count - fresh.count)
            }
        }
    }

    /// Keeps each replica's key of `signers` unless the library has one for it; refuses the push
    /// when the one it has is another.
    private static func keep(signers: [String: [UInt8]], library: Int64, _ db: Database) throws {
        for (replica, key) in signers.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "INSERT INTO relay_signing_key (library_id, replica, public_key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [library, replica, Data(key)])
            let kept = try Data.fetchOne(db, sql: "SELECT public_key FROM relay_signing_key WHERE library_id = ? AND replica = ?",
                                         arguments: [library, replica])
            guard kept.map(Array.init) == key else { throw RelayError.signedByAnotherKey(replica: replica) }
        }
    }

    public func authorship(of library: Int64, writers: [String], dots: [Dot]) async throws -> StoredAuthorship {
        try await run {
            try await pool.read { db in
                var found = StoredAuthorship()
                for slice in Self.slices(writers) {
                    let marks = Array(repeating: "?", count: slice.count).joined(separator: ", ")
                    for row in try Row.fetchAll(db, sql: "SELECT replica, public_key FROM relay_signing_key WHERE library_id = ? AND replica IN (\(marks))",
                                                arguments: StatementArguments([library as any DatabaseValueConvertible] + slice.map { $0 as any DatabaseValueConvertible })) {
                        let key: Data = row[1]
                        found.keys[row[0]] = Array(key)
                    }
                }
                for slice in Self.slices(dots) {
                    let values = Array(repeating: "(?, ?)", count: slice.count).joined(separator: ", ")
                    var arguments = StatementArguments()
                    for dot in slice { _ = arguments.append(contentsOf: [dot.replica.rawValue, Int64(dot.counter)]) }
                    _ = arguments.append(contentsOf: [library])
                    for row in try Row.fetchAll(db, sql: """
                        WITH p(replica, counter) AS (VALUES \(values))
                        SELECT p.replica, p.counter, c.bytes FROM p
                        JOIN relay_change c ON c.library_id = ? AND c.replica = p.replica AND c.counter = p.counter
                        """, arguments: arguments) {
                        let replica: String = row[0], counter: Int64 = row[1], bytes: Data = row[2]
                        if let id = ReplicaID(replica) { found.held[Dot(replica: id, counter: UInt64(counter))] = Array(bytes) }
                    }
                }
                return found
            }
        }
    }

    /// Refuses `fresh` when it would take the library's owner past their quota.
    private static func checkQuota(library: Int64, adding fresh: [StoredChange], default quota: RelayQuota, _ db: Database) throws {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT u.quota_bytes, u.quota_changes, \(heldBytes),
                   (SELECT coalesce(sum(l.change_count), 0) FROM relay_library l WHERE l.user_id = u.id)
            FROM relay_library o JOIN relay_user u ON u.id = o.user_id WHERE o.id = ?
            """, arguments: [library]) else { return }
        try quota.overridden(by: RelayQuota(bytes: row[0], changes: row[1]))
            .check(usedBytes: row[2], usedChanges: row[3], addingBytes: Int64(fresh.reduce(0) { $0 + $1.bytes.count }),
                   addingChanges: Int64(fresh.count))
    }

    /// Raises each of `replicas`' entries in the library's vector to the top of the run of
    /// counters it holds without a gap.
    private static func advanceVector(library: Int64, replicas: Set<String>, _ db: Database) throws {
        for slice in slices(Array(replicas)) {
            let marks = Array(repeating: "?", count: slice.count).joined(separator: ", ")
            var arguments: StatementArguments = []
            for replica in slice { _ = arguments.append(contentsOf: [library, replica]) }
            try db.execute(sql: "INSERT INTO relay_vector (library_id, replica, counter) VALUES \(Array(repeating: "(?, ?, 0)", count: slice.count).joined(separator: ", ")) ON CONFLICT DO NOTHING",
                           arguments: arguments)
            // Counters above an entry, numbered in order: those of the run starting right above it
            // keep `counter - row_number()` equal to the entry, and the run's top is the new entry.
            // Only a replica whose next counter is now held can advance, so a replica pushing above
            // a gap does not rescan its counters past the gap on every push.
            try db.execute(sql: """
                UPDATE relay_vector SET counter = s.top FROM (
                    SELECT replica, max(counter) AS top FROM (
                        SELECT c.replica, c.counter, v.counter AS base,
                               c.counter - row_number() OVER (PARTITION BY c.replica ORDER BY c.counter) AS run
                        FROM relay_change c JOIN relay_vector v ON v.library_id = c.library_id AND v.replica = c.replica
                        WHERE c.library_id = ? AND c.replica IN (\(marks)) AND c.counter > v.counter
                          AND EXISTS (SELECT 1 FROM relay_change n WHERE n.library_id = v.library_id AND n.replica = v.replica AND n.counter = v.counter + 1))
                    WHERE run = base GROUP BY replica) AS s
                WHERE relay_vector.library_id = ? AND relay_vector.replica = s.replica
                """, arguments: StatementArguments([library as any DatabaseValueConvertible] + slice.map { $0 as any DatabaseValueConvertible } + [library]))
        }
    }

    public func vector(of library: Int64) async throws -> VersionVector {
        try await run {
            try await pool.read { db in
                var entries: [ReplicaID: UInt64] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT replica, counter FROM relay_vector WHERE library_id = ? AND counter > 0",
                                            arguments: [library]) {
                    let counter: Int64 = row[1]
                    entries[try Self.replica(row[0])] = UInt64(counter)
                }
                return VersionVector(entries)
            }
        }
    }

    public func page(of library: Int64, since: VersionVector, after: Int64, limit: Int, maxBytes: Int) async throws -> StoredPage {
        let sinceJSON = RelayPage.json(since)
        return try await run {
            try await pool.read { db in
                var start = after
                if after == 0 {
                    // The first page starts at the earliest change `since` lacks, found through the
                    // dot index, so a replica that lacks only the newest changes reads only those.
                    start = Int64.max
                    for row in try Row.fetchAll(db, sql: "SELECT replica FROM relay_vector WHERE library_id = ?", arguments: [library]) {
                        let replica: String = row[0]
                        let counter = ReplicaID(replica).map { Int64(clamping: since[$0]) } ?? 0
                        if let first = try Int64.fetchOne(db, sql: "SELECT min(seq) FROM relay_change WHERE library_id = ? AND replica = ? AND counter > ?",
                                                          arguments: [library, replica, counter]) {
                            start = min(start, first - 1)
                        }
                    }
                    if start == Int64.max { return StoredPage(changes: [], next: after, more: false) }
                }
                let cursor = try Row.fetchCursor(db, sql: """
                    SELECT seq, bytes FROM relay_change
                    WHERE library_id = ? AND seq > ? AND counter > coalesce(json_extract(?, '$.' || replica), 0)
                    ORDER BY seq LIMIT ?
                    """, arguments: [library, start, sinceJSON, limit + 1])
                var page = RelayPage(after: after, limit: limit, maxBytes: maxBytes)
                while let row = try cursor.next() {
                    let bytes: Data = row[1]
                    if !page.add(seq: row[0], bytes: Array(bytes)) { break }
                }
                return page.result
            }
        }
    }

    public func names(of library: Int64) async throws -> [String: String] {
        try await run {
            try await pool.read { db in
                Dictionary(try Row.fetchAll(db, sql: "SELECT replica, name FROM relay_name WHERE library_id = ?", arguments: [library])
                    .map { ($0[0], $0[1]) }, uniquingKeysWith: { a, _ in a })
            }
        }
    }

    // MARK: - Helpers

    private static func slices<T>(_ items: [T]) -> [ArraySlice<T>] {
        stride(from: 0, to: items.count, by: chunk).map { items[$0..<min(items.count, $0 + chunk)] }
    }

    private static func userID(_ name: String, _ db: Database) throws -> Int64 {
        guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM relay_user WHERE name = ?", arguments: [name]) else {
            throw RelayError.unknownUser(name)
        }
        return id
    }

    private static func replica(_ text: String) throws -> ReplicaID {
        guard let id = ReplicaID(text) else { throw RelayError.database("a library's replica id '\(text.prefix(40))' is damaged") }
        return id
    }

    private static func tokenInfo(_ row: Row) -> RelayTokenInfo {
        RelayTokenInfo(id: row[0], user: row[1], library: row[2], readOnly: row[3], createdAt: row[4], revokedAt: row[5])
    }

    /// Runs `work`, turning database failures into ``RelayError/database(_:)`` (busy ones too:
    /// the server answers those with 503).
    public var connectionUse: ConnectionUse { gauge.use }

    /// `work` (one call's database work), counted in ``connectionUse``, its failure as a
    /// ``RelayError``.
    func run<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await gauge.measure(work)
        } catch let error as RelayError {
            throw error
        } catch let error as DatabaseError {
            throw RelayError.database(error.message ?? "\(error)")
        }
    }
}
