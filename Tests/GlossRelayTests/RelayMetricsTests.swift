import Foundation
@testable import GlossRelay
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// `GET /metrics`: request counts by route and status, and latencies by route, in Prometheus's
/// text format.
@Suite struct RelayMetricsTests {
    @Test func metricsCountRequestsByMatchedRouteAndStatus() async throws {
        let relay = try await RelayHarness(.sqlite)
        let (_, token) = try await relay.library("alice")
        let metrics = RelayMetrics()
        let app = Application(router: buildRelayRouter(storage: relay.storage, configuration: relay.configuration, metrics: metrics))
        let exposition = try await app.test(.router) { client async throws -> String in
            _ = try await client.vector(token: token)
            _ = try await client.vector(token: token)
            _ = try await client.vector(token: "wrong")
            _ = try await client.call(.get, "/no/such/path/\(UUID())", token: nil)
            return try await client.call(.get, "/metrics", token: nil).body
        }
        #expect(exposition.contains(#"gloss_relay_requests_total{method="GET",route="/v1/vector",status="200"} 2"#), "\(exposition)")
        #expect(exposition.contains(#"gloss_relay_requests_total{method="GET",route="/v1/vector",status="401"} 1"#), "\(exposition)")
        #expect(exposition.contains(#"gloss_relay_request_duration_seconds_count{method="GET",route="/v1/vector"} 3"#), "\(exposition)")
        #expect(!exposition.contains("/no/such/path"))
    }
}
