public import GlossCore
public import Hummingbird
public import Logging
import NIOCore

/// The routes of a Gloss sync server over `store`.
public func buildRouter(store: Store, configuration: ServerConfiguration) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: AllowedMethodsMiddleware(routes: SyncController.routes))
    router.add(middleware: BearerAuthMiddleware(store: store))
    SyncController(store: store, configuration: configuration).addRoutes(to: router)
    return router
}

/// A Gloss sync server: `gloss serve`. The server is itself a replica with its own store. Idle
/// connections (a half-sent header included) close after `configuration.idleTimeout`, and at
/// most `configuration.maxConnections` are open at once.
public func buildApplication(store: Store, configuration: ServerConfiguration, logger: Logger,
                             onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    Application(
        router: buildRouter(store: store, configuration: configuration),
        server: .http1(configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "gloss",
                             availableConnectionsDelegate: .maximum(configuration.maxConnections, logger: logger)),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Runs a Gloss sync server until SIGINT or SIGTERM. `onServerRunning` gets the bound port.
public func runServer(store: Store, configuration: ServerConfiguration, logger: Logger,
                      onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    try await buildApplication(store: store, configuration: configuration, logger: logger,
                               onServerRunning: onServerRunning).runService()
}
