/// Approximate matches: candidate places from q-gram hits, then banded alignments of the anchor there.
extension Reanchorer {
    // MARK: Approximate

    /// Approximate matches with enough evidence, aligned at the candidate bands; bands holding one
    /// of `known` (exact occurrences, already weighed) are not aligned again.
    static func approximateCandidates(_ query: Query, _ page: FoldedPage, known: [Candidate]) -> [Candidate] {
        let pattern = query.prefix + query.quote + query.suffix
        let m = query.quote.count
        let slack = min(4 + m / 32, maxSlack)
        var candidates: [Candidate] = []
        var work = 0, acceptedVotes = 0
        for (band, votes) in candidateBands(pattern, query, page) {
            // Bands come best first: one with half the votes of a band that gave a match is not
            // worth aligning.
            if votes * 2 < acceptedVotes { break }
            let reach = (band.lowerBound - slack)...(band.upperBound + slack)
            if known.contains(where: { reach.contains($0.range.lowerBound - query.prefix.count) }) {
                acceptedVotes = max(acceptedVotes, votes)
                continue
            }
            if work > 0 && work + pattern.count * (band.count + 2 * slack) > maxAlignmentWork { break }
            work += pattern.count * (band.count + 2 * slack)
            guard let alignment = align(pattern, query, page, band: band) else { continue }
            let range = page.snapped(alignment.range, query)
            let prefix = contextSimilarity(query.prefix, page.units, boundary: range.lowerBound, forward: false)
            let suffix = contextSimilarity(query.suffix, page.units, boundary: range.upperBound, forward: true)
            let recall = Double(alignment.quoteMatches) / Double(m)
            let candidate = Candidate(
                range: range, recall: recall, precision: Double(alignment.quoteMatches) / Double(alignment.range.count),
                startPinned: page.run(query.prefix, at: range.lowerBound, forward: false) >= boundaryRun
                    || page.run(query.quote, at: range.lowerBound, forward: true) >= min(boundaryRun, m),
                endPinned: page.run(query.suffix, at: range.upperBound, forward: true) >= boundaryRun
                    || page.run(query.quote, at: range.upperBound, forward: false) >= min(boundaryRun, m),
                evidence: evidence(query, quote: recall, prefix: prefix, suffix: suffix), isExact: false)
            guard candidate.recall >= minQuoteRecall, candidate.precision >= minQuotePrecision,
                  candidate.startPinned, candidate.endPinned, hasEnoughEvidence(candidate.evidence, query)
            else { continue }
            candidates.append(candidate)
            if candidate.evidence >= 0.9 * Double(query.total) { break }
            acceptedVotes = max(acceptedVotes, votes)
        }
        return candidates
    }

    /// Text bands worth aligning (ranges of the text unit where the pattern's first unit would sit),
    /// best first, with their votes: the densest clusters of q-gram hits of prefix, quote and
    /// suffix, then the old position.
    private static func candidateBands(_ pattern: [UInt32], _ query: Query,
                                       _ page: FoldedPage) -> [(band: ClosedRange<Int>, votes: Int)] {
        let span = min(24 + query.quote.count / 4, maxSpan)
        let (diagonals, offsets) = gramHits(pattern, page.units)
        let h = diagonals.count
        var bands: [(band: ClosedRange<Int>, votes: Int)] = []
        if h > 0 {
            // The window at `left` holds the hits within `span` of hit `left`; it votes with the
            // number of distinct pattern q-grams among them.
            var votes = [Int](repeating: 0, count: h), ends = [Int](repeating: 0, count: h)
            var counts = [Int32](repeating: 0, count: pattern.count)
            var distinct = 0, right = 0, most = 0
            for left in 0..<h {
                while right < h, diagonals[right] <= diagonals[left] + span {
                    if counts[Int(offsets[right])] == 0 { distinct += 1 }
                    counts[Int(offsets[right])] += 1
                    right += 1
                }
                votes[left] = distinct
                ends[left] = right
                most = max(most, distinct)
                counts[Int(offsets[left])] -= 1
                if counts[Int(offsets[left])] == 0 { distinct -= 1 }
            }
            let minVotes = max(3, most / 4)
            while bands.count < maxCandidates {
                var best = -1
                for left in 0..<h where votes[left] >= minVotes && (best < 0 || votes[left] > votes[best]) {
                    best = left
                }
                guard best >= 0 else { break }
                let band = diagonals[best]...diagonals[ends[best] - 1]
                bands.append((band, votes[best]))
                for left in 0..<h
                where diagonals[left] <= band.upperBound + span && diagonals[ends[left] - 1] >= band.lowerBound - span {
                    votes[left] = 0
                }
            }
        }
        let old = query.hint - query.prefix.count
        if !bands.contains(where: { $0.band.overlaps((old - span)...(old + span)) }) {
            bands.append((old...old, 0))
        }
        return bands
    }

    /// Every place a q-gram of `pattern` occurs in `units` (ASCII case ignored), as the text unit
    /// where the pattern would start and the q-gram's offset in the pattern, sorted by that unit.
    private static func gramHits(_ pattern: [UInt32], _ units: [UInt32]) -> (diagonals: [Int], offsets: [Int32]) {
        let q = gramLength, n = units.count
        guard pattern.count >= q, n >= q else { return ([], []) }
        var power: UInt64 = 1
        for _ in 1..<q { power = power &* gramBase }
        // Open-addressing table of the pattern's q-grams: key, first offset, then `next` offsets.
        var bits = 4
        while 1 << bits < 4 * pattern.count { bits += 1 }
        let mask = (1 << bits) - 1
        var keys = [UInt64](repeating: 0, count: mask + 1)
        var heads = [Int32](repeating: -1, count: mask + 1)
        var repeats = [Int](repeating: 0, count: mask + 1), seen = repeats
        var next = [Int32](repeating: -1, count: pattern.count)
        var hash: UInt64 = 0
        for i in 0..<pattern.count {
            if i >= q { hash = hash &- UInt64(caseless(pattern[i - q])) &* power }
            hash = hash &* gramBase &+ UInt64(caseless(pattern[i]))
            guard i >= q - 1 else { continue }
            var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
            while heads[slot] >= 0 && keys[slot] != hash { slot = (slot + 1) & mask }
            guard repeats[slot] < maxGramRepeats else { continue }
            repeats[slot] += 1
            keys[slot] = hash
            next[i - q + 1] = heads[slot]
            heads[slot] = Int32(i - q + 1)
        }
        var hitDiagonals: [Int] = [], hitOffsets: [Int32] = [], hitSlots: [Int] = []
        hash = 0
        for j in 0..<n {
            if j >= q { hash = hash &- UInt64(caseless(units[j - q])) &* power }
            hash = hash &* gramBase &+ UInt64(caseless(units[j]))
            guard j >= q - 1 else { continue }
            var slot = Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - bits))
            while heads[slot] >= 0 && keys[slot] != hash { slot = (slot + 1) & mask }
            var offset = heads[slot]
            guard offset >= 0 else { continue }
            seen[slot] += 1
            guard seen[slot] <= maxGramOccurrences else { continue }
            while offset >= 0 {
                hitDiagonals.append(j - q + 1 - Int(offset))
                hitOffsets.append(offset)
                hitSlots.append(slot)
                offset = next[Int(offset)]
            }
        }
        // Counting sort by diagonal, which lies in -pattern.count..<n.
        var starts = [Int](repeating: 0, count: n + pattern.count + 1)
        for i in 0..<hitDiagonals.count where seen[hitSlots[i]] <= maxGramOccurrences {
            starts[hitDiagonals[i] + pattern.count + 1] += 1
        }
        for d in 1..<starts.count { starts[d] += starts[d - 1] }
        var diagonals = [Int](repeating: 0, count: starts[starts.count - 1])
        var offsets = [Int32](repeating: 0, count: diagonals.count)
        for i in 0..<hitDiagonals.count where seen[hitSlots[i]] <= maxGramOccurrences {
            let at = starts[hitDiagonals[i] + pattern.count]
            diagonals[at] = hitDiagonals[i]
            offsets[at] = hitOffsets[i]
            starts[hitDiagonals[i] + pattern.count] += 1
        }
        return (diagonals, offsets)
    }

    private static let gramBase: UInt64 = 0x0000_0100_0000_01B3

    private static func caseless(_ unit: UInt32) -> UInt32 { (65...90).contains(unit) ? unit + 32 : unit }

    /// Aligns prefix + quote + suffix anywhere inside a diagonal band of the text (edit distance,
    /// free at both ends of the text, with runs of inserted text cheaper per scalar than scattered
    /// edits, so that a clause inserted into the quote stays inside it), and reports where the
    /// quote's units landed.
    private static func align(_ pattern: [UInt32], _ query: Query, _ page: FoldedPage,
                              band: ClosedRange<Int>) -> Alignment? {
        let n = page.units.count
        let m = query.quote.count
        let prefixEnd = query.prefix.count, quoteEnd = prefixEnd + m
        let slack = min(4 + m / 32, maxSlack)
        let low = band.lowerBound - slack
        let width = band.count + 2 * slack
        let blocked = Cell.blocked
        // Two rows of the band; row i holds text columns low + i + k for k in 0..<width.
        var rows = [Cell](repeating: blocked, count: 2 * width)
        let end: Cell? = page.units.withUnsafeBufferPointer { units in
            rows.withUnsafeMutableBufferPointer { cells in
                var previous = 0, current = width
                for k in 0..<width where low + k >= 0 && low + k <= n { cells[k].cost = 0 }
                for i in 1...pattern.count {
                    let c = pattern[i - 1]
                    let inQuote = i - 1 >= prefixEnd && i - 1 < quoteEnd
                    let gapOpen = i > prefixEnd && i < quoteEnd ? gapOpenCost + 1 : gapOpenCost
                    // Columns 0...n exist; column 0 is reached by deletions only.
                    let first = max(0, -low - i), last = min(width - 1, n - low - i)
                    var left = blocked, inserting = blocked
                    var diagonal = cells[previous]
                    for k in 0..<width {
                        let up = k + 1 < width ? cells[previous + k + 1] : blocked
                        defer { diagonal = up }
                        guard k >= first && k <= last else {
                            cells[current + k] = blocked
                            left = blocked
                            continue
                        }
                        let column = low + i + k
                        var best = blocked
                        if column >= 1 && diagonal.cost < blocked.cost {
                            best = diagonal
                            if c != units[column - 1] {
                                best.cost += substitutionCost
                            } else if inQuote {
                                best.quoteMatches += 1
                            }
                            if inQuote {
                                if best.quoteStart < 0 { best.quoteStart = Int32(column - 1) }
                                best.quoteEnd = Int32(column)
                            }
                        }
                        if up.cost + deletionCost < best.cost {
                            best = up
                            best.cost += deletionCost
                        }
                        if left.cost < blocked.cost {
                            if inserting.cost + gapExtendCost < left.cost + gapOpen + gapExtendCost {
                                inserting.cost += gapExtendCost
                            } else {
                                inserting = left
                                inserting.cost += gapOpen + gapExtendCost
                            }
                            if inserting.cost < best.cost { best = inserting }
                        } else {
                            inserting = blocked
                        }
                        cells[current + k] = best
                        left = best
                    }
                    swap(&previous, &current)
                }
                var end: Cell?
                for k in 0..<width where cells[previous + k].cost < (end?.cost ?? blocked.cost) {
                    end = cells[previous + k]
                }
                return end
            }
        }
        guard let end, end.quoteStart >= 0 else { return nil }
        var lower = Int(end.quoteStart), upper = Int(end.quoteEnd)
        while lower < upper, page.units[lower] == space { lower += 1 }
        while upper > lower, page.units[upper - 1] == space { upper -= 1 }
        guard lower < upper else { return nil }
        return Alignment(range: lower..<upper, quoteMatches: Int(end.quoteMatches))
    }
    /// Where an alignment put the quote: units of the folded text, and how many of the quote's
    /// units matched.
    struct Alignment {
        var range: Range<Int>
        var quoteMatches: Int
    }

    /// One cell of the alignment: its cost, and where the quote's units went on the way to it.
    struct Cell {
        var cost: Int32
        var quoteMatches: Int32 = 0
        /// The quote's first aligned text unit and the one past its last; -1 before any.
        var quoteStart: Int32 = -1
        var quoteEnd: Int32 = -1

        static let blocked = Cell(cost: .max / 4)
    }

}
