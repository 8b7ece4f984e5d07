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
import NIOCore
import Testing

/// Every endpoint and error, through the router (no sockets).
@Suite struct RouterTests {
    let directory = TemporaryDirectory()

    func server(_ configuration: ServerConfiguration = ServerConfiguration()) throws -> (Store, String, some ApplicationProtocol) {
        let store = try directory.store("server", seed: 9)
        let token = try store.createToken(name: "test").token
        let app = buildApplication(store: store, configuration: configuration, logger: .init(label: "test"))
        return (store, token, app)
    }

    func client(changes count: Int) throws -> Store {
        let client = try directory.store("client", seed: 3)
        let id = try client.addArticle(ExtractedArticle(title: "T", text: sampleText, format: .plainText)).id
        for i in 0..<max(0, count - 1) { _ = try client.addNote(articleID: id, text: "note \(i)") }
        return client
    }

    func json(_ value: some Encodable) throws -> ByteBuffer { ByteBuffer(bytes: try JSONEncoder().encode(value)) }

    func auth(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)", .contentType: "application/json"] }

    @Test func healthNeedsNoTokenAndEverythingElseDoes() async throws {
        let (_, token, app) = try server()
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/health", method: .get) { response in
                #expect(response.status == .ok)
                let health = try JSONDecoder().decode(HealthResponse.self, from: Data(response.body.readableBytesView))
                #expect(health.protocolVersion == 1)
            }
            for headers: HTTPFields in [[:], [.authorization: "Bearer wrong"], [.authorization: "Basic abc"], [.authorization: "Bearer " + token + "x"]] {
                try await client.execute(uri: "/v1/vector", method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] != nil)
                    let error = try JSONDecoder().decode(ErrorResponse.self, from: Data(response.body.readableBytesView))
                    #expect(error.error.message.contains("token"))
                }
            }
            try await client.execute(uri: "/v1/vector", method: .get, headers: auth(token)) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func pushIsIdempotentAndPullPages() async throws {
        let (store, token, app) = try server()
        let source = try client(changes: 25)
        // Batches of one change, so pages of 10 need not run on to close a batch.
        try source.signOwnChanges(batchLength: 1)
        let changes = try source.changes(since: VersionVector())
        try await app.test(.router) { client in
            for expected in [(25, 0), (0, 25)] {
                try await client.execute(uri: "/v1/push", method: .post, headers: auth(token),
                                         body: try json(PushRequest(changes: changes, names: [source.replicaID.rawValue: "client"]))) { response in
                    #expect(response.status == .ok)
                    let reply = try JSONDecoder().decode(PushResponse.self, from: Data(response.body.readableBytesView))
                    #expect((reply.applied, reply.duplicates) == expected)
                }
            }
            var after: Int64 = 0
            var pulled: [Change] = []
            var pages = 0
            while true {
                let page = try await client.execute(uri: "/v1/pull", method: .post, headers: auth(token),
                                                    body: try json(PullRequest(since: VersionVector(), after: after, limit: 10))) { response in
                    #expect(response.status == .ok)
                    return try JSONDecoder().decode(PullResponse.self, from: Data(response.body.readableBytesView))
                }
                pulled += page.changes
                pages += 1
                #expect(page.names[source.replicaID.rawValue] == "client")
                guard page.more else { break }
                after = page.next
            }
            #expect(pages == 3 && pulled == changes)
        }
        #expect(try store.digest() == source.digest())
    }

    /// A client may send and accept either coding; every answer lists both, and an answer is
    /// compressed in the best one the client accepts.
    @Test(arguments: ContentCoding.allCases)
    func compressedBothWays(_ coding: ContentCoding) async throws {
        let (_, token, app) = try server()
        let source = try client(changes: 40)
        let body = try coding.compress(try JSONEncoder().encode(PushRequest(changes: try source.changes(since: VersionVector()), names: [:])))
        #expect(ContentCoding.detect(body) == coding)
        try await app.test(.router) { client in
            var headers = auth(token)
            headers[.contentEncoding] = coding.rawValue
            try await client.execute(uri: "/v1/push", method: .post, headers: headers, body: ByteBuffer(bytes: body)) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.acceptEncoding] == "zstd, gzip")
            }
            headers = auth(token)
            headers[.acceptEncoding] = coding == .zstd ? "gzip;q=0.5, zstd" : "zstd;q=0, gzip"
            try await client.execute(uri: "/v1/pull", method: .post, headers: headers,
                                     body: try json(PullRequest(since: VersionVector()))) { response in
                #expect(response.headers[.contentEncoding] == coding.rawValue)
                let reply = try JSONDecoder().decode(PullResponse.self, from: try coding.expand(Data(response.body.readableBytesView), limit: 1 << 24))
                #expect(reply.changes.count == 40)
            }
        }
    }

    @Test func badBodiesAreRejectedWithAClearJSONError() async throws {
        let (store, token, app) = try server(ServerConfiguration(maxRequestBytes: 4_000, maxExpandedBytes: 8_000))
        let source = try client(changes: 60)
        let big = try JSONEncoder().encode(PushRequest(changes: try source.changes(since: VersionVector()), names: [:]))
        var broken = try source.changes(since: VersionVector())[0].unsigned
        broken.dot.counter = 0
        let invalid = broken
        try await app.test(.router) { client in
            let expands = big + Data(repeating: 32, count: 20_000)
            // A push the server would take, were its coding ignored: a coding must be read, not skipped.
            let valid = try JSONEncoder().encode(PushRequest(changes: [], names: [:]))
            let cases: [(body: ByteBuffer, coding: String?, status: HTTPResponse.Status, says: String?)] = [
                (ByteBuffer(string: "{not json"), nil, .badRequest, "not a valid"),
                (ByteBuffer(string: "not gzip at all"), "gzip", .badRequest, "not whole gzip"),
                (ByteBuffer(string: "not zstd at all"), "zstd", .badRequest, "not whole zstd"),
                (ByteBuffer(bytes: try ContentCoding.zstd.compress(valid).dropLast(2)), "zstd", .badRequest, "not whole zstd"),
                (ByteBuffer(bytes: valid), "br", .unsupportedMediaType, "'br'"),
                (ByteBuffer(bytes: big), nil, .contentTooLarge, "larger than"),
                (ByteBuffer(bytes: try ContentCoding.gzip.compress(expands)), "gzip", .contentTooLarge, "gzip body expands past"),
                (ByteBuffer(bytes: try ContentCoding.zstd.compress(expands)), "zstd", .contentTooLarge, "zstd body expands past"),
                (try json(PushRequest(changes: [invalid], names: [:])), nil, .unprocessableContent, nil),
            ]
            for (body, coding, status, says) in cases {
                var headers = auth(token)
                if let coding { headers[.contentEncoding] = coding }
                try await client.execute(uri: "/v1/push", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == status)
                    let error = try JSONDecoder().decode(ErrorResponse.self, from: Data(response.body.readableBytesView))
                    #expect(!error.error.message.isEmpty)
                    if let says { #expect(error.error.message.contains(says), "\(error.error.message)") }
                    if status == .unsupportedMediaType { #expect(response.headers[.acceptEncoding] == "zstd, gzip") }
                }
            }
            // The same valid push, with a coding it is in, is taken: what was refused above was the coding.
            var headers = auth(token)
            headers[.contentEncoding] = "zstd"
            try await client.execute(uri: "/v1/push", method: .post, headers: headers,
                                     body: ByteBuffer(bytes: try ContentCoding.zstd.compress(valid))) { response in
                #expect(response.status == .ok)
            }
        }
        #expect(try store.status().counts.changes == 0)
    }

    /// `Schema/OpenAPI/openapi.json` documents exactly the routes the server has (sync, the
    /// reader's API and capture; and the relay's own, marked as such), with the statuses each answers with, and what each needs: the
    /// health check and capture's CORS preflight nothing, capture a capture token, every other
    /// route the document's default, the bearer token.
    @Test func openAPIDocumentMatchesTheServer() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Schema/OpenAPI/openapi.json").standardizedFileURL
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        // An operation marked `x-gloss-relay-only` is the relay's alone (GlossRelayTests check it).
        let documented = Set(paths.flatMap { path, operations in
            operations.filter { methods.contains($0.key) && ($0.value as? [String: Any])?["x-gloss-relay-only"] as? Bool != true }
                .map { "\($0.key) \(path)" }
        })
        let routes = SyncController.routes + SyncController.originalsRoutes + SyncController.snapshotRoutes + APIController.routes
            + CaptureController.routes
        #expect(documented == Set(routes.map { "\($0.method) \($0.path)" }))
        #expect(document["security"] as? [[String: [String]]] == [["bearer": []]])
        let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
        #expect(Set(schemes?.keys.map { $0 } ?? []) == ["bearer", "capture"])
        for route in routes {
            let operation = try #require(paths[route.path]?[route.method] as? [String: Any], "\(route.method) \(route.path)")
            let statuses = Set((operation["responses"] as? [String: Any] ?? [:]).keys.compactMap(Int.init))
            #expect(statuses == Set(route.statuses), "\(route.method) \(route.path)")
            let security = operation["security"] as? [[String: [String]]]
            let expected: [[String: [String]]]? = switch (route.method, route.path) {
            case ("get", SyncController.healthPath), ("options", CaptureController.path): []
            case ("post", CaptureController.path): [["capture": []]]
            default: nil
            }
            #expect(security == expected, "\(route.method) \(route.path)")
        }
    }
}
