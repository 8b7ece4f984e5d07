import Foundation
import NIOCore
import PostgresNIO

extension PostgresRelayStorage {
    public func publishedKeys(of library: Int64) async throws -> [String: [UInt8]] {
        try await run {
            var keys: [String: [UInt8]] = [:]
            for try await (replica, bytes) in try await client.query("SELECT replica, bytes FROM relay_keys WHERE library_id = \(library)",
                                                                     logger: logger).decode((String, ByteBuffer).self) {
                keys[replica] = Array(bytes.readableBytesView)
            }
            return keys
        }
    }

    /// The library's row is locked first, so two replicas publishing at once are counted
    /// against the limit one after the other.
    public func publishKeys(_ bytes: [UInt8], replica: String, in library: Int64, limit: Int, at time: Int64) async throws {
        try await run {
            try await transaction { connection in
                try await connection.query("SELECT id FROM relay_library WHERE id = \(library) FOR UPDATE", logger: logger)
                var others: Int64 = 0
                for try await total in try await connection.query("""
                    SELECT coalesce(sum(length(bytes)), 0)::bigint FROM relay_keys WHERE library_id = \(library) AND replica <> \(replica)
                    """, logger: logger).decode(Int64.self) { others = total }
                guard others + Int64(bytes.count) <= Int64(limit) else { throw RelayError.keysTooLarge(limit: limit) }
                try await connection.query("""
                    INSERT INTO relay_keys (library_id, replica, bytes, updated_at) VALUES (\(library), \(replica), \(ByteBuffer(bytes: bytes)), \(time))
                    ON CONFLICT (library_id, replica) DO UPDATE SET bytes = excluded.bytes, updated_at = excluded.updated_at
                    """, logger: logger)
            }
        }
    }
}
