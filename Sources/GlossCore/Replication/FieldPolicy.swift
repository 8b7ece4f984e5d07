/// How a field's concurrent values are shown and whether they are a conflict.
enum FieldPolicy {
    /// A multi-value register: distinct concurrent values are a conflict a person resolves.
    case register
    /// Machine-written or trivial state (read flags, anchors): the latest value shows, siblings
    /// are kept but never listed as a conflict.
    case lastWriterWins
    /// A first-occurrence time: the smallest value shows, never a conflict.
    case earliest
    /// One member of an add-wins set: present while any value is alive.
    case setMember

    static func of(_ field: String) -> FieldPolicy {
        if field.hasPrefix(Fields.tagPrefix) { return .setMember }
        switch field {
        case Fields.savedAt, Fields.createdAt: return .earliest
        case Fields.read, Fields.archived, Fields.starred, Fields.anchor, Fields.format, Fields.waiting: return .lastWriterWins
        default: return .register
        }
    }
}

/// Names of the replicated fields, as they appear in changes and on the wire.
public enum Fields {
    // Article
    public static let url = "url", title = "title", byline = "byline", site = "site"
    public static let published = "published", section = "section", dateline = "dateline"
    public static let format = "format", savedAt = "savedAt", body = "body"
    public static let read = "read", archived = "archived", starred = "starred"
    /// True on an article made from its address alone (an imported link, a book named by a
    /// highlight export): it may be shown without a body. Written false when the text arrives.
    public static let waiting = "waiting"
    // Annotation
    public static let article = "article", kind = "kind", anchor = "anchor", note = "note"
    public static let color = "color", createdAt = "createdAt"
    // Both
    public static let deleted = "deleted"
    public static let tagPrefix = "tag:"

    static func tag(_ name: String) -> String { tagPrefix + name }

    static let articleFields = [url, title, byline, site, published, section, dateline, format, savedAt, body, read, archived, starred, waiting, deleted]
    static let annotationFields = [Fields.article, kind, anchor, note, color, createdAt, deleted]

    /// Whether an entity of `type` has `field`: one of its named fields, or a tag in normal spelling.
    static func belongs(_ field: String, to type: EntityType) -> Bool {
        if field.hasPrefix(tagPrefix) {
            let name = String(field.dropFirst(tagPrefix.count))
            return TagName.normalize(name) == name
        }
        return (type == .article ? Fields.articleFields : Fields.annotationFields).contains(field)
    }
}
