import Foundation
import Testing

/// `gloss import` of a Kindle `My Clippings.txt` and a Readwise CSV, through the binary: the
/// items each gives (against `Fixtures/import/*.expected.json`), a second import that changes
/// nothing, and damaged files that import what they can and name the rest.
@Suite(.serialized) struct ImportFormatsCLITests {
    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/import")!.path
    }

    /// `gloss annotations --json` and `gloss list --json` without what depends on when the test
    /// ran (modification and saving times).
    static func state(_ cli: CLI) throws -> [String: Any] {
        let annotations = try #require(try cli.json(["annotations"]) as? [[String: Any]])
        let list = try #require(try cli.json(["list"]) as? [[String: Any]])
        return ["annotations": annotations.map { $0.filter { $0.key != "modifiedAt" } }.sorted { "\($0["id"]!)" < "\($1["id"]!)" },
                "list": list.map { $0.filter { $0.key != "savedAt" } }.sorted { "\($0["title"]!)" < "\($1["title"]!)" }]
    }

    static func expected(_ name: String) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture(name)))) as? NSDictionary)
    }

    func importTwice(_ file: String, expected: String, summary: String) throws {
        let cli = CLI()
        defer { cli.remove() }
        let first = try cli.run(["import", Self.fixture(file)])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains(summary), "\(first.stdout)")
        let state = try Self.state(cli)
        #expect(NSDictionary(dictionary: state) == (try Self.expected(expected)), "\(state)")
        let before = try cli.run(["annotations", "--json"]).stdout

        let again = try #require(try cli.json(["import", Self.fixture(file)]) as? [String: Any])
        #expect(again["articlesAdded"] as? Int == 0)
        let statuses = Set(((again["items"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? String })
        #expect(statuses.isSubset(of: ["alreadyPresent", "merged"]) && !statuses.isEmpty, "\(statuses)")
        #expect(try cli.run(["annotations", "--json"]).stdout == before)
    }

    @Test func kindleClippingsImportOnceAndOnlyOnce() throws {
        try importTwice("kindle-clippings.txt", expected: "kindle-clippings.expected.json",
                        summary: "imported 4, already present 0, skipped 0, merged 2")
    }

    @Test func aReadwiseExportImportsOnceAndOnlyOnce() throws {
        try importTwice("readwise-export.csv", expected: "readwise-export.expected.json",
                        summary: "imported 3, already present 0, skipped 0")
    }

    @Test func aBooksHighlightsAreOrphansWhileItWaitsForItsText() throws {
        let cli = CLI()
        defer { cli.remove() }
        #expect(try cli.run(["import", Self.fixture("kindle-clippings.txt")]).status == 0)
        #expect((try cli.json(["orphans"]) as? [Any])?.count == 2)
        let list = try #require(try cli.json(["list"]) as? [[String: Any]])
        let book = try #require(list.first { $0["title"] as? String == "The Lighthouse Keeper" }?["id"] as? String)
        #expect(try cli.run(["list"]).stdout.contains("[waiting] The Lighthouse"))
        #expect(try cli.run(["show", book]).stdout.contains("Waiting for its text"))
        #expect((try cli.json(["show", book]) as? [String: Any]).flatMap { ($0["article"] as? [String: Any])?["waiting"] as? Bool } == true)
        let text = try cli.write("keeper.txt", "The Lighthouse Keeper\n\nThe lamp must be lit before the boats come in, whatever the weather says. So it was.")
        let replaced = try cli.run(["add", text, "--replace", book])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let orphans = try #require(try cli.json(["orphans"]) as? [[String: Any]])
        #expect(orphans.count == 1 && orphans.first?["articleID"] as? String != book)
        #expect(try !cli.run(["list"]).stdout.contains("[waiting] The Lighthouse"))
    }

    @Test func clippingsWithAMissingSeparatorImportWhatTheyCanAndSayWhatNot() throws {
        let cli = CLI()
        defer { cli.remove() }
        let result = try cli.run(["import", Self.fixture("kindle-missing-separator.txt")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("item 2:") && result.stderr.contains("line 6") && result.stderr.contains("line 10"), "\(result.stderr)")
        #expect(result.stdout.contains("imported 2, already present 0, skipped 1"), "\(result.stdout)")
        let quotes = ((try cli.json(["annotations"]) as? [[String: Any]]) ?? []).compactMap { ($0["anchor"] as? [String: Any])?["exact"] as? String }
        #expect(quotes.sorted() == ["Fog came in at dawn.", "The bell rang twice at noon."])
    }

    @Test func aCSVWithABrokenQuoteImportsWhatItCanAndSaysWhatNot() throws {
        let cli = CLI()
        defer { cli.remove() }
        let result = try cli.run(["import", "--json", Self.fixture("readwise-broken-quote.csv")])
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try #require(report["items"] as? [[String: Any]])
        #expect(items.map { $0["status"] as? String } == ["imported", "skipped", "imported"])
        #expect((items[1]["reason"] as? String)?.contains("line 3") == true)
        #expect((try cli.json(["annotations"]) as? [Any])?.count == 2)
    }
}
