import ArgumentParser

@main
struct Gloss: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Save articles, annotate them, and keep your library in sync across machines.",
        discussion: "Ids are accepted by any unique prefix. Every command that prints data takes --json.",
        subcommands: [
            Init.self, Add.self, Extract.self, List.self, Show.self, Highlight.self, Note.self,
            Annotations.self, Orphans.self, Edit.self, Tag.self, Delete.self, Search.self, Log.self, Status.self,
            Export.self, Import.self, Sync.self, Conflicts.self, Resolve.self, Serve.self, Token.self, Demo.self,
        ])
}
