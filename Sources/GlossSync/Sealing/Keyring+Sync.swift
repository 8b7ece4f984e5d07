public import GlossCore

extension Keyring {
    /// The keyring a sync of `store` with `place` runs with, given what the place's other
    /// replicas published there (a folder's `keys.json` files, a server's `/v1/keys`): the
    /// store's own, having learned the keys later rotations published (saved to the key file).
    /// Nil for a library that is not encrypted, here or there.
    /// - Throws: `SyncError.libraryEncrypted` when the place's library is encrypted and the
    ///   store holds no key; `.wrongKey` when the place's keys are none of the store's. Both
    ///   before anything is read or written.
    static func forSync(of store: Store, published: [PublishedKeys], place: String) throws -> Keyring? {
        guard var keyring = try KeyFile.load(for: store) else {
            if !published.isEmpty { throw SyncError.libraryEncrypted(place: place) }
            return nil
        }
        if keyring.learn(from: published) { try KeyFile.save(keyring, for: store) }
        let theirs = Set(published.flatMap(\.keys))
        if !theirs.isEmpty, theirs.isDisjoint(with: keyring.keys.map(\.id)) {
            throw SyncError.wrongKey(place: place, held: keyring.keys.map(\.id), published: theirs.sorted())
        }
        return keyring
    }
}
