/// A replicated field's value: the JSON subset Gloss stores (no floating point, so encodings are
/// canonical and equal values compare equal on every replica).
public enum FieldValue: Hashable, Sendable, Codable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case object([String: FieldValue])

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var int: Int64? { if case .int(let i) = self { i } else { nil } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var object: [String: FieldValue]? { if case .object(let o) = self { o } else { nil } }

    /// `nil` becomes `.null`.
    public init(_ string: String?) { self = string.map(FieldValue.string) ?? .null }

    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .string(let s): s
        case .object(let o): "{" + o.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Most values are strings, then numbers: try those first (a failed try throws, which costs).
        if container.decodeNil() { self = .null }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let i = try? container.decode(Int64.self) { self = .int(i) }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let o = try? container.decode([String: FieldValue].self) { self = .object(o) }
        else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unsupported field value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .int(let i): try container.encode(i)
        case .string(let s): try container.encode(s)
        case .object(let o): try container.encode(o)
        }
    }
}

/// A field value as stored and sent: one key naming its kind (`n`, `b`, `i`, `s`, `o`), so
/// reading it never has to guess the type. Exports use `FieldValue`'s plain JSON instead.
struct TaggedValue: Hashable, Sendable, Codable {
    var value: FieldValue

    init(_ value: FieldValue) { self.value = value }

    enum CodingKeys: String, CodingKey { case null = "n", bool = "b", int = "i", string = "s", object = "o" }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.string) { value = .string(try c.decode(String.self, forKey: .string)) }
        else if c.contains(.int) { value = .int(try c.decode(Int64.self, forKey: .int)) }
        else if c.contains(.bool) { value = .bool(try c.decode(Bool.self, forKey: .bool)) }
        else if c.contains(.object) { value = .object(try c.decode([String: TaggedValue].self, forKey: .object).mapValues(\.value)) }
        else if c.contains(.null) { value = .null }
        else { throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "a value needs one of the keys n, b, i, s, o")) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch value {
        case .null: try c.encodeNil(forKey: .null)
        case .bool(let b): try c.encode(b, forKey: .bool)
        case .int(let i): try c.encode(i, forKey: .int)
        case .string(let s): try c.encode(s, forKey: .string)
        case .object(let o): try c.encode(o.mapValues(TaggedValue.init), forKey: .object)
        }
    }
}
