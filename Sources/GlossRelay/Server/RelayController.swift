import Foundation
import GlossCompression
import GlossCore
import GlossSync
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// The sync protocol's endpoints over a relay's storage, per library by bearer token: what
/// `gloss serve` answers (`Schema/OpenAPI/openapi.json`), so an unchanged client syncs with
/// either. Errors are JSON `{"error": {"message": …}}`.
///
/// A token reaches its own library only: every read and write is by the library its grant
/// names, and an unknown, revoked or other library's token gets the same 401.
struct RelayController: Sendable {
    let storage: any RelayStorage
    let configuration: RelayConfiguration
    let limiter: RateLimiter?
    /// Where a failure the client cannot act on is described in full (the client is told only
    /// that the relay failed: a database's message would show the relay's insides).
    let logger = Logger(label: "gloss.relay")

    init(storage: any RelayStorage, configuration: RelayConfiguration) {
        self.storage = storage
        self.configuration = configuration
        limiter = configuration.rateLimit.map { RateLimiter(rate: $0, burst: configuration.rateBurst) }
    }

    static let healthPath = SyncProtocol.prefix + "/health"
    /// Readiness: 200 when the database answers, else 503 (for a load balancer's checks).
    static let readyPath = SyncProtocol.prefix + "/ready"

    func addRoutes(to router: Router<some RequestContext>) {
        router.get(RouterPath(Self.healthPath)) { request, _ in
            try respond(HealthResponse(), to: request)
        }
        router.get(RouterPath(Self.readyPath)) { request, _ in
            do {
                try await storage.ping()
            } catch {
                throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "1"], message: "the relay's database does not answer")
            }
            return try respond(["status": "ready"], to: request)
        }
        router.get(RouterPath(SyncProtocol.prefix + "/vector")) { request, _ in
            let grant = try await authorize(request)
            let vector = try await stored { try await storage.vector(of: grant.library) }
            return try respond(VectorResponse(replica: grant.replica, name: "relay:" + grant.libraryName, versionVector: vector), to: request)
        }
        router.post(RouterPath(SyncProtocol.prefix + "/pull")) { request, _ in
            let grant = try await authorize(request)
            let pull = try await decode(PullRequest.self, from: request)
            let limit = min(max(1, pull.limit ?? configuration.maxPageChanges), configuration.maxPageChanges)
            let page = try await stored {
                try await storage.page(of: grant.library, since: pull.since, after: pull.after, limit: limit, maxBytes: configuration.maxPageBytes)
            }
            let names = try await stored { try await storage.names(of: grant.library) }
            return try respond(json: Self.pullJSON(page, names: names), to: request)
        }
        router.post(RouterPath(SyncProtocol.prefix + "/push")) { request, _ in
            let grant = try await authorize(request)
            guard !grant.readOnly else {
                throw HTTPError(.forbidden, message: "this token is read-only: it can pull and never push")
            }
            let push = try await decode(PushRequest.self, from: request)
            // An hour less lead than a store allows: a change the relay takes is one every client
            // whose clock runs up to an hour behind the relay's takes too, and no client is made
            // to refuse a whole page for up to a day.
            let now = UInt64(max(0, RelayClock.now() - 3_600_000))
            for change in push.changes {
                if let defect = Store.defect(in: change, now: now) {
                    throw HTTPError(.unprocessableContent, message: "change \(change.dot) is refused, so nothing from this push was stored: \(defect)")
                }
            }
            // Names only for replicas this push or the library holds changes of, as long as a
            // store keeps them: names are sent with every pull page, so a push of many made-up
            // ones would make every page of the library too large for its clients.
            let held = try await stored { try await storage.vector(of: grant.library) }
            let writers = Set(push.changes.map(\.dot.replica) + push.sealed.map(\.replica))
            let names = Dictionary(push.names.compactMap { key, name -> (String, String)? in
                guard let id = ReplicaID(key), writers.contains(id) || held[id] > 0 else { return nil }
                return (id.rawValue, String(name.prefix(64)))
            }, uniquingKeysWith: { first, _ in first })
            let outcome = try await stored {
                let prepared = try RelayPush.prepare(push.changes, sealed: push.sealed)
                let signers = try await Self.checkAuthorship(push.changes, in: grant.library, storage: storage)
                var outcome = try await storage.push(prepared.changes, names: names, signers: signers, to: grant.library, quota: configuration.quota)
                outcome.duplicates += prepared.repeats
                return outcome
            }
            return try respond(PushResponse(ApplyReport(applied: outcome.applied, duplicates: outcome.duplicates)), to: request)
        }
        addKeyRoutes(to: router)
        addSnapshotRoutes(to: router)
    }

    /// `work`'s result, or ``RelayError/database(_:)`` once `limit` passes without one. The work
    /// is then cancelled but not waited for: a query PostgresNIO never answers (one written to
    /// a connection that has just closed) ignores cancellation, and must not hold the request.
    static func within<T: Sendable>(_ limit: Duration, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = Outcome<T>()
        let task = Task {
            do { outcome.settle(.success(try await work())) } catch { outcome.settle(.failure(error)) }
        }
        let timer = Task {
            try? await Task.sleep(for: limit)
            outcome.settle(.failure(RelayError.database("no answer within \(limit)")))
        }
        defer {
            task.cancel()
            timer.cancel()
        }
        return try await withTaskCancellationHandler {
            try await outcome.value()
        } onCancel: {
            outcome.settle(.failure(CancellationError()))
        }
    }

    /// A result that arrives once, from whichever of several tasks settles it first.
    final class Outcome<T: Sendable>: Sendable {
        private enum State {
            case pending
            case awaited(CheckedContinuation<T, any Error>)
            case settled(Result<T, any Error>)
            case taken
        }
        private let state = Mutex<State>(.pending)

        /// Settles it with `result`, unless it was settled already.
        func settle(_ result: Result<T, any Error>) {
            let waiter = state.withLock { state -> CheckedContinuation<T, any Error>? in
                switch state {
                case .pending:
                    state = .settled(result)
                    return nil
                case .awaited(let continuation):
                    state = .taken
                    return continuation
                case .settled, .taken:
                    return nil
                }
            }
            waiter?.resume(with: result)
        }

        /// Waits for the result.
        func value() async throws -> T {
            try await withCheckedThrowingContinuation { continuation in
                let ready = state.withLock { state -> Result<T, any Error>? in
                    if case .settled(let result) = state {
                        state = .taken
                        return result
                    }
                    state = .awaited(continuation)
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        }
    }

    /// A pull page: the stored changes' bytes joined as they are, never decoded.
    static func pullJSON(_ page: StoredPage, names: [String: String]) throws -> Data {
        var json = Data(#"{"changes":["#.utf8)
        json.reserveCapacity(page.changes.reduce(64) { $0 + $1.count + 1 })
        for (i, change) in page.changes.enumerated() {
            if i > 0 { json.append(UInt8(ascii: ",")) }
            json.append(contentsOf: change)
        }
        json.append(contentsOf: Array((page.more ? #"],"more":true,"names":"# : #"],"more":false,"names":"#).utf8))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        json.append(try encoder.encode(names))
        json.append(contentsOf: Array(#","next":\#(page.next)}"#.utf8))
        return json
    }

    // MARK: - Tokens

    /// The grant of the request's bearer token. Every failure is the same 401, so a caller
    /// learns nothing of other tokens or libraries.
    func authorize(_ request: Request) async throws -> RelayGrant {
        let refused = HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer"],
                                message: "the relay does not know this token, or it was revoked: ask the relay's operator for one")
        guard let header = request.headers[.authorization], header.count > 7,
              header.prefix(7).lowercased() == "bearer " else { throw refused }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        guard !token.isEmpty, token.utf8.count <= 256 else { throw refused }
        let hash = RelayToken.hash(token)
        guard let grant = try await stored({ try await storage.grant(forHash: hash) }),
              RelayToken.constantTimeEqual(grant.hash, hash) else { throw refused }
        if let limiter, let wait = await limiter.take(grant.tokenID) {
            let seconds = max(1, Int(wait.rounded(.up)))
            throw HTTPError(.tooManyRequests, headers: [.retryAfter: String(seconds)],
                            message: "this token made more than \(configuration.rateBurst) requests at once, or more than \(configuration.rateLimit ?? 0) a second, to this relay: try again in \(seconds) s")
        }
        return grant
    }

    // MARK: - Bodies

    /// The request's body as a message of `type`: at most `limit` bytes as sent and expanded
    /// when given, else the relay's request limits.
    func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int? = nil) async throws -> T {
        try Self.decode(type, fromExpanded: try await body(of: request, limit: limit))
    }

    /// A message of `type` in `data`, a body already expanded (``body(of:limit:)``).
    static func decode<T: Decodable>(_ type: T.Type, fromExpanded data: Data) throws -> T {
        try refused { () throws(SyncRequestBody.Refusal) in
            try SyncRequestBody.decode(type, from: data, contentEncoding: nil, maxExpandedBytes: data.count)
        }
    }

    /// The request's body expanded as its Content-Encoding says, within the same limits.
    func body(of request: Request, limit: Int? = nil) async throws -> Data {
        var request = request
        let data: Data
        let tooLarge = limit.map { HTTPError(.contentTooLarge, message: "the body is larger than \($0) bytes, the most this takes") } ?? self.tooLarge
        do {
            data = Data(try await request.collectBody(upTo: limit ?? configuration.maxRequestBytes).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        let encoding = request.headers[.contentEncoding], expanded = limit ?? configuration.maxExpandedBytes
        return try Self.refused { () throws(SyncRequestBody.Refusal) in
            try SyncRequestBody.expand(data, contentEncoding: encoding, maxExpandedBytes: expanded)
        }
    }

    /// `work`'s result; a body it refused is answered with the refusal's status and message.
    private static func refused<T>(_ work: () throws(SyncRequestBody.Refusal) -> T) throws -> T {
        do {
            return try work()
        } catch {
            throw HTTPError(HTTPResponse.Status(code: error.status), headers: error.acceptEncoding.map { [.acceptEncoding: $0] } ?? [:],
                            message: error.message)
        }
    }

    private var tooLarge: HTTPError {
        HTTPError(.contentTooLarge, message: "the body is larger than \(configuration.maxRequestBytes) bytes: push fewer changes at a time")
    }

    private func respond(_ value: some Encodable, to request: Request) throws -> Response {
        try respond(json: try MessageCoding.encode(value), to: request)
    }

    /// Compresses answers of 1 KiB and more in the best coding the client accepts, and tells the
    /// client which codings it may send (RFC 7694).
    func respond(json: Data, to request: Request) throws -> Response {
        var data = json
        var headers: HTTPFields = [.contentType: "application/json", .acceptEncoding: ContentCoding.acceptHeader]
        if data.count >= ContentCoding.smallestCompressed, let coding = ContentCoding.best(accepting: request.headers[.acceptEncoding]) {
            data = try coding.compress(data)
            headers[.contentEncoding] = coding.rawValue
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Runs storage work, answering a rewritten dot with 409, a refused change with 422, and a
    /// database that fails or does not answer (within `configuration.storageTimeout`) with 503
    /// and Retry-After, for the client to retry.
    func stored<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) async throws -> T {
        do {
            return try await Self.within(configuration.storageTimeout, work)
        } catch let error as RelayError {
            switch error {
            case .rewritten, .snapshotUploadsUnderWay: throw HTTPError(.conflict, message: error.description)
            case .invalidChange, .signedByAnotherKey: throw HTTPError(.unprocessableContent, message: error.description)
            case .quotaExceeded, .snapshotOverQuota, .keysTooLarge: throw HTTPError(.contentTooLarge, message: error.description)
            case .database:
                logger.error("relay request failed: \(error)")
                throw HTTPError(.serviceUnavailable, headers: [.retryAfter: "1"],
                                message: "the relay's database failed or did not answer; nothing was changed: try again")
            default:
                logger.error("relay request failed: \(error)")
                throw HTTPError(.internalServerError, message: "the relay failed; its log says why")
            }
        } catch let error as HTTPError {
            throw error
        } catch {
            logger.error("relay request failed: \(error)")
            throw HTTPError(.internalServerError, message: "the relay failed; its log says why")
        }
    }
}
