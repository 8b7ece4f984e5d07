public import Foundation

/// Small PDFs written by hand for tests: the objects, cross-reference table and trailer of
/// ISO 32000-1 §7.5, with text in the standard Helvetica font (§9.6.2.2, so nothing is embedded).
public enum TestPDF {
    /// One page: a running header, paragraphs of lines, and a footer, laid out top to bottom
    /// (header 42 points from the top, body from 92, lines 14 apart, 28 between paragraphs, the
    /// footer 40 points from the bottom). `drawing` is raw page content added first (shapes, images).
    public struct Page: Sendable {
        public var header: String?
        public var paragraphs: [[String]]
        public var footer: String?
        public var drawing: String

        public init(header: String? = nil, paragraphs: [[String]] = [], footer: String? = nil, drawing: String = "") {
            self.header = header
            self.paragraphs = paragraphs
            self.footer = footer
            self.drawing = drawing
        }

        /// The page's content stream.
        var content: String {
            var operations = drawing.isEmpty ? [] : [drawing]
            func show(_ text: String, at y: Double) {
                operations.append("BT /F1 11 Tf 72 \(y) Td (\(TestPDF.escaped(text))) Tj ET")
            }
            if let header { show(header, at: 750) }
            var y = 700.0
            for paragraph in paragraphs {
                for line in paragraph {
                    show(line, at: y)
                    y -= 14
                }
                y -= 14
            }
            if let footer { show(footer, at: 40) }
            return operations.joined(separator: "\n")
        }
    }

    /// A 1×1 grey image drawn over most of the page: a page that holds a picture and no text.
    public static let imageOnly = "q 468 0 0 648 72 72 cm BI /W 1 /H 1 /BPC 8 /CS /G ID \u{80} EI Q"

    /// The bytes of a PDF with these pages and, when given, this title, author and creation date
    /// (a PDF date string, e.g. "D:20240315120000Z"). `locked` adds the standard security handler
    /// (§7.6.3, revision 2) with a user-password check value the empty password does not match, so
    /// a reader asks for a password (the content itself is left unencrypted: it is never reached).
    public static func document(
        pages: [Page], title: String? = nil, author: String? = nil, created: String? = nil, locked: Bool = false
    ) -> Data {
        var objects: [String] = []
        func add(_ object: String) -> Int {
            objects.append(object)
            return objects.count
        }
        let font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        let pagesID = add("")
        var kids: [Int] = []
        for page in pages {
            let content = page.content
            let stream = add("<< /Length \(content.unicodeScalars.count) >>\nstream\n\(content)\nendstream")
            kids.append(add("<< /Type /Page /Parent \(pagesID) 0 R /MediaBox [0 0 612 792] "
                + "/Resources << /Font << /F1 \(font) 0 R >> >> /Contents \(stream) 0 R >>"))
        }
        objects[pagesID - 1] = "<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(kids.count) >>"
        let catalog = add("<< /Type /Catalog /Pages \(pagesID) 0 R >>")
        var info: [String] = []
        if let title { info.append("/Title (\(escaped(title)))") }
        if let author { info.append("/Author (\(escaped(author)))") }
        if let created { info.append("/CreationDate (\(created))") }
        let infoID = add("<< \(info.joined(separator: " ")) >>")
        var encryption = ""
        if locked {
            let check = String(repeating: "5A", count: 32)
            let handler = add("<< /Filter /Standard /V 1 /R 2 /O <\(check)> /U <\(check)> /P -4 >>")
            encryption = " /Encrypt \(handler) 0 R /ID [<\(String(repeating: "01", count: 16))> <\(String(repeating: "01", count: 16))>]"
        }

        var bytes = Array("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(bytes.count)
            bytes += latin1("\(index + 1) 0 obj\n\(object)\nendobj\n")
        }
        let xref = bytes.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(repeating: "0", count: 10 - String(offset).count) + "\(offset) 00000 n \n" }
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(catalog) 0 R /Info \(infoID) 0 R\(encryption) >>\nstartxref\n\(xref)\n%%EOF\n"
        bytes += latin1(table)
        return Data(bytes)
    }

    /// A PDF literal string's contents: backslash, parentheses escaped.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
    }

    /// One byte per character (the test texts are ASCII; the image's sample is one byte).
    static func latin1(_ text: String) -> [UInt8] {
        text.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) }
    }
}
