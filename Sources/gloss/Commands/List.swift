import ArgumentParser
import GlossCore

struct List: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List saved articles, newest first.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Only articles with this tag.", completion: Completions.tags)
    var tag: String?

    func run(store: Store) async throws {
        if output.json { return try Output.json(store.articles(tag: tag)) }
        // Row by row into the table's bytes, not holding 10,000 summaries, and written once the
        // read is over: a date prints as 16 characters, and counts up to 5 digits line up under
        // NOTES (a wider one pushes its row right).
        let short = try store.articleShortIDs(tag: tag)
        var table = Output.Table(["ID", "SAVED", "HIGHLIGHTS", "NOTES", "TITLE"], widths: [short.longestDigits, 16, 0, 5])
        try store.articles(tag: tag) { article in
            table.append([short(article.id), Output.date(milliseconds: article.savedAt), String(article.highlightCount),
                          String(article.noteCount),
                          (article.waiting == true ? "[waiting] " : "") + article.title + Output.tagsAfter(article.tags)])
        }
        guard !table.isEmpty else {
            return print(tag == nil ? "No articles yet. Add one with 'gloss add FILE'." : "No article is tagged '\(tag!)'.")
        }
        table.finish()
    }
}
