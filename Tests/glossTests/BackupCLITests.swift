import Foundation
import Testing

/// `gloss export --format json` as a backup, and `gloss add` after `--replace`, through the binary.
@Suite(.serialized) struct BackupCLITests {
    @Test func aJSONExportImportedIntoANewStoreExportsTheSameBytes() throws {
        let cli = CLI()
        defer { cli.remove() }
        let harbor = try cli.write("harbor.txt", article)
        let id = try #require((try cli.json(["add", harbor]) as? [[String: Any]])?.first?["id"] as? String)
        let tides = try cli.write("tides.txt", "Tides and ferries\n\nThe ferry leaves at six when the tide allows it.")
        #expect(try cli.run(["add", tides]).status == 0)
        #expect(try cli.run(["highlight", id, "built in 1887", "--note", "Old!", "--tag", "history"]).status == 0)
        #expect(try cli.run(["tag", id, "civic"]).status == 0)
        let backup = cli.home + "/backup.json"
        #expect(try cli.run(["export", "--format", "json", "--output", backup]).status == 0)

        let other = cli.home + "/other.sqlite"
        #expect(try cli.run(["init", "--store", other]).status == 0)
        let imported = try cli.run(["import", backup, "--store", other])
        #expect(imported.status == 0, "\(imported.stderr)")
        let restored = try cli.run(["export", "--format", "json", "--store", other])
        let original = String(decoding: try Data(contentsOf: URL(fileURLWithPath: backup)), as: UTF8.self)
        #expect(restored.status == 0 && restored.stdout == original)
    }

    @Test func aReplacedTextAddedAgainIsAlreadySaved() throws {
        let cli = CLI()
        defer { cli.remove() }
        let first = try cli.write("harbor.txt", article)
        let id = try #require((try cli.json(["add", first]) as? [[String: Any]])?.first?["id"] as? String)
        let cleaner = try cli.write("cleaner.txt", article.replacingOccurrences(of: "met on Tuesday", with: "met late on Tuesday"))
        #expect(try cli.run(["add", cleaner, "--replace", String(id.prefix(8))]).status == 0)
        let again = try #require(try cli.json(["add", cleaner]) as? [[String: Any]])
        #expect(again.first?["id"] as? String == id && again.first?["status"] as? String == "alreadyPresent")
        let listed = try cli.json(["list"]) as? [Any]
        #expect(listed?.count == 1)
    }
}
