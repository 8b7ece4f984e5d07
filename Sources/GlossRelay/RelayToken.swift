import Crypto
import Foundation

/// Bearer tokens: made from 32 random bytes, shown once, kept only as their SHA-256.
public enum RelayToken {
    /// A new token, the id it is listed and revoked by, and the hash to store.
    public static func make() -> (id: String, token: String, hash: [UInt8]) {
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let id = (0..<6).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let token = "glr_" + Data(secret).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return (id, token, hash(token))
    }

    /// What is stored for `token`.
    public static func hash(_ token: String) -> [UInt8] { sha256(Array(token.utf8)) }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// Whether `a` and `b` are equal, in time that depends on their length only.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

/// Milliseconds since 1970, for what the relay records.
enum RelayClock {
    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}
