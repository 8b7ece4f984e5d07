import Foundation

/// Reads Pocket's exports (https://getpocket.com/export; Mozilla's "Export your Pocket saves",
/// https://support.mozilla.org/kb/exporting-your-pocket-list):
///
/// - the HTML list (`ril_export.html`): `<h1>Unread</h1>` and `<h1>Read Archive</h1>`, each over a
///   `<ul>` of `<li><a href="URL" time_added="SECONDS" tags="a,b">Title</a></li>`;
/// - the CSV (`part_000000.csv` in the zip Pocket sent from 2024), header
///   `title,url,time_added,tags,status`, tags separated by `|`, status `unread` or `archive`.
///
/// Each saved item is a link numbered from 1 in file order; archived items are archived.
enum PocketExport {
    static func recognizesHTML(_ text: String) -> Bool {
        let head = text.prefix(4_096).lowercased()
        return head.contains("<title>pocket export</title>") || (head.contains("<h1>unread</h1>") && head.contains("time_added="))
    }

    static func recognizesCSV(_ text: String) -> Bool {
        let names = CSVReader.headerNames(text)
        return names.contains("url") && names.contains("time_added")
    }

    static func parseHTML(_ text: String) -> ImportDocument {
        var links: [Result<ImportedLink, GlossError>] = []
        var archived = false
        var inHeading = false, heading = ""
        var anchor: (attributes: [String: String], line: Int, text: String)?
        func finish(cutShort: Bool) {
            guard let open = anchor else { return }
            anchor = nil
            guard !cutShort else {
                links.append(.failure(.importItem(.unreadableEntry(reason: "the item at line \(open.line) is cut short (the file ends inside it)"))))
                return
            }
            guard let href = open.attributes["href"], !href.isEmpty else {
                links.append(.failure(.importItem(.unreadableEntry(reason: "the item at line \(open.line) has no address (href)"))))
                return
            }
            let tags = (open.attributes["tags"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var link = ImportedLink(url: href, title: open.text, tags: tags, savedAt: HTMLListScanner.milliseconds(open.attributes["time_added"]))
            link.isArchived = archived
            links.append(.success(link))
        }
        for token in HTMLListScanner.tokens(text) {
            switch token {
            case .open("h1", _, _): inHeading = true; heading = ""
            case .close("h1", _):
                inHeading = false
                archived = heading.lowercased().contains("archive")
            case .open("a", let attributes, let line):
                finish(cutShort: false)
                anchor = (attributes, line, "")
            case .close("a", _): finish(cutShort: false)
            case .text(let piece):
                if anchor != nil { anchor!.text += piece } else if inHeading { heading += piece }
            default: break
            }
        }
        finish(cutShort: true)
        return ImportDocument(articles: [], items: [], links: links)
    }

    static func parseCSV(_ text: String) -> ImportDocument {
        CSVLinks.parse(text) { (row) throws(GlossError) in
            guard let url = row.value("url") else { throw row.unreadable("has no url") }
            let tags = (row.value("tags") ?? "").split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var link = ImportedLink(url: url, title: row.value("title"), tags: tags, savedAt: HTMLListScanner.milliseconds(row.value("time_added")))
            link.isArchived = row.value("status")?.lowercased() == "archive"
            return (link, nil)
        }
    }
}

/// Reads Instapaper's CSV export (Settings → Export → "Download .CSV file", described at
/// https://www.instapaper.com/user, "Export"), header
/// `URL,Title,Selection,Folder,Timestamp` (newer files add `Tags`, a JSON list or commas).
/// `Folder` is `Unread`, `Archive`, `Starred` or a folder of the reader's own (kept as a tag);
/// `Timestamp` is seconds since 1970. Each row is a link numbered from 1; a row's `Selection`
/// (the passage selected when it was saved) is a highlight of it, numbered after every row.
enum InstapaperCSV {
    static func recognizes(_ text: String) -> Bool {
        let names = CSVReader.headerNames(text)
        return names.contains("url") && names.contains("folder") && names.contains("selection")
    }

    static func parse(_ text: String) -> ImportDocument {
        CSVLinks.parse(text) { (row) throws(GlossError) in
            guard let url = row.value("url") else { throw row.unreadable("has no URL") }
            var tags: [String] = []
            if let raw = row.value("tags") {
                if let data = raw.data(using: .utf8), let list = try? JSONDecoder().decode([String].self, from: data) {
                    tags = list
                } else {
                    tags = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                }
            }
            let folder = row.value("folder") ?? "Unread"
            if !["unread", "archive", "starred"].contains(folder.lowercased()) { tags.append(folder) }
            var link = ImportedLink(url: url, title: row.value("title"), tags: tags.filter { !$0.isEmpty },
                                    savedAt: HTMLListScanner.milliseconds(row.value("timestamp")))
            link.isArchived = folder.lowercased() == "archive"
            link.isStarred = folder.lowercased() == "starred"
            var selection: ImportedAnnotation?
            if let quote = row.value("selection") {
                var highlight = ImportedAnnotation(tags: [], kind: .highlight)
                highlight.exact = quote
                highlight.created = link.savedAt
                let work = ImportedWork(title: link.title, author: nil, url: url)
                highlight.work = work
                highlight.id = work.annotationID(source: "instapaper", key: quote, created: link.savedAt)
                selection = highlight
            }
            return (link, selection)
        }
    }
}

/// The rows of a CSV of links (Pocket, Instapaper), each read by a closure into a link and
/// perhaps a highlight; rows that cannot be read are reported by their line.
enum CSVLinks {
    struct Row {
        var fields: [String]
        var columns: [String: Int]
        var line: Int

        func value(_ name: String) -> String? {
            guard let index = columns[name], index < fields.count else { return nil }
            let text = fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }

        func unreadable(_ why: String) -> GlossError {
            .importItem(.unreadableEntry(reason: "the row at line \(line) \(why)"))
        }
    }

    static func parse(_ text: String, _ read: (Row) throws(GlossError) -> (ImportedLink, ImportedAnnotation?)) -> ImportDocument {
        var records = CSVReader.records(text)[...]
        guard let header = records.popFirst(), case .success(let names) = header.fields else {
            return ImportDocument(articles: [], items: [], links: [.failure(.importItem(.unreadableEntry(reason: "its header line cannot be read")))])
        }
        var columns: [String: Int] = [:]
        for (index, name) in names.enumerated() where columns[name.trimmingCharacters(in: .whitespaces).lowercased()] == nil {
            columns[name.trimmingCharacters(in: .whitespaces).lowercased()] = index
        }
        var links: [Result<ImportedLink, GlossError>] = []
        var highlights: [Result<ImportedAnnotation, GlossError>] = []
        for record in records {
            switch record.fields {
            case .failure(let error):
                links.append(.failure(.importItem(.unreadableEntry(reason: "the row at line \(record.line): \(error.reason)"))))
            case .success(let fields) where fields.count != names.count:
                links.append(.failure(.importItem(.unreadableEntry(reason: "the row at line \(record.line) has \(fields.count) fields where the header names \(names.count)"))))
            case .success(let fields):
                do {
                    let (link, highlight) = try read(Row(fields: fields, columns: columns, line: record.line))
                    links.append(.success(link))
                    if let highlight { highlights.append(.success(highlight)) }
                } catch {
                    links.append(.failure(error))
                }
            }
        }
        return ImportDocument(articles: [], items: highlights, numbers: highlights.indices.map { links.count + $0 + 1 }, links: links)
    }
}
