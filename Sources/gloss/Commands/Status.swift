import ArgumentParser
import GlossCore
import GlossSync

struct Status: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show this replica, what it holds, and its digest.")
    static let createsStore = false

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions

    func run(store: Store) async throws {
        let status = try store.status()
        let encryption = try LibraryEncryption.status(store)
        if output.json { return try Output.json(Shown(status: status, encryption: encryption)) }
        let c = status.counts
        print("\(Terminal.bold("Replica")) \(status.name) (\(status.replica))")
        print("\(Terminal.bold("Store"))   \(status.store)")
        print("\(c.articles) articles, \(c.annotations) annotations (\(c.highlights) highlights, \(c.notes) with notes), \(c.tags) tags")
        print("\(c.changes) changes from \(c.replicas) replica\(c.replicas == 1 ? "" : "s"); version vector \(status.versionVector)")
        print(status.conflicts == 0 ? "No conflicts." : "\(status.conflicts) conflict\(status.conflicts == 1 ? "" : "s")")
        print("\(Terminal.bold("Digest"))  \(status.digest)")
        if encryption.encrypted { Encryption.Status.print(encryption) }
    }

    /// The store's status with its encryption's beside it, as one JSON object.
    struct Shown: Encodable {
        var status: StoreStatus
        var encryption: EncryptionStatus
        enum Keys: String, CodingKey { case encryption }

        func encode(to encoder: any Encoder) throws {
            try status.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(encryption, forKey: .encryption)
        }
    }
}
