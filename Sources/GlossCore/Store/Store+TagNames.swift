import GRDB

extension Store {
    /// The tags in use on visible articles and annotations, in order, those starting with
    /// `prefix` when one is given: what a person picks from when tagging again.
    public func tagNames(prefix: String = "", limit: Int = 500) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT tag FROM tag WHERE tag GLOB ? ORDER BY tag LIMIT ?",
                                arguments: [Self.globLiteral(prefix.lowercased()) + "*", limit])
        }
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
