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
            scan(text, text, Classes(isSpace: \.isSpace, isLetter: \.isWordLetter, isDigit: { $0.isASCII && $0.isNumber },
                                     isApostrophe: \.isApostrophe, isNumberSeparator: { $0 == "." || $0 == "," }))
        }

        /// `scan` of a simple text (`isSimple`: each character one scalar), scalar by scalar.
        static func scanScalars(_ text: Substring) -> [Token] {
            scan(text, text.unicodeScalars, Classes(isSpace: \.isSpace, isLetter: \.properties.isAlphabetic,
                                                    isDigit: { (0x30...0x39).contains($0.value) },
                                                    isApostrophe: { $0 == "'" || $0 == "’" }, isNumberSeparator: { $0 == "." || $0 == "," }))
        }

        /// `scan` of an ASCII text, by its bytes (every character is one byte there, and the
        /// character classes are ranges of them).
        static func scanASCII(_ text: Substring) -> [Token] {
            scan(text, text.utf8, Classes(isSpace: ASCII.isSpace, isLetter: ASCII.isLetter, isDigit: ASCII.isDigit, isApostrophe: { $0 == 0x27 },
                                          isNumberSeparator: { $0 == 0x2e || $0 == 0x2c }))
        }

        /// What `scan` asks of each element of the view it reads.
        struct Classes<Element> {
            var isSpace: (Element) -> Bool
            var isLetter: (Element) -> Bool
            var isDigit: (Element) -> Bool
            var isApostrophe: (Element) -> Bool
            var isNumberSeparator: (Element) -> Bool
        }

        /// The tokens of `text`, read through `view` (its characters, scalars or bytes, whose
        /// indices are the text's), each element classed by `classes`.
        private static func scan<View: BidirectionalCollection>(_ text: Substring, _ view: View, _ classes: Classes<View.Element>) -> [Token]
            where View.Index == String.Index {
            var tokens: [Token] = []
            var index = view.startIndex
            var space = true
            while index < view.endIndex {
                let element = view[index]
                if classes.isSpace(element) {
                    space = true
                    index = view.index(after: index)
                    continue
                }
                let start = index
                let kind: Kind
                index = view.index(after: index)
                // A run of letters, or of digits, may go on past one inner joiner followed by
                // another of its kind.
                func run(_ isMember: (View.Element) -> Bool, joinedBy isJoiner: (View.Element) -> Bool) {
                    while index < view.endIndex {
                        let next = view.index(after: index)
                        if isMember(view[index]) {
                            index = next
                        } else if isJoiner(view[index]), next < view.endIndex, isMember(view[next]) {
                            index = view.index(after: next)
                        } else {
                            break
                        }
                    }
                }
                if classes.isLetter(element) {
                    kind = .word
                    run(classes.isLetter, joinedBy: classes.isApostrophe)
                } else if classes.isDigit(element) {
                    kind = .number
                    run(classes.isDigit, joinedBy: classes.isNumberSeparator)
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
