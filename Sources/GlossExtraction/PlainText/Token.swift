extension PlainTextExtractor {
    /// A word, a number or a single symbol of a line, for the pattern checks the features make.
    struct Token {
        enum Kind { case word, number, symbol }

        let kind: Kind
        /// A slice of the scanned text, so its indices locate the token there.
        let text: Substring
        let spaceBefore: Bool

        /// Words keep inner apostrophes ("don't"); numbers keep inner separators ("1,500", "13.90").
        static func scan(_ text: Substring) -> [Token] {
            var tokens: [Token] = []
            var index = text.startIndex
            var space = true
            func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }
            while index < text.endIndex {
                let character = text[index]
                if character.isSpace {
                    space = true
                    index = text.index(after: index)
                    continue
                }
                let start = index
                let kind: Kind
                index = text.index(after: index)
                if character.isWordLetter {
                    kind = .word
                    while index < text.endIndex {
                        let next = text.index(after: index)
                        if text[index].isWordLetter {
                            index = next
                        } else if text[index].isApostrophe, next < text.endIndex, text[next].isWordLetter {
                            index = text.index(after: next)
                        } else {
                            break
                        }
                    }
                } else if isDigit(character) {
                    kind = .number
                    while index < text.endIndex {
                        let next = text.index(after: index)
                        if isDigit(text[index]) {
                            index = next
                        } else if text[index] == "." || text[index] == ",", next < text.endIndex, isDigit(text[next]) {
                            index = text.index(after: next)
                        } else {
                            break
                        }
                    }
                } else {
                    kind = .symbol
                }
                tokens.append(Token(kind: kind, text: text[start..<index], spaceBefore: space))
                space = false
            }
            return tokens
        }
    }
}
