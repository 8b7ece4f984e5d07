import Foundation

/// Extracts an article from simple HTML with a small tokenizer of its own.
///
/// Deliberately modest (a libxml2-based extractor is planned): the title comes from the article's
/// `<h1>`, `og:title`, the first `<h1>` or `<title>`; byline, site, date, section, tags and URL from
/// `<meta>` and `<link rel=canonical>`. The body is the largest `<article>`, else `<main>`, else
/// `<body>` sifted by the plain-text classifier, with scripts, styles, navigation, headers, footers
/// and asides dropped and block elements turned into paragraph breaks. Malformed markup never makes
/// it fail, and the work stays linear in the input.
enum HTMLTextExtractor {
    static func extract(_ html: String) throws(ExtractionError) -> ExtractedArticle {
        var document = Document()
        for token in Tokenizer.tokens(Array(html.utf8)) { document.consume(token) }
        document.flush()

        let siteName = document.meta("og:site_name", "application-name")
        let title = document.articleHeading ?? document.meta("og:title", "twitter:title")
            ?? document.firstHeading ?? document.titleElement.map { cleanedTitle($0, siteName: siteName) }
        var kept = bodyIndices(document.paragraphs)
        if let title, let first = kept.first, document.paragraphs[first].text.caseInsensitiveCompare(title) == .orderedSame {
            kept.removeFirst()
        }
        guard let first = kept.first else { throw .noArticleText }
        let body = kept.map { document.paragraphs[$0].text }
        // Lines above the body, for a byline or date the page states only in its text.
        let header = document.paragraphs[..<first].enumerated().map { PlainTextExtractor.Paragraph(text: $1.text, block: $0) }[...]

        let opening = body.prefix(3).lazy.compactMap(PlainTextExtractor.opening(of:)).first
        let published = document.meta(
            "article:published_time", "og:article:published_time", "datepublished", "pubdate", "publishdate",
            "date", "dc.date", "dc.date.issued", "dcterms.created", "parsely-pub-date", "sailthru.date"
        ).flatMap(PlainTextExtractor.isoTimestamp) ?? document.timeElement.flatMap(PlainTextExtractor.isoTimestamp)
            ?? PlainTextExtractor.publishedDate(in: header, titleIndex: nil)
        let author = document.meta("author", "article:author", "byl", "parsely-author", "dc.creator", "sailthru.author")
            .flatMap { $0.contains("://") ? nil : String($0.trimmingPrefix("By ")) }
            ?? PlainTextExtractor.byline(in: header, titleIndex: nil)
        return ExtractedArticle(
            title: title,
            byline: author,
            siteName: siteName ?? opening?.source,
            published: published,
            section: document.meta("article:section"),
            dateline: opening?.dateline,
            url: document.canonical ?? document.meta("og:url"),
            tags: document.metas["article:tag"] ?? [],
            text: body.joined(separator: "\n\n"),
            format: .html
        )
    }

    /// The charset a `<meta charset>` or `<meta http-equiv=Content-Type>` declares, lowercased.
    static func declaredCharset(in bytes: some Collection<UInt8>) -> String? {
        for token in Tokenizer.tokens(Array(bytes.prefix(4096))) {
            guard case .start("meta", let attributes, _) = token else { continue }
            if let charset = attributes["charset"] { return charset.trimmingCharacters(in: .whitespaces).lowercased() }
            if attributes["http-equiv"]?.lowercased() == "content-type", let content = attributes["content"]?.lowercased(),
               let range = content.range(of: "charset=") {
                return String(content[range.upperBound...].prefix { $0 != ";" && !$0.isWhitespace && $0 != "\"" && $0 != "'" })
            }
        }
        return nil
    }

    /// Indices of the paragraphs of the largest `<article>`, else of `<main>`, else of `<body>`
    /// sifted for boilerplate.
    static func bodyIndices(_ paragraphs: [Document.Paragraph]) -> [Int] {
        var sizes: [Int: Int] = [:]
        for paragraph in paragraphs {
            if let article = paragraph.article { sizes[article, default: 0] += paragraph.text.count }
        }
        let container: [Int]
        if let largest = sizes.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) })?.key {
            container = paragraphs.indices.filter { paragraphs[$0].article == largest }
        } else if paragraphs.contains(where: \.inMain) {
            container = paragraphs.indices.filter { paragraphs[$0].inMain }
        } else {
            let hasBody = paragraphs.contains(where: \.inBody)
            let page = paragraphs.indices.filter { !hasBody || paragraphs[$0].inBody }
            let candidates = page.map {
                PlainTextExtractor.Paragraph(text: paragraphs[$0].text, block: $0, linkDensity: paragraphs[$0].linkDensity)
            }
            let kept = PlainTextExtractor.bodyIndices(of: candidates)
            if !kept.isEmpty { return kept.map { page[$0] } }
            container = page
        }
        return container.filter { index in
            let paragraph = paragraphs[index]
            let features = PlainTextExtractor.Paragraph(text: paragraph.text, block: index, linkDensity: paragraph.linkDensity)
            return !features.isInterfaceLabel && (features.linkDensity <= 0.5 || features.isSentence)
        }
    }

    /// A `<title>` without the " | Site" (or " - Site" when it names the site) that pages append.
    static func cleanedTitle(_ title: String, siteName: String?) -> String {
        let parts = title.components(separatedBy: " | ").map { $0.trimmingCharacters(in: .whitespaces) }
        var cleaned = parts.max { $0.count < $1.count } ?? title
        if let siteName {
            for separator in [" - ", " – ", " — ", " :: "] where cleaned.hasSuffix(separator + siteName) {
                cleaned = String(cleaned.dropLast(separator.count + siteName.count))
            }
        }
        return cleaned
    }
}

// MARK: - Document

extension HTMLTextExtractor {
    /// Walks the tokens, keeping the open elements, the page's metadata and its paragraphs.
    struct Document {
        struct Paragraph {
            var text: String
            var article: Int?
            var inMain: Bool
            var inBody: Bool
            var linkDensity: Double
        }

        static let dropped: Set<String> = [
            "script", "style", "nav", "header", "footer", "aside", "noscript", "template", "svg", "math",
            "iframe", "button", "select", "textarea", "object", "canvas", "dialog", "figcaption", "head",
        ]
        static let void: Set<String> = [
            "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
            "track", "wbr", "keygen",
        ]
        static let blocks: Set<String> = [
            "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir",
            "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
            "h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
            "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "caption", "legend", "br", "option",
        ]
        static let headOnly: Set<String> = ["meta", "link", "title", "style", "script", "base", "noscript", "template"]

        private(set) var paragraphs: [Paragraph] = []
        private(set) var metas: [String: [String]] = [:]
        private(set) var canonical: String?
        private(set) var titleElement: String?
        private(set) var firstHeading: String?
        private(set) var articleHeading: String?
        private(set) var timeElement: String?

        private var stack: [(name: String, dropped: Bool)] = []
        private var open: [String: Int] = [:]
        private var droppedDepth = 0
        private var article: Int?
        private var articleCount = 0
        private var buffer = ""
        private var linkCharacters = 0
        private var heading: String?
        private var title: String?

        func meta(_ keys: String...) -> String? {
            keys.lazy.compactMap { self.metas[$0]?.first }.first
        }

        private func isOpen(_ name: String) -> Bool { (open[name] ?? 0) > 0 }

        mutating func consume(_ token: Tokenizer.Token) {
            switch token {
            case .start(let name, let attributes, let selfClosing):
                start(name, attributes, selfClosing: selfClosing)
            case .end(let name):
                end(name)
            case .text(let text):
                append(text)
            }
        }

        private mutating func start(_ name: String, _ attributes: [String: String], selfClosing: Bool) {
            if isOpen("head"), !Self.headOnly.contains(name) { end("head") }
            switch name {
            case "meta":
                if let key = (attributes["property"] ?? attributes["name"] ?? attributes["itemprop"])?.lowercased(),
                   let content = attributes["content"]?.trimmingCharacters(in: .whitespacesAndNewlines), !content.isEmpty {
                    metas[key, default: []].append(content)
                }
            case "link":
                if attributes["rel"]?.lowercased().split(separator: " ").contains("canonical") == true, let href = attributes["href"] {
                    canonical = canonical ?? href.trimmingCharacters(in: .whitespacesAndNewlines)
                }
            case "time":
                if let datetime = attributes["datetime"], timeElement == nil,
                   article != nil || isOpen("main") || attributes["itemprop"]?.lowercased() == "datepublished"
                    || attributes["pubdate"] != nil {
                    timeElement = datetime
                }
            default:
                break
            }
            if Self.blocks.contains(name) { flush() }
            if name == "td" || name == "th" { buffer.append(" ") }
            guard !Self.void.contains(name) else { return }
            let dropped = Self.dropped.contains(name) || attributes["hidden"] != nil
            stack.append((name, dropped))
            open[name, default: 0] += 1
            if dropped { droppedDepth += 1 }
            if name == "article", open["article"] == 1 {
                article = articleCount
                articleCount += 1
            }
            if name == "h1", heading == nil, articleHeading == nil { heading = "" }
            if name == "title", titleElement == nil { title = "" }
            if selfClosing { end(name) }
        }

        private mutating func end(_ name: String) {
            guard isOpen(name) else {
                if name == "br" || name == "p" { flush() }
                return
            }
            if Self.blocks.contains(name) { flush() }
            while let element = stack.popLast() {
                open[element.name, default: 1] -= 1
                if element.dropped { droppedDepth -= 1 }
                closed(element.name)
                if element.name == name { break }
            }
        }

        private mutating func closed(_ name: String) {
            switch name {
            case "article" where open["article"] == 0:
                flush()
                article = nil
            case "h1":
                if let text = heading.map(PlainTextExtractor.collapsingWhitespace), !text.isEmpty {
                    if article != nil { articleHeading = text }
                    firstHeading = firstHeading ?? text
                }
                heading = nil
            case "title":
                if let text = title.map(PlainTextExtractor.collapsingWhitespace), !text.isEmpty { titleElement = text }
                title = nil
            default:
                break
            }
        }

        private mutating func append(_ text: String) {
            if title != nil, !isOpen("svg") {
                title?.append(text)
                return
            }
            heading?.append(text)
            guard droppedDepth == 0 else { return }
            if isOpen("pre") {
                buffer += text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\u{0}")
            } else {
                buffer += text
            }
            if isOpen("a") { linkCharacters += text.count(where: { !$0.isWhitespace }) }
        }

        /// Ends the current paragraph; inside `<pre>` its lines stay apart.
        mutating func flush() {
            defer {
                buffer = ""
                linkCharacters = 0
            }
            let text = buffer.split(separator: "\u{0}").map(PlainTextExtractor.collapsingWhitespace)
                .filter { !$0.isEmpty }.joined(separator: "\n")
            guard !text.isEmpty else { return }
            let visible = text.count(where: { !$0.isWhitespace })
            paragraphs.append(Paragraph(
                text: text,
                article: article,
                inMain: isOpen("main"),
                inBody: isOpen("body"),
                linkDensity: visible == 0 ? 0 : min(1, Double(linkCharacters) / Double(visible))
            ))
        }
    }
}

// MARK: - Tokenizer

extension HTMLTextExtractor {
    /// A forgiving HTML tokenizer over UTF-8 bytes: start and end tags, text with entities decoded.
    ///
    /// Comments, doctypes and processing instructions are skipped; script and style contents are
    /// skipped whole; title and textarea contents are text. Every step consumes input, so any byte
    /// sequence terminates in linear time.
    enum Tokenizer {
        enum Token {
            case start(String, [String: String], selfClosing: Bool)
            case end(String)
            case text(String)
        }

        static let rawText: Set<String> = ["script", "style", "xmp", "iframe", "noembed", "noframes"]
        static let escapableRawText: Set<String> = ["title", "textarea"]

        static func tokens(_ bytes: [UInt8]) -> [Token] {
            var tokens: [Token] = []
            let count = bytes.count
            var index = 0
            var textStart = 0

            func flushText(upTo end: Int) {
                guard end > textStart else { return }
                tokens.append(.text(Entities.decode(String(decoding: bytes[textStart..<end], as: UTF8.self))))
            }
            func find(_ pattern: [UInt8], from start: Int) -> Int? {
                guard !pattern.isEmpty, start <= count - pattern.count else { return nil }
                var position = start
                while position <= count - pattern.count {
                    if bytes[position] == pattern[0], bytes[position..<(position + pattern.count)].elementsEqual(pattern) {
                        return position
                    }
                    position += 1
                }
                return nil
            }

            while index < count {
                guard bytes[index] == UInt8(ascii: "<"), index + 1 < count else {
                    index += 1
                    continue
                }
                let next = bytes[index + 1]
                if next == UInt8(ascii: "!") {
                    flushText(upTo: index)
                    if bytes[index...].starts(with: Array("<!--".utf8)) {
                        index = (find(Array("-->".utf8), from: index + 4)).map { $0 + 3 } ?? count
                    } else if bytes[index...].starts(with: Array("<![CDATA[".utf8)) {
                        let end = find(Array("]]>".utf8), from: index + 9) ?? count
                        tokens.append(.text(String(decoding: bytes[(index + 9)..<end], as: UTF8.self)))
                        index = min(count, end + 3)
                    } else {
                        index = (find([UInt8(ascii: ">")], from: index + 2)).map { $0 + 1 } ?? count
                    }
                    textStart = index
                } else if next == UInt8(ascii: "?") {
                    flushText(upTo: index)
                    index = (find([UInt8(ascii: ">")], from: index + 2)).map { $0 + 1 } ?? count
                    textStart = index
                } else if next == UInt8(ascii: "/"), index + 2 < count, isLetter(bytes[index + 2]) {
                    flushText(upTo: index)
                    let (name, nameEnd) = tagName(bytes, from: index + 2)
                    tokens.append(.end(name))
                    index = (find([UInt8(ascii: ">")], from: nameEnd)).map { $0 + 1 } ?? count
                    textStart = index
                } else if isLetter(next) {
                    flushText(upTo: index)
                    let tag = startTag(bytes, from: index + 1)
                    tokens.append(.start(tag.name, tag.attributes, selfClosing: tag.selfClosing))
                    index = tag.end
                    if !tag.selfClosing, rawText.contains(tag.name) || escapableRawText.contains(tag.name) {
                        let close = closingTag(tag.name, in: bytes, from: index) ?? count
                        if escapableRawText.contains(tag.name) {
                            tokens.append(.text(Entities.decode(String(decoding: bytes[index..<close], as: UTF8.self))))
                        }
                        tokens.append(.end(tag.name))
                        index = close < count ? (find([UInt8(ascii: ">")], from: close)).map { $0 + 1 } ?? count : count
                    }
                    textStart = index
                } else {
                    index += 1
                }
            }
            flushText(upTo: count)
            return tokens
        }

        static func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
        }

        static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
        }

        static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
            String(decoding: bytes.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        }

        static func tagName(_ bytes: [UInt8], from start: Int) -> (String, Int) {
            var end = start
            while end < bytes.count, !isSpace(bytes[end]), bytes[end] != UInt8(ascii: ">"), bytes[end] != UInt8(ascii: "/") {
                end += 1
            }
            return (lowercased(bytes[start..<end]), end)
        }

        /// Parses a start tag whose name begins at `start`; `end` is just past its `>`.
        static func startTag(
            _ bytes: [UInt8], from start: Int
        ) -> (name: String, attributes: [String: String], selfClosing: Bool, end: Int) {
            let (name, nameEnd) = tagName(bytes, from: start)
            var attributes: [String: String] = [:]
            var index = nameEnd
            var selfClosing = false
            let count = bytes.count
            while index < count {
                let byte = bytes[index]
                if byte == UInt8(ascii: ">") {
                    return (name, attributes, selfClosing, index + 1)
                }
                if isSpace(byte) {
                    index += 1
                    continue
                }
                if byte == UInt8(ascii: "/") {
                    selfClosing = true
                    index += 1
                    continue
                }
                selfClosing = false
                let nameStart = index
                index += 1
                while index < count, !isSpace(bytes[index]), !"=>/".utf8.contains(bytes[index]) {
                    index += 1
                }
                let attribute = lowercased(bytes[nameStart..<index])
                while index < count, isSpace(bytes[index]) { index += 1 }
                var value = ""
                if index < count, bytes[index] == UInt8(ascii: "=") {
                    index += 1
                    while index < count, isSpace(bytes[index]) { index += 1 }
                    if index < count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                        let quote = bytes[index]
                        let valueStart = index + 1
                        index = valueStart
                        while index < count, bytes[index] != quote { index += 1 }
                        value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
                        index = min(count, index + 1)
                    } else {
                        let valueStart = index
                        while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                        value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
                    }
                }
                if attributes[attribute] == nil { attributes[attribute] = Entities.decode(value) }
            }
            return (name, attributes, selfClosing, count)
        }

        /// The index of the `</name` that closes a raw-text element, case-insensitively.
        static func closingTag(_ name: String, in bytes: [UInt8], from start: Int) -> Int? {
            let pattern = Array(name.utf8)
            var index = start
            while index + 1 < bytes.count {
                if bytes[index] == UInt8(ascii: "<"), bytes[index + 1] == UInt8(ascii: "/"),
                   index + 2 + pattern.count <= bytes.count,
                   lowercased(bytes[(index + 2)..<(index + 2 + pattern.count)]) == name {
                    let after = index + 2 + pattern.count
                    if after == bytes.count || isSpace(bytes[after]) || ">/".utf8.contains(bytes[after]) {
                        return index
                    }
                }
                index += 1
            }
            return nil
        }
    }
}

// MARK: - Entities

extension HTMLTextExtractor {
    /// Character references: numeric ones, and the named ones pages commonly use.
    enum Entities {
        static func decode(_ text: String) -> String {
            guard text.contains("&") else { return text }
            let scalars = Array(text.unicodeScalars)
            var out = String.UnicodeScalarView()
            var index = 0
            while index < scalars.count {
                if scalars[index] == "&", let (scalar, length) = reference(at: index, in: scalars) {
                    out.append(scalar)
                    index += length
                } else {
                    out.append(scalars[index])
                    index += 1
                }
            }
            return String(out)
        }

        static func reference(at start: Int, in scalars: [Unicode.Scalar]) -> (Unicode.Scalar, Int)? {
            var index = start + 1
            guard index < scalars.count else { return nil }
            if scalars[index] == "#" {
                index += 1
                let hex = index < scalars.count && (scalars[index] == "x" || scalars[index] == "X")
                if hex { index += 1 }
                let digitsStart = index
                var value: UInt32 = 0
                while index < scalars.count, index - digitsStart < 8,
                      let digit = hex ? hexDigit(scalars[index]) : decimalDigit(scalars[index]) {
                    value = value * (hex ? 16 : 10) + digit
                    index += 1
                }
                guard index > digitsStart else { return nil }
                if index < scalars.count, scalars[index] == ";" { index += 1 }
                return (numericScalar(value), index - start)
            }
            let nameStart = index
            while index < scalars.count, index - nameStart < 32, scalars[index].isASCII,
                  scalars[index].properties.isAlphabetic || decimalDigit(scalars[index]) != nil {
                index += 1
            }
            guard index > nameStart else { return nil }
            let name = String(String.UnicodeScalarView(scalars[nameStart..<index]))
            if index < scalars.count, scalars[index] == ";", let scalar = named[name] {
                return (scalar, index + 1 - start)
            }
            if legacy.contains(name), let scalar = named[name] { return (scalar, index - start) }
            return nil
        }

        static func decimalDigit(_ scalar: Unicode.Scalar) -> UInt32? {
            (48...57).contains(scalar.value) ? scalar.value - 48 : nil
        }

        static func hexDigit(_ scalar: Unicode.Scalar) -> UInt32? {
            switch scalar.value {
            case 48...57: scalar.value - 48
            case 65...70: scalar.value - 55
            case 97...102: scalar.value - 87
            default: nil
            }
        }

        /// The scalar a numeric reference stands for, with the HTML rules for invalid numbers.
        static func numericScalar(_ value: UInt32) -> Unicode.Scalar {
            if (0x80...0x9F).contains(value) { return ArticleExtractor.windows1252[Int(value - 0x80)] }
            guard value != 0, let scalar = Unicode.Scalar(value) else { return "\u{FFFD}" }
            return scalar
        }

        /// Names browsers accept without the closing semicolon.
        static let legacy: Set<String> = ["amp", "lt", "gt", "quot", "nbsp", "copy", "reg", "AMP", "LT", "GT", "QUOT"]

        static let named: [String: Unicode.Scalar] = {
            var table: [String: Unicode.Scalar] = [
                "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "AMP": "&", "LT": "<", "GT": ">",
                "QUOT": "\"", "ensp": "\u{2002}", "emsp": "\u{2003}", "thinsp": "\u{2009}", "zwnj": "\u{200C}",
                "zwj": "\u{200D}", "lrm": "\u{200E}", "rlm": "\u{200F}", "ndash": "–", "mdash": "—", "lsquo": "‘",
                "rsquo": "’", "sbquo": "‚", "ldquo": "“", "rdquo": "”", "bdquo": "„", "dagger": "†", "Dagger": "‡",
                "bull": "•", "hellip": "…", "permil": "‰", "prime": "′", "Prime": "″", "lsaquo": "‹", "rsaquo": "›",
                "euro": "€", "trade": "™", "OElig": "Œ", "oelig": "œ", "Scaron": "Š", "scaron": "š", "Yuml": "Ÿ",
                "fnof": "ƒ", "circ": "ˆ", "tilde": "˜", "larr": "←", "rarr": "→", "uarr": "↑", "darr": "↓",
                "harr": "↔", "minus": "−", "le": "≤", "ge": "≥", "ne": "≠", "infin": "∞", "middot": "·",
                "nbsp": "\u{A0}", "hyphen": "‐", "dash": "‐", "star": "☆", "check": "✓", "laquo": "«", "raquo": "»",
            ]
            let latin1 = [
                "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo",
                "not", "shy", "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot",
                "cedil", "sup1", "ordm", "raquo", "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",
                "Atilde", "Auml", "Aring", "AElig", "Ccedil", "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute",
                "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute", "Ocirc", "Otilde", "Ouml", "times", "Oslash",
                "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig", "agrave", "aacute", "acirc", "atilde",
                "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml", "igrave", "iacute", "icirc",
                "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide", "oslash", "ugrave",
                "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
            ]
            for (offset, name) in latin1.enumerated() {
                if let scalar = Unicode.Scalar(0xA0 + offset) { table[name] = scalar }
            }
            return table
        }()
    }
}
