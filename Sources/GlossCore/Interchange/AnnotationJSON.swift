import Foundation

/// The JSON of a file `AnnotationImport` reads, decoded by `JSONDecoder` into just the fields
/// it uses. Every field is lenient: one that is absent, null or of another type than expected
/// reads as nil, as a cast of a `JSONSerialization` value would, so no shape of item makes the
/// whole file fail; only text that is not JSON does.
enum AnnotationJSON {
    /// The top level of a file: an array of items, an object (a collection, a page, Hypothesis's
    /// `rows`, a Gloss canonical export or one annotation), or anything else.
    enum Document: Decodable {
        case array([Item])
        case object(Object)
        case other

        init(from decoder: any Decoder) throws {
            if let object = try? Object(from: decoder) {
                self = .object(object)
            } else if let items = try? [Item](from: decoder) {
                self = .array(items)
            } else {
                self = .other
            }
        }
    }

    /// A top-level object, read for every role it can play; `item` is the object read as one
    /// annotation, for a file that holds just one.
    struct Object: Decodable {
        var format: String?
        var version: Scalar?
        var articles: [Lenient<Article>]?
        var rows: [Item]?
        var type: [String]?
        var first: Page?
        var items: [Item]?
        var item: Item

        enum CodingKeys: String, CodingKey {
            case format, version, rows, type, first, items
            case articles = "gloss:articles"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            format = container.lenient(String.self, .format)
            version = container.lenient(Scalar.self, .version)
            articles = container.lenient([Lenient<Article>].self, .articles)
            rows = container.lenient([Item].self, .rows)
            type = container.types(.type)
            first = container.lenient(Page.self, .first)
            items = container.lenient([Item].self, .items)
            item = try Item(from: decoder)
        }
    }

    /// An `AnnotationPage`, as a collection's `first` holds it.
    struct Page: Decodable {
        var items: [Item]?

        enum CodingKeys: String, CodingKey { case items }

        init(from decoder: any Decoder) throws {
            items = try decoder.container(keyedBy: CodingKeys.self).lenient([Item].self, .items)
        }
    }

    /// An article a Gloss W3C export embeds in `gloss:articles`.
    struct Article: Decodable {
        var id, title, text, format, byline, siteName, published, section, dateline, url: String?
        var tags: [String]?
        var savedAt: Int64?
        /// True for an article that waits for its text (it carries none).
        var waiting: Bool?

        enum CodingKeys: String, CodingKey {
            case id, title, text, format, byline, siteName, published, section, dateline, url, tags, savedAt, waiting
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = container.lenient(String.self, .id)
            title = container.lenient(String.self, .title)
            text = container.lenient(String.self, .text)
            format = container.lenient(String.self, .format)
            byline = container.lenient(String.self, .byline)
            siteName = container.lenient(String.self, .siteName)
            published = container.lenient(String.self, .published)
            section = container.lenient(String.self, .section)
            dateline = container.lenient(String.self, .dateline)
            url = container.lenient(String.self, .url)
            tags = container.lenient([String].self, .tags)
            savedAt = container.lenient(Int64.self, .savedAt)
            waiting = container.lenient(Bool.self, .waiting)
        }
    }

    /// One item of a file: a W3C Web Annotation or a Hypothesis annotation (which has `uri` or
    /// `user`), with the fields of both; nil when the item is not a JSON object.
    struct Item: Decodable {
        struct Fields {
            var isHypothesis: Bool
            var type: [String]?
            var id, article, color, kind, created, bodyValue, uri, text: String?
            var body: OneOrMany<Body>?
            var target: Target?
            var hypothesisTargets: [Lenient<TargetObject>]?
            var tags: [String]?
        }
        var fields: Fields?

        enum CodingKeys: String, CodingKey {
            case type, id, created, body, bodyValue, target, uri, user, text, tags
            case article = "gloss:article", color = "gloss:color", kind = "gloss:kind"
        }

        init(from decoder: any Decoder) {
            guard let container = try? decoder.container(keyedBy: CodingKeys.self) else { return }
            let isHypothesis = container.contains(.uri) || container.contains(.user)
            fields = Fields(
                isHypothesis: isHypothesis,
                type: container.types(.type),
                id: container.lenient(String.self, .id),
                article: container.lenient(String.self, .article),
                color: container.lenient(String.self, .color),
                kind: container.lenient(String.self, .kind),
                created: container.lenient(String.self, .created),
                bodyValue: container.lenient(String.self, .bodyValue),
                uri: container.lenient(String.self, .uri),
                text: container.lenient(String.self, .text),
                body: container.lenient(OneOrMany<Body>.self, .body),
                target: isHypothesis ? nil : container.lenient(Target.self, .target),
                hypothesisTargets: isHypothesis ? container.lenient([Lenient<TargetObject>].self, .target) : nil,
                tags: container.lenient([String].self, .tags))
        }
    }

    /// A W3C body: a `TextualBody`'s value and purpose.
    struct Body: Decodable {
        var value, purpose: String?

        enum CodingKeys: String, CodingKey { case value, purpose }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            value = container.lenient(String.self, .value)
            purpose = container.lenient(String.self, .purpose)
        }
    }

    /// A W3C target: a resource's IRI, or a specific resource with selectors; of an array of
    /// targets, the first.
    enum Target: Decodable {
        case source(String)
        case object(TargetObject)
        case none

        init(from decoder: any Decoder) throws {
            if let object = try? TargetObject(from: decoder) {
                self = .object(object)
            } else if let source = try? String(from: decoder) {
                self = .source(source)
            } else if var array = try? decoder.unkeyedContainer() {
                self = array.isAtEnd ? .none : ((try? array.decode(Target.self)) ?? .none)
            } else {
                self = .none
            }
        }
    }

    /// A target object: its source, selectors and Gloss's hash of the text they were made against.
    struct TargetObject: Decodable {
        var source, contentHash: String?
        var selectors: OneOrMany<Selector>?

        enum CodingKeys: String, CodingKey {
            case source, selector
            case contentHash = "gloss:contentHash"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            source = container.lenient(String.self, .source)
            contentHash = container.lenient(String.self, .contentHash)
            selectors = container.lenient(OneOrMany<Selector>.self, .selector)
        }
    }

    /// A selector, of any type; the fields of text quote and text position selectors.
    struct Selector: Decodable {
        var type, exact, prefix, suffix: String?
        var start, end: Int?

        enum CodingKeys: String, CodingKey { case type, exact, prefix, suffix, start, end }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = container.lenient(String.self, .type)
            exact = container.lenient(String.self, .exact)
            prefix = container.lenient(String.self, .prefix)
            suffix = container.lenient(String.self, .suffix)
            start = container.lenient(Int.self, .start)
            end = container.lenient(Int.self, .end)
        }
    }

    /// A value that may be one `Value` or an array of them; elements of another type are left out.
    struct OneOrMany<Value: Decodable>: Decodable {
        var values: [Value]

        init(from decoder: any Decoder) throws {
            // Arrays first: exports write several bodies and every selector pair as arrays, and a
            // failed attempt costs a thrown error.
            if let many = try? [Lenient<Value>](from: decoder) {
                values = many.compactMap(\.value)
            } else {
                values = [try Value(from: decoder)]
            }
        }
    }

    /// A value decoded as `Value` when it is one, and as nil when it is not, without failing the
    /// array or object around it.
    struct Lenient<Value: Decodable>: Decodable {
        var value: Value?

        init(from decoder: any Decoder) {
            value = try? Value(from: decoder)
        }
    }

    /// A number or string, kept to be named in a message (a canonical export's version).
    enum Scalar: Decodable, CustomStringConvertible {
        case integer(Int)
        case text(String)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let integer = try? container.decode(Int.self) {
                self = .integer(integer)
            } else if let number = try? container.decode(Double.self) {
                self = .text("\(number)")
            } else {
                self = .text(try container.decode(String.self))
            }
        }

        var integer: Int? {
            if case .integer(let value) = self { value } else { nil }
        }

        var description: String {
            switch self {
            case .integer(let value): "\(value)"
            case .text(let value): value
            }
        }
    }
}

extension KeyedDecodingContainer {
    /// The value at `key` when it is present and a `T`; nil when it is absent, null or another type.
    func lenient<T: Decodable>(_ type: T.Type, _ key: Key) -> T? {
        (try? decodeIfPresent(type, forKey: key)) ?? nil
    }

    /// A JSON-LD `type`: one string, or an array of strings.
    func types(_ key: Key) -> [String]? {
        lenient(String.self, key).map { [$0] } ?? lenient([String].self, key)
    }
}
