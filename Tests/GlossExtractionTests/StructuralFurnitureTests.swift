import Foundation
import Testing
@testable import GlossExtraction

/// Page furniture recognised by its structure, in any language and under class names that say
/// nothing: one small page for each kind, with the article around it, and the HTML dev set.
struct StructuralFurnitureTests {
    /// An article of four paragraphs in Italian, long enough to be found on its own.
    static let paragraphs = [
        "La pasta alla Norma è uno dei piatti più amati della cucina siciliana e prende il nome dall'opera di Vincenzo Bellini, che a Catania tutti conoscono.",
        "Si prepara con pochi ingredienti semplici: melanzane fritte, pomodoro, basilico e ricotta salata grattugiata all'ultimo momento sopra la pasta.",
        "Il segreto è friggere bene le melanzane, in olio abbastanza caldo, così restano morbide dentro e croccanti fuori senza assorbire troppo grasso.",
        "Chi la prepara in anticipo può tenere da parte il sugo e le melanzane, e unire tutto soltanto quando la pasta è cotta al dente.",
    ]

    /// A page whose article is the paragraphs, with `before` and `after` inside its container.
    static func page(before: String = "", middle: String = "", after: String = "", outside: String = "") -> String {
        let body = paragraphs.prefix(2).map { "<p>\($0)</p>" }.joined() + middle + paragraphs.dropFirst(2).map { "<p>\($0)</p>" }.joined()
        return """
        <html lang="it"><head><title>Pasta alla Norma</title></head><body>
        <div class="x9f2a1"><h1>Pasta alla Norma</h1>\(before)\(body)\(after)</div>\(outside)
        </body></html>
        """
    }

    static func text(of html: String) throws -> String {
        try HTMLExtractor.extract(text: html).text
    }

    static func keepsTheArticle(_ text: String) -> Bool {
        paragraphs.allSatisfy(text.contains)
    }

    // MARK: - Consent notices

    @Test(arguments: [
        // A modal dialog.
        """
        <div role="dialog" class="q1"><p>Questo sito utilizza cookie tecnici e, previo tuo consenso, cookie di profilazione di terze parti. Cliccando su Accetta acconsenti all'uso dei cookie.</p><button>Accetta</button><button>Rifiuta</button></div>
        """,
        // A fixed banner answered with links.
        """
        <div style="position: fixed; bottom: 0"><div>Wir verwenden Cookies, um Inhalte zu personalisieren. Mit einem Klick auf Akzeptieren erteilen Sie Ihre Einwilligung, die Sie in den Einstellungen widerrufen können.</div><a href="#">Akzeptieren</a></div>
        """,
        // A plain block with buttons.
        """
        <div><p>Este sitio web utiliza cookies propias y de terceros. Si continúas navegando, consideramos que aceptas su uso según nuestra política de privacidad.</p><button>Aceptar</button></div>
        """,
    ])
    func consentNoticeInsideTheArticleIsDropped(notice: String) throws {
        let text = try Self.text(of: Self.page(after: notice))
        #expect(Self.keepsTheArticle(text))
        #expect(!text.lowercased().contains("cookie"), "\(text)")
    }

    @Test func aParagraphAboutCookiesStays() throws {
        let paragraph = "<p>Il garante della privacy ha chiarito che i cookie di profilazione richiedono il consenso esplicito dell'utente, e che accettare deve essere facile quanto rifiutare.</p>"
        let text = try Self.text(of: Self.page(middle: paragraph))
        #expect(text.contains("cookie di profilazione richiedono il consenso"))
    }

    // MARK: - Forms and their prompts

    @Test func commentFormGoesWithItsPrompt() throws {
        let form = """
        <div class="k3"><h3>Deja un comentario</h3><p>Tu dirección de correo electrónico no será publicada.</p>
        <form method="post"><label>Nombre <input type="text"></label><textarea></textarea><input type="submit" value="Publicar"></form></div>
        """
        let text = try Self.text(of: Self.page(after: form))
        #expect(Self.keepsTheArticle(text))
        #expect(!text.contains("Deja un comentario"))
        #expect(!text.contains("no será publicada"))
    }

    @Test func newsletterSignUpGoesWithItsPitch() throws {
        let signUp = """
        <div><h3>Newsletter</h3><p>Recevez chaque matin l'essentiel de l'actualité lyonnaise.</p>
        <form><input type="email" placeholder="Votre adresse e-mail"><button>Je m'inscris</button></form></div>
        """
        let text = try Self.text(of: Self.page(middle: signUp))
        #expect(Self.keepsTheArticle(text))
        #expect(!text.contains("Recevez chaque matin"))
    }

    @Test func aFormAroundTheWholePageStays() throws {
        let html = "<html><body><form action=\"/postback\"><input type=\"hidden\" name=\"state\">"
            + Self.paragraphs.map { "<p>\($0)</p>" }.joined() + "</form></body></html>"
        #expect(Self.keepsTheArticle(try Self.text(of: html)))
    }

    // MARK: - Rows of links and buttons

    @Test func shareRowOfButtonsIsDropped() throws {
        let row = #"<div class="a7"><span>この記事をシェアする</span><button>X</button><button>Facebook</button><button>LINE</button></div>"#
        let text = try Self.text(of: Self.page(before: row))
        #expect(Self.keepsTheArticle(text))
        #expect(!text.contains("シェア"))
    }

    @Test func shareRowOfLinksAtTheEdgeIsDropped() throws {
        let row = #"<div><strong>Condividi</strong><ul><li><a href="/f">Facebook</a></li><li><a href="/p">Pinterest</a></li><li><a href="/w">WhatsApp</a></li></ul></div>"#
        let text = try Self.text(of: Self.page(after: row))
        #expect(Self.keepsTheArticle(text))
        #expect(!text.contains("Condividi"))
        #expect(!text.contains("Pinterest"))
    }

    @Test func oneWordLinksInsideTheTextStay() throws {
        let list = #"<ul><li><a href="/a">BBEdit</a></li><li><a href="/b">Acorn</a></li><li><a href="/c">MarsEdit</a></li></ul>"#
        let text = try Self.text(of: Self.page(middle: list))
        #expect(text.contains("MarsEdit"))
    }

    // MARK: - Related headlines

    @Test func relatedHeadlinesGoWithTheirHeading() throws {
        let related = """
        <h2>Berita Terkait</h2><ul>
        <li><a href="/1">Harga kopi robusta naik di tingkat petani</a> <time>12.03.2024</time></li>
        <li><a href="/2">Erupsi Merapi, warga diminta waspada</a></li>
        <li><a href="/3">Kelompok tani muda raih penghargaan nasional</a></li></ul>
        """
        let text = try Self.text(of: Self.page(after: related))
        #expect(Self.keepsTheArticle(text))
        #expect(!text.contains("Berita Terkait"))
        #expect(!text.contains("robusta"))
    }

    @Test func aCardGridOfHeadlinesIsDropped() throws {
        let cards = (1...4).map { #"<div><a href="/r\#($0)"><img src="/r\#($0).jpg"></a><h3><a href="/r\#($0)">Ricetta correlata numero \#($0) della settimana</a></h3></div>"# }
        let grid = "<section><h2>Ricette correlate</h2><div>\(cards.joined())</div></section>"
        let text = try Self.text(of: Self.page(after: grid))
        #expect(Self.keepsTheArticle(text))
        #expect(!text.contains("correlat"))
    }

    @Test func leadInAndLinkParagraphIsDropped() throws {
        let readAlso = #"<p><strong>Baca juga:</strong> <a href="/x">Harga Kopi Dunia Melonjak, Petani Lokal Belum Merasakan Untung</a></p>"#
        let text = try Self.text(of: Self.page(middle: readAlso))
        #expect(Self.keepsTheArticle(text))
        #expect(!text.contains("Baca juga"))
    }

    @Test func aBylineThatIsALinkStays() throws {
        let html = Self.page(before: #"<p>By <a href="/authors/mara">Mara Quinn Delacroix</a></p>"#)
        let article = try ArticleExtractor.extract(html: html)
        #expect(article.byline == "Mara Quinn Delacroix")
    }

    @Test func aFirstLineOfBylineAndDateLeavesTheText() throws {
        let html = """
        <html><head><meta name="author" content="Giulia Marchetti"><title>Pasta alla Norma</title></head><body>
        <div class="x9f2a1"><h1>Pasta alla Norma</h1><div><span>Giulia Marchetti</span> <time>2024-03-12</time></div>
        \(Self.paragraphs.map { "<p>\($0)</p>" }.joined())</div></body></html>
        """
        let article = try ArticleExtractor.extract(html: html)
        #expect(article.byline == "Giulia Marchetti")
        #expect(article.text.hasPrefix(Self.paragraphs[0]), "\(article.text)")
    }

    @Test(arguments: [
        ("Giulia Marchetti 2024-03-12", "Giulia Marchetti", true),
        ("12 marzo 2024", nil, true),
        ("Il 12 marzo 2024 la città ha votato il nuovo piano", nil, false),
        ("Giulia Marchetti", "Giulia Marchetti", false),
    ] as [(String, String?, Bool)])
    func bylineAndDateLines(line: String, byline: String?, expected: Bool) {
        #expect(ArticleExtractor.isBylineAndDate(line, byline: byline) == expected)
    }

    // MARK: - Hidden elements

    @Test(arguments: [#"aria-hidden="true""#, "hidden"])
    func hiddenElementsAreDropped(attribute: String) throws {
        let hidden = "<div \(attribute)><p>Testo del menu nascosto che nessun lettore vede sullo schermo del telefono, ripetuto qui per intero.</p></div>"
        let text = try Self.text(of: Self.page(middle: hidden))
        #expect(Self.keepsTheArticle(text))
        #expect(!text.contains("menu nascosto"))
    }

    // MARK: - Titles without spaces

    @Test func chineseHeadingRepeatingTheTitleIsDropped() throws {
        let html = """
        <html><head><meta property="og:title" content="老城区改造后首批居民搬回新家"></head><body><div>
        <h1>老城区改造后首批居民搬回新家</h1>
        <p>经过两年多的改造，老城区东片的首批居民本周陆续搬回了原来的街巷。改造保留了原有的街道格局和部分老建筑，同时更换了供水、排水和燃气管道，并为每栋楼加装了电梯。七十二岁的张阿姨在这里住了四十多年。她说，搬回来最大的变化是上下楼不再吃力，邻居们也大多回来了。</p>
        <p>据项目负责人介绍，改造采用了居民自愿参与的方式，每一户的方案都经过多次协商。对于不愿意搬离的住户，施工方安排了分段施工，尽量减少对日常生活的影响。按照计划，西片的改造将于明年春天开始。</p>
        </div></body></html>
        """
        let text = try Self.text(of: html)
        #expect(!text.contains("搬回新家"))
        #expect(text.contains("老城区东片"))
    }

    @Test func japaneseTitleLosesTheSiteName() {
        #expect(TitleFinder.readingWordCount("古い自転車を直して通勤に使い始めた話") > 4)
        let document = LibXMLParser.parse(Array("<html><head><title>古い自転車を直して通勤に使い始めた話 - まいにち雑記</title></head><body></body></html>".utf8))!
        #expect(TitleFinder.title(of: document) == "古い自転車を直して通勤に使い始めた話")
    }

    // MARK: - The HTML dev set

    static let devSet = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("multilingual-html")

    static var devPages: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: devSet.path)) ?? []
        return names.filter { FileManager.default.fileExists(atPath: devSet.appendingPathComponent($0).appendingPathComponent("source.html").path) }.sorted()
    }

    /// The text of an `expected.html`: one paragraph a block, tags dropped, the entities the
    /// files use decoded.
    static func expectedText(_ html: String) -> String {
        var text = html.replacingOccurrences(of: "<[^>]+>", with: "\n", options: .regularExpression)
        for (entity, character) in [("&#x27;", "'"), ("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }

    @Test func devSetScores() throws {
        #expect(Self.devPages.count >= 12)
        var f1s: [Double] = []
        for name in Self.devPages {
            let folder = Self.devSet.appendingPathComponent(name)
            let source = try Data(contentsOf: folder.appendingPathComponent("source.html"))
            let expected = Self.expectedText(try String(contentsOf: folder.appendingPathComponent("expected.html"), encoding: .utf8))
            let article = try HTMLExtractor.extract([UInt8](source))
            let (precision, recall) = HTMLExtractorTests.shingleOverlap(expected: expected, got: article.text)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            #expect(f1 >= 0.88, "\(name): precision \(precision), recall \(recall)\n\(article.text)")
            f1s.append(f1)
        }
        let mean = f1s.reduce(0, +) / Double(max(f1s.count, 1))
        #expect(mean >= 0.97, "mean F1 \(mean)")
    }
}
