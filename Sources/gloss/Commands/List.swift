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
        let articles = try store.articles(tag: tag)
        if output.json { return try Output.json(articles) }
        guard !articles.isEmpty else {
            return print(tag == nil ? "No articles yet. Add one with 'gloss add FILE'." : "No article is tagged '\(tag!)'.")
        }
        let short = try store.shortIDs(articles.map(\.id))
        Output.table(["ID", "SAVED", "HIGHLIGHTS", "NOTES", "TITLE"], articles.map { article in
            [short(article.id), Output.date(milliseconds: article.savedAt), String(article.highlightCount),
             String(article.noteCount), article.title + Output.tagsAfter(article.tags)]
        })
    }
}
