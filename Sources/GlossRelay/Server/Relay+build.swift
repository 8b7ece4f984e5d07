public import Hummingbird
public import Logging
import NIOCore

/// The relay's routes over `storage`: the sync protocol per library, health and readiness, and
/// `GET /metrics` for Prometheus when `metrics` is given. Each request is logged with its id.
public func buildRelayRouter(storage: any RelayStorage, configuration: RelayConfiguration,
                             metrics: RelayMetrics? = nil) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.info))
    if let metrics {
        router.add(middleware: RelayMetricsMiddleware(metrics: metrics))
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition(connections: storage.connectionUse))))
        }
    }
    RelayController(storage: storage, configuration: configuration).addRoutes(to: router)
    return router
}

/// A relay server: `gloss relay`. Any number of them may serve one database.
public func buildRelayApplication(storage: any RelayStorage, configuration: RelayConfiguration, logger: Logger,
                                  metrics: RelayMetrics? = RelayMetrics(),
                                  onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
    Application(
        router: buildRelayRouter(storage: storage, configuration: configuration, metrics: metrics),
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
