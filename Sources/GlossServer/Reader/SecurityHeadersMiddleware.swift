import HTTPTypes
import Hummingbird

/// Headers every answer carries: a strict Content-Security-Policy (scripts, styles and requests
/// from this server only, no inline script, no frames, no plugins), no MIME sniffing, no
/// referrer, and no caching of anything but the static files. Errors thrown by the routes get
/// them too.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = GlossRequestContext
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            var response = try await next(request, context)
            Self.secure(&response.headers, path: request.uri.path)
            return response
        } catch let error as any HTTPResponseError {
            var response = try error.response(from: request, context: context)
            Self.secure(&response.headers, path: request.uri.path)
            return response
        }
    }

    static func secure(_ headers: inout HTTPFields, path: String) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        headers[.xFrameOptions] = "DENY"
        if headers[.cacheControl] == nil { headers[.cacheControl] = path.hasPrefix("/assets/") ? "no-cache" : "no-store" }
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
