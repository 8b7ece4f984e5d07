import Crypto
import Foundation
import GRDB

/// Authorship: every replica signs the changes it wrote, and every store checks a replica's
/// signature before it takes that replica's changes (``BatchSignature``).
///
/// A replica signs lazily, when its changes are first handed to a peer (``signOwnChanges()``),
/// in batches of consecutive counters of at most ``BatchSignature/maxLength`` changes and about
/// ``batchBytes`` of their bytes, so a write pays nothing and a sync one signature per batch. The
/// private key lives in `store_meta` (private: never replicated, never in a snapshot), named by
/// the replica id. A store made since replicas sign makes its key with its identity and takes
/// the id made from it (``ReplicaID/init(signingKey:)``); a copied store that takes a fresh id
/// takes a fresh key. A store made before keeps its random id and makes its key at its first
/// sync (others trust that key on first use).
extension Store {
    /// Roughly the most bytes of changes one batch covers: a page or bundle never cuts a batch,
    /// so a batch must fit well inside one (`WireLimits.pageBytes`, 4 MiB). A single larger
    /// change is a batch of its own.
    public static let batchBytes = 1 << 20

    /// Signs every change this replica wrote that no batch covers yet, and makes this replica's
    /// key on first use. Returns how many batches it signed. `batchLength` (at most
    /// ``BatchSignature/maxLength``) bounds a batch's changes.
    ///
    /// Pages and bundles carry only signed changes of this replica; `changePage` calls this first.
    @discardableResult
    public func signOwnChanges(batchLength: UInt64 = BatchSignature.maxLength) throws -> Int {
        let own = replicaID
        // Nothing to do is the usual case: find out without the write lock.
        let pending = try writer.read { db -> Bool in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT r.contiguous AS contiguous, r.public_key IS NULL AS keyless,
                       (SELECT coalesce(max(last), 0) FROM change_batch b WHERE b.replica_idx = r.idx) AS signed
                FROM replica r WHERE r.id = ?
                """, arguments: [own.rawValue]) else { return true }
            return (row["keyless"] as Bool) || (row["contiguous"] as Int64) > (row["signed"] as Int64)
        }
        guard pending else { return 0 }
        let length = min(max(1, batchLength), BatchSignature.maxLength)
        return try writer.write { db in try Self.signOwnChanges(db, replica: own, batchLength: length) }
    }

    /// `signOwnChanges()` inside `db`'s write transaction.
    static func signOwnChanges(_ db: Database, replica own: ReplicaID, batchLength: UInt64) throws -> Int {
        let idx = try WriteBatch().index(of: own, db)
        let key = try signingKey(db, replica: own, idx: idx)
        let contiguous = try db.int("SELECT contiguous FROM replica WHERE idx = ?", { $0.bind(idx) }) ?? 0
        var next = (try db.int("SELECT coalesce(max(last), 0) FROM change_batch WHERE replica_idx = ?", { $0.bind(idx) }) ?? 0) + 1
        var signed = 0
        while next <= contiguous {
            var changes: [Change] = []
            var bytes = 0
            try db.rows("""
                SELECT counter, hlc, entity_type, entity_id, ops FROM change
                WHERE replica_idx = ? AND counter >= ? AND counter <= ? ORDER BY counter
                """, {
                    $0.bind(idx)
                    $0.bind(next)
                    $0.bind(min(contiguous, next + Int64(batchLength) - 1))
                }) { row in
                let change = try Store.change(row, replica: own, from: 0)
                // The counters of a contiguous entry are all held; a hole means a damaged log.
                guard change.dot.counter == UInt64(next) + UInt64(changes.count) else { throw GlossError.invalidChange(.unreadableLogRow) }
                changes.append(change)
                bytes += BinaryCoding.canonical(change).count
                return bytes < batchBytes
            }
            guard let last = changes.last?.dot.counter else { throw GlossError.invalidChange(.unreadableLogRow) }
            let signature = try BatchSignature.sign(replica: own, first: UInt64(next), last: last, changes: changes, with: key)
            try db.write("INSERT INTO change_batch(replica_idx, last, first, signature) VALUES (?, ?, ?, ?)") {
                $0.bind(idx)
                $0.bind(Int64(last))
                $0.bind(next)
                $0.bind(signature.signature)
            }
            signed += 1
            next = Int64(last) + 1
        }
        return signed
    }

    /// Signs a snapshot header's digest (``SnapshotSignature``) with this replica's key, making
    /// the key on first use; nil when this replica's id is not made from its key (a replica from
    /// before signatures), since then no reader could tell the signer from the file alone.
    public func signSnapshot(headerDigest: [UInt8]) throws -> (publicKey: [UInt8], signature: [UInt8])? {
        let own = replicaID
        guard own.isKeyDerived else { return nil }
        let key = try writer.write { db in try Self.signingKey(db, replica: own, idx: try WriteBatch().index(of: own, db)) }
        return (Array(key.publicKey.rawRepresentation), Array(try key.signature(for: SnapshotSignature.message(headerDigest: headerDigest))))
    }

    /// This replica's private signing key, made (and its public half recorded as this replica's
    /// key) on first use.
    /// - Throws: `GlossError.signingKeyMismatch` when the store holds another key for this replica
    ///   than its own: its key was lost or replaced, and what it signs now others would refuse.
    static func signingKey(_ db: Database, replica own: ReplicaID, idx: Int64) throws -> Curve25519.Signing.PrivateKey {
        let name = "signing_key:" + own.rawValue
        let recorded = try Data.fetchOne(db, sql: "SELECT public_key FROM replica WHERE idx = ?", arguments: [idx]).map(Array.init)
        if let stored = try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = ?", arguments: [name]),
           let raw = Data(base64Encoded: stored), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) {
            if recorded == nil {
                try db.execute(sql: "UPDATE replica SET public_key = ? WHERE idx = ?", arguments: [Data(key.publicKey.rawRepresentation), idx])
            } else if recorded != Array(key.publicKey.rawRepresentation) {
                throw GlossError.signingKeyMismatch(replica: own)
            }
            return key
        }
        // An id made from a key names that key alone; without it, nothing this store signs
        // would be taken anywhere.
        guard recorded == nil, !own.isKeyDerived else { throw GlossError.signingKeyMismatch(replica: own) }
        let key = Curve25519.Signing.PrivateKey()
        try db.execute(sql: "INSERT OR REPLACE INTO store_meta(key, value) VALUES (?, ?)",
                       arguments: [name, key.rawRepresentation.base64EncodedString()])
        try db.execute(sql: "UPDATE replica SET public_key = ? WHERE idx = ?", arguments: [Data(key.publicKey.rawRepresentation), idx])
        return key
    }

    /// The key this store trusts for `replica`'s signatures (its own, for this replica), or nil
    /// when it has seen no signed batch of that replica's.
    public func publicKey(of replica: ReplicaID) throws -> [UInt8]? {
        try writer.read { db in
            try Data.fetchOne(db, sql: "SELECT public_key FROM replica WHERE id = ?", arguments: [replica.rawValue]).map(Array.init)
        }
    }

    // MARK: - Checking what arrives

    /// Checks that every change of `changes` this store will take is signed by its writer
    /// (``Authorship``), with the keys it trusts and the changes it holds, inside `apply`'s
    /// transaction; then records the keys learned and the batches checked.
    /// - Throws: `GlossError.invalidChange` naming the first change that fails.
    static func checkAuthorship(_ db: Database, _ changes: [Change], batch: WriteBatch) throws {
        let lookups = try Authorship.lookups(for: changes)
        var trusted: [ReplicaID: [UInt8]] = [:]
        var indices: [ReplicaID: Int64] = [:]
        for replica in lookups.writers {
            let idx = try batch.index(of: replica, db)
            indices[replica] = idx
            if let key = try Data.fetchOne(db, sql: "SELECT public_key FROM replica WHERE idx = ?", arguments: [idx]) {
                trusted[replica] = Array(key)
            }
        }
        var held: [Dot: Change] = [:]
        for (replica, counters) in lookups.members {
            for change in try heldChanges(db, replica: replica, idx: try batch.index(of: replica, db), counters: counters) {
                held[change.dot] = change
            }
        }
        // For an unsigned change only whether the store holds its dot matters: held with other
        // content, integrating it refuses it as rewritten.
        let arrived = Dictionary(changes.map { ($0.dot, $0) }, uniquingKeysWith: { first, _ in first })
        for dot in lookups.unsigned where try holds(db, dot) { held[dot] = arrived[dot] }
        let verified = try Authorship.check(changes, trusted: trusted, held: held)
        for (replica, key) in verified.learned {
            try db.execute(sql: "UPDATE replica SET public_key = ? WHERE id = ?", arguments: [Data(key), replica.rawValue])
        }
        for (replica, last, signature) in verified.batches {
            guard let idx = indices[replica] else { continue }
            try db.write("INSERT OR IGNORE INTO change_batch(replica_idx, last, first, signature) VALUES (?, ?, ?, ?)") {
                $0.bind(idx)
                $0.bind(Int64(last))
                $0.bind(Int64(signature.first))
                $0.bind(signature.signature)
            }
        }
    }

    /// Splits `changes` (one page of a pull, in order) into those that can be checked now and
    /// those that wait for the rest of their batch: the changes of a signed batch some of whose
    /// changes neither arrived nor are held, and unsigned changes that no signed batch among
    /// them covers and that are not held. A peer that pages without regard to batches (a relay,
    /// which cannot read sealed changes) cuts a batch at a page's end, and a sealed change that
    /// does not open leaves a hole in its batch; the waiting changes go with the next page, and
    /// those still waiting at the end are left out, never taken unchecked.
    public func awaitingSignature(_ changes: [Change]) throws -> (ready: [Change], waiting: [Change]) {
        let lookups = try Authorship.lookups(for: changes)
        guard !lookups.unsigned.isEmpty || !lookups.members.isEmpty else { return (changes, []) }
        let index = try Authorship.Index(changes)
        let (unheld, incomplete): (Set<Dot>, [ReplicaID: [ClosedRange<UInt64>]]) = try writer.read { db in
            func held(_ dot: Dot) throws -> Bool { try Store.holds(db, dot) }
            var unheld = Set<Dot>()
            for dot in lookups.unsigned where try !held(dot) { unheld.insert(dot) }
            var incomplete: [ReplicaID: [ClosedRange<UInt64>]] = [:]
            for (replica, counters) in lookups.members {
                let missing = try Set(counters.filter { try !held(Dot(replica: replica, counter: $0)) })
                guard !missing.isEmpty else { continue }
                for batch in index.batches[replica] ?? [] where missing.contains(where: { (batch.first...batch.last).contains($0) }) {
                    incomplete[replica, default: []].append(batch.first...batch.last)
                }
            }
            return (unheld, incomplete)
        }
        guard !unheld.isEmpty || !incomplete.isEmpty else { return (changes, []) }
        var ready: [Change] = [], waiting: [Change] = []
        for change in changes {
            let cut = incomplete[change.dot.replica]?.contains { $0.contains(change.dot.counter) } ?? false
            if cut || unheld.contains(change.dot) { waiting.append(change) } else { ready.append(change) }
        }
        return (ready, waiting)
    }

    /// Whether the log holds a change under `dot`.
    static func holds(_ db: Database, _ dot: Dot) throws -> Bool {
        try Int.fetchOne(db, sql: """
            SELECT 1 FROM change JOIN replica ON replica.idx = change.replica_idx
            WHERE replica.id = ? AND change.counter = ?
            """, arguments: [dot.replica.rawValue, Int64(bitPattern: dot.counter)]) != nil
    }

    /// The changes of `replica` at `counters` that the log holds.
    private static func heldChanges(_ db: Database, replica: ReplicaID, idx: Int64, counters: [UInt64]) throws -> [Change] {
        var held: [Change] = []
        guard let low = counters.min(), let high = counters.max() else { return [] }
        let wanted = Set(counters)
        try db.forEachRow("""
            SELECT counter, hlc, entity_type, entity_id, ops FROM change
            WHERE replica_idx = ? AND counter >= ? AND counter <= ?
            """, {
                $0.bind(idx)
                $0.bind(Int64(low))
                $0.bind(Int64(high))
            }) { row in
            let change = try Store.change(row, replica: replica, from: 0)
            if wanted.contains(change.dot.counter) { held.append(change) }
        }
        return held
    }
}

extension Array where Element == Change {
    /// The index nearest `limit` from below (or, when there is none, from above) at which these
    /// changes can be cut without splitting a signed batch: no batch whose signature is among
    /// them has changes on both sides. A batch is its writer's counters from its signature's
    /// `first` through the change carrying it, in whatever order they stand here. Returns
    /// `count` when no cut is possible.
    public func batchSafeCut(atMost limit: Int) -> Int {
        guard limit > 0, limit < count else { return count }
        // Malformed signatures are refused on arrival; here they count as none.
        guard let index = try? Authorship.Index(self), !index.batches.isEmpty else { return limit }
        // Per batch (its writer and last counter), the first and last index of its changes here.
        var spans: [Dot: (low: Int, high: Int)] = [:]
        for (i, change) in enumerated() {
            guard let batch = index.covers(change.dot) else { continue }
            let key = Dot(replica: change.dot.replica, counter: batch.last)
            if let span = spans[key] {
                spans[key] = (Swift.min(span.low, i), Swift.max(span.high, i))
            } else {
                spans[key] = (i, i)
            }
        }
        // A cut at c (before index c) splits a batch when low < c <= high.
        var delta = [Int](repeating: 0, count: count + 2)
        for span in spans.values where span.low < span.high {
            delta[span.low + 1] += 1
            delta[span.high + 1] -= 1
        }
        var safe = [Bool](repeating: true, count: count + 1)
        var running = 0
        for c in 0...count {
            running += delta[c]
            safe[c] = running == 0
        }
        if let below = (1...limit).reversed().first(where: { safe[$0] }) { return below }
        return (limit...count).first(where: { safe[$0] }) ?? count
    }
}
