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

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        if let wire = type as? any WireMessage.Type, let message = try wire.init(wireJSON: data) as? T {
            return message
        }
        return try JSONDecoder().decode(type, from: data)
    }
}
