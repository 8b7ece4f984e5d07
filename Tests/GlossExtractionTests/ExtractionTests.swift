import Foundation
import Testing
@testable import GlossExtraction

/// Import of plain text, Markdown and HTML: the fixtures, invented articles with other boilerplate,
/// bad input, and inputs built to make a careless parser crash or hang.
struct ExtractionTests {
    // MARK: - Fixtures

    /// What a fixture's `*.expected.json` says an import must yield.
    struct Expectation: Decodable {
        var title: String
        var published: String?
        var section: String?
        var dateline: String?
        var source: String?
        var mustInclude: [String]
        var mustExclude: [String]

        enum CodingKeys: String, CodingKey {
            case title, published, section, dateline, source
            case mustInclude = "body_must_include"
            case mustExclude = "body_must_exclude"
        }
    }

    static let fixtureDirectory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("articles")

    static var fixtureNames: [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: fixtureDirectory.path)) ?? []
        return files.filter { $0.hasSuffix(".txt") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test func fixturesArePresent() {
        #expect(Self.fixtureNames.count >= 2)
        #expect(Bundle.module.url(forResource: "000_c6ad0d08df889c0c", withExtension: "txt", subdirectory: "Fixtures/articles") != nil)
    }

    @Test(arguments: fixtureNames)
    func fixtureImportsAsExpected(name: String) throws {
        let input = try Data(contentsOf: Self.fixtureDirectory.appendingPathComponent(name + ".txt"))
        let expected = try JSONDecoder().decode(
            Expectation.self,
            from: Data(contentsOf: Self.fixtureDirectory.appendingPathComponent(name + ".expected.json"))
        )

        let article = try ArticleExtractor.extract(data: input, filename: name + ".txt")

        #expect(article.format == .plainText)
        #expect(article.title == expected.title)
        #expect(article.published == expected.published)
        if let section = expected.section { #expect(article.section == section) }
        #expect(article.dateline == expected.dateline)
        #expect(article.siteName == expected.source)
        for phrase in expected.mustInclude {
            #expect(article.text.contains(phrase), "missing: \(phrase)")
        }
        for phrase in expected.mustExclude {
            #expect(!article.text.contains(phrase), "boilerplate kept: \(phrase)")
        }
        expectWellFormed(article.text)
    }

    func expectWellFormed(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(text == text.trimmingCharacters(in: .whitespacesAndNewlines), sourceLocation: sourceLocation)
        #expect(!text.contains("\n\n\n"), sourceLocation: sourceLocation)
        for paragraph in text.components(separatedBy: "\n\n") {
            #expect(paragraph == paragraph.trimmingCharacters(in: .whitespacesAndNewlines), sourceLocation: sourceLocation)
            #expect(!paragraph.isEmpty, sourceLocation: sourceLocation)
        }
    }

    // MARK: - Plain text: invented pages

    @Test func blogPostDropsCookieBannerMenuSharingAndRelatedLinks() throws {
        let page = """
            We use cookies to personalise content and to analyse our traffic. By continuing to use this site you agree to our use of cookies.
            Accept all
            Manage preferences

            Home
            Recipes
            About
            Contact

            How I finally got my sourdough starter to behave

            Posted on March 3, 2022 by Jane Smith

            For months my starter sat on the counter doing very little. It smelled faintly of apples, it bubbled a bit in the evening, and by morning it had collapsed into a sad grey puddle that would not raise a loaf no matter how long I waited.

            The fix turned out to be boring: feed it at the same time every day, keep it somewhere warm, and use a little rye flour in each feed. Within a week it was doubling in four hours, which is what you want before you bake with it.

            Temperature matters more than any other factor. A starter kept at 18 degrees behaves like a completely different organism from one kept at 25 degrees, and most of the advice you read online assumes a warm kitchen.

            If your kitchen is cold, the oven with only the light switched on is a good place for it. Check it with a thermometer first, because some ovens get hotter than you would expect.

            Share this:
            Facebook
            Twitter
            Email

            Related articles

            Five breads to bake this weekend
            Why your crust is too pale
            The best flour for beginners

            Leave a Reply
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)

        #expect(article.title == "How I finally got my sourdough starter to behave")
        #expect(article.byline == "Jane Smith")
        #expect(article.published == "2022-03-03")
        #expect(article.section == nil)
        #expect(article.dateline == nil)
        #expect(article.text.hasPrefix("For months my starter"))
        #expect(article.text.hasSuffix("hotter than you would expect."))
        #expect(article.text.components(separatedBy: "\n\n").count == 4)
        for boilerplate in ["cookies", "Accept all", "Recipes", "Posted on", "Share this", "Facebook", "Related articles", "Five breads", "Leave a Reply"] {
            #expect(!article.text.contains(boilerplate), "kept: \(boilerplate)")
        }
    }

    @Test func wireStoryWithoutDateKeepsBodyAroundInsertedFurniture() throws {
        let page = """
            Menu
            Search

            World | Europe

            Berlin opens its first floating swimming pool in the river Spree

            BERLIN (AP) — Swimmers lined up on Saturday to try out a new floating pool moored in the river Spree, the first of its kind in the German capital after years of planning and delays.

            The pool, built inside a converted barge, holds filtered river water and is open to the public for a small fee during the summer months, city officials said.

            Advertisement

            Officials said they hope the project will encourage more people to use the river, which has become much cleaner over the past two decades as industry moved out of the city centre.

            Sign up for our morning briefing and get the day's top stories in your inbox.

            The operators said they would decide next year whether to keep the pool open in the winter, when it could be covered and heated.

            Most Popular
            Ten things to do in Berlin this summer
            Where to eat near the river
            Train strike ends after three days
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)

        #expect(article.title == "Berlin opens its first floating swimming pool in the river Spree")
        #expect(article.published == nil)
        #expect(article.section == "World")
        #expect(article.dateline == "BERLIN")
        #expect(article.siteName == "The Associated Press")
        #expect(article.text.hasPrefix("BERLIN (AP) — Swimmers lined up"))
        #expect(article.text.hasSuffix("covered and heated."))
        #expect(article.text.contains("Officials said they hope the project"))
        for boilerplate in ["Advertisement", "Sign up", "Most Popular", "Ten things", "Menu"] {
            #expect(!article.text.contains(boilerplate), "kept: \(boilerplate)")
        }
    }

    @Test func hardWrappedNewsletterJoinsItsLines() throws {
        let page = """
            The Weekly Garden
            Issue 42

            Why we stopped digging

            For years we turned over every bed in the autumn, because that is what
            the books said to do. It left the soil looking tidy, but it also broke
            up the fungal networks that feed the plants and it brought a fresh
            crop of weed seeds to the surface every spring.

            Three years ago we stopped. We now spread a thick layer of compost on
            top of the beds in November and let the worms pull it down over the
            winter. The difference in the vegetable beds has been remarkable, and
            we spend far less time weeding than we used to.

            You can unsubscribe at any time by replying to this email.
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)

        #expect(article.title == "Why we stopped digging")
        #expect(article.published == nil)
        #expect(article.text.components(separatedBy: "\n\n").count == 2)
        #expect(article.text.contains("because that is what the books said to do."))
        #expect(!article.text.contains("unsubscribe"))
        expectWellFormed(article.text)
    }

    @Test func ambiguousNumericDateIsNotGuessed() throws {
        let page = """
            Council approves new cycle lanes on the ring road
            05/06/2023
            By Sam Lee

            The city council voted on Tuesday evening to approve a network of protected cycle lanes along the ring road, after a consultation that drew more than four thousand responses from residents.

            Work on the first section is expected to begin in the spring and will take about six months, according to the council's transport committee, which said the lanes would be separated from traffic by kerbs.
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)

        #expect(article.title == "Council approves new cycle lanes on the ring road")
        #expect(article.byline == "Sam Lee")
        #expect(article.published == nil)
        #expect(!article.text.contains("05/06/2023"))
    }

    @Test func datelineWithDateAndUpdateStamp() throws {
        let page = """
            Markets
            Stocks close higher as chipmakers rally
            By Ana Ruiz and Tom Becker
            March 3, 2024 4:15 PM GMT+1 Updated 2 hours ago

            NEW YORK, March 3 (Reuters) - U.S. stocks closed higher on Sunday as shares of chipmakers rallied for a third session, lifting the Nasdaq to a record close while investors waited for inflation data due later in the week.

            Traders said the gains were broad but thin, with volumes well below their monthly average as many investors stayed on the sidelines ahead of the data.

            Reporting by Ana Ruiz; Editing by Tom Becker
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)

        #expect(article.title == "Stocks close higher as chipmakers rally")
        #expect(article.byline == "Ana Ruiz and Tom Becker")
        #expect(article.published == "2024-03-03")
        #expect(article.dateline == "NEW YORK")
        #expect(article.siteName == "Reuters")
    }

    @Test func sourceFromCopyrightLineOrPhotoCredit() {
        #expect(PlainTextExtractor.copyrightHolder(in: "Copyright 2019 Northwind Media Ltd. All rights reserved.") == "Northwind Media Ltd")
        #expect(PlainTextExtractor.copyrightHolder(in: "© 2020-2024 The Harbour Gazette") == "The Harbour Gazette")
        #expect(PlainTextExtractor.copyrightHolder(in: "The Harbour Gazette reported record visitors.") == nil)
        #expect(PlainTextExtractor.photoCreditAgency(in: "Crowds gather in the square. (AFP Photo/Jean Martin)") == "Agence France-Presse")
        #expect(PlainTextExtractor.photoCreditAgency(in: "Crowds gather in the square on Friday. XINHUA/Li Wei") == "Xinhua")
        #expect(PlainTextExtractor.photoCreditAgency(in: "The plan is 24/7 coverage") == nil)
    }

    @Test func navigationOnlyHasNoArticleText() {
        let page = "Home\nNews\nSport\nWeather\nSign in\n"
        #expect(throws: ExtractionError.noArticleText) { try ArticleExtractor.extract(text: page, format: .plainText) }
    }

    @Test func shortNoteIsKept() throws {
        let article = try ArticleExtractor.extract(text: "Remember to renew the passport before June.\n", format: .plainText)
        #expect(article.text == "Remember to renew the passport before June.")
    }

    @Test(arguments: [
        ("Wednesday, 3 Jan 2024", "2024-01-03"),
        ("December 28, 2023", "2023-12-28"),
        ("Published Dec. 28, 2023 at 9:00 a.m.", "2023-12-28"),
        ("28th of December 2023", "2023-12-28"),
        ("2023-12-28T10:15:00Z", "2023-12-28"),
        ("28/12/2023", "2023-12-28"),
        ("12/28/2023", "2023-12-28"),
        ("06/06/2023", "2023-06-06"),
        ("28.12.2023", "2023-12-28"),
        ("February 29, 2024", "2024-02-29"),
    ])
    func datesNewsSitesUse(text: String, iso: String) {
        #expect(PlainTextExtractor.isoDate(in: text) == iso)
    }

    @Test(arguments: ["05/06/2023", "February 30, 2023", "March 2023", "Updated 3 hours ago", "28 Dec", "EUR 4.50/month"])
    func noDateIsInvented(text: String) {
        #expect(PlainTextExtractor.isoDate(in: text) == nil)
    }

    // MARK: - Markdown

    @Test func markdownFrontMatterAndBody() throws {
        let source = """
            ---
            title: "Notes on: offline sync"
            url: https://example.com/notes
            tags: [sync, offline]
            author: Ada Example
            date: 2024-02-10
            source: Example Blog
            ---

            # Notes on: offline sync

            Offline-first apps keep a full copy of the data on each device. See [the CRDT paper](https://example.com/crdt "CRDTs") for details.

            ![diagram](img/diagram.png)


            Use `[not a link](x)` in code, and [a reference][ref] elsewhere.

            [ref]: https://example.com/ref
            """
        let article = try ArticleExtractor.extract(data: Data(source.utf8), filename: "notes.md")

        #expect(article.format == .markdown)
        #expect(article.title == "Notes on: offline sync")
        #expect(article.url == "https://example.com/notes")
        #expect(article.tags == ["sync", "offline"])
        #expect(article.byline == "Ada Example")
        #expect(article.published == "2024-02-10")
        #expect(article.siteName == "Example Blog")
        #expect(article.text == """
            Offline-first apps keep a full copy of the data on each device. See the CRDT paper for details.

            Use `[not a link](x)` in code, and a reference elsewhere.
            """)
    }

    @Test func markdownTitleFromHeadingAndDashListTags() throws {
        let source = """
            ---
            tags:
              - travel
              - rail
            ---
            # Night trains are back

            Sleeper services now link a dozen European capitals.
            """
        let article = try ArticleExtractor.extract(text: source, format: .markdown)
        #expect(article.title == "Night trains are back")
        #expect(article.tags == ["travel", "rail"])
        #expect(article.published == nil)
        #expect(article.text == "Sleeper services now link a dozen European capitals.")
    }

    // MARK: - HTML

    @Test func htmlArticleWithMetadata() throws {
        let html = """
            <!DOCTYPE html>
            <html><head>
            <meta charset="utf-8">
            <title>Harbour reopens after the storm | The Coastal Times</title>
            <meta property="og:site_name" content="The Coastal Times">
            <meta property="article:published_time" content="2024-01-15T08:30:00Z">
            <meta name="author" content="Mara Quinn">
            <meta property="article:section" content="Local">
            <meta property="article:tag" content="weather"><meta property="article:tag" content="harbour">
            <link rel="canonical" href="https://coastal.example/harbour">
            <script>var x = "<p>not text</p>";</script>
            <style>p { color: red }</style>
            </head><body>
            <header><nav><a href="/">Home</a> <a href="/local">Local</a></nav></header>
            <article>
            <h1>Harbour reopens after the storm</h1>
            <p>PORTLOCH &ndash; The harbour reopened on Monday after crews cleared debris left by last week&#8217;s storm.</p>
            <p>Fishing boats returned to their moorings &amp; the ferry resumed its   timetable.</p>
            <aside>Read more: Storm damage in pictures</aside>
            <p>Repairs to the sea wall will take &quot;several months&quot;, the council said.<br>Some paths stay closed.</p>
            </article>
            <footer>© 2024 The Coastal Times</footer>
            </body></html>
            """
        let article = try ArticleExtractor.extract(data: Data(html.utf8), filename: nil)

        #expect(article.format == .html)
        #expect(article.title == "Harbour reopens after the storm")
        #expect(article.siteName == "The Coastal Times")
        #expect(article.published == "2024-01-15T08:30:00Z")
        #expect(article.byline == "Mara Quinn")
        #expect(article.section == "Local")
        #expect(article.tags == ["weather", "harbour"])
        #expect(article.url == "https://coastal.example/harbour")
        #expect(article.dateline == "PORTLOCH")
        #expect(article.text == """
            PORTLOCH – The harbour reopened on Monday after crews cleared debris left by last week’s storm.

            Fishing boats returned to their moorings & the ferry resumed its timetable.

            Repairs to the sea wall will take "several months", the council said.
            Some paths stay closed.
            """)
    }

    @Test func htmlMainWithBylineAndTimeInItsText() throws {
        let html = """
            <!doctype html><html><head><title>Volcano erupts near Reykjavik overnight - Nordic Wire</title>
            <meta property="og:site_name" content="Nordic Wire"></head><body>
            <div hidden>We use cookies.</div>
            <header><a href="/">Nordic Wire</a><ul><li><a href="/news">News</a></li></ul></header>
            <main>
            <div>By <a href="/a/kari">Kari Jónsdóttir</a> · <time datetime="2024-02-08T06:02:00+00:00">8 Feb 2024</time></div>
            <p>REYKJAVIK, Iceland (Reuters) &mdash; A volcano erupted on Iceland's Reykjanes peninsula early on Thursday.</p>
            <figure><img src="x.jpg"><figcaption>Lava flows near Grindavik.</figcaption></figure>
            <pre>line one
            line two

            line three</pre>
            <ul><li>Grindavik was evacuated</li><li>Flights were not affected</li></ul>
            <table><tr><td>Cell A</td><td>Cell B</td></tr></table>
            </main></body></html>
            """
        let article = try ArticleExtractor.extract(text: html, format: .html)

        #expect(article.title == "Volcano erupts near Reykjavik overnight")
        #expect(article.siteName == "Nordic Wire")
        #expect(article.byline == "Kari Jónsdóttir")
        #expect(article.published == "2024-02-08T06:02:00+00:00")
        #expect(article.dateline == "REYKJAVIK, Iceland")
        #expect(article.text == """
            REYKJAVIK, Iceland (Reuters) — A volcano erupted on Iceland's Reykjanes peninsula early on Thursday.

            Lava flows near Grindavik.

            ```
            line one
            line two

            line three
            ```

            - Grindavik was evacuated

            - Flights were not affected

            Cell A | Cell B
            """)
    }

    /// A byline the markup marks reads as the plain-text reader reads one: the names, not "By".
    @Test func htmlBylineFromTheMarkupIsTheNames() throws {
        let story = (1...4).map { "<p>Paragraph \($0) of the story tells how the harbour reopened after the storm, with boats back at the quay and the fish market open again.</p>" }
            .joined()
        let marked = try ArticleExtractor.extract(text: """
            <html><head><title>Harbour reopens - The Coastal Times</title></head><body><article>
            <div class="byline">By <a rel="author" href="/mara">Mara Quinn</a></div>\(story)</article></body></html>
            """, format: .html)
        #expect(marked.byline == "Mara Quinn")
        let plain = try ArticleExtractor.extract(text: """
            <html><head><title>Harbour reopens - The Coastal Times</title><meta name="author" content="Mara Quinn"></head>
            <body><article>\(story)</article></body></html>
            """, format: .html)
        #expect(plain.byline == "Mara Quinn")  // a meta author has no "By" to drop
        // The plain-text reader, given the same byline line, reads the same names.
        let text = "Harbour reopens\n\nBy Mara Quinn\n\n" + (1...4).map {
            "Paragraph \($0) of the story tells how the harbour reopened after the storm, with boats back at the quay and the fish market open again."
        }.joined(separator: "\n\n")
        let typed = try ArticleExtractor.extract(text: text, format: .plainText)
        #expect(typed.byline == "Mara Quinn")
        #expect(typed.byline == marked.byline)
    }

    @Test func htmlBodyWithoutArticleIsSifted() throws {
        let html = """
            <html><head><title>Allotment diary - Week 12</title></head><body>
            <div class="menu"><a href="/">Home</a><br><a href="/archive">Archive</a><br><a href="/about">About</a></div>
            <div><p>The broad beans are finally up, about three weeks later than last year, and the slugs have already found them. We put down a ring of grit around each plant, which seems to help for a while.</p>
            <p>The rhubarb, on the other hand, has gone wild. There is far more than we can eat, so most of it went to the neighbours, who turned it into a very good crumble and gave us half of it back.</p></div>
            <div>Subscribe to our newsletter for weekly updates!</div>
            <div><a href="/p/11">Week 11</a> <a href="/p/13">Week 13</a></div>
            </body></html>
            """
        let article = try ArticleExtractor.extract(text: html, format: .html)

        #expect(article.title == "Allotment diary - Week 12")
        #expect(article.text.hasPrefix("The broad beans are finally up"))
        #expect(article.text.hasSuffix("gave us half of it back."))
        for boilerplate in ["Archive", "Subscribe", "Week 11"] {
            #expect(!article.text.contains(boilerplate), "kept: \(boilerplate)")
        }
    }

    @Test func htmlDeclaringWindows1252IsDecodedWithIt() throws {
        var bytes = Array(#"<html><head><meta charset="windows-1252"><title>Caf"#.utf8)
        bytes += [0xE9]
        bytes += Array("</title></head><body><p>Un caf".utf8) + [0xE9, 0x20, 0x93] + Array("cr".utf8) + [0xE8]
        bytes += Array("me".utf8) + [0x94, 0x20] + Array("co".utf8) + [0xFB] + Array("te 3".utf8) + [0x80]
        bytes += Array(" au comptoir.</p></body></html>".utf8)
        let article = try ArticleExtractor.extract(data: Data(bytes), filename: "cafe.html")

        #expect(article.title == "Café")
        #expect(article.text == "Un café “crème” coûte 3€ au comptoir.")
    }

    @Test func htmlEntitiesAndMalformedMarkup() throws {
        // libxml2 knows HTML 4's entities: names it does not know, and references to no
        // character, stay out of the text rather than breaking it.
        let html = "<p>a &lt; b &AMP; c &gt; d &copy; 2024 &#x1F600; &#0; &bogus; &#x110000; & done.</p><div><p>unclosed <b>bold"
        let article = try ArticleExtractor.extract(text: html, format: .html)
        #expect(article.text == "a < b &AMP; c > d © 2024 😀 &bogus; & done.\n\nunclosed bold")
    }

    // MARK: - Format detection and bad input

    @Test func formatComesFromHintThenExtensionThenContent() throws {
        let markdown = Data("# Title\n\nSome body text here.\n".utf8)
        #expect(try ArticleExtractor.extract(data: markdown, filename: "a.txt").format == .plainText)
        #expect(try ArticleExtractor.extract(data: markdown, filename: "a.txt", format: .markdown).format == .markdown)
        #expect(try ArticleExtractor.extract(data: markdown, filename: nil).format == .markdown)
        #expect(try ArticleExtractor.extract(data: Data("<p>Hello there, reader.</p>".utf8), filename: "x.htm").format == .html)
        #expect(try ArticleExtractor.extract(data: Data("Just a sentence of text.".utf8), filename: "notes").format == .plainText)
    }

    @Test func badInputGetsAClearError() {
        #expect(throws: ExtractionError.empty) { try ArticleExtractor.extract(data: Data(), filename: "a.txt") }
        #expect(throws: ExtractionError.empty) { try ArticleExtractor.extract(data: Data(" \n\t\r\n ".utf8), filename: nil) }
        #expect(throws: ExtractionError.empty) { try ArticleExtractor.extract(text: "\u{A0}\u{2003}\n", format: .markdown) }
        #expect(throws: ExtractionError.binary) { try ArticleExtractor.extract(data: Data([0x48, 0x69, 0x00, 0x21]), filename: "a.txt") }
        #expect(throws: ExtractionError.binary) { try ArticleExtractor.extract(data: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]), filename: nil) }
        #expect(throws: ExtractionError.binary) { try ArticleExtractor.extract(text: "a\u{0}b", format: .plainText) }
        #expect(throws: ExtractionError.invalidUTF8(declaredBy: nil)) {
            try ArticleExtractor.extract(data: Data([0x43, 0x61, 0x66, 0xE9, 0x20, 0x6F, 0x6B, 0x2E]), filename: "a.txt")
        }
        #expect(throws: ExtractionError.invalidUTF8(declaredBy: "the page")) {
            try ArticleExtractor.extract(data: Data("<meta charset=\"utf-8\"><p>Caf".utf8 + [0xE9]), filename: "a.html")
        }
        for error in [ExtractionError.empty, .binary, .invalidUTF8(declaredBy: nil), .invalidUTF8(declaredBy: "the page"), .noArticleText] {
            #expect(error.description.count > 40)
        }
    }

    @Test func byteOrderMarksAreHonoured() throws {
        let utf8 = try ArticleExtractor.extract(data: Data([0xEF, 0xBB, 0xBF] + Array("A sentence after a mark.".utf8)), filename: nil)
        #expect(utf8.text == "A sentence after a mark.")
        var utf16: [UInt8] = [0xFF, 0xFE]
        for unit in "A sentence in UTF-16.".utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(try ArticleExtractor.extract(data: Data(utf16), filename: nil).text == "A sentence in UTF-16.")
    }

    // MARK: - Robustness

    /// Inputs that make careless tokenizers loop or backtrack; each must finish quickly either way.
    static let hostile: [String] = {
        let big = 200_000
        return [
            String(repeating: "[", count: big),
            String(repeating: "[a](", count: big / 4),
            String(repeating: "`", count: big) + "x",
            String(repeating: "<", count: big),
            String(repeating: "<a ", count: big / 3),
            String(repeating: "<div>", count: big / 5) + "text",
            "<!--" + String(repeating: "-", count: big),
            "<script>" + String(repeating: "</scrip", count: big / 7),
            String(repeating: "&#x", count: big / 3),
            String(repeating: "&amp", count: big / 4),
            String(repeating: "a", count: big),
            String(repeating: "WORD – ", count: big / 7),
            String(repeating: "\n", count: big) + "x",
            String(repeating: "Short line\n", count: big / 11),
            String(repeating: "© 2024 ", count: big / 7),
            "---\n" + String(repeating: "key: value\n", count: big / 11),
        ]
    }()

    @Test(.timeLimit(.minutes(1)), arguments: 0..<hostile.count)
    func hostileInputNeverCrashesOrHangs(index: Int) {
        for format in SourceFormat.allCases {
            let clock = ContinuousClock()
            let elapsed = clock.measure { _ = try? ArticleExtractor.extract(text: Self.hostile[index], format: format) }
            #expect(elapsed < .seconds(20), "\(format) took \(elapsed)")
        }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(seed: 0x5EED)
        let fragments = ["<p>", "</p>", "<a href='x'>", "&amp;", "&#", "<!--", "-->", "[", "](", ")", "`", "---\n", "# ",
                         "\n\n", "WASHINGTON – ", "(AP)", "©", "2023-12-28", "é", "“", "<script>", "</", ">", "\"", " "]
        for round in 0..<300 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 400) {
                if round.isMultiple(of: 2) {
                    bytes.append(UInt8(truncatingIfNeeded: generator.next()))
                } else {
                    bytes += Array(fragments[Int(generator.next() % UInt64(fragments.count))].utf8)
                }
            }
            for format in [nil] + SourceFormat.allCases.map(Optional.some) {
                _ = try? ArticleExtractor.extract(data: Data(bytes), filename: nil, format: format)
            }
        }
    }

    /// SplitMix64: a seeded generator, so a failing random input replays exactly.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
