import AsyncHTTPClient
import Foundation
import GlossWeb
import NIOCore
import NIOHTTP1
#if canImport(Glibc)
import Glibc
#endif

/// Snapshots through a server (`/v1/snapshot`, ``ServerSnapshot``): the bytes only. A server
/// without the route (an older Gloss) has none to offer and takes none.
extension HTTPTransport {
    /// Seconds a snapshot's download or upload may take in all.
    static let snapshotTimeout: Double = 3_600

    nonisolated var snapshotURL: URL { baseURL.appendingPathComponent(SyncProtocol.prefix + "/snapshot") }

    /// Downloads the server's snapshot into a new file at `path` (0600), streamed, at most
    /// `limit` bytes, and checks it against the SHA-256 the server sent, which it returns. Nil
    /// when the server has none to offer (404); a file left at `path` by a failure is the
    /// caller's to remove.
    /// - Throws: `SyncError.unauthorized`; `SyncError.snapshotInvalid` for a snapshot too large,
    ///   cut short or damaged on the way; `SyncError.unreachable` or `.rejected` when the
    ///   download fails.
    public func downloadSnapshot(to path: String, limit: Int = ServerSnapshot.maxDownloadBytes) async throws -> [UInt8]? {
        let url = snapshotURL
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: ServerSnapshot.mediaType)
        let answer: WebClient.Download
        do {
            answer = try await WebClient.download(request, to: path, bodyLimit: limit, deadline: WebClient.deadline(after: Self.snapshotTimeout))
        } catch is NIOTooManyBytesError {
            throw SyncError.snapshotInvalid(file: url.absoluteString, problem: "it is larger than \(limit) bytes, the most this client takes")
        } catch let error as WebClient.FileFailure {
            throw SyncError.snapshotInvalid(file: url.absoluteString,
                                            problem: "it could not be written beside the store (\(String(cString: strerror(error.code))))")
        } catch {
            throw SyncError.unreachable(url: baseURL.absoluteString, failure: WebClient.failure(error))
        }
        switch answer.status {
        case 200:
            break
        case 404:
            return nil
        case 401:
            throw SyncError.unauthorized(url: baseURL.absoluteString, serverSays: message(Data(answer.body.readableBytesView)))
        default:
            throw SyncError.rejected(url: url.absoluteString, status: answer.status, serverSays: message(Data(answer.body.readableBytesView)))
        }
        guard let expected = ServerSnapshot.sha256(inDigest: answer.headers.first(name: ServerSnapshot.digestHeader)) else {
            throw SyncError.snapshotInvalid(file: url.absoluteString, problem: "the server sent no SHA-256 of it")
        }
        let (bytes, sha256) = (answer.bytes, answer.sha256)
        if let announced = answer.headers.first(name: "Content-Length").flatMap(Int.init), announced != bytes {
            throw SyncError.snapshotInvalid(file: url.absoluteString, problem: "it was cut short (\(bytes) of \(announced) bytes)")
        }
        guard sha256 == expected else {
            throw SyncError.snapshotInvalid(file: url.absoluteString, problem: "its bytes do not match the SHA-256 the server sent (damaged on the way)")
        }
        return sha256
    }

    /// What the server says of its newest snapshot; nil from a server without snapshots.
    public func snapshotOffer() async throws -> SnapshotOffer? {
        do {
            return try await send("GET", "/snapshot/info", body: Optional<PullRequest>.none, as: SnapshotOffer.self)
        } catch SyncError.protocolMismatch(_, nil) {
            return nil
        }
    }

    /// Uploads the snapshot file at `path` (of `bytes` bytes, whose SHA-256 is `sha256`) to a
    /// server that keeps its clients' snapshots (a relay), streamed from the file. Returns
    /// what the server now offers.
    /// - Throws: `SyncError.rejected` when the server refuses it (too large, damaged on the
    ///   way, a read-only token), `SyncError.unreachable`.
    public func uploadSnapshot(fileAt path: String, bytes: Int, sha256: [UInt8]) async throws -> SnapshotOffer {
        let url = baseURL.appendingPathComponent(SyncProtocol.prefix + "/snapshots")
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Content-Type", value: ServerSnapshot.mediaType)
        request.headers.add(name: ServerSnapshot.digestHeader, value: ServerSnapshot.digestValue(sha256))
        request.body = .stream(FileChunks(path: path), length: .known(Int64(bytes)))
        let answer: WebClient.Answer
        do {
            answer = try await WebClient.send(request, bodyLimit: 1 << 20, deadline: WebClient.deadline(after: Self.snapshotTimeout))
        } catch {
            throw SyncError.unreachable(url: baseURL.absoluteString, failure: WebClient.failure(error))
        }
        let payload = Data(answer.body.readableBytesView)
        switch answer.status {
        case 200:
            guard let offer = try? MessageCoding.decode(SnapshotOffer.self, from: payload) else {
                throw SyncError.badAnswer(url: url.absoluteString, status: 200, defect: .notAGlossMessage)
            }
            return offer
        case 401:
            throw SyncError.unauthorized(url: baseURL.absoluteString, serverSays: message(payload))
        default:
            throw SyncError.rejected(url: url.absoluteString, status: answer.status, serverSays: message(payload))
        }
    }
}

/// A file's bytes as a request body, a megabyte at a time.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String

    struct AsyncIterator: AsyncIteratorProtocol {
        var handle: FileHandle?
        var finished = false
        let path: String

        mutating func next() async throws -> ByteBuffer? {
            guard !finished else { return nil }
            if handle == nil {
                guard let opened = FileHandle(forReadingAtPath: path) else { throw SyncError.snapshotInvalid(file: path, problem: "it cannot be read") }
                handle = opened
            }
            guard let chunk = try handle?.read(upToCount: 1 << 20), !chunk.isEmpty else {
                finished = true
                try? handle?.close()
                return nil
            }
            return ByteBuffer(bytes: chunk)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(path: path) }
}
