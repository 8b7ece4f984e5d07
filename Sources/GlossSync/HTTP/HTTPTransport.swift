import AsyncHTTPClient
public import Foundation
public import GlossCore
import GlossCompression
import GlossWeb
import NIOCore
import NIOHTTP1

/// Sync with a `gloss serve` server: pull and push pages of changes with a bearer token.
///
/// Failures of the network or the server (a refused or dropped connection, a timeout, a 5xx)
/// are retried with backoff, since a server may be restarting, and then end the sync with one
/// clear message; a wrong token or a protocol mismatch ends it at once.
public actor HTTPTransport: Transport {
    public nonisolated let baseURL: URL
    let token: String
    /// Seconds one request may take, from sending it to the answer's last byte. A request
    /// carries one page (at most `pageSize` or `pushBatch` changes), so a whole-request limit
    /// suits it; a request that runs out of time is retried like a dropped one.
    private let timeout: Double
    private let pageSize: Int
    private let pushBatch: Int
    /// The most JSON one push of more than one change holds: `WireLimits.pageBytes`.
    private let pageBytes: Int
    private let retries: [Double]
    private let progress: (@Sendable (SyncProgress) -> Void)?
    private var names: [ReplicaID: String] = [:]
    /// Changes pulled so far, for progress.
    private var pulled = 0
    /// How request bodies are compressed: gzip, which every Gloss server reads, until a server's
    /// answer lists zstd in its Accept-Encoding (RFC 7694).
    private var requestCoding = ContentCoding.gzip
    /// An encrypted library's keys: every change pushed is sealed under the current one, and
    /// sealed changes pulled are opened. Nil for a library in the clear, which refuses a page
    /// holding sealed changes.
    let keys: Keyring?
    /// Sealed changes pulled that did not open, skipped.
    private var skipped: [SyncError] = []

    public init(url: String, token: String, keys: Keyring? = nil, pageSize: Int = 2_000, pushBatch: Int = 2_000,
                pageBytes: Int = WireLimits.pageBytes, retryDelays: [Double] = [0.2, 0.6, 1.5, 3], timeout: Double = 60,
                progress: (@Sendable (SyncProgress) -> Void)? = nil) throws {
        guard let base = Self.serverURL(url) else { throw SyncError.notAServerURL(url) }
        guard !token.isEmpty else { throw SyncError.noToken(url: base.absoluteString) }
        baseURL = base
        self.token = token
        self.pageSize = pageSize
        self.pushBatch = pushBatch
        self.pageBytes = pageBytes
        self.retries = retryDelays
        self.progress = progress
        self.timeout = timeout
        self.keys = keys
    }

    /// The server `text` names, in one spelling per server: scheme and host in lower case, no
    /// default port (80, 443), no trailing slash. It keys the token saved for the server, so
    /// `HTTP://Host:80/` and `http://host` are one server. Nil when `text` is not an http(s) URL
    /// with a host.
    public static func serverURL(_ text: String) -> URL? {
        guard var parts = URLComponents(string: text),
              let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parts.host, !host.isEmpty else { return nil }
        parts.scheme = scheme
        parts.host = host.lowercased()
        if parts.port == (scheme == "http" ? 80 : 443) { parts.port = nil }
        while parts.path.hasSuffix("/") { parts.path.removeLast() }
        return parts.url
    }

    public nonisolated var peer: String { "http:" + baseURL.absoluteString }

    // MARK: - Transport

    /// The server needs nothing remembered: a pull resumes from the store's own version vector.
    public func versionVector(remembered: [String: String]) async throws -> VersionVector {
        let response = try await send("GET", "/vector", body: Optional<PullRequest>.none, as: VectorResponse.self)
        guard response.protocolVersion == SyncProtocol.version else {
            throw SyncError.protocolMismatch(url: baseURL.absoluteString, server: response.protocolVersion)
        }
        names[response.replica] = response.name
        return response.versionVector
    }

    /// One page from the server. The cursor is the server's log position after the last page.
    public func pull(since vector: VersionVector, from cursor: PullCursor, remembered: [String: String]) async throws -> PulledPage {
        let page = try await send("POST", "/pull", body: PullRequest(since: vector, after: cursor.position, limit: pageSize), as: PullResponse.self)
        if let defect = ReceivedChanges.defect(in: page.changes) {
            let url = baseURL.appendingPathComponent(SyncProtocol.prefix + "/pull").absoluteString
            throw SyncError.badAnswer(url: url, status: 200, defect: .invalid(detail: defect.description))
        }
        let changes = accepted(page.changes) + (try opened(page.sealed))
        for (key, name) in page.names { if let id = ReplicaID(key) { names[id] = name } }
        pulled = cursor == .start ? changes.count : pulled + changes.count
        progress?(SyncProgress(phase: .pulling, done: pulled, more: page.more))
        let next = page.more && page.next > cursor.position ? PullCursor(position: page.next) : nil
        return PulledPage(changes: changes, next: next)
    }

    /// The plaintext changes of a page this replica may apply: all of them for a library in the
    /// clear; for an encrypted one only those written before it was encrypted
    /// (``SealedBounds``), so a server's operator cannot add changes by sending them in the
    /// clear. The others are skipped, each named in a warning.
    private func accepted(_ plain: [Change]) -> [Change] {
        guard let keys, !plain.isEmpty else { return plain }
        var taken: [Change] = []
        taken.reserveCapacity(plain.count)
        for change in plain {
            if keys.acceptsPlaintext(change.dot) {
                taken.append(change)
            } else {
                skipped.append(.sealedChangeSkipped(place: baseURL.absoluteString, replica: change.dot.replica.rawValue,
                                                    counter: change.dot.counter, problem: .inTheClear))
            }
        }
        return taken
    }

    /// The changes inside `sealed`; one that does not open is skipped and named in a warning.
    /// - Throws: `SyncError.libraryEncrypted` when this replica holds no key.
    private func opened(_ sealed: [SealedChange]) throws -> [Change] {
        guard !sealed.isEmpty else { return [] }
        guard let keys else { throw SyncError.libraryEncrypted(place: baseURL.absoluteString) }
        let now = StoreEnvironment.live.now()
        var changes: [Change] = []
        changes.reserveCapacity(sealed.count)
        for box in sealed {
            do throws(SealedChangeProblem) {
                let change = try box.open(with: keys)
                if let defect = Store.defect(in: change, now: now) { throw .invalid(defect) }
                changes.append(change)
            } catch {
                skipped.append(.sealedChangeSkipped(place: baseURL.absoluteString, replica: box.replica.rawValue,
                                                    counter: box.counter, problem: error))
            }
        }
        return changes
    }

    /// Pushes `changes` in batches of `pushBatch`, each halved while its JSON would pass
    /// `pageBytes`.
    /// An encrypted library's changes go sealed, with no replica names (a relay's operator would
    /// read them); a server that refuses them ends the sync: nothing is sent in the clear instead.
    public func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> PushReceipt {
        var total = PushReceipt()
        let wireNames = keys != nil ? [:] : Dictionary(uniqueKeysWithValues: names.map { ($0.key.rawValue, $0.value) })
        var offset = 0
        while offset < changes.count {
            // A push never cuts a signed batch: the server checks each batch whole.
            var batch = Array(changes[offset..<(offset + Array(changes[offset...]).batchSafeCut(atMost: pushBatch))])
            let sealed = try keys.map { keys in try batch.map { try SealedChange(sealing: $0, under: keys.sealing) } }
            func body() -> [UInt8] {
                guard let sealed else { return WireJSON.encode(PushRequest(changes: batch, names: wireNames)) }
                return WireJSON.encode(PushRequest(changes: [], sealed: Array(sealed.prefix(batch.count)), names: wireNames))
            }
            var json = body()
            while json.count > pageBytes, batch.count > 1, batch.batchSafeCut(atMost: batch.count / 2) < batch.count {
                batch.removeLast(batch.count - batch.batchSafeCut(atMost: batch.count / 2))
                json = body()
            }
            let response: PushResponse
            do {
                response = try await send("POST", "/push", json: Data(json), as: PushResponse.self)
            } catch SyncError.rejected(_, let status, let says) where keys != nil && (status == 400 || status == 422) {
                throw SyncError.sealingRefused(url: baseURL.absoluteString, serverSays: says)
            }
            total.applied += response.applied
            total.duplicates += response.duplicates
            total.newConflicts += response.newConflicts
            offset += batch.count
            progress?(SyncProgress(phase: .pushing, done: offset, more: offset < changes.count))
        }
        return total
    }

    public func replicaNames() async throws -> [ReplicaID: String] { names }

    public func warnings() async -> [SyncError] { skipped }

    // MARK: - Requests

    func send<Body: Encodable, Reply: Decodable>(_ method: String, _ path: String, body: Body?, as: Reply.Type) async throws -> Reply {
        try await send(method, path, json: try body.map(MessageCoding.encode), as: Reply.self)
    }

    /// Sends `json` as the request's body (compressed when it is large enough), and reads the answer.
    func send<Reply: Decodable>(_ method: String, _ path: String, json: Data?, as: Reply.Type) async throws -> Reply {
        let url = baseURL.appendingPathComponent(SyncProtocol.prefix + path)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: ContentCoding.acceptHeader)
        if var data = json {
            if data.count >= ContentCoding.smallestCompressed {
                data = try requestCoding.compress(data)
                request.headers.add(name: "Content-Encoding", value: requestCoding.rawValue)
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        let prepared = request
        var attempt = 0
        while true {
            do {
                let answer = try await WebClient.send(prepared, bodyLimit: Self.largestAnswer, deadline: WebClient.deadline(after: timeout))
                let status = answer.status
                if status == 200 { requestCoding = ContentCoding.best(accepting: answer.headers.first(name: "Accept-Encoding")) ?? .gzip }
                let payload = try Self.payload(of: answer, from: url)
                switch status {
                case 200:
                    do {
                        return try MessageCoding.decode(Reply.self, from: payload)
                    } catch let error as WireJSON.Malformed {
                        throw SyncError.badAnswer(url: url.absoluteString, status: status, defect: .invalid(detail: error.description))
                    } catch DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty {
                        throw SyncError.badAnswer(url: url.absoluteString, status: status, defect: .invalid(detail: context.debugDescription))
                    } catch {
                        throw SyncError.badAnswer(url: url.absoluteString, status: status, defect: .notAGlossMessage)
                    }
                case 401:
                    throw SyncError.unauthorized(url: baseURL.absoluteString, serverSays: message(payload))
                case 404:
                    throw SyncError.protocolMismatch(url: baseURL.absoluteString, server: nil)
                case 500...599:
                    throw Transient.server(status, message(payload), retryAfter: Self.retryAfter(answer.headers.first(name: "Retry-After")))
                case 429:
                    // Too many requests: worth waiting for when the server says it is soon; a
                    // longer wait (or none named) ends the sync with the server's message.
                    guard let wait = Self.retryAfter(answer.headers.first(name: "Retry-After")), wait <= Self.longestRateWait else {
                        throw SyncError.rejected(url: url.absoluteString, status: status, serverSays: message(payload))
                    }
                    throw Transient.server(status, message(payload), retryAfter: wait)
                default:
                    throw SyncError.rejected(url: url.absoluteString, status: status, serverSays: message(payload))
                }
            } catch let error as SyncError {
                throw error
            } catch {
                // A dropped connection, a timeout, a 5xx, a short 429: retry, then give up with a clear message.
                guard attempt < retries.count else {
                    if case Transient.server(let status, let text, _) = error {
                        throw SyncError.rejected(url: url.absoluteString, status: status, serverSays: text)
                    }
                    throw SyncError.unreachable(url: baseURL.absoluteString, failure: WebClient.failure(error))
                }
                // A busy server says when to come back; never sooner than this client's own wait.
                var delay = retries[attempt]
                if case Transient.server(_, _, let retryAfter?) = error { delay = max(delay, retryAfter) }
                try await Task.sleep(for: .seconds(delay))
                attempt += 1
            }
        }
    }

    private enum Transient: Error { case server(Int, String, retryAfter: Double?) }

    /// The longest Retry-After of a 429 this client waits out; past it, the sync ends and says why.
    static let longestRateWait: Double = 10

    /// The seconds a Retry-After header asks for (RFC 9110: whole seconds; an HTTP date is not
    /// read), at most 30, so a hostile or broken server cannot park a sync.
    static func retryAfter(_ header: String?) -> Double? {
        guard let header, let seconds = Int(header.trimmingCharacters(in: .whitespaces)), seconds >= 0 else { return nil }
        return Double(min(seconds, 30))
    }

    /// The most an answer may be, as sent and expanded.
    private static let largestAnswer = WireLimits.maxExpandedBytes

    /// An answer's body, expanded as its Content-Encoding says. A body that is not whole data in
    /// its coding ends the sync at once: asking again would bring the same bytes.
    private static func payload(of answer: WebClient.Answer, from url: URL) throws -> Data {
        let data = Data(answer.body.readableBytesView)
        let defective = { (defect: AnswerDefect) in SyncError.badAnswer(url: url.absoluteString, status: answer.status, defect: defect) }
        let coding: ContentCoding?
        do {
            coding = try ContentCoding.named(answer.headers.first(name: "Content-Encoding"))
        } catch {
            throw defective(.unknownCoding(error.name))
        }
        guard let coding else { return data }
        do {
            return try coding.expand(data, limit: largestAnswer)
        } catch .tooLarge {
            throw defective(.expandsTooFar(limit: largestAnswer))
        } catch {
            throw defective(.damaged(coding: coding.rawValue))
        }
    }

    func message(_ data: Data) -> String {
        (try? JSONDecoder().decode(ErrorResponse.self, from: data))?.error.message
            ?? String(decoding: data.prefix(200), as: UTF8.self)
    }
}

/// How far a long sync has got, for a progress line.
public struct SyncProgress: Sendable {
    public enum Phase: Sendable { case pulling, pushing }
    public var phase: Phase
    public var done: Int
    public var more: Bool
}

