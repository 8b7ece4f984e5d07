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
    /// (at least ``ShortIDs/minimumDigits`` hex digits), computed in one read.
    ///
    /// An id's prefix must be one digit longer than the longest prefix it shares with any other
    /// id, and the id sharing the most is a neighbour in sorted order. A few ids look up their
    /// neighbours in each table's index; many ids (a whole listing) read every id once in order.
    /// With `includingDeleted`, the prefixes also tell deleted entities apart (for the change log,
    /// whose ids are typed back with deleted ones included).
    public func shortIDs(_ ids: some Sequence<String>, includingDeleted: Bool = false) throws -> ShortIDs {
        let keys = Set(ids.compactMap { ShortIDs.digits(of: $0) })
        guard !keys.isEmpty else { return ShortIDs(lengths: [:]) }
        return try writer.read { db in
            var lengths: [String: Int] = [:]
            if keys.count > ShortIDs.neighbourQueryLimit {
                let all = includingDeleted
                    ? try String.fetchAll(db, sql: "SELECT replace(id, '-', '') FROM entity_state ORDER BY 1")
                    : try everyID(db).all
                lengths = ShortIDs.digitsNeeded(for: keys, inSorted: all)
            } else {
                // Each shape of id sorts apart from the other's, so each is asked for its own kind.
                let neighbours = [
                    ("article", "<", "DESC"), ("article", ">", "ASC"),
                    ("annotation", "<", "DESC"), ("annotation", ">", "ASC"),
                ].map { table, comparison, order in
                    includingDeleted
                        ? "SELECT id FROM entity_state WHERE id \(comparison) ? AND type = '\(table)' ORDER BY id \(order) LIMIT 1"
                        : "SELECT id FROM \(table) WHERE id \(comparison) ? ORDER BY id \(order) LIMIT 1"
                }
                for key in keys {
                    var shared = 0
                    for (index, sql) in neighbours.enumerated() {
                        let probe = index < 2 ? key : ShortIDs.uuidShaped(key)
                        guard let neighbour = try String.fetchOne(db, sql: sql, arguments: [probe]),
                              let digits = ShortIDs.digits(of: neighbour), digits != key else { continue }
                        shared = max(shared, ShortIDs.sharedDigits(key, digits))
                    }
                    lengths[key] = shared + 1
                }
            }
            return ShortIDs(lengths: lengths)
        }
    }

    /// The shortest prefixes of the ids of the articles `articles(tag:)` lists (every article,
    /// or those tagged `tag`), so that a listing can lay out its ID column before its rows.
    public func articleShortIDs(tag: String? = nil) throws -> ShortIDs {
        guard let tag else {
            return try writer.read { db in
                let articles = try String.fetchAll(db, sql: "SELECT id FROM article ORDER BY id")
                let annotations = try Int.fetchOne(db, sql: "SELECT count(*) FROM annotation") ?? 0
                // Many highlights on few articles (a library of books): each article asks the
                // annotation index for its two neighbours, rather than every annotation id being
                // read (0.7 s for 300 articles beside 100,000 highlights).
                guard annotations > 4 * articles.count else {
                    let (articles, all) = try everyID(db)
                    return ShortIDs(lengths: ShortIDs.digitsNeeded(for: Set(articles), inSorted: all))
                }
                var lengths = ShortIDs.digitsNeeded(for: Set(articles), inSorted: articles)
                for id in articles {
                    let probe = ShortIDs.uuidShaped(id)
                    for sql in ["SELECT id FROM annotation WHERE id < ? ORDER BY id DESC LIMIT 1",
                                "SELECT id FROM annotation WHERE id > ? ORDER BY id ASC LIMIT 1"] {
                        guard let neighbour = try String.fetchOne(db, sql: sql, arguments: [probe]),
                              let digits = ShortIDs.digits(of: neighbour) else { continue }
                        lengths[id] = max(lengths[id] ?? 1, ShortIDs.sharedDigits(id, digits) + 1)
                    }
                }
                return ShortIDs(lengths: lengths)
            }
        }
        return try shortIDs(writer.read { db in
            try String.fetchAll(db, sql: "SELECT id FROM article WHERE id IN (SELECT entity_id FROM tag WHERE tag = ?)",
                                arguments: [TagName.normalize(tag) ?? tag])
        })
    }

    /// Every article's id in order, and every article's and annotation's id as digits in order:
    /// each table read in its primary key's order (an annotation id's dashes stand at the same
    /// places in every id, so they sort as its digits do), and the two merged, with no sort.
    private func everyID(_ db: Database) throws -> (articles: [String], all: [String]) {
        let articles = try String.fetchAll(db, sql: "SELECT id FROM article ORDER BY id")
        let annotations = try String.fetchAll(db, sql: "SELECT id FROM annotation ORDER BY id").compactMap(ShortIDs.digits(of:))
        return (articles, ShortIDs.merged(articles, annotations))
    }
}

/// Ids as people read and type them: for each id the shortest prefix that names it alone, at
/// least ``minimumDigits`` hex digits long, dashes kept where the id has them.
public struct ShortIDs: Sendable {
    /// The fewest hex digits a printed id has.
    public static let minimumDigits = 8
    /// Above this many ids, ``Store/shortIDs(_:)`` reads every id rather than each one's neighbours.
    static let neighbourQueryLimit = 200

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

    /// How many leading digits `a` and `b` have in common.
    static func sharedDigits(_ a: String, _ b: String) -> Int {
        var shared = 0
        var left = a.utf8.makeIterator(), right = b.utf8.makeIterator()
        while let x = left.next(), let y = right.next(), x == y { shared += 1 }
        return shared
    }

    /// Two sorted arrays as one.
    static func merged(_ a: [String], _ b: [String]) -> [String] {
        guard !a.isEmpty, !b.isEmpty else { return a.isEmpty ? b : a }
        var all: [String] = []
        all.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if b[j] < a[i] { all.append(b[j]); j += 1 } else { all.append(a[i]); i += 1 }
        }
        all += a[i...]
        all += b[j...]
        return all
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
