import Foundation

extension PlainTextExtractor {
    /// One paragraph with the features the classifier reads.
    struct Paragraph {
        let text: String
        /// Lines of one blank-line separated block share a number.
        var block: Int
        /// Characters, those of a language written without spaces weighted as `Language.characterWeight` says.
        let length: Int
        let tokens: [Token]
        /// Words, or for a language written without spaces their equivalent in characters.
        let wordCount: Int
        /// The share of the words (or characters) that are the language's function words.
        let stopwordDensity: Double
        let stoplist: Stoplist
        /// `text` lowercased, which several rules search for cue words.
        let lowercased: String
        /// Whether `text` is ASCII and its features were read from its bytes (a hint for the
        /// rules' fast paths: false says nothing).
        let isASCII: Bool

        init(text: String, block: Int, stoplist: Stoplist = .english) {
            self.text = text
            terminal = text.reversed().first { !Self.closings.contains($0) }
            self.block = block
            self.stoplist = stoplist
            // Most paragraphs of most pages are ASCII, read by their bytes: the same features,
            // without finding character boundaries or mapping case through Unicode tables.
            // (A language written without spaces counts its words otherwise, below.)
            let asciiFeatures = stoplist.language.isUnspaced ? nil : text.utf8.withContiguousStorageIfAvailable { bytes in
                // A carriage return joins a line feed into one character, so it goes the long way.
                bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D }
                    ? (lowercased: String(decoding: bytes.lazy.map(ASCII.lowercased), as: UTF8.self), length: bytes.count,
                       share: Self.stopwordShare(ofASCII: bytes, stoplist))
                    : nil
            }
            if let features = asciiFeatures ?? nil {
                isASCII = true
                lowercased = features.lowercased
                length = features.length
                (wordCount, stopwordDensity) = features.share
                tokens = Token.scanASCII(text[...])
                return
            }
            isASCII = false
            lowercased = text.lowercased()
            let simple = text.isSimple
            tokens = simple ? Token.scanScalars(text[...]) : Token.scanCharacters(text[...])
            if let share = stoplist.unspacedShare(of: text) {
                // Two Han or kana characters (four Thai ones) make about one word.
                let perWord = stoplist.language == .thai ? 4 : 2
                // Pieces written in another script ("Cookie", "LINE") count as words of their own.
                let unspaced: Set<Language.Script> = [.han, .kana, .thai]
                let otherWords = text.split(whereSeparator: \.isSpace).filter { piece in
                    piece.contains(where: \.isLetter)
                        && !piece.unicodeScalars.contains { Language.Script(of: $0).map(unspaced.contains) == true }
                }.count
                wordCount = otherWords + (share.letters + perWord - 1) / perWord
                length = text.count + share.letters * (stoplist.language.characterWeight - 1)
                stopwordDensity = share.letters == 0 ? 0 : Double(share.function) / Double(share.letters)
                return
            }
            length = text.count
            // Words as jusText counts them: whitespace-separated, so "U.S." is one word.
            var words = 0
            var stopwords = 0
            // A simple text's pieces and their letters and digits by scalar (its scalars are its characters).
            let pieces = simple ? text.spacedPieces() : text.split(whereSeparator: \.isSpace)
            for piece in pieces where simple ? piece.unicodeScalars.contains(where: \.isLetterOrDigit) : piece.contains(where: \.isLetterOrDigit) {
                words += 1
                if stoplist.words.contains(LanguageDetector.normalizedWord(piece)) {
                    stopwords += 1
                }
            }
            wordCount = words
            stopwordDensity = words == 0 ? 0 : Double(stopwords) / Double(words)
        }

        /// The word count and stopword share of an ASCII text, as `init` counts them for any text:
        /// whitespace-separated pieces with a letter or digit, each looked up as
        /// `LanguageDetector.normalizedWord` spells it. A word longer than the stoplist's longest
        /// is not built.
        static func stopwordShare(ofASCII bytes: UnsafeBufferPointer<UInt8>, _ stoplist: Stoplist) -> (words: Int, density: Double) {
            var words = 0
            var stopwords = 0
            var index = 0
            while index < bytes.count {
                guard !ASCII.isSpace(bytes[index]) else {
                    index += 1
                    continue
                }
                let start = index
                while index < bytes.count, !ASCII.isSpace(bytes[index]) { index += 1 }
                let piece = bytes[start..<index]
                guard piece.contains(where: { ASCII.isLetter($0) || ASCII.isDigit($0) }) else { continue }
                words += 1
                if let word = LanguageDetector.normalizedWord(ascii: piece, longest: stoplist.longestWord), stoplist.words.contains(word) {
                    stopwords += 1
                }
            }
            return (words, words == 0 ? 0 : Double(stopwords) / Double(words))
        }

        var words: [Substring] { tokens.filter { $0.kind == .word }.map(\.text) }

        /// `words`, each lowercased (an ASCII one by its bytes, without copying it first).
        var lowercasedWords: [String] {
            tokens.compactMap { token in
                guard token.kind == .word else { return nil }
                return isASCII ? String(decoding: token.text.utf8.lazy.map(ASCII.lowercased), as: UTF8.self) : token.text.lowercased()
            }
        }

        /// Words that are not stopwords, lowercased.
        var contentWords: [String] {
            lowercasedWords.filter { !stoplist.words.contains($0) }
        }

        /// Marks that end a sentence, in the scripts detection knows.
        static let sentenceEnds: Set<Character> = [".", "!", "?", "…", "。", "！", "？", "．", "।", "؟", "۔"]
        /// Marks that end a clause: a line ending so runs on.
        static let clauseEnds: Set<Character> = [":", ";", ",", "、", "，", "：", "；", "،"]

        /// The last character before any closing quotes or brackets.
        let terminal: Character?
        static let closings: Set<Character> = ["\"", "'", "”", "’", ")", "]", "»"]

        var startsWithBullet: Bool {
            // Most lines start with an ASCII byte that is no bullet, told without reading a character.
            guard let lead = text.utf8.first, lead >= 0x80 || lead == UInt8(ascii: "*") || lead == UInt8(ascii: "-"),
                  let first = text.first, Self.bullets.contains(first) else { return false }
            return text.dropFirst().first == " "
        }
        static let bullets: Set<Character> = ["•", "·", "▪", "●", "◦", "‣", "*", "-", "–", "—"]

        var hasLowercaseWord: Bool { words.contains { $0.first?.isLowercase == true } }

        var isSentence: Bool {
            guard let terminal, Self.sentenceEnds.contains(terminal), wordCount >= 3,
                  let first = text.first(where: { $0.isLetter || $0.isNumber }) else { return false }
            return first.isUppercase || first.isNumber || !first.isCased
        }

        /// A short line without a sentence ending, as link lists, menus and price tables are made of;
        /// a line that reads as prose (`isUnpunctuatedProse`) is not one.
        var isListItem: Bool {
            guard length <= 150, wordCount >= 1, !startsWithBullet, let terminal, !isUnpunctuatedProse, !isCode else { return false }
            return terminal == "?" || !(Self.sentenceEnds.contains(terminal) || Self.clauseEnds.contains(terminal))
        }

        /// Eight or more words, mostly lowercase, with prose's share of stopwords: a list item of an
        /// article or a sentence whose full stop the page left out, where link text and headlines are
        /// short, capitalised or thin in function words.
        var isUnpunctuatedProse: Bool {
            guard wordCount >= 8, stopwordDensity >= PlainTextExtractor.stopwordsLow else { return false }
            let cased = words.filter { $0.first?.isCased == true }
            return cased.filter { $0.first?.isLowercase == true }.count * 2 >= cased.count
        }

        /// A line of program source or markup, as a code block lays it out: a code-shaped ending or
        /// opening ("{", "};", "//", a tag) or an assignment or call, with code's share of brackets,
        /// operators and quotes. Code in an article is read in the context of the prose around it.
        /// The ASCII characters code is dense in, by code point.
        static let codeSymbols: [Bool] = {
            var table = Array(repeating: false, count: 128)
            for scalar in "{}()[];=<>\"'/\\$_.:|&*+!#@-".unicodeScalars { table[Int(scalar.value)] = true }
            return table
        }()

        var isCode: Bool {
            guard length <= 300 else { return false }
            // Counted by scalar against an ASCII table: a paragraph is looked at by several rules.
            var symbols = 0
            var visible = 0
            for scalar in text.unicodeScalars where !scalar.isSpace {
                visible += 1
                if scalar.isASCII, Self.codeSymbols[Int(scalar.value)] { symbols += 1 }
            }
            guard visible > 0, symbols * 6 >= visible else { return false }
            let markup = text.hasPrefix("<") && (text.hasSuffix(">") || text.containsBytes("=\""))
                || text.hasSuffix(">") && text.containsBytes("</")
            let shaped = markup || ["{", "}", ";", "[", "(", "=>", "*/"].contains { text.hasSuffix($0) }
                || ["//", "#", "}", ")", "]", "/*", "$ "].contains { text.hasPrefix($0) }
            let operative = [" = ", "();", "()", "=>", "==", "!=", "+=", "->", "::"].contains(where: text.containsBytes)
                || text.hasSuffix("{") || text.hasSuffix(";")
            return markup || shaped && (operative || symbols * 3 >= visible) || operative && symbols * 4 >= visible
        }

        /// A summary broken off with an ellipsis and followed only by interface words ("… Read
        /// more", "… weiterlesen"): a teaser linking to another page, however prose-like it reads.
        var isTruncatedTeaser: Bool {
            // Most paragraphs have no ellipsis, found by bytes.
            guard length <= 400, text.containsBytes("…") || text.containsBytes("...") else { return false }
            // The text after the last ellipsis ("…", or a third full stop in a row).
            var tailStart: String.Index?
            var stops = 0
            for index in text.indices.reversed() {
                let character = text[index]
                if character == "…" || character == "." && stops == 2 {
                    tailStart = text.index(after: index)
                    break
                }
                stops = character == "." ? stops + 1 : 0
            }
            guard let tailStart else { return false }
            let tail = text[tailStart...].split(whereSeparator: { !$0.isLetter }).map { $0.lowercased() }
            return !tail.isEmpty && tail.allSatisfy(Lexicon.interface.contains)
        }

        /// A member of a JSON object as a page shows structured data (`"articleBody": "The …",`):
        /// a quoted key of up to forty characters, a colon, then a value. However prose-like its
        /// value, it is data, read as a line of code is.
        var isJSONMember: Bool {
            guard text.first == "\"" else { return false }
            let key = text.dropFirst().prefix(while: { $0 != "\"" })
            guard (1...40).contains(key.count), !key.contains(" ") else { return false }
            let rest = text.dropFirst(key.count + 2)
            guard rest.first == ":" else { return false }
            return rest.dropFirst().first.map { $0 == " " || "\"[{".contains($0) } ?? true
        }

        /// A short line that opens the readers' comments ("Leave a Reply", "12 comments on …",
        /// "Show comments"), as `Lexicon.commentOpenings` lists them.
        var isCommentsOpening: Bool {
            guard length <= 100, terminal.map(Self.sentenceEnds.contains) != true else { return false }
            // Most lines are ruled out by their first word.
            guard let first = text.spacedPieces(limit: 1).first, Lexicon.commentOpeningFirstWords.contains(Self.commentShape(first)) else {
                return false
            }
            let shaped = text.spacedPieces().map { Self.commentShape($0) }.joined(separator: " ")
            return Lexicon.commentOpenings.contains { opening in
                shaped == opening || shaped.hasPrefix(opening + " ")
            }
        }

        static let punctuationAndSymbols = CharacterSet.punctuationCharacters.union(.symbols)

        /// A piece of a line as comment openings are matched: edge punctuation and symbols
        /// dropped, lowercased, a number as "#" (so "12 comments on" reads "# comments on").
        /// An ASCII piece by its bytes, where punctuation and symbols are the graphic bytes that
        /// are neither letters nor digits.
        static func commentShape(_ piece: Substring) -> String {
            let ascii = piece.utf8.withContiguousStorageIfAvailable { bytes -> String? in
                guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
                let isMark = { (byte: UInt8) in (0x21...0x7e).contains(byte) && !ASCII.isLetter(byte) && !ASCII.isDigit(byte) }
                guard let first = bytes.firstIndex(where: { !isMark($0) }), let last = bytes.lastIndex(where: { !isMark($0) }) else { return "" }
                let word = bytes[first...last]
                return word.allSatisfy(ASCII.isDigit) ? "#" : String(decoding: word.lazy.map(ASCII.lowercased), as: UTF8.self)
            }
            return (ascii ?? nil) ?? commentShape(byCharacters: piece)
        }

        /// `commentShape` of any piece, character by character.
        static func commentShape(byCharacters piece: Substring) -> String {
            let word = piece.trimmingCharacters(in: punctuationAndSymbols)
            return !word.isEmpty && word.allSatisfy(\.isNumber) ? "#" : word.lowercased()
        }

        var isCopyright: Bool {
            guard length <= 200 else { return false }
            return lowercased.hasPrefix("copyright") || lowercased.hasPrefix("(c) ") || text.containsBytes("©")
                || lowercased.containsBytes("all rights reserved")
        }

        var isCaption: Bool {
            if let first = tokens.first, first.text == "FILE", tokens.count > 1, ["-", "–", "—", ":"].contains(tokens[1].text)
                || tokens[1].text == "PHOTO" {
                return true
            }
            if PlainTextExtractor.photoCreditAgency(in: text) != nil { return true }
            guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return false }
            let credit = text[text.index(after: open)...].prefix(while: \.isLetter).lowercased()
            return ["photo", "photograph", "photos", "image", "credit", "picture", "video"].contains(credit)
        }

        /// Prices, subscription periods and discounts on a short line: an offer, not prose.
        var isPromotion: Bool {
            guard length <= 160 else { return false }
            var prices = 0
            var percents = 0
            var periods = 0
            var promotional = 0
            for (index, token) in tokens.enumerated() {
                let previous = index > 0 ? tokens[index - 1] : nil
                let next = index + 1 < tokens.count ? tokens[index + 1] : nil
                switch token.kind {
                case .number:
                    if let previous, Lexicon.currencySymbols.contains(previous.text) || Lexicon.currencyCodes.contains(previous.text) {
                        prices += 1
                    } else if let next, Lexicon.currencySymbols.contains(next.text) || Lexicon.currencyCodes.contains(next.text) {
                        prices += 1
                    }
                    if next?.text == "%" { percents += 1 }
                    if next?.text == "/", index + 2 < tokens.count, Lexicon.periods.contains(tokens[index + 2].text.lowercased()) {
                        periods += 1
                    }
                case .word:
                    if Lexicon.promotion.contains(token.text.lowercased()) { promotional += 1 }
                case .symbol:
                    break
                }
            }
            guard prices + percents > 0 else { return false }
            return prices >= 2 || periods > 0 || promotional > 0 || (!isSentence && wordCount <= 6)
        }

        /// Words addressed to the reader that ask for an action: follow, subscribe, accept cookies.
        var isCallToAction: Bool { isCallToAction(subject: []) }

        /// `isCallToAction`, where the words of `subject` (site furniture that the page is about,
        /// `PlainTextExtractor.furnitureSubject(of:)`) do not mark furniture.
        func isCallToAction(subject: Set<String>) -> Bool {
            // Quoted speech addresses a character in the story, not the reader.
            guard length <= 300, let first = text.first, !Self.openingQuotes.contains(first) else { return false }
            let lowered = lowercasedWords
            guard zip(words, lowered).contains(where: { $0 != "US" && Lexicon.readerPronouns.contains($1) }) else { return false }
            let imperative = text.first?.isLetter == true && lowered.first.map(Lexicon.callsToAction.contains) == true
            let furniture = lowered.contains { Lexicon.siteFurniture.contains($0) && !subject.contains($0) }
            if length > 160 { return imperative && furniture }
            return imperative || furniture
        }

        static let openingQuotes: Set<Character> = ["\"", "“", "„", "«", "‘", "'", "「", "『"]

        /// A notice that the site sets cookies or processes data and asks the reader's consent, in
        /// any of the stoplists' languages: a subject (cookies, a data-protection law) and two cues
        /// (consent, privacy, accept, partners, settings, or their equivalents).
        var isConsentNotice: Bool {
            guard length <= 1_500, namesConsentSubject else { return false }
            var cues = 0
            for cue in Lexicon.consentCues where lowercased.containsBytes(cue) {
                cues += 1
                if cues >= 2 { return true }
            }
            return false
        }

        /// Names cookies or a data-protection law.
        var namesConsentSubject: Bool {
            Lexicon.consentSubjects.contains(where: lowercased.containsBytes)
        }

        /// A short label made mostly of interface words: "Skip to content", "More videos".
        var isInterfaceLabel: Bool {
            guard wordCount <= 6, let terminal, !Self.sentenceEnds.contains(terminal) else { return false }
            let content = contentWords
            let interface = content.filter(Lexicon.interface.contains).count
            return interface > 0 && interface * 2 >= content.count
        }

        var isDateLine: Bool {
            length <= 100 && wordCount <= 12 && PlainTextExtractor.isoDate(in: text) != nil
        }

        var isTitleCandidate: Bool {
            guard (3...200).contains(text.count), words.count >= 2, !startsWithBullet,
                  let terminal, !".:;,。．：；，、".contains(terminal),
                  let first = text.first, first.isUppercase || first.isNumber || (first.isLetter && !first.isCased) || "\"“‘'".contains(first),
                  !Lexicon.byWords(in: stoplist.language).contains(words.first?.lowercased() ?? "") else { return false }
            return !isInterfaceLabel && !isCopyright && !isCaption && !isPromotion && !isDateLine && !isCallToAction
        }
    }
}
