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
    private let token: String
    /// Seconds one request may take, from sending it to the answer's last byte. A request
    /// carries one page (at most `pageSize` or `pushBatch` changes), so a whole-request limit
    /// suits it; a request that runs out of time is retried like a dropped one.
    private let timeout: Double
    private let pageSize: Int
    private let pushBatch: Int
    private let retries: [Double]
    private let progress: (@Sendable (SyncProgress) -> Void)?
    private var names: [ReplicaID: String] = [:]
    /// How request bodies are compressed: gzip, which every Gloss server reads, until a server's
    /// answer lists zstd in its Accept-Encoding (RFC 7694).
    private var requestCoding = ContentCoding.gzip

    public init(url: String, token: String, pageSize: Int = 2_000, pushBatch: Int = 2_000,
                retryDelays: [Double] = [0.2, 0.6, 1.5, 3], timeout: Double = 60,
                progress: (@Sendable (SyncProgress) -> Void)? = nil) throws {
        guard let base = URL(string: url.hasSuffix("/") ? String(url.dropLast()) : url),
              let scheme = base.scheme?.lowercased(), scheme == "http" || scheme == "https", base.host != nil else {
            throw SyncError.unreachable(url: url, reason: "not an http(s) URL")
        }
        guard !token.isEmpty else {
            throw SyncError.unauthorized(url: url, reason: "no token: pass --token, set GLOSS_TOKEN, or save one for this server with --token once")
        }
        baseURL = base
        self.token = token
        self.pageSize = pageSize
        self.pushBatch = pushBatch
        self.retries = retryDelays
        self.progress = progress
        self.timeout = timeout
    }

    /// The key a store records this server's sync state under.
    public nonisolated var peerKey: String { "http:" + baseURL.absoluteString }

    // MARK: - Transport

    public func versionVector() async throws -> VersionVector {
        let response = try await send("GET", "/vector", body: Optional<PullRequest>.none, as: VectorResponse.self)
        guard response.protocolVersion == SyncProtocol.version else {
            throw SyncError.protocolMismatch(url: baseURL.absoluteString, server: response.protocolVersion)
        }
        names[response.replica] = response.name
        return response.versionVector
    }

    public func changes(since vector: VersionVector) async throws -> [Change] {
        let collected = Collected()
        try await pull(since: vector) { changes, _ in collected.append(changes) }
        return collected.all
    }

    public func pull(since vector: VersionVector, into apply: @Sendable ([Change], SyncCheckpoint?) async throws -> Void) async throws {
        var after: Int64 = 0
        var received = 0
        while true {
            let page = try await send("POST", "/pull", body: PullRequest(since: vector, after: after, limit: pageSize), as: PullResponse.self)
            for (key, name) in page.names { if let id = ReplicaID(key) { names[id] = name } }
            received += page.changes.count
            try await apply(page.changes, SyncCheckpoint(peer: peerKey, values: ["pulled-through": String(page.next)]))
            progress?(SyncProgress(phase: .pulling, done: received, more: page.more))
            guard page.more, page.next > after else { return }
            after = page.next
        }
    }

    public func push(_ changes: [Change], names: [ReplicaID: String]) async throws -> ApplyReport {
        var total = ApplyReport()
        let wireNames = Dictionary(uniqueKeysWithValues: names.map { ($0.key.rawValue, $0.value) })
        var offset = 0
        while offset < changes.count {
            let batch = Array(changes[offset..<min(changes.count, offset + pushBatch)])
            let response = try await send("POST", "/push", body: PushRequest(changes: batch, names: wireNames), as: PushResponse.self)
            total.applied += response.applied
            total.duplicates += response.duplicates
            total.newConflicts += response.newConflicts
            offset += batch.count
            progress?(SyncProgress(phase: .pushing, done: offset, more: offset < changes.count))
        }
        return total
    }

    public func replicaNames() async throws -> [ReplicaID: String] { names }

    // MARK: - Requests

    private func send<Body: Encodable, Reply: Decodable>(_ method: String, _ path: String, body: Body?, as: Reply.Type) async throws -> Reply {
        let url = baseURL.appendingPathComponent(SyncProtocol.prefix + path)
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: ContentCoding.acceptHeader)
        if let body {
            var data = try MessageCoding.encode(body)
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
                    } catch {
                        throw SyncError.rejected(url: url.absoluteString, status: status, message: "the server's answer is not a Gloss message (is this a Gloss server?)")
                    }
                case 401:
                    throw SyncError.unauthorized(url: baseURL.absoluteString, reason: message(payload))
                case 404:
                    throw SyncError.protocolMismatch(url: baseURL.absoluteString, server: nil)
                case 500...599:
                    throw Transient.server(status, message(payload))
                default:
                    throw SyncError.rejected(url: url.absoluteString, status: status, message: message(payload))
                }
            } catch let error as SyncError {
                throw error
            } catch {
                // A dropped connection, a timeout, a 5xx: retry, then give up with a clear message.
                guard attempt < retries.count else {
                    if case Transient.server(let status, let text) = error {
                        throw SyncError.rejected(url: url.absoluteString, status: status, message: text)
                    }
                    throw SyncError.unreachable(url: baseURL.absoluteString, reason: Self.reason(WebClient.failure(error)))
                }
                try await Task.sleep(for: .seconds(retries[attempt]))
                attempt += 1
            }
        }
    }

    private enum Transient: Error { case server(Int, String) }

    /// The most an answer may be, as sent and expanded.
    private static let largestAnswer = 1 << 30

    /// An answer's body, expanded as its Content-Encoding says. A body that is not whole data in
    /// its coding ends the sync at once: asking again would bring the same bytes.
    private static func payload(of answer: WebClient.Answer, from url: URL) throws -> Data {
        let data = Data(answer.body.readableBytesView)
        let rejected = { (text: String) in SyncError.rejected(url: url.absoluteString, status: answer.status, message: text) }
        let coding: ContentCoding?
        do {
            coding = try ContentCoding.named(answer.headers.first(name: "Content-Encoding"))
        } catch {
            throw rejected("the answer is in '\(error.name)', which this version of Gloss does not read")
        }
        guard let coding else { return data }
        do {
            return try coding.expand(data, limit: largestAnswer)
        } catch .tooLarge {
            throw rejected("the answer expands past \(largestAnswer >> 20) MiB")
        } catch {
            throw rejected("the answer says \(coding.rawValue) but is not whole \(coding.rawValue) data")
        }
    }

    private func message(_ data: Data) -> String {
        (try? JSONDecoder().decode(ErrorResponse.self, from: data))?.error.message
            ?? String(decoding: data.prefix(200), as: UTF8.self)
    }

    private static func reason(_ failure: WebClient.Failure) -> String {
        switch failure {
        case .refused: "nothing answers there (is 'gloss serve' running, and is the port right?)"
        case .insecure: failure.reason + " (check the https address and the server's certificate)"
        default: failure.reason
        }
    }
}

/// How far a long sync has got, for a progress line.
public struct SyncProgress: Sendable {
    public enum Phase: Sendable { case pulling, pushing }
    public var phase: Phase
    public var done: Int
    public var more: Bool
}

