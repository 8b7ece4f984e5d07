import Foundation
import GlossCore
import GlossServer
import GlossSync
import GlossTestSupport
import Hummingbird
import Logging
import Testing

/// A real server on 127.0.0.1, port 0, with the real client.
struct LiveServer {
    let store: Store
    let token: String
    let url: String
    let task: Task<Void, any Error>

    static func start(_ directory: TemporaryDirectory, name: String = "server") async throws -> LiveServer {
        let store = try directory.store(name, seed: 99)
        let token = try store.createToken(name: "tests").token
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(store: store, configuration: ServerConfiguration(port: 0), logger: .init(label: "live")) { port in
            continuation.yield(port)
        }
        let task = Task { try await app.run() }
        var iterator = stream.makeAsyncIterator()
        let port = try #require(await iterator.next())
        return LiveServer(store: store, token: token, url: "http://127.0.0.1:\(port)", task: task)
    }

    func stop() { task.cancel() }

    func sync(_ store: Store, pageSize: Int = 2_000) async throws -> SyncReport {
        try await SyncSession(store: store, peer: try HTTPTransport(url: url, token: token, pageSize: pageSize, pushBatch: 500)).run()
    }
}

@Suite struct LiveServerTests {
    let directory = TemporaryDirectory()

    @Test func clientsConvergeThroughTheServer() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let a = try directory.store("a", seed: 1)
        let b = try directory.store("b", seed: 2)
        let id = try a.addArticle(ExtractedArticle(title: "Bridge", text: sampleText, format: .plainText)).id
        for i in 0..<30 { _ = try a.addNote(articleID: id, text: "note \(i)") }
        let first = try await server.sync(a, pageSize: 7)
        #expect(first.sent == 31)
        let second = try await server.sync(b, pageSize: 7)
        #expect(second.received == 31)
        #expect(try a.digest() == b.digest() && b.digest() == server.store.digest())
        // Pages were checkpointed as they landed.
        #expect(try b.syncState(peer: "http:" + server.url)["pulled-through"] != nil)
        let idle = try await server.sync(b)
        #expect(idle.sent == 0 && idle.received == 0)
    }

    @Test func wrongTokenProtocolAndUnreachableHostEachGetOneClearError() async throws {
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let store = try directory.store("a", seed: 1)
        await #expect(throws: SyncError.self) {
            _ = try await SyncSession(store: store, peer: try HTTPTransport(url: server.url, token: "nope")).run()
        }
        do {
            _ = try await SyncSession(store: store, peer: try HTTPTransport(url: server.url + "/elsewhere", token: server.token, retryDelays: [])).run()
            Issue.record("a server without /v1 must be a protocol mismatch")
        } catch let error as SyncError {
            #expect(error.description.contains("sync protocol"))
        }
        do {
            _ = try await SyncSession(store: store, peer: try HTTPTransport(url: "http://127.0.0.1:9", token: "t", retryDelays: [0.05])).run()
            Issue.record("port 9 must be unreachable")
        } catch let error as SyncError {
            #expect(error.description.contains("cannot reach"))
        }
        #expect(try store.status().counts.changes == 0)
    }

    /// Many clients at once, each pushing and pulling: no 5xx, no lost change, all converge.
    /// CI runs 20 clients × 20 changes; GLOSS_LOAD_CHANGES=1000 runs the full size.
    @Test func twentyConcurrentClientsConverge() async throws {
        let perClient = ProcessInfo.processInfo.environment["GLOSS_LOAD_CHANGES"].flatMap(Int.init) ?? 20
        let server = try await LiveServer.start(directory)
        defer { server.stop() }
        let clients = try (0..<20).map { index in
            let store = try directory.store("c\(index)", seed: UInt64(index) + 10)
            let id = try store.addArticle(ExtractedArticle(title: "Shared", text: sampleText, format: .plainText)).id
            for i in 0..<(perClient - 1) { _ = try store.addNote(articleID: id, text: "client \(index) note \(i)") }
            return store
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in clients { group.addTask { _ = try await server.sync(store) } }
            try await group.waitForAll()
        }
        for store in clients { _ = try await server.sync(store) }
        let expected = clients.count * perClient
        #expect(try server.store.status().counts.changes == expected)
        let digest = try server.store.digest()
        for store in clients { #expect(try store.digest() == digest) }
    }
}
