import GRDB

extension Store {
    /// The tags in use on visible articles and annotations, in order, those starting with
    /// `prefix` when one is given: what a person picks from when tagging again.
    public func tagNames(prefix: String = "", limit: Int = 500) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: """
                SELECT tag FROM tag WHERE tag GLOB ?1 UNION SELECT tag FROM annotation_tag_count WHERE tag GLOB ?1
                ORDER BY tag LIMIT ?2
                """, arguments: [Self.globLiteral(prefix.lowercased()) + "*", limit])
        }
    }

    /// An SQL condition true when the annotation row's tags column `column` (U+001F-separated,
    /// v13) holds the tag bound to the next `?`.
    static func annotationHasTag(_ column: String) -> String {
        "(\(column) IS NOT NULL AND instr(char(31) || \(column) || char(31), char(31) || ? || char(31)) > 0)"
    }

    /// `text` with GLOB's special characters matching only themselves.
    static func globLiteral(_ text: String) -> String {
        var out = ""
        for character in text {
            if "*?[".contains(character) { out += "[\(character)]" } else { out.append(character) }
        }
        return out
    }
}
