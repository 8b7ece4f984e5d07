public import AsyncHTTPClient
import NIOCore
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
/// and a fetch reports at once).
public enum WebClient {
    /// One client for the whole process, made on first use and never shut down, like
    /// `HTTPClient.shared`, whose settings Gloss cannot choose.
    public static let shared: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(15)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

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
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return .timedOut
            case .ioOnClosedChannel, .eof, .outputClosed: return .dropped
            default: break
            }
        }
        if error is NIOSSLError || error is BoringSSLError { return .insecure }
        return .other(String(describing: error))
    }
}
