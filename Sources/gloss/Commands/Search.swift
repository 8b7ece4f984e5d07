import ArgumentParser
import Foundation
import GlossCore

struct Search: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search titles, article text, highlighted quotes and notes, best match first.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("Words to find (all must occur; end a word with * to match its prefix), and filters: tag:NAME, in:notes, in:quotes, in:titles, in:text, article:ID.", valueName: "query"))
    var query: [String]
    @Option(help: "Show at most this many results.")
    var limit = 20

    func validate() throws {
        if query.isEmpty { throw ValidationError("give words to search for") }
        if limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run(store: Store) async throws {
        let hits = try store.search(query.joined(separator: " "), limit: limit)
        if output.json {
            return try Output.json(hits.map { hit in
                var plain = hit
                plain.snippet = hit.snippet.replacingOccurrences(of: SearchHit.matchStart, with: "")
                    .replacingOccurrences(of: SearchHit.matchEnd, with: "")
                return plain
            })
        }
        guard !hits.isEmpty else { return print("Nothing matches \"\(query.joined(separator: " "))\".") }
        let short = try store.shortIDs(hits.map(\.id))
        for hit in hits {
            let what = hit.kind == .article ? "article" : "annotation"
            print("\(Terminal.bold(short(hit.id)))  \(hit.articleTitle)  \(Terminal.dim("(\(what))"))")
            let snippet = hit.snippet.split(whereSeparator: \.isNewline).joined(separator: " ")
            print(TextWrapper.wrap(cells: Self.cells(snippet), width: min(Terminal.width, 100), indent: "    ",
                                   reset: Terminal.colors ? ArticleRenderer.reset : ""))
        }
    }

    /// A snippet's characters, each match opened and closed by a prefix that takes no room on a
    /// terminal (bold yellow) and is a bracket when piped, so wrapping never cuts a matched word.
    static func cells(_ snippet: String) -> [TextWrapper.Cell] {
        let open = Terminal.colors ? "\u{1b}[1;33m" : "["
        let close = Terminal.colors ? ArticleRenderer.reset : "]"
        var cells: [TextWrapper.Cell] = []
        var pending = ""
        for character in snippet {
            switch String(character) {
            case SearchHit.matchStart: pending += open
            case SearchHit.matchEnd: pending += close
            default:
                cells.append(TextWrapper.Cell(character: character, prefix: pending))
                pending = ""
            }
        }
        if !pending.isEmpty { cells.append(TextWrapper.Cell(character: "\n", prefix: pending)) }
        return cells
    }
}
