import Foundation
import Testing

/// `gloss import` of a Kindle `My Clippings.txt`, a Readwise CSV, an Omnivore zip, Pocket's
/// exports, an Instapaper CSV and a bookmarks file, through the binary: the
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

    func importTwice(_ file: String, expected: String, summary: String, status: Int32 = 0) throws {
        let cli = CLI()
        defer { cli.remove() }
        let first = try cli.run(["import", Self.fixture(file)])
        #expect(first.status == status, "\(first.stderr)")
        #expect(first.stdout.contains(summary), "\(first.stdout)")
        let state = try Self.state(cli)
        #expect(NSDictionary(dictionary: state) == (try Self.expected(expected)), "\(state)")
        let before = try cli.run(["annotations", "--json"]).stdout

        let rerun = try cli.run(["import", "--json", Self.fixture(file)])
        #expect(rerun.status == status)
        let again = try #require(try JSONSerialization.jsonObject(with: Data(rerun.stdout.utf8)) as? [String: Any])
        #expect(again["articlesAdded"] as? Int == 0)
        let statuses = Set(((again["items"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? String })
        #expect(statuses.isSubset(of: ["alreadyPresent", "merged", "skipped"]) && statuses.contains("alreadyPresent"), "\(statuses)")
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

    @Test func anOmnivoreExportKeepsPagesLabelsAndHighlights() throws {
        // Entry 4 has no url: reported, the rest imported, the exit status says so.
        try importTwice("omnivore-export.zip", expected: "omnivore-export.expected.json",
                        summary: "imported 8, already present 0, skipped 1", status: 1)
    }

    @Test func pocketsHTMLListImportsItsLinksAsWaitingArticles() throws {
        try importTwice("pocket-export.html", expected: "pocket-export.expected.json",
                        summary: "imported 4, already present 0, skipped 1", status: 1)
    }

    @Test func pocketsCSVImportsItsLinksAsWaitingArticles() throws {
        try importTwice("pocket-export.csv", expected: "pocket-export-csv.expected.json",
                        summary: "imported 3, already present 0, skipped 0")
    }

    @Test func anInstapaperCSVImportsLinksFoldersAndSelections() throws {
        try importTwice("instapaper-export.csv", expected: "instapaper-export.expected.json",
                        summary: "imported 5, already present 0, skipped 0")
    }

    /// Archived, starred and read (which `list` does not show) come from Instapaper's folder and
    /// Omnivore's state and reading progress.
    @Test func foldersAndStatesBecomeFlags() throws {
        let cli = CLI()
        defer { cli.remove() }
        _ = try cli.run(["import", Self.fixture("instapaper-export.csv")])
        _ = try cli.run(["import", Self.fixture("omnivore-export.zip")])
        var flags: [String: [Bool]] = [:]
        for entry in (try cli.json(["list"]) as? [[String: Any]]) ?? [] {
            let article = (try cli.json(["show", "\(entry["id"]!)"]) as? [String: Any])?["article"] as? [String: Any]
            flags["\(entry["title"]!)"] = ["isArchived", "isStarred", "isRead"].map { article?[$0] as? Bool ?? false }
        }
        #expect(flags["The Keeper's Log"] == [true, false, false])
        #expect(flags["Knots, Hitches and Bends"] == [false, true, false])
        #expect(flags["Shipwrecks of the North Coast"] == [false, false, false])
        #expect(flags["Salt Roads of the Old Coast"] == [true, false, false])
        #expect(flags["The Keeper's Lamp"] == [false, false, true])
    }

    @Test func aBookmarksFileKeepsFoldersAndTagsAsTags() throws {
        try importTwice("bookmarks.html", expected: "bookmarks.expected.json",
                        summary: "imported 3, already present 0, skipped 1", status: 1)
    }

    @Test func anOmnivoreZipWithADamagedEntryImportsTheRest() throws {
        let cli = CLI()
        defer { cli.remove() }
        let result = try cli.run(["import", Self.fixture("omnivore-damaged.zip")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("item 3:") && result.stderr.contains("content/tide-clocks-18c1a2b3c4f.html"), "\(result.stderr)")
        // The damaged page is lost, not its link: it is kept, waiting for its text.
        let listed = (try cli.json(["list"]) as? [[String: Any]]) ?? []
        let titles = listed.compactMap { $0["title"] as? String }
        #expect(titles.sorted() == ["Salt Roads of the Old Coast", "The Keeper's Lamp", "Tide Clocks"])
        #expect(listed.first { $0["title"] as? String == "Tide Clocks" }?["waiting"] as? Bool == true)
        #expect(result.stderr.contains("the link is kept, waiting for its text"), "\(result.stderr)")
        #expect((try cli.json(["annotations"]) as? [Any])?.count == 5)
    }

    @Test func aTruncatedOmnivoreZipImportsTheWholeFilesBeforeTheCut() throws {
        let cli = CLI()
        defer { cli.remove() }
        let result = try cli.run(["import", Self.fixture("omnivore-truncated.zip")])
        #expect(result.status == 1)
        #expect(result.stderr.contains("item 1:") && result.stderr.contains("cut short") && result.stderr.contains("the 2 whole files"),
                "\(result.stderr)")
        // The metadata and the first page were whole: that page has its text, the others wait.
        let list = try #require(try cli.json(["list"]) as? [[String: Any]])
        let waiting = Dictionary(uniqueKeysWithValues: list.map { ("\($0["title"]!)", $0["waiting"] as? Bool ?? false) })
        #expect(waiting == ["The Keeper's Lamp": false, "Salt Roads of the Old Coast": true, "Tide Clocks": true])
    }

    @Test func aZipCutInsideItsFirstFileIsRefusedAndChangesNothing() throws {
        let cli = CLI()
        defer { cli.remove() }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("omnivore-export.zip")))
        let file = cli.home + "/cut.zip"
        try bytes.prefix(300).write(to: URL(fileURLWithPath: file))
        let result = try cli.run(["import", file])
        #expect(result.status == 1)
        #expect(result.stderr.contains("item 1:") && result.stderr.contains("nothing was imported"), "\(result.stderr)")
        #expect((try cli.json(["list"]) as? [Any])?.isEmpty == true)
    }

    @Test func aTruncatedBookmarksFileImportsWhatItHoldsAndNamesTheBookmarkCutShort() throws {
        let cli = CLI()
        defer { cli.remove() }
        let result = try cli.run(["import", "--json", Self.fixture("bookmarks-truncated.html")])
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try #require(report["items"] as? [[String: Any]])
        #expect(items.map { $0["status"] as? String } == ["imported", "skipped"])
        #expect((items[1]["reason"] as? String)?.contains("line 14") == true, "\(items)")
        #expect((try cli.json(["list"]) as? [Any])?.count == 1)
    }

    @Test func anInstapaperCSVWithABrokenQuoteImportsTheOtherRows() throws {
        let cli = CLI()
        defer { cli.remove() }
        let result = try cli.run(["import", "--json", Self.fixture("instapaper-broken-quote.csv")])
        #expect(result.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let items = try #require(report["items"] as? [[String: Any]])
        #expect(items.map { $0["status"] as? String } == ["imported", "skipped", "imported"])
        #expect((items[1]["reason"] as? String)?.contains("line 3") == true)
        #expect((try cli.json(["list"]) as? [Any])?.count == 2)
    }

    /// An import that takes more than a second shows how far it is; a quick one shows nothing.
    @Test func aLongImportShowsItsProgress() throws {
        let cli = CLI()
        defer { cli.remove() }
        let links = (0..<10_000).map { "<DT><A HREF=\"https://example.org/p/\($0)\" ADD_DATE=\"17000\($0)\">Page \($0)</A>" }
        let file = try cli.write("bookmarks.html", "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n" + links.joined(separator: "\n") + "\n</DL><p>\n")
        let long = try cli.run(["import", file], environment: ["GLOSS_PROGRESS": "always"])
        #expect(long.status == 0)
        #expect(long.stderr.contains("\rimporting ") && long.stderr.contains("/10000 ("), "\(long.stderr.prefix(200))")
        let quick = try cli.run(["import", Self.fixture("pocket-export.csv")], environment: ["GLOSS_PROGRESS": "always"])
        #expect(quick.status == 0 && quick.stderr.isEmpty, "\(quick.stderr)")
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
