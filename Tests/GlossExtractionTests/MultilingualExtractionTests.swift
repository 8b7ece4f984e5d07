import Foundation
import Testing
@testable import GlossExtraction

/// The multilingual dev set (`Fixtures/multilingual/NAME/{source.txt, expected.txt}`, also laid out
/// for `score-extraction.py --corpus … --source source.txt`): pages copied from a browser in several
/// languages, each with navigation, a consent notice, a share row, a comment prompt and a footer
/// around the article.
struct MultilingualExtractionTests {
    static let directory = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("multilingual")

    static var pageNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).appendingPathComponent("source.txt").path)
        }.sorted()
    }

    /// Body precision and recall as the scorer counts them: lowercased `\w+` tokens in overlapping
    /// four-token shingles, shared as a multiset.
    static func shingleScores(expected: String, predicted: String) -> (precision: Double, recall: Double) {
        func shingles(_ text: String) -> [[String]: Int] {
            var tokens: [String] = []
            var current = ""
            for character in text.lowercased() {
                if character.isLetter || character.isNumber || character == "_" {
                    current.append(character)
                } else if !current.isEmpty {
                    tokens.append(current)
                    current = ""
                }
            }
            if !current.isEmpty { tokens.append(current) }
            guard tokens.count >= 4 else { return tokens.isEmpty ? [:] : [tokens: 1] }
            var counts: [[String]: Int] = [:]
            for start in 0...(tokens.count - 4) { counts[Array(tokens[start..<(start + 4)]), default: 0] += 1 }
            return counts
        }
        let e = shingles(expected)
        let p = shingles(predicted)
        let shared = e.reduce(0) { $0 + min($1.value, p[$1.key] ?? 0) }
        let predictedTotal = p.values.reduce(0, +)
        let expectedTotal = e.values.reduce(0, +)
        return (predictedTotal == 0 ? 0 : Double(shared) / Double(predictedTotal),
                expectedTotal == 0 ? 0 : Double(shared) / Double(expectedTotal))
    }

    @Test func theDevSetIsPresent() {
        #expect(Self.pageNames.count >= 8)
    }

    @Test(arguments: pageNames)
    func pageExtractsItsArticle(name: String) throws {
        let folder = Self.directory.appendingPathComponent(name)
        let source = try Data(contentsOf: folder.appendingPathComponent("source.txt"))
        let expected = try String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)
        let article = try ArticleExtractor.extract(data: source, filename: "source.txt")
        let (precision, recall) = Self.shingleScores(expected: expected, predicted: article.text)
        let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
        #expect(f1 >= 0.9, "precision \(precision), recall \(recall)\n\(article.text)")
    }

    /// What `expected-metadata.json` holds for the scorer.
    struct Metadata: Decodable {
        var title: String
        var byline: String?
    }

    @Test(arguments: pageNames)
    func pageHeaderAsExpected(name: String) throws {
        let folder = Self.directory.appendingPathComponent(name)
        let expected = try JSONDecoder().decode(Metadata.self, from: Data(contentsOf: folder.appendingPathComponent("expected-metadata.json")))
        let article = try ArticleExtractor.extract(data: Data(contentsOf: folder.appendingPathComponent("source.txt")), filename: "source.txt")
        #expect(article.title == expected.title)
        #expect(article.byline == expected.byline)
        #expect(article.published != nil)
    }

    @Test(arguments: [
        ("Madrid, 8 de mayo de 2024", "2024-05-08"),
        ("12. März 2024", "2024-03-12"),
        ("Publié le 21 février 2024 par Camille Dubois", "2024-02-21"),
        ("Senin, 4 Maret 2024 10:15 WIB", "2024-03-04"),
        ("3 de abril de 2024", "2024-04-03"),
        ("12 marzo 2024", "2024-03-12"),
        ("2024年3月18日", "2024-03-18"),
        ("14 мая 2024", "2024-05-14"),
        ("3 października 2023", "2023-10-03"),
    ])
    func datesInOtherLanguages(text: String, iso: String) {
        #expect(PlainTextExtractor.isoDate(in: text) == iso)
    }

    @Test(arguments: [
        ("di Giulia Marchetti", "Giulia Marchetti"),
        ("Von Thomas Becker", "Thomas Becker"),
        ("Oleh Dewi Lestari", "Dewi Lestari"),
        ("Por Lucía Fernández", "Lucía Fernández"),
        ("Pubblicato il 14 ottobre 2023 da Marta", "Marta"),
    ])
    func bylinesInOtherLanguages(line: String, names: String) {
        #expect(PlainTextExtractor.byline(ofLine: line) == names)
    }

    /// Another language's by-word begins English titles and names: on an English page, "Door
    /// Dash …" may be a title and is no byline naming "Dash"; on a Dutch page "door" introduces one.
    @Test func anotherLanguagesByWordIsAnEnglishTitlesFirstWord() {
        let english = PlainTextExtractor.Paragraph(text: "Door Dash Expands Its Delivery Service To Europe", block: 0)
        #expect(english.isTitleCandidate)
        #expect(PlainTextExtractor.byline(in: [english][...], titleIndex: nil) == nil)
        let dutch = PlainTextExtractor.Paragraph(text: "door Pieter Jansen", block: 0, stoplist: .of(.dutch))
        #expect(PlainTextExtractor.byline(in: [dutch][...], titleIndex: nil) == "Pieter Jansen")
    }

    @Test func aTitleWithAPrepositionIsNotAByline() {
        #expect(PlainTextExtractor.byline(ofLine: "Il ritorno di Mario Rossi al teatro comunale") == nil)
    }

    /// A page of navigation, a consent notice and a footer in a language other than English still
    /// gets the clear error rather than the notice as its article.
    @Test(arguments: [
        """
        Home
        Cronaca
        Politica
        Sport

        Questo sito utilizza cookie tecnici e, previo tuo consenso, cookie di profilazione di terze parti per mostrarti pubblicità in linea con le tue preferenze. Cliccando su Accetta acconsenti all'uso dei cookie. Per saperne di più consulta l'informativa sulla privacy.
        Accetta
        Rifiuta

        Chi siamo | Contatti | Privacy
        © 2024 Gazzetta di Bologna - Tutti i diritti riservati
        """,
        """
        Startseite
        Politik
        Wirtschaft
        Anmelden

        Wir verwenden Cookies und ähnliche Technologien, um Inhalte zu personalisieren und die Nutzung unserer Website zu analysieren. Mit einem Klick auf „Alle akzeptieren“ erteilen Sie Ihre Einwilligung, die Sie in unserer Datenschutzerklärung jederzeit widerrufen können.

        Impressum | Datenschutz | Kontakt
        """,
    ])
    func pageWithoutArticleGetsTheClearError(page: String) {
        #expect(throws: ExtractionError.noArticleText) { try ArticleExtractor.extract(text: page, format: .plainText) }
    }
}
