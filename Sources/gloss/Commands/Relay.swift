import ArgumentParser
import Foundation
import GlossCore
import GlossRelay
import Logging

/// `gloss relay`: a sync service for many people's libraries, and its administration.
struct Relay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Serve many people's libraries over the sync protocol, without reading their changes.",
        discussion: """
            Clients sync with 'gloss sync http://HOST:PORT --token TOKEN', as with 'gloss serve'; the token says which library. \
            The database is a SQLite file (default: relay.sqlite in $GLOSS_HOME, else $XDG_DATA_HOME/gloss, else ~/.local/share/gloss) \
            or PostgreSQL (--database postgresql://USER@HOST/DB, or $GLOSS_RELAY_DATABASE), which any number of relays may share. \
            Health: GET /v1/health; readiness (the database answers): GET /v1/ready.
            """,
        subcommands: [Serve.self, User.self, Library.self, Tokens.self],
        defaultSubcommand: Serve.self)

    /// The relay's logger: notices and worse, unless GLOSS_LOG names another level (`info` logs
    /// every request with its id).
    static func logger() -> Logger {
        var logger = Logger(label: "gloss.relay")
        logger.logLevel = ProcessInfo.processInfo.environment["GLOSS_LOG"].flatMap { Logger.Level(rawValue: $0) } ?? .notice
        return logger
    }

    /// The database every relay command works on.
    struct DatabaseOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The relay's database: a postgresql:// URL, or a SQLite file or folder. Default: $GLOSS_RELAY_DATABASE, else relay.sqlite in the Gloss home.",
                                   valueName: "url-or-path"))
        var database: String?

        /// The database's location: the option, else the environment, else the Gloss home
        /// (made when missing, as the store's default place is).
        func location(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String {
            if let database, !database.isEmpty { return database }
            if let database = environment["GLOSS_RELAY_DATABASE"], !database.isEmpty { return database }
            let home: String
            if let glossHome = environment["GLOSS_HOME"], !glossHome.isEmpty {
                home = UserHome.expandingTilde(glossHome, environment: environment)
            } else {
                let data = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 }
                    ?? UserHome.directory(environment) + "/.local/share"
                home = data + "/gloss"
                try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            }
            return home + "/" + RelayDatabase.fileName
        }

        /// Opens the database, runs `body` with it, and closes it; a failure is one message and exit 1.
        func with<T>(_ body: (any RelayStorage) async throws -> T) async throws -> T {
            do {
                let storage = try await RelayDatabase.open(try location(), logger: Relay.logger())
                do {
                    let result = try await body(storage)
                    try await storage.close()
                    return result
                } catch {
                    try? await storage.close()
                    throw error
                }
            } catch let error as RelayError {
                Terminal.printError(error.description)
                throw ExitCode(1)
            }
        }
    }

    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve the relay (what 'gloss relay' does with no subcommand).")
        @OptionGroup var options: DatabaseOptions
        @Option(help: "The address to listen on (0.0.0.0 for every interface).")
        var host = "127.0.0.1"
        @Option(help: "The port to listen on (0 picks a free one).")
        var port = 8418
        @Option(help: ArgumentHelp("Bytes of changes all of a person's libraries may hold, unless their own quota says otherwise (default: no limit).", valueName: "bytes"))
        var quotaBytes: Int64?
        @Option(help: ArgumentHelp("Changes all of a person's libraries may hold, unless their own quota says otherwise (default: no limit).", valueName: "count"))
        var quotaChanges: Int64?
        @Option(help: ArgumentHelp("Requests a second one token may make to this relay on average; 0 for no limit.", valueName: "rate"))
        var rateLimit: Double = 50
        @Option(help: ArgumentHelp("Requests one token may make at once above --rate-limit.", valueName: "count"))
        var rateBurst = 200
        @Option(help: ArgumentHelp("The largest snapshot a client may upload; a library keeps its newest two.", valueName: "bytes"))
        var maxSnapshotBytes = RelayConfiguration().maxSnapshotBytes

        func validate() throws {
            if !(0...65535).contains(port) { throw ValidationError("--port must be 0…65535") }
            if let quotaBytes, quotaBytes < 0 { throw ValidationError("--quota-bytes must be 0 or more") }
            if let quotaChanges, quotaChanges < 0 { throw ValidationError("--quota-changes must be 0 or more") }
            if !(rateLimit >= 0 && rateLimit.isFinite) { throw ValidationError("--rate-limit must be 0 or more") }
            if rateBurst < 1 { throw ValidationError("--rate-burst must be at least 1") }
            if maxSnapshotBytes < 0 { throw ValidationError("--max-snapshot-bytes must be 0 or more") }
        }

        func run() async throws {
            let logger = Relay.logger()
            let host = self.host
            try await options.with { storage in
                if try await storage.tokens().allSatisfy({ $0.revokedAt != nil }) {
                    Terminal.printWarning("no tokens yet, so every client will get 401: add a user, a library and a token with 'gloss relay user add', 'gloss relay library add' and 'gloss relay token create'")
                }
                let configuration = RelayConfiguration(host: host, port: port, quota: RelayQuota(bytes: quotaBytes, changes: quotaChanges),
                                                       rateLimit: rateLimit, rateBurst: rateBurst, maxSnapshotBytes: maxSnapshotBytes)
                try await runRelay(storage: storage, configuration: configuration, logger: logger) { port in
                    FileHandle.standardOutput.write(Data("gloss relay: listening on http://\(host):\(port)\n".utf8))
                }
            }
        }
    }

    struct User: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage the people who hold libraries on the relay.",
                                                        subcommands: [Add.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a person.")
            @OptionGroup var options: DatabaseOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: ArgumentHelp("The person's name (letters, digits, '.', '_', '-').", valueName: "name"))
            var name: String
            @Option(help: ArgumentHelp("Bytes of changes their libraries may hold together (default: the relay's --quota-bytes).", valueName: "bytes"))
            var quotaBytes: Int64?
            @Option(help: ArgumentHelp("Changes their libraries may hold together (default: the relay's --quota-changes).", valueName: "count"))
            var quotaChanges: Int64?

            func validate() throws {
                if let quotaBytes, quotaBytes < 0 { throw ValidationError("--quota-bytes must be 0 or more") }
                if let quotaChanges, quotaChanges < 0 { throw ValidationError("--quota-changes must be 0 or more") }
            }

            func run() async throws {
                let quota = RelayQuota(bytes: quotaBytes, changes: quotaChanges)
                let user = try await options.with { try await RelayAdmin(storage: $0).addUser(name, quota: quota) }
                if output.json { return try Output.json(user) }
                print("added user \(user.name)")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List the people.")
            @OptionGroup var options: DatabaseOptions
            @OptionGroup var output: OutputOptions

            func run() async throws {
                let users = try await options.with { try await $0.users() }
                if output.json { return try Output.json(users) }
                guard !users.isEmpty else { return print("No users. Add one with 'gloss relay user add NAME'.") }
                Output.table(["CREATED", "CHANGES", "BYTES", "NAME"], users.map {
                    [Output.date(milliseconds: $0.createdAt), Self.usage($0.changes, of: $0.quota.changes), Self.usage($0.bytes, of: $0.quota.bytes), $0.name]
                })
            }

            /// "120" or, under a quota of their own, "120/1000".
            static func usage(_ used: Int64, of quota: Int64?) -> String {
                quota.map { "\(used)/\($0)" } ?? "\(used)"
            }
        }
    }

    struct Library: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "library", abstract: "Manage people's libraries.",
                                                        subcommands: [Add.self, List.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a library for a person.")
            @OptionGroup var options: DatabaseOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: ArgumentHelp("The person who holds it.", valueName: "user"))
            var user: String
            @Argument(help: ArgumentHelp("The library's name (letters, digits, '.', '_', '-').", valueName: "name"))
            var name: String

            func run() async throws {
                let library = try await options.with { try await RelayAdmin(storage: $0).addLibrary(user: user, name: name) }
                if output.json { return try Output.json(library) }
                print("added library \(library.name) for \(library.user)")
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List a person's libraries.")
            @OptionGroup var options: DatabaseOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: ArgumentHelp("The person.", valueName: "user"))
            var user: String

            func run() async throws {
                let libraries = try await options.with { try await $0.libraries(user: user) }
                if output.json { return try Output.json(libraries) }
                guard !libraries.isEmpty else { return print("\(user) has no libraries. Add one with 'gloss relay library add \(user) NAME'.") }
                Output.table(["CREATED", "NAME"], libraries.map { [Output.date(milliseconds: $0.createdAt), $0.name] })
            }
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "token", abstract: "Manage the bearer tokens that grant a library.",
                                                        subcommands: [Create.self, List.self, Revoke.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "create", abstract: "Make a token for one library; it is shown once and stored only as a hash.")
            @OptionGroup var options: DatabaseOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: ArgumentHelp("The person whose library the token grants.", valueName: "user"))
            var user: String
            @Option(help: ArgumentHelp("The library it grants (needed when the person has several).", valueName: "name"))
            var library: String?
            @Flag(help: "The token can pull and never push.")
            var readOnly = false

            func run() async throws {
                let (info, token) = try await options.with {
                    try await RelayAdmin(storage: $0).createToken(user: user, library: library, readOnly: readOnly)
                }
                if output.json {
                    return try Output.json(Created(id: info.id, user: info.user, library: info.library, readOnly: info.readOnly, token: token))
                }
                print(token)
                Terminal.printWarning("this is the only time the token is shown; on the client: gloss sync URL --token \(token.prefix(12))…")
            }

            struct Created: Encodable {
                var id, user, library: String
                var readOnly: Bool
                var token: String
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "list", abstract: "List tokens (never the tokens themselves).")
            @OptionGroup var options: DatabaseOptions
            @OptionGroup var output: OutputOptions

            func run() async throws {
                let tokens = try await options.with { try await $0.tokens() }
                if output.json { return try Output.json(tokens) }
                guard !tokens.isEmpty else { return print("No tokens. Make one with 'gloss relay token create USER'.") }
                Output.table(["ID", "CREATED", "ACCESS", "STATE", "USER/LIBRARY"], tokens.map {
                    [$0.id, Output.date(milliseconds: $0.createdAt), $0.readOnly ? "read" : "read-write",
                     $0.revokedAt == nil ? "active" : "revoked", $0.user + "/" + $0.library]
                })
            }
        }

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a token: every relay refuses it from the next request on.")
            @OptionGroup var options: DatabaseOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: ArgumentHelp("The token's id, as 'gloss relay token list' shows it.", valueName: "id"))
            var id: String

            func run() async throws {
                let id = self.id
                let found = try await options.with { try await RelayAdmin(storage: $0).revokeToken(id) }
                let revoked = try await Failure.report(store: nil) {
                    guard let found else { throw CLIError("no token has the id '\(id)'. List them with 'gloss relay token list'.") }
                    return found
                }
                if output.json { return try Output.json(revoked) }
                print("revoked \(revoked.id) (\(revoked.user)/\(revoked.library))")
            }
        }
    }
}
