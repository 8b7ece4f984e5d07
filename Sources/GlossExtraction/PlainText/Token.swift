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
            if text.utf8.allSatisfy({ $0 < 0x80 }) { return scanASCII(text) }
            return text.isSimple ? scanScalars(text) : scanCharacters(text)
        }

        /// `scan`, character by character: for any text.
        static func scanCharacters(_ text: Substring) -> [Token] {
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

        /// `scan` of a simple text (`isSimple`: each character one scalar), scalar by scalar.
        static func scanScalars(_ text: Substring) -> [Token] {
            let scalars = text.unicodeScalars
            func isLetter(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isAlphabetic }
            func isDigit(_ scalar: Unicode.Scalar) -> Bool { (0x30...0x39).contains(scalar.value) }
            var tokens: [Token] = []
            var index = scalars.startIndex
            var space = true
            while index < scalars.endIndex {
                let scalar = scalars[index]
                if scalar.isSpace {
                    space = true
                    index = scalars.index(after: index)
                    continue
                }
                let start = index
                let kind: Kind
                index = scalars.index(after: index)
                if isLetter(scalar) {
                    kind = .word
                    while index < scalars.endIndex {
                        let next = scalars.index(after: index)
                        if isLetter(scalars[index]) {
                            index = next
                        } else if scalars[index] == "'" || scalars[index] == "’", next < scalars.endIndex, isLetter(scalars[next]) {
                            index = scalars.index(after: next)
                        } else {
                            break
                        }
                    }
                } else if isDigit(scalar) {
                    kind = .number
                    while index < scalars.endIndex {
                        let next = scalars.index(after: index)
                        if isDigit(scalars[index]) {
                            index = next
                        } else if scalars[index] == "." || scalars[index] == ",", next < scalars.endIndex, isDigit(scalars[next]) {
                            index = scalars.index(after: next)
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

        /// `scan` of an ASCII text, by its bytes (every character is one byte there, and the
        /// character classes are ranges of them): the same tokens, without walking characters.
        static func scanASCII(_ text: Substring) -> [Token] {
            let bytes = text.utf8
            func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7a).contains(byte | 0x20) }
            func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
            var tokens: [Token] = []
            var index = bytes.startIndex
            var space = true
            while index < bytes.endIndex {
                let byte = bytes[index]
                if byte == 0x20 || (0x09...0x0d).contains(byte) {
                    space = true
                    index = bytes.index(after: index)
                    continue
                }
                let start = index
                let kind: Kind
                index = bytes.index(after: index)
                if isLetter(byte) {
                    kind = .word
                    while index < bytes.endIndex {
                        let next = bytes.index(after: index)
                        if isLetter(bytes[index]) {
                            index = next
                        } else if bytes[index] == 0x27, next < bytes.endIndex, isLetter(bytes[next]) {
                            index = bytes.index(after: next)
                        } else {
                            break
                        }
                    }
                } else if isDigit(byte) {
                    kind = .number
                    while index < bytes.endIndex {
                        let next = bytes.index(after: index)
                        if isDigit(bytes[index]) {
                            index = next
                        } else if bytes[index] == 0x2e || bytes[index] == 0x2c, next < bytes.endIndex, isDigit(bytes[next]) {
                            index = bytes.index(after: next)
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
