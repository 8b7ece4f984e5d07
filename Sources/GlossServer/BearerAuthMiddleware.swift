import Foundation
import GlossCore
import GlossSync
import HTTPTypes
import Hummingbird
import NIOPosix

/// Every endpoint but the health check needs `Authorization: Bearer TOKEN` with a token made by
/// `gloss token create`; missing or wrong is 401. Tokens are checked against their stored hashes
/// in constant time (`Store.authenticate`).
struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let store: Store

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == SyncController.healthPath { return try await next(request, context) }
        let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"gloss\""]
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw HTTPError(.unauthorized, headers: challenge,
                            message: "no bearer token: send 'Authorization: Bearer TOKEN' with a token from 'gloss token create' on the server")
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        let store = self.store
        guard try await NIOThreadPool.singleton.runIfActive({ try store.authenticate(token) }) != nil else {
            throw HTTPError(.unauthorized, headers: challenge,
                            message: "the bearer token is not valid on this server: make one with 'gloss token create' there")
        }
        return try await next(request, context)
    }
}
