/// A language a page can be written in, as far as extraction tells languages apart: each has a
/// stoplist (its most frequent words) and a script, and three are written without spaces between
/// words, so that paragraph scoring counts their characters rather than their words.
package enum Language: String, CaseIterable, Sendable {
    case english = "en", german = "de", french = "fr", spanish = "es", italian = "it", portuguese = "pt"
    case dutch = "nl", indonesian = "id", malay = "ms", turkish = "tr", polish = "pl", swedish = "sv"
    case danish = "da", norwegian = "nb", finnish = "fi", czech = "cs", slovak = "sk", romanian = "ro"
    case hungarian = "hu", croatian = "hr", catalan = "ca", vietnamese = "vi", tagalog = "tl"
    case russian = "ru", ukrainian = "uk", bulgarian = "bg", serbian = "sr", greek = "el"
    case arabic = "ar", persian = "fa", hebrew = "he", hindi = "hi", korean = "ko"
    case estonian = "et", latvian = "lv", lithuanian = "lt", slovenian = "sl", afrikaans = "af", albanian = "sq"
    case icelandic = "is", basque = "eu", galician = "gl", swahili = "sw", welsh = "cy", macedonian = "mk"
    case urdu = "ur", bengali = "bn", tamil = "ta"
    case chinese = "zh", japanese = "ja", thai = "th"

    /// The writing systems detection tells apart before it reads any words.
    package enum Script: Sendable {
        case latin, cyrillic, greek, arabic, hebrew, devanagari, bengali, tamil, hangul, han, kana, thai
    }

    package var script: Script {
        switch self {
        case .russian, .ukrainian, .bulgarian, .serbian, .macedonian: .cyrillic
        case .greek: .greek
        case .arabic, .persian, .urdu: .arabic
        case .hebrew: .hebrew
        case .hindi: .devanagari
        case .bengali: .bengali
        case .tamil: .tamil
        case .korean: .hangul
        case .chinese: .han
        case .japanese: .kana
        case .thai: .thai
        default: .latin
        }
    }

    /// Written without spaces between words: Chinese, Japanese, Thai.
    package var isUnspaced: Bool { self == .chinese || self == .japanese || self == .thai }

    /// How many characters of the language carry about as much text as one Latin letter: a Han
    /// character or a kana stands for about three, so "long enough to be a paragraph" means a third
    /// as many of them.
    var characterWeight: Int {
        switch self {
        case .chinese, .japanese: 3
        default: 1
        }
    }
}

extension Language.Script {
    /// The script of a letter, or nil for one outside the scripts detection knows.
    init?(of scalar: Unicode.Scalar) {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F, 0x1E00...0x1EFF: self = .latin
        case 0x370...0x3FF, 0x1F00...0x1FFF: self = .greek
        case 0x400...0x52F: self = .cyrillic
        case 0x590...0x5FF: self = .hebrew
        case 0x600...0x6FF, 0x750...0x77F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: self = .arabic
        case 0x900...0x97F: self = .devanagari
        case 0x980...0x9FF: self = .bengali
        case 0xB80...0xBFF: self = .tamil
        case 0xE00...0xE7F: self = .thai
        case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: self = .hangul
        case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: self = .kana
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x2FFFF: self = .han
        default: return nil
        }
    }
}
