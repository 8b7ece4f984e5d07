import Foundation
#if canImport(Glibc)
import Glibc
#endif
import GlossCore
@testable import GlossServer
import GlossSync
import GlossExtraction
import GlossTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// `change` as the wire writes it, for a test to bend.
private func json(of change: Change) -> String {
    let push = String(decoding: WireJSON.encode(PushRequest(changes: [change], names: [:])), as: UTF8.self)
    return String(push.dropFirst("{\"changes\":[".count).dropLast("],\"names\":{}}".count))
}

/// What anyone holding a token can send: numbers past their range, negative positions, clocks
/// far in the future, integers written as decimals, methods the server does not take. Each is
/// answered with a clear 4xx naming the problem; none crashes the server or changes its store.
@Suite struct HostilePeerTests {
    let directory = TemporaryDirectory()

    func server() throws -> (Store, String, some ApplicationProtocol) {
        let store = try directory.store("server", seed: 9)
        let token = try store.createToken(name: "test").token
        return (store, token, buildApplication(store: store, configuration: ServerConfiguration(), logger: .init(label: "test")))
    }

    func auth(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    func message(_ response: TestResponse) throws -> String {
        try JSONDecoder().decode(ErrorResponse.self, from: Data(response.body.readableBytesView)).error.message
    }

    /// One real change, as JSON text, for a test to bend.
    func changeJSON() throws -> (json: String, change: Change) {
        let source = try directory.store("source", seed: 3)
        _ = try source.addArticle(ExtractedArticle(title: "T", text: sampleText, format: .plainText))
        let change = try source.changes(since: VersionVector())[0]
        return (json(of: change), change)
    }

    // MARK: - Numbers from outside

    @Test(arguments: [
        ("{\"since\":{\"%R\":9223372036854775808},\"after\":0}", "'since'"),
        ("{\"since\":{\"%R\":18446744073709551615},\"after\":0}", "'since'"),
        ("{\"since\":{},\"after\":-1}", "'after'"),
        ("{\"since\":{},\"after\":9223372036854775808}", "'after'"),
        ("{\"since\":{},\"after\":0.5}", "'after'"),
        ("{\"since\":{},\"after\":0,\"limit\":0}", "'limit'"),
        ("{\"since\":{},\"after\":0,\"limit\":-5}", "'limit'"),
        ("{\"since\":{}}", "'after'"),
    ])
    func aPullWithANumberOutOfRangeIsA400NamingTheField(body: String, field: String) async throws {
        let (store, token, app) = try server()
        let json = body.replacingOccurrences(of: "%R", with: store.replicaID.rawValue)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/pull", method: .post, headers: auth(token), body: ByteBuffer(string: json)) { response in
                #expect(response.status == .badRequest, "\(json)")
                let text = try message(response)
                #expect(text.contains(field), "\(text)")
            }
            // The server is still up and answers.
            try await client.execute(uri: "/v1/vector", method: .get, headers: auth(token)) { #expect($0.status == .ok) }
        }
    }

    /// Pushes a real change, bent by `bend`, to a fresh server: the server's store, and the
    /// answer's status and error message.
    func push(bent bend: (String, Change) -> String) async throws -> (store: Store, status: HTTPResponse.Status, message: String) {
        let (store, token, app) = try server()
        let (json, change) = try changeJSON()
        let bent = bend(json, change)
        #expect(bent != json)
        let (status, text) = try await app.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: auth(token),
                                     body: ByteBuffer(string: "{\"changes\":[\(bent)],\"names\":{}}")) { response in
                (response.status, try message(response))
            }
        }
        return (store, status, text)
    }

    @Test(arguments: ["9223372036854775808", "18446744073709551615"])
    func aPushedCounterPast2To63IsA400NamingNAndChangesNothing(counter: String) async throws {
        let pushed = try await push { json, change in
            json.replacingOccurrences(of: "\"n\":\(change.dot.counter)", with: "\"n\":\(counter)")
        }
        #expect(pushed.status == .badRequest)
        #expect(pushed.message.contains("'n'") && pushed.message.contains("2^63-1"), "\(pushed.message)")
        #expect(try pushed.store.status().counts.changes == 0)
    }

    /// The wire format's change and operation objects take only the members the schema lists
    /// (`additionalProperties: false`): one more is a 400 naming it, not a member silently dropped
    /// (schemathesis found a push with an extra operation member applied).
    @Test(arguments: [("\"o\":[{", "\"o\":[{\"x-extra\":42,", "an operation"), ("{\"e\":", "{\"x-extra\":42,\"e\":", "a change")])
    func aPushedChangeWithAMemberTheSchemaLacksIsA400AndChangesNothing(anchor: String, bent: String, holder: String) async throws {
        let pushed = try await push { json, _ in json.replacingOccurrences(of: anchor, with: bent) }
        #expect(pushed.status == .badRequest)
        #expect(pushed.message.contains(holder) && pushed.message.contains("'x-extra'"), "\(pushed.message)")
        #expect(try pushed.store.status().counts.changes == 0)
    }

    /// A null value is `{"n": null}`: `{"n": true}` was read as null and applied (schemathesis).
    @Test(arguments: ["true", "0", "\"\"", "{}"])
    func aPushedNullValueWhoseNIsNotNullIsA400AndChangesNothing(inner: String) async throws {
        let pushed = try await push { json, _ in
            json.replacingOccurrences(of: "\"o\":[{", with: "\"o\":[{\"f\":\"byline\",\"v\":{\"n\":\(inner)}},{")
        }
        #expect(pushed.status == .badRequest)
        #expect(pushed.message.contains("'n' is not null"), "\(pushed.message)")
        #expect(try pushed.store.status().counts.changes == 0)
    }

    /// A stamp of 2^64-1 wrapped the server's next clock to 1970 and spread; more than a day ahead
    /// of the server's clock is refused (422: the message reads, its change does not).
    @Test func aPushedClockFarInTheFutureIsRefusedAndTheServerClockStaysSane() async throws {
        let pushed = try await push { json, change in
            json.replacingOccurrences(of: "\"t\":\(change.hlc.rawValue)", with: "\"t\":\(UInt64.max)")
        }
        #expect(pushed.status == .unprocessableContent)
        #expect(pushed.message.contains("'t'") && pushed.message.contains("a day ahead"), "\(pushed.message)")
        let store = pushed.store
        #expect(try store.status().counts.changes == 0)
        _ = try store.addArticle(ExtractedArticle(title: "Local", text: "Local text.", format: .plainText))
        let local = try #require(try store.changes(since: VersionVector()).last)
        #expect(local.hlc.milliseconds < 1 << 47)
    }

    /// JSON Schema's `integer` (what the OpenAPI document says) takes 38981193.0: so does the
    /// server, as that whole number.
    @Test func integersWrittenWithAFractionOfZeroReadAsIntegers() async throws {
        let (store, token, app) = try server()
        let (json, change) = try changeJSON()
        let bent = json.replacingOccurrences(of: "\"n\":\(change.dot.counter)", with: "\"n\":\(change.dot.counter).0")
            .replacingOccurrences(of: "\"t\":\(change.hlc.rawValue)", with: "\"t\":\(change.hlc.rawValue).000")
        #expect(bent != json)
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/push", method: .post, headers: auth(token),
                                     body: ByteBuffer(string: "{\"changes\":[\(bent)],\"names\":{}}")) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/v1/pull", method: .post, headers: auth(token),
                                     body: ByteBuffer(string: "{\"since\":{},\"after\":0.0,\"limit\":1e1}")) { response in
                #expect(response.status == .ok)
                let page = try WireJSON.decodePullResponse(Array(response.body.readableBytesView))
                #expect(page.changes.count == 1)
            }
        }
        #expect(try store.changes(since: VersionVector()) == [change])
    }

    // MARK: - Size

    /// Issue 15's push: 18 KB of zstd holding a 100-million-element array took 3.5 GB. It is
    /// refused while it expands (413), and one of 2 million, which expands within the limit,
    /// while it is parsed (400, naming the limit); the store is untouched either way.
    @Test(arguments: [("/v1/push", "{\"changes\":[],\"names\":[", "]}"), ("/v1/pull", "{\"after\":0,\"since\":{},\"x\":[", "]}")])
    func aSmallBodyHoldingMillionsOfElementsIsRefusedWithinBoundedMemory(path: String, head: String, tail: String) async throws {
        let (store, token, app) = try server()
        var zstd = auth(token)
        zstd[.contentEncoding] = "zstd"
        let headers = zstd
        let before = peakMemory()
        try await app.test(.router) { client in
            let huge = ByteBuffer(bytes: try zstdBomb(head: head, item: "0", count: 100_000_000, tail: tail))
            #expect(huge.readableBytes < 64 << 10)
            try await client.execute(uri: path, method: .post, headers: headers, body: huge) { response in
                #expect(response.status == .contentTooLarge)
                let text = try message(response)
                #expect(text.contains("expands past 64 MiB"), "\(text)")
            }
            let many = ByteBuffer(bytes: try zstdBomb(head: head, item: "0", count: 2_000_000, tail: tail))
            try await client.execute(uri: path, method: .post, headers: headers, body: many) { response in
                #expect(response.status == .badRequest)
                let text = try message(response)
                #expect(text.contains("more than 1000000 array elements and object members"), "\(text)")
            }
        }
        // The process's peak, which suites running beside this one raise too: a bound that catches
        // the gigabytes these inputs took before, with room for them (alone it grows far less).
        #expect(peakMemory() - before < 1 << 30, "grew \((peakMemory() - before) >> 20) MiB")
        #expect(try store.status().counts.changes == 0)
    }

    // MARK: - Methods

    @Test func unsupportedMethodsOnKnownPathsAre405WithAllow() async throws {
        let (_, token, app) = try server()
        try await app.test(.router) { client in
            for (method, path, allow) in [(HTTPRequest.Method.trace, "/v1/pull", "POST"), (.delete, "/v1/vector", "GET, HEAD"),
                                          (.put, "/v1/health", "GET, HEAD"), (.trace, "/v1/push", "POST")] {
                try await client.execute(uri: path, method: method) { response in
                    #expect(response.status == .methodNotAllowed, "\(method) \(path)")
                    #expect(response.headers[.allow] == allow)
                }
            }
            try await client.execute(uri: "/v1/nothing", method: .trace, headers: auth(token)) { #expect($0.status == .notFound) }
        }
    }
}

/// A fake server, for the client's side: answers with numbers past their range or clocks far in
/// the future end the sync with a clear `SyncError`, and the client's store is left as it was.
@Suite struct HostileServerTests {
    let directory = TemporaryDirectory()

    /// A server whose answers to `path` are `body` instead of the real ones; `%R` in `body`
    /// becomes the replica id of the client, `client`.
    func fake(_ path: String, _ body: String, status: HTTPResponse.Status = .ok, client: Store) async throws -> LiveServer {
        let text = body.replacingOccurrences(of: "%R", with: client.replicaID.rawValue)
        return try await LiveServer.start(directory) { request, context, routes in
            guard request.uri.path == path else { return try await routes.respond(to: request, context: context) }
            return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    func client() throws -> Store {
        let store = try directory.store("client", seed: 3)
        _ = try store.addArticle(ExtractedArticle(title: "T", text: sampleText, format: .plainText))
        return store
    }

    /// The first of `store`'s changes as JSON, bent by `bend`, in a pull page.
    func page(of store: Store, _ bend: (String, Change) -> String) throws -> String {
        let change = try store.changes(since: VersionVector())[0]
        let bent = bend(json(of: change), change)
        #expect(bent != json(of: change))
        return "{\"changes\":[\(bent)],\"more\":false,\"names\":{},\"next\":1}"
    }

    func expectRefused(_ store: Store, by server: LiveServer, saying words: String) async throws {
        let before = try store.digest()
        do {
            _ = try await server.sync(store)
            Issue.record("the sync accepted the answer")
        } catch let error as SyncError {
            guard case .badAnswer(_, 200, .invalid(let detail)) = error else {
                Issue.record("unexpected error: \(error)")
                return
            }
            #expect(detail.contains(words), "\(detail)")
        }
        #expect(try store.digest() == before)
    }

    @Test func aVectorEntryPast2To63IsRefused() async throws {
        let store = try client()
        let server = try await fake("/v1/vector", "{\"protocolVersion\":1,\"replica\":\"%R\",\"name\":\"x\",\"versionVector\":{\"%R\":9223372036854775808}}",
                                    client: store)
        defer { server.stop() }
        try await expectRefused(store, by: server, saying: "2^63-1")
    }

    /// A server's error message reaches the person's terminal: its escapes arrive escaped.
    @Test func aServerMessageWithTerminalEscapesIsPrintedEscaped() async throws {
        let store = try client()
        let server = try await fake("/v1/pull", "{\"error\":{\"message\":\"\\u001b[2J\\u001b]0;owned\\u0007gone\"}}",
                                    status: .badRequest, client: store)
        defer { server.stop() }
        await #expect {
            _ = try await server.sync(store)
        } throws: { error in
            let text = "\(error)"
            return !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
                && text.contains("\\u{1B}[2J\\u{1B}]0;owned\\u{7}gone")
        }
    }

    /// A pulled change whose counter `n` is past 2^63-1, or whose clock `t` is 2^64-1.
    @Test(arguments: [("n", "9223372036854775808", "'n'"), ("t", "18446744073709551615", "a day ahead")])
    func aPulledChangeOutOfRangeIsRefused(field: String, value: String, saying words: String) async throws {
        let source = try client()
        let store = try directory.store("empty", seed: 4)
        let body = try page(of: source) { json, change in
            let real = field == "n" ? change.dot.counter : change.hlc.rawValue
            return json.replacingOccurrences(of: "\"\(field)\":\(real)", with: "\"\(field)\":\(value)")
        }
        let server = try await fake("/v1/pull", body, client: store)
        defer { server.stop() }
        try await expectRefused(store, by: server, saying: words)
    }
}

/// Slow and idle clients, on a real socket: a half-sent header and an idle keep-alive connection
/// are closed once the idle timeout passes, and past the connection cap a new client waits for a
/// free slot instead of the server running out of files. Every wait is bounded. A live server,
/// so it runs with `LiveServerTests` (its name matches that filter), apart from suites that block
/// the task pool.
@Suite struct IdleConnectionLiveServerTests {
    let directory = TemporaryDirectory()

    /// `gloss serve`'s application with `configuration` (port 0) until the task is cancelled.
    func start(_ configuration: ServerConfiguration) async throws -> (port: Int, task: Task<Void, any Error>) {
        let store = try directory.store("server", seed: 9)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = buildApplication(store: store, configuration: configuration, logger: .init(label: "idle")) { port in
            continuation.yield(port)
        }
        let task = Task { try await app.run() }
        var ports = stream.makeAsyncIterator()
        return (try #require(await ports.next()), task)
    }

    /// Half a header (the server has nothing to answer), or a whole request answered and then
    /// nothing (keep-alive): either way the connection is closed once 300 ms pass idle.
    @Test(arguments: [("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", ""),
                      ("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "HTTP/1.1 200")])
    func anIdleConnectionIsClosedWithinTheIdleTimeout(request: String, answer: String) async throws {
        let (port, task) = try await start(ServerConfiguration(port: 0, idleTimeout: .milliseconds(300)))
        defer { task.cancel() }
        let connection = try RawConnection(port: port, timeout: 5)
        let started = ContinuousClock.now
        connection.send(request)
        let read = await connection.readUntilClosed()
        #expect(read.text.hasPrefix(answer), "\(read.text)")
        #expect(read.closed)
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func pastTheConnectionCapANewClientWaitsForAFreeSlot() async throws {
        let (port, task) = try await start(ServerConfiguration(port: 0, idleTimeout: .seconds(20), maxConnections: 2))
        defer { task.cancel() }
        // Generous for the answers that must come (a loaded machine is slow), short only for
        // the one that must not.
        var idle = [try RawConnection(port: port, timeout: 5), try RawConnection(port: port, timeout: 5)]
        for connection in idle { connection.send("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n") }
        for connection in idle { #expect(await connection.readSome().hasPrefix("HTTP/1.1 200")) }
        let waiting = try RawConnection(port: port, timeout: 0.5)
        waiting.send("GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(await waiting.readSome().isEmpty, "answered past the cap")
        // Hang up at once: dropping the last reference closes the socket only when no reading
        // thread still holds it, which on a loaded machine came too late.
        idle.removeLast().hangUp()
        waiting.setTimeout(5)
        let answered = await waiting.readSome()
        #expect(answered.hasPrefix("HTTP/1.1 200"), "\(answered)")
    }
}

/// A TCP connection to 127.0.0.1 made with plain sockets, every read bounded by a timeout. Reads
/// block, so they run on a thread of their own and never hold up the tasks of the server under
/// test.
final class RawConnection: Sendable {
    let fd: Int32

    init(port: Int, timeout: Double) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        setTimeout(timeout)
    }

    deinit { close(fd) }

    /// Ends the connection both ways now, whoever still holds this value.
    func hangUp() { shutdown(fd, Int32(SHUT_RDWR)) }

    func setTimeout(_ seconds: Double) {
        var limit = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ text: String) {
        _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count - 1, 0) }
    }

    /// `read` on a thread of its own.
    private func blocking<T: Sendable>(_ read: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: read()) }
        }
    }

    /// One read: what arrived before the timeout (empty when nothing did).
    func readSome() async -> String {
        await blocking { self.readNow() }
    }

    private func readNow() -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : ""
    }

    /// Reads until the server closes the connection or a read times out: what arrived, and
    /// whether the server closed it.
    func readUntilClosed() async -> (text: String, closed: Bool) {
        await blocking { self.readToEnd() }
    }

    private func readToEnd() -> (text: String, closed: Bool) {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count == 0 { return (text, true) }
            if count < 0 { return (text, false) }
            text += String(decoding: buffer[..<count], as: UTF8.self)
        }
    }
}
