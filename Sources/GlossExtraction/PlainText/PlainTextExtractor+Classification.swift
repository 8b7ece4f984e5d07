/// The jusText classification: each paragraph classed by its own features, then short and
/// near-good ones by their neighbours, and the body taken as the densest run of good paragraphs.
extension PlainTextExtractor {
    /// The jusText classes; a bad paragraph is further told apart when it is bad only for its low
    /// stopword density (`badProse`) or for a feature of its own (`furniture`: a label, an offer, a
    /// caption), which, unlike a link list, does not cut the text around it in two.
    enum Kind: Equatable {
        case good, nearGood, short, bad, badProse, furniture
    }

    static let lengthLow = 70
    static let lengthHigh = 200
    static let stopwordsLow = 0.30
    static let stopwordsHigh = 0.32

    /// Indices of the paragraphs that make up the article body, in order.
    static func bodyIndices(of paragraphs: [Paragraph]) -> [Int] {
        let listed = linkListMembers(paragraphs)
        let consentIsTheSubject = isAboutConsent(paragraphs)
        let subject = furnitureSubject(of: paragraphs)
        var initial = paragraphs.indices.map {
            contextFreeKind(paragraphs[$0], inLinkList: listed[$0], consentIsTheSubject: consentIsTheSubject, subject: subject)
        }
        for index in teaserSummaries(paragraphs, initial) + cardSummaries(paragraphs, initial) + feedItems(paragraphs, initial) {
            initial[index] = .furniture
        }
        for index in labelledLists(paragraphs, initial) { initial[index] = .furniture }
        for (members, kind) in introducedLists(paragraphs, initial, subject: subject) + bulletedLists(paragraphs, subject: subject) {
            for index in members where initial[index] != .furniture { initial[index] = kind }
        }
        let body = densestRun(endingAtComments(resolvingByContext(initial, paragraphs), paragraphs), paragraphs)
        if !body.isEmpty { return body }
        // No paragraph is long enough to be good on its own: a short article, or a note. Take the
        // near-good ones as good and resolve again; failing that, keep the short sentences.
        let promoted = initial.map { $0 == .nearGood ? Kind.good : $0 }
        let short = densestRun(endingAtComments(resolvingByContext(promoted, paragraphs), paragraphs), paragraphs)
        if !short.isEmpty { return short }
        return paragraphs.indices.filter { initial[$0] == .short && paragraphs[$0].isSentence }
    }

    /// `subject`: the words of site furniture that the page is about (`furnitureSubject(of:)`).
    static func contextFreeKind(_ paragraph: Paragraph, inLinkList: Bool, consentIsTheSubject: Bool = false,
                                subject: Set<String> = []) -> Kind {
        if inLinkList { return .bad }
        if !consentIsTheSubject, paragraph.isConsentNotice { return .furniture }
        if paragraph.isCopyright || paragraph.isCaption || paragraph.isPromotion || paragraph.isCallToAction(subject: subject)
            || paragraph.isInterfaceLabel || paragraph.isDateLine || paragraph.isTruncatedTeaser {
            return .furniture
        }
        if paragraph.length < lengthLow || paragraph.isCode || paragraph.isJSONMember { return .short }
        let density = paragraph.stopwordDensity
        if density >= stopwordsHigh { return paragraph.length > lengthHigh ? .good : .nearGood }
        if density >= stopwordsLow { return .nearGood }
        return .badProse
    }

    /// The longest a teaser's summary runs, in characters.
    static let teaserLength = 250

    /// The summaries of teaser lists: three or more headlines in a row (one to three short lines
    /// that are not sentences, or a question, the last of four words or more) each followed by a
    /// single short paragraph, as "more on this" and section fronts lay out other articles. An
    /// article's own subheadings head several paragraphs or longer ones, and a step or feature
    /// list is headed by a word or two ("Step 3", "Inspector").
    static func teaserSummaries(_ paragraphs: [Paragraph], _ kinds: [Kind]) -> [Int] {
        func isHeadline(_ index: Int) -> Bool {
            let paragraph = paragraphs[index]
            guard paragraph.length <= 150, kinds[index] != .good, kinds[index] != .nearGood else { return false }
            return !paragraph.isSentence || paragraph.terminal == "?" || paragraph.terminal == "？"
        }
        func isSummary(_ index: Int) -> Bool {
            (kinds[index] == .good || kinds[index] == .nearGood) && paragraphs[index].length <= teaserLength
        }
        var summaries: [Int] = []
        var run: [Int] = []
        var index = 0
        while index < paragraphs.count {
            var headlines = 0
            while index + headlines < paragraphs.count, headlines < 3, isHeadline(index + headlines) { headlines += 1 }
            let summary = index + headlines
            if headlines > 0, summary < paragraphs.count, paragraphs[summary - 1].wordCount >= 4, isSummary(summary) {
                run.append(summary)
                index = summary + 1
                continue
            }
            if run.count >= 4 { summaries += run }
            run = []
            index += max(headlines, 1)
        }
        if run.count >= 4 { summaries += run }
        return summaries
    }

    /// The longest a short line that may repeat as a card's chrome runs, in characters.
    static let chromeLength = 60
    /// The longest a card's summary runs, in characters.
    static let cardLength = 700
    /// The most lines of chrome and headline above a card's summary.
    static let maximumCardGap = 8

    /// A lowercased line as chrome is compared: every run of digits one "#", so "12 comments"
    /// and "3 comments" are the same chrome. An ASCII line by its bytes.
    static func chromeShape(_ lowered: String) -> String {
        let ascii = lowered.utf8.withContiguousStorageIfAvailable { bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            for byte in bytes {
                if ASCII.isDigit(byte) {
                    if out.last != UInt8(ascii: "#") { out.append(UInt8(ascii: "#")) }
                } else {
                    out.append(byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return (ascii ?? nil) ?? chromeShape(byCharacters: lowered)
    }

    /// `chromeShape` of any line, character by character.
    static func chromeShape(byCharacters lowered: String) -> String {
        var out = ""
        for character in lowered {
            if character.isNumber {
                if out.last != "#" { out.append("#") }
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The summaries of a feed of cards: paragraphs of prose that stand alone, each right under a
    /// headline of their own and with two or more kinds of repeated short line ("Save",
    /// "12 comments", a source's name) among the few lines, none of them code, since the prose
    /// before them; three or more such on a page.
    /// A recommendation feed or a list of other stories repeats its chrome around every item; an
    /// article repeats a line or two ("Advertisement") between paragraphs that run on together.
    static func cardSummaries(_ paragraphs: [Paragraph], _ kinds: [Kind]) -> [Int] {
        let shapes = paragraphs.map { $0.length <= chromeLength ? chromeShape($0.lowercased) : "" }
        var counts: [String: Int] = [:]
        for shape in shapes where !shape.isEmpty { counts[shape, default: 0] += 1 }
        let isProse = kinds.map { $0 == .good || $0 == .nearGood }
        let isChrome = shapes.map { !$0.isEmpty && counts[$0, default: 0] >= 3 }

        var cards: [Int] = []
        var previousProse = -1
        for index in paragraphs.indices where isProse[index] {
            defer { previousProse = index }
            guard index > previousProse + 1, paragraphs[index].length <= cardLength,
                  index + 1 == paragraphs.count || !isProse[index + 1] else { continue }
            let headline = paragraphs[index - 1]
            guard !isChrome[index - 1], headline.wordCount >= 3, !headline.isSentence || headline.terminal == "?" else { continue }
            // A card's chrome is a few lines; a gap of code or of many lines is a document's own.
            let gap = previousProse + 1..<index
            guard gap.count <= maximumCardGap, !gap.contains(where: { paragraphs[$0].isCode }) else { continue }
            let chrome = Set(gap.filter { isChrome[$0] }.map { shapes[$0] })
            if chrome.count >= 2 { cards.append(index) }
        }
        return cards.count >= 3 ? cards : []
    }

    /// How many lines that open with a clock time make a feed.
    static let feedTimes = 4

    /// The items of a live feed, of timestamped comments or of a picture gallery beside an article:
    /// from the first to the last of four or more lines that open with a clock time ("13:54 …",
    /// "6:32 PM") or with a counter out of one total ("1/50 …", "2/50 …"), the prose and those
    /// lines. Only when as much good text as a short article stays outside: a page whose prose is
    /// all feed is a live blog, and the feed is its article.
    static func feedItems(_ paragraphs: [Paragraph], _ kinds: [Kind]) -> [Int] {
        let isProse = kinds.map { $0 == .good || $0 == .nearGood }
        var counted: [String: [Int]] = [:]
        for index in paragraphs.indices {
            if let total = counterTotal(opening: paragraphs[index].text) { counted[total, default: []].append(index) }
        }
        let timed = paragraphs.indices.filter { opensWithClockTime(paragraphs[$0].text) }
        var items: [Int] = []
        for openers in [timed] + counted.values {
            guard openers.count >= feedTimes, let first = openers.first, let last = openers.last else { continue }
            // The feed's last item runs on past its opening line, up to the next line that is not prose.
            var end = last + 1
            while end < paragraphs.count, isProse[end] { end += 1 }
            let feed = first..<end
            let outside = paragraphs.indices.filter { !feed.contains($0) && kinds[$0] == .good }.reduce(0) { $0 + paragraphs[$1].length }
            guard outside >= 2 * lengthHigh else { continue }
            let opening = Set(openers)
            items += feed.filter { isProse[$0] || opening.contains($0) }
        }
        return items
    }

    /// The total of a counter that opens a line, "50" for "12/50 Title", as a gallery numbers its
    /// pictures; nil for a line that opens otherwise.
    static func counterTotal(opening text: String) -> String? {
        guard let space = text.firstIndex(of: " "), text.distance(from: text.startIndex, to: space) <= 7 else { return nil }
        let parts = text[..<space].split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let number = Int(parts[0]), let total = Int(parts[1]), number <= total, total >= feedTimes else { return nil }
        return String(parts[1])
    }

    /// Whether a line opens with a clock time, "9:05", "13:54" or "13h54", alone or before text.
    static func opensWithClockTime(_ text: String) -> Bool {
        let characters = Array(text.prefix(6))
        var index = 0
        while index < characters.count, index < 2, characters[index].isASCII, characters[index].isNumber { index += 1 }
        guard index > 0, index < characters.count, characters[index] == ":" || characters[index] == "h" else { return false }
        let minutes = characters[(index + 1)...].prefix(while: { $0.isASCII && $0.isNumber })
        guard minutes.count == 2 else { return false }
        let after = index + 3
        return after == characters.count && text.count == after || after < characters.count && characters[after] == " "
    }

    /// The headlines under an interface label ("Related", "Other people are reading", "Artículos
    /// relacionados"): the lines of the label's block after it that end in no sentence or clause
    /// mark and are not good prose, up to the first that is. A "related" box inside an article
    /// has too few lines to be a link list, and its headlines read as short prose between the
    /// article's paragraphs.
    static func labelledLists(_ paragraphs: [Paragraph], _ kinds: [Kind]) -> [Int] {
        var found: [Int] = []
        for index in paragraphs.indices where paragraphs[index].isInterfaceLabel {
            var next = index + 1
            while next < paragraphs.count, paragraphs[next].block == paragraphs[index].block, !paragraphs[next].isSentence,
                  !(paragraphs[next].terminal.map(Paragraph.clauseEnds.contains) ?? false),
                  paragraphs[next].length <= 150, kinds[next] != .good {
                found.append(next)
                next += 1
            }
        }
        return found
    }

    /// Runs of three or more lines that open with a typed bullet ("+ Added …", "* Fixed …",
    /// "- Removed …", "• …"), each with the class the run has when read as one paragraph, as
    /// `introducedLists` reads a list: a browser's copy shows no bullets for a page's own list
    /// markup, so typed ones are an author's list (a changelog, notes), which on its own lines
    /// reads as a link list.
    static func bulletedLists(_ paragraphs: [Paragraph], subject: Set<String>) -> [(members: [Int], kind: Kind)] {
        // "+ " too, as a changelog marks what it added.
        func bulleted(_ paragraph: Paragraph) -> Bool { paragraph.startsWithBullet || paragraph.text.hasPrefix("+ ") }
        var lists: [(members: [Int], kind: Kind)] = []
        var index = 0
        while index < paragraphs.count {
            var end = index
            while end < paragraphs.count, bulleted(paragraphs[end]) { end += 1 }
            if end - index >= 3 {
                let members = Array(index..<end)
                let kind = kindAsOne(members, of: paragraphs, subject: subject)
                if kind == .good || kind == .nearGood { lists.append((members, kind)) }
            }
            index = max(end, index + 1)
        }
        return lists
    }

    /// The class `members` (a list, with its introduction) have read as one paragraph, in the
    /// block and language of the first.
    static func kindAsOne(_ members: [Int], of paragraphs: [Paragraph], subject: Set<String>) -> Kind {
        let first = paragraphs[members[0]]
        let whole = Paragraph(text: members.map { paragraphs[$0].text }.joined(separator: " "), block: first.block, stoplist: first.stoplist)
        return contextFreeKind(whole, inLinkList: false, subject: subject)
    }

    /// The most items an introduced list is read with.
    static let maximumListItems = 40
    /// Within how many paragraphs after an introduced list the prose must go on.
    static let listResumption = 3

    /// Lists that a line of prose ending in a colon introduces ("We're running three experiments:",
    /// "First, edit the configuration:"), each with the class the line and its items have when read
    /// as one paragraph, as the page means them (near-good at least where the line alone reads as
    /// prose and only the items thin the whole): an article's list of short items, names, steps
    /// or commands is prose by its introduction, where a menu or a list of links stands alone.
    /// The items are the lines of the block under the line (or the rest of its own block), up to
    /// the first line long enough to be a paragraph of its own; `kinds` (the context-free classes)
    /// must show prose again within `listResumption` paragraphs after them.
    static func introducedLists(_ paragraphs: [Paragraph], _ kinds: [Kind], subject: Set<String>) -> [(members: [Int], kind: Kind)] {
        var lists: [(members: [Int], kind: Kind)] = []
        for index in paragraphs.indices.dropLast() {
            let line = paragraphs[index]
            guard let terminal = line.terminal, terminal == ":" || terminal == "：", line.wordCount >= 3,
                  line.stopwordDensity >= stopwordsLow else { continue }
            let itemsBlock = paragraphs[index + 1].block
            var members = [index]
            var next = index + 1
            while next < paragraphs.count, paragraphs[next].block == itemsBlock, paragraphs[next].length < lengthHigh,
                  members.count <= maximumListItems {
                members.append(next)
                next += 1
            }
            guard members.count >= 2 else { continue }
            // A list that ends the prose ("Also on this site:", "See the video below:") leads away from it.
            guard (next..<min(paragraphs.count, next + listResumption)).contains(where: { kinds[$0] == .good || kinds[$0] == .nearGood })
            else { continue }
            switch kindAsOne(members, of: paragraphs, subject: subject) {
            case let kind where kind == .good || kind == .nearGood:
                lists.append((members, kind))
            case .badProse where line.stopwordDensity >= stopwordsHigh:
                // Names, numbers or commands thin the function words of the whole; the line that
                // introduces them reads as prose.
                lists.append((members, .nearGood))
            default:
                break
            }
        }
        return lists
    }

    /// How many paragraphs of prose length name a word of site furniture when it is what the page
    /// is about.
    static let subjectParagraphs = 5

    /// The words of site furniture ("app", "alerts", "browser") that five or more paragraphs of
    /// prose length name: what an article about apps, alerting or browsers is about, where a
    /// notice that asks the reader to get the app names it once or twice.
    static func furnitureSubject(of paragraphs: [Paragraph]) -> Set<String> {
        var counts: [String: Int] = [:]
        for paragraph in paragraphs where paragraph.length >= lengthLow {
            // Each word counted once a paragraph, and only words of furniture remembered.
            var named: Set<String> = []
            for word in paragraph.lowercasedWords where Lexicon.siteFurniture.contains(word) && named.insert(word).inserted {
                counts[word, default: 0] += 1
            }
        }
        return Set(counts.filter { $0.value >= subjectParagraphs }.keys)
    }

    /// Whether cookies and consent are what the page is about rather than a notice on it: three or
    /// more paragraphs of prose length name them, where a page carries one notice, or two.
    static func isAboutConsent(_ paragraphs: [Paragraph]) -> Bool {
        // Each paragraph is looked at once (a lazy filter's prefix looked at them again).
        var naming = 0
        for paragraph in paragraphs where paragraph.length >= lengthLow && paragraph.namesConsentSubject {
            naming += 1
            if naming == 3 { return true }
        }
        return false
    }

    /// Marks runs of three or more short lines without sentence endings: menus, link lists, teasers.
    static func linkListMembers(_ paragraphs: [Paragraph]) -> [Bool] {
        var members = Array(repeating: false, count: paragraphs.count)
        var runStart = 0
        for index in 0...paragraphs.count {
            if index < paragraphs.count, paragraphs[index].isListItem { continue }
            if index - runStart >= 3 {
                for member in runStart..<index { members[member] = true }
            }
            runStart = index + 1
        }
        // A block of several lines that are mostly headline-shaped is a link list as a whole.
        var blockStart = 0
        while blockStart < paragraphs.count {
            var blockEnd = blockStart + 1
            while blockEnd < paragraphs.count, paragraphs[blockEnd].block == paragraphs[blockStart].block { blockEnd += 1 }
            let lines = paragraphs[blockStart..<blockEnd]
            if lines.count >= 3, lines.filter(\.isListItem).count * 5 >= lines.count * 3 {
                for member in blockStart..<blockEnd { members[member] = true }
            }
            blockStart = blockEnd
        }
        // Three or more lines in a row made from one template, each a word away from the next
        // ("Click to share on Twitter (Opens in new window)", "… on Reddit …"): a share row or a
        // menu, whatever its words and however prose-like they read.
        // Pieces are cut only for a line whose neighbour has as many: most lines have none.
        let counts = paragraphs.map { $0.length <= templateLength ? $0.text.spacedPieces().count : 0 }
        let pieces = paragraphs.indices.map { index in
            counts[index] >= 4 && (index > 0 && counts[index - 1] == counts[index]
                || index + 1 < counts.count && counts[index + 1] == counts[index]) ? templatePieces(paragraphs[index]) : []
        }
        var templateStart = 0
        for index in 0...paragraphs.count {
            if index > 0, index < paragraphs.count, differByOneWord(pieces[index - 1], pieces[index]) { continue }
            if index - templateStart >= 3 {
                for member in templateStart..<index { members[member] = true }
            }
            templateStart = index
        }
        return members
    }

    /// The longest line (`Paragraph.length`) compared with its neighbours as a template.
    static let templateLength = 120

    /// A short line's whitespace-separated pieces, lowercased, every digit as "#"; none for a long one.
    static func templatePieces(_ paragraph: Paragraph) -> [String] {
        guard paragraph.length <= templateLength else { return [] }
        // Cut as `linkListMembers` counts them.
        return paragraph.text.spacedPieces().map { piece in
            String(piece.lowercased().map { $0.isNumber ? "#" : $0 })
        }
    }

    /// Whether two lines' `templatePieces` are four or more and the same but one.
    static func differByOneWord(_ first: [String], _ second: [String]) -> Bool {
        guard first.count >= 4, first.count == second.count else { return false }
        var differences = 0
        for (a, b) in zip(first, second) where a != b {
            differences += 1
            if differences > 1 { return false }
        }
        return differences == 1
    }

    /// jusText's context-sensitive pass: short and near-good paragraphs take their neighbours' class.
    static func resolvingByContext(_ initial: [Kind], _ paragraphs: [Paragraph]) -> [Kind] {
        let transparent = initial.map { $0 == .short || $0 == .furniture }
        var kinds = initial.map { $0 == .badProse || $0 == .furniture ? Kind.bad : $0 }
        let nearestIgnoringNearGood = neighbours(kinds) { transparent[$0] || kinds[$0] == .nearGood }
        let nearest = neighbours(kinds) { transparent[$0] }
        for index in kinds.indices where kinds[index] == .short {
            let previous = nearestIgnoringNearGood.previous[index]
            let next = nearestIgnoringNearGood.next[index]
            if previous == .good, next == .good {
                kinds[index] = .good
            } else if previous == .bad, next == .bad {
                kinds[index] = .bad
            } else if (previous == .bad && nearest.previous[index] == .nearGood)
                || (next == .bad && nearest.next[index] == .nearGood) || paragraphs[index].isSentence {
                kinds[index] = .good
            } else {
                kinds[index] = .bad
            }
        }
        let around = neighbours(kinds) { transparent[$0] || kinds[$0] == .nearGood }
        for index in kinds.indices where kinds[index] == .nearGood {
            kinds[index] = around.previous[index] == .bad && around.next[index] == .bad ? .bad : .good
        }
        // Prose rejected only for naming many people and places, between good paragraphs, is body.
        for index in kinds.indices where initial[index] == .badProse && paragraphs[index].isSentence {
            if index > 0, index + 1 < kinds.count, kinds[index - 1] == .good, kinds[index + 1] == .good {
                kinds[index] = .good
            }
        }
        return kinds
    }

    /// The classes up to the first line that opens the readers' comments with good text above it
    /// (`Paragraph.isCommentsOpening`): a comment is prose too, and often longer than the article,
    /// so nothing after that line may join the body.
    static func endingAtComments(_ kinds: [Kind], _ paragraphs: [Paragraph]) -> [Kind] {
        var goodAbove = 0
        for index in kinds.indices {
            if paragraphs[index].isCommentsOpening, goodAbove >= lengthHigh { return Array(kinds[..<index]) }
            if kinds[index] == .good { goodAbove += paragraphs[index].length }
        }
        return kinds
    }

    /// For each index, the class of the nearest paragraph before and after it that `skip` does not pass over;
    /// the document's edges count as bad.
    static func neighbours(_ kinds: [Kind], skip: (Int) -> Bool) -> (previous: [Kind], next: [Kind]) {
        var previous = Array(repeating: Kind.bad, count: kinds.count)
        var next = Array(repeating: Kind.bad, count: kinds.count)
        var last = Kind.bad
        for index in kinds.indices {
            previous[index] = last
            if !skip(index) { last = kinds[index] }
        }
        last = .bad
        for index in kinds.indices.reversed() {
            next[index] = last
            if !skip(index) { last = kinds[index] }
        }
        return (previous, next)
    }

    /// What a bad paragraph inside the body costs, as a share of its length (capped at `lengthHigh`):
    /// three fifths, so that a short list of links or a few boilerplate lines inside an article
    /// does not cut it in two, while a longer run of furniture still does.
    static let badWeight = (numerator: 3, denominator: 5)

    /// The good paragraphs of the run with the most good text net of the bad text inside it.
    static func densestRun(_ kinds: [Kind], _ paragraphs: [Paragraph]) -> [Int] {
        var best = 0
        var bestRange = 0..<0
        var sum = 0
        var start = 0
        for index in kinds.indices {
            let length = paragraphs[index].length
            sum += kinds[index] == .good ? length : -min(length, lengthHigh) * badWeight.numerator / badWeight.denominator
            if sum > best {
                best = sum
                bestRange = start..<(index + 1)
            }
            if sum <= 0 {
                sum = 0
                start = index + 1
            }
        }
        return bestRange.filter { kinds[$0] == .good }
    }
}
