import Foundation
import GlossExtraction

/// Reads the zip Omnivore's "Export data" made (its server's `packages/api/src/jobs/export.ts`,
/// https://github.com/omnivore-app/omnivore): `metadata_0_to_20.json`, `metadata_20_to_40.json`…
/// (JSON arrays of `{id, slug, title, description, author, url, state, readingProgress,
/// thumbnail, labels, savedAt, updatedAt, publishedAt}`), `content/SLUG.html` (the page as
/// Omnivore's reader kept it) and `highlights/SLUG.md` (each highlight written by
/// `highlightToMarkdown` in `packages/api/src/utils/parser.ts`: `> quote`, blank lines of the
/// quote written `> `, then `#label #label`, then the note, highlights separated by a blank line).
///
/// Each metadata entry is a link numbered from 1 (in the order of the metadata files): with its
/// content it is saved as `gloss add page.html` saves a page, without it waits for its text.
/// Highlights follow, numbered after the links, attached to their item's URL and located by their
/// quote, orphans where the text lacks it. An entry, content or highlight file that cannot be read
/// is reported and the rest imported; a zip whose directory cannot be read is one failed item.
enum OmnivoreExport {
    /// Whether `bytes` open as a zip: the one kind of zip `gloss import` reads, so any other is
    /// reported as not being an Omnivore export rather than as not being text.
    static func recognizes(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }

    struct Entry: Decodable {
        var slug: String?
        var title: String?
        var author: String?
        var url: String?
        var state: String?
        var readingProgress: Double?
        var labels: [String]?
        var savedAt: String?
    }

    static func parse(_ bytes: [UInt8]) -> ImportDocument {
        var archive: EPUBArchive
        var links: [Result<ImportedLink, GlossError>] = []
        do {
            archive = try EPUBArchive(bytes)
        } catch {
            // A download cut short has lost the directory at the end: the files before the cut
            // are whole, and are read through a directory made for them.
            guard let (salvaged, files) = salvage(bytes), let opened = try? EPUBArchive(salvaged) else {
                return failed("the zip cannot be read: \(reason(error)); nothing was imported")
            }
            archive = opened
            links.append(.failure(.importItem(.unreadableEntry(reason:
                "the zip is cut short or its directory is damaged (\(reason(error))): the \(files) whole files before the damage were read, what followed is lost; export again to have it all"))))
        }
        let metadataFiles = archive.paths.filter { $0.hasPrefix("metadata_") && $0.hasSuffix(".json") }
            .sorted { firstNumber($0) < firstNumber($1) }
        guard !metadataFiles.isEmpty else { return failed("the zip holds no metadata_*.json file: it is not an Omnivore export") }

        var entries: [(slug: String, link: ImportedLink)] = []
        for file in metadataFiles {
            let decoded: [Entry]
            do {
                guard let data = try archive.read(file) else { continue }
                decoded = try JSONDecoder().decode([Entry].self, from: Data(data))
            } catch {
                links.append(.failure(.importItem(.unreadableEntry(reason: "\(file): \(reason(error))"))))
                continue
            }
            for (index, entry) in decoded.enumerated() {
                let place = "entry \(index + 1) of \(file)"
                guard let url = entry.url, !url.isEmpty else {
                    links.append(.failure(.importItem(.unreadableEntry(reason: "\(place) has no url"))))
                    continue
                }
                var link = ImportedLink(url: url, title: entry.title, byline: entry.author, tags: entry.labels ?? [],
                                        savedAt: entry.savedAt.flatMap(AnnotationImport.milliseconds))
                link.isArchived = entry.state?.uppercased() == "ARCHIVED"
                link.isRead = (entry.readingProgress ?? 0) >= 100
                if let slug = entry.slug {
                    let path = "content/\(slug).html"
                    do {
                        if let html = try archive.read(path) {
                            var article = try ArticleExtractor.extract(data: Data(html), filename: path, format: .html)
                            article.url = url
                            link.article = article
                        }
                    } catch {
                        // The page is lost, not the link: it waits for its text (a fetch brings it).
                        links.append(.failure(.importItem(.unreadableEntry(
                            reason: "\(place): its page \(path) cannot be read (\(reason(error))); the link is kept, waiting for its text"))))
                    }
                    entries.append((slug, link))
                }
                links.append(.success(link))
            }
        }

        var items: [Result<ImportedAnnotation, GlossError>] = []
        for (slug, link) in entries {
            let path = "highlights/\(slug).md"
            let markdown: String
            do {
                guard let bytes = try archive.read(path) else { continue }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    items.append(.failure(.importItem(.unreadableEntry(reason: "\(path) is not UTF-8 text"))))
                    continue
                }
                markdown = text
            } catch {
                items.append(.failure(.importItem(.unreadableEntry(reason: "\(path): \(reason(error))"))))
                continue
            }
            let work = ImportedWork(title: link.title, author: link.byline, url: link.url)
            for highlight in highlights(markdown) {
                var annotation = ImportedAnnotation(tags: highlight.labels, kind: highlight.quote == nil ? .note : .highlight)
                annotation.exact = highlight.quote
                annotation.note = highlight.note
                annotation.work = work
                // The file gives no time of its own: the page's saving stands in for it.
                annotation.created = link.savedAt
                annotation.id = work.annotationID(source: "omnivore", key: "\(highlight.quote ?? "")\u{1F}\(highlight.note ?? "")", created: link.savedAt)
                items.append(.success(annotation))
            }
        }
        return ImportDocument(articles: [], items: items, numbers: items.indices.map { links.count + $0 + 1 }, links: links)
    }

    /// The whole files at the start of a zip whose end is lost, as a zip of their own (their local
    /// headers and data as they are, and a central directory made from those headers), and how
    /// many there are; nil when not one is whole. A file whose sizes come after its data (a data
    /// descriptor) ends the scan: where it ends cannot be known without inflating it.
    static func salvage(_ bytes: [UInt8]) -> ([UInt8], Int)? {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        var directory: [UInt8] = []
        func put16(_ value: Int) { directory += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)] }
        func put32(_ value: Int) { put16(value & 0xFFFF); put16(value >> 16 & 0xFFFF) }
        var at = 0, count = 0
        while at + 30 <= bytes.count, u32(at) == 0x0403_4B50, count < 10_000 {
            let flags = u16(at + 6), size = u32(at + 18), nameLength = u16(at + 26), extraLength = u16(at + 28)
            let end = at + 30 + nameLength + extraLength + size
            guard flags & 8 == 0, end <= bytes.count else { break }
            // The central directory entry: made by, then the local header's fields from "version
            // needed" to the name's length, no extra field or comment, and the header's offset.
            put32(0x0201_4B50)
            put16(20)
            directory += bytes[(at + 4)..<(at + 28)]
            put16(0); put16(0); put16(0); put16(0); put32(0); put32(at)
            directory += bytes[(at + 30)..<(at + 30 + nameLength)]
            count += 1
            at = end
        }
        guard count > 0 else { return nil }
        var output = Array(bytes[..<at])
        let start = output.count
        output += directory
        let tail = directory.count
        directory = []
        put32(0x0605_4B50); put16(0); put16(0); put16(count); put16(count); put32(tail); put32(start); put16(0)
        return (output + directory, count)
    }

    /// One highlight of a `highlights/SLUG.md` file.
    struct Highlight: Equatable {
        var quote: String?
        var labels: [String]
        var note: String?
    }

    /// The highlights of a file: a quote is a run of lines, the first opening with `>`; a line of
    /// `#label`s after it is its labels; the paragraphs up to the next quote are its note. A
    /// paragraph before any quote is a note on the page.
    static func highlights(_ markdown: String) -> [Highlight] {
        var result: [Highlight] = []
        let paragraphs = markdown.replacingOccurrences(of: "\r\n", with: "\n")
            .components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .newlines) }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        for paragraph in paragraphs {
            if paragraph.hasPrefix(">") {
                let lines = paragraph.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                    var line = Substring(line)
                    if line.hasPrefix(">") { line = line.dropFirst(); if line.first == " " { line = line.dropFirst() } }
                    return String(line)
                }
                // Omnivore writes a blank line of the quote as "> " and ends the quote with a space.
                let quote = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                result.append(Highlight(quote: quote.isEmpty ? nil : quote, labels: [], note: nil))
            } else if let last = result.indices.last, result[last].labels.isEmpty, result[last].note == nil, isLabels(paragraph) {
                result[last].labels = labels(paragraph)
            } else if let last = result.indices.last {
                result[last].note = result[last].note.map { $0 + "\n\n" + paragraph } ?? paragraph
            } else {
                result.append(Highlight(quote: nil, labels: [], note: paragraph))
            }
        }
        return result.filter { $0.quote != nil || $0.note != nil }
    }

    static func isLabels(_ paragraph: String) -> Bool {
        !paragraph.contains("\n") && paragraph.hasPrefix("#") && !paragraph.hasPrefix("# ") && !paragraph.hasPrefix("##")
    }

    /// "#work #to read" is two labels, "work" and "to read".
    static func labels(_ line: String) -> [String] {
        line.dropFirst().components(separatedBy: " #").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func firstNumber(_ name: String) -> Int {
        name.firstMatch(of: #/(\d+)/#).flatMap { Int($0.1) } ?? 0
    }

    static func failed(_ reason: String) -> ImportDocument {
        ImportDocument(articles: [], items: [], links: [.failure(.importItem(.unreadableEntry(reason: reason)))])
    }

    /// What went wrong, in words, without calling the export an EPUB.
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as ExtractionError:
            switch error {
            case .damagedEPUB(let reason), .epubTooLarge(let reason), .notEPUB(let reason): return reason
            default: return "\(error)"
            }
        case let error as DecodingError:
            switch error {
            case .dataCorrupted(let context): return "not JSON: \(context.underlyingError.map { "\($0.localizedDescription)" } ?? context.debugDescription)"
            default: return "not an Omnivore metadata list (\(error))"
            }
        default:
            return "\(error)"
        }
    }
}
