import ArgumentParser
import GlossCore

struct Edit: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change an annotation's note or colour.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: ArgumentHelp("The annotation's id, or a unique prefix of it.", valueName: "id"), completion: Completions.annotations)
    var id: String
    @Option(help: "The new note (Markdown); an empty string removes it.")
    var note: String?
    @Option(help: "The new colour: yellow, green, blue, pink, purple, orange, red or gray.", completion: Completions.colors)
    var color: String?

    func validate() throws {
        if note == nil && color == nil { throw ValidationError("say what to change: --note and/or --color") }
    }

    func run(store: Store) async throws {
        let id = try store.annotationID(prefix: self.id)
        let changed = try store.editAnnotation(id, note: note, color: color)
        let annotation = try store.annotation(id)
        if output.json { return try Output.json(annotation) }
        let short = try store.short(id)
        print(changed ? "edited \(short)" : "\(short) already says that (nothing changed)")
    }
}
