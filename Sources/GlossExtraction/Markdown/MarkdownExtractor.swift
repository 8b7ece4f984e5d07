import Foundation

/// Extracts an article from Markdown, with optional YAML-style front matter.
///
/// Front matter between `---` lines gives the title, url, tags, author, date and source; without a
/// title there, the first `# heading` is the title. The body stays Markdown, made easier to read:
/// link targets, images and reference definitions are dropped, runs of blank lines collapse.
enum MarkdownExtractor {
    static func extract(_ text: String) throws(ExtractionError) -> ExtractedArticle {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        let front = frontMatter(&lines)

        var title = front.scalar("title")
        if let heading = firstHeading(in: lines) {
            title = title ?? heading.text
            let isOpening = lines[..<heading.index].allSatisfy { $0.allSatisfy(\.isWhitespace) }
            if isOpening, title == heading.text { lines.removeSubrange(heading.index..<heading.end) }
        }

        let body = cleanedBody(lines)
        guard !body.isEmpty else { throw .noArticleText }
        var tags: [String] = []
        for key in ["tags", "keywords"] {
            for tag in front.list(key) where !tags.contains(tag) { tags.append(tag) }
        }
        return ExtractedArticle(
            title: title,
            byline: front.list("author", "authors", "byline").joinedOrNil,
            siteName: front.scalar("source", "site", "site_name", "sitename", "publisher", "publication"),
            published: front.scalar("published", "date", "pubdate", "published_at", "publishdate", "created")
                .flatMap(PlainTextExtractor.isoTimestamp),
            section: front.scalar("section", "category"),
            dateline: nil,
            url: front.scalar("url", "link", "canonical", "canonical_url", "source_url"),
            tags: tags,
            text: body,
            format: .markdown
        )
    }

    // MARK: - Front matter

    /// Front matter values by lowercased key: a scalar, or a list (`[a, b]` or `- a` lines).
    struct FrontMatter {
        var values: [String: [String]] = [:]

        func scalar(_ keys: String...) -> String? {
            keys.lazy.compactMap { values[$0]?.first }.first { !$0.isEmpty }
        }

        func list(_ keys: String...) -> [String] {
            keys.lazy.compactMap { values[$0] }.first { !$0.isEmpty } ?? []
        }
    }

    /// Parses and removes the front matter that opens `lines`, if any.
    static func frontMatter(_ lines: inout [String]) -> FrontMatter {
        var front = FrontMatter()
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces).trimmingPrefixBOM == "---",
              let close = lines.dropFirst().firstIndex(where: { ["---", "..."].contains($0.trimmingCharacters(in: .whitespaces)) })
        else { return front }
        var currentKey: String?
        for line in lines[1..<close] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if trimmed.hasPrefix("- "), let key = currentKey {
                let item = unquoted(String(trimmed.dropFirst(2)))
                if !item.isEmpty { front.values[key, default: []].append(item) }
                continue
            }
            guard line.first?.isWhitespace != true, let colon = trimmed.firstIndex(of: ":") else { continue }
            let key = trimmed[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || "_-".contains($0) }) else { continue }
            currentKey = key
            if value.hasPrefix("["), value.hasSuffix("]") {
                front.values[key] = value.dropFirst().dropLast().split(separator: ",")
                    .map { unquoted(String($0)) }.filter { !$0.isEmpty }
            } else if key == "tags" || key == "keywords", !value.hasPrefix("\""), !value.hasPrefix("'") {
                front.values[key] = value.split(separator: ",").map { unquoted(String($0)) }.filter { !$0.isEmpty }
            } else if !value.isEmpty, !["|", ">", "|-", ">-"].contains(value) {
                front.values[key] = [unquoted(value)]
            }
        }
        lines.removeSubrange(0...close)
        return front
    }

    static func unquoted(_ value: String) -> String {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        for quote in ["\"", "'"] where trimmed.count >= 2 && trimmed.hasPrefix(quote) && trimmed.hasSuffix(quote) {
            return String(trimmed.dropFirst().dropLast())
        }
        return trimmed
    }

    // MARK: - Body

    /// The first level-one heading outside code, ATX (`# Title`) or setext (`Title` over `===`).
    static func firstHeading(in lines: [String]) -> (index: Int, end: Int, text: String)? {
        var inFence = false
        for (index, line) in lines.enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { inFence.toggle() }
            if inFence { continue }
            if trimmed.hasPrefix("# ") {
                var heading = Substring(trimmed.dropFirst(2))
                while heading.hasSuffix("#") { heading = heading.dropLast() }
                let text = stripInline(heading.trimmingCharacters(in: .whitespaces))
                if !text.isEmpty { return (index, index + 1, text) }
            }
            if index + 1 < lines.count, !trimmed.isEmpty,
               lines[index + 1].trimmingCharacters(in: .whitespaces).allSatisfy({ $0 == "=" }),
               lines[index + 1].contains("="), index == 0 || lines[index - 1].allSatisfy(\.isWhitespace) {
                return (index, index + 2, stripInline(trimmed))
            }
        }
        return nil
    }

    /// The body lines, readable: inline links reduced to their text (outside code), images and link
    /// definitions dropped, trailing spaces trimmed, never two blank lines in a row.
    static func cleanedBody(_ lines: [String]) -> String {
        var out: [String] = []
        var inFence = false
        for line in lines {
            let trimmedEnd = String(line.reversed().drop(while: \.isWhitespace).reversed())
            let trimmed = trimmedEnd.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                out.append(trimmedEnd)
                continue
            }
            if inFence {
                if !trimmedEnd.isEmpty || out.last?.isEmpty == false { out.append(trimmedEnd) }
                continue
            }
            if trimmed.isEmpty {
                if let last = out.last, !last.isEmpty { out.append("") }
                continue
            }
            if isLinkDefinition(trimmed) { continue }
            let cleaned = stripInline(trimmedEnd)
            if cleaned.allSatisfy(\.isWhitespace) { continue }
            out.append(cleaned)
        }
        while out.last?.isEmpty == true { out.removeLast() }
        return out.joined(separator: "\n")
    }

    static func isLinkDefinition(_ line: String) -> Bool {
        guard line.hasPrefix("["), let close = line.firstIndex(of: "]") else { return false }
        return line[line.index(after: close)...].hasPrefix(":")
    }

    /// Rewrites `[text](url)` and `[text][ref]` to `text` and drops `![alt](url)`, leaving code spans
    /// alone. Brackets are matched in one pass, so the work stays linear on any input.
    static func stripInline(_ line: String) -> String {
        let characters = Array(line)
        let count = characters.count
        var code = Array(repeating: false, count: count)
        var runs: [(start: Int, length: Int)] = []
        var index = 0
        while index < count {
            if characters[index] == "`" {
                let start = index
                while index < count, characters[index] == "`" { index += 1 }
                runs.append((start, index - start))
            } else {
                index += 1
            }
        }
        var nextSameLength = Array(repeating: -1, count: runs.count)
        var lastByLength: [Int: Int] = [:]
        for run in runs.indices.reversed() {
            nextSameLength[run] = lastByLength[runs[run].length] ?? -1
            lastByLength[runs[run].length] = run
        }
        var run = 0
        while run < runs.count {
            let closing = nextSameLength[run]
            guard closing >= 0 else {
                run += 1
                continue
            }
            let end = runs[closing].start + runs[closing].length
            for position in runs[run].start..<end { code[position] = true }
            run = closing + 1
        }

        var partner = Array(repeating: -1, count: count)
        var squares: [Int] = []
        var rounds: [Int] = []
        var escaped = false
        for position in 0..<count where !code[position] {
            if escaped {
                escaped = false
                continue
            }
            switch characters[position] {
            case "\\": escaped = true
            case "[": squares.append(position)
            case "]":
                if let open = squares.popLast() {
                    partner[open] = position
                    partner[position] = open
                }
            case "(": rounds.append(position)
            case ")":
                if let open = rounds.popLast() {
                    partner[open] = position
                    partner[position] = open
                }
            default: break
            }
        }

        var skipFrom = Array(repeating: -1, count: count)
        var out = ""
        var position = 0
        while position < count {
            if skipFrom[position] >= 0 {
                position = skipFrom[position]
                continue
            }
            let character = characters[position]
            if !code[position], character == "[" || (character == "!" && position + 1 < count && characters[position + 1] == "["),
               let target = linkTarget(opening: character == "!" ? position + 1 : position, characters, partner) {
                if character == "!" {
                    position = target + 1
                    if out.last == " ", position < count, characters[position] == " " { position += 1 }
                } else {
                    skipFrom[partner[position]] = target + 1
                    position += 1
                }
                continue
            }
            out.append(character)
            position += 1
        }
        return out
    }

    /// The index of the `)` or `]` that ends the link target after the text opened at `opening`.
    static func linkTarget(opening: Int, _ characters: [Character], _ partner: [Int]) -> Int? {
        let close = partner[opening]
        guard close > opening, close + 1 < characters.count else { return nil }
        let after = close + 1
        guard characters[after] == "(" || characters[after] == "[", partner[after] > after else { return nil }
        return partner[after]
    }
}

private extension Array where Element == String {
    var joinedOrNil: String? { isEmpty ? nil : joined(separator: ", ") }
}

private extension String {
    var trimmingPrefixBOM: Substring { drop { $0 == "\u{FEFF}" } }
}
