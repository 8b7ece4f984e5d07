@testable import GlossCore

/// Highlights on the sample articles, each put through one kind of edit, with the place its
/// passage ends up (nil when the edit deleted it).
enum ReanchoringCorpus {
    enum Kind: String, CaseIterable {
        case unchanged, insertBefore, insertAfter, insertInside, deleteAround, typoFix, wordReplaced
        case paragraphMoved, boilerplateAdded, boilerplateRemoved, whitespaceReflow, quotesRetyped, combined
        /// Every paragraph between the first and the passage's (else between it and the last) cut;
        /// only the passage's paragraph left, the text shrunk by about 90%.
        case neighboursDeleted, textShrunk
        /// The passage is gone: its highlight must become an orphan.
        case paragraphDeleted, sentenceDeleted
    }

    struct Case {
        var kind: Kind
        var anchor: TextAnchor
        var text: String
        /// Scalar range of the passage in `text`; nil when it was deleted.
        var truth: Range<Int>?
    }

    enum Verdict { case correct, wrong, orphan }

    struct Report {
        var rows: [Kind: [Verdict: Int]] = [:]
        var methods: [Kind: [Reanchoring.Method: Int]] = [:]
        var wrong = 0, surviving = 0, survivingCorrect = 0, deleted = 0, deletedOrphans = 0

        var count: Int { surviving + deleted }

        mutating func add(_ other: Report) {
            rows.merge(other.rows) { $0.merging($1, uniquingKeysWith: +) }
            methods.merge(other.methods) { $0.merging($1, uniquingKeysWith: +) }
            wrong += other.wrong
            surviving += other.surviving
            survivingCorrect += other.survivingCorrect
            deleted += other.deleted
            deletedOrphans += other.deletedOrphans
        }

        var table: String {
            func cell(_ value: Any, _ width: Int) -> String {
                let s = "\(value)"
                return String(repeating: " ", count: max(0, width - s.count)) + s
            }
            var lines = ["kind                 cases correct wrong orphan   position exact approx"]
            for kind in Kind.allCases {
                guard let row = rows[kind] else { continue }
                let methods = self.methods[kind, default: [:]]
                let count = row.values.reduce(0, +)
                lines.append(kind.rawValue.leftAligned(19) + cell(count, 7) + cell(row[.correct, default: 0], 8)
                             + cell(row[.wrong, default: 0], 6) + cell(row[.orphan, default: 0], 7)
                             + cell(methods[.position, default: 0], 11) + cell(methods[.nearestExact, default: 0], 6)
                             + cell(methods[.approximate, default: 0], 7))
            }
            let rate = surviving == 0 ? 1 : Double(survivingCorrect) / Double(surviving)
            lines.append("surviving passages: \(survivingCorrect)/\(surviving) correct (\(Int(rate * 1000)) per mille), "
                         + "wrong anchors: \(wrong), deleted passages orphaned: \(deletedOrphans)/\(deleted)")
            return lines.joined(separator: "\n")
        }
    }

    static func evaluate(_ cases: [Case]) -> Report {
        var report = Report()
        for item in cases {
            let result = Reanchorer.locate(item.anchor, in: item.text)
            let verdict = verdict(result.range, truth: item.truth)
            report.rows[item.kind, default: [:]][verdict, default: 0] += 1
            if verdict != .orphan { report.methods[item.kind, default: [:]][result.method, default: 0] += 1 }
            if verdict == .wrong { report.wrong += 1 }
            if item.truth == nil {
                report.deleted += 1
                if verdict == .orphan { report.deletedOrphans += 1 }
            } else {
                report.surviving += 1
                if verdict == .correct { report.survivingCorrect += 1 }
            }
        }
        return report
    }

    /// Correct when the found range overlaps the passage by at least 80% of the longer of the two.
    static func verdict(_ found: Range<Int>?, truth: Range<Int>?) -> Verdict {
        guard let found else { return .orphan }
        guard let truth else { return .wrong }
        let overlap = max(0, min(found.upperBound, truth.upperBound) - max(found.lowerBound, truth.lowerBound))
        return Double(overlap) >= 0.8 * Double(max(found.count, truth.count)) && overlap > 0 ? .correct : .wrong
    }

    /// `perKind` cases of every kind on article `article`, from a generator seeded with `seed` and
    /// the article's index (so articles can be generated in any order, or at once).
    static func cases(seed: UInt64, article: Int, perKind: Int) -> [Case] {
        var rng = SplitMix64(seed: seed &+ UInt64(article))
        let base = articles[article].map(Token.words)
        let repeated = repeatedPhrases(base)
        var cases: [Case] = []
        for kind in Kind.allCases {
            for _ in 0..<perKind { cases.append(makeCase(kind, base, repeated, &rng)) }
        }
        return cases
    }

    /// The whole corpus, one article per task.
    static func report(seed: UInt64, perKind: Int) async -> Report {
        await withTaskGroup(of: Report.self) { group in
            for article in articles.indices {
                group.addTask { evaluate(cases(seed: seed, article: article, perKind: perKind)) }
            }
            var total = Report()
            for await part in group { total.add(part) }
            return total
        }
    }

    // MARK: Documents

    enum Token: Hashable {
        case word(Word)
        /// Where the highlighted passage starts and ends.
        case open, close

        static func text(_ text: String) -> Token { .word(Word(text)) }
        static func words(_ line: String) -> [Token] { line.split(separator: " ").map { .text(String($0)) } }
    }

    /// A word as rendered with straight and with curly quotes.
    final class Word: Hashable {
        let text: String
        let curly: String
        let scalars: Int
        let endsSentence: Bool

        init(_ text: String) {
            self.text = text
            var curly = ""
            for (i, scalar) in text.unicodeScalars.enumerated() {
                switch scalar {
                case "\"": curly += i == 0 ? "\u{201C}" : "\u{201D}"
                case "'": curly += "\u{2019}"
                default: curly.unicodeScalars.append(scalar)
                }
            }
            self.curly = curly
            scalars = text.unicodeScalars.count
            endsSentence = ReanchoringCorpus.endsSentence(text)
        }

        static func == (a: Word, b: Word) -> Bool { a.text == b.text }
        func hash(into hasher: inout Hasher) { hasher.combine(text) }
    }

    typealias Document = [[Token]]

    struct Style {
        var curly = false
        var wrapWidth: Int?
        var sentenceSpace = " "
        var paragraphBreak = "\n\n"
    }

    /// The document's text and where the passage is in it (scalar offsets).
    static func render(_ document: Document, _ style: Style) -> (text: String, passage: Range<Int>?) {
        var text = ""
        var offset = 0
        var start: Int?, end: Int?
        var pendingOpen = false
        let paragraphBreak = style.paragraphBreak.unicodeScalars.count
        let sentenceSpace = style.sentenceSpace.unicodeScalars.count
        for (p, paragraph) in document.enumerated() {
            if p > 0 {
                text += style.paragraphBreak
                offset += paragraphBreak
            }
            var column = 0
            var afterSentence: Bool?
            for token in paragraph {
                switch token {
                case .open: pendingOpen = true
                case .close: end = offset
                case .word(let word):
                    if let afterSentence {
                        let width = afterSentence ? sentenceSpace : 1
                        if let wrap = style.wrapWidth, column + width + word.scalars > wrap {
                            text += "\n"
                            offset += 1
                            column = 0
                        } else {
                            text += afterSentence ? style.sentenceSpace : " "
                            offset += width
                            column += width
                        }
                    }
                    if pendingOpen { start = offset; pendingOpen = false }
                    text += style.curly ? word.curly : word.text
                    offset += word.scalars
                    column += word.scalars
                    afterSentence = word.endsSentence
                }
            }
        }
        guard let start, let end else { return (text, nil) }
        return (text, start..<end)
    }

    static func endsSentence(_ word: String) -> Bool {
        let last = word.unicodeScalars.reversed().first { $0 != "\"" && $0 != ")" }
        return last == "." || last == "?" || last == "!"
    }

    /// Paragraph, open index and close index of the passage.
    static func passage(_ document: Document) -> (paragraph: Int, open: Int, close: Int)? {
        for (p, paragraph) in document.enumerated() {
            if let open = paragraph.firstIndex(of: .open), let close = paragraph.firstIndex(of: .close) {
                return (p, open, close)
            }
        }
        return nil
    }

    // MARK: Cases

    static func makeCase(_ kind: Kind, _ base: Document, _ repeated: [(Int, Int, Int)],
                         _ rng: inout SplitMix64) -> Case {
        var document = base
        let (p, first, length) = quoteSpan(base, repeated, &rng)
        document[p].insert(.close, at: first + length)
        document[p].insert(.open, at: first)

        var oldStyle = Style()
        oldStyle.curly = Int.random(in: 0..<4, using: &rng) == 0
        var oldDocument = document
        var newStyle = oldStyle
        var newDocument = document

        switch kind {
        case .unchanged: break
        case .boilerplateAdded: newDocument = withBoilerplate(document, &rng)
        case .boilerplateRemoved: oldDocument = withBoilerplate(document, &rng)
        case .whitespaceReflow:
            if Bool.random(using: &rng) { newStyle = reflowed(oldStyle, &rng) } else { oldStyle = reflowed(oldStyle, &rng) }
        case .quotesRetyped: newStyle.curly = !oldStyle.curly
        case .typoFix: oldDocument = edited(document, .typoFix, &rng)
        case .paragraphDeleted: newDocument.remove(at: p)
        case .sentenceDeleted: newDocument = withoutSentence(document)
        case .neighboursDeleted:
            if p >= 2 {
                newDocument.removeSubrange(1..<p)
            } else if p + 2 < document.count {
                newDocument.removeSubrange((p + 1)..<(document.count - 1))
            }
        case .textShrunk: newDocument = [document[p]]
        case .combined:
            // One edit at the passage and one or two to the whole text. (Two edits at one end of
            // the passage, say a word replaced and words inserted next to it, cannot be told apart
            // from one bigger edit, so where the passage "really" ends would be a matter of taste.)
            let local: [Kind] = [.insertBefore, .insertAfter, .insertInside, .deleteAround, .typoFix, .wordReplaced]
            newDocument = edited(newDocument, local.randomElement(using: &rng)!, &rng)
            for _ in 0..<Int.random(in: 1...2, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: newDocument = withBoilerplate(newDocument, &rng)
                case 1: newStyle = reflowed(newStyle, &rng)
                case 2: newStyle.curly.toggle()
                default: newDocument = edited(newDocument, .paragraphMoved, &rng)
                }
            }
        default: newDocument = edited(document, kind, &rng)
        }

        let old = render(oldDocument, oldStyle)
        let new = render(newDocument, newStyle)
        return Case(kind: kind, anchor: anchored(old.passage!, in: old.text), text: new.text, truth: new.passage)
    }

    /// Paragraph, first word and word count of a passage to highlight: 3–40 words anywhere, or
    /// (one time in four) a phrase the article repeats, sometimes widened by a few words.
    static func quoteSpan(_ document: Document, _ repeated: [(Int, Int, Int)],
                          _ rng: inout SplitMix64) -> (Int, Int, Int) {
        if !repeated.isEmpty, Int.random(in: 0..<4, using: &rng) == 0 {
            var (p, first, length) = repeated.randomElement(using: &rng)!
            if Bool.random(using: &rng) {
                let before = Int.random(in: 0...min(3, first), using: &rng)
                let after = Int.random(in: 0...min(3, document[p].count - first - length), using: &rng)
                first -= before
                length += before + after
            }
            return (p, first, length)
        }
        let p = Int.random(in: 0..<document.count, using: &rng)
        let words = document[p].count
        let longest = min(40, words)
        let length = Bool.random(using: &rng) ? Int.random(in: 3...min(10, longest), using: &rng)
                                              : Int.random(in: 3...longest, using: &rng)
        return (p, Int.random(in: 0...(words - length), using: &rng), length)
    }

    /// Every occurrence of a run of 3–8 words that occurs more than once in the document.
    static func repeatedPhrases(_ document: Document) -> [(Int, Int, Int)] {
        var places: [[Token]: [(Int, Int)]] = [:]
        for (p, paragraph) in document.enumerated() {
            for length in 3...8 where length <= paragraph.count {
                for first in 0...(paragraph.count - length) {
                    places[Array(paragraph[first..<(first + length)]), default: []].append((p, first))
                }
            }
        }
        return places.filter { $0.value.count > 1 }
            .flatMap { phrase, at in at.map { ($0.0, $0.1, phrase.count) } }
            .sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
    }

    /// The anchor `QuoteLocator.anchor` makes: the passage and 32 scalars of context each side.
    static func anchored(_ range: Range<Int>, in source: String) -> TextAnchor {
        var source = source
        return source.withUTF8 { bytes in
            // Byte offsets of scalar offsets `from...to`, counting scalars by their lead bytes.
            func byteOffsets(_ from: Int, _ to: Int) -> [Int] {
                var offsets: [Int] = []
                var scalar = 0
                for i in 0...bytes.count where i == bytes.count || bytes[i] & 0xC0 != 0x80 {
                    if scalar > to { break }
                    if scalar >= from { offsets.append(i) }
                    scalar += 1
                }
                return offsets
            }
            let low = max(0, range.lowerBound - 32)
            let at = byteOffsets(low, range.upperBound + 32)
            func text(_ from: Int, _ to: Int) -> String {
                let a = at[from - low], b = at[min(to - low, at.count - 1)]
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[a..<b]), as: UTF8.self)
            }
            return TextAnchor(exact: text(range.lowerBound, range.upperBound), prefix: text(low, range.lowerBound),
                              suffix: text(range.upperBound, range.upperBound + 32),
                              start: range.lowerBound, end: range.upperBound, contentHash: "old")
        }
    }

    static func edited(_ document: Document, _ kind: Kind, _ rng: inout SplitMix64) -> Document {
        var document = document
        guard let (p, open, close) = passage(document) else { return document }
        let before = open, after = document[p].count - close - 1, inside = close - open - 1
        switch kind {
        case .insertBefore:
            let at = open - Int.random(in: 0...min(4, before), using: &rng)
            document[p].insert(contentsOf: filler(document[p], at, nil, &rng), at: at)
        case .insertAfter:
            let at = close + 1 + Int.random(in: 0...min(4, after), using: &rng)
            document[p].insert(contentsOf: filler(document[p], at, nil, &rng), at: at)
        case .insertInside:
            guard inside >= 2 else { return edited(document, .insertBefore, &rng) }
            let at = open + 1 + Int.random(in: 1..<inside, using: &rng)
            document[p].insert(contentsOf: filler(document[p], at, max(1, inside / 3), &rng), at: at)
        case .deleteAround:
            var removedAfter = false
            if after > 0, before == 0 || Bool.random(using: &rng) {
                let count = Int.random(in: 1...min(6, after), using: &rng)
                let gap = Int.random(in: 0...min(3, after - count), using: &rng)
                document[p].removeSubrange((close + 1 + gap)..<(close + 1 + gap + count))
                removedAfter = true
            }
            if before > 0, !removedAfter || Bool.random(using: &rng) {
                let count = Int.random(in: 1...min(6, before), using: &rng)
                let gap = Int.random(in: 0...min(3, before - count), using: &rng)
                document[p].removeSubrange((open - gap - count)..<(open - gap))
            }
            if before == 0, after == 0, p > 0 {
                document[p - 1].removeLast(min(3, document[p - 1].count - 1))
            }
        case .typoFix:
            let edits = inside >= 12 ? 2 : 1
            for _ in 0..<edits {
                let i = open + 1 + Int.random(in: 0..<inside, using: &rng)
                guard case .word(let word) = document[p][i] else { continue }
                document[p][i] = .text(misspelled(word.text, &rng))
            }
        case .wordReplaced:
            let count = inside >= 14 ? 2 : 1
            for _ in 0..<count {
                let i = open + 1 + Int.random(in: 0..<inside, using: &rng)
                var replacement = replacements.randomElement(using: &rng)!
                if document[p][i] == .text(replacement) { replacement = "several" }
                document[p][i] = .text(replacement)
            }
        case .paragraphMoved:
            guard document.count > 1 else { return document }
            let paragraph = document.remove(at: p)
            var to = Int.random(in: 0..<document.count, using: &rng)
            if to >= p { to += 1 }
            document.insert(paragraph, at: to)
        default: break
        }
        return document
    }

    /// The document without the sentence(s) holding the passage; a paragraph left empty goes too.
    static func withoutSentence(_ document: Document) -> Document {
        var document = document
        guard let (p, open, close) = passage(document) else { return document }
        let paragraph = document[p]
        func ends(_ i: Int) -> Bool {
            if case .word(let word) = paragraph[i] { return word.endsSentence }
            return false
        }
        var start = open
        while start > 0, !ends(start - 1) { start -= 1 }
        var end = close
        while end < paragraph.count - 1, !ends(end) || end < close { end += 1 }
        document[p].removeSubrange(start...end)
        if !document[p].contains(where: { if case .word = $0 { true } else { false } }) { document.remove(at: p) }
        return document
    }

    static func withBoilerplate(_ document: Document, _ rng: inout SplitMix64) -> Document {
        func paragraph(_ rng: inout SplitMix64) -> [Token] {
            Token.words(boilerplate.randomElement(using: &rng)!)
        }
        var document = document
        for _ in 0..<Int.random(in: 1...2, using: &rng) { document.insert(paragraph(&rng), at: 0) }
        if Bool.random(using: &rng) {
            document.insert(paragraph(&rng), at: Int.random(in: 1...document.count, using: &rng))
        }
        if Bool.random(using: &rng) { document.append(paragraph(&rng)) }
        return document
    }

    static func reflowed(_ style: Style, _ rng: inout SplitMix64) -> Style {
        var style = style
        style.wrapWidth = Int.random(in: 50...80, using: &rng)
        style.sentenceSpace = Bool.random(using: &rng) ? "  " : " "
        style.paragraphBreak = ["\n\n", "\n", "\n \n", "\r\n\r\n"].randomElement(using: &rng)!
        return style
    }

    /// Words to insert at `index` of `paragraph` (at most `limit`), chosen so that they neither
    /// start with the word after that place nor end with the word before it: otherwise the
    /// insertion could as well have happened one word over, and the passage's true end is moot.
    static func filler(_ paragraph: [Token], _ index: Int, _ limit: Int?, _ rng: inout SplitMix64) -> [Token] {
        let before = paragraph[..<index].last { $0 != .open && $0 != .close }
        let after = paragraph[index...].first { $0 != .open && $0 != .close }
        while true {
            let clause = Token.words(clauses.randomElement(using: &rng)!)
            let words = Array(clause.prefix(limit ?? clause.count))
            if words.first != after && words.last != before { return words }
        }
    }

    /// One or two character edits to a word: substitution, deletion, insertion or transposition.
    static func misspelled(_ word: String, _ rng: inout SplitMix64) -> String {
        var characters = Array(word)
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        for _ in 0..<Int.random(in: 1...2, using: &rng) {
            let i = Int.random(in: 0..<characters.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: characters[i] = letters.randomElement(using: &rng)!
            case 1 where characters.count > 1: characters.remove(at: i)
            case 2: characters.insert(letters.randomElement(using: &rng)!, at: i)
            default:
                if i + 1 < characters.count { characters.swapAt(i, i + 1) } else { characters.append("s") }
            }
        }
        return String(characters)
    }

    // MARK: Material

    static let clauses = [
        "officials confirmed on Wednesday,", "according to people familiar with the matter,", "in a brief statement",
        "after weeks of delay", "which had been widely expected,", "as first reported by local media,",
        "for the second time this year", "despite earlier assurances", "it emerged", "once again",
        "late on Friday", "in an interview", "it said", "quietly", "by some estimates", "at least",
    ]

    static let replacements = [
        "new", "former", "several", "major", "local", "key", "senior", "early", "late", "large", "small",
        "many", "recent", "public", "further", "announced", "reported", "warned", "the", "a",
    ]

    static let boilerplate = [
        "Advertisement", "Share this article", "Sign up for our morning newsletter to get the day's top stories in your inbox.",
        "Photo: File / Reuters", "Read more: How the storm season is changing life on the coast",
        "This article was updated at 14:05 to include comment from officials.",
        "© 2025 The Daily Ledger. All rights reserved.", "Listen to this article · 4 min",
        "Support independent journalism. Subscribe from €1 a week.",
    ]

    static let articles: [[String]] = [
        [
            "Residents of three coastal towns in the north-east are bracing for another storm season after repair work on the damaged sea wall fell months behind schedule, the regional council said on Tuesday.",
            "The council had promised that the sea wall at Hallam Point would be rebuilt before October, but engineers found that the foundations had been weakened far more than expected during last winter's storms. A revised timetable now puts completion in the spring.",
            "\"We were told it would be finished by the autumn, and now we are being told to wait another winter,\" said Margaret Osei, who runs a guest house a few hundred metres from the sea wall. \"People here are frightened. Some of them have already moved their furniture upstairs.\"",
            "According to the regional council, the delay was caused by a shortage of specialised contractors and by a dispute over who should pay for the additional foundation work. The national government has so far committed 12 million pounds to the project, while the regional council has committed 4 million.",
            "Officials said on Tuesday that temporary defences, including rock armour and a line of flood barriers, would be installed along the most exposed stretch of the sea wall by the end of the month. They said the measures would reduce, but not eliminate, the risk of flooding.",
            "The Environment Agency said in a statement that it was working closely with the regional council and that the temporary defences had been designed to withstand a storm of the kind that struck the coast in February. It declined to comment on the dispute over funding.",
            "Last winter, waves overtopped the sea wall on four separate occasions, flooding more than 200 homes and forcing the closure of the coastal road for almost three weeks. Several businesses on the seafront have not reopened.",
            "Local campaigners say the delay is part of a wider pattern. \"Every year there is a new report, a new promise and a new timetable,\" said Tom Aldridge, who chairs the Hallam Point Residents' Association. \"What we never seem to get is a finished wall.\"",
            "The regional council said on Tuesday that it would hold a public meeting next week to explain the revised timetable and to answer questions from residents. It said it remained committed to completing the work as quickly as possible.",
            "Engineers who have studied the coast say that rising sea levels mean the rebuilt sea wall will need further work within two decades. The regional council has commissioned a long-term study of the coastline, which is expected to report next year.",
        ],
        [
            "Talks between the rail operator and the largest train drivers' union resumed on Monday after a three-week pause, raising hopes that a strike planned for the end of the month could still be averted.",
            "The union said in a statement that it had returned to the table \"in good faith\" but that its members remained ready to walk out if the operator did not improve its pay offer. The operator has offered a 4 percent increase this year and 3 percent next year.",
            "Drivers are seeking an increase closer to 7 percent, arguing that their wages have fallen sharply in real terms since 2021. The union said that its members had voted by a large majority to reject the operator's last offer, on a turnout of 81 percent.",
            "A spokesperson for the operator said the talks had been \"constructive\" and that both sides had agreed not to comment on the details while negotiations continued. \"We want a deal that is fair to our staff and affordable for passengers and taxpayers,\" the spokesperson said.",
            "If the strike goes ahead, it would halt almost all services on the network for 48 hours, affecting an estimated 1.2 million journeys a day. Commuter lines into the capital would be hit hardest, the operator said.",
            "Business groups have urged both sides to reach an agreement. The Chamber of Commerce said that the last strike, in March, had cost retailers and restaurants in the city centre tens of millions in lost trade.",
            "The transport minister, Daniel Forde, said on Monday that he was \"encouraged\" that talks had resumed but that the government would not intervene directly in the dispute. \"This is a matter for the operator and the union,\" he told reporters.",
            "The union said that any agreement would have to include commitments on rest breaks and rostering, not only on pay. Drivers have complained that changes to schedules introduced last year left some of them working six days in a row.",
            "Talks are expected to continue on Wednesday. The union said it would give the operator until Friday to make an improved offer before confirming the strike dates.",
        ],
        [
            "Hospital admissions rise sharply during heat waves, even in regions with mild climates, according to a study published on Thursday that analysed records from more than 400 hospitals over two decades.",
            "The researchers found that admissions for kidney disease, heart failure and respiratory infections increased by between 8 and 15 percent on days when temperatures were in the top 5 percent for the time of year. The effect was strongest among people over 75.",
            "\"What surprised us was how quickly the effect appears,\" said Dr. Priya Raman, an epidemiologist who led the study. \"Admissions begin to climb on the first hot day, not after several days of heat, which means the warning systems we have may be too slow.\"",
            "The researchers found that the increase was larger in cities than in rural areas, which they attributed in part to the urban heat island effect, in which buildings and roads absorb heat during the day and release it at night.",
            "The study also found that admissions remained elevated for up to four days after temperatures returned to normal. The researchers said this suggested that some patients were being harmed by heat but were not seeking care until their condition worsened.",
            "Health officials have been criticised for relying on heat warnings that are issued only when high temperatures are forecast to last for several days. Dr. Raman said the findings showed that a single hot day could be dangerous for vulnerable people.",
            "Not everyone was convinced. Professor Alan Whitfield, a statistician who was not involved in the research, said that hospital records could be affected by changes in how conditions were coded over time. \"The direction of the effect is plausible, but I would treat the exact numbers with caution,\" he said.",
            "The researchers found that the rise in admissions had grown over the study period, even after adjusting for the ageing of the population. They said that this was consistent with heat waves becoming more frequent and more intense.",
            "The authors called for heat warnings to be issued earlier and for hospitals to plan for extra demand during heat waves, in the same way that they plan for winter pressures. They also recommended that doctors check on elderly patients living alone when a heat wave is forecast.",
            "The study was funded by a public research council and published in a peer-reviewed medical journal. The researchers said they planned to extend the analysis to include emergency calls and deaths outside hospital.",
        ],
        [
            "Customers of Café Lumière, the fast-growing coffee chain, were unable to pay or collect mobile orders for most of Saturday after an outage in the company's app, which the chain blamed on a faulty software update.",
            "The outage began shortly after 7 a.m., when customers in Paris, Lyon and Zürich reported that the app was showing an error message and that orders placed the evening before had disappeared. By mid-morning, queues had formed outside several branches. ☕️",
            "\"I stood in line for twenty minutes and then was told the tills were down too,\" wrote one customer, José Peña, on social media, adding an emoji of a melting face 🫠. Another customer, Zoë Müller, posted a photo of a handwritten sign reading \"Cash only — désolé!\" with the caption \"Back to 1995 👩‍💻🙃\".",
            "In a statement, Café Lumière said the outage was caused by an update to its payment system that had not been fully tested. \"We are deeply sorry for the inconvenience caused to our customers and our baristas,\" the company said. \"Every affected order will be refunded in full.\"",
            "The company said that about 180,000 orders had been affected and that refunds, averaging €4.50, would be issued automatically within five working days. Customers who paid with vouchers would receive new ones, it said.",
            "The chain, founded in Montréal in 2012 by the brothers Étienne and Loïc Gagné, has expanded rapidly in Europe, opening more than 300 branches in the past three years. Its app, which offers discounts and a loyalty scheme, accounts for almost half of its sales.",
            "Analysts said the outage highlighted the risks of relying so heavily on an app. \"When the app goes down, the whole business goes down,\" said Ingrid Søndergaard, a retail analyst in Copenhagen. \"That is a serious weakness for a company of this size.\"",
            "The company said the app had been fully restored by 6 p.m. on Saturday and that it was reviewing how the update had been approved. It said that no customer data had been lost or exposed. 🔒",
            "By Sunday morning, the queues had gone, but some customers said they were still waiting for refunds from earlier problems. \"This is the third time this year,\" wrote Zoë Müller. \"Fool me once… 🤷🏽‍♀️\"",
        ],
        [
            "The city council voted on Wednesday night to keep all eleven branch libraries open, reversing a proposal that would have closed four of them to save money.",
            "The vote, which passed by 31 to 19, came after a campaign by residents, authors and teachers that gathered more than 40,000 signatures. Dozens of people attended the meeting, many holding signs reading \"Libraries are not a luxury.\"",
            "Under the original proposal, the branches in Northgate, Elm Park, Riverside and St. Anne's would have closed in April, saving about 1.6 million a year. The council said at the time that falling visitor numbers made the closures unavoidable.",
            "Opponents argued that the visitor figures did not reflect how the libraries were actually used. \"People don't just come to borrow books,\" said Fatima Hussain, a librarian at the Riverside branch for eighteen years. \"They come to use the computers, to apply for jobs, to keep warm, to talk to someone.\"",
            "To cover the cost of keeping the branches open, the council voted to reduce opening hours on Mondays and to draw 900,000 from its reserves. Councillors said the reduced hours would be reviewed after a year.",
            "The council leader, Graham Price, said he had changed his mind after visiting each of the four branches. \"I went in thinking the numbers told the whole story,\" he said. \"I came out thinking they told about half of it.\"",
            "Not all councillors were persuaded. \"We are using reserves to avoid a decision we will have to make next year anyway,\" said Councillor Helen Marsh, who voted against the plan. \"That is not a budget, it is a postponement.\"",
            "The campaign group Save Our Libraries welcomed the vote but said it would continue to press the council for longer-term funding. \"Tonight is a relief, not a victory,\" said its chair, Olu Adebayo.",
            "The council voted at the same meeting to raise parking charges in the city centre and to delay the refurbishment of two leisure centres. The full budget will be published next week.",
        ],
        [
            "More than 600,000 people attended the Festival des Lumières in Québec City over the weekend, organisers said on Sunday, making it the largest edition since the event began in 1998.",
            "The festival, which fills the old town with light installations, concerts and street performances, had been scaled back for three years because of budget cuts. This year, the provincial government restored its funding, and organisers said the difference was visible everywhere.",
            "The centrepiece was a projection on the façade of the Château Frontenac by the artist Anaïs Côté, which told the history of the city in twelve minutes of light and sound. Crowds gathered in the square below for every showing, and some people waited more than an hour.",
            "\"It is the first time I have cried at a light show,\" said Renée Lachance, 67, who travelled from Trois-Rivières with her grandchildren. \"It was naïve of me to think it would just be pretty pictures. It was about us.\"",
            "Organisers said that hotels in the old town were fully booked for both nights and that restaurants reported their busiest weekend since the summer. The city's tourism office estimated that the festival brought in about 45 million dollars.",
            "Not everything went smoothly. A concert on Saturday night was cut short because of high winds, and some residents of the old town complained about noise and crowds late into the night. Organisers said they would review the schedule for next year.",
            "The festival's director, Mathieu Bélanger, said he hoped the provincial government would commit to funding the event for several years at a time. \"We cannot plan a festival of this size one year at a time,\" he said. \"Artists need to know we will be here.\"",
            "The culture minister, Sophie Tremblay, said on Sunday that she was \"very proud\" of the festival and that the government would discuss long-term funding with organisers in the coming months. She did not give a figure.",
            "Next year's festival is scheduled for the same weekend in late October. Organisers said on Sunday that they were already talking to artists from France, Brazil and Japan.",
        ],
    ]
}

private extension String {
    func leftAligned(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
