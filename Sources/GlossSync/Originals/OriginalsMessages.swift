public import Foundation

/// `GET /v1/originals`: the originals the server keeps, and whether it sends them.
public struct OriginalsListResponse: Codable, Hashable, Sendable {
    /// Whether the server's setting sends its originals: when false, a client takes none but
    /// still sends the server what it lacks.
    public var sends: Bool
    /// Every original the server keeps of a live article (sealed in an encrypted library).
    public var manifest: OriginalsManifest

    public init(sends: Bool, manifest: OriginalsManifest) {
        self.sends = sends
        self.manifest = manifest
    }
}

/// `GET /v1/originals/{article}`: one original, packed (``OriginalPacking``) and in base64.
public struct OriginalResponse: Codable, Hashable, Sendable {
    public var data: String
    /// The id of the key it is sealed under, in an encrypted library.
    public var key: String?

    public init(data: String, key: String?) {
        self.data = data
        self.key = key
    }
}

/// `PUT /v1/originals/{article}`: one original for the server to keep: its entry (as a list of
/// one, sealed in an encrypted library) and its packed bytes.
public struct OriginalUpload: Codable, Hashable, Sendable {
    public var manifest: OriginalsManifest
    public var data: String
    public var key: String?

    public init(manifest: OriginalsManifest, data: String, key: String?) {
        self.manifest = manifest
        self.data = data
        self.key = key
    }
}

/// What the server did with an upload: kept it, or not (it holds no such live article, or keeps
/// an original of it already).
public struct OriginalUploadResponse: Codable, Hashable, Sendable {
    public var kept: Bool

    public init(kept: Bool) { self.kept = kept }
}

extension OriginalEntry {
    /// Whether `id` may name an article in a path: letters, digits, `-` and `_`, at most 200.
    public static func isPathID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 200
            && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) || $0 == 0x2d || $0 == 0x5f }
    }
}
