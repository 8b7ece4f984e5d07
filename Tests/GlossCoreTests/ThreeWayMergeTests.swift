import PropertyBased
import Testing
@testable import GlossCore
import GlossTestSupport

/// Three-way merge of note texts: concurrent edits of different words merge, edits of the same
/// words conflict, and the merge obeys diff3's laws.
@Suite struct ThreeWayMergeTests {
    // MARK: Examples

    @Test func differentTyposInOneSentenceMerge() {
        let base = "The quick brwon fox jumsp over the lazy dog."
        let ours = "The quick brown fox jumsp over the lazy dog."
        let theirs = "The quick brwon fox jumps over the lazy dog."
        let merged = "The quick brown fox jumps over the lazy dog."
        #expect(ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs) == merged)
        #expect(ThreeWayMerge.merge(base: base, ours: theirs, theirs: ours) == merged)
    }

    @Test func adjacentWordsMerge() {
        let merged = ThreeWayMerge.merge(
            base: "one two three four five", ours: "one two THREE four five", theirs: "one two three FOUR five")
        #expect(merged == "one two THREE FOUR five")
    }

    @Test func sameSentenceRewrittenDifferentlyConflicts() {
        let base = "Migration talks resume on Monday."
        #expect(ThreeWayMerge.merge(
            base: base, ours: "Migration talks were postponed.", theirs: "Talks on migration resume next week.") == nil)
        #expect(ThreeWayMerge.merge(
            base: base, ours: "Migration talks resume on Tuesday.", theirs: "Migration talks resume on Friday.") == nil)
    }

    @Test func appendedParagraphAndEditedFirstParagraphMerge() {
        let base = "Key claim: the *treaty* was signed in 1998.\n"
        let ours = "Key claim: the *treaty* was signed in 1998.\n\nSee also the [follow-up](https://example.org/2).\n"
        let theirs = "Key claim: the *accord* was signed in 1998.\n"
        let merged = "Key claim: the *accord* was signed in 1998.\n\nSee also the [follow-up](https://example.org/2).\n"
        #expect(ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs) == merged)
        #expect(ThreeWayMerge.merge(base: base, ours: theirs, theirs: ours) == merged)
    }

    @Test func deletedSentenceAndEditedSentenceMerge() {
        let base = "First point. Second point, weaker. Third point."
        let merged = ThreeWayMerge.merge(
            base: base, ours: "First point. Third point.", theirs: "First point. Second point, weaker. Third point!")
        #expect(merged == "First point. Third point!")
    }

    @Test func sameChangeOnBothSidesIsTakenOnce() {
        let base = "Read this later"
        let both = "Read this later, twice"
        #expect(ThreeWayMerge.merge(base: base, ours: both, theirs: both) == both)
        let merged = ThreeWayMerge.merge(base: "a b c d", ours: "a B c D", theirs: "a B c d")
        #expect(merged == "a B c D")
    }

    @Test func differentInsertionsAtOnePlaceConflict() {
        #expect(ThreeWayMerge.merge(base: "Summary:", ours: "Summary: good", theirs: "Summary: bad") == nil)
        #expect(ThreeWayMerge.merge(base: "", ours: "mine", theirs: "yours") == nil)
        #expect(ThreeWayMerge.merge(base: "a  c", ours: "a b c", theirs: "a B c") == nil)
    }

    /// No untouched token lies between a word and the comma right after it, so editing one on
    /// each side conflicts rather than risk interleaving the two edits.
    @Test func editsOfTouchingTokensConflict() {
        #expect(ThreeWayMerge.merge(base: "alpha, beta", ours: "ALPHA, beta", theirs: "alpha; beta") == nil)
        #expect(ThreeWayMerge.merge(base: "x y", ours: "x y z", theirs: "x Y") == nil)
    }

    @Test func unicodeSurvivesIntact() {
        let base = "Café 🍵 naïve 👩‍👩‍👧 🇫🇷 👍🏽 東京の天気は晴れです。 Ünïcode̊ text"
        let ours = "Café 🍵🍰 naïve 👩‍👩‍👧 🇫🇷 👍🏽 東京の天気は晴れです。 Ünïcode̊ text"
        let theirs = "Café 🍵 naïve 👩‍👩‍👧 🇫🇷 👍🏽 東京の天気は雨です。 Ünïcode̊ texts"
        let expected = "Café 🍵🍰 naïve 👩‍👩‍👧 🇫🇷 👍🏽 東京の天気は雨です。 Ünïcode̊ texts"
        let forward = ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs)
        let backward = ThreeWayMerge.merge(base: base, ours: theirs, theirs: ours)
        #expect(forward.map { Array($0.utf8) } == Array(expected.utf8))
        #expect(backward.map { Array($0.utf8) } == Array(expected.utf8))
    }

    @Test func emojiIsNeverSplit() {
        let base = "ok 👍🏽 ok"
        #expect(ThreeWayMerge.merge(base: base, ours: "ok 👍🏻 ok", theirs: "ok 👎🏽 ok") == nil)
        #expect(ThreeWayMerge.merge(base: base, ours: "OK 👍🏽 ok", theirs: "ok 👍🏽 fine") == "OK 👍🏽 fine")
    }

    @Test func editsAcrossA20KBNoteMerge() {
        var rng = SplitMix64(seed: 20)
        let words = (0..<3_500).map { _ in Self.vocabulary[rng.below(Self.vocabulary.count)] }
        var ours = words
        var theirs = words
        for index in stride(from: 7, to: words.count, by: 100) { ours[index] = "ours\(index)" }
        for index in stride(from: 57, to: words.count, by: 100) { theirs[index] = "theirs\(index)" }
        var expected = ours
        for index in stride(from: 57, to: words.count, by: 100) { expected[index] = "theirs\(index)" }
        let base = words.joined(separator: " ")
        #expect(base.utf8.count > 20_000)
        let merged = ThreeWayMerge.merge(
            base: base, ours: ours.joined(separator: " "), theirs: theirs.joined(separator: " "))
        #expect(merged == expected.joined(separator: " "))
    }

    /// A rewrite too large to diff word by word is still merged with an edit elsewhere,
    /// and still conflicts with an edit inside it.
    @Test func rewriteBeyondTheDiffBudgetStillMerges() {
        var rng = SplitMix64(seed: 21)
        let words = (0..<3_500).map { _ in Self.vocabulary[rng.below(Self.vocabulary.count)] }
        var ours = words
        ours[0..<2_000].shuffle(using: &rng)
        var theirs = words
        theirs[3_000] = "theirs"
        var expected = ours
        expected[3_000] = "theirs"
        let base = words.joined(separator: " ")
        #expect(ThreeWayMerge.merge(
            base: base, ours: ours.joined(separator: " "), theirs: theirs.joined(separator: " ")
        ) == expected.joined(separator: " "))
        theirs[1_000] = "theirs"
        #expect(ThreeWayMerge.merge(
            base: base, ours: ours.joined(separator: " "), theirs: theirs.joined(separator: " ")) == nil)
    }

    // MARK: Laws

    @Test func unchangedSideTakesTheOtherAndSameEditIsIdempotent() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let base = Self.text(&rng)
            let edited = Self.randomlyEdited(base, &rng)
            #expect(ThreeWayMerge.merge(base: base, ours: edited, theirs: base) == edited, "seed \(seed)")
            #expect(ThreeWayMerge.merge(base: base, ours: base, theirs: edited) == edited, "seed \(seed)")
            #expect(ThreeWayMerge.merge(base: base, ours: edited, theirs: edited) == edited, "seed \(seed)")
        }
    }

    @Test func mergeIsSymmetric() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let base = Self.text(&rng)
            let ours = Self.randomlyEdited(base, &rng)
            let theirs = Self.randomlyEdited(base, &rng)
            let forward = ThreeWayMerge.merge(base: base, ours: ours, theirs: theirs)
            let backward = ThreeWayMerge.merge(base: base, ours: theirs, theirs: ours)
            #expect(forward.map { Array($0.utf8) } == backward.map { Array($0.utf8) }, "seed \(seed)")
        }
    }

    @Test func editsOfDisjointRegionsMergeToBothEdits() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let segments = (0..<(2 + rng.below(7))).map { _ in Self.words(&rng) }
            var ours = segments
            var theirs = segments
            for index in segments.indices {
                switch rng.below(3) {
                case 0: ours[index] = Self.edited(segments[index], &rng)
                case 1: theirs[index] = Self.edited(segments[index], &rng)
                default: break
                }
            }
            let expected = zip(ours, theirs).enumerated().map { index, pair in
                pair.0 != segments[index] ? pair.0 : pair.1
            }
            let (base, merged) = (Self.joined(segments), Self.joined(expected))
            let (ourText, theirText) = (Self.joined(ours), Self.joined(theirs))
            #expect(ThreeWayMerge.merge(base: base, ours: ourText, theirs: theirText) == merged, "seed \(seed)")
            #expect(ThreeWayMerge.merge(base: base, ours: theirText, theirs: ourText) == merged, "seed \(seed)")
        }
    }

    @Test func differentEditsOfOneWordConflict() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix64(seed: seed)
            let segments = (0..<(1 + rng.below(6))).map { _ in Self.words(&rng) }
            var ours = segments
            var theirs = segments
            for index in segments.indices {
                switch rng.below(3) {
                case 0: ours[index] = Self.edited(segments[index], &rng)
                case 1: theirs[index] = Self.edited(segments[index], &rng)
                default: break
                }
            }
            let target = rng.below(segments.count)
            let word = rng.below(segments[target].count)
            let same = rng.below(4) == 0
            ours[target] = segments[target]
            theirs[target] = segments[target]
            ours[target][word].text = "Ours\(rng.below(1_000))"
            theirs[target][word].text = same ? ours[target][word].text : "Theirs\(rng.below(1_000))"

            let base = Self.joined(segments)
            let merged = ThreeWayMerge.merge(base: base, ours: Self.joined(ours), theirs: Self.joined(theirs))
            if same {
                var expected = zip(ours, theirs).enumerated().map { index, pair in
                    pair.0 != segments[index] ? pair.0 : pair.1
                }
                expected[target] = ours[target]
                #expect(merged == Self.joined(expected), "seed \(seed)")
            } else {
                #expect(merged == nil, "seed \(seed)")
            }
        }
    }

    // MARK: Generators

    /// Words of generated base texts.
    private static let vocabulary = [
        "the", "a", "note", "article", "reader", "treaty", "signed", "fox", "café", "naïve", "東京", "🍵",
        "👩‍👩‍👧", "and", "of", "is", "**bold**", "`code`", "[link](#ref)", "1998", "don't",
    ]
    /// Words that edits insert, sharing no token with `vocabulary`, so that no diff can take
    /// an inserted word for a base word that moved.
    private static let newWords = ["quick", "über", "Zoë", "accord", "天気", "🍰", "🇫🇷", "_em_", "2024", "señor"]
    private static let separators = [" ", " ", " ", ", ", ". ", ".\n\n", " — ", "\n- "]

    /// A word of a generated text and the separator that follows it.
    private struct Word: Equatable {
        var text: String
        var separator: String

        static func random(from words: [String], _ rng: inout SplitMix64) -> Word {
            Word(text: words[rng.below(words.count)], separator: separators[rng.below(separators.count)])
        }
    }

    private static func words(_ rng: inout SplitMix64) -> [Word] {
        (0..<(2 + rng.below(10))).map { _ in Word.random(from: vocabulary, &rng) }
    }

    /// One to three random replacements, insertions or deletions of words.
    private static func edited(_ words: [Word], _ rng: inout SplitMix64) -> [Word] {
        var words = words
        for _ in 0..<(1 + rng.below(3)) {
            let word = Word.random(from: newWords, &rng)
            switch rng.below(3) {
            case 0 where !words.isEmpty: words[rng.below(words.count)] = word
            case 1 where !words.isEmpty: words.remove(at: rng.below(words.count))
            default: words.insert(word, at: rng.below(words.count + 1))
            }
        }
        return words
    }

    /// Segments set apart by words found nowhere else, so edits of different segments are
    /// disjoint and every diff keeps the separating words.
    private static func joined(_ segments: [[Word]]) -> String {
        segments.enumerated().map { index, words in
            joined(words) + " Zq\(index)a Zq\(index)b Zq\(index)c "
        }.joined()
    }

    private static func joined(_ words: [Word]) -> String {
        words.map { $0.text + $0.separator }.joined()
    }

    private static func text(_ rng: inout SplitMix64) -> String {
        (0..<(1 + rng.below(4))).map { _ in joined(words(&rng)) }.joined(separator: "\n\n")
    }

    /// `text` with a few random characters replaced, inserted or deleted anywhere.
    private static func randomlyEdited(_ text: String, _ rng: inout SplitMix64) -> String {
        var characters = Array(text)
        let pool = Array("ab cé,.\n🍵東") + vocabulary.map { Character(String($0.first!)) }
        for _ in 0..<rng.below(6) {
            let character = pool[rng.below(pool.count)]
            switch rng.below(3) {
            case 0 where !characters.isEmpty: characters[rng.below(characters.count)] = character
            case 1 where !characters.isEmpty: characters.remove(at: rng.below(characters.count))
            default: characters.insert(character, at: rng.below(characters.count + 1))
            }
        }
        return String(characters)
    }
}
