/// The canonical export of a store's replicated state. Two replicas holding the same changes
/// produce byte-identical exports, whatever order the changes arrived in.
public struct CanonicalExport: Hashable, Sendable, Codable {
    public var format = "gloss-export"
    public var version = 1
    public var articles: [Article]
    public var annotations: [Annotation]
    public var conflicts: [Conflict]
}
