import Foundation
import GRDB

// MARK: - Ids by prefix

extension Store {
    /// The one visible article or annotation whose id starts with `prefix`, as git finds a commit
    /// by an abbreviated hash; with `includingDeleted`, deleted ones too (their history is kept).
    /// Case and dashes do not matter: `01a236ca4a47` finds `01a236ca-4a47-7…` as `01a236ca-4a47` does.
    public func entity(prefix: String, includingDeleted: Bool = false) throws -> (type: EntityType, id: String) {
        let typed = prefix.trimmingCharacters(in: .whitespaces)
        guard let digits = ShortIDs.digits(of: typed.lowercased()) else { throw GlossError.invalidID(prefix) }
        let patterns = [digits + "*", ShortIDs.uuidShaped(digits) + "*"]
        let matches = try writer.read { db in
            if includingDeleted {
                return try Set(patterns).flatMap { pattern in
                    try Row.fetchAll(db, sql: "SELECT type, id FROM entity_state WHERE id GLOB ? LIMIT 6", arguments: [pattern])
                        .compactMap { row in EntityType(rawValue: row[0]).map { ($0, row[1] as String) } }
                }
            }
            let articles = try String.fetchAll(db, sql: "SELECT id FROM article WHERE id GLOB ? LIMIT 6", arguments: [patterns[0]])
            let annotations = try String.fetchAll(db, sql: "SELECT id FROM annotation WHERE id GLOB ? LIMIT 6", arguments: [patterns[1]])
            return articles.map { (EntityType.article, $0) } + annotations.map { (EntityType.annotation, $0) }
        }
        guard let first = matches.first else { throw GlossError.unknownID(typed) }
        guard matches.count == 1 else { throw GlossError.ambiguousID(typed, candidates: matches.map(\.1)) }
        return first
    }

    /// Up to `limit` visible articles' and annotations' ids starting with `prefix` (dashes and
    /// case ignored), in order: the choices for a partly typed id. Nothing for a prefix that
    /// cannot start an id.
    public func ids(prefix: String, of type: EntityType? = nil, limit: Int = 200) throws -> [String] {
        let digits: String
        if prefix.isEmpty {
            digits = ""
        } else if let typed = ShortIDs.digits(of: prefix) {
            digits = typed
        } else {
            return []
        }
        return try writer.read { db in
            var ids: [String] = []
            if type != .annotation {
                ids += try String.fetchAll(db, sql: "SELECT id FROM article WHERE id GLOB ? ORDER BY id LIMIT ?",
                                           arguments: [digits + "*", limit])
            }
            if type != .article {
                ids += try String.fetchAll(db, sql: "SELECT id FROM annotation WHERE id GLOB ? ORDER BY id LIMIT ?",
                                           arguments: [ShortIDs.uuidShaped(digits) + "*", limit])
            }
            return Array(ids.prefix(limit))
        }
    }

    /// The id of the one article whose id starts with `prefix`.
    public func articleID(prefix: String) throws -> String {
        let (type, id) = try entity(prefix: prefix)
        guard type == .article else { throw GlossError.wrongKind(id: id, expected: "an article") }
        return id
    }

    /// The id of the one annotation whose id starts with `prefix`.
    public func annotationID(prefix: String) throws -> String {
        let (type, id) = try entity(prefix: prefix)
        guard type == .annotation else { throw GlossError.wrongKind(id: id, expected: "an annotation") }
        return id
    }

    /// The shortest prefixes of `ids` that name one article or annotation each in this store
    /// (at least ``ShortIDs/minimumDigits`` hex digits), computed in one read whose work grows
    /// with the number of `ids`, not with the store's.
    ///
    /// With `includingDeleted`, the prefixes also tell deleted entities apart (for the change log,
    /// whose ids are typed back with deleted ones included).
    public func shortIDs(_ ids: some Sequence<String>, includingDeleted: Bool = false) throws -> ShortIDs {
        let keys = Set(ids.compactMap { ShortIDs.digits(of: $0) })
        guard !keys.isEmpty else { return ShortIDs(lengths: [:]) }
        return try writer.read { db in
            ShortIDs(lengths: try Store.digitsNeeded(for: keys, includingDeleted: includingDeleted, db))
        }
    }

    /// The shortest prefixes of the ids of the articles `articles(tag:)` lists (every article,
    /// or those tagged `tag`), so that a listing can lay out its ID column before its rows.
    public func articleShortIDs(tag: String? = nil) throws -> ShortIDs {
        try writer.read { db in
            guard let tag else {
                let articles = try String.fetchAll(db, sql: "SELECT id FROM article ORDER BY id")
                return ShortIDs(lengths: try Store.digitsNeeded(for: Set(articles), includingDeleted: false,
                                                                sortedArticles: articles, db))
            }
            let tagged = try String.fetchAll(db, sql: "SELECT id FROM article WHERE id IN (SELECT entity_id FROM tag WHERE tag = ?)",
                                             arguments: [TagName.normalize(tag) ?? tag])
            return ShortIDs(lengths: try Store.digitsNeeded(for: Set(tagged.compactMap(ShortIDs.digits(of:))),
                                                            includingDeleted: false, db))
        }
    }

    // MARK: - Digits needed

    /// Hex digits each of `keys` (ids as digits) needs to be told apart from every visible
    /// article's and annotation's id, or with `includingDeleted` from every id `entity_state`
    /// holds: one more than the most digits it shares with any of them.
    ///
    /// The id sharing the most with a key is its neighbour in sorted order among the ids of one
    /// kind (each kind is stored in its own shape: an article's as digits, an annotation's with a
    /// UUID's dashes). A kind with at most ``ShortIDs/idsReadPerKey`` ids per key is read whole in
    /// order, and one walk finds every key's neighbours; from a larger one each key asks the index
    /// for its two neighbours. Rows are counted only that far, so the work grows with the keys,
    /// never with the store. `sortedArticles`, when given, are every article's id in order.
    static func digitsNeeded(for keys: Set<String>, includingDeleted: Bool, sortedArticles: [String]? = nil,
                             _ db: Database) throws -> [String: Int] {
        var lengths = Dictionary(uniqueKeysWithValues: keys.map { ($0, 1) })
        func take(_ found: [String: Int]) {
            for (key, needed) in found { lengths[key] = max(lengths[key] ?? 1, needed) }
        }
        let enough = keys.count * ShortIDs.idsReadPerKey
        if includingDeleted {
            if try rows(in: "entity_state", upTo: enough, db) <= enough {
                let all = try String.fetchAll(db, sql: "SELECT replace(id, '-', '') FROM entity_state ORDER BY 1")
                take(ShortIDs.digitsNeeded(for: keys, inSorted: all))
            } else {
                for type in EntityType.allCases { take(try neighbourDigits(of: keys, type, in: "entity_state", db)) }
            }
            return lengths
        }
        for type in EntityType.allCases {
            let table = type.rawValue
            if type == .article, let sortedArticles {
                take(ShortIDs.digitsNeeded(for: keys, inSorted: sortedArticles))
            } else if try rows(in: table, upTo: enough, db) <= enough {
                // An annotation id's dashes stand at the same places in every id, so its digits
                // sort as the id does.
                let ids = try String.fetchAll(db, sql: "SELECT id FROM \(table) ORDER BY id")
                take(ShortIDs.digitsNeeded(for: keys, inSorted: type == .article ? ids : ids.compactMap(ShortIDs.digits(of:))))
            } else {
                take(try neighbourDigits(of: keys, type, in: table, db))
            }
        }
        return lengths
    }

    /// For each of `keys`, the digits it needs among the ids of `type` in `table` (its own table,
    /// or `entity_state`), from that kind's two ids nearest it in order: each one seek in the
    /// primary key's index.
    ///
    /// Only neighbours sharing the key's first ``ShortIDs/minimumDigits`` digits are looked for, as
    /// sharing fewer cannot lengthen a printed prefix (a key that short prints whole), and within
    /// those digits every annotation id sorts before every article id, so a walk in
    /// `entity_state` for one kind never passes the other's rows.
    static func neighbourDigits(of keys: Set<String>, _ type: EntityType, in table: String,
                                _ db: Database) throws -> [String: Int] {
        let kind = table == type.rawValue ? "" : " AND type = '\(type.rawValue)'"
        let below = try db.cachedStatement(sql: "SELECT id FROM \(table) WHERE id < ? AND id >= ?\(kind) ORDER BY id DESC LIMIT 1")
        let above = try db.cachedStatement(sql: "SELECT id FROM \(table) WHERE id > ? AND id < ?\(kind) ORDER BY id ASC LIMIT 1")
        var lengths: [String: Int] = [:]
        for key in keys where key.utf8.count > ShortIDs.minimumDigits {
            let (probe, low, high) = ShortIDs.neighbourhood(of: key, among: type)
            var shared = 0
            for (statement, bound) in [(below, low), (above, high)] {
                guard let neighbour = try String.fetchOne(statement, arguments: [probe, bound]),
                      let digits = ShortIDs.digits(of: neighbour), digits != key else { continue }
                shared = max(shared, ShortIDs.sharedDigits(key, digits))
            }
            lengths[key] = shared + 1
        }
        return lengths
    }

    /// How many rows `table` has, counted no further than one past `limit`.
    private static func rows(in table: String, upTo limit: Int, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT 1 FROM \(table) LIMIT ?)", arguments: [limit + 1]) ?? 0
    }
}

/// Ids as people read and type them: for each id the shortest prefix that names it alone, at
/// least ``minimumDigits`` hex digits long, dashes kept where the id has them.
public struct ShortIDs: Sendable {
    /// The fewest hex digits a printed id has: where a UUID's first dash stands, which
    /// ``neighbourhood(of:among:)`` counts on.
    public static let minimumDigits = 8
    /// Ids of one kind per id asked about, up to which ``Store/shortIDs(_:includingDeleted:)``
    /// reads every id of that kind rather than asking the index for each one's neighbours.
    static let idsReadPerKey = 4

    /// Hex digits each id (by its digits) needs to be told apart.
    private let lengths: [String: Int]

    init(lengths: [String: Int]) { self.lengths = lengths }

    /// The most digits any of its ids prints with (dashes not counted): the width of an ID
    /// column of article ids.
    public var longestDigits: Int {
        lengths.map { min($0.key.utf8.count, max(Self.minimumDigits, $0.value)) }.max() ?? 0
    }

    /// The shortest prefixes of `ids` telling each apart from the others in `ids`: for a set of
    /// ids complete in itself, such as an export.
    public init(among ids: some Sequence<String>) {
        let keys = Set(ids.compactMap(Self.digits(of:)))
        lengths = Self.digitsNeeded(for: keys, inSorted: keys.sorted())
    }

    /// `id` abbreviated: its first digits as many as it needs (the whole id for one this value
    /// was not made for), with the dashes between them.
    public func callAsFunction(_ id: String) -> String {
        guard let key = Self.digits(of: id), let needed = lengths[key] else { return id }
        let count = min(key.utf8.count, max(Self.minimumDigits, needed))
        if key.utf8.count == id.utf8.count { return String(decoding: id.utf8.prefix(count), as: UTF8.self) }
        var taken = 0
        var end = id.startIndex
        while end < id.endIndex, taken < count {
            if id[end] != "-" { taken += 1 }
            end = id.index(after: end)
        }
        return String(id[..<end])
    }

    // MARK: - Digits

    /// `id` without dashes, lowercased; nil unless it is hex digits (and dashes) only.
    static func digits(of id: String) -> String? {
        // An article id is already its digits.
        if !id.isEmpty, id.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) { return id }
        var digits = ""
        digits.reserveCapacity(32)
        for byte in id.utf8 where byte != UInt8(ascii: "-") {
            guard byte.isHexDigit else { return nil }
            digits.unicodeScalars.append(Unicode.Scalar(byte >= 0x41 && byte <= 0x46 ? byte + 0x20 : byte))
        }
        return digits.isEmpty ? nil : digits
    }

    /// Digits with dashes where a UUID has them (after the 8th, 12th, 16th and 20th digit), as far
    /// as the digits go: a prefix of annotation ids in the form they are stored.
    static func uuidShaped(_ digits: String) -> String {
        var shaped = ""
        for (index, digit) in digits.enumerated() {
            if [8, 12, 16, 20].contains(index) { shaped.append("-") }
            shaped.append(digit)
        }
        return shaped
    }

    /// Where the ids of `type` sharing `key`'s first ``minimumDigits`` digits lie in their
    /// table's order: `key` in that kind's shape, and bounds below and above every such id.
    /// A UUID's first dash follows its 8th digit, so those annotation ids are the ones between
    /// the digits followed by "-" and by "." (the character after it), and the article ids the
    /// ones between the digits followed by "0" and by "g" (past every hex digit).
    static func neighbourhood(of key: String, among type: EntityType) -> (probe: String, low: String, high: String) {
        let first = String(decoding: key.utf8.prefix(minimumDigits), as: UTF8.self)
        switch type {
        case .article: return (key, first + "0", first + "g")
        case .annotation: return (uuidShaped(key), first + "-", first + ".")
        }
    }

    /// How many leading digits `a` and `b` have in common.
    static func sharedDigits(_ a: String, _ b: String) -> Int {
        var shared = 0
        var left = a.utf8.makeIterator(), right = b.utf8.makeIterator()
        while let x = left.next(), let y = right.next(), x == y { shared += 1 }
        return shared
    }

    /// Digits each of `keys` needs among `sorted` (digit strings in order), in one walk for the
    /// keys `sorted` holds and a search for any other.
    static func digitsNeeded(for keys: Set<String>, inSorted sorted: [String]) -> [String: Int] {
        var lengths: [String: Int] = [:]
        lengths.reserveCapacity(keys.count)
        for (index, id) in sorted.enumerated() where keys.contains(id) {
            var shared = index > 0 ? sharedDigits(id, sorted[index - 1]) : 0
            if index + 1 < sorted.count { shared = max(shared, sharedDigits(id, sorted[index + 1])) }
            lengths[id] = shared + 1
        }
        for key in keys where lengths[key] == nil { lengths[key] = digitsNeeded(for: key, inSorted: sorted) }
        return lengths
    }

    /// Digits `key` needs among `sorted` (digit strings in order, `key` among them or not).
    static func digitsNeeded(for key: String, inSorted sorted: [String]) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < key { low = middle + 1 } else { high = middle }
        }
        var shared = 0
        if low > 0 { shared = sharedDigits(key, sorted[low - 1]) }
        var next = low
        while next < sorted.count, sorted[next] == key { next += 1 }
        if next < sorted.count { shared = max(shared, sharedDigits(key, sorted[next])) }
        return shared + 1
    }
}
