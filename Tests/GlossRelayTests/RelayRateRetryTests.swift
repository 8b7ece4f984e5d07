import Foundation
import GlossCore
@testable import GlossRelay
import GlossSync
import GlossTestSupport
import Hummingbird
import HummingbirdTesting
import Testing

/// A client past its token's rate, through a real socket: it waits out a short Retry-After and
/// finishes its sync, and ends at once with the relay's message when the wait is long.
@Suite struct RelayRateRetryTests {
    @Test func aSyncPastTheRateWaitsOutAShortRetryAfterAndFinishes() async throws {
        // Two requests at once, then two a second: a sync's requests outrun the bucket and are
        // each told to come back in a second.
        let relay = try await RelayHarness(.sqlite, configuration: RelayConfiguration(rateLimit: 2, rateBurst: 2))
        let (_, token) = try await relay.library("alice")
        let source = try relay.directory.store("a", seed: 1, articles: 3)
        let copy = try relay.directory.store("b", seed: 2)
        try await live(relay) { url in
            for store in [source, copy, source, copy] {
                let transport = try HTTPTransport(url: url, token: token, retryDelays: [0.05, 0.1])
                _ = try await SyncSession(store: store, peer: transport).run()
            }
        }
        #expect(try copy.digest() == source.digest())
    }

    @Test func aSyncToldToWaitLongEndsAtOnceWithTheRelaysMessage() async throws {
        let relay = try await RelayHarness(.sqlite, configuration: RelayConfiguration(rateLimit: 0.001, rateBurst: 1))
        let (_, token) = try await relay.library("alice")
        let source = try relay.directory.store("a", seed: 1, articles: 3)
        try await live(relay) { url in
            let transport = try HTTPTransport(url: url, token: token, retryDelays: [0.05, 0.1])
            let started = ContinuousClock.now
            let error = await #expect(throws: SyncError.self) { try await SyncSession(store: source, peer: transport).run() }
            #expect(ContinuousClock.now - started < .seconds(5))
            guard case .rejected(_, let status, let says)? = error else { Issue.record("\(String(describing: error))"); return }
            #expect(status == 429)
            #expect(says.contains("requests at once"), "\(says)")
        }
    }

    /// Runs `body` with the address of `relay` listening on a loopback port.
    private func live(_ relay: RelayHarness, _ body: @Sendable (String) async throws -> Void) async throws {
        let app = Application(router: buildRelayRouter(storage: relay.storage, configuration: relay.configuration),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body("http://127.0.0.1:\(port)")
        }
    }
}
