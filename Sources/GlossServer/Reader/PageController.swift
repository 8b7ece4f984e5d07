import Foundation
import GlossCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix

/// The reader's pages and sign-in. Every page route answers the same shell (`index.html`), whose
/// modules draw the page from the JSON API; the shell holds no data, so nothing untrusted ever
/// passes through server-side HTML but the sign-in page's escaped message.
struct PageController: Sendable {
    let store: Store
    let cookieName: String

    /// The paths the shell answers (`*` is one path segment).
    static let pages = ["/", "/articles/{id}", "/annotations", "/conflicts", "/add", "/sync", "/search"]

    /// Whether `path` is one of the reader's pages.
    static func isPage(_ path: String) -> Bool {
        pages.contains { page in
            guard let brace = page.firstIndex(of: "{") else { return page == path }
            // One path segment where the page names a parameter.
            let rest = path.dropFirst(page.distance(from: page.startIndex, to: brace))
            return path.hasPrefix(page[..<brace]) && !rest.isEmpty && !rest.contains("/")
        }
    }

    /// Every route and the statuses it answers with: what `Schema/OpenAPI/openapi.json` documents.
    static let routes: [(method: String, path: String, statuses: [Int])] = [
        ("get", "/assets/{name}", [200, 304, 404]),
        ("get", "/login", [200, 401]),
        ("post", "/login", [303, 400, 401]),
        ("post", "/logout", [303, 403]),
    ] + pages.map { ("get", $0, [200, 401]) }

    func addRoutes(to router: Router<GlossRequestContext>) {
        router.get("/assets/:name") { request, context in
            guard let name = context.parameters.get("name"), let asset = ReaderAssets.named(name) else {
                throw HTTPError(.notFound, message: "no such file")
            }
            var headers: HTTPFields = [.contentType: asset.contentType, .eTag: asset.etag]
            if request.headers[.ifNoneMatch] == asset.etag {
                headers[.contentType] = nil
                return Response(status: .notModified, headers: headers)
            }
            headers[.contentLength] = String(asset.bytes.count)
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
        }
        router.get("/login") { request, _ in
            guard let code = FormFields(query: request)["code"] else {
                return Self.loginPage(status: .ok, message: nil, next: FormFields(query: request)["next"])
            }
            let store = self.store
            guard try await NIOThreadPool.singleton.runIfActive({ try store.redeemLoginCode(code) }) else {
                return Self.loginPage(status: .unauthorized,
                                      message: "This sign-in link has been used or has expired. Open the reader again from the command line, or sign in with a token.")
            }
            let next = Self.localPath(FormFields(query: request)["next"]) ?? "/"
            // The link comes from another program (a terminal, a browser's address bar), and a
            // SameSite=Strict cookie set by a redirect on such a navigation is not sent on the
            // redirect: a page of this origin moves on instead.
            var response = HTMLPage.response(status: .ok, title: "Signed in", body: """
                <meta http-equiv="refresh" content="0; url=\(HTMLPage.escape(next))">
                <main id="main"><h1>Signed in</h1><p><a href="\(HTMLPage.escape(next))">Continue to your library</a></p></main>
                """)
            try await startSession(tokenID: nil, request: request, response: &response)
            return response
        }
        router.post("/login") { request, _ in
            var request = request
            let body = try await request.collectBody(upTo: 64 << 10)
            let form = String(buffer: body)
            let next = FormFields(query: request)["next"]
            guard let token = Self.formValue("token", in: form), !token.isEmpty else {
                return Self.loginPage(status: .badRequest, message: "Give a token to sign in.", next: next)
            }
            let store = self.store
            guard let info = try await NIOThreadPool.singleton.runIfActive({ try store.token(token, scope: .sync) }) else {
                return Self.loginPage(status: .unauthorized, message: "That token is not valid here. Make one on this machine with the command line.", next: next)
            }
            var response = Response(status: .seeOther, headers: [.location: Self.localPath(next) ?? "/"])
            try await startSession(tokenID: info.id, request: request, response: &response)
            return response
        }
        router.post("/logout") { request, context in
            if let value = AccessMiddleware.cookie(cookieName, in: request) {
                let store = self.store
                // Like every change a page makes, signing out carries the session's CSRF value:
                // another site cannot sign the person out.
                if let session = try await NIOThreadPool.singleton.runIfActive({ try store.webSession(value) }) {
                    try AccessMiddleware.checkSameOrigin(request, session: session)
                }
                try await NIOThreadPool.singleton.runIfActive { try store.endWebSession(value) }
            }
            var response = Response(status: .seeOther, headers: [.location: "/login"])
            response.headers[.setCookie] = "\(cookieName)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
            return response
        }
        for page in Self.pages {
            router.get(RouterPath(page.replacingOccurrences(of: "{id}", with: ":id"))) { _, _ in
                guard let shell = ReaderAssets.named("index.html") else { throw HTTPError(.internalServerError, message: "the reader's page is missing") }
                return Response(status: .ok, headers: [.contentType: shell.contentType],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: shell.bytes)))
            }
        }
    }

    private func startSession(tokenID: String?, request: Request, response: inout Response) async throws {
        let store = self.store
        let (cookie, _) = try await NIOThreadPool.singleton.runIfActive { try store.createWebSession(tokenID: tokenID) }
        let secure = request.headers[.xForwardedProto] == "https" || request.uri.scheme == .https ? "; Secure" : ""
        response.headers[.setCookie] = "\(cookieName)=\(cookie); Path=/; HttpOnly; SameSite=Strict; Max-Age=\(Store.webSessionLifetime / 1000)\(secure)"
    }

    /// The sign-in page with `message` (escaped) in place of its placeholder; signing in goes on
    /// to `next` when it is a path on this server.
    static func loginPage(status: HTTPResponse.Status, message: String?, next: String? = nil) -> Response {
        let template = ReaderAssets.named("login.html").map { String(decoding: $0.bytes, as: UTF8.self) }
            ?? "<!doctype html><title>Sign in</title><!--gloss:message--><form method=post action=/login><label>Token <input name=token type=password></label><button>Sign in</button></form>"
        let note = message.map { "<p id=\"login-error\" class=\"error\" role=\"alert\">\(HTMLPage.escape($0))</p>" } ?? ""
        var html = template.replacingOccurrences(of: "<!--gloss:message-->", with: note)
        if let next = localPath(next), next != "/" {
            let query = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "/-._~"))) ?? "/"
            html = html.replacingOccurrences(of: "action=\"/login\"", with: "action=\"/login?next=\(HTMLPage.escape(query))\"")
        }
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// `path` when it is a path on this server (one leading slash, no scheme or host), else nil.
    static func localPath(_ path: String?) -> String? {
        guard let path, path.hasPrefix("/"), !path.hasPrefix("//"), !path.contains("\\"),
              path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f }) else { return nil }
        return path
    }

    /// A field of an `application/x-www-form-urlencoded` body.
    static func formValue(_ name: String, in form: String) -> String? {
        FormFields(form)[name]
    }
}

/// The fields of an `application/x-www-form-urlencoded` text: a form's body, or a URL's query
/// as browsers write it (`URLSearchParams` writes a space as `+`, which a plain percent-decoding
/// keeps as a plus sign).
struct FormFields {
    private let text: String

    init(_ text: String) { self.text = text }

    /// The query of `request`'s URL.
    init(query request: Request) { text = request.uri.query ?? "" }

    /// The first value of field `name`, decoded.
    subscript(name: String) -> String? {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard Self.decode(parts[0]) == name else { continue }
            return parts.count == 2 ? Self.decode(parts[1]) : ""
        }
        return nil
    }

    static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

/// A small server-written HTML page: used only where no script may run (the sign-in hand-off,
/// a capture's answer), with every piece of text escaped.
enum HTMLPage {
    static func response(status: HTTPResponse.Status, title: String, body: String) -> Response {
        let html = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) · Gloss</title><link rel="icon" href="/assets/icon.svg"><link rel="stylesheet" href="/assets/reader.css"></head>
            <body>\(body)</body></html>
            """
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// `text` safe inside HTML text and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

extension HTTPField.Name {
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto")!
}
