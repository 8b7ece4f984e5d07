public import Foundation

/// The W3C Web Annotation Data Model (https://www.w3.org/TR/annotation-model/) form of a store's
/// annotations: one `AnnotationCollection` in JSON-LD. Highlights target their article with a
/// `TextQuoteSelector` and a `TextPositionSelector`; notes are `TextualBody` bodies in Markdown
/// with purpose `commenting`; tags are bodies with purpose `tagging`. What the model has no word
/// for (colour, the text hash the selectors were made against, the article id) rides in `gloss:`
/// extension properties so an import can restore it. The annotated articles themselves (text and
/// metadata) ride along in `gloss:articles`, so an import into an empty store loses nothing.
public enum W3CExport {
    static let context = "http://www.w3.org/ns/anno.jsonld"
    static let extensionContext = "https://gloss.invalid/ns/anno"

    /// The collection as JSON (sorted keys, indented).
    public static func collection(articles: [Article], annotations: [Annotation], label: String) throws -> Data {
        let byID = Dictionary(uniqueKeysWithValues: articles.map { ($0.id, $0) })
        let items = annotations.compactMap { annotation in byID[annotation.articleID].map { item(annotation, article: $0) } }
        let annotated = Set(annotations.map(\.articleID))
        let document: [String: Any] = [
            "gloss:articles": articles.filter { annotated.contains($0.id) }.map(embedded),
            "@context": [context, ["gloss": extensionContext + "#"]],
            "id": "urn:gloss:collection:\(label)",
            "type": "AnnotationCollection",
            "label": "Gloss annotations (\(label))",
            "total": items.count,
            "first": ["id": "urn:gloss:collection:\(label):page:1", "type": "AnnotationPage", "startIndex": 0, "items": items],
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static func item(_ annotation: Annotation, article: Article) -> [String: Any] {
        var bodies: [[String: Any]] = []
        if let note = annotation.note, !note.isEmpty {
            bodies.append(["type": "TextualBody", "value": note, "format": "text/markdown", "purpose": "commenting"])
        }
        for tag in annotation.tags {
            bodies.append(["type": "TextualBody", "value": tag, "purpose": "tagging"])
        }
        var target: [String: Any] = ["source": source(of: article)]
        if let anchor = annotation.anchor {
            target["type"] = "SpecificResource"
            target["selector"] = [
                ["type": "TextQuoteSelector", "exact": anchor.exact, "prefix": anchor.prefix, "suffix": anchor.suffix],
                ["type": "TextPositionSelector", "start": anchor.start, "end": anchor.end],
            ]
            target["gloss:contentHash"] = anchor.contentHash
        }
        var item: [String: Any] = [
            "id": "urn:uuid:\(annotation.id)",
            "type": "Annotation",
            "motivation": motivation(annotation),
            "created": timestamp(annotation.createdAt),
            "modified": timestamp(annotation.modifiedAt),
            "target": target,
            "gloss:article": article.id,
            "gloss:kind": annotation.kind.rawValue,
        ]
        if let color = annotation.color { item["gloss:color"] = color }
        if !bodies.isEmpty { item["body"] = bodies.count == 1 ? bodies[0] : bodies }
        return item
    }

    /// An article as `gloss:articles` carries it: what re-creates it, with the same id, elsewhere.
    static func embedded(_ article: Article) -> [String: Any] {
        var object: [String: Any] = [
            "id": article.id, "title": article.title, "savedAt": article.savedAt, "tags": article.tags,
        ]
        // An article waiting for its text carries none, and says so.
        if article.isWaiting { object["waiting"] = true } else { object["text"] = article.text }
        let optional: [(String, String?)] = [
            ("url", article.url), ("byline", article.byline), ("siteName", article.siteName), ("published", article.published),
            ("section", article.section), ("dateline", article.dateline), ("format", article.format),
        ]
        for (key, value) in optional { if let value { object[key] = value } }
        return object
    }

    /// The article's URL, else a URN naming it in this library.
    static func source(of article: Article) -> String {
        article.url ?? "urn:gloss:article:\(article.id)"
    }

    static func motivation(_ annotation: Annotation) -> String {
        switch annotation.kind {
        case .highlight: annotation.note == nil ? "highlighting" : "commenting"
        case .note: "commenting"
        case .bookmark: "bookmarking"
        }
    }

    static func timestamp(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(.iso8601)
    }
}
