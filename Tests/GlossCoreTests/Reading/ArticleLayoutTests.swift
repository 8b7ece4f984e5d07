import GlossCore
import GlossTestSupport
import PropertyBased
import Testing

/// The reader's layout of a stored text: every line says exactly where its text is in the stored
/// text (in scalars), and markers are in no line.
@Suite struct ArticleLayoutTests {
    /// The stored text's scalars from `start`, as many as `text` holds.
    static func slice(_ text: String, _ line: ArticleLayout.Line) -> String {
        let scalars = Array(text.unicodeScalars)
        let count = line.text.unicodeScalars.count
        guard line.start >= 0, line.start + count <= scalars.count else { return "<out of range>" }
        return String(String.UnicodeScalarView(scalars[line.start..<(line.start + count)]))
    }

    static func expectExact(_ text: String, _ layout: ArticleLayout, sourceLocation: SourceLocation = #_sourceLocation) {
        for block in layout.blocks {
            for line in block.lines {
                #expect(slice(text, line) == line.text, "line at \(line.start) of a \(block.type)", sourceLocation: sourceLocation)
            }
        }
    }

    /// Tricky texts: each with the blocks (type and line texts) it must give.
    static let table: [(String, [(ArticleLayout.BlockType, [String])])] = [
        ("One paragraph.", [(.paragraph, ["One paragraph."])]),
        ("😀 emoji first, then text.\n\nSecond 👩‍👩‍👧 family.", [(.paragraph, ["😀 emoji first, then text."]), (.paragraph, ["Second 👩‍👩‍👧 family."])]),
        ("Cafe\u{301} combining, and e\u{301}\u{302} two marks.", [(.paragraph, ["Cafe\u{301} combining, and e\u{301}\u{302} two marks."])]),
        ("## A heading\n\nText under it.", [(.heading, ["A heading"]), (.paragraph, ["Text under it."])]),
        ("####### seven hashes is text", [(.paragraph, ["####### seven hashes is text"])]),
        ("#hashtag is text", [(.paragraph, ["#hashtag is text"])]),
        ("- one\n- two\n  - nested", [(.item, ["one"]), (.item, ["two"]), (.item, ["nested"])]),
        ("1. first\n\n2. second", [(.item, ["first"]), (.item, ["second"])]),
        ("> quoted\n> on two lines", [(.quote, ["quoted", "on two lines"])]),
        ("Line one\nline two of one paragraph", [(.paragraph, ["Line one", "line two of one paragraph"])]),
        ("```\ncode\n\n    kept indent\n```\n\nAfter.", [(.code, ["code", "", "    kept indent"]), (.paragraph, ["After."])]),
        ("a | b | c\n\nd | e", [(.paragraph, ["a | b | c"]), (.paragraph, ["d | e"])]),
        ("<script>alert(1)</script> &amp; text", [(.paragraph, ["<script>alert(1)</script> &amp; text"])]),
        ("\n\n\nLeading blank lines", [(.paragraph, ["Leading blank lines"])]),
        ("-not a list", [(.paragraph, ["-not a list"])]),
        ("```\nunclosed fence\nruns to the end", [(.code, ["unclosed fence", "runs to the end"])]),
    ]

    @Test(arguments: 0..<table.count) func trickyTexts(_ index: Int) {
        let (text, expected) = Self.table[index]
        let layout = ArticleLayout(text: text)
        #expect(layout.blocks.map(\.type) == expected.map(\.0), "\(text.debugDescription)")
        #expect(layout.blocks.map { $0.lines.map(\.text) } == expected.map(\.1), "\(text.debugDescription)")
        Self.expectExact(text, layout)
    }

    @Test func markersAreKeptApart() {
        let layout = ArticleLayout(text: "### Third\n\n  - deep item\n\n12) twelve")
        #expect(layout.blocks[0].level == 3)
        #expect(layout.blocks[1].marker == "-" && layout.blocks[1].depth == 1)
        #expect(layout.blocks[2].marker == "12)" && layout.blocks[2].depth == 0)
    }

    /// Any text, whatever it holds: every line is exactly its stretch of the stored text, and
    /// the lines never overlap or run backwards.
    @Test func everyLineIsItsStretchOfTheText() async {
        let pieces = ["## ", "- ", "1. ", "> ", "```", "\n", "\n\n", "  ", "word", "😀", "e\u{301}", "|", "#", "*", "\t", "née"]
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let text = (0..<Int(rng.next() % 40)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
            let layout = ArticleLayout(text: text)
            Self.expectExact(text, layout)
            let starts = layout.blocks.flatMap { $0.lines.map(\.start) }
            #expect(starts == starts.sorted())
        }
    }
}
