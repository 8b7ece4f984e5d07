import Foundation
import NIOCore
import PostgresNIO

extension PostgresRelayStorage {
    /// The library's row is locked first, so uploads beginning at once are counted one after
    /// the other.
    public func beginSnapshot(in library: Int64, header: String, changes: Int64, at time: Int64, abandonedBefore: Int64,
                              atOnce: Int) async throws -> Int64 {
        try await run {
            try await transaction { connection in
                try await connection.query("SELECT id FROM relay_library WHERE id = \(library) FOR UPDATE", logger: logger)
                try await connection.query("""
                    DELETE FROM relay_snapshot WHERE library_id = \(library) AND sha256 IS NULL AND created_at < \(abandonedBefore)
                    """, logger: logger)
                var underWay: Int64 = 0
                for try await count in try await connection.query("""
                    SELECT count(*)::bigint FROM relay_snapshot WHERE library_id = \(library) AND sha256 IS NULL
                    """, logger: logger).decode(Int64.self) { underWay = count }
                guard underWay < Int64(atOnce) else { throw RelayError.snapshotUploadsUnderWay(limit: atOnce) }
                var id: Int64?
                for try await value in try await connection.query("""
                    INSERT INTO relay_snapshot (library_id, header, changes, created_at) VALUES (\(library), \(header), \(changes), \(time)) RETURNING id
                    """, logger: logger).decode(Int64.self) { id = value }
                guard let id else { throw RelayError.database("no id for a new snapshot") }
                return id
            }
        }
    }

    public func appendSnapshotChunk(_ bytes: [UInt8], index: Int, to snapshot: Int64) async throws {
        _ = try await run {
            try await client.query("""
                INSERT INTO relay_snapshot_chunk (snapshot_id, idx, bytes) VALUES (\(snapshot), \(index), \(ByteBuffer(bytes: bytes)))
                """, logger: logger)
        }
    }

    /// The library's row is locked first, so two uploads finishing at once keep the newest few
    /// one after the other.
    public func finishSnapshot(_ snapshot: Int64, in library: Int64, bytes: Int64, sha256: [UInt8], keep: Int, abandonedBefore: Int64,
                               quota: RelayQuota) async throws {
        try await run {
            try await transaction { connection in
                try await connection.query("SELECT id FROM relay_library WHERE id = \(library) FOR UPDATE", logger: logger)
                try await connection.query("""
                    UPDATE relay_snapshot SET bytes = \(bytes), sha256 = \(ByteBuffer(bytes: sha256)) WHERE id = \(snapshot) AND library_id = \(library)
                    """, logger: logger)
                let kept = Int64(max(1, keep))
                try await connection.query("""
                    DELETE FROM relay_snapshot WHERE library_id = \(library) AND sha256 IS NOT NULL AND id NOT IN
                        (SELECT id FROM relay_snapshot WHERE library_id = \(library) AND sha256 IS NOT NULL ORDER BY id DESC LIMIT \(kept))
                    """, logger: logger)
                try await connection.query("""
                    DELETE FROM relay_snapshot WHERE library_id = \(library) AND sha256 IS NULL AND created_at < \(abandonedBefore)
                    """, logger: logger)
                for try await (own, held) in try await connection.query("""
                    SELECT u.quota_bytes, \(unescaped: Self.heldBytes) FROM relay_library o JOIN relay_user u ON u.id = o.user_id WHERE o.id = \(library)
                    """, logger: logger).decode((Int64?, Int64).self) {
                    try quota.overridden(by: RelayQuota(bytes: own)).checkSnapshot(holding: held)
                }
            }
        }
    }

    /// SQL for the bytes user `u` holds: their libraries' changes and kept snapshots.
    static let heldBytes = """
        ((SELECT coalesce(sum(l.byte_count), 0) FROM relay_library l WHERE l.user_id = u.id)
         + (SELECT coalesce(sum(s.bytes), 0) FROM relay_snapshot s JOIN relay_library l ON l.id = s.library_id
            WHERE l.user_id = u.id AND s.sha256 IS NOT NULL))::bigint
        """

    public func discardSnapshot(_ snapshot: Int64) async throws {
        _ = try await run {
            try await client.query("DELETE FROM relay_snapshot WHERE id = \(snapshot)", logger: logger)
        }
    }

    public func newestSnapshot(of library: Int64) async throws -> StoredSnapshot? {
        try await run {
            var found: StoredSnapshot?
            for try await (id, header, changes, bytes, sha256, created, chunks) in try await client.query("""
                SELECT s.id, s.header, s.changes, s.bytes, s.sha256, s.created_at,
                       (SELECT count(*) FROM relay_snapshot_chunk c WHERE c.snapshot_id = s.id)::bigint
                FROM relay_snapshot s WHERE s.library_id = \(library) AND s.sha256 IS NOT NULL ORDER BY s.id DESC LIMIT 1
                """, logger: logger).decode((Int64, String, Int64, Int64, ByteBuffer, Int64, Int64).self) {
                found = StoredSnapshot(id: id, header: header, changes: changes, bytes: bytes, sha256: Array(sha256.readableBytesView),
                                       createdAt: created, chunks: Int(chunks))
            }
            return found
        }
    }

    public func snapshotChunk(_ index: Int, of snapshot: Int64) async throws -> [UInt8]? {
        try await run {
            var chunk: [UInt8]?
            for try await bytes in try await client.query("""
                SELECT bytes FROM relay_snapshot_chunk WHERE snapshot_id = \(snapshot) AND idx = \(index)
                """, logger: logger).decode(ByteBuffer.self) { chunk = Array(bytes.readableBytesView) }
            return chunk
        }
    }
}
