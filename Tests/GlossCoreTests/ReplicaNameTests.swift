import Testing
import GlossCore
import GlossTestSupport

/// A new replica's default name: the host and the store, so two stores on one machine differ.
@Suite struct ReplicaNameTests {
    @Test func defaultNamesCarryTheHostAndTheStore() {
        #expect(Store.defaultReplicaName(host: "vm", path: "/home/ann/.local/share/gloss/gloss.sqlite") == "vm:gloss")
        #expect(Store.defaultReplicaName(host: "vm", path: "/srv/work-store/gloss.sqlite") == "vm:work-store")
        #expect(Store.defaultReplicaName(host: "vm", path: "/tmp/demo/laptop.sqlite") == "vm:laptop")
        #expect(Store.defaultReplicaName(host: "", path: "/tmp/demo/laptop.db") == "replica:laptop")
        #expect(Store.defaultReplicaName(host: "vm", path: "/tmp/" + String(repeating: "x", count: 90) + ".sqlite").count == 64)
    }

    @Test func aNewStoreTakesItsDefaultNameFromTheEnvironment() throws {
        let directory = TemporaryDirectory()
        var environment = StoreEnvironment.seeded(5)
        environment.hostName = { "desk" }
        let store = try Store(path: directory.path + "/reading.sqlite", environment: environment)
        #expect(try store.replicaName() == "desk:reading")
        try store.setReplicaName("laptop")
        #expect(try store.replicaName() == "laptop")
    }
}
