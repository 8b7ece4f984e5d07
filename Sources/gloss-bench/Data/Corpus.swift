import GlossCore
import GlossExtraction

/// Deterministic prose: the same seed gives the same words, articles, quotes, notes and tags on
/// every machine. Words follow a Zipf law over a made-up vocabulary, so some occur in nearly every
/// article and some in a handful, as in real text.
struct Corpus {
    /// Most frequent first.
    let vocabulary: [String]
    let tags: [String]
    private let cumulative: [Double]
    private var random: SplitMix64

    init(seed: UInt64, words: Int = 20_000) {
        random = SplitMix64(seed: seed)
        let onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "br", "st", "tr", "pl"]
        let nuclei = ["a", "e", "i", "o", "u", "ai", "ea", "ou"]
        let codas = ["", "", "n", "r", "s", "l", "nd", "st"]
        var seen = Set<String>()
        var vocabulary: [String] = []
        while vocabulary.count < words {
            let syllables = 1 + Int(random.next() % 3)
            var word = ""
            for _ in 0..<syllables {
                word += onsets[Int(random.next() % UInt64(onsets.count))] + nuclei[Int(random.next() % UInt64(nuclei.count))]
            }
            word += codas[Int(random.next() % UInt64(codas.count))]
            if word.count >= 2, seen.insert(word).inserted { vocabulary.append(word) }
        }
        self.vocabulary = vocabulary
        tags = Array(vocabulary[200..<240])
        var total = 0.0
        cumulative = (1...words).map { rank in
            total += 1 / Double(rank)
            return total
        }
    }

    // MARK: - Draws

    mutating func int(_ range: Range<Int>) -> Int {
        range.lowerBound + Int(random.next() % UInt64(range.count))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0..<items.count)] }

    /// A word drawn by frequency.
    mutating func word() -> String {
        let draw = Double(random.next() >> 11) / Double(1 << 53) * cumulative[cumulative.count - 1]
        var low = 0, high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < draw { low = middle + 1 } else { high = middle }
        }
        return vocabulary[low]
    }

    mutating func sentence(words: Range<Int> = 8..<20) -> String {
        let count = int(words)
        let body = (0..<count).map { _ in word() }.joined(separator: " ")
        return body.prefix(1).uppercased() + body.dropFirst() + "."
    }

    mutating func paragraph() -> String {
        (0..<int(3..<7)).map { _ in sentence() }.joined(separator: " ")
    }

    mutating func title() -> String {
        (0..<int(4..<9)).map { _ in word() }.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ")
    }

    /// An article of `paragraphs` paragraphs: ASCII text, so its character, UTF-8 and UTF-16
    /// offsets are all one.
    mutating func article(paragraphs: Int = 4) -> ExtractedArticle {
        ExtractedArticle(title: title(), siteName: "Gloss Bench", tags: [pick(tags)],
                         text: (0..<paragraphs).map { _ in paragraph() }.joined(separator: "\n\n"))
    }

    /// An article of whole paragraphs, at least `bytes` long: a long read.
    mutating func article(bytes: Int) -> ExtractedArticle {
        var paragraphs: [String] = []
        var length = 0
        while length < bytes {
            paragraphs.append(paragraph())
            length += paragraphs[paragraphs.count - 1].utf8.count + 2
        }
        return ExtractedArticle(title: title(), siteName: "Gloss Bench", tags: [pick(tags)], text: paragraphs.joined(separator: "\n\n"))
    }

    /// A highlight of a few words of `article`, with a note, a colour and two tags: the annotation
    /// the W1 writes.
    mutating func highlight(of article: StoredArticle) -> AnnotationDraft {
        let text = article.utf8
        var start = int(0..<max(1, text.count - 80))
        while start > 0 && text[start - 1] != UInt8(ascii: " ") { start -= 1 }
        var end = start
        for _ in 0..<int(3..<12) {
            while end < text.count && text[end] != UInt8(ascii: " ") { end += 1 }
            if end < text.count { end += 1 }
        }
        while end > start && text[end - 1] == UInt8(ascii: " ") { end -= 1 }
        // The text is ASCII, so byte offsets are the scalar offsets anchors count in.
        let anchor = article.locator.anchor(start..<end, contentHash: article.contentHash)
        let firstTag = pick(tags)
        var secondTag = pick(tags)
        while secondTag == firstTag { secondTag = pick(tags) }
        return AnnotationDraft(articleID: article.id, kind: .highlight, anchor: anchor, note: sentence(),
                               color: pick(Store.colors), tags: [firstTag, secondTag])
    }
}

/// An article as the store saved it: what a highlight needs to anchor in it.
struct StoredArticle {
    var id: String
    var contentHash: String
    var utf8: [UInt8]
    /// Makes anchors as `gloss highlight` does.
    var locator: QuoteLocator
    /// The bytes of its fields (title and text), for the W4 floor.
    var payloadBytes: Int
}

extension AnnotationDraft {
    /// The bytes of the fields a person wrote or chose, uncompressed: article id, quote, prefix,
    /// suffix, two positions (8 bytes each), note, colour and tags. What W4 compares wire bytes with.
    var payloadBytes: Int {
        articleID.utf8.count + (anchor.map { $0.exact.utf8.count + $0.prefix.utf8.count + $0.suffix.utf8.count + 16 } ?? 0)
            + (note?.utf8.count ?? 0) + (color?.utf8.count ?? 0) + tags.reduce(0) { $0 + $1.utf8.count }
    }
}
