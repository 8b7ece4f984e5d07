import Foundation

/// Turns the lines of a PDF's pages into an article body: paragraphs separated by "\n\n".
///
/// - Running headers and footers (a line among the first or last two of at least half the pages,
///   the same but for its digits) and page numbers ("7", "Page 7", "7 of 12", "- 7 -") are
///   dropped from a page's top and bottom, up to two lines at each, stopping at the first line
///   that is neither.
/// - Lines join into paragraphs: a line break inside a paragraph becomes a space; a vertical gap
///   clearly larger than the document's usual line spacing starts a new paragraph. A paragraph
///   carries on over a page (or column) break when its last line stops mid-sentence and the next
///   starts in lower case.
/// - A word hyphenated at a line end is joined again ("infor-" + "mation" → "information") when
///   both parts are lower-case letters; a soft hyphen at a line end is always removed.
enum PDFTextCleaner {
    typealias Line = PDFExtractor.Line

    /// How many lines at each end of a page are looked at for headers, footers and page numbers.
    static let edgeLines = 2

    static func clean(pages: [[Line]]) -> String {
        let pages = pages.map { page in
            page.map { Line(text: normalized($0.text), top: $0.top, bottom: $0.bottom) }.filter { !$0.text.isEmpty }
        }
        let running = runningKeys(pages)
        let kept = pages.map { page in
            // Peeled from each edge inwards, stopping at the first line that is the page's own.
            let furniture = { (line: Line) in isPageNumber(line.text) || running.contains(key(line.text)) }
            var lines = page[...]
            for _ in 0..<edgeLines { if let first = lines.first, furniture(first) { lines.removeFirst() } else { break } }
            for _ in 0..<edgeLines { if let last = lines.last, furniture(last) { lines.removeLast() } else { break } }
            return Array(lines)
        }
        return paragraphs(kept, pitch: typicalPitch(kept)).joined(separator: "\n\n")
    }

    // MARK: - Headers, footers and page numbers

    /// A line's identity for spotting repeats: lower case, digits collapsed, spaces single.
    static func key(_ text: String) -> String {
        var key = ""
        var lastWasDigit = false
        for character in text.lowercased() {
            if character.isNumber {
                if !lastWasDigit { key.append("#") }
                lastWasDigit = true
            } else {
                key.append(character)
                lastWasDigit = false
            }
        }
        return key
    }

    /// The keys of lines that open or close at least half the pages (and two at least).
    static func runningKeys(_ pages: [[Line]]) -> Set<String> {
        guard pages.count >= 2 else { return [] }
        var counts: [String: Int] = [:]
        for page in pages {
            let edges = Set(page.prefix(edgeLines).map { key($0.text) } + page.suffix(edgeLines).map { key($0.text) })
            for edge in edges { counts[edge, default: 0] += 1 }
        }
        return Set(counts.filter { $0.value >= 2 && $0.value * 2 >= pages.count }.keys)
    }

    /// "7", "Page 7", "p. 7", "7 of 12", "7/12", "- 7 -", "[7]".
    static func isPageNumber(_ text: String) -> Bool {
        let bare = text.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "-–—[]() "))
        return bare.wholeMatch(of: /(?:page\s+|p\.\s*)?\d{1,5}(?:\s*(?:of|\/)\s*\d{1,5})?/) != nil
    }

    // MARK: - Paragraphs

    /// The usual distance between the tops of consecutive lines of a paragraph, if the layout is
    /// known: the (lower) median of the distances no larger than three line heights (larger ones are gaps
    /// around headings, footers or figures), else a line height and a fifth.
    static func typicalPitch(_ pages: [[Line]]) -> Double? {
        let heights = pages.joined().compactMap { line in line.top.flatMap { top in line.bottom.map { $0 - top } } }
        guard !heights.isEmpty else { return nil }
        let height = median(heights)
        var pitches: [Double] = []
        for page in pages {
            for (previous, line) in zip(page, page.dropFirst()) {
                if let above = previous.top, let top = line.top, top > above, top - above <= 3 * height {
                    pitches.append(top - above)
                }
            }
        }
        return pitches.isEmpty ? height * 1.2 : median(pitches)
    }

    /// The lower median: with paragraph gaps among the distances, the smaller middle value is the
    /// line spacing.
    private static func median(_ values: [Double]) -> Double {
        values.sorted()[(values.count - 1) / 2]
    }

    static func paragraphs(_ pages: [[Line]], pitch: Double?) -> [String] {
        var paragraphs: [String] = []
        for page in pages {
            var previous: Line?
            for line in page {
                if !paragraphs.isEmpty && continues(paragraphs[paragraphs.count - 1], after: previous, with: line, pitch: pitch) {
                    append(line.text, to: &paragraphs[paragraphs.count - 1])
                } else {
                    paragraphs.append(line.text)
                }
                previous = line
            }
        }
        return paragraphs
    }

    /// True when `line` belongs to the paragraph that `previous` (nil at the top of a page) ended.
    static func continues(_ paragraph: String, after previous: Line?, with line: Line, pitch: Double?) -> Bool {
        guard let previous else { return carriesOn(paragraph, line.text) }
        switch (previous.top, line.top, pitch) {
        case let (above?, top?, pitch?) where top > above:
            return top - above <= pitch * 1.3 + 0.5
        case (_?, _?, _?):
            // The next column, or a line placed out of order.
            return carriesOn(paragraph, line.text)
        default:
            // No layout: a paragraph ends with its sentence.
            return !endsSentence(paragraph)
        }
    }

    /// True when a paragraph stops mid-sentence and the next line starts in lower case: a
    /// paragraph going on over a page or column break.
    static func carriesOn(_ paragraph: String, _ next: String) -> Bool {
        guard let first = next.first, first.isLowercase else { return false }
        return !endsSentence(paragraph)
    }

    static func endsSentence(_ text: String) -> Bool {
        guard let last = text.last else { return true }
        return ".!?:;\"”’)".contains(last)
    }

    /// Two lines of one paragraph joined (see ``append(_:to:)``).
    static func joined(_ text: String, _ next: String) -> String {
        var text = text
        append(next, to: &text)
        return text
    }

    /// Adds a paragraph's next line: a hyphenated word made whole, a compound broken at its hyphen
    /// kept whole ("New-" + "York" → "New-York"), else a space between. In place, so a long
    /// paragraph is not copied once per line.
    static func append(_ next: String, to text: inout String) {
        guard let last = text.last else {
            text = next
            return
        }
        if last == "\u{AD}" {
            text.removeLast()
            text += next
            return
        }
        guard last == "-" || last == "\u{2010}", let before = text.dropLast().last, before.isLetter || before.isNumber,
              let first = next.first else {
            text += " " + next
            return
        }
        if before.isLowercase && first.isLowercase && first.isLetter { text.removeLast() }
        text += next
    }

    // MARK: - Characters

    /// The line with typographic ligatures spelt out and runs of whitespace made one space.
    static func normalized(_ text: String) -> String {
        var result = ""
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            if scalar.properties.isWhitespace {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace { result.append(" ") }
            pendingSpace = false
            if let spelt = ligatures[scalar] { result += spelt } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    static let ligatures: [Unicode.Scalar: String] = [
        "\u{FB00}": "ff", "\u{FB01}": "fi", "\u{FB02}": "fl", "\u{FB03}": "ffi", "\u{FB04}": "ffl", "\u{FB05}": "st", "\u{FB06}": "st",
    ]
}
