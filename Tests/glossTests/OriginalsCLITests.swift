import Foundation
import GlossCore
import GlossExtraction
import GlossTestSupport
import Testing

/// `gloss add` keeping originals, `gloss original` and `gloss reextract`, run through the built binary.
@Suite(.serialized) struct OriginalsCLITests {
    static let page = """
        <html><head><title>Tides of the Bay</title></head><body><nav><a href="/">Home</a></nav><article>
        <h1>Tides of the Bay</h1>
        <p>The tide rises twice a day along the bay, and the harbor council approved the budget for a
        new sea wall in March after a long debate about its cost.</p>
        <p>Engineers said the wall would protect the market and the old library from winter storms for
        fifty years, and that work would start when the weather allows.</p>
        </article></body></html>
        """

    func store(_ cli: CLI) -> String { cli.home + "/store/gloss.sqlite" }

    func addedID(_ cli: CLI, _ arguments: [String]) throws -> String {
        try #require((try cli.json(["add"] + arguments) as? [[String: Any]])?.first?["id"] as? String)
    }

    func originalFiles(_ cli: CLI) -> [String] {
        let folder = store(cli) + "-originals"
        let found = FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String } ?? []
        return found.filter { $0.hasSuffix(".zst") }.sorted()
    }

    @Test func addKeepsThePageAndOriginalWritesItBackUntilTheArticleIsDeleted() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("tides.html", Self.page)
        let id = try addedID(cli, [file])
        let files = originalFiles(cli)
        #expect(files.count == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: store(cli) + "-originals/" + files[0])[.posixPermissions] as? Int
        #expect(mode == 0o600)

        let shown = try cli.run(["original", String(id.prefix(8))])
        #expect(shown.status == 0 && shown.stdout == Self.page, "\(shown.stderr)")
        let copy = cli.home + "/copy.html"
        let written = try cli.run(["original", String(id.prefix(8)), "--output", copy])
        #expect(written.status == 0 && written.stdout.contains("wrote \(copy)"))
        #expect(FileManager.default.contents(atPath: copy) == Data(Self.page.utf8))
        let info = try #require(try cli.json(["original", id]) as? [String: Any])
        let record = try #require(info["original"] as? [String: Any])
        #expect(record["format"] as? String == "html" && record["source"] as? String == "tides.html")
        #expect(record["size"] as? Int == Self.page.utf8.count)

        // The same page added again keeps one file; deleting the article removes it.
        #expect(try cli.run(["add", file]).status == 0)
        #expect(originalFiles(cli).count == 1)
        #expect(try cli.run(["delete", id]).status == 0)
        #expect(originalFiles(cli).isEmpty)
    }

    @Test func anArticleWithoutAnOriginalSaysSoAndWhy() throws {
        let cli = CLI()
        defer { cli.remove() }
        #expect(try cli.run(["init"]).status == 0)
        let store = try Store(path: store(cli))
        let id = try store.addArticle(ExtractedArticle(title: "By hand", text: "Written by hand, not saved from a page.", format: .plainText)).id
        try store.close()

        let missing = try cli.run(["original", id])
        #expect(missing.status == 1 && missing.stdout.isEmpty)
        #expect(missing.stderr.contains("keeps no original") && missing.stderr.contains("only from a replica whose setting sends it"),
                "\(missing.stderr)")
        let turnedOn = try cli.run(["original", "--sync", "on"])
        #expect(turnedOn.status == 0 && !turnedOn.stdout.contains("does not send") && turnedOn.stdout.contains("each sync sends"), "\(turnedOn.stdout)")
        #expect(try cli.run(["original"]).status == 64)
    }

    /// Issue 20: a page saved on the laptop reaches the desktop through a shared folder only once
    /// the laptop's setting sends it; until then the desktop says it has none, and why.
    @Test func anOriginalTravelsThroughAFolderOnceTheSendersSettingIsOn() throws {
        let cli = CLI()
        defer { cli.remove() }
        let laptop = ["--store", cli.home + "/laptop"], desktop = ["--store", cli.home + "/desktop"]
        let shared = cli.home + "/shared"
        let added = try #require(try cli.json(["add", try cli.write("tides.html", Self.page)] + laptop) as? [[String: Any]])
        let id = try #require(added.first?["id"] as? String)
        #expect(try cli.run(["sync", shared] + laptop).status == 0)
        let first = try #require(try cli.json(["sync", shared] + desktop) as? [String: Any])
        #expect(first["originalsReceived"] as? Int == 0 && first["originalsSent"] as? Int == 0)
        let lacking = try cli.run(["original", id] + desktop)
        #expect(lacking.status == 1 && lacking.stderr.contains("keeps no original") && lacking.stderr.contains("--sync on"), "\(lacking.stderr)")

        #expect(try cli.run(["original", "--sync", "on"] + laptop).status == 0)
        let sent = try cli.run(["sync", shared] + laptop)
        #expect(sent.status == 0 && sent.stdout.contains("originals: sent 1, received 0"), "\(sent.stdout)")
        let received = try #require(try cli.json(["sync", shared] + desktop) as? [String: Any])
        #expect(received["originalsReceived"] as? Int == 1 && (received["warnings"] as? [String])?.isEmpty == true)
        let shown = try cli.run(["original", id] + desktop)
        #expect(shown.status == 0 && shown.stdout == Self.page)
        let again = try cli.run(["sync", shared] + laptop)
        #expect(again.status == 0 && !again.stdout.contains("originals:"), "\(again.stdout)")
    }

    @Test func reextractRunsTheExtractorAgainAndLocatesHighlightsAgain() throws {
        let cli = CLI()
        defer { cli.remove() }
        let id = try addedID(cli, [try cli.write("tides.html", Self.page)])
        let highlight = try cli.run(["highlight", id, "approved the budget", "--note", "Costly"])
        #expect(highlight.status == 0, "\(highlight.stderr)")
        let extracted = try #require(((try cli.json(["show", id]) as? [String: Any])?["article"] as? [String: Any])?["text"] as? String)

        // What an older extractor might have kept: the navigation too, and the text around the passage moved.
        let store = try Store(path: store(cli))
        let older = "Home\n\nTides of the Bay\n\n" + extracted
        _ = try store.replaceText(of: id, with: ExtractedArticle(title: "Tides", text: older, format: .html))
        let handWritten = try store.addArticle(ExtractedArticle(title: "By hand", text: "A note to self about tides.", format: .plainText)).id
        try store.close()

        let summary = try #require(try cli.json(["reextract", "--all"]) as? [String: Any])
        #expect(summary["updated"] as? Int == 1 && summary["skipped"] as? Int == 1 && summary["failed"] as? Int == 0)
        let outcomes = try #require(summary["articles"] as? [[String: Any]])
        let updated = try #require(outcomes.first { $0["id"] as? String == id })
        #expect(updated["status"] as? String == "updated" && updated["reanchored"] as? Int == 1 && updated["orphaned"] as? Int == 0)
        #expect(updated["title"] as? String == "Tides of the Bay")
        let skipped = try #require(outcomes.first { $0["id"] as? String == handWritten })
        #expect(skipped["status"] as? String == "skipped" && (skipped["reason"] as? String)?.contains("no original") == true)

        let shown = try #require(try cli.json(["show", id]) as? [String: Any])
        #expect((shown["article"] as? [String: Any])?["text"] as? String == extracted)
        let annotation = try #require((shown["annotations"] as? [[String: Any]])?.first)
        let anchor = try #require(annotation["anchor"] as? [String: Any])
        let start = try #require(anchor["start"] as? Int), end = try #require(anchor["end"] as? Int)
        let scalars = Array(extracted.unicodeScalars)
        #expect(String(String.UnicodeScalarView(scalars[start..<end])) == "approved the budget")

        // Again: nothing changes. A named article without an original fails the command.
        let again = try cli.run(["reextract", id])
        #expect(again.status == 0 && again.stdout.contains("unchanged"), "\(again.stderr)")
        let named = try cli.run(["reextract", handWritten])
        #expect(named.status == 1 && named.stdout.contains("skipped"))
        #expect(try cli.run(["reextract"]).status == 64)
    }

    @Test func aDamagedOriginalFailsItsArticleOnlyAndChangesNothing() throws {
        let cli = CLI()
        defer { cli.remove() }
        let id = try addedID(cli, [try cli.write("tides.html", Self.page)])
        let other = try addedID(cli, [try cli.write("harbor.txt", article)])
        let before = try cli.run(["show", id, "--json"]).stdout
        let file = try #require((try cli.json(["original", id]) as? [String: Any])?["file"] as? String)
        let bytes = try #require(FileManager.default.contents(atPath: file))
        try Data(bytes.prefix(bytes.count / 2)).write(to: URL(fileURLWithPath: file))
        let result = try cli.run(["reextract", id, other, "--json"])
        #expect(result.status == 1)
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(summary["failed"] as? Int == 1 && summary["unchanged"] as? Int == 1)
        #expect(try cli.run(["show", id, "--json"]).stdout == before)
        let shown = try cli.run(["original", id])
        #expect(shown.status == 1 && shown.stderr.contains("is damaged") && shown.stdout.isEmpty)
    }

    @Test func aWebPageIsKeptWithTheCharsetItsServerDeclared() throws {
        let server = try PageServer()
        defer { server.stop() }
        try #require(server.port > 0)
        let cli = CLI()
        defer { cli.remove() }
        let id = try addedID(cli, [server.url("/latin")])
        let info = try #require((try cli.json(["original", id]) as? [String: Any])?["original"] as? [String: Any])
        #expect(info["source"] as? String == server.url("/latin"))
        #expect((info["charset"] as? String)?.lowercased().contains("8859-1") == true)
        // Read again with that charset, the page gives the same text (read as its stale
        // declaration says, UTF-8, it would not).
        let result = try cli.run(["reextract", id])
        #expect(result.status == 0 && result.stdout.contains("unchanged"), "\(result.stdout)\(result.stderr)")
    }

    @Test func aBookIsKeptAsItsZipAndExtractedAgainFromIt() throws {
        let cli = CLI()
        defer { cli.remove() }
        let book = try EPUBFixture.book()
        let path = cli.home + "/keepers.epub"
        try book.write(to: URL(fileURLWithPath: path))
        let id = try addedID(cli, [path])
        let copy = cli.home + "/copy.epub"
        #expect(try cli.run(["original", id, "-o", copy]).status == 0)
        #expect(FileManager.default.contents(atPath: copy) == book)
        let info = try #require((try cli.json(["original", id]) as? [String: Any])?["original"] as? [String: Any])
        #expect(info["format"] as? String == "epub")
        let result = try cli.run(["reextract", id])
        #expect(result.status == 0 && result.stdout.contains("unchanged"), "\(result.stdout)\(result.stderr)")
    }
}
