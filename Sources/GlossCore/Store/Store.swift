import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif
package import GRDB
import GlossSchema

/// A Gloss store: one SQLite file holding a replica's articles, annotations and change log.
///
/// Every public mutation runs in one transaction that records the change and the state it
/// produces together. The two calls sync needs are `changes(since:)` and `apply(_:)`.
public struct Store: Sendable {
    /// The database file.
    public let path: String
    /// This replica's identity: every local change is stamped with it.
    public let replicaID: ReplicaID
    /// Set when this file turned out to be a copy of another store: the replica id it was
    /// copied from. The copy has been given a fresh id, so the two never write as one replica.
    public let copiedFrom: ReplicaID?
    let writer: any DatabaseWriter
    let environment: StoreEnvironment

    /// Opens the store at `path` (a database file), creating and migrating it as needed.
    ///
    /// With `concurrentReads` (a server's case) reads run beside a write on connections of their
    /// own. Without it the store has one connection, for a process that does one thing at a
    /// time, as a `gloss` command does: it opens faster, because a pool of connections makes
    /// sure the log file is not empty by writing to it (GRDB's set-up), and a cleanly closed
    /// store has an empty log, so every command paid a write and a flush to disk before it
    /// read anything.
    ///
    /// A write waits up to `busyTimeout` seconds for another process's write to end, then fails
    /// with an error ``Store/isBusy(_:)`` recognises: a command waits the default 10 s, a server
    /// less, so that it answers "busy, try again" while the client still waits.
    ///
    /// `upgrading` is told the migrations about to run on a store made by an earlier version (not
    /// on a new one), before they run: some rebuild a table or the search index, which takes
    /// seconds on a large library, and a command should say why it pauses.
    /// - Throws: `GlossError.notAGlossStore` for any other file, which is left untouched.
    public init(path: String, environment: StoreEnvironment = .live, concurrentReads: Bool = true,
                busyTimeout: Double = 10, upgrading: (([String]) -> Void)? = nil) throws {
        self.path = path
        self.environment = environment
        Store.createPrivately(at: path)
        try Store.refuseForeignFile(at: path)
        do {
            var configuration = Store.configuration
            configuration.busyMode = .timeout(busyTimeout)
            if concurrentReads {
                writer = try DatabasePool(path: path, configuration: configuration)
            } else {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                // A pool sets this up itself; it is kept in the file, so this reads it back.
                try queue.writeWithoutTransaction { db in
                    guard try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") == "wal" else {
                        throw DatabaseError(message: "SQLite would not give it a write-ahead log (is it on a network share? keep the store on a local disk)")
                    }
                }
                writer = queue
            }
            if let upgrading {
                let applied = try writer.read { db in try Store.migrator.appliedIdentifiers(db) }
                let pending = GlossSchema.migrations.map(\.name).filter { !applied.contains($0) }
                if !applied.isEmpty, !pending.isEmpty { upgrading(pending) }
            }
            try Store.migrator.migrate(writer)
            let identity = environment.fileIdentity(path)
            (replicaID, copiedFrom) = try writer.write { db in
                try Store.ensureIdentity(db, environment: environment, fileIdentity: identity, path: path)
            }
        } catch let error as DatabaseError {
            throw GlossError(opening: path, error)
        }
    }

    /// The settings of every connection to a store; the benchmark's floors open their files
    /// with them too. A busy store is waited for up to 10 seconds, then:
    ///
    /// - A 64 MiB page cache (taken as needed): with SQLite's default 2 MiB, a sync of 100,000
    ///   changes spilled and re-read pages mid-transaction, and each change got slower as the
    ///   store grew.
    /// - Checkpoints every 64 MiB of log rather than SQLite's 4 MiB: a page written again before
    ///   the checkpoint is copied into the database once, and long writes (a sync, an import)
    ///   checkpoint 16 times less often. After a checkpoint the log file is cut back to that size.
    package static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            try db.execute(sql: """
                PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536;
                PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864
                """)
        }
        return configuration
    }

    /// True when `error` says a write waited its whole busy timeout for another connection's
    /// write (SQLite's BUSY or LOCKED): nothing was changed, and the same write can be tried again.
    public static func isBusy(_ error: any Error) -> Bool {
        guard let error = error as? DatabaseError else { return false }
        return error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }

    /// The application id the v1 migration writes into the SQLite header ('GLSS').
    static let applicationID: Int32 = 1_196_182_355

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in GlossSchema.migrations {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    /// Creates a store's database file, if there is none, readable and writable by its owner
    /// alone (0600): it holds a person's notes and the tokens of the servers they sync with.
    /// SQLite gives the log and shared-memory files the database file's mode, so they follow.
    /// An existing file keeps its mode; when creating fails, SQLite's own open reports why.
    private static func createPrivately(at path: String) {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    /// Opens an existing file read-only first: a file that is not SQLite, or a SQLite database of
    /// another application, is reported without a byte of it being changed.
    private static func refuseForeignFile(at path: String) throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard let size = attributes?[.size] as? Int, size > 0 else { return }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let probe = try DatabaseQueue(path: path, configuration: configuration)
            let (applicationID, tables) = try probe.read { db in
                (try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0)
            }
            try probe.close()
            if applicationID != Store.applicationID && tables > 0 {
                throw GlossError.notAGlossStore(path: path)
            }
        } catch let error as DatabaseError {
            throw GlossError(opening: path, error)
        }
    }

    /// Reads this store's replica id, making one on first open, and a fresh one when the file is
    /// a copy (its recorded identity is another file's): two files writing as one replica would
    /// reuse dots and corrupt causality. Returns the id and, for a copy, the original's.
    private static func ensureIdentity(_ db: Database, environment: StoreEnvironment,
                                       fileIdentity: String?, path: String) throws -> (ReplicaID, ReplicaID?) {
        let meta = { (key: String) in try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = ?", arguments: [key]) }
        let setMeta = { (key: String, value: String) in
            try db.execute(sql: "INSERT OR REPLACE INTO store_meta(key, value) VALUES (?, ?)", arguments: [key, value])
        }
        let recorded = try meta("file_identity")
        if let fileIdentity, recorded != fileIdentity { try setMeta("file_identity", fileIdentity) }
        // A new identity: a signing key, and the id made from it (ReplicaID(signingKey:)).
        func mint(name: String?) throws -> ReplicaID {
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: environment.randomBytes(32))
            let id = ReplicaID(signingKey: Array(key.publicKey.rawRepresentation))
            try setMeta("signing_key:" + id.rawValue, key.rawRepresentation.base64EncodedString())
            try setMeta("replica_id", id.rawValue)
            try db.execute(sql: "INSERT INTO replica(id, name, public_key) VALUES (?, ?, ?)",
                           arguments: [id.rawValue, name, Data(key.publicKey.rawRepresentation)])
            return id
        }
        if let raw = try meta("replica_id"), let id = ReplicaID(raw) {
            let copied = recorded != nil && fileIdentity != nil && recorded != fileIdentity
            // A random id from before replicas signed that happens to look made from a key
            // cannot get a key to match it: it takes a fresh identity, as a copy does.
            let unkeyable = try id.isKeyDerived && meta("signing_key:" + id.rawValue) == nil
            guard copied || unkeyable else { return (id, nil) }
            let name = try String.fetchOne(db, sql: "SELECT name FROM replica WHERE id = ?", arguments: [id.rawValue])
            return (try mint(name: name), id)
        }
        try setMeta("hlc", "0")
        return (try mint(name: defaultReplicaName(host: environment.hostName(), path: path)), nil)
    }

    /// The name a new replica goes by until it is given one: the host, a colon, and the store's
    /// name, so two stores on one machine are told apart in conflicts ("vm:gloss" for
    /// `~/.local/share/gloss/gloss.sqlite`, "vm:laptop" for `/tmp/demo/laptop.sqlite`). The store's
    /// name is its folder's when the file has the default name `gloss.sqlite`, else the file's
    /// without its extension. At most 64 characters, as every replica name.
    public static func defaultReplicaName(host: String, path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let file = url.deletingPathExtension().lastPathComponent
        let folder = url.deletingLastPathComponent().lastPathComponent
        let store = url.lastPathComponent == "gloss.sqlite" && !folder.isEmpty && folder != "/" ? folder : file
        let host = host.isEmpty ? "replica" : host
        return String((store.isEmpty ? host : host + ":" + store).prefix(64))
    }

    /// Folds the write-ahead log into the database file and closes it, so the `.sqlite` file alone
    /// holds everything (what a person copies or backs up); a store opened read-only is left as
    /// it is. The value must not be used afterwards.
    public func close() throws {
        try writer.writeWithoutTransaction { db in
            if !Store.isReadOnly(db) { _ = try Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        try writer.close()
    }
}

extension GlossError {
    /// What SQLite's `error` says about the store file at `path`: not a Gloss store, damaged, or
    /// unreadable for another reason.
    init(opening path: String, _ error: DatabaseError) {
        switch error.resultCode {
        case .SQLITE_NOTADB: self = .notAGlossStore(path: path)
        case .SQLITE_CORRUPT: self = .storeDamaged(path: path)
        default: self = .storeUnreadable(path: path, reason: error.message ?? "\(error)")
        }
    }

    /// The store error that `error`, thrown while using the store at `path`, stands for: damage
    /// SQLite finds in a page it reads only now, long after the store was opened. Nil for any
    /// other error.
    public static func damage(in error: any Error, storeAt path: String) -> GlossError? {
        guard let error = error as? DatabaseError, [.SQLITE_CORRUPT, .SQLITE_NOTADB].contains(error.resultCode) else { return nil }
        return GlossError(opening: path, error)
    }
}
