import Foundation
import Testing

/// `extract` and `add` say so when the article keeps only a small share of a large input.
@Suite(.serialized) struct ExtractCoverageCLITests {
    /// An article followed by a long table dump that is not article text.
    static let storyAndTable: String = {
        var text = article + "\n\n"
        for row in 0..<2_000 { text += "BERTH \(row) | MOORING \(row * 7) | TIDE \(row % 12)\n\n" }
        return text
    }()

    @Test func extractWarnsAndItsJSONCarriesTheFigures() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("dump.txt", Self.storyAndTable)

        let result = try cli.run(["extract", file, "--json"])

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: \(file): kept "), "\(result.stderr)")
        #expect(result.stderr.contains("characters ("), "\(result.stderr)")
        #expect(result.stderr.contains("--format markdown"), "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let coverage = try #require(object["coverage"] as? [String: Any])
        #expect(coverage["isPartial"] as? Bool == true)
        let kept = try #require(coverage["keptCharacters"] as? Int)
        let input = try #require(coverage["inputCharacters"] as? Int)
        #expect(input > 20 * kept)
        #expect(result.stderr.contains(kept.formatted(.number.locale(Locale(identifier: "en_US")))))
    }

    @Test func addWarnsButSavesTheArticle() throws {
        let cli = CLI()
        defer { cli.remove() }
        let file = try cli.write("dump.txt", Self.storyAndTable)

        let result = try cli.run(["add", file])

        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("added"))
        #expect(result.stderr.contains("kept ") && result.stderr.contains("--format markdown"), "\(result.stderr)")
    }

    @Test func noWarningWhenTheWholeTextIsKeptOrTheInputIsAnArticle() throws {
        let cli = CLI()
        defer { cli.remove() }
        let dump = try cli.write("dump.txt", Self.storyAndTable)
        let story = try cli.write("story.txt", article)

        let asMarkdown = try cli.run(["extract", dump, "--format", "markdown"])
        let plain = try cli.run(["extract", story])

        #expect(asMarkdown.status == 0 && asMarkdown.stderr.isEmpty, "\(asMarkdown.stderr)")
        #expect(plain.status == 0 && plain.stderr.isEmpty, "\(plain.stderr)")
    }
}
