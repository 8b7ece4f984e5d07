/// Where a highlight lands in a new version of its article's text.
struct Reanchoring: Hashable, Sendable {
    enum Method: String, Hashable, Sendable { case position, nearestExact, approximate, orphan }
    var method: Method
    /// Scalar range in the new text; nil for an orphan.
    var range: Range<Int>?
    /// 0…1, how sure (1 for position/nearestExact).
    var confidence: Double

    static let orphan = Reanchoring(method: .orphan, range: nil, confidence: 0)
}

/// Re-locates highlights when their article's text changes (a corrected version, better
/// boilerplate removal).
///
/// Text is compared folded as `QuoteLocator` folds it: a white-space run is one space, curly and
/// straight quotes are equal, and so are hyphens and dashes. A place is taken only on evidence that
/// it is the same passage, not merely the same words: the quote must be found there and, unless the
/// quote is long enough to stand alone, so must much of its context (the anchor's prefix and
/// suffix). When in doubt the highlight becomes an orphan, because a highlight on the wrong passage
/// is worse than one that asks to be placed again.
enum Reanchorer {
    /// Locates `anchor` (made against an older text) in `text`:
    /// 1. the stored position if the quote is still exactly there (whitespace/typography-folded equality is fine);
    /// 2. else an exact search for the quote, the occurrence nearest the old position (prefix/suffix agreement breaks ties);
    /// 3. else an approximate match scored on quote similarity, prefix, suffix and distance from the old position,
    ///    accepted only above a threshold;
    /// 4. else an orphan (range nil).
    ///
    /// Every place is scored by its evidence: how many of the anchor's scalars (quote, prefix and
    /// suffix) it reproduces beyond chance. None with less than `requiredEvidence` is taken, so a
    /// short quote needs its context, and a deleted passage does not land on the same words
    /// elsewhere, with one exception: the quote's only exact occurrence in the text is a place
    /// unless its context contradicts it on both sides (see `sideAgrees`). An exact occurrence whose context agrees on both sides is taken at once (steps 1
    /// and 2); one whose context agrees less competes with the approximate matches of step 3, so
    /// that a lightly edited passage is not lost to a copy of its words. Nearness to the old
    /// position only breaks ties.
    ///
    /// The range starts and ends on the quote's scalars (white space copied at either end of the old
    /// quote is left out). The work is bounded whatever the text: linear passes to fold it, find the
    /// exact occurrences and the q-gram hits, then banded alignments at a few places: the best
    /// always, the others while the cells computed stay within `maxAlignmentWork`.
    static func locate(_ anchor: TextAnchor, in text: String) -> Reanchoring {
        let quote = QuoteLocator.foldQuote(anchor.exact).map(\.value)
        guard !quote.isEmpty else { return .orphan }
        let page = FoldedPage(text)
        guard !page.units.isEmpty else { return .orphan }
        let start = anchor.start + anchor.exact.unicodeScalars.prefix { $0.properties.isWhitespace }.count
        let query = Query(
            quote: quote,
            prefix: Array(foldContext(anchor.prefix, keepingSpaceAtEnd: true).suffix(maxContext)),
            suffix: Array(foldContext(anchor.suffix, keepingSpaceAtEnd: false).prefix(maxContext)),
            start: start, hint: page.unitIndex(atOrAfter: start))
        let exact = exactCandidates(query, page)
        let strong = exact.filter { $0.evidence >= strongEvidence * Double(query.total) }
        if let best = strong.map(\.evidence).max() {
            // `strong` runs nearest first.
            let chosen = strong.first { page.origins[$0.range.lowerBound] == query.start }
                ?? strong.first { $0.evidence >= best - evidenceTolerance }
            if let chosen { return result(chosen, query, page) }
        }
        let approximate = approximateCandidates(query, page, known: exact)
        // Evidence decides; nearness to the old position, then exactness, break ties.
        func score(_ candidate: Candidate) -> Double {
            let distance = Double(abs(candidate.range.lowerBound - query.hint)) / Double(page.units.count)
            return candidate.evidence + 2 * (1 - distance) + (candidate.isExact ? 0.5 : 0)
        }
        guard let best = (exact + approximate).max(by: { score($0) < score($1) }) else { return .orphan }
        return result(best, query, page)
    }

    private static func result(_ candidate: Candidate, _ query: Query, _ page: FoldedPage) -> Reanchoring {
        let range = page.scalarRange(candidate.range)
        guard !candidate.isExact else {
            return Reanchoring(method: range.lowerBound == query.start ? .position : .nearestExact, range: range,
                               confidence: 1)
        }
        return Reanchoring(method: .approximate, range: range,
                           confidence: min(1, candidate.evidence / Double(query.total)))
    }

    // MARK: Tuning

    /// Evidence a place needs, in scalars; an anchor that has less in all needs all of it.
    private static let requiredEvidence = 48.0
    /// Edit similarity that unrelated text of the same length typically reaches.
    private static let chanceSimilarity = 0.4
    /// An exact occurrence with this share of the anchor's scalars in evidence is taken at once.
    private static let strongEvidence = 0.85
    /// Context similarity at which one side bears out the quote's only exact occurrence, and the
    /// context length below which that side must reach the text's end.
    private static let sideSimilarity = 0.85, minSideContext = 16
    /// Occurrences whose evidence is this close to the best count as equally good.
    private static let evidenceTolerance = 4.0
    /// Context scalars used on each side, the nearest to the quote.
    private static let maxContext = 64
    /// Exact occurrences weighed, the nearest to the old position first.
    private static let maxExactCandidates = 64
    /// An approximate match must find at least this share of the quote's scalars, in order, and be
    /// made of at least this share of them.
    private static let minQuoteRecall = 0.5, minQuotePrecision = 0.5
    /// Each end of an approximate match must be pinned down by this many scalars matching exactly
    /// next to it, in the quote or in its context.
    private static let boundaryRun = 6
    /// q-gram length for finding candidate places; q-grams occurring more often than
    /// `maxGramOccurrences` in the text do not vote, and each counts at most `maxGramRepeats` times
    /// in the pattern.
    private static let gramLength = 5, maxGramOccurrences = 48, maxGramRepeats = 8
    /// Places aligned per search, besides the old position.
    private static let maxCandidates = 4
    /// Bounds on a band's width: how far the quote's later part may shift against its start (text
    /// inserted or deleted inside it), and the margin around the q-gram hits.
    private static let maxSpan = 128, maxSlack = 64
    /// Alignment cells computed per search, the best band aside (the bound for very long quotes).
    private static let maxAlignmentWork = 4_000_000
    /// Alignment costs in half edits: a run of L inserted scalars costs (2 + L) / 2 edits, one more
    /// half edit inside the quote, so that text inserted at either end of the quote stays out of it.
    private static let substitutionCost: Int32 = 2, deletionCost: Int32 = 2
    private static let gapOpenCost: Int32 = 2, gapExtendCost: Int32 = 1

    // MARK: Evidence

    /// How much of the anchor a place reproduces beyond chance, in scalars: the quote's, the
    /// prefix's and the suffix's lengths, each times its agreement. A place with the quote intact
    /// but unrelated context has the quote's length; one with both contexts intact, the anchor's.
    private static func evidence(_ query: Query, quote: Double, prefix: Double?, suffix: Double?) -> Double {
        Double(query.quote.count) * agreement(quote) + Double(query.prefix.count) * agreement(prefix ?? 0)
            + Double(query.suffix.count) * agreement(suffix ?? 0)
    }

    /// 0…1, how far a similarity is above what unrelated text reaches.
    private static func agreement(_ similarity: Double) -> Double {
        max(0, (similarity - chanceSimilarity) / (1 - chanceSimilarity))
    }

    private static func hasEnoughEvidence(_ evidence: Double, _ query: Query) -> Bool {
        evidence >= min(requiredEvidence, Double(query.total)) - 1e-9
    }

    // MARK: Exact

    /// Exact occurrences with enough evidence, nearest to the old position first.
    private static func exactCandidates(_ query: Query, _ page: FoldedPage) -> [Candidate] {
        let m = query.quote.count
        let occurrences = page.occurrences(of: query.quote)
            .filter { page.respectsWords($0..<($0 + m), query) }
            .sorted { abs($0 - query.hint) < abs($1 - query.hint) }
        let isUnique = occurrences.count == 1
        return occurrences.prefix(maxExactCandidates).compactMap { start in
            let prefix = contextSimilarity(query.prefix, page.units, boundary: start, forward: false)
            let suffix = contextSimilarity(query.suffix, page.units, boundary: start + m, forward: true)
            let evidence = evidence(query, quote: 1, prefix: prefix, suffix: suffix)
            guard hasEnoughEvidence(evidence, query)
                || isUnique && (sideAgrees(query.prefix, prefix, page, boundary: start, forward: false)
                    || sideAgrees(query.suffix, suffix, page, boundary: start + m, forward: true))
            else { return nil }
            return Candidate(range: start..<(start + m), recall: 1, precision: 1, startPinned: true, endPinned: true,
                             evidence: evidence, isExact: true)
        }
    }

    /// Whether one side of an anchor's context bears out a place: the text next to it reproduces
    /// the context (`sideSimilarity`), and a context shorter than `minSideContext`, which only the
    /// end of the old text cuts that short, is there exactly with the new text ending where it
    /// ends. (An empty context agrees with a place at the text's edge.)
    private static func sideAgrees(_ context: [UInt32], _ similarity: Double?, _ page: FoldedPage,
                                   boundary: Int, forward: Bool) -> Bool {
        let room = forward ? page.units.count - boundary : boundary
        guard context.count >= minSideContext else {
            return room == context.count && page.run(context, at: boundary, forward: forward) == context.count
        }
        return (similarity ?? 0) >= sideSimilarity
    }

    // MARK: Approximate

    /// Approximate matches with enough evidence, aligned at the candidate bands; bands holding one
    /// of `known` (exact occurrences, already weighed) are not aligned again.
    private static func approximateCandidates(_ query: Query, _ page: FoldedPage, known: [Candidate]) -> [Candidate] {
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

    private static let space = UInt32(32)

    /// An anchor's prefix or suffix folded like the text, keeping the white space between it and the quote.
    private static func foldContext(_ context: String, keepingSpaceAtEnd: Bool) -> [UInt32] {
        var folded = QuoteLocator.foldQuote(context).map(\.value)
        let scalars = context.unicodeScalars
        if keepingSpaceAtEnd, let last = scalars.last, last.properties.isWhitespace {
            folded.append(space)
        } else if !keepingSpaceAtEnd, let first = scalars.first, first.properties.isWhitespace {
            folded.insert(space, at: 0)
        }
        return folded
    }
}

extension Reanchorer {
    /// What is searched for, folded.
    private struct Query {
        var quote: [UInt32]
        var prefix: [UInt32]
        var suffix: [UInt32]
        /// The old start, in scalars, of the quote's first non-space scalar.
        var start: Int
        /// The old start as a unit of the new text.
        var hint: Int

        var total: Int { quote.count + prefix.count + suffix.count }
        /// Whether the quote began at the start of a word, and ended at the end of one.
        var startsWord: Bool {
            FoldedPage.isWordUnit(quote[0]) && !(prefix.last.map(FoldedPage.isWordUnit) ?? false)
        }
        var endsWord: Bool {
            FoldedPage.isWordUnit(quote[quote.count - 1]) && !(suffix.first.map(FoldedPage.isWordUnit) ?? false)
        }
    }

    /// A place the quote may be at now, and how it agrees with the anchor.
    private struct Candidate {
        /// Units of the folded text.
        var range: Range<Int>
        /// Share of the quote's units found there in order, and share of the aligned text they make.
        var recall: Double
        var precision: Double
        /// Whether exact matches next to the start, and to the end, pin them down.
        var startPinned: Bool
        var endPinned: Bool
        var evidence: Double
        /// Whether the quote occurs here exactly (up to folding).
        var isExact: Bool
    }

    /// Where an alignment put the quote: units of the folded text, and how many of the quote's
    /// units matched.
    private struct Alignment {
        var range: Range<Int>
        var quoteMatches: Int
    }

    /// One cell of the alignment: its cost, and where the quote's units went on the way to it.
    private struct Cell {
        var cost: Int32
        var quoteMatches: Int32 = 0
        /// The quote's first aligned text unit and the one past its last; -1 before any.
        var quoteStart: Int32 = -1
        var quoteEnd: Int32 = -1

        static let blocked = Cell(cost: .max / 4)
    }

    /// A text folded as `QuoteLocator` folds it ("units"), with each unit's scalar offset in the
    /// original.
    private struct FoldedPage {
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
