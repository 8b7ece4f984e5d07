/// One Markdown file per article, for a notes vault (Obsidian and the like): front matter, then
/// the highlights in text order as block quotes with their notes and tags, then whole-article
/// notes. File names carry the article id, so exporting again updates files, never duplicates them.
/// Ids in names and block ids are the shortest prefixes unique in the export (at least 8 digits).
public enum MarkdownExport {
    public struct File: Hashable, Sendable {
        /// A file name: the title made safe and cut at a word, then the article's id abbreviated.
        public var name: String
        public var contents: String
        public var articleID: String
    }

    /// Most characters of a title a file name keeps.
    static let slugLength = 60

    public static func files(articles: [Article], annotations: [Annotation]) -> [File] {
        let grouped = Dictionary(grouping: annotations, by: \.articleID)
        let short = ShortIDs(among: articles.map(\.id) + annotations.map(\.id))
        return articles.sorted { $0.id < $1.id }.map { article in
            File(name: fileName(article, id: short(article.id)),
                 contents: render(article, annotations: grouped[article.id] ?? [], short: short), articleID: article.id)
        }
    }

    /// The title's words, lowercased and joined by '-', as many whole words as fit in
    /// `slugLength` characters (a first word longer than that is cut), then `-ID.md`.
    static func fileName(_ article: Article, id: String) -> String {
        let words = article.title.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
            .split(separator: "-", omittingEmptySubsequences: true).map { String($0) }
        var slug = ""
        for word in words {
            let longer = slug.isEmpty ? word : slug + "-" + word
            guard longer.count <= slugLength else {
                if slug.isEmpty { slug = String(word.prefix(slugLength)) }
                break
            }
            slug = longer
        }
        return (slug.isEmpty ? "article" : slug) + "-" + id + ".md"
    }

    /// The start of an article id that a file name written by this export ends with
    /// (`-ID.md`), or nil for another file.
    public static func articleIDPrefix(inFileName name: String) -> String? {
        guard name.hasSuffix(".md"), let dash = name.dropLast(3).lastIndex(of: "-") else { return nil }
        let id = name[name.index(after: dash)..<name.index(name.endIndex, offsetBy: -3)]
        guard id.count >= ShortIDs.minimumDigits, id.utf8.allSatisfy(\.isHexDigit) else { return nil }
        return String(id)
    }

    static func render(_ article: Article, annotations: [Annotation], short: ShortIDs) -> String {
        var lines = ["---"]
        lines.append("title: \(yaml(article.title))")
        if let url = article.url { lines.append("url: \(yaml(url))") }
        if let site = article.siteName { lines.append("source: \(yaml(site))") }
        if let published = article.published { lines.append("published: \(yaml(published))") }
        lines.append("tags: [\(article.tags.map(yaml).joined(separator: ", "))]")
        lines.append("id: \(article.id)")
        lines.append("---")
        lines.append("")
        lines.append("# \(article.title)")
        let highlights = annotations.filter { $0.anchor != nil }.sorted { ($0.anchor!.start, $0.id) < ($1.anchor!.start, $1.id) }
        let notes = annotations.filter { $0.anchor == nil }.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        if !highlights.isEmpty { lines += ["", "## Highlights"] }
        for highlight in highlights {
            lines.append("")
            lines += highlight.anchor!.exact.split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }
            if let note = highlight.note, !note.isEmpty { lines += ["", note] }
            lines.append(meta(highlight, short: short))
        }
        if !notes.isEmpty { lines += ["", "## Notes"] }
        for note in notes {
            lines += ["", note.note ?? "", meta(note, short: short)]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Tags as #hashtags, the colour, and a block id: the annotation's id as `short` abbreviates
    /// it, the same across exports until a new id shares its prefix.
    private static func meta(_ annotation: Annotation, short: ShortIDs) -> String {
        let tags = annotation.tags.map { "#" + $0 }
        let color = annotation.color.map { ["(\($0))"] } ?? []
        return (tags + color + ["^" + short(annotation.id).lowercased()]).joined(separator: " ")
    }

    /// A double-quoted YAML scalar.
    private static func yaml(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return "\"" + out + "\""
    }
}
