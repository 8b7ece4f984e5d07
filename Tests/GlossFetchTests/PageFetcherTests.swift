import Foundation
import GlossExtraction
import GlossFetch
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The fetcher against a web server on the loopback interface, started by each test on port 0:
/// redirects and their limit, what is refused (errors, non-HTML, too large, too slow), and the
/// charset the server names.
@Suite(.serialized) struct PageFetcherTests {
    static let story = """
        <p>The harbour reopened on Monday after crews cleared debris left by last week's storm, which had \
        closed it to all traffic for six days, the port authority said.</p>
        <p>Fishing boats returned to their moorings, and the ferry resumed its timetable, although the \
        evening crossing will run late until the end of the month, according to the operator.</p>
        """

    /// Runs `body` with the address of a live server answering the test routes.
    func withServer(_ body: @Sendable (_ base: String) async throws -> Void) async throws {
        let router = Router()
        router.get("/page") { _, _ in Self.html("<html><head><title>Harbour</title></head><body><article>\(Self.story)</article></body></html>") }
        router.get("/hop/:count") { _, context in
            let count = try context.parameters.require("count", as: Int.self)
            var headers = HTTPFields()
            headers[.location] = count > 1 ? "/hop/\(count - 1)" : "/page"
            return Response(status: .found, headers: headers)
        }
        router.get("/loop") { _, _ in
            var headers = HTTPFields()
            headers[.location] = "/loop"
            return Response(status: .movedPermanently, headers: headers)
        }
        router.get("/elsewhere") { _, _ in
            var headers = HTTPFields()
            headers[.location] = "ftp://127.0.0.1/file"
            return Response(status: .found, headers: headers)
        }
        router.get("/image") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "image/png"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: [0x89, 0x50, 0x4E, 0x47])))
        }
        router.get("/large") { _, _ in
            Self.html("<html><body><p>" + String(repeating: "tide ", count: 20_000) + "</p></body></html>")
        }
        router.get("/gone") { _, _ in Response(status: .gone) }
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .seconds(4))
            return Self.html("<p>late</p>")
        }
        router.get("/latin1") { _, _ in
            // The page claims UTF-8; the server's charset wins, as browsers let it.
            let page = Array("<html><head><meta charset=\"utf-8\"><title>Caf\u{E9}</title></head><body><article><p>Le caf\u{E9} du port a rouvert lundi, apr\u{E8}s six jours de fermeture caus\u{E9}e par la temp\u{EA}te, et les p\u{EA}cheurs y sont revenus d\u{E8}s l'aube.</p></article></body></html>".unicodeScalars.map { UInt8($0.value) })
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=ISO-8859-1"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: page)))
        }
        router.get("/canonical") { _, _ in
            Self.html("<html><head><title>Harbour</title><link rel=\"canonical\" href=\"/stories/harbour\"></head><body><article>\(Self.story)</article></body></html>")
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body("http://127.0.0.1:\(port)")
        }
    }

    static func html(_ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Test func aPageIsFetchedWithItsCharsetAndFinalAddress() async throws {
        try await withServer { base in
            let page = try await PageFetcher(timeout: 30).fetch(base + "/hop/3")
            #expect(page.url.absoluteString == base + "/page")
            #expect(page.charset == "utf-8")
            #expect(String(decoding: page.bytes, as: UTF8.self).contains("The harbour reopened on Monday"))
        }
    }

    @Test func redirectsAreFollowedUpToTheLimit() async throws {
        try await withServer { base in
            let fetcher = PageFetcher(timeout: 30, maximumRedirects: 2)
            let followed = try await fetcher.fetch(base + "/hop/2")
            #expect(followed.url.absoluteString == base + "/page")
            await #expect(throws: FetchError.tooManyRedirects(url: base + "/hop/3", limit: 2)) {
                try await fetcher.fetch(base + "/hop/3")
            }
            await #expect(throws: FetchError.tooManyRedirects(url: base + "/loop", limit: 10)) {
                try await PageFetcher(timeout: 30).fetch(base + "/loop")
            }
        }
    }

    @Test func aRedirectOffTheWebIsRefused() async throws {
        try await withServer { base in
            await #expect(throws: FetchError.unreachable(url: base + "/elsewhere", reason: "it redirects to ftp://127.0.0.1/file, which is not a web address")) {
                try await PageFetcher(timeout: 30).fetch(base + "/elsewhere")
            }
        }
    }

    @Test func whatIsNotAnHTMLPageIsRefused() async throws {
        try await withServer { base in
            let fetcher = PageFetcher(timeout: 30)
            await #expect(throws: FetchError.notHTML(url: base + "/image", contentType: "image/png")) {
                try await fetcher.fetch(base + "/image")
            }
            await #expect(throws: FetchError.status(url: base + "/gone", code: 410)) {
                try await fetcher.fetch(base + "/gone")
            }
            await #expect(throws: FetchError.invalidURL("ftp://127.0.0.1/file")) {
                try await fetcher.fetch("ftp://127.0.0.1/file")
            }
        }
    }

    @Test func aPageOverTheSizeLimitIsRefused() async throws {
        try await withServer { base in
            await #expect(throws: FetchError.tooLarge(url: base + "/large", limit: 50_000)) {
                try await PageFetcher(timeout: 30, maximumSize: 50_000).fetch(base + "/large")
            }
            let allowed = try await PageFetcher(timeout: 30, maximumSize: 200_000).fetch(base + "/large")
            #expect(allowed.bytes.count > 100_000)
        }
    }

    @Test func aServerTooSlowTimesOut() async throws {
        try await withServer { base in
            // The page comes after 4 seconds; a fetcher that ignored its deadline would get it.
            await #expect(throws: FetchError.timedOut(url: base + "/slow", seconds: 1)) {
                try await PageFetcher(timeout: 1).fetch(base + "/slow")
            }
        }
    }

    @Test func theServersCharsetDecodesThePage() async throws {
        try await withServer { base in
            let page = try await PageFetcher(timeout: 30).fetch(base + "/latin1")
            #expect(page.charset == "ISO-8859-1")
            let article = try await PageFetcher(timeout: 30).article(at: base + "/latin1")
            #expect(article.title == "Café")
            #expect(article.text.hasPrefix("Le café du port a rouvert lundi, après six jours"))
        }
    }

    @Test func theArticleIsSavedUnderItsCanonicalAddress() async throws {
        try await withServer { base in
            let article = try await PageFetcher(timeout: 30).article(at: base + "/canonical")
            #expect(article.url == base + "/stories/harbour")
            #expect(article.format == .html)
            #expect(article.text.hasPrefix("The harbour reopened on Monday"))
        }
    }
}
