
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
    /// unless its context contradicts it on both sides (see `sideAgrees`). An exact occurrence
    /// whose context agrees on both sides is taken at once (steps 1 and 2); one whose context
    /// agrees less competes with the approximate matches of step 3, so that a lightly edited
    /// passage is not lost to a copy of its words. Nearness to the old position only breaks ties.
    ///
    /// The range starts and ends on the quote's scalars (white space copied at either end of the old
    /// quote is left out). The work is bounded whatever the text: linear passes to fold it, find the
    /// exact occurrences and the q-gram hits, then banded alignments at a few places: the best
    /// always, the others while the cells computed stay within `maxAlignmentWork`.
    static func locate(_ anchor: TextAnchor, in text: String) -> Reanchoring {
        locate(anchor, in: FoldedPage(text))
    }

    /// Locates `anchor` in a text folded once for many anchors (see `AnchoringText`).
    static func locate(_ anchor: TextAnchor, in page: FoldedPage) -> Reanchoring {
        let quote = QuoteLocator.foldQuote(anchor.exact).map(\.value)
        guard !quote.isEmpty, !page.units.isEmpty else { return .orphan }
        let start = anchor.start + anchor.exact.unicodeScalars.prefix(while: QuoteLocator.isWhitespace).count
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
    static let requiredEvidence = 48.0
    /// Edit similarity that unrelated text of the same length typically reaches.
    static let chanceSimilarity = 0.4
    /// An exact occurrence with this share of the anchor's scalars in evidence is taken at once.
    static let strongEvidence = 0.85
    /// Context similarity at which one side bears out the quote's only exact occurrence, and the
    /// context length below which that side must reach the text's end.
    static let sideSimilarity = 0.85, minSideContext = 16
    /// Occurrences whose evidence is this close to the best count as equally good.
    static let evidenceTolerance = 4.0
    /// Context scalars used on each side, the nearest to the quote.
    static let maxContext = 64
    /// Exact occurrences weighed, the nearest to the old position first.
    static let maxExactCandidates = 64
    /// An approximate match must find at least this share of the quote's scalars, in order, and be
    /// made of at least this share of them.
    static let minQuoteRecall = 0.5, minQuotePrecision = 0.5
    /// Each end of an approximate match must be pinned down by this many scalars matching exactly
    /// next to it, in the quote or in its context.
    static let boundaryRun = 6
    /// q-gram length for finding candidate places; q-grams occurring more often than
    /// `maxGramOccurrences` in the text do not vote, and each counts at most `maxGramRepeats` times
    /// in the pattern.
    static let gramLength = 5, maxGramOccurrences = 48, maxGramRepeats = 8
    /// Places aligned per search, besides the old position.
    static let maxCandidates = 4
    /// Bounds on a band's width: how far the quote's later part may shift against its start (text
    /// inserted or deleted inside it), and the margin around the q-gram hits.
    static let maxSpan = 128, maxSlack = 64
    /// Alignment cells computed per search, the best band aside (the bound for very long quotes).
    static let maxAlignmentWork = 4_000_000
    /// Alignment costs in half edits: a run of L inserted scalars costs (2 + L) / 2 edits, one more
    /// half edit inside the quote, so that text inserted at either end of the quote stays out of it.
    static let substitutionCost: Int32 = 2, deletionCost: Int32 = 2
    static let gapOpenCost: Int32 = 2, gapExtendCost: Int32 = 1

    // MARK: Evidence

    /// How much of the anchor a place reproduces beyond chance, in scalars: the quote's, the
    /// prefix's and the suffix's lengths, each times its agreement. A place with the quote intact
    /// but unrelated context has the quote's length; one with both contexts intact, the anchor's.
    static func evidence(_ query: Query, quote: Double, prefix: Double?, suffix: Double?) -> Double {
        Double(query.quote.count) * agreement(quote) + Double(query.prefix.count) * agreement(prefix ?? 0)
            + Double(query.suffix.count) * agreement(suffix ?? 0)
    }

    /// 0…1, how far a similarity is above what unrelated text reaches.
    static func agreement(_ similarity: Double) -> Double {
        max(0, (similarity - chanceSimilarity) / (1 - chanceSimilarity))
    }

    static func hasEnoughEvidence(_ evidence: Double, _ query: Query) -> Bool {
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

}

extension Reanchorer {
    /// What is searched for, folded.
    struct Query {
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
    struct Candidate {
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

}
