/// Fast answers to what extraction (the plain-text classifier most) asks of every character and
/// paragraph. Most of a page is ASCII, and for ASCII the answer is one comparison, where
/// `Character.isWhitespace` and `isLetter` look up Unicode properties (a fifth of an
/// extraction's time on a full copied page); and Foundation's `contains` on strings searches
/// through NSString with Unicode equivalence, several times slower than comparing bytes.
extension Character {
    /// `isWhitespace`, from the ASCII value when there is one.
    var isSpace: Bool {
        if let ascii = asciiValue { return ascii == 0x20 || (0x09...0x0d).contains(ascii) }
        return isWhitespace
    }

    /// `isLetter`, from the ASCII value when there is one.
    var isWordLetter: Bool {
        if let ascii = asciiValue { return (0x61...0x7a).contains(ascii | 0x20) }
        return isLetter
    }

    /// A straight or curly apostrophe.
    var isApostrophe: Bool {
        if let ascii = asciiValue { return ascii == 0x27 }
        return self == "’"
    }

    /// `isLetter || isNumber`, from the ASCII value when there is one.
    var isLetterOrDigit: Bool {
        if let ascii = asciiValue { return (0x61...0x7a).contains(ascii | 0x20) || (0x30...0x39).contains(ascii) }
        return isLetter || isNumber
    }
}

extension Unicode.Scalar {
    /// `properties.isWhitespace`, from the value for ASCII.
    var isSpace: Bool {
        isASCII ? value == 0x20 || (0x09...0x0d).contains(value) : properties.isWhitespace
    }
}

extension StringProtocol {
    /// Whether `needle` occurs in this text, compared byte for byte in UTF-8: for the cue words
    /// and phrases the classifier looks for in lowercased text, which are in the composed form
    /// pages use, the same answer as Foundation's `contains`.
    func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { wanted in
            guard let first = wanted.first else { return true }
            let found = utf8.withContiguousStorageIfAvailable { text -> Bool in
                guard text.count >= wanted.count else { return false }
                var index = 0
                let last = text.count - wanted.count
                while index <= last {
                    if text[index] == first {
                        var matched = 1
                        while matched < wanted.count, text[index + matched] == wanted[matched] { matched += 1 }
                        if matched == wanted.count { return true }
                    }
                    index += 1
                }
                return false
            }
            return found ?? String(self).containsBytes(String(decoding: wanted, as: UTF8.self))
        }
    }
}
