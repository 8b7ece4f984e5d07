import ArgumentParser
import Foundation
import GlossCore
import GlossSync

struct Encryption: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "encryption",
        abstract: "Encrypt the library end to end, so a shared folder's host reads nothing of it.",
        discussion: """
            Once enabled, every bundle this replica writes to a shared folder and every change it \
            pushes to a relay or server is sealed (ChaCha20-Poly1305) under the library key, which lives beside the store (0600) and \
            nowhere else. Other machines join with the recovery key 'enable' prints once, or with \
            the passphrase. Lose every copy of the key and the recovery key, and nothing can \
            read the library from the folder.
            """,
        subcommands: [Enable.self, Join.self, Status.self, Rotate.self, SealFolder.self])

    struct Enable: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "enable",
            abstract: "Make the library key and print its recovery key, once.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Flag(help: "Also wrap the key under a passphrase (asked twice; one line of standard input in scripts), so another machine can join with it.")
        var passphrase = false

        struct Enabled: Encodable {
            var recoveryKey: String
            var key: String
            var passphrase: Bool
            var keyFile: String
        }

        func run(store: Store) async throws {
            let given = passphrase ? try Secret.newPassphrase() : nil
            let (keyring, recovery) = try LibraryEncryption.enable(store, passphrase: given)
            let enabled = Enabled(recoveryKey: recovery, key: keyring.first.id, passphrase: given != nil,
                                  keyFile: KeyFile.path(for: store.path))
            if output.json { return try Output.json(enabled) }
            print("""
                This library is now encrypted (key \(enabled.key)). Its recovery key, shown this once:

                    \(recovery)

                Write it down and keep it somewhere safe: with it, another machine joins the library
                ('gloss encryption join'). If every copy of the key file and this recovery key is lost,
                nothing can read the library from a shared folder.
                """)
            if given != nil { print("Another machine can also join with the passphrase: 'gloss encryption join --passphrase DIR-OR-URL'.") }
            print("From the next 'gloss sync' on, what this replica writes to a folder or pushes to a server is sealed.")
        }
    }

    struct Join: StoreCommand {
        static let configuration = CommandConfiguration(
            commandName: "join",
            abstract: "Join an encrypted library with its recovery key (or passphrase).",
            discussion: "The recovery key is asked on a terminal, or read as one line of standard input; --recovery-key gives it in scripts. Given the shared folder or server (a relay, or gloss serve), the key is checked against what its replicas published first, and with --passphrase one of them is needed: it holds the key wrapped under the passphrase.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The recovery key (else asked, or read from standard input).")
        var recoveryKey: String?
        @Flag(help: "Join with the passphrase instead (asked, or read from standard input); needs the folder or server.")
        var passphrase = false
        @Option(help: "The server's token (else the one saved for it by an earlier 'gloss sync URL --token').")
        var token: String?
        @Argument(help: ArgumentHelp("The shared folder (or http(s) URL of the server) the library syncs through.", valueName: "dir-or-url"))
        var folder: String?

        struct Joined: Encodable {
            var keys: [String]
            var current: String
        }

        func validate() throws {
            if passphrase, recoveryKey != nil { throw ValidationError("give --recovery-key or --passphrase, not both") }
            if passphrase, folder == nil { throw ValidationError("--passphrase needs the shared folder or server: gloss encryption join --passphrase DIR-OR-URL") }
        }

        func run(store: Store) async throws {
            let credential: LibraryEncryption.Credential
            if passphrase {
                credential = .passphrase(try Secret.read("Passphrase: ", what: "passphrase"))
            } else {
                let text = try recoveryKey ?? Secret.read("Recovery key: ", what: "recovery key")
                credential = .recoveryKey(text)
            }
            let keyring = try await LibraryEncryption.join(store, with: credential, place: folder, token: token)
            if output.json { return try Output.json(Joined(keys: keyring.keys.map(\.id), current: keyring.current)) }
            print("joined the encrypted library (key \(keyring.first.id)\(keyring.keys.count > 1 ? ", and \(keyring.keys.count - 1) rotated since" : ""))")
            print("Sync as usual: 'gloss sync \(folder ?? "DIR")'\(token != nil ? " (with --token the first time)" : "").")
        }
    }

    struct Status: StoreCommand {
        static let createsStore = false
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Whether the library is encrypted, its key ids, and which replicas still write plaintext.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run(store: Store) async throws {
            let status = try LibraryEncryption.status(store)
            if output.json { return try Output.json(status) }
            Self.print(status)
        }

        static func print(_ status: EncryptionStatus) {
            guard status.encrypted else {
                Swift.print("This library is not encrypted. 'gloss encryption enable' encrypts it.")
                return
            }
            Swift.print("Encrypted: new writes are sealed under key \(status.current ?? "?")\(status.passphrase ? "; a passphrase can also join" : "")")
            Swift.print("Keys held: \(status.keys.joined(separator: ", ")) (in \(status.keyFile))")
            for folder in status.folders where !folder.plaintextWriters.isEmpty {
                Swift.print("In \(folder.path), still writing plaintext: \(folder.plaintextWriters.joined(separator: ", ")) (they have not joined yet)")
            }
        }
    }

    struct Rotate: StoreCommand {
        static let createsStore = false
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Make a new key for new changes; old keys are kept for reading.",
            discussion: "The new key travels to the other replicas sealed under the old one, at the next sync through a shared folder or server. The recovery key stays the same.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions

        func run(store: Store) async throws {
            let rotation = try LibraryEncryption.rotate(store)
            if output.json { return try Output.json(["key": rotation.id, "replaces": rotation.by]) }
            print("new writes are sealed under key \(rotation.id) (it replaces \(rotation.by), kept for reading); replicas learn it at their next sync")
        }
    }

    struct SealFolder: StoreCommand {
        static let createsStore = false
        static let configuration = CommandConfiguration(
            commandName: "seal-folder",
            abstract: "Replace this replica's plaintext bundles and snapshots in a shared folder with sealed ones.",
            discussion: "Other replicas' files are theirs: run it on each machine once it has joined. Each file is replaced atomically; stopped at any point, running it again completes it.")
        @OptionGroup var global: GlobalOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: ArgumentHelp("The shared folder.", valueName: "dir"))
        var folder: String

        func run(store: Store) async throws {
            let report = try await LibraryEncryption.sealFolder(store, path: folder)
            if output.json { return try Output.json(report) }
            print("sealed \(report.bundlesSealed) bundle\(report.bundlesSealed == 1 ? "" : "s") of this replica's in \(report.place)")
            if report.originalsRemoved > 0 {
                print("removed \(report.originalsRemoved) original\(report.originalsRemoved == 1 ? "" : "s") in the clear; those this store sends went out sealed")
            }
            if report.snapshotsRemoved > 0 {
                print("removed \(report.snapshotsRemoved) plaintext snapshot\(report.snapshotsRemoved == 1 ? "" : "s"); \(report.changesRewritten) change\(report.changesRewritten == 1 ? "" : "s") only they held went out sealed")
            }
        }
    }
}
