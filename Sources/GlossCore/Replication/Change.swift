/// The kinds of replicated entity.
public enum EntityType: String, Hashable, Sendable, Codable, CaseIterable {
    case article, annotation
}

/// One field operation inside a change: set `field` to `value`, overwriting the values `context`
/// covers. A `nil` value only overwrites (how a tag is removed).
public struct FieldOp: Hashable, Sendable, Codable {
    public var field: String
    public var value: FieldValue?
    public var context: VersionVector

    public init(field: String, value: FieldValue?, context: VersionVector = VersionVector()) {
        self.field = field
        self.value = value
        self.context = context
    }

    enum CodingKeys: String, CodingKey { case field = "f", value = "v", context = "c" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        field = try c.decode(String.self, forKey: .field)
        // Absent is a pure overwrite (how a tag is removed).
        value = try c.decodeIfPresent(TaggedValue.self, forKey: .value)?.value
        context = try c.decodeIfPresent(VersionVector.self, forKey: .context) ?? VersionVector()
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(field, forKey: .field)
        if let value { try c.encode(TaggedValue(value), forKey: .value) }
        if !context.isEmpty { try c.encode(context, forKey: .context) }
    }
}

/// A replicable mutation: the operations one user action made on one entity, stamped with the
/// writer's dot and hybrid logical clock.
public struct Change: Hashable, Sendable, Codable {
    public var dot: Dot
    public var hlc: HLC
    public var entityType: EntityType
    public var entityID: String
    public var ops: [FieldOp]
    /// On the last change of a batch its writer signed: the signature over the batch (`g` on the
    /// wire). Not part of what the change says: ``sameContent(as:)`` and the signed bytes leave it out.
    public var signature: BatchSignature?

    public init(dot: Dot, hlc: HLC, entityType: EntityType, entityID: String, ops: [FieldOp],
                signature: BatchSignature? = nil) {
        self.dot = dot
        self.hlc = hlc
        self.entityType = entityType
        self.entityID = entityID
        self.ops = ops
        self.signature = signature
    }

    /// True when `other` is this change, whether or not either carries its batch's signature.
    public func sameContent(as other: Change) -> Bool {
        dot == other.dot && hlc == other.hlc && entityType == other.entityType && entityID == other.entityID && ops == other.ops
    }

    /// This change without its batch signature.
    public var unsigned: Change {
        var copy = self
        copy.signature = nil
        return copy
    }

    enum CodingKeys: String, CodingKey {
        case replica = "r", counter = "n", hlc = "t", entityType = "e", entityID = "i", ops = "o", signature = "g"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dot = Dot(replica: try c.decode(ReplicaID.self, forKey: .replica),
                  counter: try c.decode(UInt64.self, forKey: .counter))
        hlc = try c.decode(HLC.self, forKey: .hlc)
        entityType = try c.decode(EntityType.self, forKey: .entityType)
        entityID = try c.decode(String.self, forKey: .entityID)
        ops = try c.decode([FieldOp].self, forKey: .ops)
        signature = try c.decodeIfPresent(BatchSignature.self, forKey: .signature)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(dot.replica, forKey: .replica)
        try c.encode(dot.counter, forKey: .counter)
        try c.encode(hlc, forKey: .hlc)
        try c.encode(entityType, forKey: .entityType)
        try c.encode(entityID, forKey: .entityID)
        try c.encode(ops, forKey: .ops)
        try c.encodeIfPresent(signature, forKey: .signature)
    }
}
