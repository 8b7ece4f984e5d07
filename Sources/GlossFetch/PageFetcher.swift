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
    /// Seconds the whole fetch may take, redirects and body included (at most
    /// `WebClient.longestLimit`).
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
        guard let url = URL(string: address), Self.isWeb(url) else { throw .invalidURL(address) }
        do {
            // One limit for the whole fetch: connecting, every redirect, and the last byte.
            return try await WebClient.within(timeout) { try await follow(url, original: address) }
        } catch let error as FetchError {
            throw error
        } catch {
            let failure = WebClient.failure(error)
            if failure == .timedOut { throw .timedOut(url: address, seconds: timeout) }
            throw .unreachable(url: address, reason: Self.reason(failure))
        }
    }

    /// Requests `url`, following redirects, and reads the page it ends at.
    private func follow(_ url: URL, original: String) async throws -> FetchedPage {
        var current = url
        var redirects = 0
        while true {
            var request = HTTPClientRequest(url: current.absoluteString)
            request.headers.add(name: "Accept", value: "text/html, application/xhtml+xml;q=0.9, */*;q=0.1")
            request.headers.add(name: "User-Agent", value: "Gloss (offline article store)")
            let response = try await WebClient.shared.execute(request, timeout: .seconds(Int64(WebClient.longestLimit)))
            if let next = try await redirect(response, from: current, original: original, count: &redirects) {
                current = next
                continue
            }
            return try await page(response, from: current, original: original)
        }
    }

    /// Where a redirect leads, after checking it may be followed; nil when `response` is not one.
    private func redirect(_ response: HTTPClientResponse, from current: URL, original: String, count: inout Int) async throws -> URL? {
        guard [301, 302, 303, 307, 308].contains(response.status.code),
              let location = response.headers.first(name: "Location") else { return nil }
        for try await _ in response.body {}  // a redirect's body is a line or two; read it to reuse the connection
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

    /// The page `response` carries, after checking its status, type and size as it streams in.
    private func page(_ response: HTTPClientResponse, from url: URL, original: String) async throws -> FetchedPage {
        guard (200...299).contains(response.status.code) else {
            throw FetchError.status(url: url.absoluteString, code: Int(response.status.code))
        }
        let contentType = response.headers.first(name: "Content-Type") ?? ""
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        if !mediaType.isEmpty, !["text/html", "application/xhtml+xml"].contains(mediaType) {
            throw FetchError.notHTML(url: original, contentType: mediaType)
        }
        if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maximumSize {
            throw FetchError.tooLarge(url: original, limit: maximumSize)
        }
        var bytes: [UInt8] = []
        for try await chunk in response.body {
            bytes.append(contentsOf: chunk.readableBytesView)
            // Leaving the loop drops the body, which ends the exchange: nothing more is read.
            if bytes.count > maximumSize { throw FetchError.tooLarge(url: original, limit: maximumSize) }
        }
        return FetchedPage(url: url, bytes: bytes, charset: Self.charset(in: contentType))
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

    private static func reason(_ failure: WebClient.Failure) -> String {
        switch failure {
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
