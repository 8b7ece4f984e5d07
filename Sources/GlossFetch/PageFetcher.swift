public import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// A web page as fetched: its bytes, the charset the server named, and the address it was
/// finally served from (after redirects).
public struct FetchedPage: Sendable {
    public var url: URL
    public var bytes: [UInt8]
    /// The `charset` parameter of the response's `Content-Type`, if any.
    public var charset: String?
}

/// Fetches web pages for import over HTTP(S): redirects followed up to a limit, a deadline for
/// the whole exchange, a size limit enforced while the page streams in, and HTML only.
///
/// The core does no network I/O; this is the one place Gloss reads pages from the web.
public struct PageFetcher: Sendable {
    /// Seconds the whole fetch may take, redirects included.
    public var timeout: Double
    /// The most bytes a page may have.
    public var maximumSize: Int
    public var maximumRedirects: Int

    public init(timeout: Double = 30, maximumSize: Int = 32 * 1_048_576, maximumRedirects: Int = 10) {
        self.timeout = timeout
        self.maximumSize = maximumSize
        self.maximumRedirects = maximumRedirects
    }

    /// Whether the text is an http or https address rather than a file name.
    public static func isWebAddress(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }

    public func fetch(_ address: String) async throws(FetchError) -> FetchedPage {
        guard let url = URL(string: address), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              url.host?.isEmpty == false else {
            throw .invalidURL(address)
        }
        var request = URLRequest(url: url)
        request.setValue("text/html, application/xhtml+xml;q=0.9, */*;q=0.1", forHTTPHeaderField: "Accept")
        request.setValue("Gloss (offline article store)", forHTTPHeaderField: "User-Agent")

        let exchange = Exchange(address: address, limits: self)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration, delegate: exchange, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }

        let result: Result<FetchedPage, FetchError> = await withCheckedContinuation { continuation in
            let task = session.dataTask(with: request)
            exchange.start(task, continuation)
            task.resume()
        }
        return try result.get()
    }
}

// MARK: - One exchange

/// The delegate of one fetch: it checks the response as it arrives and reports once.
private final class Exchange: NSObject, URLSessionDataDelegate, Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result<FetchedPage, FetchError>, Never>?
        var bytes: [UInt8] = []
        var charset: String?
        var finalURL: URL?
        var redirects = 0
        var failure: FetchError?
        var deadline: Task<Void, Never>?
    }

    private let address: String
    private let limits: PageFetcher
    private let state = Mutex(State())

    init(address: String, limits: PageFetcher) {
        self.address = address
        self.limits = limits
    }

    func start(_ task: URLSessionDataTask, _ continuation: CheckedContinuation<Result<FetchedPage, FetchError>, Never>) {
        let seconds = limits.timeout
        let deadline = Task { [weak self] in
            try? await Task.sleep(for: .seconds(seconds))
            guard !Task.isCancelled, let self else { return }
            self.fail(.timedOut(url: self.address, seconds: seconds), task)
        }
        state.withLock {
            $0.continuation = continuation
            $0.deadline = deadline
        }
    }

    private func fail(_ error: FetchError, _ task: URLSessionTask) {
        state.withLock { if $0.failure == nil { $0.failure = error } }
        task.cancel()
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        let count = state.withLock {
            $0.redirects += 1
            return $0.redirects
        }
        // Refusing the redirect makes its response the final one, which the response check then
        // cancels; cancelling here, inside the redirect callback, is not allowed.
        var refusal: FetchError?
        if count > limits.maximumRedirects {
            refusal = .tooManyRedirects(url: address, limit: limits.maximumRedirects)
        } else if let scheme = request.url?.scheme?.lowercased(), !["http", "https"].contains(scheme) {
            refusal = .unreachable(url: address, reason: "it redirects to \(request.url?.absoluteString ?? "nowhere"), which is not a web address")
        }
        guard let refusal else {
            completionHandler(request)
            return
        }
        state.withLock { if $0.failure == nil { $0.failure = refusal } }
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        guard let http = response as? HTTPURLResponse else {
            completionHandler(.allow)
            return
        }
        let contentType = http.value(forHTTPHeaderField: "Content-Type") ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        var failure: FetchError?
        if !(200...299).contains(http.statusCode) {
            failure = .status(url: http.url?.absoluteString ?? address, code: http.statusCode)
        } else if !mediaType.isEmpty, !["text/html", "application/xhtml+xml"].contains(mediaType) {
            failure = .notHTML(url: address, contentType: mediaType)
        } else if http.expectedContentLength > Int64(limits.maximumSize) {
            failure = .tooLarge(url: address, limit: limits.maximumSize)
        }
        if let failure {
            fail(failure, dataTask)
            completionHandler(.cancel)
            return
        }
        state.withLock {
            $0.finalURL = http.url
            $0.charset = Self.charset(in: contentType)
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let tooLarge = state.withLock {
            $0.bytes.append(contentsOf: data)
            return $0.bytes.count > limits.maximumSize
        }
        if tooLarge { fail(.tooLarge(url: address, limit: limits.maximumSize), dataTask) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let address = self.address
        let (continuation, result): (CheckedContinuation<Result<FetchedPage, FetchError>, Never>?, Result<FetchedPage, FetchError>) =
            state.withLock { state in
                state.deadline?.cancel()
                let continuation = state.continuation
                state.continuation = nil
                if let failure = state.failure { return (continuation, .failure(failure)) }
                if let error {
                    // The session's own timeouts share the deadline: whichever fires, it is one.
                    if (error as? URLError)?.code == .timedOut {
                        return (continuation, .failure(.timedOut(url: address, seconds: limits.timeout)))
                    }
                    return (continuation, .failure(.unreachable(url: address, reason: Self.describe(error))))
                }
                let url = state.finalURL ?? task.originalRequest?.url ?? URL(string: address)!
                return (continuation, .success(FetchedPage(url: url, bytes: state.bytes, charset: state.charset)))
            }
        continuation?.resume(returning: result)
    }

    /// The `charset` parameter of a `Content-Type` value.
    static func charset(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "charset" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? URLError else { return "\(error)" }
        switch error.code {
        case .cannotConnectToHost: return "nothing answers there (check the address and port)"
        case .cannotFindHost, .dnsLookupFailed: return "no such host"
        case .networkConnectionLost: return "the connection dropped"
        case .notConnectedToInternet: return "this machine is offline"
        case .serverCertificateUntrusted, .serverCertificateHasBadDate, .serverCertificateHasUnknownRoot,
             .serverCertificateNotYetValid, .secureConnectionFailed:
            return "its secure connection could not be verified"
        default: return error.localizedDescription
        }
    }
}
