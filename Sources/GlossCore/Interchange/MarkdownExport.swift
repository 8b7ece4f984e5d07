/// One Markdown file per article, for a notes vault (Obsidian and the like): front matter, then
/// the highlights in text order as block quotes with their notes and tags, then whole-article
/// notes. File names carry the article id, so exporting again updates files, never duplicates them.
public enum MarkdownExport {
    public struct File: Hashable, Sendable {
        /// A file name: the title made safe, then the first 8 digits of the id.
        public var name: String
        public var contents: String
        public var articleID: String
    }

    public static func files(articles: [Article], annotations: [Annotation]) -> [File] {
        let grouped = Dictionary(grouping: annotations, by: \.articleID)
        return articles.sorted { $0.id < $1.id }.map { article in
            File(name: fileName(article), contents: render(article, annotations: grouped[article.id] ?? []), articleID: article.id)
        }
    }

    public static func fileName(_ article: Article) -> String {
        let words = article.title.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
            .split(separator: "-", omittingEmptySubsequences: true).map { String($0) }
        let slug = String(words.joined(separator: "-").prefix(60))
        return (slug.isEmpty ? "article" : slug) + "-" + article.id.prefix(8) + ".md"
    }

    static func render(_ article: Article, annotations: [Annotation]) -> String {
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
            lines.append(meta(highlight))
        }
        if !notes.isEmpty { lines += ["", "## Notes"] }
        for note in notes {
            lines += ["", note.note ?? "", meta(note)]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Tags as #hashtags, the colour, and a block id that stays the same across exports.
    private static func meta(_ annotation: Annotation) -> String {
        let tags = annotation.tags.map { "#" + $0 }
        let color = annotation.color.map { ["(\($0))"] } ?? []
        return (tags + color + ["^" + annotation.id.prefix(8).lowercased()]).joined(separator: " ")
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
