public import Hummingbird
public import Logging
import NIOCore

/// The relay's routes over `storage`: the sync protocol per library, health and readiness.
public func buildRelayRouter(storage: any RelayStorage, configuration: RelayConfiguration) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.info))
    RelayController(storage: storage, configuration: configuration).addRoutes(to: router)
    return router
}

/// A relay server: `gloss relay`. Any number of them may serve one database.
public func buildRelayApplication(storage: any RelayStorage, configuration: RelayConfiguration, logger: Logger,
                                  onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    Application(
        router: buildRelayRouter(storage: storage, configuration: configuration),
        server: .http1(configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "gloss-relay",
                             availableConnectionsDelegate: .maximum(configuration.maxConnections, logger: logger)),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Runs a relay until SIGINT or SIGTERM, finishing requests in flight. `onServerRunning` gets
/// the bound port.
public func runRelay(storage: any RelayStorage, configuration: RelayConfiguration, logger: Logger,
                     onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
    try await buildRelayApplication(storage: storage, configuration: configuration, logger: logger,
                                    onServerRunning: onServerRunning).runService()
}
