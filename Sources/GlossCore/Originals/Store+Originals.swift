import Foundation
import GRDB
public import GlossExtraction

/// What a store records of the original an article's text was extracted from.
public struct OriginalRecord: Hashable, Sendable, Codable {
    public var articleID: String
    /// Hex SHA-256 of the original bytes (the name of the file holding them).
    public var sha256: String
    /// Bytes before compression.
    public var size: Int
    /// What the bytes were read as.
    public var format: SourceFormat
    /// The file name or web address the bytes came from.
    public var source: String?
    /// The character set a web server declared for them, if any.
    public var charset: String?
    /// Milliseconds since 1970.
    public var savedAt: Int64

    public init(articleID: String, sha256: String, size: Int, format: SourceFormat, source: String?, charset: String?, savedAt: Int64) {
        self.articleID = articleID
        self.sha256 = sha256
        self.size = size
        self.format = format
        self.source = source
        self.charset = charset
        self.savedAt = savedAt
    }
}

extension Store {
    /// The folder this store keeps originals in (see ``OriginalsFolder``); nil for a store
    /// without a file.
    package var originalsFolder: OriginalsFolder? {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return nil }
        return OriginalsFolder(storePath: path)
    }

    /// Keeps `bytes`, the original the text of article `articleID` was extracted from, in the
    /// originals folder (compressed, named by their SHA-256) and records it for the article in
    /// place of any earlier one (whose file goes when no other article uses it). Keeping the
    /// same bytes again changes nothing.
    ///
    /// - Throws: `GlossError.unknownID` when no live article has the id, ``OriginalError`` when
    ///   the folder cannot be written.
    @discardableResult
    public func keepOriginal(_ bytes: [UInt8], of articleID: String, format: SourceFormat,
                             source: String? = nil, charset: String? = nil) throws -> OriginalRecord {
        guard let folder = originalsFolder else { throw OriginalError.noFolder }
        let hash = OriginalsFolder.hash(bytes)
        let compressed = try OriginalsFolder.compress(bytes)
        let record = OriginalRecord(articleID: articleID, sha256: hash, size: bytes.count, format: format,
                                    source: source, charset: charset, savedAt: Int64(environment.now()))
        // The file is written under the store's write lock, so a delete in another process
        // never removes it between its writing and the row that names it.
        try writer.write { db in
            _ = try liveState(db, id: articleID, type: .article)
            let previous = try String.fetchOne(db, sql: "SELECT sha256 FROM article_original WHERE article_id = ?", arguments: [articleID])
            try folder.write(compressed, hash: hash)
            try db.execute(sql: """
                INSERT OR REPLACE INTO article_original(article_id, sha256, size, format, source, charset, saved_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [articleID, hash, bytes.count, format.rawValue, source, charset, record.savedAt])
            if let previous, previous != hash { try removeUnused([previous], db, folder) }
        }
        return record
    }

    /// Keeps `original` for the article an add gave (`result`), unless the article was in the
    /// library already with an original of its own and `replacing` is false: saving a page
    /// again keeps the first page it was read from.
    public func keepOriginal(_ original: SourceBytes, for result: AddResult, replacing: Bool = false) throws {
        if result.status == .alreadyPresent, !replacing, try originalRecord(of: result.id) != nil { return }
        try keepOriginal(original.bytes, of: result.id, format: original.format, source: original.source, charset: original.charset)
    }

    /// What this store keeps of article `articleID`'s original; nil when it keeps none.
    public func originalRecord(of articleID: String) throws -> OriginalRecord? {
        try writer.read { db in try Self.record(db, articleID) }
    }

    /// The original bytes article `articleID` was extracted from, and what is recorded of them.
    ///
    /// - Throws: ``OriginalError/noOriginal(articleID:)`` when the store keeps none for it;
    ///   another ``OriginalError`` when its file is missing or damaged.
    public func original(of articleID: String) throws -> (record: OriginalRecord, bytes: [UInt8]) {
        guard let record = try originalRecord(of: articleID) else { throw OriginalError.noOriginal(articleID: articleID) }
        guard let folder = originalsFolder else { throw OriginalError.noFolder }
        return (record, try folder.read(hash: record.sha256, size: record.size))
    }

    /// Ids of the live articles whose originals this store keeps, in id order.
    public func articlesWithOriginals() throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT o.article_id FROM article_original o JOIN article a ON a.id = o.article_id ORDER BY o.article_id")
        }
    }

    /// Drops what is kept of originals no live article uses any more: the records of articles
    /// deleted (here, or on another replica and synced since), and files no record names (left
    /// by a write that was cut short). Returns how many files went.
    @discardableResult
    public func sweepOriginals() throws -> Int {
        guard let folder = originalsFolder else { return 0 }
        return try writer.write { db in
            var removed = try dropOriginalsOfDeletedArticles(db, folder)
            let named = Set(try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM article_original"))
            for hash in try folder.hashes() where !named.contains(hash) {
                try folder.remove(hash: hash)
                removed += 1
            }
            return removed
        }
    }

    /// Drops the records of articles that are no longer live and the files only they used;
    /// returns how many files went. ``delete(_:)`` calls it in its transaction.
    func dropOriginalsOfDeletedArticles(_ db: Database, _ folder: OriginalsFolder? = nil) throws -> Int {
        guard let folder = folder ?? originalsFolder else { return 0 }
        let orphaned = try String.fetchAll(db, sql: """
            SELECT DISTINCT sha256 FROM article_original WHERE article_id NOT IN (SELECT id FROM article)
            """)
        guard !orphaned.isEmpty else { return 0 }
        try db.execute(sql: "DELETE FROM article_original WHERE article_id NOT IN (SELECT id FROM article)")
        return try removeUnused(orphaned, db, folder)
    }

    /// Removes the files of those of `hashes` that no record names; returns how many went. A
    /// file that cannot be removed stays for ``sweepOriginals()``: it never fails the delete or
    /// replacement that freed it.
    @discardableResult
    private func removeUnused(_ hashes: [String], _ db: Database, _ folder: OriginalsFolder) throws -> Int {
        var removed = 0
        for hash in hashes where try Int.fetchOne(db, sql: "SELECT 1 FROM article_original WHERE sha256 = ? LIMIT 1", arguments: [hash]) == nil {
            if (try? folder.remove(hash: hash)) != nil { removed += 1 }
        }
        return removed
    }

    static func record(_ db: Database, _ articleID: String) throws -> OriginalRecord? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT sha256, size, format, source, charset, saved_at FROM article_original WHERE article_id = ?
            """, arguments: [articleID]) else { return nil }
        let format: String = row[2]
        return OriginalRecord(articleID: articleID, sha256: row[0], size: row[1], format: SourceFormat(rawValue: format) ?? .html,
                              source: row[3], charset: row[4], savedAt: row[5])
    }

    // MARK: - Travel through sync

    /// Whether this store sends its originals to the replicas it syncs with: off unless turned
    /// on, since originals are large. A local setting, never replicated.
    public func syncsOriginals() throws -> Bool {
        try writer.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM store_meta WHERE key = 'sync_originals'") == "on"
        }
    }

    /// Turns the travel of originals through sync on or off for this store.
    public func setSyncsOriginals(_ on: Bool) throws {
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO store_meta(key, value) VALUES ('sync_originals', ?)", arguments: [on ? "on" : "off"])
        }
    }
}

/// The bytes an article was read from, as an add hands them to the store to keep.
public struct SourceBytes: Sendable {
    public var bytes: [UInt8]
    /// What the bytes were read as.
    public var format: SourceFormat
    /// The file's name or the address the page was served from; nil for standard input.
    public var source: String?
    /// The character set the web server declared.
    public var charset: String?

    public init(bytes: [UInt8], format: SourceFormat, source: String? = nil, charset: String? = nil) {
        self.bytes = bytes
        self.format = format
        self.source = source
        self.charset = charset
    }
}
