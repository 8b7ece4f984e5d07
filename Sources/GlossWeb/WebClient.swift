public import AsyncHTTPClient
import Crypto
public import NIOCore
public import NIOHTTP1
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// The HTTP client `gloss add URL` and `gloss sync URL` share: AsyncHTTPClient on SwiftNIO.
///
/// Gloss used `URLSession` until then: on Linux it links libcurl and some thirty libraries
/// behind it (gloss linked 56 shared libraries, now 26), which every command loaded, networked
/// or not, and which kept a build with a static Swift runtime from linking. Loading them cost
/// about 2 ms a command (BENCHMARKS.md). SwiftNIO is in the binary already, for `gloss serve`.
///
/// The client follows no redirects (the fetcher follows them itself, to count and check them)
/// and does not retry a connection that fails (the sync transport retries with its own backoff,
/// and a fetch reports at once). Every exchange has a deadline that covers all of it.
public enum WebClient {
    /// One client for the whole process, made on first use and never shut down, like
    /// `HTTPClient.shared`, whose settings Gloss cannot choose.
    private static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.retryConnectionEstablishment = false
        // `send`'s deadline is the limit that applies; these only keep a connection from
        // hanging for ever should it fail.
        configuration.timeout.connect = .seconds(600)
        configuration.timeout.read = .seconds(600)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The longest limit an exchange may be given, in seconds: a day.
    public static let longestLimit: Double = 86_400

    /// The instant `seconds` from now, `longestLimit` at most (any non-finite value is taken as
    /// that).
    public static func deadline(after seconds: Double) -> ContinuousClock.Instant {
        let limit = seconds.isFinite ? min(max(seconds, 0), longestLimit) : longestLimit
        return .now + .seconds(limit)
    }

    /// Thrown by `send` when its deadline passes first.
    public struct TimedOut: Error {}

    /// An answer read whole.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: ByteBuffer
    }

    /// Sends `request` and reads its answer whole. `check` sees the status and headers first,
    /// and can refuse the answer (by throwing) before its body is read; the body may hold at
    /// most `bodyLimit` bytes. All of it, connecting included, must end by `deadline`:
    /// AsyncHTTPClient's own deadline ends once the headers arrive, so a server that stalled
    /// mid-body would otherwise hold a fetch or a sync for ever.
    /// - Throws: `TimedOut` when the deadline passes first, `NIOTooManyBytesError` for a larger
    ///   body, what `check` throws, else the client's error (see `failure(_:)`).
    public static func send(_ request: HTTPClientRequest, bodyLimit: Int, deadline: ContinuousClock.Instant,
                            check: @escaping @Sendable (_ status: Int, _ headers: HTTPHeaders) throws -> Void = { _, _ in }) async throws -> Answer {
        try await withThrowingTaskGroup(of: Answer?.self) { group in
            group.addTask {
                let response = try await shared.execute(request, timeout: .seconds(Int64(longestLimit)))
                let status = Int(response.status.code)
                try check(status, response.headers)
                return Answer(status: status, headers: response.headers, body: try await response.body.collect(upTo: bodyLimit))
            }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw TimedOut() }
            return answer
        }
    }

    /// Thrown by `download` when its file cannot be made or written: `code` is the errno.
    public struct FileFailure: Error {
        public var code: Int32
    }

    /// An answer whose body went to a file (``download(_:to:bodyLimit:deadline:)``).
    public struct Download: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        /// The bytes written to the file (a 200's body).
        public var bytes: Int
        /// Their SHA-256, taken as they arrived (so a caller checking them reads no file again).
        public var sha256: [UInt8] = []
        /// Any other status's body (its first 64 KiB), for its message.
        public var body: ByteBuffer
    }

    /// Sends `request` and streams a 200 answer's body into a new file at `path` (made 0600;
    /// it must not exist), never holding it in memory, and hashes it on the way; another
    /// status's body is read (at most 64 KiB) and no file is made. All of it must end by
    /// `deadline`.
    /// - Throws: `TimedOut`, `NIOTooManyBytesError` once the body (or its announced length)
    ///   passes `bodyLimit`, `FileFailure` when the file cannot be made or written, else the
    ///   client's error. The caller removes a file left by a failure.
    public static func download(_ request: HTTPClientRequest, to path: String, bodyLimit: Int,
                                deadline: ContinuousClock.Instant) async throws -> Download {
        try await withThrowingTaskGroup(of: Download?.self) { group in
            group.addTask {
                let response = try await shared.execute(request, timeout: .seconds(Int64(longestLimit)))
                let status = Int(response.status.code)
                guard status == 200 else {
                    var body = ByteBuffer()
                    for try await piece in response.body {
                        guard body.readableBytes < 64 << 10 else { break }
                        body.writeImmutableBuffer(piece)
                    }
                    return Download(status: status, headers: response.headers, bytes: 0, body: body)
                }
                if let announced = response.headers.first(name: "Content-Length").flatMap(Int.init), announced > bodyLimit {
                    throw NIOTooManyBytesError(maxBytes: bodyLimit)
                }
                let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                guard fd >= 0 else { throw FileFailure(code: errno) }
                defer { close(fd) }
                var bytes = 0
                var hasher = SHA256()
                for try await piece in response.body {
                    bytes += piece.readableBytes
                    guard bytes <= bodyLimit else { throw NIOTooManyBytesError(maxBytes: bodyLimit) }
                    try piece.withUnsafeReadableBytes { raw in
                        hasher.update(bufferPointer: raw)
                        var offset = 0
                        while offset < raw.count {
                            let count = write(fd, raw.baseAddress! + offset, raw.count - offset)
                            if count < 0, errno == EINTR { continue }
                            guard count > 0 else { throw FileFailure(code: errno == 0 ? EIO : errno) }
                            offset += count
                        }
                    }
                }
                return Download(status: status, headers: response.headers, bytes: bytes, sha256: Array(hasher.finalize()), body: ByteBuffer())
            }
            group.addTask {
                try await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let answer = first else { throw TimedOut() }
            return answer
        }
    }

    /// Why a request failed, in the few kinds a person can act on.
    public enum Failure: Equatable, Sendable {
        /// Nothing listens at that address and port.
        case refused
        case noSuchHost
        case timedOut
        /// The connection closed or was reset mid-exchange.
        case dropped
        /// No route to the host: this machine, or that network, is offline.
        case offline
        /// TLS failed: a certificate that cannot be verified, or no common protocol.
        case insecure
        case other(String)

        var isOther: Bool {
            if case .other = self { return true }
            return false
        }

        /// What went wrong, in words; callers say more where they know more (what to check
        /// when nothing answers, say).
        public var reason: String {
            switch self {
            case .refused: "nothing answers there (check the address and port)"
            case .noSuchHost: "no such host"
            case .timedOut: "it did not answer in time"
            case .dropped: "the connection dropped"
            case .offline: "this machine, or that network, is offline"
            case .insecure: "its secure connection could not be verified"
            case .other(let text): text
            }
        }
    }

    /// The kind of `error`, as thrown by `shared`'s requests.
    public static func failure(_ error: any Error) -> Failure {
        if error is TimedOut { return .timedOut }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
                 .getConnectionFromPoolTimeout:
                return .timedOut
            case .remoteConnectionClosed:
                return .dropped
            default:
                return .other(String(describing: error))
            }
        }
        if let error = error as? NIOConnectionError {
            for attempt in error.connectionErrors {
                if case let failure = Self.failure(attempt.error), !failure.isOther { return failure }
            }
            if error.dnsAError != nil || error.dnsAAAAError != nil { return .noSuchHost }
        }
        if error is SocketAddressError { return .noSuchHost }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .refused
            case ECONNRESET, EPIPE: return .dropped
            case ENETUNREACH, EHOSTUNREACH, ENETDOWN: return .offline
            case ETIMEDOUT: return .timedOut
            default: break
            }
        }
        // The server closed the connection before the body it announced was complete.
        if let error = error as? HTTPParserError, error == .invalidEOFState { return .dropped }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return .timedOut
            case .ioOnClosedChannel, .eof, .outputClosed: return .dropped
            default: break
            }
        }
        // A TLS peer that closes without saying so ends the exchange early: a dropped connection.
        if let error = error as? NIOSSLError, case .uncleanShutdown = error { return .dropped }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError { return .insecure }
        return .other(String(describing: error))
    }
}
