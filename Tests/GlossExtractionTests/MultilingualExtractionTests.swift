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
        return names.filter { !$0.hasPrefix(".") }.sorted()
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
