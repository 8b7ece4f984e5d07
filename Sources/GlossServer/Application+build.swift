public import GlossCore
public import Hummingbird
public import Logging
import NIOCore

/// The routes of a Gloss server over `store`: sync, the JSON API, the web reader and capture.
public func buildRouter(store: Store, configuration: ServerConfiguration,
                        logger: Logger = Logger(label: "gloss.serve")) -> Router<GlossRequestContext> {
    let router = Router(context: GlossRequestContext.self)
    let cookieName = "gloss_session_" + store.replicaID.rawValue.prefix(8)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: AllowedMethodsMiddleware(routes: allRoutes))
    router.add(middleware: AccessMiddleware(store: store, cookieName: cookieName))
    SyncController(store: store, configuration: configuration, logger: logger).addRoutes(to: router)
    let api = APIController(store: store, logger: logger)
    api.addRoutes(to: router)
    CaptureController(api: api).addRoutes(to: router)
    PageController(store: store, cookieName: cookieName).addRoutes(to: router)
    return router
}

/// Every route the server answers and its statuses: what `Schema/OpenAPI/openapi.json` documents.
public let allRoutes: [(method: String, path: String, statuses: [Int])] =
    SyncController.routes + SyncController.originalsRoutes + SyncController.snapshotRoutes + APIController.routes + CaptureController.routes + PageController.routes

/// A Gloss server: `gloss serve`. The server is itself a replica with its own store. Idle
/// connections (a half-sent header included) close after `configuration.idleTimeout`, and at
/// most `configuration.maxConnections` are open at once.
public func buildApplication(store: Store, configuration: ServerConfiguration, logger: Logger,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    Application(
        router: buildRouter(store: store, configuration: configuration, logger: logger),
        server: .http1(configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "gloss",
                             availableConnectionsDelegate: .maximum(configuration.maxConnections, logger: logger)),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Runs a Gloss server until SIGINT or SIGTERM. `onServerRunning` gets the bound port.
public func runServer(store: Store, configuration: ServerConfiguration, logger: Logger,
                      onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    try await buildApplication(store: store, configuration: configuration, logger: logger,
                               onServerRunning: onServerRunning).runService()
}
