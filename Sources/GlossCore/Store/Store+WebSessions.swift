import Crypto
import Foundation
import GRDB

/// A browser signed in to the web reader.
public struct WebSession: Hashable, Sendable {
    /// What state-changing requests from this browser must echo (a CSRF defence).
    public var csrf: String
    /// The token it signed in with; nil when it signed in with a one-time code.
    public var tokenID: String?
    public var expiresAt: Int64
}

extension Store {
    /// How long a browser stays signed in.
    public static let webSessionLifetime: Int64 = 30 * 24 * 3600 * 1000
    /// How long a one-time sign-in code may wait before it is used.
    public static let loginCodeLifetime: Int64 = 10 * 60 * 1000

    /// Makes a one-time sign-in code (what `gloss open` puts in its link). Only its hash is kept;
    /// it works once, within `loginCodeLifetime`.
    public func createLoginCode() throws -> String {
        let code = Hex.encode(environment.randomBytes(24))
        let now = Int64(environment.now())
        try writer.write { db in
            try db.execute(sql: "DELETE FROM login_code WHERE expires_at <= ?", arguments: [now])
            try db.execute(sql: "INSERT INTO login_code(hash, expires_at) VALUES (?, ?)",
                           arguments: [Store.tokenHash(code), now + Store.loginCodeLifetime])
        }
        return code
    }

    /// Spends a one-time sign-in code: true when it was valid (it is then gone).
    public func redeemLoginCode(_ code: String) throws -> Bool {
        let now = Int64(environment.now())
        return try writer.write { db in
            let hash = Store.tokenHash(code)
            let expires = try Int64.fetchOne(db, sql: "SELECT expires_at FROM login_code WHERE hash = ?", arguments: [hash])
            try db.execute(sql: "DELETE FROM login_code WHERE hash = ? OR expires_at <= ?", arguments: [hash, now])
            return expires.map { $0 > now } ?? false
        }
    }

    /// Starts a browser session. Returns the cookie's value (kept only as a hash) and the
    /// session, whose `csrf` the page must echo on every write.
    public func createWebSession(tokenID: String?) throws -> (cookie: String, session: WebSession) {
        let cookie = Hex.encode(environment.randomBytes(32))
        let now = Int64(environment.now())
        let session = WebSession(csrf: Hex.encode(environment.randomBytes(16)), tokenID: tokenID,
                                 expiresAt: now + Store.webSessionLifetime)
        try writer.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE expires_at <= ?", arguments: [now])
            try db.execute(sql: """
                INSERT INTO web_session(hash, csrf, token_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [Store.tokenHash(cookie), session.csrf, tokenID, now, session.expiresAt])
        }
        return (cookie, session)
    }

    /// The live session a cookie's value names, or nil (unknown, expired, or its token revoked).
    /// The value is looked up by its SHA-256: a guess learns nothing from timing.
    public func webSession(_ cookie: String) throws -> WebSession? {
        guard !cookie.isEmpty else { return nil }
        let now = Int64(environment.now())
        return try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT csrf, token_id, expires_at FROM web_session WHERE hash = ?",
                                             arguments: [Store.tokenHash(cookie)]) else { return nil }
            let session = WebSession(csrf: row["csrf"], tokenID: row["token_id"], expiresAt: row["expires_at"])
            return session.expiresAt > now ? session : nil
        }
    }

    /// Ends the session a cookie's value names (signing out). Nothing happens for an unknown one.
    public func endWebSession(_ cookie: String) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM web_session WHERE hash = ?", arguments: [Store.tokenHash(cookie)])
        }
    }

    /// A number that changes whenever the store's replicated state does: a local write, a sync,
    /// another process's command. Pages poll it to show changes without a reload.
    public func stateVersion() throws -> Int64 {
        try writer.read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM change") ?? 0 }
    }
}
