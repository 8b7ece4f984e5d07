import Foundation
import GlossCore
import GlossExtraction
import GlossFetch
import GlossSync
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The reader's JSON API (`/api/v1`), which other programs may use too with a bearer token.
/// Each handler parses, calls the store, and shapes the answer: the work is the store's. Errors
/// are JSON `{"error": {"message": …}}`: a bad id is 404, a malformed body 400, a passage chosen
/// in text that has changed since 409, and a refused request changes nothing.
struct APIController: Sendable {
    static let prefix = "/api/v1"
    let store: Store
    let logger: Logger

    /// The largest body the API reads: a pasted or uploaded article.
    static let maxBodyBytes = 16 << 20

    /// Every route and the statuses it answers with: what `Schema/OpenAPI/openapi.json` documents.
    /// Each may also answer 503 when another process holds the store's write lock too long.
    static let routes: [(method: String, path: String, statuses: [Int])] = ([
        ("get", prefix + "/session", [200, 401]),
        ("get", prefix + "/version", [200, 401]),
        ("get", prefix + "/articles", [200, 400, 401]),
        ("post", prefix + "/articles", [200, 201, 400, 401, 403, 413, 422, 502]),
        ("get", prefix + "/articles/{id}", [200, 400, 401, 404, 409]),
        ("delete", prefix + "/articles/{id}", [204, 400, 401, 403, 404, 409]),
        ("put", prefix + "/articles/{id}/tags", [200, 400, 401, 403, 404, 409]),
        ("get", prefix + "/tags", [200, 401]),
        ("get", prefix + "/annotations", [200, 400, 401, 404, 409]),
        ("post", prefix + "/annotations", [201, 400, 401, 403, 404, 409, 422]),
        ("patch", prefix + "/annotations/{id}", [200, 400, 401, 403, 404, 409]),
        ("delete", prefix + "/annotations/{id}", [204, 400, 401, 403, 404, 409]),
        ("get", prefix + "/search", [200, 400, 401]),
        ("get", prefix + "/conflicts", [200, 401]),
        ("post", prefix + "/conflicts/resolve", [200, 400, 401, 403, 404, 409, 422]),
        ("get", prefix + "/remotes", [200, 401]),
        ("post", prefix + "/sync", [200, 400, 401, 403, 502]),
        ("get", prefix + "/capture-tokens", [200, 401]),
        ("post", prefix + "/capture-tokens", [201, 401, 403]),
        ("delete", prefix + "/capture-tokens/{id}", [204, 401, 403, 404]),
    ] as [(method: String, path: String, statuses: [Int])]).map(Self.mayBeBusy)

    static func mayBeBusy(_ route: (method: String, path: String, statuses: [Int])) -> (method: String, path: String, statuses: [Int]) {
        (route.method, route.path, route.statuses + [503])
    }

    func addRoutes(to router: Router<GlossRequestContext>) {
        let api = router.group(RouterPath(Self.prefix))
        api.get("session") { _, context in
            let csrf: String? = if case .browser(let session) = context.caller { session.csrf } else { nil }
            return try await json(try await work {
                API.Session(csrfToken: csrf, replica: .init(id: store.replicaID.rawValue, name: try store.replicaName()))
            })
        }
        api.get("version") { _, _ in
            try await json(try await work { API.Version(version: String(try store.stateVersion())) })
        }
        api.get("articles") { request, _ in
            let query = FormFields(query: request)
            let cursor = try Self.cursor(query["cursor"])
            let limit = try Self.limit(query["limit"], default: 50)
            let tag = query["tag"].flatMap { $0.isEmpty ? nil : $0 }
            return try await json(try await work {
                let page = try store.articlePage(tag: tag, after: cursor, limit: limit)
                let short = try store.shortIDs(page.items.map(\.id))
                return API.ArticlePage(articles: page.items.map { API.ArticleSummary($0, short: short) }, next: page.next?.description)
            })
        }
        api.post("articles") { request, _ in
            let body = try await decode(API.NewArticle.self, from: request)
            let (extracted, original) = try await Self.extract(body)
            return try await added(extracted, original: original, request: request).response
        }
        api.get("articles/:id") { _, context in
            let prefix = try Self.pathID(context)
            return try await json(try await work { try reading(prefix) })
        }
        api.delete("articles/:id") { _, context in
            let prefix = try Self.pathID(context)
            try await work { try store.delete(try store.articleID(prefix: prefix)) }
            return Response(status: .noContent)
        }
        api.put("articles/:id/tags") { request, context in
            let prefix = try Self.pathID(context)
            let body = try await decode(API.TagSet.self, from: request)
            return try await json(try await work {
                let id = try store.articleID(prefix: prefix)
                return API.Tags(tags: try store.replaceTags(of: id, with: body.tags))
            })
        }
        api.get("tags") { _, _ in
            try await json(try await work { API.TagList(tags: try store.tagCounts()) })
        }
        api.get("annotations") { request, _ in
            let query = FormFields(query: request)
            let cursor = try Self.cursor(query["cursor"])
            let limit = try Self.limit(query["limit"], default: 100)
            var kind: AnnotationKind?
            if let given = query["kind"], !given.isEmpty {
                guard let known = AnnotationKind(rawValue: given) else {
                    throw HTTPError(.badRequest, message: "kind must be one of \(AnnotationKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                kind = known
            }
            let article = query["article"].flatMap { $0.isEmpty ? nil : $0 }
            let tag = query["tag"].flatMap { $0.isEmpty ? nil : $0 }
            let color = query["color"].flatMap { $0.isEmpty ? nil : $0 }
            let filterKind = kind
            return try await json(try await work {
                let filter = AnnotationFilter(articleID: try article.map { try store.articleID(prefix: $0) }, tag: tag, color: color, kind: filterKind)
                let page = try store.annotationPage(filter, after: cursor, limit: limit)
                let titles = try store.articleTitles(page.items.map(\.articleID))
                let short = try store.shortIDs(page.items.map(\.id))
                return API.AnnotationPage(annotations: page.items.map { API.Annotation($0, short: short, articleTitle: titles[$0.articleID]) },
                                          next: page.next?.description)
            })
        }
        api.post("annotations") { request, _ in
            let body = try await decode(API.NewAnnotation.self, from: request)
            let annotation = try await work { try create(body) }
            var response = try await json(annotation)
            response.status = .created
            return response
        }
        api.patch("annotations/:id") { request, context in
            let prefix = try Self.pathID(context)
            let body = try await decode(API.AnnotationEdit.self, from: request)
            return try await json(try await work {
                let id = try store.annotationID(prefix: prefix)
                try store.editAnnotation(id, note: body.note, color: body.color, tags: body.tags)
                return API.OneAnnotation(annotation: API.Annotation(try store.annotation(id), short: try store.shortIDs([id])))
            })
        }
        api.delete("annotations/:id") { _, context in
            let prefix = try Self.pathID(context)
            try await work { try store.delete(try store.annotationID(prefix: prefix)) }
            return Response(status: .noContent)
        }
        api.get("search") { request, _ in
            let query = FormFields(query: request)["q"] ?? ""
            let limit = try Self.limit(FormFields(query: request)["limit"], default: 20)
            return try await json(try await work {
                API.SearchResults(hits: try store.search(query, limit: limit).map { hit in
                    API.SearchHit(kind: hit.kind.rawValue, id: hit.id, articleId: hit.articleID, articleTitle: hit.articleTitle,
                                  snippet: Self.segments(hit.snippet))
                })
            })
        }
        api.get("conflicts") { _, _ in
            try await json(try await work { try conflicts() })
        }
        api.post("conflicts/resolve") { request, _ in
            let body = try await decode(API.Resolution.self, from: request)
            let resolution: Resolution
            switch (body.keep, body.value) {
            case (let keep?, nil): resolution = .keep(keep)
            case (nil, let value?): resolution = .value(value)
            default: throw HTTPError(.badRequest, message: "say how to resolve: either keep (a value's number) or value (the text to keep)")
            }
            try await work {
                let (_, id) = try store.entity(prefix: body.entityId, includingDeleted: true)
                try store.resolve(entityID: id, field: body.field, resolution)
            }
            return try await json(API.Resolved(resolved: true))
        }
        api.get("remotes") { _, _ in
            try await json(try await work { API.Remotes(remotes: try remotes()) })
        }
        api.post("sync") { request, _ in
            let body = try await decode(API.SyncRequest.self, from: request)
            let known = try await work { try remotes().map(\.target) }
            guard known.contains(body.target) else {
                throw HTTPError(.badRequest, message: "this library has not synced with \(body.target) yet: sync with it once from the command line, and it can be synced from here after")
            }
            let outcome: SyncOutcome
            do {
                outcome = try await SyncSession.sync(store, with: try SyncTarget(body.target), token: .saved, logger: logger)
            } catch let error as SyncError {
                throw HTTPError(.badGateway, message: "the sync with \(body.target) failed: \(error.description)")
            }
            let report = outcome.report
            return try await json(API.SyncOutcome(sent: report.sent, received: report.received,
                                                  conflicts: report.newConflicts.map { .init(entityId: $0.entityID, field: $0.field) },
                                                  warnings: report.warnings.map(\.description)))
        }
        api.get("capture-tokens") { _, _ in
            try await json(try await work {
                API.CaptureTokens(tokens: try store.tokens(scope: .capture).map { .init(id: $0.id, name: $0.name, createdAt: $0.createdAt) })
            })
        }
        api.post("capture-tokens") { request, _ in
            let made = try await work { try store.createToken(name: "bookmarklet", scope: .capture) }
            var response = try await json(API.CaptureToken(token: made.token, id: made.info.id,
                                                           endpoint: Self.origin(of: request) + CaptureController.path))
            response.status = .created
            return response
        }
        api.delete("capture-tokens/:id") { _, context in
            let id = try Self.pathID(context)
            let revoked = try await work { try store.revokeToken(id, scope: .capture) != nil }
            guard revoked else { throw HTTPError(.notFound, message: "no capture token has the id \(id)") }
            return Response(status: .noContent)
        }
    }

    // MARK: - The work behind the routes

    private func reading(_ prefix: String) throws -> API.Reading {
        let id = try store.articleID(prefix: prefix)
        let article = try store.article(id)
        let annotations = try store.annotations(articleID: id)
        let short = try store.shortIDs([id] + annotations.map(\.id))
        var anchored: [API.Annotation] = [], notes: [API.Annotation] = [], orphans: [API.Annotation] = []
        for annotation in annotations {
            let shown = API.Annotation(annotation, short: short)
            if let anchor = annotation.anchor {
                if anchor.contentHash == article.contentHash { anchored.append(shown) } else { orphans.append(shown) }
            } else {
                notes.append(shown)
            }
        }
        let words = try store.wordCount(of: id)
        return API.Reading(
            article: API.Article(id: id, shortId: short(id), title: article.title, url: article.url, byline: article.byline,
                                 site: article.siteName, published: article.published, savedAt: article.savedAt, words: words,
                                 tags: article.tags, contentHash: article.contentHash),
            blocks: ArticleLayout(text: article.text).blocks, annotations: anchored, notes: notes, orphans: orphans)
    }

    private func create(_ body: API.NewAnnotation) throws -> API.OneAnnotation {
        let articleID = try store.articleID(prefix: body.articleId)
        let annotation: Annotation
        switch body.kind ?? "highlight" {
        case "highlight":
            guard let start = body.start, let end = body.end, let hash = body.contentHash else {
                throw HTTPError(.badRequest, message: "a highlight needs start, end and contentHash: the passage and the text it was chosen in")
            }
            guard start < end else { throw GlossError.anchorOutOfRange(start: start, end: end) }
            annotation = try store.highlight(articleID: articleID, range: start..<end, contentHash: hash,
                                             note: body.note.flatMap { $0.isEmpty ? nil : $0 }, color: body.color, tags: body.tags ?? [])
        case "note":
            annotation = try store.addNote(articleID: articleID, text: body.note ?? "", tags: body.tags ?? [])
        default:
            throw HTTPError(.badRequest, message: "kind must be highlight or note")
        }
        return API.OneAnnotation(annotation: API.Annotation(annotation, short: try store.shortIDs([annotation.id])))
    }

    private func conflicts() throws -> API.Conflicts {
        let all = try store.conflicts()
        let short = try store.shortIDs(all.map(\.entityID), includingDeleted: true)
        return API.Conflicts(conflicts: all.map { conflict in
            var label = conflict.entityID
            var articleID: String?
            switch conflict.entityType {
            case .article:
                articleID = conflict.entityID
                if let article = try? store.article(conflict.entityID) { label = article.title }
            case .annotation:
                if let annotation = try? store.annotation(conflict.entityID) {
                    articleID = annotation.articleID
                    label = annotation.anchor.map { "“\($0.exact)”" } ?? annotation.note ?? conflict.entityID
                }
            }
            return API.Conflict(
                entityId: conflict.entityID, shortId: short(conflict.entityID), entityType: conflict.entityType.rawValue,
                field: conflict.field, label: label, articleId: articleID,
                siblings: conflict.siblings.enumerated().map { index, sibling in
                    API.Conflict.Sibling(index: index + 1, value: sibling.value.string ?? sibling.value.description,
                                         replica: sibling.replica.rawValue, replicaName: sibling.replicaName,
                                         time: sibling.time, shown: sibling.isShown)
                })
        })
    }

    /// The servers this store keeps a token for, then the folders it has synced with.
    private func remotes() throws -> [API.Remote] {
        let synced = try store.lastSyncs()
        return try store.remotes().map { API.Remote(target: $0.url, kind: "server", lastSync: synced[$0.url]) }
            + store.syncedFolders().map { API.Remote(target: $0, kind: "folder", lastSync: synced[$0]) }
    }

    /// Stores an extracted article, and the bytes it was read from as its original (as
    /// `gloss add` keeps them: for `gloss original` and `gloss reextract`), and answers with it:
    /// 201 when it is new, 200 when the library already held it. An original that cannot be
    /// kept is logged; the article is saved either way.
    func added(_ extracted: ExtractedArticle, original: SourceBytes?, request: Request) async throws -> (response: Response, result: AddResult) {
        let logger = self.logger
        let (result, short) = try await work {
            let result = try store.addArticle(extracted)
            if let original {
                do {
                    try store.keepOriginal(original, for: result)
                } catch {
                    logger.warning("saved \(result.id) but not its original: \(error)")
                }
            }
            return (result, try store.shortIDs([result.id]))
        }
        let created = result.status == .added || result.status == .restored
        var response = try await json(API.Added(article: API.ArticleRef(id: result.id, shortId: short(result.id), title: result.title),
                                                created: created, link: Self.origin(of: request) + "/articles/" + result.id))
        response.status = created ? .created : .ok
        return (response, result)
    }

    /// An article from what a page sent (a web address to fetch, or text, HTML or Markdown),
    /// and the bytes it was read from.
    static func extract(_ body: API.NewArticle) async throws -> (article: ExtractedArticle, original: SourceBytes) {
        var article: ExtractedArticle
        var original: SourceBytes
        do {
            if let html = body.html {
                article = try ArticleExtractor.extract(data: Data(html.utf8), filename: body.filename, format: .html)
                if let url = body.url, PageFetcher.isWebAddress(url), let served = URL(string: url) {
                    article.url = PageFetcher.canonicalURL(article.url, servedFrom: served)
                }
                original = SourceBytes(bytes: Array(html.utf8), format: .html, source: body.url ?? body.filename, charset: "utf-8")
            } else if let markdown = body.markdown {
                article = try ArticleExtractor.extract(text: markdown, format: .markdown)
                original = SourceBytes(bytes: Array(markdown.utf8), format: .markdown, source: body.filename)
            } else if let text = body.text {
                article = try ArticleExtractor.extract(text: text, format: .plainText)
                original = SourceBytes(bytes: Array(text.utf8), format: .plainText, source: body.filename)
            } else if let url = body.url, !url.isEmpty {
                guard PageFetcher.isWebAddress(url) else {
                    throw HTTPError(.badRequest, message: "\(url) is not an http or https address")
                }
                do {
                    let page: FetchedPage
                    (article, page) = try await PageFetcher(timeout: 30).articleAndPage(at: url)
                    original = SourceBytes(bytes: page.bytes, format: .html, source: page.url.absoluteString, charset: page.charset)
                } catch let error as FetchError {
                    throw HTTPError(.badGateway, message: error.description)
                }
            } else {
                throw HTTPError(.badRequest, message: "give the article: url, text, html or markdown")
            }
        } catch let error as ExtractionError {
            throw HTTPError(.unprocessableContent, message: "no article could be read from it: \(error.description)")
        }
        if let title = body.title?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty { article.title = title }
        article.tags += body.tags ?? []
        return (article, original)
    }

    // MARK: - Plumbing

    /// Runs store work off the event loops, with store errors turned into the statuses they mean.
    @discardableResult
    func work<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await StoreWork.run(logger, body)
    }

    /// The `id` segment of the path, percent-decoded (`%30` is `0`).
    static func pathID(_ context: GlossRequestContext) throws -> String {
        let raw = try context.parameters.require("id")
        return raw.removingPercentEncoding ?? raw
    }

    func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "the body is larger than \(Self.maxBodyBytes >> 20) MiB")
        }
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw HTTPError(.badRequest, message: "the body is not the JSON this route takes: \(Self.describe(error))")
        } catch {
            throw HTTPError(.badRequest, message: "the body is not JSON")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map(\.stringValue).filter { !$0.isEmpty }
            return keys.isEmpty ? "" : " (at \(keys.joined(separator: ".")))"
        }
        switch error {
        case .keyNotFound(let key, let context): return "'\(key.stringValue)' is missing\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "a value has the wrong type\(path(context))"
        case .dataCorrupted(let context): return "it is not valid JSON\(path(context))"
        @unknown default: return "it does not fit"
        }
    }

    func json(_ value: some Encodable) async throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = try encoder.encode(value)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func cursor(_ text: String?) throws -> ListingCursor? {
        guard let text, !text.isEmpty else { return nil }
        guard let cursor = ListingCursor(text) else { throw HTTPError(.badRequest, message: "cursor is not one this server gave") }
        return cursor
    }

    static func limit(_ text: String?, default value: Int) throws -> Int {
        guard let text, !text.isEmpty else { return value }
        guard let limit = Int(text), (1...Store.largestPage).contains(limit) else {
            throw HTTPError(.badRequest, message: "limit must be 1 to \(Store.largestPage)")
        }
        return limit
    }

    /// A search snippet cut into plain and matched text.
    static func segments(_ snippet: String) -> [API.SearchHit.Segment] {
        var segments: [API.SearchHit.Segment] = []
        var rest = Substring(snippet)
        while let open = rest.range(of: SearchHit.matchStart) {
            if open.lowerBound > rest.startIndex { segments.append(.init(text: String(rest[..<open.lowerBound]), match: false)) }
            let after = rest[open.upperBound...]
            let close = after.range(of: SearchHit.matchEnd)
            segments.append(.init(text: String(after[..<(close?.lowerBound ?? after.endIndex)]), match: true))
            rest = close.map { after[$0.upperBound...] } ?? ""
        }
        if !rest.isEmpty { segments.append(.init(text: String(rest), match: false)) }
        return segments
    }

    /// `scheme://host` of the server as the client reached it (through a TLS proxy: https).
    static func origin(of request: Request) -> String {
        let scheme = request.headers[.xForwardedProto] == "https" ? "https" : "http"
        return "\(scheme)://\(request.head.authority ?? "127.0.0.1")"
    }
}
