import CPDFLoader
import Foundation
import Synchronization

/// Turns a PDF's bytes into an article: its text layer read with poppler, page by page in order,
/// cleaned by ``PDFTextCleaner``, with the document's title, author and creation date.
///
/// A damaged file, or one that is not a PDF, is refused with ``ExtractionError/unreadablePDF(reason:)``;
/// a password-protected one with ``ExtractionError/encryptedPDF``; one whose pages carry no text (a
/// scan) with ``ExtractionError/noTextLayer(pages:)``. poppler is loaded the first time a PDF is
/// read (CPDFLoader); without it every PDF is refused with ``ExtractionError/pdfReaderMissing``.
enum PDFExtractor {
    /// One line of a page's text, with its vertical extent in points from the top of the page
    /// (nil when poppler gave no layout for it).
    struct Line: Sendable, Equatable {
        var text: String
        var top: Double?
        var bottom: Double?
    }

    /// What poppler read: metadata and the text of each page, as lines in reading order.
    struct Document: Sendable {
        var title: String?
        var author: String?
        var created: Date?
        var pages: [[Line]]
    }

    /// poppler keeps process-wide state (its global parameters, font caches) that it does not
    /// promise to guard, so documents are read one at a time.
    private static let lock = Mutex(())

    static func extract(_ bytes: [UInt8]) throws(ExtractionError) -> ExtractedArticle {
        let document = try read(bytes)
        let body = PDFTextCleaner.clean(pages: document.pages)
        guard !body.isEmpty else {
            throw .noTextLayer(pages: document.pages.count)
        }
        let input = document.pages.joined().map(\.text).joined(separator: "\n")
        return ExtractedArticle(
            title: document.title.flatMap { isPlaceholderTitle($0) ? nil : $0 },
            byline: document.author,
            published: document.created.map(Self.timestamp),
            text: body,
            format: .pdf,
            coverage: ExtractionCoverage(
                inputCharacters: ExtractionCoverage.characters(in: input),
                keptCharacters: ExtractionCoverage.characters(in: body)
            )
        )
    }

    /// True when the bytes open with the PDF signature (readers accept it anywhere in the first
    /// kilobyte, after junk some producers write first).
    static func looksLikePDF(_ bytes: some Collection<UInt8>) -> Bool {
        let signature = Array("%PDF-".utf8)
        let head = Array(bytes.prefix(1024))
        guard head.count >= signature.count else { return false }
        return (0...(head.count - signature.count)).contains { head[$0..<$0 + signature.count].elementsEqual(signature) }
    }

    /// A title field that names the file or the tool rather than the work: "Microsoft Word -
    /// draft.docx", "paper.pdf", "untitled". Such a title is left out, and the store titles the
    /// article by its first line.
    static func isPlaceholderTitle(_ title: String) -> Bool {
        let lowered = title.lowercased()
        if lowered.hasPrefix("microsoft word - ") || ["untitled", "title", "untitled document"].contains(lowered) { return true }
        let extensions = [".pdf", ".doc", ".docx", ".odt", ".rtf", ".tex", ".dvi", ".ps", ".indd", ".qxd", ".txt"]
        return !lowered.contains(" ") && extensions.contains { lowered.hasSuffix($0) }
    }

    // MARK: - poppler

    /// Opens the document and reads its metadata and every page's text and line positions.
    static func read(_ bytes: [UInt8]) throws(ExtractionError) -> Document {
        guard bytes.contains(where: { !ArticleExtractor.isASCIISpace($0) }) else { throw .empty }
        guard gloss_pdf_available() else { throw .pdfReaderMissing }
        return try lock.withLock { _ throws(ExtractionError) -> Document in
            var code: Int32 = 0
            var message: UnsafeMutablePointer<CChar>?
            let opened = bytes.withUnsafeBytes { gloss_pdf_open($0.baseAddress, $0.count, nil, &code, &message) }
            guard let document = opened else {
                let reason = message.map { String(cString: $0) } ?? "no reason given"
                free(message)
                if code == GLOSS_PDF_ERROR_ENCRYPTED { throw .encryptedPDF }
                throw .unreadablePDF(reason: reason)
            }
            defer { gloss_pdf_release(document) }
            let count = Int(gloss_pdf_page_count(document))
            guard count > 0 else { throw .unreadablePDF(reason: "the document has no pages") }
            let created = gloss_pdf_creation_date(document)
            return Document(
                title: take(gloss_pdf_title(document)),
                author: take(gloss_pdf_author(document)),
                created: created > 0 ? Date(timeIntervalSince1970: TimeInterval(created)) : nil,
                pages: (0..<count).map { lines(ofPage: $0, in: document) }
            )
        }
    }

    /// The page's text split into lines, each with the extent of its characters.
    private static func lines(ofPage index: Int, in document: UnsafeMutableRawPointer) -> [Line] {
        guard let page = gloss_pdf_page(document, Int32(index)) else { return [] }
        defer { gloss_pdf_release(page) }
        guard let text = take(gloss_pdf_page_text(page), trimming: false) else { return [] }
        var rectangles: UnsafeMutablePointer<GlossPDFRectangle>?
        var rectangleCount: UInt32 = 0
        let hasLayout = gloss_pdf_page_layout(page, &rectangles, &rectangleCount)
        defer { gloss_pdf_free(rectangles) }
        // The layout holds one rectangle per character of the text (line breaks included).
        let scalars = Array(text.unicodeScalars)
        let layout: UnsafeMutablePointer<GlossPDFRectangle>? = hasLayout && Int(rectangleCount) == scalars.count ? rectangles : nil
        var lines: [Line] = []
        var start = 0
        for end in 0...scalars.count where end == scalars.count || scalars[end] == "\n" {
            var line = Line(text: String(String.UnicodeScalarView(scalars[start..<end])))
            if let layout {
                for offset in start..<end where !scalars[offset].properties.isWhitespace {
                    let box = layout[offset]
                    line.top = min(line.top ?? box.y1, box.y1)
                    line.bottom = max(line.bottom ?? box.y2, box.y2)
                }
            }
            lines.append(line)
            start = end + 1
        }
        return lines
    }

    /// A string poppler allocated, as a Swift string (trimmed, nil when blank), freed.
    private static func take(_ pointer: UnsafeMutablePointer<CChar>?, trimming: Bool = true) -> String? {
        guard let pointer else { return nil }
        defer { gloss_pdf_free(pointer) }
        let string = String(cString: pointer)
        guard trimming else { return string }
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    private static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
