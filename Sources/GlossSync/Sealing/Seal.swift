public import Crypto
public import Foundation

/// Sealing and opening under a library key: ChaCha20-Poly1305 (RFC 8439) from swift-crypto,
/// with a fresh random 96-bit nonce per seal, so no nonce is used twice under one key (2^32
/// seals per key keep the chance of a repeat below 2^-32).
///
/// A sealed box is `nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)`. The associated data is not
/// in the box: the caller rebuilds it from what it read in the clear (replica, counters, key id),
/// so a box moved under other routing data fails to open.
public enum Seal {
    /// What sealing adds to the plaintext: nonce and tag.
    public static let overhead = 12 + 16

    /// The plaintext sealed under `key`, bound to `associatedData`.
    public static func seal(_ plaintext: some DataProtocol, under key: LibraryKey, binding associatedData: some DataProtocol) throws -> Data {
        try seal(plaintext, under: key, binding: associatedData, nonce: ChaChaPoly.Nonce())
    }

    /// With a given nonce: only the known-answer tests choose it.
    static func seal(_ plaintext: some DataProtocol, under key: LibraryKey, binding associatedData: some DataProtocol,
                     nonce: ChaChaPoly.Nonce) throws -> Data {
        try ChaChaPoly.seal(plaintext, using: key.key, nonce: nonce, authenticating: associatedData).combined
    }

    /// The plaintext of `box`, or nil when it does not open: another key, other associated
    /// data, or any byte changed, added or cut.
    public static func open(_ box: some DataProtocol, under key: LibraryKey, binding associatedData: some DataProtocol) -> Data? {
        guard box.count >= overhead, let sealed = try? ChaChaPoly.SealedBox(combined: Data(box)) else { return nil }
        return try? ChaChaPoly.open(sealed, using: key.key, authenticating: associatedData)
    }
}
