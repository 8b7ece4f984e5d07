public import Hummingbird
public import GlossCore

/// The context of every request to a Gloss server: Hummingbird's, plus who the request is from
/// once `AccessMiddleware` has checked.
public struct GlossRequestContext: RequestContext {
    /// Who a request is from.
    public enum Caller: Sendable {
        /// A client presenting a sync-scope bearer token (a replica, a script).
        case token(name: String)
        /// A signed-in browser.
        case browser(WebSession)
    }

    public var coreContext: CoreRequestContextStorage
    /// Set by `AccessMiddleware` for every route that needs one.
    public var caller: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
