import Crypto
import Foundation
import GRDB

/// A bearer token as listed: never the token itself.
public struct TokenInfo: Hashable, Sendable, Codable {
    public var id: String
    public var name: String
    public var createdAt: Int64
}

extension Store {
    /// Makes a new bearer token for clients of `gloss serve`. Returns it once; only its SHA-256
    /// is stored.
    public func createToken(name: String) throws -> (info: TokenInfo, token: String) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 64 else { throw GlossError.invalidName(kind: .token, length: trimmed.count) }
        let token = "gloss_" + Hex.encode(environment.randomBytes(32))
        let info = TokenInfo(id: Hex.encode(environment.randomBytes(4)), name: trimmed, createdAt: Int64(environment.now()))
        try writer.write { db in
            try db.execute(sql: "INSERT INTO api_token(id, name, hash, created_at) VALUES (?, ?, ?, ?)",
                           arguments: [info.id, info.name, Store.tokenHash(token), info.createdAt])
        }
        return (info, token)
    }

    public func tokens() throws -> [TokenInfo] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, created_at FROM api_token ORDER BY created_at, id").map {
                TokenInfo(id: $0["id"], name: $0["name"], createdAt: $0["created_at"])
            }
        }
    }

    /// Revokes the token with this id (or unique id prefix) and returns it; nil when no token
    /// has such an id.
    /// An empty id, or one that is not hexadecimal (`*`, `?`), is no token's: it would have
    /// fit every token.
    /// - Throws: `GlossError.ambiguousID` when the prefix fits several.
    public func revokeToken(_ id: String) throws -> TokenInfo? {
        guard !id.isEmpty, id.utf8.allSatisfy(\.isHexDigit) else { return nil }
        return try writer.write { db in
            let matches = try Row.fetchAll(db, sql: "SELECT id, name, created_at FROM api_token WHERE id GLOB ?",
                                           arguments: [id.lowercased() + "*"])
            guard matches.count <= 1 else { throw GlossError.ambiguousID(id, candidates: matches.map { $0["id"] }) }
            guard let row = matches.first else { return nil }
            let info = TokenInfo(id: row["id"], name: row["name"], createdAt: row["created_at"])
            try db.execute(sql: "DELETE FROM api_token WHERE id = ?", arguments: [info.id])
            return info
        }
    }

    /// The name of the token `presented` is, or nil. Compares against every stored hash in
    /// constant time, so timing tells nothing about how close a guess was.
    public func authenticate(_ presented: String) throws -> String? {
        let candidate = Array(Store.tokenHash(presented).utf8)
        let rows = try writer.read { db in try Row.fetchAll(db, sql: "SELECT name, hash FROM api_token") }
        var found: String?
        for row in rows {
            let stored = Array((row["hash"] as String).utf8)
            var difference: UInt8 = stored.count == candidate.count ? 0 : 1
            for (a, b) in zip(stored, candidate) { difference |= a ^ b }
            if difference == 0 { found = row["name"] }
        }
        return found
    }

    static func tokenHash(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }
}
