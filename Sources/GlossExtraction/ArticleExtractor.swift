public import Foundation

/// Turns imported bytes or text into an ``ExtractedArticle``.
///
/// The format is the explicit hint, else the file extension's, else what the content looks like;
/// bytes that open with the PDF signature are read as a PDF whatever their file is called.
/// Text and Markdown are read as UTF-8 or UTF-16 (a byte-order mark is honoured); HTML in the
/// encoding its bytes, its server or its own declaration name (see ``HTMLExtractor``). Binary input,
/// empty input and input with no article text are rejected with an ``ExtractionError`` that says
/// what to do.
public enum ArticleExtractor {
    /// Detects the format (explicit hint, else file extension, else content sniffing) and extracts.
    public static func extract(
        data: Data, filename: String?, format: SourceFormat? = nil
    ) throws(ExtractionError) -> ExtractedArticle {
        let bytes = [UInt8](data)
        let hinted = format ?? filename.flatMap(detectedFormat(forFilename:))
        if hinted == .pdf || (format == nil && PDFExtractor.looksLikePDF(bytes)) {
            return try PDFExtractor.extract(bytes)
        }
        // A zip is read as an EPUB whatever its name says, unless the caller named a format.
        if format == .epub || (format == nil && (hinted == .epub || EPUBExtractor.isZip(bytes))) {
            return try EPUBExtractor.extract(bytes)
        }
        if hinted == .html || (hinted == nil && looksLikeHTML(bytes.prefix(1024))) {
            return try extract(html: bytes, charset: nil)
        }
        let text = try decode(bytes)
        return try extract(text: text, format: hinted ?? sniffedFormat(text))
    }

    /// Extracts an article from text already decoded, in the given format.
    public static func extract(text: String, format: SourceFormat) throws(ExtractionError) -> ExtractedArticle {
        if text.utf8.contains(0) { throw .binary }
        guard text.contains(where: { !$0.isWhitespace }) else { throw .empty }
        var article: ExtractedArticle
        switch format {
        case .plainText: article = try PlainTextExtractor.extract(text)
        case .markdown: article = try MarkdownExtractor.extract(text)
        case .html: return try extract(html: text)
        case .pdf: return try PDFExtractor.extract(Array(text.utf8))
        case .epub: throw .notEPUB(reason: "the input is text, not a zip archive")
        }
        article.coverage = ExtractionCoverage(
            inputCharacters: ExtractionCoverage.characters(in: text),
            keptCharacters: ExtractionCoverage.characters(in: article.text)
        )
        return article
    }

    // MARK: - Format

    /// The format a file extension names, if it names one.
    static func detectedFormat(forFilename filename: String) -> SourceFormat? {
        let name = filename.split(separator: "/").last ?? Substring(filename)
        guard let dot = name.lastIndex(of: ".") else { return nil }
        switch name[name.index(after: dot)...].lowercased() {
        case "txt", "text": return .plainText
        case "md", "markdown", "mdown", "mkd", "mkdn", "mdwn": return .markdown
        case "html", "htm", "xhtml", "shtml": return .html
        case "pdf": return .pdf
        case "epub": return .epub
        default: return nil
        }
    }

    /// HTML when the text opens with markup; Markdown when it has front matter or opens with a
    /// heading, or shows several Markdown constructs; else plain text.
    static func sniffedFormat(_ text: String) -> SourceFormat {
        if looksLikeHTML(Array(text.utf8.prefix(1024))[...]) { return .html }
        let lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).prefix(200)
        guard let first = lines.first?.trimmingCharacters(in: .whitespaces) else { return .plainText }
        if first == "---", lines.dropFirst().prefix(30).contains(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) {
            return .markdown
        }
        if first.hasPrefix("# ") { return .markdown }
        var signs = 0
        for line in lines {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("## ") || trimmed.hasPrefix("### ") || trimmed.hasPrefix("```") || trimmed.hasPrefix("> ") {
                signs += 1
            }
            if trimmed.contains("](") { signs += 1 }
        }
        return signs >= 2 ? .markdown : .plainText
    }

    static func looksLikeHTML(_ prefix: ArraySlice<UInt8>) -> Bool {
        let head = String(decoding: prefix, as: UTF8.self).lowercased()
        let opening = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if opening.hasPrefix("<!doctype html") || opening.hasPrefix("<html") || (opening.hasPrefix("<?xml") && head.contains("<html")) {
            return true
        }
        let markers = ["<head", "<body", "<meta", "<p>", "<div", "<article", "<title"]
        return opening.hasPrefix("<") && markers.contains { head.contains($0) }
    }

    // MARK: - Decoding

    /// The bytes as text: UTF-8, or UTF-8 or UTF-16 with a byte-order mark.
    static func decode(_ bytes: [UInt8]) throws(ExtractionError) -> String {
        try checkIsText(bytes)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard let text = String(data: Data(bytes), encoding: .utf16) else { throw .invalidUTF8(declaredBy: nil) }
            return text
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        guard let text = String(validating: body, as: UTF8.self) else { throw .invalidUTF8(declaredBy: nil) }
        return text
    }

    /// Rejects input that is empty, blank or binary (UTF-16 with a byte-order mark is text).
    static func checkIsText(_ bytes: [UInt8]) throws(ExtractionError) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            guard bytes.count > 2 else { throw .empty }
            return
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        guard body.contains(where: { !isASCIISpace($0) }) else { throw .empty }
        if isBinary(body) { throw .binary }
    }

    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    /// NUL bytes, a binary file signature, or many control characters.
    static func isBinary(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.contains(0) { return true }
        let signatures: [[UInt8]] = [
            Array("%PDF-".utf8), [0x89, 0x50, 0x4E, 0x47], Array("GIF8".utf8), [0xFF, 0xD8, 0xFF], [0x50, 0x4B, 0x03, 0x04],
            [0x1F, 0x8B], Array("BZh".utf8), [0xFD, 0x37, 0x7A, 0x58, 0x5A], [0x7F, 0x45, 0x4C, 0x46], [0xCF, 0xFA, 0xED, 0xFE],
        ]
        if signatures.contains(where: { bytes.starts(with: $0) }) { return true }
        let sample = bytes.prefix(8192)
        let controls = sample.count { $0 < 0x20 && !isASCIISpace($0) && $0 != 0x1B }
        return controls > max(8, sample.count / 20)
    }
}
