import Testing
@testable import GlossExtraction

/// Language detection by script and by the share of each language's frequent words, on short
/// paragraphs of the kind a news page or blog carries.
struct LanguageDetectorTests {
    static let paragraphs: [(Language, String)] = [
        (.english, "The council said on Tuesday that the new bridge would open to traffic in the spring, after a year of delays caused by the flooding."),
        (.german, "Die Stadt hat am Dienstag mitgeteilt, dass die neue Brücke im Frühjahr für den Verkehr freigegeben wird, nachdem sich die Arbeiten wegen des Hochwassers um ein Jahr verzögert hatten."),
        (.french, "La mairie a annoncé mardi que le nouveau pont serait ouvert à la circulation au printemps, après un an de retard dû aux inondations de l'hiver dernier."),
        (.spanish, "El ayuntamiento anunció el martes que el nuevo puente se abrirá al tráfico en primavera, después de un año de retrasos por las inundaciones."),
        (.italian, "Il comune ha annunciato martedì che il nuovo ponte sarà aperto al traffico in primavera, dopo un anno di ritardi dovuti all'alluvione."),
        (.portuguese, "A prefeitura anunciou nesta terça-feira que a nova ponte será aberta ao trânsito na primavera, depois de um ano de atrasos causados pelas enchentes."),
        (.dutch, "De gemeente heeft dinsdag laten weten dat de nieuwe brug in het voorjaar voor het verkeer opengaat, na een jaar vertraging door de overstromingen."),
        (.indonesian, "Pemerintah kota mengumumkan pada hari Selasa bahwa jembatan baru akan dibuka untuk lalu lintas pada bulan depan, setelah tertunda selama satu tahun karena banjir."),
        (.turkish, "Belediye salı günü yaptığı açıklamada, yeni köprünün sel nedeniyle bir yıl gecikmenin ardından bahar aylarında trafiğe açılacağını bildirdi. Bu karar için çok sayıda vatandaş bekliyordu."),
        (.polish, "Władze miasta poinformowały we wtorek, że nowy most zostanie otwarty dla ruchu wiosną, po roku opóźnień spowodowanych przez powódź. Mieszkańcy czekali na to bardzo długo."),
        (.russian, "Городские власти сообщили во вторник, что новый мост будет открыт для движения весной, после года задержек из-за наводнения. Жители ждали этого очень долго."),
        (.ukrainian, "Міська влада повідомила у вівторок, що новий міст буде відкрито для руху навесні, після року затримок через повінь. Мешканці чекали на це дуже довго."),
        (.swedish, "Kommunen meddelade på tisdagen att den nya bron kommer att öppnas för trafik i vår, efter ett års förseningar på grund av översvämningarna."),
        (.finnish, "Kaupunki kertoi tiistaina, että uusi silta avataan liikenteelle keväällä, kun tulvat olivat viivästyttäneet työtä vuodella. Asukkaat ovat odottaneet sitä pitkään, ja se on heille tärkeä."),
        (.czech, "Město v úterý oznámilo, že nový most bude otevřen pro dopravu na jaře, po roce zpoždění kvůli povodním. Obyvatelé na to čekali velmi dlouho a jsou rádi, že se to podařilo."),
        (.hungarian, "A város kedden bejelentette, hogy az új hidat tavasszal adják át a forgalomnak, miután az árvíz miatt egy évet késett a munka. A lakók már nagyon várták, és ez egy fontos nap."),
        (.vietnamese, "Chính quyền thành phố cho biết vào thứ Ba rằng cây cầu mới sẽ được thông xe vào mùa xuân, sau một năm bị chậm trễ vì lũ lụt. Người dân đã chờ đợi điều này từ lâu."),
        (.greek, "Ο δήμος ανακοίνωσε την Τρίτη ότι η νέα γέφυρα θα ανοίξει για την κυκλοφορία την άνοιξη, μετά από ένα χρόνο καθυστέρησης λόγω των πλημμυρών."),
        (.japanese, "市は火曜日、新しい橋が洪水による一年の遅れを経て、春に開通すると発表した。住民はこの日を長く待っていた。"),
        (.chinese, "市政府周二宣布，新大桥在因洪水推迟一年之后，将于今年春天通车。当地居民已经等待了很长时间。"),
        (.thai, "เทศบาลประกาศเมื่อวันอังคารว่าสะพานแห่งใหม่จะเปิดให้รถสัญจรได้ในฤดูใบไม้ผลิ หลังจากที่ล่าช้ามาหนึ่งปีเพราะน้ำท่วม"),
        (.korean, "시는 화요일 새 다리가 홍수로 인해 1년 늦어진 끝에 봄에 개통될 것이라고 밝혔다. 주민들은 이 날을 오랫동안 기다려 왔다."),
        (.swahili, "Serikali ya mji ilitangaza siku ya Jumanne kwamba daraja jipya litafunguliwa kwa magari katika msimu ujao, baada ya kuchelewa kwa mwaka mmoja kwa sababu ya mafuriko."),
        (.estonian, "Linnavalitsus teatas teisipäeval, et uus sild avatakse liiklusele kevadel, kui üleujutuste tõttu oli töö aasta võrra hilinenud. Elanikud on seda kaua oodanud ja see on neile väga oluline."),
        (.bengali, "পৌরসভা মঙ্গলবার ঘোষণা করেছে যে বন্যার কারণে এক বছর দেরির পর নতুন সেতুটি বসন্তে যান চলাচলের জন্য খুলে দেওয়া হবে।"),
        (.arabic, "أعلنت البلدية يوم الثلاثاء أن الجسر الجديد سيفتح أمام حركة المرور في فصل الربيع، بعد عام من التأخير بسبب الفيضانات التي ضربت المدينة."),
    ]

    @Test(arguments: paragraphs)
    func detectsTheLanguageOfAParagraph(language: Language, text: String) {
        #expect(LanguageDetector.detect(text) == language)
    }

    @Test func aTextWithoutWordsOfAnyListHasNoLanguage() {
        #expect(LanguageDetector.detect("") == nil)
        #expect(LanguageDetector.detect("12:45 — 3/4 — 2024") == nil)
        #expect(LanguageDetector.detect("Xqzt brrk vlomp grissle") == nil)
        // Three words that Afrikaans lists too, and two that English does: not enough to leave English.
        #expect(LanguageDetector.detect("AI hasn’t meaningfully changed anything in cybersecurity so far. Deep fake phishing is still rare, L") == nil)
    }

    @Test func stoplistsCoverTheLanguagesTheWebIsWrittenIn() {
        // The detector keeps one bit a language.
        #expect(Language.allCases.count <= 64)
        for language in Language.allCases where !language.isUnspaced {
            #expect(Stoplist.of(language).words.count >= 100, "\(language)")
        }
        #expect(Stoplist.of(.italian).words.contains("della"))
        #expect(Stoplist.of(.indonesian).words.contains("yang"))
        #expect(!Stoplist.of(.italian).words.contains("und"))
    }

    /// Where words are not spaced, a paragraph's length and share of function words come from its
    /// characters: a Japanese sentence is long and dense enough to be prose, a menu label is not.
    @Test func unspacedLanguagesAreScoredByCharacters() {
        let stoplist = Stoplist.of(.japanese)
        let prose = PlainTextExtractor.Paragraph(
            text: "京都市内で創業百年を超える和菓子店が、昨年から始めたオンラインの和菓子作り教室が人気を集めている。", block: 0, stoplist: stoplist)
        #expect(prose.length >= PlainTextExtractor.lengthLow)
        #expect(prose.stopwordDensity >= PlainTextExtractor.stopwordsHigh)
        #expect(prose.wordCount >= 10)
        #expect(prose.isSentence)
        #expect(!prose.isListItem)
        let label = PlainTextExtractor.Paragraph(text: "会社概要", block: 0, stoplist: stoplist)
        #expect(label.stopwordDensity < PlainTextExtractor.stopwordsLow)
        #expect(!label.isSentence)

        let chinese = PlainTextExtractor.Paragraph(
            text: "市政府周二宣布，新大桥在因洪水推迟一年之后，将于今年春天通车。当地居民已经等待了很长时间，他们说这是一个好消息。", block: 0, stoplist: .of(.chinese))
        #expect(chinese.stopwordDensity >= PlainTextExtractor.stopwordsLow)
        #expect(chinese.isSentence)
        // Traditional characters, as Taiwan and Hong Kong write: their function characters
        // (們, 這, 個, 將, 從, 對, 當, 來, 會, 還, 沒) count as their simplified forms do.
        let traditional = PlainTextExtractor.Paragraph(
            text: "居民們說這個計劃將從明年開始實施，對當地來說會是好消息，政府還沒有公布細節。", block: 0, stoplist: .of(.chinese))
        #expect(traditional.stopwordDensity >= PlainTextExtractor.stopwordsHigh)

        let thai = PlainTextExtractor.Paragraph(
            text: "เทศบาลประกาศเมื่อวันอังคารว่าสะพานแห่งใหม่จะเปิดให้รถสัญจรได้ในฤดูใบไม้ผลิ หลังจากที่ล่าช้ามาหนึ่งปีเพราะน้ำท่วม และชาวบ้านก็รอคอยมานานแล้ว",
            block: 0, stoplist: .of(.thai))
        #expect(thai.stopwordDensity >= PlainTextExtractor.stopwordsLow)
        #expect(thai.wordCount >= 10)
        let thaiLabel = PlainTextExtractor.Paragraph(text: "หน้าแรก", block: 0, stoplist: .of(.thai))
        #expect(thaiLabel.stopwordDensity < PlainTextExtractor.stopwordsLow)
    }
}

/// Consent notices recognised by their vocabulary in several languages, and kept where they are
/// what the page is about.
struct ConsentNoticeTests {
    @Test(arguments: [
        "We and our partners use cookies to store and access information on your device and to personalise the ads you see; by clicking Accept you consent to this.",
        "Wir verwenden Cookies, um Inhalte zu personalisieren. Mit einem Klick auf „Alle akzeptieren“ erteilen Sie Ihre Einwilligung gemäß unserer Datenschutzerklärung.",
        "Nous utilisons des cookies pour améliorer votre expérience. En poursuivant, vous acceptez notre politique de confidentialité et l'utilisation de vos données.",
        "Utilizamos cookies propias y de terceros. Puedes aceptar todas las cookies o configurarlas; consulta nuestra política de privacidad.",
        "Questo sito utilizza cookie di profilazione di terze parti. Chiudendo questo banner acconsenti all'uso dei cookie; leggi l'informativa completa.",
        "Este site usa cookies. Ao continuar navegando, você concorda com a nossa política de privacidade e pode retirar o seu consentimento.",
        "Kami menggunakan cookie untuk meningkatkan pengalaman Anda. Dengan melanjutkan, Anda memberikan persetujuan sesuai kebijakan privasi kami.",
        "当サイトではクッキーを使用しています。「同意する」をクリックすると、プライバシーポリシーに同意したものとみなされます。",
        "Używamy plików cookies. Klikając „Akceptuję”, wyrażasz zgodę na ich użycie zgodnie z polityką prywatności.",
    ])
    func aConsentNoticeIsRecognised(text: String) {
        let language = LanguageDetector.detect(text) ?? .english
        #expect(PlainTextExtractor.Paragraph(text: text, block: 0, stoplist: .of(language)).isConsentNotice)
    }

    @Test(arguments: [
        "The bakery on the corner sells biscuits and cookies to the children who walk past it on their way to school every morning.",
        "Il regolatore ha multato la società perché il sito installava i cookie prima che gli utenti potessero scegliere.",
        "The committee agreed to accept the proposal after a long debate about the budget for the coming year.",
    ])
    func proseThatMentionsCookiesOrConsentIsNotANotice(text: String) {
        let language = LanguageDetector.detect(text) ?? .english
        #expect(!PlainTextExtractor.Paragraph(text: text, block: 0, stoplist: .of(language)).isConsentNotice)
    }

    /// An article about consent banners keeps its paragraphs even though each reads like one.
    @Test func anArticleAboutConsentKeepsItsParagraphs() throws {
        let paragraphs = [
            "Regulators said on Monday that many websites still make it harder to reject cookies than to accept them, and that consent collected this way is not valid under the GDPR.",
            "The report found that two thirds of the sites it checked showed an Accept button on the first screen of their cookie banner but hid the option to refuse in the settings, where readers rarely look for it.",
            "Privacy groups welcomed the findings and asked for fines. They said that partners who receive data from such banners should also have to prove that the consent they rely on was freely given.",
            "The companies named in the report have two months to change their cookie notices, after which the regulator will check the sites again and may open formal proceedings against them.",
        ]
        let page = "Technology\nCookie banners still push readers to accept, regulators say\n\n" + paragraphs.joined(separator: "\n\n") + "\n"
        let article = try ArticleExtractor.extract(text: page, format: .plainText)
        #expect(article.text == paragraphs.joined(separator: "\n\n"))
    }
}
