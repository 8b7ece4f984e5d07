import ArgumentParser
import GlossCore

struct Orphans: StoreCommand {
    static let configuration = CommandConfiguration(
        commandName: "orphans",
        abstract: "List highlights whose passage is no longer in their article's text.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run(store: Store) async throws {
        let orphans = try store.orphans()
        if output.json { return try Output.json(orphans) }
        guard !orphans.isEmpty else { return print("No orphaned highlights.") }
        let short = try store.shortIDs(orphans.flatMap { [$0.id, $0.articleID] })
        Output.table(["ID", "ARTICLE", "QUOTE"], orphans.map { [short($0.id), short($0.articleID), "\"\($0.anchor?.exact ?? "")\"" + ($0.note.map { " — " + $0 } ?? "")] })
    }
}
