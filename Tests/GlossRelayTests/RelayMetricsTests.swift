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
        // The SQLite storage's readers (GRDB's default, 5) and its writer, none in use between requests.
        #expect(exposition.contains("gloss_relay_database_connections_max 6"), "\(exposition)")
        #expect(exposition.contains("gloss_relay_database_connections_in_use 0"), "\(exposition)")
        #expect(exposition.contains("gloss_relay_database_connections_waiting 0"), "\(exposition)")
    }

    /// Each storage call holds one connection while it runs; past the capacity, calls wait.
    @Test func theGaugeCountsCallsInFlightAndThoseWaitingPastTheCapacity() async throws {
        let gauge = ConnectionGauge(capacity: 2)
        let release = AsyncStream<Void>.makeStream()
        let started = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    await gauge.measure {
                        started.continuation.yield()
                        for await _ in release.stream { break }
                    }
                }
            }
            var count = 0
            for await _ in started.stream {
                count += 1
                if count == 3 { break }
            }
            #expect(gauge.use == ConnectionUse(busy: 3, capacity: 2))
            #expect(gauge.use.inUse == 2 && gauge.use.waiting == 1)
            release.continuation.finish()
            try await group.waitForAll()
        }
        #expect(gauge.use == ConnectionUse(busy: 0, capacity: 2))
    }
}
