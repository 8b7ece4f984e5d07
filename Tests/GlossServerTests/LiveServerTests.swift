import Foundation
import GlossCore
import GlossExtraction
import GlossServer
import GlossSync
import GlossTestSupport
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Testing

/// A real server on 127.0.0.1, port 0, with the real client.
struct LiveServer {
    let store: Store
    let token: String
    let url: String
    let task: Task<Void, any Error>

    /// `wrap`, when given, stands between the client and the server's routes; without it the
    /// server is `buildApplication`'s, as `gloss serve` runs it.
    static func start(_ directory: TemporaryDirectory, name: String = "server", busyTimeout: Double = 10,
                      configuration: ServerConfiguration = ServerConfiguration(port: 0),
                      wrap: (@Sendable (Request, GlossRequestContext, Router<GlossRequestContext>.Responder) async throws -> Response)? = nil)
        async throws -> LiveServer {
        let store = try Store(path: directory.path + "/\(name).sqlite", environment: .seeded(99), busyTimeout: busyTimeout)
        try store.setReplicaName(name)
        let token = try store.createToken(name: "tests").token
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let onRunning = { @Sendable (port: Int) async in _ = continuation.yield(port) }
        let task: Task<Void, any Error>
        if let wrap {
            let routes = buildRouter(store: store, configuration: configuration).buildResponder()
            let app = Application(
                responder: CallbackResponder<GlossRequestContext> { request, context in try await wrap(request, context, routes) },
                configuration: .init(address: .hostname(configuration.host, port: configuration.port)),
                onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
                logger: .init(label: "live"))
            task = Task { try await app.run() }
        } else {
            // What `gloss serve` runs.
            let app = buildApplication(store: store, configuration: configuration, logger: .init(label: "live"), onServerRunning: onRunning)
            task = Task { try await app.run() }
        }
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
        // A pull resumes from the store's own version vector: nothing is remembered of the server.
        #expect(try b.checkpoint(peer: "http:" + server.url).values.isEmpty)
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

    /// Against a server that reads only gzip, as versions before zstd did (it neither lists zstd
    /// in Accept-Encoding nor reads it), a client pushes gzip; against a current one, zstd.
    @Test func clientsPushZstdOnlyToServersThatReadIt() async throws {
        let seen = Mutex<[String]>([])
        let older = try await LiveServer.start(directory, name: "older") { request, context, routes in
            let coding = request.headers[.contentEncoding]
            if let coding { seen.withLock { $0.append(coding) } }
            guard coding != "zstd" else { throw HTTPError(.badRequest, message: "not a gzip body") }
            var response = try await routes.respond(to: request, context: context)
            response.headers[.acceptEncoding] = nil
            return response
        }
        defer { older.stop() }
        let current = try await LiveServer.start(directory, name: "current") { request, context, routes in
            if let coding = request.headers[.contentEncoding] { seen.withLock { $0.append("current " + coding) } }
            return try await routes.respond(to: request, context: context)
        }
        defer { current.stop() }
        let a = try directory.store("a", seed: 1)
        let id = try a.addArticle(ExtractedArticle(title: "Bridge", text: sampleText, format: .plainText)).id
        for i in 0..<30 { _ = try a.addNote(articleID: id, text: "note \(i)") }
        #expect(try await older.sync(a).sent == 31)
        #expect(try await current.sync(a).sent == 31)
        #expect(try older.store.digest() == a.digest() && current.store.digest() == a.digest())
        let codings = seen.withLock { $0 }
        #expect(codings.contains("gzip") && !codings.contains("zstd"))
        #expect(codings.contains("current zstd") && !codings.contains("current gzip"))
    }

    /// Pages are counted in changes: a push, or a pull page, of a few large articles is split
    /// until its JSON is within the page size (`WireLimits.pageBytes`, 100 kB here), so no
    /// reader's limit refuses it.
    @Test func pushesAndPullPagesOfLargeArticlesAreSplitWithinThePageSize() async throws {
        let requests = Mutex<[String: Int]>([:])
        let configuration = ServerConfiguration(port: 0, maxPageBytes: 100_000)
        let server = try await LiveServer.start(directory, name: "counting", configuration: configuration) { request, context, routes in
            requests.withLock { $0[String(request.uri.path.split(separator: "/").last ?? ""), default: 0] += 1 }
            return try await routes.respond(to: request, context: context)
        }
        defer { server.stop() }
        let a = try directory.store("a", seed: 1)
        for index in 0..<3 {
            let text = (0..<1_000).map { "Paragraph \(index) line \($0) of a long article." }.joined(separator: "\n")
            _ = try a.addArticle(ExtractedArticle(title: "Long \(index)", text: text, format: .plainText))
        }
        // Batches of one article: a batch is never cut, so it must fit a page.
        try a.signOwnChanges(batchLength: 1)
        let sync = { (store: Store) in
            try await SyncSession(store: store, peer: try HTTPTransport(url: server.url, token: server.token, pageBytes: 100_000)).run()
        }
        #expect(try await sync(a).sent == 3)
        let b = try directory.store("b", seed: 2)
        #expect(try await sync(b).received == 3)
        #expect(try a.digest() == b.digest() && server.store.digest() == a.digest())
        let counts = requests.withLock { $0 }
        // About 40 kB of JSON each, 120 kB together: halved to one, then the other two, so two
        // pushes and two pulls (a's first pull, which finds nothing, besides).
        #expect(counts["push"] == 2, "\(counts)")
        #expect(counts["pull"] == 3, "\(counts)")
    }

    /// A hostile server's answer read with `JSONDecoder` (the vector) is first held to the wire
    /// format's limits: 10 million elements in 20 MB are refused as the answer, naming the limit.
    @Test func anAnswerHoldingMillionsOfElementsIsRefusedNamingTheLimit() async throws {
        let server = try await LiveServer.start(directory, name: "hostile") { request, context, routes in
            guard request.uri.path.hasSuffix("/vector") else { return try await routes.respond(to: request, context: context) }
            let body = ByteBuffer(bytes: try zstdBomb(head: "{\"protocolVersion\":1,\"x\":[", item: "0", count: 10_000_000, tail: "]}"))
            return Response(status: .ok, headers: [.contentType: "application/json", .contentEncoding: "zstd"], body: ResponseBody(byteBuffer: body))
        }
        defer { server.stop() }
        let store = try directory.store("a", seed: 1)
        do {
            _ = try await server.sync(store)
            Issue.record("the answer was read")
        } catch SyncError.badAnswer(let url, 200, .invalid(let detail)) {
            #expect(url.hasSuffix("/v1/vector"))
            #expect(detail.contains("more than 1000000 array elements and object members"), "\(detail)")
        }
    }

    /// An answer that says zstd and is not whole zstd ends the sync at once, naming the damage:
    /// it is not retried, and not reported as a server that cannot be reached.
    @Test func aDamagedAnswerEndsTheSyncAtOnceAndSaysSo() async throws {
        let pulls = Mutex(0)
        let server = try await LiveServer.start(directory, name: "damaging") { request, context, routes in
            var response = try await routes.respond(to: request, context: context)
            guard request.uri.path.hasSuffix("/pull") else { return response }
            pulls.withLock { $0 += 1 }
            response.headers[.contentEncoding] = "zstd"
            response.body = ResponseBody(byteBuffer: ByteBuffer(string: "not zstd"))
            return response
        }
        defer { server.stop() }
        let store = try directory.store("a", seed: 1)
        do {
            _ = try await SyncSession(store: store, peer: try HTTPTransport(url: server.url, token: server.token, retryDelays: [0.05, 0.05])).run()
            Issue.record("a damaged answer was taken")
        } catch let error as SyncError {
            #expect(error.description.contains("not whole zstd"), "\(error.description)")
            #expect(error == .badAnswer(url: server.url + SyncProtocol.prefix + "/pull", status: 200, defect: .damaged(coding: "zstd")))
        }
        #expect(pulls.withLock { $0 } == 1, "retried")
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
