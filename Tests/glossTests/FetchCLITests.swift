import Foundation
import Testing

/// `gloss fetch` against a loopback page server: waiting articles get their text, the highlights
/// waiting with them are located, failures are named and wait still, and a second run fetches only
/// what still waits.
@Suite(.serialized) struct FetchCLITests {
    @Test func fetchGivesWaitingArticlesTheirTextAndLocatesTheirHighlights() throws {
        let server = try PageServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let cli = CLI()
        defer { cli.remove() }
        let csv = """
            URL,Title,Selection,Folder,Timestamp
            \(server.url("/story")),Harbour news,"Fishing boats returned to their moorings",Unread,1701000000
            \(server.url("/image")),A picture,,Unread,1701000100
            \(server.url("/gone")),A page since removed,,Archive,1701000200

            """
        let file = try cli.write("instapaper.csv", csv)
        #expect(try cli.run(["import", file]).status == 0)
        #expect((try cli.json(["orphans"]) as? [Any])?.count == 1)

        let first = try cli.run(["fetch", "--allow-private-addresses", "--json", "--delay", "0"])
        #expect(first.status == 1, "\(first.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(summary["fetched"] as? Int == 1 && summary["failed"] as? Int == 2)
        let outcomes = try #require(summary["articles"] as? [[String: Any]])
        let story = try #require(outcomes.first { $0["status"] as? String == "fetched" })
        #expect(story["title"] as? String == "Harbour reopens after the storm" && story["reanchored"] as? Int == 1)
        let errors = outcomes.compactMap { $0["error"] as? String }.sorted()
        #expect(errors.count == 2 && errors.contains { $0.contains("404") } && errors.contains { $0.contains("image/png") }, "\(errors)")

        // The page's text is stored, searchable, and its highlight is no orphan.
        #expect((try cli.json(["orphans"]) as? [Any])?.isEmpty == true)
        let hits = try #require(try cli.json(["search", "ferry"]) as? [[String: Any]])
        #expect(hits.count == 1)
        let list = try #require(try cli.json(["list"]) as? [[String: Any]])
        #expect(list.filter { $0["waiting"] as? Bool == true }.count == 2)

        // Again: only what still waits is asked for; the human summary says so.
        let again = try cli.run(["fetch", "--allow-private-addresses", "--delay", "0"])
        #expect(again.status == 1)
        #expect(again.stdout.contains("fetched 0, failed 2"), "\(again.stdout)")
        #expect(again.stderr.contains("answered 404"), "\(again.stderr)")

        // Named: an article that has its text is left alone.
        let id = try #require(story["id"] as? String)
        let named = try cli.run(["fetch", "--allow-private-addresses", String(id.prefix(8))])
        #expect(named.status == 0 && named.stderr.contains("has its text already"), "\(named.stderr)")
    }

    /// A fetch killed while one page is slow keeps the pages it had; the slow one waits still.
    @Test func aFetchKilledMidwayKeepsWhatItFetched() throws {
        let server = try PageServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let cli = CLI()
        defer { cli.remove() }
        let csv = "URL,Title,Selection,Folder,Timestamp\n\(server.url("/slow")),Slow,,Unread,1701000000\n\(server.url("/story")),Story,,Unread,1701000100\n"
        #expect(try cli.run(["import", try cli.write("instapaper.csv", csv)]).status == 0)
        #expect(try cli.runAndKill(["fetch", "--allow-private-addresses", "--delay", "0", "--concurrency", "2"], after: 2.5))
        let list = try #require(try cli.json(["list"]) as? [[String: Any]])
        let waiting = Dictionary(uniqueKeysWithValues: list.map { ("\($0["url"]!)", $0["waiting"] as? Bool ?? false) })
        #expect(waiting == [server.url("/slow"): true, server.url("/story"): false])
    }

    /// The addresses came from an import file (or another replica): one that leads to this
    /// machine is not fetched unless the person says so, and the article waits still.
    @Test func anAddressOnThisMachineIsNotFetchedUnlessAllowed() throws {
        let server = try PageServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let cli = CLI()
        defer { cli.remove() }
        let csv = """
            URL,Title,Selection,Folder,Timestamp
            \(server.url("/story")),Harbour news,,Unread,1701000000

            """
        #expect(try cli.run(["import", try cli.write("instapaper.csv", csv)]).status == 0)
        let refused = try cli.run(["fetch", "--delay", "0"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("private network") || refused.stdout.contains("private network"), "\(refused.stdout) \(refused.stderr)")
        let waiting = try #require(try cli.json(["list"]) as? [[String: Any]])
        #expect(waiting.first?["waiting"] as? Bool == true)
        #expect(try cli.run(["fetch", "--allow-private-addresses", "--delay", "0"]).status == 0)
    }

    @Test func fetchWithNothingWaitingSaysSo() throws {
        let cli = CLI()
        defer { cli.remove() }
        _ = try cli.run(["init"])
        let result = try cli.run(["fetch", "--allow-private-addresses"])
        #expect(result.status == 0 && result.stdout.contains("No article waits for its text."), "\(result.stderr)")
    }

    /// Requests to one site are spaced by --delay, even when several fetch at once.
    @Test func requestsToOneSiteAreSpaced() throws {
        let server = try PageServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let cli = CLI()
        defer { cli.remove() }
        let lines = (1...3).map { "\(server.url("/gone-\($0)")),Page \($0),,Unread,170100000\($0)" }
        let file = try cli.write("instapaper.csv", "URL,Title,Selection,Folder,Timestamp\n" + lines.joined(separator: "\n") + "\n")
        #expect(try cli.run(["import", file]).status == 0)
        let started = Date()
        let result = try cli.run(["fetch", "--allow-private-addresses", "--delay", "0.5", "--concurrency", "3"])
        #expect(result.status == 1)
        #expect(Date().timeIntervalSince(started) >= 1.0)
    }
}
