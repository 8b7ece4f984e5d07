import Foundation
import GlossCore
import GlossExtraction
@testable import GlossServer
import GlossSync
import GlossTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The web reader's sign-in, JSON API and capture route, through the router (no sockets): status
/// codes, bodies, and nothing changed on a refused request.
@Suite struct ReaderAPITests {
    let directory = TemporaryDirectory()

    struct Server {
        let store: Store
        let token: String
        let app: any ApplicationProtocol
        let article: String
        let cookieName: String
    }

    static let text = "Intro 😀 emoji then words.\n\nSecond paragraph with <script>alert(1)</script> in it.\n\n- an item"

    func server() throws -> (Store, String, String, some ApplicationProtocol) {
        let store = try directory.store("reader", seed: 7)
        let token = try store.createToken(name: "browser").token
        let article = try store.addArticle(ExtractedArticle(title: "Sample <b>bold</b>", text: Self.text, format: .plainText)).id
        let app = buildApplication(store: store, configuration: ServerConfiguration(), logger: .init(label: "test"))
        return (store, token, article, app)
    }

    func auth(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    func object(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    func message(_ response: TestResponse) throws -> String {
        let error = try #require(try object(response)["error"] as? [String: Any])
        return try #require(error["message"] as? String)
    }

    /// Signs in with the token through the form; returns the cookie and the session's CSRF value.
    func signIn(_ client: some TestClientProtocol, token: String) async throws -> (cookie: String, csrf: String) {
        let cookie = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                              body: body("token=" + token)) { response in
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/")
            let setCookie = try #require(response.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            return String(setCookie.split(separator: ";")[0])
        }
        let csrf = try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: cookie]) { response in
            #expect(response.status == .ok)
            return try #require(try object(response)["csrfToken"] as? String)
        }
        return (cookie, csrf)
    }

    @Test func pagesAndTheAPINeedASignIn() async throws {
        let (_, token, _, app) = try server()
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("name=\"token\""))
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
            for uri in ["/api/v1/articles", "/api/v1/session", "/api/v1/conflicts"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .unauthorized)
                    let said = try message(response)
                    #expect(said.contains("sign in"))
                }
            }
            try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: body("token=gloss_wrong")) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
                #expect(String(buffer: response.body).contains("not valid"))
            }
            let (cookie, _) = try await signIn(client, token: token)
            try await client.execute(uri: "/articles/abc", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body).contains("/assets/app.js"))
                #expect(response.headers[.cacheControl] == "no-store")
            }
            try await client.execute(uri: "/assets/reader.css", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
            }
            try await client.execute(uri: "/assets/..%2Fsecret", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func aOneTimeLinkSignsInOnce() async throws {
        let (store, _, _, app) = try server()
        let code = try store.createLoginCode()
        try await app.test(.router) { client in
            try await client.execute(uri: "/login?code=\(code)&next=/articles/x", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.setCookie]?.contains("SameSite=Strict") == true)
                #expect(String(buffer: response.body).contains("url=/articles/x"))
            }
            try await client.execute(uri: "/login?code=\(code)", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.setCookie] == nil)
            }
            // A link may only send the browser on within this server.
            let other = try store.createLoginCode()
            try await client.execute(uri: "/login?code=\(other)&next=//evil.example/", method: .get) { response in
                #expect(String(buffer: response.body).contains("url=/\""))
            }
        }
    }

    @Test func aBrowsersWritesNeedItsCSRFValueAndItsOrigin() async throws {
        let (store, token, article, app) = try server()
        try await app.test(.router) { client in
            let (cookie, csrf) = try await signIn(client, token: token)
            let before = try store.digest()
            let tags = body(#"{"tags": ["x"]}"#)
            try await client.execute(uri: "/api/v1/articles/\(article)/tags", method: .put, headers: [.cookie: cookie], body: tags) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/articles/\(article)/tags", method: .put,
                                     headers: [.cookie: cookie, .glossCSRF: csrf, .origin: "http://evil.example"], body: tags) { response in
                #expect(response.status == .forbidden)
            }
            #expect(try store.digest() == before)
            try await client.execute(uri: "/api/v1/articles/\(article)/tags", method: .put,
                                     headers: [.cookie: cookie, .glossCSRF: csrf], body: tags) { response in
                #expect(response.status == .ok)
            }
            #expect(try store.article(article).tags == ["x"])
            // Signing out carries the CSRF value too (another site cannot sign a person out),
            // and ends the session.
            try await client.execute(uri: "/logout", method: .post, headers: [.cookie: cookie]) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: "/logout", method: .post, headers: [.cookie: cookie, .glossCSRF: csrf]) { response in
                #expect(response.status == .seeOther)
            }
            try await client.execute(uri: "/api/v1/session", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func revokingTheTokenSignsItsBrowsersOut() async throws {
        let (store, token, _, app) = try server()
        try await app.test(.router) { client in
            let (cookie, _) = try await signIn(client, token: token)
            _ = try store.revokeToken(try #require(store.tokens().first).id)
            try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func aHighlightStoresExactlyThePassageChosen() async throws {
        let (store, token, article, app) = try server()
        let hash = try store.article(article).contentHash
        // "emoji then" starts after the emoji: 8 scalars in ("Intro 😀 "), 11 in UTF-16.
        try await app.test(.router) { client in
            let id = try await client.execute(uri: "/api/v1/annotations", method: .post, headers: auth(token), body: body("""
                {"articleId": "\(article.prefix(8))", "start": 8, "end": 18, "contentHash": "\(hash)", "color": "green", "note": "<img src=x onerror=alert(1)>", "tags": ["Read Later"]}
                """)) { response in
                #expect(response.status == .created)
                let annotation = try #require(try object(response)["annotation"] as? [String: Any])
                #expect(annotation["quote"] as? String == "emoji then")
                #expect(annotation["tags"] as? [String] == ["read-later"])
                return try #require(annotation["id"] as? String)
            }
            let stored = try store.annotation(id)
            #expect(stored.anchor?.exact == "emoji then" && stored.anchor?.start == 8 && stored.anchor?.end == 18)
            #expect(stored.note == "<img src=x onerror=alert(1)>")

            // Across two paragraphs.
            try await client.execute(uri: "/api/v1/annotations", method: .post, headers: auth(token), body: body("""
                {"articleId": "\(article)", "start": 19, "end": 33, "contentHash": "\(hash)"}
                """)) { response in
                let annotation = try #require(try object(response)["annotation"] as? [String: Any])
                #expect(annotation["quote"] as? String == "words.\n\nSecond")
            }

            try await client.execute(uri: "/api/v1/annotations/\(id)", method: .patch, headers: auth(token),
                                     body: body(#"{"note": "edited", "color": "blue", "tags": ["kept"]}"#)) { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            let edited = try store.annotation(id)
            #expect(edited.note == "edited" && edited.color == "blue" && edited.tags == ["kept"])

            try await client.execute(uri: "/api/v1/articles/\(article)", method: .get, headers: auth(token)) { response in
                let reading = try object(response)
                #expect((reading["annotations"] as? [Any])?.count == 2)
                let blocks = try #require(reading["blocks"] as? [[String: Any]])
                #expect(blocks.map { $0["type"] as? String } == ["paragraph", "paragraph", "item"])
            }
            try await client.execute(uri: "/api/v1/annotations/\(id)", method: .delete, headers: auth(token)) { response in
                #expect(response.status == .noContent)
            }
            #expect(try store.annotations(articleID: article).count == 1)
        }
    }

    @Test func refusedRequestsChangeNothing() async throws {
        let (store, token, article, app) = try server()
        let hash = try store.article(article).contentHash
        let before = try store.digest()
        try await app.test(.router) { client in
            let refused: [(String, HTTPRequest.Method, String?, HTTPResponse.Status)] = [
                ("/api/v1/annotations", .post, #"{"articleId": "\#(article)", "start": 0, "end": 5, "contentHash": "stale"}"#, .conflict),
                ("/api/v1/annotations", .post, #"{"articleId": "\#(article)", "start": 5, "end": 900, "contentHash": "\#(hash)"}"#, .unprocessableContent),
                ("/api/v1/annotations", .post, #"{"articleId": "\#(article)", "start": 5, "end": 6, "contentHash": "\#(hash)"}"#, .unprocessableContent),
                ("/api/v1/annotations", .post, #"{"articleId": "\#(article)", "start": 3, "end": 3, "contentHash": "\#(hash)"}"#, .unprocessableContent),
                ("/api/v1/annotations/\(article)", .patch, #"{"note": "x"}"#, .notFound),
                ("/api/v1/annotations", .post, #"{"articleId": "ffffffff", "start": 0, "end": 5, "contentHash": "\#(hash)"}"#, .notFound),
                ("/api/v1/annotations", .post, #"{"articleId": 5}"#, .badRequest),
                ("/api/v1/annotations", .post, "not json", .badRequest),
                ("/api/v1/annotations", .post, #"{"articleId": "\#(article)", "start": 0, "end": 5, "contentHash": "\#(hash)", "color": "mauve"}"#, .badRequest),
                ("/api/v1/annotations/ffffffff", .patch, #"{"note": "x"}"#, .notFound),
                ("/api/v1/annotations/ffffffff", .delete, nil, .notFound),
                ("/api/v1/articles/zz", .get, nil, .badRequest),
                ("/api/v1/articles/%66%66%66%66%66%66%66%66", .get, nil, .notFound),
                ("/api/v1/articles/ffffffff", .delete, nil, .notFound),
                ("/api/v1/articles/\(article)/tags", .put, #"{"tags": [""]}"#, .badRequest),
                ("/api/v1/conflicts/resolve", .post, #"{"entityId": "\#(article)", "field": "title", "keep": 1}"#, .notFound),
                ("/api/v1/sync", .post, #"{"target": "/tmp/somewhere"}"#, .badRequest),
                ("/api/v1/articles?cursor=nonsense", .get, nil, .badRequest),
                ("/api/v1/articles?limit=0", .get, nil, .badRequest),
                ("/api/v1/articles", .post, #"{"text": "   "}"#, .unprocessableContent),
            ]
            for (uri, method, json, status) in refused {
                try await client.execute(uri: uri, method: method, headers: auth(token), body: json.map(body)) { response in
                    #expect(response.status == status, "\(method) \(uri) \(json ?? "")")
                    let said = try message(response)
                    #expect(!said.isEmpty, "\(method) \(uri)")
                }
            }
        }
        #expect(try store.digest() == before)
    }

    @Test func theLibraryPagesThroughEveryArticleOnce() async throws {
        let (store, token, _, app) = try server()
        for i in 0..<120 {
            _ = try store.addArticle(ExtractedArticle(title: "Article \(i)", text: "Body number \(i) of the library.", format: .plainText))
        }
        try await app.test(.router) { client in
            var seen: [String] = []
            var cursor: String?
            repeat {
                let uri = "/api/v1/articles?limit=50" + (cursor.map { "&cursor=\($0)" } ?? "")
                cursor = try await client.execute(uri: uri, method: .get, headers: auth(token)) { response in
                    let page = try object(response)
                    seen += (page["articles"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    return page["next"] as? String
                }
            } while cursor != nil
            #expect(seen.count == 121 && Set(seen).count == 121)
            #expect(seen == (try store.articles()).map(\.id))
        }
    }

    @Test func theVersionMovesWhenTheStoreChanges() async throws {
        let (store, token, article, app) = try server()
        try await app.test(.router) { client in
            let version = { try await client.execute(uri: "/api/v1/version", method: .get, headers: auth(token)) { try object($0)["version"] as? String } }
            let first = try await version()
            #expect(try await version() == first)
            _ = try store.addNote(articleID: article, text: "from another terminal")
            #expect(try await version() != first)
        }
    }

    @Test func searchMarksItsMatches() async throws {
        let (_, token, _, app) = try server()
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/search?q=paragraph", method: .get, headers: auth(token)) { response in
                let hits = try #require(try object(response)["hits"] as? [[String: Any]])
                let segments = try #require(hits.first?["snippet"] as? [[String: Any]])
                #expect(segments.contains { $0["match"] as? Bool == true && $0["text"] as? String == "paragraph" })
                #expect(!segments.contains { ($0["text"] as? String)?.contains("\u{2}") == true })
            }
        }
    }

    /// An edit refused in part changes nothing: a note with a tag that is no tag.
    @Test func anEditRefusedInPartWritesNothing() async throws {
        let (store, token, article, app) = try server()
        let note = try store.addNote(articleID: article, text: "as it was")
        let before = try store.digest()
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/annotations/\(note.id)", method: .patch, headers: auth(token),
                                     body: body(#"{"note": "changed", "tags": ["fine", "  "]}"#)) { response in
                #expect(response.status == .badRequest)
            }
            // The reader revokes capture tokens only: a sync token's id is no capture token's.
            let syncToken = try #require(try store.tokens(scope: .sync).first)
            try await client.execute(uri: "/api/v1/capture-tokens/\(syncToken.id)", method: .delete, headers: auth(token)) { response in
                #expect(response.status == .notFound)
            }
        }
        #expect(try store.digest() == before)
        #expect(try store.annotation(note.id).note == "as it was")
        #expect(try store.authenticate(token) != nil)
    }

    /// Queries as browsers write them: `+` for a space.
    @Test func queriesReadAsBrowsersWriteThem() async throws {
        let (store, token, article, app) = try server()
        _ = try store.addNote(articleID: article, text: "an emoji note")
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/search?q=in%3Anotes+emoji", method: .get, headers: auth(token)) { response in
                let hits = try #require(try object(response)["hits"] as? [[String: Any]])
                #expect(hits.count == 1 && hits.first?["kind"] as? String == "annotation")
            }
        }
    }

    /// Pasted HTML with its address is read as given; the address is only its URL.
    @Test func pastedHTMLKeepsItsAddressWithoutFetchingIt() async throws {
        let (store, token, _, app) = try server()
        let page = #"{"url": "https://unreachable.invalid/page", "html": "<html><body><article><p>A pasted page whose paragraph is long enough to be read as the text of an article.</p></article></body></html>"}"#
        try await app.test(.router) { client in
            let id = try await client.execute(uri: "/api/v1/articles", method: .post, headers: auth(token), body: body(page)) { response in
                #expect(response.status == .created)
                return (try object(response)["article"] as? [String: Any])?["id"] as? String
            }
            #expect(try store.article(try #require(id)).url == "https://unreachable.invalid/page")
            // Issue 20: the page is kept as the article's original, as `gloss add` keeps it.
            let (record, bytes) = try store.original(of: try #require(id))
            #expect(record.format == .html && String(decoding: bytes, as: UTF8.self).contains("A pasted page whose paragraph"))
        }
    }

    /// Signing in from a page that asked for it goes back to that page, and only within the server.
    @Test func signingInGoesBackToThePageAsked() async throws {
        let (_, token, _, app) = try server()
        try await app.test(.router) { client in
            try await client.execute(uri: "/articles/abc", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(String(buffer: response.body).contains("action=\"/login?next=/articles/abc\""))
            }
            for (next, expected) in [("/articles/abc", "/articles/abc"), ("//evil.example", "/"), ("https://evil.example", "/")] {
                let query = next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
                try await client.execute(uri: "/login?next=\(query)", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                         body: body("token=" + token)) { response in
                    #expect(response.headers[.location] == expected)
                }
            }
        }
    }

    /// The sync page lists the places this library synced with and when; an unknown place is
    /// refused (it is set up from the command line).
    @Test func remotesSayWhenTheyWereLastSynced() async throws {
        let (store, token, _, app) = try server()
        let folder = directory.path + "/shared"
        _ = try await SyncSession.sync(store, with: .folder(path: folder))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/remotes", method: .get, headers: auth(token)) { response in
                let remotes = try #require(try object(response)["remotes"] as? [[String: Any]])
                #expect(remotes.count == 1 && remotes.first?["kind"] as? String == "folder")
                #expect((remotes.first?["lastSync"] as? Int64 ?? 0) > 0)
            }
        }
    }

    @Test func conflictsListEveryValueAndResolve() async throws {
        let (store, token, article, app) = try server()
        let other = try directory.store("other", seed: 8)
        try other.apply(try store.changes(since: VersionVector()))
        let note = try store.addNote(articleID: article, text: "first")
        try other.apply(try store.changes(since: try other.versionVector()))
        try store.editAnnotation(note.id, note: "mine")
        try other.editAnnotation(note.id, note: "theirs")
        try store.apply(try other.changes(since: try store.versionVector()))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/conflicts", method: .get, headers: auth(token)) { response in
                let conflicts = try #require(try object(response)["conflicts"] as? [[String: Any]])
                #expect(conflicts.count == 1)
                let values = (conflicts.first?["siblings"] as? [[String: Any]])?.compactMap { $0["value"] as? String }
                #expect(Set(values ?? []) == ["mine", "theirs"])
            }
            try await client.execute(uri: "/api/v1/conflicts/resolve", method: .post, headers: auth(token),
                                     body: body(#"{"entityId": "\#(note.id)", "field": "note", "value": "mine and theirs"}"#)) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try store.conflicts().isEmpty)
        #expect(try store.annotation(note.id).note == "mine and theirs")
    }

    @Test func captureTakesOnlyACaptureToken() async throws {
        let (store, token, _, app) = try server()
        let capture = try store.createToken(name: "bookmarklet", scope: .capture).token
        let page = #"{"url": "https://news.example/story", "html": "<html><head><title>Story</title></head><body><article><h1>Story</h1><p>A long enough paragraph of the story to be read as its text, with more words in it.</p><p>Another paragraph follows with further words.</p></article></body></html>"}"#
        try await app.test(.router) { client in
            try await client.execute(uri: "/capture", method: .options, headers: [.origin: "https://news.example"]) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
            // The sync token is not a capture token, and a capture token opens nothing else.
            try await client.execute(uri: "/capture", method: .post, headers: auth(token), body: body(page)) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
            try await client.execute(uri: "/api/v1/articles", method: .get, headers: auth(capture)) { response in
                #expect(response.status == .unauthorized)
            }
            let first = try await client.execute(uri: "/capture", method: .post, headers: auth(capture), body: body(page)) { response in
                #expect(response.status == .created)
                let article = try #require(try object(response)["article"] as? [String: Any])
                return try #require(article["id"] as? String)
            }
            try await client.execute(uri: "/capture", method: .post, headers: auth(capture), body: body(page)) { response in
                #expect(response.status == .ok)
                let again = try object(response)["article"] as? [String: Any]
                #expect(again?["id"] as? String == first)
            }
            #expect(try store.article(first).url == "https://news.example/story")
            #expect(try store.originalRecord(of: first)?.source == "https://news.example/story", "a captured page is kept")
            #expect(try store.reextract(first).status == .unchanged)
            // The form post, for pages whose policy blocks fetch.
            let form = "token=\(capture)&url=https%3A%2F%2Fnews.example%2Fother&html=" + "<html><body><article><p>Another story: its paragraph is long enough to be taken as the article's text here.</p></article></body></html>"
                .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.execute(uri: "/capture", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: body(form)) { response in
                #expect(response.status == .created)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(String(buffer: response.body).contains("/articles/"))
            }
        }
        #expect(try store.articles().count == 3)
    }
}
