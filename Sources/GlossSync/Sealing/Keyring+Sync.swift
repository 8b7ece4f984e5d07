public import GlossCore

extension Keyring {
    /// The keyring a sync of `store` with `place` runs with, given what the place's replicas
    /// published there (a folder's `keys.json` files, a server's `/v1/keys`): the store's own,
    /// having learned the keys later rotations published (saved to the key file). Nil for a
    /// library that is not encrypted, here or there.
    /// - Throws: `SyncError.libraryEncrypted` when the place's library is encrypted and the
    ///   store holds no key (the store's own published keys count: a store whose key file is
    ///   gone must not write plaintext where it sealed before); `.wrongKey` when the others'
    ///   keys are none of the store's. Both before anything is read or written.
    static func forSync(of store: Store, published everyone: [PublishedKeys], place: String) throws -> Keyring? {
        guard var keyring = try KeyFile.load(for: store) else {
            if !everyone.isEmpty { throw SyncError.libraryEncrypted(place: place) }
            return nil
        }
        let published = everyone.filter { $0.replica != store.replicaID.rawValue }
        if keyring.learn(from: published) { try KeyFile.save(keyring, for: store) }
        let theirs = Set(published.flatMap(\.keys))
        if !theirs.isEmpty, theirs.isDisjoint(with: keyring.keys.map(\.id)) {
            throw SyncError.wrongKey(place: place, held: keyring.keys.map(\.id), published: theirs.sorted())
        }
        return keyring
    }

    /// After a sync of the replica that encrypted the library, its first: the keyring with the
    /// bounds set to what the store now holds (every plaintext change that sync took in) and
    /// saved, for the caller to publish where it synced; nil when no bounds were pending.
    static func settlingBounds(_ keys: Keyring?, of store: Store) throws -> Keyring? {
        guard var keys, keys.boundsPending else { return nil }
        try keys.settleBounds(try store.versionVector())
        try KeyFile.save(keys, for: store)
        return keys
    }
}
