import GlossCore

/// Renders an article for reading: highlights coloured on a terminal (their own colour), or
/// marked `==like this==` when piped; notes become numbered footnotes, each with its
/// annotation's id as `short` abbreviates it.
struct ArticleRenderer {
    let article: Article
    let annotations: [Annotation]
    let short: ShortIDs
    let colors: Bool
    let width: Int

    static let reset = "\u{1b}[0m"

    static func background(_ color: String?) -> String {
        let code = switch color ?? "yellow" {
        case "green": "42"
        case "blue": "44;97"
        case "pink", "purple": "45;97"
        case "red": "41;97"
        case "orange": "48;5;208;30"
        case "gray": "100;97"
        default: "43;30"
        }
        return "\u{1b}[\(code)m"
    }

    func render() -> String {
        var out: [String] = []
        let bold = { (s: String) in colors ? "\u{1b}[1m\(s)\u{1b}[0m" : s }
        out.append(bold(article.title))
        let meta = [article.byline, article.siteName, article.published.map(Output.date(text:)), article.url].compactMap { $0 }
        if !meta.isEmpty { out.append(meta.joined(separator: " · ")) }
        if !article.tags.isEmpty { out.append(Output.tags(article.tags)) }
        out.append("")

        let orphaned = annotations.filter { $0.anchor != nil && $0.anchor!.contentHash != article.contentHash }
        let highlights = annotations.filter { $0.anchor != nil && $0.anchor!.contentHash == article.contentHash }
            .sorted { $0.anchor!.start < $1.anchor!.start }
        var footnotes: [(Int, Annotation)] = []
        var footnoteOf: [String: Int] = [:]
        for highlight in highlights where highlight.note != nil {
            footnoteOf[highlight.id] = footnotes.count + 1
            footnotes.append((footnotes.count + 1, highlight))
        }

        // Which highlight covers each scalar offset (the later one where they overlap).
        var cells: [TextWrapper.Cell] = []
        var scalarOffset = 0
        var current: Annotation?
        for character in article.text {
            let covering = highlights.last { h in h.anchor!.start <= scalarOffset && scalarOffset < h.anchor!.end }
            var prefix = ""
            if covering?.id != current?.id {
                if let current { prefix += close(current, footnoteOf[current.id]) }
                if let covering { prefix += open(covering) }
                current = covering
            }
            cells.append(TextWrapper.Cell(character: character, prefix: prefix))
            scalarOffset += character.unicodeScalars.count
        }
        if let current {
            // A highlight running to the very end closes on a trailing line break.
            cells.append(TextWrapper.Cell(character: "\n", prefix: close(current, footnoteOf[current.id])))
        }
        out.append(TextWrapper.wrap(cells: cells, width: width, indent: "", reset: colors ? Self.reset : ""))

        let articleNotes = annotations.filter { $0.kind == .note && $0.anchor == nil }
        if !footnotes.isEmpty || !articleNotes.isEmpty {
            out.append("")
            out.append(bold("Notes"))
            for (number, highlight) in footnotes {
                out.append(TextWrapper.wrap("[\(number)] " + (highlight.note ?? "") + id(highlight), width: width))
            }
            for note in articleNotes {
                out.append(TextWrapper.wrap("• " + (note.note ?? "") + id(note), width: width))
            }
        }
        if !orphaned.isEmpty {
            out.append("")
            out.append(bold("Orphaned highlights") + " (their passage is no longer in the text)")
            for orphan in orphaned {
                out.append(TextWrapper.wrap("⚠ \"\(orphan.anchor!.exact)\"" + (orphan.note.map { " — " + $0 } ?? "") + id(orphan), width: width))
            }
        }
        return out.joined(separator: "\n")
    }

    /// An annotation's id after its text, to type into `edit`, `tag` or `delete`.
    private func id(_ annotation: Annotation) -> String {
        "  (\(short(annotation.id)))"
    }

    /// On a terminal a style code; piped, a visible marker.
    private func open(_ highlight: Annotation) -> String {
        colors ? Self.background(highlight.color) : "=="
    }

    private func close(_ highlight: Annotation, _ footnote: Int?) -> String {
        let mark = footnote.map { "[\($0)]" } ?? ""
        return colors ? Self.reset + (mark.isEmpty ? "" : "\u{1b}[2m\(mark)\u{1b}[0m") : "==" + mark
    }
}
