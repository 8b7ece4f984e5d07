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
        let ids = articles.map { short($0.id) }
        // Straight into the table's bytes: a date prints as 16 characters, and counts up to 5
        // digits line up under NOTES (a wider one pushes its row right).
        var table = Output.Table(["ID", "SAVED", "HIGHLIGHTS", "NOTES", "TITLE"],
                                 widths: [ids.map(\.utf8.count).max() ?? 0, 16, 0, 5])
        for (article, id) in zip(articles, ids) {
            table.append([id, Output.date(milliseconds: article.savedAt), String(article.highlightCount),
                          String(article.noteCount), article.title + Output.tagsAfter(article.tags)])
        }
        table.finish()
    }
}
