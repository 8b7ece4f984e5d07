import Foundation

extension ArticleExtractor {
    /// Extracts an article from an HTML page's bytes; `charset` is what the server said in its
    /// `Content-Type`, if anything (else the page's byte-order mark, its bytes and its own
    /// declaration decide).
    public static func extract(html bytes: [UInt8], charset: String?) throws(ExtractionError) -> ExtractedArticle {
        try checkIsText(bytes)
        return article(from: try HTMLExtractor.extract(bytes, charset: charset))
    }

    /// Extracts an article from an HTML page already decoded.
    static func extract(html text: String) throws(ExtractionError) -> ExtractedArticle {
        article(from: try HTMLExtractor.extract(text: text))
    }

    /// The article in Gloss's terms: a date made ISO 8601, the dateline and wire service of the
    /// opening paragraph, and a byline as plain text reads one: from the markup's byline ("By
    /// Mara Quinn" is Mara Quinn), else from the text's first lines (that line, "By … · date",
    /// then leaves the body).
    static func article(from page: HTMLArticle) -> ExtractedArticle {
        var paragraphs = page.text.components(separatedBy: "\n\n")
        var byline = page.byline.map { PlainTextExtractor.byline(ofLine: $0) ?? $0 }
        if byline == nil {
            for index in paragraphs.indices.prefix(2) {
                guard let found = PlainTextExtractor.byline(ofLine: paragraphs[index]) else { continue }
                byline = found
                if paragraphs[index].count <= 100, paragraphs[index].hasPrefix("By "), paragraphs.count > 1 { paragraphs.remove(at: index) }
                break
            }
        }
        // A first line that is only the byline and the date repeats what the header says.
        if paragraphs.count > 1, let first = paragraphs.first, isBylineAndDate(first, byline: byline) { paragraphs.removeFirst() }
        let opening = paragraphs.prefix(3).lazy.compactMap(PlainTextExtractor.opening(of:)).first
        let text = paragraphs.joined(separator: "\n\n")
        return ExtractedArticle(
            title: page.title,
            byline: byline,
            siteName: page.siteName ?? opening?.source,
            published: page.published.flatMap(PlainTextExtractor.isoTimestamp)
                ?? PlainTextExtractor.publishedDate(in: header(of: paragraphs), titleIndex: nil),
            section: page.section,
            dateline: opening?.dateline,
            url: page.url,
            tags: page.tags,
            text: text,
            format: .html,
            coverage: ExtractionCoverage(
                inputCharacters: page.pageCharacters,
                keptCharacters: TextMeasure.nonWhitespaceScalars(in: text)
            )
        )
    }

    /// The first paragraphs as the plain-text reader sees them, to find a date the metadata does not give.
    private static func header(of paragraphs: [String]) -> ArraySlice<PlainTextExtractor.Paragraph> {
        paragraphs.prefix(3).enumerated().map { PlainTextExtractor.Paragraph(text: $1, block: $0) }[...]
    }

    /// Whether a line is a date, with the byline's names beside it at most ("Mara Quinn 2024-03-12").
    static func isBylineAndDate(_ line: String, byline: String?) -> Bool {
        guard line.count <= 80, PlainTextExtractor.isoDate(in: line) != nil else { return false }
        var rest = line
        if let byline, !byline.isEmpty { rest = rest.replacingOccurrences(of: byline, with: " ") }
        // What is left is the date itself: digits, separators and at most two words (a month, a weekday).
        let words = rest.split(whereSeparator: { !$0.isLetter }).filter { !$0.isEmpty }
        return words.count <= 2
    }
}
