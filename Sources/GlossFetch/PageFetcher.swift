public import Foundation
import AsyncHTTPClient
import GlossWeb
import NIOCore
import NIOHTTP1

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
    /// The longest `timeout` taken as given (a day); a longer one counts as this.
    public static let longestTimeout = WebClient.longestLimit

    /// Seconds the whole fetch may take, redirects and body included (at most `longestTimeout`).
    public var timeout: Double
    /// The most bytes a page may have.
    public var maximumSize: Int
    public var maximumRedirects: Int

    /// Whether an address that resolves to this machine or a private network (loopback,
    /// RFC 1918, link-local, unique-local, CGNAT) is refused, redirects included: for addresses
    /// that came from elsewhere (an import file, another replica), which must not make this
    /// machine reach its own network. (A host that resolves to a public address when checked
    /// and a private one when connected to is not caught.)
    public let publicOnly: Bool

    public init(timeout: Double = 30, maximumSize: Int = 32 * 1_048_576, maximumRedirects: Int = 10, publicOnly: Bool = false) {
        self.timeout = timeout
        self.maximumSize = maximumSize
        self.maximumRedirects = maximumRedirects
        self.publicOnly = publicOnly
    }

    /// Whether the text is an http or https address rather than a file name.
    public static func isWebAddress(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("http://") || lowered.hasPrefix("https://")
    }

    public func fetch(_ address: String) async throws(FetchError) -> FetchedPage {
        guard let url = URL(string: address), Self.isWeb(url) else { throw .invalidURL(address) }
        // One deadline for the whole fetch: connecting, every redirect, and the last byte.
        let deadline = WebClient.deadline(after: timeout)
        do {
            var current = url
            var redirects = 0
            while true {
                if publicOnly, let host = current.host, let address = try await Self.privateAddress(of: host) {
                    throw FetchError.privateAddress(url: current.absoluteString, host: address == host ? host : "\(host) (\(address))")
                }
                var request = HTTPClientRequest(url: current.absoluteString)
                request.headers.add(name: "Accept", value: "text/html, application/xhtml+xml;q=0.9, */*;q=0.1")
                request.headers.add(name: "User-Agent", value: "Gloss (offline article store)")
                let answer = try await WebClient.send(request, bodyLimit: maximumSize, deadline: deadline,
                                                      check: { [at = current] in try check($0, $1, at: at, original: address) })
                if let next = try redirect(answer, from: current, original: address, count: &redirects) {
                    current = next
                    continue
                }
                return FetchedPage(url: current, bytes: Array(answer.body.readableBytesView),
                                   charset: Self.charset(in: answer.headers.first(name: "Content-Type") ?? ""))
            }
        } catch let error as FetchError {
            throw error
        } catch is NIOTooManyBytesError {
            throw .tooLarge(url: address, limit: maximumSize)
        } catch {
            let failure = WebClient.failure(error)
            if failure == .timedOut { throw .timedOut(url: address, seconds: timeout) }
            throw .unreachable(url: address, reason: failure.reason)
        }
    }

    /// Refuses an answer on its status and type, before its body is read: an error status, or
    /// anything but HTML. A redirect passes.
    private func check(_ status: Int, _ headers: HTTPHeaders, at url: URL, original: String) throws {
        if Self.isRedirect(status, headers) { return }
        guard (200...299).contains(status) else { throw FetchError.status(url: url.absoluteString, code: status) }
        let contentType = headers.first(name: "Content-Type") ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if !mediaType.isEmpty, !["text/html", "application/xhtml+xml"].contains(mediaType) {
            throw FetchError.notHTML(url: original, contentType: mediaType)
        }
    }

    private static func isRedirect(_ status: Int, _ headers: HTTPHeaders) -> Bool {
        [301, 302, 303, 307, 308].contains(status) && headers.first(name: "Location") != nil
    }

    /// Where a redirect leads, after checking it may be followed; nil when `answer` is not one.
    private func redirect(_ answer: WebClient.Answer, from current: URL, original: String, count: inout Int) throws -> URL? {
        guard Self.isRedirect(answer.status, answer.headers), let location = answer.headers.first(name: "Location") else { return nil }
        count += 1
        guard count <= maximumRedirects else { throw FetchError.tooManyRedirects(url: original, limit: maximumRedirects) }
        guard let next = URL(string: location, relativeTo: current)?.absoluteURL else {
            throw FetchError.unreachable(url: original, reason: "it redirects to '\(location)', which is not a valid address")
        }
        guard Self.isWeb(next) else {
            throw FetchError.unreachable(url: original, reason: "it redirects to \(location), which is not a web address")
        }
        return next
    }

    private static func isWeb(_ url: URL) -> Bool {
        guard let scheme = url.scheme?.lowercased() else { return false }
        return ["http", "https"].contains(scheme) && url.host?.isEmpty == false
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
}
