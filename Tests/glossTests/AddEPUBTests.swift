import Foundation
import GlossTestSupport
import Testing

/// `gloss add book.epub` with the real binary: the book becomes an article that highlights and
/// search reach, and a bad book changes nothing.
@Suite struct AddEPUBTests {
    @Test func aBookIsAddedHighlightedAndSearched() throws {
        let cli = CLI()
        defer { cli.remove() }
        let book = cli.home + "/keepers.epub"
        try EPUBFixture.book().write(to: URL(fileURLWithPath: book))

        let added = try #require(try cli.json(["add", book]) as? [[String: Any]])
        let id = try #require(added.first?["id"] as? String)
        #expect(added.first?["title"] as? String == "The Lighthouse Keepers")

        let highlight = try cli.run(["highlight", String(id.prefix(8)), "logged every barometer reading"])
        #expect(highlight.status == 0, "\(highlight.stderr)")
        #expect(try cli.run(["show", String(id.prefix(8))]).stdout.contains("==logged every barometer reading=="))

        let hits = try #require(try cli.json(["search", "oilcloth"]) as? [[String: Any]])
        #expect(hits.contains { $0["articleID"] as? String == id })

        let extracted = try cli.run(["extract", book])
        #expect(extracted.status == 0 && extracted.stdout.contains("Ada Marsh, Tomas Reed"), "\(extracted.stderr)")
    }

    @Test func badBooksExitNonZeroWithOneMessageAndChangeNothing() throws {
        let cli = CLI()
        defer { cli.remove() }
        #expect(try cli.run(["add", try cli.write("note.txt", "The harbor master rang the bell at noon, as every day.")]).status == 0)
        let before = try cli.run(["status", "--json"]).stdout

        let book = try EPUBFixture.book()
        let cases: [(String, Data, String)] = [
            ("truncated.epub", book.prefix(book.count * 2 / 3), "the EPUB is damaged"),
            ("archive.zip", try EPUBFixture.zip([("notes.txt", "not a book")]), "not an EPUB"),
            ("locked.epub", try EPUBFixture.zip(EPUBFixture.files(encryption: EPUBFixture.drmEncryption)), "DRM"),
        ]
        for (name, data, message) in cases {
            let path = cli.home + "/" + name
            try data.write(to: URL(fileURLWithPath: path))
            let result = try cli.run(["add", path])
            #expect(result.status != 0, "\(name) should fail")
            #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
        }
        #expect(try cli.run(["status", "--json"]).stdout == before)
    }
}
