import ArgumentParser
import GlossCore

struct Annotations: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotations",
        abstract: "List highlights and notes, of one article or of all.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("Only this article's (an id or unique prefix).", valueName: "article"), completion: Completions.articles)
    var article: String?

    func run(store: Store) async throws {
        let annotations = try store.annotations(articleID: try article.map { try store.articleID(prefix: $0) })
        if output.json { return try Output.json(annotations) }
        guard !annotations.isEmpty else { return print("No annotations yet. Make one with 'gloss highlight ARTICLE \"words\"'.") }
        let short = try store.shortIDs(annotations.flatMap { [$0.id, $0.articleID] })
        Output.table(["ID", "KIND", "ARTICLE", "COLOR", "TEXT"], annotations.map { annotation in
            var text = annotation.anchor.map { "\"\($0.exact)\"" } ?? ""
            if let note = annotation.note { text += (text.isEmpty ? "" : " — ") + note }
            return [short(annotation.id), annotation.kind.rawValue, short(annotation.articleID), annotation.color ?? "", text]
        }, trailing: annotations.map { Output.tagsAfter($0.tags) })
    }
}
