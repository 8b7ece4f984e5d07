import Foundation

/// Reads a Readwise CSV: the export (readwise.io/export, "Export to CSV", described at
/// https://docs.readwise.io/readwise/docs/exporting-highlights/csv) whose header is
/// `Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags`,
/// and the CSV Readwise itself imports (https://readwise.io/import_bulk:
/// `Highlight,Title,Author,URL,Note,Location,Date`), which other tools write for it. Columns are
/// found by name, in any order; only `Highlight` and a title or URL are needed.
///
/// Each title (with its author and URL) becomes an ``ImportedWork``; a row's note, tags
/// (comma-separated), colour and time are kept. A row with a note and no highlight is a note on
/// its book. Rows are numbered from 1 after the header.
enum ReadwiseCSV {
    static let source = "readwise"

    /// Whether `text` opens with a Readwise header: a `Highlight` column and a title column.
    static func recognizes(_ text: String) -> Bool {
        var firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" && $0 != "\r" }
        while firstLine.first == "\u{FEFF}" { firstLine.removeFirst() }
        let names = Set(firstLine.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")).lowercased() })
        return names.contains("highlight") && !names.isDisjoint(with: ["book title", "title", "url"])
    }

    static func parse(_ text: String) -> ImportDocument {
        var records = CSVReader.records(text)[...]
        guard let header = records.popFirst(), case .success(let names) = header.fields else {
            return ImportDocument(articles: [], items: [.failure(.importItem(.unreadableEntry(reason: "its header line cannot be read")))])
        }
        let columns = Columns(names)
        return ImportDocument(articles: [], items: records.map { record in
            switch record.fields {
            case .failure(let error):
                return .failure(.importItem(.unreadableEntry(reason: "the row at line \(record.line): \(error.reason)")))
            case .success(let fields):
                return row(fields, line: record.line, columns: columns, width: names.count)
            }
        })
    }

    /// Where each column is, by its name in either header.
    struct Columns {
        var highlight, title, author, url, note, color, tags, location, date, documentTags: Int?

        init(_ names: [String]) {
            let lower = names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            func index(_ candidates: String...) -> Int? { candidates.lazy.compactMap { lower.firstIndex(of: $0) }.first }
            highlight = index("highlight")
            title = index("book title", "title")
            author = index("book author", "author")
            url = index("url")
            note = index("note")
            color = index("color", "colour")
            tags = index("tags")
            location = index("location")
            date = index("highlighted at", "date")
            documentTags = index("document tags")
        }
    }

    static func row(_ fields: [String], line: Int, columns: Columns, width: Int) -> Result<ImportedAnnotation, GlossError> {
        guard fields.count == width else {
            return .failure(.importItem(.unreadableEntry(reason: "the row at line \(line) has \(fields.count) fields where the header names \(width)")))
        }
        func value(_ column: Int?) -> String? {
            guard let column else { return nil }
            // A line break inside a quoted field is kept as the file writes it: CRLF on Windows.
            let text = fields[column].replacingOccurrences(of: "\r\n", with: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        func list(_ column: Int?) -> [String] {
            (value(column) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let url = value(columns.url)
        guard let title = value(columns.title) ?? url else {
            return .failure(.importItem(.unreadableEntry(reason: "the row at line \(line) names no book title or URL")))
        }
        let highlight = value(columns.highlight)
        let note = value(columns.note)
        guard highlight != nil || note != nil else {
            return .failure(.importItem(.unreadableEntry(reason: "the row at line \(line) has neither a highlight nor a note")))
        }
        let work = ImportedWork(title: title, author: value(columns.author), url: url, tags: list(columns.documentTags))
        var annotation = ImportedAnnotation(tags: list(columns.tags), kind: highlight == nil ? .note : .highlight)
        annotation.exact = highlight
        annotation.note = note
        // Readwise's colours are Gloss's (yellow, blue, pink, orange, purple); another is left out.
        annotation.color = value(columns.color).map { $0.lowercased() }.flatMap { Store.colors.contains($0) ? $0 : nil }
        annotation.created = value(columns.date).flatMap(milliseconds)
        annotation.work = work
        annotation.id = work.annotationID(source: source, key: "\(value(columns.location) ?? "") \(highlight ?? "") \(highlight == nil ? note ?? "" : "")",
                                          created: annotation.created)
        return .success(annotation)
    }

    /// "2024-05-01 10:00:00+00:00" (the export), ISO 8601 with a `T`, or a bare date.
    static func milliseconds(_ text: String) -> Int64? {
        var iso = text.replacingOccurrences(of: " ", with: "T")
        if iso.count == 10 { iso += "T00:00:00Z" }
        if iso.range(of: #"[+-]\d\d:?\d\d$|Z$"#, options: .regularExpression) == nil { iso += "Z" }
        return AnnotationImport.milliseconds(iso)
    }
}
