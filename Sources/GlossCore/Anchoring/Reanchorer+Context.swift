/// How well an anchor's prefix and suffix agree with the text next to a place.
extension Reanchorer {
    // MARK: Context

    /// Similarity (0…1) of `context` to the text running outward from unit `boundary`: backward
    /// for a prefix, forward for a suffix. It is one minus the edit distance from the context to
    /// the best-matching text that touches the boundary, over the context's length; nil when there
    /// is no context. (Myers's bit-parallel edit distance with the text's start fixed; at most 64
    /// context units.)
    static func contextSimilarity(_ context: [UInt32], _ units: [UInt32], boundary: Int, forward: Bool) -> Double? {
        let k = context.count
        guard k > 0 else { return nil }
        precondition(k <= 64, "context longer than 64 units")
        // Bit i of a unit's mask says whether the context's i-th unit, read outward, is that unit.
        var keys = [UInt32](repeating: 0, count: 128), masks = [UInt64](repeating: 0, count: 128)
        for i in 0..<k {
            let unit = forward ? context[i] : context[k - 1 - i]
            var slot = Int((unit &* 0x9E37_79B1) >> 25)
            while masks[slot] != 0 && keys[slot] != unit { slot = (slot + 1) & 127 }
            keys[slot] = unit
            masks[slot] |= 1 << UInt64(i)
        }
        let width = max(0, min(forward ? units.count - boundary : boundary, k + k / 2 + 2))
        let last: UInt64 = 1 << UInt64(k - 1)
        var positive: UInt64 = k == 64 ? .max : (1 << UInt64(k)) - 1, negative: UInt64 = 0
        var score = k, best = k
        for j in 0..<width {
            let unit = forward ? units[boundary + j] : units[boundary - 1 - j]
            var slot = Int((unit &* 0x9E37_79B1) >> 25)
            while masks[slot] != 0 && keys[slot] != unit { slot = (slot + 1) & 127 }
            let equal = masks[slot]
            let vertical = equal | negative
            let horizontal = (((equal & positive) &+ positive) ^ positive) | equal
            var up = negative | ~(horizontal | positive)
            var down = positive & horizontal
            if up & last != 0 { score += 1 } else if down & last != 0 { score -= 1 }
            up = (up << 1) | 1
            down <<= 1
            positive = down | ~(vertical | up)
            negative = up & vertical
            best = min(best, score)
        }
        return 1 - Double(best) / Double(k)
    }

    static let space = UInt32(32)

    /// An anchor's prefix or suffix folded like the text, keeping the white space between it and the quote.
    static func foldContext(_ context: String, keepingSpaceAtEnd: Bool) -> [UInt32] {
        var folded = QuoteLocator.foldQuote(context).map(\.value)
        let scalars = context.unicodeScalars
        if keepingSpaceAtEnd, let last = scalars.last, QuoteLocator.isWhitespace(last) {
            folded.append(space)
        } else if !keepingSpaceAtEnd, let first = scalars.first, QuoteLocator.isWhitespace(first) {
            folded.insert(space, at: 0)
        }
        return folded
    }
}
