import Foundation
import Testing
@testable import GlossExtraction

/// What share of an input the extracted article keeps, and when that share says the body is
/// probably a fragment.
struct ExtractionCoverageTests {
    static let story = """
        Harbour reopens after the storm

        The harbour reopened on Monday after crews cleared debris left by last week's storm, which had \
        closed it to all traffic for six days, the port authority said.

        Fishing boats returned to their moorings, and the ferry resumed its timetable, although the \
        evening crossing will run late until the end of the month, according to the operator.
        """

    /// The story followed by `rows` lines of a table dump: text that is not article-shaped.
    static func storyAndTable(rows: Int) -> String {
        var text = story + "\n\n"
        for row in 0..<rows { text += "BERTH \(row) | MOORING \(row * 7) | TIDE \(row % 12)\n\n" }
        return text
    }

    @Test func aLargeInputKeptInASmallShareIsPartial() throws {
        let input = Self.storyAndTable(rows: 2_000)
        let article = try ArticleExtractor.extract(text: input, format: .plainText)
        let coverage = try #require(article.coverage)

        #expect(article.text.hasPrefix("The harbour reopened on Monday"))
        #expect(!article.text.contains("BERTH"))
        #expect(coverage.inputCharacters == input.unicodeScalars.count { !$0.properties.isWhitespace })
        #expect(coverage.keptCharacters == article.text.unicodeScalars.count { !$0.properties.isWhitespace })
        #expect(coverage.inputCharacters >= ExtractionCoverage.largeInput)
        #expect(coverage.share < 0.05)
        #expect(coverage.isPartial)
    }

    @Test func theSameTextReadAsMarkdownIsKeptWhole() throws {
        let article = try ArticleExtractor.extract(text: Self.storyAndTable(rows: 2_000), format: .markdown)
        let coverage = try #require(article.coverage)
        #expect(coverage.share > 0.9)
        #expect(!coverage.isPartial)
    }

    @Test func aSmallInputIsNeverPartial() throws {
        let article = try ArticleExtractor.extract(text: Self.storyAndTable(rows: 400), format: .plainText)
        let coverage = try #require(article.coverage)
        #expect(coverage.share < ExtractionCoverage.smallShare)
        #expect(coverage.inputCharacters < ExtractionCoverage.largeInput)
        #expect(!coverage.isPartial)
    }

    @Test func anHTMLPageCountsTheTextAReaderSeesNotItsMarkupOrScripts() throws {
        let script = "<script>" + String(repeating: "var x = 1; ", count: 5_000) + "</script>"
        let html = """
            <html><head><title>Harbour</title><style>p { color: red }</style>\(script)</head><body>
            <nav><a href="/">Home page</a></nav>
            <article><p>By Mara Quinn</p><p>The harbour reopened on Monday after crews cleared debris left by last week's storm, which \
            had closed it to all traffic for six days, the port authority said.</p></article>
            <noscript>Turn on scripts</noscript>\(script)</body></html>
            """
        let article = try ArticleExtractor.extract(text: html, format: .html)
        let coverage = try #require(article.coverage)
        let visible = "Home page" + "By Mara Quinn" + "The harbour reopened on Monday after crews cleared debris left by last week's storm, which "
            + "had closed it to all traffic for six days, the port authority said."
        #expect(coverage.inputCharacters == visible.unicodeScalars.count { !$0.properties.isWhitespace })
        // The byline left the body, and the count follows the body as returned.
        #expect(article.byline == "Mara Quinn" && !article.text.contains("Mara Quinn"))
        #expect(coverage.keptCharacters == article.text.unicodeScalars.count { !$0.properties.isWhitespace })
        #expect(!coverage.isPartial)
    }

    @Test func theJSONCarriesTheCountsTheShareAndTheJudgement() throws {
        let coverage = ExtractionCoverage(inputCharacters: 40_000, keptCharacters: 1_000)
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(coverage)) as? [String: Any])
        #expect(object["inputCharacters"] as? Int == 40_000)
        #expect(object["keptCharacters"] as? Int == 1_000)
        #expect(object["share"] as? Double == 0.025)
        #expect(object["isPartial"] as? Bool == true)
        #expect(try JSONDecoder().decode(ExtractionCoverage.self, from: JSONEncoder().encode(coverage)) == coverage)
    }
}
