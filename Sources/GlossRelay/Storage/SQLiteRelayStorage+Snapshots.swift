import Foundation
import GRDB

extension SQLiteRelayStorage {
    public func beginSnapshot(in library: Int64, header: String, changes: Int64, at time: Int64, abandonedBefore: Int64,
                              atOnce: Int) async throws -> Int64 {
        try await run {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM relay_snapshot WHERE library_id = ? AND sha256 IS NULL AND created_at < ?",
                               arguments: [library, abandonedBefore])
                let underWay = try Int.fetchOne(db, sql: "SELECT count(*) FROM relay_snapshot WHERE library_id = ? AND sha256 IS NULL",
                                                arguments: [library]) ?? 0
                guard underWay < atOnce else { throw RelayError.snapshotUploadsUnderWay(limit: atOnce) }
                try db.execute(sql: "INSERT INTO relay_snapshot (library_id, header, changes, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [library, header, changes, time])
                return db.lastInsertedRowID
            }
        }
    }

    public func appendSnapshotChunk(_ bytes: [UInt8], index: Int, to snapshot: Int64) async throws {
        try await run {
            try await pool.write { db in
                try db.execute(sql: "INSERT INTO relay_snapshot_chunk (snapshot_id, idx, bytes) VALUES (?, ?, ?)",
                               arguments: [snapshot, index, Data(bytes)])
            }
        }
    }

    public func finishSnapshot(_ snapshot: Int64, in library: Int64, bytes: Int64, sha256: [UInt8], keep: Int, abandonedBefore: Int64,
                               quota: RelayQuota) async throws {
        try await run {
            try await pool.write { db in
                try db.execute(sql: "UPDATE relay_snapshot SET bytes = ?, sha256 = ? WHERE id = ? AND library_id = ?",
                               arguments: [bytes, Data(sha256), snapshot, library])
                try db.execute(sql: """
                    DELETE FROM relay_snapshot WHERE library_id = ? AND sha256 IS NOT NULL AND id NOT IN
                        (SELECT id FROM relay_snapshot WHERE library_id = ? AND sha256 IS NOT NULL ORDER BY id DESC LIMIT ?)
                    """, arguments: [library, library, max(1, keep)])
                try db.execute(sql: "DELETE FROM relay_snapshot WHERE library_id = ? AND sha256 IS NULL AND created_at < ?",
                               arguments: [library, abandonedBefore])
                if let row = try Row.fetchOne(db, sql: """
                    SELECT u.quota_bytes, \(Self.heldBytes) FROM relay_library o JOIN relay_user u ON u.id = o.user_id WHERE o.id = ?
                    """, arguments: [library]) {
                    try quota.overridden(by: RelayQuota(bytes: row[0])).checkSnapshot(holding: row[1])
                }
            }
        }
    }

    /// SQL for the bytes user `u` holds: their libraries' changes and kept snapshots.
    static let heldBytes = """
        (SELECT coalesce(sum(l.byte_count), 0) FROM relay_library l WHERE l.user_id = u.id)
        + (SELECT coalesce(sum(s.bytes), 0) FROM relay_snapshot s JOIN relay_library l ON l.id = s.library_id
           WHERE l.user_id = u.id AND s.sha256 IS NOT NULL)
        """

    public func discardSnapshot(_ snapshot: Int64) async throws {
        try await run {
            try await pool.write { db in try db.execute(sql: "DELETE FROM relay_snapshot WHERE id = ?", arguments: [snapshot]) }
        }
    }

    public func newestSnapshot(of library: Int64) async throws -> StoredSnapshot? {
        try await run {
            try await pool.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT s.id, s.header, s.changes, s.bytes, s.sha256, s.created_at,
                           (SELECT count(*) FROM relay_snapshot_chunk c WHERE c.snapshot_id = s.id)
                    FROM relay_snapshot s WHERE s.library_id = ? AND s.sha256 IS NOT NULL ORDER BY s.id DESC LIMIT 1
                    """, arguments: [library]).map { row in
                    let sha256: Data = row[4]
                    return StoredSnapshot(id: row[0], header: row[1], changes: row[2], bytes: row[3], sha256: Array(sha256),
                                          createdAt: row[5], chunks: row[6])
                }
            }
        }
    }

    public func snapshotChunk(_ index: Int, of snapshot: Int64) async throws -> [UInt8]? {
        try await run {
            try await pool.read { db in
                (try Data.fetchOne(db, sql: "SELECT bytes FROM relay_snapshot_chunk WHERE snapshot_id = ? AND idx = ?",
                                   arguments: [snapshot, index])).map { Array($0) }
            }
        }
    }
}
