import GlossCore

/// What the relay's administration commands do, over any storage: people, libraries, tokens.
public struct RelayAdmin: Sendable {
    public let storage: any RelayStorage

    public init(storage: any RelayStorage) { self.storage = storage }

    public func addUser(_ name: String, quota: RelayQuota = .unlimited) async throws -> RelayUser {
        try await storage.addUser(name, quota: quota, at: RelayClock.now())
    }

    /// Adds a library, with a fresh replica id for the relay to answer as.
    public func addLibrary(user: String, name: String) async throws -> RelayLibrary {
        var generator = SystemRandomNumberGenerator()
        let hex = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
            .map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        guard let replica = ReplicaID(hex) else { throw RelayError.database("could not make a replica id") }
        return try await storage.addLibrary(user: user, name: name, replica: replica, at: RelayClock.now())
    }

    /// Makes a token for `library` of `user` (the user's only library when nil): the token is
    /// returned once and kept only as a hash.
    /// - Throws: ``RelayError/libraryNeeded(user:libraries:)`` when `library` is nil and the user
    ///   has none or several.
    public func createToken(user: String, library: String?, readOnly: Bool) async throws -> (info: RelayTokenInfo, token: String) {
        var chosen = library
        if chosen == nil {
            let libraries = try await storage.libraries(user: user)
            guard libraries.count == 1 else { throw RelayError.libraryNeeded(user: user, libraries: libraries.map(\.name)) }
            chosen = libraries[0].name
        }
        let made = RelayToken.make()
        let info = try await storage.addToken(id: made.id, hash: made.hash, user: user, library: chosen ?? "",
                                              readOnly: readOnly, at: RelayClock.now())
        return (info, made.token)
    }

    public func tokens() async throws -> [RelayTokenInfo] { try await storage.tokens() }

    /// Revokes the token `id`; nil when there is none.
    public func revokeToken(_ id: String) async throws -> RelayTokenInfo? {
        try await storage.revokeToken(id: id, at: RelayClock.now())
    }
}
