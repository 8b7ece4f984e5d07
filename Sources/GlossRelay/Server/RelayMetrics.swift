public import Hummingbird
import Prometheus

/// What a relay process counts for Prometheus (`GET /metrics`): requests by route and status,
/// their latencies by route, and requests in flight.
public final class RelayMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    let inFlight: Gauge

    public init() {
        inFlight = registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "gloss_relay", metricName: "requests_in_flight", unitName: "",
                                                                       helpText: "Requests being answered by this relay process."))
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String { registry.emitToString() }

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
