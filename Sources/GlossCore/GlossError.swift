/// Everything GlossCore reports to a caller: each case carries the facts of what went wrong, and
/// its description says it in words that hold for any program using the store. A program adds
/// its own advice (which command or flag to use) on top.
public enum GlossError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file at `path` is some other file than a Gloss store; it was left untouched.
    case notAGlossStore(path: String)
    /// The store's file is damaged: SQLite finds it malformed.
    case storeDamaged(path: String)
    case storeUnreadable(path: String, reason: String)
    /// No visible article or annotation has an id starting with this.
    case unknownID(String)
    /// Several ids start with this; `candidates` holds some of them.
    case ambiguousID(String, candidates: [String])
    /// The text is not hex digits (and dashes).
    case invalidID(String)
    case wrongKind(id: String, expected: String)
    /// An article to save has no text.
    case emptyText
    case emptyQuote
    case quoteNotFound(quote: String, articleTitle: String)
    /// The quote occurs more than once and no occurrence was chosen.
    case ambiguousQuote(quote: String, occurrences: Int)
    /// The chosen occurrence (1-based) is past the last one.
    case occurrenceOutOfRange(requested: Int, occurrences: Int)
    /// The entity has no conflict on this field.
    case noConflict(entityID: String, field: String)
    /// The value chosen to keep (1-based) is not one of the conflict's `values`.
    case conflictValueOutOfRange(requested: Int, values: Int)
    /// A conflict between a delete and an edit is settled only by keeping one of its `values`.
    case deleteConflictNeedsAChoice(values: Int)
    /// A search query holds filters but no word to look for.
    case emptySearch
    /// A note to attach has no text (or only white space).
    case emptyNote
    /// Tags were to be added or removed, but none was given.
    case noTags
    /// A highlight colour that is not one of `known`.
    case unknownColor(String, known: [String])
    /// The text given as a tag is no tag: a tag is 1 to 64 characters.
    case invalidTag(String)
    /// A name for a token or replica is `length` characters (after trimming), outside 1 to 64.
    case invalidName(kind: NameKind, length: Int)
    /// A remote to save lacks its URL, its token, or both.
    case incompleteRemote(lacksURL: Bool, lacksToken: Bool)
    /// An anchor whose range is not a range of any text (negative, or ending before it starts).
    case anchorOutOfRange(start: Int, end: Int)
    /// A passage was chosen in a version of the article's text that is no longer its text.
    case textChanged(articleID: String)
    /// A snapshot written by a newer Gloss: its schema has a migration this version lacks.
    case snapshotTooNew(migration: String)
    /// The store holds a signing key for its own replica other than its own private key's: the
    /// key it signed with was lost or replaced, so what it signed now others would refuse.
    case signingKeyMismatch(replica: ReplicaID)
    /// A file to import is not UTF-8 text.
    case importNotUTF8
    /// A file to import is not JSON; `reason` says where it stops being JSON.
    case importNotJSON(reason: String)
    /// A Gloss export of a version this Gloss cannot read (`found` is nil when it states none).
    case unsupportedExportVersion(found: String?, readable: ClosedRange<Int>)
    /// A Gloss export that does not decode as a whole library; `reason` says where it fails.
    case incompleteExport(reason: String)
    /// One item of a file to import (an annotation or an embedded article) cannot be imported.
    case importItem(ImportDefect)
    /// A change no honest replica could have written (from a peer, the change log or a
    /// backup); nothing from its batch was applied.
    case invalidChange(ChangeDefect)

    public var description: String {
        switch self {
        case .notAGlossStore(let path):
            "\(path) is not a Gloss store (it is some other file, left as it was)."
        case .storeDamaged(let path):
            "the store at \(path) is damaged: SQLite finds the file malformed."
        case .storeUnreadable(let path, let reason):
            "cannot open the store at \(path): \(reason)"
        case .unknownID(let id):
            "no article or annotation has an id starting with '\(id)'."
        case .ambiguousID(let id, let candidates):
            "'\(id)' matches \(candidates.count) ids (\(candidates.prefix(5).joined(separator: ", "))\(candidates.count > 5 ? ", …" : "")). Type more characters."
        case .invalidID(let id):
            "'\(id)' is not an id: ids are hexadecimal (with dashes for annotations)."
        case .wrongKind(let id, let expected):
            "\(id) is not \(expected)."
        case .emptyText:
            "the article has no text to save."
        case .emptyQuote:
            "the quote is empty. Give the exact words to highlight."
        case .quoteNotFound(let quote, let title):
            "\"\(quote.count > 60 ? quote.prefix(57) + "…" : Substring(quote))\" does not occur in \"\(title)\"."
        case .ambiguousQuote(let quote, let count):
            "\"\(quote)\" occurs \(count) times: choose an occurrence (1…\(count)), or quote more words."
        case .occurrenceOutOfRange(let requested, let count):
            "occurrence \(requested) is out of range: the quote occurs \(count) time\(count == 1 ? "" : "s")."
        case .noConflict(let entityID, let field):
            "\(entityID) has no conflict on '\(field)'."
        case .conflictValueOutOfRange(let requested, let values):
            "value \(requested) is not in the conflict: it has values 1…\(values)."
        case .deleteConflictNeedsAChoice(let values):
            "a conflict between a delete and an edit is settled by keeping one of its values (1…\(values)): the delete, or an edit to keep the item."
        case .emptySearch:
            "the search has no words. Give at least one word to look for (filters like tag: narrow it)."
        case .emptyNote:
            "the note is empty. Give its text."
        case .noTags:
            "give at least one tag"
        case .unknownColor(let color, let known):
            "unknown colour '\(color)'. Use one of: \(known.joined(separator: ", "))."
        case .invalidTag(let tag):
            "'\(tag)' is not a tag: a tag is 1 to 64 characters."
        case .invalidName(let kind, _):
            "a \(kind.rawValue) name must be 1 to 64 characters"
        case .incompleteRemote:
            "a saved remote needs a URL and a token"
        case .anchorOutOfRange(let start, let end):
            "an anchor's range \(start)..<\(end) is not a range of the text"
        case .signingKeyMismatch(let replica):
            "this store's replica \(replica.short) has lost the private key it signed its changes with (the store's settings were altered or restored from elsewhere); other replicas would refuse what it signs now"
        case .snapshotTooNew(let migration):
            "the snapshot was written by a newer Gloss (its schema has \(migration)): update Gloss to read it"
        case .textChanged:
            "the article's text has changed since the passage was chosen: open it again and choose the passage in its new text"
        case .importNotUTF8:
            "the file is not UTF-8 text: export it again as JSON"
        case .importNotJSON(let reason):
            "the file is not valid JSON (\(reason)); nothing was imported"
        case .unsupportedExportVersion(let found, let readable):
            "the file is a Gloss export of version \(found ?? "unknown"), which this Gloss cannot read (it reads \(readable.lowerBound) to \(readable.upperBound)); nothing was imported"
        case .incompleteExport(let reason):
            "the file is a Gloss export but not a whole one (\(reason)); nothing was imported"
        case .importItem(let defect):
            defect.description
        case .invalidChange(let defect):
            "rejected a change: \(defect). Nothing from this batch was applied."
        }
    }
}

extension GlossError {
    /// What a name names, for `invalidName`.
    public enum NameKind: String, Equatable, Sendable {
        case token, replica
    }

    /// Why one item of an import file cannot be imported; each description speaks of the item
    /// ("it", "its") since an import lists it by its position in the file.
    public enum ImportDefect: Equatable, Sendable, CustomStringConvertible {
        /// The item is JSON, but not an object.
        case notAnObject
        /// A W3C item whose `type` does not include `Annotation`.
        case notAnAnnotation
        /// A W3C annotation with no `target`.
        case noTarget
        /// Its selectors are all of these types, none of which anchors in text.
        case unanchorableSelectors(types: [String])
        /// An article a Gloss export embeds lacks its id, title or text.
        case incompleteArticle
        /// An embedded article's id is not the one its URL or text gives.
        case articleIDMismatch(id: String)
        /// No article in the store is the one it names (`target`: its source URL or article id,
        /// when it has one), nor, when it `hasQuote`, holds its quote.
        case noArticle(target: String?, hasQuote: Bool)
        /// Its quote is in several articles (`titles`), so which one it marks is unknown.
        case quoteInSeveralArticles(titles: [String])
        /// An entry of a Kindle clippings file or a row of a CSV export that cannot be read, and why
        /// (the reason names the line).
        case unreadableEntry(reason: String)

        public var description: String {
            switch self {
            case .notAnObject:
                "not a JSON object"
            case .notAnAnnotation:
                "not a Web Annotation (its type is not Annotation)"
            case .noTarget:
                "it has no target"
            case .unanchorableSelectors(let types):
                "its selectors (\(types.joined(separator: ", "))) cannot be anchored in text: Gloss reads TextQuoteSelector and TextPositionSelector"
            case .incompleteArticle:
                "an embedded article lacks its id, title or text"
            case .articleIDMismatch:
                "its id does not follow from its URL or text (was the file edited?); its annotations are attached by URL or content instead"
            case .noArticle(let target, let hasQuote):
                "no article in this store matches \(target ?? "its target")\(hasQuote ? " or holds its quote" : ""): add the article first"
            case .quoteInSeveralArticles(let titles):
                "its quote is in \(titles.count) articles (\(titles.joined(separator: "; "))): give its source URL to say which"
            case .unreadableEntry(let reason):
                "it cannot be read: \(reason)"
            }
        }
    }
}

extension GlossError {
    /// Which rule a change breaks, and where: the change's dot when it has one, else the entity
    /// a backup names. Ids and field names from outside are cut to 80 characters when told.
    public enum ChangeDefect: Hashable, Sendable, CustomStringConvertible {
        /// Its counter is 0; counters start at 1.
        case zeroCounter(Dot)
        /// Its counter (`n` on the wire) is above `Dot.maxCounter`, 2^63-1.
        case counterTooLarge(Dot)
        /// It is stamped (`t` on the wire) at `milliseconds`, more than `HLC.maxLead` past `now`.
        case stampedAhead(Dot, milliseconds: UInt64, now: UInt64)
        /// It carries no operation.
        case noOperation(Dot)
        /// Its entity id is not the form ids of `type` take.
        case malformedID(Dot, type: EntityType, id: String)
        /// One of its operations names a field that is empty or longer than 256 bytes.
        case malformedFieldName(Dot)
        /// One of its operations' contexts covers the change's own dot.
        case seesItself(Dot)
        /// It writes `entityID` as `written`, but the store holds that entity as `stored`.
        case typeMismatch(Dot, entityID: String, written: EntityType, stored: EntityType)
        /// It differs from the change this store holds under the same dot: two changes claim
        /// one place in their writer's history, so one of them is forged or rewritten. Neither
        /// is taken in place of the other.
        case rewritten(Dot)
        /// No batch its replica signed covers it, and the store does not hold it: the writer did
        /// not sign it, so it may be forged in the writer's name.
        case unsigned(Dot)
        /// Its batch signature does not verify: the batch's changes are not what its writer signed.
        case badSignature(Dot)
        /// Its batch is signed by a key other than the one this store trusts for its writer.
        case signedByAnotherKey(Dot)
        /// Its batch signature is not of the form one takes (key or signature length, counters, or
        /// a batch longer than `BatchSignature.maxLength`).
        case malformedSignature(Dot)
        /// Its batch (counters `first` through its own) is neither all in what arrived nor held.
        case incompleteBatch(Dot, first: UInt64)
        /// A row of the store's own change log does not read as a change.
        case unreadableLogRow
        /// A backup names an entity of `type` by an id not of that form.
        case backupMalformedID(type: EntityType, id: String)
        /// A backup's annotation names its article by an id not of an article's form.
        case backupMalformedArticleID(annotation: String, article: String)
        /// A backup gives an entity of `type` a field that type does not have.
        case backupUnknownField(type: EntityType, id: String, field: String)

        public var description: String {
            switch self {
            case .zeroCounter(let dot):
                "\(dot) has counter 0"
            case .counterTooLarge(let dot):
                "\(dot) has a counter ('n') above 2^63-1, the largest there is"
            case .stampedAhead(let dot, let milliseconds, let now):
                "\(dot) is stamped ('t') at \(milliseconds) ms, more than a day ahead of this machine's clock (\(now) ms)"
            case .noOperation(let dot):
                "\(dot) carries no operation"
            case .malformedID(let dot, let type, let id):
                "\(dot) names a malformed \(type.rawValue) id '\(id.prefix(80))'"
            case .malformedFieldName(let dot):
                "\(dot) has a malformed field name"
            case .seesItself(let dot):
                "\(dot) claims to have seen itself"
            case .typeMismatch(let dot, let id, let written, let stored):
                "\(dot) writes \(id) as an \(written.rawValue), but it is an \(stored.rawValue)"
            case .rewritten(let dot):
                "\(dot) differs from the change this store already holds under that dot (forged or rewritten history); the one held is kept"
            case .unsigned(let dot):
                "\(dot) is not signed by its replica (forged in that replica's name, or written or handed on by a Gloss from before replicas signed their changes); it was not taken"
            case .badSignature(let dot):
                "\(dot) carries a batch signature that does not verify: the batch is not what its replica signed (forged or altered); it was not taken"
            case .signedByAnotherKey(let dot):
                "\(dot) is signed with a key other than the one this store holds for its replica (two machines claim one replica id, or one is forged); it was not taken"
            case .malformedSignature(let dot):
                "\(dot) carries a malformed batch signature"
            case .incompleteBatch(let dot, let first):
                "\(dot) ends a signed batch from counter \(first), but not all of that batch arrived, so it cannot be checked"
            case .unreadableLogRow:
                "the change log holds an unreadable row"
            case .backupMalformedID(let type, let id):
                "the backup names a malformed \(type.rawValue) id '\(id.prefix(80))'"
            case .backupMalformedArticleID(let annotation, let article):
                "annotation \(annotation) names a malformed article id '\(article.prefix(80))'"
            case .backupUnknownField(let type, let id, let field):
                "\(type.rawValue) \(id) has a field '\(field.prefix(80))' that \(type.rawValue)s do not have"
            }
        }
    }
}
