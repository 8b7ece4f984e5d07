import Foundation
import GlossCore
import GlossSync
import Hummingbird
import Logging

/// Originals through sync (`/v1/originals`): the list of what this server keeps, one original
/// fetched, one uploaded. Sealed under the library key when the library is encrypted, as pulled
/// pages are; what an upload holds is checked against its SHA-256 before it is kept.
extension SyncController {
    static let originalsPath = SyncProtocol.prefix + "/originals"

    static let originalsRoutes: [(method: String, path: String, statuses: [Int])] = [
        ("get", originalsPath, [200, 401, 503]),
        ("get", originalsPath + "/{article}", [200, 401, 403, 404, 503]),
        ("put", originalsPath + "/{article}", [200, 400, 401, 404, 413, 415, 422, 503]),
    ]

    func addOriginalsRoutes(to router: Router<some RequestContext>) {
        router.get(RouterPath(Self.originalsPath)) { request, _ in
            let list = try await blocking {
                OriginalsListResponse(sends: try store.syncsOriginals(),
                                      manifest: try OriginalsManifest(replica: store.replicaID.rawValue,
                                                                      entries: try store.originalRecords().map(OriginalEntry.init),
                                                                      keys: try keyring()))
            }
            return try respond(list, to: request)
        }
        router.get(RouterPath(Self.originalsPath + "/:article")) { request, context in
            let article = try Self.articleParameter(context)
            let answer = try await blocking { try packedOriginal(of: article) }
            return try respond(answer, to: request)
        }
        router.put(RouterPath(Self.originalsPath + "/:article")) { request, context in
            let article = try Self.articleParameter(context)
            guard OriginalEntry.isPathID(article) else { throw HTTPError(.notFound, message: "no article an original could be kept for is named \(article)") }
            let upload = try await decode(OriginalUpload.self, from: request, limit: OriginalsLimits.maxMessageBytes)
            let kept = try await blocking { try keep(upload, for: article) }
            return try respond(OriginalUploadResponse(kept: kept), to: request)
        }
    }

    static func articleParameter(_ context: some RequestContext) throws -> String {
        let raw = try context.parameters.require("article")
        return raw.removingPercentEncoding ?? raw
    }

    /// The original of `article`, packed for the wire.
    private func packedOriginal(of article: String) throws -> OriginalResponse {
        guard try store.syncsOriginals() else {
            throw HTTPError(.forbidden, message: "this server's originals do not travel through sync (its setting is off)")
        }
        guard OriginalEntry.isPathID(article) else { throw HTTPError(.notFound, message: "this server keeps no original of \(article)") }
        let bytes: [UInt8], record: OriginalRecord
        do {
            (record, bytes) = try store.original(of: article)
        } catch let error as OriginalError {
            if case .noOriginal = error { throw HTTPError(.notFound, message: "this server keeps no original of \(article)") }
            logger.error("cannot read an original: \(error)")
            throw HTTPError(.notFound, message: "this server cannot read its original of \(article); its log says why")
        }
        let (data, key) = try OriginalPacking.pack(bytes, sha256: record.sha256, keys: try keyring())
        return OriginalResponse(data: Data(data).base64EncodedString(), key: key)
    }

    /// Keeps the original `upload` carries for `article`, once it is checked; false when the
    /// article is not live here or keeps an original already.
    private func keep(_ upload: OriginalUpload, for article: String) throws -> Bool {
        let keys = try keyring()
        let refuse = { (why: String) in HTTPError(.unprocessableContent, message: "the original is refused, and nothing was kept: \(why)") }
        let entries: [OriginalEntry]
        do {
            entries = try upload.manifest.entries(keys: keys)
        } catch {
            throw refuse("its entry cannot be used: \(error)")
        }
        guard entries.count == 1, let entry = entries.first, entry.article == article else {
            throw refuse("its entry must be one, for the article the path names")
        }
        guard let record = entry.record else { throw refuse("its format \(entry.format) is not one this server reads") }
        guard upload.key == entry.key, let data = Data(base64Encoded: upload.data) else { throw refuse("its data is not base64 of an original packed for the wire") }
        let bytes: [UInt8]
        do {
            bytes = try OriginalPacking.unpack(Array(data), key: upload.key, entry: entry, keys: keys)
        } catch {
            throw refuse(error.description)
        }
        return try store.keepReceivedOriginal(bytes, as: record)
    }
}
