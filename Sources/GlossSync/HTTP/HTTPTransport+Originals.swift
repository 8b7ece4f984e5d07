public import Foundation
public import GlossCore

/// Originals through a `gloss serve` server (`/v1/originals`): its list, one original fetched,
/// one uploaded, each sealed under the library key in an encrypted library. A server that has no
/// such route (a relay, which carries changes only) carries no originals.
extension HTTPTransport: OriginalsTransport {
    public func originalsOffer() async throws -> OriginalsOffer? {
        let list: OriginalsListResponse
        do {
            list = try await send("GET", "/originals", body: Optional<PullRequest>.none, as: OriginalsListResponse.self)
        } catch SyncError.protocolMismatch(_, nil) {
            return nil
        }
        let place = baseURL.appendingPathComponent(SyncProtocol.prefix + "/originals").absoluteString
        let entries: [OriginalEntry]
        do {
            entries = try list.manifest.entries(keys: keys)
        } catch {
            return OriginalsOffer(held: [:], offered: [], replaces: false,
                                  warnings: [.originalsListInvalid(file: place, problem: error.description)])
        }
        var offer = OriginalsOffer(held: [:], offered: [], replaces: false)
        for entry in entries {
            offer.held[entry.article] = entry.sha256
            if list.sends, OriginalEntry.isPathID(entry.article) {
                offer.offered.append(OfferedOriginal(entry: entry, origin: place + "/" + entry.article, locator: entry.article))
            }
        }
        return offer
    }

    public func fetchOriginal(_ offered: OfferedOriginal) async throws -> FetchedOriginal {
        let answer: OriginalResponse
        do {
            answer = try await send("GET", "/originals/" + offered.locator, body: Optional<PullRequest>.none, as: OriginalResponse.self)
        } catch SyncError.protocolMismatch(_, nil) {
            return .refused("the server no longer keeps it")
        } catch SyncError.rejected(_, let status, let says) where status < 500 {
            return .refused("the server answered \(status): \(says)")
        }
        guard answer.data.utf8.count <= OriginalsLimits.maxMessageBytes, let data = Data(base64Encoded: answer.data) else {
            return .refused("the server's answer holds no original")
        }
        do {
            return .bytes(try OriginalPacking.unpack(Array(data), key: answer.key, entry: offered.entry, keys: keys))
        } catch {
            return .refused(error.description)
        }
    }

    public func sendOriginal(_ record: OriginalRecord, bytes: [UInt8]) async throws -> Bool {
        guard OriginalEntry.isPathID(record.articleID) else { return false }
        let (data, key) = try OriginalPacking.pack(bytes, sha256: record.sha256, keys: keys)
        guard data.count <= OriginalsLimits.maxCompressedBytes else {
            throw OriginalsProblem("it is \(data.count) bytes compressed, more than the \(OriginalsLimits.maxCompressedBytes) an original may take to travel")
        }
        var entry = OriginalEntry(record)
        entry.key = key
        let upload = OriginalUpload(manifest: try OriginalsManifest(replica: "", entries: [entry], keys: keys),
                                    data: Data(data).base64EncodedString(), key: key)
        do {
            return try await send("PUT", "/originals/" + record.articleID, json: try MessageCoding.encode(upload),
                                  as: OriginalUploadResponse.self).kept
        } catch SyncError.rejected(_, let status, let says) where status == 400 || status == 413 || status == 422 {
            throw OriginalsProblem("the server refused it (\(status): \(says))")
        }
    }

    /// A server keeps what it is sent as it arrives: nothing is left to do.
    public func finishSending(held: [OriginalRecord]) async throws {}
}
