import Foundation

/// Title, section, byline and publication date, read only from the short lines above the body.
extension PlainTextExtractor {
    /// How many lines right above the body the title is looked for in first: a copied page puts
    /// its menus, and often other stories' headlines, above the article's own title.
    static let titleReach = 30
    /// How many of a title's words (three letters or more) the body must repeat for it to be told
    /// from the share labels, names and captions around it.
    static let titleEcho = 2

    /// The title among the lines right above the body (`titleReach`): of those that read like a
    /// headline, the one that shares the most words with `body`, a headline naming what its
    /// article is about, where share labels, names and other stories' headlines do not; the
    /// first headline there if none shares `titleEcho` words, and the first title-shaped line of
    /// the whole header if none is that near.
    static func titleIndex(in header: ArraySlice<Paragraph>, body: [Paragraph]) -> Int? {
        let near = header.indices.suffix(titleReach).filter { header[$0].isTitleCandidate }
        guard !near.isEmpty else { return titleIndex(in: header) }
        let headlines = near.filter { header[$0].wordCount >= 3 && header[$0].hasLowercaseWord }
        let choices = headlines.isEmpty ? near : headlines
        var titleWords: Set<String> = []
        for index in choices {
            for word in header[index].words where word.count >= 3 { titleWords.insert(word.lowercased()) }
        }
        // Only the candidates' words are looked for in the body, so that a long body costs a pass
        // over its tokens and no set of its own.
        var echoed: Set<String> = []
        for paragraph in body {
            for token in paragraph.tokens where token.kind == .word && token.text.count >= 3 {
                let word = token.text.lowercased()
                if titleWords.contains(word) { echoed.insert(word) }
            }
        }
        var best: (index: Int, echo: Int)?
        for index in choices {
            let words = Set(header[index].words.filter { $0.count >= 3 }.map { $0.lowercased() })
            let echo = words.filter(echoed.contains).count
            if echo >= titleEcho, echo > best?.echo ?? 0 { best = (index, echo) }
        }
        return best?.index ?? choices.first
    }

    /// The first title-shaped line above the body, preferring one that reads like a headline and
    /// is not the site's name atop a menu.
    static func titleIndex(in header: ArraySlice<Paragraph>) -> Int? {
        var fallback: Int?
        for index in header.indices where header[index].isTitleCandidate {
            if header[index].wordCount >= 3, header[index].hasLowercaseWord, !isInMenuBlock(index, header) { return index }
            fallback = fallback ?? index
        }
        return fallback
    }

    /// Whether the line shares its blank-line block with three or more menu labels.
    static func isInMenuBlock(_ index: Int, _ header: ArraySlice<Paragraph>) -> Bool {
        let block = header[index].block
        let labels = header.indices.filter { other in
            other != index && header[other].block == block
                && (isSectionLabel(header[other].text, language: header[other].stoplist.language) || header[other].isInterfaceLabel)
        }
        return labels.count >= 3
    }

    /// A bulleted label, a breadcrumb, or a label right under the title.
    static func section(in header: ArraySlice<Paragraph>, titleIndex: Int?) -> String? {
        for index in header.indices where index != titleIndex && header[index].length <= 80 {
            let paragraph = header[index]
            if paragraph.startsWithBullet {
                let label = collapsingWhitespace(paragraph.text.dropFirst())
                if isSectionLabel(label, language: paragraph.stoplist.language) { return label }
            }
            for separator in [" › ", " > ", " » ", " / ", " | "] where paragraph.text.contains(separator) {
                let parts = paragraph.text.components(separatedBy: separator)
                if parts.allSatisfy({ isSectionLabel($0, language: paragraph.stoplist.language) }),
                   let part = parts.first(where: { !["home", "news"].contains($0.lowercased()) }) {
                    return part
                }
            }
            if let titleIndex, index > titleIndex, index <= titleIndex + 2, isSectionLabel(paragraph.text, language: paragraph.stoplist.language) {
                return paragraph.text
            }
        }
        return nil
    }

    /// `language`: the page's, whose by-words are no label's words (nil: any language's).
    static func isSectionLabel(_ text: String, language: Language?) -> Bool {
        let tokens = Token.scan(text[...])
        let words = tokens.filter { $0.kind == .word }
        guard text.count <= 30, (1...3).contains(words.count),
              tokens.allSatisfy({ $0.kind == .word || $0.text == "&" || $0.text == "-" }) else { return false }
        return words.allSatisfy { word in
            let lower = word.text.lowercased()
            return word.text.first?.isUppercase == true && Lexicon.month(lower) == nil
                && !Lexicon.weekdays.contains(lower) && !Lexicon.interface.contains(lower) && !Lexicon.byWords(in: language).contains(lower)
        }
    }

    /// The byline of one line of text on its own, as `byline(in:titleIndex:)` reads it.
    /// A line known to be a byline (a page's metadata) may be in any language's words.
    static func byline(ofLine text: String) -> String? {
        byline(in: [Paragraph(text: text, block: 0)][...], titleIndex: nil, anyLanguage: true)
    }

    /// The names after "By" (or "Von", "di", "por", "par", "oleh", ...) on a short header line:
    /// "By Jane Doe", "Posted on March 3, 2022 by Jane Doe", "Pubblicato il 14 ottobre 2023 da Marta".
    static func byline(in header: ArraySlice<Paragraph>, titleIndex: Int?, anyLanguage: Bool = false) -> String? {
        for index in header.indices where index != titleIndex && header[index].length <= 150 {
            let paragraph = header[index]
            let tokens = paragraph.tokens
            let byWords = Lexicon.byWords(in: anyLanguage ? nil : paragraph.stoplist.language)
            guard let by = tokens.firstIndex(where: { $0.kind == .word && byWords.contains($0.text.lowercased()) }) else { continue }
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
}
