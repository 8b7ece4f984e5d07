/// The article's title from the page's `<title>`, without the site name pages add to it
/// ("Story | Site", "Site - Story", "Site: Story"), and the page's only `<h1>` when the
/// `<title>` is far too short or long — Readability's rules.
enum TitleFinder {
    static func title(of document: Document) -> String {
        let original = documentTitle(document)
        var title = original
        var hadHierarchicalSeparators = false

        if hasSeparator(title) {
            hadHierarchicalSeparators = ["\\", "/", ">", "»"].contains { title.contains(" \($0) ") }
            title = beforeLastSeparator(original)
            if readingWordCount(title) < 3 { title = afterFirstSeparator(original) }
        } else if title.contains(": ") {
            let trimmed = title.trimmingSpaces
            let headingMatches = document.descendants(document.root, [.h1, .h2]).contains {
                document.textContent($0).trimmingSpaces == trimmed
            }
            if !headingMatches, let lastColon = original.lastIndex(of: ":"), let firstColon = original.firstIndex(of: ":") {
                title = String(original[original.index(after: lastColon)...])
                if wordCount(title) < 3 {
                    title = String(original[original.index(after: firstColon)...])
                } else if wordCount(String(original[..<firstColon])) > 5 {
                    title = original
                }
            }
        } else if title.utf16.count > 150 || title.utf16.count < 15 {
            let headings = document.descendants(document.root, .h1)
            if headings.count == 1 { title = document.innerText(headings[0]) }
        }

        title = Document.normalizingSpaces(title)
        let words = wordCount(title)
        if readingWordCount(title) <= 4,
           !hadHierarchicalSeparators || words != wordCount(String(original.unicodeScalars.filter { !separators.contains($0) })) - 1 {
            title = original
        }
        return title
    }

    /// The text of the first `<title>` outside SVG, whitespace collapsed.
    static func documentTitle(_ document: Document) -> String {
        let element = document.descendants(document.root, .title).first { !document.hasAncestor($0, .svg, maxDepth: 0) }
        guard let element else { return "" }
        let text = document.childNodes(element).filter(document.isText).map(document.text).joined()
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\u{0C}" })
            .joined(separator: " ")
    }

    private static let separators: Set<Unicode.Scalar> = ["|", "-", "–", "—", "\\", "/", ">", "»"]

    /// " | ", " - ", " / " and the like.
    private static func hasSeparator(_ title: String) -> Bool {
        let scalars = Array(title.unicodeScalars)
        guard scalars.count >= 3 else { return false }
        for index in 1..<(scalars.count - 1) where separators.contains(scalars[index]) {
            if scalars[index - 1] == " ", scalars[index + 1] == " " { return true }
        }
        return false
    }

    /// Everything before the last separator that a space follows.
    private static func beforeLastSeparator(_ title: String) -> String {
        let scalars = Array(title.unicodeScalars)
        guard scalars.count >= 2 else { return title }
        for index in stride(from: scalars.count - 2, through: 0, by: -1)
        where separators.contains(scalars[index]) && scalars[index + 1] == " " {
            return String(String.UnicodeScalarView(scalars[..<index]))
        }
        return title
    }

    /// Everything after the first separator.
    private static func afterFirstSeparator(_ title: String) -> String {
        let scalars = Array(title.unicodeScalars)
        guard let index = scalars.firstIndex(where: separators.contains) else { return title }
        return String(String.UnicodeScalarView(scalars[(index + 1)...]))
    }

    /// ``wordCount(_:)`` with every two characters of a script written without spaces (Chinese,
    /// Japanese) counted as a word, so that such a title is as long as it reads.
    static func readingWordCount(_ text: String) -> Int {
        wordCount(text) + text.unicodeScalars.count(where: { $0.value >= 0x2E80 }) / 2
    }

    /// The pieces between whitespace runs, counting empty ones at the ends as JavaScript's
    /// `split(/\s+/)` does.
    static func wordCount(_ text: String) -> Int {
        var count = 1
        var inSpace = false
        for scalar in text.unicodeScalars {
            let isSpace = TextMeasure.isSpace(scalar)
            if isSpace, !inSpace { count += 1 }
            inSpace = isSpace
        }
        return count
    }
}
