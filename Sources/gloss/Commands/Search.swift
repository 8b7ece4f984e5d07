import ArgumentParser
import Foundation
import GlossCore

struct Search: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search titles, article text, highlighted quotes and notes, best match first.")

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
            let open = Terminal.colors ? "\u{1b}[1;33m" : "["
            let close = Terminal.colors ? "\u{1b}[0m" : "]"
            let snippet = hit.snippet.split(whereSeparator: \.isNewline).joined(separator: " ")
                .replacingOccurrences(of: SearchHit.matchStart, with: open)
                .replacingOccurrences(of: SearchHit.matchEnd, with: close)
            print(TextWrapper.wrap(snippet, width: min(Terminal.width, 100), indent: "    "))
        }
    }
}
