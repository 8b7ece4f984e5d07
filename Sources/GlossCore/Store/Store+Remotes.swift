import GRDB

/// A server this store syncs with, and the bearer token saved for it.
public struct SavedRemote: Hashable, Sendable, Codable {
    /// The server's base URL, without a trailing slash.
    public var url: String
    public var token: String
    /// Milliseconds since 1970 when the token was saved; 0 for one saved before stores kept the time.
    public var savedAt: Int64

    public init(url: String, token: String, savedAt: Int64) {
        self.url = url
        self.token = token
        self.savedAt = savedAt
    }
}

extension Store {
    /// The remote saved for `url`, or nil.
    public func savedRemote(_ url: String) throws -> SavedRemote? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT url, token, saved_at FROM remote WHERE url = ?", arguments: [url]).map(Store.remote)
        }
    }

    /// Saves `token` for the server at `url`, replacing any saved before.
    public func saveRemote(_ url: String, token: String) throws {
        guard !url.isEmpty, !token.isEmpty else { throw GlossError.incompleteRemote(lacksURL: url.isEmpty, lacksToken: token.isEmpty) }
        try writer.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO remote(url, token, saved_at) VALUES (?, ?, ?)",
                           arguments: [url, token, Int64(environment.now())])
        }
    }

    /// Every saved remote, by URL.
    public func remotes() throws -> [SavedRemote] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT url, token, saved_at FROM remote ORDER BY url").map(Store.remote)
        }
    }

    /// Forgets the remote saved for `url` and its token. Returns whether one was saved.
    @discardableResult
    public func forgetRemote(_ url: String) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM remote WHERE url = ?", arguments: [url])
            return db.changesCount > 0
        }
    }

    private static func remote(_ row: Row) -> SavedRemote {
        SavedRemote(url: row["url"], token: row["token"], savedAt: row["saved_at"])
    }
}
