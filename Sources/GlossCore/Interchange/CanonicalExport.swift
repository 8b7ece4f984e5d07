/// The canonical export of a store's replicated state, and a backup of it: two replicas holding
/// the same changes produce byte-identical exports, whatever order the changes arrived in, and
/// importing an export into an empty store rebuilds a library that exports the same bytes.
public struct CanonicalExport: Hashable, Sendable, Codable {
    public var format = CanonicalExport.formatName
    public var version = CanonicalExport.currentVersion
    public var articles: [Article]
    public var annotations: [Annotation]
    public var conflicts: [OpenConflict]

    public static let formatName = "gloss-export"
    /// The format this version writes: conflicts list each sibling's value and time, not the
    /// replica and counter that wrote it, which a restore (writing the values anew) cannot keep.
    /// Version 1 files are read too.
    public static let currentVersion = 2

    /// A conflicted field as an export keeps it: each sibling's value and time, in the order every
    /// replica lists them, and which one every replica shows meanwhile.
    public struct OpenConflict: Hashable, Sendable, Codable {
        public struct Sibling: Hashable, Sendable, Codable {
            public var value: FieldValue
            /// Milliseconds since 1970 by the writer's hybrid logical clock.
            public var time: UInt64
            public var isShown: Bool
        }
        public var entityID: String
        public var entityType: EntityType
        public var field: String
        public var siblings: [Sibling]

        init(_ conflict: Conflict) {
            entityID = conflict.entityID
            entityType = conflict.entityType
            field = conflict.field
            siblings = conflict.siblings.map { Sibling(value: $0.value, time: $0.time, isShown: $0.isShown) }
        }
    }
}
