/// What a page says about itself: `<meta>` (OpenGraph, Twitter, Dublin Core, Parse.ly and plain
/// names), JSON-LD (`NewsArticle` and the other schema.org article types), `<link
/// rel=canonical>`, `<time>` and `<html lang>`.
///
/// The precedence follows Readability: JSON-LD first, then Dublin Core, OpenGraph and the rest;
/// the `<title>` (see ``TitleFinder``) only when no metadata names the article.
struct MetadataReader {
    var title: String?
    var byline: String?
    var siteName: String?
    var published: String?
    var modified: String?
    var excerpt: String?
    var section: String?
    var tags: [String] = []
    var url: String?
    var language: String?

    init(_ document: Document) {
        let values = Self.metaValues(document)
        let linked = JSONLinkedData(document)

        title = linked.title ?? Self.first(values, "dc:title", "dcterm:title", "og:title", "weibo:article:title",
                                           "weibo:webpage:title", "title", "twitter:title", "parsely-title")
        if title?.isEmpty ?? true { title = TitleFinder.title(of: document) }
        byline = linked.byline ?? Self.first(values, "dc:creator", "dcterm:creator", "author", "parsely-author")
            ?? values["article:author"].flatMap { $0.contains("://") ? nil : $0 }
        excerpt = linked.excerpt ?? Self.first(values, "dc:description", "dcterm:description", "og:description",
                                               "weibo:article:description", "weibo:webpage:description", "description",
                                               "twitter:description")
        siteName = linked.siteName ?? Self.first(values, "og:site_name")
        published = linked.datePublished ?? Self.first(values, "article:published_time", "parsely-pub-date")

        let extra = Self.otherMetaValues(document)
        published = published ?? extra.first(where: { Self.publishedKeys.contains($0.key) })?.value ?? Self.timeElement(document)
        modified = linked.dateModified ?? extra.first { $0.key == "article:modified_time" || $0.key == "og:updated_time" }?.value
        section = extra.first { $0.key == "article:section" }?.value
        tags = extra.filter { $0.key == "article:tag" }.map(\.value)
        siteName = siteName ?? extra.first { $0.key == "application-name" }?.value
        url = Self.canonicalURL(document) ?? extra.first { $0.key == "og:url" }?.value
        language = document.documentElement.flatMap { document.attribute("lang", of: $0) }?.trimmingSpaces

        for field in [\Self.title, \Self.byline, \Self.excerpt, \Self.siteName, \Self.published] {
            self[keyPath: field] = self[keyPath: field].map(Self.unescapingEntities)
        }
    }

    private static let publishedKeys: Set<String> = [
        "og:article:published_time", "datepublished", "date", "dc.date", "dc.date.issued", "dcterms.created",
        "dcterms.issued", "pubdate", "publishdate", "publish-date", "sailthru.date", "article.published",
    ]

    private static func first(_ values: [String: String], _ keys: String...) -> String? {
        keys.lazy.compactMap { values[$0] }.first { !$0.isEmpty }
    }

    // MARK: - <meta>

    /// The `<meta>` values Readability reads, by normalized name ("og:title", "dc:creator"…);
    /// a later element overrides an earlier one.
    static func metaValues(_ document: Document) -> [String: String] {
        var values: [String: String] = [:]
        for meta in document.descendants(document.root, .meta) {
            guard let content = document.attribute("content", of: meta), !content.isEmpty else { continue }
            var matched = false
            if let property = document.attribute("property", of: meta), let name = propertyName(property) {
                values[name] = content.trimmingSpaces
                matched = true
            }
            if !matched, let name = document.attribute("name", of: meta), let key = plainName(name) {
                values[key] = content.trimmingSpaces
            }
        }
        return values
    }

    /// Every `<meta>` with a name, property or itemprop, lowercased, in document order.
    static func otherMetaValues(_ document: Document) -> [(key: String, value: String)] {
        document.descendants(document.root, .meta).compactMap { meta in
            guard let key = document.attribute("property", of: meta) ?? document.attribute("name", of: meta)
                    ?? document.attribute("itemprop", of: meta),
                  let content = document.attribute("content", of: meta)?.trimmingSpaces, !content.isEmpty else { return nil }
            return (key.trimmingSpaces.lowercased(), content)
        }
    }

    private static let propertyPrefixes = ["article", "dc", "dcterm", "og", "twitter"]
    private static let propertyFields = ["author", "creator", "description", "published_time", "title", "site_name"]

    /// The first "prefix:field" in a space-separated `property` list, e.g. "og:title"
    /// (spaces around the colon allowed).
    static func propertyName(_ property: String) -> String? {
        let compact = Array(property.lowercased().filter { !$0.isWhitespace }.utf8)
        var best: (index: Int, name: String)?
        for prefix in propertyPrefixes {
            for field in propertyFields {
                let name = prefix + ":" + field
                if let index = ClassHints.Words.find(Array(name.utf8), in: compact, from: 0), index < best?.index ?? Int.max {
                    best = (index, name)
                }
            }
        }
        return best?.name
    }

    /// A `name` Readability reads ("author", "dc.creator", "twitter:title", "parsely-pub-date"…),
    /// normalized: lowercased, no spaces, dots made colons.
    static func plainName(_ name: String) -> String? {
        let key = name.lowercased().filter { !$0.isWhitespace }
        let fields = ["author", "creator", "pub-date", "description", "title", "site_name"]
        let prefixes = ["dc", "dcterm", "og", "twitter", "parsely", "weibo:article", "weibo:webpage"]
        var matched = fields.contains(key)
        if !matched {
            for prefix in prefixes where key.hasPrefix(prefix) {
                let rest = key.dropFirst(prefix.count)
                guard let separator = rest.first, "-.:".contains(separator) else { continue }
                if fields.contains(String(rest.dropFirst())) { matched = true }
            }
        }
        return matched ? key.replacingAll(".", with: ":") : nil
    }

    // MARK: - Links and times

    static func canonicalURL(_ document: Document) -> String? {
        for link in document.descendants(document.root, .link) {
            let rel = document.attribute("rel", of: link)?.lowercased().split(separator: " ") ?? []
            if rel.contains("canonical"), let href = document.attribute("href", of: link)?.trimmingSpaces, !href.isEmpty {
                return href
            }
        }
        return nil
    }

    /// The `datetime` of a `<time>` marked as the publication date, else of the first `<time>`
    /// inside an `<article>` or `<main>`.
    static func timeElement(_ document: Document) -> String? {
        let times = document.descendants(document.root, .time).filter { document.attribute("datetime", of: $0)?.isEmpty == false }
        let marked = times.first {
            document.attribute("itemprop", of: $0)?.lowercased() == "datepublished" || document.hasAttribute("pubdate", $0)
        }
        let contained = times.first { document.hasAncestor($0, .article, maxDepth: 0) || document.hasAncestor($0, .main, maxDepth: 0) }
        return (marked ?? contained).flatMap { document.attribute("datetime", of: $0)?.trimmingSpaces }
    }

    // MARK: - Entities

    /// Decodes the entities pages often double-escape in metadata: `&quot;`, `&amp;`, `&apos;`,
    /// `&lt;`, `&gt;` and numeric references.
    static func unescapingEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        let named: [String: Unicode.Scalar] = ["quot": "\"", "amp": "&", "apos": "'", "lt": "<", "gt": ">"]
        while index < scalars.count {
            guard scalars[index] == "&", let semicolon = scalars[index...].prefix(12).firstIndex(of: ";") else {
                result.append(scalars[index])
                index += 1
                continue
            }
            let name = String(String.UnicodeScalarView(scalars[(index + 1)..<semicolon]))
            if let scalar = named[name] {
                result.append(scalar)
                index = semicolon + 1
            } else if name.hasPrefix("#"), let value = numericValue(name.dropFirst()) {
                let valid = value != 0 && value <= 0x10FFFF && !(0xD800...0xDFFF).contains(value)
                result.append(valid ? Unicode.Scalar(value)! : "\u{FFFD}")
                index = semicolon + 1
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }

    private static func numericValue(_ digits: Substring) -> UInt32? {
        if digits.first == "x" || digits.first == "X" {
            let hex = digits.dropFirst()
            return hex.count <= 8 ? UInt32(hex, radix: 16) : nil
        }
        return digits.count <= 10 ? UInt32(digits) : nil
    }
}

extension String {
    /// The string with every occurrence of `target` replaced.
    func replacingAll(_ target: Character, with replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
