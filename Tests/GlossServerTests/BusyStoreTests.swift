import Foundation
import GlossCore
import GlossExtraction
import GlossServer
import GlossSync
import GlossTestSupport
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Another process writing the server's store (a `gloss sync` of it, a `gloss add`) past the
/// server's wait: the answer is 503 with Retry-After and a message, never an empty 500, and the
/// client waits as asked and then gets through.
@Suite struct BusyStoreTests {
    let directory = TemporaryDirectory()

    /// Holds the write lock of the store at `path` from another connection, on a thread of its
    /// own (not the task pool the test and the client share), until `release` is signalled or
    /// `seconds` pass once taken. Wait for the returned semaphore to know it was let go.
    func holdWriteLock(_ path: String, until release: DispatchSemaphore = DispatchSemaphore(value: 0),
                       orFor seconds: Double) throws -> DispatchSemaphore {
        let other = try DatabaseQueue(path: path)
        let locked = DispatchSemaphore(value: 0), released = DispatchSemaphore(value: 0)
        let thread = Thread {
            try? other.write { db in
                try db.execute(sql: "UPDATE store_meta SET value = value WHERE key = 'hlc'")
                locked.signal()
                _ = release.wait(timeout: .now() + seconds)
            }
            try? other.close()
            released.signal()
        }
        thread.start()
        locked.wait()
        return released
    }

    @Test func aPushToABusyStoreIs503WithRetryAfterAndChangesNothing() async throws {
        let store = try Store(path: directory.path + "/server.sqlite", environment: .seeded(9), busyTimeout: 0.2)
        let token = try store.createToken(name: "test").token
        let app = buildApplication(store: store, configuration: ServerConfiguration(), logger: .init(label: "test"))
        let source = try directory.store("source", seed: 3)
        _ = try source.addArticle(ExtractedArticle(title: "T", text: sampleText, format: .plainText))
        let body = String(decoding: try MessageCoding.encode(PushRequest(changes: try source.changes(since: VersionVector()), names: [:])),
                          as: UTF8.self)
        // Held until the answer is in, however slowly a loaded machine gets the request there.
        let release = DispatchSemaphore(value: 0)
        let holder = try holdWriteLock(store.path, until: release, orFor: 60)
        let (status, retryAfter, text) = try await app.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post,
                                     headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                     body: ByteBuffer(string: body)) { response in
                (response.status, response.headers[.retryAfter], String(buffer: response.body))
            }
        }
        release.signal()
        holder.wait()
        #expect(status == .serviceUnavailable)
        #expect(retryAfter == "1")
        #expect(text.contains("busy") && text.contains("nothing was changed"), "\(text)")
        #expect(try store.status().counts.changes == 0)
    }

    @Test func theClientWaitsOutABusyServerAndGetsThrough() async throws {
        let server = try await LiveServer.start(directory, busyTimeout: 0.2)
        defer { server.stop() }
        let client = try directory.store("client", seed: 1)
        _ = try client.addArticle(ExtractedArticle(title: "T", text: sampleText, format: .plainText))
        // Locked for longer than the client's first two waits (0.05 s, 0.1 s) and the server's:
        // only Retry-After's second carries the client past it.
        let holder = try holdWriteLock(server.store.path, orFor: 1.2)
        let transport = try HTTPTransport(url: server.url, token: server.token, retryDelays: [0.05, 0.1])
        let report = try await SyncSession(store: client, peer: transport).run()
        holder.wait()
        #expect(report.sent == 1)
        #expect(try client.digest() == server.store.digest())
    }
}
