import Crypto
import Foundation
import GRDB

/// A bearer token as listed: never the token itself.
public struct TokenInfo: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var createdAt: Int64
    public var scope: TokenScope = .sync
}

/// What a token opens.
public enum TokenScope: String, Hashable, Sendable, Codable, CaseIterable {
    /// Sync, the JSON API and signing in to the web reader.
    case sync
    /// The web reader's capture route only (the bookmarklet): it can add pages and read nothing.
    case capture
}

extension Store {
    /// Makes a new bearer token for clients of `gloss serve`. Returns it once; only its SHA-256
    /// is stored.
    public func createToken(name: String, scope: TokenScope = .sync) throws -> (info: TokenInfo, token: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 64 else { throw GlossError.invalidName(kind: .token, length: trimmed.count) }
        let token = (scope == .capture ? "glosscap_" : "gloss_") + Hex.encode(environment.randomBytes(32))
        let info = TokenInfo(id: Hex.encode(environment.randomBytes(4)), name: trimmed, createdAt: Int64(environment.now()),
                             scope: scope)
        try writer.write { db in
            try db.execute(sql: "INSERT INTO api_token(id, name, hash, created_at, scope) VALUES (?, ?, ?, ?, ?)",
                           arguments: [info.id, info.name, Store.tokenHash(token), info.createdAt, scope.rawValue])
        }
        return (info, token)
    }

    /// The tokens of one scope, or of every scope, oldest first.
    public func tokens(scope: TokenScope? = nil) throws -> [TokenInfo] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, created_at, scope FROM api_token ORDER BY created_at, id").compactMap {
                let info = TokenInfo(id: $0["id"], name: $0["name"], createdAt: $0["created_at"],
                                     scope: TokenScope(rawValue: $0["scope"]) ?? .sync)
                return scope == nil || info.scope == scope ? info : nil
            }
        }
    }

    /// Revokes the token with this id (or unique id prefix) and returns it; nil when no token
    /// has such an id.
    /// An empty id, or one that is not hexadecimal (`*`, `?`), is no token's: it would have
    /// fit every token.
    /// - Throws: `GlossError.ambiguousID` when the prefix fits several.
    /// With `scope`, only a token of that scope (the reader revokes capture tokens only).
    public func revokeToken(_ id: String, scope: TokenScope? = nil) throws -> TokenInfo? {
        guard !id.isEmpty, id.utf8.allSatisfy(\.isHexDigit) else { return nil }
        return try writer.write { db in
            let matches = try Row.fetchAll(db, sql: "SELECT id, name, created_at, scope FROM api_token WHERE id GLOB ? AND scope GLOB ?",
                                           arguments: [id.lowercased() + "*", scope?.rawValue ?? "*"])
            guard matches.count <= 1 else { throw GlossError.ambiguousID(id, candidates: matches.map { $0["id"] }) }
            guard let row = matches.first else { return nil }
            let info = TokenInfo(id: row["id"], name: row["name"], createdAt: row["created_at"],
                                 scope: TokenScope(rawValue: row["scope"]) ?? .sync)
            try db.execute(sql: "DELETE FROM api_token WHERE id = ?", arguments: [info.id])
            // Browsers signed in with it are signed out.
            try db.execute(sql: "DELETE FROM web_session WHERE token_id = ?", arguments: [info.id])
            return info
        }
    }

    /// The name of the token `presented` is, when it is a token of `scope`, or nil.
    public func authenticate(_ presented: String, scope: TokenScope = .sync) throws -> String? {
        try token(presented, scope: scope)?.name
    }

    /// The token `presented` is, when it is a token of `scope`, or nil. Compares against every
    /// stored hash in constant time, so timing tells nothing about how close a guess was.
    public func token(_ presented: String, scope: TokenScope) throws -> TokenInfo? {
        let candidate = Array(Store.tokenHash(presented).utf8)
        let rows = try writer.read { db in try Row.fetchAll(db, sql: "SELECT id, name, created_at, scope, hash FROM api_token") }
        var found: TokenInfo?
        for row in rows {
            let stored = Array((row["hash"] as String).utf8)
            var difference: UInt8 = stored.count == candidate.count ? 0 : 1
            for (a, b) in zip(stored, candidate) { difference |= a ^ b }
            if difference == 0 && (row["scope"] as String) == scope.rawValue {
                found = TokenInfo(id: row["id"], name: row["name"], createdAt: row["created_at"], scope: scope)
            }
        }
        return found
    }

    static func tokenHash(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }
}
