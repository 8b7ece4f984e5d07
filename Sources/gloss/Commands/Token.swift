import ArgumentParser
import Foundation
import GlossCore
import GlossSync

struct Token: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Manage the bearer tokens clients use with 'gloss serve', and the ones this store saved for servers.",
        subcommands: [Create.self, List.self, Revoke.self, Saved.self, Forget.self])

    struct Create: StoreCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Make a token; it is shown once and stored only as a hash.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Who the token is for (e.g. the client machine's name).")
        var name = "client"
        @Flag(help: "A token for the reader's bookmarklet only: it can save pages and read nothing.")
        var capture = false

        func run(store: Store) async throws {
            let (info, token) = try store.createToken(name: name, scope: capture ? .capture : .sync)
            if output.json { return try Output.json(["id": info.id, "name": info.name, "token": token, "scope": info.scope.rawValue]) }
            print(token)
            if capture {
                Terminal.printWarning("this is the only time the token is shown; the reader's Add page makes a bookmarklet with one for you")
            } else {
                Terminal.printWarning("this is the only time the token is shown; on the client: gloss sync URL --token \(token.prefix(12))…, or sign in to the reader with it")
            }
        }
    }

    struct List: StoreCommand {
        static let createsStore = false
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never the tokens themselves).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run(store: Store) async throws {
            let tokens = try store.tokens()
            if output.json { return try Output.json(tokens) }
            guard !tokens.isEmpty else { return print("No tokens. Make one with 'gloss token create --name NAME'.") }
            Output.table(["ID", "CREATED", "SCOPE", "NAME"], tokens.map { [$0.id, Output.date(milliseconds: $0.createdAt), $0.scope.rawValue, $0.name] })
        }
    }

    struct Revoke: StoreCommand {
        static let createsStore = false
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

    struct Saved: StoreCommand {
        static let createsStore = false
        static let configuration = CommandConfiguration(commandName: "saved", abstract: "List the servers this store has saved a token for (never the tokens).")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        struct Listed: Encodable {
            var url: String
            /// Milliseconds since 1970; 0 for a token saved before stores kept the time.
            var savedAt: Int64
        }

        func run(store: Store) async throws {
            let remotes = try store.remotes().map { Listed(url: $0.url, savedAt: $0.savedAt) }
            if output.json { return try Output.json(remotes) }
            guard !remotes.isEmpty else { return print("No saved tokens. 'gloss sync URL --token TOKEN' saves one once the sync succeeds.") }
            Output.table(["SAVED", "SERVER"], remotes.map { [$0.savedAt == 0 ? "-" : Output.date(milliseconds: $0.savedAt), $0.url] })
        }
    }

    struct Forget: StoreCommand {
        static let createsStore = false
        static let configuration = CommandConfiguration(commandName: "forget", abstract: "Forget the token this store saved for a server.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp("The server's http(s):// URL, as 'gloss token saved' lists it.", valueName: "url"))
        var url: String

        func run(store: Store) async throws {
            guard case .server(let server) = try? SyncTarget(url) else {
                throw CLIError("'\(url)' is not a server's http(s):// URL.")
            }
            guard try store.forgetRemote(server.absoluteString) else {
                throw CLIError("no token is saved for \(server.absoluteString). List them with 'gloss token saved'.")
            }
            print("forgot the token for \(server.absoluteString)")
        }
    }
}
