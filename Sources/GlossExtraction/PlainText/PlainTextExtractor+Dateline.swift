import Foundation

/// The dateline and source of a report's opening ("CITY (Source) - …"), and the source a
/// copyright line or a photo credit names.
extension PlainTextExtractor {
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
        // The line's first token must be a marker: most lines are ruled out by their first bytes.
        guard text.hasPrefix("©") || text.hasPrefix("(") || text.utf8.prefix(9).lazy.map(ASCII.lowercased).elementsEqual("copyright".utf8),
              text.count <= 200 else { return nil }
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
        // Every credit has its slash: most paragraphs are ruled out without more work.
        guard text.utf8.contains(UInt8(ascii: "/")) else { return nil }
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
}
