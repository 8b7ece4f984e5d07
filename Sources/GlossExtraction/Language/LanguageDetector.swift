import Foundation

/// Tells the language of a text: first its script (which alone names Japanese, Chinese, Thai,
/// Greek, Hebrew, Hindi and Korean), then, among the languages of that script, the one whose most
/// frequent words make up the largest share of the text's words.
package enum LanguageDetector {
    /// How many of each language's most frequent words the word count compares.
    static let detectionWords = 100
    /// The smallest share of a text's words a language's frequent words must make up to be named.
    static let minimumShare = 0.12
    /// How many words of a text are read: enough to tell, few enough to stay fast on a long page.
    static let maximumWords = 1_500

    /// The language of `text`, or nil when neither its script nor its words say.
    package static func detect(_ text: String) -> Language? {
        var counts: [Language.Script: Int] = [:]
        var letters = 0
        var ascii = 0
        for scalar in text.unicodeScalars.prefix(20_000) {
            // ASCII letters counted apart: most of a Latin page, without a dictionary update each.
            if scalar.isASCII {
                if ASCII.isLetter(UInt8(scalar.value)) { ascii += 1 }
                continue
            }
            guard let script = Language.Script(of: scalar) else { continue }
            counts[script, default: 0] += 1
            letters += 1
        }
        if ascii > 0 {
            counts[.latin, default: 0] += ascii
            letters += ascii
        }
        guard letters > 0 else { return nil }
        let kana = counts[.kana, default: 0]
        let han = counts[.han, default: 0]
        // Japanese mixes Han characters with kana; Chinese has Han alone.
        if (kana + han) * 10 >= letters * 3 {
            return kana * 10 >= (kana + han) ? .japanese : .chinese
        }
        if counts[.thai, default: 0] * 10 >= letters * 3 { return .thai }
        guard let (script, _) = counts.filter({ ![.kana, .han, .thai].contains($0.key) }).max(by: { $0.value < $1.value }) else {
            return nil
        }
        let candidates = Language.allCases.filter { $0.script == script && !$0.isUnspaced }
        if candidates.count == 1 { return candidates[0] }

        // One lookup a word: the bit of every language among whose frequent words it is.
        var hits = Array(repeating: 0, count: Language.allCases.count)
        var words = 0
        // Only the pieces read are cut: a page's whole text split would cost more than the counting.
        for piece in text.spacedPieces(limit: maximumWords) {
            let word = normalizedWord(piece)
            guard !word.isEmpty else { continue }
            words += 1
            guard var bits = frequentWords[word] else { continue }
            while bits != 0 {
                hits[bits.trailingZeroBitCount] += 1
                bits &= bits - 1
            }
        }
        guard let best = candidates.max(by: { hits[$0.index] < hits[$1.index] }), hits[best.index] >= 3,
              Double(hits[best.index]) >= minimumShare * Double(words) else { return nil }
        // English is what the classifier falls back to and was calibrated on: another language
        // must beat it clearly, or a short English line full of "in" and "is" reads as Afrikaans.
        let english = hits[Language.english.index]
        if best != .english, hits[best.index] < english + 2 || hits[best.index] * 2 < english * 3 { return nil }
        return best
    }

    /// A whitespace-separated piece as stoplists spell it: lowercased, edge punctuation dropped,
    /// curly apostrophes straightened.
    static func normalizedWord(_ piece: Substring) -> String {
        // An ASCII piece (most of most pages) by its bytes: the same answer, without walking
        // characters or Unicode case mapping.
        if piece.utf8.allSatisfy({ $0 < 0x80 }) { return normalizedWord(ascii: piece.utf8) ?? "" }
        // A simple piece (`isSimple`: its scalars are its characters) by its scalars.
        if piece.isSimple {
            let scalars = piece.unicodeScalars
            guard let first = scalars.firstIndex(where: \.properties.isAlphabetic),
                  let last = scalars.lastIndex(where: \.properties.isAlphabetic) else { return "" }
            let word = piece[first..<scalars.index(after: last)].lowercased()
            guard word.unicodeScalars.contains("’") else { return word }
            return String(String.UnicodeScalarView(word.unicodeScalars.lazy.map { $0 == "’" ? "'" : $0 }))
        }
        guard let first = piece.firstIndex(where: \.isWordLetter), let last = piece.lastIndex(where: \.isWordLetter) else { return "" }
        let word = piece[first...last].lowercased()
        // Looked for by character: Foundation's string search would cost more than the word.
        return word.contains(Character("’")) ? word.replacingOccurrences(of: "’", with: "'") : word
    }

    /// `normalizedWord` of an ASCII piece, from its bytes: from its first letter to its last,
    /// lowercased ("" when it has no letter). Nil when that span is longer than `longest` bytes,
    /// so a caller looking the word up in a list of words no longer does not build it.
    static func normalizedWord<Bytes: BidirectionalCollection<UInt8>>(ascii piece: Bytes, longest: Int = .max) -> String? {
        guard let first = piece.firstIndex(where: ASCII.isLetter), let last = piece.lastIndex(where: ASCII.isLetter) else { return "" }
        guard piece.distance(from: first, to: last) < longest else { return nil }
        return String(decoding: piece[first...last].lazy.map(ASCII.lowercased), as: UTF8.self)
    }

    /// For each word among a spaced language's most frequent ones, the bits (`Language.index`) of
    /// the languages it is frequent in.
    static let frequentWords: [String: UInt64] = {
        var bits: [String: UInt64] = [:]
        for language in Language.allCases where !language.isUnspaced {
            let words = language.stoplistText.split(separator: "\n", maxSplits: detectionWords).prefix(detectionWords)
            for word in words { bits[String(word), default: 0] |= 1 << UInt64(language.index) }
        }
        return bits
    }()
}

extension Language {
    /// The language's place in `allCases`.
    var index: Int { Self.allCases.firstIndex(of: self)! }
}
