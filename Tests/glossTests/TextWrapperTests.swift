import Foundation
import GlossCore
import PropertyBased
import Testing
@testable import gloss

/// Wrapping for `show`, `search` and `extract`: lines fit, and no word that fits on a line is cut.
@Suite struct TextWrapperTests {
    /// Words of every kind a page holds: ASCII, accents written as two scalars, flags and emoji
    /// with modifiers (one grapheme cluster each), CJK, and words longer than some widths.
    static let pieces = ["a", "the", "attempt", "its", "In", "focus", "e\u{301}te\u{301}", "🇫🇷", "👍🏽", "中文", "naïve",
                         "co-operation", "—", "“quoted”", "1887,", "(see", "this)", "Schifffahrtsgesellschaft",
                         "internationalization-and-localization-together"]

    static func text(_ rng: inout SplitMix64) -> String {
        var text = ""
        for _ in 0..<Int(rng.next() % 120) {
            var word = ""
            for _ in 0...Int(rng.next() % 2) { word += pieces[Int(rng.next() % UInt64(pieces.count))] }
            text += word
            switch rng.next() % 12 {
            case 0: text += "\n"
            case 1: text += "\n\n"
            case 2: text += "  "
            case 3: text += "\r\n"
            default: text += " "
            }
        }
        return text
    }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: \.isWhitespace).map(String.init)
    }

    @Test func linesFitAndNoWordThatFitsIsCut() async {
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let text = Self.text(&rng)
            let indent = rng.next() % 3 == 0 ? "    " : ""
            // The wrapper keeps at least 10 columns for text beside the indent.
            let width = 10 + indent.count + Int(rng.next() % 60)
            let wrapped = TextWrapper.wrap(text, width: width, indent: indent)
            let lines = wrapped.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.allSatisfy { TextWrapper.visibleWidth(String($0)) <= width }, "seed \(seed): a line is wider than \(width)")
            #expect(lines.allSatisfy { $0.hasPrefix(indent) }, "seed \(seed)")
            // Joined, the lines give back the words; a word that fits a line is one of them whole.
            let limit = width - indent.count
            let out = Self.words(wrapped)
            #expect(out.joined() == Self.words(text).joined(), "seed \(seed): text lost or changed")
            for word in Self.words(text) where TextWrapper.visibleWidth(word) <= limit {
                #expect(out.contains(word), "seed \(seed): '\(word)' was cut at width \(width)")
            }
            if Self.words(text).allSatisfy({ TextWrapper.visibleWidth($0) <= limit }) {
                #expect(out == Self.words(text), "seed \(seed)")
            }
        }
    }

    /// Colour codes take no room: a coloured text wraps where the plain one does.
    @Test func colourDoesNotMoveLineBreaks() async {
        await propertyCheck(count: 200, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let text = Self.text(&rng)
            let width = 10 + Int(rng.next() % 60)
            let reset = ArticleRenderer.reset
            var cells: [TextWrapper.Cell] = []
            for character in text {
                let prefix = switch rng.next() % 15 {
                case 0: ArticleRenderer.background("green")
                case 1: reset
                default: ""
                }
                cells.append(TextWrapper.Cell(character: character, prefix: prefix))
            }
            let coloured = TextWrapper.wrap(cells: cells, width: width, indent: "", reset: reset)
            #expect(Self.stripped(coloured) == TextWrapper.wrap(text, width: width), "seed \(seed)")
        }
    }

    /// The words the issue saw cut at 80 columns stay whole.
    @Test func wordsFromTheIssueStayWhole() {
        let text = String(repeating: "It was an attempt to settle the matter. In its report the council kept its focus. ", count: 12)
        for width in 20...100 {
            let out = Self.words(TextWrapper.wrap(text, width: width))
            #expect(out == Self.words(text), "width \(width)")
        }
    }

    /// Wide characters take two columns: a line of them fits the terminal, not just a count.
    @Test func wideCharactersTakeTwoColumns() {
        #expect(TextWrapper.columns("中") == 2 && TextWrapper.columns("👍🏽") == 2 && TextWrapper.columns("🇫🇷") == 2)
        #expect(TextWrapper.columns("e\u{301}") == 1 && TextWrapper.columns("a") == 1 && TextWrapper.columns("—") == 1)
        let wrapped = TextWrapper.wrap("中文 中文 中文 中文", width: 11)
        #expect(wrapped == "中文 中文\n中文 中文")
    }

    /// Indentation and runs of spaces survive where a line fits (a code block, an aligned list);
    /// where a line is broken they go.
    @Test func indentationAndSpacingAreKeptWhereLinesFit() {
        let code = "Example:\n\n    let total = 1\n    if total  >  0 {\n        print(total)\n    }"
        #expect(TextWrapper.wrap(code, width: 40) == code)
        let wrapped = TextWrapper.wrap("    first second third fourth fifth", width: 20)
        #expect(wrapped == "    first second\nthird fourth fifth")
    }

    /// A search snippet's match markers wrap with their word: "[focus]" is never cut.
    @Test func snippetMatchesStayWhole() {
        let snippet = String(repeating: "the council kept its \(SearchHit.matchStart)focus\(SearchHit.matchEnd) on the bridge, ", count: 6)
        let plain = snippet.replacingOccurrences(of: SearchHit.matchStart, with: "[").replacingOccurrences(of: SearchHit.matchEnd, with: "]")
        for width in 20...100 {
            let wrapped = TextWrapper.wrap(cells: Search.cells(snippet), width: width, indent: "    ", reset: "")
            #expect(Self.words(wrapped) == Self.words(plain), "width \(width)")
            #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= width }, "width \(width)")
        }
    }

    static func stripped(_ text: String) -> String {
        var out = ""
        var inEscape = false
        for character in text {
            if inEscape { if character == "m" { inEscape = false } }
            else if character == "\u{1b}" { inEscape = true }
            else { out.append(character) }
        }
        return out
    }
}
