import Foundation

/// Reads a Kindle `My Clippings.txt`: the file a Kindle writes to its own storage, one entry per
/// highlight, note or bookmark, each ended by a line of ten `=` signs:
///
///     The Lighthouse Keeper (Ada Quill)
///     - Your Highlight on page 12 | Location 120-125 | Added on Monday, 3 March 2024 10:11:12
///
///     The quoted passage.
///     ==========
///
/// Amazon publishes no grammar for it; the layout is the one the Kindle User's Guide describes
/// ("Managing your clippings": highlights, notes and bookmarks appended to `My Clippings.txt`)
/// and that Kindle firmware has written since the Kindle 3 (older ones write "- Highlight Loc.
/// 120-25 | Added on …"; newer ones "- Your Highlight at location 120-125 | Added on Sunday,
/// March 3, 2024 10:11:12 AM"). Only English metadata lines are read; others are reported.
///
/// Each book (the title line: "Title (Author)") becomes an ``ImportedWork``. A note joins the
/// highlight whose location range holds the note's location (else it is a note on the book); a
/// passage highlighted again (same book, overlapping locations, one quote holding the other)
/// keeps only its longest, latest highlight. Folded entries are reported as merged.
enum KindleClippings {
    static let separator = "=========="
    static let source = "kindle"

    /// Whether `text` is a clippings file: its first entry is a title line then a metadata line.
    static func recognizes(_ text: String) -> Bool {
        // The first two lines decide, so only the file's head is split: sniffing a large export
        // of another format split it whole (a tenth of importing 100,000 W3C highlights).
        var lines = text.prefix(65_536).split(whereSeparator: \.isNewline).lazy.map(clean).filter { !$0.isEmpty }.makeIterator()
        guard let title = lines.next(), title != separator, let meta = lines.next() else { return false }
        return metadataKind(meta) != nil
    }

    /// One entry of the file, read.
    struct Entry {
        var number: Int
        var line: Int
        var work: ImportedWork
        var kind: AnnotationKind
        var page: String?
        var location: ClosedRange<Int>?
        var added: Int64?
        var text: String
    }

    static func parse(_ text: String) -> ImportDocument {
        let entries = read(text)
        var items: [(number: Int, item: Result<ImportedAnnotation, GlossError>)] = []
        var merged: [ImportOutcome] = []

        // Highlights: each folds into a later one of the same passage, or survives.
        var survivors: [(entry: Entry, members: [Int])] = []
        for case .success(let entry) in entries where entry.kind == .highlight {
            if let index = survivors.lastIndex(where: { rehighlights($0.entry, entry) }) {
                let old = survivors[index]
                if entry.text.count >= old.entry.text.count {
                    survivors[index] = (entry, old.members + [old.entry.number])
                } else {
                    survivors[index].members.append(entry.number)
                }
            } else {
                survivors.append((entry, []))
            }
        }
        var highlights: [(entry: Entry, annotation: ImportedAnnotation)] = survivors.map { survivor in
            let entry = survivor.entry
            var annotation = ImportedAnnotation(tags: [], kind: .highlight)
            annotation.exact = entry.text
            annotation.created = entry.added
            annotation.work = entry.work
            annotation.id = entry.work.annotationID(source: source, key: "highlight \(entry.location.map { "\($0)" } ?? "") \(entry.text)", created: entry.added)
            for member in survivor.members {
                merged.append(ImportOutcome(item: member, status: .merged, id: annotation.id,
                                            reason: "highlighted again as item \(entry.number), which keeps the longer passage"))
            }
            return (entry, annotation)
        }

        var others: [(number: Int, annotation: ImportedAnnotation)] = []
        for result in entries {
            switch result {
            case .failure(let failure):
                items.append((failure.number, .failure(.importItem(.unreadableEntry(reason: failure.reason)))))
            case .success(let entry) where entry.kind == .note:
                if let index = highlightHolding(entry, in: highlights.map(\.entry)) {
                    let note = highlights[index].annotation.note
                    highlights[index].annotation.note = note.map { $0 + "\n\n" + entry.text } ?? entry.text
                    merged.append(ImportOutcome(item: entry.number, status: .merged, id: highlights[index].annotation.id,
                                                reason: "a note on the highlight of item \(highlights[index].entry.number)"))
                } else {
                    var annotation = ImportedAnnotation(tags: [], kind: .note)
                    annotation.note = entry.text
                    annotation.created = entry.added
                    annotation.work = entry.work
                    annotation.id = entry.work.annotationID(source: source, key: "note \(entry.location.map { "\($0)" } ?? "") \(entry.text)", created: entry.added)
                    others.append((entry.number, annotation))
                }
            case .success(let entry) where entry.kind == .bookmark:
                var annotation = ImportedAnnotation(tags: [], kind: .bookmark)
                let place = [entry.location.map { "location \($0.lowerBound)" }, entry.page.map { "page \($0)" }].compactMap { $0 }
                annotation.note = "Kindle bookmark" + (place.isEmpty ? "" : " at " + place.joined(separator: ", "))
                annotation.created = entry.added
                annotation.work = entry.work
                annotation.id = entry.work.annotationID(source: source, key: "bookmark \(entry.location.map { "\($0)" } ?? "") \(entry.page ?? "")", created: entry.added)
                others.append((entry.number, annotation))
            case .success:
                continue
            }
        }
        items += highlights.map { ($0.entry.number, .success($0.annotation)) }
        items += others.map { ($0.number, .success($0.annotation)) }
        items.sort { $0.number < $1.number }
        return ImportDocument(articles: [], items: items.map(\.item), numbers: items.map(\.number), merged: merged)
    }

    /// Whether `later` highlights again the passage `earlier` did: same book, overlapping
    /// locations (or neither has one), one quote holding the other.
    static func rehighlights(_ earlier: Entry, _ later: Entry) -> Bool {
        guard earlier.work == later.work else { return false }
        switch (earlier.location, later.location) {
        case let (a?, b?) where !a.overlaps(b): return false
        case (nil, .some), (.some, nil): return false
        default: break
        }
        return earlier.text.contains(later.text) || later.text.contains(earlier.text)
    }

    /// The highlight a note belongs to: of its book, with a location range holding the note's
    /// location; the one ending there first (Kindle places a note at its highlight's end), else
    /// the last in the file.
    static func highlightHolding(_ note: Entry, in highlights: [Entry]) -> Int? {
        guard let at = note.location?.lowerBound else { return nil }
        let holding = highlights.indices.filter { highlights[$0].work == note.work && highlights[$0].location?.contains(at) == true }
        return holding.first { highlights[$0].location?.upperBound == at } ?? holding.last
    }

    // MARK: - Reading entries

    struct Failure: Error {
        var number: Int
        var reason: String
    }

    /// The file's entries in order, numbered from 1; each read, or why not.
    static func read(_ text: String) -> [Result<Entry, Failure>] {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(clean)
        var results: [Result<Entry, Failure>] = []
        var chunk: [(line: Int, text: String)] = []
        func flush() {
            while chunk.first?.text.isEmpty == true { chunk.removeFirst() }
            while chunk.last?.text.isEmpty == true { chunk.removeLast() }
            guard !chunk.isEmpty else { return }
            results.append(entry(chunk, number: results.count + 1))
            chunk = []
        }
        for (index, line) in lines.enumerated() {
            if line == separator { flush() } else { chunk.append((index + 1, line)) }
        }
        flush()
        return results
    }

    /// One entry from its lines (leading and trailing blank lines removed).
    static func entry(_ lines: [(line: Int, text: String)], number: Int) -> Result<Entry, Failure> {
        let first = lines[0].line
        guard lines.count >= 2, let kind = metadataKind(lines[1].text) else {
            return .failure(Failure(number: number, reason: "the clipping at line \(first) has no '- Your Highlight/Note/Bookmark …' line after its title (Gloss reads clippings in English)"))
        }
        // A metadata line further down, after a line of its own: two clippings whose separator is missing.
        for index in 3..<max(3, lines.count) where metadataKind(lines[index].text) != nil && !lines[index - 1].text.isEmpty
            && (index + 1 == lines.count || lines[index + 1].text.isEmpty) {
            return .failure(Failure(number: number, reason: "the clipping at line \(first) runs into another at line \(lines[index - 1].line): the '\(separator)' line between them is missing"))
        }
        let (title, author) = titleAndAuthor(lines[0].text)
        let meta = lines[1].text.lowercased()
        let body = lines.dropFirst(2).map(\.text).joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty && kind != .bookmark {
            return .failure(Failure(number: number, reason: "the \(kind.rawValue) at line \(first) has no text"))
        }
        return .success(Entry(number: number, line: first, work: ImportedWork(title: title, author: author), kind: kind,
                              page: page(meta), location: location(meta), added: added(lines[1].text), text: body))
    }

    /// "Title (Author)": the author is the last parenthesized group, when the line ends with one.
    static func titleAndAuthor(_ line: String) -> (String, String?) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(")"), let open = trimmed.lastIndex(of: "("), open > trimmed.startIndex else { return (trimmed, nil) }
        let author = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)].trimmingCharacters(in: .whitespaces)
        let title = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        return title.isEmpty || author.isEmpty ? (trimmed, nil) : (title, author)
    }

    /// The kind a metadata line gives ("- Your Highlight on …", "- Highlight Loc. …"), or nil
    /// when the line is not one.
    static func metadataKind(_ line: String) -> AnnotationKind? {
        let lower = line.lowercased()
        for prefix in ["- your ", "- "] where lower.hasPrefix(prefix) {
            let rest = lower.dropFirst(prefix.count)
            for kind in [AnnotationKind.highlight, .note, .bookmark] where rest.hasPrefix(kind.rawValue) {
                let after = rest.dropFirst(kind.rawValue.count)
                if after.first == " " || after.first == "|" { return kind }
            }
        }
        return nil
    }

    static func location(_ meta: String) -> ClosedRange<Int>? {
        guard let match = meta.firstMatch(of: #/(?:location|loc\.)\s*(\d+)(?:\s*-\s*(\d+))?/#), let start = Int(match.1) else { return nil }
        guard let tail = match.2 else { return start...start }
        // Old firmware abbreviates the end: "1234-36" is 1234 to 1236.
        let full = tail.count < match.1.count ? String(match.1.dropLast(tail.count)) + tail : String(tail)
        guard let end = Int(full), end >= start else { return start...start }
        return start...end
    }

    static func page(_ meta: String) -> String? {
        meta.firstMatch(of: #/page\s+([0-9ivxlcdm]+)/#).map { String($0.1) }
    }

    /// "Added on Monday, 3 March 2024 10:11:12" (or the US order with AM/PM), read as UTC:
    /// the file gives no time zone.
    static func added(_ meta: String) -> Int64? {
        guard let range = meta.range(of: "Added on ", options: .caseInsensitive) else { return nil }
        let text = meta[range.upperBound...].trimmingCharacters(in: .whitespaces)
        // An English date is ASCII; Foundation's formatter traps on some other text (a combining
        // mark after a digit), so anything else is no date rather than a crash.
        guard text.unicodeScalars.allSatisfy(\.isASCII) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        for format in ["EEEE, d MMMM yyyy HH:mm:ss", "EEEE, MMMM d, yyyy h:mm:ss a", "EEEE, d MMMM yyyy h:mm:ss a", "EEEE, MMMM d, yyyy, h:mm:ss a"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970 * 1000) }
        }
        return nil
    }

    /// A line without the byte order mark a Kindle writes before each title, nor trailing space.
    static func clean(_ line: Substring) -> String {
        var line = line
        while line.first == "\u{FEFF}" { line.removeFirst() }
        while line.last?.isWhitespace == true { line.removeLast() }
        return String(line)
    }
}
