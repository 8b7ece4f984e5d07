/// Fast answers to what extraction (the plain-text classifier most) asks of every character and
/// paragraph. Most of a page is ASCII, and for ASCII the answer is one comparison, where
/// `Character.isWhitespace` and `isLetter` look up Unicode properties (a fifth of an
/// extraction's time on a full copied page); and Foundation's `contains` on strings searches
/// through NSString with Unicode equivalence, several times slower than comparing bytes.
extension Character {
    /// `isWhitespace`, from the ASCII value when there is one.
    var isSpace: Bool {
        if let ascii = asciiValue { return ASCII.isSpace(ascii) }
        return isWhitespace
    }

    /// `isLetter`, from the ASCII value when there is one.
    var isWordLetter: Bool {
        if let ascii = asciiValue { return ASCII.isLetter(ascii) }
        return isLetter
    }

    /// A straight or curly apostrophe.
    var isApostrophe: Bool {
        if let ascii = asciiValue { return ascii == 0x27 }
        return self == "’"
    }

    /// `isLetter || isNumber`, from the ASCII value when there is one.
    var isLetterOrDigit: Bool {
        if let ascii = asciiValue { return ASCII.isLetter(ascii) || ASCII.isDigit(ascii) }
        return isLetter || isNumber
    }
}

extension Unicode.Scalar {
    /// `properties.isWhitespace`, from the value for ASCII.
    var isSpace: Bool {
        isASCII ? ASCII.isSpace(UInt8(value)) : properties.isWhitespace
    }

    /// `Character.isLetterOrDigit` of the character this scalar is alone (`Character.isLetter`
    /// and `isNumber` read a character's first scalar).
    var isLetterOrDigit: Bool {
        if isASCII { return ASCII.isLetter(UInt8(value)) || ASCII.isDigit(UInt8(value)) }
        return properties.isAlphabetic || properties.numericType != nil
    }
}

extension String {
    /// This text's lines, as `split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)`
    /// gives them, found by their bytes: a newline is always a character of its own (a carriage
    /// return joins only the line feed after it), so no character boundary need be looked for.
    var newlineSeparatedLines: [Substring] {
        var lines: [Substring] = []
        let bytes = utf8
        var start = bytes.startIndex
        var index = start
        // The bytes after `index`, while there are any.
        func byte(after offset: Int) -> UInt8? {
            var next = index
            for _ in 0..<offset {
                bytes.formIndex(after: &next)
                if next == bytes.endIndex { return nil }
            }
            return bytes[next]
        }
        while index < bytes.endIndex {
            let width: Int
            switch bytes[index] {
            case 0x0A, 0x0B, 0x0C: width = 1
            case 0x0D: width = byte(after: 1) == 0x0A ? 2 : 1
            case 0xC2: width = byte(after: 1) == 0x85 ? 2 : 0  // U+0085
            case 0xE2: width = byte(after: 1) == 0x80 && (byte(after: 2) == 0xA8 || byte(after: 2) == 0xA9) ? 3 : 0  // U+2028, U+2029
            default: width = 0
            }
            guard width > 0 else {
                bytes.formIndex(after: &index)
                continue
            }
            lines.append(self[start..<index])
            index = bytes.index(index, offsetBy: width)
            start = index
        }
        lines.append(self[start..<endIndex])
        return lines
    }
}

extension StringProtocol {
    /// Whether each character of this text is one Unicode scalar that never joins its
    /// neighbours into a character: ASCII but a carriage return (which joins a line feed),
    /// Latin, Greek and Cyrillic letters without combining marks, and the common spaces, punctuation,
    /// currency and letterlike signs. Then the text's scalars are its characters, and a rule
    /// may read the scalars, which is much cheaper than finding character boundaries.
    var isSimple: Bool {
        unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x0D: false
            case 0x00...0x7F, 0xA0...0x2FF, 0x370...0x3FF, 0x400...0x482, 0x48A...0x52F, 0x1E00...0x1FFF,
                 0x2000...0x200A, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0, 0x2100...0x218F: true
            default: false
            }
        }
    }

    /// The first `limit` whitespace-separated pieces of this text, split between Unicode scalars
    /// (`Unicode.Scalar.isSpace`): the pieces `split(whereSeparator: \.isSpace)` gives but
    /// where a space carries a combining mark, and only as many as are asked for.
    func spacedPieces(limit: Int = .max) -> [SubSequence] {
        var pieces: [SubSequence] = []
        var start: Index?
        var index = unicodeScalars.startIndex
        while index < unicodeScalars.endIndex, pieces.count < limit {
            if unicodeScalars[index].isSpace {
                if let first = start { pieces.append(self[first..<index]) }
                start = nil
            } else if start == nil {
                start = index
            }
            unicodeScalars.formIndex(after: &index)
        }
        if let first = start, pieces.count < limit { pieces.append(self[first..<endIndex]) }
        return pieces
    }

    /// Whether `needle` occurs in this text, compared byte for byte in UTF-8: for the cue words
    /// and phrases the classifier looks for in lowercased text, which are in the composed form
    /// pages use, the same answer as Foundation's `contains`.
    func containsBytes(_ needle: String) -> Bool {
        var needle = needle
        return needle.withUTF8 { wanted in
            guard !wanted.isEmpty else { return true }
            let found = utf8.withContiguousStorageIfAvailable { text in ByteSearch.find(wanted, in: text, from: 0) != nil }
            return found ?? String(self).containsBytes(String(decoding: wanted, as: UTF8.self))
        }
    }
}

/// The character classes of ASCII bytes, as `Character.isSpace`, `isWordLetter` and
/// `lowercased()` answer them for the one-byte characters.
enum ASCII {
    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0d).contains(byte) }
    static func isLetter(_ byte: UInt8) -> Bool { (0x61...0x7a).contains(byte | 0x20) }
    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    static func lowercased(_ byte: UInt8) -> UInt8 { (0x41...0x5a).contains(byte) ? byte | 0x20 : byte }
}

/// Finding a run of bytes in others, for searches that compare bytes (cue words in lowercased
/// text, class-name words in ASCII attributes).
enum ByteSearch {
    /// The first offset at or after `start` where `pattern` occurs in `bytes`; nil when it does
    /// not (or `pattern` is empty).
    static func find<Pattern: RandomAccessCollection<UInt8>, Bytes: RandomAccessCollection<UInt8>>(
        _ pattern: Pattern, in bytes: Bytes, from start: Int) -> Int? where Pattern.Index == Int, Bytes.Index == Int {
        guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
        var index = start
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first {
                var offset = 1
                while offset < pattern.count, bytes[index + offset] == pattern[offset] { offset += 1 }
                if offset == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }
}
