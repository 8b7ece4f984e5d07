import Testing
@testable import GlossCore

/// Re-anchoring highlights when an article's text changes: examples, then a generated corpus of
/// highlights on news-like articles put through realistic edits, scored against where each
/// passage really went.
@Suite struct ReanchoringTests {
    // MARK: Examples

    static let article = """
        The council said on Tuesday that the bridge would reopen in May. Engineers had found cracks \
        in two of the bridge's supports during an inspection in January.

        Residents said the closure had doubled their commute. "We were promised the bridge would \
        be open by Easter," said Ana Ruiz, who lives near the river.

        The council said on Tuesday that it would publish the inspection report next week.
        """

    static func anchor(_ quote: String, occurrence: Int = 0, in text: String) -> TextAnchor {
        let locator = QuoteLocator(text: text)
        return locator.anchor(locator.occurrences(of: quote)[occurrence], contentHash: "old")
    }

    static func text(_ text: String, _ range: Range<Int>?) -> String? {
        range.map { QuoteLocator(text: text).text($0) }
    }

    @Test func unchangedTextKeepsThePosition() {
        let anchor = Self.anchor("cracks in two of the bridge's supports", in: Self.article)
        let result = Reanchorer.locate(anchor, in: Self.article)
        #expect(result == Reanchoring(method: .position, range: anchor.start..<anchor.end, confidence: 1))
    }

    @Test func repeatedSentenceIsToldApartByContext() {
        let anchor = Self.anchor("The council said on Tuesday that", occurrence: 1, in: Self.article)
        let edited = "Advertisement\n\n" + Self.article.replacingFirst("Residents said", with: "Many residents said")
        let result = Reanchorer.locate(anchor, in: edited)
        #expect(result.method == .nearestExact)
        let expected = QuoteLocator(text: edited).occurrences(of: "The council said on Tuesday that")[1]
        #expect(result.range == expected)
    }

    @Test func reflowedCurlyTextStillMatchesAtItsPosition() {
        let anchor = Self.anchor("\"We were promised the bridge would be open by Easter,\"", in: Self.article)
        let edited = Self.article
            .replacingFirst("\"We were promised the bridge would be open by Easter,\"",
                            with: "\u{201C}We were promised the\nbridge would be open by Easter,\u{201D}")
        let result = Reanchorer.locate(anchor, in: edited)
        #expect(result.method == .position)
        #expect(Self.text(edited, result.range) == "\u{201C}We were promised the\nbridge would be open by Easter,\u{201D}")
    }

    @Test func correctedTypoIsFoundApproximately() {
        let old = Self.article.replacingFirst("during an inspection", with: "durnig an inspecton")
        let anchor = Self.anchor("cracks in two of the bridge's supports durnig an inspecton in January", in: old)
        let result = Reanchorer.locate(anchor, in: Self.article)
        #expect(result.method == .approximate)
        #expect(result.confidence > 0.8 && result.confidence < 1)
        #expect(Self.text(Self.article, result.range)
                == "cracks in two of the bridge's supports during an inspection in January")
    }

    @Test func deletedPassageIsAnOrphanEvenWhenItsWordsRepeat() {
        let anchor = Self.anchor("The council said on Tuesday that it would publish", in: Self.article)
        let edited = Self.article.replacingFirst(
            "\n\nThe council said on Tuesday that it would publish the inspection report next week.", with: "")
        #expect(Reanchorer.locate(anchor, in: edited) == .orphan)
        let short = Self.anchor("The council said on Tuesday", occurrence: 1, in: Self.article)
        #expect(Reanchorer.locate(short, in: edited) == .orphan)
    }

    @Test func emptyQuoteOrEmptyTextIsAnOrphan() {
        let anchor = TextAnchor(exact: " ", prefix: "", suffix: "", start: 0, end: 1, contentHash: "")
        #expect(Reanchorer.locate(anchor, in: Self.article) == .orphan)
        #expect(Reanchorer.locate(Self.anchor("the bridge", in: Self.article), in: "") == .orphan)
    }

    @Test func offsetsCountUnicodeScalars() {
        let old = "Zoë Müller 👩‍💻 wrote on Sunday that the café had put up a sign reading \"Cash only — désolé!\" "
            + "by the door, next to a drawing of a cup. 🇫🇷"
        let anchor = Self.anchor("\"Cash only — désolé!\"", in: old)
        #expect(anchor.start == 71 && anchor.end == 92)
        let edited = "🙃🙃 Update: " + old.replacingFirst("👩‍💻", with: "🤷🏽‍♀️👩‍💻")
            .replacingFirst("\"Cash only — désolé!\"", with: "\u{201C}Cash only - désolé!\u{201D}")
        let scalars = Array(edited.unicodeScalars)
        let start = scalars.firstIndex(of: "\u{201C}")!, end = scalars.firstIndex(of: "\u{201D}")! + 1
        let result = Reanchorer.locate(anchor, in: edited)
        #expect(result.method == .nearestExact && result.range == start..<end)
        let typo = Reanchorer.locate(anchor, in: edited.replacingFirst("désolé", with: "desolé"))
        #expect(typo.method == .approximate && typo.range == start..<end)
    }

    @Test func whiteSpaceIsUnicodes() {
        for value in UInt32(0)..<0x3100 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            #expect(QuoteLocator.isWhitespace(scalar) == scalar.properties.isWhitespace, "U+\(String(value, radix: 16))")
        }
    }

    @Test func contextSimilarityIsPlainEditDistance() {
        /// Edit distance from `context` to the best text that starts at the boundary, by the textbook table.
        func expected(_ context: [UInt32], _ outward: [UInt32]) -> Double? {
            guard !context.isEmpty else { return nil }
            var row = Array(0...outward.count)
            for (i, c) in context.enumerated() {
                var diagonal = row[0]
                row[0] = i + 1
                for j in outward.indices {
                    let value = min(diagonal + (c == outward[j] ? 0 : 1), row[j + 1] + 1, row[j] + 1)
                    diagonal = row[j + 1]
                    row[j + 1] = value
                }
            }
            return 1 - Double(row.min()!) / Double(context.count)
        }
        var rng = SplitMix64(seed: 64)
        var mismatches = 0
        for _ in 0..<500 {
            let letters = UInt32.random(in: 2...5, using: &rng)
            let context = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt32.random(in: 0..<letters, using: &rng) }
            let units = (0..<Int.random(in: 0...120, using: &rng)).map { _ in UInt32.random(in: 0..<letters, using: &rng) }
            let boundary = Int.random(in: 0...units.count, using: &rng)
            let reach = context.count + context.count / 2 + 2
            let after = Array(units[boundary..<min(units.count, boundary + reach)])
            let before = Array(units[max(0, boundary - reach)..<boundary].reversed())
            if Reanchorer.contextSimilarity(context, units, boundary: boundary, forward: true) != expected(context, after) {
                mismatches += 1
            }
            if Reanchorer.contextSimilarity(context, units, boundary: boundary, forward: false)
                != expected(context.reversed(), before) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    // MARK: Corpus

    /// The summary printed lists, per kind of edit, how many highlights re-anchored correctly, to a
    /// wrong place or not at all, and by which method the anchored ones were found.
    @Test func generatedCorpus() async {
        let report = await ReanchoringCorpus.report(seed: 0x5EED_A7C4_0001, perKind: 24)
        print(report.table)
        #expect(report.count >= 2_000)
        #expect(report.wrong == 0)
        #expect(Double(report.survivingCorrect) >= 0.95 * Double(report.surviving))
        #expect(report.deletedOrphans == report.deleted)
        // Left alone in a text a tenth as long, a passage is found again (its old position lies
        // past the new end, and its context is gone wherever it ended its paragraph).
        let shrunk = report.rows[.textShrunk, default: [:]]
        #expect(shrunk[.correct, default: 0] == shrunk.values.reduce(0, +))
    }
}

private extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}
