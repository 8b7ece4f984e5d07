/// Merges two concurrent edits of a text against their common ancestor.
///
/// The texts are compared as tokens, not lines: a word (a run of letters and digits), a run of
/// white space, or any other single character (punctuation, symbols, emoji). Han and kana
/// characters are one token each, since those scripts put no spaces between words.
///
/// The merge follows diff3: a base token that both sides kept, with nothing inserted next to it,
/// anchors the two versions together. Between anchors, a stretch only one side changed takes
/// that side's text; a stretch both sides changed identically takes it once; a stretch both
/// changed differently is a conflict. So two edits merge cleanly only when at least one token
/// neither side touched lies between them: fixing two different words of a sentence merges,
/// but editing a word on one side and the comma right after it on the other is a conflict, and
/// so are two different insertions at the same place.
enum ThreeWayMerge {
    /// The merged text when the edits touch different parts of the text (or make the same change);
    /// nil when they change the same region differently (a conflict a person must resolve).
    ///
    /// Symmetric in `ours` and `theirs`. Tokens are compared byte for byte, so an accent spelled
    /// precomposed on one side and decomposed on the other counts as a change. A stretch where
    /// one side differs from the base by more than about 2,000 tokens (some 1,000 words) is
    /// compared as a whole, to bound the time: any edit the other side made inside it conflicts.
    static func merge(base: String, ours: String, theirs: String) -> String? {
        if ours.utf8.elementsEqual(theirs.utf8) || theirs.utf8.elementsEqual(base.utf8) { return ours }
        if ours.utf8.elementsEqual(base.utf8) { return theirs }

        var vocabulary = Vocabulary()
        let baseTokens = vocabulary.tokenize(base)
        let ourTokens = vocabulary.tokenize(ours)
        let theirTokens = vocabulary.tokenize(theirs)
        let inOurs = Diff.matches(baseTokens.ids, ourTokens.ids)
        let inTheirs = Diff.matches(baseTokens.ids, theirTokens.ids)

        var merged: [UInt8] = []
        merged.reserveCapacity(max(base.utf8.count, ours.utf8.count, theirs.utf8.count))
        var (b, o, t) = (0, 0, 0)
        let (baseCount, ourCount, theirCount) = (baseTokens.ids.count, ourTokens.ids.count, theirTokens.ids.count)
        while true {
            while b < baseCount, inOurs[b] == o, inTheirs[b] == t {
                merged += baseTokens.text(b..<(b + 1))
                (b, o, t) = (b + 1, o + 1, t + 1)
            }
            if b == baseCount, o == ourCount, t == theirCount { break }

            var anchor = b
            while anchor < baseCount, inOurs[anchor] < 0 || inTheirs[anchor] < 0 { anchor += 1 }
            let ourEnd = anchor < baseCount ? inOurs[anchor] : ourCount
            let theirEnd = anchor < baseCount ? inTheirs[anchor] : theirCount
            let baseChunk = baseTokens.ids[b..<anchor]
            let ourChunk = ourTokens.ids[o..<ourEnd]
            let theirChunk = theirTokens.ids[t..<theirEnd]
            if ourChunk.elementsEqual(baseChunk) {
                merged += theirTokens.text(t..<theirEnd)
            } else if theirChunk.elementsEqual(baseChunk) || theirChunk.elementsEqual(ourChunk) {
                merged += ourTokens.text(o..<ourEnd)
            } else {
                return nil
            }
            (b, o, t) = (anchor, ourEnd, theirEnd)
        }
        return String(decoding: merged, as: UTF8.self)
    }
}

extension ThreeWayMerge {
    /// A text cut into tokens, each numbered so that equal tokens compare as equal integers.
    private struct Tokens {
        var utf8: [UInt8]
        /// Where each token starts in `utf8`, plus the end of the text.
        var starts: [Int] = [0]
        var ids: [Int] = []

        /// The UTF-8 bytes of a run of tokens.
        func text(_ tokens: Range<Int>) -> ArraySlice<UInt8> {
            utf8[starts[tokens.lowerBound]..<starts[tokens.upperBound]]
        }
    }

    /// Numbers tokens consistently across the three texts of one merge.
    private struct Vocabulary {
        private var numbers: [ArraySlice<UInt8>: Int] = [:]

        private enum Kind { case word, space, single }

        /// Cuts `string` into tokens; a token never splits a `Character`, so tokens are valid UTF-8.
        mutating func tokenize(_ string: String) -> Tokens {
            var tokens = Tokens(utf8: Array(string.utf8))
            var end = 0
            var previous: Kind?
            for character in string {
                let kind = Self.kind(of: character)
                if kind == .single || kind != previous, end > 0 { tokens.starts.append(end) }
                end += character.utf8.count
                previous = kind
            }
            if end > 0 { tokens.starts.append(end) }
            tokens.ids.reserveCapacity(tokens.starts.count - 1)
            for index in 0..<(tokens.starts.count - 1) {
                let token = tokens.text(index..<(index + 1))
                if let number = numbers[token] {
                    tokens.ids.append(number)
                } else {
                    tokens.ids.append(numbers.count)
                    numbers[token] = numbers.count
                }
            }
            return tokens
        }

        private static func kind(of character: Character) -> Kind {
            if let ascii = character.asciiValue {
                switch ascii {
                case 0x09...0x0D, 0x20: return .space
                case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return .word
                default: return .single
                }
            }
            if character.isWhitespace { return .space }
            guard character.isLetter || character.isNumber else { return .single }
            let scalar = character.unicodeScalars.first!.value
            let unspaced = (0x3040...0x30FF).contains(scalar)      // hiragana, katakana
                || (0x3400...0x4DBF).contains(scalar)              // CJK extension A
                || (0x4E00...0x9FFF).contains(scalar)              // CJK unified ideographs
                || (0xF900...0xFAFF).contains(scalar)              // CJK compatibility ideographs
                || (0xFF66...0xFF9F).contains(scalar)              // half-width katakana
                || (0x20000...0x3FFFF).contains(scalar)            // CJK extensions B and later
            return unspaced ? .single : .word
        }
    }

    /// Myers' O(ND) difference algorithm, in its linear-space form.
    private struct Diff {
        private let a: UnsafeBufferPointer<Int>
        private let b: UnsafeBufferPointer<Int>
        /// For each index of `a`, the index of `b` it is matched with, or -1.
        private let matched: UnsafeMutableBufferPointer<Int>
        /// Furthest x reached on each diagonal by the forward and the backward search.
        private let forward: UnsafeMutableBufferPointer<Int>
        private let backward: UnsafeMutableBufferPointer<Int>

        /// How many edits each half of a middle-snake search may explore. The search costs about
        /// the square of this, so it bounds the time a heavily rewritten text takes; stretches
        /// rewritten beyond it are compared as wholes, which can only turn a clean merge into a
        /// conflict, never produce a wrong merge.
        static let maximumCost = 1000

        /// A longest common subsequence of `a` and `b` (up to `maximumCost`): for each index of `a`,
        /// the index of `b` it is matched with, or -1 when that element was deleted. Matched indices
        /// increase.
        static func matches(_ a: [Int], _ b: [Int]) -> [Int] {
            var matched = [Int](repeating: -1, count: a.count)
            let size = 2 * min((a.count + b.count + 1) / 2, maximumCost) + 4
            var forward = [Int](repeating: 0, count: size)
            var backward = [Int](repeating: 0, count: size)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    matched.withUnsafeMutableBufferPointer { matched in
                        forward.withUnsafeMutableBufferPointer { forward in
                            backward.withUnsafeMutableBufferPointer { backward in
                                Diff(a: a, b: b, matched: matched, forward: forward, backward: backward)
                                    .match(0, a.count, 0, b.count)
                            }
                        }
                    }
                }
            }
            return matched
        }

        private func match(_ aStart: Int, _ aEnd: Int, _ bStart: Int, _ bEnd: Int) {
            var (aStart, aEnd, bStart, bEnd) = (aStart, aEnd, bStart, bEnd)
            while aStart < aEnd, bStart < bEnd, a[aStart] == b[bStart] {
                matched[aStart] = bStart
                aStart += 1
                bStart += 1
            }
            while aStart < aEnd, bStart < bEnd, a[aEnd - 1] == b[bEnd - 1] {
                aEnd -= 1
                bEnd -= 1
                matched[aEnd] = bEnd
            }
            guard aStart < aEnd, bStart < bEnd,
                  let snake = middleSnake(aStart, aEnd, bStart, bEnd) else { return }
            match(aStart, snake.x, bStart, snake.y)
            for offset in 0..<(snake.u - snake.x) { matched[snake.x + offset] = snake.y + offset }
            match(snake.u, aEnd, snake.v, bEnd)
        }

        /// The middle snake of an optimal edit path from (`aStart`, `bStart`) to (`aEnd`, `bEnd`):
        /// the diagonal run from (x, y) to (u, v) that splits the path's edits in two halves.
        /// The ends must differ (common prefix and suffix already matched), so the path has at
        /// least two edits and both halves are strictly smaller problems. Nil when the path has more
        /// than about twice `maximumCost` edits: the caller then leaves the whole stretch unmatched.
        private func middleSnake(
            _ aStart: Int, _ aEnd: Int, _ bStart: Int, _ bEnd: Int
        ) -> (x: Int, y: Int, u: Int, v: Int)? {
            let n = aEnd - aStart
            let m = bEnd - bStart
            let delta = n - m
            let odd = delta & 1 != 0
            let limit = min((n + m + 1) / 2, Diff.maximumCost)
            let offset = limit + 1
            forward[offset + 1] = 0
            backward[offset + 1] = 0
            for d in 0...limit {
                for k in stride(from: -d, through: d, by: 2) {
                    var x = k == -d || (k != d && forward[offset + k - 1] < forward[offset + k + 1])
                        ? forward[offset + k + 1] : forward[offset + k - 1] + 1
                    var y = x - k
                    let (startX, startY) = (x, y)
                    while x < n, y < m, a[aStart + x] == b[bStart + y] {
                        x += 1
                        y += 1
                    }
                    forward[offset + k] = x
                    let reverseK = delta - k
                    if odd, reverseK >= -(d - 1), reverseK <= d - 1, x + backward[offset + reverseK] >= n {
                        return (aStart + startX, bStart + startY, aStart + x, bStart + y)
                    }
                }
                for k in stride(from: -d, through: d, by: 2) {
                    var x = k == -d || (k != d && backward[offset + k - 1] < backward[offset + k + 1])
                        ? backward[offset + k + 1] : backward[offset + k - 1] + 1
                    var y = x - k
                    let (startX, startY) = (x, y)
                    while x < n, y < m, a[aEnd - 1 - x] == b[bEnd - 1 - y] {
                        x += 1
                        y += 1
                    }
                    backward[offset + k] = x
                    let forwardK = delta - k
                    if !odd, forwardK >= -d, forwardK <= d, x + forward[offset + forwardK] >= n {
                        return (aEnd - x, bEnd - y, aEnd - startX, bEnd - startY)
                    }
                }
            }
            return nil
        }
    }
}
