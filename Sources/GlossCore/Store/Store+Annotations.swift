import Foundation
import GRDB

extension Store {
    /// Highlights `quote` in an article: a W3C TextQuote + TextPosition anchor on the article's
    /// current text. An absent quote is an error; a repeated one needs `occurrence` (1-based).
    public func highlight(articleID: String, quote: String, occurrence: Int? = nil, note: String? = nil,
                          color: String? = nil, tags: [String] = []) throws -> Annotation {
        let article = try self.article(articleID)
        guard !QuoteLocator.foldQuote(quote).isEmpty else { throw GlossError.emptyQuote }
        let locator = QuoteLocator(text: article.text)
        let found = locator.occurrences(of: quote)
        guard !found.isEmpty else { throw GlossError.quoteNotFound(quote: quote, articleTitle: article.title) }
        let range: Range<Int>
        if let occurrence {
            guard (1...found.count).contains(occurrence) else {
                throw GlossError.occurrenceOutOfRange(requested: occurrence, occurrences: found.count)
            }
            range = found[occurrence - 1]
        } else {
            guard found.count == 1 else { throw GlossError.ambiguousQuote(quote: quote, occurrences: found.count) }
            range = found[0]
        }
        let anchor = locator.anchor(range, contentHash: article.contentHash)
        return try createAnnotation(articleID: article.id, kind: .highlight, anchor: anchor, note: note,
                                    color: color ?? "yellow", tags: tags)
    }

    /// Attaches a note (Markdown) to a whole article.
    public func addNote(articleID: String, text: String, tags: [String] = []) throws -> Annotation {
        let article = try self.article(articleID)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw GlossError.emptyNote
        }
        return try createAnnotation(articleID: article.id, kind: .note, anchor: nil, note: text, color: nil, tags: tags)
    }

    func createAnnotation(articleID: String, kind: AnnotationKind, anchor: TextAnchor?, note: String?,
                                  color: String?, tags: [String]) throws -> Annotation {
        let color = try color.map(Store.validColor)
        let tags = try Store.validTags(tags)
        let now = environment.now()
        let id = Identity.uuidV7(milliseconds: now, random: environment.randomBytes(10))
        return try writer.write { db in
            try commitLocal(db, type: .annotation, id: id) { _ in
                Store.annotationOps(articleID: articleID, kind: kind, created: Int64(now), anchor: anchor,
                                    note: note, color: color, tags: tags)
            }
            return try annotation(db, id: id)
        }
    }

    /// Records many annotations in one transaction, each as its own change, so each syncs and
    /// merges on its own. For bulk writers (importers, tools, benchmarks): anchors are taken as
    /// given, and every article must already be in the store. All or nothing. Returns the new ids.
    public func record(_ drafts: [AnnotationDraft]) throws -> [String] {
        let checked = try drafts.map { draft in
            var draft = draft
            draft.color = try draft.color.map(Store.validColor)
            draft.tags = try Store.validTags(draft.tags)
            if let anchor = draft.anchor, anchor.start < 0 || anchor.end < anchor.start {
                throw GlossError.anchorOutOfRange(start: anchor.start, end: anchor.end)
            }
            return draft
        }
        return try writer.write { db in
            var known: Set<String> = []
            let batch = WriteBatch()
            let ids = try checked.map { draft in
                if !known.contains(draft.articleID) {
                    guard try db.int("SELECT 1 FROM article WHERE id = ?", { $0.bind(draft.articleID) }) != nil else {
                        throw GlossError.unknownID(draft.articleID)
                    }
                    known.insert(draft.articleID)
                }
                let now = environment.now()
                let id = Identity.uuidV7(milliseconds: now, random: environment.randomBytes(10))
                try commitLocal(db, type: .annotation, id: id, isNew: true, batch: batch) { _ in
                    Store.annotationOps(articleID: draft.articleID, kind: draft.kind, created: Int64(now), anchor: draft.anchor,
                                        note: draft.note, color: draft.color, tags: draft.tags)
                }
                return id
            }
            try batch.flush(db)
            return ids
        }
    }

    /// The operations that create an annotation.
    static func annotationOps(articleID: String, kind: AnnotationKind, created: Int64, anchor: TextAnchor?,
                              note: String?, color: String?, tags: [String]) -> [FieldOp] {
        var ops = [
            FieldOp(field: Fields.article, value: .string(articleID)),
            FieldOp(field: Fields.kind, value: .string(kind.rawValue)),
            FieldOp(field: Fields.createdAt, value: .int(created)),
        ]
        if let anchor { ops.append(FieldOp(field: Fields.anchor, value: anchor.fieldValue)) }
        if let note, !note.isEmpty { ops.append(FieldOp(field: Fields.note, value: .string(note))) }
        if let color { ops.append(FieldOp(field: Fields.color, value: .string(color))) }
        ops += tags.map { FieldOp(field: Fields.tag($0), value: .bool(true)) }
        return ops
    }

    /// Annotations of one article in text order, or of every article.
    public func annotations(articleID: String? = nil) throws -> [Annotation] {
        try writer.read { db in
            let ids: [String]
            if let articleID {
                ids = try String.fetchAll(db, sql: """
                    SELECT id FROM annotation WHERE article_id = ? ORDER BY start IS NULL, start, created_at, id
                    """, arguments: [articleID])
            } else {
                ids = try String.fetchAll(db, sql: """
                    SELECT n.id FROM annotation n JOIN article a ON a.id = n.article_id
                    ORDER BY a.saved_at DESC, n.article_id, n.start IS NULL, n.start, n.created_at, n.id
                    """)
            }
            return try ids.map { try annotation(db, id: $0) }
        }
    }

    /// The annotation `id` (a full id).
    public func annotation(_ id: String) throws -> Annotation {
        try writer.read { db in try annotation(db, id: id) }
    }

    func annotation(_ db: Database, id: String) throws -> Annotation {
        guard let annotation = Annotation(id: id, state: try liveState(db, id: id, type: .annotation)) else {
            throw GlossError.unknownID(id)
        }
        return annotation
    }

    /// Changes an annotation's note and/or colour, and with `tags` makes its tags exactly those,
    /// all in one change: a refused value (a colour or tag that is no such thing) writes nothing.
    /// Returns false when everything was already so.
    @discardableResult
    public func editAnnotation(_ id: String, note: String? = nil, color: String? = nil, tags: [String]? = nil) throws -> Bool {
        let color = try color.map(Store.validColor)
        let tags = try tags.map(Store.validTags)
        return try writer.write { db in
            _ = try annotation(db, id: id)
            let change = try commitLocal(db, type: .annotation, id: id) { state in
                guard let state else { return [] }
                var ops = tags.map { Store.tagOps(state, making: $0) } ?? []
                for (field, value) in [(Fields.note, note), (Fields.color, color)] {
                    guard let value else { continue }
                    let newValue: FieldValue = value.isEmpty ? .null : .string(value)
                    let register = state.registers[field]
                    // Rewriting the shown value would still settle siblings, so only skip when calm.
                    if register?.values.count == 1 && register?.latest?.value == newValue { continue }
                    if register == nil && newValue == .null { continue }
                    ops.append(FieldOp(field: field, value: newValue, context: state.context(for: field)))
                }
                return ops
            }
            return change != nil
        }
    }

    /// Adds (or with `remove`, removes) tags on an article or annotation. Tags are an add-wins
    /// (observed-remove) set: every add is a new write, even of a tag already there, so a tag
    /// added on one replica while another removed it stays. A remove covers only the adds this
    /// replica has seen.
    @discardableResult
    public func setTags(_ id: String, _ tags: [String], remove: Bool = false) throws -> [String] {
        let tags = try Store.validTags(tags)
        guard !tags.isEmpty else { throw GlossError.noTags }
        return try writer.write { db in
            let state = try liveState(db, id: id)
            try commitLocal(db, type: state.type, id: id) { state in
                guard let state else { return [] }
                return tags.compactMap { tag in
                    let field = Fields.tag(tag)
                    let present = !(state.registers[field]?.values.isEmpty ?? true)
                    if remove {
                        return present ? FieldOp(field: field, value: nil, context: state.context(for: field)) : nil
                    }
                    return FieldOp(field: field, value: .bool(true), context: state.context(for: field))
                }
            }
            return try loadState(db, id: id)?.tags ?? []
        }
    }

    /// Makes an article's or annotation's tags exactly `tags`, in one change: adds what is new,
    /// removes what is gone (covering only the adds this replica has seen). Returns the tags.
    @discardableResult
    public func replaceTags(of id: String, with tags: [String]) throws -> [String] {
        let tags = try Store.validTags(tags)
        return try writer.write { db in
            let state = try liveState(db, id: id)
            try commitLocal(db, type: state.type, id: id) { state in
                state.map { Store.tagOps($0, making: tags) } ?? []
            }
            return try loadState(db, id: id)?.tags ?? []
        }
    }

    /// The operations that make `state`'s tags exactly `tags`.
    static func tagOps(_ state: EntityState, making tags: [String]) -> [FieldOp] {
        let current = state.tags
        return tags.filter { !current.contains($0) }.map { FieldOp(field: Fields.tag($0), value: .bool(true), context: state.context(for: Fields.tag($0))) }
            + current.filter { !tags.contains($0) }.map { FieldOp(field: Fields.tag($0), value: nil, context: state.context(for: Fields.tag($0))) }
    }

    /// Deletes an article or annotation. The delete covers only what this replica has seen: an
    /// edit made elsewhere meanwhile keeps the item, and the pair is listed as a conflict. An
    /// article's kept original goes too, unless another article uses the same one.
    public func delete(_ id: String) throws {
        try writer.write { db in
            let state = try liveState(db, id: id)
            try commitLocal(db, type: state.type, id: id) { state in
                guard let state else { return [] }
                return [FieldOp(field: Fields.deleted, value: .bool(true), context: state.wholeContext)]
            }
            // An article's original goes with it, unless another article uses it too.
            if state.type == .article { _ = try dropOriginalsOfDeletedArticles(db) }
        }
    }

    /// The highlight colours a person can choose.
    public static let colors = ["yellow", "green", "blue", "pink", "purple", "orange", "red", "gray"]

    static func validColor(_ color: String) throws -> String {
        let lower = color.lowercased()
        guard lower.isEmpty || colors.contains(lower) else {
            throw GlossError.unknownColor(color, known: colors)
        }
        return lower
    }

    static func validTags(_ tags: [String]) throws -> [String] {
        try tags.map { raw in
            guard let tag = TagName.normalize(raw) else {
                throw GlossError.invalidTag(raw)
            }
            return tag
        }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }
}

/// An annotation to record with ``Store/record(_:)``: everything but its id and times.
public struct AnnotationDraft: Hashable, Sendable {
    public var articleID: String
    public var kind: AnnotationKind
    public var anchor: TextAnchor?
    /// Markdown.
    public var note: String?
    public var color: String?
    public var tags: [String]

    public init(articleID: String, kind: AnnotationKind = .highlight, anchor: TextAnchor? = nil, note: String? = nil,
                color: String? = nil, tags: [String] = []) {
        self.articleID = articleID
        self.kind = kind
        self.anchor = anchor
        self.note = note
        self.color = color
        self.tags = tags
    }
}
