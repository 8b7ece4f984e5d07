import ArgumentParser
import GlossCore

struct Init: StoreCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the store, or rename this replica.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "A name for this replica, shown to the others in conflicts and the log (default: the host and the store's folder, such as 'vm:gloss').")
    var name: String?

    func run(store: Store) async throws {
        if let name { try store.setReplicaName(name) }
        let info = (replica: store.replicaID, name: try store.replicaName(), store: store.path)
        if output.json {
            try Output.json(["replica": info.replica.rawValue, "name": info.name, "store": info.store])
        } else {
            print("Store \(info.store)")
            print("Replica \(info.name) (\(info.replica))")
        }
    }
}
