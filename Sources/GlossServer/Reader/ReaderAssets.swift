import Crypto
import Foundation

/// The web reader's static files (`Reader/Assets/`), compiled into the binary: the reader needs
/// nothing from the network or the source tree at run time. For work on the pages,
/// `GLOSS_READER_ASSETS=/path/to/Assets` serves them from that folder instead, read on each
/// request, so a change shows on reload without a rebuild.
enum ReaderAssets {
    struct Asset: Sendable {
        var bytes: [UInt8]
        var contentType: String
        /// A strong validator: the first 16 hex digits of the bytes' SHA-256.
        var etag: String
    }

    /// The folder named by `GLOSS_READER_ASSETS`, when set.
    static let developmentFolder: String? = ProcessInfo.processInfo.environment["GLOSS_READER_ASSETS"].flatMap { $0.isEmpty ? nil : $0 }

    static let embedded: [String: Asset] = {
        var assets: [String: Asset] = [:]
        for (name, bytes) in ReaderAssetFiles.all { assets[name] = asset(name, bytes) }
        return assets
    }()

    /// The asset called `name` (a plain file name: no folders), or nil.
    static func named(_ name: String) -> Asset? {
        guard !name.isEmpty, !name.contains("/"), !name.hasPrefix(".") else { return nil }
        if let folder = developmentFolder {
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
            return asset(name, [UInt8](data))
        }
        return embedded[name]
    }

    static func asset(_ name: String, _ bytes: [UInt8]) -> Asset {
        let digest = SHA256.hash(data: bytes).prefix(8).map { String(format: "%02x", $0) }.joined()
        return Asset(bytes: bytes, contentType: contentType(of: name), etag: "\"\(digest)\"")
    }

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last.map(String.init) ?? "" {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "json", "webmanifest": "application/json"
        default: "application/octet-stream"
        }
    }
}
