import GRDB

extension Store {
    /// Rebuilds what a canonical export holds: every article (text, metadata, flags, tags), every
    /// annotation (orphans keep the anchor they had) and every open conflict, in one transaction.
    /// An entity this store already has is left as it is. Each entity is written with the times
    /// the export shows, and a conflicted field as concurrent values, one per sibling, so an
    /// empty store that restores an export exports the same bytes.
    func restore(_ backup: CanonicalExport) throws -> ImportReport {
        let conflicts = Dictionary(grouping: backup.conflicts, by: \.entityID)
        return try writer.write { db in
            let batch = WriteBatch()
            var report = ImportReport()
            for article in backup.articles where try restore(db, batch, .article, id: article.id, fields: article.fields,
                                                             modified: article.modifiedAt, conflicts[article.id] ?? []) {
                report.articlesAdded += 1
            }
            for (index, annotation) in backup.annotations.enumerated() {
                let added = try restore(db, batch, .annotation, id: annotation.id, fields: annotation.fields,
                                        modified: annotation.modifiedAt, conflicts[annotation.id] ?? [])
                report.items.append(ImportOutcome(item: index + 1, status: added ? .imported : .alreadyPresent, id: annotation.id))
            }
            // Local writes from now on come after every restored time.
            batch.hlc = try batch.clock(db).tick(now: environment.now())
            try batch.flush(db)
            return report
        }
    }

    /// Writes one entity as local changes: its settled fields at its modification time, then one
    /// change per sibling of each conflicted field, with contexts that leave them concurrent. A
    /// contested delete is rebuilt as a delete that saw everything but the edits it lists, and
    /// those edits. Returns false, writing nothing, when the store has the entity.
    private func restore(_ db: Database, _ batch: WriteBatch, _ type: EntityType, id: String, fields: [String: FieldValue],
                         modified: Int64, _ conflicts: [CanonicalExport.OpenConflict]) throws -> Bool {
        if try db.int("SELECT 1 FROM entity_state WHERE id = ?", { $0.bind(id) }) != nil { return false }
        try Store.checkRestorable(type, id: id, fields: fields, conflicts)
        var settled = fields
        for conflict in conflicts { settled[conflict.field] = nil }
        let deleted = conflicts.first { $0.field == Fields.deleted }?.siblings ?? []
        for sibling in deleted {
            for field in Store.editedFields(sibling.value) ?? [] { settled[field] = nil }
        }
        // Within a millisecond, the logical part keeps the export's order (its siblings are sorted by time).
        func time(_ milliseconds: UInt64, _ order: Int) -> HLC { HLC(milliseconds: milliseconds, logical: UInt64(order)) }
        let base = settled.sorted { $0.key < $1.key }.map { FieldOp(field: $0.key, value: $0.value) }
        var isNew = true
        func write(_ hlc: HLC, _ ops: [FieldOp]) throws {
            guard !ops.isEmpty else { return }
            let local = try batch.index(of: replicaID, db)
            let dot = Dot(replica: replicaID, counter: UInt64(try batch.contiguous(local, db)) + 1)
            let change = Change(dot: dot, hlc: hlc, entityType: type, entityID: id, ops: ops)
            // What every peer will check before applying it.
            try Store.validate(change, now: environment.now())
            _ = try integrate(db, change, batch: batch, previous: isNew ? .some(nil) : nil)
            isNew = false
            batch.hlc = max(try batch.clock(db), hlc)
        }
        try write(time(UInt64(max(0, modified)), 0), base)
        // A contested delete saw every value but the edits it lists. An edit it lists is a sibling
        // of that field's own conflict when there is one (the same time), so those siblings are
        // written after the delete, and the delete's context covers everything written before it.
        let unseenEdits = Set(deleted.compactMap { sibling in
            Store.editedFields(sibling.value).map { fields in fields.map { "\($0)@\(sibling.time)" } }
        }.joined())
        var afterDelete: [(HLC, FieldOp)] = []
        for conflict in conflicts where conflict.field != Fields.deleted {
            for (order, sibling) in conflict.siblings.enumerated() {
                let op = (time(sibling.time, order + 1), FieldOp(field: conflict.field, value: sibling.value))
                if unseenEdits.contains("\(conflict.field)@\(sibling.time)") { afterDelete.append(op) } else { try write(op.0, [op.1]) }
            }
        }
        let seen = VersionVector([replicaID: UInt64(try batch.contiguous(try batch.index(of: replicaID, db), db))])
        for (order, sibling) in deleted.enumerated() where Store.editedFields(sibling.value) == nil {
            try write(time(sibling.time, order + 1), [FieldOp(field: Fields.deleted, value: sibling.value, context: seen)])
        }
        for (hlc, op) in afterDelete { try write(hlc, [op]) }
        let conflicted = Set(conflicts.map(\.field))
        for (order, sibling) in deleted.enumerated() {
            guard let edited = Store.editedFields(sibling.value) else { continue }
            let ops = edited.filter { !conflicted.contains($0) }.compactMap { field in fields[field].map { FieldOp(field: field, value: $0) } }
            try write(time(sibling.time, order + 1), ops)
        }
        return true
    }
}

extension Store {
    /// Refuses, before anything is written, an entity from a backup that no replica could have
    /// written: a malformed id, a field its type does not have, a tag or colour out of its domain.
    static func checkRestorable(_ type: EntityType, id: String, fields: [String: FieldValue],
                                _ conflicts: [CanonicalExport.OpenConflict]) throws {
        guard EntityIDFormat.isValid(id, for: type) else {
            throw GlossError.invalidChange(.backupMalformedID(type: type, id: id))
        }
        if type == .annotation, case .string(let article)? = fields[Fields.article], !EntityIDFormat.isValid(article, for: .article) {
            throw GlossError.invalidChange(.backupMalformedArticleID(annotation: id, article: article))
        }
        let named = Array(fields.keys) + conflicts.map(\.field)
            + conflicts.flatMap { $0.siblings.flatMap { Store.editedFields($0.value) ?? [] } }
        for field in named where !Fields.belongs(field, to: type) {
            throw GlossError.invalidChange(.backupUnknownField(type: type, id: id, field: field))
        }
        if case .string(let color)? = fields[Fields.color] { _ = try validColor(color) }
        for conflict in conflicts where conflict.field == Fields.color {
            for sibling in conflict.siblings { if case .string(let color) = sibling.value { _ = try validColor(color) } }
        }
    }
}

extension Article {
    /// The replicated fields that show this article.
    var fields: [String: FieldValue] {
        var fields: [String: FieldValue] = [Fields.title: .string(title), Fields.savedAt: .int(savedAt)]
        fields[isWaiting ? Fields.waiting : Fields.body] = isWaiting ? .bool(true) : .string(text)
        let optional: [(String, String?)] = [
            (Fields.url, url), (Fields.byline, byline), (Fields.site, siteName), (Fields.published, published),
            (Fields.section, section), (Fields.dateline, dateline), (Fields.format, format),
        ]
        for (field, value) in optional { if let value { fields[field] = .string(value) } }
        for (field, flag) in [(Fields.read, isRead), (Fields.archived, isArchived), (Fields.starred, isStarred)] where flag {
            fields[field] = .bool(true)
        }
        for tag in tags { fields[Fields.tag(tag)] = .bool(true) }
        return fields
    }
}

extension Annotation {
    /// The replicated fields that show this annotation.
    var fields: [String: FieldValue] {
        var fields: [String: FieldValue] = [Fields.article: .string(articleID), Fields.kind: .string(kind.rawValue),
                                            Fields.createdAt: .int(createdAt)]
        if let anchor { fields[Fields.anchor] = anchor.fieldValue }
        if let note { fields[Fields.note] = .string(note) }
        if let color { fields[Fields.color] = .string(color) }
        for tag in tags { fields[Fields.tag(tag)] = .bool(true) }
        return fields
    }
}
