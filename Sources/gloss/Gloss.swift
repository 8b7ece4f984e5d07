import ArgumentParser
import GlossCore

@main
struct Gloss: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gloss",
        abstract: "Save articles, annotate them, and keep your library in sync across machines.",
        discussion: """
            Ids print as their shortest unique prefix and are accepted by any unique prefix, with or \
            without dashes. Every command that prints data takes --json.

            Shell completion of subcommands, options, and the ids, colours and tags in your store:
              gloss --generate-completion-script bash|zsh|fish
            For bash, for instance:
              gloss --generate-completion-script bash > ~/.local/share/bash-completion/completions/gloss
            """,
        version: GlossVersion.current,
        subcommands: [
            Init.self, Add.self, Extract.self, List.self, Show.self, Highlight.self, Note.self,
            Annotations.self, Orphans.self, Edit.self, Tag.self, Delete.self, Search.self, Log.self, Status.self,
            Original.self, Reextract.self,
            Export.self, Import.self, Fetch.self, Sync.self, Conflicts.self, Resolve.self, Serve.self, Open.self, Token.self,
            Snapshot.self, Replicas.self, Encryption.self, Relay.self, Demo.self,
        ])

    static func main() async {
        await main(leadingStoreMoved(Array(CommandLine.arguments.dropFirst())))
    }

    /// `arguments` with a `--store PATH` (or `--store=PATH`) given before the subcommand, as
    /// `git -C` is, moved after it: the option belongs to each command, and the parser knows it
    /// only there.
    static func leadingStoreMoved(_ arguments: [String]) -> [String] {
        var rest = arguments
        var moved: [String] = []
        while let first = rest.first {
            if first == "--store", rest.count >= 2 {
                moved += rest.prefix(2)
                rest.removeFirst(2)
            } else if first.hasPrefix("--store=") {
                moved.append(first)
                rest.removeFirst()
            } else {
                break
            }
        }
        guard !moved.isEmpty, !rest.isEmpty else { return arguments }
        // Before a `--`, which ends the options.
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: moved, at: end)
        return rest
    }
}
