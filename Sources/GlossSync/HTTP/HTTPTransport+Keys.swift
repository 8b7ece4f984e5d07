public import Foundation
public import GlossCore

/// An encrypted library's published keys on a server (`GET` and `PUT /v1/keys`): what the
/// `keys.json` files are in a shared folder. They hold key ids, rotations sealed under older
/// keys and the passphrase wrap, never a key, so a relay keeps them as it keeps sealed changes.
extension HTTPTransport {
    /// Every replica's published keys on the server; none from a server too old to keep them.
    public func publishedKeys() async throws -> [PublishedKeys] {
        do {
            return try await send("GET", "/keys", body: Optional<PullRequest>.none, as: PublishedKeysResponse.self).published
        } catch SyncError.protocolMismatch(_, nil) {
            // No /v1/keys: a server from before encryption, which holds no sealed change either.
            return []
        }
    }

    /// Publishes `keys` (this replica's) on the server.
    /// - Throws: `SyncError.sealingRefused` when the server does not keep published keys (an
    ///   older version) or refuses them (a `gloss serve` without the library's key).
    public func publish(_ keys: PublishedKeys) async throws {
        do {
            _ = try await send("PUT", "/keys", json: try keys.json(), as: PublishedKeysResponse.self)
        } catch SyncError.protocolMismatch(_, nil) {
            throw SyncError.sealingRefused(url: baseURL.absoluteString, serverSays: "it has no \(SyncProtocol.prefix)/keys: it is an older gloss")
        } catch SyncError.rejected(_, 422, let says) {
            throw SyncError.sealingRefused(url: baseURL.absoluteString, serverSays: says)
        } catch SyncError.rejected(_, 403, _) {
            // A read-only token publishes nothing, as it pushes nothing: its replica's keys
            // reach the others through a replica that may write.
        }
    }

    /// The keyring a sync of `store` with this server runs with, as a folder's published keys
    /// give one (``Keyring/forSync(of:published:place:)``), having published the store's own
    /// keys on the server when they say something new there.
    /// - Throws: `SyncError.libraryEncrypted`, `.wrongKey`, before anything is pulled or pushed.
    public func keyring(for store: Store) async throws -> Keyring? {
        let all = try await publishedKeys()
        let own = store.replicaID.rawValue
        guard let keyring = try Keyring.forSync(of: store, published: all, place: baseURL.absoluteString) else {
            return nil
        }
        let mine = keyring.published(by: own)
        if !all.contains(mine) { try await publish(mine) }
        return keyring
    }
}
