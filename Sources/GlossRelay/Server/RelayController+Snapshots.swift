import Crypto
import Foundation
import GlossCore
import GlossSync
import HTTPTypes
import Hummingbird
import NIOCore

/// Snapshots a library's replicas upload (`POST /v1/snapshots`), kept as opaque chunks, and the
/// newest handed to any reader of the library (`GET /v1/snapshot`, and what it holds at
/// `GET /v1/snapshot/info`), so a new replica starts from it and pulls only what came after.
/// The relay reads the file's header line (routing data: writer, version vector, format, key
/// id) to check that it is a snapshot's and to say what it holds; never its body, which is
/// sealed when the library is encrypted. An upload streams into the database a chunk at a time,
/// is checked against the SHA-256 its `Repr-Digest` gives, and becomes the newest only once
/// whole; the library keeps its newest `snapshotsKept`.
extension RelayController {
    static let snapshotPath = SyncProtocol.prefix + "/snapshot"
    static let snapshotInfoPath = snapshotPath + "/info"
    static let uploadPath = SyncProtocol.prefix + "/snapshots"
    /// The longest header line an upload may have: a client's lists no bundles, so it is a few
    /// kilobytes and a line per replica.
    static let maxHeaderBytes = 1 << 20
    /// How many uploads of one library may be under way at once: each holds up to
    /// `maxSnapshotBytes` until it is finished or abandoned.
    static let uploadsAtOnce = 2
    /// An upload not finished within this long (ms) is abandoned, and removed by a later one.
    static let abandonedAfter: Int64 = 3_600_000

    /// The snapshot routes and their statuses (`Schema/OpenAPI/openapi.json`; the upload is the
    /// relay's alone: `gloss serve` makes its own, and has no such route).
    static let snapshotRoutes: [(method: String, path: String, statuses: [Int])] = [
        ("get", snapshotPath, [200, 401, 404, 503]),
        ("get", snapshotInfoPath, [200, 401, 503]),
        ("post", uploadPath, [200, 400, 401, 403, 409, 413, 422, 503]),
    ]

    func addSnapshotRoutes(to router: Router<some RequestContext>) {
        router.get(RouterPath(Self.snapshotPath)) { request, _ in
            let grant = try await authorize(request)
            return try await download(for: grant)
        }
        router.get(RouterPath(Self.snapshotInfoPath)) { request, _ in
            let grant = try await authorize(request)
            let newest = try await stored { try await storage.newestSnapshot(of: grant.library) }
            return try respond(json: try MessageCoding.encode(SnapshotOffer(snapshot: newest.flatMap(Self.offered), uploads: !grant.readOnly)),
                               to: request)
        }
        router.post(RouterPath(Self.uploadPath)) { request, _ in
            let grant = try await authorize(request)
            guard !grant.readOnly else {
                throw HTTPError(.forbidden, message: "this token is read-only: it can fetch the library's snapshot and never upload one")
            }
            return try await upload(request, to: grant)
        }
    }

    /// What a kept snapshot's header says, for `/v1/snapshot/info`.
    static func offered(_ snapshot: StoredSnapshot) -> OfferedSnapshot? {
        guard let header = try? JSONDecoder().decode(SnapshotHeader.self, from: Data(snapshot.header.utf8)) else { return nil }
        return OfferedSnapshot(header: header, bytes: Int(snapshot.bytes), sha256: snapshot.sha256)
    }

    /// The library's newest snapshot, streamed a chunk at a time from the database.
    private func download(for grant: RelayGrant) async throws -> Response {
        guard let newest = try await stored({ try await storage.newestSnapshot(of: grant.library) }) else {
            throw HTTPError(.notFound, message: "this library holds no snapshot yet: a replica uploads one once it holds enough changes")
        }
        let headers: HTTPFields = [.contentType: ServerSnapshot.mediaType,
                                   HTTPField.Name(ServerSnapshot.digestHeader)!: ServerSnapshot.digestValue(newest.sha256)]
        let kept = storage, timeout = configuration.storageTimeout
        return Response(status: .ok, headers: headers, body: ResponseBody(contentLength: Int(newest.bytes)) { writer in
            for index in 0..<newest.chunks {
                // A newer snapshot may have replaced it meanwhile: the answer then ends short,
                // and the client, seeing less than the length it was told, falls back.
                guard let chunk = try await Self.within(timeout, { try await kept.snapshotChunk(index, of: newest.id) }) else {
                    throw RelayError.database("snapshot \(newest.id) was removed during its download")
                }
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        })
    }

    /// Keeps the snapshot file `request` carries: its header line checked, its body streamed
    /// into chunks, its SHA-256 checked, then made the newest.
    private func upload(_ request: Request, to grant: RelayGrant) async throws -> Response {
        let limit = configuration.maxSnapshotBytes, chunkBytes = configuration.snapshotChunkBytes
        let tooLarge = HTTPError(.contentTooLarge, message: "the snapshot is larger than \(limit >> 20) MiB, the most this relay keeps; nothing was kept")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit { throw tooLarge }
        guard let expected = ServerSnapshot.sha256(inDigest: request.headers[HTTPField.Name(ServerSnapshot.digestHeader)!]) else {
            throw HTTPError(.badRequest, message: "send the snapshot's SHA-256 as 'Repr-Digest: sha-256=:BASE64:'; nothing was kept")
        }
        let refused = { (why: String) in HTTPError(.unprocessableContent, message: "the upload is refused, and nothing was kept: \(why)") }
        var hasher = SHA256()
        var pending = Data()
        var total = 0
        var index = 0
        var snapshot: Int64?
        do {
            for try await piece in request.body {
                total += piece.readableBytes
                guard total <= limit else { throw tooLarge }
                pending.append(contentsOf: piece.readableBytesView)
                hasher.update(data: Data(piece.readableBytesView))
                if snapshot == nil {
                    guard let found = try Self.header(of: pending, refused: refused) else {
                        guard pending.count <= Self.maxHeaderBytes else { throw refused("its header line is longer than \(Self.maxHeaderBytes >> 10) KiB") }
                        continue
                    }
                    snapshot = try await begin(found, in: grant, refused: refused)
                }
                while pending.count >= chunkBytes, let id = snapshot {
                    let (chunk, at) = (Array(pending.prefix(chunkBytes)), index)
                    pending.removeFirst(chunkBytes)
                    try await stored { try await storage.appendSnapshotChunk(chunk, index: at, to: id) }
                    index += 1
                }
            }
            guard let id = snapshot else { throw refused("it is not a Gloss snapshot") }
            if !pending.isEmpty {
                let (chunk, at) = (Array(pending), index)
                try await stored { try await storage.appendSnapshotChunk(chunk, index: at, to: id) }
            }
            let sha256 = Array(hasher.finalize())
            guard sha256 == expected else { throw refused("its bytes do not match the SHA-256 sent with it (damaged on the way)") }
            let (bytes, kept) = (Int64(total), configuration.snapshotsKept)
            let abandoned = RelayClock.now() - Self.abandonedAfter
            let quota = configuration.quota
            try await stored {
                try await storage.finishSnapshot(id, in: grant.library, bytes: bytes, sha256: sha256, keep: kept,
                                                 abandonedBefore: abandoned, quota: quota)
            }
        } catch {
            if let id = snapshot { try? await stored { try await storage.discardSnapshot(id) } }
            throw error
        }
        let newest = try await stored { try await storage.newestSnapshot(of: grant.library) }
        return try respond(json: try MessageCoding.encode(SnapshotOffer(snapshot: newest.flatMap(Self.offered), uploads: true)),
                           to: request)
    }

    /// The header line at the start of `prefix`, once it is whole (nil before).
    private static func header(of prefix: Data, refused: (String) -> HTTPError) throws -> (header: SnapshotHeader, line: String)? {
        let found: (header: SnapshotHeader, bodyOffset: Int)?
        do {
            found = try SnapshotFile.header(in: prefix, displayName: "upload")
        } catch let SyncError.snapshotInvalid(_, problem) {
            throw refused(problem)
        }
        guard let found else { return nil }
        let line = String(decoding: prefix.prefix(found.bodyOffset - 1).dropFirst(SnapshotFile.magicLength), as: UTF8.self)
        return (found.header, line)
    }

    /// Starts keeping an upload whose header is `found`. An encrypted library (one whose
    /// replicas published keys) takes only sealed snapshots.
    private func begin(_ found: (header: SnapshotHeader, line: String), in grant: RelayGrant, refused: (String) -> HTTPError) async throws -> Int64 {
        if found.header.format != SnapshotFile.sealedFormat, try await !stored({ try await storage.publishedKeys(of: grant.library) }).isEmpty {
            throw refused("this library is encrypted, and the snapshot is not sealed")
        }
        // A client uploads after its sync, so the relay holds everything an honest snapshot
        // holds: a header claiming more would make honest clients stop uploading and joiners
        // download a file that cannot give what it promised.
        let held = try await stored { try await storage.vector(of: grant.library) }
        if let (replica, counter) = found.header.versionVector.sorted.first(where: { held[$0.replica] < $0.counter }) {
            throw refused("it claims changes this relay was never sent (replica \(replica.short) up to \(counter), the relay holds \(held[replica])): sync first, which pushes them, then upload")
        }
        let changes = Int64(clamping: found.header.versionVector.total)
        let (line, time) = (found.line, RelayClock.now())
        return try await stored {
            try await storage.beginSnapshot(in: grant.library, header: line, changes: changes, at: time,
                                            abandonedBefore: time - Self.abandonedAfter, atOnce: Self.uploadsAtOnce)
        }
    }
}
