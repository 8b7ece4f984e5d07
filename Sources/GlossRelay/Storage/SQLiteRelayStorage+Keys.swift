import Foundation
import GRDB

extension SQLiteRelayStorage {
    public func publishedKeys(of library: Int64) async throws -> [String: [UInt8]] {
        try await run {
            try await pool.read { db in
                var keys: [String: [UInt8]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT replica, bytes FROM relay_keys WHERE library_id = ?", arguments: [library]) {
                    let bytes: Data = row[1]
                    keys[row[0]] = Array(bytes)
                }
                return keys
            }
        }
    }

    public func publishKeys(_ bytes: [UInt8], replica: String, in library: Int64, limit: Int, at time: Int64) async throws {
        try await run {
            try await pool.write { db in
                let others = try Int.fetchOne(db, sql: "SELECT coalesce(sum(length(bytes)), 0) FROM relay_keys WHERE library_id = ? AND replica <> ?",
                                              arguments: [library, replica]) ?? 0
                guard others + bytes.count <= limit else { throw RelayError.keysTooLarge(limit: limit) }
                try db.execute(sql: """
                    INSERT INTO relay_keys (library_id, replica, bytes, updated_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (library_id, replica) DO UPDATE SET bytes = excluded.bytes, updated_at = excluded.updated_at
                    """, arguments: [library, replica, Data(bytes), time])
            }
        }
    }
}
