/// What an annotation is.
public enum AnnotationKind: String, Hashable, Sendable, Codable, CaseIterable {
    case highlight, note, bookmark
}

/// Where an annotation points, in W3C Web Annotation terms: a `TextQuoteSelector` (exact, prefix,
/// suffix) and a `TextPositionSelector` (start, end in Unicode scalars), with the hash of the text
/// they were made against.
public struct TextAnchor: Hashable, Sendable, Codable {
    public var exact: String
    public var prefix: String
    public var suffix: String
    public var start: Int
    public var end: Int
    public var contentHash: String

    public init(exact: String, prefix: String, suffix: String, start: Int, end: Int, contentHash: String) {
        self.exact = exact
        self.prefix = prefix
        self.suffix = suffix
        self.start = start
        self.end = end
        self.contentHash = contentHash
    }

    var fieldValue: FieldValue {
        .object(["exact": .string(exact), "prefix": .string(prefix), "suffix": .string(suffix),
                 "start": .int(Int64(start)), "end": .int(Int64(end)), "hash": .string(contentHash)])
    }

    init?(_ value: FieldValue?) {
        guard let o = value?.object, let exact = o["exact"]?.string, let start = o["start"]?.int,
              let end = o["end"]?.int else { return nil }
        self.init(exact: exact, prefix: o["prefix"]?.string ?? "", suffix: o["suffix"]?.string ?? "",
                  start: Int(start), end: Int(end), contentHash: o["hash"]?.string ?? "")
    }
}

/// A highlight, note or bookmark on an article.
public struct Annotation: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var articleID: String
    public var kind: AnnotationKind
    public var anchor: TextAnchor?
    /// Markdown.
    public var note: String?
    public var color: String?
    public var createdAt: Int64
    public var modifiedAt: Int64
    public var tags: [String]
}
