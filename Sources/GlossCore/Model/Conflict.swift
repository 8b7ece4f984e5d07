/// A conflicted field and every sibling value it holds.
public struct Conflict: Hashable, Sendable, Codable {
    public struct Sibling: Hashable, Sendable, Codable {
        public var value: FieldValue
        public var replica: ReplicaID
        public var replicaName: String?
        public var counter: UInt64
        /// Milliseconds since 1970 by the writer's hybrid logical clock.
        public var time: UInt64
        /// True for the value every replica shows until the conflict is resolved.
        public var isShown: Bool
    }
    public var entityID: String
    public var entityType: EntityType
    public var field: String
    public var siblings: [Sibling]
}

/// A conflicted field of an entity.
public struct ConflictRef: Hashable, Sendable, Codable {
    public var entityID: String
    public var entityType: EntityType
    public var field: String
}
