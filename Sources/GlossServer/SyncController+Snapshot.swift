import Foundation
import GlossCore
import GlossSync
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// A snapshot of this server's store for a joining client (`GET /v1/snapshot`), so an empty
/// store starts from the server's state and pulls only what came after, and what that snapshot
/// holds (`GET /v1/snapshot/info`). It is the shared folder's snapshot file (Schema/Snapshot.md),
/// sealed (format 2) under the library's current key when the library is encrypted, as the
/// pages of a pull are; made by ``ServedSnapshots`` and streamed from its file.
extension SyncController {
    static let snapshotPath = SyncProtocol.prefix + "/snapshot"
    static let snapshotInfoPath = snapshotPath + "/info"

    static let snapshotRoutes: [(method: String, path: String, statuses: [Int])] = [
        ("get", snapshotPath, [200, 401, 404, 503]),
        ("get", snapshotInfoPath, [200, 401, 503]),
    ]

    func addSnapshotRoutes(to router: Router<some RequestContext>) {
        router.get(RouterPath(Self.snapshotPath)) { _, _ in
            let (vector, keys) = try await blocking { (try store.versionVector(), try keyring()) }
            guard !vector.isEmpty else { throw HTTPError(.notFound, message: "this server holds no changes yet, so it has no snapshot to offer") }
            let file: ServedSnapshots.File, handle: FileHandle
            do {
                (file, handle) = try await snapshots.open(holding: vector, keys: keys)
            } catch where Store.isBusy(error) {
                throw HTTPError(.serviceUnavailable, headers: [.retryAfter: String(StoreWork.retryAfterSeconds)],
                                message: "the library is busy with another write: try again in \(StoreWork.retryAfterSeconds) s")
            } catch {
                logger.error("cannot make a snapshot to serve: \(error)")
                throw HTTPError(.internalServerError, message: "the server could not make its snapshot; its log says why")
            }
            let headers: HTTPFields = [.contentType: ServerSnapshot.mediaType,
                                       HTTPField.Name(ServerSnapshot.digestHeader)!: ServerSnapshot.digestValue(file.sha256)]
            return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: file.bytes) { writer in
                defer { try? handle.close() }
                var sent = 0
                while sent < file.bytes {
                    let wanted = min(1 << 20, file.bytes - sent)
                    let chunk = try await NIOThreadPool.singleton.runIfActive { try handle.read(upToCount: wanted) ?? Data() }
                    guard !chunk.isEmpty else { throw SyncError.snapshotInvalid(file: file.url.path, problem: "it ended before its size") }
                    try await writer.write(ByteBuffer(bytes: chunk))
                    sent += chunk.count
                }
                try await writer.finish(nil)
            })
        }
        router.get(RouterPath(Self.snapshotInfoPath)) { request, _ in
            let offer = await snapshots.newest().map { OfferedSnapshot(header: $0.header, bytes: $0.bytes, sha256: $0.sha256) }
            return try respond(SnapshotOffer(snapshot: offer, uploads: false), to: request)
        }
    }
}
