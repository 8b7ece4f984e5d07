import AsyncHTTPClient
import GlossWeb
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

/// The shared HTTP client against a loopback server started in the test (port 0) that answers
/// each request with canned bytes: limits on time and size, and failures sorted into kinds.
@Suite struct WebClientTests {
    @Test func aWholeAnswerIsRead() async throws {
        let server = try await CannedServer.start(.answer(body: Array("hello".utf8)))
        defer { server.stop() }
        let answer = try await WebClient.send(server.request(), bodyLimit: 1 << 10, deadline: WebClient.deadline(after: 10))
        #expect(answer.status == 200)
        #expect(answer.headers.first(name: "X-Canned") == "yes")
        #expect(String(buffer: answer.body) == "hello")
    }

    /// A server that sends its headers and part of the body, then stalls, is cut off at the
    /// deadline: the deadline covers the whole exchange, not just the headers.
    @Test func aServerStallingMidBodyIsCutOffAtTheDeadline() async throws {
        let server = try await CannedServer.start(.stallMidBody)
        defer { server.stop() }
        let started = ContinuousClock.now
        do {
            _ = try await WebClient.send(server.request(), bodyLimit: 1 << 20, deadline: WebClient.deadline(after: 0.5))
            Issue.record("a stalled answer was taken")
        } catch {
            #expect(error is WebClient.TimedOut, "\(error)")
            #expect(WebClient.failure(error) == .timedOut)
        }
        // Cut off, not left hanging: the stalled server never finishes. The upper bound leaves
        // room for the network group's other suites, which on a slow two-core machine once kept
        // this one from waking for over 4 s (a clean-clone CI run, ninth session).
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(450) && waited < .seconds(20), "waited \(waited)")
    }

    /// A body larger than the limit is refused, not read whole.
    @Test func aBodyPastTheLimitIsRefused() async throws {
        let server = try await CannedServer.start(.answer(body: [UInt8](repeating: 0x61, count: 2 << 20)))
        defer { server.stop() }
        await #expect(throws: NIOTooManyBytesError.self) {
            _ = try await WebClient.send(server.request(), bodyLimit: 1 << 20, deadline: WebClient.deadline(after: 10))
        }
        let exact = try await WebClient.send(server.request(), bodyLimit: 2 << 20, deadline: WebClient.deadline(after: 10))
        #expect(exact.body.readableBytes == 2 << 20)
    }

    /// `check` sees the status and headers first and can refuse the answer before its body.
    @Test func checkRefusesAnAnswerBeforeItsBody() async throws {
        struct Refused: Error {}
        let server = try await CannedServer.start(.answer(body: Array("body".utf8)))
        defer { server.stop() }
        await #expect(throws: Refused.self) {
            _ = try await WebClient.send(server.request(), bodyLimit: 1 << 10, deadline: WebClient.deadline(after: 10)) { status, headers in
                #expect(status == 200 && headers.first(name: "X-Canned") == "yes")
                throw Refused()
            }
        }
    }

    /// A connection closed before the body it announced is whole is a dropped connection.
    @Test func aConnectionClosedMidBodyIsDropped() async throws {
        let server = try await CannedServer.start(.closeMidBody)
        defer { server.stop() }
        do {
            _ = try await WebClient.send(server.request(), bodyLimit: 1 << 20, deadline: WebClient.deadline(after: 10))
            Issue.record("a cut answer was taken")
        } catch {
            #expect(WebClient.failure(error) == .dropped, "\(error)")
        }
    }

    /// Nothing listening on the port (one the test bound and closed again) is "refused".
    @Test func aPortNothingListensOnIsRefused() async throws {
        let server = try await CannedServer.start(.answer(body: []))
        let request = server.request()
        server.stop()
        do {
            _ = try await WebClient.send(request, bodyLimit: 1 << 10, deadline: WebClient.deadline(after: 10))
            Issue.record("a closed port answered")
        } catch {
            #expect(WebClient.failure(error) == .refused, "\(error)")
        }
    }

    @Test func deadlinesAreClampedToADay() {
        let now = ContinuousClock.now
        #expect(WebClient.deadline(after: -5) - now < .seconds(1))
        for endless in [Double.infinity, .nan, 1e12] {
            let span = WebClient.deadline(after: endless) - now
            #expect(span > .seconds(86_399) && span < .seconds(86_401), "\(endless): \(span)")
        }
    }
}

/// A loopback HTTP/1.1 server that answers every request with the same canned bytes.
struct CannedServer {
    enum Behaviour: Sendable {
        /// A whole 200 answer with this body.
        case answer(body: [UInt8])
        /// Headers announcing 1 MiB, 10 bytes of it, then nothing, the connection held open.
        case stallMidBody
        /// Headers announcing 1 MiB, 10 bytes of it, then the connection closed.
        case closeMidBody
    }

    let channel: any Channel
    let port: Int

    static func start(_ behaviour: Behaviour) async throws -> CannedServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(CannedHandler(behaviour: behaviour))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return CannedServer(channel: channel, port: try #require(channel.localAddress?.port))
    }

    func request() -> HTTPClientRequest { HTTPClientRequest(url: "http://127.0.0.1:\(port)/canned") }

    func stop() { try? channel.close().wait() }
}

/// Answers once, on the first bytes of a request, as `behaviour` says.
final class CannedHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let behaviour: CannedServer.Behaviour
    private var answered = false

    init(behaviour: CannedServer.Behaviour) { self.behaviour = behaviour }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        answered = true
        var out = context.channel.allocator.buffer(capacity: 256)
        switch behaviour {
        case .answer(let body):
            out.writeString("HTTP/1.1 200 OK\r\nX-Canned: yes\r\nContent-Length: \(body.count)\r\n\r\n")
            out.writeBytes(body)
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        case .stallMidBody, .closeMidBody:
            out.writeString("HTTP/1.1 200 OK\r\nContent-Length: \(1 << 20)\r\n\r\n0123456789")
            let write = context.writeAndFlush(wrapOutboundOut(out))
            if case .closeMidBody = behaviour {
                let channel = context.channel
                write.whenComplete { _ in channel.close(promise: nil) }
            }
        }
    }
}
