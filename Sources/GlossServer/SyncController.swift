import Foundation
import GlossCompression
import GlossCore
import GlossSync
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// The sync protocol's endpoints. Messages are JSON (zstd or gzip when the client sends or accepts it);
/// errors are JSON `{"error": {"message": …}}` with a status that says whose fault it is.
struct SyncController: Sendable {
    let store: Store
    let configuration: ServerConfiguration
    /// Where a failure the client cannot act on is described in full (the client is told only
    /// that the server failed: a database error's text would show the server's insides).
    var logger = Logger(label: "gloss.serve")
    /// The snapshot handed to joining clients.
    let snapshots: ServedSnapshots

    init(store: Store, configuration: ServerConfiguration, logger: Logger = Logger(label: "gloss.serve")) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        snapshots = ServedSnapshots(store: store, refreshAfter: configuration.snapshotRefreshAfter, logger: logger)
    }

    static let healthPath = SyncProtocol.prefix + "/health"

    /// Every route and the statuses it answers with: what `Schema/OpenAPI/openapi.json` documents.
    static let routes: [(method: String, path: String, statuses: [Int])] = [
        ("get", healthPath, [200]),
        ("get", SyncProtocol.prefix + "/vector", [200, 401, 503]),
        ("post", SyncProtocol.prefix + "/pull", [200, 400, 401, 413, 415, 503]),
        ("post", SyncProtocol.prefix + "/push", [200, 400, 401, 409, 413, 415, 422, 503]),
        ("get", keysPath, [200, 401, 503]),
        ("put", keysPath, [200, 400, 401, 413, 415, 422, 503]),
    ]

    func addRoutes(to router: Router<some RequestContext>) {
        router.get(RouterPath(Self.healthPath)) { request, _ in
            try respond(HealthResponse(), to: request)
        }
        router.get(RouterPath(SyncProtocol.prefix + "/vector")) { request, _ in
            let vector = try await blocking {
                VectorResponse(replica: store.replicaID, name: try store.replicaName(), versionVector: try store.versionVector())
            }
            return try respond(vector, to: request)
        }
        router.post(RouterPath(SyncProtocol.prefix + "/pull")) { request, _ in
            let pull = try await decode(PullRequest.self, from: request)
            var limit = min(max(1, pull.limit ?? configuration.maxPageChanges), configuration.maxPageChanges)
            // A page whose JSON passes `maxPageBytes` is cut in half until it does not
            // (or holds one change, or one signed batch, which a page never cuts): pages are
            // counted in changes, and articles can be large.
            var previous = Int.max
            while true {
                let pageLimit = limit
                let response = try await blocking {
                    try sealedForKeyHolders(PullResponse(page: try store.changePage(since: pull.since, after: pull.after, limit: pageLimit),
                                                         names: try names()))
                }
                let count = response.changes.count + response.sealed.count
                let json = try MessageCoding.encode(response)
                if json.count <= configuration.maxPageBytes || count <= 1 || count >= previous { return try respond(json: json, to: request) }
                previous = count
                limit = count / 2
            }
        }
        router.post(RouterPath(SyncProtocol.prefix + "/push")) { request, _ in
            let push = try await decode(PushRequest.self, from: request)
            let report = try await blocking {
                let report = try store.apply(push.changes + opened(push.sealed))
                try store.learnReplicaNames(Dictionary(uniqueKeysWithValues: push.names.compactMap { key, name in
                    ReplicaID(key).map { ($0, name) }
                }))
                return report
            }
            return try respond(PushResponse(report), to: request)
        }
        addKeyRoutes(to: router)
        addOriginalsRoutes(to: router)
        addSnapshotRoutes(to: router)
    }

    private func names() throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try store.replicaNames().map { ($0.key.rawValue, $0.value) })
    }

    // MARK: - Bodies

    /// The request's body as a message of `type`: at most `limit` bytes as sent and expanded
    /// when given, else the server's request limits.
    func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int? = nil) async throws -> T {
        var request = request
        let data: Data
        do {
            data = Data(try await request.collectBody(upTo: limit ?? configuration.maxRequestBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw HTTPError(.contentTooLarge, message: limit.map { "the body is larger than \($0) bytes, the most this takes" }
                                ?? "the body is larger than \(configuration.maxRequestBytes >> 20) MiB: push fewer changes at a time")
        }
        do {
            return try SyncRequestBody.decode(type, from: data, contentEncoding: request.headers[.contentEncoding],
                                              maxExpandedBytes: limit ?? configuration.maxExpandedBytes)
        } catch {
            throw HTTPError(HTTPResponse.Status(code: error.status), headers: error.acceptEncoding.map { [.acceptEncoding: $0] } ?? [:],
                            message: error.message)
        }
    }

    /// Compresses answers of 1 KiB and more in the best coding the client accepts, and tells the
    /// client which codings it may send (RFC 7694), so a newer client pushes zstd to this server
    /// and gzip to an older one.
    func respond(_ value: some Encodable, to request: Request) throws -> Response {
        try respond(json: try MessageCoding.encode(value), to: request)
    }

    private func respond(json: Data, to request: Request) throws -> Response {
        var data = json
        var headers: HTTPFields = [.contentType: "application/json", .acceptEncoding: ContentCoding.acceptHeader]
        if data.count >= ContentCoding.smallestCompressed, let coding = ContentCoding.best(accepting: request.headers[.acceptEncoding]) {
            data = try coding.compress(data)
            headers[.contentEncoding] = coding.rawValue
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Runs blocking store work off the event loops (`StoreWork`).
    func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await StoreWork.run(logger, work)
    }
}
