import Synchronization

/// The words of a language that carry grammar rather than content, and how a paragraph's share of
/// them is counted: by words where words are spaced, by characters where they are not (Japanese
/// kana, Chinese function characters, Thai function words matched inside the unbroken line).
struct Stoplist: Sendable {
    let language: Language
    /// Lowercased words, edge punctuation dropped, straight apostrophes.
    let words: Set<String>
    /// For Chinese: characters that are function words on their own.
    let characters: Set<Character>
    /// The length in UTF-8 bytes of the longest of `words`: a longer word need not be looked up.
    let longestWord: Int

    /// The English list the classifier was calibrated with.
    static let english = Stoplist(language: .english, words: PlainTextExtractor.Lexicon.stopwords, characters: [])

    /// The stoplist of a language, built once per process.
    static func of(_ language: Language) -> Stoplist {
        if language == .english { return english }
        return cache.withLock { lists in
            if let list = lists[language] { return list }
            let list = Stoplist(language: language)
            lists[language] = list
            return list
        }
    }

    private static let cache = Mutex<[Language: Stoplist]>([:])

    private init(language: Language, words: Set<String>, characters: Set<Character>) {
        self.language = language
        self.words = words
        self.characters = characters
        longestWord = words.map(\.utf8.count).max() ?? 0
    }

    private init(language: Language) {
        let words: Set<String>, characters: Set<Character>
        switch language {
        case .chinese:
            words = []
            // Simplified forms, then the traditional forms of those that differ, as Taiwan and
            // Hong Kong write them.
            characters = Set("的了是在和有我他她它这那们不也就都而及与对等被将从把为以于之其着过到说要会能可还又很所但并或如因此该个一上中下里后时来去得地吗呢吧让给向更最已没由至使比即则再才只些种位次每各当自"
                + "這們與對將從為於著過說會還並該個裡裏後時來讓給沒則種當嗎")
        case .thai:
            words = Self.thaiFunctionWords
            characters = []
        default:
            words = Set(language.stoplistText.split(separator: "\n").map(String.init))
            characters = []
        }
        self.init(language: language, words: words, characters: characters)
    }

    /// Thai words that carry grammar, looked for inside the unbroken line.
    static let thaiFunctionWords: Set<String> = [
        "ที่", "และ", "ของ", "ใน", "เป็น", "ได้", "ให้", "มี", "การ", "ว่า", "จะ", "ไม่", "กับ", "แต่", "ก็", "นี้", "ไป",
        "มา", "อยู่", "แล้ว", "ซึ่ง", "โดย", "จาก", "คือ", "หรือ", "เพื่อ", "ถึง", "ยัง", "ผู้", "เขา", "เรา", "นั้น", "กัน",
        "ต้อง", "ความ", "อย่าง", "ขึ้น", "เมื่อ", "ทำ", "จึง", "ด้วย", "ไว้", "เคย", "กำลัง", "ทุก", "หลาย",
    ]

    /// The first characters of `thaiFunctionWords`, so that most positions of a line are passed
    /// over without building a candidate word.
    static let thaiFunctionWordStarts = Set(thaiFunctionWords.compactMap(\.first))

    /// The share of a text's letters that belong to function words, for a language without spaces;
    /// nil for a language with them, whose share is counted by words.
    func unspacedShare(of text: String) -> (function: Int, letters: Int)? {
        switch language {
        case .japanese:
            var hiragana = 0
            var letters = 0
            for scalar in text.unicodeScalars {
                switch Language.Script(of: scalar) {
                case .kana:
                    letters += 1
                    if (0x3041...0x309F).contains(scalar.value) { hiragana += 1 }
                case .han: letters += 1
                default: break
                }
            }
            return (hiragana, letters)
        case .chinese:
            var function = 0
            var letters = 0
            for character in text where character.unicodeScalars.first.flatMap(Language.Script.init(of:)) == .han {
                letters += 1
                if characters.contains(character) { function += 1 }
            }
            // A fifth of Chinese prose is function characters where a third of European prose is
            // function words: weight them so the same thresholds read both.
            return (function * 8 / 5, letters)
        case .thai:
            let characters = Array(text)
            var letters = 0
            var function = 0
            var index = 0
            while index < characters.count {
                guard characters[index].unicodeScalars.first.flatMap(Language.Script.init(of:)) == .thai else {
                    index += 1
                    continue
                }
                var matched = 0
                if Self.thaiFunctionWordStarts.contains(characters[index]) {
                    for length in stride(from: min(5, characters.count - index), through: 1, by: -1)
                    where words.contains(String(characters[index..<(index + length)])) {
                        matched = length
                        break
                    }
                }
                letters += max(matched, 1)
                function += matched
                index += max(matched, 1)
            }
            // The list holds the commonest function words only: weighted as Chinese is, for the
            // same thresholds.
            return (function * 7 / 5, letters)
        default:
            return nil
        }
    }
}
