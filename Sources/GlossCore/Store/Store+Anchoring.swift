import GRDB

extension Store {
    /// Locates every highlight of an article again in its current text and records each new
    /// anchor as a change (so it syncs). A highlight whose passage is gone keeps its old anchor:
    /// its hash no longer matches the text, which is what makes it an orphan.
    func reanchor(_ db: Database, articleID: String) throws -> (moved: Int, orphaned: Int) {
        guard let articleState = try loadState(db, id: articleID), let article = Article(id: articleID, state: articleState) else {
            return (0, 0)
        }
        let text = AnchoringText(article)
        var moved = 0, orphaned = 0
        for id in try String.fetchAll(db, sql: "SELECT id FROM annotation WHERE article_id = ? AND exact IS NOT NULL", arguments: [articleID]) {
            guard let state = try loadState(db, id: id), let anchor = TextAnchor(state.value(Fields.anchor)),
                  anchor.contentHash != article.contentHash else { continue }
            guard let range = text.locate(anchor).range else {
                orphaned += 1
                continue
            }
            moved += 1
            let relocated = text.anchor(range)
            try commitLocal(db, type: .annotation, id: id) { state in
                [FieldOp(field: Fields.anchor, value: relocated.fieldValue, context: state?.context(for: Fields.anchor) ?? VersionVector())]
            }
        }
        return (moved, orphaned)
    }

    /// Highlights whose passage is no longer in their article's text.
    public func orphans() throws -> [Annotation] {
        let ids = try writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT n.id FROM annotation n JOIN article a ON a.id = n.article_id
                WHERE n.exact IS NOT NULL AND n.content_hash IS NOT a.content_hash
                ORDER BY a.saved_at DESC, n.start, n.id
                """)
        }
        return try ids.map(annotation)
    }
}
