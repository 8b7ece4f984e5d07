import Foundation
import Testing

/// Two stores on one machine go by different names, and conflicts show the names people chose.
@Suite(.serialized) struct ReplicaNamesCLITests {
    @Test func twoStoresOnOneMachineAreToldApartInConflicts() throws {
        let cli = CLI()
        defer { cli.remove() }
        let laptop = cli.home + "/laptop-store", desktop = cli.home + "/desktop-store"
        let name = { (store: String) in try (cli.json(["init", "--store", store]) as? [String: Any])?["name"] as? String }
        let first = try #require(try name(laptop)), second = try #require(try name(desktop))
        #expect(first != second)
        #expect(first.hasSuffix(":laptop-store") && second.hasSuffix(":desktop-store"), "\(first), \(second)")
        #expect(first.split(separator: ":").first == second.split(separator: ":").first, "both start with the host")

        // Defaults alone already tell the two sides of a conflict apart.
        let folder = cli.home + "/shared"
        let file = try cli.write("harbor.txt", article)
        let id = try #require((try cli.json(["add", file, "--store", laptop]) as? [[String: Any]])?.first?["id"] as? String)
        let highlight = try #require((try cli.json(["highlight", id, "built in 1887", "--note", "Old", "--store", laptop]) as? [String: Any])?["id"] as? String)
        for store in [laptop, desktop] { #expect(try cli.run(["sync", folder, "--store", store]).status == 0) }
        #expect(try cli.run(["edit", highlight, "--note", "Laptop's reading", "--store", laptop]).status == 0)
        #expect(try cli.run(["edit", highlight, "--note", "Desktop's reading", "--store", desktop]).status == 0)
        for store in [desktop, laptop, desktop] { #expect(try cli.run(["sync", folder, "--store", store]).status == 0) }
        let defaults = try cli.run(["conflicts", "--store", laptop]).stdout
        #expect(defaults.contains("(\(first), ") && defaults.contains("(\(second), "), "\(defaults)")

        // Chosen names show once the replicas have synced under them.
        #expect(try cli.run(["init", "--name", "laptop", "--store", laptop]).status == 0)
        #expect(try cli.run(["init", "--name", "desktop", "--store", desktop]).status == 0)
        #expect(try cli.run(["edit", highlight, "--note", "Laptop, again", "--store", laptop]).status == 0)
        #expect(try cli.run(["edit", highlight, "--note", "Desktop, again", "--store", desktop]).status == 0)
        for store in [desktop, laptop, desktop] { #expect(try cli.run(["sync", folder, "--store", store]).status == 0) }
        for store in [laptop, desktop] {
            let shown = try cli.run(["conflicts", "--store", store]).stdout
            #expect(shown.contains("(laptop, ") && shown.contains("(desktop, "), "\(store): \(shown)")
        }
    }
}
