import Foundation
import GlossCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// `POST /capture`: the bookmarklet sends the page a person is looking at (its address and its
/// live DOM), and it is stored as `gloss add page.html` would store it. The one route other
/// origins may call: it takes only a capture-scope token (which opens nothing else), answers
/// CORS for itself alone, and reads at most `maxBodyBytes`. A JSON body with
/// `Authorization: Bearer` gets JSON; a form post (for pages whose policy blocks `fetch`) gets
/// a small page linking to the article.
struct CaptureController: Sendable {
    static let path = "/capture"
    static let maxBodyBytes = 16 << 20
    let api: APIController
    var store: Store { api.store }

    static let routes: [(method: String, path: String, statuses: [Int])] = [
        ("options", path, [204]),
        ("post", path, [200, 201, 400, 401, 413, 415, 422]),
    ]

    struct Page: Decodable {
        var url: String?
        var html: String
    }

    func addRoutes(to router: Router<GlossRequestContext>) {
        router.on(RouterPath(Self.path), method: .options) { _, _ in
            var response = Response(status: .noContent)
            Self.allowCrossOrigin(&response.headers)
            return response
        }
        router.post(RouterPath(Self.path)) { request, _ in
            do {
                var response = try await capture(request)
                Self.allowCrossOrigin(&response.headers)
                return response
            } catch let error as HTTPError {
                var headers = error.headers
                Self.allowCrossOrigin(&headers)
                throw HTTPError(error.status, headers: headers, message: error.body ?? "the page was not saved")
            }
        }
    }

    private func capture(_ request: Request) async throws -> Response {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let isForm = contentType.hasPrefix("application/x-www-form-urlencoded")
        guard isForm || contentType.hasPrefix("application/json") || contentType.hasPrefix("text/plain") else {
            throw HTTPError(.unsupportedMediaType, message: "send the page as JSON or as a form")
        }
        // JSON carries its token in the header: checked before a byte of the body is read.
        if !isForm {
            let header = request.headers[.authorization] ?? ""
            try await requireCaptureToken(header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : "")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: "the page is larger than \(Self.maxBodyBytes >> 20) MiB; save it as a file and add that")
        }
        let page: Page
        if isForm {
            let form = FormFields(String(buffer: buffer))
            try await requireCaptureToken(form["token"] ?? "")
            page = Page(url: form["url"], html: form["html"] ?? "")
        } else {
            do {
                page = try JSONDecoder().decode(Page.self, from: Data(buffer.readableBytesView))
            } catch {
                throw HTTPError(.badRequest, message: "the body is not {\"url\", \"html\"} JSON")
            }
        }
        guard !page.html.isEmpty else {
            throw HTTPError(.badRequest, message: "there is no html: the bookmarklet sends the page's HTML")
        }
        // Read as a page pasted with its address is (the title the page itself gives).
        let (article, original) = try await APIController.extract(API.NewArticle(url: page.url, text: nil, html: page.html, markdown: nil, title: nil, filename: nil, tags: nil))
        let (response, result) = try await api.added(article, original: original, request: request)
        guard isForm else { return response }
        return HTMLPage.response(status: response.status, title: "Saved", body: """
            <main id="main"><h1>Saved</h1><p><a href="/articles/\(HTMLPage.escape(result.id))">\(HTMLPage.escape(result.title))</a> is in your library.</p></main>
            """)
    }

    private func requireCaptureToken(_ token: String) async throws {
        let store = self.store
        guard !token.isEmpty, try await NIOThreadPool.singleton.runIfActive({ try store.token(token, scope: .capture) }) != nil else {
            throw HTTPError(.unauthorized, message: "the capture token is missing or not valid here: make a new bookmarklet on the reader's Add page")
        }
    }

    /// Any origin may post a page here (it needs the capture token, not a cookie); Chrome asks a
    /// public page's permission to reach a private address first (Private Network Access).
    static func allowCrossOrigin(_ headers: inout HTTPFields) {
        headers[.accessControlAllowOrigin] = "*"
        headers[.accessControlAllowMethods] = "POST"
        headers[.accessControlAllowHeaders] = "Authorization, Content-Type"
        headers[.accessControlMaxAge] = "600"
        headers[HTTPField.Name("Access-Control-Allow-Private-Network")!] = "true"
    }
}
