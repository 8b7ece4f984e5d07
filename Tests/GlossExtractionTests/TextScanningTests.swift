import Foundation
import Testing
@testable import GlossExtraction

/// The fast paths extraction takes for ASCII text (`TextScanning.swift`, `Token.scanASCII`,
/// `LanguageDetector.normalizedWord`) give exactly the answers of the general ones, on every
/// ASCII character and on random lines made of the characters the rules care about.
struct TextScanningTests {
    /// Lines of letters, digits, apostrophes, separators, whitespace and symbols, from a fixed seed.
    static func lines(count: Int, seed: UInt64) -> [String] {
        var generator = ExtractionTests.SeededGenerator(seed: seed)
        let alphabet = Array("aZq Xb'.,0719\t\n\r-/:;()\"!?#&  ")
        return (0..<count).map { _ in
            String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
    }

    @Test func characterClassesAgreeWithUnicodeOnEveryASCIICharacterAndSomeOthers() {
        let others: [Character] = ["é", "ß", "Ж", "中", "\u{00A0}", "\u{2003}", "\u{3000}", "٣", "½", "’", "\r\n", "e\u{301}"]
        for character in (0..<128).map({ Character(Unicode.Scalar(UInt8($0))) }) + others {
            #expect(character.isSpace == character.isWhitespace, "\(character.unicodeScalars.map(\.value))")
            #expect(character.isWordLetter == character.isLetter, "\(character.unicodeScalars.map(\.value))")
            #expect(character.isLetterOrDigit == (character.isLetter || character.isNumber), "\(character.unicodeScalars.map(\.value))")
            for scalar in character.unicodeScalars {
                #expect(scalar.isSpace == scalar.properties.isWhitespace, "\(scalar.value)")
            }
        }
    }

    @Test func asciiTokensAreTheCharacterScansTokens() {
        for line in Self.lines(count: 3_000, seed: 17) {
            let fast = PlainTextExtractor.Token.scanASCII(line[...]), general = PlainTextExtractor.Token.scanCharacters(line[...])
            #expect(fast.map(\.text) == general.map(\.text), "\(line.debugDescription)")
            #expect(fast.map(\.kind) == general.map(\.kind) && fast.map(\.spaceBefore) == general.map(\.spaceBefore), "\(line.debugDescription)")
        }
    }

    /// Lines of simple text (`isSimple`) beyond ASCII: accented and Cyrillic letters, curly
    /// quotes and apostrophes, dashes, no-break spaces, soft hyphens, currency and fractions.
    @Test func simpleLinesScanAndCollapseAsCharactersDo() {
        var generator = ExtractionTests.SeededGenerator(seed: 41)
        let alphabet = Array("aZé ßЖѣΩ'’“”—–€½ªʼ.,07\u{00A0}\u{00AD}\u{2009}-/ !?")
        for _ in 0..<3_000 {
            let line = String((0..<Int.random(in: 0...40, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(line.isSimple, "\(line.debugDescription)")
            let fast = PlainTextExtractor.Token.scanScalars(line[...]), general = PlainTextExtractor.Token.scanCharacters(line[...])
            #expect(fast.map(\.text) == general.map(\.text), "\(line.debugDescription)")
            #expect(fast.map(\.kind) == general.map(\.kind) && fast.map(\.spaceBefore) == general.map(\.spaceBefore), "\(line.debugDescription)")
            #expect(PlainTextExtractor.collapsingWhitespace(scalarsOf: line) == PlainTextExtractor.collapsingWhitespace(charactersOf: line),
                    "\(line.debugDescription)")
            for piece in line.split(whereSeparator: \.isSpace) {
                #expect(LanguageDetector.normalizedWord(piece) == Self.normalizedByCharacters(piece), "\(piece.debugDescription)")
            }
            let paragraph = PlainTextExtractor.Paragraph(text: line, block: 0)
            #expect(paragraph.wordCount == line.split(whereSeparator: \.isSpace).filter { $0.contains(where: \.isLetterOrDigit) }.count)
        }
        // Text whose characters join scalars is not simple, and takes the character path.
        for joined in ["e\u{301}", "a\r\nb", "👍🏽", "🇫🇷", "क्षि", "한"] { #expect(!joined.isSimple, "\(joined.debugDescription)") }
        #expect(PlainTextExtractor.collapsingWhitespace("  e\u{301}  \u{00A0} x ") == "e\u{301} x")
    }

    /// `LanguageDetector.normalizedWord` the long way, character by character.
    static func normalizedByCharacters(_ piece: Substring) -> String {
        guard let first = piece.firstIndex(where: \.isLetter), let last = piece.lastIndex(where: \.isLetter) else { return "" }
        return piece[first...last].lowercased().replacingOccurrences(of: "’", with: "'")
    }

    @Test func asciiLinesCollapseAsCharactersDo() {
        for line in Self.lines(count: 3_000, seed: 47) {
            #expect(PlainTextExtractor.collapsingWhitespace(line) == PlainTextExtractor.collapsingWhitespace(charactersOf: line), "\(line.debugDescription)")
        }
    }

    @Test func asciiWordsNormalizeAsCharactersDo() {
        func reference(_ piece: Substring) -> String {
            guard let first = piece.firstIndex(where: \.isLetter), let last = piece.lastIndex(where: \.isLetter) else { return "" }
            return piece[first...last].lowercased()
        }
        for line in Self.lines(count: 2_000, seed: 23) {
            for piece in line.split(separator: " ") {
                #expect(LanguageDetector.normalizedWord(piece) == reference(piece), "\(piece.debugDescription)")
            }
        }
        #expect(LanguageDetector.normalizedWord("«Don’t»") == "don't")
    }

    /// An ASCII paragraph's features, read by bytes, are those the character path gives.
    @Test func asciiParagraphsCountWordsAndStopwordsAsCharactersDo() {
        let stoplist = Stoplist.english
        for line in Self.lines(count: 2_000, seed: 29) + ["The cat and the hat.", "it's 12 o'clock, isn't it?", "  a  of  "] {
            var words = 0
            var stopwords = 0
            for piece in line.split(whereSeparator: \.isSpace) where piece.contains(where: \.isLetterOrDigit) {
                words += 1
                if stoplist.words.contains(Self.normalizedByCharacters(piece)) { stopwords += 1 }
            }
            let share = line.utf8.withContiguousStorageIfAvailable { PlainTextExtractor.Paragraph.stopwordShare(ofASCII: $0, stoplist) }!
            #expect(share.words == words && share.density == (words == 0 ? 0 : Double(stopwords) / Double(words)), "\(line.debugDescription)")
            let paragraph = PlainTextExtractor.Paragraph(text: line, block: 0)
            #expect(paragraph.lowercased == line.lowercased() && paragraph.length == line.count, "\(line.debugDescription)")
            #expect(paragraph.wordCount == words)
        }
        #expect(PlainTextExtractor.Paragraph(text: "The cat and the hat.", block: 0).stopwordDensity == 0.6)
    }

    @Test func linesAreTheNewlineSplit() {
        var generator = ExtractionTests.SeededGenerator(seed: 43)
        let alphabet = Array("a é中\n\r\u{0B}\u{0C}\u{85}\u{2028}\u{2029}\u{2027}\u{2030}\u{C5}") + ["\r\n", "e\u{301}"]
        for _ in 0..<3_000 {
            let line = String((0..<Int.random(in: 0...30, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(line.newlineSeparatedLines == line.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline), "\(line.debugDescription)")
        }
        #expect("".newlineSeparatedLines == [""] && "a\r\n\nb\r".newlineSeparatedLines == ["a", "", "b", ""])
    }

    /// The comment-opening and chrome shapes of ASCII text, by bytes, are those the character path gives.
    @Test func asciiShapesAreTheCharacterShapes() {
        for line in Self.lines(count: 2_000, seed: 53) + ["12 Comments on “x”", "(3) replies:", "---", "Page 2 of 10"] {
            for piece in line.split(whereSeparator: \.isSpace) {
                #expect(PlainTextExtractor.Paragraph.commentShape(piece) == PlainTextExtractor.Paragraph.commentShape(byCharacters: piece),
                        "\(piece.debugDescription)")
            }
            let lowered = line.lowercased()
            #expect(PlainTextExtractor.chromeShape(lowered) == PlainTextExtractor.chromeShape(byCharacters: lowered), "\(line.debugDescription)")
        }
        #expect(PlainTextExtractor.Paragraph.commentShape("(12)") == "#" && PlainTextExtractor.chromeShape("12 comments, 3 shares") == "# comments, # shares")
    }

    @Test func spacedPiecesAreTheWhitespaceSplit() {
        for line in Self.lines(count: 2_000, seed: 37) + ["a\u{00A0}b\u{3000}c", " 中文 тест "] {
            let split = line.split(whereSeparator: \.isSpace)
            #expect(line.spacedPieces() == split, "\(line.debugDescription)")
            #expect(line.spacedPieces(limit: 2) == Array(split.prefix(2)), "\(line.debugDescription)")
        }
    }

    @Test func byteSearchFindsWhatFoundationFinds() {
        let texts = Self.lines(count: 500, seed: 31).map { $0.lowercased() } + ["nous utilisons des cookies", "クッキーを使用", "© 2024 all rights reserved"]
        let needles = ["a", "'.", "zq", "0719", "cookie", "クッキー", "©", "all rights reserved", "x"]
        for text in texts {
            for needle in needles {
                #expect(text.containsBytes(needle) == text.contains(needle), "\(text.debugDescription) \(needle)")
                #expect(text[...].containsBytes(needle) == text.contains(needle))
            }
        }
        #expect("".containsBytes("") && "abc".containsBytes(""))
    }
}
