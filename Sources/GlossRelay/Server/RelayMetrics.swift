public import Hummingbird
import Prometheus

/// What a relay process counts for Prometheus (`GET /metrics`): requests by route and status,
/// their latencies by route, requests in flight, and its database connections' use.
public final class RelayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let inFlight: Gauge
    let connectionsInUse: Gauge
    let connectionsWaiting: Gauge
    let connectionsMax: Gauge

    public init() {
        let registry = self.registry
        func gauge(_ name: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "gloss_relay", metricName: name, unitName: "", helpText: help))
        }
        inFlight = gauge("requests_in_flight", "Requests being answered by this relay process.")
        connectionsInUse = gauge("database_connections_in_use", "Database connections this relay process is using.")
        connectionsWaiting = gauge("database_connections_waiting", "Storage calls waiting for a database connection, every one being in use.")
        connectionsMax = gauge("database_connections_max", "The most database connections this relay process opens.")
    }

    /// The Prometheus text exposition of every metric, with the database connections' use as
    /// `connections` gives it now.
    public func exposition(connections: ConnectionUse? = nil) -> String {
        if let connections {
            connectionsInUse.set(Int64(connections.inUse))
            connectionsWaiting.set(Int64(connections.waiting))
            connectionsMax.set(Int64(connections.capacity))
        }
        return registry.emitToString()
    }

    static let latencyBuckets: [Duration] = [.milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                             .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10)]

    func record(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "gloss_relay", metricName: "requests", unitName: "total",
                                                              helpText: "Requests answered, by route and status."),
                             labels: [("method", method), ("route", route), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: MetricNameDescriptor(namespace: "gloss_relay", metricName: "request_duration", unitName: "seconds",
                                                                        helpText: "Time to answer a request, by route."),
                                       labels: [("method", method), ("route", route)], buckets: Self.latencyBuckets).record(duration)
    }
}

/// Records each request in ``RelayMetrics`` under the route it matched (never the raw path, so
/// a scanner cannot grow the label set).
struct RelayMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: RelayMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        do {
            let response = try await next(request, context)
            metrics.record(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code,
                           duration: ContinuousClock.now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status,
                           duration: ContinuousClock.now - start)
            throw error
        }
    }
}
