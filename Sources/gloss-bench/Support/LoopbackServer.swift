import GlossCore
import GlossServer
import HTTPTypes
import Hummingbird
import Logging
import Synchronization

/// The real Gloss server (`buildRouter`, the router `gloss serve` runs) on 127.0.0.1 and a free
/// port, in this process, counting the body bytes of every request and response (what W4 calls
/// bytes on the wire, as sent, compressed where the protocol compresses) and timing each request
/// in the server, from the router receiving it to its response being built (W10).
struct LoopbackServer {
    let url: String
    let bytes: ByteCounter
    let times: RequestTimes
    private let task: Task<Void, any Error>

    static func start(store: Store) async throws -> LoopbackServer {
        let bytes = ByteCounter()
        let times = RequestTimes()
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "gloss-bench.server")
        logger.logLevel = .critical
        let configuration = ServerConfiguration(host: "127.0.0.1", port: 0)
        let app = Application(
            responder: CountingResponder(wrapped: buildRouter(store: store, configuration: configuration).buildResponder(),
                                         bytes: bytes, times: times),
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
        return LoopbackServer(url: "http://127.0.0.1:\(port)", bytes: bytes, times: times, task: task)
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
    /// The bytes the server sent.
    var responses: Int { counts.withLock { $0.responses } }

    func add(request: Int) { counts.withLock { $0.requests += request } }
    func add(response: Int) { counts.withLock { $0.responses += response } }
}

/// The milliseconds each request took in the server, in the order they were answered.
final class RequestTimes: Sendable {
    private let samples = Mutex<[Double]>([])

    func add(milliseconds: Double) { samples.withLock { $0.append(milliseconds) } }

    /// The times recorded since the last call, emptying the record.
    func take() -> [Double] { samples.withLock { samples in defer { samples = [] }; return samples } }
}

/// Hands every request to the router, counts both bodies (the request's `Content-Length`: the
/// client sends whole bodies; the response's length: the server answers with whole buffers), and
/// times it from here, where the request's head has been read, to the router's response, built
/// and not yet written (whether the router answered or threw).
private struct CountingResponder<Wrapped: HTTPResponder>: HTTPResponder {
    typealias Context = Wrapped.Context
    let wrapped: Wrapped
    let bytes: ByteCounter
    let times: RequestTimes

    func respond(to request: Request, context: Context) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        defer { times.add(milliseconds: (clock.now - start).seconds * 1000) }
        bytes.add(request: request.headers[.contentLength].flatMap { Int($0) } ?? 0)
        let response = try await wrapped.respond(to: request, context: context)
        bytes.add(response: response.body.contentLength ?? 0)
        return response
    }
}
