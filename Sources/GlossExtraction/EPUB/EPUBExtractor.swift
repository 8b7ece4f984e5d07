import Foundation

/// Extracts a book from an EPUB: the package's metadata (title, creators, publisher, date) and
/// every chapter of the spine, in order, as the same Markdown-like body an HTML page gives, each
/// chapter opening with a heading (its own, else its title in the book's table of contents).
///
/// The zip is read in memory within ``EPUBArchive``'s limits. A zip that is not an EPUB, a
/// damaged one, and one whose content is encrypted (DRM) each get an ``ExtractionError`` naming
/// the problem. The book's language is read but not kept: an article has no field for it.
enum EPUBExtractor {
    /// A zip file's first four bytes (a local file header).
    static let zipSignature: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let mediaType = "application/epub+zip"

    /// Encryption that only obfuscates embedded fonts (IDPF and Adobe): the text stays readable.
    static let fontObfuscation: Set<String> = ["http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"]

    static func isZip(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: zipSignature)
    }

    static func extract(_ bytes: [UInt8]) throws(ExtractionError) -> ExtractedArticle {
        var archive = try EPUBArchive(bytes)
        guard let container = try archive.read("META-INF/container.xml") else {
            let mimetype = try archive.read("mimetype").map { String(decoding: $0, as: UTF8.self) }
            if mimetype?.trimmingCharacters(in: .whitespacesAndNewlines) == mediaType {
                throw .damagedEPUB(reason: "it has no META-INF/container.xml")
            }
            throw .notEPUB(reason: "the zip has no META-INF/container.xml (nor a mimetype entry naming \(mediaType))")
        }
        try refuseEncrypted(&archive)
        guard let rootfiles = XMLTree.parse(container)?.descendants("rootfile"), !rootfiles.isEmpty,
              let packagePath = (rootfiles.first { $0.attributes["media-type"] == "application/oebps-package+xml" } ?? rootfiles[0])
                .attributes["full-path"].map({ resolve($0, against: "") }), !packagePath.isEmpty else {
            throw .damagedEPUB(reason: "META-INF/container.xml names no package file")
        }
        guard let packageBytes = try archive.read(packagePath) else {
            throw .damagedEPUB(reason: "the EPUB's package file \(packagePath) is missing")
        }
        guard let package = XMLTree.parse(packageBytes), package.name == "package" else {
            throw .damagedEPUB(reason: "the EPUB's package file \(packagePath) is not a package document")
        }
        let book = Package(package, path: packagePath)
        guard !book.spine.isEmpty else { throw .damagedEPUB(reason: "the package file \(packagePath) lists no chapters") }
        let titles = try tableOfContents(book, in: &archive)

        var chapters: [String] = []
        for item in book.spine {
            guard item.mediaType == "application/xhtml+xml" || item.mediaType == "text/html" else { continue }
            guard let chapter = try archive.read(item.path) else {
                throw .damagedEPUB(reason: "the chapter \(item.path) listed in the spine is missing")
            }
            let document: Document
            do {
                document = try HTMLExtractor.document(chapter)
            } catch .noArticleText {
                continue
            } catch {
                throw .damagedEPUB(reason: "the chapter \(item.path) cannot be read (\(error.description))")
            }
            var text = TextRenderer.render(document.body ?? document.root, in: document)
            guard !text.isEmpty else { continue }
            if !text.hasPrefix("#"), let title = titles[item.path] ?? documentTitle(document), !title.isEmpty {
                text = "# \(title)\n\n" + text
            }
            chapters.append(text)
        }
        guard !chapters.isEmpty else { throw .noArticleText }
        let text = chapters.joined(separator: "\n\n")
        let characters = ExtractionCoverage.characters(in: text)
        return ExtractedArticle(
            title: book.title,
            byline: book.creators.isEmpty ? nil : book.creators.joined(separator: ", "),
            siteName: book.publisher,
            published: book.date.flatMap { PlainTextExtractor.isoTimestamp($0) ?? isoDate($0) },
            text: text,
            format: .epub,
            coverage: ExtractionCoverage(inputCharacters: characters, keptCharacters: characters)
        )
    }

    // MARK: - Encryption

    /// Refuses a book whose META-INF/encryption.xml encrypts anything but fonts.
    private static func refuseEncrypted(_ archive: inout EPUBArchive) throws(ExtractionError) {
        guard let encryption = try archive.read("META-INF/encryption.xml") else { return }
        guard let tree = XMLTree.parse(encryption) else { throw .encryptedEPUB }
        for data in tree.descendants("EncryptedData") {
            let algorithm = data.child("EncryptionMethod")?.attributes["Algorithm"] ?? ""
            if !fontObfuscation.contains(algorithm) { throw .encryptedEPUB }
        }
    }

    // MARK: - Table of contents

    /// Each chapter file's first title in the EPUB 3 navigation document, else the EPUB 2 NCX.
    private static func tableOfContents(_ book: Package, in archive: inout EPUBArchive) throws(ExtractionError) -> [String: String] {
        var titles: [String: String] = [:]
        func add(_ href: String?, _ title: String, base: String) {
            guard let href, !title.isEmpty else { return }
            let path = resolve(href, against: base)
            if titles[path] == nil { titles[path] = title }
        }
        if let nav = book.navigation, let bytes = try? archive.read(nav), let tree = XMLTree.parse(bytes) {
            let navs = tree.descendants("nav")
            if let toc = navs.first(where: { ($0.attributes["type"] ?? "").split(separator: " ").contains("toc") }) ?? navs.first {
                for link in toc.descendants("a") { add(link.attributes["href"], link.text, base: nav) }
            }
        }
        if titles.isEmpty, let ncx = book.ncx, let bytes = try? archive.read(ncx), let tree = XMLTree.parse(bytes) {
            for point in tree.descendants("navPoint") {
                add(point.child("content")?.attributes["src"], point.child("navLabel")?.text ?? "", base: ncx)
            }
        }
        return titles
    }

    /// The chapter's `<title>`, when it has one.
    private static func documentTitle(_ document: Document) -> String? {
        guard let html = document.documentElement,
              let head = document.children(html).first(where: { document.tag($0) == .head }),
              let title = document.children(head).first(where: { document.tag($0) == .title }) else { return nil }
        let text = document.innerText(title)
        return text.isEmpty ? nil : text
    }

    /// A year or a year and month as the package states them ("2019", "2019-03").
    private static func isoDate(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        let shapes = ["dddd-dd-dd", "dddd-dd", "dddd"]
        for shape in shapes where trimmed.count >= shape.count {
            let head = trimmed.prefix(shape.count)
            if zip(shape, head).allSatisfy({ $0 == "d" ? $1.isASCII && $1.isNumber : $0 == $1 }),
               trimmed.count == shape.count || trimmed.dropFirst(shape.count).first == "T" {
                return String(head)
            }
        }
        return nil
    }

    // MARK: - Paths

    /// A reference inside the book (`../Text/ch1.xhtml#p3`) as a zip path, resolved against the
    /// path of the file it appears in: fragment dropped, percent-escapes decoded, `.` and `..` resolved.
    static func resolve(_ href: String, against base: String) -> String {
        var reference = href.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        reference = reference.removingPercentEncoding ?? reference
        var parts = reference.hasPrefix("/") ? [] : base.split(separator: "/").dropLast().map(String.init)
        for part in reference.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }
}

extension EPUBExtractor {
    /// What the package file (OPF) says: metadata, the manifest's items and the spine's order.
    struct Package {
        struct Item {
            var path: String
            var mediaType: String
        }

        var title: String?
        var creators: [String] = []
        var publisher: String?
        var language: String?
        var date: String?
        /// The spine's items, in reading order.
        var spine: [Item] = []
        /// The EPUB 3 navigation document's path, if the manifest names one.
        var navigation: String?
        /// The EPUB 2 NCX's path, if the spine names one.
        var ncx: String?

        init(_ package: XMLTree, path: String) {
            let dublinCore = "http://purl.org/dc/elements/1.1/"
            let metadata = package.child("metadata")?.children.filter { $0.namespace == dublinCore } ?? []
            func first(_ name: String) -> String? {
                metadata.lazy.filter { $0.name == name }.map(\.text).first { !$0.isEmpty }
            }
            title = first("title")
            creators = metadata.filter { $0.name == "creator" }.map(\.text).filter { !$0.isEmpty }
            publisher = first("publisher")
            language = first("language")
            date = first("date")

            var manifest: [String: (item: Item, properties: [Substring])] = [:]
            for item in package.child("manifest")?.children ?? [] where item.name == "item" {
                guard let id = item.attributes["id"], let href = item.attributes["href"] else { continue }
                let entry = Item(path: resolve(href, against: path), mediaType: item.attributes["media-type"] ?? "")
                if manifest[id] == nil { manifest[id] = (entry, (item.attributes["properties"] ?? "").split(separator: " ")) }
                if navigation == nil, manifest[id]?.properties.contains("nav") == true { navigation = entry.path }
            }
            let spineElement = package.child("spine")
            ncx = spineElement?.attributes["toc"].flatMap { manifest[$0]?.item.path }
            for reference in spineElement?.children ?? [] where reference.name == "itemref" {
                guard let id = reference.attributes["idref"], let item = manifest[id]?.item else { continue }
                spine.append(item)
            }
        }
    }
}
