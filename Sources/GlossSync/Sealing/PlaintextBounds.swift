public import Foundation
public import GlossCore

/// What an encrypted library still takes in the clear: the changes written before it was
/// encrypted, as a version vector of the changes the enabling replica held then, sealed under
/// the first key so a folder host can neither read nor widen it.
///
/// Without it anyone who can write into the folder could add a plaintext bundle (under a new
/// replica's name, or a replica's next counters) and every replica would apply it: sealing keeps
/// what is written private, this keeps what is applied authentic. A replica that has not joined
/// yet still writes plaintext; its changes after the bound are skipped, named in a warning,
/// until it joins and runs `seal-folder`, which seals its old bundles. Authorship among key
/// holders is another matter (issue 15's signatures).
public struct SealedBounds: Hashable, Sendable, Codable {
    /// The id of the key it is sealed under.
    public var key: String
    /// The bounds' JSON sealed (`Seal`'s box, base64).
    public var sealed: String

    static func associatedData(key: String) -> Data { Data("gloss plaintext bounds v1 \(key)".utf8) }

    init(_ bounds: VersionVector, under key: LibraryKey) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        self.key = key.id
        sealed = try Seal.seal(try encoder.encode(bounds), under: key, binding: Self.associatedData(key: key.id)).base64EncodedString()
    }

    /// The bounds, when `keyring` holds the key and the seal opens.
    func open(with keyring: Keyring) -> VersionVector? {
        guard let under = keyring.key(key), let box = Data(base64Encoded: sealed),
              let json = Seal.open(box, under: under, binding: Self.associatedData(key: key)) else { return nil }
        return try? JSONDecoder().decode(VersionVector.self, from: json)
    }
}

extension Keyring {
    /// Whether a change read in the clear may be applied: written within the bounds (before
    /// the library was encrypted). With no bounds known yet, none may.
    public func acceptsPlaintext(_ dot: Dot) -> Bool {
        if boundsPending { return true }
        guard let bounds = plaintextBounds else { return false }
        return dot.counter <= bounds[dot.replica]
    }

    /// Sets the bounds to `held` (what the enabling replica holds once it has taken in the
    /// plaintext written so far). Before encryption anyone who could write the folder could add
    /// changes, so what was there then is taken as it always was; after, nothing more is.
    public mutating func settleBounds(_ held: VersionVector) throws {
        guard boundsPending else { return }
        sealedBounds = try SealedBounds(held, under: first)
        plaintextBounds = held
        boundsPending = false
    }

    /// Learns the bounds from the first published set that holds them sealed under a key held.
    mutating func learnBounds(from published: [PublishedKeys]) -> Bool {
        guard sealedBounds == nil else { return false }
        for set in published {
            if let sealed = set.plaintextBounds, let bounds = sealed.open(with: self) {
                sealedBounds = sealed
                plaintextBounds = bounds
                return true
            }
        }
        return false
    }
}
