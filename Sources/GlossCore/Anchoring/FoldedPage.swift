extension Reanchorer {
    /// A text folded as `QuoteLocator` folds it ("units"), with each unit's scalar offset in the
    /// original.
    struct FoldedPage {
        let units: [UInt32]
        let origins: [Int]

        init(_ text: String) {
            var units: [UInt32] = [], origins: [Int] = []
            units.reserveCapacity(text.utf8.count)
            origins.reserveCapacity(text.utf8.count)
            var other: [UInt32: UInt32] = [:]
            var offset = 0, spaceStart = -1
            for scalar in text.unicodeScalars {
                let folded: UInt32
                if scalar.value < 128 {
                    folded = FoldedPage.ascii[Int(scalar.value)]
                } else if let known = other[scalar.value] {
                    folded = known
                } else {
                    folded = FoldedPage.fold(scalar)
                    other[scalar.value] = folded
                }
                if folded == FoldedPage.whiteSpace {
                    if spaceStart < 0 { spaceStart = offset }
                } else {
                    if spaceStart >= 0, !units.isEmpty {
                        units.append(Reanchorer.space)
                        origins.append(spaceStart)
                    }
                    spaceStart = -1
                    units.append(folded)
                    origins.append(offset)
                }
                offset += 1
            }
            self.units = units
            self.origins = origins
        }

        private static let whiteSpace = UInt32.max
        private static let ascii = (0..<128).map { fold(Unicode.Scalar(UInt8($0))) }
        private static let maxSnap = 24

        /// One scalar folded by `QuoteLocator`'s own rules; `whiteSpace` for white space.
        private static func fold(_ scalar: Unicode.Scalar) -> UInt32 {
            QuoteLocator.foldQuote(String(scalar)).first?.value ?? whiteSpace
        }

        /// Letters and digits.
        static func isWordUnit(_ unit: UInt32) -> Bool {
            if unit < 128 { return (48...57).contains(unit) || (65...90).contains(unit) || (97...122).contains(unit) }
            guard let scalar = Unicode.Scalar(unit) else { return false }
            return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
        }

        /// The first unit whose scalar offset is at least `offset`.
        func unitIndex(atOrAfter offset: Int) -> Int {
            var low = 0, high = origins.count
            while low < high {
                let mid = (low + high) / 2
                if origins[mid] < offset { low = mid + 1 } else { high = mid }
            }
            return low
        }

        /// Scalar range of a unit range that starts and ends on non-space units.
        func scalarRange(_ range: Range<Int>) -> Range<Int> {
            origins[range.lowerBound]..<(origins[range.upperBound - 1] + 1)
        }

        /// Start of every occurrence of `needle`, overlapping ones included (Knuth–Morris–Pratt).
        func occurrences(of needle: [UInt32]) -> [Int] {
            let m = needle.count
            guard m > 0, m <= units.count else { return [] }
            var failure = [Int](repeating: 0, count: m)
            var k = 0
            for i in 1..<max(1, m) {
                while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
                if needle[i] == needle[k] { k += 1 }
                failure[i] = k
            }
            var starts: [Int] = []
            k = 0
            for i in 0..<units.count {
                while k > 0 && units[i] != needle[k] { k = failure[k - 1] }
                if units[i] == needle[k] { k += 1 }
                if k == m {
                    starts.append(i - m + 1)
                    k = failure[k - 1]
                }
            }
            return starts
        }

        /// How many of `pattern`'s units match the text exactly next to unit `boundary`: its first
        /// units after it (`forward`), else its last units before it.
        func run(_ pattern: [UInt32], at boundary: Int, forward: Bool) -> Int {
            var count = 0
            while count < pattern.count {
                let (p, t) = forward ? (count, boundary + count) : (pattern.count - 1 - count, boundary - 1 - count)
                guard t >= 0, t < units.count, units[t] == pattern[p] else { break }
                count += 1
            }
            return count
        }

        /// Whether `range` starts and ends on word boundaries wherever the quote did.
        func respectsWords(_ range: Range<Int>, _ query: Query) -> Bool {
            !(query.startsWord && range.lowerBound > 0 && FoldedPage.isWordUnit(units[range.lowerBound - 1]))
                && !(query.endsWord && range.upperBound < units.count && FoldedPage.isWordUnit(units[range.upperBound]))
        }

        /// `range` widened to whole words (by at most `maxSnap` units a side) where the quote began
        /// or ended a word.
        func snapped(_ range: Range<Int>, _ query: Query) -> Range<Int> {
            var lower = range.lowerBound, upper = range.upperBound
            if query.startsWord {
                let limit = max(0, lower - FoldedPage.maxSnap)
                while lower > limit, FoldedPage.isWordUnit(units[lower - 1]) { lower -= 1 }
            }
            if query.endsWord {
                let limit = min(units.count, upper + FoldedPage.maxSnap)
                while upper < limit, FoldedPage.isWordUnit(units[upper]) { upper += 1 }
            }
            return lower..<upper
        }
    }
}
