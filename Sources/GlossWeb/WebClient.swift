public import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// The HTTP client `gloss add URL` and `gloss sync URL` share: AsyncHTTPClient on SwiftNIO.
///
/// Gloss used `URLSession` until its startup cost showed: on Linux it links libcurl and some
/// thirty libraries behind it, and loading them took about 16 ms of every `gloss` command,
/// networked or not (BENCHMARKS.md). SwiftNIO is in the binary already, for `gloss serve`.
///
/// The client follows no redirects (the fetcher follows them itself, to count and check them)
/// and does not retry a connection that fails (the sync transport retries with its own backoff,
/// and a fetch reports at once). Time limits are the callers': `within` bounds a whole exchange.
public enum WebClient {
    /// One client for the whole process, made on first use and never shut down, like
    /// `HTTPClient.shared`, whose settings Gloss cannot choose.
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.retryConnectionEstablishment = false
        // The callers' limits (`within`) are the ones that apply; these only stop a connection
        // that nobody bounded from hanging for ever.
        configuration.timeout.connect = .seconds(600)
        configuration.timeout.read = .seconds(600)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// The most seconds `within` waits: longer limits are taken as this one.
    public static let longestLimit: Double = 86_400

    /// Thrown by `within` when its limit passes first.
    public struct TimedOut: Error {}

    /// Runs `exchange` (a request and the reading of its answer) with at most `seconds` for all
    /// of it, and cancels it when they pass. AsyncHTTPClient's own deadline ends once the
    /// answer's headers arrive, so a server that stalls mid-body would otherwise hold a fetch or
    /// a sync for ever.
    /// - Throws: `TimedOut` when the time passes first; else what `exchange` throws.
    public static func within<T: Sendable>(_ seconds: Double, _ exchange: @escaping @Sendable () async throws -> T) async throws -> T {
        let limit = seconds.isFinite ? min(max(seconds, 0), longestLimit) : longestLimit
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await exchange() }
            group.addTask {
                try await Task.sleep(for: .seconds(limit))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw TimedOut() }
            return value
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
