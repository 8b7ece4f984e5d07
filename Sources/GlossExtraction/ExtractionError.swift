/// Why an input could not be turned into an article.
public enum ExtractionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input holds nothing but whitespace.
    case empty
    /// The input holds NUL bytes or is otherwise clearly not text.
    case binary
    /// The bytes are not valid UTF-8. `declaredBy` names what said they were (the page, the
    /// server, a byte-order mark); nil when nothing declared an encoding Gloss can read.
    case invalidUTF8(declaredBy: String?)
    /// The input has text, but nothing that looks like an article body.
    case noArticleText
    /// The input is larger than Gloss reads (an HTML page of `bytes`, over `limit`).
    case tooLarge(bytes: Int, limit: Int)
    /// The input is not a PDF Gloss can read: damaged, cut short, or not a PDF at all. `reason` is
    /// what the PDF reader said.
    case unreadablePDF(reason: String)
    /// The PDF is protected by a password.
    case encryptedPDF
    /// None of the PDF's `pages` pages carries text: a scan or pictures of pages.
    case noTextLayer(pages: Int)
    /// The input is not an EPUB book (not a zip, or a zip without the EPUB's package); `reason`
    /// says what is missing.
    case notEPUB(reason: String)
    /// The EPUB cannot be read whole: `reason` names the damage (a truncated zip, a missing chapter).
    case damagedEPUB(reason: String)
    /// The EPUB's content is encrypted (DRM), so its chapters cannot be read.
    case encryptedEPUB
    /// The EPUB holds or unpacks to more than Gloss reads (a zip bomb, or no book).
    case epubTooLarge(reason: String)
    /// The PDF reader, poppler-glib, is not installed (or too old to have every function Gloss
    /// calls), so no PDF can be read.
    case pdfReaderMissing

    public var description: String {
        switch self {
        case .empty:
            "the input is empty or only whitespace: give a file or text that contains the article."
        case .binary:
            "the input is binary data, not text: import a plain-text, Markdown, HTML or PDF file."
        case .invalidUTF8(nil):
            "the input is not valid UTF-8 and declares no other encoding Gloss can read: "
                + "convert it to UTF-8 (e.g. with iconv) and import it again."
        case .invalidUTF8(let declaredBy?):
            "\(declaredBy) declares UTF-8, but the input is not valid UTF-8: "
                + "convert it (e.g. with iconv) or fix its charset declaration, and import it again."
        case .noArticleText:
            "no article text was found, only navigation, links or other page furniture: "
                + "copy the article's own paragraphs (or save the article's own page) and import them again."
        case .tooLarge(let bytes, let limit):
            "the page is \(bytes / 1_048_576) MB, more than the \(limit / 1_048_576) MB Gloss reads: "
                + "save just the article (e.g. with the browser's reader view) and import that."
        case .unreadablePDF(let reason):
            "the PDF cannot be read (\(reason)): it is damaged, cut short or not a PDF; "
                + "download or export it again and import the new copy."
        case .encryptedPDF:
            "the PDF is protected by a password: save a copy without the password and import that."
        case .noTextLayer(let pages):
            "the PDF has no text layer (no text on \(pages == 1 ? "its page" : "any of its \(pages) pages"), as in a scan): "
                + "run it through OCR first (e.g. ocrmypdf) and import the result."
        case .notEPUB(let reason):
            "not an EPUB: \(reason). An EPUB is a zip holding META-INF/container.xml and the package file it names."
        case .damagedEPUB(let reason):
            "the EPUB is damaged: \(reason). Download or export the book again and import the new copy."
        case .encryptedEPUB:
            "the EPUB is encrypted (DRM-protected; META-INF/encryption.xml lists its content), so its text cannot be read: "
                + "import a copy without DRM."
        case .epubTooLarge(let reason):
            "the EPUB is larger than Gloss reads: \(reason)."
        case .pdfReaderMissing:
            "reading PDFs needs poppler-glib (Debian: libpoppler-glib8); it is not installed: "
                + "install it and import the PDF again."
        }
    }
}
