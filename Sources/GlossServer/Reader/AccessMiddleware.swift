import Foundation
import GlossCore
import GlossSync
import HTTPTypes
import Hummingbird
import NIOPosix

/// Who may reach what. The health check, the reader's static files, the sign-in page and the
/// capture route (which checks its own token) are open. Sync endpoints need a sync-scope bearer
/// token. The JSON API takes that token or a signed-in browser's session cookie; a browser's
/// state-changing request must also echo its session's CSRF value in `X-Gloss-CSRF` and, when it
/// says where it comes from (`Origin`), come from this server. Pages need the session, and
/// answer 401 with the sign-in page without one. Signing out needs nothing (it ends the session
/// its cookie names, if any), and a path that is none of these is a 404 for anyone.
struct AccessMiddleware: RouterMiddleware {
    typealias Context = GlossRequestContext
    let store: Store
    let cookieName: String

    enum Area { case open, sync, api, page }

    static func area(of path: String) -> Area {
        if path == SyncController.healthPath || path.hasPrefix("/assets/") || path == "/login" || path == CaptureController.path {
            return .open
        }
        if path.hasPrefix(APIController.prefix + "/") || path == APIController.prefix { return .api }
        if path.hasPrefix(SyncProtocol.prefix + "/") { return .sync }
        // The reader's pages need a session; any other path is no route (404), for anyone: a
        // client that was given a wrong URL learns that, not that its token was wrong.
        return PageController.isPage(path) ? .page : .open
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        switch Self.area(of: request.uri.path) {
        case .open:
            return try await next(request, context)
        case .sync:
            context.caller = try await bearer(request, required: true)
        case .api:
            if let caller = try await bearer(request, required: false) {
                context.caller = caller
            } else if let session = try await session(request) {
                if !Self.isSafe(request.method) { try Self.checkSameOrigin(request, session: session) }
                context.caller = .browser(session)
            } else {
                throw HTTPError(.unauthorized, message: "sign in first: open the reader's sign-in page, or send 'Authorization: Bearer TOKEN'")
            }
        case .page:
            guard let session = try await session(request) else {
                guard request.method == .get || request.method == .head else {
                    throw HTTPError(.unauthorized, message: "sign in first")
                }
                return PageController.loginPage(status: .unauthorized, message: nil, next: request.uri.path)
            }
            context.caller = .browser(session)
        }
        return try await next(request, context)
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        method == .get || method == .head || method == .options
    }

    /// A browser's write must carry its session's CSRF value, and come from this origin when the
    /// browser says where it comes from.
    static func checkSameOrigin(_ request: Request, session: WebSession) throws {
        let presented = Array((request.headers[.glossCSRF] ?? "").utf8), expected = Array(session.csrf.utf8)
        var difference: UInt8 = presented.count == expected.count ? 0 : 1
        for (a, b) in zip(presented, expected) { difference |= a ^ b }
        guard difference == 0 else {
            throw HTTPError(.forbidden, message: "this request lacks the page's X-Gloss-CSRF value: reload the page and try again")
        }
        if let origin = request.headers[.origin], let host = request.head.authority,
           origin != "http://\(host)" && origin != "https://\(host)" {
            throw HTTPError(.forbidden, message: "a request from \(origin) may not change this library")
        }
    }

    /// The caller a bearer token names. A missing header is nil (or 401 when `required`); a
    /// wrong token is always 401.
    private func bearer(_ request: Request, required: Bool) async throws -> GlossRequestContext.Caller? {
        let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"gloss\""]
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            if !required { return nil }
            throw HTTPError(.unauthorized, headers: challenge,
                            message: "no bearer token: send 'Authorization: Bearer TOKEN' with a token made on the server")
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        let store = self.store
        guard let name = try await NIOThreadPool.singleton.runIfActive({ try store.authenticate(token) }) else {
            throw HTTPError(.unauthorized, headers: challenge,
                            message: "the bearer token is not valid on this server: make a new one there")
        }
        return .token(name: name)
    }

    /// The live session the request's cookie names, or nil.
    private func session(_ request: Request) async throws -> WebSession? {
        guard let value = Self.cookie(cookieName, in: request) else { return nil }
        let store = self.store
        return try await NIOThreadPool.singleton.runIfActive { try store.webSession(value) }
    }

    /// The value of the cookie `name` the request carries.
    static func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
        }
        return nil
    }
}

extension HTTPField.Name {
    /// What a signed-in page echoes on every write.
    static let glossCSRF = HTTPField.Name("X-Gloss-CSRF")!
}
