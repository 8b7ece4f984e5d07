import Foundation

/// Reads a browser's bookmarks file: the Netscape bookmark format every browser exports
/// (described by Microsoft, "Netscape Bookmark File Format",
/// https://learn.microsoft.com/en-us/previous-versions/windows/internet-explorer/ie-developer/platform-apis/aa753582(v=vs.85)):
///
///     <!DOCTYPE NETSCAPE-Bookmark-file-1>
///     <DL><p>
///         <DT><H3 ADD_DATE="1700000000">Reading</H3>
///         <DL><p>
///             <DT><A HREF="https://example.org/" ADD_DATE="1700000100" TAGS="essays,later">Title</A>
///         </DL><p>
///     </DL><p>
///
/// Each `<A>` is a link, numbered from 1 in file order; the folders holding it and its `TAGS`
/// (Firefox writes them) are its tags, and `ADD_DATE` (seconds since 1970) when it was saved.
/// A link that is not a web address (`place:`, `javascript:`) is reported, not imported.
enum NetscapeBookmarks {
    static func recognizes(_ text: String) -> Bool {
        text.prefix(2_048).range(of: "<!DOCTYPE NETSCAPE-Bookmark-file-1>", options: .caseInsensitive) != nil
    }

    static func parse(_ text: String) -> ImportDocument {
        var links: [Result<ImportedLink, GlossError>] = []
        var folders: [String?] = []
        var pendingFolder: String?
        var heading: (name: String, text: String)?
        var anchor: (attributes: [String: String], line: Int, text: String)?
        func finishAnchor(cutShort: Bool) {
            guard let open = anchor else { return }
            anchor = nil
            guard !cutShort else {
                links.append(.failure(.importItem(.unreadableEntry(reason: "the bookmark at line \(open.line) is cut short (the file ends inside it)"))))
                return
            }
            guard let href = open.attributes["href"]?.trimmingCharacters(in: .whitespaces), !href.isEmpty else {
                links.append(.failure(.importItem(.unreadableEntry(reason: "the bookmark at line \(open.line) has no address (HREF)"))))
                return
            }
            // The innermost folders: a file nesting thousands deep names thousands of them.
            let tags = folders.compactMap { $0 }.suffix(8) + (open.attributes["tags"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            links.append(.success(ImportedLink(url: href, title: open.text, tags: tags.filter { !$0.isEmpty },
                                               savedAt: HTMLListScanner.milliseconds(open.attributes["add_date"]))))
        }
        for token in HTMLListScanner.tokens(text) {
            switch token {
            case .open("a", let attributes, let line):
                finishAnchor(cutShort: false)
                anchor = (attributes, line, "")
            case .close("a", _):
                finishAnchor(cutShort: false)
            case .open("h3", _, _):
                heading = ("h3", "")
            case .close("h3", _):
                pendingFolder = heading.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
                heading = nil
            case .open("dl", _, _):
                folders.append(pendingFolder.flatMap { $0.isEmpty ? nil : $0 })
                pendingFolder = nil
            case .close("dl", _):
                _ = folders.popLast()
            case .text(let piece):
                if anchor != nil { anchor!.text += piece } else if heading != nil { heading!.text += piece }
            default:
                break
            }
        }
        finishAnchor(cutShort: true)
        return ImportDocument(articles: [], items: [], links: links)
    }
}
