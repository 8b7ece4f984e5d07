import ArgumentParser
import GlossCore

struct List: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List saved articles, newest first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "Only articles with this tag.")
    var tag: String?

    func run(store: Store) async throws {
        if output.json { return try Output.json(store.articles(tag: tag)) }
        // Row by row into the table's bytes, not holding 10,000 summaries, and written once the
        // read is over: an id prints as 8 characters, a date as 16, and counts up to 5 digits
        // line up under NOTES.
        var table = Output.Table(["ID", "SAVED", "NOTES", "TITLE"], widths: [Output.shortLength, Output.dateLength, 5])
        try store.articles(tag: tag) { article in
            table.append([Output.short(article.id), Output.date(milliseconds: article.savedAt),
                          String(article.annotationCount), article.title + Output.tagsAfter(article.tags)])
        }
        guard !table.isEmpty else {
            return print(tag == nil ? "No articles yet. Add one with 'gloss add FILE'." : "No article is tagged '\(tag!)'.")
        }
        table.finish()
    }
}
