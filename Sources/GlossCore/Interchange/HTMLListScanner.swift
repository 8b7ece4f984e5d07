import Foundation

/// Reads the machine-written HTML of link exports (a Pocket export, a Netscape bookmarks file) as
/// a flat run of tags and text: enough for files whose layout is a list of `<a>` elements, and
/// forgiving of what HTML parsers would refuse (unclosed `<p>` and `<DT>`, a file cut short).
struct HTMLListScanner {
    enum Token: Equatable {
        /// An opening tag, its name lowercased, its attributes by lowercased name (values decoded).
        case open(String, [String: String], line: Int)
        case close(String, line: Int)
        case text(String)
    }

    /// The tokens of `html`, comments and doctype left out.
    static func tokens(_ html: String) -> [Token] {
        var tokens: [Token] = []
        var rest = html[...]
        var line = 1
        while let open = rest.firstIndex(of: "<") {
            if open > rest.startIndex {
                let text = rest[rest.startIndex..<open]
                line += text.count(where: { $0 == "\n" })
                tokens.append(.text(decode(String(text))))
            }
            let tail = rest[open...]
            if tail.hasPrefix("<!--") {
                guard let end = tail.range(of: "-->") else { return tokens }
                line += tail[..<end.upperBound].count(where: { $0 == "\n" })
                rest = tail[end.upperBound...]
                continue
            }
            guard let close = tail.firstIndex(of: ">") else {
                // A tag cut short at the end of the file: opened, so that a reader sees an
                // element the file ends inside.
                let inside = tail.dropFirst()
                let name = inside.prefix { !$0.isWhitespace && $0 != "/" }.lowercased()
                if !name.isEmpty && inside.first != "/" { tokens.append(.open(name, attributes(inside.dropFirst(name.count)), line: line)) }
                return tokens
            }
            let inside = tail[tail.index(after: open)..<close]
            if inside.first == "/" {
                tokens.append(.close(inside.dropFirst().trimmingCharacters(in: .whitespacesAndNewlines).lowercased(), line: line))
            } else if inside.first != "!" && inside.first != "?" {
                let name = inside.prefix { !$0.isWhitespace && $0 != "/" }.lowercased()
                tokens.append(.open(name, attributes(inside.dropFirst(name.count)), line: line))
            }
            line += inside.count(where: { $0 == "\n" })
            rest = tail[tail.index(after: close)...]
        }
        if !rest.isEmpty { tokens.append(.text(decode(String(rest)))) }
        return tokens
    }

    /// `name="value"`, `name='value'` and `name=value`; names lowercased, values decoded. Read by
    /// hand: a regular expression per tag made a file of 20,000 links slow to read.
    static func attributes(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        let scalars = Array(text.unicodeScalars)
        var at = 0
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{0C}" }
        while at < scalars.count {
            while at < scalars.count && (isSpace(scalars[at]) || scalars[at] == "/") { at += 1 }
            let nameStart = at
            while at < scalars.count && !isSpace(scalars[at]) && scalars[at] != "=" && scalars[at] != "/" { at += 1 }
            guard at > nameStart else { break }
            var name = String.UnicodeScalarView()
            name.append(contentsOf: scalars[nameStart..<at])
            while at < scalars.count && isSpace(scalars[at]) { at += 1 }
            var value = String.UnicodeScalarView()
            if at < scalars.count && scalars[at] == "=" {
                at += 1
                while at < scalars.count && isSpace(scalars[at]) { at += 1 }
                if at < scalars.count && (scalars[at] == "\"" || scalars[at] == "'") {
                    let quote = scalars[at]
                    at += 1
                    let start = at
                    while at < scalars.count && scalars[at] != quote { at += 1 }
                    value.append(contentsOf: scalars[start..<at])
                    at += 1
                } else {
                    let start = at
                    while at < scalars.count && !isSpace(scalars[at]) { at += 1 }
                    value.append(contentsOf: scalars[start..<at])
                }
            }
            let key = String(name).lowercased()
            if result[key] == nil { result[key] = decode(String(value)) }
        }
        return result
    }

    /// The text with character references (`&amp;`, `&#39;`, `&#x2019;`) replaced.
    static func decode(_ text: String) -> String {
        guard text.contains("&") else { return text }
        let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}"]
        return text.replacing(#/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,6});/#) { match in
            let entity = String(match.1)
            if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                return UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? String(match.0)
            }
            if entity.hasPrefix("#") {
                return UInt32(entity.dropFirst()).flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? String(match.0)
            }
            return named[entity.lowercased()] ?? String(match.0)
        }
    }

    /// Milliseconds since 1970 from a count of seconds (what these files write), or of
    /// milliseconds or microseconds (what some browsers write) told apart by size.
    static func milliseconds(_ text: String?) -> Int64? {
        guard let text, let value = Int64(text.trimmingCharacters(in: .whitespaces)), value > 0 else { return nil }
        if value > 100_000_000_000_000 { return value / 1_000 }
        if value > 100_000_000_000 { return value }
        return value * 1_000
    }
}
