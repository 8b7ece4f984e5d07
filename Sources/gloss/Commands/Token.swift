import ArgumentParser
import GlossCore

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage the bearer tokens clients use with 'gloss serve'.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: StoreCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Make a token; it is shown once and stored only as a hash.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Who the token is for (e.g. the client machine's name).")
        var name = "client"

        func run(store: Store) async throws {
            let (info, token) = try store.createToken(name: name)
            if output.json { return try Output.json(["id": info.id, "name": info.name, "token": token]) }
            print(token)
            Terminal.printWarning("this is the only time the token is shown; on the client: gloss sync URL --token \(token.prefix(12))…")
        }
    }

    struct List: StoreCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never the tokens themselves).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run(store: Store) async throws {
            let tokens = try store.tokens()
            if output.json { return try Output.json(tokens) }
            guard !tokens.isEmpty else { return print("No tokens. Make one with 'gloss token create --name NAME'.") }
            Output.table(["ID", "CREATED", "NAME"], tokens.map { [$0.id, Output.date(milliseconds: $0.createdAt), $0.name] })
        }
    }

    struct Revoke: StoreCommand {
        static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token: clients using it get 401 from now on.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The token's id, as 'gloss token list' shows it.", valueName: "id"))
        var id: String

        func run(store: Store) async throws {
            guard let revoked = try store.revokeToken(id) else {
                throw CLIError("no token has the id '\(id)'. List them with 'gloss token list'.")
            }
            print("revoked \(revoked.id) (\(revoked.name))")
        }
    }
}
