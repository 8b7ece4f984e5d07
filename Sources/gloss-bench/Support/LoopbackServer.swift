import GlossCore
import GlossServer
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// The real Gloss sync server (`buildRouter`, the router `gloss serve` runs) on 127.0.0.1 and a
/// free port, in this process, counting the body bytes of every request and response: what W4
/// calls bytes on the wire, as sent (compressed where the protocol compresses).
struct LoopbackServer {
    let url: String
    let bytes: ByteCounter
    private let task: Task<Void, any Error>

    static func start(store: Store) async throws -> LoopbackServer {
        let bytes = ByteCounter()
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "gloss-bench.server")
        logger.logLevel = .critical
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        let app = Application(
            responder: CountingResponder(wrapped: buildRouter(store: store, configuration: configuration).buildResponder(), bytes: bytes),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "gloss"),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        let task = Task {
            // Ends the wait below if the server stops or fails before it ever listens.
            defer { continuation.finish() }
            try await app.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            task.cancel()
            throw BenchError.invalidSetup("the in-process server did not start")
        }
        return LoopbackServer(url: "http://127.0.0.1:\(port)", bytes: bytes, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}

/// Body bytes seen by the server, each way.
final class ByteCounter: Sendable {
    private let counts = Mutex<(requests: Int, responses: Int)>((0, 0))

    var total: Int { counts.withLock { $0.requests + $0.responses } }

    func add(request: Int) { counts.withLock { $0.requests += request } }
    func add(response: Int) { counts.withLock { $0.responses += response } }
}

/// Hands every request to the router and counts both bodies: the request's `Content-Length` (the
/// client sends whole bodies) and the response's length (the server answers with whole buffers).
private struct CountingResponder<Wrapped: HTTPResponder>: HTTPResponder {
    typealias Context = Wrapped.Context
    let wrapped: Wrapped
    let bytes: ByteCounter

    func respond(to request: Request, context: Context) async throws -> Response {
        bytes.add(request: request.headers[.contentLength].flatMap { Int($0) } ?? 0)
        let response = try await wrapped.respond(to: request, context: context)
        bytes.add(response: response.body.contentLength ?? 0)
        return response
    }
}
