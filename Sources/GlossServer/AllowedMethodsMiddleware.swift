import HTTPTypes
import Hummingbird

/// A request to a path the server has, in a method it does not answer there (TRACE, PUT, DELETE
/// on `/v1/pull`, …), is 405 with an `Allow` header listing the methods that path takes
/// (RFC 9110 §15.5.6), before any token is asked for; other paths go on to the routes.
struct AllowedMethodsMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Per path, the methods its routes answer; HEAD goes with GET.
    let allowed: [String: Set<HTTPRequest.Method>]

    init(routes: [(method: String, path: String, statuses: [Int])]) {
        var allowed: [String: Set<HTTPRequest.Method>] = [:]
        for route in routes {
            guard let method = HTTPRequest.Method(route.method.uppercased()) else { continue }
            allowed[route.path, default: []].insert(method)
            if method == .get { allowed[route.path, default: []].insert(.head) }
        }
        self.allowed = allowed
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let methods = allowed[request.uri.path], !methods.contains(request.method) else {
            return try await next(request, context)
        }
        let list = methods.map(\.rawValue).sorted().joined(separator: ", ")
        throw HTTPError(.methodNotAllowed, headers: [.allow: list],
                        message: "\(request.uri.path) answers \(list), not \(request.method.rawValue)")
    }
}
