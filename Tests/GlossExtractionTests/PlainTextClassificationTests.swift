import Testing
@testable import GlossExtraction

/// The plain-text classifier's rules measured on the browser-copied proxy corpus
/// (`scripts/plain-text-corpus`): each test holds a page shape that a rule decides.
struct PlainTextClassificationTests {
    /// Two paragraphs of an article's body, which the page tests set among furniture.
    static let cycleLanes = [
        "The city council voted on Tuesday evening to build protected cycle lanes along the whole of the ring road, a plan that has been debated for more than ten years by those who live and work near it.",
        "Work on the new lanes will start in the spring, and the council expects the ring road to be open to cyclists along its full length by the end of next year.",
    ]

    /// One line as the classifier sees it.
    func line(_ text: String) -> PlainTextExtractor.Paragraph {
        PlainTextExtractor.Paragraph(text: text, block: 0)
    }

    @Test func unpunctuatedProseIsNotALinkListItem() {
        #expect(!line("Thanks to a new contributor, users can now import their saved logins from the other browser").isListItem)
        #expect(line("Ten Things To Do In Berlin This Summer").isListItem)
        #expect(line("Stack Overflow Survey Results Show WordPress Trending Up Among Developers").isListItem)
        #expect(line("Home").isListItem)
    }

    @Test func listOfUnpunctuatedSentencesInsideAnArticleIsKept() throws {
        let page = """
            Home
            News
            Blog

            The team spent the last two weeks on the release, and there is a lot to report from all of the groups that worked on it during that time.

            Highlights
            The updater no longer starts while another copy of the browser is still running on the machine
            Users who run several profiles at once can now import their saved logins from the other browser
            It is now possible to turn off the search shortcuts for each of the engines in the settings
            Printing a document now lets you pick the pages you want from a range that is not continuous

            Thanks to everyone who contributed to this release, and we hope that you will enjoy the changes as much as we enjoyed making them for you.

            About us
            Contact
            Privacy
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.contains("The updater no longer starts"))
        #expect(article.text.contains("pick the pages you want"))
        #expect(article.text.hasSuffix("enjoyed making them for you."))
        #expect(!article.text.contains("Privacy"))
    }

    @Test func codeLinesAreCodeAndProseIsNot() {
        #expect(line("const items = (await response.json()).filter((item) => item.price > minimumPrice);").isCode)
        #expect(line("for (let i = 0; i < items.length; i++) {").isCode)
        #expect(line("<script src=\"vendor/blanket.js\" data-cover></script>").isCode)
        #expect(line("});").isCode)
        #expect(!line("The council (which met on Tuesday) approved the plan; the mayor said it would cost $4m.").isCode)
        #expect(!line("Ten Things To Do In Berlin This Summer").isCode)
        #expect(!line("Fixed a crash when the window closed (Bug 1664144)").isCode)
    }

    @Test func codeBlockBetweenProseIsKept() throws {
        let page = """
            Menu
            Search

            Fetching the items is a single request, and the list that comes back can be filtered on the client before it is shown to the reader of the page.

            const response = await fetch(`${baseURL}/api/items?limit=${limit}&offset=${offset}`);
            const items = (await response.json()).filter((item) => item.price > minimumPrice);

            That is all there is to it: the request is made once, and the filter runs on whatever the server sent back, however many items there are in it.
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.contains("const response = await fetch("))
        #expect(article.text.contains("const items = (await response.json())"))
        #expect(article.text.hasSuffix("however many items there are in it."))
        #expect(!article.text.contains("Menu"))
    }

    @Test func commentsOpeningIsRecognised() {
        #expect(line("12 comments on “Why the river is cleaner”").isCommentsOpening)
        #expect(line("Leave a Reply").isCommentsOpening)
        #expect(line("There are 13 comments").isCommentsOpening)
        #expect(line("Show comments").isCommentsOpening)
        #expect(!line("Comments").isCommentsOpening)
        #expect(!line("12 comments on the plan were received by the council.").isCommentsOpening)
        #expect(!line("The council received 12 comments on the plan").isCommentsOpening)
    }

    @Test func readersCommentsDoNotJoinTheBody() throws {
        let page = """
            Why the river is cleaner than it was

            The river that runs through the city has become much cleaner over the past two decades, as the factories that used to line its banks moved out to the edge of town and the old sewers were replaced one by one.

            Officials said that the water is now clean enough for swimming in the summer months, and that they hope more people will use it once the new pool opens next year, as it is planned to do in the spring.

            2 comments on “Why the river is cleaner than it was”

            Jane Holloway says:

            I have lived by the river for most of my life and I can tell you that it was not always like this; when I was a child you would not have dared to put a toe in it.

            Reply

            Tom Becker says:

            It is good to read about something that has got better for a change, and I hope that the city keeps on looking after the river for all of the people who live here.

            Reply
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.hasPrefix("The river that runs through the city"))
        #expect(article.text.hasSuffix("once the new pool opens next year, as it is planned to do in the spring."))
        for comment in ["I have lived by the river", "It is good to read", "Reply", "says:"] {
            #expect(!article.text.contains(comment), "kept: \(comment)")
        }
    }

    @Test func paragraphAfterAShortLinkListStaysInTheBody() throws {
        let page = """
            Menu

            The new bridge across the harbour opened to walkers and cyclists on Saturday morning, after more than three years of work that had been held up by storms, by a shortage of steel and by a long argument about who would pay for it.

            The city said that the bridge would be open from early in the morning until late at night, and that it had been built to last for at least a hundred years of use by the people of the town and by all of those who come to visit it.

            Ten Things To Do Along The Harbour This Summer Season
            Where To Eat Near The Water Before The Crowds Arrive
            The Best Places To Watch The Boats Come In At Dusk
            Train Strike Ends After Three Days Of Talks With Unions
            Five New Restaurants Opening Near The Old Fish Market
            Council Votes To Keep The Summer Ferry Running Late

            Officials said that they were pleased with the number of people who had come to see the bridge on its first day, and that they would now look at whether it should also be lit up at night, as many of those who wrote to the council about it had asked them to do.

            Privacy
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.hasPrefix("The new bridge across the harbour"))
        #expect(article.text.hasSuffix("who wrote to the council about it had asked them to do."))
        #expect(!article.text.contains("Ten Things"))
    }

    @Test func menuWithOneLowercaseLabelIsNotHardWrapped() {
        let menu = ["Politique", "Société", "Monde", "Culture", "Sports", "Par Sébastien Farcis", "interview", "Livres", "Sciences"]
        #expect(!PlainTextExtractor.isHardWrapped(menu))
        let wrapped = [
            "For years we turned over every bed in the autumn, because that is what",
            "the books said to do. It left the soil looking tidy, but it also broke",
            "up the fungal networks that feed the plants and it brought a fresh",
            "crop of weed seeds to the surface every spring.",
        ]
        #expect(PlainTextExtractor.isHardWrapped(wrapped))
    }

    @Test func teaserListAfterTheArticleIsDropped() throws {
        let page = """
            Menu

            Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss abzureißen und an ihrer Stelle eine neue zu bauen, die auch für Radfahrer breit genug ist.

            Die Arbeiten sollen im Frühjahr beginnen und etwa zwei Jahre dauern. In dieser Zeit wird der Verkehr über die beiden anderen Brücken der Stadt umgeleitet, was nach Angaben der Verwaltung zu längeren Wartezeiten führen kann.

            Mehr zum Thema
            Neue Buslinie verbindet die Vororte mit dem Bahnhof
            Die Verkehrsbetriebe haben eine neue Linie eingerichtet, die alle zwanzig Minuten fährt und auch am Wochenende bedient wird.
            Stadtwerke erhöhen die Preise für Strom und Gas
            Vom kommenden Monat an zahlen die Kunden der Stadtwerke etwas mehr, weil die Einkaufspreise gestiegen sind, wie das Unternehmen mitteilte.
            Wochenmarkt zieht auf den neuen Platz am Rathaus
            Nach dem Umbau des Platzes findet der Markt wieder in der Stadtmitte statt, an jedem Dienstag und Samstag bis zum frühen Nachmittag.
            Bibliothek verlängert ihre Öffnungszeiten im Winter
            Die Leser können die Bücherei nun auch am Abend besuchen, und am Sonntag ist der Lesesaal für alle geöffnet, die dort arbeiten wollen.

            Impressum
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.hasPrefix("Der Stadtrat hat am Dienstag beschlossen"))
        #expect(article.text.hasSuffix("zu längeren Wartezeiten führen kann."))
        #expect(!article.text.contains("Verkehrsbetriebe"))
        #expect(!article.text.contains("Bibliothek"))
    }

    @Test func stepsHeadedByAWordOrTwoAreNotTeasers() {
        let page = ["Step 1", "Fill the pot with soil up to two fingers below the rim, and press it down lightly.",
                    "Step 2", "Make a small hole in the middle of the soil with your finger or with a pencil.",
                    "Step 3", "Put the seed in the hole, cover it with a little soil and water it gently.",
                    "Step 4", "Keep the pot in a warm place and water it whenever the soil feels dry to the touch."]
            .map { PlainTextExtractor.Paragraph(text: $0, block: 0) }
        let kinds = page.map { PlainTextExtractor.contextFreeKind($0, inLinkList: false) }
        #expect(PlainTextExtractor.teaserSummaries(page, kinds).isEmpty)
    }

    @Test func callsToActionAreShortOrBothImperativeAndAboutTheSite() {
        #expect(line("Sign up for our newsletter to get the latest updates in your inbox").isCallToAction)
        #expect(line("Follow us on Twitter for more").isCallToAction)
        #expect(line("Get the app: download it for your phone, and subscribe to our newsletter so that you never miss a story, a podcast or an update from the team again.").isCallToAction)
        // Prose that tells the reader something about a browser or an app is not asking for anything.
        #expect(!line("As you can see, the report at the bottom highlights that we haven't actually tested the case where the browser is offline, so the numbers are lower than expected.").isCallToAction)
        // An author's exclamation is not a call to action.
        #expect(!line("Our DevTools are ready for Fission!").isCallToAction)
        // Nor is a character's speech.
        #expect(!line("“What if you do that to someone? You can’t do that!” she said.").isCallToAction)
    }

    /// Above the article a copied page carries other stories' headlines and, under the title, share
    /// labels, the author's name and a photo caption: the title is the headline near the body
    /// whose words the body repeats.
    @Test func titleIsTheNearHeadlineThatTheBodyEchoes() throws {
        let page = """
            Home
            World
            Sport

            Trending now
            Ferry services resume after the winter storms
            Local bakery wins a national prize for its rye bread

            City council approves new cycle lanes on the ring road
            Maria Rossi
            Share on Facebook
            Share on Twitter
            Cyclists wait at a red light on a busy morning in the centre

            \(Self.cycleLanes[0])

            \(Self.cycleLanes[1])
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.title == "City council approves new cycle lanes on the ring road")
    }

    /// A summary broken off with an ellipsis before "Read more" links to another page; an
    /// ellipsis inside a sentence, or one that ends it, does not.
    @Test func summaryBrokenOffBeforeReadMoreIsATeaser() {
        let teaser = line("When you walk into almost any store, you're immediately overloaded with sights, sounds,… Read more Read more")
        #expect(teaser.isTruncatedTeaser)
        #expect(PlainTextExtractor.contextFreeKind(teaser, inLinkList: false) == .furniture)
        #expect(line("Gli ultimi dati mostrano che la città ha perso quasi diecimila abitanti in dieci anni... leggi").isTruncatedTeaser)
        #expect(!line("He paused for a long time... and then he left the room without saying another word to any of us.").isTruncatedTeaser)
        #expect(!line("The results were not what anyone on the team had expected, to say the least…").isTruncatedTeaser)
    }

    /// Structured data a page shows as text (JSON-LD with the article's body in a string) is data,
    /// however long and prose-like the string; a quotation that opens a sentence is not.
    @Test func jsonMembersAreDataNotProse() throws {
        let body = Self.cycleLanes[0]
        let page = """
            \(body)

            \(Self.cycleLanes[1])

            More stories
            Contact
            {
            "@type": "NewsArticle",
            "headline": "Council approves new cycle lanes",
            "articleBody": "\(body) \(Self.cycleLanes[1])",
            "datePublished": "2024-03-12"
            }
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(!article.text.contains("articleBody"))
        #expect(line("\"articleBody\": \"\(body)\",").isJSONMember)
        #expect(!line("\"We are ready for the spring,\" said the head of the council's transport committee on Tuesday.").isJSONMember)
    }

    /// Short items under a line of prose that ends in a colon are the article's list, however
    /// much they look like a menu on their own; a list that ends the prose leads away from it.
    @Test func listIntroducedByAColonInsideTheArticleIsKept() throws {
        let page = """
            Home
            News
            Blog

            The team spent the last two weeks on the new tab page, and there is a lot to report from all of the groups that worked on it, from the people who write the stories to those who decide which of them are shown to whom and when.

            We are running three experiments this month:
            Pocket stories in two new countries
            Sign-in button in the Pocket panel
            New ways of picking stories

            Each of the experiments runs for four weeks, and we will write about what we learned from them in one of the next posts on this blog, together with the numbers that made us keep or drop each of the changes.

            Also on this site:
            Ten things we shipped in the autumn
            Why the address bar got smarter
            The release calendar for next year
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.contains("We are running three experiments this month:\n\nPocket stories in two new countries"))
        #expect(article.text.contains("New ways of picking stories"))
        #expect(article.text.hasSuffix("keep or drop each of the changes."))
        #expect(!article.text.contains("Ten things we shipped"))
    }

    /// A list of names or numbers is thin in function words; the line that introduces it is not.
    @Test func listOfNamesIntroducedByProseIsKept() throws {
        let page = """
            The report compared poverty, the gap between incomes, how often children end up better off than their parents and how many people of working age have a job, in each of the ten richest countries.

            The overall rankings of the countries were as follows:
            1. Finland
            2. Norway
            3. Australia
            4. Canada
            5. Germany

            The low ranking of the last country on the list was due to the gap between the richest and the poorest, and to the help it gives those out of work, which the report found to be the weakest of all.
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.contains("as follows:\n\n1. Finland"))
        #expect(article.text.contains("5. Germany"))
    }

    /// Headlines under a "related" label inside an article are too few for a link list and read
    /// as short prose between its paragraphs; the label says what they are.
    @Test func headlinesUnderARelatedLabelAreFurniture() throws {
        let page = """
            The social network said on Tuesday that the light version of its app, which loads quickly on slow connections and takes little room on a phone, is now available to people in eleven more countries of the region.

            Related stories
            This is the man who deleted the account of the president for a few minutes
            The network shows a first look at the tool it made for saving links
            How many people are talking about the same post will now be shown

            Among the changes, the light version loads posts quickly on older networks and helps people read when they are offline, which the company says matters most to those who pay for every megabyte they use.
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.hasPrefix("The social network said"))
        #expect(article.text.hasSuffix("every megabyte they use."))
        #expect(!article.text.contains("deleted the account"))
        #expect(!article.text.contains("same post will now be shown"))
        #expect(line("Artículos relacionados").isInterfaceLabel)
    }

    /// Lines with typed bullets are an author's list (a browser's copy shows none for list markup):
    /// read as one paragraph, a changelog is prose, where each line alone reads as a link.
    @Test func typedBulletListIsReadAsOneParagraph() throws {
        let page = """
            News
            Forums
            Shop

            Version 2.4 is out today, and it is the biggest update we have made to the game since it was first released, with new blocks, new animals and a lot of changes to how the villages work.

            + Added granite and marble blocks, with smooth versions
            + Added the iron trapdoor
            + Added rabbits, with their own drops
            + Added banners that you can paint
            * Villagers now harvest crops and plant new ones
            * Doors and fences now come in every kind of wood
            - Removed the old village generator

            Official links
            Support
            Merchandise
            """
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.contains("+ Added the iron trapdoor"))
        #expect(article.text.hasSuffix("- Removed the old village generator"))
        #expect(!article.text.contains("Merchandise"))
    }

    /// A page about alerting names its alerts in paragraph after paragraph: a sentence of it that
    /// speaks to the reader about "our alerts" is the article, where a one-off notice is not.
    @Test func furnitureWordThatIsThePagesSubjectDoesNotMakeACallToAction() {
        let page = [
            "We built a small system that raises alerts when the number of errors in the server log jumps above what we expect for the hour.",
            "The first version raised too many alerts, because it compared every minute with the mean of the whole day rather than with the hours around it.",
            "To cut the alerts down we added a threshold on the number of entries, so that a quiet minute with two errors does not wake anybody up.",
            "This is a chart showing the alerts our system identified in the past twelve hours:",
            "With a longer backtest period the alerts are fewer, but each of them is more likely to point at a real problem in the service.",
            "In the end we settled on alerts that look back one hour and fire only when the rate of errors is three deviations above the mean.",
        ].map { PlainTextExtractor.Paragraph(text: $0, block: 0) }
        let subject = PlainTextExtractor.furnitureSubject(of: page)
        #expect(subject == ["alerts"])
        #expect(page[3].isCallToAction)
        #expect(PlainTextExtractor.contextFreeKind(page[3], inLinkList: false, subject: subject) != .furniture)
        // Named once, the same vocabulary still marks a notice.
        let notice = line("Get breaking news alerts from our team delivered to your phone")
        #expect(PlainTextExtractor.contextFreeKind(notice, inLinkList: false, subject: PlainTextExtractor.furnitureSubject(of: [notice])) == .furniture)
    }

    /// Summaries longer than a teaser's, so that only the repeated chrome tells the feed apart.
    @Test func feedOfCardsAfterTheArticleIsDropped() throws {
        var page = """
            Menu

            A photographer who served in the navy is answering back after a picture she posted of a soldier's son wrapped in a flag drew a wave of angry messages from strangers.

            She said she had no idea the picture would be seen as disrespectful, and that she had taken it to honour the families who wait at home while their partners serve abroad.

            Recommended for you
            """
        for (number, story) in ["the city council", "the river authority", "the school board", "the harbour trust"].enumerated() {
            page += "\n\nMorning News\nSave\n\(number + 3) comments\nOfficials from \(story) answer questions about the budget\n\n"
            page += "Officials from \(story) met on Tuesday to explain where the money for next year will go, and they took questions from people who had come to hear them for more than two hours. Most of the questions were about the roads, which many of those who spoke said had not been looked after for years."
        }
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.hasPrefix("A photographer who served"))
        #expect(article.text.hasSuffix("while their partners serve abroad."))
        #expect(!article.text.contains("Officials from"))
    }

    @Test func articleWithAdvertisementsBetweenParagraphsIsNotAFeed() throws {
        let paragraphs = [
            "The new bridge across the harbour opened to walkers and cyclists on Saturday morning, after more than three years of work that had been held up by storms.",
            "The city said that the bridge would be open from early in the morning until late at night, and that it had been built to last for a hundred years.",
            "Officials said that they were pleased with the number of people who had come to see the bridge on its first day of use by the town.",
            "They would now look at whether it should also be lit up at night, as many of those who wrote to the council about it had asked them to do.",
        ]
        let page = "Harbour bridge opens to walkers\n\n" + paragraphs.map { "Advertisement\nContinue reading the main story\n\n" + $0 }.joined(separator: "\n\n")
        let lines = PlainTextExtractor.paragraphs(in: page)
        let kinds = lines.map { PlainTextExtractor.contextFreeKind($0, inLinkList: false) }
        #expect(PlainTextExtractor.cardSummaries(lines, kinds).isEmpty)
    }

    @Test func shareRowMadeFromOneTemplateIsALinkList() {
        let row = ["Facebook", "Twitter", "Telegram", "WhatsApp", "Reddit"].map { line("Click to share on \($0) (Opens in new window)") }
        #expect(row.allSatisfy { !$0.isListItem })
        #expect(PlainTextExtractor.linkListMembers(row).allSatisfy { $0 })
        let list = [
            line("The updater no longer starts while another copy of the browser is running"),
            line("Users who run several profiles at once can now import their saved logins"),
            line("It is now possible to turn off the search shortcuts for each of the engines"),
        ]
        #expect(PlainTextExtractor.linkListMembers(list).allSatisfy { !$0 })
    }

    /// Feed items as a news site's live column lays them out: a time line, a tag, a paragraph.
    static let feed = [("14:10", "Séisme"), ("13:24", "Népal"), ("12:21", "Défense"), ("11:48", "Enlèvements")].map { time, tag in
        "\(time)\n\(tag).\n\nLes autorités ont annoncé dans la matinée que les secours étaient arrivés sur place, et que le bilan provisoire serait publié dans la soirée par le ministère. Les habitants des villages voisins ont été invités à rester chez eux jusqu’à nouvel ordre, le temps que les routes soient dégagées."
    }.joined(separator: "\n\n")

    @Test func liveFeedBesideTheArticleIsDropped() throws {
        let page = """
            Un troisième Français a été tué dans le tremblement de terre samedi au Népal, emporté par une avalanche, a déclaré jeudi le ministre des Affaires étrangères, qui a accueilli à Roissy un premier avion ramenant des rescapés.

            L’appareil, mis à disposition par un constructeur, était arrivé à Katmandou mercredi matin avec des personnels de santé et du matériel, et il est reparti le soir même avec les blessés et leurs familles.

            Direct

            """ + Self.feed
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.hasPrefix("Un troisième Français"))
        #expect(article.text.hasSuffix("avec les blessés et leurs familles."))
        #expect(!article.text.contains("Les autorités"))
    }

    @Test func liveBlogWithNothingElseIsTheArticle() throws {
        let article = try ArticleExtractor.extract(text: "Direct\n\n" + Self.feed, format: .plainText)
        #expect(article.text.split(separator: "\n\n").filter { $0.hasPrefix("Les autorités ont annoncé") }.count == 4)
        #expect(!article.text.hasPrefix("Direct"))
    }

    @Test func clockTimesOpenFeedLines() {
        #expect(PlainTextExtractor.opensWithClockTime("13:54 En Islande, tuer un Basque est désormais interdit"))
        #expect(PlainTextExtractor.opensWithClockTime("6:32 PM"))
        #expect(PlainTextExtractor.opensWithClockTime("13h54"))
        #expect(!PlainTextExtractor.opensWithClockTime("1:2"))
        #expect(!PlainTextExtractor.opensWithClockTime("2015:10 was a year"))
        #expect(!PlainTextExtractor.opensWithClockTime("10:300"))
    }

    /// Captions longer than a teaser's summary, so that only the counters tell the gallery apart.
    @Test func pictureGalleryBesideTheArticleIsDropped() throws {
        let gallery = (1...5).map { number in
            "\(number)/5 Business news in pictures\n\nThe company said on Monday that it had agreed to sell its stake in the venture to a group of investors, and that the deal would be completed by the end of the year if the regulators approved it in time for the spring. Its shares rose by a tenth in early trading.\n\nGetty"
        }.joined(separator: "\n\n")
        let page = """
            Most people go to hotels for the pleasure of sleeping in a giant bed with clean white sheets and waking up to a breakfast that somebody else has made, and they expect the room to be spotless when they arrive.

            But those towels and sheets might not be as clean as they look, according to the owners of two hotel companies who answered questions from readers about what really happens between one guest and the next.

            """ + gallery
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text.hasPrefix("Most people go to hotels"))
        #expect(article.text.hasSuffix("between one guest and the next."))
        #expect(!article.text.contains("The company said on Monday"))
        #expect(PlainTextExtractor.counterTotal(opening: "12/50 Star Wars boosts economy") == "50")
        #expect(PlainTextExtractor.counterTotal(opening: "24/7 coverage of the election") == nil)
        #expect(PlainTextExtractor.counterTotal(opening: "1/2 cup of flour") == nil)
    }
}
