import Foundation
import Testing
@testable import GlossExtraction

/// Extraction from whole saved pages (a few of Readability's test pages) and from small invented
/// pages, one rule each.
struct HTMLExtractorTests {
    // MARK: - Saved pages

    static let pagesDirectory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("pages")

    static var pageNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: pagesDirectory.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted()
    }

    struct Expected: Decodable {
        var title: String?
        var byline: String?
    }

    @Test func pagesArePresent() {
        #expect(Self.pageNames.count == 5)
    }

    @Test(arguments: pageNames)
    func savedPageYieldsItsArticle(name: String) throws {
        let folder = Self.pagesDirectory.appendingPathComponent(name)
        let source = try Data(contentsOf: folder.appendingPathComponent("source.html"))
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: folder.appendingPathComponent("expected-metadata.json")))
        let expectedText = try String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)

        let article = try HTMLExtractor.extract([UInt8](source))

        #expect(article.title == expected.title.map(Document.normalizingSpaces))
        if let byline = expected.byline { #expect(article.byline?.contains(byline) == true, "byline \(article.byline ?? "nil")") }
        let (precision, recall) = Self.shingleOverlap(expected: expectedText, got: article.text)
        #expect(precision >= 0.95, "precision \(precision)")
        #expect(recall >= 0.95, "recall \(recall)")
        #expect(!article.text.contains("\n\n\n") && article.text == article.text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Precision and recall of the predicted text's 4-word shingles (the corpus scorer's metric).
    static func shingleOverlap(expected: String, got: String) -> (precision: Double, recall: Double) {
        func shingles(_ text: String) -> [String: Int] {
            let words = text.lowercased().split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
            var counts: [String: Int] = [:]
            if words.count < 4 { if !words.isEmpty { counts[words.joined(separator: " ")] = 1 }; return counts }
            for index in 0...(words.count - 4) { counts[words[index..<(index + 4)].joined(separator: " "), default: 0] += 1 }
            return counts
        }
        let wanted = shingles(expected), found = shingles(got)
        let shared = wanted.reduce(0) { $0 + min($1.value, found[$1.key] ?? 0) }
        let foundTotal = found.values.reduce(0, +), wantedTotal = wanted.values.reduce(0, +)
        return (foundTotal == 0 ? 0 : Double(shared) / Double(foundTotal), wantedTotal == 0 ? 0 : Double(shared) / Double(wantedTotal))
    }

    // MARK: - The article and its furniture

    static let story = """
        <p>The harbour reopened on Monday after crews cleared debris left by last week's storm, which had \
        closed it to all traffic for six days, the port authority said.</p>
        <p>Fishing boats returned to their moorings, and the ferry resumed its timetable, although the \
        evening crossing will run late until the end of the month, according to the operator.</p>
        <p>Repairs to the sea wall will take several months, the council said, and the promenade stays \
        closed between the lighthouse and the old customs house until engineers have inspected it.</p>
        """

    @Test func navigationCommentsAndSharingAreDropped() throws {
        let html = """
            <html><head><title>Harbour reopens after the storm | The Coastal Times</title></head><body>
            <nav><ul><li><a href="/">Home</a></li><li><a href="/local">Local news</a></li></ul></nav>
            <div class="sidebar"><h3>Most read</h3><ul><li><a href="/a">Another story entirely</a></li></ul></div>
            <article><h1>Harbour reopens after the storm</h1>\(Self.story)
            <div class="share-buttons"><a href="#">Share on social media</a></div></article>
            <div id="comments"><p>First! This comment is long enough to be a paragraph, surely, isn't it?</p></div>
            <footer>© 2024 The Coastal Times</footer>
            </body></html>
            """
        let article = try HTMLExtractor.extract(text: html)
        #expect(article.title == "Harbour reopens after the storm")
        #expect(article.text.hasPrefix("The harbour reopened on Monday"))
        #expect(article.text.hasSuffix("until engineers have inspected it."))
        for furniture in ["Home", "Most read", "Share on", "First!", "©"] {
            #expect(!article.text.contains(furniture), "kept: \(furniture)")
        }
    }

    @Test func structureBecomesMarkdownLikeText() throws {
        let html = """
            <html><body><article>\(Self.story)
            <h2>What happens next</h2>
            <ul><li>Inspect the wall</li><li>Reopen the promenade<ul><li>first the east end</li></ul></li></ul>
            <ol start="3"><li>Third step</li><li>Fourth step</li></ol>
            <blockquote><p>We were lucky, this time.</p><p>Next time we may not be.</p></blockquote>
            <pre>tide   07:12
            tide   19:40</pre>
            <table><thead><tr><th>Boat</th><th>Berth</th></tr></thead><tr><td>Mary Ann</td><td>4</td></tr></table>
            <p>Line one<br>line two &amp; <b>bold</b>&nbsp;text.</p>
            </article></body></html>
            """
        let text = try HTMLExtractor.extract(text: html).text
        #expect(text.contains("""
            ## What happens next

            - Inspect the wall

            - Reopen the promenade

              - first the east end

            3. Third step

            4. Fourth step

            > We were lucky, this time.

            > Next time we may not be.

            ```
            tide   07:12
            tide   19:40
            ```

            Boat | Berth

            Mary Ann | 4

            Line one
            line two & bold text.
            """), "\(text)")
    }

    @Test func codeBlocksKeepTheirIndentationAndBlankLines() throws {
        let html = """
            <html><body><article>\(Self.story)
            <div class="highlight"><pre><code class="language-swift"><span class="kd">func</span> total(_ values: [Int]) -&gt; Int {
                var sum = 0

                for value in values {
            \t\tsum += value
                }


                return sum
            }
            </code></pre></div>
            </article></body></html>
            """
        let text = try HTMLExtractor.extract(text: html).text
        #expect(text.hasSuffix("""
            until engineers have inspected it.

            ```
            func total(_ values: [Int]) -> Int {
                var sum = 0

                for value in values {
            \t\tsum += value
                }

                return sum
            }
            ```
            """), "\(text)")
    }

    @Test func codeIndentedWithNoBreakSpacesKeepsItsIndentation() throws {
        let html = """
            <html><body><article>\(Self.story)
            <div class="code"><code>if ready {<br>&nbsp;&nbsp;&nbsp;&nbsp;start()<br>}</code></div>
            </article></body></html>
            """
        let text = try HTMLExtractor.extract(text: html).text
        #expect(text.hasSuffix("if ready {\n    start()\n}"), "\(text)")
    }

    @Test func lineBreaksInsideCodeAreLinesOfOneBlock() throws {
        let html = """
            <html><body><article>\(Self.story)
            <pre><code><span>// add.c</span><br><span>#include &lt;stdio.h&gt;</span><br><br>int add(int x, int y) {<br>  return x + y;<br>}</code></pre>
            </article></body></html>
            """
        let text = try HTMLExtractor.extract(text: html).text
        #expect(text.hasSuffix("```\n// add.c\n#include <stdio.h>\n\nint add(int x, int y) {\n  return x + y;\n}\n```"), "\(text)")
    }

    @Test func aFenceIsLongerThanTheBackticksInTheCode() throws {
        let html = "<html><body><article>\(Self.story)<pre>Markdown fences code with ```:\n```swift\nlet x = 1\n```</pre></article></body></html>"
        let text = try HTMLExtractor.extract(text: html).text
        #expect(text.hasSuffix("````\nMarkdown fences code with ```:\n```swift\nlet x = 1\n```\n````"), "\(text)")
    }

    @Test func entitiesAndWhitespaceAreNormalized() throws {
        let html = "<html><body><div><p>a &lt; b &amp;&amp; c &gt; d &copy; 2024 &#x1F600; &eacute;t&eacute;  \n\t spaced&nbsp;&nbsp;out, "
            + "and a sentence long enough to count as the article's only paragraph.</p></div></body></html>"
        let text = try HTMLExtractor.extract(text: html).text
        #expect(text == "a < b && c > d © 2024 😀 été spaced out, and a sentence long enough to count as the article's only paragraph.")
    }

    @Test func hiddenElementsAreNotText() throws {
        let html = """
            <html><body><article>\(Self.story)
            <p style="display: none">Hidden by style, a paragraph nobody sees on the page at all.</p>
            <p hidden>Hidden by attribute, a paragraph nobody sees on the page at all.</p>
            <p aria-hidden="true">Hidden from readers, a paragraph nobody sees on the page at all.</p>
            </article></body></html>
            """
        let text = try HTMLExtractor.extract(text: html).text
        #expect(!text.contains("Hidden"))
    }

    // MARK: - Metadata

    @Test func metadataComesFromJSONLDThenMeta() throws {
        let html = """
            <html lang="en-GB"><head><title>Harbour | Coastal</title>
            <meta property="og:title" content="Harbour reopens (og)">
            <meta name="author" content="Meta Author">
            <meta property="og:site_name" content="The Coastal Times">
            <meta property="article:section" content="Local">
            <meta property="article:tag" content="weather"><meta property="article:tag" content="harbour">
            <meta property="og:url" content="https://coastal.example/og">
            <link rel="canonical" href="https://coastal.example/harbour">
            <script type="application/ld+json">
            [{"@context": "https://schema.org", "@type": "BreadcrumbList", "name": "Crumbs"},
             {"@context": {"@vocab": "http://schema.org/"}, "@type": ["NewsArticle"], "headline": "Harbour reopens after storm",
              "author": [{"@type": "Person", "name": "Mara Quinn"}, {"name": "Tom Reyes"}],
              "datePublished": "2024-01-15T08:30:00Z", "publisher": {"name": "Coastal Times Ltd"}}]
            </script></head>
            <body><article>\(Self.story)</article></body></html>
            """
        let article = try HTMLExtractor.extract(text: html)
        #expect(article.title == "Harbour reopens after storm")
        #expect(article.byline == "Mara Quinn, Tom Reyes")
        #expect(article.published == "2024-01-15T08:30:00Z")
        #expect(article.siteName == "Coastal Times Ltd")
        #expect(article.section == "Local")
        #expect(article.tags == ["weather", "harbour"])
        #expect(article.url == "https://coastal.example/harbour")
        #expect(article.language == "en-GB")
    }

    @Test func bylineAndTimeFromTheMarkup() throws {
        let html = """
            <html><head><title>Harbour reopens after a long storm - The Coastal Times</title></head><body>
            <article><div class="byline">By <a rel="author" href="/mara">Mara Quinn</a></div>
            <time datetime="2024-01-15" pubdate>15 January</time>\(Self.story)</article></body></html>
            """
        let article = try HTMLExtractor.extract(text: html)
        #expect(article.title == "Harbour reopens after a long storm")
        #expect(article.byline == "By Mara Quinn")
        #expect(article.published == "2024-01-15")
        #expect(!article.text.contains("Mara Quinn"))
    }

    @Test(arguments: [
        ("Site name | A title with enough words", "Site name | A title with enough words"),
        ("A title with enough words | Site", "A title with enough words"),
        ("Lorem ipsum dolor sit amet – My website", "Lorem ipsum dolor sit amet"),
        ("Site: A title with enough words here", "A title with enough words here"),
        ("Short | Site", "Short | Site"),
    ])
    func titleLosesTheSiteName(title: String, expected: String) throws {
        let html = "<html><head><title>\(title)</title></head><body><article>\(Self.story)</article></body></html>"
        #expect(try HTMLExtractor.extract(text: html).title == expected)
    }

    // MARK: - Encodings

    @Test func windows1252DeclaredInThePage() throws {
        var bytes = Array(#"<html><head><meta charset="windows-1252"><title>Caf"#.utf8) + [0xE9]
        bytes += Array("</title></head><body><p>Un caf".utf8) + [0xE9, 0x20, 0x93] + Array("cr".utf8) + [0xE8]
        bytes += Array("me".utf8) + [0x94, 0x20] + Array("co".utf8) + [0xFB] + Array("te 3".utf8) + [0x80]
        bytes += Array(" au comptoir.</p></body></html>".utf8)
        let article = try HTMLExtractor.extract(bytes)
        #expect(article.title == "Café")
        #expect(article.text == "Un café “crème” coûte 3€ au comptoir.")
    }

    @Test func serverCharsetWinsOverThePage() throws {
        // "日本語" in Shift_JIS, in a page that wrongly claims UTF-8.
        let bytes = Array(#"<html><head><meta charset="utf-8"></head><body><p>"#.utf8) + [0x93, 0xFA, 0x96, 0x7B, 0x8C, 0xEA]
            + Array("</p></body></html>".utf8)
        #expect(try HTMLExtractor.extract(bytes, charset: "Shift_JIS").text == "日本語")
        #expect(throws: ExtractionError.invalidUTF8(declaredBy: "the page")) { try HTMLExtractor.extract(bytes) }
    }

    @Test func utf16WithByteOrderMark() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "<html><body><p>Grüße aus Köln.</p></body></html>".utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try HTMLExtractor.extract(bytes).text == "Grüße aus Köln.")
    }

    @Test func validUTF8WinsOverAStaleDeclaration() throws {
        let html = #"<html><head><meta charset="gb2312"></head><body><p>人工智能迈上新台阶</p></body></html>"#
        #expect(try HTMLExtractor.extract(Array(html.utf8)).text == "人工智能迈上新台阶")
    }

    // MARK: - Pages with no article

    @Test func pagesWithoutAnArticleGetAClearError() {
        let links = (1...60).map { "<li><a href=\"/section/\($0)\">Section number \($0) of the site</a></li>" }.joined()
        let pages = [
            "<html><head><title>Empty</title></head><body></body></html>",
            "<html><body><nav><ul>\(links)</ul></nav></body></html>",
            "<html><body><ul>\(links)</ul></body></html>",
            "<html><body>   <!-- nothing -->  <script>var a = 1;</script></body></html>",
        ]
        for page in pages {
            #expect(throws: ExtractionError.noArticleText) { try HTMLExtractor.extract(text: page) }
        }
        #expect(ExtractionError.noArticleText.description.contains("no article text"))
    }

    @Test func oversizedPageIsRefused() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: HTMLExtractor.maximumSize + 1)
        #expect(throws: ExtractionError.tooLarge(bytes: bytes.count, limit: HTMLExtractor.maximumSize)) {
            try HTMLExtractor.extract(bytes)
        }
    }
}
