import ArgumentParser
import GlossCore

struct Show: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print an article, wrapped, with its highlights marked and its notes as footnotes.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The article's id, or a unique prefix of it.", valueName: "article"), completion: Completions.articles)
    var article: String
    @Option(help: "Wrap to this many columns (default: the terminal's width).")
    var width: Int?

    /// `--json`: the article with each annotation's resolved range in its text.
    struct View: Encodable {
        var article: Article
        var annotations: [Annotation]
    }

    func run(store: Store) async throws {
        let article = try store.article(try store.articleID(prefix: self.article))
        let annotations = try store.annotations(articleID: article.id)
        if output.json { return try Output.json(View(article: article, annotations: annotations)) }
        print(ArticleRenderer(article: article, annotations: annotations,
                              short: try store.shortIDs(annotations.map(\.id)), colors: Terminal.colors,
                              width: min(width ?? Terminal.width, 100)).render())
        if article.isWaiting {
            print("Waiting for its text: 'gloss fetch \(self.article)' fetches it, 'gloss add --replace \(self.article) FILE' adds a copy you have.")
        }
    }
}
