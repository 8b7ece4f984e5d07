import Foundation

/// Extracts an article from text copied out of a web page, boilerplate and all.
///
/// The text is cut into paragraphs and each paragraph is classified from general features, the way
/// jusText does (Pomikálek, "Removing Boilerplate and Duplicate Content from Web Corpora", 2011):
/// length and stopword density make it good, near-good, short or bad; link-list shape, prices,
/// reader-directed calls to action, interface labels, copyright lines, photo captions and date
/// lines make it bad outright. Short and near-good paragraphs are then resolved by their
/// neighbours, and the body is the densest run of good paragraphs. Title, section, byline and date
/// come only from the short lines above the body; the dateline and source from the body's opening,
/// else from a copyright line or a photo credit.
enum PlainTextExtractor {
    static func extract(_ text: String) throws(ExtractionError) -> ExtractedArticle {
        let paragraphs = paragraphs(in: text)
        guard !paragraphs.isEmpty else { throw .empty }
        let body = bodyIndices(of: paragraphs)
        guard let first = body.first else { throw .noArticleText }

        let header = paragraphs[..<first]
        let titleIndex = titleIndex(in: header)
        let bodyTexts = body.map { paragraphs[$0].text }
        let opening = bodyTexts.prefix(3).lazy.compactMap(opening(of:)).first
        var article = ExtractedArticle(text: bodyTexts.joined(separator: "\n\n"), format: .plainText)
        article.title = titleIndex.map { paragraphs[$0].text }
        article.section = section(in: header, titleIndex: titleIndex)
        article.byline = byline(in: header, titleIndex: titleIndex)
        article.published = publishedDate(in: header, titleIndex: titleIndex)
        article.dateline = opening?.dateline
        article.siteName = opening?.source
            ?? paragraphs.lazy.compactMap { copyrightHolder(in: $0.text) }.first
            ?? paragraphs.lazy.compactMap { photoCreditAgency(in: $0.text) }.first
        return article
    }

    // MARK: - Paragraphs

    /// Blank-line separated blocks, each cut into its lines unless the block is hard-wrapped prose.
    static func paragraphs(in text: String) -> [Paragraph] {
        var blocks: [[String]] = []
        var current: [String] = []
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let cleaned = collapsingWhitespace(line)
            if cleaned.isEmpty {
                if !current.isEmpty { blocks.append(current) }
                current = []
            } else {
                current.append(cleaned)
            }
        }
        if !current.isEmpty { blocks.append(current) }

        var result: [Paragraph] = []
        for (number, block) in blocks.enumerated() {
            if isHardWrapped(block) {
                result.append(Paragraph(text: joiningWrapped(block), block: number))
            } else {
                for line in block {
                    result.append(Paragraph(text: line, block: number))
                }
            }
        }
        return result
    }

    /// Collapses every run of whitespace to one space, drops invisible format characters and trims.
    static func collapsingWhitespace(_ line: some StringProtocol) -> String {
        var out = ""
        var pendingSpace = false
        for character in line {
            if character.isWhitespace {
                pendingSpace = !out.isEmpty
            } else if invisible.contains(character) {
                continue
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(character)
            }
        }
        return out
    }

    private static let invisible: Set<Character> = ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}"]

    /// A block is hard-wrapped prose when a line that ends mid-sentence runs on into a lowercase one.
    static func isHardWrapped(_ lines: [String]) -> Bool {
        guard lines.count > 1, lines.allSatisfy({ $0.count <= 100 }) else { return false }
        for (line, next) in zip(lines, lines.dropFirst()) {
            let ends = line.last.map { ".!?:;\"”".contains($0) } ?? true
            if !ends, let first = next.first, first.isLowercase { return true }
        }
        return false
    }

    static func joiningWrapped(_ lines: [String]) -> String {
        var out = ""
        for line in lines {
            if !out.isEmpty, !out.hasSuffix("-") { out.append(" ") }
            out += line
        }
        return out
    }

    // MARK: - Classification

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
        let initial = paragraphs.indices.map { contextFreeKind(paragraphs[$0], inLinkList: listed[$0]) }
        let body = densestRun(resolvingByContext(initial, paragraphs), paragraphs)
        if !body.isEmpty { return body }
        // No paragraph is long enough to be good on its own: a short article, or a note. Take the
        // near-good ones as good and resolve again; failing that, keep the short sentences.
        let promoted = initial.map { $0 == .nearGood ? Kind.good : $0 }
        let short = densestRun(resolvingByContext(promoted, paragraphs), paragraphs)
        if !short.isEmpty { return short }
        return paragraphs.indices.filter { initial[$0] == .short && paragraphs[$0].isSentence }
    }

    static func contextFreeKind(_ paragraph: Paragraph, inLinkList: Bool) -> Kind {
        if inLinkList { return .bad }
        if paragraph.isCopyright || paragraph.isCaption || paragraph.isPromotion || paragraph.isCallToAction
            || paragraph.isInterfaceLabel || paragraph.isDateLine {
            return .furniture
        }
        if paragraph.length < lengthLow { return .short }
        let density = paragraph.stopwordDensity
        if density >= stopwordsHigh { return paragraph.length > lengthHigh ? .good : .nearGood }
        if density >= stopwordsLow { return .nearGood }
        return .badProse
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
        return members
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

    /// The good paragraphs of the run with the most good text net of the bad text inside it.
    static func densestRun(_ kinds: [Kind], _ paragraphs: [Paragraph]) -> [Int] {
        var best = 0
        var bestRange = 0..<0
        var sum = 0
        var start = 0
        for index in kinds.indices {
            let length = paragraphs[index].length
            sum += kinds[index] == .good ? length : -min(length, lengthHigh)
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

    // MARK: - Header metadata

    /// The first title-shaped line above the body, preferring one that reads like a headline.
    static func titleIndex(in header: ArraySlice<Paragraph>) -> Int? {
        var fallback: Int?
        for index in header.indices where header[index].isTitleCandidate {
            if header[index].wordCount >= 3, header[index].hasLowercaseWord { return index }
            fallback = fallback ?? index
        }
        return fallback
    }

    /// A bulleted label, a breadcrumb, or a label right under the title.
    static func section(in header: ArraySlice<Paragraph>, titleIndex: Int?) -> String? {
        for index in header.indices where index != titleIndex && header[index].length <= 80 {
            let paragraph = header[index]
            if paragraph.startsWithBullet {
                let label = collapsingWhitespace(paragraph.text.dropFirst())
                if isSectionLabel(label) { return label }
            }
            for separator in [" › ", " > ", " » ", " / ", " | "] where paragraph.text.contains(separator) {
                let parts = paragraph.text.components(separatedBy: separator)
                if parts.allSatisfy(isSectionLabel),
                   let part = parts.first(where: { !["home", "news"].contains($0.lowercased()) }) {
                    return part
                }
            }
            if let titleIndex, index > titleIndex, index <= titleIndex + 2, isSectionLabel(paragraph.text) {
                return paragraph.text
            }
        }
        return nil
    }

    static func isSectionLabel(_ text: String) -> Bool {
        let tokens = Token.scan(text[...])
        let words = tokens.filter { $0.kind == .word }
        guard text.count <= 30, (1...3).contains(words.count),
              tokens.allSatisfy({ $0.kind == .word || $0.text == "&" || $0.text == "-" }) else { return false }
        return words.allSatisfy { word in
            let lower = word.text.lowercased()
            return word.text.first?.isUppercase == true && Lexicon.month(lower) == nil
                && !Lexicon.weekdays.contains(lower) && !Lexicon.interface.contains(lower) && lower != "by"
        }
    }

    /// The byline of one line of text on its own, as `byline(in:titleIndex:)` reads it.
    static func byline(ofLine text: String) -> String? {
        byline(in: [Paragraph(text: text, block: 0)][...], titleIndex: nil)
    }

    /// The names after "By" on a short header line: "By Jane Doe", "Posted on March 3, 2022 by Jane Doe".
    static func byline(in header: ArraySlice<Paragraph>, titleIndex: Int?) -> String? {
        for index in header.indices where index != titleIndex && header[index].length <= 150 {
            let paragraph = header[index]
            let tokens = paragraph.tokens
            guard let by = tokens.firstIndex(where: { $0.kind == .word && $0.text.lowercased() == "by" }) else { continue }
            let lead = tokens[..<by].filter { $0.kind == .word }.map { $0.text.lowercased() }
            let before = paragraph.text[..<tokens[by].text.startIndex]
            guard lead.allSatisfy(Lexicon.bylineLeads.contains) || isoDate(in: before) != nil else { continue }
            var last: Int?
            for cursor in (by + 1)..<tokens.count {
                let token = tokens[cursor]
                let lower = token.text.lowercased()
                let name = token.kind == .word && token.text.first?.isUppercase == true && Lexicon.month(lower) == nil
                    && !Lexicon.weekdays.contains(lower) && !Lexicon.dateWords.contains(lower)
                let initial = token.text == "." && !token.spaceBefore && last == cursor - 1 && tokens[cursor - 1].text.count == 1
                let joiner = (token.kind == .word && Lexicon.nameParticles.contains(token.text)) || [",", "&"].contains(token.text)
                    || (!token.spaceBefore && ["-", "'", "’"].contains(token.text))
                if name || initial {
                    last = cursor
                } else if !joiner {
                    break
                }
            }
            if let last {
                let names = paragraph.text[tokens[by + 1].text.startIndex..<tokens[last].text.endIndex]
                    .components(separatedBy: ", ")
                    .filter { !$0.split(separator: " ").contains { Lexicon.roles.contains($0.lowercased()) } }
                if !names.isEmpty { return names.joined(separator: ", ") }
            }
        }
        return nil
    }

    /// The date of a short header line that says when the article was published, never its update.
    static func publishedDate(in header: ArraySlice<Paragraph>, titleIndex: Int?) -> String? {
        var plain: String?
        for index in header.indices where index != titleIndex && header[index].isDateLine {
            let text = header[index].text
            let revision = ["update", "modified", "edited"].lazy.compactMap { text.range(of: $0, options: .caseInsensitive) }.first
            guard let date = isoDate(in: text[..<(revision?.lowerBound ?? text.endIndex)]) else { continue }
            if ["publish", "posted", "created"].contains(where: { text.range(of: $0, options: .caseInsensitive) != nil }) {
                return date
            }
            plain = plain ?? date
        }
        return plain
    }

    // MARK: - Dateline and source

    /// "CITY (Source) - …", "CITY, Region, Date (Source) — …" or "CITY – …" at a paragraph's start.
    static func opening(of text: String) -> (dateline: String, source: String?)? {
        let head = text.prefix(160)
        var separator: Substring.Index?
        var after: Substring.Index?
        var index = head.startIndex
        while index < head.endIndex {
            let character = head[index]
            let next = head.index(after: index)
            if character == "–" || character == "—" {
                separator = index
                after = next
                break
            }
            if character == "-", index > head.startIndex, head[head.index(before: index)] == " " {
                var end = next
                while end < head.endIndex, head[end] == "-" { end = head.index(after: end) }
                if end < head.endIndex, head[end] == " " {
                    separator = index
                    after = end
                    break
                }
            }
            index = next
        }
        guard let separator, let after else { return nil }
        let rest = head[after...].drop(while: \.isWhitespace)
        guard let lead = rest.first, lead.isUppercase || lead.isNumber || "\"“‘'".contains(lead) else { return nil }

        var prefix = head[..<separator].trimmingCharacters(in: .whitespaces)
        var source: String?
        if prefix.hasSuffix(")"), let open = prefix.lastIndex(of: "(") {
            let inside = prefix[prefix.index(after: open)..<prefix.index(before: prefix.endIndex)]
                .trimmingCharacters(in: .whitespaces)
            guard let first = inside.first, first.isUppercase, inside.count <= 40,
                  !inside.contains(where: \.isNumber) else { return nil }
            source = normalizedSource(inside)
            prefix = prefix[..<open].trimmingCharacters(in: .whitespaces)
        }
        while prefix.hasSuffix(",") { prefix.removeLast() }
        let parts = prefix.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let city = parts.first, isUppercasePlace(city), parts.count <= 4 else { return nil }
        var place = [city]
        for part in parts.dropFirst() {
            let firstWord = part.split(separator: " ").first.map { $0.lowercased() } ?? ""
            guard isUppercasePlace(part) || (isCapitalisedPlace(part) && Lexicon.month(firstWord) == nil) else { break }
            place.append(part)
        }
        return (place.joined(separator: ", "), source)
    }

    static func isUppercasePlace(_ text: String) -> Bool {
        let letters = text.filter(\.isLetter)
        return (2...40).contains(text.count) && letters.count >= 2 && letters.allSatisfy(\.isUppercase)
            && text.allSatisfy { $0.isLetter || " .'’-".contains($0) } && text.split(separator: " ").count <= 5
    }

    static func isCapitalisedPlace(_ text: String) -> Bool {
        let words = text.split(separator: " ")
        return (1...3).contains(words.count)
            && words.allSatisfy { $0.first?.isUppercase == true && $0.allSatisfy { $0.isLetter || ".'’-".contains($0) } }
    }

    /// The holder named by a line that starts "Copyright", "©" or "(c)".
    static func copyrightHolder(in text: String) -> String? {
        guard text.count <= 200 else { return nil }
        let tokens = Token.scan(text[...])
        var cursor = 0
        var sawMarker = false
        while cursor < tokens.count {
            let token = tokens[cursor]
            if token.text.lowercased() == "copyright" || token.text == "©" {
                sawMarker = true
            } else if token.text == "(", cursor + 2 < tokens.count, tokens[cursor + 1].text.lowercased() == "c",
                      tokens[cursor + 2].text == ")" {
                sawMarker = true
                cursor += 2
            } else if !sawMarker || !(token.kind == .number || ["-", "–", ",", ":"].contains(token.text)) {
                break
            }
            cursor += 1
        }
        guard sawMarker, cursor < tokens.count, tokens[cursor].kind == .word else { return nil }
        var end = cursor
        while end < tokens.count {
            let token = tokens[end]
            if [",", "|", ";", "·", "•"].contains(token.text) { break }
            if token.text == ".", end + 1 == tokens.count || tokens[end + 1].spaceBefore { break }
            if token.kind == .word, token.text.lowercased() == "all", end + 1 < tokens.count,
               tokens[end + 1].text.lowercased() == "rights" { break }
            end += 1
        }
        guard end > cursor else { return nil }
        let holder = String(text[tokens[cursor].text.startIndex..<tokens[end - 1].text.endIndex])
        guard holder.first?.isUppercase == true, holder.count <= 60, holder.split(separator: " ").count <= 8 else { return nil }
        return holder
    }

    /// The agency of a caption's credit: "(AP Photo/Name)", "(AFP/Name)" or "… sentence. AGENCY/Name Name".
    static func photoCreditAgency(in text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "(") {
            let inside = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
            guard let slash = inside.firstIndex(of: "/"), isPersonCredit(inside[inside.index(after: slash)...]) else { return nil }
            var words = inside[..<slash].split(separator: " ")
            let photo = words.last?.lowercased() == "photo"
            if photo { words.removeLast() }
            guard (1...3).contains(words.count), photo || words.allSatisfy({ $0.allSatisfy { !$0.isLowercase } }),
                  words[0].first?.isUppercase == true else { return nil }
            return normalizedSource(words.joined(separator: " "))
        }
        guard let slash = trimmed.lastIndex(of: "/"), isPersonCredit(trimmed[trimmed.index(after: slash)...]) else { return nil }
        let before = trimmed[..<slash]
        let agency = String(before.reversed().prefix { !$0.isWhitespace }.reversed())
        let preceding = before.dropLast(agency.count).trimmingCharacters(in: .whitespaces)
        guard agency.count >= 2, agency.allSatisfy({ $0.isLetter && $0.isUppercase }),
              preceding.isEmpty || preceding.last.map({ ".!?)".contains($0) }) == true else { return nil }
        return normalizedSource(agency)
    }

    /// One to four capitalised words, as a photographer's or picture desk's name is.
    static func isPersonCredit(_ credit: Substring) -> Bool {
        let names = credit.split(separator: " ")
        return (1...4).contains(names.count) && credit.count <= 40
            && names.allSatisfy { $0.first?.isUppercase == true && $0.allSatisfy { $0.isLetter || ".'’-".contains($0) } }
    }

    static func normalizedSource(_ name: String) -> String {
        if let known = Lexicon.agencies[name] { return known }
        if name.count >= 4, name.allSatisfy({ $0.isLetter && $0.isUppercase }) { return name.capitalized }
        return name
    }

    // MARK: - Dates

    /// The first calendar date the text states, as "yyyy-MM-dd"; nil when it states none or only
    /// an ambiguous one (05/06/2023).
    static func isoDate(in text: some StringProtocol) -> String? {
        let tokens = Token.scan(Substring(text))
        for index in tokens.indices {
            if let date = date(at: index, in: tokens) { return date }
        }
        return nil
    }

    /// A full ISO 8601 timestamp as given, else the date `isoDate(in:)` finds.
    static func isoTimestamp(_ text: String) -> String? {
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let characters = Array(value)
        let shape = Array("dddd-dd-ddTdd:dd")
        if characters.count >= shape.count, characters.count <= 35,
           zip(shape, characters).allSatisfy({ $0 == "d" ? $1.isASCII && $1.isNumber : $0 == $1 || ($0 == "T" && $1 == " ") }),
           characters.dropFirst(shape.count).allSatisfy({ ($0.isASCII && $0.isNumber) || ":.+-Z".contains($0) }),
           isoDate(in: value.prefix(10)) != nil {
            return value
        }
        guard value.count <= 80 else { return nil }
        return isoDate(in: value)
    }

    static func date(at index: Int, in tokens: [Token]) -> String? {
        func token(_ offset: Int) -> Token? {
            index + offset < tokens.count ? tokens[index + offset] : nil
        }
        func number(_ token: Token?, digits: ClosedRange<Int>) -> Int? {
            guard let token, token.kind == .number, digits.contains(token.text.count) else { return nil }
            return Int(token.text)
        }
        let first = tokens[index]
        if first.kind == .number {
            let parts = first.text.split(separator: ".", omittingEmptySubsequences: false)
            if parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) {
                if parts[0].count == 4 { return ymd(Int(parts[0]), Int(parts[1]), Int(parts[2])) }
                if parts[2].count == 4, parts[0].count <= 2, parts[1].count <= 2 {
                    return ymd(Int(parts[2]), Int(parts[1]), Int(parts[0]))
                }
            }
            if let year = number(first, digits: 4...4), let separator = token(1), ["-", "/"].contains(separator.text),
               let month = number(token(2), digits: 1...2), token(3)?.text == separator.text,
               let day = number(token(4), digits: 1...2) {
                return ymd(year, month, day)
            }
            if let a = number(first, digits: 1...2), let separator = token(1), ["/", "-", "."].contains(separator.text),
               let b = number(token(2), digits: 1...2), token(3)?.text == separator.text,
               let year = number(token(4), digits: 4...4) {
                if a == b || (a > 12 && b <= 12) { return ymd(year, b, a) }
                if b > 12 && a <= 12 { return ymd(year, a, b) }
                return nil
            }
            if let day = number(first, digits: 1...2) {
                var offset = 1
                if let suffix = token(offset), Lexicon.ordinals.contains(suffix.text.lowercased()), !suffix.spaceBefore { offset += 1 }
                if token(offset)?.text.lowercased() == "of" { offset += 1 }
                guard let name = token(offset), name.kind == .word, let month = Lexicon.month(name.text.lowercased()) else { return nil }
                offset += 1
                while let punctuation = token(offset), [".", ","].contains(punctuation.text) { offset += 1 }
                guard let year = number(token(offset), digits: 4...4) else { return nil }
                return ymd(year, month, day)
            }
            return nil
        }
        guard first.kind == .word, let month = Lexicon.month(first.text.lowercased()) else { return nil }
        var offset = 1
        if token(offset)?.text == "." { offset += 1 }
        guard let day = number(token(offset), digits: 1...2) else { return nil }
        offset += 1
        if let suffix = token(offset), Lexicon.ordinals.contains(suffix.text.lowercased()), !suffix.spaceBefore { offset += 1 }
        if token(offset)?.text == "," { offset += 1 }
        guard let year = number(token(offset), digits: 4...4) else { return nil }
        return ymd(year, month, day)
    }

    static func ymd(_ year: Int?, _ month: Int?, _ day: Int?) -> String? {
        guard let year, let month, let day, (1800...2200).contains(year), (1...12).contains(month) else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else { return nil }
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(year, 4))-\(padded(month, 2))-\(padded(day, 2))"
    }
}

// MARK: - Paragraph

extension PlainTextExtractor {
    /// One paragraph with the features the classifier reads.
    struct Paragraph {
        let text: String
        /// Lines of one blank-line separated block share a number.
        var block: Int
        let length: Int
        let tokens: [Token]
        let wordCount: Int
        let stopwordCount: Int

        init(text: String, block: Int) {
            self.text = text
            self.block = block
            length = text.count
            tokens = Token.scan(text[...])
            // Words as jusText counts them: whitespace-separated, so "U.S." is one word.
            var words = 0
            var stopwords = 0
            for piece in text.split(whereSeparator: \.isWhitespace) where piece.contains(where: { $0.isLetter || $0.isNumber }) {
                words += 1
                let word = piece.drop { !$0.isLetter }.reversed().drop { !$0.isLetter }.reversed()
                if Lexicon.stopwords.contains(String(word).lowercased().replacingOccurrences(of: "’", with: "'")) {
                    stopwords += 1
                }
            }
            wordCount = words
            stopwordCount = stopwords
        }

        var stopwordDensity: Double { wordCount == 0 ? 0 : Double(stopwordCount) / Double(wordCount) }

        var words: [Substring] { tokens.filter { $0.kind == .word }.map(\.text) }

        /// Words that are not stopwords, lowercased.
        var contentWords: [String] {
            words.map { $0.lowercased() }.filter { !Lexicon.stopwords.contains($0) }
        }

        /// The last character before any closing quotes or brackets.
        var terminal: Character? {
            text.reversed().first { !"\"'”’)]»".contains($0) }
        }

        var startsWithBullet: Bool {
            guard let first = text.first, "•·▪●◦‣*-–—".contains(first) else { return false }
            return text.dropFirst().first == " "
        }

        var hasLowercaseWord: Bool { words.contains { $0.first?.isLowercase == true } }

        var isSentence: Bool {
            guard let terminal, ".!?…".contains(terminal), wordCount >= 3,
                  let first = text.first(where: { $0.isLetter || $0.isNumber }) else { return false }
            return first.isUppercase || first.isNumber
        }

        /// A short line without a sentence ending, as link lists, menus and price tables are made of.
        var isListItem: Bool {
            guard length <= 150, wordCount >= 1, !startsWithBullet, let terminal else { return false }
            return !".!…:;,".contains(terminal)
        }

        var isCopyright: Bool {
            guard length <= 200 else { return false }
            let lower = text.lowercased()
            return lower.hasPrefix("copyright") || lower.hasPrefix("(c) ") || text.contains("©")
                || lower.contains("all rights reserved")
        }

        var isCaption: Bool {
            if let first = tokens.first, first.text == "FILE", tokens.count > 1, ["-", "–", "—", ":"].contains(tokens[1].text)
                || tokens[1].text == "PHOTO" {
                return true
            }
            if PlainTextExtractor.photoCreditAgency(in: text) != nil { return true }
            guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return false }
            let credit = text[text.index(after: open)...].prefix(while: \.isLetter).lowercased()
            return ["photo", "photograph", "photos", "image", "credit", "picture", "video"].contains(credit)
        }

        /// Prices, subscription periods and discounts on a short line: an offer, not prose.
        var isPromotion: Bool {
            guard length <= 160 else { return false }
            var prices = 0
            var percents = 0
            var periods = 0
            var promotional = 0
            for (index, token) in tokens.enumerated() {
                let previous = index > 0 ? tokens[index - 1] : nil
                let next = index + 1 < tokens.count ? tokens[index + 1] : nil
                switch token.kind {
                case .number:
                    if let previous, Lexicon.currencySymbols.contains(previous.text) || Lexicon.currencyCodes.contains(previous.text) {
                        prices += 1
                    } else if let next, Lexicon.currencySymbols.contains(next.text) || Lexicon.currencyCodes.contains(next.text) {
                        prices += 1
                    }
                    if next?.text == "%" { percents += 1 }
                    if next?.text == "/", index + 2 < tokens.count, Lexicon.periods.contains(tokens[index + 2].text.lowercased()) {
                        periods += 1
                    }
                case .word:
                    if Lexicon.promotion.contains(token.text.lowercased()) { promotional += 1 }
                case .symbol:
                    break
                }
            }
            guard prices + percents > 0 else { return false }
            return prices >= 2 || periods > 0 || promotional > 0 || (!isSentence && wordCount <= 6)
        }

        /// Words addressed to the reader that ask for an action: follow, subscribe, accept cookies.
        var isCallToAction: Bool {
            guard length <= 300 else { return false }
            let lowered = words.map { $0.lowercased() }
            let addressesReader = words.contains { $0 != "US" && Lexicon.readerPronouns.contains($0.lowercased()) }
            guard addressesReader else { return false }
            let imperative = text.first?.isLetter == true && lowered.first.map(Lexicon.callsToAction.contains) == true
            return terminal == "!" || imperative || lowered.contains(where: Lexicon.siteFurniture.contains)
        }

        /// A short label made mostly of interface words: "Skip to content", "More videos".
        var isInterfaceLabel: Bool {
            guard wordCount <= 6, let terminal, !".!?…".contains(terminal) else { return false }
            let content = contentWords
            let interface = content.filter(Lexicon.interface.contains).count
            return interface > 0 && interface * 2 >= content.count
        }

        var isDateLine: Bool {
            length <= 100 && wordCount <= 12 && PlainTextExtractor.isoDate(in: text) != nil
        }

        var isTitleCandidate: Bool {
            guard (3...200).contains(length), words.count >= 2, !startsWithBullet,
                  let terminal, !".:;,".contains(terminal),
                  let first = text.first, first.isUppercase || first.isNumber || "\"“‘'".contains(first),
                  words.first?.lowercased() != "by" else { return false }
            return !isInterfaceLabel && !isCopyright && !isCaption && !isPromotion && !isDateLine && !isCallToAction
        }
    }
}

// MARK: - Tokens

extension PlainTextExtractor {
    /// A word, a number or a single symbol of a line, for the pattern checks above.
    struct Token {
        enum Kind { case word, number, symbol }

        let kind: Kind
        /// A slice of the scanned text, so its indices locate the token there.
        let text: Substring
        let spaceBefore: Bool

        /// Words keep inner apostrophes ("don't"); numbers keep inner separators ("1,500", "13.90").
        static func scan(_ text: Substring) -> [Token] {
            var tokens: [Token] = []
            var index = text.startIndex
            var space = true
            func isDigit(_ character: Character) -> Bool { character.isASCII && character.isNumber }
            while index < text.endIndex {
                let character = text[index]
                if character.isWhitespace {
                    space = true
                    index = text.index(after: index)
                    continue
                }
                let start = index
                let kind: Kind
                index = text.index(after: index)
                if character.isLetter {
                    kind = .word
                    while index < text.endIndex {
                        let next = text.index(after: index)
                        if text[index].isLetter {
                            index = next
                        } else if "'’".contains(text[index]), next < text.endIndex, text[next].isLetter {
                            index = text.index(after: next)
                        } else {
                            break
                        }
                    }
                } else if isDigit(character) {
                    kind = .number
                    while index < text.endIndex {
                        let next = text.index(after: index)
                        if isDigit(text[index]) {
                            index = next
                        } else if ".,".contains(text[index]), next < text.endIndex, isDigit(text[next]) {
                            index = text.index(after: next)
                        } else {
                            break
                        }
                    }
                } else {
                    kind = .symbol
                }
                tokens.append(Token(kind: kind, text: text[start..<index], spaceBefore: space))
                space = false
            }
            return tokens
        }
    }
}

// MARK: - Word lists

extension PlainTextExtractor {
    /// Language resources the features read: English function words and the vocabulary of page
    /// furniture, none taken from any particular site.
    enum Lexicon {
        static let stopwords: Set<String> = [
            "a", "about", "above", "according", "across", "after", "afterwards", "again", "against", "ago", "all",
            "almost", "alone", "along", "already", "also", "although", "always", "am", "among", "amongst", "an",
            "and", "another", "any", "anyone", "anything", "are", "aren't", "around", "as", "at", "away", "back",
            "be", "became", "because", "become", "becomes", "been", "before", "being", "below", "besides",
            "between", "beyond", "both", "but", "by", "came", "can", "can't", "cannot", "come", "comes", "could",
            "couldn't", "did", "didn't", "do", "does", "doesn't", "doing", "don't", "done", "down", "due", "during",
            "each", "either", "else", "enough", "even", "ever", "every", "everyone", "everything", "few", "for",
            "former", "from", "further", "get", "gets", "getting", "give", "given", "go", "goes", "going", "gone",
            "got", "had", "hadn't", "has", "hasn't", "have", "haven't", "having", "he", "he'd", "he'll", "he's",
            "her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "i'd", "i'll", "i'm",
            "i've", "if", "in", "including", "indeed", "instead", "into", "is", "isn't", "it", "it's", "its",
            "itself", "just", "know", "known", "last", "later", "least", "less", "let", "like", "likely", "made",
            "make", "makes", "making", "many", "may", "maybe", "me", "meanwhile", "might", "more", "moreover",
            "most", "mostly", "much", "must", "my", "myself", "near", "nearly", "neither", "never", "nevertheless",
            "no", "nobody", "none", "nor", "not", "nothing", "now", "of", "off", "often", "on", "once", "one",
            "only", "onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own",
            "per", "perhaps", "put", "quite", "rather", "really", "said", "same", "say", "says", "see", "seem",
            "seemed", "seems", "seen", "several", "shall", "she", "she'd", "she'll", "she's", "should",
            "shouldn't", "since", "so", "some", "somehow", "someone", "something", "sometimes", "still", "such",
            "take", "taken", "than", "that", "that's", "the", "their", "theirs", "them", "themselves", "then",
            "there", "there's", "thereafter", "therefore", "these", "they", "they'd", "they'll", "they're",
            "they've", "this", "those", "though", "through", "throughout", "thus", "till", "to", "together",
            "too", "toward", "towards", "under", "unless", "until", "up", "upon", "us", "very", "via", "was",
            "wasn't", "way", "we", "we'd", "we'll", "we're", "we've", "well", "were", "weren't", "what", "what's",
            "whatever", "when", "whenever", "where", "whereas", "whether", "which", "while", "who", "who's",
            "whoever", "whole", "whom", "whose", "why", "will", "with", "within", "without", "won't", "would",
            "wouldn't", "yet", "you", "you'd", "you'll", "you're", "you've", "your", "yours", "yourself",
            "yourselves", "told", "tell", "went", "want", "wanted", "two", "three", "first", "new", "next",
            "time", "year", "years", "people", "day", "days", "week", "weeks", "there'd", "who'd", "where's",
        ]

        static let months = [
            "january", "february", "march", "april", "may", "june",
            "july", "august", "september", "october", "november", "december",
        ]

        /// The month number of a full or abbreviated English month name.
        static func month(_ word: String) -> Int? {
            if let full = months.firstIndex(of: word) { return full + 1 }
            if word == "sept" { return 9 }
            guard word.count == 3 else { return nil }
            return months.firstIndex { $0.hasPrefix(word) }.map { $0 + 1 }
        }

        static let weekdays: Set<String> = [
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        ]

        static let ordinals: Set<String> = ["st", "nd", "rd", "th"]

        /// Job titles that follow a name in a byline: "Jane Doe, Chief Political Correspondent".
        static let roles: Set<String> = [
            "writer", "correspondent", "editor", "reporter", "columnist", "contributor", "journalist", "producer",
            "analyst", "critic", "staff", "chief", "senior", "writers", "reporters", "editors",
        ]

        /// Words that may precede "by" in a byline.
        static let bylineLeads: Set<String> = [
            "posted", "written", "story", "words", "text", "reporting", "report", "published", "article", "opinion",
            "analysis", "interview", "review", "column", "edited", "compiled",
        ]

        static let dateWords: Set<String> = [
            "published", "updated", "posted", "modified", "am", "pm", "gmt", "utc", "est", "edt", "pst", "pdt",
            "cet", "bst", "ist", "today", "yesterday", "ago", "min", "mins", "minute", "minutes", "hour", "hours",
        ]

        /// Lowercase parts of personal names that a byline keeps.
        static let nameParticles: Set<Substring> = [
            "and", "de", "del", "della", "da", "das", "di", "dos", "du", "la", "le", "van", "von", "der", "den",
            "bin", "al", "el", "ter", "y",
        ]

        static let agencies: [String: String] = [
            "AP": "The Associated Press",
            "AFP": "Agence France-Presse",
            "UPI": "United Press International",
        ]

        static let currencySymbols: Set<Substring> = [
            "$", "€", "£", "¥", "₹", "₩", "₽", "₺", "₪", "฿", "₫", "₱", "₦", "¢",
        ]

        static let currencyCodes: Set<Substring> = [
            "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "AUD", "CAD", "NZD", "CHF", "SGD", "HKD", "MYR", "RM",
            "IDR", "Rp", "PHP", "THB", "ZAR", "BRL", "MXN", "SEK", "NOK", "DKK", "PLN", "TRY", "AED", "SAR",
            "Rs", "KRW",
        ]

        static let periods: Set<String> = ["month", "mo", "mth", "year", "yr", "week", "wk", "day", "issue"]

        static let promotion: Set<String> = [
            "save", "off", "deal", "deals", "offer", "offers", "discount", "plan", "plans", "trial", "billed",
            "monthly", "annual", "annually", "yearly", "subscribe", "subscription", "premium", "access", "buy",
            "shop", "cart", "checkout", "coupon", "promo", "price", "pricing", "renews", "cancel", "upgrade",
            "thereafter", "value",
        ]

        static let readerPronouns: Set<String> = ["you", "your", "yours", "you're", "you'll", "we", "our", "us", "we're", "we'll"]

        static let callsToAction: Set<String> = [
            "follow", "subscribe", "sign", "join", "download", "get", "click", "tap", "share", "read", "watch",
            "listen", "register", "log", "login", "accept", "allow", "enable", "install", "try", "discover",
            "explore", "contact", "shop", "buy", "like", "support", "donate", "become", "stay", "don't", "never",
        ]

        /// Vocabulary of site furniture that, addressed to the reader, marks a notice rather than prose.
        static let siteFurniture: Set<String> = [
            "cookie", "cookies", "consent", "newsletter", "newsletters", "subscribe", "subscriber", "subscribers",
            "subscription", "javascript", "browser", "adblock", "adblocker", "paywall", "notifications", "alerts",
            "inbox", "login", "app", "privacy", "updates", "channel", "podcast", "unsubscribe", "sign-up",
        ]

        /// Words of page chrome: navigation, sharing, media widgets, recirculation.
        static let interface: Set<String> = [
            "advertisement", "advertising", "ad", "ads", "sponsored", "promoted", "recommended", "related",
            "trending", "popular", "read", "more", "watch", "video", "videos", "photo", "photos", "gallery",
            "share", "tweet", "email", "print", "comment", "comments", "subscribe", "newsletter", "sign", "login",
            "logout", "log", "register", "menu", "search", "skip", "content", "navigation", "home", "icon", "close",
            "clear", "cookie", "cookies", "accept", "privacy", "policy", "terms", "contact", "next", "previous",
            "prev", "top", "also", "click", "tap", "here", "download", "app", "listen", "follow", "loading",
            "toggle", "settings", "account", "profile", "reply", "replies", "facebook", "twitter", "whatsapp",
            "telegram", "instagram", "linkedin", "pinterest", "reddit", "youtube", "copy", "link", "links",
            "latest", "reading", "expand", "collapse", "hide", "bookmark", "feedback", "sections", "edition",
            "audio",
        ]
    }
}
