public import Foundation
import GlossCore

/// A message with a hand-written JSON codec (``WireJSON``): senders and receivers use it in
/// place of `Codable` when a message has one.
public protocol WireMessage {
    func wireJSON() -> [UInt8]
    init(wireJSON bytes: some ContiguousBytes) throws
}

extension ChangeBundle: WireMessage {
    public func wireJSON() -> [UInt8] { WireJSON.encode(self) }
    public init(wireJSON bytes: some ContiguousBytes) throws { self = try WireJSON.decodeBundle(bytes) }
}

extension PullResponse: WireMessage {
    public func wireJSON() -> [UInt8] { WireJSON.encode(self) }
    public init(wireJSON bytes: some ContiguousBytes) throws { self = try WireJSON.decodePullResponse(bytes) }
}

extension PullRequest: WireMessage {
    public func wireJSON() -> [UInt8] { WireJSON.encode(self) }
    public init(wireJSON bytes: some ContiguousBytes) throws { self = try WireJSON.decodePullRequest(bytes) }
}

extension PushRequest: WireMessage {
    public func wireJSON() -> [UInt8] { WireJSON.encode(self) }
    public init(wireJSON bytes: some ContiguousBytes) throws { self = try WireJSON.decodePushRequest(bytes) }
}

/// JSON for any message: ``WireJSON`` for those that have it, `Codable` for the rest.
public enum MessageCoding {
    public static func encode(_ value: some Encodable) throws -> Data {
        if let message = value as? any WireMessage { return Data(message.wireJSON()) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Reads a message of `type`. One without a ``WireJSON`` codec is first checked against the
    /// wire format's limits (``WireLimits``) and only then handed to `JSONDecoder`, which holds
    /// no limit of its own.
    /// - Throws: `WireJSON.Malformed` past a limit (or for a wire message); `DecodingError` for
    ///   other bad JSON.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let wire = type as? any WireMessage.Type, let message = try wire.init(wireJSON: data) as? T {
            return message
        }
        do {
            try WireJSON.Reader.check(data)
        } catch let error as WireJSON.Malformed where error.isPastLimit {
            throw error
        } catch {
            // Not JSON: JSONDecoder says so in its own terms.
        }
        return try JSONDecoder().decode(type, from: data)
    }
}
