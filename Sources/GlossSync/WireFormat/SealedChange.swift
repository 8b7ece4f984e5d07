public import Foundation
public import GlossCore

/// A change of an encrypted library as it travels over HTTP, inside a push's or a pull page's
/// `changes` array beside (or instead of) plain ones:
///
///     {"k":"<key id>","n":<counter>,"r":"<replica>","s":"<base64 box>"}
///
/// Only the dot and the id of the key stay visible (a relay needs the dot to keep each change
/// once and to answer version vectors). The box is the change's own wire JSON (what ``WireJSON``
/// writes for it inside a message: entity type and id, clock, operations) sealed with ``Seal``
/// under the key, bound to `"gloss sealed change v1\n<replica>\n<counter>\n<key id>"`, so a box
/// moved to another dot or relabelled with another key id does not open. Every seal draws a
/// fresh nonce: the same change sealed twice is two different boxes.
public struct SealedChange: Hashable, Sendable, Codable {
    /// The id of the key the box is sealed under (16 hex digits).
    public var key: String
    public var replica: ReplicaID
    public var counter: UInt64
    /// `Seal`'s box: nonce ‖ ciphertext ‖ tag.
    public var box: Data

    enum CodingKeys: String, CodingKey { case key = "k", counter = "n", replica = "r", box = "s" }

    public init(key: String, replica: ReplicaID, counter: UInt64, box: Data) {
        self.key = key
        self.replica = replica
        self.counter = counter
        self.box = box
    }

    /// `change` sealed under `key`.
    public init(sealing change: Change, under key: LibraryKey) throws {
        let json = WireJSON.encode(change: change)
        self.init(key: key.id, replica: change.dot.replica, counter: change.dot.counter,
                  box: try Seal.seal(json, under: key,
                                     binding: Self.associatedData(replica: change.dot.replica, counter: change.dot.counter, key: key.id)))
    }

    public var dot: Dot { Dot(replica: replica, counter: counter) }

    /// What the seal binds: the dot and the key id, as they travel in the clear.
    static func associatedData(replica: ReplicaID, counter: UInt64, key: String) -> Data {
        Data("gloss sealed change v1\n\(replica.rawValue)\n\(counter)\n\(key)".utf8)
    }

    /// The change inside, opened with one of `keys`.
    /// - Throws: ``SealedChangeProblem``, saying why it does not open.
    public func open(with keys: Keyring) throws(SealedChangeProblem) -> Change {
        guard let under = keys.key(key) else { throw .unknownKey(String(key.prefix(32))) }
        guard let json = Seal.open(box, under: under, binding: Self.associatedData(replica: replica, counter: counter, key: key)) else {
            throw .doesNotOpen
        }
        let change: Change
        do {
            change = try WireJSON.decodeChange(json)
        } catch {
            throw .unreadable("\(error)")
        }
        guard change.dot == dot else { throw .otherDot(change.dot.description) }
        return change
    }
}

/// Why a sealed change was not opened.
public enum SealedChangeProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// Sealed under a key this replica does not hold (`id`).
    case unknownKey(String)
    /// The box does not open under the key it names: changed in storage or in transit, or moved
    /// to another dot.
    case doesNotOpen
    /// It opened, but what is inside is not a change this version reads.
    case unreadable(String)
    /// It opened, but the change inside has another dot than the one outside.
    case otherDot(String)
    /// It opened, but the change inside breaks a rule every store keeps.
    case invalid(GlossError.ChangeDefect)
    /// It came in the clear, written after the library was encrypted (``SealedBounds``): anyone
    /// between could have made it.
    case inTheClear

    public var description: String {
        switch self {
        case .unknownKey(let id): "it is sealed under key \(id), which this replica does not hold (has it synced since that key's rotation was published?)"
        case .doesNotOpen: "it does not open under its key: it was changed after it was sealed, or moved to another change's place"
        case .unreadable(let detail): "what it holds is not a change this gloss reads (\(detail))"
        case .otherDot(let dot): "it holds the change \(dot), not the one it is labelled as"
        case .invalid(let defect): "the change it holds is refused: \(defect)"
        case .inTheClear: "it came in the clear, written after the library was encrypted, so anyone between could have made it; its writer must join the library"
        }
    }
}

extension WireJSON {
    /// The JSON of one change: the object ``encode(_:)-(PushRequest)`` writes for it in a
    /// message's `changes` array.
    public static func encode(change: Change) -> [UInt8] {
        var w = Writer()
        w.change(change)
        return w.bytes
    }

    /// The JSON of one sealed change, as a message's `changes` array holds it.
    public static func encode(sealed change: SealedChange) -> [UInt8] {
        var w = Writer()
        w.sealed(change)
        return w.bytes
    }

    /// One change's JSON object, as ``encode(change:)`` writes it (a relay reads the plain
    /// changes it keeps this way).
    package static func decodeChange(_ bytes: some ContiguousBytes) throws -> Change {
        guard case .plain(let change) = try Reader.element(bytes) else {
            throw Malformed(description: "a sealed change holds another sealed change")
        }
        return change
    }
}
