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
    static func recognizes(_ bytes: [UInt8]) -> Bool {
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) else { return false }
        // A file name in the first local header ("metadata_…", "content/…", "highlights/…").
        let name = bytes.count >= 30 ? bytes[30..<min(bytes.count, 30 + 64)] : []
        let text = String(decoding: name, as: UTF8.self)
        return text.hasPrefix("metadata_") || text.hasPrefix("content/") || text.hasPrefix("highlights/")
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
        do {
            archive = try EPUBArchive(bytes)
        } catch {
            return failed("the zip cannot be read: \(reason(error)); nothing was imported")
        }
        let metadataFiles = archive.paths.filter { $0.hasPrefix("metadata_") && $0.hasSuffix(".json") }
            .sorted { firstNumber($0) < firstNumber($1) }
        guard !metadataFiles.isEmpty else { return failed("the zip holds no metadata_*.json file: it is not an Omnivore export") }

        var links: [Result<ImportedLink, GlossError>] = []
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
                        links.append(.failure(.importItem(.unreadableEntry(reason: "\(place): its page \(path) cannot be read (\(reason(error)))"))))
                        continue
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
