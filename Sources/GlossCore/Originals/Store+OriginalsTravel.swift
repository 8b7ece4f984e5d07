import Foundation
import GRDB
import GlossExtraction

extension Store {
    /// What this store keeps of the originals of its live articles, in article id order: what a
    /// sync offers the replicas it syncs with when their travel is on.
    public func originalRecords() throws -> [OriginalRecord] {
        try writer.read { db in
            let ids = try String.fetchAll(db, sql: """
                SELECT o.article_id FROM article_original o JOIN article a ON a.id = o.article_id ORDER BY o.article_id
                """)
            return try ids.compactMap { try Self.record(db, $0) }
        }
    }

    /// Those of `articleIDs` that name a live article this store keeps no original of: the
    /// originals a sync may take from a peer.
    public func articlesLackingOriginals(among articleIDs: some Sequence<String>) throws -> Set<String> {
        let wanted = Array(Set(articleIDs))
        guard !wanted.isEmpty else { return [] }
        return try writer.read { db in
            var lacking: Set<String> = []
            for start in stride(from: 0, to: wanted.count, by: 500) {
                let slice = Array(wanted[start..<min(wanted.count, start + 500)])
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                let found = try String.fetchAll(db, sql: """
                    SELECT a.id FROM article a WHERE a.id IN (\(marks))
                    AND NOT EXISTS (SELECT 1 FROM article_original o WHERE o.article_id = a.id)
                    """, arguments: StatementArguments(slice))
                lacking.formUnion(found)
            }
            return lacking
        }
    }

    /// Keeps `bytes`, an original another replica sent, as `record` says (its hash, size, format,
    /// source and the time it was first saved), when the article is live here and this store
    /// keeps no original of it yet. Returns whether it was kept: an article deleted here, or one
    /// whose original arrived meanwhile, keeps what it has.
    ///
    /// - Throws: ``OriginalError/damaged(path:)`` when the bytes are not `record.size` long with
    ///   the hash `record.sha256` (nothing is kept); another ``OriginalError`` when the folder
    ///   cannot be written.
    @discardableResult
    public func keepReceivedOriginal(_ bytes: [UInt8], as record: OriginalRecord) throws -> Bool {
        guard let folder = originalsFolder else { throw OriginalError.noFolder }
        guard OriginalsFolder.isHash(record.sha256), bytes.count == record.size, OriginalsFolder.hash(bytes) == record.sha256 else {
            throw OriginalError.damaged(path: record.sha256)
        }
        let compressed = try OriginalsFolder.compress(bytes)
        return try writer.write { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM article WHERE id = ?", arguments: [record.articleID]) != nil,
                  try Self.record(db, record.articleID) == nil else { return false }
            try folder.write(compressed, hash: record.sha256)
            try db.execute(sql: """
                INSERT INTO article_original(article_id, sha256, size, format, source, charset, saved_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.articleID, record.sha256, record.size, record.format.rawValue,
                                 record.source, record.charset, record.savedAt])
            return true
        }
    }
}
