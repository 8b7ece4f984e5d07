import Testing
@testable import GlossExtraction

/// The byte-level counts of ``TextMeasure`` against the Unicode definitions they stand for.
struct TextMeasureTests {
    @Test(arguments: [
        "", " ", "plain words", "\t\n\r\u{0B}\u{0C} tabs", "no\u{00A0}break\u{0085}next line", "ogham\u{1680}space",
        "em\u{2003}thin\u{2009}hair\u{200A}zero\u{200B}width", "line\u{2028}para\u{2029}", "narrow\u{202F}math\u{205F}",
        "全角\u{3000}空白", "老城区改造后首批居民搬回新家", "emoji 👩‍👩‍👧 and 🇮🇹 flags", "e\u{0301} combining",
    ])
    func nonWhitespaceScalarsCountsWhatCoverageCounts(text: String) {
        #expect(TextMeasure.nonWhitespaceScalars(in: text) == ExtractionCoverage.characters(in: text))
    }
}
